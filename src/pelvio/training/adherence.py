"""Adherence: sessions done per local calendar day against the plan, streaks and a week view.

Days are the person's own calendar days in their IANA time zone, never 24-hour blocks: a
session at 23:59 counts for that day and one at 00:01 for the next, and the days on which
daylight saving time starts or ends (23 and 25 hours long in Europe/Amsterdam) are one day
each like any other. Moments are stored as time-zone-aware datetimes; the local date is
derived here, in one place.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pelvio._check import check_int, check_type
from pelvio.training._dates import check_aware, check_date, zone

__all__ = [
    "AdherenceReport",
    "DayCount",
    "DayStatus",
    "SessionLogEntry",
    "TrainingPlan",
    "count_adherence",
    "day_bounds",
    "local_date",
    "week_view",
]

DayStatus = Literal["before-start", "future", "open", "done", "partial", "missed"]
"""``open``: today, not all sessions done yet. ``partial``: a past day with some but not all
sessions. ``missed``: a past day with none."""


def local_date(moment: dt.datetime, timezone: str) -> dt.date:
    """The calendar date of ``moment`` on the wall clock of ``timezone``."""
    return check_aware("moment", moment).astimezone(zone(timezone)).date()


def day_bounds(day: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight starting ``day`` and the next local midnight, both in UTC.

    Use it to fetch one day's sessions from storage. The span is 23 or 25 hours on the days
    daylight saving time starts or ends.
    """
    check_date("day", day)
    tz = zone(timezone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class SessionLogEntry:
    """One logged session.

    Parameters
    ----------
    started_at
        When it started, time-zone aware.
    programme_id, level
        What was trained.
    completed
        True if the session ran to its end.
    felt_squeeze_and_release
        The answer to "Could you feel the squeeze and the release?"; None if not answered.
    """

    started_at: dt.datetime
    programme_id: str
    level: int
    completed: bool
    felt_squeeze_and_release: bool | None = None

    def __post_init__(self) -> None:
        check_aware("started_at", self.started_at)
        check_type("programme_id", self.programme_id, str)
        check_int("level", self.level, low=1)
        check_type("completed", self.completed, bool)
        if self.felt_squeeze_and_release is not None:
            check_type("felt_squeeze_and_release", self.felt_squeeze_and_release, bool)


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    """What a person plans: ``sessions_per_day`` of one programme from ``start_date`` on.

    ``timezone`` is the IANA name of the person's time zone (``Europe/Amsterdam``).
    """

    programme_id: str
    sessions_per_day: int
    start_date: dt.date
    timezone: str = "Europe/Amsterdam"

    def __post_init__(self) -> None:
        check_type("programme_id", self.programme_id, str)
        check_int("sessions_per_day", self.sessions_per_day, low=1, high=12)
        check_date("start_date", self.start_date)
        zone(self.timezone)


@dataclass(frozen=True, slots=True)
class DayCount:
    """Sessions planned and completed on one local calendar day."""

    date: dt.date
    planned: int
    completed: int
    status: DayStatus

    @property
    def is_done(self) -> bool:
        """True if every planned session of the day was completed."""
        return self.planned > 0 and self.completed >= self.planned


@dataclass(frozen=True, slots=True)
class AdherenceReport:
    """Adherence from the plan's start up to and including ``today``.

    Attributes
    ----------
    days
        One :class:`DayCount` per local day from the start date to today.
    percentage
        Completed sessions (at most the planned number per day) over planned sessions, in %,
        over the days that are over plus today once it is done, so the figure never drops in
        the course of a day. None while there is no such day yet.
    current_streak_days
        Done days in a row ending today, or yesterday while today is still open.
    longest_streak_days
        The longest run of done days.
    """

    plan: TrainingPlan
    today: dt.date
    days: tuple[DayCount, ...]
    percentage: float | None
    current_streak_days: int
    longest_streak_days: int

    def day(self, date: dt.date) -> DayCount:
        """The count for ``date``, also outside the plan's range (then nothing is planned)."""
        check_date("date", date)
        if self.days and self.days[0].date <= date <= self.days[-1].date:
            return self.days[(date - self.days[0].date).days]
        status: DayStatus = "before-start" if date < self.plan.start_date else "future"
        return DayCount(date, 0, 0, status)


def _status(day: dt.date, today: dt.date, planned: int, completed: int) -> DayStatus:
    if completed >= planned:
        return "done"
    if day == today:
        return "open"
    return "partial" if completed else "missed"


def count_adherence(
    entries: Iterable[SessionLogEntry], plan: TrainingPlan, *, today: dt.date
) -> AdherenceReport:
    """Count completed sessions per local day against ``plan``, up to and including ``today``.

    Only completed sessions of the plan's programme count, at any level. Sessions before the
    start date or after ``today`` are ignored. More sessions than planned on one day are
    welcome but do not make up for another day.

    Parameters
    ----------
    entries
        The session log, in any order.
    plan
        Sessions per day, start date and time zone.
    today
        The person's local date now (see :func:`local_date`); passed in so the function is
        pure and testable.
    """
    check_type("plan", plan, TrainingPlan)
    check_date("today", today)
    per_day: Counter[dt.date] = Counter()
    for entry in entries:
        check_type("entry", entry, SessionLogEntry)
        if entry.completed and entry.programme_id == plan.programme_id:
            per_day[local_date(entry.started_at, plan.timezone)] += 1

    days: list[DayCount] = []
    day = plan.start_date
    while day <= today:
        done = per_day[day]
        status = _status(day, today, plan.sessions_per_day, done)
        days.append(DayCount(day, plan.sessions_per_day, done, status))
        day += dt.timedelta(days=1)

    counted = [d for d in days if d.date < today or d.is_done]
    planned = sum(d.planned for d in counted)
    percentage = (
        100.0 * sum(min(d.completed, d.planned) for d in counted) / planned if planned else None
    )

    longest = run = 0
    for d in days:
        run = run + 1 if d.is_done else 0
        longest = max(longest, run)
    current = 0
    tail = days[:-1] if days and days[-1].status == "open" else days
    for d in reversed(tail):
        if not d.is_done:
            break
        current += 1
    return AdherenceReport(plan, today, tuple(days), percentage, current, longest)


def week_view(report: AdherenceReport, day: dt.date) -> tuple[DayCount, ...]:
    """The seven days Monday to Sunday of the ISO week that contains ``day``."""
    check_date("day", day)
    monday = day - dt.timedelta(days=day.weekday())
    return tuple(report.day(monday + dt.timedelta(days=offset)) for offset in range(7))
