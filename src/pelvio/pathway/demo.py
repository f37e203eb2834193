"""Demo history for the care pathway.

- The demo therapist is listed in the directory, in Utrecht (CKR).
- Anna (leaking on effort with pain, four weeks after giving birth; the answers of
  ``docs/examples/intake-stress-postpartum.json``) started three weeks ago, filled in her baseline
  and her 2-week check-in, so "Vandaag" shows the 6-week check-in as the next one.
- Kees (leaking on effort after prostate treatment) started ten days ago and filled in his
  baseline; his next check-in is at 2 weeks.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST
from pelvio.accounts.tables import User
from pelvio.db import utcnow
from pelvio.pathway import service
from pelvio.pathway.checkin import DiarySummary
from pelvio.pathway.intake import answers_from_mapping

__all__ = ["ANNA_ANSWERS", "KEES_ANSWERS", "seed"]

ANNA_ANSWERS = {
    "version": 1,
    "country": "NL",
    "sex": "female",
    "age_years": 33,
    "complaints": ["leak_effort", "pain"],
    "complaint_duration": "6_weeks_to_6_months",
    "red_flags": [],
    "life_phases": ["postpartum"],
    "weeks_since_birth": 4,
    "tense_signs": ["pain_with_sex"],
    "bowel_movements_per_week": 5,
    "hard_straining": False,
    "trouble_contracting_or_relaxing": False,
    "prefers_physiotherapist": False,
}

KEES_ANSWERS = {
    "version": 1,
    "country": "NL",
    "sex": "male",
    "age_years": 67,
    "complaints": ["leak_effort"],
    "complaint_duration": "6_weeks_to_6_months",
    "life_phases": ["after_prostate_treatment"],
    "bowel_movements_per_week": 7,
}


def _at(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=ZoneInfo(zone))


def seed(db: Session, users: dict[str, User]) -> None:
    """Add the directory listing and the two demo intakes with their first check-ins."""
    therapist = users[DEMO_THERAPIST.email]
    service.list_in_directory(
        db,
        therapist=therapist,
        display_name=therapist.display_name,
        city="Utrecht",
        register="CKR",
    )
    anna = users[DEMO_PATIENT.email]
    today = utcnow().astimezone(ZoneInfo(anna.timezone)).date()
    start = today - dt.timedelta(weeks=3)
    intake = service.record_intake(
        db, patient=anna, answers=answers_from_mapping(ANNA_ANSWERS), start_date=start
    )
    intake.created_at = _at(start, anna.timezone)
    # ICIQ-UI SF 2 + 2 + 5 = 9, the worked example of clinical.md section 5.
    baseline = service.record_checkin(
        db,
        patient=anna,
        point="baseline",
        iciq_items={"q3": 2, "q4": 2, "q5": 5},
        diary=DiarySummary(incontinence_episodes_24h=2, urgency_episodes_24h=0),
    )
    baseline.created_at = _at(start + dt.timedelta(days=3), anna.timezone)
    two_weeks = service.record_checkin(
        db,
        patient=anna,
        point="2w",
        pgi_i=4,
        iciq_items={"q3": 2, "q4": 2, "q5": 4},
        diary=DiarySummary(incontinence_episodes_24h=1.5, urgency_episodes_24h=0),
    )
    two_weeks.created_at = _at(start + dt.timedelta(weeks=2), anna.timezone)
    kees = users[DEMO_PATIENT_2.email]
    start = today - dt.timedelta(days=10)
    intake = service.record_intake(
        db, patient=kees, answers=answers_from_mapping(KEES_ANSWERS), start_date=start
    )
    intake.created_at = _at(start, kees.timezone)
    baseline = service.record_checkin(
        db, patient=kees, point="baseline", iciq_items={"q3": 3, "q4": 4, "q5": 6}
    )
    baseline.created_at = _at(start + dt.timedelta(days=1), kees.timezone)
    db.flush()
