"""The live curve (biofeedback/static/curve.js) in a real browser, fed synthetic data.

A harness page on the live server's origin imports the module as the app serves it, pushes
envelope and raw samples, draws once and reads the canvas pixels back: the target band ahead
of "now", the signal line, a dropout drawn as a hatched gap with no line, and min/max
decimation of the 2 kHz raw view (a bounded number of path segments, not one per sample).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import SCREENSHOTS, LiveServer, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DPR = 2
HARNESS = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/pelvio.css">
<link rel="stylesheet" href="/static/biofeedback/biofeedback.css">
</head><body><main>
<section class="bf-live">
  <p id="bf-cue" aria-live="assertive"></p><p id="bf-countdown"></p>
  <canvas id="bf-curve" role="img" aria-label="curve"></canvas>
</section>
</main>
<script type="module">
import { Curve } from "/static/biofeedback/curve.js";
window.Curve = Curve;
window.harnessReady = true;
</script>
</body></html>"""

# The envelope session: rest 0-5 s, squeeze to 60 % 5-10 s, rest 10-15 s, squeeze 15-20 s.
# Data stop at 8.0 s and come back at 8.5 s; "now" is 13.5 s, the window 10 s with 30 % ahead,
# so 6.5-13.5 s is past and the second squeeze's band shows from 15 s to the right edge.
ENVELOPE_SETUP = """() => {
  const canvas = document.getElementById("bf-curve");
  const curve = new window.Curve(canvas, {
    smooth: false,
    cueElement: document.getElementById("bf-cue"),
    countdownElement: document.getElementById("bf-countdown"),
  });
  curve.setCues([
    {start_s: 0, end_s: 5, action: "rest", target: 0, text: "Ontspan"},
    {start_s: 5, end_s: 10, action: "contract", target: 0.6, text: "Knijp aan"},
    {start_s: 10, end_s: 15, action: "rest", target: 0, text: "Ontspan"},
    {start_s: 15, end_s: 20, action: "contract", target: 0.6, text: "Knijp aan"},
  ]);
  curve.setCalibration({baseline_uv: 5, max_uv: 55});
  curve.setSessionStart(0);
  const rate = 50;
  const wall = performance.timeOrigin + performance.now();
  for (let frame = 0; frame < 13.5 * rate; frame += 1) {
    const t = frame / rate;
    if (t >= 8 && t < 8.5) continue;
    const squeeze = t >= 5.3 && t < 9.7 ? 30 : 0;
    curve.pushEnvelope(t, rate, new Float32Array([5 + squeeze]), {wall_ms: wall});
  }
  curve.drawNow();
  window.curve = curve;
  return {width: canvas.width, height: canvas.height,
          cssWidth: canvas.clientWidth, cssHeight: canvas.clientHeight,
          cue: document.getElementById("bf-cue").textContent,
          countdown: document.getElementById("bf-countdown").textContent,
          latency: (window.pelvioLatency || []).length, frames: window.pelvioFrames};
}"""

# Pixels of a vertical strip at time t (CSS px of the lane), as [r, g, b] per device pixel row.
COLUMN = """([t, lane]) => {
  const curve = window.curve;
  const box = curve._layout.lanes[lane];
  const dpr = window.devicePixelRatio;
  const x = Math.round(curve.xOf(t) * dpr);
  const y0 = Math.ceil(box.top * dpr) + 2;
  const y1 = Math.floor(box.bottom * dpr) - 2;
  const data = curve.ctx.getImageData(x, y0, 1, y1 - y0).data;
  const rows = [];
  for (let i = 0; i < data.length; i += 4) rows.push([data[i], data[i + 1], data[i + 2]]);
  return {rows, y0, dpr};
}"""

PIXEL = """([t, value]) => {
  const curve = window.curve;
  const dpr = window.devicePixelRatio;
  const d = curve.ctx.getImageData(
    Math.round(curve.xOf(t) * dpr), Math.round(curve.yOf(value) * dpr), 1, 1).data;
  return [d[0], d[1], d[2]];
}"""


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def near(pixel: list[int], colour: tuple[int, int, int], tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


SIGNAL = rgb("#1b2330")


def dark(pixel: list[int]) -> bool:
    """The signal's colour (the core of the line; the baseline and grid are lighter)."""
    return near(pixel, SIGNAL, 40)


@pytest.fixture
def curve_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone-sized page at devicePixelRatio 2, so the canvas must scale its backing store."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=DPR, locale="nl-NL"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()
    assert errors == []


def open_harness(page: Page, server: LiveServer) -> None:
    url = f"{server.url}/__curve_harness"
    page.route(url, lambda route: route.fulfill(content_type="text/html", body=HARNESS))
    page.goto(url)
    page.wait_for_function("window.harnessReady === true")


def test_envelope_curve_draws_band_ahead_line_and_gap(
    curve_page: Page, live_server: LiveServer
) -> None:
    page = curve_page
    open_harness(page, live_server)
    info: dict[str, Any] = page.evaluate(ENVELOPE_SETUP)
    shot(page, "curve-envelope")

    # The backing store follows the box at the device pixel ratio.
    assert info["width"] == info["cssWidth"] * DPR
    assert info["height"] == info["cssHeight"] * DPR
    # Cue and countdown at 13.5 s: the rest from 10 to 15 s, 1.5 s left.
    assert info["cue"] == "Ontspan"
    assert info["countdown"] == "2"
    # Every pushed frame was drawn once, with its latency recorded.
    assert info["latency"] == 13.5 * 50 - 25
    assert info["frames"] >= 1

    colours = page.evaluate("window.curve.colours")
    # Ahead of now: the second squeeze's band at 60 % (35 µV) is in the band colour, and
    # nothing is drawn above it.
    assert near(page.evaluate(PIXEL, [16.0, 35.0]), rgb(colours["band"]))
    assert near(page.evaluate(PIXEL, [16.0, 47.0]), rgb(colours["background"]))
    # Behind now the band of the first squeeze is the lighter colour (above the line).
    assert near(page.evaluate(PIXEL, [7.0, 41.0]), rgb(colours["bandPast"]))

    # The line: at 11 s the envelope is at rest (5 µV), drawn dark at that height.
    column = page.evaluate(COLUMN, [11.0, 0])
    dark_rows = [i for i, p in enumerate(column["rows"]) if dark(p)]
    assert dark_rows, "no line at 11 s"
    y_line = page.evaluate("window.curve.yOf(5) * window.devicePixelRatio") - column["y0"]
    assert min(abs(r - y_line) for r in dark_rows) <= 3 * DPR

    # The dropout (8.0-8.5 s): no line anywhere in the column, and hatching instead.
    gap = page.evaluate(COLUMN, [8.25, 0])
    assert not [p for p in gap["rows"] if dark(p)]
    hatch = rgb(colours["gapHatch"])
    assert any(near(p, hatch, 30) for p in gap["rows"])
    assert any(near(p, rgb(colours["gap"])) for p in gap["rows"])


def test_curve_follows_a_resize(curve_page: Page, live_server: LiveServer) -> None:
    page = curve_page
    open_harness(page, live_server)
    page.evaluate(ENVELOPE_SETUP)
    page.set_viewport_size({"width": 800, "height": 700})
    page.wait_for_function(
        "document.getElementById('bf-curve').width"
        " === document.getElementById('bf-curve').clientWidth * window.devicePixelRatio"
    )
    colours = page.evaluate("window.curve.colours")
    assert near(page.evaluate(PIXEL, [16.0, 35.0]), rgb(colours["band"]))
    shot(page, "curve-envelope-wide")


RAW_SETUP = """() => {
  const canvas = document.getElementById("bf-curve");
  const curve = new window.Curve(canvas, {smooth: false, view: "raw"});
  curve.setView("raw", "uV", ["EMG", "Buik"]);
  const rate = 2000;
  const n = 20;
  const chunk = new Float32Array(2 * n);
  let seed = 1;
  const noise = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; };
  for (let frame = 0; frame < 12 * rate / n; frame += 1) {
    const t = frame * n / rate;
    for (let k = 0; k < n; k += 1) {
      const ts = t + k / rate;
      const burst = ts >= 6 && ts < 9 ? 100 : 4;
      chunk[k] = burst * Math.sin(2 * Math.PI * 80 * ts) + 2 * noise();
      chunk[n + k] = 3 * noise();
    }
    curve.pushRaw(t, rate, 2, chunk, {dropout: ts_dropout(t)});
  }
  function ts_dropout(t) { return t >= 10 && t < 10.4; }
  let segments = 0;
  const ctx = curve.ctx;
  const lineTo = ctx.lineTo.bind(ctx);
  const moveTo = ctx.moveTo.bind(ctx);
  ctx.lineTo = (x, y) => { segments += 1; lineTo(x, y); };
  ctx.moveTo = (x, y) => { segments += 1; moveTo(x, y); };
  curve.drawNow();
  ctx.lineTo = lineTo;
  ctx.moveTo = moveTo;
  window.curve = curve;
  return {segments, plotWidth: curve._layout.width, lanes: curve._layout.lanes.length,
          scale: curve.scales[0]};
}"""


def test_raw_view_decimates_per_pixel_column(curve_page: Page, live_server: LiveServer) -> None:
    page = curve_page
    open_harness(page, live_server)
    info: dict[str, Any] = page.evaluate(RAW_SETUP)
    shot(page, "curve-raw")

    # 2 channels x 7 s of 2 kHz behind now = 28,000 samples; the path has a handful of
    # points per pixel column (plus the grid and now line), not one per sample.
    assert info["lanes"] == 2
    assert info["segments"] < 2 * 2 * info["plotWidth"] + 100
    # The y axis of the EMG lane is symmetric and holds the ±100 µV burst.
    assert info["scale"]["lo"] == -info["scale"]["hi"]
    assert info["scale"]["hi"] >= 100

    # During the burst one column spans from near -100 to near +100 µV.
    column = page.evaluate(COLUMN, [7.5, 0])
    dark_rows = [i for i, p in enumerate(column["rows"]) if dark(p)]
    y_plus = page.evaluate("window.curve.yOf(90) * window.devicePixelRatio") - column["y0"]
    y_minus = page.evaluate("window.curve.yOf(-90) * window.devicePixelRatio") - column["y0"]
    assert min(dark_rows) <= y_plus
    assert max(dark_rows) >= y_minus
    # The frames flagged as dropout (10.0-10.4 s) leave both lanes without a line.
    for lane in (0, 1):
        gap = page.evaluate(COLUMN, [10.2, lane])
        assert not [p for p in gap["rows"] if dark(p)]
