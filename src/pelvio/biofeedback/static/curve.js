// The live curve: the muscle signal scrolling against the session's target band.
//
// A window of `window_s` seconds scrolls from right to left. "Now" sits at `1 - ahead` of the
// width, so the band of the coming cues is visible before the patient has to follow it. The
// band of a cue is centred on baseline + target x (max - baseline) from the calibration, half
// as wide as `band_fraction` x (max - baseline); rest cues (target 0) sit at the baseline.
//
// Samples go into one ring buffer per stream (the envelope, each raw channel), indexed by the
// sample clock (t_s x rate_hz), so a jump in t_s or a frame flagged as dropout leaves NaN that
// is never drawn and shows as a hatched gap. When a column of pixels holds more than two
// samples (the 2 kHz raw view) each column is drawn as one vertical line from the minimum to
// the maximum of its samples; sparser data is drawn sample by sample.
//
// Drawing happens on requestAnimationFrame, only when data arrived, a setting changed or the
// clock moved. With `smooth` (the default) "now" follows the wall clock between frames, so the
// curve scrolls evenly and keeps moving during a dropout; without it "now" is the end of the
// newest data (tests and still pictures).
//
// Measurement hooks: every redraw adds one to `frames` (and `window.pelvioFrames`) and records
// its duration in `drawMs`; when the samples of a frame carrying `wall_ms` are first drawn,
// performance.timeOrigin + performance.now() - wall_ms goes into `window.pelvioLatency`.

const DEFAULTS = {
  window_s: 10,
  ahead: 0.3,
  band_fraction: 0.15,
  smooth: true,
  view: "envelope",
  unit: "uV",
  labels: [],
  min_range: null,
  cueElement: null,
  countdownElement: null,
  onCue: null,
};
// The smallest span of the y axis, so that noise at rest does not fill the height.
const MIN_RANGE = { envelope: { uV: 20, cmH2O: 10 }, raw: { uV: 50, cmH2O: 10 } };
const UNIT_TEXT = { uV: "µV", cmH2O: "cmH₂O" };
const COLOURS = {
  background: ["--bf-background", "#ffffff"],
  grid: ["--bf-grid", "#e4e9ee"],
  axis: ["--bf-axis", "#4f5b6b"],
  band: ["--bf-band", "#b9dede"],
  bandEdge: ["--bf-band-edge", "#0b6e6e"],
  bandPast: ["--bf-band-past", "#e6f2f2"],
  baseline: ["--bf-baseline", "#4f5b6b"],
  signal: ["--bf-signal", "#1b2330"],
  envelope: ["--bf-envelope", "#2d5b9a"],
  now: ["--bf-now", "#b0413e"],
  gap: ["--bf-gap", "#eef1f4"],
  gapHatch: ["--bf-gap-hatch", "#9aa5b1"],
};
const STALE_S = 0.3;
const LATENCY_CAP = 100000;
const DRAW_MS_CAP = 100000;
const MARGIN = { left: 44, right: 6, top: 20, bottom: 6, lane: 18 };
const REST_ACTIONS = new Set(["rest", "relax", "breathe"]);

/** The cue running at session time `t` (cues cover [start_s, end_s)), or null. */
export function cueIndexAt(cues, t) {
  if (!cues.length || t < cues[0].start_s || t >= cues[cues.length - 1].end_s) return -1;
  let low = 0;
  let high = cues.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (cues[mid].start_s <= t) low = mid; else high = mid - 1;
  }
  return t < cues[low].end_s ? low : -1;
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `x`. */
export function niceCeil(x) {
  if (!(x > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= x * (1 - 1e-9)) return step * power;
  }
  return 10 * power;
}

/** Samples of one stream by their sample-clock index; missing ones read NaN. */
class Ring {
  constructor(rate_hz, window_s) {
    this.rate_hz = rate_hz;
    this.capacity = Math.max(64, Math.ceil(rate_hz * (window_s + 2) * 2));
    this.data = new Float32Array(this.capacity).fill(NaN);
    this.first = null; // index of the first sample ever received
    this.head = 0; // one past the newest index
  }

  /** Store `n` samples from `values` (at `offset`) starting at `t_s`; return the gap opened. */
  write(t_s, values, offset, n, dropout) {
    const start = Math.round(t_s * this.rate_hz);
    let gap = null;
    if (this.first === null) {
      this.first = start;
      this.head = start;
    } else if (start > this.head) {
      gap = [this.head / this.rate_hz, start / this.rate_hz];
      for (let i = Math.max(this.head, start - this.capacity); i < start; i += 1) {
        this.data[i % this.capacity] = NaN;
      }
    }
    const { data, capacity } = this;
    let j = start % capacity;
    for (let k = 0; k < n; k += 1) {
      data[j] = dropout ? NaN : values[offset + k];
      j += 1;
      if (j === capacity) j = 0;
    }
    this.head = Math.max(this.head, start + n);
    return gap;
  }

  /** The oldest index still held. */
  get oldest() {
    return Math.max(this.first ?? 0, this.head - this.capacity);
  }

  get end_s() {
    return this.head / this.rate_hz;
  }
}

export class Curve {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {object} options window_s, ahead (share of the window after now), band_fraction,
   *   smooth, view ("envelope" | "raw"), unit ("uV" | "cmH2O"), labels (per raw channel),
   *   min_range (y span floor, in `unit`), cueElement, countdownElement, onCue(cue, index).
   */
  constructor(canvas, options = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.options = { ...DEFAULTS, ...options };
    this.cues = [];
    this.calibration = null;
    this.t0_s = null; // device time at which session time is 0
    this.envelope = null;
    this.raw = [];
    this.gaps = []; // [start_s, end_s] of missing data, oldest first
    this.dropoutOpen = false;
    this.stopped = false;
    this.dataEnd_s = null;
    this.offset_s = null; // performance.now()/1000 - device time, the least delay seen
    this.lastPush_s = null;
    this.scales = [];
    this.frames = 0;
    this.drawMs = [];
    this.cueIndex = -1;
    this.countdown_s = null;
    this._pending = [];
    this._dirty = true;
    this._scheduled = false;
    this._cssWidth = 0;
    this._cssHeight = 0;
    this._dpr = 0;
    this.colours = this._readColours();
    this._hatch = null;
    if (typeof ResizeObserver !== "undefined") {
      this._observer = new ResizeObserver(() => this.invalidate());
      this._observer.observe(canvas);
    }
    this.invalidate();
  }

  // --- settings -------------------------------------------------------------------------

  /** Cues [{start_s, end_s, action, target, text}] in session time. */
  setCues(cues) {
    this.cues = Array.isArray(cues) ? cues : [];
    this.cueIndex = -2; // force the DOM update
    this.invalidate();
  }

  /**
   * {baseline_uv, max_uv} in the unit of the signal; null hides band and baseline. Without
   * max_uv (relaxation) only rest bands show, as wide as band_fraction x the baseline.
   */
  setCalibration(calibration) {
    const ok = calibration && Number.isFinite(calibration.baseline_uv);
    const max = ok && Number.isFinite(calibration.max_uv) ? calibration.max_uv : null;
    this.calibration = ok ? { baseline_uv: calibration.baseline_uv, max_uv: max } : null;
    this.invalidate();
  }

  /** The device time at which the session (its cue timeline) starts; null = not started. */
  setSessionStart(t0_s) {
    this.t0_s = Number.isFinite(t0_s) ? t0_s : null;
    this.cueIndex = -2;
    this.invalidate();
  }

  /** "envelope" or "raw", the unit ("uV" | "cmH2O") and the raw channel labels. */
  setView(view, unit = this.options.unit, labels = this.options.labels) {
    this.options.view = view === "raw" ? "raw" : "envelope";
    this.options.unit = unit;
    this.options.labels = labels || [];
    this.scales = [];
    this.invalidate();
  }

  setWindow(window_s) {
    this.options.window_s = window_s;
    this.envelope = null;
    this.raw = [];
    this.gaps = [];
    this.invalidate();
  }

  // --- data -----------------------------------------------------------------------------

  /** Envelope samples of channel 0 starting at device time `t_s`. */
  pushEnvelope(t_s, rate_hz, samples, meta = {}) {
    if (!this.envelope || this.envelope.rate_hz !== rate_hz || this._restarted(this.envelope, t_s)) {
      this.envelope = new Ring(rate_hz, this.options.window_s);
    }
    const gap = this.envelope.write(t_s, samples, 0, samples.length, Boolean(meta.dropout));
    this._accept(t_s, samples.length / rate_hz, gap, meta);
  }

  /** Raw samples, channel-major (`channels` blocks of equal length), from device time `t_s`. */
  pushRaw(t_s, rate_hz, channels, samples, meta = {}) {
    const n = Math.floor(samples.length / channels);
    if (this.raw.length !== channels || this.raw[0].rate_hz !== rate_hz
        || this._restarted(this.raw[0], t_s)) {
      this.raw = Array.from({ length: channels }, () => new Ring(rate_hz, this.options.window_s));
    }
    let gap = null;
    for (let c = 0; c < channels; c += 1) {
      gap = this.raw[c].write(t_s, samples, c * n, n, Boolean(meta.dropout)) || gap;
    }
    this._accept(t_s, n / rate_hz, gap, meta);
  }

  /** The server says data stopped at `start_s`: keep time moving and show a gap. */
  dropout(start_s) {
    this.dropoutOpen = true;
    this.dropoutStart_s = Number.isFinite(start_s) ? start_s : (this.dataEnd_s ?? 0);
    this.invalidate();
  }

  /** Data flows again (the next frames close the gap). */
  reconnected() {
    this.dropoutOpen = false;
    this.invalidate();
  }

  /** Freeze the picture (session ended). */
  stop() {
    this.stopped = true;
    this.invalidate();
  }

  /** Mean of the envelope (or RMS of raw channel 0) over the last `seconds`; NaN if none. */
  level(seconds = 0.5) {
    const ring = this.envelope || this.raw[0];
    if (!ring || ring.first === null) return NaN;
    const rms = !this.envelope && this.options.unit === "uV";
    const from = Math.max(ring.oldest, ring.head - Math.round(seconds * ring.rate_hz));
    let sum = 0;
    let count = 0;
    for (let i = from; i < ring.head; i += 1) {
      const v = ring.data[i % ring.capacity];
      if (v === v) {
        sum += rms ? v * v : v;
        count += 1;
      }
    }
    if (!count) return NaN;
    return rms ? Math.sqrt(sum / count) : sum / count;
  }

  /** The current cue (or null) at the latest time drawn. */
  get cue() {
    return this.cueIndex >= 0 ? this.cues[this.cueIndex] : null;
  }

  /** The device time shown as "now". */
  now_s() {
    if (this.dataEnd_s === null) return null;
    if (!this.options.smooth || this.offset_s === null) return this.dataEnd_s;
    return Math.max(this.dataEnd_s, performance.now() / 1000 - this.offset_s);
  }

  /** x (CSS px) of device time `t` in the last layout. */
  xOf(t) {
    const { left, width, from_s, window_s } = this._layout;
    return left + ((t - from_s) / window_s) * width;
  }

  /** y (CSS px) of `value` in lane `lane` in the last layout. */
  yOf(value, lane = 0) {
    const scale = this.scales[lane];
    const box = this._layout.lanes[lane];
    return box.bottom - ((value - scale.lo) / (scale.hi - scale.lo)) * (box.bottom - box.top);
  }

  invalidate() {
    this._dirty = true;
    this._schedule();
  }

  /** Draw at once (tests, benchmarks); normally drawing follows requestAnimationFrame. */
  drawNow() {
    this._draw();
  }

  destroy() {
    this.stopped = true;
    this._observer?.disconnect();
  }

  // --- internals ------------------------------------------------------------------------

  _restarted(ring, t_s) {
    // The device clock went back by more than a second: a new stream, start afresh.
    return ring.first !== null && Math.round(t_s * ring.rate_hz) < ring.head - ring.rate_hz;
  }

  _accept(t_s, duration_s, gap, meta) {
    const end_s = t_s + duration_s;
    if (this.dataEnd_s !== null && end_s < this.dataEnd_s - 1) {
      this.gaps = [];
      this.offset_s = null;
      this.dataEnd_s = null;
    }
    if (gap) this._addGap(gap[0], gap[1]);
    if (meta.dropout) this._addGap(t_s, end_s);
    this.dataEnd_s = this.dataEnd_s === null ? end_s : Math.max(this.dataEnd_s, end_s);
    const perf_s = performance.now() / 1000;
    const offset = perf_s - end_s;
    // The least delay seen maps device time to the page's clock; it creeps up slowly so a
    // device clock that runs slower than the page's does not leave "now" running ahead.
    if (this.offset_s === null || offset < this.offset_s || offset - this.offset_s > 1) {
      this.offset_s = offset;
    } else {
      this.offset_s += (offset - this.offset_s) * 0.002;
    }
    this.lastPush_s = perf_s;
    if (!meta.dropout && this.dropoutOpen && !(t_s < this.dropoutStart_s)) this.dropoutOpen = false;
    if (Number.isFinite(meta.wall_ms)) this._pending.push(meta.wall_ms);
    this._dirty = true;
    this._schedule();
  }

  _addGap(start_s, end_s) {
    const last = this.gaps[this.gaps.length - 1];
    if (last && start_s <= last[1] + 1e-6) last[1] = Math.max(last[1], end_s);
    else this.gaps.push([start_s, end_s]);
    const keep_s = (this.dataEnd_s ?? end_s) - 3 * this.options.window_s;
    while (this.gaps.length && this.gaps[0][1] < keep_s) this.gaps.shift();
  }

  _moving() {
    if (this.stopped || !this.options.smooth || this.lastPush_s === null) return false;
    return this.dropoutOpen || performance.now() / 1000 - this.lastPush_s < 30;
  }

  _schedule() {
    if (this._scheduled || typeof requestAnimationFrame === "undefined") return;
    this._scheduled = true;
    requestAnimationFrame(() => {
      this._scheduled = false;
      if (this._dirty || this._moving()) this._draw();
      if (this._moving()) this._schedule();
    });
  }

  _readColours() {
    const style = typeof getComputedStyle === "function" ? getComputedStyle(this.canvas) : null;
    const colours = {};
    for (const [name, [property, fallback]] of Object.entries(COLOURS)) {
      colours[name] = style?.getPropertyValue(property).trim() || fallback;
    }
    return colours;
  }

  _fitCanvas() {
    const dpr = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth || 300;
    const height = this.canvas.clientHeight || 150;
    if (width !== this._cssWidth || height !== this._cssHeight || dpr !== this._dpr) {
      this._cssWidth = width;
      this._cssHeight = height;
      this._dpr = dpr;
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }

  _makeLayout(now) {
    const { window_s, ahead, view } = this.options;
    const lanesCount = view === "raw" ? Math.max(1, this.raw.length) : 1;
    const top = MARGIN.top;
    const bottom = this._cssHeight - MARGIN.bottom;
    const laneHeight = (bottom - top - MARGIN.lane * (lanesCount - 1)) / lanesCount;
    const lanes = Array.from({ length: lanesCount }, (_, i) => ({
      top: top + i * (laneHeight + MARGIN.lane),
      bottom: top + i * (laneHeight + MARGIN.lane) + laneHeight,
    }));
    const left = MARGIN.left;
    const width = Math.max(10, this._cssWidth - MARGIN.left - MARGIN.right);
    const from_s = now - (1 - ahead) * window_s;
    return { left, width, from_s, to_s: from_s + window_s, now_s: now, window_s, lanes };
  }

  /** Band [low, high] of a cue in signal units, or null without calibration. */
  _band(cue) {
    if (!this.calibration) return null;
    const { baseline_uv, max_uv } = this.calibration;
    const target = REST_ACTIONS.has(cue.action) ? 0 : Math.min(Math.max(cue.target || 0, 0), 1);
    if (max_uv === null && target > 0) return null;
    // Pelvio's choice: without a maximum (relaxation) the band's scale is the baseline itself.
    const span = max_uv === null ? Math.abs(baseline_uv) : Math.max(max_uv - baseline_uv, 0);
    const centre = baseline_uv + target * span;
    const half = this.options.band_fraction * span;
    return [centre - half, centre + half];
  }

  /** Min/max per column (dense) or the samples themselves (sparse) of one ring in the window. */
  _collect(ring) {
    const { left, width, from_s, to_s } = this._layout;
    const columns = Math.max(1, Math.floor(width));
    const perColumn = (ring.rate_hz * this.options.window_s) / columns;
    const oldest = ring.oldest;
    const head = ring.head;
    const { data, capacity } = ring;
    let low = Infinity;
    let high = -Infinity;
    if (perColumn >= 2) {
      const mins = new Float32Array(columns).fill(NaN);
      const maxs = new Float32Array(columns).fill(NaN);
      const step_s = (to_s - from_s) / columns;
      for (let c = 0; c < columns; c += 1) {
        const i0 = Math.max(oldest, Math.ceil((from_s + c * step_s) * ring.rate_hz));
        const i1 = Math.min(head, Math.ceil((from_s + (c + 1) * step_s) * ring.rate_hz));
        if (i1 <= i0) continue;
        let mn = Infinity;
        let mx = -Infinity;
        let j = i0 % capacity;
        for (let i = i0; i < i1; i += 1) {
          const v = data[j];
          if (v < mn) mn = v; // NaN compares false both ways and is skipped
          if (v > mx) mx = v;
          j += 1;
          if (j === capacity) j = 0;
        }
        if (mn <= mx) {
          mins[c] = mn;
          maxs[c] = mx;
          if (mn < low) low = mn;
          if (mx > high) high = mx;
        }
      }
      return { dense: true, mins, maxs, columns, left, low, high };
    }
    const i0 = Math.max(oldest, Math.floor(from_s * ring.rate_hz));
    const i1 = Math.min(head, Math.ceil(to_s * ring.rate_hz) + 1);
    const values = new Float32Array(Math.max(0, i1 - i0));
    for (let i = i0; i < i1; i += 1) {
      const v = data[i % capacity];
      values[i - i0] = v;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    return { dense: false, values, i0, rate_hz: ring.rate_hz, low, high };
  }

  _scale(lane, low, high, symmetric) {
    const unit = this.options.unit;
    const view = this.options.view;
    const minRange = this.options.min_range ?? MIN_RANGE[view][unit] ?? 10;
    let lo;
    let hi;
    if (symmetric) {
      const m = niceCeil(Math.max(Math.abs(low), Math.abs(high), minRange / 2) * 1.1);
      lo = -m;
      hi = m;
    } else {
      lo = Number.isFinite(low) && low < 0 ? -niceCeil(-low * 1.1) : 0;
      hi = niceCeil(Math.max(Number.isFinite(high) ? high * 1.1 : 0, lo + minRange));
    }
    const old = this.scales[lane];
    // Grow at once, shrink only when the data need less than half: the axis stays calm.
    const keepHi = old && hi <= old.hi && hi > old.hi / 2;
    const keepLo = old && lo >= old.lo && (old.lo === 0 || lo <= old.lo / 2);
    if (keepHi && keepLo) return old;
    this.scales[lane] = { lo, hi };
    return this.scales[lane];
  }

  _hatchPattern() {
    if (this._hatch) return this._hatch;
    const tile = document.createElement("canvas");
    tile.width = 8;
    tile.height = 8;
    const t = tile.getContext("2d");
    t.fillStyle = this.colours.gap;
    t.fillRect(0, 0, 8, 8);
    t.strokeStyle = this.colours.gapHatch;
    t.lineWidth = 1.5;
    t.beginPath();
    t.moveTo(-2, 10);
    t.lineTo(10, -2);
    t.moveTo(6, 10);
    t.lineTo(10, 6);
    t.moveTo(-2, 2);
    t.lineTo(2, -2);
    t.stroke();
    this._hatch = this.ctx.createPattern(tile, "repeat");
    return this._hatch;
  }

  _updateCue(now) {
    const t = this.t0_s === null ? null : now - this.t0_s;
    const index = t === null || this.stopped ? -1 : cueIndexAt(this.cues, t);
    const countdown = index >= 0 ? Math.max(1, Math.ceil(this.cues[index].end_s - t - 1e-9)) : null;
    const { cueElement, countdownElement, onCue } = this.options;
    if (index !== this.cueIndex) {
      this.cueIndex = index;
      const cue = index >= 0 ? this.cues[index] : null;
      if (cueElement) cueElement.textContent = cue ? cue.text || "" : "";
      if (onCue) onCue(cue, index);
    }
    if (countdown !== this.countdown_s) {
      this.countdown_s = countdown;
      if (countdownElement) countdownElement.textContent = countdown === null ? "" : String(countdown);
    }
  }

  _draw() {
    const started = performance.now();
    this._dirty = false;
    this._fitCanvas();
    const { ctx, colours } = this;
    const W = this._cssWidth;
    const H = this._cssHeight;
    ctx.fillStyle = colours.background;
    ctx.fillRect(0, 0, W, H);
    const now = this.now_s();
    if (now === null) {
      this.frames += 1;
      window.pelvioFrames = (window.pelvioFrames || 0) + 1;
      return;
    }
    const layout = (this._layout = this._makeLayout(now));
    this._updateCue(now);
    const raw = this.options.view === "raw" && this.raw.length > 0;
    const symmetric = raw && this.options.unit === "uV";

    // Gather the data first: the y axis depends on what is visible.
    const series = []; // [lane, collected, colour, width]
    if (raw) {
      this.raw.forEach((ring, lane) => series.push([lane, this._collect(ring), colours.signal, 1]));
      if (this.envelope) series.push([0, this._collect(this.envelope), colours.envelope, 2]);
    } else if (this.envelope) {
      series.push([0, this._collect(this.envelope), colours.signal, 2.5]);
    } else if (this.raw.length) {
      series.push([0, this._collect(this.raw[0]), colours.signal, 1]);
    }
    const bands = [];
    if (this.t0_s !== null && this.calibration) {
      for (const cue of this.cues) {
        const start = this.t0_s + cue.start_s;
        const end = this.t0_s + cue.end_s;
        if (end <= layout.from_s || start >= layout.to_s) continue;
        const band = this._band(cue);
        if (band) bands.push([start, end, band]);
      }
    }
    for (let lane = 0; lane < layout.lanes.length; lane += 1) {
      let low = Infinity;
      let high = -Infinity;
      for (const [l, c] of series) {
        if (l !== lane) continue;
        low = Math.min(low, c.low);
        high = Math.max(high, c.high);
      }
      if (lane === 0 && this.calibration) {
        high = Math.max(high, this.calibration.baseline_uv);
        for (const [, , band] of bands) high = Math.max(high, band[1]);
      }
      this._scale(lane, low, high, symmetric);
    }

    const { left, width } = layout;
    const right = left + width;
    const xNow = this.xOf(now);

    // Grid and axis labels.
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    ctx.lineWidth = 1;
    layout.lanes.forEach((box, lane) => {
      const { lo, hi } = this.scales[lane];
      const ticks = lo < 0 ? [lo, 0, hi] : [lo, (lo + hi) / 2, hi];
      for (const value of ticks) {
        const y = Math.round(this.yOf(value, lane)) + 0.5;
        ctx.strokeStyle = colours.grid;
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(right, y);
        ctx.stroke();
        ctx.fillStyle = colours.axis;
        ctx.textAlign = "right";
        ctx.fillText(formatTick(value), left - 4, Math.min(Math.max(y, box.top + 6), box.bottom - 6));
      }
      const label = this.options.labels[lane];
      if (label && raw) {
        ctx.textAlign = "left";
        ctx.fillText(label, left + 4, box.top + 8);
      }
    });
    ctx.fillStyle = colours.axis;
    ctx.textAlign = "left";
    ctx.fillText(UNIT_TEXT[this.options.unit] || this.options.unit, 4, 9);

    // Clip to the plot: bands, gaps and lines never spill onto the axis labels.
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, width, H);
    ctx.clip();

    // The target band: lighter behind now, full ahead of it.
    const lane0 = layout.lanes[0];
    for (const [start, end, band] of bands) {
      const x0 = Math.max(this.xOf(start), left);
      const x1 = Math.min(this.xOf(end), right);
      const yTop = Math.max(this.yOf(band[1]), lane0.top);
      const yBottom = Math.min(this.yOf(band[0]), lane0.bottom);
      if (yBottom <= yTop) continue;
      if (x0 < xNow) {
        ctx.fillStyle = colours.bandPast;
        ctx.fillRect(x0, yTop, Math.min(x1, xNow) - x0, yBottom - yTop);
      }
      if (x1 > xNow) {
        const xa = Math.max(x0, xNow);
        ctx.fillStyle = colours.band;
        ctx.fillRect(xa, yTop, x1 - xa, yBottom - yTop);
        ctx.strokeStyle = colours.bandEdge;
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(xa, Math.round(yTop) + 0.5);
        ctx.lineTo(x1, Math.round(yTop) + 0.5);
        ctx.moveTo(xa, Math.round(yBottom) - 0.5);
        ctx.lineTo(x1, Math.round(yBottom) - 0.5);
        ctx.stroke();
      }
    }

    // Gaps: stretches without data, and the time since the last data when it stopped.
    const gaps = this.gaps.slice();
    const end = this.dataEnd_s;
    if (end !== null && now > end && (this.dropoutOpen || now - end > STALE_S)) gaps.push([end, now]);
    if (gaps.length) {
      ctx.fillStyle = this._hatchPattern();
      for (const [start, stop] of gaps) {
        if (stop <= layout.from_s || start >= layout.to_s) continue;
        const x0 = Math.max(this.xOf(start), left);
        const x1 = Math.min(this.xOf(stop), right);
        for (const box of layout.lanes) ctx.fillRect(x0, box.top, x1 - x0, box.bottom - box.top);
      }
    }

    // The baseline.
    if (this.calibration) {
      const y = Math.round(this.yOf(this.calibration.baseline_uv)) + 0.5;
      ctx.strokeStyle = colours.baseline;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(right, y);
      ctx.stroke();
      ctx.setLineDash([]);
    }

    // The signal.
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    for (const [lane, collected, colour, lineWidth] of series) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = lineWidth;
      ctx.beginPath();
      if (collected.dense) this._traceColumns(collected, lane);
      else this._traceSamples(collected, lane);
      ctx.stroke();
    }

    // Now.
    ctx.strokeStyle = colours.now;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(xNow, MARGIN.top - 4);
    ctx.lineTo(xNow, H);
    ctx.stroke();
    ctx.restore();

    this.frames += 1;
    window.pelvioFrames = (window.pelvioFrames || 0) + 1;
    const done = performance.now();
    if (this.drawMs.length < DRAW_MS_CAP) this.drawMs.push(done - started);
    if (this._pending.length) {
      const drawn = performance.timeOrigin + done;
      const latency = (window.pelvioLatency ||= []);
      for (const wall_ms of this._pending) {
        if (latency.length >= LATENCY_CAP) break;
        latency.push(drawn - wall_ms);
      }
      this._pending.length = 0;
    }
  }

  /** One vertical stroke per pixel column, from the column's minimum to its maximum. */
  _traceColumns({ mins, maxs, columns, left }, lane) {
    const { ctx } = this;
    let pen = false;
    for (let c = 0; c < columns; c += 1) {
      const mn = mins[c];
      if (mn !== mn) {
        pen = false;
        continue;
      }
      const x = left + c + 0.5;
      const yLow = this.yOf(mn, lane);
      const yHigh = this.yOf(maxs[c], lane);
      if (pen) ctx.lineTo(x, yLow);
      else ctx.moveTo(x, yLow);
      ctx.lineTo(x, Math.min(yHigh, yLow - 0.5));
      pen = true;
    }
  }

  /** A line through the samples, lifted over missing ones. */
  _traceSamples({ values, i0, rate_hz }, lane) {
    const { ctx } = this;
    let pen = false;
    for (let k = 0; k < values.length; k += 1) {
      const v = values[k];
      if (v !== v) {
        pen = false;
        continue;
      }
      const x = this.xOf((i0 + k) / rate_hz);
      const y = this.yOf(v, lane);
      if (pen) ctx.lineTo(x, y);
      else {
        ctx.moveTo(x, y);
        ctx.lineTo(x + 0.01, y); // a lone sample still shows as a dot
      }
      pen = true;
    }
  }
}

function formatTick(value) {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  return abs >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(abs < 1 ? 2 : 1);
}
