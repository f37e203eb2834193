"""Glazer protocol metrics per phase, exactly as clinical.md §6 defines them.

Every phase gets the mean of the RMS envelope (``mean_uv``), its variability
(``variability_pct``: the coefficient of variation, **population** standard deviation
(ddof = 0) divided by the mean, × 100) and the median frequency of the cleaned signal
(``median_frequency_hz``: the frequency that halves the power of its Welch spectrum).

The contraction phases (``phasic``, ``tonic``, ``endurance``) also get

``peak_uv``
    the mean of the per-contraction peaks of the envelope;
``rise_s``
    the mean time from the contract cue to that peak;
``recovery_s``
    the mean time from the relax cue until the envelope is back at baseline: within 10 % of
    the contraction's height above the rest level (the same rule as a contraction's
    ``release_s``).

With ``cue:contract`` / ``cue:relax`` annotations each cue pair is one contraction: its peak is
sought from the contract cue to one second after the relax cue. Without cues the detected
contractions inside the phase are used, and ``rise_s`` and ``recovery_s`` then run from the
detected onset and offset instead of from the cues.

The endurance phase also gets the fatigue measures: ``slope_uv_per_s``, the least-squares
slope of the envelope's one-second means over the hold (cue to cue when cued, else the longest
detected contraction, else the whole phase), and ``last_first_ratio``, the mean of the last 10
one-second means over the mean of the first 10.

Reference values (Oleksy et al. 2020) are context, never a pass mark: they depend on the
probe and the amplifier, and another laboratory reports medians about a third as high. The
test-retest reliability of these measures is limited (:data:`RELIABILITY_NOTE`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, Literal, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pelvio._check import check_range, check_sampling_rate, check_signal
from pelvio.signals._spectrum import median_frequency_of, welch_psd
from pelvio.signals.annotations import CUE_CONTRACT, CUE_RELAX, Annotation, phases_of
from pelvio.signals.contractions import Contraction

__all__ = [
    "CONTRACTION_PHASES",
    "OLEKSY_2020",
    "RELIABILITY_NOTE",
    "FrequencyOf",
    "PhaseMetrics",
    "ReferenceValue",
    "endurance_fatigue",
    "frequencies_from",
    "glazer_metrics",
    "median_frequency",
    "phase_metrics",
    "variability_pct",
    "welch_layout",
]

CONTRACTION_PHASES: Final = frozenset({"phasic", "tonic", "endurance"})
_PEAK_AFTER_RELAX_S: Final = 1.0
_BACK_AT_BASELINE: Final = 0.1
_RATIO_SECONDS: Final = 10
_WELCH_SEGMENT_S: Final = 0.5
_LONG_S: Final = 60.0


@dataclass(frozen=True, slots=True)
class ReferenceValue:
    """A published mean ± SD of one phase's amplitude, with where it comes from."""

    phase: str
    mean_uv: float
    sd_uv: float
    source: str


_OLEKSY_SOURCE: Final = (
    "Oleksy et al. 2020, Glazer protocol with a vaginal probe, n = 96 young nulliparous "
    "women (clinical.md §6); device-dependent, context only"
)
OLEKSY_2020: Final[Mapping[str, ReferenceValue]] = MappingProxyType(
    {
        phase: ReferenceValue(phase, mean, sd, _OLEKSY_SOURCE)
        for phase, mean, sd in (
            ("pre_baseline", 6.26, 3.33),
            ("phasic", 49.76, 26.44),
            ("tonic", 37.05, 25.99),
            ("endurance", 16.10, 6.68),
            ("post_baseline", 6.93, 3.99),
        )
    }
)
"""Mean ± SD amplitude per phase (µV) reported by Oleksy et al. (2020): context, not a norm."""

RELIABILITY_NOTE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "nl": (
            "Deze getallen zijn geen oordeel. Amplitudes komen van de ene meting op de andere "
            "maar matig overeen; stijg- en hersteltijden en de mediane frequentie nog minder. "
            "Referentiewaarden hangen af van de sonde en het apparaat en geven alleen context. "
            "Bronnen: Oleksy et al., IJERPH 2021;18:765 (herhaalbaarheid); "
            "Oleksy et al. 2020 (referentiewaarden)."
        ),
        "en": (
            "These numbers are not a verdict. Amplitudes agree only moderately from one "
            "session to the next; rise and recovery times and the median frequency agree "
            "less still. Reference values depend on the probe and the device and give context "
            "only. Sources: Oleksy et al., IJERPH 2021;18:765 (test-retest reliability); "
            "Oleksy et al. 2020 (reference values)."
        ),
    }
)
"""What a report must say about these measures, in Dutch and English (our own words)."""

_F = TypeVar("_F", bound=np.floating[Any])

PhaseKind = Literal["rest", "contraction", "endurance"]


@dataclass(frozen=True, slots=True)
class PhaseMetrics:
    """The Glazer metrics of one phase (``None`` where a value cannot be computed)."""

    name: str
    start_s: float
    end_s: float
    mean_uv: float | None
    variability_pct: float | None
    median_frequency_hz: float | None
    kind: PhaseKind = "rest"
    peak_uv: float | None = None
    rise_s: float | None = None
    recovery_s: float | None = None
    slope_uv_per_s: float | None = None
    last_first_ratio: float | None = None

    def to_dict(self, *, unit: str = "uv", frequency: bool = True) -> dict[str, Any]:
        """The phase as in ``pelvio analyze --json``: the keys that apply to its kind.

        ``unit="cmh2o"`` names the amplitudes ``*_cmh2o`` (and the slope ``cmh2o_per_s``);
        ``frequency=False`` leaves out the median frequency (pressure has none).
        """
        out: dict[str, Any] = {
            "name": self.name,
            "start_s": self.start_s,
            "end_s": self.end_s,
            f"mean_{unit}": self.mean_uv,
            "variability_pct": self.variability_pct,
        }
        if frequency:
            out["median_frequency_hz"] = self.median_frequency_hz
        if self.kind != "rest":
            out[f"peak_{unit}"] = self.peak_uv
            out["rise_s"] = self.rise_s
            out["recovery_s"] = self.recovery_s
        if self.kind == "endurance":
            out[f"slope_{unit}_per_s"] = self.slope_uv_per_s
            out["last_first_ratio"] = self.last_first_ratio
        return out


def variability_pct(envelope_uv: ArrayLike) -> float | None:
    """Coefficient of variation of an envelope, in %: population SD (ddof = 0) / mean × 100.

    Returns ``None`` when the mean is zero.

    References
    ----------
    clinical.md §6 (variability; check: an envelope alternating 4 and 6 µV gives 20.0 %).
    """
    return _variability(check_signal("envelope_uv", envelope_uv))


def _variability(x: NDArray[np.float64]) -> float | None:
    mean = float(np.mean(x))
    if mean == 0.0:
        return None
    return float(np.std(x, ddof=0)) / abs(mean) * 100.0


def median_frequency(
    signal_uv: ArrayLike, sampling_rate_hz: float, *, segment_s: float = _WELCH_SEGMENT_S
) -> float | None:
    """The median frequency of a (cleaned) EMG signal: the frequency halving its power.

    The power spectrum is Welch's (Hann windows of ``segment_s``, mean removed per segment,
    half overlapping on stretches up to a minute, adjacent on longer ones, where hundreds of
    segments average anyway); within each frequency bin the power is spread evenly.

    Parameters
    ----------
    signal_uv
        The band-passed EMG (µV).
    sampling_rate_hz
        Samples per second.
    segment_s
        Welch segment length; shortened to the signal when that is shorter.

    Returns
    -------
    float or None
        In Hz; ``None`` for a signal without power (all zeros).

    References
    ----------
    clinical.md §6 (median frequency of the raw signal, Welch PSD; check: a 100 Hz sine gives
    about 100 Hz); Welch (1967).
    """
    rate = check_sampling_rate(sampling_rate_hz)
    seconds = check_range("segment_s", segment_s, low=0.0, low_inclusive=False, high=60.0)
    return _median_frequency(check_signal("signal_uv", signal_uv, min_samples=8), rate, seconds)


def _median_frequency(x: NDArray[np.floating[Any]], rate: float, seconds: float) -> float | None:
    if seconds == _WELCH_SEGMENT_S:
        nperseg, step = welch_layout(0, x.size, rate)
    else:
        nperseg = int(min(x.size, max(8, round(seconds * rate))))
        step = nperseg - nperseg // 2 if x.size < _LONG_S * rate else nperseg
    starts = np.arange(0, x.size - nperseg + 1, step, dtype=np.int64)
    freqs, psd = welch_psd(x, rate, nperseg=nperseg, starts=starts)
    return median_frequency_of(freqs, psd)


def endurance_fatigue(
    envelope_uv: ArrayLike, sampling_rate_hz: float
) -> tuple[float | None, float | None]:
    """Fatigue over a hold: slope of the one-second mean envelope and last/first-10-s ratio.

    The envelope is cut into whole seconds from its start (a last partial second is left
    out). The slope (µV/s) is the least-squares line through the one-second means against
    their centres; the ratio is the mean of the last 10 one-second means over the mean of
    the first 10 (of the last and first half when the hold is shorter than 20 s).

    Returns
    -------
    (slope_uv_per_s, last_first_ratio)
        ``None`` for a slope over fewer than two seconds, or a ratio over a zero start.

    References
    ----------
    clinical.md §6 (check: an envelope 30 − 0.2·t µV over 60 s has slope −0.200 µV/s and a
    last/first-10-s ratio of 0.656, taking the one-second envelope at t = 0, 1, ..., 59 s).
    """
    rate = check_sampling_rate(sampling_rate_hz)
    return _fatigue(check_signal("envelope_uv", envelope_uv), rate)


def _fatigue(x: NDArray[np.float64], rate: float) -> tuple[float | None, float | None]:
    per_second = _one_second_means(x, rate)
    if per_second.size < 2:
        return None, None
    centres = np.arange(per_second.size) + 0.5
    slope = float(np.polyfit(centres, per_second, 1)[0])
    count = min(_RATIO_SECONDS, per_second.size // 2)
    first = float(per_second[:count].mean())
    last = float(per_second[-count:].mean())
    return slope, (last / first if first != 0.0 else None)


def glazer_metrics(
    cleaned_uv: ArrayLike,
    sampling_rate_hz: float,
    annotations: Sequence[Annotation],
    *,
    envelope_uv: ArrayLike,
    envelope_rate_hz: float,
    baseline_uv: ArrayLike,
    contractions: Sequence[Contraction] = (),
) -> tuple[PhaseMetrics, ...]:
    """Metrics for each Glazer phase annotated in a recording (clinical.md §6).

    Parameters
    ----------
    cleaned_uv
        The band-passed EMG (for the median frequency), at ``sampling_rate_hz``.
    sampling_rate_hz
        Its sampling rate.
    annotations
        Phase annotations (``pre_baseline`` ... ``post_baseline``, with durations) and cues.
    envelope_uv
        The RMS envelope (artefacts rejected), at ``envelope_rate_hz``, starting with the
        recording.
    envelope_rate_hz
        The envelope's rate (the analysis uses 100 samples/s).
    baseline_uv
        The rest level per envelope sample, for the recovery times.
    contractions
        Detected contractions, used for contraction phases without cues.

    Returns
    -------
    tuple[PhaseMetrics, ...]
        One per phase annotation, in time order; empty without phase annotations.
    """
    rate = check_sampling_rate(sampling_rate_hz)
    env_rate = check_sampling_rate(envelope_rate_hz, min_hz=1.0)
    x = check_signal("cleaned_uv", cleaned_uv)
    envelope = check_signal("envelope_uv", envelope_uv)
    baseline = np.broadcast_to(np.asarray(baseline_uv, dtype=np.float64), envelope.shape)
    frequency_of = frequencies_from(x, rate)
    return _glazer_phases(frequency_of, annotations, envelope, env_rate, baseline, contractions)


FrequencyOf = Callable[[float, float], float | None]
"""Median frequency of the stretch from ``start_s`` to ``end_s``."""


def frequencies_from(cleaned: NDArray[np.floating[Any]], rate: float) -> FrequencyOf:
    """Median frequencies read from a cleaned signal held in memory."""

    def frequency_of(start_s: float, end_s: float) -> float | None:
        raw = _slice(cleaned, rate, start_s, end_s)
        return _median_frequency(raw, rate, _WELCH_SEGMENT_S) if raw.size >= 8 else None

    return frequency_of


def welch_layout(start: int, stop: int, rate: float) -> tuple[int, int]:
    """Segment length and step of the Welch spectrum of samples ``[start, stop)``: 0.5 s
    Hann segments, half overlapping on stretches up to a minute, adjacent on longer ones."""
    length = stop - start
    nperseg = int(min(length, max(8, round(_WELCH_SEGMENT_S * rate))))
    overlap = length < _LONG_S * rate
    return nperseg, (nperseg - nperseg // 2 if overlap else nperseg)


def _glazer_phases(
    frequency_of: FrequencyOf,
    annotations: Sequence[Annotation],
    envelope: NDArray[np.float64],
    env_rate: float,
    baseline: NDArray[np.float64],
    contractions: Sequence[Contraction],
) -> tuple[PhaseMetrics, ...]:
    """:func:`glazer_metrics` on arguments already checked."""
    cues = sorted((a for a in annotations if a.text in (CUE_CONTRACT, CUE_RELAX)), key=_onset)
    out: list[PhaseMetrics] = []
    for phase in phases_of(list(annotations)):
        kind: PhaseKind = "rest"
        if phase.text in CONTRACTION_PHASES:
            kind = "endurance" if phase.text == "endurance" else "contraction"
        out.append(
            phase_metrics(
                phase.text,
                (phase.onset_s, phase.end_s),
                envelope,
                env_rate,
                kind=kind,
                frequency=frequency_of(phase.onset_s, phase.end_s),
                baseline=baseline,
                cues=[c for c in cues if phase.onset_s <= c.onset_s < phase.end_s],
                contractions=contractions,
            )
        )
    return tuple(out)


def phase_metrics(
    name: str,
    span_s: tuple[float, float],
    envelope: NDArray[np.float64],
    env_rate: float,
    *,
    kind: PhaseKind,
    baseline: NDArray[np.float64],
    frequency: float | None,
    cues: Sequence[Annotation] = (),
    contractions: Sequence[Contraction] = (),
) -> PhaseMetrics:
    """The metrics of one stretch of a recording (used for phases and for "overall").

    ``frequency`` is the stretch's median frequency, worked out by the caller (from the
    cleaned signal, or on the fly while cleaning).
    """
    start_s, end_s = span_s
    env = _slice(envelope, env_rate, start_s, end_s)
    mean = float(env.mean()) if env.size else None
    variability = _variability(env) if env.size else None
    metrics = PhaseMetrics(name, start_s, end_s, mean, variability, frequency, kind)
    if kind == "rest":
        return metrics
    inside = [c for c in contractions if start_s <= c.onset_s < end_s]
    pairs = _cue_pairs(cues, end_s)
    if pairs:
        peaks, rises, recoveries = _cued(pairs, envelope, env_rate, baseline, end_s)
    else:
        peaks = [c.peak_uv for c in inside]
        rises = [c.rise_s for c in inside]
        recoveries = [c.release_s for c in inside if c.release_s is not None]
    fatigue: tuple[float | None, float | None] = (None, None)
    if kind == "endurance":
        hold = _hold_span(pairs, inside, (start_s, end_s))
        held = _slice(envelope, env_rate, *hold)
        fatigue = _fatigue(held, env_rate) if held.size else (None, None)
    return PhaseMetrics(
        name,
        start_s,
        end_s,
        mean,
        variability,
        frequency,
        kind,
        peak_uv=_mean(peaks),
        rise_s=_mean(rises),
        recovery_s=_mean(recoveries),
        slope_uv_per_s=fatigue[0],
        last_first_ratio=fatigue[1],
    )


# --- helpers -------------------------------------------------------------------------------------


def _onset(annotation: Annotation) -> float:
    return annotation.onset_s


def _slice(x: NDArray[_F], rate: float, start_s: float, end_s: float) -> NDArray[_F]:
    lo = max(0, round(start_s * rate))
    hi = min(x.size, round(end_s * rate))
    return x[lo:hi] if hi > lo else x[:0]


def _one_second_means(x: NDArray[np.float64], rate: float) -> NDArray[np.float64]:
    # Bin edges at whole seconds; with a rate that is not whole, each bin takes the samples
    # whose times fall in it.
    seconds = int(np.floor(x.size / rate + 1e-9))
    if seconds == 0:
        return np.zeros(0)
    edges = np.round(np.arange(seconds + 1) * rate).astype(np.int64)
    sums = np.add.reduceat(x[: edges[-1]], edges[:-1])
    return np.asarray(sums / np.diff(edges), dtype=np.float64)


def _cue_pairs(cues: Sequence[Annotation], end_s: float) -> list[tuple[float, float | None]]:
    """(contract cue, following relax cue or None) for each contract cue."""
    pairs: list[tuple[float, float | None]] = []
    for i, cue in enumerate(cues):
        if cue.text != CUE_CONTRACT:
            continue
        relax = next((c.onset_s for c in cues[i + 1 :] if c.text == CUE_RELAX), None)
        nxt = next((c.onset_s for c in cues[i + 1 :] if c.text == CUE_CONTRACT), None)
        if relax is not None and nxt is not None and nxt < relax:
            relax = None
        pairs.append((cue.onset_s, relax))
    return pairs


def _cued(
    pairs: list[tuple[float, float | None]],
    envelope: NDArray[np.float64],
    rate: float,
    baseline: NDArray[np.float64],
    end_s: float,
) -> tuple[list[float], list[float], list[float]]:
    peaks: list[float] = []
    rises: list[float] = []
    recoveries: list[float] = []
    limit = envelope.size - 1
    for k, (contract, relax) in enumerate(pairs):
        following = pairs[k + 1][0] if k + 1 < len(pairs) else None
        stop_s = (relax + _PEAK_AFTER_RELAX_S) if relax is not None else end_s
        if following is not None:
            stop_s = min(stop_s, following)
        lo = min(limit, max(0, round(contract * rate)))
        hi = min(limit + 1, max(lo + 1, round(stop_s * rate)))
        window = envelope[lo:hi]
        at = lo + int(np.argmax(window))
        peak = float(envelope[at])
        peaks.append(peak)
        rises.append(max(0.0, at / rate - contract))
        if relax is None:
            continue
        from_index = min(limit, max(at, round(relax * rate)))
        until = limit if following is None else min(limit, round(following * rate))
        rest = float(baseline[from_index])
        back_at = rest + _BACK_AT_BASELINE * max(peak - rest, 0.0)
        below = np.flatnonzero(envelope[from_index : until + 1] <= back_at)
        if below.size:
            recoveries.append(max(0.0, (from_index + int(below[0])) / rate - relax))
    return peaks, rises, recoveries


def _hold_span(
    pairs: list[tuple[float, float | None]],
    inside: list[Contraction],
    phase: tuple[float, float],
) -> tuple[float, float]:
    for contract, relax in pairs:
        if relax is not None:
            return contract, relax
    if inside:
        longest = max(inside, key=lambda c: c.duration_s)
        return longest.onset_s, longest.offset_s
    return phase


def _mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if len(values) else None
