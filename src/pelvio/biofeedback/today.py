"""The biofeedback card on the patient's "Vandaag": the last session and a way to start one.

Database imports happen inside the function (the purity test imports this module).
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
    """The card: the latest session's outcome, and the start button."""
    from pelvio.biofeedback import service
    from pelvio.web.sections import TodaySection

    latest = service.list_sessions(db, patient=patient, limit=1)
    return TodaySection(
        "biofeedback/_today_card.html", {"latest": latest[0] if latest else None}, order=15
    )
