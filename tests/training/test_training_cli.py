"""``pelvio program list|show``: exact JSON keys, human text, one-line errors (exit 2)."""

from __future__ import annotations

import json

import pytest
import typer

from pelvio.training import PROGRAMME_IDS, PROGRAMMES
from pelvio.training.cli import register


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the commands on an app of their own, the way ``pelvio.cli.main`` runs them."""
    app = typer.Typer(add_completion=False)

    @app.callback()
    def _root() -> None:
        """Test root."""

    register(app)
    try:
        status = app(args=list(args), standalone_mode=False)
    except typer.Exit as exc:
        status = exc.exit_code
    code = status if isinstance(status, int) else 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_show_json_has_exactly_the_keys_of_issue_5(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "program", "show", "basis", "--json")
    assert code == 0 and err == ""
    document = json.loads(out)
    assert set(document) == {
        "id",
        "title",
        "sessions_per_day",
        "steps",
        "total_duration_s",
        "source",
    }
    assert [set(step) for step in document["steps"]] == [
        {"action", "duration_s", "target", "text_nl", "text_en"}
    ] * 20
    # Leaflet 001 (clinical.md §1): 10 x (6 s + 6 s) = 120 s, three times a day.
    assert document["total_duration_s"] == 120
    assert document["sessions_per_day"] == 3
    assert document["id"] == "basis" and document["title"]["nl"]
    assert "001" in document["source"]


def test_show_level_changes_the_dosage(capsys: pytest.CaptureFixture[str]) -> None:
    """Leaflet 002: endurance holds grow from 3 to 10 counts."""
    holds = []
    for level in (1, 8):
        code, out, _ = _run(
            capsys,
            "program",
            "show",
            "kracht-uithouding-coordinatie",
            "--level",
            str(level),
            "--json",
        )
        assert code == 0
        steps = json.loads(out)["steps"]
        holds.append(
            {s["duration_s"] for s in steps if s["action"] == "contract" and s["target"] < 1}
        )
    assert holds == [{3}, {10}]


def test_show_human_lists_timed_steps(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "program", "show", "ontspanning")
    assert code == 0
    assert out.startswith("ontspanning: Ontspanning en ademhaling")
    assert "0:00-0:10" in out and "breathe" in out and "contract" not in out


def test_list_json_and_human(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "program", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [row["id"] for row in rows] == list(PROGRAMME_IDS)
    assert [row["levels"] for row in rows] == [p.max_level for p in PROGRAMMES.values()]
    code, out, _ = _run(capsys, "program", "list")
    assert code == 0 and len(out.strip().splitlines()) == len(PROGRAMME_IDS)


def test_unknown_id_is_one_line_listing_the_valid_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "program", "show", "squats", "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("pelvio: error: unknown programme 'squats'; valid ids: basis, ")
    for programme_id in PROGRAMME_IDS:
        assert programme_id in err


@pytest.mark.parametrize("level", ["0", "5", "-3"])
def test_level_out_of_range_is_one_line_naming_the_range(
    capsys: pytest.CaptureFixture[str], level: str
) -> None:
    code, out, err = _run(capsys, "program", "show", "basis", "--level", level)
    assert code == 2 and out == ""
    assert err == f"pelvio: error: level for basis must lie in [1, 4]; got {level}\n"


def test_registered_in_the_pelvio_command(capsys: pytest.CaptureFixture[str]) -> None:
    from pelvio.cli import main

    main(["program", "show", "kegel-varianten", "--level", "1", "--json"])
    document = json.loads(capsys.readouterr().out)
    # Leaflet 004 at level 1: 3 breaths of 4 + 6 s, then 5 x (hold 3 s, relax 6 s, 3 x (1 + 2 s)).
    assert document["total_duration_s"] == 3 * (4 + 6) + 5 * (3 + 6 + 3 * (1 + 2))
    with pytest.raises(SystemExit) as exited:
        main(["program", "show", "basis", "--level", "7"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == "pelvio: error: level for basis must lie in [1, 4]; got 7\n"
