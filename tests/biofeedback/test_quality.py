"""The probe setup check: clean simulated EMG and pressure pass; hum, clipping and flat lines
are caught with a message saying what to do. The limits are Pelvio's own (quality.py notes)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from pelvio.biofeedback.quality import signal_quality
from pelvio.errors import InputError, SignalError
from pelvio.signals import emg_simulate, pressure_simulate

RATE_HZ = 2000.0
PRESSURE_RATE_HZ = 100.0


def clean_emg(seconds: float = 4.0, seed: int = 1) -> np.ndarray:
    sim = emg_simulate(
        seconds,
        RATE_HZ,
        protocol=None,
        timeline=[("rest", 1.0, 0.0), ("contract", 2.0, 0.5), ("rest", seconds - 3.0, 0.0)],
        artefacts=False,
        mains_hz=None,
        seed=seed,
    )
    return sim.signal


def clean_pressure(seconds: float = 4.0, seed: int = 1) -> np.ndarray:
    sim = pressure_simulate(
        seconds,
        PRESSURE_RATE_HZ,
        protocol=None,
        timeline=[("rest", seconds, 0.0)],
        artefacts=False,
        seed=seed,
    )
    return sim.signal


def sine(freq_hz: float, amplitude: float, n: int, rate: float = RATE_HZ) -> np.ndarray:
    return np.asarray(amplitude * np.sin(2 * np.pi * freq_hz * np.arange(n) / rate))


class TestEmg:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_clean_simulated_emg_is_ok(self, seed: int) -> None:
        quality = signal_quality(clean_emg(seed=seed), RATE_HZ, "emg")
        assert quality.verdict == "ok"
        assert [c.name for c in quality.checks] == ["length", "flat", "clipping", "hum"]
        assert all(c.status == "ok" for c in quality.checks)
        hum = quality.check("hum")
        assert hum is not None and hum.value < 5.0 and hum.unit == "%"
        assert "start" in quality.message.en

    def test_added_50_hz_hum(self) -> None:
        x = clean_emg()
        rms = float(np.sqrt(np.mean(x**2)))
        quality = signal_quality(x + sine(50.0, 3 * rms, x.size), RATE_HZ, "emg")
        hum = quality.check("hum")
        assert hum is not None and hum.status == "bad" and hum.value > 50.0
        assert quality.verdict == "bad"
        assert "charger" in quality.message.en and "opladers" in quality.message.nl

    def test_moderate_hum_warns(self) -> None:
        x = clean_emg()
        rms = float(np.sqrt(np.mean(x**2)))
        hum = signal_quality(x + sine(50.0, 0.8 * rms, x.size), RATE_HZ, "emg").check("hum")
        assert hum is not None and hum.status == "warn"

    def test_the_mains_frequency_matters(self) -> None:
        x = clean_emg()
        rms = float(np.sqrt(np.mean(x**2)))
        hummed = x + sine(60.0, 3 * rms, x.size)
        assert signal_quality(hummed, RATE_HZ, "emg", mains_hz=60.0).verdict == "bad"
        assert signal_quality(hummed, RATE_HZ, "emg", mains_hz=50.0).verdict == "ok"

    def test_clipped(self) -> None:
        x = clean_emg()
        rail = float(np.percentile(np.abs(x), 97))
        quality = signal_quality(np.clip(x, -rail, rail), RATE_HZ, "emg")
        clipping = quality.check("clipping")
        assert clipping is not None and clipping.status == "bad" and clipping.value > 1.0
        assert "electrode" in clipping.message.en

    def test_slightly_clipped_warns(self) -> None:
        x = clean_emg()
        rail = float(np.percentile(x, 99.7))
        clipping = signal_quality(np.minimum(x, rail), RATE_HZ, "emg").check("clipping")
        assert clipping is not None and clipping.status == "warn"

    def test_flat_line(self) -> None:
        quality = signal_quality(np.full(8000, 12.5), RATE_HZ, "emg")
        flat = quality.check("flat")
        assert flat is not None and flat.status == "bad" and flat.value == 0.0
        assert quality.verdict == "bad"
        assert "connected" in quality.message.en and "aangesloten" in quality.message.nl

    def test_stuck_stream(self) -> None:
        x = clean_emg()
        x[-600:] = x[-601]  # the last 0.3 s frozen at one value
        flat = signal_quality(x, RATE_HZ, "emg").check("flat")
        assert flat is not None and flat.status == "bad"
        x = clean_emg()
        x[-400:] = x[-401]  # 0.2 s: not yet counted as stuck
        flat = signal_quality(x, RATE_HZ, "emg").check("flat")
        assert flat is not None and flat.status == "ok"

    def test_very_little_signal_warns(self) -> None:
        x = clean_emg()
        x = x / float(np.std(x)) * 0.5  # 0.5 µV: no more than amplifier noise
        flat = signal_quality(x, RATE_HZ, "emg").check("flat")
        assert flat is not None and flat.status == "warn" and flat.value == pytest.approx(0.5)

    def test_too_short(self) -> None:
        quality = signal_quality(clean_emg()[:1000], RATE_HZ, "emg")
        assert quality.verdict == "bad"
        assert [c.name for c in quality.checks] == ["length"]
        assert quality.checks[0].value == pytest.approx(0.5)
        assert "at least" in quality.message.en

    def test_short_but_usable_warns(self) -> None:
        quality = signal_quality(clean_emg()[:3000], RATE_HZ, "emg")
        length = quality.check("length")
        assert length is not None and length.status == "warn"
        assert quality.verdict == "warn"

    def test_to_dict(self) -> None:
        document = json.loads(json.dumps(signal_quality(clean_emg(), RATE_HZ, "emg").to_dict()))
        assert set(document) == {"kind", "duration_s", "verdict", "checks", "message"}
        assert set(document["checks"][0]) == {"name", "status", "value", "unit", "message"}
        assert set(document["message"]) == {"nl", "en"}


class TestPressure:
    def test_clean_pressure_is_ok(self) -> None:
        quality = signal_quality(clean_pressure(), PRESSURE_RATE_HZ, "pressure")
        assert quality.verdict == "ok"
        assert [c.name for c in quality.checks] == ["length", "flat", "clipping", "drift"]
        assert quality.check("hum") is None

    @pytest.mark.parametrize(("per_s", "status"), [(3.0, "warn"), (-6.0, "bad")])
    def test_drift(self, per_s: float, status: str) -> None:
        x = clean_pressure()
        x = x + per_s * np.arange(x.size) / PRESSURE_RATE_HZ
        drift = signal_quality(x, PRESSURE_RATE_HZ, "pressure").check("drift")
        assert drift is not None and drift.status == status
        assert drift.value == pytest.approx(per_s, abs=1.5)
        assert drift.unit == "cmH2O/s" and "leak" in drift.message.en

    def test_flat(self) -> None:
        quality = signal_quality(np.full(400, 20.0), PRESSURE_RATE_HZ, "pressure")
        assert quality.verdict == "bad"
        assert "tube" in quality.message.en and "slangetje" in quality.message.nl

    def test_clipped_squeeze(self) -> None:
        sim = pressure_simulate(
            6.0,
            PRESSURE_RATE_HZ,
            protocol=None,
            timeline=[("rest", 1.0, 0.0), ("contract", 4.0, 1.0), ("rest", 1.0, 0.0)],
            artefacts=False,
            seed=2,
        )
        rail = float(np.percentile(sim.signal, 80))
        clipping = signal_quality(np.minimum(sim.signal, rail), PRESSURE_RATE_HZ, "pressure")
        check = clipping.check("clipping")
        assert check is not None and check.status == "bad"
        assert "sensor" in check.message.en

    def test_a_coarse_sensor_at_rest_is_not_clipping(self) -> None:
        # A 1 cmH2O resolution: a handful of values, the top one repeated many times.
        coarse = np.round(clean_pressure())
        assert np.unique(coarse).size < 16
        quality = signal_quality(coarse, PRESSURE_RATE_HZ, "pressure")
        clipping = quality.check("clipping")
        assert clipping is not None and clipping.status == "ok"

    def test_any_rate_will_do(self) -> None:
        quality = signal_quality(clean_pressure()[::4], 25.0, "pressure")
        assert quality.verdict == "ok"


class TestDegenerate:
    @pytest.mark.parametrize("bad", [[], [1.0, math.nan] * 2000, [math.inf] * 4000])
    @pytest.mark.parametrize("kind", ["emg", "pressure"])
    def test_empty_or_not_finite(self, bad: list[float], kind: str) -> None:
        with pytest.raises(SignalError, match="samples"):
            signal_quality(bad, RATE_HZ, kind)  # type: ignore[arg-type]

    def test_one_sample_is_too_short(self) -> None:
        quality = signal_quality([1.0], RATE_HZ, "emg")
        assert quality.verdict == "bad" and quality.checks[0].name == "length"

    def test_bad_arguments(self) -> None:
        x = clean_emg()
        with pytest.raises(InputError, match="kind"):
            signal_quality(x, RATE_HZ, "ecg")  # type: ignore[arg-type]
        with pytest.raises(SignalError, match="1000 Hz"):
            signal_quality(x, 500.0, "emg")
        with pytest.raises(InputError, match="mains_hz"):
            signal_quality(x, RATE_HZ, "emg", mains_hz=0.0)
        with pytest.raises(SignalError, match="sampling_rate_hz"):
            signal_quality(x, -1.0, "pressure")
        with pytest.raises(SignalError, match="dimension"):
            signal_quality(np.zeros((2, 4000)), RATE_HZ, "emg")
