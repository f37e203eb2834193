// The session player: follows the timeline from the page's JSON block with a visual pacer,
// a countdown, the cue text, spoken cues or tones, pause, and the question at the end.
//
// Clock: session time = real time x `speed`. The server sets `speed` from `?speed=N` only in
// development and test mode (pelvio.training.routes), so a browser test can run a session
// in seconds; in production it is always 1.
//
// A session that cannot be sent (offline, server away, logged out) is kept in localStorage
// and sent again when the page loads or the browser comes back online. Each session carries
// a random client_id, so sending it twice stores it once.
//
// Without a `post_url` (the urge routine of bladder training) nothing is asked or sent: the
// end shows a short word and the routine can be started again at the next urge.

const DATA_ID = "player-data";
const QUEUE_KEY = "pelvio.training.queue";
const MUTE_KEY = "pelvio.training.muted";
const LEAD_IN_S = 3;
const MIN_R = 20;
const MAX_R = 90;
const SMOOTHING_S = 0.3;
const TONES = {
  contract: [660, 0.25],
  quick: [880, 0.12],
  knack: [740, 0.25],
  relax: [440, 0.3],
  rest: [392, 0.2],
  breathe: [523, 0.2],
};

const $ = (id) => document.getElementById(id);
const format = (template, values) =>
  template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

function randomId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A pausable clock in session seconds, running `speed` times faster than real time. */
export function makeClock(speed, now = () => performance.now()) {
  let base = 0;
  let since = null;
  return {
    start() { base = 0; since = now(); },
    pause() {
      if (since !== null) { base += ((now() - since) / 1000) * speed; since = null; }
    },
    resume() { if (since === null) since = now(); },
    get running() { return since !== null; },
    seconds() { return base + (since === null ? 0 : ((now() - since) / 1000) * speed); },
  };
}

/** The cue running at `t` (cues cover [start_s, end_s)), like pelvio.training.cue_at. */
export function cueAt(cues, t) {
  if (t < 0 || !cues.length || t >= cues[cues.length - 1].end_s) return null;
  let low = 0;
  let high = cues.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (cues[mid].start_s <= t) low = mid; else high = mid - 1;
  }
  return cues[low];
}

/** The target effort at `t`, extra squeezes included, like pelvio.training.target_at. */
export function targetAt(cues, t) {
  const cue = cueAt(cues, t);
  if (!cue) return 0;
  for (const pulse of cue.pulses) {
    if (pulse.start_s <= t && t < pulse.end_s) return pulse.target;
  }
  return cue.target;
}

function inPulse(cue, t) {
  return cue.pulses.some((p) => p.start_s <= t && t < p.end_s);
}

class Sound {
  constructor(lang, speed) {
    this.lang = lang;
    this.speed = speed;
    this.muted = localStorage.getItem(MUTE_KEY) === "1";
    this.context = null;
    this.voice = null;
    this.speech = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
    if (this.speech) {
      this.pickVoice();
      speechSynthesis.addEventListener?.("voiceschanged", () => this.pickVoice());
    }
  }

  pickVoice() {
    const voices = speechSynthesis.getVoices();
    const base = this.lang.slice(0, 2);
    this.voice =
      voices.find((v) => v.lang.replace("_", "-") === this.lang) ||
      voices.find((v) => v.lang.toLowerCase().startsWith(base)) ||
      null;
  }

  /** Called from a tap: browsers only let a page make sound after the person acted. */
  unlock() {
    const Context = window.AudioContext || window.webkitAudioContext;
    try {
      if (!this.context && Context) this.context = new Context();
      if (this.context && this.context.state === "suspended") this.context.resume();
    } catch {
      this.context = null;
    }
    if (this.speech) this.pickVoice();
  }

  get blocked() {
    return !this.muted && this.context !== null && this.context.state !== "running";
  }

  tone(frequency, duration_s) {
    if (this.muted || !this.context || this.context.state !== "running") return;
    const osc = this.context.createOscillator();
    const gain = this.context.createGain();
    const t0 = this.context.currentTime;
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + duration_s);
    osc.connect(gain).connect(this.context.destination);
    osc.start(t0);
    osc.stop(t0 + duration_s + 0.05);
  }

  say(text) {
    // Speech at a test's sped-up clock would only pile up; tones keep up.
    if (this.muted || !this.speech || !this.voice || this.speed !== 1) return false;
    speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = this.lang;
    utterance.voice = this.voice;
    speechSynthesis.speak(utterance);
    return true;
  }

  cue(cue) {
    if (this.muted) return;
    if (!this.say(cue.text)) {
      const [frequency, duration] = TONES[cue.action] || TONES.rest;
      this.tone(frequency, duration);
    }
  }

  pulse() { this.tone(990, 0.12); }

  stop() { if (this.speech) speechSynthesis.cancel(); }

  toggle() {
    this.muted = !this.muted;
    localStorage.setItem(MUTE_KEY, this.muted ? "1" : "0");
    if (this.muted) this.stop(); else this.unlock();
  }
}

function readQueue() {
  try {
    const items = JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

function writeQueue(items) {
  if (items.length) localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
  else localStorage.removeItem(QUEUE_KEY);
}

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content || "";
}

/** POST one session. Returns {ok, keep, body}: keep = try again later. */
async function send(url, item) {
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRF-Token": csrfToken(),
      },
      body: JSON.stringify(item),
    });
  } catch {
    return { ok: false, keep: true, body: null };
  }
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (response.ok) return { ok: true, keep: false, body };
  // Logged out, expired form token, server trouble: the session is fine, try again later.
  const retry = response.type === "opaqueredirect" || [401, 403, 408, 429].includes(response.status)
    || response.status >= 500;
  return { ok: false, keep: retry, body };
}

function showCounts(body) {
  if (!body) return;
  for (const el of document.querySelectorAll("[data-training-done]")) {
    el.textContent = String(body.done_today);
  }
  for (const el of document.querySelectorAll("[data-training-streak]")) {
    el.textContent = String(body.current_streak_days);
  }
}

async function flushQueue(url, note, strings) {
  const queue = readQueue();
  if (!queue.length || !navigator.onLine) return;
  const left = [];
  let sent = null;
  for (const item of queue) {
    const result = await send(url, item);
    if (result.ok) sent = result.body;
    else if (result.keep) left.push(item);
  }
  writeQueue(left);
  if (sent) {
    showCounts(sent);
    note.textContent = strings.sent_later;
    note.hidden = false;
  }
}

function setup(root) {
  const data = JSON.parse($(DATA_ID).textContent);
  const { cues, strings } = data;
  const total = data.total_duration_s;
  const clock = makeClock(data.speed);
  const sound = new Sound(data.lang, data.speed);
  const el = {
    shape: $("pacer-shape"),
    countdown: $("player-countdown"),
    cue: $("player-cue"),
    position: $("player-position"),
    rep: $("player-rep"),
    progress: $("player-progress"),
    start: $("player-start"),
    pause: $("player-pause"),
    stop: $("player-stop"),
    sound: $("player-sound"),
    note: $("player-note"),
    question: $("player-question"),
    result: $("player-result"),
    resultCount: $("player-result-count"),
    reason: $("player-reason"),
    advice: $("player-advice"),
    again: $("player-again"),
    pulse: $("player-pulse"),
  };
  let state = "idle"; // idle, running, paused, question, sending, done
  let startedAt = null;
  let endedAt = null;
  let lastCue = null;
  let lastPulse = false;
  let level = 0;
  let lastFrame = 0;

  const search = new URLSearchParams(location.search);
  if (search.get("speed") && el.again) el.again.href += `&speed=${encodeURIComponent(search.get("speed"))}`;

  function showSound() {
    el.sound.setAttribute("aria-pressed", String(!sound.muted));
    el.sound.textContent = sound.muted ? strings.sound_off : strings.sound_on;
  }

  function note(text) {
    el.note.textContent = text;
    el.note.hidden = !text;
  }

  function draw(t) {
    const cue = cueAt(cues, Math.max(t, 0));
    const dt = Math.max(t - lastFrame, 0);
    lastFrame = t;
    if (t < 0) {
      el.countdown.textContent = String(Math.ceil(-t));
      el.cue.textContent = strings.ready;
      el.position.textContent = cues[0].position_text;
      return;
    }
    if (!cue) return;
    let shapeClass = "is-rest";
    if (cue.action === "breathe") {
      const progress = (t - cue.start_s) / (cue.end_s - cue.start_s);
      level = cue.breath === "in" ? 0.15 + 0.45 * progress : 0.6 - 0.45 * progress;
      shapeClass = "is-breathe";
    } else {
      const target = targetAt(cues, t);
      level += (target - level) * (1 - Math.exp(-dt / SMOOTHING_S));
      if (["contract", "quick", "knack"].includes(cue.action)) {
        shapeClass = inPulse(cue, t) ? "is-extra" : "is-squeeze";
      } else if (cue.action === "relax") {
        shapeClass = "is-relax";
      }
    }
    const radius = MIN_R + (MAX_R - MIN_R) * Math.min(Math.max(level, 0), 1);
    el.shape.setAttribute("r", radius.toFixed(1));
    el.shape.setAttribute("class", `pacer-shape ${shapeClass}`);
    el.shape.dataset.level = level.toFixed(2);
    el.shape.dataset.target = String(targetAt(cues, t));
    el.countdown.textContent = String(Math.max(1, Math.ceil(cue.end_s - t)));
    el.progress.value = t;
    if (cue !== lastCue) {
      lastCue = cue;
      el.cue.textContent = cue.text;
      el.position.textContent = cue.position_text;
      el.rep.textContent = cue.reps > 1 ? format(strings.rep, { n: cue.rep, m: cue.reps }) : "";
      sound.cue(cue);
    }
    const pulsing = inPulse(cue, t);
    el.pulse.hidden = !pulsing;
    if (pulsing && !lastPulse) sound.pulse();
    lastPulse = pulsing;
  }

  function frame() {
    if (state !== "running") return;
    const t = clock.seconds() - LEAD_IN_S;
    if (t >= total) {
      finish(true);
      return;
    }
    draw(t);
    requestAnimationFrame(frame);
  }

  function start() {
    if (state !== "idle") return;
    sound.unlock();
    state = "running";
    root.dataset.state = state;
    startedAt = new Date();
    el.start.hidden = true;
    el.result.hidden = true;
    el.pause.hidden = false;
    el.stop.hidden = false;
    el.pause.textContent = strings.pause;
    note(sound.blocked ? strings.sound_blocked : "");
    clock.start();
    lastFrame = -LEAD_IN_S;
    requestAnimationFrame(frame);
  }

  function togglePause() {
    if (state === "running") {
      clock.pause();
      sound.stop();
      state = "paused";
      el.pause.textContent = strings.resume;
    } else if (state === "paused") {
      clock.resume();
      state = "running";
      el.pause.textContent = strings.pause;
      requestAnimationFrame(frame);
    }
    root.dataset.state = state;
  }

  function finish(completed) {
    clock.pause();
    sound.stop();
    endedAt = new Date();
    el.pause.hidden = true;
    el.stop.hidden = true;
    el.countdown.textContent = "";
    el.progress.value = completed ? total : el.progress.value;
    if (!data.post_url) {
      again(completed);
      return;
    }
    if (completed) {
      state = "question";
      el.shape.setAttribute("r", String(MIN_R));
      el.question.hidden = false;
      el.question.querySelector("button").focus();
    } else {
      submit(false, null);
    }
    root.dataset.state = state;
  }

  /** Nothing to send: say a word and let the next urge start the routine afresh. */
  function again(completed) {
    state = "idle";
    root.dataset.state = state;
    lastCue = null;
    level = 0;
    el.shape.setAttribute("r", String(MIN_R));
    el.shape.setAttribute("class", "pacer-shape is-rest");
    el.cue.textContent = cues[0].text;
    el.rep.textContent = "";
    el.result.hidden = false;
    el.resultCount.textContent = completed ? strings.finished : strings.stopped;
    el.start.hidden = false;
    el.resultCount.focus?.();
  }

  async function submit(completed, felt) {
    state = "sending";
    root.dataset.state = state;
    el.question.hidden = true;
    note(strings.saving);
    const item = {
      client_id: randomId(),
      programme_id: data.programme_id,
      level: data.level,
      started_at: startedAt.toISOString(),
      ended_at: endedAt.toISOString(),
      completed,
      felt,
    };
    const result = await send(data.post_url, item);
    state = "done";
    root.dataset.state = state;
    el.result.hidden = false;
    if (result.ok) {
      note("");
      showCounts(result.body);
      el.resultCount.textContent = completed
        ? format(strings.done_count, { done: result.body.done_today, planned: result.body.planned_today })
        : strings.stopped;
      el.reason.textContent = completed ? result.body.reason : "";
      el.advice.hidden = !result.body.advice;
      el.advice.textContent = result.body.advice || "";
    } else if (result.keep) {
      writeQueue([...readQueue(), item]);
      note(strings.queued);
    } else {
      note(format(strings.failed, { detail: result.body?.detail || "" }));
    }
    el.resultCount.focus?.();
  }

  el.start.addEventListener("click", start);
  el.pause.addEventListener("click", togglePause);
  el.stop.addEventListener("click", () => {
    if (state === "running" || state === "paused") finish(false);
  });
  el.sound.addEventListener("click", () => { sound.toggle(); showSound(); note(""); });
  for (const button of el.question?.querySelectorAll("[data-felt]") ?? []) {
    button.addEventListener("click", () => submit(true, button.dataset.felt));
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === " " && event.target === document.body && (state === "running" || state === "paused")) {
      event.preventDefault();
      togglePause();
    }
  });
  if (data.post_url) {
    window.addEventListener("online", () => flushQueue(data.post_url, el.note, strings));
    flushQueue(data.post_url, el.note, strings);
  }
  showSound();
  root.dataset.state = state;
  root.dataset.ready = "true";
  if (root.dataset.autostart === "true") start();
}

const root = document.getElementById("player");
if (root) setup(root);
