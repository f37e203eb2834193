"""Demo data: a clinic, one therapist and two patients, with fixed demo logins.

Only meant for trying Pelvio locally; ``pelvio serve`` prints these logins in development mode.
Other features add history to the demo patients through a ``seed(db, users)`` function in their
own ``demo.py`` (see :mod:`pelvio.features`); ``users`` maps each demo e-mail to its account.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pelvio.accounts import service
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.features import feature_modules
from pelvio.settings import Settings

__all__ = ["DEMO_ACCOUNTS", "DemoAccount", "demo_logins", "load_demo"]


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo login."""

    email: str
    password: str
    display_name: str
    role: Role


DEMO_THERAPIST = DemoAccount(
    "therapeut@demo.pelvio.nl", "demo-therapeut-2026", "Sanne de Vries", Role.THERAPIST
)
DEMO_PATIENT = DemoAccount("anna@demo.pelvio.nl", "demo-patient-2026", "Anna Jansen", Role.PATIENT)
DEMO_PATIENT_2 = DemoAccount(
    "kees@demo.pelvio.nl", "demo-patient2-2026", "Kees Bakker", Role.PATIENT
)
DEMO_ACCOUNTS = (DEMO_THERAPIST, DEMO_PATIENT, DEMO_PATIENT_2)


def database_is_empty(db: Session) -> bool:
    """True when no user exists yet."""
    return (db.scalar(select(func.count()).select_from(User)) or 0) == 0


def load_demo(db: Session) -> dict[str, User]:
    """Create the demo clinic, accounts and links, then let every feature add its history."""
    clinic = service.create_clinic(db, name="Bekkenfysiotherapie Demo", city="Utrecht")
    users = {
        account.email: service.create_user(
            db,
            email=account.email,
            password=account.password,
            display_name=account.display_name,
            role=account.role,
            clinic=clinic,
        )
        for account in DEMO_ACCOUNTS
    }
    therapist = users[DEMO_THERAPIST.email]
    service.link_patient(db, therapist=therapist, patient=users[DEMO_PATIENT.email])
    service.link_patient(db, therapist=therapist, patient=users[DEMO_PATIENT_2.email])
    for module in feature_modules("demo"):
        seed: Callable[[Session, dict[str, User]], None] | None = getattr(module, "seed", None)
        if seed is not None:
            seed(db, users)
    db.flush()
    return users


def demo_logins(settings: Settings) -> list[str]:
    """The demo logins as lines to print, if the demo accounts exist in this database."""
    from pelvio.db import create_db_engine, make_session_factory

    engine = create_db_engine(settings.effective_database_url)
    try:
        with make_session_factory(engine)() as db:
            if service.user_by_email(db, DEMO_THERAPIST.email) is None:
                return []
    finally:
        engine.dispose()
    lines = ["Demo logins (development only):"]
    lines += [f"  {a.role.value:<9} {a.email:<28} {a.password}" for a in DEMO_ACCOUNTS]
    return lines
