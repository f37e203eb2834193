"""Training pages: the session player, progress, explanations, reminders and the therapist view.

Thin routes over :mod:`pelvio.training.service`; each user action commits once.

The player's clock can be sped up for tests: ``/training/play?speed=20`` (1 to 100) runs the
session twenty times faster. The server honours ``speed`` only when ``PELVIO_ENV`` is
``development`` or ``test`` and hands it to the page in its JSON data block; in production
the player always runs in real time.

The reminder feed ``/training/calendar/{token}.ics`` is the one route without a login: the
random token in its address is the credential. The access is logged as the patient's own.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from pelvio.accounts.access import AuditLog, access_patient
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.content import render_markdown
from pelvio.db import utcnow
from pelvio.errors import InputError, NotFoundError
from pelvio.settings import Settings
from pelvio.training import service
from pelvio.training.bladder import DEFAULT_VOIDING_SCHEDULE, MAX_INTERVAL_MIN
from pelvio.training.library import explanation
from pelvio.training.modalities import (
    CONTRAINDICATIONS,
    BalloonProtocol,
    BalloonStep,
    ContraindicationError,
    ElectrostimulationParameters,
    ScreeningAnswers,
)
from pelvio.training.model import Locale
from pelvio.training.programmes import PROGRAMME_IDS, get_programme
from pelvio.web import i18n
from pelvio.web.csrf import verify_csrf
from pelvio.web.deps import (
    CurrentTherapist,
    CurrentUser,
    Db,
    get_audit,
    get_settings,
    own_record,
    patient_record,
)
from pelvio.web.i18n import N_
from pelvio.web.i18n import gettext as _
from pelvio.web.templating import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(verify_csrf)])

OwnTraining = Annotated[User, Depends(own_record("view:training"))]
OwnPlanChange = Annotated[User, Depends(own_record("change:training-plan"))]
OwnSessionAdd = Annotated[User, Depends(own_record("add:training-session"))]
OwnReminders = Annotated[User, Depends(own_record("view:training-reminders"))]
OwnRemindersChange = Annotated[User, Depends(own_record("change:training-reminders"))]
OwnModalityAdd = Annotated[User, Depends(own_record("add:modality-session"))]
OwnBladder = Annotated[User, Depends(own_record("view:training-bladder"))]
OwnBladderChange = Annotated[User, Depends(own_record("change:training-bladder"))]
PatientBladderChange = Annotated[User, Depends(patient_record("change:training-bladder"))]
PatientTraining = Annotated[User, Depends(patient_record("view:training"))]
PatientPlanChange = Annotated[User, Depends(patient_record("change:training-plan"))]
PatientModalityChange = Annotated[User, Depends(patient_record("change:modality-assignment"))]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AuditDep = Annotated[AuditLog, Depends(get_audit)]

_MAX_SPEED = 100
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
STATUS_TEXT = {
    "done": N_("done"),
    "open": N_("to do"),
    "partial": N_("partly done"),
    "missed": N_("missed"),
    "before-start": N_("before your start"),
    "future": N_("still to come"),
}
FELT_TEXT = {"yes": N_("Yes"), "no": N_("No"), "unsure": N_("Not sure")}
BALLOON_ACTIONS = {
    "sense": N_("Feel the balloon"),
    "squeeze": N_("Squeeze and hold"),
    "relax": N_("Relax"),
    "expel": N_("Push out gently"),
}
TOLERANCE_TEXT = {"good": N_("good"), "moderate": N_("moderate"), "poor": N_("poor")}
_FIELD_TEXT = {
    "times": N_("Fill in times like 08:30, each time only once."),
    "performed_at": N_("Fill in a date and time that has passed."),
    "discomfort_0_10": N_("Choose a number from 0 to 10."),
    "notes": N_("Your note is too long (at most 2000 characters)."),
    "start_interval_min": N_("Choose a time between voids from 15 to 240 minutes."),
    "first_void": N_("Fill in a time like 07:00."),
    "bed": N_("Fill in a bedtime like 23:00, later than your first void."),
}


def _locale() -> Locale:
    return "en" if i18n.current_locale.get() == "en" else "nl"


def _now() -> dt.datetime:
    return utcnow()


def _friendly(exc: InputError) -> str:
    text = _FIELD_TEXT.get(exc.field or "")
    return _(text) if text else str(exc)


def _common(status: service.TrainingStatus | None, patient: User) -> dict[str, Any]:
    zone = ZoneInfo(patient.timezone)
    return {
        "status": status,
        "local": lambda moment: moment.astimezone(zone),
        "weekdays": WEEKDAYS,
        "status_text": STATUS_TEXT,
        "felt_text": FELT_TEXT,
        "locale_code": _locale(),
    }


# --- the patient's pages ------------------------------------------------------------------------


def _player_base(request: Request, document: dict[str, Any], speed: int) -> dict[str, Any]:
    """Speed, language and the texts every player needs, around a timeline document."""
    settings: Settings = request.app.state.settings
    honoured = speed if settings.env != "production" else 1
    document.update(
        {
            "speed": max(1, min(honoured, _MAX_SPEED)),
            "lang": "en-GB" if _locale() == "en" else "nl-NL",
            "strings": {
                "ready": _("Get ready"),
                "pause": _("Pause"),
                "resume": _("Resume"),
                "sound_on": _("Sound: on"),
                "sound_off": _("Sound: off"),
                "sound_blocked": _("Tap 'Sound' to hear the cues."),
                "rep": _("Repetition {n} of {m}"),
            },
        }
    )
    return document


def _player(request: Request, status: service.TrainingStatus, speed: int) -> dict[str, Any]:
    document = _player_base(request, service.player_document(status.plan, _locale()), speed)
    document["strings"].update(
        {
            "saving": _("Saving your session..."),
            "queued": _(
                "You are offline. Your session is kept on this device and sent as soon "
                "as you are back online."
            ),
            "sent_later": _("Your earlier session has been saved."),
            "failed": _("Your session could not be saved: {detail}"),
            "done_count": _("Today: {done} of {planned} sessions done."),
            "stopped": _("Session stopped. It does not count as a full session."),
        }
    )
    document.update(
        {
            "post_url": "/api/training/sessions",
            "done_today": status.done_today,
            "planned_today": status.planned_today,
        }
    )
    return document


def _urge_player(request: Request, speed: int) -> dict[str, Any]:
    """The urge routine in the same player; nothing is sent: the bladder diary holds the urges."""
    document = _player_base(request, service.urge_player_document(_locale()), speed)
    document["strings"]["finished"] = _(
        "Well done. Is it not yet time on your schedule? Carry on with what you were doing."
    )
    document["strings"]["stopped"] = _("Stopped. You can start again whenever an urge comes.")
    document.update(
        {
            "post_url": None,
            "title": _("When an urge comes"),
            "intro": _("Do this when you feel an urge before your next planned time."),
            "start_label": _("Urge? Do the exercise"),
        }
    )
    return document


def _training_page(
    request: Request, db: Db, patient: User, template: str, speed: int, **extra: Any
) -> Response:
    status = service.status(db, patient=patient, now=_now())
    if status is None:
        return render(
            request,
            "training/choose.html",
            {
                "programmes": service.programme_choices(),
                "bladder": service.get_bladder_schedule(db, patient=patient),
                "locale_code": _locale(),
                **extra,
            },
        )
    context = {
        **_common(status, patient),
        "player": _player(request, status, speed),
        "assignments": service.active_assignments(db, patient=patient),
        "modality_log": service.modality_log(db, patient=patient, limit=5),
        "balloon_actions": BALLOON_ACTIONS,
        "tolerance_text": TOLERANCE_TEXT,
        "autostart": request.query_params.get("start") == "1",
        "bladder": service.get_bladder_schedule(db, patient=patient),
        **extra,
    }
    return render(request, template, context)


@router.get("/training")
def training_home(request: Request, patient: OwnTraining, db: Db, speed: int = 1) -> Response:
    """Today's sessions, the player, the week, streaks and progression."""
    return _training_page(request, db, patient, "training/home.html", speed)


@router.get("/training/play")
def training_play(request: Request, patient: OwnTraining, db: Db, speed: int = 1) -> Response:
    """The session player on its own page (``?start=1`` starts it at once)."""
    if service.get_plan(db, patient=patient) is None:
        return RedirectResponse("/training", status_code=303)
    return _training_page(request, db, patient, "training/play.html", speed)


@router.post("/training/plan")
def choose_plan(
    patient: OwnPlanChange, db: Db, programme_id: Annotated[str, Form(max_length=64)] = "basis"
) -> Response:
    """The patient starts a plan with the programme they chose."""
    today = _now().astimezone(ZoneInfo(patient.timezone)).date()
    service.create_plan(db, patient=patient, programme_id=programme_id, today=today)
    db.commit()
    return RedirectResponse("/training", status_code=303)


# --- bladder training ---------------------------------------------------------------------------


def _bladder_page(
    request: Request, db: Db, patient: User, *, speed: int = 1, status_code: int = 200, **extra: Any
) -> Response:
    context = {
        "bladder": service.bladder_status(db, patient=patient, now=_now()),
        "player": _urge_player(request, speed),
        "autostart": request.query_params.get("start") == "1",
        "defaults": DEFAULT_VOIDING_SCHEDULE,
        "max_interval_min": MAX_INTERVAL_MIN,
        "has_plan": service.get_plan(db, patient=patient) is not None,
        "saved": request.query_params.get("saved"),
        "locale_code": _locale(),
        "form": {},
        **extra,
    }
    return render(request, "training/bladder.html", context, status_code=status_code)


@router.get("/training/bladder")
def bladder_page(request: Request, patient: OwnBladder, db: Db, speed: int = 1) -> Response:
    """This week's interval, today's planned voids, the why, and the urge routine to play."""
    return _bladder_page(request, db, patient, speed=speed)


def _time_field(name: str, value: str) -> dt.time | None:
    text = value.strip()
    if not text:
        return None
    try:
        parsed = dt.time.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{name} must look like 07:00, got {text!r}", field=name) from exc
    return parsed.replace(second=0, microsecond=0)


def _optional_int(name: str, value: str) -> int | None:
    return _int_field(name, value.strip()) if value.strip() else None


@router.post("/training/bladder")
def save_bladder(
    request: Request,
    patient: OwnBladderChange,
    db: Db,
    start_interval_min: Annotated[str, Form(max_length=4)] = "",
    first_void: Annotated[str, Form(max_length=8)] = "",
    bed: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The patient starts bladder training or changes the start interval or the day's times."""
    try:
        service.set_bladder_schedule(
            db,
            patient=patient,
            today=_now().astimezone(ZoneInfo(patient.timezone)).date(),
            start_interval_min=_optional_int("start_interval_min", start_interval_min),
            first_void=_time_field("first_void", first_void),
            bed=_time_field("bed", bed),
        )
    except InputError as exc:
        db.rollback()
        form = {"start_interval_min": start_interval_min, "first_void": first_void, "bed": bed}
        return _bladder_page(
            request, db, patient, status_code=422, error=_friendly(exc), field=exc.field, form=form
        )
    db.commit()
    return RedirectResponse("/training/bladder?saved=1", status_code=303)


@router.post("/training/bladder/stop")
def stop_bladder(patient: OwnBladderChange, db: Db) -> Response:
    """The patient stops bladder training."""
    service.stop_bladder_schedule(db, patient=patient)
    db.commit()
    return RedirectResponse("/training/bladder", status_code=303)


class SessionIn(BaseModel):
    """A finished or stopped session, as the player sends it."""

    client_id: str = Field(max_length=64)
    programme_id: str = Field(max_length=64)
    level: int
    started_at: dt.datetime
    ended_at: dt.datetime
    completed: bool
    felt: str | None = Field(default=None, max_length=8)


@router.post("/api/training/sessions")
def add_session(body: SessionIn, patient: OwnSessionAdd, db: Db) -> dict[str, Any]:
    """Store a session (idempotent per ``client_id``) and answer with the new counts."""
    logged = service.log_session(
        db,
        patient=patient,
        client_id=body.client_id,
        programme_id=body.programme_id,
        level=body.level,
        started_at=body.started_at,
        ended_at=body.ended_at,
        completed=body.completed,
        felt=body.felt,
        now=_now(),
    )
    db.commit()
    status = logged.status
    locale = _locale()
    return {
        "id": logged.session.public_id,
        "duplicate": logged.duplicate,
        "done_today": status.done_today,
        "planned_today": status.planned_today,
        "current_streak_days": status.report.current_streak_days,
        "level": status.plan.level,
        "stepped_up": logged.stepped_up,
        "reason": status.progression.reason.get(locale),
        "advice": status.progression.advice.get(locale) if status.progression.advice else None,
    }


@router.get("/training/programmes")
def programme_list(request: Request, user: CurrentUser) -> Response:
    """Every programme, with a link to its explanation."""
    programmes = [get_programme(pid) for pid in PROGRAMME_IDS]
    return render(
        request, "training/programmes.html", {"programmes": programmes, "locale_code": _locale()}
    )


@router.get("/training/programmes/{programme_id}")
def programme_page(request: Request, user: CurrentUser, programme_id: str) -> Response:
    """Why, how and the common mistakes of one programme, with its source."""
    if programme_id not in PROGRAMME_IDS:
        raise NotFoundError("no such programme")
    locale = _locale()
    return render(
        request,
        "training/programme.html",
        {
            "programme": get_programme(programme_id),
            "body": render_markdown(explanation(programme_id, locale)),
            "locale_code": locale,
        },
    )


def _feed_url(request: Request, token: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/training/calendar/{token}.ics"


def _reminders_page(
    request: Request, db: Db, patient: User, *, status_code: int = 200, **extra: Any
) -> Response:
    plan = service.get_plan(db, patient=patient)
    if plan is None:
        return RedirectResponse("/training", status_code=303)
    feed = _feed_url(request, plan.calendar_token)
    context = {
        "plan": plan,
        "times": [f"{t:%H:%M}" for t in service.reminder_times(plan)],
        "feed_url": feed,
        "webcal_url": "webcal://" + feed.split("://", 1)[1],
        "saved": request.query_params.get("saved"),
        **extra,
    }
    return render(request, "training/reminders.html", context, status_code=status_code)


@router.get("/training/reminders")
def reminders_page(request: Request, patient: OwnReminders, db: Db) -> Response:
    """Choose the reminder times and subscribe to the calendar feed."""
    return _reminders_page(request, db, patient)


@router.post("/training/reminders")
def save_reminders(
    request: Request,
    patient: OwnRemindersChange,
    db: Db,
    times: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Store the reminder times."""
    try:
        parsed = service.parse_times(times or [])
        service.set_reminder_times(db, patient=patient, times=parsed)
    except InputError as exc:
        db.rollback()
        return _reminders_page(
            request, db, patient, status_code=422, error=_friendly(exc), field=exc.field
        )
    db.commit()
    return RedirectResponse("/training/reminders?saved=times", status_code=303)


@router.post("/training/calendar/token")
def new_calendar_token(patient: OwnRemindersChange, db: Db) -> Response:
    """Give the feed a new address; the old address stops working."""
    service.regenerate_calendar_token(db, patient=patient)
    db.commit()
    return RedirectResponse("/training/reminders?saved=token", status_code=303)


@router.get("/training/calendar/{token}.ics")
def calendar_feed(request: Request, token: str, db: Db, audit: AuditDep) -> Response:
    """The reminder feed; the token is the credential, the access is logged as the patient's."""
    found = service.patient_for_calendar_token(db, token=token)
    if found is None:
        audit.write(actor=None, patient_id=None, action="view:calendar-feed", outcome="not_found")
        raise NotFoundError("no such calendar")
    patient = access_patient(
        db,
        actor=found,
        patient_public_id=found.public_id,
        action="view:calendar-feed",
        audit=audit,
    )
    plan = service.get_plan(db, patient=patient)
    if plan is None:  # the plan went between the two reads
        raise NotFoundError("no such calendar")
    body = service.calendar_feed(
        plan=plan,
        patient=patient,
        now=_now(),
        link_url=f"{str(request.base_url).rstrip('/')}/training",
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="pelvio.ics"'},
    )


@router.post("/training/modality-sessions")
def add_modality_session(
    request: Request,
    patient: OwnModalityAdd,
    db: Db,
    assignment_id: Annotated[str, Form(max_length=32)] = "",
    performed_at: Annotated[str, Form(max_length=32)] = "",
    discomfort_0_10: Annotated[str, Form(max_length=3)] = "",
    completed: Annotated[str, Form(max_length=3)] = "",
    notes: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The patient notes one electrostimulation or balloon session."""
    now = _now()
    try:
        when = _local_datetime(performed_at, patient) if performed_at else now
        discomfort = _int_field("discomfort_0_10", discomfort_0_10)
        _, log = service.log_modality_session(
            db,
            patient=patient,
            assignment_id=assignment_id,
            performed_at=when,
            discomfort_0_10=discomfort,
            completed=completed == "yes",
            notes=notes,
            now=now,
        )
    except InputError as exc:
        db.rollback()
        return _training_page(
            request, db, patient, "training/home.html", 1, modality_error=_friendly(exc)
        )
    db.commit()
    return RedirectResponse(f"/training?logged={log.tolerance}#therapy", status_code=303)


def _local_datetime(value: str, patient: User) -> dt.datetime:
    try:
        naive = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError("performed_at must be a date and time", field="performed_at") from exc
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=ZoneInfo(patient.timezone))


def _int_field(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise InputError(f"{name} must be a whole number", field=name) from exc


def _float_field(name: str, value: str, *, required: bool = True) -> float | None:
    text = value.strip().replace(",", ".")
    if not text:
        if required:
            raise InputError(f"{name} must be filled in", field=name)
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise InputError(f"{name} must be a number, got {value!r}", field=name) from exc


# --- the therapist's pages ----------------------------------------------------------------------


def _therapist_page(
    request: Request, db: Db, patient: User, *, status_code: int = 200, **extra: Any
) -> Response:
    status = service.status(db, patient=patient, now=_now())
    context = {
        **_common(status, patient),
        "patient": patient,
        "programmes": service.programme_choices(),
        "bladder": service.bladder_status(db, patient=patient, now=_now()),
        "bladder_defaults": DEFAULT_VOIDING_SCHEDULE,
        "sessions": service.recent_sessions(db, patient=patient, limit=15),
        "assignments": service.active_assignments(db, patient=patient),
        "modality_log": service.modality_log(db, patient=patient),
        "contraindications": CONTRAINDICATIONS,
        "balloon_actions": BALLOON_ACTIONS,
        "tolerance_text": TOLERANCE_TEXT,
        "today": _now().astimezone(ZoneInfo(patient.timezone)).date(),
        "saved": request.query_params.get("saved"),
        "form": {},
        **extra,
    }
    return render(request, "training/therapist.html", context, status_code=status_code)


def _therapist_today(patient: User) -> dt.date:
    return _now().astimezone(ZoneInfo(patient.timezone)).date()


@router.get("/patients/{patient_id}/training")
def therapist_training(
    request: Request, patient: PatientTraining, user: CurrentUser, db: Db
) -> Response:
    """A patient's plan, adherence and level, with the forms to change them.

    Another patient's page answers 404 (through ``patient_record``); a patient opening their
    own is sent to their own training page.
    """
    if user.role is Role.PATIENT:
        return RedirectResponse("/training", status_code=303)
    return _therapist_page(request, db, patient)


@router.post("/patients/{patient_id}/training/plan")
def therapist_set_plan(
    request: Request,
    therapist: CurrentTherapist,
    patient: PatientPlanChange,
    db: Db,
    programme_id: Annotated[str, Form(max_length=64)] = "",
    level: Annotated[str, Form(max_length=3)] = "1",
    sessions_per_day: Annotated[str, Form(max_length=3)] = "3",
) -> Response:
    """Change the programme, level or sessions a day."""
    try:
        service.set_plan(
            db,
            patient=patient,
            programme_id=programme_id,
            level=_int_field("level", level),
            sessions_per_day=_int_field("sessions_per_day", sessions_per_day),
            today=_therapist_today(patient),
        )
    except InputError as exc:
        db.rollback()
        return _therapist_page(request, db, patient, status_code=422, plan_error=str(exc))
    db.commit()
    return RedirectResponse(f"/patients/{patient.public_id}/training?saved=plan", status_code=303)


@router.post("/patients/{patient_id}/training/bladder")
def therapist_set_bladder(
    request: Request,
    therapist: CurrentTherapist,
    patient: PatientBladderChange,
    db: Db,
    start_date: Annotated[str, Form(max_length=20)] = "",
    start_interval_min: Annotated[str, Form(max_length=4)] = "",
    increase_min_per_week: Annotated[str, Form(max_length=4)] = "",
    target_interval_min: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    """Start or change the patient's bladder-training schedule."""
    try:
        try:
            begin = dt.date.fromisoformat(start_date) if start_date.strip() else None
        except ValueError as exc:
            raise InputError("start_date must be a date", field="start_date") from exc
        service.set_bladder_schedule(
            db,
            patient=patient,
            today=_therapist_today(patient),
            start_date=begin,
            start_interval_min=_optional_int("start_interval_min", start_interval_min),
            increase_min_per_week=_optional_int("increase_min_per_week", increase_min_per_week),
            target_interval_min=_optional_int("target_interval_min", target_interval_min),
        )
    except InputError as exc:
        db.rollback()
        return _therapist_page(request, db, patient, status_code=422, bladder_error=str(exc))
    db.commit()
    return RedirectResponse(
        f"/patients/{patient.public_id}/training?saved=bladder#bladder", status_code=303
    )


@router.post("/patients/{patient_id}/training/bladder/stop")
def therapist_stop_bladder(
    therapist: CurrentTherapist, patient: PatientBladderChange, db: Db
) -> Response:
    """Stop the patient's bladder training."""
    service.stop_bladder_schedule(db, patient=patient)
    db.commit()
    return RedirectResponse(
        f"/patients/{patient.public_id}/training?saved=bladder#bladder", status_code=303
    )


class ElectrostimulationForm(BaseModel):
    """The electrostimulation form: parameters, screening date and the seven questions."""

    frequency_hz: str = Field(default="", max_length=20)
    pulse_width_us: str = Field(default="", max_length=20)
    on_time_s: str = Field(default="", max_length=20)
    off_time_s: str = Field(default="", max_length=20)
    duration_min: str = Field(default="", max_length=20)
    intensity_ma: str = Field(default="", max_length=20)
    screened_on: str = Field(default="", max_length=20)
    pregnant: str = Field(default="", max_length=3)
    gave_birth_last_12_weeks: str = Field(default="", max_length=3)
    pelvic_surgery_last_12_weeks: str = Field(default="", max_length=3)
    pacemaker: str = Field(default="", max_length=3)
    urinary_infection: str = Field(default="", max_length=3)
    broken_skin: str = Field(default="", max_length=3)
    large_prolapse: str = Field(default="", max_length=3)


def _answer(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


@router.post("/patients/{patient_id}/training/electrostimulation")
def therapist_assign_electrostimulation(
    request: Request,
    therapist: CurrentTherapist,
    patient: PatientModalityChange,
    db: Db,
    form: Annotated[ElectrostimulationForm, Form()],
) -> Response:
    """Assign electrostimulation, only after the contraindication screen passes."""
    values = form.model_dump()
    try:
        parameters = ElectrostimulationParameters(
            frequency_hz=_float_field("frequency_hz", form.frequency_hz) or 0.0,
            pulse_width_us=_float_field("pulse_width_us", form.pulse_width_us) or 0.0,
            on_time_s=_float_field("on_time_s", form.on_time_s) or 0.0,
            off_time_s=_float_field("off_time_s", form.off_time_s) or 0.0,
            duration_min=_float_field("duration_min", form.duration_min) or 0.0,
            intensity_ma=_float_field("intensity_ma", form.intensity_ma, required=False),
        )
        try:
            screened_on = dt.date.fromisoformat(form.screened_on)
        except ValueError as exc:
            raise InputError("screened_on must be a date", field="screened_on") from exc
        answers = ScreeningAnswers(**{item: _answer(values[item]) for item in CONTRAINDICATIONS})
        service.assign_electrostimulation_to(
            db,
            patient=patient,
            therapist=therapist,
            parameters=parameters,
            answers=answers,
            screened_on=screened_on,
            today=_therapist_today(patient),
        )
    except ContraindicationError as exc:
        db.rollback()
        return _therapist_page(
            request,
            db,
            patient,
            status_code=409,
            refusal=str(exc),
            findings=exc.findings,
            form=values,
        )
    except InputError as exc:
        db.rollback()
        return _therapist_page(
            request, db, patient, status_code=422, es_error=str(exc), form=values
        )
    db.commit()
    return RedirectResponse(
        f"/patients/{patient.public_id}/training?saved=electrostimulation#modalities",
        status_code=303,
    )


@router.post("/patients/{patient_id}/training/balloon")
def therapist_assign_balloon(
    request: Request,
    therapist: CurrentTherapist,
    patient: PatientModalityChange,
    db: Db,
    step_action: Annotated[list[str] | None, Form()] = None,
    step_volume_ml: Annotated[list[str] | None, Form()] = None,
    step_repetitions: Annotated[list[str] | None, Form()] = None,
    step_note: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Assign balloon training: steps, each with a volume; the volumes follow from the steps."""
    actions, volumes = step_action or [], step_volume_ml or []
    repetitions, notes = step_repetitions or [], step_note or []
    try:
        steps = []
        for index, action in enumerate(actions):
            volume_text = volumes[index] if index < len(volumes) else ""
            if not action or not volume_text.strip():
                continue
            steps.append(
                BalloonStep(
                    action,  # type: ignore[arg-type]  # checked by BalloonStep
                    _float_field("volume_ml", volume_text) or 0.0,
                    _int_field(
                        "repetitions",
                        (repetitions[index] if index < len(repetitions) else "") or "1",
                    ),
                    (notes[index] if index < len(notes) else "").strip(),
                )
            )
        volumes_ml = tuple(dict.fromkeys(step.volume_ml for step in steps))
        protocol = BalloonProtocol(volumes_ml, tuple(steps))
        service.assign_balloon(
            db,
            patient=patient,
            therapist=therapist,
            protocol=protocol,
            today=_therapist_today(patient),
        )
    except InputError as exc:
        db.rollback()
        return _therapist_page(request, db, patient, status_code=422, balloon_error=str(exc))
    db.commit()
    return RedirectResponse(
        f"/patients/{patient.public_id}/training?saved=balloon#modalities", status_code=303
    )


@router.post("/patients/{patient_id}/training/assignments/{assignment_id}/stop")
def therapist_stop_assignment(
    therapist: CurrentTherapist, patient: PatientModalityChange, db: Db, assignment_id: str
) -> Response:
    """Stop an assigned modality."""
    service.stop_assignment(
        db, patient=patient, assignment_id=assignment_id, today=_therapist_today(patient)
    )
    db.commit()
    return RedirectResponse(
        f"/patients/{patient.public_id}/training?saved=stopped#modalities", status_code=303
    )
