"""Scoring a live biofeedback session against its template: pure, on the decimated envelope.

The biofeedback principle is that the person sees the muscle's activity against a target and
learns from that feedback to squeeze, hold and let go (clinical.md §6, the Glazer protocol's
envelope and its phases). A guided session asks for squeezes at a target effort (0..1 of the
person's own calibrated range); :func:`score_guided` says for each squeeze whether it

reached the target
    the peak of the envelope, smoothed over 0.25 s, is at least :data:`REACH_FRACTION` (80 %) of
    the target's height above the rest baseline;
was held for the time asked
    the longest stretch above :data:`HOLD_FRACTION` (60 %) of the target's height, with dips
    shorter than 0.25 s bridged, lasts at least the time asked minus a tolerance: 20 % of it,
    and at least 0.5 s (:data:`HOLD_TOLERANCE_FRACTION`, :data:`HOLD_TOLERANCE_MIN_S`);
released to baseline within the rest
    after the cue ends, the envelope falls below the baseline plus :data:`RELEASE_FRACTION`
    (20 %) of the squeeze's own height and stays there for 0.25 s, before the rest that follows
    ends (the Glazer recovery of ``pelvio analyze`` uses 10 %: a live trailing envelope is
    noisier, and this is feedback to a patient rather than a measurement);
tightened the belly too (with a second, abdominal channel)
    the abdominal envelope's mean during the squeeze is at least :data:`CO_CONTRACTION_RATIO`
    (3×) its own rest level. Some abdominal activity goes with a pelvic floor squeeze (up to
    about twice the rest level in Pelvio's simulator); three times is Pelvio's line for "the
    belly worked hard too". Leaflet 004 asks to squeeze
    without the belly, buttocks or thighs, and a rise made with abdominal effort is not a pelvic
    floor contraction (clinical.md §1 and §7).

**There is no published scoring rule for this.** Every threshold above, the smoothing, the
0.5 s allowed for reaction and the trailing envelope (:data:`REACTION_S`), the calibration
rule and the relaxation rules are Pelvio's own choices, made so that the scores match what a
person sees on the curve. They are stated in ``docs/biofeedback.md`` so users and therapists
can see them.

Times are seconds from the start of the session, the same clock as the cues; envelope sample
``i`` is at ``i / envelope_rate_hz``. Every rule compares differences from the baseline with
fractions of the calibrated range, so multiplying the envelope, baseline and maximum by the
same gain changes no score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.ndimage import median_filter

from pelvio._check import check_range, check_sampling_rate, check_signal
from pelvio.errors import InputError, SignalError
from pelvio.signals.glazer import variability_pct
from pelvio.signals.simulate import TimelineStep
from pelvio.training.model import CONTRACTING_ACTIONS, Text
from pelvio.training.timeline import Timeline

__all__ = [
    "CO_CONTRACTION_RATIO",
    "HOLD_FRACTION",
    "HOLD_TOLERANCE_FRACTION",
    "HOLD_TOLERANCE_MIN_S",
    "REACH_FRACTION",
    "REACTION_S",
    "RELEASE_FRACTION",
    "Calibration",
    "ContractionScore",
    "GuidedScore",
    "RelaxationSummary",
    "RestTone",
    "RestToneTracker",
    "RestWindow",
    "TemplateCue",
    "calibrate",
    "cues_from_steps",
    "cues_from_timeline",
    "relaxation_summary",
    "score_guided",
    "template_band",
]

REACH_FRACTION: Final = 0.8
"""A squeeze reached its target when its smoothed peak is this share of the target's height."""
HOLD_FRACTION: Final = 0.6
"""The hold level: this share of the target's height above the baseline."""
HOLD_TOLERANCE_FRACTION: Final = 0.2
"""Held when the hold lasts the time asked minus this share of it (and at least ...)."""
HOLD_TOLERANCE_MIN_S: Final = 0.5
"""... minus at least this many seconds, so a 1 s quick squeeze needs 0.5 s."""
RELEASE_FRACTION: Final = 0.2
"""Released when below the baseline plus this share of the squeeze's own height."""
CO_CONTRACTION_RATIO: Final = 3.0
"""Abdominal co-contraction: its envelope during the squeeze over its own rest level."""
REACTION_S: Final = 0.5
"""The peak and the hold are sought up to this long after the cue ends (reaction, lag)."""
BAND_FRACTION: Final = 0.2
"""The template band reaches this share of the target's height either side of it."""
REST_BAND_FRACTION: Final = 0.1
"""For a rest cue (target 0) the band runs from the baseline up this share of the range."""

_SMOOTH_S: Final = 0.25
_BRIDGE_S: Final = 0.25
_SETTLE_S: Final = 0.25
_NO_REST_S: Final = 5.0
_CALIBRATION_SMOOTH_S: Final = 0.5
_CALIBRATION_PERCENTILE: Final = 95.0
_CALIBRATION_MIN_S: Final = 1.0
_CLEAR_NOISE_SDS: Final = 3.0
_CLEAR_BASELINE_SHARE: Final = 0.1
_MOST: Final = 0.5
_RELAX_WINDOW_S: Final = 10.0
_LOWER_PCT: Final = 5.0
_STEADIER_SHARE: Final = 0.9
_RELAX_MIN_S: Final = 1.0
_EPS: Final = 1e-9


# --- template -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateCue:
    """One cue of a session template, in seconds from the session start.

    ``action`` ``"contract"`` (and the other squeezing actions of
    :data:`pelvio.training.model.CONTRACTING_ACTIONS`, ``"quick"`` and ``"knack"``) is a
    squeeze to be scored; anything else (``"relax"``, ``"rest"``, ``"breathe"``) is rest.
    ``target`` is the effort asked, 0..1 of the calibrated range; a squeeze needs one above 0.
    """

    start_s: float
    end_s: float
    action: str
    target: float

    def __post_init__(self) -> None:
        start = check_range("start_s", self.start_s, low=0.0, unit="s")
        check_range("end_s", self.end_s, low=start, low_inclusive=False, unit="s")
        if not isinstance(self.action, str) or not self.action:
            raise InputError(f"action must be a non-empty string, got {self.action!r}")
        low_inclusive = not self.is_squeeze
        target = check_range("target", self.target, low=0.0, high=1.0, low_inclusive=low_inclusive)
        object.__setattr__(self, "start_s", start)
        object.__setattr__(self, "end_s", float(self.end_s))
        object.__setattr__(self, "target", target)

    @property
    def is_squeeze(self) -> bool:
        """Whether this cue asks for a squeeze (and is scored)."""
        return self.action in CONTRACTING_ACTIONS

    @property
    def duration_s(self) -> float:
        """Length of the cue in seconds."""
        return self.end_s - self.start_s


def cues_from_timeline(timeline: Timeline) -> tuple[TemplateCue, ...]:
    """The template of a training programme's timeline, one :class:`TemplateCue` per cue.

    Extra squeezes inside a hold (pulses) are left out: the squeeze is scored against the
    hold's own target; :func:`pelvio.training.timeline.target_at` still draws them.
    """
    return tuple(
        TemplateCue(float(cue.start_s), float(cue.end_s), cue.action, cue.target)
        for cue in timeline.cues
    )


def cues_from_steps(steps: Iterable[TimelineStep]) -> tuple[TemplateCue, ...]:
    """Lay simulator/protocol steps back to back from 0 s as template cues.

    For the Glazer protocol: ``cues_from_steps(s for _, phase in GLAZER_PROTOCOL for s in
    phase)`` with :data:`pelvio.signals.simulate.GLAZER_PROTOCOL`.
    """
    cues: list[TemplateCue] = []
    start_s = 0.0
    for step in steps:
        end_s = start_s + step.duration_s
        cues.append(TemplateCue(start_s, end_s, step.action, step.target))
        start_s = end_s
    return tuple(cues)


def template_band(cue_target: float, baseline_uv: float, max_uv: float) -> tuple[float, float]:
    """The band drawn around a cue's target, in µV (or cmH2O): ``(low_uv, high_uv)``.

    The target level is ``baseline + target × (max − baseline)``. For a target above 0 the band
    runs :data:`BAND_FRACTION` (20 %) of the target's height either side of it, so its lower
    edge is the level a squeeze must reach to count as reaching the target
    (:data:`REACH_FRACTION`). For a rest cue (target 0) it runs from the baseline up
    :data:`REST_BAND_FRACTION` (10 %) of the range. Pelvio's own choice; the browser draws the
    same band: ``low = baseline + (1 − 0.2) × target × range``, ``high = baseline + 1.2 × target
    × range``, and for target 0 ``(baseline, baseline + 0.1 × range)``.
    """
    calibration = Calibration(baseline_uv, max_uv)
    target = check_range("cue_target", cue_target, low=0.0, high=1.0)
    span = calibration.max_uv - calibration.baseline_uv
    if target == 0.0:
        return calibration.baseline_uv, calibration.baseline_uv + REST_BAND_FRACTION * span
    low = calibration.baseline_uv + (1.0 - BAND_FRACTION) * target * span
    high = calibration.baseline_uv + (1.0 + BAND_FRACTION) * target * span
    return low, high


# --- calibration --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Calibration:
    """A person's rest baseline and maximal squeeze on the envelope, in µV (or cmH2O)."""

    baseline_uv: float
    max_uv: float

    def __post_init__(self) -> None:
        baseline = check_range("baseline_uv", self.baseline_uv)
        check_range("max_uv", self.max_uv, low=baseline, low_inclusive=False)

    def level(self, target: float) -> float:
        """The envelope level of a target effort (0..1): ``baseline + target × range``."""
        return self.baseline_uv + target * (self.max_uv - self.baseline_uv)

    def to_dict(self) -> dict[str, float]:
        """``{"baseline_uv", "max_uv"}``: the ``calibration`` message of the wire protocol."""
        return {"baseline_uv": self.baseline_uv, "max_uv": self.max_uv}


def calibrate(
    envelope_uv: ArrayLike,
    envelope_rate_hz: float,
    *,
    rest: tuple[float, float],
    squeeze: tuple[float, float],
) -> Calibration:
    """Measure the rest baseline and the maximal squeeze from a calibration recording.

    Parameters
    ----------
    envelope_uv
        The envelope, sample ``i`` at ``i / envelope_rate_hz`` seconds.
    envelope_rate_hz
        Its sampling rate.
    rest, squeeze
        ``(start_s, end_s)`` of the rest stretch and of the maximal squeeze, each at least 1 s
        and within the envelope.

    Returns
    -------
    Calibration
        ``baseline_uv``: the median envelope of the rest stretch; ``max_uv``: the 95th
        percentile, during the squeeze, of the envelope's running median over 0.5 s (a robust
        peak that spikes shorter than a quarter second do not set).

    Raises
    ------
    InputError
        A stretch outside the envelope or shorter than 1 s.
    SignalError
        An envelope that is empty or not finite, or "no squeeze seen during calibration": the
        maximum does not clear the baseline by 3 SDs of the rest envelope and by 10 % of the
        baseline (Pelvio's own rule).
    """
    rate = check_sampling_rate(envelope_rate_hz)
    x = check_signal("envelope_uv", envelope_uv)
    r0, r1 = _stretch("rest", rest, x.size, rate)
    s0, s1 = _stretch("squeeze", squeeze, x.size, rate)
    baseline = float(np.median(x[r0:r1]))
    rest_sd = float(np.std(x[r0:r1]))
    smooth = median_filter(x, size=_odd_width(_CALIBRATION_SMOOTH_S, rate), mode="nearest")
    peak = float(np.percentile(smooth[s0:s1], _CALIBRATION_PERCENTILE))
    rise = peak - baseline
    needed = max(_CLEAR_NOISE_SDS * rest_sd, _CLEAR_BASELINE_SHARE * abs(baseline))
    if not rise > needed or rise <= _EPS * max(abs(peak), abs(baseline), 1.0):
        raise SignalError(
            f"no squeeze seen during calibration: the squeeze reached {peak:.3g}, "
            f"{rise:.3g} above the rest baseline {baseline:.3g}; it must be at least "
            f"{needed:.3g} above it. Squeeze as hard as you can when asked, then try again.",
            field="squeeze",
        )
    return Calibration(baseline, peak)


def _stretch(name: str, span: tuple[float, float], n: int, rate: float) -> tuple[int, int]:
    try:
        start_s, end_s = span
    except (TypeError, ValueError):
        raise InputError(f"{name} must be (start_s, end_s), got {span!r}", field=name) from None
    start = check_range(f"{name} start_s", start_s, low=0.0, unit="s")
    end = check_range(
        f"{name} end_s", end_s, low=start + _CALIBRATION_MIN_S, high=n / rate + _EPS, unit="s"
    )
    return _index(start, rate), min(_index(end, rate), n)


# --- guided scoring -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContractionScore:
    """The score of one squeeze cue (module notes give the rules).

    Attributes
    ----------
    index
        The cue's position in the ``cues`` given to :func:`score_guided`.
    target_uv
        The target level: ``baseline + target × (max − baseline)``.
    peak_uv
        The highest envelope, smoothed over 0.25 s, from the cue until 0.5 s after it.
    peak_pct_of_target
        The peak's height above the baseline as % of the target's height.
    held_s, asked_s
        The longest stretch above the hold level (at most ``asked_s``), and the cue's length.
    release_s
        Seconds from the cue's end until back at baseline; ``None`` if not released in the rest.
    co_contraction_ratio
        Abdominal envelope during the squeeze over its rest level; ``None`` without a second
        channel (or without abdominal rest to compare with).
    """

    index: int
    start_s: float
    end_s: float
    target: float
    target_uv: float
    peak_uv: float
    peak_pct_of_target: float
    held_s: float
    asked_s: float
    release_s: float | None
    co_contraction_ratio: float | None
    reached: bool
    held: bool
    released: bool
    co_contraction: bool | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: every attribute under its own name (the wire protocol's ``score``)."""
        return {
            "index": self.index,
            "start_s": self.start_s,
            "end_s": self.end_s,
            "target": self.target,
            "target_uv": self.target_uv,
            "peak_uv": self.peak_uv,
            "peak_pct_of_target": self.peak_pct_of_target,
            "held_s": self.held_s,
            "asked_s": self.asked_s,
            "release_s": self.release_s,
            "co_contraction_ratio": self.co_contraction_ratio,
            "reached": self.reached,
            "held": self.held,
            "released": self.released,
            "co_contraction": self.co_contraction,
        }


@dataclass(frozen=True, slots=True)
class GuidedScore:
    """The scores of a guided session and their summary in plain words.

    ``squeezes`` counts the squeeze cues of the template, ``scored`` those completed (the
    squeeze and its release could be judged), ``skipped`` the rest (a session stopped early).
    ``co_contractions`` is ``None`` without a second channel.
    """

    contractions: tuple[ContractionScore, ...]
    squeezes: int
    scored: int
    skipped: int
    reached: int
    held: int
    released: int
    co_contractions: int | None
    summary: Text

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe document: the counts, ``contractions`` and ``summary`` ``{nl, en}``."""
        return {
            "squeezes": self.squeezes,
            "scored": self.scored,
            "skipped": self.skipped,
            "reached": self.reached,
            "held": self.held,
            "released": self.released,
            "co_contractions": self.co_contractions,
            "contractions": [score.to_dict() for score in self.contractions],
            "summary": {"nl": self.summary.nl, "en": self.summary.en},
        }


def score_guided(
    cues: Sequence[TemplateCue],
    envelope_uv: ArrayLike,
    envelope_rate_hz: float,
    calibration: Calibration,
    abdominal_uv: ArrayLike | None = None,
) -> GuidedScore:
    """Score each squeeze of a guided session against its template.

    Parameters
    ----------
    cues
        The session template, in the envelope's clock (seconds from the session start).
    envelope_uv
        The pelvic floor envelope so far (the decimated trailing RMS, or pressure in cmH2O);
        sample ``i`` at ``i / envelope_rate_hz``. A session stopped early gives a shorter one.
    envelope_rate_hz
        Its sampling rate (50–100 Hz live).
    calibration
        The person's baseline and maximum (:func:`calibrate`).
    abdominal_uv
        The abdominal channel's envelope, same rate and length, if the probe has one.

    Returns
    -------
    GuidedScore
        A squeeze is scored once its release can be judged: the envelope runs past the peak
        search and either shows the release or covers the whole rest that follows (the rest
        cues up to the next squeeze; 5 s if the template ends with the squeeze). Scores do not
        change as the envelope grows, except the co-contraction ratio, whose rest level uses
        all rest seen so far; call it again as the session runs to score squeezes live.

    Raises
    ------
    SignalError
        An empty or non-finite envelope, or an abdominal envelope of another length.
    InputError
        A bad rate or something other than :class:`TemplateCue` s and a :class:`Calibration`.

    References
    ----------
    clinical.md §6 (biofeedback on the RMS envelope, recovery to baseline), §1 and §7
    (squeeze without the belly; abdominal effort is not a pelvic floor contraction), §2 (a
    physiotherapist is advised for trouble contracting or relaxing). The thresholds are
    Pelvio's own (module notes).
    """
    rate = check_sampling_rate(envelope_rate_hz)
    x = check_signal("envelope_uv", envelope_uv)
    if not isinstance(calibration, Calibration):
        raise InputError("calibration must be a Calibration", field="calibration")
    template = tuple(cues)
    for cue in template:
        if not isinstance(cue, TemplateCue):
            raise InputError(f"cues must be TemplateCue values, got {cue!r}", field="cues")
    abdominal = None
    if abdominal_uv is not None:
        abdominal = check_signal("abdominal_uv", abdominal_uv)
        if abdominal.size != x.size:
            raise SignalError(
                f"abdominal_uv must match envelope_uv sample for sample: {abdominal.size} "
                f"samples against {x.size}",
                field="abdominal_uv",
            )
    smooth = _moving_mean(x, _odd_width(_SMOOTH_S, rate))
    windows = [_windows(template, i, rate) for i, cue in enumerate(template) if cue.is_squeeze]
    abdominal_rest = _abdominal_rest(abdominal, windows, x.size)
    scores: list[ContractionScore] = []
    for window in windows:
        score = _score(template[window.index], window, x, smooth, rate, calibration)
        if score is None:
            continue
        if abdominal is not None:
            score = _with_abdominal(score, window, abdominal, abdominal_rest)
        scores.append(score)
    return _guided(tuple(scores), len(windows), abdominal is not None)


@dataclass(frozen=True, slots=True)
class _Window:
    """Sample indices of one squeeze: cue, peak search end, rest end."""

    index: int
    start: int
    end: int
    peak_end: int
    rest_end: int


def _windows(template: tuple[TemplateCue, ...], index: int, rate: float) -> _Window:
    cue = template[index]
    later = [c for c in template[index + 1 :] if c.start_s >= cue.end_s - _EPS]
    following = [c for c in later if c.is_squeeze]
    if following:
        rest_end_s = min(c.start_s for c in following)
    elif later:
        rest_end_s = max(c.end_s for c in later)
    else:
        rest_end_s = cue.end_s + _NO_REST_S
    start, end = _index(cue.start_s, rate), _index(cue.end_s, rate)
    rest_end = max(_index(rest_end_s, rate), end)
    peak_end = max(min(_index(cue.end_s + REACTION_S, rate), rest_end), end)
    return _Window(index, start, end, peak_end, rest_end)


def _score(
    cue: TemplateCue,
    w: _Window,
    x: NDArray[np.float64],
    smooth: NDArray[np.float64],
    rate: float,
    calibration: Calibration,
) -> ContractionScore | None:
    if x.size < w.peak_end or w.peak_end <= w.start:
        return None
    baseline = calibration.baseline_uv
    target_uv = calibration.level(cue.target)
    height = target_uv - baseline
    peak = float(np.max(smooth[w.start : w.peak_end]))
    hold_level = baseline + HOLD_FRACTION * height
    run = _longest_run(x[w.start : w.peak_end] >= hold_level, _samples(_BRIDGE_S, rate))
    release_level = baseline + RELEASE_FRACTION * max(peak - baseline, 0.0)
    release = _release(x, w, release_level, _samples(_SETTLE_S, rate))
    if release is None and x.size < w.rest_end:
        return None  # still in the rest: the release cannot be judged yet
    asked_s = cue.duration_s
    held_s = round(min(run / rate, asked_s), 6)
    tolerance_s = max(HOLD_TOLERANCE_FRACTION * asked_s, HOLD_TOLERANCE_MIN_S)
    release_s = None if release is None else round(max(release / rate - cue.end_s, 0.0), 6)
    return ContractionScore(
        index=w.index,
        start_s=cue.start_s,
        end_s=cue.end_s,
        target=cue.target,
        target_uv=target_uv,
        peak_uv=peak,
        peak_pct_of_target=(peak - baseline) / height * 100.0,
        held_s=held_s,
        asked_s=asked_s,
        release_s=release_s,
        co_contraction_ratio=None,
        reached=peak - baseline >= REACH_FRACTION * height,
        held=held_s >= asked_s - tolerance_s - _EPS,
        released=release is not None,
        co_contraction=None,
    )


def _release(x: NDArray[np.float64], w: _Window, level: float, settle: int) -> int | None:
    """Index where the envelope goes below ``level`` to stay ``settle`` samples (or to the rest's
    end), within the rest; ``None`` if it does not (yet)."""
    stop = min(w.rest_end, x.size)
    for first, last in _runs(x[w.end : stop] < level):
        if last - first >= settle or w.end + last == w.rest_end:
            return w.end + first
    return None


def _abdominal_rest(
    abdominal: NDArray[np.float64] | None, windows: list[_Window], n: int
) -> float | None:
    if abdominal is None:
        return None
    rest = np.ones(n, dtype=np.bool_)
    for w in windows:
        rest[w.start : w.peak_end] = False
    if not rest.any():
        return None
    level = float(np.median(abdominal[rest]))
    return level if level > 0.0 else None


def _with_abdominal(
    score: ContractionScore, w: _Window, abdominal: NDArray[np.float64], rest: float | None
) -> ContractionScore:
    if rest is None or w.end <= w.start:
        return replace(score, co_contraction_ratio=None, co_contraction=False)
    ratio = float(np.mean(abdominal[w.start : w.end])) / rest
    return replace(score, co_contraction_ratio=ratio, co_contraction=ratio >= CO_CONTRACTION_RATIO)


def _guided(scores: tuple[ContractionScore, ...], squeezes: int, two_channels: bool) -> GuidedScore:
    co = sum(1 for s in scores if s.co_contraction) if two_channels else None
    counts = {
        "scored": len(scores),
        "reached": sum(1 for s in scores if s.reached),
        "held": sum(1 for s in scores if s.held),
        "released": sum(1 for s in scores if s.released),
    }
    skipped = squeezes - len(scores)
    return GuidedScore(
        contractions=scores,
        squeezes=squeezes,
        scored=counts["scored"],
        skipped=skipped,
        reached=counts["reached"],
        held=counts["held"],
        released=counts["released"],
        co_contractions=co,
        summary=_guided_summary(counts, skipped, co),
    )


def _guided_summary(counts: dict[str, int], skipped: int, co: int | None) -> Text:
    n = counts["scored"]
    nl: list[str] = []
    en: list[str] = []
    if n == 0:
        nl.append("Er is nog geen oefening afgerond, dus er valt nog niets te beoordelen.")
        en.append("No squeeze was completed, so there is nothing to score yet.")
        return Text(" ".join(nl), " ".join(en))
    reached, held, released = counts["reached"], counts["held"], counts["released"]
    nl.append(f"Je hebt {n} keer aangespannen.")
    en.append(f"You did {n} {'squeeze' if n == 1 else 'squeezes'}.")
    nl.append(f"Doel gehaald: {reached} van de {n}.")
    en.append(f"Target reached: {reached} of {n}.")
    nl.append(f"Lang genoeg vastgehouden: {held} van de {n}.")
    en.append(f"Held long enough: {held} of {n}.")
    nl.append(f"Daarna goed losgelaten: {released} van de {n}.")
    en.append(f"Fully let go afterwards: {released} of {n}.")
    if co:
        nl.append(
            f"{co} van de {n} keer spande je buik ook mee. "
            "Probeer je buik zacht te houden terwijl je aanspant."
        )
        en.append(
            f"Your belly tightened too in {co} of {n} squeezes. Try to keep it soft as you squeeze."
        )
    if skipped:
        nl.append(f"De sessie stopte eerder: {skipped} keer aanspannen is niet beoordeeld.")
        were = "squeeze was" if skipped == 1 else "squeezes were"
        en.append(f"The session stopped early: {skipped} {were} not scored.")
    weak_reach = reached < n * _MOST
    poor_release = released < n * _MOST
    if reached == held == released == n and not co:
        nl.append("Goed gedaan!")
        en.append("Well done!")
    else:
        nl.append("Goed dat je oefent. Elke keer helpt.")
        en.append("Good that you are practising. Every session helps.")
    if weak_reach or poor_release:
        what_nl = "het doel halen" if weak_reach else "loslaten"
        what_en = "reaching the target" if weak_reach else "letting go"
        if weak_reach and poor_release:
            what_nl, what_en = "het doel halen en loslaten", "reaching the target and letting go"
        nl.append(
            f"Blijft {what_nl} lastig? Bespreek het dan met een bekkenfysiotherapeut. "
            "Die kan je daarbij helpen."
        )
        en.append(
            f"If {what_en} stays hard, talk it over with a pelvic physiotherapist. "
            "They can help you with it."
        )
    return Text(" ".join(nl), " ".join(en))


# --- relaxation (down-training) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RestWindow:
    """The rest tone over one window: mean and variability (population SD / mean, %)."""

    start_s: float
    end_s: float
    mean_uv: float
    variability_pct: float | None

    def to_dict(self) -> dict[str, float | None]:
        """``{"start_s", "end_s", "mean_uv", "variability_pct"}``."""
        return {
            "start_s": self.start_s,
            "end_s": self.end_s,
            "mean_uv": self.mean_uv,
            "variability_pct": self.variability_pct,
        }


@dataclass(frozen=True, slots=True)
class RelaxationSummary:
    """How the rest tone went during a down-training session.

    ``change_pct`` is the last window's mean against the person's own baseline;
    ``lower`` means at least 5 % below it; ``steadier`` means the last window's variability is
    at most 90 % of the first's (Pelvio's own lines).
    """

    baseline_uv: float
    window_s: float
    windows: tuple[RestWindow, ...]
    change_pct: float
    lower: bool
    steadier: bool
    summary: Text

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: ``baseline_uv``, ``window_s``, ``windows``, ``change_pct``, ``lower``,
        ``steadier``, ``summary`` ``{nl, en}``."""
        return {
            "baseline_uv": self.baseline_uv,
            "window_s": self.window_s,
            "windows": [window.to_dict() for window in self.windows],
            "change_pct": self.change_pct,
            "lower": self.lower,
            "steadier": self.steadier,
            "summary": {"nl": self.summary.nl, "en": self.summary.en},
        }


def relaxation_summary(
    envelope_uv: ArrayLike,
    envelope_rate_hz: float,
    baseline_uv: float,
    *,
    window_s: float = _RELAX_WINDOW_S,
) -> RelaxationSummary:
    """Summarise a relaxation session: is the rest tone lower and steadier than at the start?

    Parameters
    ----------
    envelope_uv
        The envelope of the session (at least 1 s).
    envelope_rate_hz
        Its sampling rate.
    baseline_uv
        The person's own rest baseline (from :func:`calibrate` or the session's first minute),
        above 0.
    window_s
        Window length; the envelope is cut into windows from its start, and a last part shorter
        than half a window joins the window before it.

    Returns
    -------
    RelaxationSummary
        Per window the mean and the variability (coefficient of variation with the population
        SD, clinical.md §6, via :func:`pelvio.signals.glazer.variability_pct`), the change of
        the last window against the baseline and whether the tone got lower and steadier.

    Raises
    ------
    SignalError
        An empty, non-finite or shorter than 1 s envelope.
    InputError
        A baseline not above 0, or a window outside 1–600 s.
    """
    rate = check_sampling_rate(envelope_rate_hz)
    x = check_signal("envelope_uv", envelope_uv, min_samples=2)
    if x.size / rate < _RELAX_MIN_S:
        raise SignalError(
            f"envelope_uv is too short: {x.size / rate:.2f} s, need at least {_RELAX_MIN_S:g} s",
            field="envelope_uv",
        )
    baseline = check_range("baseline_uv", baseline_uv, low=0.0, low_inclusive=False)
    seconds = check_range("window_s", window_s, low=1.0, high=600.0, unit="s")
    windows = tuple(
        RestWindow(a / rate, b / rate, float(np.mean(x[a:b])), variability_pct(x[a:b]))
        for a, b in _window_edges(x.size, _samples(seconds, rate))
    )
    first, last = windows[0], windows[-1]
    change = (last.mean_uv - baseline) / baseline * 100.0
    steadier = (
        len(windows) > 1
        and first.variability_pct is not None
        and last.variability_pct is not None
        and last.variability_pct <= _STEADIER_SHARE * first.variability_pct
    )
    lower = change <= -_LOWER_PCT
    return RelaxationSummary(
        baseline, seconds, windows, change, lower, steadier, _relax_summary(change, lower, steadier)
    )


def _window_edges(n: int, width: int) -> list[tuple[int, int]]:
    pairs = list(pairwise([*range(0, n, width), n]))
    if len(pairs) > 1 and pairs[-1][1] - pairs[-1][0] < width / 2:
        pairs[-2:] = [(pairs[-2][0], n)]
    return pairs


def _relax_summary(change: float, lower: bool, steadier: bool) -> Text:
    amount = f"{abs(change):.0f} %"
    if lower and steadier:
        return Text(
            f"Je rustspanning is {amount} lager geworden en rustiger. "
            "Dat is precies het doel. Goed gedaan!",
            f"Your rest tone went down by {amount} and became steadier. "
            "That is exactly the aim. Well done!",
        )
    if lower:
        return Text(
            f"Je rustspanning is {amount} lager geworden. Mooi! "
            "Hij is nog niet rustiger. Adem rustig door en laat telkens weer los.",
            f"Your rest tone went down by {amount}. Nice! It is not steadier yet. "
            "Keep breathing calmly and let go again each time.",
        )
    direction_nl = "hoger" if change > 0 else "lager"
    direction_en = "higher" if change > 0 else "lower"
    steady_nl = " Hij werd wel rustiger." if steadier else ""
    steady_en = " It did become steadier." if steadier else ""
    return Text(
        f"Je rustspanning is deze keer niet duidelijk gedaald ({amount} {direction_nl})."
        f"{steady_nl} Dat is in het begin heel gewoon. Adem rustig uit en laat je bekkenbodem "
        "zakken. Blijft ontspannen lastig? Bespreek het dan met een bekkenfysiotherapeut.",
        f"Your rest tone did not clearly go down this time ({amount} {direction_en})."
        f"{steady_en} That is very common at first. Breathe out slowly and let your pelvic floor "
        "drop. If relaxing stays hard, talk it over with a pelvic physiotherapist.",
    )


@dataclass(frozen=True, slots=True)
class RestTone:
    """The current rest tone for the live display; ``None`` until a sample has come."""

    mean_uv: float | None
    variability_pct: float | None
    filled: bool

    def to_dict(self) -> dict[str, float | bool | None]:
        """``{"mean_uv", "variability_pct", "filled"}``."""
        return {
            "mean_uv": self.mean_uv,
            "variability_pct": self.variability_pct,
            "filled": self.filled,
        }


class RestToneTracker:
    """Mean and variability of the envelope over the last ``window_s``, block by block.

    Running sums over a ring buffer make each update cost the block's length, whatever the
    window; the sums are recomputed from the buffer each time it wraps, so rounding cannot
    build up. ``filled`` says whether a whole window has been seen.

    Parameters
    ----------
    envelope_rate_hz
        The envelope's sampling rate.
    window_s
        The window, 0.1–600 s (default 2 s).
    """

    def __init__(self, envelope_rate_hz: float, window_s: float = 2.0) -> None:
        rate = check_sampling_rate(envelope_rate_hz)
        seconds = check_range("window_s", window_s, low=0.1, high=600.0, unit="s")
        self._width = _samples(seconds, rate)
        self._buffer = np.zeros(self._width)
        self.reset()

    def reset(self) -> None:
        """Forget every sample seen."""
        self._buffer[:] = 0.0
        self._position = 0
        self._count = 0
        self._sum = 0.0
        self._squares = 0.0

    def update(self, envelope_chunk_uv: ArrayLike) -> RestTone:
        """Add a block of envelope samples (may be empty) and return the current rest tone."""
        x = np.ascontiguousarray(envelope_chunk_uv, dtype=np.float64)
        if x.size:
            x = check_signal("envelope_chunk_uv", x)
            self._push(x)
        return self.current()

    def current(self) -> RestTone:
        """The rest tone over the last window (or what has come so far)."""
        if self._count == 0:
            return RestTone(None, None, False)
        mean = self._sum / self._count
        variance = max(self._squares / self._count - mean * mean, 0.0)
        cv = None if mean == 0.0 else math.sqrt(variance) / abs(mean) * 100.0
        return RestTone(mean, cv, self._count == self._width)

    def _push(self, x: NDArray[np.float64]) -> None:
        width = self._width
        if x.size >= width:
            self._buffer[:] = x[-width:]
            self._position = 0
            self._count = width
            self._resum()
            return
        where = (self._position + np.arange(x.size)) % width
        old = self._buffer[where]
        self._sum += float(x.sum() - old.sum())
        self._squares += float(np.dot(x, x) - np.dot(old, old))
        self._buffer[where] = x
        wrapped = self._position + x.size >= width
        self._position = (self._position + x.size) % width
        self._count = min(self._count + x.size, width)
        if wrapped:
            self._resum()

    def _resum(self) -> None:
        filled = self._buffer if self._count == self._width else self._buffer[: self._count]
        self._sum = float(filled.sum())
        self._squares = float(np.dot(filled, filled))


# --- helpers ------------------------------------------------------------------------------------


def _index(t_s: float, rate: float) -> int:
    """The first sample at or after ``t_s``."""
    return max(math.ceil(t_s * rate - 1e-6), 0)


def _samples(seconds: float, rate: float) -> int:
    return max(round(seconds * rate), 1)


def _odd_width(seconds: float, rate: float) -> int:
    width = _samples(seconds, rate)
    return width if width % 2 else width + 1


def _moving_mean(x: NDArray[np.float64], width: int) -> NDArray[np.float64]:
    """Centred moving mean; near the edges, the mean of the samples that exist."""
    half = width // 2
    sums = np.concatenate(([0.0], np.cumsum(x)))
    idx = np.arange(x.size)
    lo = np.maximum(idx - half, 0)
    hi = np.minimum(idx + half + 1, x.size)
    return np.asarray((sums[hi] - sums[lo]) / (hi - lo), dtype=np.float64)


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """``(first, end)`` of each run of True, end exclusive."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    changes = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(changes[::2], changes[1::2], strict=True)]


def _longest_run(mask: NDArray[np.bool_], bridge: int) -> int:
    """Longest run of True in samples, after bridging gaps shorter than ``bridge`` samples."""
    runs = _runs(mask)
    if not runs:
        return 0
    best = 0
    first, end = runs[0]
    for a, b in runs[1:]:
        if a - end < bridge:
            end = b
        else:
            best = max(best, end - first)
            first, end = a, b
    return max(best, end - first)
