"""Contraction detection on an EMG envelope (µV) or a pressure curve (cmH2O).

How it works
------------
1. **Spike rejection.** The envelope is averaged into 10 ms blocks and passed through a running
   median of ``spike_s`` (default 0.4 s). A median removes any burst shorter than half its
   window (motion spikes, electrode pops, a cough on a pressure probe) but keeps the edges of a
   real contraction where they are.
2. **Rest baseline.** Without ``baseline_uv``, a first pass takes a low running percentile as
   the rest level, finds rough contractions, and then measures the rest baseline only where
   the muscle rests: the median of every 5 s stretch of rest, interpolated in time, so slow
   wander of an unstable rest tone is followed. The rest noise ``sd`` is the scaled median
   absolute deviation around it.
3. **Hysteresis.** A contraction starts above the *on* level and lasts until the envelope
   falls below the *off* level; dips shorter than ``min_off_s`` are bridged and contractions
   shorter than ``min_on_s``, or above the *on* level for less than ``min_on_s`` in all,
   dropped. For EMG the levels are ``baseline + max(on_sd × sd, on_ratio × baseline)`` and
   the same with ``off_*``: relative to the rest tone, so they scale with the electrode and
   the patient.
4. **Timing.** Onset and offset are the half-amplitude points: where the envelope crosses half
   way between the local rest level (the median of up to 1.5 s of rest just before, or just
   after) and the contraction's own level (the 90th percentile of its first, or last, 2 s),
   interpolated between samples. A second look then reads both levels again in the second
   just beside each ramp, as the half-amplitude definition has it, with the ramp's duration
   from a least-squares raised-cosine fit to the block means (closed form per duration, see
   :func:`_fitted_span`). These points do not move with the thresholds, the noise or how
   slowly a patient rises, and they are where the simulator puts its truth.

Per contraction
---------------
``peak_uv`` highest spike-rejected envelope between onset and offset; ``mean_uv`` its mean
there; ``rise_s`` onset to peak; ``release_s`` offset to *back at baseline*, the first moment
the envelope is within 10 % of the contraction's height above the local rest level (or
``None`` when another contraction or the end of the recording comes first).

Offline detection sees the whole recording; :class:`StreamingDetector` sees the past only. It
uses the same smoothing (a causal running median, so a contraction is known
``spike_s / 2`` late), takes its first baseline from a resting calibration period, then
follows the rest level with slow running averages, and emits each contraction once it has
released (or after ``release_timeout_s``).
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.ndimage import median_filter, percentile_filter, uniform_filter1d

from pelvio._check import check_range, check_sampling_rate, check_signal
from pelvio.errors import InputError, SignalError
from pelvio.signals.filters import _chunk

__all__ = ["Contraction", "StreamingDetector", "detect_contractions"]

_BLOCK_RATE_HZ: Final = 100.0
_SMOOTH_S: Final = 0.25
_REST_WINDOW_S: Final = 1.0
_REST_GAP_S: Final = 0.2
_PLATEAU_WINDOW_S: Final = 2.0
_PLATEAU_PERCENTILE: Final = 90.0
_HOLD_SHARE: Final = 0.75
_BODY_MIN_S: Final = 0.5
_SAG_BRIDGE_S: Final = 3.0
_BESIDE_RAMP_S: Final = 1.0
_RAMP_MIDDLE_SHARE: Final = 0.41  # raised cosine: 20 % to 80 % of the height
_FIT_REACH_S: Final = 1.0
# Ramp durations tried by the fit, in seconds: 16 steps of 27 %, 0.08 s to 3 s.
_FIT_DURATIONS_S: Final = np.geomspace(0.08, 3.0, 16)
_RAMP_SHARE: Final = 0.3
_RAMP_REACH: Final = 400  # blocks, 4 s at 100 per second
_BACK_AT_BASELINE: Final = 0.1
_REST_MEDIAN_S: Final = 15
_BRIDGE_FOR_REST_S: Final = 3.0
_REST_GUARD_BEFORE_S: Final = 0.5
_REST_GUARD_AFTER_S: Final = 2.0
_FIRST_PASS_WINDOW_S: Final = 150.0
_FIRST_PASS_PERCENTILE: Final = 20.0
_MAD_TO_SD: Final = 1.4826
_NOISE_LAG_S: Final = 0.5


@dataclass(frozen=True, slots=True)
class Contraction:
    """One contraction, in seconds from the start of the recording and in µV (or cmH2O).

    Attributes
    ----------
    onset_s, offset_s
        Half-amplitude points of the rise and the fall (module notes).
    peak_uv
        Highest spike-rejected envelope between onset and offset.
    mean_uv
        Mean spike-rejected envelope between onset and offset.
    rise_s
        From onset to peak.
    release_s
        From offset to back at baseline (within 10 % of the height), or ``None``.
    """

    onset_s: float
    offset_s: float
    peak_uv: float
    mean_uv: float
    rise_s: float
    release_s: float | None

    @property
    def duration_s(self) -> float:
        """From onset to offset."""
        return self.offset_s - self.onset_s

    def to_dict(self, *, unit: str = "uv") -> dict[str, float | None]:
        """JSON-ready; ``unit="cmh2o"`` names the amplitudes ``peak_cmh2o`` and ``mean_cmh2o``."""
        return {
            "onset_s": self.onset_s,
            "offset_s": self.offset_s,
            f"peak_{unit}": self.peak_uv,
            f"mean_{unit}": self.mean_uv,
            "rise_s": self.rise_s,
            "release_s": self.release_s,
        }


@dataclass(frozen=True, slots=True)
class _Levels:
    """How far above the baseline the on and off levels lie (see :func:`_thresholds`)."""

    on_sd: float
    off_sd: float
    on_ratio: float
    off_ratio: float
    on_min: float
    off_min: float


EMG_LEVELS: Final = _Levels(6.0, 2.0, 0.5, 0.25, 0.0, 0.0)
"""The default on and off levels for EMG (those of :func:`detect_contractions`)."""


@dataclass(frozen=True, slots=True)
class _Smoothed:
    values: NDArray[np.float64]  # spike-rejected, smoothed block means (for the timing)
    rate_hz: float  # block rate
    first_s: float  # time of block 0 (its centre)
    blocks: NDArray[np.float64]  # the plain block means (for peaks and means)
    spikefree: NDArray[np.float64]  # the running median alone (for the release)


@dataclass(frozen=True, slots=True)
class _Detection:
    """Everything the detector measured (used by the analysis; not public API)."""

    contractions: tuple[Contraction, ...]
    smoothed: _Smoothed
    baseline: NDArray[np.float64]
    sd: float


def detect_contractions(
    envelope_uv: ArrayLike,
    sampling_rate_hz: float,
    *,
    baseline_uv: float | ArrayLike | None = None,
    on_sd: float = 6.0,
    off_sd: float = 2.0,
    on_ratio: float = 0.5,
    off_ratio: float = 0.25,
    min_on_s: float = 0.3,
    min_off_s: float = 0.3,
    spike_s: float = 0.4,
) -> list[Contraction]:
    """Find the contractions in an RMS envelope.

    Parameters
    ----------
    envelope_uv
        RMS envelope in µV (:func:`pelvio.signals.emg_envelope`); offline, pass the
        ``"centered"`` one, since a trailing envelope is half a window late.
    sampling_rate_hz
        The envelope's sampling rate.
    baseline_uv
        The rest level, as one number or one per sample; ``None`` measures it (module notes).
    on_sd, off_sd, on_ratio, off_ratio
        The on and off levels: ``baseline + max(on_sd × rest SD, on_ratio × baseline)``.
    min_on_s, min_off_s
        Shortest contraction kept, shortest relaxation that separates two contractions.
    spike_s
        Running-median window that rejects spikes shorter than half of it.

    Returns
    -------
    list[Contraction]
        In time order; empty when there is none (also for a flat envelope).

    Raises
    ------
    SignalError
        For an empty, non-finite or negative envelope, or one shorter than ``spike_s``.
    """
    levels = _Levels(on_sd, off_sd, on_ratio, off_ratio, 0.0, 0.0)
    return list(
        _detect(
            envelope_uv,
            sampling_rate_hz,
            baseline=baseline_uv,
            levels=levels,
            min_on_s=min_on_s,
            min_off_s=min_off_s,
            spike_s=spike_s,
            name="envelope_uv",
        ).contractions
    )


def _detect(
    values: ArrayLike,
    sampling_rate_hz: float,
    *,
    baseline: float | ArrayLike | None,
    levels: _Levels,
    min_on_s: float,
    min_off_s: float,
    spike_s: float,
    name: str,
    checked: bool = False,
    first_s: float = 0.0,
) -> _Detection:
    """The detector behind :func:`detect_contractions` and pressure detection (private API).

    ``checked=True`` skips the signal check for a caller that has just made ``values``;
    ``first_s`` is the time of ``values[0]`` when it is not 0.
    """
    rate = check_sampling_rate(sampling_rate_hz)
    _check_levels(levels)
    min_on = check_range("min_on_s", min_on_s, low=0.0, high=600.0, unit="s")
    min_off = check_range("min_off_s", min_off_s, low=0.0, high=600.0, unit="s")
    spike = check_range("spike_s", spike_s, low=0.0, high=10.0, unit="s")
    if checked:
        x = np.asarray(values, dtype=np.float64)
    else:
        x = check_signal(name, values, min_samples=max(1, round(spike * rate)))
    smoothed = _smooth(x, rate, spike)
    if first_s:
        smoothed = replace(smoothed, first_s=smoothed.first_s + first_s)
    sm = smoothed.values
    block_rate = smoothed.rate_hz
    if baseline is None:
        # The first pass starts only on clear contractions (twice the relative on level), so
        # an unstable rest tone does not pass for muscle, but follows each to its very end,
        # so a long fatiguing hold does not pass for rest.
        base, sd = _first_pass_baseline(sm, block_rate)
        strict = replace(levels, on_ratio=2 * levels.on_ratio)
        segments = _segments(
            sm, (base, *_thresholds(base, sd, strict)), block_rate, min_on, min_off
        )
        base, sd = _rest_baseline(sm, block_rate, segments, fallback=base)
    else:
        base = _given_baseline(baseline, x.size, rate, sm.size)
        sd = _rest_sd(sm, base, np.ones(sm.size, dtype=bool))
    on, off = _thresholds(base, sd, levels)
    segments = _segments(sm, (base, on, off), block_rate, min_on, min_off)
    measured = (_measure(sm, smoothed, segments, k, base, on) for k in range(len(segments)))
    # The smoothing widens a short burst; its half-amplitude width does not lie about it.
    contractions = tuple(c for c in measured if c.duration_s >= min_on)
    return _Detection(contractions, smoothed, base, sd)


class StreamingDetector:
    """Live contraction detection on envelope chunks; emits each contraction when complete.

    Feed it the trailing envelope (:class:`pelvio.signals.StreamingEnvelope`) chunk by chunk;
    :meth:`process` returns the contractions that completed in that chunk. The result does not
    depend on how the stream is cut into chunks. Times count from the first sample and are
    corrected for the half-window delay of the trailing envelope (``envelope_window_s``).

    Parameters
    ----------
    sampling_rate_hz
        The envelope's sampling rate.
    baseline_uv
        The rest level if known (for instance from an earlier rest recording); otherwise the
        first ``calibration_s`` are taken as rest and measured.
    calibration_s
        Length of the resting calibration when ``baseline_uv`` is not given.
    envelope_window_s
        The trailing envelope's window, whose half is subtracted from every time.
    on_sd, off_sd, on_ratio, off_ratio, min_on_s, min_off_s, spike_s
        As for :func:`detect_contractions`.
    release_timeout_s
        Emit a contraction this long after its offset even if it has not released.
    """

    __slots__ = (
        "_active_start",
        "_baseline",
        "_below_since",
        "_block",
        "_block_size",
        "_calibration",
        "_calibration_blocks",
        "_given",
        "_history",
        "_history_start",
        "_index",
        "_levels",
        "_mean_size",
        "_medians",
        "_min_off",
        "_min_on",
        "_pending",
        "_previous",
        "_raw",
        "_recent",
        "_sd",
        "_shift_s",
        "_sorted",
        "_spikefree",
        "_timeout",
        "_window",
        "_window_size",
        "sampling_rate_hz",
    )

    def __init__(
        self,
        sampling_rate_hz: float,
        *,
        baseline_uv: float | None = None,
        calibration_s: float = 5.0,
        envelope_window_s: float = 0.1,
        on_sd: float = 6.0,
        off_sd: float = 2.0,
        on_ratio: float = 0.5,
        off_ratio: float = 0.25,
        min_on_s: float = 0.3,
        min_off_s: float = 0.3,
        spike_s: float = 0.4,
        release_timeout_s: float = 3.0,
    ) -> None:
        rate = check_sampling_rate(sampling_rate_hz)
        self.sampling_rate_hz = rate
        self._levels = _Levels(on_sd, off_sd, on_ratio, off_ratio, 0.0, 0.0)
        _check_levels(self._levels)
        self._block_size = _block_size(rate)
        block_rate = rate / self._block_size
        self._window_size = _odd(check_range("spike_s", spike_s, low=0.0, high=10.0) * block_rate)
        self._mean_size = _odd(_SMOOTH_S * block_rate)
        self._min_on = check_range("min_on_s", min_on_s, low=0.0, high=600.0) * block_rate
        self._min_off = check_range("min_off_s", min_off_s, low=0.0, high=600.0) * block_rate
        self._timeout = check_range("release_timeout_s", release_timeout_s, low=0.0, high=60.0)
        self._timeout *= block_rate
        self._given = (
            None if baseline_uv is None else check_range("baseline_uv", baseline_uv, low=0.0)
        )
        self._calibration_blocks = max(
            self._window_size,
            round(check_range("calibration_s", calibration_s, low=0.1, high=600.0) * block_rate),
        )
        window = check_range("envelope_window_s", envelope_window_s, low=0.0, high=10.0)
        # Value k is centred on block k + h + u (half the median's and half the mean's
        # window), whose own centre lies (block - 1) / 2 samples in; the trailing envelope
        # lags half its window.
        self._shift_s = (
            ((self._window_size - 1) // 2 + (self._mean_size - 1) // 2) / block_rate
            + (self._block_size - 1) / 2 / rate
            - window / 2
        )
        self.reset()

    @property
    def baseline_uv(self) -> float | None:
        """The current rest level, or ``None`` while still calibrating."""
        return self._baseline

    @property
    def active(self) -> bool:
        """Whether a contraction is under way (for live feedback)."""
        return self._active_start is not None

    def reset(self) -> None:
        """Forget everything: the next chunk starts a new recording."""
        self._block = np.zeros(0)
        self._window: deque[float] = deque()
        self._sorted: list[float] = []
        self._medians: deque[float] = deque()
        self._recent: deque[float] = deque(maxlen=self._window_size + self._mean_size)
        self._raw: deque[float] = deque()
        self._spikefree: deque[float] = deque()
        self._index = 0
        self._history: deque[float] = deque()
        self._history_start = 0
        self._calibration: list[float] = []
        self._baseline: float | None = self._given
        self._sd = 0.0 if self._given is None else 0.05 * self._given
        self._active_start: int | None = None
        self._below_since: int | None = None
        self._pending: list[tuple[int, int, float]] = []
        self._previous: tuple[int, int] | None = None

    def process(self, envelope_chunk_uv: ArrayLike) -> list[Contraction]:
        """Take the next chunk of envelope; return the contractions completed in it."""
        x = _chunk(envelope_chunk_uv, "envelope_chunk_uv")
        done: list[Contraction] = []
        size = self._block_size
        if self._block.size:
            x = np.concatenate((self._block, x))
        whole = x.size // size
        if whole:
            # Summed in the same order whatever the chunking, so the result cannot depend
            # on where the chunks are cut.
            for mean in (x[: whole * size].reshape(whole, size).sum(axis=1) / size).tolist():
                self._push(mean, done)
        self._block = x[whole * size :].copy()
        return done

    def flush(self) -> list[Contraction]:
        """At the end of a recording: emit what is complete or waiting for its release."""
        finished = [self._finish(start, end) for start, end, _ in self._pending]
        self._pending = []
        return [c for c in finished if c.duration_s >= self._min_on / self._block_rate]

    # --- per block -------------------------------------------------------------------------

    def _push(self, mean: float, done: list[Contraction]) -> None:
        # The offline smoothing, made causal: a running median of the blocks, then a running
        # mean of the medians; each value is centred (h + u) blocks back.
        window, ordered, recent = self._window, self._sorted, self._recent
        window.append(mean)
        recent.append(mean)
        bisect.insort(ordered, mean)
        if len(window) > self._window_size:
            ordered.pop(bisect.bisect_left(ordered, window.popleft()))
        if len(window) < self._window_size:
            return
        medians = self._medians
        medians.append(ordered[len(ordered) // 2])
        if len(medians) > self._mean_size:
            medians.popleft()
        if len(medians) < self._mean_size:
            return
        value = sum(medians) / self._mean_size
        aligned = recent[-1 - (self._window_size - 1) // 2 - (self._mean_size - 1) // 2]
        k = self._index
        self._index += 1
        self._history.append(value)
        self._raw.append(aligned)
        self._spikefree.append(medians[(self._mean_size - 1) // 2])
        if len(self._history) > self._history_limit:
            self._history.popleft()
            self._raw.popleft()
            self._spikefree.popleft()
            self._history_start += 1
        if self._baseline is None:
            self._calibrate(value)
            return
        self._step(k, value)
        self._emit_released(k, value, done)

    @property
    def _history_limit(self) -> int:
        return int(self._timeout + 4 * self._calibration_blocks + 120 * self._block_rate)

    @property
    def _block_rate(self) -> float:
        return self.sampling_rate_hz / self._block_size

    def _calibrate(self, value: float) -> None:
        self._calibration.append(value)
        if len(self._calibration) >= self._calibration_blocks:
            rest = np.asarray(self._calibration)
            self._baseline = float(np.median(rest))
            self._sd = _MAD_TO_SD * float(np.median(np.abs(rest - self._baseline)))
            self._calibration = []

    def _step(self, k: int, value: float) -> None:
        base = self._baseline if self._baseline is not None else 0.0
        levels, sd, scale = self._levels, self._sd, abs(base)
        on = base + max(levels.on_sd * sd, levels.on_ratio * scale, levels.on_min)
        off = base + max(levels.off_sd * sd, levels.off_ratio * scale, levels.off_min)
        if self._active_start is None:
            if value > on:
                self._active_start = k
                self._below_since = None
            else:
                # Follow the rest level slowly (time constant ~10 s) while resting.
                alpha = 1.0 / (10.0 * self._block_rate)
                self._baseline = base + alpha * (value - base)
                self._sd += alpha * (_MAD_TO_SD * abs(value - base) - self._sd)
            return
        if value > off:
            self._below_since = None
            return
        if self._below_since is None:
            self._below_since = k
        if k - self._below_since + 1 >= self._min_off:
            start, end = self._active_start, self._below_since - 1
            self._active_start = None
            self._below_since = None
            if end - start + 1 >= self._min_on:
                self._pending.append((start, end, self._released_level(start, end, base)))

    def _released_level(self, start: int, end: int, base: float) -> float:
        plateau_n = max(1, min(round(_PLATEAU_WINDOW_S * self._block_rate), end - start + 1))
        last = [self._history_at(i) for i in range(end - plateau_n + 1, end + 1)]
        height = max(float(np.percentile(last, _PLATEAU_PERCENTILE)) - base, 0.0)
        return base + _BACK_AT_BASELINE * height

    def _emit_released(self, k: int, value: float, done: list[Contraction]) -> None:
        still: list[tuple[int, int, float]] = []
        for start, end, released_at in self._pending:
            if value <= released_at or k - end >= self._timeout or self._active_start is not None:
                contraction = self._finish(start, end)
                if contraction.duration_s >= self._min_on / self._block_rate:
                    done.append(contraction)
            else:
                still.append((start, end, released_at))
        self._pending = still

    def _history_at(self, k: int) -> float:
        return self._history[max(0, k - self._history_start)]

    def _finish(self, start: int, end: int) -> Contraction:
        history = np.fromiter(self._history, dtype=np.float64, count=len(self._history))
        first = self._history_start
        smoothed = _Smoothed(
            history,
            self._block_rate,
            first / self._block_rate + self._shift_s,
            np.fromiter(self._raw, dtype=np.float64, count=len(self._raw)),
            np.fromiter(self._spikefree, dtype=np.float64, count=len(self._spikefree)),
        )
        base = np.full(history.size, self._baseline if self._baseline is not None else 0.0)
        # The neighbours bound the search for this contraction's edges.
        segments: list[tuple[int, int]] = []
        if self._previous is not None and self._previous[1] >= first:
            segments.append((max(0, self._previous[0] - first), self._previous[1] - first))
        index = len(segments)
        segments.append((max(0, start - first), max(0, end - first)))
        if self._active_start is not None:
            segments.append((self._active_start - first, history.size - 1))
        self._previous = (start, end)
        on, _ = _thresholds(base, self._sd, self._levels)
        return _measure(history, smoothed, segments, index, base, on)


# --- offline pieces ------------------------------------------------------------------------------


def _block_size(rate: float) -> int:
    return max(1, int(rate // _BLOCK_RATE_HZ))


def _odd(samples: float) -> int:
    n = max(1, round(samples))
    return n if n % 2 else n + 1


def _smooth(x: NDArray[np.float64], rate: float, spike_s: float) -> _Smoothed:
    size = _block_size(rate)
    whole = x.size // size
    if size == 1:
        # Already one value per block (the analysis's envelope): the mean of one is itself,
        # and only read from here on, so the caller's array serves without a copy.
        blocks = x
    else:
        blocks = x[: whole * size].reshape(whole, size).mean(axis=1) if whole else np.zeros(0)
    if x.size > whole * size:
        blocks = np.append(blocks, x[whole * size :].mean())
    block_rate = rate / size
    spikefree = median_filter(blocks, size=_odd(spike_s * block_rate), mode="nearest")
    # A moving average steadies the levels a half-amplitude point is read against; being
    # symmetric and linear, it leaves the half-way point of a ramp where it is.
    sm = uniform_filter1d(spikefree, _odd(_SMOOTH_S * block_rate), mode="nearest")
    first_s = (size - 1) / 2 / rate
    return _Smoothed(np.asarray(sm, dtype=np.float64), block_rate, first_s, blocks, spikefree)


def _thresholds(
    base: NDArray[np.float64] | float, sd: float, levels: _Levels
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    base_array = np.asarray(base, dtype=np.float64)

    def level(sd_factor: float, ratio: float, least: float) -> NDArray[np.float64]:
        # In place: on an hour's baseline every temporary is 3 MB at the analysis's peak.
        out = np.abs(base_array, out=np.empty_like(base_array))
        out *= ratio
        np.maximum(out, sd_factor * sd, out=out)
        np.maximum(out, least, out=out)
        out += base_array
        return out

    return (
        level(levels.on_sd, levels.on_ratio, levels.on_min),
        level(levels.off_sd, levels.off_ratio, levels.off_min),
    )


def _segments(
    sm: NDArray[np.float64],
    thresholds: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]],
    rate: float,
    min_on_s: float,
    min_off_s: float,
) -> list[tuple[int, int]]:
    """Hysteresis with minimum durations.

    Runs above the off level are joined across dips shorter than ``min_off_s``, and across
    dips of up to 3 s that never get half way down from the off level to the rest level (a
    fatiguing hold that sags is not a relaxation; a relaxation reaches rest). Joined runs
    that stay above the on level for less than ``min_on_s`` in all (at least one sample), or
    last less than ``min_on_s``, are dropped: the tail of an electrode pop that the spike
    rejection left pokes above the on level only for an instant.
    """
    base, on, off = thresholds
    above_off = sm > off
    padded = np.concatenate(([False], above_off, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    starts, ends = edges[0::2].tolist(), (edges[1::2] - 1).tolist()
    if not starts:
        return []
    longest_dip = _SAG_BRIDGE_S * rate
    merged: list[tuple[int, int]] = []
    for start, end in zip(starts, ends, strict=True):
        if merged:
            gap = start - merged[-1][1] - 1
            dip = slice(merged[-1][1] + 1, start)
            if gap < min_off_s * rate or (
                gap <= longest_dip
                and bool(np.all(sm[dip] > base[dip] + 0.5 * (off[dip] - base[dip])))
            ):
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return [
        (s, e)
        for s, e in merged
        if e - s + 1 >= min_on_s * rate
        and np.count_nonzero(sm[s : e + 1] > on[s : e + 1]) >= max(1.0, min_on_s * rate)
    ]


def _first_pass_baseline(sm: NDArray[np.float64], rate: float) -> tuple[NDArray[np.float64], float]:
    # A low running percentile over a window much longer than any hold (the 60 s endurance
    # contraction) sits in the rest however the recording is laid out, as long as it rests a
    # fifth of the time. Computed on one value per second to stay cheap.
    per_second = max(1, round(rate))
    whole = sm.size // per_second
    if whole < 3:
        level = float(np.percentile(sm, _FIRST_PASS_PERCENTILE))
        return np.full(sm.size, level), _difference_sd(sm, rate)
    coarse = np.median(sm[: whole * per_second].reshape(whole, per_second), axis=1)
    window = min(whole, round(_FIRST_PASS_WINDOW_S))
    low = percentile_filter(coarse, _FIRST_PASS_PERCENTILE, size=window, mode="nearest")
    centres = (np.arange(whole) + 0.5) * per_second
    base = np.interp(np.arange(sm.size, dtype=np.float64), centres, low)
    return base, _difference_sd(sm, rate)


def _difference_sd(sm: NDArray[np.float64], rate: float) -> float:
    """Rest noise from differences half a second apart: contractions change the envelope
    only at their edges, and slow wander of the rest tone hardly at all, so the median
    difference is the noise (scaled from a median absolute difference to an SD)."""
    lag = max(1, round(_NOISE_LAG_S * rate))
    if sm.size <= lag:
        return 0.0
    differences = sm[lag:] - sm[:-lag]
    np.abs(differences, out=differences)
    return _MAD_TO_SD * float(np.median(differences, overwrite_input=True)) / math.sqrt(2.0)


def _rest_baseline(
    sm: NDArray[np.float64],
    rate: float,
    segments: list[tuple[int, int]],
    *,
    fallback: NDArray[np.float64],
) -> tuple[NDArray[np.float64], float]:
    """Rest level in time: a running median over 15 s of the rest found by the first pass.

    The rest is cut into 1 s bins (a bin counts when a third of it rests); the running median
    of the resting bins follows an unstable rest tone that wanders over tens of seconds, and
    is interpolated across contractions, where there is no rest to see.
    """
    # A first pass can break a long weak hold into pieces; the dips between them are not rest.
    bridged = _segments_bridged(segments, _BRIDGE_FOR_REST_S * rate)
    rest = np.ones(sm.size, dtype=bool)
    before, after = round(_REST_GUARD_BEFORE_S * rate), round(_REST_GUARD_AFTER_S * rate)
    for start, end in bridged:
        rest[max(0, start - before) : end + after + 1] = False
    per_bin = max(1, round(rate))
    bins = sm.size // per_bin
    if bins == 0:
        return fallback, _rest_sd(sm, fallback, np.ones(sm.size, dtype=bool))
    values = sm[: bins * per_bin].reshape(bins, per_bin)
    resting = rest[: bins * per_bin].reshape(bins, per_bin)
    counts = resting.sum(axis=1)
    enough = counts >= per_bin / 3
    if not enough.any():
        return fallback, _rest_sd(sm, fallback, np.ones(sm.size, dtype=bool))
    # Rest bins only: their mean rest level, then a running median over the 15 nearest
    # resting bins, so a hold's last seconds, missed by the first pass, cannot leak into
    # its middle, which is interpolated between the rest either side.
    means = (values * resting).sum(axis=1)[enough] / counts[enough]
    running = median_filter(means, size=min(_REST_MEDIAN_S, means.size), mode="nearest")
    centres = ((np.arange(bins) + 0.5) * per_bin)[enough]
    base = np.interp(np.arange(sm.size, dtype=np.float64), centres, running)
    return base, _rest_sd(sm, base, rest)


def _segments_bridged(segments: list[tuple[int, int]], gap: float) -> list[tuple[int, int]]:
    """Join segments separated by fewer than ``gap`` samples."""
    merged: list[tuple[int, int]] = []
    for start, end in segments:
        if merged and start - merged[-1][1] - 1 < gap:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _rest_sd(sm: NDArray[np.float64], base: NDArray[np.float64], rest: NDArray[np.bool_]) -> float:
    residual = np.subtract(sm, base)[rest]
    if residual.size == 0:
        return 0.0
    # Medians do not depend on the order, so both may partition ``residual`` in place.
    residual -= np.median(residual, overwrite_input=True)
    np.abs(residual, out=residual)
    return _MAD_TO_SD * float(np.median(residual, overwrite_input=True))


def _given_baseline(
    baseline: float | ArrayLike, n: int, rate: float, blocks: int
) -> NDArray[np.float64]:
    array = np.asarray(baseline, dtype=np.float64)
    if array.ndim == 0:
        level = check_range("baseline_uv", float(array), low=0.0)
        return np.full(blocks, level)
    values = check_signal("baseline_uv", array)
    if values.size != n:
        raise SignalError(
            f"baseline_uv must be one number or one per sample ({n}); got {values.size}",
            field="baseline_uv",
        )
    return _smooth(values, rate, 0.0).values[:blocks]


def _check_levels(levels: _Levels) -> None:
    for name in ("on_sd", "off_sd", "on_ratio", "off_ratio", "on_min", "off_min"):
        check_range(name, getattr(levels, name), low=0.0, high=1e6)
    if levels.off_sd > levels.on_sd or levels.off_ratio > levels.on_ratio:
        raise InputError(
            "the off level must not lie above the on level: need off_sd <= on_sd and "
            f"off_ratio <= on_ratio; got {levels.off_sd:g}/{levels.on_sd:g} and "
            f"{levels.off_ratio:g}/{levels.on_ratio:g}",
            field="off_sd",
        )


def _measure(
    sm: NDArray[np.float64],
    smoothed: _Smoothed,
    segments: list[tuple[int, int]],
    k: int,
    base: NDArray[np.float64],
    on: NDArray[np.float64],
) -> Contraction:
    """Onset, offset and the rest for segment ``k``, searching no further than its neighbours.

    The segment runs from where the envelope rose above the off level to where it stayed
    below it; its body runs from where it first to where it last stood above the on level. The
    hold levels are read in the body, so a rest tone that lingers above the off level after a
    contraction is not taken for the end of the hold.
    """
    rate = smoothed.rate_hz
    start, end = segments[k]
    body_start, body_end = _body(sm[start : end + 1] > on[start : end + 1], rate)
    body_start, body_end = start + body_start, start + body_end
    lower = segments[k - 1][1] + 1 if k > 0 else 0
    upper = segments[k + 1][0] - 1 if k + 1 < len(segments) else sm.size - 1
    rest_n = round(_REST_WINDOW_S * rate)
    plateau_n = max(1, min(round(_PLATEAU_WINDOW_S * rate), body_end - body_start + 1))
    gap = round(_REST_GAP_S * rate)
    before = sm[max(lower, start - gap - rest_n) : max(lower, start - gap)]
    after = sm[min(end + 1 + gap, upper + 1) : min(upper, end + gap + rest_n) + 1]
    base_before = _median(before) if before.size >= rest_n // 5 + 1 else float(base[start])
    base_after = _median(after) if after.size >= rest_n // 5 + 1 else float(base[end])
    level_in, level_out = _hold_levels(sm, body_start, body_end, base_before, base_after, plateau_n)
    half_in = base_before + 0.5 * (level_in - base_before)
    half_out = base_after + 0.5 * (level_out - base_after)
    onset = _rising_crossing(sm, half_in, body_start, lower, body_end)
    offset = _falling_crossing(sm, half_out, end, body_start, upper)
    onset = _fitted_crossing(sm, onset, base_before, level_in, (lower, end), rising=True)
    offset = _fitted_crossing(sm, offset, base_after, level_out, (start, upper), rising=False)
    # Second look: read the rest and the hold in the second just outside each ramp, now that
    # the ramps are roughly known, as the half-amplitude definition has it.
    levels = _levels_beside_ramps(
        (sm, smoothed.blocks),
        onset,
        offset,
        (base_before, level_in, level_out, base_after),
        (lower, upper),
        rate,
    )
    base_before, level_in, level_out, base_after = levels
    half_in = base_before + 0.5 * (level_in - base_before)
    half_out = base_after + 0.5 * (level_out - base_after)
    onset = _rising_crossing(sm, half_in, body_start, lower, body_end)
    offset = _falling_crossing(sm, half_out, end, body_start, upper)
    onset = _fitted_crossing(sm, onset, base_before, level_in, (lower, end), rising=True)
    offset = _fitted_crossing(sm, offset, base_after, level_out, (start, upper), rising=False)
    if offset <= onset:
        onset, offset = float(start), float(end + 1)
    first, last = int(np.ceil(onset)), max(int(np.floor(offset)), int(np.ceil(onset)))
    inside = smoothed.blocks[first : last + 1]
    peak_at = first + int(np.argmax(inside))
    height = max(level_out - base_after, 0.0)
    calm = smoothed.spikefree
    back = np.flatnonzero(calm[last : upper + 1] <= base_after + _BACK_AT_BASELINE * height)
    to_s = smoothed.first_s
    release = None if back.size == 0 else (last + int(back[0]) - offset) / rate
    return Contraction(
        onset_s=to_s + onset / rate,
        offset_s=to_s + offset / rate,
        peak_uv=float(inside.max()),
        mean_uv=float(inside.mean()),
        rise_s=max(0.0, (peak_at - onset) / rate),
        release_s=None if release is None else max(0.0, release),
    )


def _levels_beside_ramps(
    curves: tuple[NDArray[np.float64], NDArray[np.float64]],
    onset: float,
    offset: float,
    levels: tuple[float, float, float, float],
    bounds: tuple[int, int],
    rate: float,
) -> tuple[float, float, float, float]:
    """Rest before, hold after the rise, hold before the fall and rest after it, each the
    median over the second just outside its ramp.

    ``curves`` are the smoothed values the medians are read on and the plain block means the
    ramps are fitted to. Each ramp is taken to be centred on its half-way point; its duration
    comes from :func:`_fitted_span`, or, when that finds no ramp, from the 20 % and 80 %
    crossings (:func:`_ramp_span`). Keeps a level where its second would be shorter than
    0.2 s.
    """
    sm, blocks = curves
    lower, upper = bounds
    rest_in, hold_in, hold_out, rest_out = levels
    window = round(_BESIDE_RAMP_S * rate)
    rise = _fitted_span(blocks, onset, bounds, rate, rising=True)
    if rise is None:
        rise = _ramp_span(sm, onset, rest_in, hold_in, bounds, rising=True)
    fall = _fitted_span(blocks, offset, bounds, rate, rising=False)
    if fall is None:
        fall = _ramp_span(sm, offset, rest_out, hold_out, bounds, rising=False)
    rise_start, rise_end = onset - rise / 2, onset + rise / 2
    fall_start, fall_end = offset - fall / 2, offset + fall / 2

    def median(first: float, last: float, keep: float) -> float:
        lo, hi = max(lower, int(np.ceil(first))), min(upper + 1, int(np.floor(last)) + 1)
        return _median(sm[lo:hi]) if hi - lo >= 0.2 * rate else keep

    return (
        median(rise_start - window, rise_start, rest_in),
        median(rise_end, min(rise_end + window, fall_start), hold_in),
        median(max(fall_start - window, rise_end), fall_start, hold_out),
        median(fall_end, fall_end + window, rest_out),
    )


def _fitted_span(
    blocks: NDArray[np.float64],
    centre: float,
    bounds: tuple[int, int],
    rate: float,
    *,
    rising: bool,
) -> float | None:
    """Duration (in samples) of the raised-cosine ramp centred on ``centre``, or ``None``.

    Fits ``a + b·S((t - centre) / d + 1/2)`` by least squares to the block means within a
    second either side of ``centre`` (no further than ``bounds``), where ``S`` is the
    raised-cosine step (0 before, ``(1 - cos πu) / 2`` across, 1 after) and ``a``, ``b`` the
    levels before the ramp and its change. For a given duration ``d`` the model is linear in
    ``a`` and ``b``, which the normal equations give in closed form, so the fit is a
    separable (variable projection) least squares: the residual sum of squares, with the
    best levels for each duration, is computed for 16 durations from 0.08 s to 3 s at once
    (a 16 × 201 array), and a parabola through the best and its neighbours, in log duration,
    refines the minimum. The whole ramp, not only its middle, and the plain block means, not
    a smoothed curve whose noise is correlated over half a second, make the duration far
    steadier than two threshold crossings of a noisy curve: the hold and rest levels read
    beside the ramp then come from the right seconds, as the half-amplitude definition has
    it. ``None`` when the window is shorter than 0.2 s or no duration gives a ramp going the
    right way.
    """
    lower, upper = bounds
    reach = _FIT_REACH_S * rate
    lo = max(lower, int(centre - reach))
    hi = min(upper + 1, int(centre + reach) + 1)
    if hi - lo < 0.2 * rate:
        return None
    y = blocks[lo:hi]
    durations = _FIT_DURATIONS_S * rate
    # cos(π·clip(u, 0, 1)), u = (t - centre) / d + 1/2: 1 before the ramp, -1 after it;
    # the step S is (1 - cos) / 2, so y ≈ a + b·S is y ≈ p + q·cos with b = -2q.
    phase = np.multiply.outer(np.pi / durations, np.arange(lo, hi, dtype=np.float64) - centre)
    phase += 0.5 * np.pi
    # Most of the window lies before or after the shorter ramps, where the cosine is exactly
    # 1 or -1: only the ramps themselves are worth a cosine.
    shape = np.where(phase <= 0.0, 1.0, -1.0)
    np.cos(phase, out=shape, where=(phase > 0.0) & (phase < np.pi))
    # Normal equations of y ≈ p + q·shape, per duration (one row each).
    n, total = float(y.size), float(y.sum())
    shape_sum = shape.sum(axis=1)
    shape_squares = np.einsum("ij,ij->i", shape, shape)
    shape_y = shape @ y
    determinant = n * shape_squares - shape_sum * shape_sum
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (n * shape_y - shape_sum * total) / determinant
        mean = (total - slope * shape_sum) / n
        # Residual sum of squares at the best levels, less the constant y·y.
        cost = -(mean * total + slope * shape_y)
    cost[~((slope < 0) if rising else (slope > 0)) | ~np.isfinite(cost)] = np.inf
    best = int(np.argmin(cost))
    if not np.isfinite(cost[best]):
        return None
    logs = np.log(durations)
    if 0 < best < durations.size - 1 and np.isfinite(cost[best - 1 : best + 2]).all():
        before, here, after = cost[best - 1], cost[best], cost[best + 1]
        curvature = before - 2.0 * here + after
        if curvature > 0:
            shift = 0.5 * (before - after) / curvature
            return float(np.exp(logs[best] + shift * (logs[1] - logs[0])))
    return float(durations[best])


def _ramp_span(
    sm: NDArray[np.float64],
    crossing: float,
    rest: float,
    hold: float,
    bounds: tuple[int, int],
    *,
    rising: bool,
) -> float:
    """Duration (in samples) of the raised-cosine ramp through ``crossing``, or 0."""
    lower, upper = bounds
    centre = min(max(round(crossing), lower), upper)
    low, high = rest + 0.2 * (hold - rest), rest + 0.8 * (hold - rest)
    before, after = sm[lower:centre], sm[centre : upper + 1]
    if rising:
        near_rest, near_hold = np.flatnonzero(before <= low), np.flatnonzero(after >= high)
    else:
        near_rest, near_hold = np.flatnonzero(after <= low), np.flatnonzero(before >= high)
    if near_rest.size == 0 or near_hold.size == 0:
        return 0.0
    if rising:
        span = (centre + int(near_hold[0])) - (lower + int(near_rest[-1]))
    else:
        span = (centre + int(near_rest[0])) - (lower + int(near_hold[-1]))
    return max(0.0, span / _RAMP_MIDDLE_SHARE)


def _body(above: NDArray[np.bool_], rate: float) -> tuple[int, int]:
    """First and last index of the stretches above the on level that last half a second.

    A blip of rest tone or a leftover artefact that pokes above the on level just before or
    after the contraction does not stretch it. Falls back to the longest stretch, or to the
    whole segment when nothing is above the on level.
    """
    padded = np.concatenate(([False], above, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    starts, stops = edges[0::2], edges[1::2] - 1
    if starts.size == 0:
        return 0, above.size - 1
    lengths = stops - starts + 1
    long_enough = np.flatnonzero(lengths >= _BODY_MIN_S * rate)
    if long_enough.size == 0:
        longest = int(np.argmax(lengths))
        return int(starts[longest]), int(stops[longest])
    return int(starts[long_enough[0]]), int(stops[long_enough[-1]])


def _hold_levels(
    sm: NDArray[np.float64], start: int, end: int, base_in: float, base_out: float, n: int
) -> tuple[float, float]:
    """The level of the hold just after the rise and just before the fall.

    The hold is where the envelope stays above three quarters of the way from rest to the top
    (its 90th percentile) of the first, or last, ``n`` samples: from the first such sample to
    the last. Its level is the median over up to ``n`` samples at either end of that span, so
    neither the ramps nor a fatiguing decline over a long hold pull it off.
    """
    top_in = _percentile(sm[start : start + n], _PLATEAU_PERCENTILE)
    top_out = _percentile(sm[end - n + 1 : end + 1], _PLATEAU_PERCENTILE)
    high_in = np.flatnonzero(sm[start : end + 1] >= base_in + _HOLD_SHARE * (top_in - base_in))
    high_out = np.flatnonzero(sm[start : end + 1] >= base_out + _HOLD_SHARE * (top_out - base_out))
    if high_in.size == 0 or high_out.size == 0:
        return top_in, top_out
    first, last = start + int(high_in[0]), start + int(high_out[-1])
    if last < first:
        return top_in, top_out
    level_in = _median(sm[first : min(first + n, last + 1)])
    level_out = _median(sm[max(first, last - n + 1) : last + 1])
    return level_in, level_out


def _fitted_crossing(
    sm: NDArray[np.float64],
    crossing: float,
    base: float,
    level: float,
    span: tuple[int, int],
    *,
    rising: bool,
) -> float:
    """Refine a half-amplitude crossing with a straight line through the whole ramp.

    One crossing of a noisy curve moves with the noise; the middle of a ramp, from 30 % to
    70 % of the way between rest and hold, is close to straight (a raised cosine's middle is),
    so a least-squares line through all of it crosses the half-way level far more steadily,
    and, being symmetric about that level, without bias. Keeps ``crossing`` when the ramp is
    too short to fit or the line does not cross near it.
    """
    lower, upper = span
    low = base + _RAMP_SHARE * (level - base)
    high = base + (1.0 - _RAMP_SHARE) * (level - base)
    centre = min(max(round(crossing), lower), upper)
    # Look no further than a few seconds either way: no ramp is longer.
    reach = _RAMP_REACH
    first_index, last_index = max(lower, centre - reach), min(upper, centre + reach)
    local = sm[first_index : last_index + 1]
    inside = (local >= min(low, high)) & (local <= max(low, high))
    at = centre - first_index
    if not inside[at]:
        if at > 0 and inside[at - 1]:
            at -= 1
        else:
            return crossing
    # The run of ``inside`` through ``at``: argmin finds the first False on either side.
    after = inside[at:]
    right = int(np.argmin(after))
    last = first_index + (at + right - 1 if not after[right] else local.size - 1)
    before = inside[at::-1]
    left = int(np.argmin(before))
    first = first_index + (at - left + 1 if not before[left] else 0)
    if last - first < 2:
        return crossing
    slope, intercept = _line(first, sm[first : last + 1])
    if slope == 0.0 or (slope > 0) != (rising == (level > base)):
        return crossing
    fitted = (base + 0.5 * (level - base) - intercept) / slope
    return float(fitted) if first - 1 <= fitted <= last + 1 else crossing


def _line(first: int, y: NDArray[np.float64]) -> tuple[float, float]:
    """Least-squares slope and intercept of ``y`` against its indices ``first, first + 1, ...``.

    The mean of consecutive whole numbers is exactly their middle, and a sum divided by the
    count is what ``mean`` computes, so both means are NumPy's without its overhead.
    """
    x_mean = first + (y.size - 1) / 2
    y_mean = float(y.sum()) / y.size
    dx = np.arange(y.size, dtype=np.float64)
    dx -= (y.size - 1) / 2
    slope = float(np.dot(dx, y - y_mean) / np.dot(dx, dx))
    return slope, y_mean - slope * x_mean


def _rising_crossing(
    sm: NDArray[np.float64], level: float, start: int, lower: int, upper: int
) -> float:
    """Fractional index where ``sm`` rises through ``level`` nearest to ``start``.

    Searched backwards from ``start`` (to ``lower``) when ``sm`` is already above the level
    there, else forwards (to ``upper``).
    """
    if sm[start] >= level:
        below = np.flatnonzero(sm[lower:start] < level)
        if below.size == 0:
            return float(lower)
        i = lower + int(below[-1])
        return _interpolate(i, sm[i], sm[i + 1], level)
    above = np.flatnonzero(sm[start : upper + 1] >= level)
    if above.size == 0:
        return float(start)
    i = start + int(above[0])
    return _interpolate(i - 1, sm[i - 1], sm[i], level)


def _falling_crossing(
    sm: NDArray[np.float64], level: float, end: int, lower: int, upper: int
) -> float:
    """Fractional index where ``sm`` falls through ``level`` nearest to ``end``.

    Searched forwards from ``end`` (to ``upper``) when ``sm`` is still above the level there,
    else backwards (to ``lower``).
    """
    if sm[end] >= level:
        below = np.flatnonzero(sm[end + 1 : upper + 1] < level)
        if below.size == 0:
            return float(upper + 1)
        j = end + 1 + int(below[0])
        return _interpolate(j - 1, sm[j - 1], sm[j], level)
    above = np.flatnonzero(sm[lower:end] >= level)
    if above.size == 0:
        return float(end)
    j = lower + int(above[-1])
    return _interpolate(j, sm[j], sm[j + 1], level)


def _median(values: NDArray[np.float64]) -> float:
    """``np.median`` of a short, finite, non-empty array, bit for bit, without its overhead.

    The measurement of one contraction takes a dozen medians of a few hundred values, and
    ``np.median``'s checks and axis handling cost several times the partition itself.
    """
    half = values.size // 2
    if values.size % 2:
        return float(np.partition(values, half)[half])
    part = np.partition(values, (half - 1, half))
    return (float(part[half - 1]) + float(part[half])) / 2.0


def _percentile(values: NDArray[np.float64], percent: float) -> float:
    """``np.percentile`` (linear method) of a short, finite, non-empty array, bit for bit.

    Same virtual index, same order statistics and the same two-sided interpolation as NumPy,
    which keeps the result identical, for a fraction of the cost on small arrays.
    """
    virtual = (values.size - 1) * (percent / 100.0)
    if virtual >= values.size - 1:
        return float(values.max())
    below = math.floor(virtual)
    part = np.partition(values, (below, below + 1))
    low, high = float(part[below]), float(part[below + 1])
    share = virtual - below
    difference = high - low
    if share >= 0.5:
        return high - difference * (1.0 - share)
    return low + difference * share


def _interpolate(i: int, a: float, b: float, level: float) -> float:
    """Fractional index between ``i`` (value ``a``) and ``i + 1`` (value ``b``) at ``level``."""
    if b == a:
        return float(i) + 0.5
    return float(i) + min(max((level - a) / (b - a), 0.0), 1.0)
