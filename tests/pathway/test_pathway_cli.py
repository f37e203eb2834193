"""``pelvio pathway explain``: JSON with stable keys, readable text, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pelvio.pathway import SEEK_CARE_TEXT, cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("intake-*.json"))
EXPLAIN_KEYS = {
    "format", "answers", "start_date", "status", "seek_care_now", "classification", "plan",
    "reimbursement", "registration", "rules_fired", "disclaimer",
}  # fmt: skip
PLAN_KEYS = {
    "programmes", "held_back", "advice", "physiotherapist_advised", "schedule", "reminders",
    "articles",
}  # fmt: skip


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Test root."""

    cli.register(app)
    return app


def _run(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_documented_examples_explain_as_json(app: typer.Typer, example: Path) -> None:
    code, out, err = _run(app, "pathway", "explain", "--answers", str(example), "--json",
                          "--start", "2026-11-23")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == EXPLAIN_KEYS
    assert set(doc["plan"]) == PLAN_KEYS
    assert doc["format"] == "pelvio-pathway-explain/1"
    assert doc["start_date"] == "2026-11-23"
    assert doc["answers"] == {**{"version": 1}, **doc["answers"]}


def test_docs_describe_every_key() -> None:
    text = (ROOT / "docs" / "pathway.md").read_text(encoding="utf-8")
    for key in EXPLAIN_KEYS | PLAN_KEYS:
        assert f"`{key}`" in text, key
    for example in EXAMPLES:
        assert example.name in text


def test_red_flag_example_prints_seek_care_in_both_languages(app: typer.Typer) -> None:
    (example,) = [p for p in EXAMPLES if "red-flag" in p.name]
    for lang, text in (("nl", SEEK_CARE_TEXT.nl), ("en", SEEK_CARE_TEXT.en)):
        code, out, _ = _run(app, "pathway", "explain", "--answers", str(example), "--lang", lang)
        assert code == 0
        assert text in out


def test_text_output_lists_programmes_in_order(app: typer.Typer) -> None:
    (example,) = [p for p in EXAMPLES if "stress-postpartum" in p.name]
    code, out, _ = _run(app, "pathway", "explain", "--answers", str(example), "--lang", "en")
    assert code == 0
    assert out.index("1. ontspanning") < out.index("2. kracht-uithouding-coordinatie")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "line 1: not valid JSON"),
        ('{\n  "sex": "female",\n  "age_years": 40,\n}', "line 4: not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"sex": "female", "age_years": 40, "colour": "red"}', "colour: unknown field"),
        ('{"sex": "female", "age_years": 400}', "age_years must lie in [12, 120]"),
        ('{"sex": "female", "age_years": 40, "complaints": ["sneezing"]}', "complaints must be"),
        ('{"sex": "female", "age_years": 40, "life_phases": ["postpartum"]}',
         "weeks_since_birth is needed"),
    ],
)  # fmt: skip
def test_bad_answers_give_one_line_errors(
    app: typer.Typer, tmp_path: Path, content: str, expected: str
) -> None:
    path = _write(tmp_path, content)
    code, out, err = _run(app, "pathway", "explain", "--answers", str(path))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("pelvio: error: ")
    assert expected in err
    assert str(path) in err


def test_missing_file_bad_start_and_bad_lang(app: typer.Typer, tmp_path: Path) -> None:
    code, _, err = _run(app, "pathway", "explain", "--answers", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read the answers file" in err
    ok = _write(tmp_path, '{"sex": "male", "age_years": 50}')
    code, _, err = _run(app, "pathway", "explain", "--answers", str(ok), "--start", "23-11-2026")
    assert code == 2 and "--start must be a date" in err
    code, _, err = _run(app, "pathway", "explain", "--answers", str(ok), "--lang", "fr")
    assert code == 2 and "--lang must be" in err


def test_start_defaults_to_today(app: typer.Typer, tmp_path: Path) -> None:
    ok = _write(tmp_path, '{"sex": "male", "age_years": 50}')
    code, out, _ = _run(app, "pathway", "explain", "--answers", str(ok), "--json")
    assert code == 0
    assert json.loads(out)["plan"]["schedule"][0]["due"] == json.loads(out)["start_date"]


def test_registered_in_the_pelvio_command() -> None:
    # Through the real entry point, as scripts use it.
    (example,) = [p for p in EXAMPLES if "urge-menopause" in p.name]
    proc = subprocess.run(
        [sys.executable, "-c", "from pelvio.cli import main; main()", "pathway", "explain",
         "--answers", str(example), "--json", "--start", "2026-11-23"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [p["id"] for p in doc["plan"]["programmes"]] == ["blaastraining", "basis"]


def test_docs_list_every_rule_and_statement() -> None:
    from pelvio.pathway import ALL_RULES, CHECKIN_NOTE_RULES, CHECKIN_RULES
    from pelvio.pathway.reimbursement import REIMBURSEMENT_RULES

    text = (ROOT / "docs" / "pathway.md").read_text(encoding="utf-8")
    ids = [r.id for r in (*ALL_RULES, *CHECKIN_RULES, *CHECKIN_NOTE_RULES)]
    ids += [r.statement.id for r in REIMBURSEMENT_RULES]
    missing = [i for i in ids if f"`{i}`" not in text]
    assert missing == []
