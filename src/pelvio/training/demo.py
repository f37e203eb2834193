"""Demo history: Anna trains the basic exercise, Kees the Kegel variations after prostate care.

The history is fixed (no randomness) and relative to the day the demo is loaded, with missed
and half-done days so that the streak, the week view and the progression text have something
to show. Nobody reaches seven qualifying days in a row, so the levels stay as seeded.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pelvio.accounts.tables import User
from pelvio.db import utcnow
from pelvio.training import service
from pelvio.training.tables import TrainingSession
from pelvio.training.timeline import build_timeline

__all__ = ["seed"]

ANNA: Final = "anna@demo.pelvio.nl"
KEES: Final = "kees@demo.pelvio.nl"
_MOMENTS: Final = (dt.time(8, 10), dt.time(13, 25), dt.time(20, 5))


def _history(
    db: Session,
    patient: User,
    *,
    programme_id: str,
    days: int,
    missed: frozenset[int],
    partial: frozenset[int],
    not_felt: frozenset[int],
    unsure: frozenset[int],
) -> None:
    now = utcnow()
    zone = ZoneInfo(patient.timezone)
    today = now.astimezone(zone).date()
    plan = service.create_plan(
        db, patient=patient, programme_id=programme_id, today=today - dt.timedelta(days=days)
    )
    length = dt.timedelta(seconds=build_timeline(programme_id, plan.level).total_duration_s)
    for days_ago in range(days, -1, -1):
        if days_ago in missed:
            continue
        day = today - dt.timedelta(days=days_ago)
        moments = _MOMENTS[:2] if days_ago in partial else _MOMENTS
        for number, moment in enumerate(moments):
            started = dt.datetime.combine(day, moment, tzinfo=zone).astimezone(dt.UTC)
            if started + length > now:
                break
            felt = "yes"
            if days_ago in not_felt and number == 0:
                felt = "no"
            elif days_ago in unsure and number == 1:
                felt = "unsure"
            db.add(
                TrainingSession(
                    patient_id=patient.id,
                    client_id=f"demo-{uuid.uuid4().hex}",
                    started_at=started,
                    ended_at=started + length,
                    programme_id=programme_id,
                    level=plan.level,
                    completed=True,
                    felt=felt,
                )
            )
    db.flush()


def seed(db: Session, users: dict[str, User]) -> None:
    """Give Anna and Kees a plan and a few weeks of sessions."""
    if ANNA in users:
        _history(
            db,
            users[ANNA],
            programme_id="basis",
            days=24,
            missed=frozenset({20, 15, 14, 9, 4}),
            partial=frozenset({18, 11, 6}),
            not_felt=frozenset({12}),
            unsure=frozenset({22, 16, 7}),
        )
    if KEES in users:
        _history(
            db,
            users[KEES],
            programme_id="kegel-varianten",
            days=10,
            missed=frozenset({8, 3}),
            partial=frozenset({6, 5, 1}),
            not_felt=frozenset({9, 5}),
            unsure=frozenset({2}),
        )
