"""Replaying a known EDF+ through a live session gives the contractions ``pelvio analyze`` finds.

The path is the real one: the replay device paces nothing here (``realtime=False``) but
otherwise streams chunk by chunk into a hub, which runs the live pipeline, records through the
crash-safe recorder, closes the EDF+ and analyses it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from pelvio.biofeedback.devices import open_device
from pelvio.biofeedback.hub import Hub, HubResult
from pelvio.biofeedback.live import check_plan
from pelvio.biofeedback.recorder import Recorder, RecordingHeader
from pelvio.signals import analyze, emg_simulate
from pelvio.signals.edf import read_edf, write_edf

LIVE_TOLERANCE_S = 0.25
"""How far the live detector's onset and offset may lie from the offline ones: it sees only
the past (a trailing envelope, no zero-phase filter), the offline one the whole recording."""


def _replay(path: Path, folder: Path) -> HubResult:
    results: list[HubResult] = []

    async def store(result: HubResult) -> None:
        results.append(result)

    async def run() -> None:
        device = open_device(f"replay:{path}", realtime=False)
        info = device.info
        header = RecordingHeader(
            "a" * 32, info.sampling_rate_hz, info.labels, info.units, dt.datetime.now(dt.UTC)
        )
        hub = Hub(
            check_plan("r" * 32, "nl"), device, recorder=Recorder(folder, header), on_finish=store
        )
        await hub.run()

    asyncio.run(run())
    assert len(results) == 1
    return results[0]


def _known(tmp_path: Path, profile: str, seed: int) -> Path:
    sim = emg_simulate(profile=profile, seed=seed, sampling_rate_hz=2000.0)  # type: ignore[arg-type]
    return write_edf(tmp_path / "known.edf", sim.signal, 2000.0, sim.annotations)


@pytest.mark.parametrize(
    ("profile", "seed"), [("healthy", 11), ("weak", 12), ("fatigue", 13), ("overactive", 14)]
)
def test_replay_gives_the_contractions_of_analyze(tmp_path: Path, profile: str, seed: int) -> None:
    path = _known(tmp_path, profile, seed)
    known = read_edf(path)
    expected = analyze(known.signal, known.sampling_rate_hz, known.annotations).to_dict()
    result = _replay(path, tmp_path / "recordings")
    assert result.status == "ended"  # the file ran out
    assert result.result["detected"] == expected["contractions"]
    recorded = read_edf(result.recording_path or "")
    assert recorded.signal.size == known.signal.size


def test_live_detector_follows_the_offline_one_on_a_healthy_recording(tmp_path: Path) -> None:
    path = _known(tmp_path, "healthy", 11)
    result = _replay(path, tmp_path / "recordings")
    offline = result.result["detected"]
    live = result.result["live_detected"]
    assert len(offline) == 11
    for contraction in offline:
        match = [
            c
            for c in live
            if abs(c["onset_s"] - contraction["onset_s"]) <= LIVE_TOLERANCE_S
            and abs(c["offset_s"] - contraction["offset_s"]) <= LIVE_TOLERANCE_S
        ]
        assert len(match) == 1, contraction
