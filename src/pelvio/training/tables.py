"""Tables of the training feature: the plan, the session log, prescribed modalities and their log.

What is stored is what a person did or a therapist decided; everything computed from it
(adherence, streaks, progression, the calendar feed) comes from the pure modules of
:mod:`pelvio.training`, so the numbers on a page are the numbers the tests check.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pelvio.accounts.tables import new_public_id
from pelvio.db import Base, UTCDateTime, utcnow

__all__ = [
    "BladderScheduleRow",
    "ModalityAssignment",
    "ModalitySession",
    "PlanRow",
    "TrainingSession",
]


class PlanRow(Base):
    """A patient's home-training plan: one row per patient.

    ``reminder_times`` holds local wall-clock times as ``HH:MM`` joined by commas (in the
    patient's own time zone, ``users.timezone``). ``calendar_token`` is the credential of the
    reminder feed: random, never derived from the person, replaced on request.
    """

    __tablename__ = "training_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    programme_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column()
    level_since: Mapped[dt.date] = mapped_column(Date())
    start_date: Mapped[dt.date] = mapped_column(Date())
    sessions_per_day: Mapped[int] = mapped_column()
    reminder_times: Mapped[str] = mapped_column(String(100))
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BladderScheduleRow(Base):
    """A patient's bladder-training schedule (NHG M46): one row per patient, beside the plan.

    It is kept apart from :class:`PlanRow` because bladder training runs alongside a pelvic
    floor programme (the care pathway orders both) and has no sessions a day to count: the
    voids themselves go in the bladder diary. ``first_void`` and ``bed`` are local wall-clock
    times that bound the day's planned voids. Stopping the schedule deletes the row.
    """

    __tablename__ = "training_bladder_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    start_date: Mapped[dt.date] = mapped_column(Date())
    start_interval_min: Mapped[int] = mapped_column()
    increase_min_per_week: Mapped[int] = mapped_column()
    target_interval_min: Mapped[int] = mapped_column()
    first_void: Mapped[dt.time] = mapped_column(Time())
    bed: Mapped[dt.time] = mapped_column(Time())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrainingSession(Base):
    """One guided session as the player reported it.

    ``client_id`` is made by the browser before the first attempt to send, so a session that
    was queued offline and sent twice is stored once. ``felt`` is the answer to "Could you
    feel the squeeze and the release?": ``yes``, ``no``, ``unsure`` or None (stopped early).
    """

    __tablename__ = "training_sessions"
    __table_args__ = (
        UniqueConstraint("patient_id", "client_id"),
        Index("ix_training_sessions_patient_started", "patient_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    programme_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column()
    completed: Mapped[bool] = mapped_column()
    felt: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ModalityAssignment(Base):
    """Electrostimulation or balloon training, prescribed by a therapist.

    Electrostimulation keeps its parameters in columns and the contraindication screen it
    passed (``screening_answers``: item -> bool, ``screened_on``); balloon training keeps the
    protocol as ``balloon_volumes_ml`` and ``balloon_steps`` (a list of step objects). An
    assignment ends when the therapist replaces or stops it (``ended_on``).
    """

    __tablename__ = "training_modalities"
    __table_args__ = (Index("ix_training_modalities_patient", "patient_id", "modality"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    modality: Mapped[str] = mapped_column(String(20))
    assigned_on: Mapped[dt.date] = mapped_column(Date())
    ended_on: Mapped[dt.date | None] = mapped_column(Date())
    frequency_hz: Mapped[float | None] = mapped_column(Float())
    pulse_width_us: Mapped[float | None] = mapped_column(Float())
    on_time_s: Mapped[float | None] = mapped_column(Float())
    off_time_s: Mapped[float | None] = mapped_column(Float())
    duration_min: Mapped[float | None] = mapped_column(Float())
    intensity_ma: Mapped[float | None] = mapped_column(Float())
    screening_answers: Mapped[dict[str, Any] | None] = mapped_column(JSON())
    screened_on: Mapped[dt.date | None] = mapped_column(Date())
    balloon_volumes_ml: Mapped[list[Any] | None] = mapped_column(JSON())
    balloon_steps: Mapped[list[Any] | None] = mapped_column(JSON())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ModalitySession(Base):
    """The patient's note of one electrostimulation or balloon session."""

    __tablename__ = "training_modality_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("training_modalities.id", ondelete="CASCADE"), index=True
    )
    performed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    discomfort_0_10: Mapped[int] = mapped_column()
    completed: Mapped[bool] = mapped_column()
    notes: Mapped[str] = mapped_column(Text(), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
