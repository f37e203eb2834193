"""Diary pages: one-tap entries, the day and night view, metrics, CSV, the bowel diary.

Routes only translate HTTP: form fields become diary events (:mod:`pelvio.diary.events`), the
service stores them, and the pure functions compute the metrics. Every read or write goes
through ``own_record`` (the patient) or ``patient_record`` (a therapist), which log the access.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from pelvio.accounts.tables import User
from pelvio.db import utcnow
from pelvio.diary import service
from pelvio.diary.bowel import QUESTIONS, RomeIVAnswers
from pelvio.diary.events import (
    BOWEL_FLAGS,
    EVENT_LABELS,
    LEAK_AMOUNTS,
    LEAK_TRIGGERS,
    URGENCY_LEVELS,
    Event,
)
from pelvio.diary.metrics import METRIC_KEYS
from pelvio.diary.tables import DiaryEntry
from pelvio.errors import FileFormatError, InputError, NotFoundError
from pelvio.web.csrf import verify_csrf
from pelvio.web.deps import Db, own_record, patient_record
from pelvio.web.errors import wants_json
from pelvio.web.i18n import N_, current_locale
from pelvio.web.i18n import gettext as _
from pelvio.web.templating import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(verify_csrf)])


OwnDiary = Annotated[User, Depends(own_record("view:diary"))]
OwnDiaryEdit = Annotated[User, Depends(own_record("edit:diary"))]
PatientDiary = Annotated[User, Depends(patient_record("view:diary"))]

VOID_PRESETS_ML: Final = (100, 150, 200, 250, 300, 400)
DRINK_PRESETS_ML: Final = (150, 200, 250, 330, 500)
DRINK_KINDS: Final = (
    ("water", N_("water")),
    ("thee", N_("tea")),
    ("koffie", N_("coffee")),
    ("anders", N_("other")),
)
_UPLOAD_MAX_BYTES: Final = 5 * 1024 * 1024

FIELD_LABELS: Final[dict[str, str]] = {
    "time": N_("Time"),
    "volume_ml": N_("Amount (ml)"),
    "void_ml": N_("Other amount (ml)"),
    "drink_ml": N_("Other amount (ml)"),
    "leak_urgency": N_("Urge"),
    "urgency": N_("Urge"),
    "amount": N_("How much"),
    "trigger": N_("When"),
    "kind": N_("Drink"),
    "bristol": N_("Stool form"),
    "note": N_("Note"),
    "event": N_("Entry"),
    "client_id": N_("Entry"),
    "age_years": N_("Age (years)"),
    "weight_kg": N_("Weight (kg)"),
    "file": N_("CSV file"),
}
AMOUNT_LABELS: Final = {
    "drops": N_("a few drops"),
    "small": N_("a little"),
    "moderate": N_("a fair amount"),
    "large": N_("a lot"),
}
TRIGGER_LABELS: Final = {
    "cough": N_("coughing"),
    "sneeze": N_("sneezing"),
    "laugh": N_("laughing"),
    "lift": N_("lifting"),
    "sport": N_("sport"),
    "urge": N_("sudden urge"),
    "other": N_("other or not sure"),
}
FLAG_LABELS: Final = {
    "straining": N_("I had to strain"),
    "incomplete": N_("It felt as if not everything came out"),
    "blockage": N_("It felt blocked"),
    "manual": N_("I helped with my hand"),
    "laxative": N_("After a laxative, suppository or enema"),
}
BRISTOL_LABELS: Final = {
    1: N_("hard separate lumps"),
    2: N_("lumpy sausage"),
    3: N_("sausage with cracks"),
    4: N_("smooth soft sausage"),
    5: N_("soft blobs"),
    6: N_("mushy, ragged pieces"),
    7: N_("watery, no pieces"),
}
METRIC_LABELS: Final[dict[str, tuple[str, str, str]]] = {
    # key: (name, unit, definition) — the definitions are ICS 2019 (Hashim et al.) in our words.
    "voided_volume_24h_ml": (
        N_("24-hour voided volume"),
        "ml",
        N_("All urine passed from just after one first morning void up to and including the next."),
    ),
    "nocturnal_urine_volume_ml": (
        N_("Night-time urine volume"),
        "ml",
        N_(
            "Urine passed after going to bed to sleep, plus the first morning void; "
            "not the last void before bed."
        ),
    ),
    "npi_pct": (
        N_("Night-time share (NPi)"),
        "%",
        N_("Night-time urine volume divided by the 24-hour voided volume."),
    ),
    "daytime_frequency": (
        N_("Voids by day"),
        "",
        N_("Voids while awake, including the last one before sleep and the first morning void."),
    ),
    "nocturia": (
        N_("Voids at night (nocturia)"),
        "",
        N_("Voids between going to bed to sleep and getting up."),
    ),
    "frequency_24h": (N_("Voids in 24 hours"), "", N_("All voids of the period.")),
    "max_voided_volume_ml": (
        N_("Largest void"),
        "ml",
        N_("The largest single measured void in the whole diary."),
    ),
    "mean_voided_volume_ml": (
        N_("Average void"),
        "ml",
        N_("24-hour voided volume divided by the number of voids."),
    ),
    "fluid_intake_24h_ml": (N_("Drinks"), "ml", N_("Everything drunk in the period.")),
    "incontinence_episodes_24h": (N_("Leaks"), "", N_("Each leak entered counts once.")),
    "urgency_episodes_24h": (
        N_("Strong urges"),
        "",
        N_("Voids and leaks with urge 3 (strong) or 4 (leaking with urge)."),
    ),
    "ni": (
        N_("Nocturia index (Ni)"),
        "",
        N_("Night-time urine volume divided by the largest void."),
    ),
    "pnv": (
        N_("Predicted night voids (PNV)"),
        "",
        N_("Nocturia index minus 1: how many night voids the bladder size would explain."),
    ),
    "nbci": (
        N_("Night-time bladder capacity index (NBCI)"),
        "",
        N_(
            "Actual night voids minus predicted night voids; above 0 points to a smaller "
            "bladder capacity at night."
        ),
    ),
}


def format_number(value: float | None, places: int = 2) -> str:
    """``value`` rounded to at most ``places`` decimals, with a decimal comma in Dutch."""
    if value is None:
        return "—"
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if current_locale.get() == "nl" else text


def _local_now(patient: User) -> dt.datetime:
    return utcnow().astimezone(service.zone_of(patient))


def _field(form: FormData | Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(form: FormData, name: str) -> float | None:
    text = _field(form, name).replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{name} must be a number; got {text!r}", field=name) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(f"{name} must be a number; got {text!r}", field=name)
    return value


def _whole(form: FormData, name: str) -> int | None:
    value = _number(form, name)
    if value is None:
        return None
    if not value.is_integer():
        raise InputError(f"{name} must be a whole number; got {value:g}", field=name)
    return int(value)


def _time(form: FormData, patient: User) -> dt.datetime:
    text, auto = _field(form, "time"), _field(form, "time_auto")
    if not text or (auto and text == auto):
        # Left as prefilled: the entry is for the moment it was sent, not when the page loaded.
        return _local_now(patient).replace(second=0, microsecond=0)
    return service.parse_local_time(text, zone=service.zone_of(patient))


def _volume(form: FormData, preset: str, custom: str) -> float | None:
    """A tapped preset, else the typed amount (``custom`` on the entry page, else ``volume_ml``)."""
    if preset:
        try:
            return float(preset)
        except ValueError:
            raise InputError(
                f"volume_ml must be a number; got {preset!r}", field="volume_ml"
            ) from None
    typed = _number(form, custom)
    return typed if typed is not None else _number(form, "volume_ml")


def _values(event: str, form: FormData, preset: str) -> dict[str, Any]:
    if event == "void":
        urgency = _whole(form, "urgency")
        return {
            "urgency": 0 if urgency is None else urgency,
            "volume_ml": _volume(form, preset, "void_ml"),
        }
    if event == "drink":
        return {"volume_ml": _volume(form, preset, "drink_ml"), "kind": _field(form, "kind")}
    if event == "leak":
        return {
            "amount": preset or _field(form, "amount"),
            "trigger": _field(form, "trigger") or "other",
            "urgency": _whole(form, "leak_urgency"),
        }
    if event == "bowel":
        bristol = _whole(form, "bristol")
        if bristol is None:
            raise InputError("bristol: choose the picture that looks most like it", field="bristol")
        return {"bristol": bristol, **{flag: bool(_field(form, flag)) for flag in BOWEL_FLAGS}}
    return {}


def _event_from_form(form: FormData, patient: User, *, kind: str | None = None) -> Event:
    """The event a form describes; ``add`` is ``event`` or ``event:preset`` (the tapped button)."""
    add = _field(form, "add") or _field(form, "event")
    if add == "auto":
        # Enter pressed in a field: save a typed amount, never guess anything else.
        if _field(form, "void_ml"):
            add = "void"
        elif _field(form, "drink_ml"):
            add = "drink"
        else:
            raise InputError("tap the button of what you want to save", field="event")
    event, _sep, preset = add.partition(":")
    if kind is not None:
        event = kind
    return service.build_event(
        event,
        time=_time(form, patient),
        values=_values(event, form, preset),
        note=_field(form, "note"),
    )


def _day_param(value: str | None, patient: User) -> dt.date:
    if not value:
        return _local_now(patient).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"day must be a date like 2025-03-29; got {value!r}", field="day"
        ) from None


def _form_context(patient: User) -> dict[str, Any]:
    now = _local_now(patient).strftime("%Y-%m-%dT%H:%M")
    return {
        "now_local": now,
        "new_client_id": str(uuid.uuid4()),
        "void_presets": VOID_PRESETS_ML,
        "drink_presets": DRINK_PRESETS_ML,
        "drink_kinds": DRINK_KINDS,
        "urgency_levels": URGENCY_LEVELS,
        "leak_amounts": LEAK_AMOUNTS,
        "leak_triggers": LEAK_TRIGGERS,
        "amount_labels": AMOUNT_LABELS,
        "trigger_labels": TRIGGER_LABELS,
        "flag_labels": FLAG_LABELS,
        "bowel_flags": BOWEL_FLAGS,
        "bristol_labels": BRISTOL_LABELS,
        "event_labels": EVENT_LABELS,
        "field_labels": FIELD_LABELS,
        "field_label": field_label,
        "num": format_number,
        "metric_labels": METRIC_LABELS,
    }


def _diary_page(
    request: Request,
    db: Db,
    patient: User,
    *,
    day: dt.date,
    error: InputError | None = None,
    status_code: int = 200,
) -> Response:
    # The day and the nights around it: a bed the evening before shades this morning.
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=service.zone_of(patient))
    rows = service.entries(
        db,
        patient=patient,
        start=midnight - dt.timedelta(days=2),
        end=midnight + dt.timedelta(days=3),
    )
    added = request.query_params.get("added")
    deleted = request.query_params.get("deleted")
    flash_added = flash_deleted = None
    if added:
        flash_added = next((r for r in rows if r.public_id == added), None)
    if deleted:
        try:
            entry = service.get_entry(db, patient=patient, entry_id=deleted, include_deleted=True)
        except NotFoundError:
            entry = None
        flash_deleted = entry if entry is not None and entry.deleted_at is not None else None
    return render(
        request,
        "diary/diary.html",
        {
            **_form_context(patient),
            "patient": patient,
            "view": service.day_view(rows, day=day, zone=service.zone_of(patient)),
            "today": _local_now(patient).date(),
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "flash_added": service.to_event(flash_added) if flash_added else None,
            "flash_deleted": flash_deleted,
            "flash_deleted_event": service.to_event(flash_deleted) if flash_deleted else None,
            "error": error,
            "queue_key": patient.public_id,
        },
        status_code=status_code,
    )


@router.get("/diary")
def diary_page(request: Request, patient: OwnDiary, db: Db, day: str | None = None) -> Response:
    """The bladder diary: one-tap entries and the day and night view."""
    return _diary_page(request, db, patient, day=_day_param(day, patient))


async def _add_from_form(
    request: Request, db: Db, patient: User, *, kind: str | None = None
) -> tuple[DiaryEntry, bool]:
    """Store the entry a posted form describes; its ``client_id`` makes a retry harmless."""
    form = await request.form()
    return service.add_entry(
        db,
        patient=patient,
        client_id=_field(form, "client_id") or str(uuid.uuid4()),
        event=_event_from_form(form, patient, kind=kind),
    )


@router.post("/diary/entries")
async def add_entry(request: Request, patient: OwnDiaryEdit, db: Db) -> Response:
    """Add an entry; the same ``client_id`` again returns the stored entry and adds nothing."""
    try:
        entry, created = await _add_from_form(request, db, patient)
    except InputError as exc:
        if wants_json(request):
            raise
        day = _local_now(patient).date()
        return _diary_page(request, db, patient, day=day, error=exc, status_code=422)
    local = service.to_event(entry).time
    # No jump to the day view: the confirmation and the form for the next entry are on top.
    after = f"/diary?day={local.date().isoformat()}&added={entry.public_id}"
    if wants_json(request):
        return _stored(entry, created, after)
    return RedirectResponse(after, status_code=303)


def _stored(entry: DiaryEntry, created: bool, after: str) -> JSONResponse:
    """The answer to a script's POST: 201 for a new entry, 200 for a retry of a stored one."""
    return JSONResponse(
        {
            "id": entry.public_id,
            "client_id": entry.client_id,
            "created": created,
            "event": entry.event,
            "time": service.to_event(entry).time.isoformat(),
            "next": after,
        },
        status_code=201 if created else 200,
    )


@router.get("/diary/entries/{entry_id}")
def edit_page(request: Request, entry_id: str, patient: OwnDiary, db: Db) -> Response:
    """Change or delete one entry."""
    entry = service.get_entry(db, patient=patient, entry_id=entry_id)
    return _edit_page(request, patient, entry)


def _edit_page(
    request: Request,
    patient: User,
    entry: DiaryEntry,
    *,
    error: InputError | None = None,
    status_code: int = 200,
) -> Response:
    event = service.to_event(entry)
    local = event.time.astimezone(service.zone_of(patient))
    return render(
        request,
        "diary/edit.html",
        {
            **_form_context(patient),
            "entry": entry,
            "event": event,
            "time_local": local.strftime("%Y-%m-%dT%H:%M"),
            "error": error,
        },
        status_code=status_code,
    )


@router.post("/diary/entries/{entry_id}")
async def update_entry(request: Request, entry_id: str, patient: OwnDiaryEdit, db: Db) -> Response:
    """Save a changed entry."""
    entry = service.get_entry(db, patient=patient, entry_id=entry_id)
    form = await request.form()
    try:
        event = _event_from_form(form, patient, kind=entry.event)
        entry = service.update_entry(db, patient=patient, entry_id=entry_id, event=event)
    except InputError as exc:
        db.rollback()
        return _edit_page(request, patient, entry, error=exc, status_code=422)
    day = service.to_event(entry).time.date().isoformat()
    return RedirectResponse(f"/diary?day={day}#day", status_code=303)


@router.post("/diary/entries/{entry_id}/delete")
def delete_entry(entry_id: str, patient: OwnDiaryEdit, db: Db) -> Response:
    """Delete an entry; the next page offers to undo it."""
    entry = service.delete_entry(db, patient=patient, entry_id=entry_id)
    day = service.to_event(entry).time.date().isoformat()
    return RedirectResponse(f"/diary?day={day}&deleted={entry.public_id}#day", status_code=303)


@router.post("/diary/entries/{entry_id}/restore")
def restore_entry(entry_id: str, patient: OwnDiaryEdit, db: Db) -> Response:
    """Undo a delete."""
    entry = service.restore_entry(db, patient=patient, entry_id=entry_id)
    day = service.to_event(entry).time.date().isoformat()
    return RedirectResponse(f"/diary?day={day}#day", status_code=303)


def _metrics_context(db: Db, patient: User, key: str | None) -> dict[str, Any]:
    rows = service.entries(db, patient=patient)
    spans = service.diary_spans(rows)
    span = next((s for s in spans if s.key == key), spans[-1] if spans else None)
    zone = service.zone_of(patient)
    bowel, rome = service.bowel_overview(rows)
    return {
        **_form_context(patient),
        "patient": patient,
        "spans": spans,
        "span": span,
        "report": service.report(db, patient=patient, span=span) if span else None,
        "chart": service.fv_chart(span, zone=zone) if span else None,
        "profile": service.get_profile(db, patient=patient),
        "metric_keys": [k for k in METRIC_KEYS if k in METRIC_LABELS],
        "metric_labels": METRIC_LABELS,
        "summary": bowel,
        "rome": rome,
    }


@router.get("/diary/metrics")
def metrics_page(request: Request, patient: OwnDiary, db: Db, diary: str | None = None) -> Response:
    """The ICS metrics of one diary, with definitions, the cut-off used and the warnings."""
    return render(request, "diary/metrics.html", _metrics_context(db, patient, diary))


@router.post("/diary/profile")
async def save_profile(request: Request, patient: OwnDiaryEdit, db: Db) -> Response:
    """Store age and weight for the cut-offs."""
    form = await request.form()
    try:
        age = _whole(form, "age_years")
        weight = _number(form, "weight_kg")
        service.save_profile(db, patient=patient, age_years=age, weight_kg=weight)
    except InputError as exc:
        context = _metrics_context(db, patient, None)
        return render(request, "diary/metrics.html", {**context, "error": exc}, status_code=422)
    return RedirectResponse("/diary/metrics#profile", status_code=303)


@router.get("/diary/export.csv")
def export_csv(patient: OwnDiary, db: Db) -> Response:
    """The whole diary as CSV (docs/diary.md)."""
    return Response(
        service.export_csv(db, patient=patient),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="pelvio-dagboek.csv"'},
    )


@router.get("/diary/import")
def import_page(request: Request, patient: OwnDiary) -> Response:
    """Upload a diary CSV."""
    return render(request, "diary/import.html", {**_form_context(patient), "patient": patient})


@router.post("/diary/import")
async def import_csv(request: Request, patient: OwnDiaryEdit, db: Db) -> Response:
    """Import a CSV strictly: every bad row named by line and field, and then nothing imported."""
    form = await request.form()
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("choose a CSV file to import", field="file")
        try:
            data = await upload.read(_UPLOAD_MAX_BYTES + 1)
        finally:
            await upload.close()
        if len(data) > _UPLOAD_MAX_BYTES:
            raise InputError("the file is larger than 5 MB", field="file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise FileFormatError(
                f"{upload.filename}, line {line}: the file is not UTF-8 text",
                path=upload.filename,
                line=line,
            ) from None
        result = service.import_csv(db, patient=patient, text=text, source=upload.filename)
    except InputError as exc:
        db.rollback()
        problems = str(exc)
        return render(
            request,
            "diary/import.html",
            {"patient": patient, "error": exc, "problems": problems},
            status_code=422,
        )
    return render(request, "diary/import.html", {"patient": patient, "result": result})


@router.get("/diary/bowel")
def bowel_page(request: Request, patient: OwnDiary, db: Db) -> Response:
    """The bowel diary: the Bristol picker, the week's summary and the Rome IV check."""
    return _bowel_page(request, db, patient)


def _bowel_page(
    request: Request,
    db: Db,
    patient: User,
    *,
    answers: RomeIVAnswers | None = None,
    error: InputError | None = None,
    status_code: int = 200,
) -> Response:
    rows = service.entries(db, patient=patient)
    summary, rome = service.bowel_overview(rows, answers=answers)
    recent = [r for r in rows if r.event == "bowel"][-10:]
    return render(
        request,
        "diary/bowel.html",
        {
            **_form_context(patient),
            "summary": summary,
            "rome": rome,
            "answers": answers,
            "questions": QUESTIONS,
            "recent": [(r, service.to_event(r)) for r in reversed(recent)],
            "error": error,
            "added": request.query_params.get("added"),
        },
        status_code=status_code,
    )


@router.post("/diary/bowel")
async def add_bowel(request: Request, patient: OwnDiaryEdit, db: Db) -> Response:
    """Add a bowel movement from the Bristol picker."""
    try:
        entry, created = await _add_from_form(request, db, patient, kind="bowel")
    except InputError as exc:
        if wants_json(request):
            raise
        return _bowel_page(request, db, patient, error=exc, status_code=422)
    after = f"/diary/bowel?added={entry.public_id}"
    if wants_json(request):
        return _stored(entry, created, after)
    return RedirectResponse(after, status_code=303)


def _yes_no(form: FormData, name: str) -> bool | None:
    value = _field(form, name)
    return {"yes": True, "no": False}.get(value)


@router.post("/diary/bowel/check")
async def bowel_check(request: Request, patient: OwnDiary, db: Db) -> Response:
    """The Rome IV check with the three answers (not stored): advice, never a diagnosis."""
    form = await request.form()
    answers = RomeIVAnswers(**{name: _yes_no(form, name) for name in QUESTIONS})
    return _bowel_page(request, db, patient, answers=answers)


@router.get("/patients/{patient_id}/diary")
def therapist_diary(
    request: Request, patient: PatientDiary, db: Db, diary: str | None = None
) -> Response:
    """A patient's diary metrics, chart and bowel summary, for their therapist."""
    context = _metrics_context(db, patient, diary)
    return render(request, "diary/metrics.html", {**context, "therapist_view": True})


def field_label(field: str | None) -> str:
    """The translated label of a form field, for error messages."""
    return _(FIELD_LABELS.get(field or "", N_("Entry")))
