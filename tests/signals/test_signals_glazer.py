"""Glazer metrics: the computable checks of clinical.md §6, exactly, and the phase metrics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal as sps

from pelvio.errors import SignalError
from pelvio.signals import (
    OLEKSY_2020,
    PHASE_NAMES,
    RELIABILITY_NOTE,
    Annotation,
    analyze,
    emg_envelope,
    emg_simulate,
    endurance_fatigue,
    glazer_metrics,
    median_frequency,
    variability_pct,
)
from pelvio.signals._spectrum import welch_psd

RATE_HZ = 2000.0


def sine_100_hz(seconds: float = 10.0) -> np.ndarray:
    """clinical.md §6: a 100 Hz sine of amplitude 14.142 µV sampled at 2000 Hz."""
    t = np.arange(round(seconds * RATE_HZ)) / RATE_HZ
    return 14.142 * np.sin(2 * np.pi * 100.0 * t)


class TestClinicalChecks:
    """The computable checks of clinical.md §6, with the tolerances the text implies."""

    def test_sine_rms_is_10_uv(self) -> None:
        envelope = emg_envelope(sine_100_hz(), RATE_HZ, method="centered")
        assert float(np.mean(envelope[200:-200])) == pytest.approx(10.00, abs=0.005)

    def test_sine_median_frequency_is_100_hz(self) -> None:
        assert median_frequency(sine_100_hz(), RATE_HZ) == pytest.approx(100.0, abs=0.5)

    def test_sine_through_the_whole_analysis(self) -> None:
        # No mains notch: 100 Hz is the second harmonic of 50 Hz mains, and a pure tone there
        # is, rightly, taken for hum and notched out.
        result = analyze(sine_100_hz(), RATE_HZ, mains_hz=None).to_dict()
        (overall,) = result["phases"]
        assert overall["name"] == "overall"
        assert overall["mean_uv"] == pytest.approx(10.00, abs=0.02)
        assert overall["median_frequency_hz"] == pytest.approx(100.0, abs=0.5)

    def test_alternating_envelope_mean_and_population_cv(self) -> None:
        envelope = np.tile([4.0, 6.0], 500)
        assert float(envelope.mean()) == pytest.approx(5.0)
        assert variability_pct(envelope) == pytest.approx(20.0, abs=1e-9)
        # The sample SD (ddof=1) would give 20.01 %: the population SD is the one used.
        assert float(np.std(envelope, ddof=1) / 5.0 * 100) != pytest.approx(20.0, abs=1e-3)

    def test_declining_endurance_slope_and_ratio(self) -> None:
        """30 − 0.2·t µV over 60 s as the one-second envelope (t = 0, 1, ..., 59 s): slope
        −0.200 µV/s and last/first-10-s ratio (30 − 0.2·54.5) / (30 − 0.2·4.5) = 0.656."""
        t = np.arange(60.0)
        slope, ratio = endurance_fatigue(30.0 - 0.2 * t, 1.0)
        assert slope == pytest.approx(-0.200, abs=5e-4)
        assert ratio == pytest.approx(0.656, abs=5e-4)

    def test_the_same_decline_sampled_finely(self) -> None:
        """At 100 samples/s each one-second mean sits half a second later: the first ten
        average 30 − 0.2·5 = 29, the last ten 19, so the ratio is 19/29 = 0.655."""
        t = np.arange(6000) / 100.0
        slope, ratio = endurance_fatigue(30.0 - 0.2 * t, 100.0)
        assert slope == pytest.approx(-0.200, abs=5e-4)
        assert ratio == pytest.approx(19 / 29, abs=5e-4)


class TestSpectrum:
    def test_welch_has_the_shape_of_scipy_welch(self) -> None:
        x = np.random.default_rng(0).normal(size=8000)
        freqs, ours = welch_psd(x, RATE_HZ, nperseg=1000)
        f_ref, theirs = sps.welch(x, RATE_HZ, nperseg=1000)
        np.testing.assert_allclose(freqs, f_ref)
        np.testing.assert_allclose(ours / ours.sum(), theirs / theirs.sum(), rtol=1e-9)

    def test_median_frequency_of_white_noise_is_a_quarter_of_the_rate(self) -> None:
        x = np.random.default_rng(1).normal(size=200_000)
        assert median_frequency(x, RATE_HZ) == pytest.approx(500.0, rel=0.02)


@pytest.fixture(scope="module")
def healthy() -> dict[str, object]:
    """One simulated healthy Glazer session and its analysis."""
    sim = emg_simulate(profile="healthy", seed=7)
    result = analyze(sim.signal, sim.sampling_rate_hz, sim.annotations).to_dict()
    return {"sim": sim, "result": result}


class TestPhases:
    def test_one_entry_per_phase_with_its_keys(self, healthy: dict[str, object]) -> None:
        phases = healthy["result"]["phases"]  # type: ignore[index]
        assert [p["name"] for p in phases] == list(PHASE_NAMES)
        base = {"name", "start_s", "end_s", "mean_uv", "variability_pct", "median_frequency_hz"}
        contraction = base | {"peak_uv", "rise_s", "recovery_s"}
        expected = [
            base,
            contraction,
            contraction,
            contraction | {"slope_uv_per_s", "last_first_ratio"},
            base,
        ]
        assert [set(p) for p in phases] == expected

    def test_rest_and_hold_means_follow_the_truth(self, healthy: dict[str, object]) -> None:
        sim = healthy["sim"]
        for phase in healthy["result"]["phases"]:  # type: ignore[index]
            truth = sim.truth.phases[phase["name"]]["mean"]  # type: ignore[attr-defined]
            assert phase["mean_uv"] == pytest.approx(truth, rel=0.15), phase["name"]

    def test_contraction_phases_look_like_a_glazer_session(
        self, healthy: dict[str, object]
    ) -> None:
        phases = {p["name"]: p for p in healthy["result"]["phases"]}  # type: ignore[index]
        assert phases["phasic"]["peak_uv"] > phases["tonic"]["peak_uv"]
        assert phases["tonic"]["peak_uv"] > phases["endurance"]["peak_uv"]
        for name in ("phasic", "tonic"):
            assert 0.2 < phases[name]["rise_s"] < 10.0
            assert 0.0 < phases[name]["recovery_s"] < 3.0
        assert 40.0 < phases["phasic"]["median_frequency_hz"] < 200.0

    def test_fatigue_shows_in_the_endurance_phase(self) -> None:
        sim = emg_simulate(profile="fatigue", seed=3)
        phases = analyze(sim.signal, sim.sampling_rate_hz, sim.annotations).to_dict()["phases"]
        endurance = next(p for p in phases if p["name"] == "endurance")
        assert endurance["slope_uv_per_s"] < 0
        assert endurance["last_first_ratio"] < 0.9

    def test_without_cues_the_detected_contractions_are_used(self) -> None:
        sim = emg_simulate(profile="healthy", seed=2)
        phases_only = [a for a in sim.annotations if a.text in PHASE_NAMES]
        with_cues = analyze(sim.signal, sim.sampling_rate_hz, sim.annotations).to_dict()
        without = analyze(sim.signal, sim.sampling_rate_hz, phases_only).to_dict()
        cued = with_cues["phases"][1]
        detected = without["phases"][1]
        # From the cue the reaction time adds to the rise; from the detected onset it does not.
        assert cued["rise_s"] > detected["rise_s"]
        assert cued["peak_uv"] == pytest.approx(detected["peak_uv"], rel=0.1)

    def test_glazer_metrics_directly(self) -> None:
        envelope = np.tile([4.0, 6.0], 3000)  # 60 s at 100 samples/s
        cleaned = np.random.default_rng(2).normal(0, 5, 120_000)
        (rest,) = glazer_metrics(
            cleaned,
            RATE_HZ,
            [Annotation(0.0, 60.0, "pre_baseline")],
            envelope_uv=envelope,
            envelope_rate_hz=100.0,
            baseline_uv=4.0,
        )
        assert rest.mean_uv == pytest.approx(5.0)
        assert rest.variability_pct == pytest.approx(20.0)
        assert rest.to_dict()["name"] == "pre_baseline"


class TestReferenceValues:
    def test_oleksy_2020_as_in_clinical_md(self) -> None:
        """clinical.md §6: rest 6.26 ± 3.33, phasic 49.76 ± 26.44, tonic 37.05 ± 25.99,
        endurance 16.10 ± 6.68, post-rest 6.93 ± 3.99 µV."""
        table = {p: (v.mean_uv, v.sd_uv) for p, v in OLEKSY_2020.items()}
        assert table == {
            "pre_baseline": (6.26, 3.33),
            "phasic": (49.76, 26.44),
            "tonic": (37.05, 25.99),
            "endurance": (16.10, 6.68),
            "post_baseline": (6.93, 3.99),
        }
        assert all("context" in v.source and "Oleksy" in v.source for v in OLEKSY_2020.values())

    def test_the_reliability_note_speaks_dutch_and_english(self) -> None:
        assert set(RELIABILITY_NOTE) == {"nl", "en"}
        assert "matig" in RELIABILITY_NOTE["nl"]
        assert "moderately" in RELIABILITY_NOTE["en"]


class TestBadInput:
    def test_zero_envelope_has_no_variability(self) -> None:
        assert variability_pct(np.zeros(10)) is None

    def test_a_silent_signal_has_no_median_frequency(self) -> None:
        assert median_frequency(np.zeros(100), RATE_HZ) is None

    def test_a_hold_under_two_seconds_has_no_slope(self) -> None:
        assert endurance_fatigue(np.ones(150), 100.0) == (None, None)

    @pytest.mark.parametrize("bad", [[], [1.0, math.nan]])
    def test_degenerate_envelopes(self, bad: list[float]) -> None:
        with pytest.raises(SignalError, match="envelope_uv"):
            variability_pct(bad)
        with pytest.raises(SignalError, match="envelope_uv"):
            endurance_fatigue(bad, 1.0)

    def test_too_short_for_a_spectrum(self) -> None:
        with pytest.raises(SignalError, match="too short"):
            median_frequency([1.0, 2.0, 3.0], RATE_HZ)
        with pytest.raises(SignalError, match="sampling_rate_hz"):
            median_frequency(np.ones(100), 0.0)
