"""Storage of biofeedback sessions: create, finish, list, recover, and remote-probe pairing."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pelvio.accounts.service import keyed_hash
from pelvio.accounts.tables import User
from pelvio.biofeedback.tables import BiofeedbackSession
from pelvio.db import utcnow
from pelvio.errors import AuthenticationError, NotFoundError

__all__ = [
    "PAIRING_CODE_BYTES",
    "create_session",
    "finish_session",
    "get_session",
    "interrupt_live_sessions",
    "list_sessions",
    "mark_recovered",
    "new_pairing_code",
    "session_for_pairing_code",
]

PAIRING_CODE_BYTES: Final = 16


def create_session(
    db: Session,
    *,
    patient: User,
    started_by: User,
    mode: str,
    device_name: str,
    signal_kind: str,
    programme_id: str | None = None,
    level: int | None = None,
    ingest_token_hash: str | None = None,
) -> BiofeedbackSession:
    """A new live session row (committed)."""
    row = BiofeedbackSession(
        patient_id=patient.id,
        started_by_id=started_by.id,
        mode=mode,
        programme_id=programme_id,
        level=level,
        device_name=device_name[:200],
        signal_kind=signal_kind,
        status="live",
        ingest_token_hash=ingest_token_hash,
    )
    db.add(row)
    db.commit()
    return row


def finish_session(
    db: Session,
    *,
    public_id: str,
    status: str,
    duration_s: float,
    result: dict[str, Any],
) -> None:
    """Store how a session ended; the pairing code stops working."""
    db.execute(
        update(BiofeedbackSession)
        .where(BiofeedbackSession.public_id == public_id)
        .values(
            status=status,
            ended_at=utcnow(),
            duration_s=duration_s,
            result=result,
            ingest_token_hash=None,
        )
    )
    db.commit()


def get_session(db: Session, *, patient: User, public_id: str) -> BiofeedbackSession:
    """The patient's session ``public_id``; another patient's session is not found."""
    row = db.scalar(
        select(BiofeedbackSession).where(
            BiofeedbackSession.public_id == public_id,
            BiofeedbackSession.patient_id == patient.id,
        )
    )
    if row is None:
        raise NotFoundError("no such biofeedback session")
    return row


def list_sessions(db: Session, *, patient: User, limit: int = 50) -> Sequence[BiofeedbackSession]:
    """The patient's sessions, newest first."""
    return db.scalars(
        select(BiofeedbackSession)
        .where(BiofeedbackSession.patient_id == patient.id)
        .order_by(BiofeedbackSession.started_at.desc(), BiofeedbackSession.id.desc())
        .limit(limit)
    ).all()


def mark_recovered(db: Session, *, recording_id: str, duration_s: float) -> bool:
    """After a crash: the session whose recording was rebuilt from its sidecar."""
    changed = db.execute(
        update(BiofeedbackSession)
        .where(
            BiofeedbackSession.recording_id == recording_id,
            BiofeedbackSession.status == "live",
        )
        .values(
            status="recovered",
            ended_at=utcnow(),
            duration_s=duration_s,
            ingest_token_hash=None,
        )
    )
    db.commit()
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def interrupt_live_sessions(db: Session, *, before: dt.datetime) -> int:
    """Sessions still marked live from before this server started ended without a recording."""
    changed = db.execute(
        update(BiofeedbackSession)
        .where(BiofeedbackSession.status == "live", BiofeedbackSession.started_at < before)
        .values(status="ended", ended_at=utcnow(), ingest_token_hash=None)
    )
    db.commit()
    return int(changed.rowcount)  # type: ignore[attr-defined]


def new_pairing_code(secret_key: bytes) -> tuple[str, str]:
    """A pairing code for ``pelvio connect`` and the keyed hash that is stored instead of it."""
    code = secrets.token_urlsafe(PAIRING_CODE_BYTES)
    return code, keyed_hash(secret_key, "pairing:" + code)


def session_for_pairing_code(db: Session, *, secret_key: bytes, code: str) -> BiofeedbackSession:
    """The live session a remote probe may stream into, or AuthenticationError."""
    row = db.scalar(
        select(BiofeedbackSession).where(
            BiofeedbackSession.ingest_token_hash == keyed_hash(secret_key, "pairing:" + code),
            BiofeedbackSession.status == "live",
        )
    )
    if row is None:
        raise AuthenticationError(
            "unknown or expired pairing code: start a new session with 'a probe on another "
            "computer' on the biofeedback page and use the code it shows"
        )
    return row
