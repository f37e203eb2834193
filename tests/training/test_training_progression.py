"""Progression: the step-up rule, its reasons, and bounds that hold for any history."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.errors import InputError
from pelvio.training import (
    PROGRAMME_IDS,
    PROGRAMMES,
    ProgressionDecision,
    ProgressionRule,
    SessionLogEntry,
    assess_progression,
    build_timeline,
)

AMS = ZoneInfo("Europe/Amsterdam")
START = dt.date(2025, 3, 3)


def _day_of_sessions(
    day: dt.date, programme: str, level: int, n: int = 3, felt: bool | None = True
) -> list[SessionLogEntry]:
    return [
        SessionLogEntry(
            dt.datetime.combine(day, dt.time(8 + 5 * i), tzinfo=AMS), programme, level, True, felt
        )
        for i in range(n)
    ]


def _days(
    programme: str, level: int, count: int, n: int = 3, felt: bool | None = True
) -> list[SessionLogEntry]:
    entries: list[SessionLogEntry] = []
    for offset in range(count):
        entries += _day_of_sessions(START + dt.timedelta(days=offset), programme, level, n, felt)
    return entries


def _assess(
    programme: str,
    level: int,
    entries: list[SessionLogEntry],
    today_offset: int,
    **options: Any,
) -> ProgressionDecision:
    """Assess on day ``START + today_offset`` for a level held since ``START``."""
    today = START + dt.timedelta(days=today_offset)
    return assess_progression(programme, level, entries, level_since=START, today=today, **options)


def test_seven_good_days_step_up_one_level_with_a_reason() -> None:
    entries = _days("kracht-uithouding-coordinatie", 1, 7)
    decision = _assess("kracht-uithouding-coordinatie", 1, entries, 6)
    assert decision.stepped_up and decision.level == 2
    assert decision.qualifying_days == 7
    assert "7 dagen op rij" in decision.reason.nl and "niveau 2" in decision.reason.nl
    assert "4 tellen" in decision.reason.nl  # what changes: the 3 s hold becomes 4 s (leaflet 002)
    assert "7 days in a row" in decision.reason.en
    assert decision.advice is None


def test_six_good_days_are_not_enough_and_say_how_many_are_left() -> None:
    entries = _days("basis", 1, 6)
    decision = _assess("basis", 1, entries, 5)
    assert not decision.stepped_up
    assert "Nog 1 dag op rij" in decision.reason.nl
    assert decision.reason.en.startswith("1 more day in a row")


def test_today_still_open_does_not_break_the_run() -> None:
    """Seven good days up to yesterday; nothing yet today: still a step up."""
    entries = _days("basis", 1, 7)
    decision = _assess("basis", 1, entries, 7)
    assert decision.stepped_up


def test_a_gap_restarts_the_count() -> None:
    entries = _days("basis", 1, 3) + [
        e
        for offset in range(4, 8)
        for e in _day_of_sessions(START + dt.timedelta(days=offset), "basis", 1)
    ]
    decision = _assess("basis", 1, entries, 7)
    assert decision.qualifying_days == 4 and not decision.stepped_up


def test_too_few_sessions_or_an_unanswered_question_do_not_qualify() -> None:
    few = _days("basis", 1, 7, n=2)
    unanswered = _days("basis", 1, 7, felt=None)
    for entries in (few, unanswered):
        decision = _assess("basis", 1, entries, 6)
        assert decision.qualifying_days == 0


def test_sessions_at_another_level_or_before_level_since_do_not_count() -> None:
    entries = _days("basis", 2, 7)
    decision = _assess("basis", 1, entries, 6)
    assert decision.qualifying_days == 0
    entries = _days("basis", 1, 7)
    later = START + dt.timedelta(days=3)
    decision = assess_progression(
        "basis", 1, entries, level_since=later, today=START + dt.timedelta(days=6)
    )
    assert decision.qualifying_days == 4


def test_not_feeling_it_on_three_days_advises_a_physiotherapist() -> None:
    """Leaflet 001: trouble squeezing or letting go is a reason for a pelvic physiotherapist."""
    entries = _days("basis", 1, 7)
    for offset in (4, 5, 6):
        entries += _day_of_sessions(START + dt.timedelta(days=offset), "basis", 1, n=1, felt=False)
    decision = _assess("basis", 1, entries, 6)
    assert not decision.stepped_up
    assert decision.advice is not None
    assert "bekkenfysiotherapeut" in decision.advice.nl
    assert "pelvic physiotherapist" in decision.advice.en


def test_top_level_stays_and_says_so() -> None:
    top = PROGRAMMES["kegel-varianten"].max_level
    entries = _days("kegel-varianten", top, 10)
    decision = _assess("kegel-varianten", top, entries, 9)
    assert decision.level == top and "hoogste niveau" in decision.reason.nl


def test_bladder_training_grows_by_week_not_by_level() -> None:
    decision = _assess("blaastraining", 1, [], 0)
    assert decision.level == 1 and "per week" in decision.reason.nl


def test_a_shorter_rule_is_honoured() -> None:
    entries = _days("basis", 1, 3)
    decision = _assess("basis", 1, entries, 2, rule=ProgressionRule(days_required=3))
    assert decision.stepped_up


def test_bad_inputs() -> None:
    with pytest.raises(InputError, match=r"\[1, 4\]"):
        _assess("basis", 5, [], 0)
    with pytest.raises(InputError, match="today must be a calendar date"):
        assess_progression("basis", 1, [], level_since=START, today="2025-03-03")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="days_required must lie in"):
        ProgressionRule(days_required=0)
    with pytest.raises(InputError, match="timezone must be an IANA"):
        _assess("basis", 1, _days("basis", 1, 1), 0, timezone="Nowhere/X")


_LEVELS = [(p, n) for p in PROGRAMME_IDS for n in range(1, PROGRAMMES[p].max_level + 1)]


@settings(deadline=None, max_examples=80)
@given(
    pair=st.sampled_from(_LEVELS),
    pattern=st.lists(
        st.tuples(st.integers(min_value=0, max_value=4), st.sampled_from([True, False, None])),
        max_size=21,
    ),
)
def test_progression_never_leaves_the_bounds(
    pair: tuple[str, int], pattern: list[tuple[int, bool | None]]
) -> None:
    """Whatever the history: at most one level up, never past the top, and the new level keeps
    the published limits (holds 3-10 s, leaflet 002; 3-5 s with relax 2 x hold, leaflet 004;
    8-12 strength squeezes, Bø 2022) and never adds squeezes to ``ontspanning``."""
    programme_id, level = pair
    entries: list[SessionLogEntry] = []
    for offset, (n, felt) in enumerate(pattern):
        entries += _day_of_sessions(
            START + dt.timedelta(days=offset), programme_id, level, n=n, felt=felt
        )
    today = START + dt.timedelta(days=max(len(pattern) - 1, 0))
    decision = assess_progression(programme_id, level, entries, level_since=START, today=today)
    programme = PROGRAMMES[programme_id]
    assert level <= decision.level <= min(level + 1, programme.max_level)
    cues = build_timeline(programme, decision.level).cues
    if programme_id == "ontspanning":
        assert {c.action for c in cues} <= {"breathe", "relax", "rest"}
    if programme_id == "kracht-uithouding-coordinatie":
        endurance = [c.duration_s for c in cues if c.action == "contract" and c.target < 1]
        strength = [c for c in cues if c.action == "contract" and c.target == 1]
        assert all(3 <= s <= 10 for s in endurance) and 8 <= len(strength) <= 12
    if programme_id == "kegel-varianten":
        for before, after in itertools.pairwise(cues):
            if before.action == "contract":
                assert 3 <= before.duration_s <= 5 and after.duration_s == 2 * before.duration_s
