"""``analyze``: the JSON document, recordings without phases, pressure, properties, bad input."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pelvio.signals as signals
from pelvio.errors import InputError, SignalError
from pelvio.signals import Analysis, analyze, emg_simulate, pressure_simulate

CONTRACTION_KEYS = {"onset_s", "offset_s", "peak_uv", "mean_uv", "rise_s", "release_s"}
SHORT = (
    ("rest", 4.0, 0.0),
    ("contract", 3.0, 0.7),
    ("rest", 4.0, 0.0),
    ("quick", 1.5, 1.0),
    ("rest", 4.0, 0.0),
)


@pytest.fixture(scope="module")
def short_recording() -> np.ndarray:
    """A 16.5 s programme recording with artefacts: two contractions."""
    return emg_simulate(timeline=SHORT, seed=8).signal


class TestDocument:
    def test_the_top_level_keys_are_exactly_the_contract(self) -> None:
        sim = emg_simulate(seed=4)
        result = analyze(sim.signal, sim.sampling_rate_hz, sim.annotations, channel="EMG PF")
        document = result.to_dict()
        assert list(document) == [
            "sampling_rate_hz",
            "duration_s",
            "channel",
            "phases",
            "contractions",
        ]
        assert document["sampling_rate_hz"] == 2000.0
        assert document["duration_s"] == 340.0
        assert document["channel"] == "EMG PF"
        assert all(set(c) == CONTRACTION_KEYS for c in document["contractions"])
        text = json.dumps(document, allow_nan=False)
        assert json.loads(text) == document

    def test_without_phases_one_overall_entry(self, short_recording: np.ndarray) -> None:
        document = analyze(short_recording, 2000.0).to_dict()
        (overall,) = document["phases"]
        assert overall["name"] == "overall"
        assert overall["start_s"] == 0.0 and overall["end_s"] == pytest.approx(16.5)
        assert {
            "mean_uv",
            "variability_pct",
            "median_frequency_hz",
            "peak_uv",
            "rise_s",
            "recovery_s",
        } <= set(overall)
        assert len(document["contractions"]) == 2

    def test_nothing_to_measure_is_null_not_nan(self) -> None:
        rest = emg_simulate(duration_s=5.0, protocol=None, seed=2).signal
        document = analyze(rest, 2000.0).to_dict()
        (overall,) = document["phases"]
        assert overall["peak_uv"] is None and overall["rise_s"] is None
        assert document["contractions"] == []
        json.dumps(document, allow_nan=False)

    def test_pressure_names_its_units_and_bands_its_squeeze(self) -> None:
        sim = pressure_simulate(seed=5, abdominal_channel=True)
        result = analyze(
            sim.signal,
            sim.sampling_rate_hz,
            sim.annotations,
            kind="pressure",
            abdominal=sim.abdominal,
        )
        document = result.to_dict()
        assert set(document) == {
            "sampling_rate_hz",
            "duration_s",
            "channel",
            "phases",
            "contractions",
            "squeeze",
            "abdominal_rises",
        }
        tonic = document["phases"][2]
        assert {"mean_cmh2o", "peak_cmh2o"} <= set(tonic) and "median_frequency_hz" not in tonic
        assert {"peak_cmh2o", "mean_cmh2o"} <= set(document["contractions"][0])
        squeeze = document["squeeze"]
        assert squeeze["band_source"].startswith("Angelo")
        assert document["abdominal_rises"] == []
        json.dumps(document, allow_nan=False)


class TestProperties:
    @settings(deadline=None, max_examples=8)
    @given(offset=st.floats(min_value=-5000.0, max_value=5000.0, allow_nan=False))
    def test_a_dc_offset_is_ignored(self, short_recording: np.ndarray, offset: float) -> None:
        plain = analyze(short_recording, 2000.0).to_dict()
        shifted = analyze(short_recording + offset, 2000.0).to_dict()
        assert shifted["phases"][0]["mean_uv"] == pytest.approx(
            plain["phases"][0]["mean_uv"], rel=1e-6
        )
        onsets = [c["onset_s"] for c in plain["contractions"]]
        assert [c["onset_s"] for c in shifted["contractions"]] == pytest.approx(onsets, abs=1e-6)

    @settings(deadline=None, max_examples=8)
    @given(gain=st.floats(min_value=0.01, max_value=100.0, allow_nan=False))
    def test_rms_scales_with_gain(self, short_recording: np.ndarray, gain: float) -> None:
        plain = analyze(short_recording, 2000.0)
        scaled = analyze(gain * short_recording, 2000.0)
        assert scaled.phases[0].mean_uv == pytest.approx(gain * plain.phases[0].mean_uv, rel=1e-6)  # type: ignore[operator]
        assert [c.peak_uv for c in scaled.contractions] == pytest.approx(
            [gain * c.peak_uv for c in plain.contractions], rel=1e-6
        )
        assert [c.onset_s for c in scaled.contractions] == pytest.approx(
            [c.onset_s for c in plain.contractions], abs=1e-6
        )


class TestBadInput:
    @pytest.mark.parametrize(
        ("signal", "match"),
        [
            ([], "signal is empty"),
            (np.full(4000, 3.0), "constant"),
            (np.r_[np.zeros(3999), math.nan], "NaN"),
            (np.random.default_rng(0).normal(size=1000), "too short"),
        ],
    )
    def test_degenerate_signals(self, signal: object, match: str) -> None:
        with pytest.raises(SignalError, match=match):
            analyze(signal, 2000.0)  # type: ignore[arg-type]

    def test_rates_too_low(self, short_recording: np.ndarray) -> None:
        with pytest.raises(SignalError, match="sampling_rate_hz must be at least 1000"):
            analyze(short_recording, 999.0)
        with pytest.raises(SignalError, match="sampling_rate_hz must be at least 12"):
            analyze(np.arange(100.0), 10.0, kind="pressure")

    def test_unknown_kind_and_mismatched_abdominal(self, short_recording: np.ndarray) -> None:
        with pytest.raises(InputError, match="kind must be one of 'emg', 'pressure'"):
            analyze(short_recording, 2000.0, kind="ecg")  # type: ignore[arg-type]
        with pytest.raises(SignalError, match="abdominal"):
            analyze(np.arange(1000.0), 100.0, kind="pressure", abdominal=np.ones(10))
        with pytest.raises(InputError, match="window_s"):
            analyze(short_recording, 2000.0, window_s=0.0)


def test_the_public_surface() -> None:
    """The package re-exports its API and nothing that does I/O."""
    assert "analyze" in signals.__all__ and "Analysis" in signals.__all__
    for name in signals.__all__:
        assert hasattr(signals, name), name
    assert isinstance(
        analyze(emg_simulate(duration_s=2.0, protocol=None, seed=1).signal, 2000.0), Analysis
    )
    probe = "import sys, pelvio.signals; print(sorted(m for m in sys.modules if m in {0!r}))"
    forbidden = {"pelvio.signals.edf", "pelvio.signals.cli", "edfio", "typer"}
    out = subprocess.run(
        [sys.executable, "-c", probe.format(forbidden)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
