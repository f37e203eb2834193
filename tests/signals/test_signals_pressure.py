"""Pressure: unit conversion, Angelo's banding at its edges, squeeze, detection, abdominal rises."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pelvio.errors import InputError, SignalError
from pelvio.signals import (
    ANGELO_2017_SOURCE,
    Contraction,
    angelo_band,
    cmh2o_to_mmhg,
    detect_pressure_contractions,
    mmhg_to_cmh2o,
    pressure_simulate,
    split_abdominal,
    squeeze_of,
)


def test_mmhg_to_cmh2o() -> None:
    """clinical.md §7: 1 mmHg = 1.35951 cmH2O."""
    assert mmhg_to_cmh2o(1.0) == pytest.approx(1.35951, abs=1e-12)
    assert mmhg_to_cmh2o(40.0) == pytest.approx(54.3804, abs=1e-9)
    assert cmh2o_to_mmhg(mmhg_to_cmh2o(37.5)) == pytest.approx(37.5)
    with pytest.raises(InputError, match="pressure_mmhg"):
        mmhg_to_cmh2o(math.nan)


@pytest.mark.parametrize(
    ("squeeze", "band"),
    [
        # Angelo et al. 2017 (PLoS ONE e0187045), clinical.md §7: 7.5–14.5 very weak,
        # 14.6–26.5 weak, 26.6–41.5 moderate, 41.6–60.5 good, >= 60.6 strong.
        (0.0, "below_bands"),
        (7.4, "below_bands"),
        (7.5, "very_weak"),
        (14.5, "very_weak"),
        (14.54, "very_weak"),  # rounds to 14.5
        (14.56, "weak"),  # rounds to 14.6
        (14.6, "weak"),
        (26.5, "weak"),
        (26.6, "moderate"),
        (41.5, "moderate"),
        (41.6, "good"),
        (60.5, "good"),
        (60.6, "strong"),
        (150.0, "strong"),
    ],
)
def test_angelo_band_edges(squeeze: float, band: str) -> None:
    assert angelo_band(squeeze) == band


def test_the_band_is_labelled_as_angelos() -> None:
    c = Contraction(1.0, 3.0, 70.0, 60.0, 0.5, 0.3)
    squeeze = squeeze_of([c], resting_cmh2o=20.0)
    assert squeeze is not None
    document = squeeze.to_dict()
    assert document["squeeze_cmh2o"] == pytest.approx(50.0)
    assert document["band"] == "good"
    assert document["band_label"] == {"nl": "goed (Angelo)", "en": "good (Angelo)"}
    assert document["band_source"] == ANGELO_2017_SOURCE
    assert "Angelo" in ANGELO_2017_SOURCE and "e0187045" in ANGELO_2017_SOURCE
    assert squeeze_of([], 20.0) is None


def test_angelo_band_refuses_nan() -> None:
    with pytest.raises(InputError, match="squeeze_cmh2o"):
        angelo_band(math.nan)


class TestDetection:
    @pytest.mark.parametrize(("profile", "seed"), [("healthy", 31), ("weak", 32)])
    def test_simulated_contractions_are_found(self, profile: str, seed: int) -> None:
        sim = pressure_simulate(profile=profile, seed=seed)  # type: ignore[arg-type]
        found = detect_pressure_contractions(sim.signal, sim.sampling_rate_hz)
        hits = sum(
            any(abs(c.onset_s - on) <= 0.15 and abs(c.offset_s - off) <= 0.15 for c in found)
            for on, off in sim.truth.contractions
        )
        assert hits >= len(sim.truth.contractions) - 1
        assert len(found) <= len(sim.truth.contractions) + 1

    def test_the_squeeze_follows_the_truth(self) -> None:
        sim = pressure_simulate(profile="healthy", seed=33)
        found = detect_pressure_contractions(sim.signal, sim.sampling_rate_hz)
        squeeze = squeeze_of(found, sim.truth.resting)
        assert squeeze is not None and sim.truth.squeeze is not None
        assert squeeze.squeeze_cmh2o == pytest.approx(sim.truth.squeeze, rel=0.15)

    def test_drift_is_not_a_contraction(self) -> None:
        t = np.arange(12_000) / 100.0
        drifting = 25.0 + 0.05 * t + np.random.default_rng(1).normal(0, 0.3, t.size)
        assert detect_pressure_contractions(drifting, 100.0) == []


class TestAbdominal:
    def make(self, abdominal_rise: float, cough: bool) -> tuple[list[Contraction], np.ndarray]:
        rate = 100.0
        t = np.arange(3000) / rate
        abdominal = 10.0 + np.random.default_rng(0).normal(0, 0.2, t.size)
        inside = (t > 10.0) & (t < 20.0)
        abdominal[inside] += abdominal_rise
        if cough:
            abdominal += 40.0 * np.exp(-0.5 * ((t - 15.0) / 0.08) ** 2)
        return [Contraction(10.0, 20.0, 50.0, 45.0, 1.0, 0.5)], abdominal

    def test_a_push_is_set_apart(self) -> None:
        contractions, abdominal = self.make(abdominal_rise=25.0, cough=False)
        kept, moved = split_abdominal(contractions, abdominal, 100.0, resting_cmh2o=20.0)
        assert kept == [] and moved == contractions

    def test_the_knack_is_a_pelvic_floor_contraction(self) -> None:
        contractions, abdominal = self.make(abdominal_rise=0.0, cough=True)
        kept, moved = split_abdominal(contractions, abdominal, 100.0, resting_cmh2o=20.0)
        assert kept == contractions and moved == []


class TestBadInput:
    def test_degenerate_pressure(self) -> None:
        with pytest.raises(SignalError, match="signal_cmh2o"):
            detect_pressure_contractions([], 100.0)
        with pytest.raises(SignalError, match="constant"):
            detect_pressure_contractions(np.full(500, 30.0), 100.0)
        with pytest.raises(InputError, match="min_rise_cmh2o"):
            detect_pressure_contractions(np.arange(500.0), 100.0, min_rise_cmh2o=0.0)
        with pytest.raises(SignalError, match="sampling_rate_hz"):
            detect_pressure_contractions(np.arange(500.0), 5.0)
