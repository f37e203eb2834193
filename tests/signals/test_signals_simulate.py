"""Simulators: protocol timing, profiles, artefacts, timelines, ground truth, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pelvio.errors import InputError, SignalError
from pelvio.signals import (
    CUE_CONTRACT,
    CUE_RELAX,
    OLEKSY_2020,
    PHASE_NAMES,
    TimelineStep,
    emg_envelope,
    emg_simulate,
    median_frequency,
    pressure_simulate,
)

RATE_HZ = 2000.0


def amplitude_at(x: np.ndarray, freq_hz: float, rate: float) -> float:
    t = np.arange(x.size) / rate
    return float(2 * abs(np.mean(x * np.exp(-2j * np.pi * freq_hz * t))))


class TestGlazerProtocol:
    """clinical.md §6 (Oleksy et al. 2021): 60 s rest; 5 flicks of 2 s with 10 s rest; 5 holds
    of 10 s with 10 s rest; a 60 s hold; 60 s rest."""

    def test_phases_and_cues(self) -> None:
        sim = emg_simulate(seed=1)
        phases = [(a.text, a.onset_s, a.duration_s) for a in sim.annotations if a.duration_s]
        assert phases == [
            ("pre_baseline", 0.0, 60.0),
            ("phasic", 60.0, 60.0),
            ("tonic", 120.0, 100.0),
            ("endurance", 220.0, 60.0),
            ("post_baseline", 280.0, 60.0),
        ]
        contract = [a.onset_s for a in sim.annotations if a.text == CUE_CONTRACT]
        relax = [a.onset_s for a in sim.annotations if a.text == CUE_RELAX]
        assert contract == [60.0 + 12 * k for k in range(5)] + [
            120.0 + 20 * k for k in range(5)
        ] + [220.0]
        assert relax == [62.0 + 12 * k for k in range(5)] + [130.0 + 20 * k for k in range(5)] + [
            280.0
        ]
        assert sim.duration_s == 340.0
        assert sim.signal.size == 340 * 2000
        assert sim.unit == "uV"

    def test_one_true_contraction_per_cue_pair_after_its_cue(self) -> None:
        sim = emg_simulate(seed=2)
        contract = [a.onset_s for a in sim.annotations if a.text == CUE_CONTRACT]
        relax = [a.onset_s for a in sim.annotations if a.text == CUE_RELAX]
        assert len(sim.truth.contractions) == 11
        for (onset, offset), cue_on, cue_off in zip(
            sim.truth.contractions, contract, relax, strict=True
        ):
            assert cue_on < onset < cue_on + 1.0  # a reaction time and half a rise
            assert cue_off < offset < cue_off + 1.5

    def test_the_same_seed_gives_the_same_recording(self) -> None:
        a, b = emg_simulate(seed=5), emg_simulate(seed=5)
        np.testing.assert_array_equal(a.signal, b.signal)
        assert a.truth == b.truth
        assert not np.array_equal(a.signal, emg_simulate(seed=6).signal)


class TestPhysiology:
    @pytest.fixture(scope="class")
    @classmethod
    def clean(cls) -> dict[str, object]:
        return {
            p: emg_simulate(profile=p, seed=11, artefacts=False)
            for p in ("healthy", "weak", "overactive", "fatigue")
        }

    def test_healthy_amplitudes_lie_within_oleksy_2020(self, clean: dict[str, object]) -> None:
        """Within two SD of the published means (clinical.md §6): plausible, not normative."""
        truth = clean["healthy"].truth.phases  # type: ignore[attr-defined]
        for phase in ("pre_baseline", "post_baseline", "endurance"):
            ref = OLEKSY_2020[phase]
            assert abs(truth[phase]["mean"] - ref.mean_uv) <= 2 * ref.sd_uv, phase

    def test_profiles_differ_as_described(self, clean: dict[str, object]) -> None:
        rest = {p: s.truth.resting for p, s in clean.items()}  # type: ignore[attr-defined]
        tonic = {p: s.truth.phases["tonic"]["mean"] for p, s in clean.items()}  # type: ignore[attr-defined]
        assert rest["overactive"] > 1.5 * rest["healthy"]
        assert tonic["weak"] < 0.6 * tonic["healthy"]

    def test_the_spectrum_is_plausible_and_drops_with_fatigue(
        self, clean: dict[str, object]
    ) -> None:
        sim = clean["fatigue"]
        x = sim.signal  # type: ignore[attr-defined]
        start = median_frequency(x[221 * 2000 : 231 * 2000], RATE_HZ)
        end = median_frequency(x[270 * 2000 : 280 * 2000], RATE_HZ)
        assert start is not None and end is not None
        assert 60.0 < start < 150.0
        assert end < 0.85 * start

    def test_the_onset_is_half_way_up_a_gradual_rise(self, clean: dict[str, object]) -> None:
        sim = clean["healthy"]
        envelope = emg_envelope(sim.signal, RATE_HZ, window_s=0.05, method="centered")  # type: ignore[attr-defined]
        flicks = sim.truth.contractions[:5]  # type: ignore[attr-defined]

        def level(shift_s: float) -> float:
            return float(np.mean([envelope[round((on + shift_s) * RATE_HZ)] for on, _ in flicks]))

        rest, middle, hold = level(-0.4), level(0.0), level(0.4)
        assert rest < level(-0.05) < middle < level(0.05) < hold
        assert middle == pytest.approx((rest + hold) / 2, rel=0.25)


class TestArtefacts:
    def test_hum_at_the_mains_frequency_and_its_harmonics(self) -> None:
        with_hum = emg_simulate(duration_s=20.0, protocol=None, seed=3, mains_hz=60.0).signal
        without = emg_simulate(duration_s=20.0, protocol=None, seed=3, artefacts=False).signal
        assert amplitude_at(with_hum, 60.0, RATE_HZ) > 2.0
        assert amplitude_at(with_hum, 180.0, RATE_HZ) > 0.5
        assert amplitude_at(without, 60.0, RATE_HZ) < 0.5

    def test_drift_and_offset_show_below_the_band(self) -> None:
        x = emg_simulate(duration_s=60.0, protocol=None, seed=4).signal
        assert abs(float(np.mean(x))) > 1.0 or float(np.std(x)) > 20.0

    def test_the_abdominal_channel(self) -> None:
        sim = emg_simulate(duration_s=10.0, protocol=None, seed=1, abdominal_channel=True)
        assert sim.abdominal is not None and sim.abdominal.shape == sim.signal.shape
        assert emg_simulate(duration_s=10.0, protocol=None, seed=1).abdominal is None


class TestTimeline:
    PROGRAMME = (
        ("rest", 5.0, 0.0),
        ("contract", 5.0, 0.6),
        ("relax", 5.0, 0.0),
        ("quick", 1.0, 1.0),
        ("rest", 3.0, 0.0),
        ("knack", 4.0, 0.8),
        ("breathe", 6.0, 0.0),
        ("contract", 3.0, 0.3),
        ("contract", 3.0, 0.7),
    )

    def test_a_programme_timeline(self) -> None:
        sim = emg_simulate(timeline=self.PROGRAMME, seed=2, abdominal_channel=True)
        # The last two steps form one contraction whose level changes; 3 s of rest follow.
        assert sim.duration_s == pytest.approx(35.0 + 3.0)
        assert len(sim.truth.contractions) == 4
        assert not any(a.text in PHASE_NAMES for a in sim.annotations)
        cues = [a.text for a in sim.annotations]
        assert cues.count(CUE_CONTRACT) == 5 and cues.count(CUE_RELAX) == 4
        assert list(sim.truth.phases) == ["overall"]

    def test_the_cough_of_the_knack_shows_on_the_abdominal_channel(self) -> None:
        sim = emg_simulate(timeline=self.PROGRAMME, seed=2, abdominal_channel=True, artefacts=False)
        assert sim.abdominal is not None
        cough = sim.abdominal[round(21.0 * RATE_HZ) : round(23.0 * RATE_HZ)]
        rest = sim.abdominal[: round(4.0 * RATE_HZ)]
        assert np.sqrt(np.mean(cough**2)) > 3 * np.sqrt(np.mean(rest**2))

    def test_steps_as_dataclasses(self) -> None:
        steps = [TimelineStep("contract", 2.0, 0.5), TimelineStep("rest", 2.0)]
        assert len(emg_simulate(timeline=steps, seed=1).truth.contractions) == 1

    def test_a_longer_duration_rests_and_a_shorter_cuts(self) -> None:
        longer = emg_simulate(duration_s=400.0, seed=1)
        assert longer.duration_s == 400.0
        assert len(longer.truth.contractions) == 11
        shorter = emg_simulate(duration_s=100.0, seed=1)
        assert shorter.duration_s == 100.0
        assert all(offset < 100.0 for _, offset in shorter.truth.contractions)
        assert max(a.end_s for a in shorter.annotations) <= 100.0

    def test_rest_only(self) -> None:
        sim = emg_simulate(duration_s=5.0, protocol=None, seed=1)
        assert sim.truth.contractions == ()
        assert sim.annotations == ()


class TestTruth:
    def test_truth_as_json(self) -> None:
        sim = emg_simulate(seed=1, profile="weak")
        document = json.loads(json.dumps(sim.truth_to_dict(), allow_nan=False))
        assert document["unit"] == "uV" and document["profile"] == "weak" and document["seed"] == 1
        assert len(document["contractions"]) == 11
        assert set(document["phases"]) == {"overall", *PHASE_NAMES}
        assert set(document["phases"]["tonic"]) == {"start_s", "end_s", "mean", "rms"}

    def test_phase_rms_is_the_rms_of_the_clean_signal(self) -> None:
        sim = emg_simulate(seed=3, artefacts=False)
        for name in ("pre_baseline", "tonic"):
            phase = sim.truth.phases[name]
            part = sim.signal[round(phase["start_s"] * RATE_HZ) : round(phase["end_s"] * RATE_HZ)]
            assert float(np.sqrt(np.mean(part**2))) == pytest.approx(phase["rms"], rel=0.05)


class TestPressure:
    def test_a_pressure_session(self) -> None:
        sim = pressure_simulate(seed=4, profile="healthy", abdominal_channel=True)
        assert sim.unit == "cmH2O" and sim.sampling_rate_hz == 100.0
        assert sim.signal.size == 34_000
        assert 10.0 < sim.truth.resting < 35.0
        assert sim.truth.squeeze is not None and 30.0 < sim.truth.squeeze < 80.0
        assert len(sim.truth.contractions) == 11
        assert sim.abdominal is not None

    def test_weak_squeezes_less(self) -> None:
        weak = pressure_simulate(seed=4, profile="weak").truth.squeeze
        strong = pressure_simulate(seed=4, profile="healthy").truth.squeeze
        assert weak is not None and strong is not None and weak < 0.6 * strong


class TestBadInput:
    def test_unknown_profile(self) -> None:
        with pytest.raises(InputError, match="profile must be one of"):
            emg_simulate(profile="strong")  # type: ignore[arg-type]

    def test_rate_too_low_for_emg(self) -> None:
        with pytest.raises(SignalError, match="sampling_rate_hz must be at least 1000"):
            emg_simulate(sampling_rate_hz=500.0)

    @pytest.mark.parametrize(
        ("timeline", "match"),
        [
            ([], "timeline is empty"),
            ([("jump", 1.0, 0.5)], r"timeline\[0\].action"),
            ([("contract", 0.0, 0.5)], r"timeline\[0\].duration_s"),
            ([("contract", 1.0, 0.0)], r"timeline\[0\].target must be above 0"),
            ([("contract", 1.0, 1.5)], r"timeline\[0\].target"),
            ([("contract", 1.0)], r"timeline\[0\] must be"),
        ],
    )
    def test_bad_timelines(self, timeline: list[tuple[object, ...]], match: str) -> None:
        with pytest.raises(InputError, match=match):
            emg_simulate(timeline=timeline)  # type: ignore[arg-type]

    def test_neither_protocol_nor_duration(self) -> None:
        with pytest.raises(InputError, match="duration_s is needed"):
            emg_simulate(protocol=None)
        with pytest.raises(InputError, match="duration_s"):
            pressure_simulate(duration_s=-1.0)
