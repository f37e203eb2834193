"""The WebSockets of live biofeedback.

``/ws/biofeedback/{session_id}?view=envelope|raw`` — a browser watching a session. It logs in
with the session cookie like every page, the access is logged through
:func:`~pelvio.accounts.access.access_patient`, and the ``Origin`` must be this server (a
WebSocket is not covered by the CSRF token, so a foreign page must not open one with the
user's cookie). The raw 2 kHz view is for therapists; patients get the envelope. Only the
patient and the person who started the session may steer it (start, stop, the Space key of
the simulated probe).

``/ws/ingest`` — ``pelvio connect`` streaming a probe from another computer into a session.
It authenticates with the session's pairing code in the ``Authorization: Bearer`` header
(never in the address), sends a JSON hello describing the probe, then raw frames
(:mod:`pelvio.biofeedback.protocol`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Coroutine
from typing import Any, Final

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool

from pelvio._check import check_sampling_rate
from pelvio.accounts import service as accounts_service
from pelvio.accounts.access import AuditLog, access_patient
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.biofeedback import service
from pelvio.biofeedback.devices import Chunk, DeviceInfo, Gap, SignalKind
from pelvio.biofeedback.hub import Hub, Message, RemoteDevice, Send, View
from pelvio.biofeedback.live import LiveSessions, live_sessions
from pelvio.biofeedback.protocol import RAW, decode_frame
from pelvio.biofeedback.tables import BiofeedbackSession
from pelvio.errors import InputError, PelvioError
from pelvio.settings import Settings
from pelvio.signals.edf import MIN_EMG_SAMPLING_RATE_HZ
from pelvio.web.deps import SESSION_COOKIE

__all__ = ["router"]

router = APIRouter()

POLICY_VIOLATION: Final = 1008
NOT_FOUND: Final = 4404
WAIT_FOR_PROBE_S: Final = 600.0


def _origin_ok(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser; the cookie alone is then no cross-site risk
    host = websocket.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def _authorise(websocket: WebSocket, session_id: str) -> tuple[User, BiofeedbackSession] | None:
    """The user and the session they may watch; logs the access either way."""
    token = websocket.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    audit: AuditLog = websocket.app.state.audit
    with websocket.app.state.session_factory() as db:
        user = accounts_service.user_for_session(db, token=token)
        db.commit()
        if user is None:
            return None
        row = db.query(BiofeedbackSession).filter_by(public_id=session_id).one_or_none()
        patient = db.get(User, row.patient_id) if row is not None else None
        try:
            access_patient(
                db,
                actor=user,
                patient_public_id=patient.public_id if patient else "-",
                action="view:biofeedback-live",
                audit=audit,
            )
        except PelvioError:
            return None
        db.expunge_all()
        assert row is not None
        return user, row


def _authorise_check(websocket: WebSocket) -> User | None:
    token = websocket.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    with websocket.app.state.session_factory() as db:
        user = accounts_service.user_for_session(db, token=token)
        db.commit()
        if user is not None:
            db.expunge(user)
        return user


@router.websocket("/ws/biofeedback/{session_id}")
async def watch(websocket: WebSocket, session_id: str, view: str = "envelope") -> None:
    if not _origin_ok(websocket):
        await websocket.close(POLICY_VIOLATION)
        return
    live = live_sessions(websocket.app)
    if session_id.startswith("check-"):
        user = await run_in_threadpool(_authorise_check, websocket)
        allowed = user is not None
        may_steer = allowed
    else:
        found = await run_in_threadpool(_authorise, websocket, session_id)
        allowed = found is not None
        user = found[0] if found else None
        row = found[1] if found else None
        may_steer = bool(found and user and row and user.id in (row.patient_id, row.started_by_id))
    if not allowed or user is None:
        await websocket.close(NOT_FOUND)
        return
    chosen: View = "raw" if view == "raw" and user.role is not Role.PATIENT else "envelope"
    if view == "raw" and session_id.startswith("check-"):
        chosen = "raw"
    await websocket.accept()
    hub = live.get(session_id)
    if hub is None and session_id in live.pending:
        await websocket.send_text(json.dumps({"type": "waiting"}))
        hub = await _wait_for_hub(live, session_id)
    if hub is None:
        await websocket.send_text(json.dumps({"type": "gone"}))
        await websocket.close()
        return
    await _pump(websocket, hub, chosen, may_steer=may_steer)


async def _wait_for_hub(live: LiveSessions, session_id: str) -> Hub | None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_FOR_PROBE_S
    while loop.time() < deadline:
        hub = live.get(session_id)
        if hub is not None:
            return hub
        if session_id not in live.pending:
            return None
        await asyncio.sleep(0.2)
    return None


def _sender(websocket: WebSocket) -> Send:
    def send(message: Message) -> Coroutine[Any, Any, None]:
        if isinstance(message, bytes):
            return websocket.send_bytes(message)
        return websocket.send_text(message)

    return send


async def _pump(websocket: WebSocket, hub: Hub, view: View, *, may_steer: bool) -> None:
    """Push the hub's messages to the socket (see :class:`Subscriber`) and take the
    listener's controls, until either side ends."""
    subscriber = hub.subscribe(view, _sender(websocket))

    async def receive() -> None:
        while True:
            text = await websocket.receive_text()
            try:
                message = json.loads(text)
            except ValueError:
                continue
            if may_steer and isinstance(message, dict):
                hub.control(message)

    sender = asyncio.create_task(subscriber.closed())
    receiver = asyncio.create_task(receive())
    try:
        await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hub.unsubscribe(subscriber)
        for task in (sender, receiver):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, Exception):
                await task
        with contextlib.suppress(Exception):
            await websocket.close()


def _pairing(websocket: WebSocket) -> tuple[str, int] | None:
    header = websocket.headers.get("authorization", "")
    scheme, _, code = header.partition(" ")
    if scheme.lower() != "bearer" or not code:
        return None
    settings: Settings = websocket.app.state.settings
    audit: AuditLog = websocket.app.state.audit
    with websocket.app.state.session_factory() as db:
        try:
            row = service.session_for_pairing_code(
                db, secret_key=settings.effective_secret_key, code=code.strip()
            )
        except PelvioError:
            audit.write(
                actor=None, patient_id=None, action="add:biofeedback-remote-probe", outcome="denied"
            )
            return None
        patient = db.get(User, row.patient_id)
        audit.write(
            actor=patient,
            patient_id=row.patient_id,
            action="add:biofeedback-remote-probe",
            outcome="allowed",
        )
        return row.public_id, row.patient_id


def _device_info(hello: dict[str, Any]) -> DeviceInfo:
    """The remote probe's description, checked: EMG needs 1 kHz, units must match the kind."""
    labels = tuple(str(label)[:16] for label in hello.get("labels", ()))
    units = tuple(str(unit) for unit in hello.get("units", ()))
    if hello.get("kind") not in ("emg", "pressure"):
        raise InputError("the probe's kind must be emg or pressure", field="kind")
    kind: SignalKind = "emg" if hello["kind"] == "emg" else "pressure"
    rate = check_sampling_rate(hello.get("sampling_rate_hz"))
    if not 1 <= len(labels) <= 2 or len(units) != len(labels):
        raise InputError("the probe must describe 1 or 2 channels with a unit each", field="device")
    if any(unit not in ("uV", "cmH2O") for unit in units):
        raise InputError("channel units must be uV or cmH2O", field="device")
    if kind == "emg" and rate < MIN_EMG_SAMPLING_RATE_HZ:
        raise InputError(
            f"an EMG probe needs at least {MIN_EMG_SAMPLING_RATE_HZ:g} Hz, this one sends "
            f"{rate:g} Hz",
            field="device",
        )
    name = str(hello.get("name") or "Remote probe")[:100]
    return DeviceInfo(f"remote:{name}", name, kind, rate, labels, units)


@router.websocket("/ws/ingest")
async def ingest(websocket: WebSocket) -> None:
    found = await run_in_threadpool(_pairing, websocket)
    if found is None:
        await websocket.close(
            POLICY_VIOLATION,
            "unknown or expired pairing code: start a new session on the biofeedback page",
        )
        return
    session_id, _ = found
    live = live_sessions(websocket.app)
    await websocket.accept()
    try:
        hello = json.loads(await websocket.receive_text())
        info = _device_info(hello.get("device", {}))
    except (ValueError, PelvioError, AttributeError) as exc:
        await websocket.send_text(json.dumps({"type": "error", "message": str(exc)}))
        await websocket.close(POLICY_VIOLATION)
        return
    hub = live.get(session_id)
    device: RemoteDevice
    if hub is None:
        pending = live.pending.pop(session_id, None)
        if pending is None:
            await websocket.send_text(json.dumps({"type": "error", "message": "session ended"}))
            await websocket.close()
            return
        plan, recording_id = pending
        device = RemoteDevice(info)
        hub = live.start(plan, device, recording_id=recording_id)
    elif isinstance(hub.device, RemoteDevice):
        device = hub.device
    else:
        await websocket.close(POLICY_VIOLATION)
        return
    await websocket.send_text(json.dumps({"type": "ready", "session_id": session_id}))
    expected_seq: int | None = None
    rate = info.sampling_rate_hz
    try:
        while hub.state != "ended":
            payload = await websocket.receive_bytes()
            try:
                frame = decode_frame(payload)
            except PelvioError as exc:
                await websocket.send_text(json.dumps({"type": "error", "message": str(exc)}))
                continue
            if frame.kind != RAW or frame.channels != len(info.labels):
                continue
            first_index = round(frame.t_s * rate)
            if expected_seq is not None and frame.seq != expected_seq:
                device.feed(Gap(first_index, 0, "frames lost on the network", frame.wall_ms))
            expected_seq = (frame.seq + 1) & 0xFFFFFFFF
            device.feed(Chunk(frame.samples.astype("float64"), first_index, frame.wall_ms))
    except WebSocketDisconnect:
        pass
    finally:
        device.feed(None)
