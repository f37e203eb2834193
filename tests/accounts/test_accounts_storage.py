"""Accounts, sessions and the access log, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pelvio.accounts import service
from pelvio.accounts.access import AuditLog, access_patient
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import AccessLog, LoginFailure, User, WebSession
from pelvio.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    NotFoundError,
    RateLimitedError,
)

SECRET = b"x" * 32
PASSWORD = "correct horse battery"


def make(db: Session, email: str, role: Role = Role.PATIENT) -> User:
    return service.create_user(
        db, email=email, password=PASSWORD, display_name=email.split("@")[0], role=role
    )


def login(db: Session, email: str, password: str = PASSWORD, client: str = "10.0.0.1") -> User:
    return service.authenticate(
        db,
        email=email,
        password=password,
        client=client,
        secret_key=SECRET,
        max_failures=3,
        lockout_s=900,
    )


def test_password_is_stored_as_argon2id_at_owasp_parameters(db: Session) -> None:
    user = make(db, "a@example.nl")
    # OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in user.password_hash


def test_email_is_normalised_and_unique(db: Session) -> None:
    make(db, "Anna@Example.NL ")
    assert service.user_by_email(db, "anna@example.nl") is not None
    with pytest.raises(ConflictError, match="exists already"):
        make(db, "anna@example.nl")
    assert db.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("email", {"email": "not-an-address"}),
        ("password", {"password": "short"}),
        ("display_name", {"display_name": "  "}),
        ("role", {"role": "doctor"}),
    ],
)
def test_bad_account_input_names_the_field(db: Session, field: str, kwargs: dict[str, str]) -> None:
    base = {"email": "b@example.nl", "password": PASSWORD, "display_name": "B", "role": "patient"}
    with pytest.raises(InputError) as info:
        service.create_user(db, **{**base, **kwargs})  # type: ignore[arg-type]
    assert info.value.field == field


def test_login_checks_the_password(db: Session) -> None:
    make(db, "c@example.nl")
    assert login(db, "C@example.nl").email == "c@example.nl"
    with pytest.raises(AuthenticationError):
        login(db, "c@example.nl", "wrong password!!")
    with pytest.raises(AuthenticationError):
        login(db, "nobody@example.nl")


def test_failed_logins_are_rate_limited_per_account(db: Session) -> None:
    make(db, "d@example.nl")
    for attempt in range(3):
        with pytest.raises(AuthenticationError):
            login(db, "d@example.nl", "wrong password!!", client=f"10.0.0.{attempt}")
    with pytest.raises(RateLimitedError) as info:
        login(db, "d@example.nl")  # even the right password is refused while locked
    assert info.value.retry_after_s == 900
    stored = db.scalars(select(LoginFailure.key_hash)).all()
    assert all("d@example.nl" not in key for key in stored)


def test_failed_logins_are_rate_limited_per_client(db: Session) -> None:
    make(db, "e@example.nl")
    for name in ("x", "y", "z"):
        with pytest.raises(AuthenticationError):
            login(db, f"{name}@example.nl", client="10.9.9.9")
    with pytest.raises(RateLimitedError):
        login(db, "e@example.nl", client="10.9.9.9")
    assert login(db, "e@example.nl", client="10.1.1.1").email == "e@example.nl"


def test_failures_expire_after_the_window(db: Session) -> None:
    make(db, "f@example.nl")
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    key = service.keyed_hash(SECRET, "account:f@example.nl")
    db.add_all([LoginFailure(key_hash=key, at=old) for _ in range(5)])
    db.flush()
    assert login(db, "f@example.nl").email == "f@example.nl"


def test_sessions_start_renew_and_end(db: Session) -> None:
    user = make(db, "g@example.nl")
    first = service.start_session(db, user=user, max_age_s=3600)
    assert service.user_for_session(db, token=first) is user
    second = service.start_session(db, user=user, max_age_s=3600, previous_token=first)
    assert second != first
    assert service.user_for_session(db, token=first) is None
    assert db.scalar(select(func.count()).select_from(WebSession)) == 1
    stored = db.scalar(select(WebSession.token_hash))
    assert stored is not None
    assert second not in stored
    service.end_session(db, token=second)
    assert service.user_for_session(db, token=second) is None


def test_expired_sessions_are_refused(db: Session) -> None:
    user = make(db, "h@example.nl")
    token = service.start_session(db, user=user, max_age_s=3600)
    db.execute(
        update(WebSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    )
    assert service.user_for_session(db, token=token) is None


def test_datetimes_come_back_aware_in_utc(db: Session) -> None:
    user = make(db, "i@example.nl")
    db.expire(user)
    assert user.created_at.tzinfo is not None
    assert user.created_at.utcoffset() == dt.timedelta(0)


def _log(db: Session) -> list[tuple[int | None, str, int | None, str, str]]:
    rows = db.execute(
        select(
            AccessLog.actor_id,
            AccessLog.actor_role,
            AccessLog.patient_id,
            AccessLog.action,
            AccessLog.outcome,
        ).order_by(AccessLog.id)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_access_is_authorised_and_logged(db: Session, audit: AuditLog) -> None:
    therapist = make(db, "t@example.nl", Role.THERAPIST)
    other_therapist = make(db, "t2@example.nl", Role.THERAPIST)
    anna = make(db, "anna@example.nl")
    kees = make(db, "kees@example.nl")
    service.link_patient(db, therapist=therapist, patient=anna)

    assert (
        access_patient(
            db, actor=anna, patient_public_id=anna.public_id, action="view:x", audit=audit
        )
        is anna
    )
    assert (
        access_patient(
            db, actor=therapist, patient_public_id=anna.public_id, action="view:x", audit=audit
        )
        is anna
    )
    with pytest.raises(NotFoundError):
        access_patient(
            db, actor=kees, patient_public_id=anna.public_id, action="view:x", audit=audit
        )
    with pytest.raises(NotFoundError):
        access_patient(
            db,
            actor=other_therapist,
            patient_public_id=anna.public_id,
            action="view:x",
            audit=audit,
        )
    with pytest.raises(NotFoundError):
        access_patient(db, actor=anna, patient_public_id="0" * 32, action="view:x", audit=audit)
    with pytest.raises(NotFoundError):  # a therapist's id is not a patient record
        access_patient(
            db, actor=therapist, patient_public_id=therapist.public_id, action="view:x", audit=audit
        )

    assert _log(db) == [
        (anna.id, "patient", anna.id, "view:x", "allowed"),
        (therapist.id, "therapist", anna.id, "view:x", "allowed"),
        (kees.id, "patient", anna.id, "view:x", "denied"),
        (other_therapist.id, "therapist", anna.id, "view:x", "denied"),
        (anna.id, "patient", None, "view:x", "not_found"),
        (therapist.id, "therapist", therapist.id, "view:x", "denied"),
    ]
    stamps = db.scalars(select(AccessLog.at)).all()
    assert all(stamp.utcoffset() == dt.timedelta(0) for stamp in stamps)


def test_access_log_rows_cannot_be_changed_or_removed(db: Session, audit: AuditLog) -> None:
    patient = make(db, "j@example.nl")
    access_patient(
        db, actor=patient, patient_public_id=patient.public_id, action="view:x", audit=audit
    )
    for statement in ("UPDATE access_log SET outcome = 'denied'", "DELETE FROM access_log"):
        with pytest.raises(DBAPIError, match="append-only"), db.begin_nested():
            db.execute(text(statement))
    assert _log(db)[-1][-1] == "allowed"


def test_link_only_joins_a_therapist_to_a_patient(db: Session) -> None:
    therapist = make(db, "k@example.nl", Role.THERAPIST)
    patient = make(db, "l@example.nl")
    with pytest.raises(InputError):
        service.link_patient(db, therapist=patient, patient=therapist)
    first = service.link_patient(db, therapist=therapist, patient=patient)
    assert service.link_patient(db, therapist=therapist, patient=patient).id == first.id
    assert service.patients_of(db, therapist) == [patient]
    assert service.therapists_of(db, patient) == [therapist]
