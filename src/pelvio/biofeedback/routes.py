"""Biofeedback pages: start a session, watch it live, read its result; the therapist's views.

Thin routes over :mod:`pelvio.biofeedback.live` (running sessions) and
:mod:`pelvio.biofeedback.service` (storage). The live curve itself travels over the WebSocket
in :mod:`pelvio.biofeedback.ws`.

Which probes a user may pick comes from :func:`~pelvio.biofeedback.devices.available_devices`;
outside production a free spec string is accepted too (``replay:FILE.edf``, a simulated probe
with dropouts), which the browser tests and demos use. ``?speed=N`` shortens the template, as
the training player does, only outside production.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response

from pelvio.accounts.tables import User, new_public_id
from pelvio.biofeedback import service
from pelvio.biofeedback.devices import available_devices, open_device
from pelvio.biofeedback.hub import Hub, SessionPlan
from pelvio.biofeedback.live import (
    assessment_plan,
    check_plan,
    guided_plan,
    live_sessions,
    relaxation_plan,
)
from pelvio.biofeedback.tables import BiofeedbackSession
from pelvio.biofeedback.ws import router as ws_router
from pelvio.errors import InputError, NotFoundError, PelvioError
from pelvio.settings import Settings
from pelvio.signals.glazer import OLEKSY_2020, RELIABILITY_NOTE
from pelvio.training import service as training_service
from pelvio.training.model import Locale
from pelvio.training.programmes import get_programme
from pelvio.web import i18n
from pelvio.web.csrf import verify_csrf
from pelvio.web.deps import CurrentUser, Db, own_record, patient_record
from pelvio.web.i18n import gettext as _
from pelvio.web.templating import render

__all__ = ["lifespan", "router"]

pages = APIRouter(dependencies=[Depends(verify_csrf)])

OwnBiofeedback = Annotated[User, Depends(own_record("view:biofeedback"))]
OwnBiofeedbackAdd = Annotated[User, Depends(own_record("add:biofeedback-session"))]
PatientBiofeedback = Annotated[User, Depends(patient_record("view:biofeedback"))]
PatientBiofeedbackAdd = Annotated[User, Depends(patient_record("add:biofeedback-session"))]

REMOTE: Final = "remote"
_MAX_SPEED: Final = 100
MODES: Final = ("guided", "relaxation", "check")
CHUNK_S: Final = 0.02
"""A probe in the server hands over 20 ms at a time: 50 curve frames a second (the issue asks
for at least 50) at half the per-frame cost of 10 ms (docs/benchmarks.md)."""


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start: rebuild recordings a killed server left behind. At stop: end sessions cleanly."""
    live = live_sessions(app)
    await run_in_threadpool(live.recover)
    yield
    await live.stop_all()


def _locale() -> Locale:
    return "en" if i18n.current_locale.get() == "en" else "nl"


def _speed(request: Request, speed: int) -> int:
    settings: Settings = request.app.state.settings
    return max(1, min(speed, _MAX_SPEED)) if settings.env != "production" else 1


def _strings() -> dict[str, str]:
    """The texts the live page's script shows, translated here (the script has none)."""
    return {
        "connecting": _("Connecting…"),
        "waiting_probe": _("Waiting for the probe to connect…"),
        "connected": _("Connected. Press start when you are ready."),
        "running": _("Follow the band with your curve."),
        "signal_lost": _("Signal lost: check the probe and its cable."),
        "reconnected": _("Signal back."),
        "reconnecting": _("Connection lost, trying again…"),
        "ended": _("The session has ended."),
        "stopped": _("You stopped the session."),
        "start": _("Start"),
        "stop": _("Stop"),
        "hold": _("Hold to squeeze"),
        "keyboard_hint": _("Hold the space bar or the button to squeeze."),
        "calibrating": _("Measuring your resting level and your strongest squeeze…"),
        "relaxing": _("Let go: keep your curve low and steady."),
        "checking": _("Checking the signal: stay still and relaxed for a few seconds…"),
        "checked": _("Check done."),
        "score_reached": _("reached the target"),
        "score_missed": _("did not reach the target"),
        "score_held": _("held {held} of {asked} s"),
        "score_released": _("released in {release} s"),
        "score_not_released": _("did not release fully"),
        "score_co": _("belly muscles tightened too"),
        "contraction": _("Squeeze {n}"),
        "rest_level": _("Rest tone {uv} µV ({pct}% of your start)"),
        "target_level": _("{pct}% of your target"),
        "quality_ok": _("The signal looks good."),
        "quality_bad": _("The signal needs attention."),
        "result": _("See the result"),
        "seconds": _("s"),
    }


def _devices(settings: Settings) -> list[dict[str, str]]:
    choices = [{"spec": d.spec, "name": d.name} for d in available_devices()]
    choices.append({"spec": REMOTE, "name": _("A probe on another computer (pelvio connect)")})
    return choices


def _check_device(settings: Settings, spec: str) -> str:
    spec = spec.strip()
    allowed = {choice["spec"] for choice in _devices(settings)}
    if spec in allowed:
        return spec
    if settings.env != "production" and spec.split(":", 1)[0] in ("sim", "replay"):
        return spec
    raise InputError(_("Choose one of the probes in the list."), field="device")


def _plan(
    mode: str,
    session_id: str,
    *,
    speed: int,
    result_url: str,
    programme_id: str | None = None,
    level: int | None = None,
) -> SessionPlan:
    locale = _locale()
    strings = _strings()
    if mode == "guided":
        return guided_plan(
            session_id,
            programme_id or "basis",
            level or 1,
            locale,
            speed=speed,
            strings=strings,
            result_url=result_url,
        )
    if mode == "relaxation":
        return relaxation_plan(
            session_id, locale, speed=speed, strings=strings, result_url=result_url
        )
    if mode == "assessment":
        return assessment_plan(
            session_id, locale, speed=speed, strings=strings, result_url=result_url
        )
    return check_plan(session_id, locale, strings=strings)


async def _start(
    request: Request,
    db: Db,
    *,
    patient: User,
    actor: User,
    mode: str,
    device_spec: str,
    speed: int,
    base_url: str,
) -> tuple[str, str | None]:
    """Create the row, open the probe and start the hub; returns the session id and pairing code."""
    settings: Settings = request.app.state.settings
    live = live_sessions(request.app)
    spec = _check_device(settings, device_spec)
    programme_id, level = None, None
    if mode == "guided":
        plan_row = await run_in_threadpool(training_service.get_plan, db, patient=patient)
        programme_id = plan_row.programme_id if plan_row else "basis"
        level = plan_row.level if plan_row else 1
    if mode == "check":
        session_id = f"check-{new_public_id()}"
        plan = _plan(mode, session_id, speed=1, result_url="")
        device = _open(spec, plan)
        live.start(plan, device, recording_id=None)
        return session_id, None
    code, code_hash = (
        service.new_pairing_code(settings.effective_secret_key) if spec == REMOTE else (None, None)
    )
    name = _("A probe on another computer") if spec == REMOTE else spec.split("?", 1)[0]
    row = await run_in_threadpool(
        service.create_session,
        db,
        patient=patient,
        started_by=actor,
        mode=mode,
        device_name=name,
        signal_kind="emg",
        programme_id=programme_id,
        level=level,
        ingest_token_hash=code_hash,
    )
    session_id, recording_id = row.public_id, row.recording_id
    plan = _plan(
        mode,
        session_id,
        speed=speed,
        result_url=f"{base_url}/{session_id}",
        programme_id=programme_id,
        level=level,
    )
    if spec == REMOTE:
        live.pending[session_id] = (plan, recording_id)
    else:
        try:
            device = _open(spec, plan)
        except PelvioError:
            await run_in_threadpool(
                service.finish_session,
                db,
                public_id=session_id,
                status="ended",
                duration_s=0.0,
                result={"reason": "the probe could not be opened"},
            )
            raise
        live.start(plan, device, recording_id=recording_id)
    return session_id, code


def _open(spec: str, plan: SessionPlan) -> Any:
    cues = plan.cues

    def target(t_s: float) -> float:
        for cue in cues:
            if cue.start_s <= t_s < cue.end_s:
                return cue.target if cue.is_squeeze else 0.0
        return 0.0

    return open_device(spec, target=target, chunk_s=CHUNK_S)


def _session_context(
    request: Request, row: BiofeedbackSession, *, view: str, code: str | None, base_url: str
) -> dict[str, Any]:
    live = live_sessions(request.app)
    hub = live.get(row.public_id)
    running = row.status == "live" and (hub is not None or row.public_id in live.pending)
    data = _live_data(row.public_id, row.mode, view, hub)
    return {
        "row": row,
        "running": running,
        "data": data,
        "code": code,
        "connect_command": (
            f"pelvio connect --device SPEC --server {request.base_url}".rstrip("/")
            + " --code "
            + code
            if code
            else None
        ),
        "result": row.result or {},
        "reference": OLEKSY_2020,
        "reliability_note": RELIABILITY_NOTE,
        "base_url": base_url,
        "mode_names": _mode_names(),
        "status_names": _status_names(),
    }


def _live_data(session_id: str, mode: str, view: str, hub: Hub | None) -> dict[str, Any]:
    """The JSON block the live page's script reads (see ``static/live.js``)."""
    return {
        "ws_path": f"/ws/biofeedback/{session_id}?view={view}",
        "mode": mode,
        "keyboard": hub is not None and _keyboard(hub.info.spec),
        "strings": _strings(),
    }


def _keyboard(spec: str) -> bool:
    """Whether ``spec`` is the simulated probe driven by the Space key."""
    scheme, _, rest = spec.partition(":")
    return scheme == "sim" and rest.split("?", 1)[0] in ("", "keyboard")


def _mode_names() -> dict[str, str]:
    return {
        "guided": _("Guided exercises"),
        "relaxation": _("Relaxation"),
        "assessment": _("Glazer assessment"),
    }


def _status_names() -> dict[str, str]:
    return {
        "live": _("running"),
        "finished": _("finished"),
        "stopped": _("stopped early"),
        "ended": _("ended (probe disconnected)"),
        "recovered": _("recovered after an interruption"),
    }


# -- patient ---------------------------------------------------------------------------------
@pages.get("/biofeedback")
def home(request: Request, patient: OwnBiofeedback, db: Db, speed: int = 1) -> Response:
    settings: Settings = request.app.state.settings
    plan_row = training_service.get_plan(db, patient=patient)
    return render(
        request,
        "biofeedback/home.html",
        {
            "devices": _devices(settings),
            "sessions": service.list_sessions(db, patient=patient),
            "programme": get_programme(plan_row.programme_id) if plan_row else None,
            "level": plan_row.level if plan_row else None,
            "locale_code": _locale(),
            "speed": _speed(request, speed),
            "mode_names": _mode_names(),
            "status_names": _status_names(),
        },
    )


@pages.post("/biofeedback/sessions")
async def start_session(
    request: Request,
    patient: OwnBiofeedbackAdd,
    db: Db,
    mode: Annotated[str, Form()],
    device: Annotated[str, Form()],
    speed: int = 1,
) -> Response:
    if mode not in MODES:
        raise InputError(_("Choose guided exercises, relaxation or a signal check."), field="mode")
    session_id, code = await _start(
        request,
        db,
        patient=patient,
        actor=patient,
        mode=mode,
        device_spec=device,
        speed=_speed(request, speed),
        base_url="/biofeedback/sessions",
    )
    if mode == "check":
        return RedirectResponse(f"/biofeedback/check/{session_id}", status_code=303)
    if code:
        request.state.pairing_code = code
        row = service.get_session(db, patient=patient, public_id=session_id)
        return render(
            request,
            "biofeedback/live.html",
            _session_context(
                request, row, view="envelope", code=code, base_url="/biofeedback/sessions"
            ),
        )
    return RedirectResponse(f"/biofeedback/sessions/{session_id}", status_code=303)


@pages.get("/biofeedback/check/{session_id}")
def check_page(request: Request, patient: OwnBiofeedback, session_id: str) -> Response:
    hub = live_sessions(request.app).get(session_id)
    if hub is None or not session_id.startswith("check-"):
        raise NotFoundError("no such signal check")
    data = _live_data(session_id, "check", "raw", hub)
    return render(request, "biofeedback/check.html", {"data": data, "device": hub.info.name})


@pages.get("/biofeedback/sessions/{session_id}")
def session_page(request: Request, patient: OwnBiofeedback, db: Db, session_id: str) -> Response:
    row = service.get_session(db, patient=patient, public_id=session_id)
    context = _session_context(
        request, row, view="envelope", code=None, base_url="/biofeedback/sessions"
    )
    template = "biofeedback/live.html" if context["running"] else "biofeedback/result.html"
    return render(request, template, context)


@pages.get("/biofeedback/sessions/{session_id}/recording.edf")
def own_recording(
    request: Request,
    patient: Annotated[User, Depends(own_record("export:biofeedback-recording"))],
    db: Db,
    session_id: str,
) -> Response:
    return _recording(request, db, patient, session_id)


def _recording(request: Request, db: Db, patient: User, session_id: str) -> Response:
    row = service.get_session(db, patient=patient, public_id=session_id)
    path = live_sessions(request.app).recording_path(row.recording_id)
    if not path.exists():
        raise NotFoundError("this session has no recording (yet)")
    stamp = row.started_at.strftime("%Y%m%d-%H%M")
    return FileResponse(
        path, media_type="application/octet-stream", filename=f"pelvio-{row.mode}-{stamp}.edf"
    )


# -- therapist -------------------------------------------------------------------------------
@pages.get("/patients/{patient_id}/biofeedback")
def therapist_home(
    request: Request, patient: PatientBiofeedback, db: Db, speed: int = 1
) -> Response:
    settings: Settings = request.app.state.settings
    return render(
        request,
        "biofeedback/therapist.html",
        {
            "patient": patient,
            "devices": _devices(settings),
            "sessions": service.list_sessions(db, patient=patient),
            "speed": _speed(request, speed),
            "mode_names": _mode_names(),
            "status_names": _status_names(),
        },
    )


@pages.post("/patients/{patient_id}/biofeedback/sessions")
async def therapist_start(
    request: Request,
    patient: PatientBiofeedbackAdd,
    user: CurrentUser,
    db: Db,
    mode: Annotated[str, Form()],
    device: Annotated[str, Form()],
    speed: int = 1,
) -> Response:
    if mode not in ("assessment", "guided", "relaxation"):
        raise InputError(_("Choose an assessment, guided exercises or relaxation."), field="mode")
    base_url = f"/patients/{patient.public_id}/biofeedback/sessions"
    session_id, code = await _start(
        request,
        db,
        patient=patient,
        actor=user,
        mode=mode,
        device_spec=device,
        speed=_speed(request, speed),
        base_url=base_url,
    )
    if code:
        row = service.get_session(db, patient=patient, public_id=session_id)
        context = _session_context(request, row, view="raw", code=code, base_url=base_url)
        return render(request, "biofeedback/live.html", {**context, "patient": patient})
    return RedirectResponse(f"{base_url}/{session_id}", status_code=303)


@pages.get("/patients/{patient_id}/biofeedback/sessions/{session_id}")
def therapist_session(
    request: Request, patient: PatientBiofeedback, db: Db, session_id: str
) -> Response:
    row = service.get_session(db, patient=patient, public_id=session_id)
    base_url = f"/patients/{patient.public_id}/biofeedback/sessions"
    context = _session_context(request, row, view="raw", code=None, base_url=base_url)
    template = "biofeedback/live.html" if context["running"] else "biofeedback/result.html"
    return render(request, template, {**context, "patient": patient})


@pages.get("/patients/{patient_id}/biofeedback/sessions/{session_id}/recording.edf")
def therapist_recording(
    request: Request,
    patient: Annotated[User, Depends(patient_record("export:biofeedback-recording"))],
    db: Db,
    session_id: str,
) -> Response:
    return _recording(request, db, patient, session_id)


router = APIRouter()
router.include_router(pages)
router.include_router(ws_router)
