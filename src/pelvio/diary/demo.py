"""Demo diaries: two 3-day bladder diaries for Anna, a week of bowel diary for Kees.

Anna's first diary, three weeks back, follows the worked example of clinical.md §4 (bed 23:00,
rise 07:00, two voids at night, one urge void and one stress leak a day); her recent one shows
the kind of change training can bring (one night void, no leaks). Times are on the Amsterdam
clock, so a diary near a clock change shows a 23- or 25-hour period as it should.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pelvio.accounts.tables import User
from pelvio.db import utcnow
from pelvio.diary import service
from pelvio.diary.events import Bed, Bowel, Drink, Event, Leak, Void, Wake

__all__ = ["seed"]

_ZONE = ZoneInfo("Europe/Amsterdam")
_ANNA = "anna@demo.pelvio.nl"
_KEES = "kees@demo.pelvio.nl"

# (clock, ml, urgency) of the day's voids after the first morning void, as in clinical.md §4.
_BASELINE_VOIDS = (("10:00", 200, 3), ("13:00", 250, 0), ("16:00", 150, 0), ("19:00", 200, 1))
_BASELINE_NIGHT = (("02:30", 250, 0), ("05:00", 200, 1))
_RECENT_VOIDS = (("10:30", 300, 1), ("14:00", 300, 0), ("18:00", 250, 0), ("21:00", 200, 0))
_RECENT_NIGHT = (("03:30", 250, 0),)
_DRINKS = (
    ("07:30", 250, "thee"),
    ("09:30", 200, "koffie"),
    ("12:30", 300, "water"),
    ("15:00", 250, "thee"),
    ("17:30", 300, "water"),
    ("19:30", 250, "water"),
    ("21:00", 350, "thee"),
)


def _at(day: dt.date, clock: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=_ZONE)


def _bladder_diary(first: dt.date, *, recent: bool) -> list[Event]:
    """Three days from the first morning void of ``first`` to that of the fourth morning."""
    voids, night = (_RECENT_VOIDS, _RECENT_NIGHT) if recent else (_BASELINE_VOIDS, _BASELINE_NIGHT)
    events: list[Event] = []
    fmv_ml = (300, 350, 320, 340) if not recent else (300, 280, 290, 280)
    for n in range(3):
        day = first + dt.timedelta(days=n)
        following = day + dt.timedelta(days=1)
        events += [
            Wake(time=_at(day, "07:00")),
            Void(time=_at(day, "07:00"), urgency=1, volume_ml=fmv_ml[n]),
        ]
        events += [Void(time=_at(day, c), urgency=u, volume_ml=ml) for c, ml, u in voids]
        events += [Drink(time=_at(day, c), volume_ml=ml, kind=k) for c, ml, k in _DRINKS]
        if not recent:
            events.append(Leak(time=_at(day, "16:00"), amount="small", trigger="cough"))
        events += [
            Void(time=_at(day, "22:45"), urgency=0, volume_ml=150),
            Bed(time=_at(day, "23:00")),
        ]
        events += [Void(time=_at(following, c), urgency=u, volume_ml=ml) for c, ml, u in night]
    last = first + dt.timedelta(days=3)
    events += [
        Wake(time=_at(last, "07:00")),
        Void(time=_at(last, "07:00"), urgency=1, volume_ml=fmv_ml[3]),
    ]
    return events


def _bowel_week(first: dt.date) -> list[Event]:
    """Four movements in a week, mostly hard and with straining (a pattern worth discussing)."""
    plan = ((0, 3, True, True), (2, 2, True, False), (4, 2, True, True), (6, 4, False, False))
    return [
        Bowel(
            time=_at(first + dt.timedelta(days=offset), "08:15"),
            bristol=bristol,
            straining=straining,
            incomplete=incomplete,
        )
        for offset, bristol, straining, incomplete in plan
    ]


def seed(db: Session, users: dict[str, User]) -> None:
    """Add the demo diaries to Anna and Kees (skipped when they are not in ``users``)."""
    today = utcnow().astimezone(_ZONE).date()
    anna, kees = users.get(_ANNA), users.get(_KEES)
    if anna is not None:
        service.add_entries(
            db, patient=anna, events=_bladder_diary(today - dt.timedelta(days=24), recent=False)
        )
        service.add_entries(
            db, patient=anna, events=_bladder_diary(today - dt.timedelta(days=5), recent=True)
        )
        service.save_profile(db, patient=anna, age_years=70, weight_kg=65.0)
    if kees is not None:
        service.add_entries(db, patient=kees, events=_bowel_week(today - dt.timedelta(days=8)))
