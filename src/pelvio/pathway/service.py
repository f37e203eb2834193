"""Care-pathway services: store intakes and check-ins, and keep the therapist directory.

Functions take the database session and everything else by keyword; they flush but do not
commit, so each route commits exactly one user action. The rules themselves are pure
(:mod:`pelvio.pathway`); this module only stores their inputs and what they advised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Final, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pelvio._check import check_int, check_option
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.content.search import fold
from pelvio.db import utcnow
from pelvio.errors import ConflictError, InputError
from pelvio.measures import score
from pelvio.pathway.checkin import CHECKIN_RULES, CheckinAnswers, DiarySummary, evaluate_checkin
from pelvio.pathway.explain import checkin_to_dict, explain
from pelvio.pathway.intake import RED_FLAGS, IntakeAnswers, answers_from_mapping, answers_to_mapping
from pelvio.pathway.plan import CHECKIN_POINTS, CheckinPointId, Plan, build_plan, classify
from pelvio.pathway.tables import DirectoryEntry, PathwayCheckin, PathwayIntake

__all__ = [
    "DIARY_FIELDS",
    "ICIQ_ITEMS",
    "REGISTERS",
    "answers_of",
    "checkins",
    "city_key",
    "directory_entry",
    "find_therapists",
    "intakes",
    "latest_checkin",
    "latest_intake",
    "leave_directory",
    "list_in_directory",
    "plan_of",
    "record_checkin",
    "record_intake",
]

Register = Literal["CKR", "SKF"]
REGISTERS: Final[tuple[Register, ...]] = ("CKR", "SKF")
ICIQ_ITEMS: Final = ("q3", "q4", "q5")
DIARY_FIELDS: Final = (
    "incontinence_episodes_24h",
    "urgency_episodes_24h",
    "daytime_frequency",
    "nocturia",
)
_REGISTER_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .-]{0,29}$")
_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


# ---------------------------------------------------------------------------------------------
# Intakes


def record_intake(
    db: Session, *, patient: User, answers: IntakeAnswers, start_date: dt.date
) -> PathwayIntake:
    """Store a new intake for ``patient`` as the next version; earlier intakes stay.

    The row keeps the answers (JSON form of ``docs/pathway.md``), the first day of the plan and
    the full explanation that was shown (:func:`pelvio.pathway.explain`).
    """
    _check_patient(patient)
    latest = db.scalar(
        select(func.max(PathwayIntake.version)).where(PathwayIntake.patient_id == patient.id)
    )
    intake = PathwayIntake(
        patient_id=patient.id,
        version=(latest or 0) + 1,
        answers=answers_to_mapping(answers),
        start_date=start_date,
        explanation=explain(answers, start_date),
    )
    db.add(intake)
    db.flush()
    return intake


def latest_intake(db: Session, *, patient: User) -> PathwayIntake | None:
    """The newest intake of ``patient``, if any."""
    return db.scalar(
        select(PathwayIntake)
        .where(PathwayIntake.patient_id == patient.id)
        .order_by(PathwayIntake.version.desc())
        .limit(1)
    )


def intakes(db: Session, *, patient: User) -> list[PathwayIntake]:
    """Every intake of ``patient``, newest first."""
    return list(
        db.scalars(
            select(PathwayIntake)
            .where(PathwayIntake.patient_id == patient.id)
            .order_by(PathwayIntake.version.desc())
        )
    )


def answers_of(intake: PathwayIntake) -> IntakeAnswers:
    """The validated answers of a stored intake."""
    return answers_from_mapping(intake.answers)


def plan_of(intake: PathwayIntake) -> Plan:
    """The plan of a stored intake (rebuilt by the pure rules; fast and deterministic)."""
    return build_plan(answers_of(intake), intake.start_date)


# ---------------------------------------------------------------------------------------------
# Check-ins


def _iciq_total(items: Mapping[str, int] | None) -> int | None:
    if items is None:
        return None
    for key in ICIQ_ITEMS:
        if items.get(key) is None:
            raise InputError(
                f"{key}: answer all three scored questions of the ICIQ-UI SF, or none",
                field=key,
            )
    result = score("iciq-ui-sf", {key: items[key] for key in ICIQ_ITEMS})
    assert result.total is not None and result.total.denominator == 1
    return int(result.total)


def _diary_json(diary: DiarySummary | None) -> dict[str, float | None] | None:
    if diary is None:
        return None
    values = {name: getattr(diary, name) for name in DIARY_FIELDS}
    return values if any(v is not None for v in values.values()) else None


def _diary_from_json(data: Mapping[str, float | None] | None) -> DiarySummary | None:
    return None if data is None else DiarySummary(**{k: data.get(k) for k in DIARY_FIELDS})


def _baseline(db: Session, intake: PathwayIntake) -> PathwayCheckin | None:
    return db.scalar(
        select(PathwayCheckin)
        .where(PathwayCheckin.intake_id == intake.id, PathwayCheckin.point == "baseline")
        .order_by(PathwayCheckin.created_at.desc(), PathwayCheckin.id.desc())
        .limit(1)
    )


def record_checkin(
    db: Session,
    *,
    patient: User,
    point: str,
    pgi_i: int | None = None,
    iciq_items: Mapping[str, int] | None = None,
    diary: DiarySummary | None = None,
    red_flags: Iterable[str] = (),
    trouble_contracting_or_relaxing: bool = False,
    prefers_physiotherapist: bool = False,
) -> PathwayCheckin:
    """Store a check-in of the patient's current plan and, after baseline, its one outcome.

    The baseline check-in records the starting ICIQ-UI SF total and diary summary; the check-ins
    at 2 weeks, 6 weeks and 3 months compare with it and run
    :func:`pelvio.pathway.evaluate_checkin`. A red flag gives "seek care now" at any point,
    also at baseline (leaflet 004). A check-in may be repeated; the newest one counts.

    Raises
    ------
    ConflictError
        When the patient has no intake yet.
    InputError
        Naming the field: an unknown point, PGI-I missing or out of 1-7 after baseline, an
        incomplete or out-of-range ICIQ-UI SF, an unknown red flag.
    """
    _check_patient(patient)
    check_option("point", point, CHECKIN_POINTS)
    intake = latest_intake(db, patient=patient)
    if intake is None:
        raise ConflictError("do the intake first: a check-in belongs to a plan")
    flags = frozenset(red_flags)
    for flag in sorted(flags):
        check_option("red_flags", flag, RED_FLAGS)
    total = _iciq_total(iciq_items)
    outcome: str | None = None
    result = None
    if point == "baseline":
        if flags:
            rule = next(r for r in CHECKIN_RULES if r.outcome == "seek-care-now")
            outcome = rule.outcome
            result = {
                "outcome": rule.outcome,
                "rule": rule.id,
                "reason": rule.reason.as_dict(),
                "less_often": False,
                "sources": [s.as_dict() for s in rule.sources],
                "progress": None,
                "notes": [],
            }
    else:
        if pgi_i is None:
            raise InputError("pgi_i is required at a follow-up check-in", field="pgi_i")
        check_int("pgi_i", pgi_i, low=1, high=7)
        baseline = _baseline(db, intake)
        answers = CheckinAnswers(
            point=point,  # type: ignore[arg-type]  # checked against CHECKIN_POINTS above
            pgi_i=pgi_i,
            iciq_ui_sf_total=total,
            baseline_iciq_ui_sf_total=baseline.iciq_total if baseline else None,
            diary=diary,
            baseline_diary=_diary_from_json(baseline.diary) if baseline else None,
            red_flags=flags,  # type: ignore[arg-type]  # checked against RED_FLAGS above
            trouble_contracting_or_relaxing=trouble_contracting_or_relaxing,
            prefers_physiotherapist=prefers_physiotherapist,
            treated_conditions=classify(answers_of(intake)).conditions,
        )
        evaluated = evaluate_checkin(answers)
        outcome = evaluated.outcome
        result = checkin_to_dict(evaluated)
    row = PathwayCheckin(
        patient_id=patient.id,
        intake_id=intake.id,
        point=point,
        pgi_i=None if point == "baseline" else pgi_i,
        iciq_items=None if iciq_items is None else {k: iciq_items[k] for k in ICIQ_ITEMS},
        iciq_total=total,
        diary=_diary_json(diary),
        red_flags=sorted(flags),
        trouble_contracting_or_relaxing=trouble_contracting_or_relaxing,
        prefers_physiotherapist=prefers_physiotherapist,
        outcome=outcome,
        result=result,
    )
    db.add(row)
    db.flush()
    return row


def checkins(
    db: Session, *, patient: User, intake: PathwayIntake | None = None
) -> list[PathwayCheckin]:
    """The check-ins of ``patient`` (of one intake when given), oldest first."""
    query = select(PathwayCheckin).where(PathwayCheckin.patient_id == patient.id)
    if intake is not None:
        query = query.where(PathwayCheckin.intake_id == intake.id)
    return list(db.scalars(query.order_by(PathwayCheckin.created_at, PathwayCheckin.id)))


def latest_checkin(db: Session, *, patient: User, point: CheckinPointId) -> PathwayCheckin | None:
    """The newest check-in at ``point`` for the patient's current intake."""
    intake = latest_intake(db, patient=patient)
    if intake is None:
        return None
    return db.scalar(
        select(PathwayCheckin)
        .where(PathwayCheckin.intake_id == intake.id, PathwayCheckin.point == point)
        .order_by(PathwayCheckin.created_at.desc(), PathwayCheckin.id.desc())
        .limit(1)
    )


def _check_patient(user: User) -> None:
    if user.role is not Role.PATIENT:
        raise InputError("only a patient has a care pathway", field="patient")


# ---------------------------------------------------------------------------------------------
# The directory of registered pelvic physiotherapists


def city_key(city: str) -> str:
    """``city`` folded for search: no accents or case, punctuation as single spaces.

    ``"'s-Hertogenbosch"`` and ``"S Hertogenbosch"`` both give ``"s hertogenbosch"``.
    """
    return _NOT_LETTERS.sub(" ", fold(city)).strip()


def _text(name: str, value: str, max_length: int) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InputError(f"{name} must not be empty", field=name)
    if len(cleaned) > max_length:
        raise InputError(
            f"{name} may be at most {max_length} characters, got {len(cleaned)}", field=name
        )
    return cleaned


def list_in_directory(
    db: Session,
    *,
    therapist: User,
    display_name: str,
    city: str,
    register: str,
    register_number: str | None = None,
) -> DirectoryEntry:
    """Put ``therapist`` in the directory, or update the entry (one per therapist).

    Parameters
    ----------
    display_name, city
        As shown to visitors.
    register
        ``CKR`` (KNGF Centraal Kwaliteitsregister) or ``SKF`` (its pelvic sub-register);
        leaflet 003.
    register_number
        Optional; letters, digits, spaces, dots and dashes, up to 30 characters.
    """
    if therapist.role is not Role.THERAPIST:
        raise InputError("only a therapist can be listed in the directory", field="therapist")
    name = _text("display_name", display_name, 200)
    place = _text("city", city, 100)
    if not city_key(place):
        raise InputError("city must contain letters", field="city")
    chosen = check_option("register", register, REGISTERS)
    number = (register_number or "").strip() or None
    if number is not None and not _REGISTER_NUMBER.match(number):
        raise InputError(
            "register_number may hold letters, digits, spaces, dots and dashes (up to 30)",
            field="register_number",
        )
    entry = directory_entry(db, therapist=therapist)
    if entry is None:
        entry = DirectoryEntry(therapist_id=therapist.id)
        db.add(entry)
    entry.display_name = name
    entry.city = place
    entry.city_key = city_key(place)
    entry.quality_register = chosen
    entry.register_number = number
    entry.updated_at = utcnow()
    db.flush()
    return entry


def directory_entry(db: Session, *, therapist: User) -> DirectoryEntry | None:
    """The directory entry of ``therapist``, if listed."""
    return db.scalar(select(DirectoryEntry).where(DirectoryEntry.therapist_id == therapist.id))


def leave_directory(db: Session, *, therapist: User) -> None:
    """Take ``therapist`` out of the directory (nothing happens when not listed)."""
    entry = directory_entry(db, therapist=therapist)
    if entry is not None:
        db.delete(entry)
        db.flush()


def find_therapists(db: Session, *, city: str = "", limit: int = 50) -> list[DirectoryEntry]:
    """Listed therapists whose city contains ``city`` (accents and case ignored).

    An empty ``city`` lists everyone (up to ``limit``), by city and name.
    """
    check_int("limit", limit, low=1, high=500)
    query = select(DirectoryEntry).join(User, User.id == DirectoryEntry.therapist_id)
    query = query.where(User.active.is_(True))
    key = city_key(city)
    if key:
        query = query.where(DirectoryEntry.city_key.contains(key, autoescape=True))
    query = query.order_by(DirectoryEntry.city_key, DirectoryEntry.display_name).limit(limit)
    return list(db.scalars(query))
