"""Bowel diary summary and the Rome IV functional constipation check.

Oracle: the Rome IV criteria for functional constipation (Lacy et al., Gastroenterology
2016;150:1393; clinical.md §5) and the Bristol stool form scale (Lewis & Heaton 1997). The
diaries below are built so each criterion is clearly in or out; counts are worked by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pelvio.diary import (
    Bowel,
    Event,
    RomeIVAnswers,
    Void,
    bowel_summary,
    rome_iv_check,
)
from pelvio.errors import InputError

START = date(2025, 6, 2)
YES = RomeIVAnswers(symptoms_3_months=True, onset_6_months=True, pain_with_bowel=False)


def at(day: int, hour: int = 9) -> datetime:
    d = START + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def week(*movements: Bowel) -> list[Event]:
    """A 7-day diary: a void on the first and the last day, plus ``movements``."""
    return [Void(time=at(0, 7), urgency=0), Void(time=at(6, 22), urgency=0), *movements]


def codes(check: object) -> list[str]:
    return [r.code for r in check.reasons]  # type: ignore[attr-defined]


def test_summary_counts_forms_flags_and_weekly_frequency() -> None:
    events = week(
        Bowel(time=at(0), bristol=1, straining=True),
        Bowel(time=at(2), bristol=2, straining=True, incomplete=True),
        Bowel(time=at(4), bristol=4, blockage=True),
        Bowel(time=at(6), bristol=7, laxative=True, manual=True),
    )
    s = bowel_summary(events)
    assert s.days == 7
    assert (s.movements, s.spontaneous) == (4, 3)
    assert s.per_week == 4.0
    assert s.spontaneous_per_week == 3.0
    assert s.bristol_counts == (1, 1, 0, 1, 0, 0, 1)
    assert s.hard_pct == 50.0
    assert s.loose_pct == 0.0  # the Bristol 7 followed a laxative
    assert s.straining_pct == 50.0
    assert s.incomplete_pct == 25.0
    assert s.blockage_pct == 25.0
    assert s.manual_pct == 25.0


def test_days_are_calendar_days_or_given() -> None:
    events: list[Event] = [
        Bowel(time=datetime(2025, 6, 2, 23, 0, tzinfo=UTC), bristol=4),
        Bowel(time=datetime(2025, 6, 3, 1, 0, tzinfo=UTC), bristol=4),
    ]
    assert bowel_summary(events).days == 2
    assert bowel_summary(events, days=14).per_week == 1.0


def test_hard_straining_and_few_movements_meet_the_criteria() -> None:
    # 2 movements in 7 days (< 3 a week), both Bristol 1–2 and with straining: 3 of 6 items.
    events = week(
        Bowel(time=at(1), bristol=1, straining=True),
        Bowel(time=at(5), bristol=2, straining=True),
    )
    check = rome_iv_check(events, YES)
    assert check.status == "met"
    met = {c.key: c.met for c in check.criteria}
    assert met == {
        "straining": True,
        "hard_stools": True,
        "incomplete": False,
        "blockage": False,
        "manual": False,
        "few_movements": True,
    }
    assert "not a diagnosis" in check.advice_en
    assert "geen diagnose" in check.advice_nl
    assert "GP" in check.advice_en and "huisarts" in check.advice_nl
    assert any("Rome IV" in source for source in check.sources)


def test_a_quarter_exactly_is_not_more_than_a_quarter() -> None:
    # 4 movements a week (not few); straining and hard stools in exactly 1 of 4 = 25 %.
    events = week(
        Bowel(time=at(0), bristol=2, straining=True),
        Bowel(time=at(2), bristol=4),
        Bowel(time=at(4), bristol=4),
        Bowel(time=at(6), bristol=4),
    )
    check = rome_iv_check(events, YES)
    assert check.status == "not_met"
    assert "fewer_than_two_items" in codes(check)
    assert all(c.met is False for c in check.criteria)


def test_three_spontaneous_movements_a_week_is_not_few() -> None:
    events = week(*(Bowel(time=at(day), bristol=4) for day in (0, 3, 6)))
    few = next(c for c in rome_iv_check(events, YES).criteria if c.key == "few_movements")
    assert few.met is False
    assert few.observed == 3.0


def test_laxative_movements_are_not_spontaneous() -> None:
    events = week(*(Bowel(time=at(day), bristol=4, laxative=True) for day in (0, 2, 4, 6)))
    few = next(c for c in rome_iv_check(events, YES).criteria if c.key == "few_movements")
    assert few.met is True
    assert few.observed == 0.0


def test_loose_stools_without_laxatives_rule_it_out() -> None:
    events = week(
        Bowel(time=at(0), bristol=1, straining=True),
        Bowel(time=at(3), bristol=7),
    )
    check = rome_iv_check(events, YES)
    assert check.status == "not_met"
    assert "loose_stools_not_rare" in codes(check)


def test_weekly_belly_pain_with_bowel_movements_rules_it_out() -> None:
    events = week(Bowel(time=at(1), bristol=1, straining=True))
    answers = RomeIVAnswers(symptoms_3_months=True, onset_6_months=True, pain_with_bowel=True)
    check = rome_iv_check(events, answers)
    assert check.status == "not_met"
    assert codes(check) == ["pain_with_bowel"]


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        (
            RomeIVAnswers(symptoms_3_months=False, onset_6_months=True, pain_with_bowel=False),
            "not_3_months",
        ),
        (
            RomeIVAnswers(symptoms_3_months=True, onset_6_months=False, pain_with_bowel=False),
            "onset_under_6_months",
        ),
    ],
)
def test_duration_and_onset_answers(answers: RomeIVAnswers, code: str) -> None:
    events = week(Bowel(time=at(1), bristol=1, straining=True))
    check = rome_iv_check(events, answers)
    assert check.status == "not_met"
    assert codes(check) == [code]


def test_unanswered_questions_mean_not_enough_data() -> None:
    events = week(Bowel(time=at(1), bristol=1, straining=True))
    check = rome_iv_check(events)
    assert check.status == "not_enough_data"
    assert codes(check) == [
        "unanswered_symptoms_3_months",
        "unanswered_onset_6_months",
        "unanswered_pain_with_bowel",
    ]


def test_a_diary_shorter_than_a_week_is_not_enough() -> None:
    events: list[Event] = [Bowel(time=at(day), bristol=1, straining=True) for day in range(3)]
    check = rome_iv_check(events, YES)
    assert check.status == "not_enough_data"
    assert codes(check) == ["diary_too_short"]
    assert all(c.met is None for c in check.criteria)
    assert check.criteria[0].observed == 100.0  # still shown


def test_a_week_without_any_movement_is_not_enough_to_judge_the_stools() -> None:
    check = rome_iv_check(week(), YES)
    assert check.status == "not_enough_data"
    assert codes(check) == ["too_few_movements"]
    assert [c.met for c in check.criteria] == [None, None, None, None, None, True]


def test_every_reason_and_advice_exists_in_both_languages() -> None:
    for events, answers in [
        (week(), None),
        (week(Bowel(time=at(1), bristol=7)), YES),
        (week(Bowel(time=at(1), bristol=1, straining=True)), YES),
    ]:
        check = rome_iv_check(events, answers)
        assert check.advice_nl and check.advice_en
        for reason in check.reasons:
            assert reason.nl and reason.en and reason.nl != reason.en
        for criterion in check.criteria:
            assert criterion.nl and criterion.en


def test_degenerate_inputs() -> None:
    with pytest.raises(InputError, match="days"):
        bowel_summary([])
    with pytest.raises(InputError, match="days"):
        bowel_summary(week(), days=0)
    with pytest.raises(InputError, match="answers"):
        rome_iv_check(week(), {"symptoms_3_months": True})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="pain_with_bowel"):
        RomeIVAnswers(pain_with_bowel="no")  # type: ignore[arg-type]
    empty = bowel_summary([], days=7)
    assert empty.movements == 0
    assert empty.hard_pct is None
