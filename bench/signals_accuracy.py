"""Contraction onset/offset accuracy of ``pelvio.signals`` beside NeuroKit2 and BioSPPy.

Run: ``.venv/bin/python -m bench.signals_accuracy`` (prints the Markdown table), or through
the bench runner (``python -m bench signals_accuracy``), which calls :func:`run`.

The recordings come from Pelvio's own simulator (``emg_simulate``, Glazer protocol, 2 kHz,
every artefact switched on), cycling through the four profiles with fixed seeds; every method
is scored on the same recordings against the simulator's ground truth (half-amplitude onsets
and offsets of the artefact-free activation). The simulator is ours and so is the definition
of the truth, which the peers were not built for: the discussion in docs/benchmarks.md says
what that means for them.

Scores, per method, over all recordings together (one-to-one greedy matching):

* **F1 ±100 ms**: a true contraction is found when one detection has both its onset and its
  offset within 100 ms (the target: at least 0.98);
* **onset F1**, **offset F1**: the same on the onset, or the offset, alone;
* **event F1**: a detection that overlaps a true contraction in time finds it (no timing);
* **median |error|**: onset and offset errors of the overlap-matched events.

The peers are slow here (NeuroKit2's ``emg_activation`` walks the signal sample by sample
through pandas; BioSPPy pairs crossings with ``numpy.intersect1d`` over every sample), tens of
seconds per recording, so they run on the first recordings of each profile only, and Pelvio is
scored on that subset too, head to head. BioSPPy's detectors return every threshold crossing;
a second row for each applies Pelvio's 0.3 s minimum on and off durations to the same output.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pelvio.signals import analyze, emg_simulate
from pelvio.signals.simulate import PROFILES

Events = list[tuple[float, float]]

TOLERANCE_S = 0.1
FIRST_SEED = 1000
RATE_HZ = 2000.0
HODGES_BUI_REST_S = 5.0  # the first seconds of the Glazer pre-baseline rest
HODGES_BUI_WINDOW_S = 0.1  # the same 100 ms as Pelvio's RMS window
HODGES_BUI_THRESHOLD_SD = 3.0  # Hodges & Bui (1996) tried 1-3 SD; the strictest


@dataclass
class Tally:
    """Counts for one method over several recordings."""

    strict: list[int] = field(default_factory=lambda: [0, 0, 0])  # tp, detections, truths
    onset: list[int] = field(default_factory=lambda: [0, 0, 0])
    offset: list[int] = field(default_factory=lambda: [0, 0, 0])
    event: list[int] = field(default_factory=lambda: [0, 0, 0])
    onset_errors: list[float] = field(default_factory=list)
    offset_errors: list[float] = field(default_factory=list)
    seconds: float = 0.0
    recordings: int = 0
    failures: int = 0

    def add(self, truth: Events, found: Events, seconds: float) -> None:
        """Score one recording."""
        self.recordings += 1
        self.seconds += seconds
        for counts, matched in (
            (self.strict, _matches(truth, found, onset=True, offset=True)),
            (self.onset, _matches(truth, found, onset=True, offset=False)),
            (self.offset, _matches(truth, found, onset=False, offset=True)),
        ):
            counts[0] += matched
            counts[1] += len(found)
            counts[2] += len(truth)
        pairs = _overlaps(truth, found)
        self.event[0] += len(pairs)
        self.event[1] += len(found)
        self.event[2] += len(truth)
        for (t_on, t_off), (f_on, f_off) in pairs:
            self.onset_errors.append(abs(f_on - t_on))
            self.offset_errors.append(abs(f_off - t_off))

    def merge(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        for mine, theirs in (
            (self.strict, other.strict),
            (self.onset, other.onset),
            (self.offset, other.offset),
            (self.event, other.event),
        ):
            for i in range(3):
                mine[i] += theirs[i]
        self.onset_errors += other.onset_errors
        self.offset_errors += other.offset_errors
        self.seconds += other.seconds
        self.recordings += other.recordings
        self.failures += other.failures


def _f1(counts: Sequence[int]) -> float:
    tp, found, truths = counts
    return 2 * tp / (found + truths) if found + truths else 1.0


def _matches(truth: Events, found: Events, *, onset: bool, offset: bool) -> int:
    used: set[int] = set()
    hits = 0
    for t_on, t_off in truth:
        best, best_error = -1, np.inf
        for j, (f_on, f_off) in enumerate(found):
            if j in used:
                continue
            errors = [abs(f_on - t_on)] * onset + [abs(f_off - t_off)] * offset
            if max(errors) <= TOLERANCE_S and sum(errors) < best_error:
                best, best_error = j, sum(errors)
        if best >= 0:
            used.add(best)
            hits += 1
    return hits


def _overlaps(
    truth: Events, found: Events
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    used: set[int] = set()
    pairs = []
    for t in truth:
        best, best_overlap = -1, 0.0
        for j, f in enumerate(found):
            overlap = min(t[1], f[1]) - max(t[0], f[0])
            if j not in used and overlap > best_overlap:
                best, best_overlap = j, overlap
        if best >= 0:
            used.add(best)
            pairs.append((t, found[best]))
    return pairs


# --- the methods ---------------------------------------------------------------------------


def pelvio_events(signal: NDArray[np.float64], rate: float) -> Events:
    """Pelvio: ``analyze`` with its defaults, no annotations (so no help from the cues)."""
    result = analyze(signal, rate)
    return [(c.onset_s, c.offset_s) for c in result.contractions]


def _pairs(transitions: NDArray[Any], rate: float) -> Events:
    """Threshold crossings as (onset, offset) pairs in seconds.

    BioSPPy returns the crossings both ways in one sorted array; a Glazer recording starts at
    rest, below the threshold, so they run up, down, up, ...
    """
    indices = np.sort(np.asarray(transitions, dtype=np.int64))
    return [
        (float(a) / rate, float(b) / rate)
        for a, b in zip(indices[0::2], indices[1::2], strict=False)
    ]


def biosppy_events(signal: NDArray[np.float64], rate: float) -> Events:
    """BioSPPy ``emg.emg`` with its defaults: 100 Hz high-pass (4th order), then
    ``find_onsets`` (50 ms moving average of the rectified signal, threshold 1.2 × mean +
    2 × SD). ``find_onsets`` returns every threshold crossing; they are paired up and down."""
    from biosppy.signals import emg as bemg

    out = bemg.emg(signal=signal, sampling_rate=rate, show=False)
    return _pairs(out["onsets"], rate)


def hodges_bui_events(signal: NDArray[np.float64], rate: float) -> Events:
    """BioSPPy ``hodges_bui_onset_detector`` on BioSPPy's filtered signal: rest = the first
    5 s (Glazer pre-baseline), window 100 ms, threshold 3 SD; crossings paired up and down."""
    from biosppy.signals import emg as bemg

    filtered = bemg.emg(signal=signal, sampling_rate=rate, show=False)["filtered"]
    out = bemg.hodges_bui_onset_detector(
        signal=filtered,
        rest=[0, int(HODGES_BUI_REST_S * rate)],
        sampling_rate=rate,
        size=int(HODGES_BUI_WINDOW_S * rate),
        threshold=HODGES_BUI_THRESHOLD_SD,
    )
    return _pairs(out["onsets"], rate)


def neurokit_events(signal: NDArray[np.float64], rate: float) -> Events:
    """NeuroKit2 ``emg_process`` with its defaults (``emg_clean``: 100 Hz high-pass and
    detrending; ``emg_amplitude``; ``emg_activation`` method "threshold")."""
    import neurokit2 as nk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, info = nk.emg_process(signal, sampling_rate=int(rate))
    onsets = np.asarray(info["EMG_Onsets"], dtype=np.float64)
    offsets = np.asarray(info["EMG_Offsets"], dtype=np.float64)
    return [(float(a) / rate, float(b) / rate) for a, b in zip(onsets, offsets, strict=False)]


def with_minimum_durations(events: Events, minimum_s: float = 0.3) -> Events:
    """The same events after Pelvio's rule: bridge gaps under 0.3 s, then drop events under
    0.3 s (what BioSPPy's crossing detectors leave to the caller)."""
    merged: Events = []
    for onset, offset in events:
        if merged and onset - merged[-1][1] < minimum_s:
            merged[-1] = (merged[-1][0], offset)
        else:
            merged.append((onset, offset))
    return [(a, b) for a, b in merged if b - a >= minimum_s]


METHODS: dict[str, Callable[[NDArray[np.float64], float], Events]] = {
    "Pelvio `analyze`": pelvio_events,
    "BioSPPy `emg` (`find_onsets`)": biosppy_events,
    "BioSPPy Hodges–Bui": hodges_bui_events,
    "NeuroKit2 `emg_process`": neurokit_events,
}
PEERS = frozenset(name for name in METHODS if not name.startswith("Pelvio"))
POST_PROCESSED = {
    "BioSPPy `emg` (`find_onsets`)": "BioSPPy `find_onsets` + 0.3 s minimum on/off",
    "BioSPPy Hodges–Bui": "BioSPPy Hodges–Bui + 0.3 s minimum on/off",
}
ROWS = [
    "Pelvio `analyze`",
    "NeuroKit2 `emg_process`",
    "BioSPPy `emg` (`find_onsets`)",
    POST_PROCESSED["BioSPPy `emg` (`find_onsets`)"],
    "BioSPPy Hodges–Bui",
    POST_PROCESSED["BioSPPy Hodges–Bui"],
]


def score_recording(index: int, with_peers: bool) -> dict[str, Tally]:
    """Simulate recording ``index`` and score Pelvio (and the peers) on it."""
    profile = PROFILES[index % len(PROFILES)]
    sim = emg_simulate(sampling_rate_hz=RATE_HZ, profile=profile, seed=FIRST_SEED + index)
    truth = [(float(a), float(b)) for a, b in sim.truth.contractions]
    tallies: dict[str, Tally] = {}
    for name, method in METHODS.items():
        if name in PEERS and not with_peers:
            continue
        tally = Tally()
        start = time.perf_counter()
        try:
            found = method(sim.signal, sim.sampling_rate_hz)
        except ImportError:
            continue
        except Exception:  # a peer that crashes scores nothing, and the table says so
            tally.failures += 1
            found = []
        seconds = time.perf_counter() - start
        tally.add(truth, found, seconds)
        tallies[name] = tally
        if name in POST_PROCESSED:
            variant = Tally(failures=tally.failures)
            variant.add(truth, with_minimum_durations(found), seconds)
            tallies[POST_PROCESSED[name]] = variant
    return tallies


def accuracy_table(n_recordings: int = 100, n_peer_per_profile: int = 2, workers: int = 2) -> str:
    """Score every method; return the Markdown tables (all recordings, and the subset)."""
    peer_count = min(n_recordings, n_peer_per_profile * len(PROFILES))
    jobs = [(i, i < peer_count) for i in range(n_recordings)]
    started = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_score_job, jobs))
    else:
        results = [_score_job(job) for job in jobs]
    overall: dict[str, Tally] = {}
    subset: dict[str, Tally] = {}
    for (index, _), tallies in zip(jobs, results, strict=True):
        for name, tally in tallies.items():
            if name not in PEERS and name not in POST_PROCESSED.values():
                overall.setdefault(name, Tally()).merge(tally)
            if index < peer_count:
                subset.setdefault(name, Tally()).merge(tally)
    elapsed = time.perf_counter() - started
    last_seed = FIRST_SEED + n_recordings - 1
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    lines = [
        f"Recordings: {n_recordings} simulated Glazer sessions (340 s, 2 kHz, artefacts on), "
        f"profiles {', '.join(PROFILES)} in turn, seeds {FIRST_SEED}–{last_seed}; "
        f"tolerance ±{TOLERANCE_S * 1000:.0f} ms. Run {today} on "
        f"{platform.machine()} with {os.cpu_count()} cores, {elapsed:.0f} s in all.",
        "",
        f"**Pelvio on all {n_recordings} recordings** (target: F1 ±100 ms at least 0.98)",
        "",
        *_table(overall),
        "",
        f"**Head to head on the first {peer_count} recordings** ({n_peer_per_profile} per "
        "profile: the peers take seconds to a minute per recording here)",
        "",
        *_table(subset),
    ]
    return "\n".join(lines) + "\n"


def _score_job(job: tuple[int, bool]) -> dict[str, Tally]:
    return score_recording(*job)


def _table(tallies: dict[str, Tally]) -> list[str]:
    rows = [
        "| method | F1 ±100 ms | onset F1 | offset F1 | event F1 | median \\|onset error\\| | "
        "median \\|offset error\\| | s per recording |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in ROWS:
        tally = tallies.get(name)
        if tally is None:
            continue
        on = f"{np.median(tally.onset_errors) * 1000:.0f} ms" if tally.onset_errors else "–"
        off = f"{np.median(tally.offset_errors) * 1000:.0f} ms" if tally.offset_errors else "–"
        crashed = f" ({tally.failures} crashed)" if tally.failures else ""
        rows.append(
            f"| {name}{crashed} | {_f1(tally.strict):.3f} | {_f1(tally.onset):.3f} | "
            f"{_f1(tally.offset):.3f} | {_f1(tally.event):.3f} | {on} | {off} | "
            f"{tally.seconds / max(tally.recordings, 1):.2f} |"
        )
    return rows


def run() -> str:
    """The bench runner's entry point: the full benchmark as Markdown."""
    return accuracy_table()


def main() -> None:
    """Command line: ``python -m bench.signals_accuracy [--recordings N] [--peers N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recordings", type=int, default=100)
    parser.add_argument("--peers", type=int, default=2, help="peer recordings per profile")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(accuracy_table(args.recordings, args.peers, args.workers))


if __name__ == "__main__":
    main()
