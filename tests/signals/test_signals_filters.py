"""EMG and pressure filters: pass band, mains notch, streaming equals one-shot, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from pelvio.errors import InputError, SignalError
from pelvio.signals import EmgFilter, PressureFilter, emg_clean, pressure_clean

RATE_HZ = 2000.0


def sine(
    freq_hz: float, amplitude: float, duration_s: float, rate: float = RATE_HZ
) -> NDArray[np.float64]:
    t = np.arange(round(duration_s * rate)) / rate
    return amplitude * np.sin(2 * np.pi * freq_hz * t)


def amplitude_at(x: NDArray[np.float64], freq_hz: float, rate: float = RATE_HZ) -> float:
    """Amplitude of the ``freq_hz`` component (a lock-in over whole periods)."""
    t = np.arange(x.size) / rate
    return float(2 * abs(np.mean(x * np.exp(-2j * np.pi * freq_hz * t))))


def middle(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """The signal without its first and last second, where filters settle."""
    cut = int(RATE_HZ)
    return x[cut:-cut]


def white_noise(seconds: float, seed: int = 1) -> NDArray[np.float64]:
    return np.random.default_rng(seed).normal(0.0, 10.0, round(seconds * RATE_HZ))


def bandpass_gain(freq_hz: float, band_hz: tuple[float, float], order: int, rate: float) -> float:
    """Gain of a digital Butterworth band-pass.

    Textbook bilinear transform of the analogue prototype: |H| = 1 / sqrt(1 + W^2n) with
    W = (w^2 - w1 w2) / (w (w2 - w1)) and w = tan(pi f / fs).
    """
    w, w1, w2 = (math.tan(math.pi * f / rate) for f in (freq_hz, *band_hz))
    big_w = (w * w - w1 * w2) / (w * (w2 - w1))
    return 1.0 / math.sqrt(1.0 + big_w ** (2 * order))


class TestPassBand:
    def test_a_100_hz_sine_passes_unchanged(self) -> None:
        x = sine(100.0, 10.0, 4.0)
        y = emg_clean(x, RATE_HZ, mains_hz=None)
        assert amplitude_at(middle(y), 100.0) == pytest.approx(10.0, rel=0.01)
        # Zero phase: the output lies on top of the input, not delayed.
        assert np.max(np.abs(middle(y) - middle(x))) < 0.2

    def test_slow_drift_below_the_band_is_removed(self) -> None:
        x = sine(2.0, 200.0, 6.0)
        assert np.max(np.abs(middle(emg_clean(x, RATE_HZ)))) < 0.1

    def test_high_frequencies_above_the_band_follow_the_butterworth_slope(self) -> None:
        x = sine(700.0, 10.0, 4.0)
        gain = (
            amplitude_at(middle(emg_clean(x, RATE_HZ, mains_hz=None, method="causal")), 700.0) / 10
        )
        assert gain == pytest.approx(bandpass_gain(700.0, (20.0, 450.0), 4, RATE_HZ), rel=0.02)

    def test_one_khz_is_the_lowest_rate_for_the_default_band(self) -> None:
        x = white_noise(2.0)[:2000]
        assert emg_clean(x, 1000.0).shape == x.shape
        with pytest.raises(SignalError, match=r"sampling_rate_hz must be at least 1000 Hz"):
            emg_clean(x, 999.0)

    def test_a_narrower_band_allows_a_lower_rate(self) -> None:
        x = white_noise(2.0)[:1000]
        assert emg_clean(x, 500.0, band_hz=(20.0, 200.0), mains_hz=None).shape == x.shape


class TestMainsNotch:
    def test_the_mains_fundamental_is_removed(self) -> None:
        x = white_noise(6.0) + sine(50.0, 30.0, 6.0)
        y = middle(emg_clean(x, RATE_HZ))
        assert amplitude_at(y, 50.0) < 0.5

    def test_sixty_hz_mains(self) -> None:
        x = sine(60.0, 30.0, 6.0)
        assert amplitude_at(middle(emg_clean(x, RATE_HZ, mains_hz=60.0)), 60.0) < 0.3

    def test_no_notch_when_mains_is_none(self) -> None:
        x = sine(50.0, 30.0, 6.0)
        assert amplitude_at(middle(emg_clean(x, RATE_HZ, mains_hz=None)), 50.0) > 29.0

    def test_a_harmonic_that_is_present_is_notched(self) -> None:
        x = white_noise(20.0) + sine(50.0, 20.0, 20.0) + sine(150.0, 8.0, 20.0)
        y = middle(emg_clean(x, RATE_HZ))
        assert amplitude_at(y, 150.0) < 0.5

    def test_absent_harmonics_are_left_alone(self) -> None:
        # White noise has no hum: "detect" must notch the fundamental only, keeping the
        # EMG power at 100, 150, ... Hz.
        x = white_noise(20.0)
        detected = emg_clean(x, RATE_HZ, harmonics="detect")
        fundamental = emg_clean(x, RATE_HZ, harmonics="fundamental")
        everything = emg_clean(x, RATE_HZ, harmonics="all")
        np.testing.assert_array_equal(detected, fundamental)
        assert np.sum(everything**2) < np.sum(detected**2)


class TestStreaming:
    SPLITS = (0, 1, 2, 3, 50, 50, 51, 999, 1000, 1001, 4000)

    @staticmethod
    def chunks(x: NDArray[np.float64], cuts: tuple[int, ...]) -> list[NDArray[np.float64]]:
        return np.split(x, sorted(cuts))

    def test_emg_chunk_by_chunk_is_bitwise_the_one_shot_causal_result(self) -> None:
        x = white_noise(3.0) + 250.0 + sine(50.0, 20.0, 3.0)
        stream = EmgFilter(RATE_HZ)
        chunked = np.concatenate([stream.process(c) for c in self.chunks(x, self.SPLITS)])
        np.testing.assert_array_equal(
            chunked, emg_clean(x, RATE_HZ, method="causal", harmonics="all")
        )

    @settings(deadline=None, max_examples=25)
    @given(st.lists(st.integers(min_value=0, max_value=3000), max_size=12))
    def test_any_chunking_gives_the_same_result(self, cuts: list[int]) -> None:
        x = white_noise(1.5, seed=4)
        one_shot = emg_clean(x, RATE_HZ, method="causal", harmonics="fundamental")
        stream = EmgFilter(RATE_HZ, harmonics="fundamental")
        chunked = np.concatenate([stream.process(c) for c in self.chunks(x, tuple(cuts))])
        np.testing.assert_array_equal(chunked, one_shot)

    def test_reset_starts_a_new_signal(self) -> None:
        x = white_noise(1.0)
        stream = EmgFilter(RATE_HZ)
        first = stream.process(x)
        stream.process(white_noise(1.0, seed=9))
        stream.reset()
        np.testing.assert_array_equal(stream.process(x), first)

    def test_an_electrode_offset_does_not_ring_at_the_start(self) -> None:
        x = 500.0 + white_noise(1.0)
        y = EmgFilter(RATE_HZ).process(x)
        assert np.max(np.abs(y[:200])) < 60.0

    def test_pressure_chunk_by_chunk_is_bitwise_the_one_shot_causal_result(self) -> None:
        rate = 100.0
        x = 30.0 + np.random.default_rng(2).normal(0, 1, 3000)
        stream = PressureFilter(rate, drift_cutoff_hz=0.01)
        chunked = np.concatenate([stream.process(c) for c in np.split(x, [0, 1, 7, 100, 2500])])
        expected = pressure_clean(x, rate, drift_cutoff_hz=0.01, method="causal")
        np.testing.assert_array_equal(chunked, expected)
        stream.reset()
        np.testing.assert_array_equal(stream.process(x), expected)

    def test_an_empty_chunk_gives_an_empty_answer(self) -> None:
        assert EmgFilter(RATE_HZ).process([]).shape == (0,)
        assert PressureFilter(100.0).process(np.zeros(0)).shape == (0,)

    def test_a_chunk_with_nan_is_refused(self) -> None:
        with pytest.raises(SignalError, match="chunk_uv"):
            EmgFilter(RATE_HZ).process([1.0, math.nan])
        with pytest.raises(SignalError, match="chunk_cmh2o"):
            PressureFilter(100.0).process([math.inf])


class TestProperties:
    @settings(deadline=None, max_examples=20)
    @given(
        offset=st.floats(min_value=-1e4, max_value=1e4, allow_nan=False),
        seed=st.integers(0, 1000),
    )
    def test_a_dc_offset_is_ignored(self, offset: float, seed: int) -> None:
        x = white_noise(1.0, seed=seed)
        np.testing.assert_allclose(emg_clean(x + offset, RATE_HZ), emg_clean(x, RATE_HZ), atol=1e-6)

    @settings(deadline=None, max_examples=20)
    @given(
        gain=st.floats(min_value=1e-3, max_value=1e3, allow_nan=False),
        seed=st.integers(0, 1000),
    )
    def test_the_filter_is_linear_in_gain(self, gain: float, seed: int) -> None:
        x = white_noise(1.0, seed=seed)
        np.testing.assert_allclose(
            emg_clean(gain * x, RATE_HZ, harmonics="all"),
            gain * emg_clean(x, RATE_HZ, harmonics="all"),
            rtol=1e-9,
            atol=1e-9 * gain,
        )


class TestPressure:
    RATE = 100.0

    def test_smoothing_keeps_the_resting_pressure_and_removes_noise(self) -> None:
        rng = np.random.default_rng(3)
        x = 35.0 + rng.normal(0, 2, 6000)
        y = pressure_clean(x, self.RATE)
        assert float(np.mean(y)) == pytest.approx(35.0, abs=0.1)
        assert float(np.std(y)) < 0.6 * float(np.std(x))

    def test_the_drift_high_pass_removes_a_slow_drift(self) -> None:
        t = np.arange(12000) / self.RATE
        drift = 20.0 + 0.05 * t
        y = pressure_clean(drift, self.RATE, drift_cutoff_hz=0.05)
        assert np.max(np.abs(y[3000:-3000])) < 0.5

    def test_without_either_filter_the_signal_comes_back(self) -> None:
        x = np.linspace(0, 5, 50)
        np.testing.assert_array_equal(pressure_clean(x, 10.0, lowpass_hz=None), x)

    def test_a_rate_too_low_for_the_low_pass_is_refused(self) -> None:
        with pytest.raises(SignalError, match="sampling_rate_hz must be at least"):
            pressure_clean(np.linspace(0, 1, 100), 10.0, lowpass_hz=5.0)


class TestBadInput:
    @pytest.mark.parametrize(
        ("signal", "match"),
        [
            ([], "signal_uv is empty"),
            ([1.0, math.nan, 2.0], "NaN"),
            (np.full(4000, 7.0), "constant"),
            (np.zeros((2, 4000)), "dimension"),
            ([1.0, 2.0], "too short"),
            (np.arange(30.0), "too short"),
        ],
    )
    def test_degenerate_emg(self, signal: object, match: str) -> None:
        with pytest.raises(SignalError, match=match):
            emg_clean(signal, RATE_HZ)  # type: ignore[arg-type]

    def test_one_sample_is_enough_for_causal_filtering(self) -> None:
        assert emg_clean([1.0, 2.0], RATE_HZ, method="causal").shape == (2,)

    @pytest.mark.parametrize("rate", [0.0, -2000.0, math.nan, 500.0])
    def test_bad_sampling_rate(self, rate: float) -> None:
        with pytest.raises(InputError, match="sampling_rate_hz"):
            emg_clean(white_noise(1.0), rate)
        with pytest.raises(InputError, match="sampling_rate_hz"):
            EmgFilter(rate)

    def test_unknown_method_lists_the_valid_ones(self) -> None:
        with pytest.raises(InputError, match=r"method must be one of 'zero-phase', 'causal'"):
            emg_clean(white_noise(1.0), RATE_HZ, method="forward")  # type: ignore[arg-type]
        with pytest.raises(InputError, match="harmonics"):
            EmgFilter(RATE_HZ, harmonics="detect")  # type: ignore[arg-type]

    @pytest.mark.parametrize("band", [(450.0, 20.0), (0.0, 450.0), (20.0,), "20-450"])
    def test_bad_band(self, band: object) -> None:
        with pytest.raises(InputError, match="band_hz"):
            emg_clean(white_noise(1.0), RATE_HZ, band_hz=band)  # type: ignore[arg-type]

    @pytest.mark.parametrize("mains", [0.0, -50.0, 1000.0, math.inf])
    def test_bad_mains(self, mains: float) -> None:
        with pytest.raises(InputError, match="mains_hz"):
            emg_clean(white_noise(1.0), RATE_HZ, mains_hz=mains)

    def test_degenerate_pressure(self) -> None:
        with pytest.raises(SignalError, match="signal_cmh2o is empty"):
            pressure_clean([], 100.0)
        with pytest.raises(SignalError, match="constant"):
            pressure_clean(np.full(100, 30.0), 100.0)
        with pytest.raises(InputError, match="drift_cutoff_hz"):
            pressure_clean(np.arange(100.0), 100.0, drift_cutoff_hz=-1.0)
        with pytest.raises(InputError, match="sampling_rate_hz"):
            PressureFilter(0.0)


class TestOnePass:
    """The analysis cleans in one lean pass; it must give what ``emg_clean`` gives."""

    @pytest.mark.parametrize("keep_forward", [True, False])
    def test_block_energies_and_spectra_match_the_cleaned_signal(
        self, keep_forward: bool, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from pelvio.signals import _onepass
        from pelvio.signals._spectrum import welch_psd
        from pelvio.signals.filters import _emg_filter_sos, _padlen

        if not keep_forward:
            monkeypatch.setattr(_onepass, "_KEEP_FORWARD", 0)
        x = white_noise(100.0, seed=3) + sine(50.0, 20.0, 100.0) + 300.0
        sos = _emg_filter_sos(x, RATE_HZ, 50.0)
        span = _onepass.Span(30_000, 170_000, 1000, 500)
        energies = _onepass.clean_pass(x, RATE_HZ, sos, size=20, spans=[span], padlen=_padlen(sos))
        cleaned = emg_clean(x, RATE_HZ)
        squares = cleaned**2
        np.testing.assert_allclose(energies.sums, squares.reshape(-1, 20).sum(axis=1), rtol=1e-12)
        np.testing.assert_array_equal(energies.peaks, squares.reshape(-1, 20).max(axis=1))
        spectrum = energies.spectra[0]
        assert spectrum is not None
        starts = np.arange(0, 140_000 - 1000 + 1, 500, dtype=np.int64)
        _, expected = welch_psd(cleaned[30_000:170_000], RATE_HZ, nperseg=1000, starts=starts)
        np.testing.assert_allclose(spectrum[1], expected, rtol=1e-9)
