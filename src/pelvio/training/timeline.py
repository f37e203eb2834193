"""A programme level as a timeline of cues, the thing a session player and a template follow.

The timeline is the single source of timing: the session player (issue 5) shows each cue from
``start_s`` to ``end_s``; a live biofeedback template (issue 4) draws :func:`target_at` as the
line the curve should follow. Extra squeezes inside a hold (leaflet 001) are :class:`PulseCue`
s: sub-cues with absolute times, so a player can beep and a template can draw a peak.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from pelvio._check import check_finite_number
from pelvio.training.model import Action, Locale, Position, Programme, Text
from pelvio.training.programmes import get_programme

__all__ = [
    "Cue",
    "PulseCue",
    "Timeline",
    "build_timeline",
    "cue_at",
    "programme_document",
    "target_at",
]


@dataclass(frozen=True, slots=True)
class PulseCue:
    """An extra squeeze inside a cue, in seconds from the start of the session."""

    start_s: float
    end_s: float
    target: float


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed instruction: do ``action`` at ``target`` effort from ``start_s`` to ``end_s``."""

    index: int
    start_s: int
    end_s: int
    action: Action
    target: float
    position: Position
    text: Text
    pulses: tuple[PulseCue, ...] = ()

    @property
    def duration_s(self) -> int:
        """Length of the cue in seconds."""
        return self.end_s - self.start_s

    def text_in(self, locale: Locale) -> str:
        """The cue text in ``locale``."""
        return self.text.get(locale)


@dataclass(frozen=True, slots=True)
class Timeline:
    """The ordered cues of one session of ``programme_id`` at ``level``."""

    programme_id: str
    level: int
    cues: tuple[Cue, ...]

    @property
    def total_duration_s(self) -> int:
        """Length of the whole session in seconds."""
        return self.cues[-1].end_s if self.cues else 0

    def count(self, action: Action) -> int:
        """How many cues of ``action`` the session has (e.g. squeezes per session)."""
        return sum(1 for cue in self.cues if cue.action == action)


def build_timeline(programme: Programme | str, level: int = 1) -> Timeline:
    """Unroll ``level`` of ``programme`` into back-to-back cues.

    Parameters
    ----------
    programme
        A :class:`Programme` or its id.
    level
        1 up to ``programme.max_level``.

    Returns
    -------
    Timeline
        Cues in order; the first starts at 0 s and each starts where the previous ended.

    Raises
    ------
    InputError
        Unknown programme id (the message lists the valid ids) or a level out of range (the
        message names the range).
    """
    if isinstance(programme, str):
        programme = get_programme(programme)
    chosen = programme.level(level)
    cues: list[Cue] = []
    start_s = 0
    for index, step in enumerate(chosen.steps()):
        end_s = start_s + step.duration_s
        pulses = tuple(
            PulseCue(start_s + p.offset_s, start_s + p.offset_s + p.duration_s, p.target)
            for p in step.pulses
        )
        cues.append(
            Cue(index, start_s, end_s, step.action, step.target, step.position, step.text, pulses)
        )
        start_s = end_s
    return Timeline(programme.id, level, tuple(cues))


def cue_at(timeline: Timeline, t_s: float) -> Cue | None:
    """The cue running at ``t_s`` seconds, or None before 0 and from the end onwards.

    A cue covers ``[start_s, end_s)``, so at a boundary the next cue is returned.
    """
    t = check_finite_number("t_s", t_s)
    if t < 0 or t >= timeline.total_duration_s:
        return None
    starts = [cue.start_s for cue in timeline.cues]
    return timeline.cues[bisect_right(starts, t) - 1]


def target_at(timeline: Timeline, t_s: float) -> float:
    """The target effort (0..1) at ``t_s`` seconds, pulses included; 0 outside the session."""
    cue = cue_at(timeline, t_s)
    if cue is None:
        return 0.0
    for pulse in cue.pulses:
        if pulse.start_s <= t_s < pulse.end_s:
            return pulse.target
    return cue.target


def programme_document(programme: Programme | str, level: int = 1) -> dict[str, Any]:
    """The JSON document of ``pelvio program show``: one level, steps unrolled.

    Keys are exactly ``id``, ``title`` (an object with ``nl`` and ``en``), ``sessions_per_day``,
    ``steps`` (each exactly ``action``, ``duration_s``, ``target``, ``text_nl``, ``text_en``),
    ``total_duration_s`` and ``source``. Positions and pulses are left out on purpose to keep the
    contract exact; the web layer reads them from :func:`build_timeline`.
    """
    if isinstance(programme, str):
        programme = get_programme(programme)
    timeline = build_timeline(programme, level)
    return {
        "id": programme.id,
        "title": {"nl": programme.title.nl, "en": programme.title.en},
        "sessions_per_day": programme.sessions_per_day,
        "steps": [
            {
                "action": cue.action,
                "duration_s": cue.duration_s,
                "target": cue.target,
                "text_nl": cue.text.nl,
                "text_en": cue.text.en,
            }
            for cue in timeline.cues
        ],
        "total_duration_s": timeline.total_duration_s,
        "source": programme.source,
    }
