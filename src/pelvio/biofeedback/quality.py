"""Signal quality for the probe setup screen: a few seconds of raw signal, checked before a session.

Each check gives a status (``ok``, ``warn`` or ``bad``), the figure it measured and a message
telling the person what to do; the overall verdict is the worst status. All limits are
Pelvio's own choices (no published rule exists for a home setup check); they are listed in
``docs/biofeedback.md``.

``length``
    Under 1 s nothing else is checked (bad); under 2 s the checks are rough (warn).
``flat``
    The spread (SD about the mean) of the signal. Bad when the signal never changes, or (EMG)
    when one value repeats for 0.25 s or more: a live EMG amplifier never holds a value that
    long, so the stream is stuck. Warn for EMG below 1 µV: less than the rest tone of a pelvic
    floor (several µV, clinical.md §6) and about the noise of an amplifier, so the electrodes
    probably do not touch.
``clipping``
    The share of samples sitting at the signal's own extremes, one sample each not counted:
    samples pinned at the rail of the amplifier or sensor. Counted only when the signal takes at
    least 16 different values (a coarse, slow sensor repeats its top value without clipping).
    Warn from 0.1 %, bad from 1 %.
``hum`` (EMG)
    Mains hum: the Welch power (1 s Hann segments) within 2 Hz of the mains frequency and its
    harmonics, above the median of the spectrum 5–15 Hz either side, as a share of all power in
    the EMG band 20–450 Hz (clinical.md §6). Warn from 20 %, bad from 50 %. The live filter
    notches the hum, but this much hum means poor electrode contact or a mains device nearby.
``drift`` (pressure)
    The least-squares slope of the pressure, in cmH2O/s. Warn from 2 cmH2O/s, bad from
    5 cmH2O/s: a probe leaking or still settling. Breathing alone tilts a stretch of a few
    seconds by up to about 1.5 cmH2O/s, so slower drift cannot be told apart here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.signal import welch

from pelvio._check import check_option, check_range, check_sampling_rate, check_signal
from pelvio.training.model import Text

__all__ = ["CheckName", "Quality", "QualityCheck", "SignalKind", "Status", "signal_quality"]

SignalKind = Literal["emg", "pressure"]
Status = Literal["ok", "warn", "bad"]
CheckName = Literal["length", "flat", "clipping", "hum", "drift"]

_STATUSES: Final[tuple[Status, ...]] = ("ok", "warn", "bad")
_MIN_S: Final = 1.0
_ROUGH_S: Final = 2.0
_STUCK_S: Final = 0.25
_EMG_SMALL_UV: Final = 1.0
_CLIP_MIN_LEVELS: Final = 16
_CLIP_WARN_PCT: Final = 0.1
_CLIP_BAD_PCT: Final = 1.0
_BAND_HZ: Final = (20.0, 450.0)
_HUM_HALF_HZ: Final = 2.0
_HUM_SIDE_HZ: Final = (5.0, 15.0)
_HUM_WARN_PCT: Final = 20.0
_HUM_BAD_PCT: Final = 50.0
_DRIFT_WARN: Final = 2.0
_DRIFT_BAD: Final = 5.0
_EMG_MIN_RATE_HZ: Final = 1000.0


@dataclass(frozen=True, slots=True)
class QualityCheck:
    """One check: its status, the figure measured (in ``unit``) and what to do."""

    name: CheckName
    status: Status
    value: float
    unit: str
    message: Text

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "status", "value", "unit", "message": {"nl", "en"}}``."""
        return {
            "name": self.name,
            "status": self.status,
            "value": self.value,
            "unit": self.unit,
            "message": {"nl": self.message.nl, "en": self.message.en},
        }


@dataclass(frozen=True, slots=True)
class Quality:
    """The verdict of the setup check: the worst status of ``checks``, and a message to show."""

    kind: SignalKind
    duration_s: float
    verdict: Status
    checks: tuple[QualityCheck, ...]
    message: Text

    def check(self, name: CheckName) -> QualityCheck | None:
        """The check called ``name``, or ``None`` if it was not run."""
        return next((c for c in self.checks if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: ``kind``, ``duration_s``, ``verdict``, ``checks``, ``message`` ``{nl, en}``
        (the wire protocol's ``quality`` message)."""
        return {
            "kind": self.kind,
            "duration_s": self.duration_s,
            "verdict": self.verdict,
            "checks": [c.to_dict() for c in self.checks],
            "message": {"nl": self.message.nl, "en": self.message.en},
        }


def signal_quality(
    samples: ArrayLike,
    sampling_rate_hz: float,
    kind: SignalKind,
    mains_hz: float = 50.0,
) -> Quality:
    """Check a few seconds of one channel's raw signal before a session.

    Parameters
    ----------
    samples
        Raw samples of one channel: EMG in µV or pressure in cmH2O.
    sampling_rate_hz
        Samples per second; for EMG at least 1000 (the 20–450 Hz band, clinical.md §6).
    kind
        ``"emg"`` (length, flat, clipping, hum) or ``"pressure"`` (length, flat, clipping,
        drift).
    mains_hz
        The mains frequency (50 Hz in Europe, 60 Hz in the Americas); EMG only.

    Returns
    -------
    Quality
        The checks and the overall verdict (module notes give the limits).

    Raises
    ------
    SignalError
        Empty or non-finite samples, or an EMG rate below 1000 Hz.
    InputError
        An unknown ``kind`` or a mains frequency outside (0, Nyquist).
    """
    check_option("kind", kind, ("emg", "pressure"))
    if kind == "emg":
        rate = check_sampling_rate(
            sampling_rate_hz, min_hz=_EMG_MIN_RATE_HZ, why="the 20–450 Hz EMG band"
        )
        mains = check_range(
            "mains_hz", mains_hz, low=0.0, high=rate / 2, low_inclusive=False, unit="Hz"
        )
    else:
        rate = check_sampling_rate(sampling_rate_hz)
        mains = 0.0
    x = check_signal("samples", samples)
    duration_s = x.size / rate
    checks = [_length(duration_s)]
    if duration_s >= _MIN_S:
        checks.append(_flat(x, rate, kind))
        checks.append(_clipping(x, kind))
        checks.append(_hum(x, rate, mains) if kind == "emg" else _drift(x, rate))
    worst = max(checks, key=lambda c: _STATUSES.index(c.status))
    return Quality(kind, duration_s, worst.status, tuple(checks), _verdict_message(worst))


def _length(duration_s: float) -> QualityCheck:
    if duration_s < _MIN_S:
        status: Status = "bad"
        message = Text(
            f"Te weinig signaal om te controleren. Meet minstens {_ROUGH_S:g} seconden.",
            f"Too little signal to check. Record at least {_ROUGH_S:g} seconds.",
        )
    elif duration_s < _ROUGH_S:
        status = "warn"
        message = Text(
            f"Kort stukje signaal. Meet {_ROUGH_S:g} seconden of langer voor een betere controle.",
            f"A short piece of signal. Record {_ROUGH_S:g} seconds or more for a better check.",
        )
    else:
        status = "ok"
        message = Text("Lang genoeg gemeten.", "Long enough.")
    return QualityCheck("length", status, duration_s, "s", message)


def _flat(x: NDArray[np.float64], rate: float, kind: SignalKind) -> QualityCheck:
    unit = "uV" if kind == "emg" else "cmH2O"
    spread = float(np.std(x))
    stuck_s = _longest_repeat(x) / rate
    if float(np.ptp(x)) == 0.0 or (kind == "emg" and stuck_s >= _STUCK_S):
        status: Status = "bad"
        if kind == "emg":
            message = Text(
                "Het signaal is een vlakke lijn of staat stil. Controleer of de sonde is "
                "aangesloten en aan staat.",
                "The signal is a flat line or frozen. Check that the probe is connected and "
                "switched on.",
            )
        else:
            message = Text(
                "De druk verandert helemaal niet. Controleer de kabel en het slangetje. "
                "Span daarna even aan om te zien of de lijn beweegt.",
                "The pressure does not change at all. Check the cable and the tube. Then "
                "squeeze once to see the line move.",
            )
    elif kind == "emg" and spread < _EMG_SMALL_UV:
        status = "warn"
        message = Text(
            "Heel weinig signaal. Controleer of de sonde goed zit en de elektroden contact maken.",
            "Very little signal. Check that the probe sits well and the electrodes make contact.",
        )
    else:
        status = "ok"
        message = Text("Er is signaal.", "There is a signal.")
    return QualityCheck("flat", status, spread, unit, message)


def _longest_repeat(x: NDArray[np.float64]) -> int:
    """Longest run of one value repeated, in samples."""
    same = np.concatenate(([False], x[1:] == x[:-1], [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(same))
    if edges.size == 0:
        return 1
    return int(np.max(edges[1::2] - edges[::2])) + 1


def _clipping(x: NDArray[np.float64], kind: SignalKind) -> QualityCheck:
    pct = 0.0
    if np.unique(x).size >= _CLIP_MIN_LEVELS:
        top = int(np.count_nonzero(x == x.max())) - 1
        bottom = int(np.count_nonzero(x == x.min())) - 1
        pct = (top + bottom) / x.size * 100.0
    status = _status(pct, _CLIP_WARN_PCT, _CLIP_BAD_PCT)
    if status == "ok":
        message = Text("Het signaal blijft binnen het meetbereik.", "The signal stays in range.")
    elif kind == "emg":
        message = Text(
            "Het signaal raakt de grens van het meetbereik. Controleer het contact van de "
            "elektroden en lig even stil.",
            "The signal hits the edge of the measuring range. Check the electrode contact and "
            "keep still for a moment.",
        )
    else:
        message = Text(
            "De druk raakt de grens van de sensor. Controleer de sonde en het slangetje, en "
            "probeer het opnieuw.",
            "The pressure hits the edge of the sensor's range. Check the probe and the tube, "
            "then try again.",
        )
    return QualityCheck("clipping", status, pct, "%", message)


def _hum(x: NDArray[np.float64], rate: float, mains_hz: float) -> QualityCheck:
    pct = _hum_pct(x, rate, mains_hz)
    status = _status(pct, _HUM_WARN_PCT, _HUM_BAD_PCT)
    if status == "ok":
        message = Text("Geen storende brom van het stroomnet.", "No disturbing mains hum.")
    else:
        message = Text(
            "Er zit brom van het stroomnet in het signaal. Controleer het contact van de "
            "elektroden en ga verder weg van opladers en andere apparaten aan het stopcontact.",
            "There is mains hum in the signal. Check the electrode contact and move away from "
            "chargers and other plugged-in devices.",
        )
    return QualityCheck("hum", status, pct, "%", message)


def _hum_pct(x: NDArray[np.float64], rate: float, mains_hz: float) -> float:
    """Power at the mains harmonics above the local floor, as % of the 20–450 Hz band power."""
    nperseg = min(x.size, round(rate))
    freqs, psd = welch(x, fs=rate, window="hann", nperseg=nperseg, detrend="constant")
    low, high = _BAND_HZ[0], min(_BAND_HZ[1], rate / 2)
    band = (freqs >= low) & (freqs <= high)
    total = float(psd[band].sum())
    if total <= 0.0:
        return 0.0
    excess = 0.0
    harmonic = mains_hz
    while harmonic <= high:
        if harmonic >= low:
            near = np.abs(freqs - harmonic) <= _HUM_HALF_HZ
            distance = np.abs(freqs - harmonic)
            side = (distance >= _HUM_SIDE_HZ[0]) & (distance <= _HUM_SIDE_HZ[1])
            floor = float(np.median(psd[side])) if side.any() else 0.0
            excess += float(np.clip(psd[near] - floor, 0.0, None).sum())
        harmonic += mains_hz
    return min(excess / total * 100.0, 100.0)


def _drift(x: NDArray[np.float64], rate: float) -> QualityCheck:
    t = np.arange(x.size) / rate
    t -= t.mean()
    per_s = float(np.dot(t, x - x.mean()) / np.dot(t, t))
    status = _status(abs(per_s), _DRIFT_WARN, _DRIFT_BAD)
    if status == "ok":
        message = Text("De druk is stabiel.", "The pressure is steady.")
    else:
        message = Text(
            "De druk loopt nog weg. Laat de sonde een halve minuut rustig zitten en controleer "
            "opnieuw. Blijft het zo? Controleer dan of de sonde lekt.",
            "The pressure is still drifting. Leave the probe in place for half a minute and "
            "check again. If it keeps drifting, check the probe for a leak.",
        )
    return QualityCheck("drift", status, per_s, "cmH2O/s", message)


def _status(value: float, warn: float, bad: float) -> Status:
    """``bad`` from ``bad`` up, ``warn`` from ``warn`` up, else ``ok``."""
    return "bad" if value >= bad else "warn" if value >= warn else "ok"


def _verdict_message(worst: QualityCheck) -> Text:
    if worst.status == "ok":
        return Text(
            "Het signaal ziet er goed uit. Je kunt beginnen.",
            "The signal looks good. You can start.",
        )
    return worst.message
