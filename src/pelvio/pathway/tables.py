"""Tables of the care pathway: intakes, check-ins and the therapist directory.

An intake is never overwritten: a new intake adds a row with the next ``version`` for that
patient, so the record shows what was answered and advised at each moment. Each row keeps the
answers in their documented JSON form (``docs/pathway.md``) and the full explanation as it was
shown, so the advice given stays on record even when the rules change later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pelvio.accounts.tables import new_public_id
from pelvio.db import Base, UTCDateTime, utcnow

__all__ = ["DirectoryEntry", "PathwayCheckin", "PathwayIntake"]


class PathwayIntake(Base):
    """One intake of one patient: the answers, the first day of the plan, and what it led to."""

    __tablename__ = "pathway_intakes"
    __table_args__ = (UniqueConstraint("patient_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    start_date: Mapped[dt.date] = mapped_column(Date)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PathwayCheckin(Base):
    """One check-in (baseline, 2 weeks, 6 weeks, 3 months) and, after baseline, its outcome."""

    __tablename__ = "pathway_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    intake_id: Mapped[int] = mapped_column(
        ForeignKey("pathway_intakes.id", ondelete="CASCADE"), index=True
    )
    point: Mapped[str] = mapped_column(String(10))
    pgi_i: Mapped[int | None] = mapped_column(Integer)
    iciq_items: Mapped[dict[str, int] | None] = mapped_column(JSON)
    iciq_total: Mapped[int | None] = mapped_column(Integer)
    diary: Mapped[dict[str, float | None] | None] = mapped_column(JSON)
    red_flags: Mapped[list[str]] = mapped_column(JSON)
    trouble_contracting_or_relaxing: Mapped[bool] = mapped_column(default=False)
    prefers_physiotherapist: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(30))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DirectoryEntry(Base):
    """A registered pelvic physiotherapist who chose to be findable by city.

    ``city_key`` is the city folded for search (no accents, no case), so that ``'s-Hertogenbosch``
    and ``s hertogenbosch`` meet on every database backend alike.
    """

    __tablename__ = "pathway_directory"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    therapist_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    display_name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    city_key: Mapped[str] = mapped_column(String(100), index=True)
    quality_register: Mapped[str] = mapped_column(String(10))
    register_number: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
