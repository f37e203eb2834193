"""The questionnaire card on "Vandaag": a "fill in" link when a questionnaire is due.

The storage is imported inside the function: this module is loaded by the purity check of the
measures package, which must not pull in the database layer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pelvio.accounts.tables import User
    from pelvio.web.sections import TodaySection

__all__ = ["today_section"]


def today_section(db: Session, patient: User, day: dt.date) -> TodaySection | None:
    """A card with a link per questionnaire due today, or nothing when none is due."""
    from pelvio.measures import service
    from pelvio.measures.routes import SHORT_NAMES
    from pelvio.web.sections import TodaySection

    due = service.due(db, patient=patient, today=day, zone=ZoneInfo(patient.timezone))
    if not due:
        return None
    return TodaySection(
        template="measures/today_card.html",
        context={"due": [(i.key, SHORT_NAMES[i.key]) for i in due]},
        order=40,
    )
