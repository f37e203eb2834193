"""The server's own work per live frame, without sockets: CPU time per stream and frame (issue 4).

``bench/biofeedback_load.py`` measures the whole server over loopback, where the sockets of
the load generator share the machine. This benchmark isolates what Pelvio itself does per
frame: in one process pinned to one core (``taskset``-like affinity where there are two), N
relaxation sessions run on ``LiveSessions`` exactly as in ``pelvio serve`` — simulated probe
(``sim:healthy``, 20 ms chunks), signal pipeline in batches, the recorder writing the sidecar to
a temporary directory, envelope frames encoded and pushed — to a listener whose ``send`` only
notes the frame's latency. Reported per N: envelope frames per stream per second, CPU time of
the process per frame (user + system, so the recorder's writes and fsyncs count), the share
of one core, and the latency from the frame's ``wall_ms`` to its push.

Run: ``.venv/bin/python -m bench biofeedback_cpu`` (writes ``docs/benchmarks.md``) or
``.venv/bin/python -m bench.biofeedback_cpu`` (prints only). About a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy.orm import Session

from pelvio.biofeedback.hub import Hub, Message

COUNTS: Final = (50, 100, 200)
WARM_UP_S: Final = 3.0
MEASURE_S: Final = 10.0
CORE: Final = 0
_WALL: Final = struct.Struct("<d")


@dataclass(frozen=True)
class Result:
    """One row: N streams."""

    streams: int
    frames_per_s: float
    cpu_us_per_frame: float
    core_share: float
    latency_p50_ms: float
    latency_p99_ms: float


class _Listener:
    def __init__(self) -> None:
        self.frames = 0
        self.latencies_ms: list[float] = []

    async def send(self, message: Message) -> None:
        if isinstance(message, bytes):
            self.frames += 1
            self.latencies_ms.append(time.time() * 1000.0 - _WALL.unpack_from(message, 16)[0])


def _no_database() -> Session:
    raise RuntimeError("this benchmark keeps no database: results are not stored")


async def _measure(count: int, folder: Path) -> Result:
    from pelvio.biofeedback.live import LiveSessions, relaxation_plan
    from pelvio.biofeedback.routes import _open

    live = LiveSessions(_no_database, folder)
    hubs: list[tuple[Hub, _Listener]] = []
    for k in range(count):
        plan = relaxation_plan(f"bench{k:04d}", "nl", duration_s=3600.0)
        hub = live.start(plan, _open("sim:healthy", plan), recording_id=f"{k + 1:032x}")
        hub._on_finish = None  # no database here
        listener = _Listener()
        hub.subscribe("envelope", listener.send)
        hub.start()
        hubs.append((hub, listener))
    await asyncio.sleep(WARM_UP_S)
    for _, listener in hubs:
        listener.frames = 0
        listener.latencies_ms.clear()
    cpu, wall = time.process_time(), time.monotonic()
    await asyncio.sleep(MEASURE_S)
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    frames = sum(listener.frames for _, listener in hubs)
    latencies = sorted(x for _, listener in hubs for x in listener.latencies_ms)
    await live.stop_all()
    return Result(
        count,
        frames / count / wall,
        cpu / max(frames, 1) * 1e6,
        cpu / wall,
        latencies[len(latencies) // 2],
        latencies[int(len(latencies) * 0.99)],
    )


def measure(count: int) -> Result:
    """``count`` sessions in a fresh event loop and recordings folder."""
    with tempfile.TemporaryDirectory(prefix="pelvio-cpu-") as folder:
        return asyncio.run(_measure(count, Path(folder)))


def report(results: list[Result]) -> str:
    """The Markdown block."""
    lines = [
        "**Server work per live frame, in process** (no sockets): relaxation sessions with the "
        f"simulated probe, recorded, envelope frames pushed to a listener; {MEASURE_S:g} s "
        f"measured after {WARM_UP_S:g} s per row, one process on one core.",
        "",
        "| streams | frames/s per stream | CPU per frame | share of one core "
        "| latency p50 | latency p99 |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.streams} | {r.frames_per_s:.1f} | {r.cpu_us_per_frame:.0f} µs "
        f"| {100 * r.core_share:.0f} % | {r.latency_p50_ms:.1f} ms | {r.latency_p99_ms:.1f} ms |"
        for r in results
    ]
    return "\n".join(lines)


def run() -> str:
    """Measure every row of :data:`COUNTS`."""
    if (os.cpu_count() or 1) >= 2:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {CORE})
    results = []
    for count in COUNTS:
        result = measure(count)
        print(f"   {count}: {result.cpu_us_per_frame:.0f} µs per frame", file=sys.stderr)
        results.append(result)
    return report(results)


if __name__ == "__main__":
    print(run())
