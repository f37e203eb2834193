"""``pelvio diary metrics`` and ``pelvio diary bowel``: JSON keys, rounding and one-line errors.

The metrics file is the worked example of clinical.md §4 (woman 70 y, 65 kg) as CSV; the
expected values are that example's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pelvio.cli import main
from pelvio.diary import METRIC_KEYS

HEADER = "time,event,volume_ml,urgency,amount,trigger,kind,bristol,note"
EXAMPLE = """\
2025-06-01T07:00:00+02:00,wake,,,,,,,
2025-06-01T07:00:00+02:00,void,300,0,,,,,day 1 FMV: discarded
2025-06-01T07:30:00+02:00,drink,250,,,,tea,,
2025-06-01T10:00:00+02:00,void,200,3,,,,,
2025-06-01T10:30:00+02:00,drink,200,,,,water,,
2025-06-01T12:30:00+02:00,drink,300,,,,water,,
2025-06-01T13:00:00+02:00,void,250,0,,,,,
2025-06-01T15:00:00+02:00,drink,250,,,,coffee,,
2025-06-01T16:00:00+02:00,void,150,0,,,,,
2025-06-01T16:00:00+02:00,leak,,,small,cough,,,stress leak
2025-06-01T17:30:00+02:00,drink,300,,,,water,,
2025-06-01T19:00:00+02:00,void,200,0,,,,,
2025-06-01T19:30:00+02:00,drink,250,,,,water,,
2025-06-01T21:00:00+02:00,drink,350,,,,"tea, with milk",,
2025-06-01T22:45:00+02:00,void,150,0,,,,,
2025-06-01T23:00:00+02:00,bed,,,,,,,
2025-06-02T02:30:00+02:00,void,250,0,,,,,
2025-06-02T05:00:00+02:00,void,200,0,,,,,
2025-06-02T07:00:00+02:00,wake,,,,,,,
2025-06-02T07:00:00+02:00,void,350,0,,,,,
"""


@pytest.fixture
def diary_file(tmp_path: Path) -> Path:
    path = tmp_path / "diary.csv"
    path.write_text(HEADER + "\n" + EXAMPLE, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main([*args])
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def metrics_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    status, out, err = run(capsys, "diary", "metrics", *args, "--json")
    assert status == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_json_keys_are_exactly_the_contract(
    capsys: pytest.CaptureFixture[str], diary_file: Path
) -> None:
    data = metrics_json(capsys, str(diary_file), "--age", "70", "--weight-kg", "65")
    assert list(data) == [*METRIC_KEYS, "periods", "warnings"]
    (period,) = data["periods"]
    assert list(period) == ["start", "end", "complete", "duration_h", *METRIC_KEYS]
    assert period["start"] == "2025-06-01T07:00:00+02:00"
    assert period["end"] == "2025-06-02T07:00:00+02:00"
    assert period["complete"] is True
    assert data["warnings"] == []


def test_json_values_match_the_worked_example(
    capsys: pytest.CaptureFixture[str], diary_file: Path
) -> None:
    data = metrics_json(capsys, str(diary_file), "--age", "70", "--weight-kg", "65")
    assert data["voided_volume_24h_ml"] == 1750
    assert data["nocturnal_urine_volume_ml"] == 800
    assert data["npi_pct"] == pytest.approx(45.7, abs=0.05)
    assert data["nocturnal_polyuria"]["present"] is True
    assert data["nocturnal_polyuria"]["cutoff_pct"] == 33
    assert (data["frequency_24h"], data["daytime_frequency"], data["nocturia"]) == (8, 6, 2)
    assert data["max_voided_volume_ml"] == 350
    assert data["mean_voided_volume_ml"] == 218.75
    # --json rounds to 3 decimals, the precision of the example.
    assert (data["ni"], data["pnv"], data["nbci"]) == (2.286, 1.286, 0.714)
    assert data["global_polyuria"] == {
        "present": False,
        "threshold_ml": 2600.0,
        "reason": "threshold 2600 ml = 40 ml/kg × 65 kg body weight",
    }
    assert data["fluid_intake_24h_ml"] == 1900
    assert data["incontinence_episodes_24h"] == 1
    assert data["urgency_episodes_24h"] == 1


def test_without_age_and_weight_the_judgements_are_null(
    capsys: pytest.CaptureFixture[str], diary_file: Path
) -> None:
    data = metrics_json(capsys, str(diary_file))
    assert data["nocturnal_polyuria"] is None
    assert data["global_polyuria"] is None
    assert {w["code"] for w in data["warnings"]} == {"age_unknown", "weight_unknown"}
    for warning in data["warnings"]:
        assert list(warning) == ["code", "message", "period", "time"]


def test_human_output_is_a_readable_table(
    capsys: pytest.CaptureFixture[str], diary_file: Path
) -> None:
    status, out, _ = run(capsys, "diary", "metrics", str(diary_file), "--age", "70")
    assert status == 0
    assert "24-hour voided volume (ml)" in out
    assert "1750" in out and "2.286" in out
    assert "cut-off NPi > 33 % because age 70 is 65 or over" in out
    assert "Warnings:" in out and "Body weight not given" in out


def test_bad_row_is_one_line_naming_file_line_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "\n" + EXAMPLE + "2025-06-02T09:00:00+02:00,void,0.3 l,0,,,,,\n", encoding="utf-8"
    )
    status, out, err = run(capsys, "diary", "metrics", str(path), "--json")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"pelvio: error: {path}, line 22, field volume_ml: ")
    assert "Traceback" not in err


def test_skip_bad_rows_lists_them_under_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "\n" + EXAMPLE + "2025-06-02T09:00:00+02:00,void,0.3 l,0,,,,,\n", encoding="utf-8"
    )
    data = metrics_json(capsys, str(path), "--skip-bad-rows")
    assert data["warnings"][0]["code"] == "skipped_row"
    assert "line 22, field volume_ml" in data["warnings"][0]["message"]
    assert data["voided_volume_24h_ml"] == 1750


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "missing.csv: no such file"),
        (["{file}", "--age", "12"], "age_years must lie in [18, 120] years"),
        (["{file}", "--weight-kg", "-3"], "weight_kg must lie in [20, 400] kg"),
    ],
)
def test_user_errors_are_one_line_with_status_2(
    capsys: pytest.CaptureFixture[str], diary_file: Path, args: list[str], message: str
) -> None:
    status, _, err = run(capsys, "diary", "metrics", *(a.format(file=diary_file) for a in args))
    assert status == 2
    assert err.strip().endswith(message) or message in err
    assert err.count("\n") == 1


def test_bowel_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = [f"2025-06-0{day}T09:00:00+02:00,bowel,,,,,straining,1," for day in (2, 6)]
    rows += ["2025-06-08T21:00:00+02:00,void,200,0,,,,,"]
    path = tmp_path / "bowel.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    status, out, err = run(
        capsys,
        "diary",
        "bowel",
        str(path),
        "--symptoms-3-months",
        "--onset-6-months",
        "--no-pain-with-bowel",
        "--json",
    )
    assert status == 0, err
    data = json.loads(out)
    assert list(data) == [
        "status",
        "criteria",
        "reasons",
        "advice",
        "sources",
        "summary",
        "warnings",
    ]
    assert data["status"] == "met"
    assert data["summary"]["days"] == 7
    assert "not a diagnosis" in data["advice"]
    status, out, _ = run(capsys, "diary", "bowel", str(path))
    assert status == 0
    assert "Rome IV functional constipation: not enough data" in out
