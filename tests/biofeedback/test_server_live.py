"""Live sessions against a real ``pelvio serve`` process: a remote probe, and a killed server."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from websockets.sync.client import connect

from pelvio.signals.edf import read_edf
from tests import serving

pytestmark = pytest.mark.xdist_group("server")


def test_remote_probe_streams_through_pelvio_connect(tmp_path: Path) -> None:
    with serving.running(tmp_path) as server:
        anna = serving.WebUser(server.url, "anna@demo.pelvio.nl", "demo-patient-2026")
        _, page = anna.post(
            "/biofeedback/sessions?speed=40",
            {"mode": "guided", "device": "remote"},
            form_page="/biofeedback",
        )
        code = re.search(r"--code ([A-Za-z0-9_\-]+)", page)
        session = re.search(r"/ws/biofeedback/([0-9a-f]{32})", page)
        assert code and session, page
        session_id = session.group(1)
        ws_url = server.url.replace("http", "ws") + f"/ws/biofeedback/{session_id}"
        with connect(ws_url, additional_headers={"Cookie": anna.cookie}) as ws:
            assert json.loads(ws.recv(timeout=10))["type"] == "waiting"
            probe = subprocess.Popen(
                [
                    serving.PELVIO,
                    "connect",
                    "--device",
                    "sim:healthy",
                    "--server",
                    server.url,
                    "--code",
                    code.group(1),
                ],
                env=server.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            hello = json.loads(ws.recv(timeout=30))
            assert hello["type"] == "hello"
            assert hello["device"] == "Simulated probe (healthy)"
            ws.send(json.dumps({"type": "start"}))
            kinds = set()
            while True:
                message = ws.recv(timeout=60)
                if isinstance(message, str):
                    event = json.loads(message)
                    kinds.add(event["type"])
                    if event["type"] == "ended":
                        break
            _, stderr = probe.communicate(timeout=60)
            assert probe.returncode == 0, stderr
        assert {"started", "calibration", "score", "ended"} <= kinds
        result = anna.get(f"/biofeedback/sessions/{session_id}")
        assert 'data-bf-status="finished"' in result
        assert "data-bf-scores" in result
        # The code worked once: a second connect is refused with a one-line error.
        again = subprocess.run(
            [
                serving.PELVIO,
                "connect",
                "--device",
                "sim:healthy",
                "--server",
                server.url,
                "--code",
                code.group(1),
            ],
            env=server.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert again.returncode == 2
        assert again.stderr.startswith("pelvio: error: ")
        assert "Traceback" not in again.stderr


def test_killed_server_recording_is_recovered_at_next_start(tmp_path: Path) -> None:
    env = serving.prepare(tmp_path)
    server = serving.start(tmp_path, env)
    try:
        anna = serving.WebUser(server.url, "anna@demo.pelvio.nl", "demo-patient-2026")
        started = time.monotonic()
        url, _ = anna.post(
            "/biofeedback/sessions",
            {"mode": "relaxation", "device": "sim:healthy"},
            form_page="/biofeedback",
        )
        session_id = url.rsplit("/", 1)[1]
        sidecars = list((tmp_path / "recordings").glob("*.pvsc"))
        assert len(sidecars) == 1
        time.sleep(4.0)
        streamed_s = time.monotonic() - started
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
    finally:
        if server.process.poll() is None:
            server.process.kill()
    assert sidecars[0].exists()
    server = serving.start(tmp_path, env)
    try:
        edfs = list((tmp_path / "recordings").glob("*.edf"))
        assert len(edfs) == 1
        assert not sidecars[0].exists()
        recording = read_edf(edfs[0])
        duration_s = recording.signal.size / recording.sampling_rate_hz
        # The bound: at most the last second lost (plus the real-time pacing's slack).
        assert duration_s >= streamed_s - 1.0 - 0.5
        assert any(a.text == "pelvio:recovered" for a in recording.annotations)
        anna = serving.WebUser(server.url, "anna@demo.pelvio.nl", "demo-patient-2026")
        page = anna.get(f"/biofeedback/sessions/{session_id}")
        assert 'data-bf-status="recovered"' in page
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
