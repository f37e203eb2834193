"""The live biofeedback page controller (biofeedback/static/live.js) against a fake WebSocket.

The page is the lead's template markup served on the live server's origin; an init script puts
a scripted WebSocket in place before the module loads, so the test plays the server: it sends
hello, calibration, cue, binary frames packed as pelvio.biofeedback.protocol describes them,
scores, a dropout, a dropped connection and the end, and reads what the page shows and sends.
"""

from __future__ import annotations

import json
import re
import struct
import time
from array import array
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

KIND_RAW = 1
KIND_ENVELOPE = 2
STRINGS = {
    "connecting": "Verbinden…",
    "waiting_probe": "Wachten op de probe…",
    "connected": "Verbonden. Druk op start als je klaar bent.",
    "running": "Volg de band met je curve.",
    "calibrating": "We meten je rustniveau en je sterkste aanspanning…",
    "signal_lost": "Signaal weg: controleer de probe.",
    "reconnected": "Signaal terug.",
    "reconnecting": "Verbinding weg, opnieuw proberen…",
    "ended": "De sessie is klaar.",
    "stopped": "Je hebt de sessie gestopt.",
    "hold": "Houd vast om aan te spannen",
    "keyboard_hint": "Houd de spatiebalk of de knop ingedrukt.",
    "score_reached": "doel gehaald",
    "score_missed": "doel niet gehaald",
    "score_held": "{held} van {asked} s vastgehouden",
    "score_released": "losgelaten in {release} s",
    "score_not_released": "niet helemaal losgelaten",
    "score_co": "buikspieren spanden mee",
    "contraction": "Aanspanning {n}",
    "rest_level": "Rusttonus {uv} µV ({pct}% van je start)",
    "target_level": "{pct}% van je doel",
    "result": "Bekijk het resultaat",
    "quality_ok": "Het signaal ziet er goed uit.",
    "quality_bad": "Het signaal vraagt aandacht.",
    "relaxing": "Laat los: houd je lijn laag.",
    "checking": "We controleren het signaal…",
    "checked": "Controle klaar.",
}
WS_PATH = "/ws/biofeedback/abc123?view=envelope"
DATA = {"ws_path": WS_PATH, "mode": "guided", "keyboard": True, "strings": STRINGS}


def page_html(data: dict[str, Any]) -> str:
    """The lead's _live.html markup with ``data`` in its JSON block."""
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/pelvio.css">
<link rel="stylesheet" href="/static/biofeedback/biofeedback.css">
</head><body><main>
<section class="bf-live" data-bf-live>
  <p id="bf-cue" aria-live="assertive"></p> <p id="bf-countdown"></p>
  <canvas id="bf-curve" role="img" aria-label="Je spiercurve"></canvas>
  <p id="bf-status" role="status"></p>
  <p id="bf-level"></p>
  <button id="bf-start" type="button">Start</button>
  <button id="bf-stop" type="button">Stop</button>
  <ol id="bf-scores"></ol>
  <div id="bf-summary" hidden></div>
  <div id="bf-quality" hidden></div>
  <script type="application/json" id="bf-data">{json.dumps(data)}</script>
</section>
</main>
<script type="module" src="/static/biofeedback/live.js"></script>
</body></html>"""


FAKE_SOCKET = """
window.__sockets = [];
class FakeSocket {
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    window.__sockets.push(this);
    setTimeout(() => { this.readyState = 1; this.onopen?.({}); }, 0);
  }
  send(data) { this.sent.push(JSON.parse(data)); }
  close(code) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.closedWith = code;
    setTimeout(() => this.onclose?.({code}), 0);
  }
  drop() { this.readyState = 3; this.onclose?.({code: 1006}); }
}
window.WebSocket = FakeSocket;
"""
CUES = [
    {"start_s": 0, "end_s": 5, "action": "rest", "target": 0, "text": "Ontspan"},
    {"start_s": 5, "end_s": 10, "action": "contract", "target": 0.6, "text": "Knijp aan"},
    {"start_s": 10, "end_s": 15, "action": "rest", "target": 0, "text": "Ontspan"},
]
HELLO = {
    "type": "hello",
    "session_id": "abc123",
    "mode": "guided",
    "kind": "emg",
    "unit": "µV",
    "sampling_rate_hz": 2000,
    "envelope_rate_hz": 50,
    "channels": 1,
    "labels": ["EMG"],
    "view": "envelope",
    "state": "waiting",
    "started": False,
    "start_t_s": None,
    "t_s": 0.0,
    "duration_s": 15,
    "cues": CUES,
    "strings": {},
}


def frame(
    kind: int, seq: int, t_s: float, rate_hz: float, samples: list[float], *, flags: int = 0
) -> list[int]:
    """One binary frame as the wire protocol lays it out (32-byte header, float32 samples)."""
    header = struct.pack(
        "<2sBBIddfHBB",
        b"PV",
        1,
        kind,
        seq,
        t_s,
        time.time() * 1000,
        rate_hz,
        len(samples),
        1,
        flags,
    )
    assert len(header) == 32
    return list(header + array("f", samples).tobytes())


def envelope_frames(first_seq: int, start_s: float, stop_s: float) -> list[list[int]]:
    rate = 50
    frames = []
    for k in range(round((stop_s - start_s) * rate)):
        t_s = start_s + k / rate
        value = 35.0 if 5.3 <= t_s < 9.7 else 5.0
        frames.append(frame(KIND_ENVELOPE, first_seq + k, t_s, rate, [value]))
    return frames


def deliver(page: Page, *messages: Any) -> None:
    """Hand messages to the page's newest socket: dicts as JSON text, lists as binary frames."""
    page.evaluate(
        """(messages) => {
            const socket = window.__sockets.at(-1);
            for (const m of messages) {
                const data = typeof m === "string" ? m : new Uint8Array(m).buffer;
                socket.onmessage({data});
            }
        }""",
        [json.dumps(m) if isinstance(m, dict) else m for m in messages],
    )


def sent(page: Page, index: int = -1) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = page.evaluate(f"window.__sockets.at({index}).sent")
    return result


def open_page(page: Page, server: LiveServer, data: dict[str, Any] = DATA) -> None:
    url = f"{server.url}/__live_harness"
    body = page_html(data)
    page.add_init_script(FAKE_SOCKET)
    page.route(url, lambda route: route.fulfill(content_type="text/html", body=body))
    page.goto(url)
    expect(page.locator("[data-bf-live]")).to_have_attribute("data-state", "connected")


def test_live_page_plays_a_session(page: Page, live_server: LiveServer) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_page(page, live_server)
    root = page.locator("[data-bf-live]")
    status = page.locator("#bf-status")
    host = live_server.url.removeprefix("http://")
    assert page.evaluate("window.__sockets[0].url") == f"ws://{host}{WS_PATH}"
    assert page.evaluate("window.__sockets[0].binaryType") == "arraybuffer"

    deliver(page, HELLO)
    expect(status).to_have_text(STRINGS["connected"])
    expect(root).to_have_attribute("data-state", "ready")
    expect(page.locator("#bf-stop")).to_be_hidden()
    page.locator("#bf-start").click()
    assert sent(page) == [{"type": "start"}]

    # The server starts the timeline at device time 0 and measures the calibration first;
    # frames up to 6 s then put "now" in the squeeze cue.
    deliver(page, {"type": "started", "t_s": 0.0}, {"type": "cue", "index": 0, "t_s": 0.0})
    expect(status).to_have_text(STRINGS["calibrating"])
    deliver(page, {"type": "calibration", "baseline_uv": 5, "max_uv": 55})
    expect(status).to_have_text(STRINGS["running"])
    deliver(page, *envelope_frames(0, 0.0, 6.0))
    expect(root).to_have_attribute("data-state", "running")
    expect(page.locator("#bf-start")).to_be_hidden()
    expect(page.locator("#bf-stop")).to_be_visible()
    expect(page.locator("#bf-cue")).to_have_text("Knijp aan")
    expect(page.locator("#bf-countdown")).to_have_text(re.compile(r"^[1-4]$"))
    page.wait_for_timeout(300)  # the level is refreshed at most every 250 ms
    deliver(page, *envelope_frames(300, 6.0, 6.5))
    expect(page.locator("#bf-level")).to_have_text("100% van je doel")
    # Every delivered frame is drawn (and timed) once, at the next animation frame.
    page.wait_for_function("window.pelvioLatency.length === 325")
    assert page.evaluate("window.pelvioFrames") > 0
    assert root.get_attribute("data-lost") is None

    # Space squeezes (auto-repeat is not sent again); so does the on-screen button.
    page.keyboard.down(" ")
    page.keyboard.down(" ")
    page.keyboard.up(" ")
    hold = page.locator("#bf-hold")
    expect(hold).to_have_text(STRINGS["hold"])
    expect(page.locator("#bf-hold-hint")).to_have_text(STRINGS["keyboard_hint"])
    box = hold.bounding_box()
    assert box is not None and box["height"] >= 44
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    expect(hold).to_have_attribute("aria-pressed", "true")
    page.mouse.up()
    expect(hold).to_have_attribute("aria-pressed", "false")
    keys = [m["down"] for m in sent(page) if m["type"] == "key"]
    assert keys == [True, False, True, False]

    # Scores (ContractionScore.to_dict() plus "number") become plain words from the strings,
    # numbers in the page's language.
    score = {
        "type": "score",
        "number": 1,
        "index": 1,
        "reached": True,
        "held": True,
        "held_s": 4.4,
        "asked_s": 5.0,
        "released": False,
        "release_s": None,
        "co_contraction": None,
    }
    second = {"number": 2, "reached": False, "released": True, "release_s": 0.75}
    deliver(page, score, {**score, **second, "co_contraction": True})
    expect(page.locator("#bf-scores li")).to_have_text(
        [
            "Aanspanning 1: doel gehaald, 4,4 van 5 s vastgehouden, niet helemaal losgelaten",
            "Aanspanning 2: doel niet gehaald, 4,4 van 5 s vastgehouden, losgelaten in 0,8 s,"
            " buikspieren spanden mee",
        ]
    )

    # A dropout: the status says so; a lost frame (seq jump) is counted; the signal comes back.
    deliver(page, {"type": "dropout", "t_s": 6.5, "reason": "no data for 0.5 s"})
    expect(status).to_have_text(STRINGS["signal_lost"])
    expect(root).to_have_attribute("data-state", "dropout")
    shot(page, "live-dropout")
    deliver(page, frame(KIND_ENVELOPE, 330, 7.2, 50, [5.0], flags=1))
    expect(root).to_have_attribute("data-lost", "5")
    deliver(page, {"type": "reconnected", "t_s": 7.3, "lost_s": 0.8})
    expect(status).to_have_text(STRINGS["reconnected"])

    # The connection drops before the end: the page says so and connects again.
    page.evaluate("window.__sockets.at(-1).drop()")
    expect(root).to_have_attribute("data-state", "reconnecting")
    expect(status).to_have_text(STRINGS["reconnecting"])
    page.wait_for_function("window.__sockets.length === 2")
    expect(root).to_have_attribute("data-state", "connected")
    deliver(page, {**HELLO, "state": "running", "started": True, "start_t_s": 0.0, "t_s": 7.4})
    expect(status).to_have_text(STRINGS["running"])

    # The end: the summary in the server's words and a link to the result page.
    deliver(
        page,
        {
            "type": "ended",
            "status": "finished",
            "reason": "finished",
            "url": "/biofeedback/sessions/abc123",
            "summary": {"text": "Goed gedaan.\n\nJe haalde het doel 1 keer.", "nl": "", "en": ""},
        },
    )
    summary = page.locator("#bf-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("p")).to_have_text(["Goed gedaan.", "Je haalde het doel 1 keer."])
    link = summary.get_by_role("link", name=STRINGS["result"])
    expect(link).to_have_attribute("href", "/biofeedback/sessions/abc123")
    expect(status).to_have_text(STRINGS["ended"])
    expect(page.locator("#bf-cue")).to_have_text("")
    expect(page.locator("#bf-countdown")).to_have_text("")
    expect(page.locator("#bf-hold")).to_be_hidden()
    expect(page.locator("#bf-stop")).to_be_hidden()
    assert page.evaluate("window.__sockets.at(-1).closedWith") == 1000
    page.wait_for_timeout(700)
    assert page.evaluate("window.__sockets.length") == 2
    shot(page, "live-ended")
    assert errors == []


def test_live_page_relaxation_level_and_probe_check(page: Page, live_server: LiveServer) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    data = {**DATA, "mode": "relaxation", "keyboard": False}
    open_page(page, live_server, data)
    expect(page.locator("#bf-hold")).to_have_count(0)
    rest = [{"start_s": 0, "end_s": 60, "action": "rest", "target": 0, "text": "Laat los"}]
    hello = {**HELLO, "mode": "relaxation", "cues": rest, "started": True, "start_t_s": 0.0}
    deliver(page, hello, {"type": "calibration", "baseline_uv": 8.0, "max_uv": None})
    deliver(page, *[frame(KIND_ENVELOPE, k, k / 50, 50, [6.0]) for k in range(150)])
    deliver(
        page,
        {"type": "level", "rest_uv": 6.0, "variability_pct": 10.0, "vs_baseline_pct": -25.0},
    )
    expect(page.locator("#bf-level")).to_have_text("Rusttonus 6 µV (75% van je start)")
    expect(page.locator("#bf-status")).to_have_text(STRINGS["relaxing"])
    expect(page.locator("#bf-cue")).to_have_text("Laat los")
    # The rest band sits at the baseline even without a maximum.
    y_band = page.evaluate("window.pelvioLive.curve.yOf(8)")
    assert y_band > 0
    shot(page, "live-relaxation")

    check = {
        "type": "quality",
        "verdict": "bad",
        "message": {"nl": "Er zit brom op het signaal.", "en": "There is hum on the signal."},
        "checks": [
            {"name": "hum", "status": "bad", "message": {"nl": "Brom van 50 Hz", "en": "Hum"}},
            {"name": "clipping", "status": "ok", "message": {"nl": "Geen clipping", "en": "No"}},
        ],
    }
    deliver(page, check)
    quality = page.locator("#bf-quality")
    expect(quality).to_be_visible()
    expect(quality.locator("p")).to_have_text(
        [STRINGS["quality_bad"], "Er zit brom op het signaal."]
    )
    expect(quality.locator("li")).to_have_text(["Brom van 50 Hz", "Geen clipping"])

    # The session is gone (ended elsewhere): no reconnecting.
    deliver(page, {"type": "gone"})
    expect(page.locator("[data-bf-live]")).to_have_attribute("data-state", "ended")
    page.wait_for_timeout(700)
    assert page.evaluate("window.__sockets.length") == 1
    assert errors == []


def test_probe_check_status_says_checking_then_done(page: Page, live_server: LiveServer) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_page(page, live_server, {**DATA, "mode": "check", "keyboard": False})
    deliver(page, {**HELLO, "mode": "check", "cues": [], "started": True, "start_t_s": 0.0})
    status = page.locator("#bf-status")
    expect(status).to_have_text(STRINGS["checking"])
    deliver(page, {"type": "quality", "verdict": "ok", "checks": []})
    expect(status).to_have_text(STRINGS["checked"])
    expect(page.locator("#bf-quality p")).to_have_text([STRINGS["quality_ok"]])
    assert errors == []
