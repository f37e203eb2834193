"""Bladder and bowel diary events.

One frozen dataclass per event a person records: going to bed, waking to rise, a void, a leak,
a drink, a pad change and a bowel movement. Every event carries a timezone-aware ``time`` so a
diary that crosses a clock change (or a border) keeps its true order and durations.

Urgency is graded on the Patient Perception of Intensity of Urgency Scale (PPIUS: 0 none,
1 mild, 2 moderate, 3 severe, 4 urge incontinence; Notte et al., BMC Urol 2012;12:26). Stool
form is the Bristol stool form scale 1–7 (Lewis & Heaton, Scand J Gastroenterol
1997;32:920–4).

References
----------
Hashim H, et al. International Continence Society (ICS) report on the terminology for nocturia
and nocturnal lower urinary tract function. Neurourol Urodyn 2019;38:499–508 (clinical.md §4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, Final, Literal, TypeAlias

from pelvio._check import check_int, check_option, check_range, check_type
from pelvio.errors import InputError

__all__ = [
    "BOWEL_FLAGS",
    "DRINK_MAX_ML",
    "EVENT_LABELS",
    "EVENT_NAMES",
    "LEAK_AMOUNTS",
    "LEAK_TRIGGERS",
    "NOTE_MAX_CHARS",
    "URGENCY_LEVELS",
    "VOID_MAX_ML",
    "Bed",
    "Bowel",
    "BowelFlag",
    "Drink",
    "Event",
    "EventName",
    "Leak",
    "LeakAmount",
    "LeakTrigger",
    "Pad",
    "Void",
    "Wake",
    "ordered",
    "utc",
]

EventName = Literal["bed", "wake", "void", "leak", "drink", "pad", "bowel"]
LeakAmount = Literal["drops", "small", "moderate", "large"]
LeakTrigger = Literal["cough", "sneeze", "laugh", "lift", "sport", "urge", "other"]
BowelFlag = Literal["straining", "incomplete", "blockage", "manual", "laxative"]

EVENT_NAMES: Final[tuple[EventName, ...]] = (
    "bed",
    "wake",
    "void",
    "leak",
    "drink",
    "pad",
    "bowel",
)
EVENT_LABELS: Final[dict[EventName, tuple[str, str]]] = {
    "bed": ("naar bed", "going to bed"),
    "wake": ("opstaan", "waking to rise"),
    "void": ("plas", "void"),
    "leak": ("urineverlies", "leak"),
    "drink": ("drinken", "drink"),
    "pad": ("verband verschoond", "pad change"),
    "bowel": ("ontlasting", "bowel movement"),
}
"""Our own nl and en names of the events, for messages and the web."""

LEAK_AMOUNTS: Final[tuple[LeakAmount, ...]] = ("drops", "small", "moderate", "large")
LEAK_TRIGGERS: Final[tuple[LeakTrigger, ...]] = (
    "cough",
    "sneeze",
    "laugh",
    "lift",
    "sport",
    "urge",
    "other",
)
BOWEL_FLAGS: Final[tuple[BowelFlag, ...]] = (
    "straining",
    "incomplete",
    "blockage",
    "manual",
    "laxative",
)
URGENCY_LEVELS: Final[dict[int, tuple[str, str]]] = {
    0: ("geen aandrang", "no urgency"),
    1: ("lichte aandrang", "mild urgency"),
    2: ("matige aandrang", "moderate urgency"),
    3: ("sterke aandrang", "severe urgency"),
    4: ("aandrang met urineverlies", "urge incontinence"),
}
"""PPIUS grades with our own nl and en labels (Notte et al. 2012)."""

VOID_MAX_ML: Final = 2000.0
"""Largest single void accepted. Healthy bladders hold roughly 400–600 ml and even chronic
retention rarely empties more than about a litre in one void; above 2 litres a typing or unit
mistake (an extra zero, litres or ounces) is far likelier than a real void, so it is refused."""

DRINK_MAX_ML: Final = 3000.0
"""Largest single drink accepted: a 1.5 l bottle is plausible, more than 3 l at once is not."""

NOTE_MAX_CHARS: Final = 500
_KIND_MAX_CHARS: Final = 40


def _check_time(time: object) -> datetime:
    value = check_type("time", time, datetime)
    if value.utcoffset() is None:
        raise InputError(
            "time must carry its UTC offset (for example 2025-03-29T07:00:00+01:00); "
            f"got {value.isoformat()} without one",
            field="time",
        )
    return value


def _check_note(note: object) -> str:
    text = check_type("note", note, str)
    if len(text) > NOTE_MAX_CHARS:
        raise InputError(
            f"note must be at most {NOTE_MAX_CHARS} characters; got {len(text)}", field="note"
        )
    return text


def _check_volume(volume_ml: object, maximum_ml: float, what: str) -> float:
    value = check_range("volume_ml", volume_ml, low=0.0, low_inclusive=False, unit="ml")
    if value > maximum_ml:
        raise InputError(
            f"volume_ml of a {what} must be at most {maximum_ml:g} ml (a larger value is almost "
            f"always a typing or unit mistake); got {value:g} ml",
            field="volume_ml",
        )
    return value


def _check_urgency(urgency: object) -> int:
    return check_int("urgency", urgency, low=0, high=4)


class _Checked:
    """Shared checks of ``time`` and ``note``; ``__post_init__`` of each event calls them."""

    __slots__ = ()
    time: datetime
    note: str

    def _check_common(self) -> None:
        _check_time(self.time)
        _check_note(self.note)


@dataclass(frozen=True, slots=True, kw_only=True)
class Bed(_Checked):
    """Going to bed with the intention to sleep: the main sleep period starts (ICS 2019)."""

    event: ClassVar[Literal["bed"]] = "bed"
    time: datetime
    note: str = ""

    def __post_init__(self) -> None:
        self._check_common()


@dataclass(frozen=True, slots=True, kw_only=True)
class Wake(_Checked):
    """Waking with the intention to rise: the main sleep period ends (ICS 2019)."""

    event: ClassVar[Literal["wake"]] = "wake"
    time: datetime
    note: str = ""

    def __post_init__(self) -> None:
        self._check_common()


@dataclass(frozen=True, slots=True, kw_only=True)
class Void(_Checked):
    """A void (micturition).

    Parameters
    ----------
    time
        When, with its UTC offset.
    urgency
        PPIUS grade 0–4 (Notte et al. 2012); 3 or 4 makes the void an urgency episode.
    volume_ml
        Voided volume in millilitres, or ``None`` when it was not measured (the metrics that
        need it are then not computed for that period, and a warning says so).
    """

    event: ClassVar[Literal["void"]] = "void"
    time: datetime
    urgency: int
    volume_ml: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        self._check_common()
        _check_urgency(self.urgency)
        if self.volume_ml is not None:
            object.__setattr__(
                self, "volume_ml", _check_volume(self.volume_ml, VOID_MAX_ML, "void")
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Leak(_Checked):
    """An involuntary loss of urine: each leak is one incontinence episode.

    ``urgency`` (PPIUS 0–4) is optional; a leak graded 3 or 4 is also an urgency episode.
    """

    event: ClassVar[Literal["leak"]] = "leak"
    time: datetime
    amount: LeakAmount
    trigger: LeakTrigger
    urgency: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        self._check_common()
        check_option("amount", self.amount, LEAK_AMOUNTS)
        check_option("trigger", self.trigger, LEAK_TRIGGERS)
        if self.urgency is not None:
            _check_urgency(self.urgency)


@dataclass(frozen=True, slots=True, kw_only=True)
class Drink(_Checked):
    """A drink: ``volume_ml`` (``None`` when unknown) and a free ``kind`` such as "water"."""

    event: ClassVar[Literal["drink"]] = "drink"
    time: datetime
    volume_ml: float | None
    kind: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        self._check_common()
        if self.volume_ml is not None:
            object.__setattr__(
                self, "volume_ml", _check_volume(self.volume_ml, DRINK_MAX_ML, "drink")
            )
        kind = check_type("kind", self.kind, str)
        if len(kind) > _KIND_MAX_CHARS or "\n" in kind:
            raise InputError(
                f"kind must be one line of at most {_KIND_MAX_CHARS} characters; got {kind!r}",
                field="kind",
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Pad(_Checked):
    """A pad change."""

    event: ClassVar[Literal["pad"]] = "pad"
    time: datetime
    note: str = ""

    def __post_init__(self) -> None:
        self._check_common()


@dataclass(frozen=True, slots=True, kw_only=True)
class Bowel(_Checked):
    """A bowel movement (defecation).

    Parameters
    ----------
    bristol
        Bristol stool form 1 (separate hard lumps) to 7 (entirely liquid); Lewis & Heaton 1997.
    straining, incomplete, blockage, manual
        Straining; a feeling of incomplete evacuation; a feeling of blockage; manual help
        (fingers, support of the pelvic floor). These are the per-defecation items of the
        Rome IV functional constipation criteria (Lacy et al., Gastroenterology 2016;150:1393).
    laxative
        The movement followed a laxative, suppository or enema, so it is not spontaneous.
    """

    event: ClassVar[Literal["bowel"]] = "bowel"
    time: datetime
    bristol: int
    straining: bool = False
    incomplete: bool = False
    blockage: bool = False
    manual: bool = False
    laxative: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        self._check_common()
        check_int("bristol", self.bristol, low=1, high=7)
        for flag in BOWEL_FLAGS:
            check_type(flag, getattr(self, flag), bool)

    @property
    def flags(self) -> tuple[BowelFlag, ...]:
        """The flags that are set, in the order of :data:`BOWEL_FLAGS`."""
        return tuple(flag for flag in BOWEL_FLAGS if getattr(self, flag))


Event: TypeAlias = Bed | Wake | Void | Leak | Drink | Pad | Bowel

# At the same instant, waking sorts first (a void at the wake time is the first morning void)
# and going to bed last (a void at the bed time is the last void before sleep, ICS 2019).
_SAME_TIME_RANK: Final[dict[str, int]] = {"wake": 0, "bed": 2}


def ordered(events: Iterable[Event]) -> list[Event]:
    """Return ``events`` in time order; ties keep wake first, bed last, the rest as entered."""
    indexed = list(enumerate(events))
    for _, item in indexed:
        if not isinstance(item, Bed | Wake | Void | Leak | Drink | Pad | Bowel):
            raise InputError(
                f"events must be diary events (Bed, Wake, Void, Leak, Drink, Pad, Bowel); "
                f"got {type(item).__name__}",
                field="events",
            )
    indexed.sort(
        key=lambda pair: (utc(pair[1].time), _SAME_TIME_RANK.get(pair[1].event, 1), pair[0])
    )
    return [item for _, item in indexed]


def utc(time: datetime) -> datetime:
    """``time`` in UTC.

    Python compares and subtracts two datetimes that share one ``tzinfo`` (say
    ``ZoneInfo("Europe/Amsterdam")``) by their wall clocks, which gives 24 hours across a
    23-hour night and mixes up the repeated hour in October; in UTC both are right.
    """
    return time.astimezone(UTC)
