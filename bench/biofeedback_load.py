"""Concurrent live streams on one server core: frame rate and latency under load (issue 4).

Target: one ``pelvio serve`` process on one core keeps at least 200 concurrent 2 kHz streams at
full frame rate, with a frame latency p99 of at most 50 ms (a bounded load on loopback).

A real server (``tests/serving.py``: migrated database, demo data, development settings, a
fresh data directory per run) is started pinned to core 0 with ``taskset``. The demo patient
logs in over HTTP and starts N relaxation sessions with a remote probe (``device=remote``),
each of which answers with a pairing code. This process, pinned to core 1, is the load
generator: one asyncio loop with the ``websockets`` client playing, per session,

* a viewer — the patient's browser: ``/ws/biofeedback/<id>?view=envelope`` with the session
  cookie and the server's own ``Origin``; it gets ``waiting``, then ``hello`` once the probe is
  in, and answers ``start``;
* a probe — ``pelvio connect``: ``/ws/ingest`` with the pairing code as bearer token, a JSON
  hello, then one raw frame of 40 samples (20 ms at 2 kHz, 50 frames/s) paced by the monotonic
  clock against the sample count, so it never drifts, and stamped with ``time.time()`` as it
  is sent. The samples are precomputed band-limited noise (20–450 Hz, rest-tone level, a little
  mains hum), each stream reading its own stretch.

The probes start spread over one 20 ms period, as independent devices would. After all streams
run and a warm-up, a window is measured: envelope frames received per viewer per second (full
rate 50/s), frame latency (receive time − ``wall_ms`` of the frame header, i.e. probe send →
server → viewer, through the ingest socket, the signal pipeline, the recorder and the
envelope socket), frames lost (gaps in the viewer's sequence numbers), the server's CPU time
from ``/proc/<pid>/stat`` as a share of its one core, and the generator's own health: how late
the probes sent their frames against their schedule (pacing lag), how late a 5 ms timer fired
in its loop (loop lag) and its CPU share. When the generator's CPU is near 100 % or its loop lags,
the generator, not the server, limits what is measured.

Peer column: a bare ``websockets`` server (this file with ``--peer PORT``) on core 0 that only
forwards each frame a probe sends to its paired viewer, no decoding, pipeline or recording: the
floor of the Python WebSocket overhead for the same number of sockets and messages.

Every session records to EDF+ on the data directory's disk (with its fsync once a second), as
in production. Other work on the machine shares both cores; the load average is reported.

Run: ``.venv/bin/python -m bench biofeedback_load`` (writes ``docs/benchmarks.md``) or
``.venv/bin/python -m bench.biofeedback_load`` (prints only; ``--counts 50,100`` and
``--measure-s S`` for a quicker look). About 6 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray
from tests.serving import WebUser
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

from pelvio.biofeedback.protocol import RAW, encode_frame

ROOT: Final = Path(__file__).resolve().parent.parent
RATE_HZ: Final = 2000.0
FRAME_SAMPLES: Final = 40
FRAME_S: Final = FRAME_SAMPLES / RATE_HZ
FULL_RATE: Final = 1.0 / FRAME_S
COUNTS: Final = (50, 100, 150, 200)
WARM_UP_S: Final = 5.0
MEASURE_S: Final = 30.0
SETUP_TIMEOUT_S: Final = 120.0
CONNECT_AT_ONCE: Final = 10
LOOP_TICK_S: Final = 0.005
SERVER_CORE: Final = 0
LOAD_CORE: Final = 1
TARGET_STREAMS: Final = 200
TARGET_P99_MS: Final = 50.0
FULL_RATE_SHARE: Final = 0.99  # a stream keeps "full rate" at >= 99 % of 50 frames/s
NOISE_S: Final = 60.0
SEED: Final = 20261121
SERVER_PROBE: Final = "sim:healthy"
"""The probe of the sessions whose probe runs inside the server (a practice's own laptop)."""
EMAIL: Final = "anna@demo.pelvio.nl"
PASSWORD: Final = "demo-patient-2026"  # noqa: S105 - the public demo login
HELLO: Final = {
    "type": "hello",
    "device": {
        "name": "bench",
        "kind": "emg",
        "sampling_rate_hz": RATE_HZ,
        "labels": ["EMG"],
        "units": ["uV"],
    },
}
_SEQ: Final = struct.Struct("<I")
_WALL: Final = struct.Struct("<d")


# -- the signal ------------------------------------------------------------------------------
def band_limited_noise(seed: int = SEED) -> NDArray[np.float32]:
    """``NOISE_S`` seconds of rest-tone EMG as rows of one frame each: ``(frames, 40)`` µV.

    Gaussian noise band-passed 20–450 Hz (4th-order Butterworth) at about 8 µV RMS, its level
    drifting slowly by ±30 %, plus 1.5 µV of 50 Hz hum.
    """
    from scipy import signal as sps

    rng = np.random.default_rng(seed)
    n = round(NOISE_S * RATE_HZ)
    sos = sps.butter(4, [20.0, 450.0], btype="bandpass", fs=RATE_HZ, output="sos")
    noise = sps.sosfilt(sos, rng.standard_normal(n))
    t = np.arange(n) / RATE_HZ
    level = 8.0 * (1.0 + 0.3 * np.sin(2 * np.pi * t / 17.0))
    emg = level * noise / noise.std() + 1.5 * np.sin(2 * np.pi * 50.0 * t)
    return np.ascontiguousarray(emg.astype(np.float32).reshape(-1, FRAME_SAMPLES))


# -- what one run measures -------------------------------------------------------------------
@dataclass
class Window:
    """The measured stretch of monotonic time (empty until the warm-up is over)."""

    start: float = float("inf")
    end: float = float("inf")

    def holds(self, now: float) -> bool:
        return self.start <= now < self.end


@dataclass
class Stream:
    """One session's viewer and probe, and what they saw inside the window."""

    index: int
    viewer_url: str
    probe_url: str
    viewer_headers: dict[str, str]
    probe_headers: dict[str, str]
    handshake: bool  # the Pelvio protocol (hello/ready, waiting/hello/start); False for the peer
    streaming: asyncio.Event = field(default_factory=asyncio.Event)
    frames: int = 0
    lost: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    pacing_lag_s: list[float] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class Result:
    """One row of the table."""

    streams: int
    rate_min: float
    rate_median: float
    total_rate: float
    lost: int
    failed: int  # streams whose socket or session ended inside the window
    latency_ms: tuple[float, float, float]  # p50, p99, max
    server_cpu: float  # % of one core
    pacing_lag_p99_ms: float
    loop_lag_p99_ms: float
    generator_cpu: float  # % of one core

    @property
    def full_rate(self) -> bool:
        return self.rate_min >= FULL_RATE_SHARE * FULL_RATE and self.lost == self.failed == 0

    @property
    def met(self) -> bool:
        return self.full_rate and self.latency_ms[1] <= TARGET_P99_MS


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all its threads)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the load generator ----------------------------------------------------------------------
async def _probe(
    stream: Stream,
    noise: NDArray[np.float32],
    phase_s: float,
    window: Window,
    stop: asyncio.Event,
) -> None:
    async with connect(
        stream.probe_url,
        additional_headers=stream.probe_headers,
        max_size=2**20,
        open_timeout=60,
        ping_interval=None,  # a saturated server answers late; measure that, do not hang up
        compression=None,  # as pelvio connect: float frames do not deflate
    ) as ws:
        if stream.handshake:
            await ws.send(json.dumps(HELLO))
            reply = json.loads(await ws.recv())
            if reply.get("type") != "ready":
                raise RuntimeError(f"probe refused: {reply}")
        rows = noise.shape[0]
        first_row = (stream.index * 997) % rows
        start = time.monotonic() + phase_s
        seq = 0
        while not stop.is_set():
            due = start + (seq + 1) * FRAME_S  # the newest sample of frame ``seq`` exists now
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            now = time.monotonic()
            if window.holds(now):
                stream.pacing_lag_s.append(now - due)
            frame = encode_frame(
                RAW,
                seq,
                seq * FRAME_SAMPLES / RATE_HZ,
                time.time() * 1000.0,
                RATE_HZ,
                noise[(first_row + seq) % rows],
            )
            await ws.send(frame)
            seq += 1


async def _view(ws: ClientConnection, stream: Stream, window: Window) -> None:
    last_seq: int | None = None
    async for message in ws:
        if isinstance(message, str):
            event = json.loads(message)
            if event.get("type") == "hello":
                await ws.send(json.dumps({"type": "start"}))
            elif event.get("type") in ("ended", "gone"):
                raise RuntimeError(f"session ended early: {event}")
            continue
        received_ms = time.time() * 1000.0
        now = time.monotonic()
        stream.streaming.set()
        seq = _SEQ.unpack_from(message, 4)[0]
        if window.holds(now):
            stream.frames += 1
            stream.latencies_ms.append(received_ms - _WALL.unpack_from(message, 16)[0])
            if last_seq is not None and seq != (last_seq + 1) & 0xFFFFFFFF:
                stream.lost += (seq - last_seq - 1) & 0xFFFFFFFF
        last_seq = seq


async def _session(
    stream: Stream,
    noise: NDArray[np.float32],
    phase_s: float,
    window: Window,
    stop: asyncio.Event,
    gate: asyncio.Semaphore,
    origin: str,
) -> None:
    """Viewer first (it waits for the probe), then the probe; both until ``stop``."""
    tasks: list[asyncio.Task[None]] = []
    ws: ClientConnection | None = None
    try:
        async with gate:  # a few handshakes at a time
            ws = await connect(
                stream.viewer_url,
                additional_headers=stream.viewer_headers,
                origin=Origin(origin),
                max_size=2**20,
                open_timeout=60,
                compression=None,
                ping_interval=None,
            )
            if stream.handshake and stream.probe_url:
                first = json.loads(await ws.recv())
                if first.get("type") != "waiting":
                    raise RuntimeError(f"viewer expected waiting, got {first}")
            tasks = [asyncio.create_task(_view(ws, stream, window))]
            if stream.probe_url:  # else the probe runs inside the server
                tasks.append(asyncio.create_task(_probe(stream, noise, phase_s, window, stop)))
            await _first(tasks, stream.streaming)
        await _first(tasks, stop)
        for task in tasks:
            if task.done():
                task.result()  # an early end raises here
    except Exception as exc:  # collected and raised by ``generate``
        stream.error = f"stream {stream.index}: {type(exc).__name__}: {exc!r}"
        stream.streaming.set()
    finally:
        # The viewer leaves first (a tab closing), then the probe, which stops sending at its
        # next frame; what goes wrong while closing does not count.
        if tasks:
            tasks[0].cancel()
        if ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(), 10)
        if len(tasks) > 1:
            await asyncio.wait({tasks[1]}, timeout=5)
        for task in tasks:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task


async def _first(tasks: list[asyncio.Task[None]], event: asyncio.Event) -> None:
    """Until ``event`` is set or one of ``tasks`` ends."""
    waiter = asyncio.create_task(event.wait())
    await asyncio.wait({*tasks, waiter}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()


async def _loop_lag(window: Window, stop: asyncio.Event, lags_s: list[float]) -> None:
    while not stop.is_set():
        due = time.monotonic() + LOOP_TICK_S
        await asyncio.sleep(LOOP_TICK_S)
        now = time.monotonic()
        if window.holds(now):
            lags_s.append(now - due)


async def generate(
    streams: list[Stream],
    noise: NDArray[np.float32],
    origin: str,
    server_pid: int,
    measure_s: float,
) -> Result:
    """Run every stream, measure one window, stop them all; the row of the table."""
    window, stop = Window(), asyncio.Event()
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)
    count = len(streams)
    tasks = [
        asyncio.create_task(_session(s, noise, FRAME_S * k / count, window, stop, gate, origin))
        for k, s in enumerate(streams)
    ]
    loop_lags: list[float] = []
    ticker = asyncio.create_task(_loop_lag(window, stop, loop_lags))
    try:
        # A saturated server may not get every stream going: those count as failed.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(s.streaming.wait() for s in streams)), SETUP_TIMEOUT_S
            )
        errors = [s.error for s in streams if s.error]
        if len(errors) == count:
            raise RuntimeError("; ".join(errors[:3]))
        await asyncio.sleep(WARM_UP_S)
        cpu0, own0 = process_cpu_s(server_pid), time.process_time()
        window.start = time.monotonic()
        window.end = window.start + measure_s
        await asyncio.sleep(measure_s)
        server_cpu = (process_cpu_s(server_pid) - cpu0) / measure_s * 100
        generator_cpu = (time.process_time() - own0) / measure_s * 100
        await asyncio.sleep(0.1)
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks, ticker, return_exceptions=True), 60)
    failures = [s.error or "never streamed" for s in streams if s.error or not s.frames]
    for failure in failures[:3]:
        print(f"   {failure}", file=sys.stderr)
    rates = [s.frames / measure_s for s in streams]
    latencies = np.concatenate([np.asarray(s.latencies_ms) for s in streams])
    pacing = np.concatenate([np.asarray(s.pacing_lag_s) for s in streams])
    latencies = latencies if latencies.size else np.array([np.nan])
    pacing = pacing if pacing.size else np.array([np.nan])
    return Result(
        streams=count,
        rate_min=min(rates),
        rate_median=statistics.median(rates),
        total_rate=sum(rates),
        lost=sum(s.lost for s in streams),
        failed=len(failures),
        latency_ms=(
            float(np.percentile(latencies, 50)),
            float(np.percentile(latencies, 99)),
            float(latencies.max()),
        ),
        server_cpu=server_cpu,
        pacing_lag_p99_ms=float(np.percentile(pacing, 99)) * 1e3,
        loop_lag_p99_ms=float(np.percentile(loop_lags, 99)) * 1e3,
        generator_cpu=generator_cpu,
    )


# -- the servers -----------------------------------------------------------------------------
def _pinned(
    command: list[str], *, log: Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start ``command`` on ``SERVER_CORE`` (taskset, else the affinity of the new process)."""
    taskset = shutil.which("taskset")
    with log.open("ab") as out:
        process = subprocess.Popen(
            ["taskset", "-c", str(SERVER_CORE), *command] if taskset else command,
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if not taskset:
        os.sched_setaffinity(process.pid, {SERVER_CORE})
    return process


def _wait_listening(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"server did not start:\n{log.read_text(errors='replace')}"
                ) from None
            time.sleep(0.2)


def _run(measurement: Coroutine[None, None, Result], log: Path) -> Result:
    """Run ``measurement``; a failure carries the end of the server's log."""
    try:
        return asyncio.run(measurement)
    except (RuntimeError, TimeoutError) as exc:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{exc!r}\nserver log (end):\n{tail}") from exc


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def start_session(user: WebUser, device: str) -> tuple[str, str]:
    """Start a relaxation session on ``device`` (``remote`` or a probe in the server); its id
    and, for a remote probe, its pairing code."""
    _, page = user.post(
        "/biofeedback/sessions?speed=1",
        {"mode": "relaxation", "device": device},
        form_page="/biofeedback",
    )
    session = re.search(r"/ws/biofeedback/([0-9a-f]{32})", page)
    code = re.search(r"--code ([A-Za-z0-9_\-]+)", page)
    if not session or (device == "remote" and not code):
        raise RuntimeError(f"no session id or pairing code on the session page ({device})")
    return session.group(1), code.group(1) if code else ""


def measure_pelvio(
    count: int, noise: NDArray[np.float32], measure_s: float, *, remote: bool = True
) -> Result:
    """``count`` sessions on a fresh ``pelvio serve`` pinned to one core: remote probes
    streaming in over ``/ws/ingest``, or (``remote=False``) probes inside the server."""
    from tests import serving

    with tempfile.TemporaryDirectory(prefix="pelvio-load-") as folder:
        data_dir = Path(folder)
        env = serving.prepare(data_dir)
        port = serving.free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = data_dir / "server.log"
        process = _pinned([serving.PELVIO, "serve", "--port", str(port)], log=log_path, env=env)
        try:
            _wait_listening(f"{url}/healthz", process, log_path)
            user = WebUser(url, EMAIL, PASSWORD)
            device = "remote" if remote else SERVER_PROBE
            sessions = [start_session(user, device) for _ in range(count)]
            ws_url = url.replace("http://", "ws://")
            streams = [
                Stream(
                    index=k,
                    viewer_url=f"{ws_url}/ws/biofeedback/{session_id}?view=envelope",
                    probe_url=f"{ws_url}/ws/ingest" if remote else "",
                    viewer_headers={"Cookie": user.cookie},
                    probe_headers={"Authorization": f"Bearer {code}"},
                    handshake=True,
                )
                for k, (session_id, code) in enumerate(sessions)
            ]
            return _run(generate(streams, noise, url, process.pid, measure_s), log_path)
        finally:
            _stop(process)


def measure_peer(count: int, noise: NDArray[np.float32], measure_s: float) -> Result:
    """``count`` streams through the bare forwarding server pinned to one core."""
    from tests import serving

    port = serving.free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="pelvio-peer-") as folder:
        log_path = Path(folder) / "peer.log"
        process = _pinned(
            [sys.executable, "-m", "bench.biofeedback_load", "--peer", str(port)],
            log=log_path,
            cwd=ROOT,
        )
        try:
            _wait_listening(url, process, log_path)
            ws_url = url.replace("http://", "ws://")
            streams = [
                Stream(
                    index=k,
                    viewer_url=f"{ws_url}/view/{k}",
                    probe_url=f"{ws_url}/ingest/{k}",
                    viewer_headers={},
                    probe_headers={},
                    handshake=False,
                )
                for k in range(count)
            ]
            return _run(generate(streams, noise, url, process.pid, measure_s), log_path)
        finally:
            _stop(process)


async def peer_server(port: int) -> None:
    """The peer: forward every message from ``/ingest/K`` to the viewer on ``/view/K``."""
    from websockets.asyncio.server import ServerConnection, serve

    viewers: dict[str, ServerConnection] = {}

    async def handler(ws: ServerConnection) -> None:
        assert ws.request is not None
        role, _, key = ws.request.path.strip("/").partition("/")
        if role == "view":
            viewers[key] = ws
            await ws.wait_closed()
            viewers.pop(key, None)
            return
        async for message in ws:
            viewer = viewers.get(key)
            if viewer is not None:
                with contextlib.suppress(ConnectionClosed):
                    await viewer.send(message)

    async with serve(handler, "127.0.0.1", port, max_size=2**20, compression=None) as server:
        await server.serve_forever()


# -- the report ------------------------------------------------------------------------------
def _row(name: str, r: Result) -> str:
    p50, p99, worst = r.latency_ms
    failed = f" ({r.failed} streams failed)" if r.failed else ""
    return (
        f"| {name} | {r.streams} | {r.rate_min:.1f} / {r.rate_median:.1f} | {r.total_rate:,.0f} "
        f"| {r.lost:,}{failed} | {p50:.1f} ms | **{p99:.1f} ms** | {worst:.0f} ms "
        f"| {r.server_cpu:.0f} % "
        f"| {r.pacing_lag_p99_ms:.1f} ms | {r.loop_lag_p99_ms:.1f} ms | {r.generator_cpu:.0f} % |"
    )


def _bottleneck(r: Result) -> str:
    notes = []
    if r.server_cpu >= 90:
        notes.append(f"the server's core is saturated ({r.server_cpu:.0f} %)")
    if r.generator_cpu >= 90 or r.loop_lag_p99_ms > 10:
        notes.append(
            f"the generator is near its limit too (CPU {r.generator_cpu:.0f} %, loop lag p99 "
            f"{r.loop_lag_p99_ms:.1f} ms), so part of the latency is its own"
        )
    if not notes:
        notes.append(
            f"neither side is saturated (server {r.server_cpu:.0f} %, generator "
            f"{r.generator_cpu:.0f} % of a core)"
        )
    return "; ".join(notes)


def report(local: list[Result], pelvio: list[Result], peer: list[Result], measure_s: float) -> str:
    """The Markdown block."""
    lines = [
        f"**{FULL_RATE:.0f} envelope frames/s per stream** (2 kHz EMG in 20 ms chunks), "
        f"{measure_s:.0f} s measured after {WARM_UP_S:.0f} s warm-up per row; server pinned to "
        f"core {SERVER_CORE}, load generator to core {LOAD_CORE}; loopback. Rates in frames/s "
        "per viewer (min / median over streams) and in total. *Probe in the server*: the "
        f"sessions' probes run inside `pelvio serve` (`{SERVER_PROBE}`, as a practice laptop "
        "with the probes plugged in), each session recorded, scored and sent to a viewer over "
        "loopback. *Remote probe*: each probe also streams in over `/ws/ingest` "
        "(40-sample raw frames), as `pelvio connect` does.",
        "",
        "| server | streams | frames/s min / median | total frames/s | lost | latency p50 "
        "| latency p99 | latency max | server CPU (1 core) | generator pacing lag p99 "
        "| generator loop lag p99 | generator CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_row("Pelvio `serve`, probe in the server", r) for r in local]
    lines += [_row("Pelvio `serve`, remote probe", r) for r in pelvio]
    lines += [_row("bare `websockets` forwarder (peer)", r) for r in peer]
    lines.append("")
    for label, rows in (("probes in the server", local), ("remote probes", pelvio)):
        target = next((r for r in rows if r.streams == TARGET_STREAMS), None)
        if target is None:
            continue
        verdict = "met" if target.met else "**missed**"
        lines.append(
            f"Target {TARGET_STREAMS} streams at full rate (every stream >= "
            f"{FULL_RATE_SHARE * FULL_RATE:.1f} frames/s, none lost) with latency p99 <= "
            f"{TARGET_P99_MS:.0f} ms, {label}: {verdict} (slowest stream "
            f"{target.rate_min:.1f} frames/s, {target.lost:,} lost, p99 "
            f"{target.latency_ms[1]:.1f} ms). At {TARGET_STREAMS} streams {_bottleneck(target)}."
        )
    if pelvio and peer:
        by_count = {r.streams: r for r in peer}
        shares = [
            f"{r.streams}: {r.server_cpu:.0f} % vs {by_count[r.streams].server_cpu:.0f} %"
            for r in pelvio
            if r.streams in by_count
        ]
        lines.append(
            "Server CPU with remote probes against the bare forwarder, by streams: "
            + "; ".join(shares)
            + ". The forwarder only receives and sends; Pelvio also decodes, filters, records, "
            "scores and goes through the ASGI layers."
        )
    load = os.getloadavg()[0]
    lines.append(
        f"Load average {load:.1f} at the end of the run (other work on the 2-core machine "
        "shares both cores). Latency is from the newest sample's time stamp (the generator's "
        "send, or the in-server probe's acquisition) to the viewer's receive."
    )
    return "\n".join(lines)


def measure_local(count: int, noise: NDArray[np.float32], measure_s: float) -> Result:
    """``count`` sessions whose probes run inside the server; only viewers on loopback."""
    return measure_pelvio(count, noise, measure_s, remote=False)


def measure_all(counts: tuple[int, ...], measure_s: float) -> str:
    """Every row: probes in the server, remote probes, then the peer; the Markdown block."""
    if (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {LOAD_CORE})
    noise = band_limited_noise()
    rows: dict[str, list[Result]] = {"local": [], "pelvio": [], "peer": []}
    for name, measure in (
        ("local", measure_local),
        ("pelvio", measure_pelvio),
        ("peer", measure_peer),
    ):
        for n in counts:
            result = measure(n, noise, measure_s)
            rows[name].append(result)
            print(f"   {name} {_row(name, result)}", file=sys.stderr, flush=True)
    return report(rows["local"], rows["pelvio"], rows["peer"], measure_s)


def run() -> str:
    """Measure 50, 100 and 200 concurrent streams on Pelvio and on the peer."""
    return measure_all(COUNTS, MEASURE_S)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.biofeedback_load``: print the table, or serve as the peer."""
    parser = argparse.ArgumentParser(prog="python -m bench.biofeedback_load")
    parser.add_argument("--peer", type=int, metavar="PORT", help="run the forwarding peer")
    parser.add_argument("--counts", default=",".join(map(str, COUNTS)))
    parser.add_argument("--measure-s", type=float, default=MEASURE_S)
    args = parser.parse_args(argv)
    if args.peer:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(peer_server(args.peer))
        return 0
    counts = tuple(int(c) for c in args.counts.split(","))
    print(measure_all(counts, args.measure_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
