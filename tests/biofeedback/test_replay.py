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
from pelvio.signals.annotations import CONTRACTION
from pelvio.signals.edf import read_edf, write_edf


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


def test_the_recording_carries_its_contractions_and_still_analyses_the_same(
    tmp_path: Path,
) -> None:
    path = _known(tmp_path, "healthy", 11)
    result = _replay(path, tmp_path / "recordings")
    detected = result.result["detected"]
    assert len(detected) == 11
    recorded = read_edf(result.recording_path or "")
    marks = [a for a in recorded.annotations if a.text == CONTRACTION]
    assert [round(a.onset_s, 3) for a in marks] == [round(c["onset_s"], 3) for c in detected]
    again = analyze(recorded.signal, recorded.sampling_rate_hz, recorded.annotations).to_dict()
    assert again["contractions"] == detected
