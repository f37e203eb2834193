"""Filters for pelvic floor surface EMG and pressure: offline zero-phase and streaming causal.

EMG conditioning follows clinical.md §6: a Butterworth band-pass of 20–450 Hz (which needs a
sampling rate of at least 1 kHz) and a notch at the mains frequency and its harmonics. The
100 Hz high-pass of some general-purpose toolkits is avoided on purpose, because much pelvic
floor EMG power lies between 20 and 150 Hz.

Every filter is one array of second-order sections (SOS). The offline functions run it forward
and backward (:func:`scipy.signal.sosfiltfilt`, zero phase, for analysis) or forward only
(:func:`scipy.signal.sosfilt`, causal). The streaming classes keep the filter state between
chunks, so a signal fed chunk by chunk gives bit for bit the one-shot causal result.

Mains harmonics
---------------
The fundamental is always notched when ``mains_hz`` is given. Harmonics (100, 150, ... Hz for
50 Hz mains) are handled by ``harmonics``:

``"detect"`` (offline default)
    Notch a harmonic only where it is present: where the Welch spectrum of the recording at that
    harmonic stands more than 6 dB (4×) above the median of the spectrum 5–15 Hz either side.
    Notching every harmonic blindly would cut EMG power (and shift the median frequency) at
    frequencies that carry no hum.
``"all"`` (streaming default)
    Notch every harmonic below the upper band edge. A stream cannot look ahead to see which
    harmonics are present, and a live curve loses little from a few extra narrow notches.
``"fundamental"``
    Notch the mains frequency only.

Each notch is :func:`scipy.signal.iirnotch` with quality factor 30 (bandwidth f/30).

Pressure
--------
Pressure (cmH2O) is smoothed by a Butterworth low-pass (default 5 Hz). An optional first-order
drift high-pass removes slow probe drift for display, but it is off by default: any high-pass
bends long holds (at 0.01 Hz a 60 s endurance hold loses almost all of its height), so the
analysis measures squeeze against the resting pressure tracked between contractions instead
(clinical.md §7).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Final, Literal, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import signal as sps

from pelvio._check import check_option, check_range, check_sampling_rate, check_signal
from pelvio.errors import InputError, SignalError
from pelvio.signals._spectrum import welch_psd

__all__ = [
    "DEFAULT_BAND_HZ",
    "EmgFilter",
    "FilterMethod",
    "Harmonics",
    "PressureFilter",
    "emg_clean",
    "min_emg_sampling_rate_hz",
    "pressure_clean",
]

FilterMethod = Literal["zero-phase", "causal"]
Harmonics = Literal["detect", "all", "fundamental"]
StreamHarmonics = Literal["all", "fundamental"]

DEFAULT_BAND_HZ: Final[tuple[float, float]] = (20.0, 450.0)
_BANDPASS_ORDER: Final = 4
_NOTCH_Q: Final = 30.0
# The upper band edge may reach 90 % of Nyquist: 450 Hz then needs 1000 Hz (clinical.md §6).
_MAX_EDGE_FRACTION_OF_RATE: Final = 0.45
_HARMONIC_RATIO: Final = 4.0
_HARMONIC_SIDE_HZ: Final = (5.0, 15.0)
_HARMONIC_MAX_SEGMENTS: Final = 64
_PRESSURE_LOWPASS_ORDER: Final = 4
_METHODS: Final = ("zero-phase", "causal")
_CHUNK: Final = 1 << 16


def emg_clean(
    signal_uv: ArrayLike,
    sampling_rate_hz: float,
    *,
    band_hz: tuple[float, float] = DEFAULT_BAND_HZ,
    mains_hz: float | None = 50.0,
    harmonics: Harmonics = "detect",
    method: FilterMethod = "zero-phase",
) -> NDArray[np.float64]:
    """Band-pass and notch a raw surface EMG signal.

    Parameters
    ----------
    signal_uv
        Raw EMG in µV, one channel.
    sampling_rate_hz
        Samples per second; at least ``band_hz[1] / 0.45`` (1000 Hz for the default band).
    band_hz
        Pass band of the 4th-order Butterworth band-pass, in Hz.
    mains_hz
        Mains frequency to notch (50 in Europe, 60 in the Americas); ``None`` for no notch.
    harmonics
        Which mains harmonics to notch: ``"detect"``, ``"all"`` or ``"fundamental"`` (see the
        module notes).
    method
        ``"zero-phase"`` (forward and backward, no delay, for offline analysis) or ``"causal"``
        (forward only, the same result as :class:`EmgFilter` run chunk by chunk).

    Returns
    -------
    NDArray[np.float64]
        The cleaned signal in µV, as long as the input.

    Raises
    ------
    SignalError
        For an empty, flat, non-finite or too short signal, or a sampling rate too low for
        the band.
    InputError
        For an unknown ``method`` or ``harmonics`` or a band or mains frequency out of range.

    References
    ----------
    clinical.md §6 (band 20–450 Hz, mains notch with harmonics where present).
    """
    check_option("method", method, _METHODS)
    check_option("harmonics", harmonics, ("detect", "all", "fundamental"))
    rate = _emg_rate(sampling_rate_hz, band_hz)
    low, high = _check_band(band_hz)
    mains = _check_mains(mains_hz, rate)
    x = check_signal("signal_uv", signal_uv, min_samples=1, allow_constant=False)
    return _emg_clean(x, rate, (low, high), mains, harmonics, method)


def _emg_filter_sos(
    x: NDArray[np.float64], rate: float, mains: float | None
) -> NDArray[np.float64]:
    """The default band and the mains notches ``emg_clean`` would use on ``x``."""
    low, high = DEFAULT_BAND_HZ
    return _emg_sos(rate, low, high, _notch_frequencies(mains, high, "detect", x, rate))


def _emg_clean(
    x: NDArray[np.float64],
    rate: float,
    band: tuple[float, float],
    mains: float | None,
    harmonics: Harmonics,
    method: FilterMethod,
) -> NDArray[np.float64]:
    """:func:`emg_clean` on arguments already checked."""
    notches = _notch_frequencies(mains, band[1], harmonics, x, rate)
    sos = _emg_sos(rate, band[0], band[1], notches)
    return _run(sos, x, method, "signal_uv")


class EmgFilter:
    """Streaming EMG band-pass and notch that keeps its state between chunks.

    Feeding a signal chunk by chunk to :meth:`process` gives bit for bit what
    ``emg_clean(signal, rate, method="causal", harmonics=...)`` gives in one go. The filter
    state starts at the steady state of the first sample, so an electrode offset does not ring.

    Parameters
    ----------
    sampling_rate_hz
        Samples per second; at least ``band_hz[1] / 0.45``.
    band_hz
        Pass band in Hz.
    mains_hz
        Mains frequency to notch, or ``None``.
    harmonics
        ``"all"`` (every harmonic below the upper band edge) or ``"fundamental"``; a stream
        cannot look ahead to detect which harmonics are present.
    """

    __slots__ = ("_sos", "_zi", "sampling_rate_hz")

    def __init__(
        self,
        sampling_rate_hz: float,
        *,
        band_hz: tuple[float, float] = DEFAULT_BAND_HZ,
        mains_hz: float | None = 50.0,
        harmonics: StreamHarmonics = "all",
    ) -> None:
        check_option("harmonics", harmonics, ("all", "fundamental"))
        rate = _emg_rate(sampling_rate_hz, band_hz)
        low, high = _check_band(band_hz)
        mains = _check_mains(mains_hz, rate)
        self.sampling_rate_hz = rate
        # The cached design itself (never written to), so streams that share a filter share
        # one array and process_many recognises them at once.
        self._sos = _emg_sos_cached(
            rate, low, high, tuple(_notch_frequencies(mains, high, harmonics))
        )
        self._zi: NDArray[np.float64] | None = None

    @property
    def sos(self) -> NDArray[np.float64]:
        """The second-order sections of the filter (a copy)."""
        return self._sos.copy()

    def process(self, chunk_uv: ArrayLike) -> NDArray[np.float64]:
        """Filter the next chunk (any length, also empty) and return it cleaned, in µV."""
        x, self._zi = _stream(self._sos, self._zi, chunk_uv, "chunk_uv")
        return x

    def reset(self) -> None:
        """Forget the state: the next chunk starts a new signal."""
        self._zi = None

    @staticmethod
    def process_many(
        filters: Sequence[EmgFilter], chunks_uv: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Filter one chunk for each of several streams in one pass.

        Row ``i`` of ``chunks_uv`` (shape ``(len(filters), n)``) is the next chunk of the
        stream of ``filters[i]``; every filter must have the same coefficients (same rate, band
        and mains). Each row comes out bit for bit as ``filters[i].process(row)`` would give it:
        the same kernel runs over all rows at once, which a server with hundreds of live
        streams needs (docs/benchmarks.md).
        """
        x = np.ascontiguousarray(chunks_uv, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] != len(filters):
            raise SignalError(
                f"chunks_uv must have shape ({len(filters)}, n), got {x.shape}", field="chunks_uv"
            )
        if not filters or x.shape[1] == 0:
            return x.copy()
        sos = filters[0]._sos
        if _sosfilt_kernel is None or any(
            f._sos is not sos and not np.array_equal(f._sos, sos) for f in filters
        ):  # the same design is the same array (see __init__), so equality is rarely compared
            return np.stack([f.process(row) for f, row in zip(filters, x, strict=True)])
        if not np.isfinite(x.sum()) and not np.all(np.isfinite(x)):
            raise SignalError("chunks_uv contains NaN or infinite sample(s)", field="chunks_uv")
        state = np.stack(
            [
                f._zi if f._zi is not None else _initial_state(sos, float(row[0]))
                for f, row in zip(filters, x, strict=True)
            ]
        )
        out = x.copy()
        _sosfilt_kernel(sos, out, state)
        for f, zi in zip(filters, state, strict=True):
            f._zi = zi
        return out


def pressure_clean(
    signal_cmh2o: ArrayLike,
    sampling_rate_hz: float,
    *,
    drift_cutoff_hz: float | None = None,
    lowpass_hz: float | None = 5.0,
    method: FilterMethod = "zero-phase",
) -> NDArray[np.float64]:
    """Smooth a vaginal or anal pressure signal and optionally remove slow drift.

    Parameters
    ----------
    signal_cmh2o
        Pressure in cmH2O.
    sampling_rate_hz
        Samples per second; at least ``lowpass_hz / 0.45``.
    drift_cutoff_hz
        Corner of a first-order high-pass that removes probe drift, or ``None`` (default) to
        keep the resting pressure. Off by default because it bends long holds (module notes).
    lowpass_hz
        Corner of the 4th-order Butterworth smoothing low-pass, or ``None`` for none.
    method
        ``"zero-phase"`` or ``"causal"`` (the same as :class:`PressureFilter`).

    Returns
    -------
    NDArray[np.float64]
        The filtered pressure in cmH2O.

    References
    ----------
    clinical.md §7 (squeeze against the resting pressure).
    """
    check_option("method", method, _METHODS)
    rate = check_sampling_rate(sampling_rate_hz)
    sos = _pressure_sos(rate, drift_cutoff_hz, lowpass_hz)
    x = check_signal("signal_cmh2o", signal_cmh2o, min_samples=1, allow_constant=False)
    if sos.shape[0] == 0:
        return x.copy()
    return _run(sos, x, method, "signal_cmh2o")


class PressureFilter:
    """Streaming pressure filter (optional drift high-pass, smoothing low-pass).

    Chunk by chunk it gives bit for bit ``pressure_clean(..., method="causal")``.

    Parameters
    ----------
    sampling_rate_hz
        Samples per second.
    drift_cutoff_hz
        First-order drift high-pass corner, or ``None`` (default).
    lowpass_hz
        Smoothing low-pass corner, or ``None``.
    """

    __slots__ = ("_sos", "_zi", "sampling_rate_hz")

    def __init__(
        self,
        sampling_rate_hz: float,
        *,
        drift_cutoff_hz: float | None = None,
        lowpass_hz: float | None = 5.0,
    ) -> None:
        self.sampling_rate_hz = check_sampling_rate(sampling_rate_hz)
        self._sos = _pressure_sos(self.sampling_rate_hz, drift_cutoff_hz, lowpass_hz)
        self._zi: NDArray[np.float64] | None = None

    def process(self, chunk_cmh2o: ArrayLike) -> NDArray[np.float64]:
        """Filter the next chunk (any length, also empty) and return it, in cmH2O."""
        if self._sos.shape[0] == 0:
            return _chunk(chunk_cmh2o, "chunk_cmh2o").copy()
        x, self._zi = _stream(self._sos, self._zi, chunk_cmh2o, "chunk_cmh2o")
        return x

    def reset(self) -> None:
        """Forget the state: the next chunk starts a new signal."""
        self._zi = None


def min_emg_sampling_rate_hz(band_hz: tuple[float, float] = DEFAULT_BAND_HZ) -> float:
    """The lowest sampling rate :func:`emg_clean` accepts for ``band_hz``."""
    return float(band_hz[1]) / _MAX_EDGE_FRACTION_OF_RATE


# --- private helpers -------------------------------------------------------------------------


def _emg_rate(sampling_rate_hz: float, band_hz: tuple[float, float]) -> float:
    if not isinstance(band_hz, tuple | list) or len(band_hz) != 2:
        raise InputError(
            f"band_hz must be a pair (low, high) in Hz, got {band_hz!r}", field="band_hz"
        )
    high = check_range("band_hz", band_hz[1], low=0.0, low_inclusive=False, unit="Hz")
    return check_sampling_rate(
        sampling_rate_hz,
        min_hz=high / _MAX_EDGE_FRACTION_OF_RATE,
        why=f"an EMG band up to {high:g} Hz",
    )


def _check_band(band_hz: tuple[float, float]) -> tuple[float, float]:
    low = check_range("band_hz", band_hz[0], low=0.0, low_inclusive=False, unit="Hz")
    high = check_range("band_hz", band_hz[1], low=low, low_inclusive=False, unit="Hz")
    return low, high


def _check_mains(mains_hz: float | None, rate: float) -> float | None:
    if mains_hz is None:
        return None
    return check_range(
        "mains_hz",
        mains_hz,
        low=0.0,
        high=rate / 2,
        low_inclusive=False,
        high_inclusive=False,
        unit="Hz",
    )


def _notch_frequencies(
    mains: float | None,
    high: float,
    harmonics: Harmonics,
    x: NDArray[np.float64] | None = None,
    rate: float = 0.0,
) -> list[float]:
    if mains is None:
        return []
    candidates = [mains * k for k in range(1, int(high // mains) + 1) if mains * k < high]
    if harmonics == "fundamental" or len(candidates) <= 1:
        return candidates[:1]
    if harmonics == "all" or x is None:
        return candidates
    freqs, psd = _hum_spectrum(x, rate)
    return candidates[:1] + [f for f in candidates[1:] if _stands_out(freqs, psd, f)]


def _stands_out(freqs: NDArray[np.float64], psd: NDArray[np.float64], freq_hz: float) -> bool:
    distance = np.abs(freqs - freq_hz)
    peak = psd[distance <= 1.0]
    side = psd[(distance >= _HARMONIC_SIDE_HZ[0]) & (distance <= _HARMONIC_SIDE_HZ[1])]
    if peak.size == 0 or side.size == 0:
        return False
    return bool(peak.max() > _HARMONIC_RATIO * float(np.median(side)))


def _hum_spectrum(
    x: NDArray[np.float64], rate: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    # One-second segments give 1 Hz bins; at most 64 of them, spread over the recording,
    # keep the look-up cheap on an hour-long recording.
    nperseg = max(8, round(rate))
    if x.size >= nperseg * _HARMONIC_MAX_SEGMENTS:
        starts = np.linspace(0, x.size - nperseg, _HARMONIC_MAX_SEGMENTS).astype(np.int64)
        return welch_psd(x, rate, nperseg=nperseg, starts=starts)
    return welch_psd(x, rate, nperseg=min(nperseg, x.size))


def _emg_sos(rate: float, low: float, high: float, notches: list[float]) -> NDArray[np.float64]:
    return _emg_sos_cached(rate, low, high, tuple(notches)).copy()


@functools.lru_cache(maxsize=32)
def _emg_sos_cached(
    rate: float, low: float, high: float, notches: tuple[float, ...]
) -> NDArray[np.float64]:
    # Designing the sections takes milliseconds; a live session or a batch of recordings
    # asks for the same few filters again and again.
    sections = [sps.butter(_BANDPASS_ORDER, [low, high], btype="bandpass", fs=rate, output="sos")]
    for freq in notches:
        b, a = sps.iirnotch(freq, _NOTCH_Q, fs=rate)
        sections.append(sps.tf2sos(b, a))
    return np.ascontiguousarray(np.vstack(sections), dtype=np.float64)


def _pressure_sos(
    rate: float, drift_cutoff_hz: float | None, lowpass_hz: float | None
) -> NDArray[np.float64]:
    sections: list[NDArray[np.float64]] = []
    if drift_cutoff_hz is not None:
        cutoff = check_range(
            "drift_cutoff_hz",
            drift_cutoff_hz,
            low=0.0,
            high=rate * _MAX_EDGE_FRACTION_OF_RATE,
            low_inclusive=False,
            unit="Hz",
        )
        sections.append(sps.butter(1, cutoff, btype="highpass", fs=rate, output="sos"))
    if lowpass_hz is not None:
        corner = check_range("lowpass_hz", lowpass_hz, low=0.0, low_inclusive=False, unit="Hz")
        check_sampling_rate(
            rate, min_hz=corner / _MAX_EDGE_FRACTION_OF_RATE, why=f"a {corner:g} Hz low-pass"
        )
        sections.append(
            sps.butter(_PRESSURE_LOWPASS_ORDER, corner, btype="lowpass", fs=rate, output="sos")
        )
    if not sections:
        return np.zeros((0, 6))
    return np.ascontiguousarray(np.vstack(sections), dtype=np.float64)


def _run(
    sos: NDArray[np.float64], x: NDArray[np.float64], method: FilterMethod, name: str
) -> NDArray[np.float64]:
    if method == "causal":
        out, _ = sps.sosfilt(sos, x, zi=_initial_state(sos, x[0]))
        return np.asarray(out, dtype=np.float64)
    padlen = _padlen(sos)
    if x.size <= padlen:
        raise SignalError(
            f"{name} is too short for zero-phase filtering: {x.size} samples, need at least "
            f"{padlen + 1} (or use method='causal')",
            field=name,
        )
    return np.asarray(_zero_phase(sos, x), dtype=np.float64)


def _zero_phase(
    sos: NDArray[np.float64], x: NDArray[np.float64], dtype: type[np.floating[Any]] = np.float64
) -> NDArray[np.floating[Any]]:
    """:func:`scipy.signal.sosfiltfilt` (odd padding, SciPy's default length) in chunks.

    The forward pass runs chunk by chunk into one output array and the backward pass runs
    over it in place, so besides the input only the output is held: an hour at 2 kHz takes
    one array, not the four sosfiltfilt keeps. With ``dtype=np.float64`` the result is bit
    for bit sosfiltfilt's; ``np.float32`` halves it again (a relative error near 1e-7).
    """
    padlen = _padlen(sos)
    n = x.size
    if n <= padlen:
        raise SignalError(
            f"signal_uv is too short for zero-phase filtering: {n} samples, need at least "
            f"{padlen + 1}",
            field="signal_uv",
        )
    zi = np.asarray(sps.sosfilt_zi(sos), dtype=np.float64)
    left = 2.0 * x[0] - x[padlen:0:-1]
    right = 2.0 * x[-1] - x[-2 : -padlen - 2 : -1]
    out = np.empty(n, dtype=dtype)
    state = zi * left[0]
    _, state = sps.sosfilt(sos, left, zi=state)
    for start in range(0, n, _CHUNK):
        part, state = sps.sosfilt(sos, x[start : start + _CHUNK], zi=state)
        out[start : start + _CHUNK] = part
    tail, state = sps.sosfilt(sos, right, zi=state)
    state = zi * tail[-1]
    _, state = sps.sosfilt(sos, tail[::-1], zi=state)
    for stop in range(n, 0, -_CHUNK):
        start = max(0, stop - _CHUNK)
        part, state = sps.sosfilt(
            sos, np.asarray(out[start:stop][::-1], dtype=np.float64), zi=state
        )
        out[start:stop] = part[::-1]
    return out


def _padlen(sos: NDArray[np.float64]) -> int:
    # SciPy's own default for sosfiltfilt, computed here so a short signal gets our message.
    zeros = min(int((sos[:, 2] == 0).sum()), int((sos[:, 5] == 0).sum()))
    return 3 * (2 * int(sos.shape[0]) + 1 - zeros)


def _initial_state(sos: NDArray[np.float64], first: float) -> NDArray[np.float64]:
    return np.asarray(sps.sosfilt_zi(sos), dtype=np.float64) * first


def _chunk(chunk: ArrayLike, name: str) -> NDArray[np.float64]:
    array = np.ascontiguousarray(chunk, dtype=np.float64)
    if array.ndim != 1:
        raise SignalError(f"{name} must have 1 dimension(s), got shape {array.shape}", field=name)
    # A chunk's sum is finite when every sample is (barring overflow, checked after); one
    # reduction is cheaper than two on the streaming path.
    if array.size and not np.isfinite(array.sum()) and not np.all(np.isfinite(array)):
        raise SignalError(f"{name} contains NaN or infinite sample(s)", field=name)
    return array


def _load_sosfilt_kernel() -> Callable[..., None] | None:
    try:
        from scipy.signal._sosfilt import _sosfilt
    except ImportError:  # pragma: no cover - a SciPy without the private kernel
        return None
    return cast(Callable[..., None], _sosfilt)


_sosfilt_kernel = _load_sosfilt_kernel()


def _sosfilt_in_place(
    sos: NDArray[np.float64], x: NDArray[np.float64], state: NDArray[np.float64]
) -> None:
    """Filter the contiguous 1-D ``x`` in place, from and into ``state`` (sections × 2).

    :func:`scipy.signal.sosfilt` copies its input and its state before it filters, which a
    long recording pays for in memory and in passes over it; the kernel it ends in does not.
    Same arithmetic, so bit for bit sosfilt's result.
    """
    if _sosfilt_kernel is not None:
        _sosfilt_kernel(sos, x.reshape(1, -1), state.reshape(1, *state.shape))
        return
    out, zf = sps.sosfilt(sos, x, zi=state)  # pragma: no cover - no private kernel
    x[:] = out  # pragma: no cover
    state[:] = zf  # pragma: no cover


def _stream(
    sos: NDArray[np.float64], zi: NDArray[np.float64] | None, chunk: ArrayLike, name: str
) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    x = _chunk(chunk, name)
    if x.size == 0:
        return x.copy(), zi
    if zi is None:
        zi = _initial_state(sos, float(x[0]))
    # SciPy's own kernel, without sosfilt's checks: they cost ten times the filtering of a
    # 50-sample chunk (the live target is 100 µs per chunk for filter, envelope and detector).
    out, state = x.copy(), zi.copy()
    _sosfilt_in_place(sos, out, state)
    return out, state
