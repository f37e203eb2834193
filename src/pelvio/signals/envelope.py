"""The RMS envelope of cleaned surface EMG: offline, streaming and decimated for display.

The envelope at a sample is the root mean square of the cleaned signal over a window (default
100 ms; clinical.md §6 advises 100–250 ms). ``"trailing"`` windows end at the sample (causal,
what a live display can show, delayed by half a window); ``"centered"`` windows are centred on
it (no delay, for offline analysis). At the edges, where the window reaches past the signal,
the mean is taken over the samples that exist, so the envelope does not ramp up from zero.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pelvio._check import check_option, check_range, check_sampling_rate, check_signal
from pelvio.signals.filters import _chunk

__all__ = ["EnvelopeMethod", "StreamingEnvelope", "decimate_envelope", "emg_envelope"]

EnvelopeMethod = Literal["trailing", "centered"]

_MAX_WINDOW_S: Final = 10.0


def emg_envelope(
    cleaned_uv: ArrayLike,
    sampling_rate_hz: float,
    *,
    window_s: float = 0.1,
    method: EnvelopeMethod = "trailing",
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
    before = width - 1 if method == "trailing" else (width - 1) // 2
    return _moving_rms(np.square(x), width, before)


class StreamingEnvelope:
    """Trailing moving RMS, chunk by chunk; equal to ``emg_envelope(..., method="trailing")``.

    Equal up to rounding (well within 1e-9 µV): the offline version sums over the whole
    signal, the stream over the last window only, so it does not accumulate error over hours.

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
        squares = np.concatenate((self._tail, np.square(x)))
        envelope = _moving_rms(squares, self._width, self._width - 1)[self._tail.size :]
        self._seen += x.size
        self._tail = squares[max(0, squares.size - (self._width - 1)) :].copy()
        return envelope

    def reset(self) -> None:
        """Forget the past: the next chunk starts a new signal."""
        self._tail = np.zeros(0)
        self._seen = 0


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

    Windows cut off by either end average over the samples that exist. The window sums come
    from running sums restarted every ``width`` samples, forward and backward (van Herk 1992;
    Gil & Werman 1993): each sum adds only samples of its own window, so a huge artefact
    cannot leave rounding error in the quiet windows after it, as one long running sum would.
    """
    n = squares.size
    after = width - 1 - before
    blocks = -(-(n + width - 1) // width)
    padded = np.zeros(blocks * width)
    padded[before : before + n] = squares
    grid = padded.reshape(blocks, width)
    forward = np.cumsum(grid, axis=1).ravel()
    backward = np.cumsum(grid[:, ::-1], axis=1)[:, ::-1]
    backward[:, 0] = 0.0  # a window starting on a block edge is the forward sum alone
    mean_square = forward[width - 1 : width - 1 + n]
    mean_square += backward.ravel()[:n]
    first, last = before, n - 1 - after
    if last >= first:
        mean_square[first : last + 1] /= width
    edges = np.r_[0 : min(first, n), max(last + 1, first, 0) : n]
    if edges.size:
        mean_square[edges] /= np.minimum(edges + after + 1, n) - np.maximum(edges - before, 0)
    # Rounding can leave a sum a hair below zero only for signals that are zero there.
    np.maximum(mean_square, 0.0, out=mean_square)
    return np.sqrt(mean_square, out=mean_square)
