"""Tables of live biofeedback: one row per session, its recording and its results.

The signal itself lives in an EDF+ file under ``<data_dir>/recordings/`` named by the random
``recording_id``; the row says whose it is. Results (scores, relaxation summary, Glazer
metrics) are stored as the JSON documents the pure modules produce, so a page shows exactly
what the tests check. ``ingest_token_hash`` is the keyed hash of the pairing code that lets
``pelvio connect`` stream a remote probe into this session; the code itself is never stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pelvio.accounts.tables import new_public_id
from pelvio.db import Base, UTCDateTime, utcnow

__all__ = ["BiofeedbackSession"]


class BiofeedbackSession(Base):
    """A live session: guided training, relaxation or a Glazer assessment.

    ``status`` is ``live`` while streaming, then ``finished`` (ran to the end), ``stopped``
    (ended early by the user), ``ended`` (the probe disconnected for good) or ``recovered``
    (the server died; the recording was rebuilt from its sidecar at the next start).
    """

    __tablename__ = "biofeedback_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    mode: Mapped[str] = mapped_column(String(20))
    programme_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    level: Mapped[int | None] = mapped_column(Integer(), nullable=True)
    device_name: Mapped[str] = mapped_column(String(200))
    signal_kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="live")
    recording_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    duration_s: Mapped[float | None] = mapped_column(Float(), nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(), nullable=True)
    ingest_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)

    __table_args__ = (Index("ix_biofeedback_sessions_patient_started", "patient_id", "started_at"),)
