"""Account services: users, clinics, links, login with rate limiting, server-side sessions.

Functions take the database session and everything else by keyword (``create_user(db, *, ...)``),
as in Netflix Dispatch; routes only translate HTTP to these calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from pelvio._check import check_option
from pelvio.accounts.passwords import (
    DUMMY_HASH,
    check_password_policy,
    hash_password,
    verify_password,
)
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import Clinic, LoginFailure, TherapistPatient, User, WebSession
from pelvio.db import utcnow
from pelvio.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    NotFoundError,
    RateLimitedError,
)

__all__ = [
    "authenticate",
    "create_clinic",
    "create_user",
    "end_session",
    "keyed_hash",
    "link_patient",
    "patients_of",
    "start_session",
    "therapists_of",
    "user_by_email",
    "user_for_session",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOCALES = ("nl", "en")


def keyed_hash(secret_key: bytes, value: str) -> str:
    """HMAC-SHA256 of ``value``: lets us count or find by a value without storing it."""
    return hmac.new(secret_key, value.encode(), hashlib.sha256).hexdigest()


def _normalise_email(email: str) -> str:
    normalised = email.strip().lower()
    if not _EMAIL.match(normalised) or len(normalised) > 254:
        raise InputError("email must be an e-mail address such as name@example.nl", field="email")
    return normalised


def create_clinic(db: Session, *, name: str, city: str | None = None) -> Clinic:
    """Create a clinic."""
    if not name.strip():
        raise InputError("clinic name must not be empty", field="name")
    clinic = Clinic(name=name.strip(), city=city.strip() if city else None)
    db.add(clinic)
    db.flush()
    return clinic


def create_user(
    db: Session,
    *,
    email: str,
    password: str,
    display_name: str,
    role: Role | str,
    clinic: Clinic | None = None,
    locale: str = "nl",
) -> User:
    """Create a user with a hashed password; the e-mail address must be new."""
    role = Role(check_option("role", str(role), [r.value for r in Role]))
    check_option("locale", locale, LOCALES)
    if not display_name.strip():
        raise InputError("display name must not be empty", field="display_name")
    user = User(
        email=_normalise_email(email),
        display_name=display_name.strip(),
        role=role,
        password_hash=hash_password(check_password_policy(password)),
        clinic_id=clinic.id if clinic else None,
        locale=locale,
    )
    try:
        with db.begin_nested():
            db.add(user)
            db.flush()
    except IntegrityError as exc:
        raise ConflictError("an account with this e-mail address exists already") from exc
    return user


def user_by_email(db: Session, email: str) -> User | None:
    """The user with this e-mail address, if any."""
    try:
        normalised = _normalise_email(email)
    except InputError:
        return None
    return db.scalar(select(User).where(User.email == normalised))


def link_patient(db: Session, *, therapist: User, patient: User) -> TherapistPatient:
    """Let ``therapist`` treat ``patient`` (and so see the patient's data)."""
    if therapist.role is not Role.THERAPIST:
        raise InputError("only a therapist can be linked to a patient", field="therapist")
    if patient.role is not Role.PATIENT:
        raise InputError("only a patient can be linked to a therapist", field="patient")
    existing = db.scalar(
        select(TherapistPatient).where(
            TherapistPatient.therapist_id == therapist.id,
            TherapistPatient.patient_id == patient.id,
        )
    )
    if existing is not None:
        return existing
    link = TherapistPatient(therapist_id=therapist.id, patient_id=patient.id)
    db.add(link)
    db.flush()
    return link


def patients_of(db: Session, therapist: User) -> list[User]:
    """The patients linked to ``therapist``, by name."""
    return _linked(db, TherapistPatient.patient_id, TherapistPatient.therapist_id == therapist.id)


def therapists_of(db: Session, patient: User) -> list[User]:
    """The therapists linked to ``patient``, by name."""
    return _linked(db, TherapistPatient.therapist_id, TherapistPatient.patient_id == patient.id)


def _linked(
    db: Session, other: InstrumentedAttribute[int], condition: ColumnElement[bool]
) -> list[User]:
    return list(
        db.scalars(
            select(User)
            .join(TherapistPatient, other == User.id)
            .where(condition)
            .order_by(User.display_name)
        )
    )


def _failure_count(db: Session, key_hash: str, since: dt.datetime) -> int:
    return int(
        db.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.key_hash == key_hash, LoginFailure.at >= since)
        )
        or 0
    )


def authenticate(
    db: Session,
    *,
    email: str,
    password: str,
    client: str,
    secret_key: bytes,
    max_failures: int,
    lockout_s: int,
) -> User:
    """Check the credentials, counting failures per account and per client address.

    After ``max_failures`` failures within ``lockout_s`` for the same account or the same
    client, further attempts are refused with :class:`RateLimitedError` until the window has
    passed (OWASP Authentication Cheat Sheet, account lockout). Unknown accounts cost the same
    time as known ones, so the answer does not reveal which addresses exist.
    """
    now = utcnow()
    since = now - dt.timedelta(seconds=lockout_s)
    keys = [
        keyed_hash(secret_key, "account:" + email.strip().lower()),
        keyed_hash(secret_key, "client:" + client),
    ]
    if any(_failure_count(db, key, since) >= max_failures for key in keys):
        raise RateLimitedError(
            "too many failed logins; wait a while and try again", retry_after_s=lockout_s
        )
    user = user_by_email(db, email)
    valid = verify_password(password, user.password_hash if user else DUMMY_HASH)
    if user is None or not valid or not user.active:
        for key in keys:
            db.add(LoginFailure(key_hash=key, at=now))
        db.execute(delete(LoginFailure).where(LoginFailure.at < since))
        db.commit()
        raise AuthenticationError("e-mail address or password is not right")
    db.execute(delete(LoginFailure).where(LoginFailure.key_hash == keys[0]))
    return user


def start_session(
    db: Session, *, user: User, max_age_s: int, previous_token: str | None = None
) -> str:
    """Open a new server-side session and return its token (the cookie value).

    Any session the browser had before is ended, so a login always gets a fresh identifier
    (OWASP Session Management: renew the session id after authentication).
    """
    if previous_token:
        end_session(db, token=previous_token)
    token = secrets.token_urlsafe(32)
    db.add(
        WebSession(
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            user_id=user.id,
            expires_at=utcnow() + dt.timedelta(seconds=max_age_s),
        )
    )
    db.flush()
    return token


def end_session(db: Session, *, token: str) -> None:
    """End the session with this token, if it exists."""
    db.execute(
        delete(WebSession).where(
            WebSession.token_hash == hashlib.sha256(token.encode()).hexdigest()
        )
    )


def user_for_session(db: Session, *, token: str) -> User | None:
    """The active user of a live session, or None for an unknown or expired token."""
    session = db.scalar(
        select(WebSession).where(
            WebSession.token_hash == hashlib.sha256(token.encode()).hexdigest()
        )
    )
    if session is None:
        return None
    if session.expires_at <= utcnow():
        db.delete(session)
        return None
    return session.user if session.user.active else None


def get_user(db: Session, *, public_id: str) -> User:
    """The user with this public id, or :class:`NotFoundError`."""
    user = db.scalar(select(User).where(User.public_id == public_id))
    if user is None:
        raise NotFoundError("no such user")
    return user
