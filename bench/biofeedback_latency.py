"""End-to-end latency of live biofeedback, device sample to drawn on the canvas (issue 4).

A real ``pelvio serve`` (development settings, demo data, ``tests/serving.py``) runs on
loopback; Debian's ``/usr/bin/chromium`` (or ``PELVIO_CHROMIUM``, never a downloaded browser)
runs headless through Playwright with the browser tests' launch arguments. A session is
started through the pages as a user would: the patient (anna@demo.pelvio.nl) starts a
relaxation session with the simulated probe ``sim:healthy`` from ``/biofeedback`` and watches
the envelope view; the therapist (therapeut@demo.pelvio.nl) starts one for the same patient
from ``/patients/{id}/biofeedback`` and watches the raw 2 kHz view. Relaxation runs 200 s at
real time, longer than the measurement.

The path measured: the simulated device stamps each 20 ms chunk with ``wall_ms``
(``time.time()`` when the chunk's newest sample is due and produced, in the server process);
the hub runs the signal pipeline, encodes the binary frame with that ``wall_ms``, and the
WebSocket carries it to the page; ``live.js`` decodes it and hands it to ``curve.js``, which
redraws on the next ``requestAnimationFrame`` and, for every frame it draws for the first
time, pushes ``performance.timeOrigin + performance.now() - wall_ms`` (taken when the
script has finished drawing) into ``window.pelvioLatency``. Server and browser run on the
same machine, so both read the same wall clock; the offset between Python's ``time.time()``
and the page's ``performance.timeOrigin + performance.now()`` is measured before and after
and reported.

Not inside the path: the age of a chunk's older samples (the oldest sample of a 20 ms chunk is
20 ms older than ``wall_ms``; reported as a separate column), the simulated device's own
lateness in waking up (a real probe stamps on acquisition, the simulation when its timer
fires), the group delay of the envelope filter (a property of the signal, not of transport),
and Chromium rasterising and compositing the canvas after the script has drawn.

Run: ``.venv/bin/python -m bench biofeedback_latency`` (writes ``docs/benchmarks.md``) or
``.venv/bin/python -m bench.biofeedback_latency`` (prints only). About 90 s.
"""

from __future__ import annotations

import datetime
import os
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright
from tests import serving
from tests.browser.conftest import CHROMIUM_ARGS, LiveServer, log_in

from pelvio.biofeedback.routes import CHUNK_S

PATIENT = ("anna@demo.pelvio.nl", "demo-patient-2026")
THERAPIST = ("therapeut@demo.pelvio.nl", "demo-therapeut-2026")
DEVICE = "sim:healthy"
MODE = "relaxation"
CHUNK_MS = CHUNK_S * 1000.0  # the chunk a probe in the server hands over
WARM_UP_S = 5.0
MEASURE_S = 25.0
TARGET_P99_MS = 50.0
CLOCK = "() => performance.timeOrigin + performance.now()"
MARK = """() => {
  const live = document.querySelector("[data-bf-live]");
  return {
    latency: (window.pelvioLatency || []).length,
    redraws: window.pelvioFrames || 0,
    frames: Number(live.dataset.frames || 0),
    lost: Number(live.dataset.lost || 0),
    state: live.dataset.state || "",
    t: performance.now(),
  };
}"""


@dataclass(frozen=True, slots=True)
class Result:
    """One view's measurement."""

    name: str
    latency_ms: list[float]
    frames: int
    lost: int
    redraws_per_s: float
    clock_offset_ms: tuple[float, float]
    clock_error_ms: float
    load: tuple[float, float]
    state: str


def _start(page: Page, start_url: str) -> None:
    page.goto(start_url)
    page.locator(f"input[name=mode][value={MODE}]").check()
    page.locator("select[name=device]").select_option(DEVICE)
    page.locator("form.bf-start-form button[type=submit]").click()
    live = page.locator("[data-bf-live]")
    expect(live).to_have_attribute("data-ready", "true", timeout=15000)
    start = page.locator("#bf-start")
    expect(start).to_be_enabled(timeout=15000)
    start.click()
    expect(live).to_have_attribute("data-state", "running", timeout=15000)


def _clock_offset(page: Page) -> tuple[float, float]:
    """Page clock minus Python's ``time.time()`` in ms, and the bound on its error.

    The reading with the shortest round trip of five, as NTP does.
    """
    readings = []
    for _ in range(5):
        before = time.time() * 1000
        page_ms = float(page.evaluate(CLOCK))
        after = time.time() * 1000
        readings.append(((after - before) / 2, page_ms - (before + after) / 2))
    error, offset = min(readings)
    return offset, error


def _patient_id(page: Page, url: str) -> str:
    page.goto(f"{url}/therapist")
    hrefs = page.locator("a[href^='/patients/']").evaluate_all(
        "(links) => links.filter((a) => /anna/i.test(a.textContent)).map((a) => a.pathname)"
    )
    for href in hrefs:
        match = re.fullmatch(r"/patients/([^/]+)", str(href))
        if match:
            return match.group(1)
    raise RuntimeError(f"no link to Anna's patient page on /therapist (links: {hrefs})")


def measure(browser: Browser, server: LiveServer, view: str) -> Result:
    """Log in, start a session, and collect the page's latencies for :data:`MEASURE_S`."""
    if view == "envelope":
        name = "patient, envelope view (phone 390×844)"
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    else:
        name = "therapist, raw 2 kHz view (desktop 1280×800)"
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    url = server.url
    try:
        page = context.new_page()
        if view == "envelope":
            log_in(page, server, *PATIENT)
            _start(page, f"{url}/biofeedback")
        else:
            log_in(page, server, *THERAPIST)
            patient_id = _patient_id(page, url)
            _start(page, f"{url}/patients/{patient_id}/biofeedback")
        page.wait_for_timeout(WARM_UP_S * 1000)
        offset_start, error_start = _clock_offset(page)
        load_start = os.getloadavg()[0]
        first = page.evaluate(MARK)
        page.wait_for_timeout(MEASURE_S * 1000)
        last = page.evaluate(MARK)
        load_end = os.getloadavg()[0]
        offset_end, error_end = _clock_offset(page)
        latency = page.evaluate(
            "(from) => (window.pelvioLatency || []).slice(from)", first["latency"]
        )
        page.locator("#bf-stop").click()
    finally:
        context.close()
    elapsed_s = (last["t"] - first["t"]) / 1000
    return Result(
        name=name,
        latency_ms=[float(v) for v in latency],
        frames=int(last["frames"] - first["frames"]),
        lost=int(last["lost"] - first["lost"]),
        redraws_per_s=(last["redraws"] - first["redraws"]) / elapsed_s,
        clock_offset_ms=(offset_start, offset_end),
        clock_error_ms=max(error_start, error_end),
        load=(load_start, load_end),
        state=str(last["state"]),
    )


def _row(r: Result) -> str:
    q = statistics.quantiles(r.latency_ms, n=100, method="inclusive")
    p50, p95, p99 = statistics.median(r.latency_ms), q[94], q[98]
    worst = max(r.latency_ms)
    received = r.frames + r.lost
    lost = f"{r.lost} ({r.lost / received:.2%})" if received else "–"
    return (
        f"| {r.name} | {len(r.latency_ms)} | {p50:.1f} | {p95:.1f} | **{p99:.1f}** | "
        f"{worst:.1f} | {p99 + CHUNK_MS:.1f} | {lost} | {r.redraws_per_s:.0f} | "
        f"{r.load[0]:.1f} → {r.load[1]:.1f} |"
    )


def run() -> str:
    """Measure the patient's envelope view and the therapist's raw view; return Markdown."""
    executable = os.environ.get("PELVIO_CHROMIUM", "/usr/bin/chromium")
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    results: list[Result] = []
    with (
        tempfile.TemporaryDirectory(prefix="pelvio-bench-") as tmp,
        serving.running(Path(tmp)) as server,
        sync_playwright() as playwright,
    ):
        live = LiveServer(url=server.url, data_dir=server.data_dir, env=server.env)
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for view in ("envelope", "raw"):
                results.append(measure(browser, live, view))
        finally:
            browser.close()
    for r in results:
        if len(r.latency_ms) < 100:
            raise RuntimeError(f"{r.name}: only {len(r.latency_ms)} frames drawn (state {r.state})")
    worst_p99 = max(
        statistics.quantiles(r.latency_ms, n=100, method="inclusive")[98] for r in results
    )
    verdict = "met" if worst_p99 <= TARGET_P99_MS else "missed"
    offsets = [o for r in results for o in r.clock_offset_ms]
    clock_error = max(r.clock_error_ms for r in results)
    return "\n".join(
        [
            f"**Device sample → drawn on the canvas**, one `pelvio serve` (development) and "
            f"headless Chromium on the same machine, loopback; `{MODE}` session with "
            f"`{DEVICE}` (2 kHz EMG, {CHUNK_MS:.0f} ms chunks) started through the pages; "
            f"{MEASURE_S:.0f} s measured per view after {WARM_UP_S:.0f} s warm-up. One value "
            "per WebSocket frame, taken when the curve first draws it; milliseconds.",
            "",
            "| view | frames drawn | p50 | p95 | p99 | max "
            f"| p99, oldest sample (+{CHUNK_MS:.0f} ms) "
            "| frames lost | redraws/s | load average (1 min) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *(_row(r) for r in results),
            "",
            f"Target p99 ≤ {TARGET_P99_MS:.0f} ms (newest sample of a chunk): {verdict} "
            f"(worst {worst_p99:.1f} ms). Page clock minus server clock "
            f"{min(offsets):+.1f} to {max(offsets):+.1f} ms (each reading ±{clock_error:.1f} ms). "
            f"Run {today} on {os.cpu_count()} cores.",
        ]
    )


if __name__ == "__main__":
    print(run())
