"""Demo questionnaires: Anna's ICIQ-UI SF at the start and at 2 weeks with her PGI-I, and
Kees's Wexner score at the start.

PGI-I asks about change since the start of treatment, so it has no answer at the start itself;
Anna's first PGI-I is at the 2-week check-in.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from pelvio.accounts.tables import User
from pelvio.db import utcnow
from pelvio.measures import service

__all__ = ["seed"]

_ANNA = "anna@demo.pelvio.nl"
_KEES = "kees@demo.pelvio.nl"


def _ago(days: int) -> dt.datetime:
    return (utcnow() - dt.timedelta(days=days)).replace(hour=17, minute=0, second=0, microsecond=0)


def seed(db: Session, users: dict[str, User]) -> None:
    """Add the demo responses (skipped for a demo patient not in ``users``)."""
    plan: list[tuple[str, str, dict[str, int | None], int]] = [
        (_ANNA, "iciq-ui-sf", {"q3": 3, "q4": 2, "q5": 6}, 24),
        (_ANNA, "iciq-ui-sf", {"q3": 2, "q4": 2, "q5": 4}, 10),
        (_ANNA, "pgi-i", {"q1": 3}, 10),
        (_KEES, "wexner", {f"q{n}": v for n, v in enumerate((2, 2, 3, 1, 2, 0, 1, 2), 1)}, 8),
    ]
    for email, instrument, answers, days in plan:
        patient = users.get(email)
        if patient is not None:
            service.save_response(
                db,
                patient=patient,
                instrument=instrument,
                answers=answers,
                client_id=str(uuid.uuid4()),
                completed_at=_ago(days),
            )
