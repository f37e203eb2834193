"""The intake rule table: answer sets with the classification and plan they must give.

The expected values are written from the clinical rules (clinical.md sections 1-3 and the
leaflets named in each case), not from the code's output. A last test fails when a rule id in
the tables is never exercised by this table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from pelvio.pathway import (
    ADVICE_RULES,
    ALL_RULES,
    CLASSIFICATION_RULES,
    PROGRAMME_IDS,
    PROGRAMME_RULES,
    SAFETY_RULES,
    SOURCES,
    answers_from_mapping,
    build_plan,
    classify,
)

START = dt.date(2026, 3, 2)


@dataclass(frozen=True)
class Case:
    name: str
    answers: dict[str, Any]
    conditions: set[str]
    programmes: tuple[str, ...]
    advice: set[str]
    held_back: set[str] = field(default_factory=set)
    status: str = "ready"


CASES: tuple[Case, ...] = (
    Case(
        "stress, recent: basic exercise only (001, NHG M46)",
        {"sex": "female", "age_years": 45, "complaints": ["leak_effort"],
         "complaint_duration": "under_6_weeks"},
        {"stress-ui"}, ("basis",), set(),
    ),
    Case(
        "urge, long-standing: bladder training first (NHG M46), physio after 6 weeks (004)",
        {"sex": "female", "age_years": 60, "complaints": ["leak_urge"],
         "complaint_duration": "over_6_months"},
        {"urge-ui"}, ("blaastraining",), {"advice-physio-long-complaints"},
    ),
    Case(
        "mixed: bladder training and basic exercise",
        {"sex": "female", "age_years": 50, "complaints": ["leak_effort", "leak_urge"],
         "complaint_duration": "6_weeks_to_6_months"},
        {"mixed-ui"}, ("blaastraining", "basis"), {"advice-physio-long-complaints"},
    ),
    Case(
        "pelvic pain only: relax, no strengthening (003, 004)",
        {"sex": "female", "age_years": 30, "complaints": ["pain"],
         "complaint_duration": "under_6_weeks"},
        {"overactive-floor"}, ("ontspanning",),
        {"advice-physio-overactive", "advice-toilet-habits"},
        held_back={"programme-no-strength-overactive"},
    ),
    Case(
        "stress with two tense signs: relaxation FIRST, then the basic exercise",
        {"sex": "female", "age_years": 38, "complaints": ["leak_effort"],
         "tense_signs": ["pain_with_sex", "straining_to_void"]},
        {"stress-ui", "overactive-floor"}, ("ontspanning", "basis"),
        {"advice-physio-overactive", "advice-toilet-habits"},
    ),
    Case(
        "one non-pain tense sign is not enough (Pelvio's choice): general basic exercise",
        {"sex": "female", "age_years": 35, "tense_signs": ["frequent_small_voids"]},
        set(), ("basis",), set(),
    ),
    Case(
        "two bowel movements a week: constipation (003), relax and toilet habits",
        {"sex": "female", "age_years": 28, "bowel_movements_per_week": 2},
        {"constipation"}, ("ontspanning",), {"advice-toilet-habits"},
    ),
    Case(
        "hard straining plus trouble emptying: constipation and a tense floor",
        {"sex": "female", "age_years": 52, "complaints": ["voiding_difficulty"],
         "hard_straining": True, "bowel_movements_per_week": 5},
        {"constipation", "overactive-floor"}, ("ontspanning",),
        {"advice-physio-overactive", "advice-toilet-habits"},
        held_back={"programme-no-strength-overactive"},
    ),
    Case(
        "bulge in the menopause: basic exercise, prolapse check, GP about local hormones",
        {"sex": "female", "age_years": 62, "complaints": ["pressure_bulge"],
         "complaint_duration": "over_6_months", "life_phases": ["menopause"]},
        {"prolapse-symptoms"}, ("basis",),
        {"advice-physio-long-complaints", "advice-prolapse-check", "advice-menopause-gp"},
    ),
    Case(
        "Belgium, first week after birth, no complaints (002)",
        {"sex": "female", "age_years": 31, "country": "BE", "life_phases": ["postpartum"],
         "weeks_since_birth": 0},
        set(), ("kracht-uithouding-coordinatie",),
        {"advice-postpartum-gentle-start", "advice-postnatal-physio",
         "advice-postnatal-belgium", "advice-no-electrostimulation"},
    ),
    Case(
        "Netherlands, 8 weeks after birth, leaking on effort: postpartum programme wins",
        {"sex": "female", "age_years": 33, "complaints": ["leak_effort"],
         "complaint_duration": "under_6_weeks", "life_phases": ["postpartum"],
         "weeks_since_birth": 8},
        {"stress-ui"}, ("kracht-uithouding-coordinatie",),
        {"advice-postnatal-physio", "advice-no-electrostimulation"},
    ),
    Case(
        "pregnant with leaking on effort: gentle basic exercise, no electrostimulation",
        {"sex": "female", "age_years": 29, "complaints": ["leak_effort"],
         "life_phases": ["pregnant"]},
        {"stress-ui"}, ("basis",), {"advice-no-electrostimulation"},
    ),
    Case(
        "after prostate treatment: Kegel variations and a physiotherapist (004)",
        {"sex": "male", "age_years": 67, "complaints": ["leak_effort"],
         "complaint_duration": "6_weeks_to_6_months",
         "life_phases": ["after_prostate_treatment"]},
        {"stress-ui"}, ("kegel-varianten",),
        {"advice-physio-long-complaints", "advice-physio-prostate"},
    ),
    Case(
        "man with a weak stream and trouble starting: relax, and the GP about the prostate",
        {"sex": "male", "age_years": 70, "complaints": ["voiding_difficulty"],
         "tense_signs": ["weak_or_interrupted_stream"]},
        {"overactive-floor"}, ("ontspanning",),
        {"advice-physio-overactive", "advice-toilet-habits", "advice-male-voiding-gp"},
        held_back={"programme-no-strength-overactive"},
    ),
    Case(
        "after pelvic surgery, no complaints: breathing and letting go, physio advice (000)",
        {"sex": "female", "age_years": 55, "life_phases": ["after_pelvic_surgery"]},
        set(), ("ontspanning",),
        {"advice-physio-surgery", "advice-no-electrostimulation"},
    ),
    Case(
        "runner leaking on effort: Kegel variations and breathing out on effort (004)",
        {"sex": "female", "age_years": 24, "complaints": ["leak_effort"],
         "life_phases": ["high_impact_sport"]},
        {"stress-ui"}, ("kegel-varianten",), {"advice-sport-pressure"},
    ),
    Case(
        "no complaints, no life phase: the basic exercise keeps the floor fit",
        {"sex": "male", "age_years": 40},
        set(), ("basis",), set(),
    ),
    Case(
        "trouble squeezing and a preference for guidance: physiotherapist (001)",
        {"sex": "female", "age_years": 47, "complaints": ["leak_effort"],
         "trouble_contracting_or_relaxing": True, "prefers_physiotherapist": True},
        {"stress-ui"}, ("basis",), {"advice-physio-trouble", "advice-physio-preference"},
    ),
    Case(
        "fever: seek care now, the plan waits (004)",
        {"sex": "female", "age_years": 50, "complaints": ["leak_effort"],
         "red_flags": ["fever"]},
        {"stress-ui"}, (), {"safety-red-flag"}, status="seek-care-first",
    ),
    Case(
        "urge in the menopause: bladder training, then the basic exercise (004)",
        {"sex": "female", "age_years": 58, "complaints": ["leak_urge"],
         "life_phases": ["menopause"]},
        {"urge-ui"}, ("blaastraining", "basis"), {"advice-menopause-gp"},
    ),
)  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_expected_classification_and_plan(case: Case) -> None:
    plan = build_plan(answers_from_mapping(case.answers), START)
    assert plan.status == case.status
    assert set(plan.classification.conditions) == case.conditions
    assert plan.programme_ids == case.programmes
    assert {a.hit.rule_id for a in plan.advice} == case.advice
    assert {h.rule_id for h in plan.held_back} == case.held_back


def _fired(case: Case) -> set[str]:
    return set(build_plan(answers_from_mapping(case.answers), START).rules_fired)


def test_every_rule_is_exercised_by_the_table() -> None:
    fired = set().union(*(_fired(c) for c in CASES))
    all_ids = {r.id for r in ALL_RULES}
    assert all_ids - fired == set(), "rules never exercised by CASES"
    assert fired <= all_ids


def test_rule_ids_are_unique_and_every_rule_cites_a_known_source() -> None:
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    for rule in ALL_RULES:
        assert rule.sources, rule.id
        for s in rule.sources:
            assert SOURCES[s.id] is s


def test_rule_tables_partition_all_rules() -> None:
    parts = (*SAFETY_RULES, *CLASSIFICATION_RULES, *PROGRAMME_RULES, *ADVICE_RULES)
    assert tuple(parts) == ALL_RULES


def test_programme_rules_name_only_training_programme_ids() -> None:
    for rule in PROGRAMME_RULES:
        assert rule.programme is None or rule.programme in PROGRAMME_IDS


def test_texts_never_use_diagnostic_wording() -> None:
    # Pelvio never diagnoses (product.md): no "you have ..." / "je hebt ..." conclusions.
    for rule in CLASSIFICATION_RULES:
        assert "diagnos" not in rule.reason.nl.lower() + rule.reason.en.lower()
    from pelvio.pathway import CONDITIONS

    for title in CONDITIONS.values():
        assert title.nl.startswith(("Past bij", "Wijst mogelijk op")), title.nl
        assert title.en.startswith(("Fits", "May point to")), title.en


def test_postnatal_physio_is_due_six_weeks_after_birth() -> None:
    # Leaflet 002: postnatal physiotherapy from six weeks after birth.
    answers = answers_from_mapping(
        {"sex": "female", "age_years": 30, "life_phases": ["postpartum"], "weeks_since_birth": 2}
    )
    plan = build_plan(answers, START)
    due = {a.hit.rule_id: a.due for a in plan.advice}
    assert due["advice-postnatal-physio"] == START + dt.timedelta(weeks=4)
    assert plan.advice_due(START) == tuple(
        a for a in plan.advice if a.hit.rule_id != "advice-postnatal-physio"
    )
    assert any(
        a.hit.rule_id == "advice-postnatal-physio"
        for a in plan.advice_due(START + dt.timedelta(weeks=4))
    )


def test_evidence_quotes_the_answers_that_led_to_a_finding() -> None:
    answers = answers_from_mapping(
        {"sex": "female", "age_years": 40, "bowel_movements_per_week": 1, "hard_straining": True}
    )
    (finding,) = classify(answers).findings
    assert finding.condition == "constipation"
    assert [e.en for e in finding.hit.evidence] == [
        "Bowel movements a week: 1.",
        "You often strain hard to pass stools.",
    ]


def test_constipation_threshold_is_fewer_than_three_a_week() -> None:
    # Leaflet 003: fewer than three bowel movements a week.
    def conditions(n: int) -> frozenset[str]:
        a = answers_from_mapping({"sex": "male", "age_years": 40, "bowel_movements_per_week": n})
        return frozenset(classify(a).conditions)

    assert "constipation" in conditions(2)
    assert "constipation" not in conditions(3)
    assert "constipation" in conditions(0)
