"""Down-training: the relaxation summary and the live rest-tone tracker, on hand-made envelopes.

Variability is the coefficient of variation with the population SD (clinical.md §6): an
envelope alternating 4 and 6 µV has mean 5.0 and variability 20.0 %.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.biofeedback.scoring import RestToneTracker, relaxation_summary
from pelvio.errors import InputError, SignalError

RATE_HZ = 50.0


def alternating(mean: float, deviation: float, seconds: float) -> np.ndarray:
    """``mean ± deviation`` alternating: variability deviation / mean × 100 %."""
    return np.tile([mean - deviation, mean + deviation], round(seconds * RATE_HZ / 2))


class TestRelaxationSummary:
    def test_falling_and_steadier_rest_tone(self) -> None:
        x = np.concatenate(
            [alternating(10.0, 2.0, 10), alternating(9.0, 1.5, 10), alternating(8.0, 0.8, 10)]
        )
        result = relaxation_summary(x, RATE_HZ, 10.0)
        assert [w.mean_uv for w in result.windows] == pytest.approx([10.0, 9.0, 8.0])
        assert [w.variability_pct for w in result.windows] == pytest.approx(
            [20.0, 16.667, 10.0], abs=1e-3
        )
        assert [(w.start_s, w.end_s) for w in result.windows] == [(0, 10), (10, 20), (20, 30)]
        assert result.change_pct == pytest.approx(-20.0)
        assert result.lower and result.steadier
        assert "20 %" in result.summary.en and "steadier" in result.summary.en
        assert "20 %" in result.summary.nl and "rustiger" in result.summary.nl

    def test_lower_but_not_steadier(self) -> None:
        x = np.concatenate([alternating(10.0, 1.0, 10), alternating(9.0, 1.8, 10)])
        result = relaxation_summary(x, RATE_HZ, 10.0)
        assert result.change_pct == pytest.approx(-10.0)
        assert result.lower and not result.steadier
        assert "not steadier yet" in result.summary.en

    def test_not_lower_suggests_help_kindly(self) -> None:
        x = np.concatenate([alternating(10.0, 2.0, 10), alternating(10.3, 2.0, 10)])
        result = relaxation_summary(x, RATE_HZ, 10.0)
        assert result.change_pct == pytest.approx(3.0)
        assert not result.lower and not result.steadier
        assert "3 % higher" in result.summary.en and "3 % hoger" in result.summary.nl
        assert "pelvic physiotherapist" in result.summary.en
        assert "bekkenfysiotherapeut" in result.summary.nl

    def test_lower_threshold_is_five_percent(self) -> None:
        for last, lower in ((9.5, True), (9.6, False)):
            x = np.concatenate([np.full(500, 10.0), np.full(500, last)])
            assert relaxation_summary(x, RATE_HZ, 10.0).lower is lower

    def test_one_window_cannot_be_steadier(self) -> None:
        result = relaxation_summary(alternating(8.0, 0.1, 5), RATE_HZ, 10.0)
        assert len(result.windows) == 1 and not result.steadier and result.lower

    def test_a_short_last_part_joins_the_window_before(self) -> None:
        ends = [w.end_s for w in relaxation_summary(np.full(1200, 5.0), RATE_HZ, 5.0).windows]
        assert ends == [10.0, 24.0]  # 4 s left over: less than half of 10 s
        ends = [w.end_s for w in relaxation_summary(np.full(1250, 5.0), RATE_HZ, 5.0).windows]
        assert ends == [10.0, 20.0, 25.0]

    def test_to_dict(self) -> None:
        x = np.concatenate([alternating(10.0, 2.0, 10), alternating(8.0, 0.8, 10)])
        document = json.loads(json.dumps(relaxation_summary(x, RATE_HZ, 10.0).to_dict()))
        assert set(document) == {
            "baseline_uv",
            "window_s",
            "windows",
            "change_pct",
            "lower",
            "steadier",
            "summary",
        }
        assert set(document["windows"][0]) == {"start_s", "end_s", "mean_uv", "variability_pct"}

    @pytest.mark.parametrize("bad", [[], [1.0], [1.0, math.nan] * 50, [5.0] * 40])
    def test_degenerate_envelopes(self, bad: list[float]) -> None:
        with pytest.raises(SignalError, match="envelope_uv"):
            relaxation_summary(bad, RATE_HZ, 10.0)

    def test_bad_baseline_and_window(self) -> None:
        with pytest.raises(InputError, match="baseline_uv"):
            relaxation_summary(np.full(100, 5.0), RATE_HZ, 0.0)
        with pytest.raises(InputError, match="window_s"):
            relaxation_summary(np.full(100, 5.0), RATE_HZ, 5.0, window_s=0.5)


class TestRestToneTracker:
    def test_alternating_four_and_six(self) -> None:
        tracker = RestToneTracker(RATE_HZ, window_s=2.0)
        assert tracker.current().mean_uv is None
        tone = tracker.update(np.tile([4.0, 6.0], 60))
        assert tone.mean_uv == pytest.approx(5.0)
        assert tone.variability_pct == pytest.approx(20.0)
        assert tone.filled
        assert tone.to_dict() == {
            "mean_uv": tone.mean_uv,
            "variability_pct": tone.variability_pct,
            "filled": True,
        }

    def test_not_filled_until_a_whole_window(self) -> None:
        tracker = RestToneTracker(RATE_HZ, window_s=2.0)
        assert not tracker.update(np.full(99, 3.0)).filled
        assert tracker.update([3.0]).filled
        assert tracker.update([]).mean_uv == pytest.approx(3.0)
        tracker.reset()
        assert tracker.current().mean_uv is None

    def test_zero_mean_has_no_variability(self) -> None:
        assert RestToneTracker(RATE_HZ).update(np.zeros(10)).variability_pct is None

    def test_refuses_nan(self) -> None:
        with pytest.raises(SignalError):
            RestToneTracker(RATE_HZ).update([1.0, math.nan])

    @settings(max_examples=40, deadline=None)
    @given(
        seed=st.integers(0, 2**32 - 1),
        blocks=st.lists(st.integers(0, 250), min_size=1, max_size=40),
        window_s=st.sampled_from([0.5, 2.0, 3.3]),
    )
    def test_equals_the_last_window_computed_at_once(
        self, seed: int, blocks: list[int], window_s: float
    ) -> None:
        rng = np.random.default_rng(seed)
        tracker = RestToneTracker(RATE_HZ, window_s=window_s)
        width = round(window_s * RATE_HZ)
        seen = np.zeros(0)
        for size in blocks:
            block = 20.0 + 5.0 * rng.standard_normal(size)
            seen = np.concatenate([seen, block])
            tone = tracker.update(block)
            if seen.size == 0:
                assert tone.mean_uv is None
                continue
            last = seen[-width:]
            assert tone.mean_uv == pytest.approx(float(last.mean()), rel=1e-9)
            expected = float(np.std(last)) / float(last.mean()) * 100.0
            assert tone.variability_pct == pytest.approx(expected, rel=1e-6, abs=1e-6)
            assert tone.filled == (seen.size >= width)
