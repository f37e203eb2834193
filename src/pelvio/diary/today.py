"""The diary card on "Vandaag": today's voids, leaks and drinks, and quick-entry buttons.

The storage is imported inside the function: this module is loaded by the purity check of the
diary package, which must not pull in the database layer.
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
    """Today's diary counts with buttons to the entry forms."""
    from pelvio.diary import service
    from pelvio.web.sections import TodaySection

    counts = service.today_counts(db, patient=patient, day=day)
    return TodaySection(template="diary/today_card.html", context={"counts": counts}, order=30)
