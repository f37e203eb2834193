"""The bladder-training schedule: intervals that grow week by week, within their limits."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.errors import InputError
from pelvio.training import (
    DEFAULT_VOIDING_SCHEDULE,
    VoidingSchedule,
    voiding_interval_min,
    voiding_times,
    weeks_to_target,
)


def test_default_schedule_grows_a_quarter_hour_a_week_to_three_hours() -> None:
    """Our defaults (docs/training.md): 60 min, +15 min a week, stop at 180 min."""
    intervals = [voiding_interval_min(DEFAULT_VOIDING_SCHEDULE, week) for week in range(1, 12)]
    assert intervals == [60, 75, 90, 105, 120, 135, 150, 165, 180, 180, 180]
    assert weeks_to_target(DEFAULT_VOIDING_SCHEDULE) == 9


def test_a_personal_schedule_from_the_diary() -> None:
    schedule = VoidingSchedule(
        start_interval_min=45, increase_min_per_week=30, target_interval_min=200
    )
    assert [voiding_interval_min(schedule, w) for w in (1, 2, 6, 7, 8)] == [45, 75, 195, 200, 200]
    assert weeks_to_target(schedule) == 7


def test_voiding_times_of_a_day() -> None:
    times = voiding_times(DEFAULT_VOIDING_SCHEDULE, 5, wake=dt.time(7, 0), bed=dt.time(23, 0))
    assert times == tuple(dt.time(h) for h in range(7, 23, 2))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start_interval_min": 10}, "start_interval_min must lie in"),
        ({"increase_min_per_week": 60}, "increase_min_per_week must lie in"),
        ({"target_interval_min": 300}, "target_interval_min must lie in"),
        ({"start_interval_min": 120, "target_interval_min": 90}, "target_interval_min must lie in"),
        ({"start_interval_min": 60.5}, "must be a whole number"),
    ],
)
def test_bad_schedules_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        VoidingSchedule(**kwargs)  # type: ignore[arg-type]


def test_bad_weeks_and_times() -> None:
    with pytest.raises(InputError, match="week must lie in"):
        voiding_interval_min(DEFAULT_VOIDING_SCHEDULE, 0)
    with pytest.raises(InputError, match=r"bed .* must come after wake"):
        voiding_times(DEFAULT_VOIDING_SCHEDULE, 1, wake=dt.time(8), bed=dt.time(8))
    with pytest.raises(InputError, match="wake must be a local time"):
        voiding_times(DEFAULT_VOIDING_SCHEDULE, 1, wake=dt.time(8, tzinfo=dt.UTC), bed=dt.time(22))


@settings(deadline=None, max_examples=60)
@given(
    start=st.integers(min_value=15, max_value=240),
    step=st.integers(min_value=5, max_value=30),
    extra=st.integers(min_value=0, max_value=240),
    week=st.integers(min_value=1, max_value=200),
)
def test_interval_never_shrinks_and_never_exceeds_four_hours(
    start: int, step: int, extra: int, week: int
) -> None:
    schedule = VoidingSchedule(start, step, min(start + extra, 240))
    now, later = voiding_interval_min(schedule, week), voiding_interval_min(schedule, week + 1)
    assert start <= now <= later <= schedule.target_interval_min <= 240
    assert later - now <= step
