"""Bladder training as a schedule: set voiding times whose interval grows week by week.

The NHG-Standaard M46 (2015) names bladder training as the first step for urgency
incontinence (clinical.md §1). The guideline leaves the numbers to the GP or physiotherapist;
the defaults here are our choice and must be shown as such:

* start at the person's usual interval (from the bladder diary), 60 min if unknown;
* add 15 min a week (published patient guidance uses 5, 10, 15 or 30 min a week);
* stop growing at 3 h; never plan more than 4 h, because holding urine much longer than that
  is not advised either.

The routine to use when an urge comes early is the programme ``blaastraining`` in
:mod:`pelvio.training.programmes`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from pelvio._check import check_int, check_type
from pelvio.errors import InputError

__all__ = [
    "DEFAULT_VOIDING_SCHEDULE",
    "MAX_INTERVAL_MIN",
    "VoidingSchedule",
    "voiding_interval_min",
    "voiding_times",
    "weeks_to_target",
]

MAX_INTERVAL_MIN: Final = 240
"""No schedule plans a longer interval than 4 hours."""


@dataclass(frozen=True, slots=True)
class VoidingSchedule:
    """A bladder-training plan.

    Parameters
    ----------
    start_interval_min
        Interval in week 1, in minutes (15 to 240). Take it from the bladder diary.
    increase_min_per_week
        How much longer the interval gets each week (5 to 30 minutes).
    target_interval_min
        Where growth stops (at least the start, at most :data:`MAX_INTERVAL_MIN`).
    """

    start_interval_min: int = 60
    increase_min_per_week: int = 15
    target_interval_min: int = 180

    def __post_init__(self) -> None:
        check_int("start_interval_min", self.start_interval_min, low=15, high=MAX_INTERVAL_MIN)
        check_int("increase_min_per_week", self.increase_min_per_week, low=5, high=30)
        check_int(
            "target_interval_min",
            self.target_interval_min,
            low=self.start_interval_min,
            high=MAX_INTERVAL_MIN,
        )


DEFAULT_VOIDING_SCHEDULE: Final = VoidingSchedule()


def voiding_interval_min(schedule: VoidingSchedule, week: int) -> int:
    """The planned interval between voids in ``week`` (1 = the first week), in minutes.

    ``start + (week - 1) * increase``, capped at the target.
    """
    check_type("schedule", schedule, VoidingSchedule)
    check_int("week", week, low=1)
    grown = schedule.start_interval_min + (week - 1) * schedule.increase_min_per_week
    return min(grown, schedule.target_interval_min)


def weeks_to_target(schedule: VoidingSchedule) -> int:
    """The first week in which the interval reaches the target."""
    check_type("schedule", schedule, VoidingSchedule)
    gap = schedule.target_interval_min - schedule.start_interval_min
    return 1 + -(-gap // schedule.increase_min_per_week)


def voiding_times(
    schedule: VoidingSchedule, week: int, *, wake: dt.time, bed: dt.time
) -> tuple[dt.time, ...]:
    """The planned voiding times of a day in ``week``, from waking to going to bed.

    The first void is at ``wake``, then one every interval while it is before ``bed``; the
    last void before bed is not planned separately (go when going to bed). Night voids are
    not scheduled: bladder training is a daytime plan.

    Raises
    ------
    InputError
        ``wake`` and ``bed`` must be local wall-clock times without a time zone, and ``bed``
        must come after ``wake`` on the same day.
    """
    for name, value in (("wake", wake), ("bed", bed)):
        check_type(name, value, dt.time)
        if value.tzinfo is not None:
            raise InputError(f"{name} must be a local time without a time zone", field=name)
    if bed <= wake:
        raise InputError(f"bed ({bed:%H:%M}) must come after wake ({wake:%H:%M})", field="bed")
    interval = voiding_interval_min(schedule, week)
    start = wake.hour * 60 + wake.minute
    end = bed.hour * 60 + bed.minute
    return tuple(dt.time(m // 60, m % 60) for m in range(start, end, interval))
