"""``pelvio score``: the JSON contract, the worked examples of clinical.md §5, one-line errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pelvio.cli import main
from pelvio.errors import InputError
from pelvio.measures.cli import parse_answers

PFDI_EXAMPLE = ",".join(
    f"q{n}={v}"
    for n, v in enumerate([0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 2, 3, 0, 1, 0, 0], 1)
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(["score", *args])
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def as_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    status, out, err = run(capsys, *args, "--json")
    assert status == 0, err
    return json.loads(out)


def test_iciq_json_has_the_band_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "iciq-ui-sf", "--answers", "q3=2,q4=2,q5=5")
    assert list(data) == ["instrument", "total", "subscales", "band"]
    assert data["instrument"] == "iciq-ui-sf"
    assert data["total"] == 9
    assert data["subscales"] == {}
    assert data["band"]["key"] == "moderate"
    assert "Klovning" in data["band"]["source"]


def test_pfdi20_json_is_the_worked_example(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "pfdi-20", "--answers", PFDI_EXAMPLE)
    assert data == {
        "instrument": "pfdi-20",
        "total": 38.54,
        "subscales": {"popdi6": 4.17, "cradi8": 9.38, "udi6": 25},
    }


def test_wexner_and_pgi_i(capsys: pytest.CaptureFixture[str]) -> None:
    wexner = as_json(capsys, "Wexner", "--answers", "q1=1,q2=2,q3=3,q4=1,q5=2,q6=1,q7=1,q8=2")
    assert list(wexner) == ["instrument", "total", "subscales"]
    assert wexner["total"] == 13
    pgi = as_json(capsys, "pgi-i", "--answers", "q1=2")
    assert pgi["band"]["label"] == "much better"


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "iciq", "--answers", "q3=2, q4=2, q5=5")
    assert status == 0
    assert "iciq-ui-sf: total 9 (0–21)" in out
    assert "band: moderate (6–12)" in out
    status, out, _ = run(capsys, "pfdi-20", "--answers", PFDI_EXAMPLE)
    assert "cradi8      9.38 (0–100)" in out
    assert "rounded to 2 decimals" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["iciq", "--answers", "q4=3"], "q4 of iciq-ui-sf must be 0, 2, 4, 6; got 3"),
        (["pfiq-7", "--answers", "uiq_q1=9"], "uiq_q1 of pfiq-7 must be 0–3; got 9"),
        (["iciq", "--answers", "q9=1"], "iciq-ui-sf has no item 'q9'; valid items are q3, q4, q5"),
        (["phq9", "--answers", "q1=1"], "unknown instrument 'phq9'; valid instruments are"),
        (
            ["iciq", "--answers", "q3=2,q4=2"],
            "No total: every scored item is needed; unanswered: q5",
        ),
        (["iciq", "--answers", "q3"], "'q3' is not key=value"),
        (["iciq", "--answers", "q3=two"], "q3 must be a whole number, got 'two'"),
        (["iciq", "--answers", "q3=1,q3=2"], "q3 is given twice"),
        (["iciq", "--answers", ","], "--answers is empty"),
        (["iciq"], "give --answers for iciq-ui-sf"),
        ([], "give an INSTRUMENT"),
    ],
)
def test_refusals_are_one_line_with_status_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = run(capsys, *args)
    assert status == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "--list")
    assert [entry["instrument"] for entry in data] == [
        "iciq-ui-sf",
        "pfdi-20",
        "pfiq-7",
        "wexner",
        "pgi-i",
    ]
    iciq = data[0]
    assert iciq["items"] == {"q3": [0, 1, 2, 3, 4, 5], "q4": [0, 2, 4, 6], "q5": list(range(11))}
    assert "iciq.net" in iciq["licence"]
    status, out, _ = run(capsys, "--list")
    assert status == 0 and "pfiq-7" in out


def test_parse_answers() -> None:
    assert parse_answers(" q3=2, q4 = 4 ,q5=10,") == {"q3": 2, "q4": 4, "q5": 10}
    with pytest.raises(InputError, match="not key=value"):
        parse_answers("=2")
