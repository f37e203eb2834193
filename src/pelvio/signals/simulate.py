"""Seeded simulators of pelvic floor surface EMG and pressure, with their ground truth.

A simulated patient follows either the Glazer protocol (clinical.md §6; Oleksy et al., IJERPH
2021;18:765: 60 s rest, 5 quick flicks of 2 s with 10 s rest, 5 holds of 10 s with 10 s rest,
one 60 s endurance hold, 60 s rest) or a training programme's timeline of
``(action, duration_s, target)`` steps.

EMG model
---------
The signal is band-limited Gaussian noise multiplied by an activation profile, the classic
amplitude-modulated noise model of surface EMG. The noise follows the spectrum of Shwedyk et
al. (1977), ``P(f) ∝ f² f_h⁴ / ((f² + f_l²)(f² + f_h²)²)``, with f_l ≈ 65 and f_h ≈ 130 Hz
(peak near 70 Hz, median frequency near 100 Hz within 20–450 Hz). During a hold the spectrum
slides towards one scaled down by the profile's median-frequency drop, and the amplitude
declines, as muscle fatigue does. Amplitudes sit in the range Oleksy et al. (2020) report for
a vaginal probe (rest about 6, quick flicks about 50, holds about 37, endurance about 16 µV).

The activation is the rest tone plus one component per contraction. A component rises after a
reaction time along a raised-cosine ramp (not instantly), holds with a slight tremor, and falls
along a raised-cosine ramp after the relax cue. Artefacts (``artefacts=True``): mains hum at
``mains_hz`` with its 3rd and 5th harmonics, an electrode offset with slow baseline wander,
motion spikes (short smooth bumps) and electrode pops (a step that decays).

Profiles
--------
``healthy``  normal rest tone, brisk ramps, mild fatigue.
``weak``  low maximal activation, slower ramps, more fatigue, more abdominal help.
``overactive``  high and unstable rest tone, slow release (clinical.md §6 context).
``fatigue``  normal strength that declines from one contraction to the next and strongly
within holds, with a larger median-frequency drop.

Ground truth
------------
A contraction's true onset and offset are the half-way points of its rising and falling ramps:
where its component has reached, or fallen to, half its level in the hold (like a full width
at half maximum). They do not depend on the rest tone, the noise or the artefacts. Per phase
the truth gives the mean and the RMS of the artefact-free activation, which is what the mean of
an RMS envelope and the RMS of the cleaned signal estimate. These definitions are ours; the
simulator is Pelvio's own and is described honestly as such wherever it is used to score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, cast

import numpy as np
from numpy.typing import NDArray
from scipy import signal as sps

from pelvio._check import check_option, check_range, check_sampling_rate, check_type
from pelvio.errors import InputError
from pelvio.signals.annotations import CUE_CONTRACT, CUE_RELAX, Annotation, PhaseName

__all__ = [
    "ACTIONS",
    "GLAZER_PROTOCOL",
    "PROFILES",
    "Action",
    "Profile",
    "Simulation",
    "SimulationTruth",
    "TimelineStep",
    "emg_simulate",
    "pressure_simulate",
]

Profile = Literal["healthy", "weak", "overactive", "fatigue"]
Action = Literal["contract", "relax", "rest", "quick", "breathe", "knack"]
Protocol = Literal["glazer"]

PROFILES: Final[tuple[Profile, ...]] = ("healthy", "weak", "overactive", "fatigue")
ACTIONS: Final[tuple[Action, ...]] = ("contract", "relax", "rest", "quick", "breathe", "knack")
_CONTRACTING: Final = frozenset({"contract", "quick", "knack"})
_ENDING_REST_S: Final = 3.0
_MAX_DURATION_S: Final = 4 * 3600.0


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """One step of a programme: do ``action`` for ``duration_s`` at ``target`` (0..1 of the
    maximal voluntary contraction; ignored by relax, rest and breathe)."""

    action: Action
    duration_s: float
    target: float = 0.0


def _glazer() -> tuple[tuple[PhaseName, tuple[TimelineStep, ...]], ...]:
    quick = (TimelineStep("quick", 2.0, 0.9), TimelineStep("rest", 10.0))
    hold = (TimelineStep("contract", 10.0, 0.65), TimelineStep("rest", 10.0))
    return (
        ("pre_baseline", (TimelineStep("rest", 60.0),)),
        ("phasic", quick * 5),
        ("tonic", hold * 5),
        ("endurance", (TimelineStep("contract", 60.0, 0.35),)),
        ("post_baseline", (TimelineStep("rest", 60.0),)),
    )


GLAZER_PROTOCOL: Final = _glazer()
"""The Glazer protocol as phases of timeline steps (clinical.md §6, Oleksy et al. 2021)."""


@dataclass(frozen=True, slots=True)
class SimulationTruth:
    """What the simulator knows: true contractions and per-phase levels.

    Attributes
    ----------
    contractions
        ``(onset_s, offset_s)`` of each contraction: its half-activation points (module notes).
    phases
        Per phase name (and ``"overall"``): ``start_s``, ``end_s``, ``mean`` (mean of the
        artefact-free activation, in the signal's unit) and ``rms`` (its root mean square).
    resting
        Mean rest tone (µV) or resting pressure (cmH2O).
    squeeze
        For pressure: the maximal true rise above the resting pressure (cmH2O); else ``None``.
    """

    contractions: tuple[tuple[float, float], ...]
    phases: Mapping[str, Mapping[str, float]]
    resting: float
    squeeze: float | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Simulation:
    """A simulated recording and its ground truth.

    Attributes
    ----------
    signal
        The recording: raw EMG in µV or pressure in cmH2O.
    sampling_rate_hz
        Samples per second.
    unit
        ``"uV"`` or ``"cmH2O"``.
    annotations
        Glazer phases (with duration) and ``cue:contract`` / ``cue:relax`` instants.
    abdominal
        A second channel for abdominal co-contraction (same unit), or ``None``.
    truth
        The ground truth (:class:`SimulationTruth`).
    profile, seed
        What produced it.
    """

    signal: NDArray[np.float64]
    sampling_rate_hz: float
    unit: Literal["uV", "cmH2O"]
    annotations: tuple[Annotation, ...]
    abdominal: NDArray[np.float64] | None
    truth: SimulationTruth
    profile: Profile = "healthy"
    seed: int | None = None

    @property
    def duration_s(self) -> float:
        """Length of the recording in seconds."""
        return self.signal.size / self.sampling_rate_hz

    def truth_to_dict(self) -> dict[str, object]:
        """The ground truth as a JSON-ready dictionary."""
        return {
            "unit": self.unit,
            "sampling_rate_hz": self.sampling_rate_hz,
            "duration_s": self.duration_s,
            "profile": self.profile,
            "seed": self.seed,
            "resting": self.truth.resting,
            "squeeze": self.truth.squeeze,
            "contractions": [
                {"onset_s": onset, "offset_s": offset} for onset, offset in self.truth.contractions
            ],
            "phases": {name: dict(values) for name, values in self.truth.phases.items()},
        }


# --- profiles ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Traits:
    """How a profile behaves; ranges are drawn once per recording (between-subject spread)."""

    rest: tuple[float, float]
    maximal: tuple[float, float]
    rest_wander: float  # SD of the slow rest-tone change, as a fraction of the rest tone
    rest_jitter: float  # SD of the faster (over a few seconds) rest-tone change
    quick_rise_s: tuple[float, float]
    hold_rise_s: tuple[float, float]
    release_s: tuple[float, float]
    decline_per_60s: float  # fraction of the contraction lost over a 60 s hold
    decline_per_contraction: float
    frequency_drop: float  # relative median-frequency drop after a 60 s hold
    abdominal_share: float


_EMG_TRAITS: Final[Mapping[Profile, _Traits]] = MappingProxyType(
    {
        "healthy": _Traits((4.0, 8.0), (45.0, 75.0), 0.06, 0.04, (0.12, 0.25), (0.25, 0.5),
                           (0.15, 0.35), 0.30, 0.0, 0.12, 0.10),
        "weak": _Traits((3.0, 5.0), (18.0, 30.0), 0.08, 0.05, (0.25, 0.45), (0.4, 0.8),
                        (0.2, 0.45), 0.40, 0.01, 0.15, 0.30),
        "overactive": _Traits((10.0, 16.0), (50.0, 75.0), 0.10, 0.15, (0.2, 0.35), (0.3, 0.6),
                              (0.6, 1.2), 0.35, 0.0, 0.15, 0.20),
        "fatigue": _Traits((4.0, 8.0), (40.0, 65.0), 0.06, 0.04, (0.12, 0.3), (0.25, 0.5),
                           (0.2, 0.45), 0.55, 0.03, 0.30, 0.15),
    }
)  # fmt: skip

# Pressure: resting pressure and maximal squeeze above it (cmH2O); the squeeze ranges straddle
# Angelo et al. (2017) bands: healthy moderate to strong, weak very weak to weak.
_PRESSURE_SQUEEZE: Final[Mapping[Profile, tuple[float, float]]] = MappingProxyType(
    {
        "healthy": (35.0, 70.0),
        "weak": (9.0, 22.0),
        "overactive": (25.0, 45.0),
        "fatigue": (30.0, 55.0),
    }
)
_PRESSURE_REST: Final[Mapping[Profile, tuple[float, float]]] = MappingProxyType(
    {
        "healthy": (15.0, 30.0),
        "weak": (10.0, 25.0),
        "overactive": (30.0, 45.0),
        "fatigue": (15.0, 30.0),
    }
)


# --- public simulators --------------------------------------------------------------------------


def emg_simulate(
    duration_s: float | None = None,
    sampling_rate_hz: float = 2000.0,
    *,
    protocol: Protocol | None = "glazer",
    timeline: Sequence[TimelineStep | tuple[str, float, float]] | None = None,
    profile: Profile = "healthy",
    mains_hz: float | None = 50.0,
    artefacts: bool = True,
    abdominal_channel: bool = False,
    seed: int | None = None,
) -> Simulation:
    """Simulate a pelvic floor surface EMG recording (µV) with its ground truth.

    Parameters
    ----------
    duration_s
        Length in seconds. ``None``: as long as the protocol or timeline. Longer: rest is
        added at the end; shorter: the recording is cut (truth and annotations too).
    sampling_rate_hz
        Samples per second, at least 1000 (the 20–450 Hz band, clinical.md §6).
    protocol
        ``"glazer"`` or ``None``; ignored when a ``timeline`` is given.
    timeline
        Steps ``(action, duration_s, target)`` with action one of ``contract``, ``relax``,
        ``rest``, ``quick`` (a contraction with fast ramps), ``breathe`` (rest with deep
        breathing, seen on the abdominal channel) or ``knack`` (a hold with a cough in the
        middle). Consecutive contracting steps form one contraction whose level changes. A
        timeline that ends contracting gets 3 s of rest so the last contraction can end.
    profile
        ``"healthy"``, ``"weak"``, ``"overactive"`` or ``"fatigue"`` (module notes).
    mains_hz
        Frequency of the simulated hum, or ``None`` for none.
    artefacts
        Add hum, baseline wander, motion spikes and electrode pops.
    abdominal_channel
        Also simulate an abdominal EMG channel with co-contraction and coughs.
    seed
        Seed of the random generator; the same seed gives the same recording.

    Returns
    -------
    Simulation
        Signal, annotations, optional abdominal channel and truth.
    """
    rate = check_sampling_rate(sampling_rate_hz, min_hz=1000.0, why="simulated surface EMG")
    check_option("profile", profile, PROFILES)
    mains = (
        None
        if mains_hz is None
        else check_range(
            "mains_hz", mains_hz, low=0.0, high=rate / 2, low_inclusive=False, unit="Hz"
        )
    )
    plan = _plan(duration_s, protocol, timeline)
    rng = np.random.default_rng(seed)
    traits = _EMG_TRAITS[profile]
    n = round(plan.duration_s * rate)
    t = np.arange(n) / rate
    rest_level = _draw(rng, traits.rest)
    rest = rest_level * _rest_tone(rng, t, traits)
    scale = _draw(rng, traits.maximal) - rest_level
    components = _contractions(rng, plan, traits, t, scale, pressure=False)
    activation = rest + components.level
    fresh, tired = _emg_noises(rng, n, rate, traits.frequency_drop)
    mix = components.fatigue
    emg = activation * (np.sqrt(1.0 - mix) * fresh + np.sqrt(mix) * tired)
    abdominal = None
    if abdominal_channel:
        abdominal = _abdominal_emg(rng, t, rate, plan, components.level, traits)
    if artefacts:
        emg += _emg_artefacts(rng, t, rate, mains)
        if abdominal is not None:
            abdominal += _emg_artefacts(rng, t, rate, mains)
    contractions = _half_points(activation, rate, components.ramps)
    truth = _truth(plan, t, activation, contractions, rest_level, None)
    return Simulation(emg, rate, "uV", plan.annotations, abdominal, truth, profile, seed)


def pressure_simulate(
    duration_s: float | None = None,
    sampling_rate_hz: float = 100.0,
    *,
    protocol: Protocol | None = "glazer",
    timeline: Sequence[TimelineStep | tuple[str, float, float]] | None = None,
    profile: Profile = "healthy",
    artefacts: bool = True,
    abdominal_channel: bool = False,
    seed: int | None = None,
) -> Simulation:
    """Simulate a vaginal pressure recording (cmH2O, perineometry) with its ground truth.

    The pressure is the resting pressure plus breathing plus, per contraction, the same
    ramped activation as :func:`emg_simulate` scaled to the profile's maximal squeeze.
    Artefacts: slow probe drift, sensor noise and motion spikes. A cough (``knack``) raises
    the pressure briefly together with the abdominal channel (abdominal pressure, cmH2O),
    the pattern clinical.md §7 warns is not a pelvic floor contraction.

    Parameters
    ----------
    duration_s, protocol, timeline, profile, artefacts, abdominal_channel, seed
        As for :func:`emg_simulate`.
    sampling_rate_hz
        Samples per second, at least 20.

    Returns
    -------
    Simulation
        Pressure in cmH2O; ``truth.squeeze`` is the maximal true rise above rest.
    """
    rate = check_sampling_rate(sampling_rate_hz, min_hz=20.0, why="simulated pressure")
    check_option("profile", profile, PROFILES)
    plan = _plan(duration_s, protocol, timeline)
    rng = np.random.default_rng(seed)
    traits = _EMG_TRAITS[profile]
    n = round(plan.duration_s * rate)
    t = np.arange(n) / rate
    resting = _draw(rng, _PRESSURE_REST[profile])
    squeeze = _draw(rng, _PRESSURE_SQUEEZE[profile])
    # The rest-tone wander of an overactive floor shows as a wandering resting pressure.
    tone = resting + 0.2 * resting * (_rest_tone(rng, t, traits) - 1.0)
    components = _contractions(rng, plan, traits, t, squeeze, pressure=True)
    breathing = _breathing(rng, t, plan)
    coughs = _coughs(rng, t, plan)
    pressure = tone + components.level + breathing + coughs
    clean = tone + components.level
    abdominal = None
    if abdominal_channel:
        abdominal = _draw(rng, (8.0, 15.0)) + 2.5 * breathing + 1.2 * coughs
        abdominal += traits.abdominal_share * 0.3 * components.level
    if artefacts:
        pressure += _pressure_artefacts(rng, t, rate)
        if abdominal is not None:
            abdominal += _pressure_artefacts(rng, t, rate)
    true_squeeze = float(components.level.max()) if components.level.size else 0.0
    contractions = _half_points(clean, rate, components.ramps)
    truth = _truth(plan, t, clean, contractions, resting, true_squeeze)
    return Simulation(pressure, rate, "cmH2O", plan.annotations, abdominal, truth, profile, seed)


# --- plan: timeline to cues, phases and contraction bouts ----------------------------------------


@dataclass(frozen=True, slots=True)
class _Bout:
    """Consecutive contracting steps: (cue_s, target, action) per step, and the relax cue."""

    steps: tuple[tuple[float, float, str], ...]
    relax_s: float


@dataclass(frozen=True, slots=True)
class _Plan:
    duration_s: float
    bouts: tuple[_Bout, ...]
    annotations: tuple[Annotation, ...]
    phases: tuple[tuple[str, float, float], ...]
    breathing: tuple[tuple[float, float], ...]
    coughs: tuple[float, ...]


def _plan(
    duration_s: float | None,
    protocol: Protocol | None,
    timeline: Sequence[TimelineStep | tuple[str, float, float]] | None,
) -> _Plan:
    labelled: list[tuple[str | None, TimelineStep]] = []
    if timeline is not None:
        labelled = [(None, _step(i, raw)) for i, raw in enumerate(timeline)]
        if not labelled:
            raise InputError("timeline is empty: give at least one step", field="timeline")
    elif protocol is not None:
        check_option("protocol", protocol, ("glazer",))
        labelled = [(name, step) for name, steps in GLAZER_PROTOCOL for step in steps]
    elif duration_s is None:
        raise InputError(
            "duration_s is needed when there is neither a protocol nor a timeline",
            field="duration_s",
        )
    if labelled and labelled[-1][1].action in _CONTRACTING:
        labelled.append((None, TimelineStep("rest", _ENDING_REST_S)))
    planned = sum(step.duration_s for _, step in labelled)
    total = (
        planned
        if duration_s is None
        else check_range(
            "duration_s", duration_s, low=0.0, high=_MAX_DURATION_S, low_inclusive=False, unit="s"
        )
    )
    if total < 1.0:
        raise InputError(f"duration_s must be at least 1 s; got {total:g} s", field="duration_s")

    cues: list[Annotation] = []
    phases: dict[str, list[float]] = {}
    bouts: list[_Bout] = []
    current: list[tuple[float, float, str]] = []
    breathing: list[tuple[float, float]] = []
    coughs: list[float] = []
    clock = 0.0
    for name, step in labelled:
        if name is not None:
            span = phases.setdefault(name, [clock, clock])
            span[1] = clock + step.duration_s
        if step.action in _CONTRACTING:
            cues.append(Annotation(clock, 0.0, CUE_CONTRACT))
            current.append((clock, step.target, step.action))
            if step.action == "knack":
                coughs.append(clock + step.duration_s / 2)
        else:
            if current:
                cues.append(Annotation(clock, 0.0, CUE_RELAX))
                bouts.append(_Bout(tuple(current), clock))
                current = []
            if step.action == "breathe":
                breathing.append((clock, clock + step.duration_s))
        clock += step.duration_s

    phase_list = [
        (name, start, min(end, total)) for name, (start, end) in phases.items() if start < total
    ]
    annotations = sorted(
        [Annotation(start, end - start, name) for name, start, end in phase_list]
        + [cue for cue in cues if cue.onset_s < total],
        key=lambda a: (a.onset_s, a.text),
    )
    return _Plan(
        total,
        tuple(bouts),
        tuple(annotations),
        tuple(phase_list),
        tuple(breathing),
        tuple(coughs),
    )


def _step(index: int, raw: TimelineStep | tuple[str, float, float]) -> TimelineStep:
    where = f"timeline[{index}]"
    action: object
    if isinstance(raw, TimelineStep):
        action, duration, target = raw.action, raw.duration_s, raw.target
    else:
        check_type(where, raw, (tuple, list))
        if len(raw) != 3:
            raise InputError(
                f"{where} must be (action, duration_s, target), got {raw!r}", field=where
            )
        action, duration, target = raw
    allowed: tuple[object, ...] = ACTIONS
    checked = cast(Action, check_option(f"{where}.action", action, allowed))
    seconds = check_range(
        f"{where}.duration_s",
        duration,
        low=0.0,
        high=_MAX_DURATION_S,
        low_inclusive=False,
        unit="s",
    )
    level = check_range(f"{where}.target", target, low=0.0, high=1.0)
    if checked in _CONTRACTING and level <= 0.0:
        raise InputError(f"{where}.target must be above 0 for a {checked} step", field=where)
    return TimelineStep(checked, seconds, level)


# --- activation -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Components:
    level: NDArray[np.float64]  # sum of the contraction components, in the signal's unit
    fatigue: NDArray[np.float64]  # 0 fresh .. 1 after a 60 s hold
    ramps: tuple[tuple[float, float, float, float], ...]  # rise start, rise, fall start, fall


def _contractions(
    rng: np.random.Generator,
    plan: _Plan,
    traits: _Traits,
    t: NDArray[np.float64],
    scale: float,
    *,
    pressure: bool,
) -> _Components:
    rate = 1.0 / (t[1] - t[0]) if t.size > 1 else 1.0
    level = np.zeros(t.size)
    fatigue = np.zeros(t.size)
    ramps: list[tuple[float, float, float, float]] = []
    tremor = 1.0 + 0.04 * _smooth_noise(rng, t, 1.5)
    # Pressure follows the muscle through soft tissue: somewhat slower ramps.
    slower = 1.5 if pressure else 1.0
    for number, bout in enumerate(plan.bouts):
        strength = (1.0 - traits.decline_per_contraction * number) * (1 + 0.06 * rng.normal())
        transitions: list[tuple[float, float, float]] = []  # start_s, ramp_s, change
        previous = 0.0
        for cue, target, action in bout.steps:
            ramp = slower * _draw(
                rng, traits.quick_rise_s if action == "quick" else traits.hold_rise_s
            )
            transitions.append((cue + _draw(rng, (0.2, 0.45)), ramp, target - previous))
            previous = target
        start, rise = transitions[0][0], transitions[0][1]
        release_start = max(bout.relax_s + _draw(rng, (0.2, 0.4)), start + rise + 0.1)
        release = slower * _draw(rng, traits.release_s)
        transitions.append((release_start, release, -previous))
        end = release_start + release
        lo, hi = math.floor(start * rate), min(t.size, math.ceil(end * rate) + 1)
        if lo >= t.size:
            continue
        span = t[lo:hi]
        shape = np.zeros(span.size)
        for begin, ramp, change in transitions:
            shape += change * _raised_cosine((span - begin) / ramp)
        held = np.clip((span - start) / 60.0, 0.0, 1.0)
        factor = scale * strength * (1.0 - traits.decline_per_60s * held) * tremor[lo:hi]
        level[lo:hi] += np.maximum(shape, 0.0) * factor
        fatigue[lo:hi] = np.maximum(fatigue[lo:hi], held * (shape > 0))
        ramps.append((start, rise, release_start, release))
    return _Components(level, fatigue, tuple(ramps))


def _half_points(
    clean: NDArray[np.float64],
    rate: float,
    ramps: tuple[tuple[float, float, float, float], ...],
) -> tuple[tuple[float, float], ...]:
    """True onsets and offsets: half-amplitude crossings of the artefact-free activation.

    For each contraction the onset is where the activation rises through half way between the
    rest in the second before the rise and the hold in the second after it; the offset is
    where it falls through half way between the hold in the second before the fall and the
    rest in the second after it. A contraction still releasing at the end is left out.
    """
    n = clean.size
    window = max(1, round(rate))

    def median(first: float, last: float) -> float:
        lo, hi = max(0, round(first * rate)), min(n, round(last * rate))
        return float(np.median(clean[lo:hi])) if hi > lo else math.nan

    def crossing(first: float, last: float, level: float, *, rising: bool) -> float:
        lo, hi = max(0, math.floor(first * rate)), min(n, math.ceil(last * rate) + 1)
        part = clean[lo:hi]
        hits = np.flatnonzero(part >= level if rising else part <= level)
        if hits.size == 0 or hits[0] == 0:
            return (first + last) / 2
        i = lo + int(hits[0])
        a, b = clean[i - 1], clean[i]
        return (i - 1 + (level - a) / (b - a)) / rate if b != a else i / rate

    out: list[tuple[float, float]] = []
    for start, rise, fall_start, fall in ramps:
        end = fall_start + fall
        if end + window / rate > n / rate:
            continue
        rest_before = median(start - 1.0, start)
        rest_after = median(end, end + 1.0)
        if math.isnan(rest_before):
            rest_before = rest_after
        held_from = start + rise
        hold_in = median(held_from, min(held_from + 1.0, fall_start))
        hold_out = median(max(fall_start - 1.0, held_from), fall_start)
        if math.isnan(hold_in) or math.isnan(hold_out):
            hold_in = hold_out = float(clean[min(n - 1, round(fall_start * rate))])
        onset = crossing(start, held_from, (rest_before + hold_in) / 2, rising=True)
        offset = crossing(fall_start, end, (hold_out + rest_after) / 2, rising=False)
        out.append((onset, offset))
    return tuple(out)


def _raised_cosine(u: NDArray[np.float64]) -> NDArray[np.float64]:
    """A smooth step from 0 (u <= 0) to 1 (u >= 1): half a cosine period."""
    clipped = np.clip(u, 0.0, 1.0)
    return np.asarray(0.5 - 0.5 * np.cos(np.pi * clipped), dtype=np.float64)


def _rest_tone(
    rng: np.random.Generator, t: NDArray[np.float64], traits: _Traits
) -> NDArray[np.float64]:
    """Relative rest tone around 1: slow wander plus faster jitter, kept positive."""
    wander = traits.rest_wander * _smooth_noise(rng, t, 0.05)
    jitter = traits.rest_jitter * _smooth_noise(rng, t, 0.3)
    return np.maximum(1.0 + wander + jitter, 0.3)


def _smooth_noise(
    rng: np.random.Generator, t: NDArray[np.float64], cutoff_hz: float
) -> NDArray[np.float64]:
    """Unit-SD Gaussian noise low-passed at ``cutoff_hz``, sampled at ``t``."""
    if t.size == 0:
        return np.zeros(0)
    coarse_rate = 10.0 * cutoff_hz
    coarse_t = np.arange(0.0, t[-1] + 2.0 / coarse_rate, 1.0 / coarse_rate)
    white = rng.normal(size=coarse_t.size + 64)
    sos = sps.butter(2, cutoff_hz, fs=coarse_rate, output="sos")
    smooth = sps.sosfilt(sos, white)[64:]
    smooth = (smooth - smooth.mean()) / max(float(smooth.std()), 1e-12)
    return np.asarray(np.interp(t, coarse_t, smooth), dtype=np.float64)


def _emg_noises(
    rng: np.random.Generator, n: int, rate: float, drop: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Two independent unit-variance sEMG noises: fresh, and fatigued (frequencies x 1-drop)."""
    spread = 1.0 + 0.08 * rng.normal()
    fresh = _shaped_noise(rng, n, rate, 65.0 * spread, 130.0 * spread)
    tired = _shaped_noise(rng, n, rate, 65.0 * spread * (1 - drop), 130.0 * spread * (1 - drop))
    return fresh, tired


def _shaped_noise(
    rng: np.random.Generator, n: int, rate: float, low_hz: float, high_hz: float
) -> NDArray[np.float64]:
    """Gaussian noise with the Shwedyk et al. (1977) surface EMG power spectrum."""
    spectrum = np.fft.rfft(rng.normal(size=n))
    f = np.fft.rfftfreq(n, d=1.0 / rate)
    power = f**2 * high_hz**4 / ((f**2 + low_hz**2) * (f**2 + high_hz**2) ** 2)
    noise = np.fft.irfft(spectrum * np.sqrt(power), n=n)
    return np.asarray(noise / max(float(noise.std()), 1e-12), dtype=np.float64)


def _abdominal_emg(
    rng: np.random.Generator,
    t: NDArray[np.float64],
    rate: float,
    plan: _Plan,
    pelvic_level: NDArray[np.float64],
    traits: _Traits,
) -> NDArray[np.float64]:
    activation = _draw(rng, (3.0, 6.0)) * (1.0 + 0.05 * _smooth_noise(rng, t, 0.5))
    activation += traits.abdominal_share * pelvic_level
    activation += 8.0 * _breathing(rng, t, plan, deep_only=True)
    activation += 3.0 * _coughs(rng, t, plan)
    fresh, _ = _emg_noises(rng, t.size, rate, 0.0)
    return np.maximum(activation, 0.0) * fresh


def _breathing(
    rng: np.random.Generator, t: NDArray[np.float64], plan: _Plan, *, deep_only: bool = False
) -> NDArray[np.float64]:
    """Respiration, cmH2O-scaled: quiet breathing throughout, deep during ``breathe`` steps."""
    rate_hz = _draw(rng, (0.2, 0.3))
    wave = np.sin(2 * np.pi * rate_hz * t + rng.uniform(0, 2 * np.pi))
    depth = np.full(t.size, 0.0 if deep_only else _draw(rng, (0.4, 1.2)))
    for start, end in plan.breathing:
        depth[(t >= start) & (t < end)] = 3.0
    return np.asarray(depth * np.maximum(wave, -0.5), dtype=np.float64)


def _coughs(rng: np.random.Generator, t: NDArray[np.float64], plan: _Plan) -> NDArray[np.float64]:
    """Cough pressure pulses (about 40 cmH2O, 0.3 s) at the ``knack`` steps' midpoints."""
    out = np.zeros(t.size)
    for when in plan.coughs:
        height = _draw(rng, (30.0, 50.0))
        out += height * np.exp(-0.5 * ((t - when) / 0.08) ** 2)
    return out


def _emg_artefacts(
    rng: np.random.Generator, t: NDArray[np.float64], rate: float, mains: float | None
) -> NDArray[np.float64]:
    duration = t[-1] if t.size else 0.0
    out = _draw(rng, (-200.0, 200.0)) + _draw(rng, (20.0, 80.0)) * _smooth_noise(rng, t, 0.3)
    if mains is not None:
        hum = _draw(rng, (3.0, 15.0)) * (1.0 + 0.1 * _smooth_noise(rng, t, 0.2))
        for harmonic, share in ((1, 1.0), (3, 0.3), (5, 0.1)):
            if harmonic * mains < rate / 2:
                phase = rng.uniform(0, 2 * np.pi)
                out += share * hum * np.sin(2 * np.pi * harmonic * mains * t + phase)
    for when in rng.uniform(0, duration, rng.poisson(duration / 30.0)):
        # Motion: a smooth bump of 10-30 ms (SD), 80-400 µV, either sign.
        _add_bump(out, t, rate, when, _draw(rng, (0.01, 0.03)), _signed(rng, (80.0, 400.0)))
    for when in rng.uniform(0, duration, rng.poisson(duration / 90.0)):
        # Electrode pop: a sudden step of 200-1000 µV that decays in 50-300 ms.
        tau = _draw(rng, (0.05, 0.3))
        lo, hi = int(when * rate), min(t.size, int((when + 8 * tau) * rate) + 1)
        out[lo:hi] += _signed(rng, (200.0, 1000.0)) * np.exp(-(t[lo:hi] - t[lo]) / tau)
    return out


def _pressure_artefacts(
    rng: np.random.Generator, t: NDArray[np.float64], rate: float
) -> NDArray[np.float64]:
    duration = t[-1] if t.size else 0.0
    drift = _draw(rng, (-4.0, 4.0)) * t / max(duration, 1.0)
    out = drift + _draw(rng, (0.5, 2.0)) * _smooth_noise(rng, t, 0.01)
    out += 0.3 * rng.normal(size=t.size)
    for when in rng.uniform(0, duration, rng.poisson(duration / 45.0)):
        _add_bump(out, t, rate, when, _draw(rng, (0.03, 0.08)), _signed(rng, (10.0, 30.0)))
    return out


def _add_bump(
    out: NDArray[np.float64],
    t: NDArray[np.float64],
    rate: float,
    centre_s: float,
    width_s: float,
    height: float,
) -> None:
    """Add a Gaussian bump (SD ``width_s``) in place, computed only where it is not nil."""
    lo = max(0, int((centre_s - 5 * width_s) * rate))
    hi = min(t.size, int((centre_s + 5 * width_s) * rate) + 1)
    out[lo:hi] += height * np.exp(-0.5 * ((t[lo:hi] - centre_s) / width_s) ** 2)


def _signed(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return _draw(rng, bounds) * float(rng.choice((-1.0, 1.0)))


def _truth(
    plan: _Plan,
    t: NDArray[np.float64],
    clean: NDArray[np.float64],
    contractions: tuple[tuple[float, float], ...],
    resting: float,
    squeeze: float | None,
) -> SimulationTruth:
    rate = 1.0 / (t[1] - t[0]) if t.size > 1 else 1.0
    spans = [("overall", 0.0, plan.duration_s), *plan.phases]
    phases: dict[str, Mapping[str, float]] = {}
    for name, start, end in spans:
        part = clean[round(start * rate) : round(end * rate)]
        if part.size == 0:
            continue
        phases[name] = MappingProxyType(
            {
                "start_s": start,
                "end_s": end,
                "mean": float(part.mean()),
                "rms": float(np.sqrt(np.mean(part**2))),
            }
        )
    return SimulationTruth(contractions, MappingProxyType(phases), resting, squeeze)


def _draw(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))
