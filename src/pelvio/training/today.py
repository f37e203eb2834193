"""The training card on the patient's "Vandaag": sessions done and planned, the streak, a reminder.

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
    """The card: today's count, the next session button, the streak and a due reminder."""
    from pelvio.db import utcnow
    from pelvio.training import service
    from pelvio.web.sections import TodaySection

    status = service.status(db, patient=patient, now=utcnow())
    return TodaySection("training/_today_card.html", {"status": status, "day": day}, order=10)
