"""Moving RMS envelope: clinical.md §6 check, definition at the edges, streaming, display."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from pelvio.errors import InputError, SignalError
from pelvio.signals import StreamingEnvelope, decimate_envelope, emg_envelope

RATE_HZ = 2000.0


def brute_force_rms(x: NDArray[np.float64], width: int, before: int) -> NDArray[np.float64]:
    """The definition, one window at a time: RMS over the samples of the window that exist."""
    out = np.empty(x.size)
    for i in range(x.size):
        window = x[max(0, i - before) : max(0, i - before + width)]
        out[i] = math.sqrt(float(np.mean(window**2)))
    return out


def test_clinical_check_sine_rms() -> None:
    """clinical.md §6: a 100 Hz sine of amplitude 14.142 µV at 2000 Hz has RMS 10.00 µV."""
    t = np.arange(int(4 * RATE_HZ)) / RATE_HZ
    x = 14.142 * np.sin(2 * np.pi * 100.0 * t)
    for method in ("trailing", "centered"):
        envelope = emg_envelope(x, RATE_HZ, method=method)
        full_windows = envelope[200:-200]
        np.testing.assert_allclose(full_windows, 10.00, atol=0.005)


@pytest.mark.parametrize(("rate", "window_s"), [(2000.0, 0.1), (1000.0, 0.0105), (50.0, 0.5)])
def test_matches_the_definition_including_the_edges(rate: float, window_s: float) -> None:
    x = np.random.default_rng(0).normal(0, 5, 700)
    width = max(1, round(window_s * rate))
    trailing = emg_envelope(x, rate, window_s=window_s, method="trailing")
    centered = emg_envelope(x, rate, window_s=window_s, method="centered")
    np.testing.assert_allclose(trailing, brute_force_rms(x, width, width - 1), rtol=1e-10)
    np.testing.assert_allclose(centered, brute_force_rms(x, width, (width - 1) // 2), rtol=1e-10)


def test_a_window_longer_than_the_signal_averages_what_there_is() -> None:
    x = np.array([3.0, 4.0])
    np.testing.assert_allclose(emg_envelope(x, 100.0, window_s=1.0), [3.0, math.sqrt(12.5)])


def test_the_centered_envelope_is_not_delayed() -> None:
    x = np.zeros(4000)
    x[2000:] = np.sin(2 * np.pi * 100.0 * np.arange(2000) / RATE_HZ)
    centered = emg_envelope(x, RATE_HZ, method="centered")
    trailing = emg_envelope(x, RATE_HZ, method="trailing")
    # Half the final power (RMS 0.5) is reached when half the window holds the sine: at the
    # step for a centred window, half a window (100 samples) later for a trailing one.
    assert int(np.argmax(centered >= 0.5 - 1e-9)) == pytest.approx(2000, abs=2)
    assert int(np.argmax(trailing >= 0.5 - 1e-9)) == pytest.approx(2100, abs=2)


class TestStreaming:
    @settings(deadline=None, max_examples=30)
    @given(st.lists(st.integers(min_value=0, max_value=5000), max_size=15))
    def test_chunk_by_chunk_equals_the_offline_trailing_envelope(self, cuts: list[int]) -> None:
        x = np.random.default_rng(5).normal(0, 20, 5000)
        stream = StreamingEnvelope(RATE_HZ)
        chunked = np.concatenate([stream.process(c) for c in np.split(x, sorted(cuts))])
        np.testing.assert_allclose(chunked, emg_envelope(x, RATE_HZ), rtol=1e-12, atol=1e-9)

    def test_after_a_huge_artefact_the_rest_level_is_still_exact(self) -> None:
        # 10 ms at 5 mV, an amplifier's limit, amid a 1 µV rest: running sums that never
        # span more than a window keep the quiet windows after it exact to rounding.
        x = np.random.default_rng(6).normal(0, 1, 20000)
        x[5000:5020] = 5000.0
        stream = StreamingEnvelope(RATE_HZ)
        chunked = np.concatenate([stream.process(c) for c in np.array_split(x, 400)])
        np.testing.assert_allclose(chunked, emg_envelope(x, RATE_HZ), rtol=1e-9, atol=1e-9)

    def test_reset(self) -> None:
        x = np.random.default_rng(7).normal(0, 1, 500)
        stream = StreamingEnvelope(RATE_HZ)
        first = stream.process(x)
        stream.process(np.full(300, 9.0))
        stream.reset()
        np.testing.assert_array_equal(stream.process(x), first)

    def test_an_empty_chunk(self) -> None:
        assert StreamingEnvelope(RATE_HZ).process([]).shape == (0,)


@settings(deadline=None, max_examples=25)
@given(
    gain=st.floats(min_value=-1e3, max_value=1e3, allow_nan=False).filter(lambda g: abs(g) > 1e-3),
    seed=st.integers(0, 1000),
)
def test_rms_scales_with_gain(gain: float, seed: int) -> None:
    x = np.random.default_rng(seed).normal(0, 10, 3000)
    for method in ("trailing", "centered"):
        np.testing.assert_allclose(
            emg_envelope(gain * x, RATE_HZ, method=method),
            abs(gain) * emg_envelope(x, RATE_HZ, method=method),
            rtol=1e-9,
        )


class TestDecimate:
    def test_whole_ratio_averages_blocks(self) -> None:
        x = np.arange(8.0)
        np.testing.assert_allclose(decimate_envelope(x, 4.0, out_rate_hz=1.0), [1.5, 5.5])

    def test_a_ratio_that_is_not_whole_weights_partial_samples(self) -> None:
        # 10 Hz to 3 Hz: each output covers 3⅓ input samples.
        x = np.arange(10.0)
        expected = [(0 + 1 + 2 + 3 / 3) / (10 / 3), (3 * 2 / 3 + 4 + 5 + 6 * 2 / 3) / (10 / 3)]
        np.testing.assert_allclose(decimate_envelope(x, 10.0, out_rate_hz=3.0)[:2], expected)

    def test_length_and_mean(self) -> None:
        x = np.random.default_rng(1).uniform(0, 50, 60_000)
        shown = decimate_envelope(x, RATE_HZ)
        assert shown.size == 1500
        assert float(shown.mean()) == pytest.approx(float(x.mean()), rel=1e-12)

    def test_shorter_than_one_period_gives_nothing(self) -> None:
        assert decimate_envelope([1.0, 2.0], RATE_HZ).size == 0

    def test_output_faster_than_input_is_refused(self) -> None:
        with pytest.raises(InputError, match="out_rate_hz"):
            decimate_envelope(np.ones(10), 20.0, out_rate_hz=50.0)


class TestBadInput:
    @pytest.mark.parametrize(
        ("signal", "match"),
        [([], "empty"), ([1.0, math.nan], "NaN"), (np.ones((3, 3)), "dimension")],
    )
    def test_degenerate_signal(self, signal: object, match: str) -> None:
        with pytest.raises(SignalError, match=match):
            emg_envelope(signal, RATE_HZ)  # type: ignore[arg-type]
        with pytest.raises(SignalError, match=match):
            decimate_envelope(signal, RATE_HZ)  # type: ignore[arg-type]

    def test_a_flat_signal_has_a_flat_envelope(self) -> None:
        np.testing.assert_allclose(emg_envelope(np.full(100, -3.0), RATE_HZ), 3.0)

    @pytest.mark.parametrize("window_s", [0.0, -0.1, math.nan, 11.0])
    def test_bad_window(self, window_s: float) -> None:
        with pytest.raises(InputError, match="window_s"):
            emg_envelope(np.ones(10), RATE_HZ, window_s=window_s)
        with pytest.raises(InputError, match="window_s"):
            StreamingEnvelope(RATE_HZ, window_s=window_s)

    def test_bad_rate_and_method(self) -> None:
        with pytest.raises(SignalError, match="sampling_rate_hz"):
            emg_envelope(np.ones(10), 0.0)
        with pytest.raises(InputError, match="method must be one of 'trailing', 'centered'"):
            emg_envelope(np.ones(10), RATE_HZ, method="causal")  # type: ignore[arg-type]
