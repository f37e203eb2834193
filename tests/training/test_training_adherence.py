"""Adherence per local calendar day: midnight, both DST changes in Europe/Amsterdam, streaks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.errors import InputError
from pelvio.training import (
    SessionLogEntry,
    TrainingPlan,
    count_adherence,
    day_bounds,
    local_date,
    week_view,
)

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def _at(day: dt.date, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    """A moment on the Amsterdam wall clock, returned in UTC as storage would hold it."""
    return dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=AMS).astimezone(UTC)


def _entry(
    moment: dt.datetime, *, completed: bool = True, programme: str = "basis"
) -> SessionLogEntry:
    return SessionLogEntry(moment, programme, 1, completed, True)


def _plan(start: dt.date, per_day: int = 3) -> TrainingPlan:
    return TrainingPlan("basis", per_day, start, "Europe/Amsterdam")


def test_2359_and_0001_local_fall_on_different_days() -> None:
    """Two minutes apart, but on two calendar days in Amsterdam (and both on one UTC day)."""
    d1, d2 = dt.date(2025, 1, 14), dt.date(2025, 1, 15)
    late, early = _at(d1, 23, 59), _at(d2, 0, 1)
    assert late.date() == early.date() == d1  # the same UTC day: 22:59Z and 23:01Z
    report = count_adherence([_entry(late), _entry(early)], _plan(d1, 1), today=d2)
    assert [(d.date, d.completed) for d in report.days] == [(d1, 1), (d2, 1)]
    assert report.current_streak_days == 2


def test_summer_midnight_uses_the_summer_offset() -> None:
    """In summer Amsterdam is UTC+2: 22:30Z is 00:30 the next local day."""
    moment = dt.datetime(2025, 7, 1, 22, 30, tzinfo=UTC)
    assert local_date(moment, "Europe/Amsterdam") == dt.date(2025, 7, 2)
    assert local_date(moment, "UTC") == dt.date(2025, 7, 1)


def test_spring_forward_day_has_23_hours_and_counts_as_one_day() -> None:
    """Last Sunday of March 2025 (30 March): clocks go 02:00 -> 03:00; the day has 23 h."""
    day = dt.date(2025, 3, 30)
    start, end = day_bounds(day, "Europe/Amsterdam")
    assert end - start == dt.timedelta(hours=23)
    sessions = [_at(day, 0, 5), _at(day, 3, 0), _at(day, 23, 55)]
    report = count_adherence(map(_entry, sessions), _plan(day), today=day)
    assert report.day(day).completed == 3
    assert report.day(day).status == "done"
    # Just before and after the edges of that day fall on the neighbours.
    before = count_adherence(
        [_entry(start - dt.timedelta(minutes=1))], _plan(dt.date(2025, 3, 29)), today=day
    )
    assert before.day(dt.date(2025, 3, 29)).completed == 1
    assert before.day(day).completed == 0
    after = count_adherence([_entry(end)], _plan(day), today=dt.date(2025, 3, 31))
    assert after.day(dt.date(2025, 3, 31)).completed == 1


def test_fall_back_day_has_25_hours_and_the_repeated_hour_counts_once_per_session() -> None:
    """Last Sunday of October 2025 (26 October): 02:30 happens twice; the day has 25 h."""
    day = dt.date(2025, 10, 26)
    start, end = day_bounds(day, "Europe/Amsterdam")
    assert end - start == dt.timedelta(hours=25)
    first, second = _at(day, 2, 30, fold=0), _at(day, 2, 30, fold=1)
    assert second - first == dt.timedelta(hours=1)
    late = _at(day, 23, 59)
    report = count_adherence(map(_entry, [first, second, late]), _plan(day), today=day)
    assert report.day(day).completed == 3
    assert report.days == (report.day(day),)


def test_a_week_across_a_dst_change_has_seven_days_each_counted_once() -> None:
    """The ISO week of the October 2025 change (Mon 20 to Sun 26 Oct) holds seven days."""
    monday = dt.date(2025, 10, 20)
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    sessions = [_at(d, h) for d in days for h in (8, 13, 20)]
    report = count_adherence(map(_entry, sessions), _plan(monday), today=days[-1])
    week = week_view(report, dt.date(2025, 10, 23))
    assert [d.date for d in week] == days
    assert [d.completed for d in week] == [3] * 7
    assert report.percentage == pytest.approx(100.0)
    assert report.current_streak_days == report.longest_streak_days == 7


def test_streaks_percentage_and_statuses() -> None:
    start = dt.date(2025, 2, 3)  # a Monday
    done = {0: 3, 1: 3, 2: 1, 3: 0, 4: 3, 5: 4, 6: 2}  # day offset -> sessions completed
    sessions = [_at(start + dt.timedelta(days=o), 8 + i) for o, n in done.items() for i in range(n)]
    today = start + dt.timedelta(days=6)
    report = count_adherence(map(_entry, sessions), _plan(start), today=today)
    assert [d.status for d in report.days] == [
        "done",
        "done",
        "partial",
        "missed",
        "done",
        "done",
        "open",
    ]
    # Today (2 of 3) is still open, so it neither breaks the streak nor counts yet.
    assert report.current_streak_days == 2
    assert report.longest_streak_days == 2
    # Six days over: planned 18; counted 3 + 3 + 1 + 0 + 3 + 3 (the 4th session caps at 3) = 13.
    assert report.percentage == pytest.approx(100 * 13 / 18)


def test_a_completed_today_counts_and_extends_the_streak() -> None:
    start = dt.date(2025, 2, 3)
    sessions = [_at(start + dt.timedelta(days=o), h) for o in (0, 1) for h in (8, 13, 20)]
    report = count_adherence(
        map(_entry, sessions), _plan(start), today=start + dt.timedelta(days=1)
    )
    assert report.current_streak_days == 2
    assert report.percentage == pytest.approx(100.0)


def test_a_missed_yesterday_ends_the_current_streak() -> None:
    start = dt.date(2025, 2, 3)
    sessions = [_at(start, h) for h in (8, 13, 20)]
    report = count_adherence(
        map(_entry, sessions), _plan(start), today=start + dt.timedelta(days=2)
    )
    assert report.current_streak_days == 0
    assert report.longest_streak_days == 1


def test_only_completed_sessions_of_the_planned_programme_in_range_count() -> None:
    start = dt.date(2025, 2, 3)
    today = start + dt.timedelta(days=1)
    entries = [
        _entry(_at(start, 8), completed=False),
        _entry(_at(start, 9), programme="ontspanning"),
        _entry(_at(start - dt.timedelta(days=1), 9)),
        _entry(_at(today + dt.timedelta(days=1), 9)),
        _entry(_at(start, 10)),
    ]
    report = count_adherence(entries, _plan(start, 1), today=today)
    assert [d.completed for d in report.days] == [1, 0]


def test_week_view_outside_the_plan_marks_days_before_start_and_future() -> None:
    start = dt.date(2025, 2, 5)  # a Wednesday
    report = count_adherence([], _plan(start), today=dt.date(2025, 2, 6))
    statuses = [d.status for d in week_view(report, start)]
    assert statuses == [
        "before-start",
        "before-start",
        "missed",
        "open",
        "future",
        "future",
        "future",
    ]
    assert all(d.planned == 0 for d in week_view(report, start)[:2])


def test_plan_starting_today_has_no_percentage_yet() -> None:
    day = dt.date(2025, 2, 5)
    report = count_adherence([], _plan(day), today=day)
    assert report.percentage is None
    assert report.current_streak_days == report.longest_streak_days == 0


def test_today_before_the_start_gives_an_empty_report() -> None:
    report = count_adherence([], _plan(dt.date(2025, 2, 5)), today=dt.date(2025, 2, 1))
    assert report.days == () and report.percentage is None


def test_naive_datetimes_and_bad_zones_are_refused() -> None:
    with pytest.raises(InputError, match="started_at must be time-zone aware"):
        SessionLogEntry(dt.datetime(2025, 1, 1, 8), "basis", 1, True)  # noqa: DTZ001
    with pytest.raises(InputError, match="timezone must be an IANA time zone"):
        TrainingPlan("basis", 3, dt.date(2025, 1, 1), "Mars/Olympus")
    with pytest.raises(InputError, match="sessions_per_day must lie in"):
        TrainingPlan("basis", 0, dt.date(2025, 1, 1))
    with pytest.raises(InputError, match="today must be a calendar date"):
        count_adherence([], _plan(dt.date(2025, 1, 1)), today=dt.datetime(2025, 1, 2, tzinfo=UTC))
    with pytest.raises(InputError, match="level must lie in"):
        SessionLogEntry(dt.datetime(2025, 1, 1, 8, tzinfo=UTC), "basis", 0, True)
    with pytest.raises(InputError, match="felt_squeeze_and_release must be bool"):
        SessionLogEntry(dt.datetime(2025, 1, 1, 8, tzinfo=UTC), "basis", 1, True, "yes")  # type: ignore[arg-type]


@settings(deadline=None, max_examples=50)
@given(
    # Up to 8 April 23:59 local: 20 days minus the hour lost on 30 March.
    offsets_min=st.lists(st.integers(min_value=0, max_value=60 * (24 * 20 - 1) - 1), max_size=80),
    per_day=st.integers(min_value=1, max_value=4),
)
def test_properties_over_random_logs(offsets_min: list[int], per_day: int) -> None:
    """Around the March 2025 change: counts add up, percentage in [0, 100], streaks ordered."""
    start = dt.date(2025, 3, 20)
    origin = dt.datetime.combine(start, dt.time(0), tzinfo=AMS).astimezone(UTC)
    moments = [origin + dt.timedelta(minutes=m) for m in offsets_min]
    today = dt.date(2025, 4, 8)
    report = count_adherence(map(_entry, moments), _plan(start, per_day), today=today)
    assert len(report.days) == (today - start).days + 1
    assert sum(d.completed for d in report.days) == len(moments)
    assert report.percentage is None or 0.0 <= report.percentage <= 100.0
    assert 0 <= report.current_streak_days <= report.longest_streak_days <= len(report.days)
