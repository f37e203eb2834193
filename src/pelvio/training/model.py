"""The vocabulary of a training programme: texts, steps, blocks, levels and their bounds.

A programme is data. Each :class:`Level` lists :class:`Block` s of :class:`Step` s repeated a
number of times; :func:`pelvio.training.build_timeline` turns a level into timed cues. The
dataclasses check themselves when built, so a programme that breaks its own published bounds
(for example an endurance hold longer than the 10 counts of leaflet 002) cannot even be
imported.

One count ("tel") in the leaflets is taken as one second.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final, Literal, get_args

from pelvio._check import check_int, check_option, check_range
from pelvio.errors import InputError

__all__ = [
    "ACTIONS",
    "CONTRACTING_ACTIONS",
    "LOCALES",
    "POSITIONS",
    "POSITION_TEXT",
    "Action",
    "Block",
    "Bound",
    "Level",
    "Locale",
    "Position",
    "Programme",
    "ProgrammeKind",
    "Pulse",
    "Quantity",
    "Step",
    "Text",
]

Action = Literal["contract", "relax", "rest", "quick", "breathe", "knack"]
"""What the person does during a step.

``contract`` a held squeeze; ``quick`` a short fast squeeze (a "flick"); ``knack`` a squeeze made
just before a cough, sneeze or lift; ``relax`` letting go after a squeeze; ``rest`` a pause;
``breathe`` a guided breath.
"""

ACTIONS: Final[tuple[Action, ...]] = get_args(Action)
CONTRACTING_ACTIONS: Final[frozenset[Action]] = frozenset({"contract", "quick", "knack"})
"""Actions that squeeze the pelvic floor; a relaxation programme has none of them."""

Position = Literal[
    "lying-back-knees-bent", "side-lying", "sitting", "standing", "during-activity", "any"
]
POSITIONS: Final[tuple[Position, ...]] = get_args(Position)

Locale = Literal["nl", "en"]
LOCALES: Final[tuple[Locale, ...]] = get_args(Locale)

ProgrammeKind = Literal["session", "schedule"]
"""``session``: a timed session done at set moments of the day. ``schedule``: a plan that runs
through the day (bladder training), with a short routine used when it is needed."""

Quantity = Literal["hold_s", "relax_s", "rest_s", "repetitions"]


@dataclass(frozen=True, slots=True)
class Text:
    """A text shown to users, Dutch first and English second."""

    nl: str
    en: str

    def __post_init__(self) -> None:
        for locale in LOCALES:
            value = getattr(self, locale)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"text_{locale} must be a non-empty string", field=locale)

    def get(self, locale: Locale) -> str:
        """The text in ``locale`` (``"nl"`` or ``"en"``)."""
        check_option("locale", locale, LOCALES)
        return self.nl if locale == "nl" else self.en


POSITION_TEXT: Final[dict[Position, Text]] = {
    "lying-back-knees-bent": Text(
        "Op je rug, knieën gebogen, voeten plat", "On your back, knees bent, feet flat"
    ),
    "side-lying": Text("Op je zij", "On your side"),
    "sitting": Text("Zittend", "Sitting"),
    "standing": Text("Staand", "Standing"),
    "during-activity": Text("Tijdens je dagelijkse bezigheden", "During daily activities"),
    "any": Text("Waar je op dat moment bent", "Wherever you are"),
}


@dataclass(frozen=True, slots=True)
class Pulse:
    """A short extra squeeze inside a held contraction.

    Leaflet 001 asks for "a few extra squeezes" during the 6-count hold. A pulse raises the
    target from the step's level to ``target`` for ``duration_s``, starting ``offset_s`` after the
    step begins. The session player shows it as a sub-cue; a biofeedback template draws it as a
    peak on top of the plateau.
    """

    offset_s: float
    duration_s: float
    target: float

    def __post_init__(self) -> None:
        check_range("pulse offset_s", self.offset_s, low=0.0, unit="s")
        check_range("pulse duration_s", self.duration_s, low=0.0, low_inclusive=False, unit="s")
        check_range("pulse target", self.target, low=0.0, high=1.0)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a programme.

    Parameters
    ----------
    action
        One of :data:`ACTIONS`.
    duration_s
        Whole seconds (one count of the leaflets is one second).
    target
        Effort from 0 (rest) to 1 (the person's own strongest squeeze). A biofeedback template
        scales it by the maximum measured at calibration. Relax, rest and breathe steps have
        target 0.
    position
        Body position, one of :data:`POSITIONS`.
    text
        The cue in Dutch and English.
    pulses
        Extra squeezes during a ``contract`` step (see :class:`Pulse`).
    """

    action: Action
    duration_s: int
    target: float
    position: Position
    text: Text
    pulses: tuple[Pulse, ...] = ()

    def __post_init__(self) -> None:
        check_option("action", self.action, ACTIONS)
        check_int("duration_s", self.duration_s, low=1)
        check_range("target", self.target, low=0.0, high=1.0)
        check_option("position", self.position, POSITIONS)
        if self.action not in CONTRACTING_ACTIONS and self.target != 0.0:
            raise InputError(
                f"target of a {self.action} step must be 0, got {self.target:g}", field="target"
            )
        if self.pulses and self.action != "contract":
            raise InputError("pulses belong to contract steps only", field="pulses")
        for pulse in self.pulses:
            if pulse.offset_s + pulse.duration_s > self.duration_s:
                raise InputError(
                    f"a pulse must end within the {self.duration_s} s step; it ends at "
                    f"{pulse.offset_s + pulse.duration_s:g} s",
                    field="pulses",
                )
            if pulse.target < self.target:
                raise InputError("a pulse must raise the target, not lower it", field="pulses")


@dataclass(frozen=True, slots=True)
class Block:
    """Steps done in order, ``repetitions`` times; ``name`` ties the block to its bounds."""

    name: str
    steps: tuple[Step, ...]
    repetitions: int = 1

    def __post_init__(self) -> None:
        if not self.steps:
            raise InputError(f"block {self.name!r} has no steps", field="steps")
        check_int("repetitions", self.repetitions, low=1)

    @property
    def duration_s(self) -> int:
        """Length of the whole block, all repetitions, in seconds."""
        return self.repetitions * sum(step.duration_s for step in self.steps)

    def measure(self, quantity: Quantity) -> int | None:
        """The value of ``quantity`` in this block, or None if the block has no such step.

        ``hold_s`` is the length of the first ``contract`` step, ``relax_s`` of the first
        ``relax`` step, ``rest_s`` of the first ``rest`` step.
        """
        if quantity == "repetitions":
            return self.repetitions
        action = {"hold_s": "contract", "relax_s": "relax", "rest_s": "rest"}[quantity]
        return next((s.duration_s for s in self.steps if s.action == action), None)


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a programme, with what it changes and why (shown to the user)."""

    number: int
    blocks: tuple[Block, ...]
    change: Text

    def __post_init__(self) -> None:
        check_int("level", self.number, low=1)
        if not self.blocks:
            raise InputError(f"level {self.number} has no blocks", field="blocks")

    def steps(self) -> Iterator[Step]:
        """Every step of one session at this level, repetitions unrolled, in order."""
        for block in self.blocks:
            for _ in range(block.repetitions):
                yield from block.steps


@dataclass(frozen=True, slots=True)
class Bound:
    """A published limit on one quantity of one block, e.g. endurance holds of 3 to 10 s."""

    block: str
    quantity: Quantity
    low: int
    high: int
    source: str

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise InputError(f"bound {self.block}.{self.quantity}: low > high", field="low")


@dataclass(frozen=True, slots=True)
class Programme:
    """A training programme: its levels, dosage bounds, and where it comes from.

    Parameters
    ----------
    id
        Stable identifier (used in URLs, logs and the command line).
    title
        Name in Dutch and English.
    source
        The leaflet or guideline the dosage comes from, with the clinical.md section.
    sessions_per_day
        Planned sessions a day; 0 for a ``schedule`` whose routine is used when needed.
    kind
        ``session`` or ``schedule`` (see :data:`ProgrammeKind`).
    strengthening
        False for a relaxation programme: then no level may contain a squeeze.
    levels
        Levels numbered 1..N; level 1 is where everyone starts.
    bounds
        Published limits that every level must respect.
    """

    id: str
    title: Text
    source: str
    sessions_per_day: int
    kind: ProgrammeKind
    strengthening: bool
    levels: tuple[Level, ...]
    bounds: tuple[Bound, ...] = field(default=())

    def __post_init__(self) -> None:
        check_option("kind", self.kind, get_args(ProgrammeKind))
        low = 0 if self.kind == "schedule" else 1
        check_int("sessions_per_day", self.sessions_per_day, low=low, high=12)
        numbers = [level.number for level in self.levels]
        if numbers != list(range(1, len(self.levels) + 1)):
            raise InputError(
                f"{self.id}: levels must be numbered 1..N in order, got {numbers}", field="levels"
            )
        for level in self.levels:
            self._check_level(level)

    def _check_level(self, level: Level) -> None:
        if not self.strengthening:
            squeezes = {s.action for s in level.steps()} & CONTRACTING_ACTIONS
            if squeezes:
                raise InputError(
                    f"{self.id} level {level.number}: a relaxation programme may not contain "
                    f"{', '.join(sorted(squeezes))} steps",
                    field="levels",
                )
        for bound in self.bounds:
            for block in level.blocks:
                if block.name != bound.block:
                    continue
                value = block.measure(bound.quantity)
                if value is not None and not bound.low <= value <= bound.high:
                    raise InputError(
                        f"{self.id} level {level.number}: {bound.block} {bound.quantity} = "
                        f"{value} lies outside [{bound.low}, {bound.high}] ({bound.source})",
                        field="levels",
                    )

    @property
    def max_level(self) -> int:
        """The highest level."""
        return len(self.levels)

    def level(self, number: int) -> Level:
        """Level ``number``; raises naming the valid range if there is no such level."""
        if isinstance(number, bool) or not isinstance(number, int):
            raise InputError(f"level must be a whole number, got {number!r}", field="level")
        if not 1 <= number <= self.max_level:
            raise InputError(
                f"level for {self.id} must lie in [1, {self.max_level}]; got {number}",
                field="level",
                allowed=range(1, self.max_level + 1),
            )
        return self.levels[number - 1]
