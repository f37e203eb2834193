"""``analyze``: from one recorded channel to the document ``pelvio analyze --json`` prints.

EMG (``kind="emg"``, µV)
    Band-pass 20–450 Hz and mains notch (zero phase, :func:`~pelvio.signals.emg_clean`),
    centred 100 ms RMS envelope with artefacts rejected
    (:func:`~pelvio.signals.emg_envelope`), contraction detection
    (:func:`~pelvio.signals.detect_contractions`), then the Glazer metrics per annotated phase
    (:mod:`pelvio.signals.glazer`) on the envelope averaged to 100 samples/s and on the
    cleaned signal for the median frequency.
Pressure (``kind="pressure"``, cmH2O)
    Low-pass 5 Hz, the same detection with absolute rises, squeeze and Angelo's banding
    (:mod:`pelvio.signals.pressure`); amplitudes are named ``*_cmh2o`` and phases have no
    median frequency. With an abdominal channel, rises made with abdominal effort are set
    apart (clinical.md §7) and listed under ``abdominal_rises``.

A recording without phase annotations gets one phase entry named ``"overall"`` covering the
whole recording, with the keys of a contraction phase computed from the detected
contractions. With phase annotations only the annotated phases are listed. Every number that
cannot be computed is ``None`` (JSON ``null``), never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pelvio._check import check_option, check_range, check_sampling_rate, check_signal
from pelvio.errors import SignalError
from pelvio.signals._onepass import Span, clean_pass
from pelvio.signals._spectrum import median_frequency_of
from pelvio.signals.annotations import Annotation, phases_of
from pelvio.signals.contractions import EMG_LEVELS, Contraction, _block_size, _detect, _Detection
from pelvio.signals.envelope import _block_envelope
from pelvio.signals.filters import (
    _check_mains,
    _emg_filter_sos,
    _padlen,
    min_emg_sampling_rate_hz,
)
from pelvio.signals.glazer import (
    FrequencyOf,
    PhaseMetrics,
    _glazer_phases,
    phase_metrics,
    welch_layout,
)
from pelvio.signals.pressure import Squeeze, detect_pressure, split_abdominal, squeeze_of

__all__ = ["Analysis", "SignalKind", "analyze"]

SignalKind = Literal["emg", "pressure"]
_MIN_DURATION_S: Final = 1.0


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of :func:`analyze`; :meth:`to_dict` is the ``--json`` document."""

    sampling_rate_hz: float
    duration_s: float
    channel: str | None
    kind: SignalKind
    phases: tuple[PhaseMetrics, ...]
    contractions: tuple[Contraction, ...]
    squeeze: Squeeze | None = None
    abdominal_rises: tuple[Contraction, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """``{"sampling_rate_hz", "duration_s", "channel", "phases", "contractions"}``.

        Pressure adds ``"squeeze"`` (and ``"abdominal_rises"`` when an abdominal channel was
        analysed) and names amplitudes ``*_cmh2o``. Floats are plain, NaN-free JSON numbers.
        """
        unit = "uv" if self.kind == "emg" else "cmh2o"
        out: dict[str, Any] = {
            "sampling_rate_hz": self.sampling_rate_hz,
            "duration_s": self.duration_s,
            "channel": self.channel,
            "phases": [p.to_dict(unit=unit, frequency=self.kind == "emg") for p in self.phases],
            "contractions": [c.to_dict(unit=unit) for c in self.contractions],
        }
        if self.kind == "pressure":
            out["squeeze"] = None if self.squeeze is None else self.squeeze.to_dict()
            if self.abdominal_rises is not None:
                out["abdominal_rises"] = [c.to_dict(unit=unit) for c in self.abdominal_rises]
        return cast(dict[str, Any], _json_safe(out))


def analyze(
    signal: ArrayLike,
    sampling_rate_hz: float,
    annotations: Sequence[Annotation] | None = None,
    *,
    kind: SignalKind = "emg",
    mains_hz: float | None = 50.0,
    channel: str | None = None,
    window_s: float = 0.1,
    abdominal: ArrayLike | None = None,
) -> Analysis:
    """Analyse one channel: contractions, and Glazer metrics per phase (clinical.md §6–7).

    Parameters
    ----------
    signal
        Raw EMG in µV (``kind="emg"``) or pressure in cmH2O (``kind="pressure"``).
    sampling_rate_hz
        Samples per second: at least 1000 for EMG (the 20–450 Hz band), 12 for pressure.
    annotations
        Phase annotations (``pre_baseline``, ``phasic``, ``tonic``, ``endurance``,
        ``post_baseline``) and ``cue:contract`` / ``cue:relax`` instants, if any.
    kind
        ``"emg"`` or ``"pressure"``.
    mains_hz
        Mains frequency for the EMG notch (``None`` for none).
    channel
        The channel's label, passed through to the result.
    window_s
        RMS window of the envelope (100–250 ms advised).
    abdominal
        For pressure: an abdominal pressure channel (cmH2O, same rate and length) to set
        apart rises made with abdominal effort.

    Returns
    -------
    Analysis

    Raises
    ------
    SignalError
        For an empty, flat, non-finite or too short signal (under 1 s), or a sampling rate
        too low.
    """
    check_option("kind", kind, ("emg", "pressure"))
    if kind == "emg":
        rate = check_sampling_rate(
            sampling_rate_hz, min_hz=min_emg_sampling_rate_hz(), why="EMG (20–450 Hz band)"
        )
    else:
        rate = check_sampling_rate(sampling_rate_hz, min_hz=12.0, why="a 5 Hz pressure low-pass")
    x = _checked(signal, max(2, math.ceil(_MIN_DURATION_S * rate)))
    notes = tuple(annotations or ())
    if kind == "emg":
        return _analyze_emg(x, rate, notes, mains_hz=mains_hz, channel=channel, window_s=window_s)
    extra = None if abdominal is None else check_signal("abdominal", abdominal)
    if extra is not None and extra.size != x.size:
        raise SignalError(
            f"abdominal must have as many samples as signal ({x.size}); got {extra.size}",
            field="abdominal",
        )
    return _analyze_pressure(x, rate, notes, channel=channel, abdominal=extra)


def _checked(signal: ArrayLike, min_samples: int) -> NDArray[np.float64]:
    """``check_signal`` for a long recording, in two passes over it instead of four.

    The smallest and largest samples tell at once whether any is NaN or infinite (they are
    then too) and whether the signal is flat; only a signal that fails goes through the full
    check, for its message.
    """
    x = (
        np.ascontiguousarray(signal, dtype=np.float64)
        if not isinstance(signal, np.ndarray)
        else signal
    )
    if (
        x.dtype == np.float64
        and x.ndim == 1
        and x.size >= min_samples
        and math.isfinite(low := float(x.min()))
        and math.isfinite(high := float(x.max()))
        and high > low
    ):
        return np.ascontiguousarray(x)
    return check_signal("signal", signal, min_samples=min_samples, allow_constant=False)


def _analyze_emg(
    x: NDArray[np.float64],
    rate: float,
    annotations: tuple[Annotation, ...],
    *,
    mains_hz: float | None,
    channel: str | None,
    window_s: float,
) -> Analysis:
    mains = _check_mains(mains_hz, rate)
    seconds = check_range("window_s", window_s, low=0.0, high=1.0, low_inclusive=False, unit="s")
    sos = _emg_filter_sos(x, rate, mains)
    padlen = _padlen(sos)
    if x.size <= padlen:
        raise SignalError(f"signal is too short: {x.size} samples", field="signal")
    spans = _spans(x.size, rate, annotations)
    energies = clean_pass(
        x, rate, sos, size=_block_size(rate), spans=[s for _, s in spans], padlen=padlen
    )
    frequencies = {
        key: (None if spectrum is None else median_frequency_of(*spectrum))
        for (key, _), spectrum in zip(spans, energies.spectra, strict=True)
    }
    envelope, envelope_rate, first_s = _block_envelope(
        energies.sums, energies.peaks, x.size, rate, seconds
    )
    del energies  # an hour's block energies are 6 MB the rest of the analysis can use
    detection = _detect(
        envelope,
        envelope_rate,
        baseline=None,
        levels=EMG_LEVELS,
        min_on_s=0.3,
        min_off_s=0.3,
        spike_s=0.4,
        name="envelope_uv",
        checked=True,
        first_s=first_s,
    )
    phases = _phases(x.size / rate, annotations, detection, lambda a, b: frequencies.get((a, b)))
    return Analysis(rate, x.size / rate, channel, "emg", phases, detection.contractions)


def _spans(
    n: int, rate: float, annotations: tuple[Annotation, ...]
) -> list[tuple[tuple[float, float], Span]]:
    """The stretches whose median frequency the analysis reports: the annotated phases, or
    the whole recording; keyed by their times as the phase metrics ask for them."""
    times = [(p.onset_s, p.end_s) for p in phases_of(list(annotations))] or [(0.0, n / rate)]
    spans = []
    for start_s, end_s in times:
        start, stop = max(0, round(start_s * rate)), min(n, round(end_s * rate))
        if stop - start >= 8:
            nperseg, step = welch_layout(start, stop, rate)
            spans.append(((start_s, end_s), Span(start, stop, nperseg, step)))
    return spans


def _analyze_pressure(
    x: NDArray[np.float64],
    rate: float,
    annotations: tuple[Annotation, ...],
    *,
    channel: str | None,
    abdominal: NDArray[np.float64] | None,
) -> Analysis:
    detection = detect_pressure(x, rate)
    resting = float(np.median(detection.baseline))
    contractions = list(detection.contractions)
    rises: tuple[Contraction, ...] | None = None
    if abdominal is not None:
        contractions, moved = split_abdominal(contractions, abdominal, rate, resting_cmh2o=resting)
        rises = tuple(moved)
    kept = _Detection(tuple(contractions), detection.smoothed, detection.baseline, detection.sd)
    phases = _phases(x.size / rate, annotations, kept, lambda a, b: None)
    squeeze = squeeze_of(contractions, resting)
    return Analysis(
        rate, x.size / rate, channel, "pressure", phases, tuple(contractions), squeeze, rises
    )


def _phases(
    duration_s: float,
    annotations: tuple[Annotation, ...],
    detection: _Detection,
    frequency_of: FrequencyOf,
) -> tuple[PhaseMetrics, ...]:
    smoothed = detection.smoothed
    envelope = smoothed.blocks
    if phases_of(list(annotations)):
        return _glazer_phases(
            frequency_of,
            annotations,
            envelope,
            smoothed.rate_hz,
            detection.baseline,
            detection.contractions,
        )
    overall = phase_metrics(
        "overall",
        (0.0, duration_s),
        envelope,
        smoothed.rate_hz,
        kind="contraction",
        baseline=detection.baseline,
        frequency=frequency_of(0.0, duration_s),
        contractions=detection.contractions,
    )
    return (overall,)


def _json_safe(value: object) -> object:
    """Replace NaN and infinities by ``None`` and NumPy scalars by Python ones, recursively."""
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
