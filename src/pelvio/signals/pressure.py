"""Vaginal or anal pressure (perineometry): squeeze, Angelo's banding, contraction detection.

Squeeze strength is the maximal pressure above the resting pressure, in cmH2O (clinical.md
§7). Values depend on the probe (one study found 19.7 and 36.5 cmH2O on two devices for the
same women), so a squeeze must be stored with its device.

Contractions are found with the same detector as EMG contractions (see
:mod:`pelvio.signals.contractions`), run on the low-passed pressure: thresholds are absolute
rises above the resting pressure (at least ``min_rise_cmh2o``) rather than ratios, since the
resting pressure of a probe says nothing about the noise. The resting pressure is followed in
time between contractions, so slow probe drift does not pass for a contraction.

A pressure rise that comes with abdominal effort is not a pelvic floor contraction (clinical.md
§7): with an abdominal channel, such rises are set apart (:func:`split_abdominal`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pelvio._check import check_finite_number, check_range, check_sampling_rate
from pelvio.signals.contractions import Contraction, _detect, _Detection, _Levels
from pelvio.signals.filters import pressure_clean

__all__ = [
    "ANGELO_2017_SOURCE",
    "AngeloBand",
    "Squeeze",
    "angelo_band",
    "cmh2o_to_mmhg",
    "detect_pressure_contractions",
    "mmhg_to_cmh2o",
    "split_abdominal",
    "squeeze_of",
]

CMH2O_PER_MMHG: Final = 1.35951
"""1 mmHg = 1.35951 cmH2O (clinical.md §7)."""

ANGELO_2017_SOURCE: Final = (
    "Angelo et al. 2017, PLoS ONE e0187045: squeeze bands in cmH2O (clinical.md §7)"
)

AngeloBand = Literal["below_bands", "very_weak", "weak", "moderate", "good", "strong"]

# Upper limits of Angelo's bands (cmH2O, one decimal as published). A value is first rounded
# to one decimal, so 14.54 is "very weak" and 14.56 "weak": the published bands leave no gap.
_ANGELO_UPPER: Final[tuple[tuple[float, AngeloBand], ...]] = (
    (14.5, "very_weak"),
    (26.5, "weak"),
    (41.5, "moderate"),
    (60.5, "good"),
)
_ANGELO_LOWEST: Final = 7.5

_ANGELO_LABELS: Final[Mapping[AngeloBand, Mapping[str, str]]] = MappingProxyType(
    {
        "below_bands": {
            "nl": "onder de laagste band van Angelo (minder dan 7,5 cmH2O)",
            "en": "below Angelo's lowest band (less than 7.5 cmH2O)",
        },
        "very_weak": {"nl": "zeer zwak (Angelo)", "en": "very weak (Angelo)"},
        "weak": {"nl": "zwak (Angelo)", "en": "weak (Angelo)"},
        "moderate": {"nl": "matig (Angelo)", "en": "moderate (Angelo)"},
        "good": {"nl": "goed (Angelo)", "en": "good (Angelo)"},
        "strong": {"nl": "sterk (Angelo)", "en": "strong (Angelo)"},
    }
)


def mmhg_to_cmh2o(pressure_mmhg: float) -> float:
    """Convert mmHg to cmH2O (1 mmHg = 1.35951 cmH2O, clinical.md §7)."""
    return check_finite_number("pressure_mmhg", pressure_mmhg) * CMH2O_PER_MMHG


def cmh2o_to_mmhg(pressure_cmh2o: float) -> float:
    """Convert cmH2O to mmHg (the inverse of :func:`mmhg_to_cmh2o`)."""
    return check_finite_number("pressure_cmh2o", pressure_cmh2o) / CMH2O_PER_MMHG


def angelo_band(squeeze_cmh2o: float) -> AngeloBand:
    """The band of a squeeze in Angelo et al.'s (2017) grading, labelled as theirs.

    7.5–14.5 very weak, 14.6–26.5 weak, 26.6–41.5 moderate, 41.6–60.5 good, 60.6 and over
    strong (cmH2O). The squeeze is rounded to one decimal first, as the bands are published
    to one decimal. Below 7.5 cmH2O Angelo gives no band; Pelvio says ``"below_bands"``
    rather than stretching "very weak" downwards.

    References
    ----------
    Angelo PH et al., PLoS ONE 2017;12(10):e0187045; clinical.md §7.
    """
    value = round(check_finite_number("squeeze_cmh2o", squeeze_cmh2o), 1)
    if value < _ANGELO_LOWEST:
        return "below_bands"
    for upper, band in _ANGELO_UPPER:
        if value <= upper:
            return band
    return "strong"


@dataclass(frozen=True, slots=True)
class Squeeze:
    """Squeeze strength: the highest pressure above the resting pressure, with its band."""

    resting_cmh2o: float
    peak_cmh2o: float
    squeeze_cmh2o: float
    band: AngeloBand

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, with the band's labels (nl, en) and its source."""
        return {
            "resting_cmh2o": self.resting_cmh2o,
            "peak_cmh2o": self.peak_cmh2o,
            "squeeze_cmh2o": self.squeeze_cmh2o,
            "band": self.band,
            "band_label": dict(_ANGELO_LABELS[self.band]),
            "band_source": ANGELO_2017_SOURCE,
        }


def squeeze_of(contractions: Sequence[Contraction], resting_cmh2o: float) -> Squeeze | None:
    """The squeeze of a recording: its highest contraction peak above the resting pressure.

    ``None`` without contractions.
    """
    if not contractions:
        return None
    rest = check_finite_number("resting_cmh2o", resting_cmh2o)
    peak = max(c.peak_uv for c in contractions)
    amount = max(peak - rest, 0.0)
    return Squeeze(rest, peak, amount, angelo_band(amount))


def detect_pressure_contractions(
    pressure_cmh2o: ArrayLike,
    sampling_rate_hz: float,
    *,
    resting_cmh2o: float | ArrayLike | None = None,
    min_rise_cmh2o: float = 5.0,
    lowpass_hz: float | None = 5.0,
    min_on_s: float = 0.3,
    min_off_s: float = 0.3,
    spike_s: float = 0.8,
) -> list[Contraction]:
    """Find contractions in a pressure recording (cmH2O).

    Parameters
    ----------
    pressure_cmh2o
        The raw pressure.
    sampling_rate_hz
        Samples per second.
    resting_cmh2o
        The resting pressure if known (one value or one per sample); else followed in time.
    min_rise_cmh2o
        A contraction rises at least this far above rest (and at least 5 × the rest noise);
        it ends below half this rise (and 2 × the noise).
    lowpass_hz
        Smoothing before detection (:func:`pelvio.signals.pressure_clean`).
    min_on_s, min_off_s, spike_s
        As for :func:`pelvio.signals.detect_contractions`.

    Returns
    -------
    list[Contraction]
        With ``peak_uv`` and ``mean_uv`` holding cmH2O (``to_dict(unit="cmh2o")`` names them
        so).
    """
    return list(
        detect_pressure(
            pressure_cmh2o,
            sampling_rate_hz,
            resting_cmh2o=resting_cmh2o,
            min_rise_cmh2o=min_rise_cmh2o,
            lowpass_hz=lowpass_hz,
            min_on_s=min_on_s,
            min_off_s=min_off_s,
            spike_s=spike_s,
        ).contractions
    )


def detect_pressure(
    pressure_cmh2o: ArrayLike,
    sampling_rate_hz: float,
    *,
    resting_cmh2o: float | ArrayLike | None = None,
    min_rise_cmh2o: float = 5.0,
    lowpass_hz: float | None = 5.0,
    min_on_s: float = 0.3,
    min_off_s: float = 0.3,
    spike_s: float = 0.8,
) -> _Detection:
    """:func:`detect_pressure_contractions` with everything the detector measured."""
    rate = check_sampling_rate(sampling_rate_hz)
    rise = check_range("min_rise_cmh2o", min_rise_cmh2o, low=0.0, low_inclusive=False)
    smooth = pressure_clean(pressure_cmh2o, rate, lowpass_hz=lowpass_hz)
    levels = _Levels(5.0, 2.0, 0.0, 0.0, rise, rise / 2)
    return _detect(
        smooth,
        rate,
        baseline=resting_cmh2o,
        levels=levels,
        min_on_s=min_on_s,
        min_off_s=min_off_s,
        spike_s=spike_s,
        name="pressure_cmh2o",
    )


def split_abdominal(
    contractions: Sequence[Contraction],
    abdominal_cmh2o: ArrayLike,
    sampling_rate_hz: float,
    *,
    resting_cmh2o: float,
    share: float = 0.5,
) -> tuple[list[Contraction], list[Contraction]]:
    """Separate pressure rises made with abdominal effort from pelvic floor contractions.

    A rise counts as abdominal when the abdominal pressure climbs, between its onset and
    offset, by at least ``share`` of the rise itself (its peak above ``resting_cmh2o``); the
    abdominal climb is its median there above its median over the 2 s before onset, so a
    sustained push counts and a brief cough (as in "the knack") does not.

    Returns
    -------
    (pelvic_floor, abdominal)

    References
    ----------
    clinical.md §7 (a rise with abdominal effort is not a pelvic floor contraction).
    """
    rate = check_sampling_rate(sampling_rate_hz)
    part = check_range("share", share, low=0.0, low_inclusive=False)
    rest = check_finite_number("resting_cmh2o", resting_cmh2o)
    abdominal = pressure_clean(abdominal_cmh2o, rate)
    kept: list[Contraction] = []
    moved: list[Contraction] = []
    for c in contractions:
        before = _window(abdominal, rate, c.onset_s - 2.0, c.onset_s)
        during = _window(abdominal, rate, c.onset_s, c.offset_s)
        if before.size == 0 or during.size == 0:
            kept.append(c)
            continue
        climb = float(np.median(during)) - float(np.median(before))
        own = max(c.peak_uv - rest, 0.0)
        (moved if climb > 0.0 and climb >= part * own else kept).append(c)
    return kept, moved


def _window(
    x: NDArray[np.float64], rate: float, start_s: float, end_s: float
) -> NDArray[np.float64]:
    lo, hi = max(0, round(start_s * rate)), min(x.size, round(end_s * rate))
    return x[lo:hi] if hi > lo else np.zeros(0)
