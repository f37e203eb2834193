"""Request dependencies: the database session, the logged-in user, and authorisation.

Authorisation is a dependency, never an ``if`` inside a route: ``CurrentPatient`` and
``CurrentTherapist`` refuse other roles, and ``patient_record(action)`` hands out another
person's record only through :func:`pelvio.accounts.access.access_patient`, which logs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from pelvio.accounts import service
from pelvio.accounts.access import AuditLog, access_patient
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.errors import AuthenticationError, PermissionDeniedError
from pelvio.settings import Settings

__all__ = [
    "SESSION_COOKIE",
    "CurrentPatient",
    "CurrentTherapist",
    "CurrentUser",
    "Db",
    "OptionalUser",
    "get_db",
    "own_record",
    "patient_record",
]

SESSION_COOKIE = "pelvio_session"


def get_db(request: Request) -> Iterator[Session]:
    """A database session for this request; services commit what they change."""
    factory: Callable[[], Session] = request.app.state.session_factory
    db = factory()
    try:
        yield db
    finally:
        db.close()


Db = Annotated[Session, Depends(get_db)]


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_audit(request: Request) -> AuditLog:
    """The access-log writer."""
    audit: AuditLog = request.app.state.audit
    return audit


def optional_user(request: Request, db: Db) -> User | None:
    """The logged-in user, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    user = service.user_for_session(db, token=token)
    db.commit()
    request.state.user = user
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def current_user(user: OptionalUser) -> User:
    """The logged-in user; anyone else is sent to the login page."""
    if user is None:
        raise AuthenticationError("log in first")
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def _require(*roles: Role) -> Callable[[User], User]:
    def dependency(user: CurrentUser) -> User:
        if user.role not in roles:
            raise PermissionDeniedError("this page is not for your role")
        return user

    return dependency


CurrentPatient = Annotated[User, Depends(_require(Role.PATIENT))]
CurrentTherapist = Annotated[User, Depends(_require(Role.THERAPIST, Role.ADMIN))]


def patient_record(action: str) -> Callable[..., User]:
    """A dependency giving the patient named by the ``patient_id`` path parameter.

    The access is logged with ``action``; a patient the user may not see answers 404.
    """

    def dependency(
        patient_id: str,
        user: CurrentUser,
        db: Db,
        audit: Annotated[AuditLog, Depends(get_audit)],
    ) -> User:
        patient = access_patient(
            db, actor=user, patient_public_id=patient_id, action=action, audit=audit
        )
        _end_read(db)
        return patient

    return dependency


def own_record(action: str) -> Callable[..., User]:
    """A dependency giving the logged-in patient their own record, logged with ``action``.

    Patients reading or changing their own data are logged like everyone else (NEN 7513).
    """

    def dependency(
        patient: CurrentPatient,
        db: Db,
        audit: Annotated[AuditLog, Depends(get_audit)],
    ) -> User:
        record = access_patient(
            db, actor=patient, patient_public_id=patient.public_id, action=action, audit=audit
        )
        _end_read(db)
        return record

    return dependency


def _end_read(db: Session) -> None:
    """End the read transaction that authorisation opened.

    The access-log row was committed on another connection; on SQLite (WAL) a read transaction
    older than that commit can no longer become a write ("database is locked"), so the route
    starts afresh. Nothing is pending here: authorisation only reads.
    """
    db.commit()
