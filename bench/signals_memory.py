"""Memory of the signal core: analysing a 60-minute 2 kHz recording from an EDF+ file (issue 3).

A 60-minute simulated recording (7.2 million samples) is written to an EDF+ file once. Each
column then runs in a fresh Python process that imports its libraries, notes its peak resident
set size (the baseline), reads the file and analyses it, and notes the peak
again. Target: Pelvio's whole process stays under 200 MB. The SciPy reference of
``bench/signals_speed.py`` and NeuroKit2's ``emg_process`` run on the same file as peers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

RECORDING_S: Final = 3600.0
TARGET_MB: Final = 200.0

# Run in a fresh interpreter: {path} and {column} are filled in. The peak comes from VmHWM in
# /proc/self/status, the high-water mark of this process's own memory. ru_maxrss would do on
# its own, but Linux carries it over from the parent through fork/vfork and exec, so a child of
# a large process starts with the parent's peak. Both are in KiB.
_PROBE: Final = """
import json, resource, sys, time
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
column = {column!r}
path = {path!r}
from pelvio.signals.edf import read_edf
if column == "pelvio":
    from pelvio.signals.analysis import analyze
elif column == "scipy":
    from bench.signals_speed import scipy_reference
else:
    import neurokit2 as nk
baseline = peak_mb()
started = time.perf_counter()
recording = read_edf(path)
if column == "pelvio":
    result = analyze(recording.signal, recording.sampling_rate_hz, recording.annotations)
    document = json.dumps(result.to_dict())
elif column == "scipy":
    envelope = scipy_reference(recording.signal, recording.sampling_rate_hz)
else:
    frame, info = nk.emg_process(recording.signal, sampling_rate=int(recording.sampling_rate_hz))
elapsed = time.perf_counter() - started
sys.stdout.write(json.dumps({{"baseline_mb": baseline, "peak_mb": peak_mb(), "seconds": elapsed}}))
"""

_COLUMNS: Final = (
    ("pelvio", "Pelvio `read_edf` + `analyze` + `to_dict`"),
    ("scipy", "SciPy reference (`read_edf` + `sosfiltfilt` + moving RMS)"),
    ("neurokit2", "NeuroKit2 `emg_process` (after `read_edf`)"),
)


def _probe(column: str, path: Path) -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _PROBE.format(column=column, path=str(path))],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"memory probe {column} failed:\n{result.stderr}")
    measured: dict[str, Any] = json.loads(result.stdout)
    return measured


def run() -> str:
    """Write the recording, probe each column in a fresh process, return the Markdown table."""
    from bench.signals_speed import RATE_HZ, simulated_recording
    from pelvio.signals.edf import write_edf

    started = time.perf_counter()
    signal, annotations = simulated_recording(RECORDING_S)
    n_samples = signal.size
    with tempfile.TemporaryDirectory() as folder:
        path = write_edf(Path(folder) / "hour.edf", signal, RATE_HZ, annotations)
        del signal
        size_mb = path.stat().st_size / 1024**2
        results = {column: _probe(column, path) for column, _ in _COLUMNS}
    ours = results["pelvio"]
    lines = [
        f"**Memory**: a {RECORDING_S / 60:g}-minute {RATE_HZ:g} Hz simulated recording "
        f"({n_samples:,} samples; EDF+ file {size_mb:.1f} MB) read from disk and analysed, each "
        "column in a fresh process. Baseline = peak RSS after the imports; peak = peak RSS of "
        "the whole process (`VmHWM` of /proc/self/status; `ru_maxrss` where that is missing).",
        "",
        "| what | baseline | peak | peak − baseline | time |",
        "|---|---:|---:|---:|---:|",
    ]
    for column, label in _COLUMNS:
        measured = results[column]
        lines.append(
            f"| {label} | {measured['baseline_mb']:,.0f} MB | {measured['peak_mb']:,.0f} MB | "
            f"{measured['peak_mb'] - measured['baseline_mb']:,.0f} MB | "
            f"{measured['seconds']:,.1f} s |"
        )
    met = ours["peak_mb"] < TARGET_MB
    lines += [
        "",
        f"Target: Pelvio's peak under {TARGET_MB:g} MB: "
        f"{'met' if met else '**missed**'} ({ours['peak_mb']:,.0f} MB). One float64 copy of "
        f"the hour is {n_samples * 8 / 1024**2:,.0f} MB. (Benchmark wall time "
        f"{time.perf_counter() - started:,.0f} s.)",
    ]
    return "\n".join(lines)
