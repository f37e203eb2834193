"""The training card on the patient's "Vandaag": sessions, the streak, a reminder, the next void.

Imports of the database layer happen inside the function: the purity test imports every
module of :mod:`pelvio.training` that is not an adapter, and this one is not on its list.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pelvio.accounts.tables import User
    from pelvio.web.sections import TodaySection

__all__ = ["today_section"]


def today_section(db: Session, patient: User, day: dt.date) -> TodaySection | None:
    """The card: today's count, the next session button, the streak and a due reminder.

    With bladder training it adds one line: the next planned void of today's schedule.
    """
    from pelvio.db import utcnow
    from pelvio.training import service
    from pelvio.web.sections import TodaySection

    now = utcnow()
    status = service.status(db, patient=patient, now=now)
    bladder = service.bladder_status(db, patient=patient, now=now)
    return TodaySection(
        "training/_today_card.html", {"status": status, "bladder": bladder, "day": day}, order=10
    )
