"""Properties over random intake answers (Hypothesis).

* Any red flag, whatever else is answered, gives the seek-care advice in Dutch and English,
  puts the plan on hold, and shows in the JSON and text explanations (leaflet 004).
* Without a red flag there is always at least one programme, and relaxation comes first
  whenever a too-tense floor is suspected; with such a floor and no leaking on effort or
  prolapse there is no strengthening at all (clinical.md section 2; 003, 004).
* A check-in with a red flag is always ``seek-care-now``; every check-in has exactly one of the
  four outcomes.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.pathway import (
    CHECKIN_OUTCOMES,
    SEEK_CARE_TEXT,
    CheckinAnswers,
    DiarySummary,
    IntakeAnswers,
    answers_from_mapping,
    answers_to_mapping,
    build_plan,
    evaluate_checkin,
    explain,
    explain_text,
)
from pelvio.pathway.checkin import FOLLOW_UP_POINTS
from pelvio.pathway.intake import (
    COMPLAINTS,
    DURATIONS,
    LIFE_PHASES,
    RED_FLAGS,
    SEXES,
    TENSE_SIGNS,
    describe_evidence,
)
from pelvio.pathway.rules import CONDITION_IDS

T = TypeVar("T")
START = dt.date(2026, 5, 4)
STRENGTH = {"basis", "kracht-uithouding-coordinatie", "kegel-varianten"}


def _subset(values: tuple[T, ...], *, min_size: int = 0) -> st.SearchStrategy[frozenset[T]]:
    return st.frozensets(st.sampled_from(values), min_size=min_size)


@st.composite
def intake_answers(draw: st.DrawFn, *, red_flag: bool | None = None) -> IntakeAnswers:
    sex = draw(st.sampled_from(SEXES))
    phases = set(draw(_subset(LIFE_PHASES)))
    if sex == "male":
        phases -= {"pregnant", "postpartum", "menopause"}
    if sex == "female":
        phases.discard("after_prostate_treatment")
    complaints = draw(_subset(COMPLAINTS))
    if red_flag is None:
        flags = draw(_subset(RED_FLAGS))
    else:
        flags = draw(_subset(RED_FLAGS, min_size=1)) if red_flag else frozenset()
    return IntakeAnswers(
        sex=sex,
        age_years=draw(st.integers(12, 120)),
        country=draw(st.sampled_from(("NL", "BE"))),
        complaints=complaints,
        complaint_duration=draw(st.none() | st.sampled_from(DURATIONS)) if complaints else None,
        red_flags=flags,
        life_phases=frozenset(phases),
        weeks_since_birth=draw(st.integers(0, 104)) if "postpartum" in phases else None,
        tense_signs=draw(_subset(TENSE_SIGNS)),
        bowel_movements_per_week=draw(st.none() | st.integers(0, 70)),
        hard_straining=draw(st.booleans()),
        trouble_contracting_or_relaxing=draw(st.booleans()),
        prefers_physiotherapist=draw(st.booleans()),
    )


@settings(deadline=None, max_examples=150)
@given(intake_answers(red_flag=True))
def test_every_red_flag_always_gives_the_seek_care_advice(answers: IntakeAnswers) -> None:
    plan = build_plan(answers, START)
    assert plan.status == "seek-care-first"
    assert plan.programmes == () and plan.schedule == () and plan.reminders == ()
    (advice,) = plan.advice
    assert advice.kind == "seek-care-now"
    assert advice.text == SEEK_CARE_TEXT
    flags = {describe_evidence(f"red_flags={flag}") for flag in answers.red_flags}
    assert set(advice.hit.evidence) == flags
    doc = explain(answers, START)
    assert doc["seek_care_now"]["text"] == SEEK_CARE_TEXT.as_dict()
    assert doc["status"] == "seek-care-first"
    assert SEEK_CARE_TEXT.nl in explain_text(doc, "nl")
    assert SEEK_CARE_TEXT.en in explain_text(doc, "en")


@settings(deadline=None, max_examples=150)
@given(intake_answers(red_flag=False))
def test_without_red_flag_the_plan_is_ready_and_relaxation_comes_first(
    answers: IntakeAnswers,
) -> None:
    plan = build_plan(answers, START)
    assert plan.status == "ready"
    assert plan.classification.seek_care_now is None
    assert all(a.kind != "seek-care-now" for a in plan.advice)
    assert plan.programmes, "every plan without a red flag has a programme"
    assert [p.order for p in plan.programmes] == list(range(1, len(plan.programmes) + 1))
    assert len(set(plan.programme_ids)) == len(plan.programme_ids)
    conditions = plan.classification.conditions
    if "overactive-floor" in conditions:
        assert plan.programme_ids[0] == "ontspanning"
        if not conditions & {"stress-ui", "mixed-ui", "prolapse-symptoms"}:
            assert not STRENGTH & set(plan.programme_ids)
        assert plan.physiotherapist_advised
    if conditions & {"urge-ui", "mixed-ui"}:
        assert "blaastraining" in plan.programme_ids
    assert [c.id for c in plan.schedule] == ["baseline", "2w", "6w", "3m"]
    assert plan.articles[0] == "bekkenbodem" and plan.articles[-1] == "wanneer-hulp"


@settings(deadline=None, max_examples=100)
@given(intake_answers())
def test_answers_round_trip_through_json(answers: IntakeAnswers) -> None:
    assert answers_from_mapping(answers_to_mapping(answers)) == answers


_counts = st.none() | st.floats(0, 30, allow_nan=False)
diaries = st.none() | st.builds(DiarySummary, _counts, _counts, _counts, _counts)


@st.composite
def checkins(draw: st.DrawFn, *, red_flag: bool | None = None) -> CheckinAnswers:
    if red_flag is None:
        flags = draw(_subset(RED_FLAGS))
    else:
        flags = draw(_subset(RED_FLAGS, min_size=1)) if red_flag else frozenset()
    return CheckinAnswers(
        point=draw(st.sampled_from(FOLLOW_UP_POINTS)),
        pgi_i=draw(st.integers(1, 7)),
        iciq_ui_sf_total=draw(st.none() | st.integers(0, 21)),
        baseline_iciq_ui_sf_total=draw(st.none() | st.integers(0, 21)),
        diary=draw(diaries),
        baseline_diary=draw(diaries),
        red_flags=flags,
        trouble_contracting_or_relaxing=draw(st.booleans()),
        prefers_physiotherapist=draw(st.booleans()),
        treated_conditions=draw(_subset(CONDITION_IDS)),
    )


@settings(deadline=None, max_examples=200)
@given(checkins(red_flag=True))
def test_red_flag_at_a_checkin_overrides_everything(checkin: CheckinAnswers) -> None:
    result = evaluate_checkin(checkin)
    assert result.outcome == "seek-care-now"
    assert result.reason == SEEK_CARE_TEXT
    assert result.notes == ()


@settings(deadline=None, max_examples=300)
@given(checkins(red_flag=False))
def test_every_checkin_has_one_of_the_three_outcomes(checkin: CheckinAnswers) -> None:
    result = evaluate_checkin(checkin)
    assert result.outcome in CHECKIN_OUTCOMES
    assert result.outcome != "seek-care-now"
    assert result.sources
    if checkin.point == "2w" and not (
        result.progress.worse
        or checkin.trouble_contracting_or_relaxing
        or checkin.prefers_physiotherapist
    ):
        assert result.outcome == "continue"
    if checkin.point == "3m" and result.outcome == "continue":
        assert result.progress.enough_improved
