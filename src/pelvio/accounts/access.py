"""The one way to reach a patient's data: authorise, then write an access-log row.

NEN 7513 asks for a record of every access to a patient's data: who, in which role, on whose
behalf, which patient, which action, when, and the outcome. :func:`access_patient` is the only
function that hands out a patient record, and it always writes that row, also when access is
refused. Rows are written in their own transaction, so they stay even when the request that
caused them fails afterwards.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from pelvio.accounts.roles import Role
from pelvio.accounts.tables import AccessLog, TherapistPatient, User
from pelvio.errors import NotFoundError

__all__ = ["AuditLog", "access_patient", "may_access"]

Outcome = str


class AuditLog:
    """Writes access-log rows, each in a transaction of its own."""

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory

    def write(
        self,
        *,
        actor: User | None,
        patient_id: int | None,
        action: str,
        outcome: Outcome,
        on_behalf_of: User | None = None,
    ) -> None:
        """Append one row."""
        with self._session_factory() as db:
            db.add(
                AccessLog(
                    actor_id=actor.id if actor else None,
                    actor_role=actor.role.value if actor else "anonymous",
                    on_behalf_of_id=on_behalf_of.id if on_behalf_of else None,
                    patient_id=patient_id,
                    action=action,
                    outcome=outcome,
                )
            )
            db.commit()


def may_access(db: Session, *, actor: User, patient: User) -> bool:
    """A patient sees their own data, a therapist the data of linked patients, an admin all."""
    if patient.role is not Role.PATIENT or not actor.active:
        return False
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.PATIENT:
        return actor.id == patient.id
    link = db.scalar(
        select(TherapistPatient.id).where(
            TherapistPatient.therapist_id == actor.id,
            TherapistPatient.patient_id == patient.id,
        )
    )
    return link is not None


def access_patient(
    db: Session,
    *,
    actor: User,
    patient_public_id: str,
    action: str,
    audit: AuditLog,
    on_behalf_of: User | None = None,
) -> User:
    """Return the patient if ``actor`` may perform ``action`` on their data; log it either way.

    A patient that does not exist and one the actor may not see give the same
    :class:`NotFoundError`, so the answer does not reveal who is a patient here.
    """
    patient = db.scalar(select(User).where(User.public_id == patient_public_id))
    if patient is None:
        outcome = "not_found"
    elif may_access(db, actor=actor, patient=patient):
        outcome = "allowed"
    else:
        outcome = "denied"
    audit.write(
        actor=actor,
        patient_id=patient.id if patient else None,
        action=action,
        outcome=outcome,
        on_behalf_of=on_behalf_of,
    )
    if patient is None or outcome != "allowed":
        raise NotFoundError("no such patient")
    return patient
