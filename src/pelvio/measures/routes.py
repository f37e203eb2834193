"""Questionnaire pages: forms made from the instrument definitions, results and trends.

Pelvio stores no licensed item text (docs/measures.md): a form shows our own short label of
each item and its allowed answers, and says where the official wording is.
"""

from __future__ import annotations

import uuid
from fractions import Fraction
from typing import Annotated, Any, Final
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from pelvio.accounts.tables import User
from pelvio.db import utcnow
from pelvio.errors import InputError
from pelvio.measures import service
from pelvio.measures.instruments import INSTRUMENTS, Instrument, get_instrument
from pelvio.measures.scoring import round_half_up
from pelvio.web.csrf import verify_csrf
from pelvio.web.deps import Db, own_record, patient_record
from pelvio.web.errors import wants_json
from pelvio.web.i18n import N_, current_locale
from pelvio.web.templating import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(verify_csrf)])


OwnMeasures = Annotated[User, Depends(own_record("view:measures"))]
OwnMeasuresEdit = Annotated[User, Depends(own_record("edit:measures"))]
PatientMeasures = Annotated[User, Depends(patient_record("view:measures"))]

LICENCE_NOTES: Final[dict[str, str]] = {
    "iciq-ui-sf": N_(
        "The official ICIQ-UI SF questions and answers are not shown here. They are protected: "
        "they may only be used whole and unchanged, after registration at iciq.net. Below you "
        "see short descriptions in our own words. Fill in the official questionnaire (ask your "
        "physiotherapist, or see iciq.net) and enter your answers here as numbers."
    ),
    "pfdi-20": N_(
        "The official PFDI-20 wording belongs to its authors (Barber et al. 2005; Dutch version "
        "validated by Utomo et al. 2014) and is not shown here. Below you see short "
        "descriptions in our own words. Fill in the official questionnaire from your "
        "physiotherapist and enter your answers here as numbers."
    ),
    "pfiq-7": N_(
        "The official PFIQ-7 wording belongs to its authors (Barber et al. 2005; Dutch version "
        "validated by Utomo et al. 2014) and is not shown here. Below you see short "
        "descriptions in our own words. Fill in the official questionnaire from your "
        "physiotherapist and enter your answers here as numbers."
    ),
    "wexner": N_(
        "The official wording of the Wexner constipation score (Agachan et al. 1996) is not "
        "shown here. Below you see short descriptions in our own words. Fill in the official "
        "questionnaire from your physiotherapist and enter your answers here as numbers."
    ),
    "pgi-i": N_(
        "One question: how your complaints are now, compared with before the start of the "
        "treatment (Yalcin & Bump 2003). The answers are named in our own words."
    ),
}
SHORT_NAMES: Final[dict[str, str]] = {
    "iciq-ui-sf": "ICIQ-UI SF",
    "pfdi-20": "PFDI-20",
    "pfiq-7": "PFIQ-7",
    "wexner": "Wexner",
    "pgi-i": "PGI-I",
}
TOPICS: Final[dict[str, str]] = {
    "iciq-ui-sf": N_("Urine leakage"),
    "pfdi-20": N_("Pelvic floor complaints"),
    "pfiq-7": N_("Impact of pelvic floor complaints"),
    "wexner": N_("Constipation"),
    "pgi-i": N_("Change since the start"),
}


def format_score(value: Fraction | str | None, places: int = 2) -> str:
    """An exact score (or its stored text) rounded half up, with a decimal comma in Dutch."""
    if value is None:
        return "—"
    text = str(round_half_up(Fraction(value), places))
    return text.replace(".", ",") if current_locale.get() == "nl" else text


def _label(instrument: Instrument, value: int) -> str | None:
    """Our own name of an answer, where the instrument's answers are categories (PGI-I)."""
    if instrument.key != "pgi-i":
        return None
    band = next((b for b in instrument.bands if b.low == value), None)
    if band is None:
        return None
    return band.nl if current_locale.get() == "nl" else band.en


def _common(patient: User) -> dict[str, Any]:
    return {
        "patient": patient,
        "licence_notes": LICENCE_NOTES,
        "short_names": SHORT_NAMES,
        "topics": TOPICS,
        "score": format_score,
        "answer_label": _label,
        "zone": ZoneInfo(patient.timezone),
    }


def _overview(db: Db, patient: User) -> dict[str, Any]:
    zone = ZoneInfo(patient.timezone)
    cards = []
    for instrument in INSTRUMENTS.values():
        rows = service.responses(db, patient=patient, instrument=instrument.key)
        cards.append(
            {
                "instrument": instrument,
                "rows": rows,
                "trend": service.trend(rows, instrument=instrument, zone=zone),
            }
        )
    today = utcnow().astimezone(zone).date()
    return {
        **_common(patient),
        "cards": cards,
        "due": service.due(db, patient=patient, today=today, zone=zone),
    }


@router.get("/measures")
def measures_page(request: Request, patient: OwnMeasures, db: Db) -> Response:
    """The questionnaires: what is due, earlier scores and their trend."""
    return render(request, "measures/measures.html", _overview(db, patient))


@router.get("/measures/responses/{response_id}")
def response_page(request: Request, response_id: str, patient: OwnMeasures, db: Db) -> Response:
    """The score of one filled-in questionnaire."""
    row = service.get_response(db, patient=patient, response_id=response_id)
    return render(
        request,
        "measures/result.html",
        {**_common(patient), "row": row, "result": service.result_of(row)},
    )


def _form_page(
    request: Request,
    patient: User,
    instrument: Instrument,
    *,
    answers: dict[str, int | None] | None = None,
    client_id: str | None = None,
    error: InputError | None = None,
    status_code: int = 200,
) -> Response:
    given = answers or {}
    return render(
        request,
        "measures/form.html",
        {
            **_common(patient),
            "instrument": instrument,
            "answers": given,
            "answered": sum(1 for item in instrument.items if given.get(item.key) is not None),
            "client_id": client_id or str(uuid.uuid4()),
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/measures/{instrument_key}")
def form_page(request: Request, instrument_key: str, patient: OwnMeasures) -> Response:
    """The form of one questionnaire."""
    return _form_page(request, patient, get_instrument(instrument_key))


def _answers(instrument: Instrument, form: Any) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for item in instrument.items:
        raw = form.get(item.key)
        text = raw.strip() if isinstance(raw, str) else ""
        if not text:
            out[item.key] = None
            continue
        try:
            out[item.key] = int(text)
        except ValueError:
            raise InputError(
                f"{item.key} must be a whole number {item.describe_values()}; got {text!r}",
                field=item.key,
            ) from None
    return out


@router.post("/measures/{instrument_key}")
async def submit(
    request: Request, instrument_key: str, patient: OwnMeasuresEdit, db: Db
) -> Response:
    """Score and store a questionnaire; a form sent twice is stored once."""
    instrument = get_instrument(instrument_key)
    form = await request.form()
    client_id = form.get("client_id")
    client = client_id if isinstance(client_id, str) and client_id else str(uuid.uuid4())
    answers: dict[str, int | None] = {}
    try:
        answers = _answers(instrument, form)
        row, _result, created = service.save_response(
            db, patient=patient, instrument=instrument.key, answers=answers, client_id=client
        )
    except InputError as exc:
        if wants_json(request):
            raise
        kept = {k: v for k, v in answers.items() if k != exc.field}
        return _form_page(
            request,
            patient,
            instrument,
            answers=kept,
            client_id=client,
            error=exc,
            status_code=422,
        )
    after = f"/measures/responses/{row.public_id}"
    if wants_json(request):
        return JSONResponse(
            {"id": row.public_id, "created": created, "total": row.total, "next": after},
            status_code=201 if created else 200,
        )
    return RedirectResponse(after, status_code=303)


@router.get("/patients/{patient_id}/measures")
def therapist_measures(request: Request, patient: PatientMeasures, db: Db) -> Response:
    """A patient's questionnaire scores and trends, for their therapist."""
    return render(
        request, "measures/measures.html", {**_overview(db, patient), "therapist_view": True}
    )
