"""The RMS envelope of cleaned surface EMG: offline, streaming and decimated for display.

The envelope at a sample is the root mean square of the cleaned signal over a window (default
100 ms; clinical.md §6 advises 100–250 ms). ``"trailing"`` windows end at the sample (causal,
what a live display can show, delayed by half a window); ``"centered"`` windows are centred on
it (no delay, for offline analysis). At the edges, where the window reaches past the signal,
the mean is taken over the samples that exist, so the envelope does not ramp up from zero.

Artefact rejection (offline, ``reject_artefacts=True``): a motion spike or an electrode pop
throws a few samples to many times the EMG level, and the band-pass turns a pop's step into
ringing that lasts some tens of milliseconds, too long for the running median of the
contraction detector to remove on its own. Such samples are left out of the RMS windows
instead (see :func:`_reject_artefacts`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.ndimage import maximum_filter1d, median_filter

from pelvio._check import check_option, check_range, check_sampling_rate, check_signal
from pelvio.errors import SignalError
from pelvio.signals.filters import _chunk

__all__ = ["EnvelopeMethod", "StreamingEnvelope", "decimate_envelope", "emg_envelope"]

EnvelopeMethod = Literal["trailing", "centered"]

_MAX_WINDOW_S: Final = 10.0
_ARTEFACT_FACTOR: Final = 6.0
_RING_TAU_S: Final = 0.025
_NOTCH_RING_TAU_S: Final = 0.2
_NOTCH_RING_SHARE: Final = 0.04
_RING_MIN_S: Final = 0.01
_RING_MAX_S: Final = 0.5


def emg_envelope(
    cleaned_uv: ArrayLike,
    sampling_rate_hz: float,
    *,
    window_s: float = 0.1,
    method: EnvelopeMethod = "trailing",
    reject_artefacts: bool = False,
) -> NDArray[np.float64]:
    """Moving RMS of a cleaned EMG signal, as long as the input.

    Parameters
    ----------
    cleaned_uv
        Band-passed EMG in µV (see :func:`pelvio.signals.emg_clean`).
    sampling_rate_hz
        Samples per second.
    window_s
        Window length in seconds, rounded to whole samples (at least one).
    method
        ``"trailing"`` (causal, equal to :class:`StreamingEnvelope`) or ``"centered"``.
    reject_artefacts
        Leave out samples that lie beyond 6 times the local level (motion spikes, electrode
        pops; see the module notes). Offline only: the local level looks half a second ahead.

    Returns
    -------
    NDArray[np.float64]
        The envelope in µV.

    References
    ----------
    clinical.md §6 (rectify, RMS over about 100–250 ms).
    """
    check_option("method", method, ("trailing", "centered"))
    rate = check_sampling_rate(sampling_rate_hz)
    width = _window_samples(window_s, rate)
    x = check_signal("cleaned_uv", cleaned_uv)
    return _envelope(x, rate, width, method, reject_artefacts=reject_artefacts)


def _envelope(
    x: NDArray[np.float64],
    rate: float,
    width: int,
    method: EnvelopeMethod,
    *,
    reject_artefacts: bool,
) -> NDArray[np.float64]:
    """:func:`emg_envelope` on arguments already checked (``width`` in samples)."""
    before = width - 1 if method == "trailing" else (width - 1) // 2
    squares = np.square(x)
    envelope = _moving_rms(squares, width, before)
    if reject_artefacts:
        return _reject_artefacts(squares, envelope, rate, width, before)
    return envelope


class StreamingEnvelope:
    """Trailing moving RMS, chunk by chunk; equal to ``emg_envelope(..., method="trailing")``.

    Equal up to rounding: both sum squares over short stretches only (the offline version per
    window-long block, the stream over the last window and the chunk), so neither accumulates
    error over hours.

    Parameters
    ----------
    sampling_rate_hz
        Samples per second.
    window_s
        Window length in seconds.
    """

    __slots__ = ("_seen", "_tail", "_width", "sampling_rate_hz")

    def __init__(self, sampling_rate_hz: float, *, window_s: float = 0.1) -> None:
        self.sampling_rate_hz = check_sampling_rate(sampling_rate_hz)
        self._width = _window_samples(window_s, self.sampling_rate_hz)
        self._tail = np.zeros(0)
        self._seen = 0

    def process(self, chunk_uv: ArrayLike) -> NDArray[np.float64]:
        """Return the envelope for the next chunk of cleaned EMG (any length, also empty)."""
        x = _chunk(chunk_uv, "chunk_uv")
        if x.size == 0:
            return x.copy()
        width = self._width
        if width == 1:
            return np.abs(x)
        squares = np.concatenate((self._tail, x * x))
        if self._tail.size == width - 1:
            # Warmed up: every window is full. One running sum over the last window and the
            # chunk (a few hundred samples, so its rounding cannot grow) gives every sum.
            envelope = _full_window_rms(squares, width)
        else:
            envelope = _moving_rms(squares, width, width - 1)[self._tail.size :]
        self._seen += x.size
        self._tail = squares[max(0, squares.size - (width - 1)) :].copy()
        return envelope

    def reset(self) -> None:
        """Forget the past: the next chunk starts a new signal."""
        self._tail = np.zeros(0)
        self._seen = 0

    @staticmethod
    def process_many(
        envelopes: Sequence[StreamingEnvelope], chunks_uv: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """The next envelope chunk of several streams at once (row ``i`` for ``envelopes[i]``).

        Equal to calling :meth:`process` per stream. Streams whose window is full and equal
        share one vectorised pass; the others (just started) go one by one.
        """
        x = np.asarray(chunks_uv, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] != len(envelopes):
            raise SignalError(
                f"chunks_uv must have shape ({len(envelopes)}, n), got {x.shape}",
                field="chunks_uv",
            )
        if not envelopes or x.shape[1] == 0:
            return x.copy()
        width = envelopes[0]._width
        if width == 1 or any(e._width != width or e._tail.size != width - 1 for e in envelopes):
            return np.stack([e.process(row) for e, row in zip(envelopes, x, strict=True)])
        n = x.shape[1]
        squares = np.concatenate((np.stack([e._tail for e in envelopes]), x * x), axis=1)
        envelope = _full_window_rms(squares, width)
        for e, tail in zip(envelopes, squares[:, squares.shape[1] - (width - 1) :], strict=True):
            e._tail = tail.copy()
            e._seen += n
        return envelope


def _full_window_rms(squares: NDArray[np.float64], width: int) -> NDArray[np.float64]:
    """RMS over every full window of ``width`` along the last axis of ``squares``, which holds
    the last ``width - 1`` squares of the past and then the chunk's: one running sum over a
    few hundred samples, so its rounding cannot grow."""
    sums = np.cumsum(squares, axis=-1)
    window_sums = sums[..., width - 1 :].copy()
    window_sums[..., 1:] -= sums[..., : sums.shape[-1] - width]
    np.maximum(window_sums, 0.0, out=window_sums)
    window_sums /= width
    return np.sqrt(window_sums, out=window_sums)


def decimate_envelope(
    envelope_uv: ArrayLike, sampling_rate_hz: float, *, out_rate_hz: float = 50.0
) -> NDArray[np.float64]:
    """Reduce an envelope to ``out_rate_hz`` for display by averaging over each output period.

    Output sample ``k`` is the mean of the envelope over ``[k / out_rate_hz, (k + 1) /
    out_rate_hz)``, with partial samples weighted, so the rate is exact even when it does not
    divide ``sampling_rate_hz``. A trailing part shorter than one output period is dropped.

    Parameters
    ----------
    envelope_uv
        Envelope in µV.
    sampling_rate_hz
        Its sampling rate.
    out_rate_hz
        The display rate; at most ``sampling_rate_hz``.

    Returns
    -------
    NDArray[np.float64]
        ``floor(len * out_rate_hz / sampling_rate_hz)`` samples.
    """
    rate = check_sampling_rate(sampling_rate_hz)
    out_rate = check_range(
        "out_rate_hz", out_rate_hz, low=0.0, high=rate, low_inclusive=False, unit="Hz"
    )
    x = check_signal("envelope_uv", envelope_uv)
    step = rate / out_rate
    n_out = int(np.floor(x.size / step + 1e-9))
    if n_out == 0:
        return np.zeros(0)
    sums = np.empty(x.size + 1)
    sums[0] = 0.0
    np.cumsum(x, out=sums[1:])
    edges = np.minimum(np.arange(n_out + 1) * step, x.size)
    # The running sum is piecewise linear between samples; interpolate it at the edges.
    integral = np.interp(edges, np.arange(x.size + 1, dtype=np.float64), sums)
    return np.asarray(np.diff(integral) / step, dtype=np.float64)


def _window_samples(window_s: float, rate: float) -> int:
    seconds = check_range(
        "window_s", window_s, low=0.0, high=_MAX_WINDOW_S, low_inclusive=False, unit="s"
    )
    return max(1, round(seconds * rate))


def _moving_rms(squares: NDArray[np.float64], width: int, before: int) -> NDArray[np.float64]:
    """Root of the mean of ``squares`` over ``[i - before, i - before + width)`` at each ``i``.

    Windows cut off by either end average over the samples that exist.
    """
    n = squares.size
    after = width - 1 - before
    mean_square = _moving_sum(squares, width, before)
    first, last = before, n - 1 - after
    if last >= first:
        mean_square[first : last + 1] /= width
    edges = np.r_[0 : min(first, n), max(last + 1, first, 0) : n]
    if edges.size:
        mean_square[edges] /= np.minimum(edges + after + 1, n) - np.maximum(edges - before, 0)
    # Rounding can leave a sum a hair below zero only for signals that are zero there.
    np.maximum(mean_square, 0.0, out=mean_square)
    return np.sqrt(mean_square, out=mean_square)


def _moving_sum(values: NDArray[np.float64], width: int, before: int) -> NDArray[np.float64]:
    """Sum of ``values`` over ``[i - before, i - before + width)``, zero outside the signal.

    Running sums restart every ``width`` samples (after van Herk 1992 and Gil & Werman 1993):
    a window is the tail of one block (its total less its head) plus the head of the next, so
    no sum runs over more than a block and rounding cannot build up over an hour-long
    recording, as it would in one long running sum.
    """
    n = values.size
    blocks = -(-(n + width - 1) // width) + 1
    padded = np.zeros(blocks * width)
    padded[before : before + n] = values
    heads = padded.reshape(blocks, width)
    np.cumsum(heads, axis=1, out=heads)  # in place: ``padded`` now holds the block heads
    totals = heads[:, -1].copy()
    # Window s: total of its block, less the head before s, plus the next block's head.
    sums = np.repeat(totals, width)[:n]
    sums[1:] -= padded[: n - 1]
    sums += padded[width - 1 : width - 1 + n]
    sums[0::width] = totals[: -(-n // width)]
    return sums


def _reject_artefacts(
    squares: NDArray[np.float64],
    envelope: NDArray[np.float64],
    rate: float,
    width: int,
    before: int,
) -> NDArray[np.float64]:
    """Recompute ``envelope`` without the samples an artefact has thrown far out.

    A sample is an artefact when it exceeds ``_ARTEFACT_FACTOR`` times the local level: the
    running median of the envelope over 1 s (which a burst of less than half a second cannot
    move), raised to its maximum within half a second either side (so the start of a real
    contraction is judged against the contraction, not against the rest before it). Gaussian
    EMG passes 6 × its RMS about twice in a billion samples. Around each artefact the filters
    ring. The 20 Hz high-pass rings down with a time constant of about 21 ms; a mains notch of
    quality 30 rings at the mains frequency with a time constant of Q / (pi f), about 0.2 s,
    starting at roughly 2 % of the artefact's peak (a step of height h leaves about h · 2 Δf /
    (2 pi f) at f). Samples are left out either side for the longer of ``25 ms × ln(peak /
    level)`` and ``0.2 s × ln(0.04 × peak / level)`` (10–500 ms): until the ringing has sunk
    below the EMG, or half of it. Windows that lose more than half their samples are bridged
    by linear interpolation.
    """
    n = squares.size
    size = max(1, int(rate // 100))
    whole = n // size
    if whole < 3:
        return envelope
    block_level = envelope[: whole * size].reshape(whole, size).mean(axis=1)
    second = _odd_samples(rate / size)
    local = maximum_filter1d(median_filter(block_level, size=second, mode="nearest"), second)
    limit = np.square(_ARTEFACT_FACTOR * np.maximum(local, np.finfo(np.float64).tiny))
    block_peak = squares[: whole * size].reshape(whole, size).max(axis=1)
    suspect = np.flatnonzero(block_peak > limit)
    if suspect.size == 0:
        return envelope
    stretches = _artefact_stretches(squares, suspect, limit, size, rate)
    after = width - 1 - before
    out = envelope  # ours to change: emg_envelope made it
    for start, stop in _merge([(a - after, b + before) for a, b in stretches], n):
        lo, hi = max(0, start - before), min(n, stop + after)
        keep = np.ones(hi - lo)
        for a, b in stretches:
            keep[max(a, lo) - lo : max(min(b, hi), lo) - lo] = 0.0
        total = _moving_sum(squares[lo:hi] * keep, width, before)[start - lo : stop - lo]
        count = _moving_sum(keep, width, before)[start - lo : stop - lo]
        # A window left with less than half its samples would show little but the ringing
        # at the edge of the gap: bridge it instead, between the windows either side.
        count[count < 0.5 * width] = np.nan
        part = np.sqrt(np.maximum(total, 0.0) / count)
        gaps = ~np.isfinite(part)
        if gaps.any():
            known = np.flatnonzero(~gaps)
            if known.size == 0:
                left = out[start - 1] if start > 0 else np.nan
                right = out[stop] if stop < n else np.nan
                part[:] = np.nanmean([left, right]) if np.isfinite([left, right]).any() else 0.0
            else:
                index = np.arange(part.size)
                part[gaps] = np.interp(index[gaps], known, part[known])
        out[start:stop] = part
    return out


def _artefact_stretches(
    squares: NDArray[np.float64],
    suspect: NDArray[np.intp],
    limit: NDArray[np.float64],
    size: int,
    rate: float,
) -> list[tuple[int, int]]:
    """``[start, stop)`` stretches to leave out: each artefact plus its ringing."""
    hits = [
        k * size + np.flatnonzero(squares[k * size : (k + 1) * size] > limit[k])
        for k in suspect.tolist()
    ]
    bad = np.concatenate(hits)
    breaks = np.flatnonzero(np.diff(bad) > round(_RING_MIN_S * rate)) + 1
    stretches: list[tuple[int, int]] = []
    for run in np.split(bad, breaks):
        first, last = int(run[0]), int(run[-1])
        level_squared = float(limit[min(first // size, limit.size - 1)]) / _ARTEFACT_FACTOR**2
        peak_squared = float(squares[first : last + 1].max())
        excess = max(math.sqrt(peak_squared / level_squared), 1.0)
        ring = round(_ring_s(excess) * rate)
        stretches.append((max(0, first - ring), min(squares.size, last + 1 + ring)))
    return _merge(stretches, squares.size)


def _merge(stretches: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """Union of ``[start, stop)`` stretches, clipped to ``[0, n)``, in order."""
    merged: list[tuple[int, int]] = []
    for start, stop in sorted((max(0, a), min(n, b)) for a, b in stretches):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
        else:
            merged.append((start, stop))
    return merged


def _block_envelope(
    sums: NDArray[np.float64],
    peaks: NDArray[np.float64],
    n: int,
    rate: float,
    window_s: float,
) -> tuple[NDArray[np.float64], float, float]:
    """The artefact-rejected RMS envelope at about 100 samples/s, for the analysis.

    From the sum and the largest of the squared samples in each block of ``rate // 100``
    samples (``sums``, ``peaks``; ``n`` samples in all): value ``k`` is the RMS over the
    ``window_s`` of whole blocks around block ``k``. Artefacts are left out as in
    :func:`_reject_artefacts`, a whole block at a time: a block whose largest sample passes
    the limit goes, with its neighbours for the ringing.

    Returns
    -------
    (envelope, block_rate_hz, first_s)
        ``first_s`` is the time of value 0: the centre of its window.
    """
    size = max(1, int(rate // 100))
    count = sums.size
    weights = np.full(count, float(size))
    weights[-1] = n - (count - 1) * size
    blocks = max(1, round(window_s * rate / size))
    lead = blocks // 2
    envelope = _window_rms(sums, weights, blocks, lead)
    block_rate = rate / size
    first_s = ((blocks / 2 - lead) * size - 0.5) / rate
    if count < 3:
        return envelope, block_rate, first_s
    step, coarse_limit = _coarse_limit(envelope, block_rate)
    bad = np.flatnonzero(peaks > np.repeat(coarse_limit, step)[: peaks.size])
    if bad.size == 0:
        return envelope, block_rate, first_s
    del envelope  # replaced below; an hour's is 3 MB more at the analysis's peak
    # ``sums`` is the caller's to give up: the analysis has no further use for it.
    for run in np.split(bad, np.flatnonzero(np.diff(bad) > 1) + 1):
        first, last = int(run[0]), int(run[-1])
        level_squared = float(coarse_limit[first // step]) / _ARTEFACT_FACTOR**2
        excess = max(float(np.sqrt(peaks[first : last + 1].max() / level_squared)), 1.0)
        ring = round(_ring_s(excess) * block_rate)
        sums[max(0, first - ring) : last + ring + 1] = 0.0
        weights[max(0, first - ring) : last + ring + 1] = 0.0
    return _window_rms(sums, weights, blocks, lead), block_rate, first_s


def _ring_s(excess: float) -> float:
    """How long the filters ring after an artefact ``excess`` times the EMG level (notes of
    :func:`_reject_artefacts`)."""
    ring_s = max(
        _RING_TAU_S * math.log(excess),
        _NOTCH_RING_TAU_S * math.log(max(_NOTCH_RING_SHARE * excess, 1.0)),
        _RING_MIN_S,
    )
    return min(ring_s, _RING_MAX_S)


def _coarse_limit(envelope: NDArray[np.float64], rate: float) -> tuple[int, NDArray[np.float64]]:
    """``(step, limit)``: the artefact limit on squared samples, one value per ``step``
    envelope samples."""
    step, coarse = _coarse_level(envelope, rate)
    return step, np.square(_ARTEFACT_FACTOR * coarse)


def _coarse_level(envelope: NDArray[np.float64], rate: float) -> tuple[int, NDArray[np.float64]]:
    """The local EMG level: a running median over 1 s, raised to its maximum within half a
    second either side; on tenth-of-a-second means (``step`` samples each), to be cheap.
    Covers the envelope: the last value stands for a last partial tenth too."""
    step = max(1, round(rate / 10))
    count = -(-envelope.size // step)
    padded = np.full(count * step, envelope[-1])
    padded[: envelope.size] = envelope
    coarse = padded.reshape(count, step).mean(axis=1)
    if count >= 3:
        second = _odd_samples(rate / step)
        coarse = maximum_filter1d(median_filter(coarse, size=second, mode="nearest"), second)
    else:
        coarse = np.full(count, float(np.median(envelope)))
    return step, np.maximum(coarse, np.finfo(np.float64).tiny)


def _window_rms(
    sums: NDArray[np.float64], weights: NDArray[np.float64], blocks: int, lead: int
) -> NDArray[np.float64]:
    """RMS over ``blocks`` blocks from ``k - lead`` for each block ``k``; windows left with
    less than half their samples are bridged by interpolation."""
    # A window is a few blocks: summing them directly is exact and needs no running sums.
    kernel = np.ones(blocks)
    start = blocks - 1 - lead
    total = np.convolve(sums, kernel)[start : start + sums.size]
    counted = np.convolve(weights, kernel)[start : start + sums.size]
    full = float(np.max(weights)) * blocks
    thin = counted < 0.5 * min(full, float(weights.sum()))
    with np.errstate(invalid="ignore", divide="ignore"):
        np.maximum(total, 0.0, out=total)
        total /= counted
        rms = np.sqrt(total, out=total)
    del counted
    if thin.any() and not thin.all():
        # Each thin window needs only the kept windows either side of it, which give
        # np.interp the same bracket, and the same value, as all of them would.
        missing = np.flatnonzero(thin)
        kept = np.flatnonzero(~thin)
        after = np.searchsorted(kept, missing)
        near = kept[np.unique(np.concatenate((np.maximum(after - 1, 0), after[after < kept.size])))]
        del kept
        rms[missing] = np.interp(missing, near, rms[near])
    return rms


def _odd_samples(samples: float) -> int:
    count = max(1, round(samples))
    return count if count % 2 else count + 1
