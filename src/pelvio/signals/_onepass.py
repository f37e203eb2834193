"""One lean pass over a long EMG recording: zero-phase cleaning, block energies, spectra.

The analysis needs three things from the cleaned signal: the sum and the largest of the
squared samples in each 10 ms block (for the envelope and the artefact search) and the Welch
spectrum of each phase (for the median frequency). This module computes them while cleaning,
a chunk at a time, without ever holding the cleaned signal: an hour at 2 kHz would take 58 MB
in double precision, and the recording itself already takes as much.

Zero-phase filtering keeps the whole forward pass for the backward one. On a long recording
(over 2**22 samples, 35 minutes at 2 kHz) the forward pass keeps only the filter's state at
the start of each chunk instead; the backward pass, running from the end, filters each chunk
forward again from its saved state, then backward: a quarter more work for 58 MB less per
hour. Either way the cleaned signal is, bit for bit, what :func:`scipy.signal.sosfiltfilt`
gives (odd padding of SciPy's default length).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from scipy import signal as sps
from scipy.signal import get_window

from pelvio.signals.filters import _sosfilt_in_place

__all__ = ["Energies", "Span", "clean_pass"]

_CHUNK_BLOCKS: Final = 4096
_KEEP_FORWARD: Final = 1 << 22
_BATCH: Final = 256


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of samples ``[start, stop)`` whose Welch spectrum is wanted."""

    start: int
    stop: int
    nperseg: int
    step: int


@dataclass(frozen=True, slots=True)
class Energies:
    """Per block of ``size`` samples: sum and largest of the squares; per span: a spectrum."""

    size: int
    sums: NDArray[np.float64]
    peaks: NDArray[np.float64]
    spectra: tuple[tuple[NDArray[np.float64], NDArray[np.float64]] | None, ...]


def clean_pass(
    x: NDArray[np.float64],
    rate: float,
    sos: NDArray[np.float64],
    *,
    size: int,
    spans: Sequence[Span],
    padlen: int,
) -> Energies:
    """Clean ``x`` with ``sos`` forward and backward and gather the block energies and span
    spectra on the way (module notes). ``x`` must be longer than ``padlen``."""
    n = x.size
    count = -(-n // size)
    chunk = min(_CHUNK_BLOCKS * size, n)
    zi = np.asarray(sps.sosfilt_zi(sos), dtype=np.float64)
    left = 2.0 * x[0] - x[padlen:0:-1]
    right = 2.0 * x[-1] - x[-2 : -padlen - 2 : -1]

    state = zi * left[0]
    _sosfilt_in_place(sos, left, state)
    starts = range(0, n, chunk)
    saved: list[NDArray[np.float64]] = []
    # Up to 35 minutes at 2 kHz the forward pass is kept (at most 32 MB); beyond, it is
    # filtered again chunk by chunk from the saved states. Both give the same numbers.
    kept = np.empty(n) if n <= _KEEP_FORWARD else None
    work = np.empty(chunk)
    for start in starts:
        part = x[start : start + chunk]
        if kept is None:
            saved.append(state.copy())
            forward = work[: part.size]
        else:
            forward = kept[start : start + chunk]
        forward[...] = part
        _sosfilt_in_place(sos, forward, state)
    _sosfilt_in_place(sos, right, state)
    back = zi * right[-1]
    tail = right[::-1].copy()
    _sosfilt_in_place(sos, tail, back)

    sums = np.empty(count)
    peaks = np.empty(count)
    scratch: dict[int, _Scratch] = {}
    spectra = [_Welch(span, scratch) for span in spans]
    longest = max((span.nperseg for span in spans), default=1)
    # ``reach`` holds a chunk's cleaned samples and, after them, the first ``longest - 1``
    # of the chunk after it, which the spectra of segments crossing into it need.
    reach = np.empty(chunk + longest - 1)
    squares = np.empty(chunk)
    reverse = np.empty(chunk)
    following = 0
    for start in reversed(starts):
        m = min(chunk, n - start)
        if kept is None:
            forward = work[:m]
            forward[...] = x[start : start + m]
            _sosfilt_in_place(sos, forward, saved.pop())
        else:
            forward = kept[start : start + m]
        backward = reverse[:m]
        backward[...] = forward[::-1]
        _sosfilt_in_place(sos, backward, back)
        if following:
            reach[m : m + following] = reach[:following]
        cleaned = reach[:m]
        cleaned[...] = backward[::-1]
        square = np.multiply(cleaned, cleaned, out=squares[:m])
        whole = m // size
        first = start // size
        grid = square[: whole * size].reshape(whole, size)
        grid.sum(axis=1, out=sums[first : first + whole])
        _row_max(grid, peaks[first : first + whole])
        if m > whole * size:
            sums[first + whole] = square[whole * size :].sum()
            peaks[first + whole] = square[whole * size :].max()
        for welch in spectra:
            welch.add(reach[: m + following], start, start + m)
        following = min(longest - 1, m)
    return Energies(size, sums, peaks, tuple(w.result(rate) for w in spectra))


def _row_max(grid: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    """The largest of each row of ``grid`` into ``out``, a column at a time.

    ``max(axis=1)`` over rows of a few tens of samples spends its time starting a reduction
    per row; comparing whole columns is a fraction of that, and a maximum does not depend on
    the order it is taken in.
    """
    if grid.shape[0] == 0:
        return
    np.copyto(out, grid[:, 0])
    for column in range(1, grid.shape[1]):
        np.maximum(out, grid[:, column], out=out)


class _Scratch:
    """Work arrays for a batch of segments of one length, shared by the spans that have it.

    Fresh arrays of a few MB per batch cost more in page faults than the arithmetic on them
    (a new large array is mapped anew and touched page by page); these are touched once.
    """

    __slots__ = ("spectra", "windowed")

    def __init__(self, nperseg: int) -> None:
        self.windowed = np.empty((_BATCH, nperseg))
        self.spectra = np.empty((_BATCH, nperseg // 2 + 1), dtype=np.complex128)


class _Welch:
    """A Welch spectrum of one span, summed a chunk at a time (any order).

    Each segment's mean is removed in the frequency domain: the transform is linear, so that
    of ``(s - m)·w`` is that of ``s·w`` less ``m`` times that of the window, and a Hann
    window's transform is zero beyond bin 1. Two bins are corrected instead of a pass over
    every sample; the spectrum differs from the time-domain removal by rounding only.
    """

    __slots__ = (
        "_power",
        "_scratch",
        "_segments",
        "_starts",
        "_window",
        "_window_spectrum",
        "span",
    )

    def __init__(self, span: Span, scratch: dict[int, _Scratch]) -> None:
        self.span = span
        last = span.stop - span.nperseg
        self._starts = np.arange(span.start, last + 1, span.step, dtype=np.int64)
        self._window = np.asarray(get_window("hann", span.nperseg), dtype=np.float64)
        self._window_spectrum = np.fft.rfft(self._window)[:2]
        self._power = np.zeros(span.nperseg // 2 + 1)
        self._segments = 0
        self._scratch: _Scratch | None = None
        if self._starts.size:  # spans of one segment length share their work arrays
            if span.nperseg not in scratch:
                scratch[span.nperseg] = _Scratch(span.nperseg)
            self._scratch = scratch[span.nperseg]

    def add(self, reach: NDArray[np.float64], start: int, stop: int) -> None:
        """Add the segments that start in ``[start, stop)``; ``reach`` holds the cleaned
        samples from ``start`` on, far enough past ``stop`` to finish them."""
        lo, hi = (int(i) for i in np.searchsorted(self._starts, [start, stop]))
        scratch = self._scratch
        if hi <= lo or scratch is None:
            return
        step = self.span.step
        # Segments start every ``step`` samples: a strided view, not a gathered copy.
        windows = sliding_window_view(reach, self.span.nperseg)
        for first in range(lo, hi, _BATCH):
            taken = min(hi, first + _BATCH) - first
            offset = int(self._starts[first]) - start
            segments = windows[offset : offset + step * (taken - 1) + 1 : step]
            means = segments.mean(axis=1)
            windowed = np.multiply(segments, self._window, out=scratch.windowed[:taken])
            spectra = np.fft.rfft(windowed, axis=1, out=scratch.spectra[:taken])
            spectra[:, :2] -= np.multiply.outer(means, self._window_spectrum)
            parts = spectra.view(np.float64)
            squares = np.einsum("ij,ij->j", parts, parts)
            self._power += squares[0::2] + squares[1::2]
            self._segments += taken

    def result(self, rate: float) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
        """Frequencies and the one-sided power, or ``None`` for a span without a segment."""
        if self._segments == 0:
            return None
        power = self._power / self._segments
        nperseg = self.span.nperseg
        power[1 : power.size - (1 - nperseg % 2)] *= 2.0
        freqs = np.asarray(np.fft.rfftfreq(nperseg, d=1.0 / rate), dtype=np.float64)
        return freqs, power
