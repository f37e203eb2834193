"""Welch power spectra, lean enough for hour-long recordings.

:func:`scipy.signal.welch` spends most of its time on bookkeeping for a 2 kHz recording; this
is the same estimator (Hann window, mean removed per segment, half-overlapping segments,
averaged one-sided periodograms, Welch 1967) in a few array operations. Only the shape of the
spectrum matters here (hum detection, median frequency), so it is left unscaled.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from scipy import fft
from scipy.signal import get_window

__all__ = ["median_frequency_of", "welch_psd"]

_BATCH: Final = 256


def welch_psd(
    x: NDArray[np.floating[Any]],
    rate: float,
    *,
    nperseg: int,
    starts: NDArray[np.int64] | None = None,
    overlap: bool = True,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Frequencies and an unscaled one-sided Welch power spectrum of ``x``.

    ``starts`` picks the segments' first samples; otherwise segments overlap by half, or
    follow each other with ``overlap=False``. ``x`` must hold at least ``nperseg`` samples.
    Segments are transformed a batch at a time, so an hour-long stretch never needs its
    spectra all at once.
    """
    if starts is None:
        step = nperseg - nperseg // 2 if overlap else nperseg
        starts = np.arange(0, x.size - nperseg + 1, step, dtype=np.int64)
    window = np.asarray(get_window("hann", nperseg), dtype=np.float64)
    power = np.zeros(nperseg // 2 + 1)
    # Rows of a strided view, picked by their start, rather than every sample gathered
    # through an index array of segments × nperseg.
    windows = sliding_window_view(x, nperseg)
    for first in range(0, starts.size, _BATCH):
        segments = np.asarray(windows[starts[first : first + _BATCH]], dtype=np.float64)
        segments -= segments.mean(axis=1, keepdims=True)
        segments *= window
        spectra = fft.rfft(segments, axis=1, overwrite_x=True)
        power += (spectra.real**2 + spectra.imag**2).sum(axis=0)
    power /= max(starts.size, 1)
    # One-sided: every frequency but 0 (and Nyquist, for an even length) holds its mirror too.
    power[1 : power.size - (1 - nperseg % 2)] *= 2.0
    freqs = np.asarray(np.fft.rfftfreq(nperseg, d=1.0 / rate), dtype=np.float64)
    return freqs, power


def median_frequency_of(freqs: NDArray[np.float64], psd: NDArray[np.float64]) -> float | None:
    """The frequency that halves the power of ``psd``, or ``None`` for a spectrum with none.

    Each bin's power is spread evenly over the bin, so a peak centred on a bin gives that
    bin's frequency exactly rather than its edge.
    """
    total = float(psd.sum())
    if not np.isfinite(total) or total <= 0.0:
        return None
    cumulative = np.cumsum(psd)
    k = int(np.searchsorted(cumulative, total / 2.0))
    k = min(k, psd.size - 1)
    before = float(cumulative[k - 1]) if k > 0 else 0.0
    width = float(freqs[1] - freqs[0]) if freqs.size > 1 else 0.0
    share = (total / 2.0 - before) / float(psd[k]) if psd[k] > 0 else 0.5
    return max(0.0, float(freqs[k]) - width / 2.0 + width * share)
