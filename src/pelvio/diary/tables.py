"""Tables of the diary: one row per entry, and the age and weight the metrics need.

An entry stores its instant in UTC together with the UTC offset (and, when known, the time
zone) the person was on when it happened, so the diary shows the clock they lived by and a
night with a clock change keeps its true length (ICS 2019 counts FMV to FMV on the wall clock).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pelvio.accounts.tables import new_public_id
from pelvio.db import Base, UTCDateTime, utcnow

__all__ = ["DiaryEntry", "DiaryProfile"]


class DiaryEntry(Base):
    """One diary entry of a patient: bed, wake, void, leak, drink, pad or bowel.

    ``client_id`` is the UUID the browser made when the entry was typed; a retried POST with
    the same one (an offline queue, a double tap) finds this row instead of adding another.
    ``values`` holds the event's own fields (``volume_ml``, ``urgency``, ``amount``, ...).
    Deleting sets ``deleted_at``, so the delete can be undone.
    """

    __tablename__ = "diary_entries"
    __table_args__ = (
        UniqueConstraint("patient_id", "client_id"),
        Index("ix_diary_entries_patient_at", "patient_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(36))
    event: Mapped[str] = mapped_column(String(10))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    utc_offset_min: Mapped[int] = mapped_column()
    timezone: Mapped[str | None] = mapped_column(String(64))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(500), default="")
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DiaryProfile(Base):
    """What the metrics need besides the diary: age (NPi cut-off) and weight (global polyuria)."""

    __tablename__ = "diary_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    age_years: Mapped[int | None] = mapped_column()
    weight_kg: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
