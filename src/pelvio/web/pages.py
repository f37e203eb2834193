"""The home pages: the patient's "Vandaag", the therapist's patient list, a patient's record."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from pelvio.accounts import service
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.db import utcnow
from pelvio.web.deps import CurrentTherapist, Db, OptionalUser, own_record, patient_record
from pelvio.web.sections import section_stylesheets, today_sections
from pelvio.web.templating import render

__all__ = ["router"]

router = APIRouter()

PatientRecord = Annotated[User, Depends(patient_record("view:patient-overview"))]
PatientSummary = Annotated[User, Depends(patient_record("view:patient-summary"))]
OwnToday = Annotated[User, Depends(own_record("view:today"))]


@router.get("/healthz", include_in_schema=False)
def health() -> dict[str, str]:
    """A liveness check for the process supervisor."""
    return {"status": "ok"}


@router.get("/")
def home(user: OptionalUser) -> Response:
    """Send each role to its own home."""
    if user is None:
        return RedirectResponse("/login", status_code=303)
    if user.role is Role.PATIENT:
        return RedirectResponse("/today", status_code=303)
    return RedirectResponse("/therapist", status_code=303)


def _local_today(user: User) -> dt.date:
    return utcnow().astimezone(ZoneInfo(user.timezone)).date()


@router.get("/today")
def today(request: Request, patient: OwnToday, db: Db) -> Response:
    """The patient's plan for today."""
    day = _local_today(patient)
    sections = today_sections(db, patient, day)
    return render(
        request,
        "today.html",
        {
            "today": day,
            "sections": sections,
            "stylesheets": section_stylesheets(sections),
            "therapists": service.therapists_of(db, patient),
        },
    )


@router.get("/therapist")
def therapist_home(request: Request, therapist: CurrentTherapist, db: Db) -> Response:
    """The therapist's patients."""
    return render(request, "therapist.html", {"patients": service.patients_of(db, therapist)})


@router.get("/patients/{patient_id}")
def patient_overview(request: Request, patient: PatientRecord, db: Db) -> Response:
    """One patient's overview, for the patient and their therapists."""
    return render(
        request,
        "patient.html",
        {"patient": patient, "therapists": service.therapists_of(db, patient)},
    )


@router.get("/api/patients/{patient_id}")
def patient_summary(patient: PatientSummary) -> dict[str, Any]:
    """One patient's summary as JSON."""
    return {
        "id": patient.public_id,
        "display_name": patient.display_name,
        "locale": patient.locale,
        "created_at": patient.created_at.isoformat(),
    }
