"""Intake answers: the JSON form, its validation, and the question definitions."""

from __future__ import annotations

import dataclasses
from typing import Any, get_args

import pytest

from pelvio.errors import InputError
from pelvio.pathway import (
    QUESTIONS,
    IntakeAnswers,
    answers_from_form,
    answers_from_mapping,
    answers_to_mapping,
    intake,
)
from pelvio.pathway.intake import describe_evidence, question

BASE: dict[str, Any] = {"sex": "female", "age_years": 40}


def _with(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def test_minimal_answers_take_the_defaults() -> None:
    a = answers_from_mapping(BASE)
    assert a == IntakeAnswers(sex="female", age_years=40)
    assert a.country == "NL"
    assert a.complaints == frozenset()
    assert not a.leaks


def test_null_means_default_and_version_1_is_accepted() -> None:
    a = answers_from_mapping(_with(version=1, country=None, complaints=None))
    assert a == IntakeAnswers(sex="female", age_years=40)


def test_full_answers_round_trip() -> None:
    data = _with(
        country="BE",
        complaints=["leak_urge", "leak_effort"],
        complaint_duration="over_6_months",
        red_flags=["fever"],
        life_phases=["postpartum", "high_impact_sport"],
        weeks_since_birth=5,
        tense_signs=["pain_with_sex"],
        bowel_movements_per_week=4,
        hard_straining=True,
        trouble_contracting_or_relaxing=True,
        prefers_physiotherapist=True,
    )
    a = answers_from_mapping(data)
    assert a.leaks
    out = answers_to_mapping(a)
    assert out["complaints"] == ["leak_effort", "leak_urge"]
    assert answers_from_mapping(out) == a


@pytest.mark.parametrize(
    ("data", "field_name"),
    [
        (_with(colour="blue"), "colour"),
        ({"age_years": 40}, "sex"),
        ({"sex": "female"}, "age_years"),
        (_with(sex="woman"), "sex"),
        (_with(age_years=11), "age_years"),
        (_with(age_years=121), "age_years"),
        (_with(age_years=40.5), "age_years"),
        (_with(age_years=True), "age_years"),
        (_with(age_years="40"), "age_years"),
        (_with(country="DE"), "country"),
        (_with(complaints="leak_effort"), "complaints"),
        (_with(complaints=["leak"]), "complaints"),
        (_with(complaints=[1]), "complaints"),
        (_with(complaints=["pain", "pain"]), "complaints"),
        (_with(red_flags=["headache"]), "red_flags"),
        (_with(tense_signs=["pain"]), "tense_signs"),
        (_with(complaint_duration="forever", complaints=["pain"]), "complaint_duration"),
        (_with(complaint_duration="under_6_weeks"), "complaint_duration"),
        (_with(life_phases=["postpartum"]), "weeks_since_birth"),
        (_with(weeks_since_birth=3), "weeks_since_birth"),
        (_with(life_phases=["postpartum"], weeks_since_birth=-1), "weeks_since_birth"),
        (_with(life_phases=["postpartum"], weeks_since_birth=105), "weeks_since_birth"),
        (_with(sex="male", life_phases=["pregnant"]), "life_phases"),
        (_with(life_phases=["after_prostate_treatment"]), "life_phases"),
        (_with(bowel_movements_per_week=-1), "bowel_movements_per_week"),
        (_with(bowel_movements_per_week=71), "bowel_movements_per_week"),
        (_with(hard_straining="yes"), "hard_straining"),
        (_with(prefers_physiotherapist=1), "prefers_physiotherapist"),
        (_with(version=2), "version"),
    ],
)
def test_bad_answers_name_the_field(data: dict[str, Any], field_name: str) -> None:
    with pytest.raises(InputError) as info:
        answers_from_mapping(data)
    assert info.value.field == field_name
    assert field_name in str(info.value)
    assert "\n" not in str(info.value)


def test_answers_must_be_a_mapping() -> None:
    with pytest.raises(InputError, match="answers"):
        answers_from_mapping([("sex", "female")])  # type: ignore[arg-type]


def test_other_sex_may_report_any_life_phase() -> None:
    a = IntakeAnswers(
        sex="other",
        age_years=50,
        life_phases=frozenset({"postpartum", "after_prostate_treatment"}),
        weeks_since_birth=20,
    )
    assert "postpartum" in a.life_phases


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(InputError, match="complaints"):
        IntakeAnswers(sex="female", age_years=40, complaints={"pain"})  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# The question definitions drive the web form: they must match the model exactly.


def test_questions_cover_every_answer_field_once() -> None:
    fields = [f.name for f in dataclasses.fields(IntakeAnswers)]
    assert sorted(q.id for q in QUESTIONS) == sorted(fields)


@pytest.mark.parametrize(
    ("question_id", "literal"),
    [
        ("sex", intake.Sex),
        ("country", intake.Country),
        ("complaints", intake.Complaint),
        ("red_flags", intake.RedFlag),
        ("life_phases", intake.LifePhase),
        ("complaint_duration", intake.Duration),
        ("tense_signs", intake.TenseSign),
    ],
)
def test_question_options_match_the_allowed_values(question_id: str, literal: Any) -> None:
    assert tuple(o.value for o in question(question_id).options) == get_args(literal)


def test_every_question_is_bilingual_and_well_formed() -> None:
    seen: set[str] = set()
    for q in QUESTIONS:
        assert q.label.nl.endswith("?") and q.label.en.endswith("?"), q.id
        if q.kind in ("choice", "multi"):
            assert q.options and q.minimum is None and q.maximum is None
        else:
            assert not q.options
        if q.kind == "integer":
            assert q.minimum is not None and q.maximum is not None
        if q.kind in ("integer", "boolean"):
            assert q.statement is not None, q.id
        if q.shown_when is not None:
            depends_on, value = q.shown_when
            assert depends_on in seen, f"{q.id} depends on a later question"
            options = [o.value for o in question(depends_on).options]
            assert value == "*" or value in options
        seen.add(q.id)


def test_red_flags_are_asked_before_the_complaints() -> None:
    order = [q.id for q in QUESTIONS]
    assert order.index("red_flags") < order.index("complaints")


def test_intake_is_short() -> None:
    # About three minutes: few questions, few options each.
    assert len(QUESTIONS) <= 13
    assert all(len(q.options) <= 6 for q in QUESTIONS)


def test_describe_evidence_quotes_options_and_statements() -> None:
    assert describe_evidence("complaints=pain").nl.startswith("Pijn in bekken")
    assert describe_evidence("weeks_since_birth=3").en == "You gave birth 3 weeks ago."
    assert describe_evidence("hard_straining").nl == "Je moet vaak hard persen om te poepen."
    with pytest.raises(InputError, match="complaints"):
        describe_evidence("complaints=nonsense")
    with pytest.raises(InputError, match="question_id"):
        describe_evidence("nonsense=1")


# ---------------------------------------------------------------------------------------------
# Posted HTML forms


def test_form_values_are_converted_by_question_kind() -> None:
    form = {
        "csrf_token": ["abc"],
        "country": ["BE"],
        "sex": ["female"],
        "age_years": [" 34 "],
        "complaints": ["leak_effort", "pain"],
        "complaint_duration": ["over_6_months"],
        "red_flags": [],
        "life_phases": ["postpartum"],
        "weeks_since_birth": ["3"],
        "bowel_movements_per_week": [""],
        "hard_straining": ["no"],
        "trouble_contracting_or_relaxing": ["on"],
        "prefers_physiotherapist": ["false"],
    }
    a = answers_from_form(form)
    assert a == IntakeAnswers(
        sex="female",
        age_years=34,
        country="BE",
        complaints=frozenset({"leak_effort", "pain"}),
        complaint_duration="over_6_months",
        life_phases=frozenset({"postpartum"}),
        weeks_since_birth=3,
        trouble_contracting_or_relaxing=True,
    )


@pytest.mark.parametrize(
    ("form", "field_name"),
    [
        ({"sex": ["female"], "age_years": ["forty"]}, "age_years"),
        ({"sex": ["female"], "age_years": ["４０"]}, "age_years"),
        ({"sex": ["female"], "age_years": ["40", "41"]}, "age_years"),
        ({"sex": ["female"], "age_years": ["40"], "hard_straining": ["maybe"]}, "hard_straining"),
        ({"sex": [""], "age_years": ["40"]}, "sex"),
        ({"sex": ["female"], "age_years": ["8"]}, "age_years"),
        ({"sex": ["female"], "age_years": ["40"], "complaints": ["x"]}, "complaints"),
        ({"sex": "female", "age_years": ["40"]}, "sex"),
    ],
)
def test_bad_forms_name_the_field(form: dict[str, Any], field_name: str) -> None:
    with pytest.raises(InputError) as info:
        answers_from_form(form)
    assert info.value.field == field_name
