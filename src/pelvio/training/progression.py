"""When to step up a level, and the reason shown to the person.

The leaflets say how far a programme goes (endurance holds up to 10 counts, leaflet 002; up to
12 close-to-maximal squeezes, Bø 2022 table 5; 3 to 5 s holds, leaflet 004) but not how fast.
Our rule, stated to the user with every decision:

* A day *qualifies* when at least the planned number of sessions of the programme at the
  current level were completed, each of them answered "yes" to "Could you feel the squeeze
  and the release?", and none that day answered "no".
* After ``days_required`` qualifying days in a row (7 by default) the level goes up by one,
  never past the programme's last level. Eight levels of a week each take about the 6 to 8
  weeks after which leaflet 001 expects improvement.
* If "no" was answered on ``not_felt_days_for_advice`` of the last 7 days (3 by default),
  the level stays and the person is advised to see a pelvic physiotherapist (leaflet 001:
  trouble squeezing or letting go is a reason for guidance).

A relaxation programme only has relaxation levels, so stepping up can never add squeezes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from pelvio._check import check_int, check_type
from pelvio.training._dates import check_date
from pelvio.training.adherence import SessionLogEntry, local_date
from pelvio.training.model import Programme, Text
from pelvio.training.programmes import get_programme

__all__ = [
    "DEFAULT_PROGRESSION_RULE",
    "ProgressionDecision",
    "ProgressionRule",
    "assess_progression",
]

_ADVICE_WINDOW_DAYS: Final = 7


@dataclass(frozen=True, slots=True)
class ProgressionRule:
    """Parameters of the step-up rule (see the module docstring)."""

    days_required: int = 7
    not_felt_days_for_advice: int = 3

    def __post_init__(self) -> None:
        check_int("days_required", self.days_required, low=1, high=60)
        check_int(
            "not_felt_days_for_advice",
            self.not_felt_days_for_advice,
            low=1,
            high=_ADVICE_WINDOW_DAYS,
        )


DEFAULT_PROGRESSION_RULE: Final = ProgressionRule()


@dataclass(frozen=True, slots=True)
class ProgressionDecision:
    """The outcome of :func:`assess_progression`.

    Attributes
    ----------
    level
        The level to train at from now on (``current_level`` or one higher).
    qualifying_days
        Qualifying days in a row counted towards the next step.
    reason
        Why, in Dutch and English, naming the rule and the source of the new dosage.
    advice
        A suggestion to see a pelvic physiotherapist, or None.
    """

    programme_id: str
    current_level: int
    level: int
    qualifying_days: int
    days_required: int
    reason: Text
    advice: Text | None = None

    @property
    def stepped_up(self) -> bool:
        """True if the level goes up."""
        return self.level > self.current_level


def _days(n: int) -> tuple[str, str]:
    return ("dag", "day") if n == 1 else ("dagen", "days")


_PHYSIO_ADVICE: Final = Text(
    "Je voelde het knijpen en loslaten vaak niet. Een bekkenfysiotherapeut kan je helpen de "
    "juiste spieren te vinden. Je blijft op dit niveau. (Bron: folder 001)",
    "You often could not feel the squeeze and the release. A pelvic physiotherapist can help "
    "you find the right muscles. You stay at this level. (Source: leaflet 001)",
)


def assess_progression(
    programme: Programme | str,
    current_level: int,
    entries: Iterable[SessionLogEntry],
    *,
    level_since: dt.date,
    today: dt.date,
    timezone: str = "Europe/Amsterdam",
    rule: ProgressionRule = DEFAULT_PROGRESSION_RULE,
) -> ProgressionDecision:
    """Decide whether to step up from ``current_level``.

    Parameters
    ----------
    programme
        A :class:`Programme` or its id.
    current_level
        The level trained now.
    entries
        The session log; only completed sessions of this programme at ``current_level`` from
        ``level_since`` to ``today`` (local dates) are used.
    level_since
        The local date the person started ``current_level``.
    today
        The person's local date now.
    timezone
        IANA time zone that defines the person's calendar days.
    rule
        The step-up rule.

    Returns
    -------
    ProgressionDecision
        Never a level above the programme's last level or more than one above the current one.
    """
    if isinstance(programme, str):
        programme = get_programme(programme)
    programme.level(current_level)
    check_type("rule", rule, ProgressionRule)
    check_date("level_since", level_since)
    check_date("today", today)

    felt_yes: dict[dt.date, int] = {}
    felt_no: set[dt.date] = set()
    for entry in entries:
        check_type("entry", entry, SessionLogEntry)
        if not (
            entry.completed and entry.programme_id == programme.id and entry.level == current_level
        ):
            continue
        day = local_date(entry.started_at, timezone)
        if not level_since <= day <= today:
            continue
        if entry.felt_squeeze_and_release is True:
            felt_yes[day] = felt_yes.get(day, 0) + 1
        elif entry.felt_squeeze_and_release is False:
            felt_no.add(day)

    needed = max(programme.sessions_per_day, 1)

    def qualifies(day: dt.date) -> bool:
        return felt_yes.get(day, 0) >= needed and day not in felt_no

    run = 0
    day = today if qualifies(today) else today - dt.timedelta(days=1)
    while day >= level_since and qualifies(day):
        run += 1
        day -= dt.timedelta(days=1)

    def decision(level: int, reason: Text, advice: Text | None = None) -> ProgressionDecision:
        return ProgressionDecision(
            programme.id, current_level, level, run, rule.days_required, reason, advice
        )

    window_start = today - dt.timedelta(days=_ADVICE_WINDOW_DAYS - 1)
    if sum(1 for d in felt_no if d >= window_start) >= rule.not_felt_days_for_advice:
        return decision(
            current_level,
            Text(
                "Je blijft op dit niveau, omdat je het knijpen en loslaten nog niet goed voelde.",
                "You stay at this level, because you could not yet feel the squeeze and release "
                "well.",
            ),
            _PHYSIO_ADVICE,
        )
    if programme.kind == "schedule":
        return decision(
            current_level,
            Text(
                "Bij blaastraining groeit het schema per week, niet per niveau.",
                "In bladder training the schedule grows by the week, not by level.",
            ),
        )
    if current_level == programme.max_level:
        return decision(
            current_level,
            Text(
                "Je zit op het hoogste niveau. Verder gaan de bronnen niet. Blijf zo oefenen, "
                f"dat houdt het resultaat vast. (Bron: {programme.source})",
                "You are at the top level. The sources go no further. Keep training like this "
                f"to keep the result. (Source: {programme.source})",
            ),
        )
    if run >= rule.days_required:
        new = programme.level(current_level + 1)
        nl_days, en_days = _days(run)
        return decision(
            new.number,
            Text(
                f"Je deed {run} {nl_days} op rij al je sessies en voelde steeds het knijpen en "
                f"loslaten. Daarom ga je naar niveau {new.number}. {new.change.nl}",
                f"You did all your sessions {run} {en_days} in a row and could feel the squeeze "
                f"and release each time. So you move to level {new.number}. {new.change.en}",
            ),
        )
    left = rule.days_required - run
    nl_days, en_days = _days(left)
    return decision(
        current_level,
        Text(
            f"Nog {left} {nl_days} op rij met al je sessies en steeds 'ja' op de vraag of je het "
            "voelde. Dan ga je een niveau omhoog.",
            f"{left} more {en_days} in a row with all your sessions and a 'yes' each time to "
            "whether you felt it. Then you move up a level.",
        ),
    )
