"""The care-pathway card on the patient's "Vandaag" page.

It shows, in this order of importance: the advice to seek care now when a red flag was
reported (the card then goes to the top), the next check-in, the advice that is due today
(``Plan.advice_due``), and the programmes to train. Without an intake it invites the patient to
do one.

The storage and web imports happen inside :func:`today_section`, so importing this module stays
free of the web framework and the ORM (the purity test imports it like the pure modules).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pelvio.accounts.tables import User
    from pelvio.web.sections import TodaySection

__all__ = ["today_section"]

ORDER_SEEK_CARE = 0
ORDER_PATHWAY = 20


def today_section(db: Session, patient: User, day: dt.date) -> TodaySection | None:
    """The pathway card for ``patient`` on ``day`` (always shown: it invites an intake)."""
    from pelvio.pathway import service
    from pelvio.pathway.routes import common_context, page_lang, plan_context, seek_care_view
    from pelvio.web.sections import TodaySection

    intake = service.latest_intake(db, patient=patient)
    lang = page_lang()
    if intake is None:
        return TodaySection("pathway/today_card.html", {"state": "no-intake"}, ORDER_PATHWAY)
    plan = service.plan_of(intake)
    context = plan_context(plan, day, lang)
    checkins = service.checkins(db, patient=patient, intake=intake)
    done = {c.point for c in checkins}
    seek_care = seek_care_view(plan, checkins[-1] if checkins else None, lang)
    next_point = next((p for p in plan.schedule if p.id not in done and p.due >= day), None)
    overdue = [p for p in plan.schedule if p.id not in done and p.due < day]
    context.update(
        {
            **common_context(lang),
            "state": "seek-care" if plan.status == "seek-care-first" else "ready",
            "seek_care": seek_care,
            "due_advice": [a for a in plan.advice_due(day) if a.kind != "seek-care-now"],
            "next_point": overdue[-1] if overdue else next_point,
            "day": day,
        }
    )
    order = ORDER_SEEK_CARE if seek_care is not None else ORDER_PATHWAY
    return TodaySection("pathway/today_card.html", context, order)
