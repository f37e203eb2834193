// The live biofeedback page: one WebSocket to the session's hub, its frames into the curve,
// its events into the cue, status, level, score list and summary.
//
// The page's JSON block (#bf-data) gives ws_path, mode, keyboard and the server-translated
// strings; the server's "hello" may add or override strings. The English texts below are
// only a fallback for a key the server did not send.
//
// Binary frames (pelvio.biofeedback.protocol): a 32-byte little-endian header, then float32
// samples channel-major. Text frames are JSON events with a "type".
//
// The session's cue timeline is in session seconds; the curve needs the device time at which
// the session started (t0): hello's "start_t_s", a "started" event's "t_s", or a "cue" event's
// "t_s" (device time the cue started) minus that cue's start_s.

// curve.js is loaded with live.js's own query (the template's ?v=version), so a new release
// never pairs a fresh live.js with a cached curve.js.
const { Curve } = await import(`./curve.js${new URL(import.meta.url).search}`);

export const KIND_RAW = 1;
export const KIND_ENVELOPE = 2;
const HEADER_BYTES = 32;
const FLAG_DROPOUT = 1;
const FLAG_CONTRACTION = 2;
const LEVEL_EVERY_MS = 250;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const REST_ACTIONS = new Set(["rest", "relax", "breathe"]);

// Keys as pelvio.biofeedback.routes sends them; "keyboard_hint" is optional (no hint without).
const FALLBACK = {
  connecting: "Connecting…",
  waiting_probe: "Waiting for the probe to connect…",
  connected: "Connected. Press start when you are ready.",
  running: "Follow the band with your curve.",
  calibrating: "Measuring your resting level and your strongest squeeze…",
  relaxing: "Let go: keep your curve low and steady.",
  checking: "Checking the signal: stay still and relaxed for a few seconds…",
  checked: "Check done.",
  signal_lost: "Signal lost: check the probe and its cable.",
  reconnected: "Signal back.",
  reconnecting: "Connection lost, trying again…",
  ended: "The session has ended.",
  stopped: "You stopped the session.",
  hold: "Hold to squeeze",
  score_reached: "reached the target",
  score_missed: "did not reach the target",
  score_held: "held {held} of {asked} s",
  score_released: "released in {release} s",
  score_not_released: "did not release fully",
  score_co: "belly muscles tightened too",
  contraction: "Squeeze {n}",
  rest_level: "Rest tone {uv} µV ({pct}% of your start)",
  target_level: "{pct}% of your target",
  quality_ok: "The signal looks good.",
  quality_bad: "The signal needs attention.",
  result: "See the result",
};
const UNIT_TEXT = { uV: "µV", cmH2O: "cmH₂O" };
const UNITS = { "µV": "uV", "μV": "uV", uV: "uV", cmH2O: "cmH2O" };

export const format = (template, values) =>
  String(template).replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

/** One binary frame as {kind, seq, t_s, wall_ms, rate_hz, n, channels, flags, samples}. */
export function decodeFrame(buffer) {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < HEADER_BYTES) return null;
  const view = new DataView(buffer);
  if (view.getUint8(0) !== 0x50 || view.getUint8(1) !== 0x56 || view.getUint8(2) !== 1) return null;
  const n = view.getUint16(28, true);
  const channels = view.getUint8(30);
  if (buffer.byteLength < HEADER_BYTES + 4 * n * channels) return null;
  const flags = view.getUint8(31);
  return {
    kind: view.getUint8(3),
    seq: view.getUint32(4, true),
    t_s: view.getFloat64(8, true),
    wall_ms: view.getFloat64(16, true),
    rate_hz: view.getFloat32(24, true),
    n,
    channels,
    flags,
    dropout: (flags & FLAG_DROPOUT) !== 0,
    contraction: (flags & FLAG_CONTRACTION) !== 0,
    samples: new Float32Array(buffer, HEADER_BYTES, n * channels),
  };
}

/**
 * The plain text of one scored contraction (a "score" event, pelvio.biofeedback.scoring's
 * ContractionScore.to_dict() plus "number"), e.g. "Squeeze 2: reached the target, held 8 of
 * 10 s, released in 1.2 s".
 */
export function scoreText(score, strings, number = (value) => String(value)) {
  const parts = [];
  if (score.reached === true) parts.push(strings.score_reached);
  else if (score.reached === false) parts.push(strings.score_missed);
  if (Number.isFinite(score.held_s) && Number.isFinite(score.asked_s)) {
    parts.push(format(strings.score_held, { held: number(score.held_s), asked: number(score.asked_s) }));
  }
  if (score.released === true && Number.isFinite(score.release_s)) {
    parts.push(format(strings.score_released, { release: number(score.release_s) }));
  } else if (score.released === false) {
    parts.push(strings.score_not_released);
  }
  if (score.co_contraction === true) parts.push(strings.score_co);
  const n = score.number ?? (Number.isFinite(score.index) ? score.index + 1 : "");
  return `${format(strings.contraction, { n })}: ${parts.join(", ")}`;
}

export class LiveSession {
  constructor(root, { WebSocketImpl = window.WebSocket } = {}) {
    this.root = root;
    this.WebSocketImpl = WebSocketImpl;
    const $ = (id) => root.querySelector(`#${id}`) || document.getElementById(id);
    this.el = {
      cue: $("bf-cue"),
      countdown: $("bf-countdown"),
      canvas: $("bf-curve"),
      status: $("bf-status"),
      level: $("bf-level"),
      start: $("bf-start"),
      stop: $("bf-stop"),
      scores: $("bf-scores"),
      summary: $("bf-summary"),
      quality: $("bf-quality"),
    };
    this.data = JSON.parse($("bf-data").textContent);
    this.mode = this.data.mode || "guided";
    this.strings = { ...FALLBACK, ...(this.data.strings || {}) };
    this.numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      maximumFractionDigits: 1,
    });
    this.unit = "uV";
    this.calibration = null;
    this.cues = [];
    this.started = false;
    this.checked = false;
    this.ended = false;
    this.socket = null;
    this.attempt = 0;
    this.retryTimer = null;
    this.seq = new Map();
    this.lost = 0;
    this.lastLevel = 0;
    this.keyDown = false;
    this.curve = new Curve(this.el.canvas, {
      cueElement: this.el.cue,
      countdownElement: this.el.countdown,
      onCue: (cue, index) => {
        root.dataset.cue = String(index);
        root.dataset.action = cue ? cue.action : "";
      },
    });
    this.hold = this.data.keyboard ? this.makeHoldButton() : null;
    this.bind();
    this.setState("connecting", this.strings.connecting);
    this.connect();
    root.dataset.ready = "true";
  }

  // --- DOM ------------------------------------------------------------------------------

  setState(state, text) {
    this.root.dataset.state = state;
    if (text !== undefined && this.el.status) this.el.status.textContent = text;
  }

  showButtons() {
    const { start, stop } = this.el;
    if (start) {
      start.hidden = this.started || this.ended;
      start.disabled = !this.socketOpen();
    }
    if (stop) {
      stop.hidden = !this.started || this.ended;
      stop.disabled = !this.socketOpen();
    }
    if (this.hold) {
      this.hold.hidden = this.ended;
      this.hint.hidden = this.ended || !this.hint.textContent;
    }
  }

  makeHoldButton() {
    const button = document.createElement("button");
    button.type = "button";
    button.id = "bf-hold";
    button.className = "bf-hold";
    button.textContent = this.strings.hold;
    button.setAttribute("aria-pressed", "false");
    const hint = document.createElement("p");
    hint.className = "bf-hint";
    hint.id = "bf-hold-hint";
    hint.textContent = this.strings.keyboard_hint || "";
    hint.hidden = !hint.textContent;
    button.setAttribute("aria-describedby", hint.id);
    const anchor = this.el.status || this.el.canvas;
    anchor.before(button, hint);
    this.hint = hint;
    return button;
  }

  setKey(down) {
    if (down === this.keyDown) return;
    this.keyDown = down;
    this.root.dataset.key = down ? "down" : "up";
    if (this.hold) {
      this.hold.setAttribute("aria-pressed", String(down));
      this.hold.classList.toggle("is-held", down);
    }
    this.send({ type: "key", down });
  }

  bind() {
    this.el.start?.addEventListener("click", () => this.send({ type: "start" }));
    this.el.stop?.addEventListener("click", () => this.send({ type: "stop" }));
    if (this.data.keyboard) {
      const typing = (target) =>
        target instanceof HTMLElement
        && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
      document.addEventListener("keydown", (event) => {
        if (event.code !== "Space" && event.key !== " ") return;
        if (typing(event.target) || this.ended) return;
        // Space is the squeeze on this page; a focused button is still pressed with Enter.
        event.preventDefault();
        if (!event.repeat) this.setKey(true);
      });
      document.addEventListener("keyup", (event) => {
        if (event.code !== "Space" && event.key !== " ") return;
        if (typing(event.target)) return;
        event.preventDefault();
        this.setKey(false);
      });
      window.addEventListener("blur", () => this.setKey(false));
      const hold = this.hold;
      hold.addEventListener("pointerdown", (event) => {
        if (event.button !== 0) return;
        hold.setPointerCapture?.(event.pointerId);
        this.setKey(true);
      });
      for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
        hold.addEventListener(type, () => this.setKey(false));
      }
      hold.addEventListener("contextmenu", (event) => event.preventDefault());
    }
    window.addEventListener("pagehide", () => {
      this.ended = true;
      this.socket?.close(1000);
    });
  }

  // --- socket ---------------------------------------------------------------------------

  socketOpen() {
    return this.socket !== null && this.socket.readyState === 1;
  }

  send(message) {
    if (this.socketOpen()) this.socket.send(JSON.stringify(message));
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new this.WebSocketImpl(`${scheme}//${location.host}${this.data.ws_path}`);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    this.seq.clear();
    socket.onopen = () => {
      this.setState("connected", this.strings.connected);
      this.showButtons();
    };
    socket.onmessage = (event) => {
      if (typeof event.data === "string") this.onEvent(event.data);
      else if (event.data instanceof ArrayBuffer) this.onFrame(event.data);
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.showButtons();
      if (this.keyDown) this.keyDown = false;
      if (!this.ended) this.retry();
    };
    this.showButtons();
  }

  retry() {
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    this.curve.dropout(null);
    this.setState(
      "reconnecting",
      format(this.strings.reconnecting, { seconds: Math.round(delay / 1000) || 1 }),
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (!this.ended) {
        this.setState("connecting", this.strings.connecting);
        this.connect();
      }
    }, delay);
  }

  onFrame(buffer) {
    const frame = decodeFrame(buffer);
    if (!frame) return;
    const expected = this.seq.get(frame.kind);
    if (expected !== undefined && frame.seq !== expected) {
      this.lost += (frame.seq - expected) >>> 0;
      this.root.dataset.lost = String(this.lost);
    }
    this.seq.set(frame.kind, (frame.seq + 1) >>> 0);
    const meta = { wall_ms: frame.wall_ms, dropout: frame.dropout };
    if (frame.kind === KIND_ENVELOPE) {
      this.curve.pushEnvelope(frame.t_s, frame.rate_hz, frame.samples, meta);
    } else if (frame.kind === KIND_RAW) {
      this.curve.pushRaw(frame.t_s, frame.rate_hz, frame.channels, frame.samples, meta);
    } else {
      return;
    }
    this.root.dataset.frames = String(Number(this.root.dataset.frames || 0) + 1);
    const now = performance.now();
    if (now - this.lastLevel >= LEVEL_EVERY_MS) {
      this.lastLevel = now;
      this.showLevel();
    }
  }

  onEvent(text) {
    let event;
    try {
      event = JSON.parse(text);
    } catch {
      return;
    }
    const handler = {
      hello: () => this.onHello(event),
      waiting: () => this.setState("waiting", this.strings.waiting_probe),
      calibration: () => this.setCalibration(event),
      started: () => this.onStarted(event),
      cue: () => this.onCue(event),
      score: () => this.onScore(event),
      level: () => this.onLevel(event),
      quality: () => this.onQuality(event),
      dropout: () => this.onDropout(event),
      reconnected: () => this.onReconnected(event),
      ended: () => this.onEnded(event),
      gone: () => this.onEnded({ status: "ended" }),
      notice: () => this.setState(this.root.dataset.state, event.text || ""),
      error: () => this.setState(this.root.dataset.state, event.message || event.detail || ""),
    }[event.type];
    if (handler) handler();
  }

  onHello(hello) {
    this.attempt = 0;
    if (hello.strings) Object.assign(this.strings, hello.strings);
    if (this.hold) {
      this.hold.textContent = this.strings.hold;
      this.hint.textContent = this.strings.keyboard_hint || "";
      this.hint.hidden = !this.hint.textContent;
    }
    if (hello.mode) this.mode = hello.mode;
    this.root.dataset.mode = this.mode;
    this.unit = UNITS[hello.unit] || (hello.kind === "pressure" ? "cmH2O" : "uV");
    this.cues = Array.isArray(hello.cues) ? hello.cues : [];
    this.curve.setView(hello.view || "envelope", this.unit, hello.labels || []);
    this.curve.setCues(this.cues);
    if (hello.calibration) this.setCalibration(hello.calibration);
    this.started = Boolean(hello.started);
    if (Number.isFinite(hello.start_t_s)) this.curve.setSessionStart(hello.start_t_s);
    this.showRunning();
    this.showButtons();
  }

  /** The status once connected: waiting for start, measuring the calibration, or running. */
  showRunning() {
    if (!this.started) this.setState("ready", this.strings.connected);
    else if (this.mode === "guided" && !this.calibration) this.setState("running", this.strings.calibrating);
    else if (this.mode === "check") this.setState("running", this.checked ? this.strings.checked : this.strings.checking);
    else if (this.mode === "relaxation") this.setState("running", this.strings.relaxing);
    else this.setState("running", this.strings.running);
  }

  onStarted(event) {
    this.started = true;
    if (Number.isFinite(event.t_s)) this.curve.setSessionStart(event.t_s);
    this.showRunning();
    this.showButtons();
  }

  onCue(event) {
    const cue = this.cues[event.index];
    if (cue && Number.isFinite(event.t_s)) this.curve.setSessionStart(event.t_s - cue.start_s);
    if (!this.started) this.onStarted({});
  }

  setCalibration(calibration) {
    this.calibration = Number.isFinite(calibration.baseline_uv) ? calibration : null;
    this.curve.setCalibration(this.calibration);
    if (this.started && this.root.dataset.state === "running") this.showRunning();
    this.showLevel();
  }

  onScore(score) {
    if (!this.el.scores) return;
    const item = document.createElement("li");
    item.className = "bf-score";
    const good = [score.reached, score.held, score.released].every((v) => v !== false);
    item.classList.add(good ? "is-good" : "is-partial");
    item.dataset.number = String(score.number ?? "");
    item.textContent = scoreText(score, this.strings, (v) => this.numbers.format(v));
    this.el.scores.append(item);
  }

  /** Relaxation: the server's rest tone against the session's own baseline. */
  onLevel(event) {
    if (!this.el.level || !Number.isFinite(event.rest_uv)) return;
    this.serverLevel = true;
    const baseline = this.calibration?.baseline_uv;
    const pct = Number.isFinite(event.vs_baseline_pct)
      ? Math.round(100 + event.vs_baseline_pct)
      : baseline > 0 ? Math.round((event.rest_uv / baseline) * 100) : "";
    this.el.level.textContent = format(this.strings.rest_level, {
      uv: this.numbers.format(event.rest_uv), pct,
    });
    this.el.level.dataset.trend = pct !== "" && pct <= 100 ? "below" : "above";
  }

  /** Probe check: the verdict and each check's message in the page's language. */
  onQuality(event) {
    this.checked = true;
    if (this.started && this.root.dataset.state === "running") this.showRunning();
    const box = this.el.quality;
    if (!box) return;
    const nl = (document.documentElement.lang || "").startsWith("nl");
    const words = (message) => (message ? (nl ? message.nl : message.en) || message.en || "" : "");
    box.replaceChildren();
    const verdict = document.createElement("p");
    verdict.className = "bf-verdict";
    verdict.textContent = event.verdict === "ok" ? this.strings.quality_ok : this.strings.quality_bad;
    box.append(verdict);
    const text = words(event.message) || event.error || "";
    if (text) {
      const p = document.createElement("p");
      p.textContent = text;
      box.append(p);
    }
    if (Array.isArray(event.checks) && event.checks.length) {
      const list = document.createElement("ul");
      for (const check of event.checks) {
        const item = document.createElement("li");
        item.className = `bf-check is-${check.status}`;
        item.textContent = words(check.message) || check.name;
        list.append(item);
      }
      box.append(list);
    }
    box.dataset.verdict = event.verdict || "";
    box.hidden = false;
  }

  onDropout(event) {
    this.curve.dropout(event.start_s ?? event.t_s);
    this.root.dataset.signal = "lost";
    this.setState("dropout", format(this.strings.signal_lost, { reason: event.reason || "" }));
  }

  onReconnected() {
    this.curve.reconnected();
    this.root.dataset.signal = "ok";
    this.setState(this.started ? "running" : "ready", this.strings.reconnected);
  }

  onEnded(event) {
    this.ended = true;
    clearTimeout(this.retryTimer);
    this.setKey(false);
    this.curve.stop();
    this.setState("ended", event.status === "stopped" ? this.strings.stopped : this.strings.ended);
    if (this.el.level) this.el.level.textContent = "";
    const summary = this.el.summary;
    if (summary) {
      summary.replaceChildren();
      const text = event.summary?.text || "";
      for (const paragraph of text.split(/\n\s*\n/)) {
        if (!paragraph.trim()) continue;
        const p = document.createElement("p");
        p.textContent = paragraph.trim();
        summary.append(p);
      }
      if (event.url) {
        const link = document.createElement("a");
        link.className = "button primary";
        link.href = event.url;
        link.textContent = this.strings.result;
        summary.append(link);
      }
      if (summary.childElementCount) {
        summary.hidden = false;
        summary.tabIndex = -1;
        summary.focus?.();
      }
    }
    this.showButtons();
    this.socket?.close(1000);
  }

  showLevel() {
    if (!this.el.level) return;
    const level = this.curve.level(0.5);
    if (!Number.isFinite(level)) return;
    const unit = UNIT_TEXT[this.unit] || this.unit;
    const value = this.numbers.format(level);
    const cal = this.calibration;
    let text;
    if (this.mode === "relaxation") {
      if (this.serverLevel || !cal || !(cal.baseline_uv > 0)) return;
      const pct = Math.round((level / cal.baseline_uv) * 100);
      text = format(this.strings.rest_level, { uv: value, pct });
      this.el.level.dataset.trend = pct <= 100 ? "below" : "above";
    } else {
      const cue = this.curve.cue;
      const target = cue && !REST_ACTIONS.has(cue.action) ? cue.target : 0;
      if (cal && target > 0 && cal.max_uv > cal.baseline_uv) {
        const goal = target * (cal.max_uv - cal.baseline_uv);
        const percent = Math.max(0, Math.round(((level - cal.baseline_uv) / goal) * 100));
        text = format(this.strings.target_level, { pct: percent });
      } else {
        text = `${value} ${unit}`;
      }
    }
    this.el.level.textContent = text;
  }
}

export function setup(root, options) {
  return new LiveSession(root, options);
}

const root = document.querySelector("[data-bf-live]");
if (root && root.dataset.manual === undefined) window.pelvioLive = setup(root);
