"""A live session through the real app: start, stream over the WebSocket, score, store, result."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from pelvio.biofeedback.protocol import ENVELOPE, RAW, decode_frame
from tests.web.conftest import csrf_token, log_in

PATIENT = ("anna@demo.pelvio.nl", "demo-patient-2026")
THERAPIST = ("therapeut@demo.pelvio.nl", "demo-therapeut-2026")
ORIGIN = {"origin": "http://127.0.0.1"}
WS = "ws://127.0.0.1"


def _start(client: TestClient, mode: str, device: str, speed: int = 1) -> str:
    response = client.post(
        f"/biofeedback/sessions?speed={speed}",
        data={"mode": mode, "device": device, "csrf_token": csrf_token(client, "/biofeedback")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    return str(location.rsplit("/", 1)[1])


def _collect(ws: WebSocketTestSession) -> tuple[list[dict[str, Any]], list[bytes]]:
    events: list[dict[str, Any]] = []
    frames: list[bytes] = []
    while True:
        message = ws.receive()
        if message["type"] == "websocket.close":
            break
        if message.get("bytes") is not None:
            frames.append(message["bytes"])
        else:
            event = json.loads(message["text"])
            events.append(event)
            if event["type"] == "hello":
                ws.send_text(json.dumps({"type": "start"}))
            if event["type"] == "ended":
                break
    return events, frames


def test_guided_session_streams_scores_and_stores(client: TestClient) -> None:
    log_in(client, *PATIENT)
    session_id = _start(client, "guided", "sim:healthy", speed=10)
    page = client.get(f"/biofeedback/sessions/{session_id}")
    assert page.status_code == 200
    assert 'id="bf-curve"' in page.text
    with client.websocket_connect(f"{WS}/ws/biofeedback/{session_id}", headers=ORIGIN) as ws:
        events, frames = _collect(ws)
    kinds = [e["type"] for e in events]
    assert kinds[0] == "hello"
    assert "calibration" in kinds
    assert "ended" in kinds
    decoded = [decode_frame(f) for f in frames]
    assert decoded and all(f.kind == ENVELOPE for f in decoded)
    seqs = [f.seq for f in decoded]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    scores = [e for e in events if e["type"] == "score"]
    assert scores
    assert sum(s["reached"] for s in scores) >= len(scores) * 0.7
    ended = events[-1]
    assert ended["status"] == "finished"
    result = client.get(f"/biofeedback/sessions/{session_id}")
    assert "data-bf-scores" in result.text
    edf = client.get(f"/biofeedback/sessions/{session_id}/recording.edf")
    assert edf.status_code == 200
    assert edf.content[:8] == b"0       "


def test_other_patient_cannot_watch(client: TestClient) -> None:
    log_in(client, *PATIENT)
    session_id = _start(client, "relaxation", "sim:healthy", speed=50)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/biofeedback")})
    log_in(client, "kees@demo.pelvio.nl", "demo-patient2-2026")
    assert client.get(f"/biofeedback/sessions/{session_id}").status_code == 404
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(f"{WS}/ws/biofeedback/{session_id}", headers=ORIGIN),
    ):
        pass
    assert refused.value.code == 4404


def test_foreign_origin_is_refused(client: TestClient) -> None:
    log_in(client, *PATIENT)
    session_id = _start(client, "relaxation", "sim:healthy", speed=50)
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(
            f"{WS}/ws/biofeedback/{session_id}", headers={"origin": "http://evil.example"}
        ),
    ):
        pass
    assert refused.value.code == 1008


def test_patient_gets_envelope_even_when_asking_for_raw(client: TestClient) -> None:
    log_in(client, *PATIENT)
    session_id = _start(client, "relaxation", "sim:healthy", speed=50)
    with client.websocket_connect(
        f"{WS}/ws/biofeedback/{session_id}?view=raw", headers=ORIGIN
    ) as ws:
        hello = json.loads(ws.receive_text())
        assert hello["view"] == "envelope"
        frame = decode_frame(ws.receive_bytes())
        assert frame.kind == ENVELOPE


def _patient_id(client: TestClient) -> str:
    page = client.get("/therapist")
    match = re.search(r'href="/patients/([0-9a-f]{32})"', page.text)
    assert match
    return match.group(1)


def test_therapist_runs_a_glazer_assessment_and_reads_its_metrics(client: TestClient) -> None:
    log_in(client, *THERAPIST)
    patient_id = _patient_id(client)
    base = f"/patients/{patient_id}/biofeedback"
    home = client.get(base)
    assert home.status_code == 200
    response = client.post(
        f"{base}/sessions?speed=20",
        data={
            "mode": "assessment",
            "device": "sim:healthy",
            "csrf_token": csrf_token(client, base),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    session_id = response.headers["location"].rsplit("/", 1)[1]
    with client.websocket_connect(
        f"{WS}/ws/biofeedback/{session_id}?view=raw", headers=ORIGIN
    ) as ws:
        events, frames = _collect(ws)
    assert events[0]["view"] == "raw"
    assert {decode_frame(f).kind for f in frames} == {RAW}
    assert events[-1]["type"] == "ended"
    result = client.get(f"{base}/sessions/{session_id}")
    assert "data-bf-glazer" in result.text
    for phase in ("pre_baseline", "phasic", "tonic", "endurance", "post_baseline"):
        assert f'data-phase="{phase}"' in result.text
    assert "Oleksy" in result.text
    recording = client.get(f"{base}/sessions/{session_id}/recording.edf")
    assert recording.status_code == 200


def test_relaxation_result_shows_rest_tone_windows(client: TestClient) -> None:
    log_in(client, *PATIENT)
    session_id = _start(client, "relaxation", "sim:overactive", speed=20)
    with client.websocket_connect(f"{WS}/ws/biofeedback/{session_id}", headers=ORIGIN) as ws:
        events, _ = _collect(ws)
    kinds = {e["type"] for e in events}
    assert {"calibration", "level", "ended"} <= kinds
    result = client.get(f"/biofeedback/sessions/{session_id}")
    assert "µV" in result.text
    assert "data-bf-summary" in result.text


def test_an_unknown_probe_is_refused_with_its_name(client: TestClient) -> None:
    log_in(client, *PATIENT)
    response = client.post(
        "/biofeedback/sessions",
        data={
            "mode": "guided",
            "device": "usb:nothing",
            "csrf_token": csrf_token(client, "/biofeedback"),
        },
        follow_redirects=False,
    )
    assert response.status_code in (400, 422)
