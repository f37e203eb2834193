"""Reimbursement and registration statements: dated, sourced, "check your policy".

Oracle: leaflet 003 (Dutch rules, stated for 2026 in the issue) and leaflet 002 (Belgium,
brochure of January 2022); clinical.md section 3.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pelvio.errors import InputError
from pelvio.pathway import REGISTRATION_FACTS, reimbursement
from pelvio.pathway.reimbursement import REIMBURSEMENT_RULES, Statement


def _ids(statements: tuple[Statement, ...]) -> list[str]:
    return [s.id for s in statements]


@pytest.mark.parametrize(
    ("country", "age", "complaints", "phases", "expected"),
    [
        ("NL", 45, ["leak_effort"], [], [
            "nl-supplementary-insurance", "nl-incontinence-basic-insurance",
            "nl-incontinence-referral", "nl-no-referral-needed"]),
        ("NL", 45, ["pain"], [], ["nl-supplementary-insurance", "nl-no-referral-needed"]),
        ("NL", 18, ["leak_urge"], [], [
            "nl-supplementary-insurance", "nl-incontinence-basic-insurance",
            "nl-incontinence-referral", "nl-no-referral-needed"]),
        ("NL", 17, ["leak_effort"], [], ["nl-under-18", "nl-no-referral-needed"]),
        ("BE", 30, ["leak_effort"], [], ["be-prescription"]),
        ("BE", 30, [], ["postpartum"], ["be-prescription", "be-postnatal-sessions"]),
        ("NL", 30, [], ["postpartum"], ["nl-supplementary-insurance", "nl-no-referral-needed"]),
    ],
)  # fmt: skip
def test_statements_that_apply(
    country: str, age: int, complaints: list[str], phases: list[str], expected: list[str]
) -> None:
    got = reimbursement(country, age, complaints, phases)  # type: ignore[arg-type]
    assert _ids(got) == expected


ALL_STATEMENTS = (*(r.statement for r in REIMBURSEMENT_RULES), *REGISTRATION_FACTS)


@pytest.mark.parametrize("statement", ALL_STATEMENTS, ids=lambda s: s.id)
def test_every_statement_is_dated_and_sourced_from_a_leaflet(statement: Statement) -> None:
    assert isinstance(statement.as_of, dt.date)
    assert statement.sources
    assert all(s.kind == "leaflet" for s in statement.sources)


@pytest.mark.parametrize(
    "statement", [r.statement for r in REIMBURSEMENT_RULES], ids=lambda s: s.id
)
def test_every_reimbursement_statement_sends_you_to_your_policy(statement: Statement) -> None:
    if statement.id.startswith("nl-"):
        assert "polis" in statement.text.nl and "policy" in statement.text.en
        assert statement.as_of.year == 2026
        assert statement.sources[0].citation.startswith("003_")
    else:
        assert "ziekenfonds" in statement.text.nl and "fund" in statement.text.en
        assert statement.sources[0].citation.startswith("002_")


def test_registration_facts_name_the_registers_and_the_training() -> None:
    text = " ".join(s.text.nl for s in REGISTRATION_FACTS)
    for word in ("CKR", "SKF", "KNGF", "vier jaar", "drie jaar"):
        assert word in text
    text_en = " ".join(s.text.en for s in REGISTRATION_FACTS)
    for word in ("CKR", "SKF", "four years", "three-year master"):
        assert word in text_en


@pytest.mark.parametrize(
    ("args", "field_name"),
    [
        (("DE", 40), "country"),
        (("NL", 11), "age_years"),
        (("NL", 40.0), "age_years"),
        (("NL", 40, ["cough"]), "complaints"),
        (("NL", 40, [], ["retired"]), "life_phases"),
    ],
)
def test_bad_input_names_the_field(args: tuple[object, ...], field_name: str) -> None:
    with pytest.raises(InputError) as info:
        reimbursement(*args)  # type: ignore[arg-type]
    assert info.value.field == field_name
