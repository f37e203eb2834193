"""Speed of the signal core: offline analysis and the streaming chain (issue 3).

Offline: ``pelvio.signals.analyze`` on a 10-minute 2 kHz simulated Glazer recording, beside a
bare SciPy reference on the same array (``sosfiltfilt`` of a 4th-order Butterworth 20–450 Hz
band-pass plus a Q = 30 notch at 50 Hz, then a 100 ms moving RMS) and NeuroKit2's
``emg_process`` as the peer. Targets: within 2× the reference and at least 10,000× real time
on one core.

Streaming: ``EmgFilter`` + ``StreamingEnvelope`` + ``StreamingDetector`` fed 50-sample chunks
(25 ms at 2 kHz) of the same recording; the time of every chunk is recorded. Target: p99 at
most 100 µs per chunk.

Everything runs in one thread (the runner limits BLAS/OpenMP to one thread), so CPU time is
time on one core. Both clocks are reported: CPU time measures the code, wall-clock time what a
user waits, which also counts other work on the machine. Ratios and "× real time" use CPU time.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from pelvio.signals.annotations import Annotation

RATE_HZ: Final = 2000.0
OFFLINE_S: Final = 600.0
REPEATS: Final = 7
NEUROKIT_REPEATS: Final = 1
CHUNK: Final = 50
WARMUP_CHUNKS: Final = 200
SEED: Final = 20240603


def simulated_recording(
    duration_s: float, *, seed: int = SEED
) -> tuple[NDArray[np.float64], tuple[Annotation, ...]]:
    """A simulated Glazer session, repeated (with shifted annotations) to fill ``duration_s``.

    Each repeat is simulated with its own seed, so the signal never repeats itself.
    """
    from pelvio.signals.simulate import emg_simulate

    parts: list[NDArray[np.float64]] = []
    annotations: list[Annotation] = []
    filled = 0
    total = round(duration_s * RATE_HZ)
    index = 0
    while filled < total:
        session = emg_simulate(
            sampling_rate_hz=RATE_HZ,
            protocol="glazer",
            profile=("healthy", "weak", "overactive", "fatigue")[index % 4],
            seed=seed + index,
        )
        take = min(session.signal.size, total - filled)
        parts.append(np.asarray(session.signal[:take], dtype=np.float64))
        offset_s = filled / RATE_HZ
        kept_s = take / RATE_HZ
        annotations += [
            Annotation(a.onset_s + offset_s, min(a.duration_s, kept_s - a.onset_s), a.text)
            for a in session.annotations
            if a.onset_s < kept_s
        ]
        filled += take
        index += 1
    return np.concatenate(parts), tuple(annotations)


def scipy_reference(signal: NDArray[np.float64], rate: float) -> NDArray[np.float64]:
    """The bare SciPy chain the issue names: band-pass and notch forward-backward, moving RMS."""
    from scipy import signal as sps
    from scipy.ndimage import uniform_filter1d

    band = sps.butter(4, [20.0, 450.0], btype="bandpass", fs=rate, output="sos")
    notch = sps.tf2sos(*sps.iirnotch(50.0, 30.0, fs=rate))
    cleaned = sps.sosfiltfilt(np.vstack([band, notch]), signal)
    envelope: NDArray[np.float64] = np.sqrt(uniform_filter1d(np.square(cleaned), round(0.1 * rate)))
    return envelope


@dataclass(frozen=True)
class Timing:
    """Medians over the runs, in seconds, and the wall-clock time of every run."""

    wall_s: float
    cpu_s: float
    walls_s: tuple[float, ...]


def _median_time(action: Callable[[], object], repeats: int, *, warm_up: bool = True) -> Timing:
    if warm_up:
        action()  # caches and lazy imports, before timing
    walls, cpus = [], []
    for _ in range(repeats):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return Timing(statistics.median(walls), statistics.median(cpus), tuple(walls))


def offline(signal: NDArray[np.float64], annotations: tuple[Annotation, ...]) -> dict[str, Any]:
    """Time every offline column on ``signal``; seconds per run."""
    import tempfile

    import neurokit2 as nk

    from pelvio.signals.analysis import analyze
    from pelvio.signals.edf import read_edf, write_edf

    results: dict[str, Any] = {}
    results["pelvio"] = _median_time(lambda: analyze(signal, RATE_HZ, annotations), REPEATS)
    with tempfile.TemporaryDirectory() as folder:
        path = write_edf(f"{folder}/bench.edf", signal, RATE_HZ, annotations)

        def read_and_analyse() -> object:
            recording = read_edf(path)
            return analyze(recording.signal, recording.sampling_rate_hz, recording.annotations)

        results["pelvio_edf"] = _median_time(read_and_analyse, REPEATS)
    results["scipy"] = _median_time(lambda: scipy_reference(signal, RATE_HZ), REPEATS)
    results["neurokit2"] = _median_time(
        lambda: nk.emg_process(signal, sampling_rate=int(RATE_HZ)),
        NEUROKIT_REPEATS,
        warm_up=False,
    )
    results["versions"] = {"neurokit2": nk.__version__}
    return results


def streaming(signal: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
    """Per-chunk wall-clock times (µs) of the chain and of each stage, after a warm-up.

    ``"total_cpu"`` is the chain's CPU time per chunk (the thread's clock), which leaves out
    time the thread spent waiting for the CPU while other processes ran.
    """
    from pelvio.signals import EmgFilter, StreamingEnvelope
    from pelvio.signals.contractions import StreamingDetector

    chain_filter = EmgFilter(RATE_HZ)
    chain_envelope = StreamingEnvelope(RATE_HZ)
    detector = StreamingDetector(RATE_HZ)
    n_chunks = signal.size // CHUNK
    chunks = [signal[i * CHUNK : (i + 1) * CHUNK].copy() for i in range(n_chunks)]
    total = np.empty(n_chunks)
    total_cpu = np.empty(n_chunks)
    stages = np.empty((n_chunks, 3))
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for i, chunk in enumerate(chunks):
        c0 = cpu_clock()
        t0 = clock()
        cleaned = chain_filter.process(chunk)
        t1 = clock()
        envelope = chain_envelope.process(cleaned)
        t2 = clock()
        detector.process(envelope)
        t3 = clock()
        total_cpu[i] = (cpu_clock() - c0) / 1e3
        total[i] = (t3 - t0) / 1e3
        stages[i] = ((t1 - t0) / 1e3, (t2 - t1) / 1e3, (t3 - t2) / 1e3)
    return {
        "total": total[WARMUP_CHUNKS:],
        "total_cpu": total_cpu[WARMUP_CHUNKS:],
        "filter": stages[WARMUP_CHUNKS:, 0],
        "envelope": stages[WARMUP_CHUNKS:, 1],
        "detector": stages[WARMUP_CHUNKS:, 2],
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _ratio(value: float) -> str:
    return f"{value:.2f}×" if value < 100 else f"{value:,.0f}×"


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def run() -> str:
    """Measure offline and streaming speed; return the Markdown tables."""
    signal, annotations = simulated_recording(OFFLINE_S)
    duration_s = signal.size / RATE_HZ
    timing = offline(signal, annotations)
    ours: Timing = timing["pelvio"]
    reference: Timing = timing["scipy"]
    ratio = ours.cpu_s / reference.cpu_s
    realtime = duration_s / ours.cpu_s
    rows = (
        ("Pelvio `analyze` (all phases, contractions, median frequency)", ours),
        ("Pelvio `read_edf` + `analyze` (from an EDF+ file on disk)", timing["pelvio_edf"]),
        ("SciPy reference (`sosfiltfilt` band-pass + notch, 100 ms moving RMS)", reference),
        (f"NeuroKit2 {timing['versions']['neurokit2']} `emg_process`", timing["neurokit2"]),
    )
    lines = [
        f"**Offline analysis** of a {duration_s / 60:g}-minute {RATE_HZ:g} Hz simulated "
        f"recording ({signal.size:,} samples, Glazer sessions of all four profiles back to "
        f"back), one thread; median of {REPEATS} runs after one warm-up (NeuroKit2: "
        f"{NEUROKIT_REPEATS} run). × real time and × reference use CPU time.",
        "",
        "| what | CPU time | wall-clock | × real time | × SciPy reference |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, measured in rows:
        lines.append(
            f"| {label} | {_ms(measured.cpu_s)} | {_ms(measured.wall_s)} | "
            f"{duration_s / measured.cpu_s:,.0f}× | {_ratio(measured.cpu_s / reference.cpu_s)} |"
        )
    lines += [
        "",
        f"Targets: within 2× the SciPy reference: {_mark(ratio <= 2.0)} ({ratio:.2f}×); at "
        f"least 10,000× real time on one core: {_mark(realtime >= 10_000)} ({realtime:,.0f}×). "
        f"Pelvio's runs (wall-clock): {', '.join(_ms(t) for t in ours.walls_s)}.",
    ]
    stream = streaming(signal)
    p99 = float(np.percentile(stream["total"], 99))
    p99_cpu = float(np.percentile(stream["total_cpu"], 99))
    lines += [
        "",
        f"**Streaming**: `EmgFilter` → `StreamingEnvelope` → `StreamingDetector`, "
        f"{CHUNK}-sample chunks ({CHUNK / RATE_HZ * 1e3:g} ms of signal) of the same recording, "
        f"{stream['total'].size:,} chunks timed (wall-clock) after {WARMUP_CHUNKS} warm-up "
        "chunks.",
        "",
        "| stage | p50 | p99 | max |",
        "|---|---:|---:|---:|",
    ]
    for name, label in (
        ("filter", "`EmgFilter`"),
        ("envelope", "`StreamingEnvelope`"),
        ("detector", "`StreamingDetector`"),
        ("total", "**whole chain**"),
        ("total_cpu", "whole chain, CPU time of the thread"),
    ):
        times = stream[name]
        lines.append(
            f"| {label} | {np.percentile(times, 50):.1f} µs | {np.percentile(times, 99):.1f} µs "
            f"| {times.max():,.1f} µs |"
        )
    lines += [
        "",
        f"Target p99 ≤ 100 µs per chunk (wall-clock): {_mark(p99 <= 100.0)} ({p99:.1f} µs; "
        f"CPU time {p99_cpu:.1f} µs). The chunk holds {CHUNK / RATE_HZ * 1e6:,.0f} µs of signal.",
    ]
    return "\n".join(lines)
