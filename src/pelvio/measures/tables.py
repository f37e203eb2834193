"""Tables of the questionnaires: one row per filled-in questionnaire."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pelvio.accounts.tables import new_public_id
from pelvio.db import Base, UTCDateTime, utcnow

__all__ = ["QuestionnaireResponse"]


class QuestionnaireResponse(Base):
    """A questionnaire a patient filled in, with its exact score.

    ``answers`` maps item keys to the answers given (``None`` for unanswered). ``total`` and
    the values in ``subscales`` are exact fractions as text (``"925/24"``, ``"9"``), so a score
    read back is exactly the one computed; rounding happens only when it is shown.
    ``client_id`` makes a repeated submit of the same form find this row instead of adding one.
    """

    __tablename__ = "questionnaire_responses"
    __table_args__ = (
        UniqueConstraint("patient_id", "client_id"),
        Index(
            "ix_questionnaire_responses_patient_done", "patient_id", "instrument", "completed_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(36))
    instrument: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, int | None]] = mapped_column(JSON)
    total: Mapped[str | None] = mapped_column(String(40))
    subscales: Mapped[dict[str, str | None]] = mapped_column(JSON, default=dict)
    band: Mapped[str | None] = mapped_column(String(20))
    completed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
