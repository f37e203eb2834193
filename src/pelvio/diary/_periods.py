"""Cut a bladder diary into the ICS 24-hour periods, first morning void to first morning void.

How the boundaries are found (ICS 2019, Hashim et al., Neurourol Urodyn 2019;38:499; clinical.md
§4), with the choices the definitions leave open made explicit:

* Events are put in time order (in UTC, so a clock change cannot reorder them). At one instant
  waking sorts first and going to bed last, so a void at the wake time is the first morning void
  and a void at the bed time is the last void before sleep.
* Entries with the same time, event and values (the note aside) are one entry entered twice:
  counted once, with a warning.
* A *night* (main sleep period) is a ``bed`` followed by the next ``wake``. Naps are not
  recorded as bed/wake.
* The *first morning void* (FMV) of a wake is the first void at or after the wake time and
  before the next bed or wake. A wake without one gets a warning and closes no period.
* A period runs from just after one FMV up to and including the next one. Entries before the
  first FMV and after the last one form incomplete periods at the diary's edges; the edge
  periods are listed only when they hold a void, leak or drink besides the FMV itself (the
  FMV that opens a diary is discarded from every period, as ICS prescribes).
* A period is *complete* when it opens just after an FMV, closes with the next FMV, and holds
  exactly one night: one bed followed by the wake whose FMV closes it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields
from typing import Final

from pelvio.diary.events import EVENT_LABELS, Bed, Drink, Event, Leak, Void, Wake, utc
from pelvio.diary.notices import Notice, when

__all__ = ["Segment", "deduplicate", "segments"]

_MEASURED: Final = (Void, Leak, Drink)


@dataclass(frozen=True, slots=True)
class Segment:
    """Entries of one period with what bounds it.

    ``opening`` is the FMV just before the period (not part of it) or ``None`` at the start of
    the diary; ``closing`` is the FMV that ends it (the period's last void) or ``None`` at the
    end of the diary; ``night`` is the one night the period holds, when it holds exactly one
    and that night's FMV is ``closing``.
    """

    entries: tuple[Event, ...]
    opening: Void | None
    closing: Void | None
    night: tuple[Bed, Wake] | None
    nights: int
    complete: bool


def _values(event: Event) -> tuple[object, ...]:
    """What makes two entries the same: event, instant and values, the note aside."""
    return (
        event.event,
        utc(event.time),
        *(getattr(event, f.name) for f in fields(event) if f.name not in {"time", "note"}),
    )


def deduplicate(events: list[Event]) -> tuple[list[Event], list[Notice]]:
    """Drop repeated entries (same time, event and values) from ordered ``events``.

    Two entries of one event at one instant with *different* values are both kept, with a
    warning, because either may be the mistake.
    """
    kept: list[Event] = []
    notices: list[Notice] = []
    seen: set[tuple[object, ...]] = set()
    first_at: dict[tuple[str, object], Event] = {}
    for event in events:
        key = _values(event)
        name_nl, name_en = EVENT_LABELS[event.event]
        if key in seen:
            notices.append(
                Notice(
                    "duplicate_event",
                    f"Twee keer ingevoerd: {name_nl} om {when(event.time)} met dezelfde "
                    "waarden; één keer geteld.",
                    f"Entered twice: {name_en} at {when(event.time)} with the same values; "
                    "counted once.",
                    time=event.time,
                )
            )
            continue
        seen.add(key)
        slot = (event.event, utc(event.time))
        if slot in first_at:
            notices.append(
                Notice(
                    "same_time_different_values",
                    f"Twee keer {name_nl} om {when(event.time)} met verschillende waarden; "
                    "beide tellen mee. Kijk of er één per vergissing is ingevoerd.",
                    f"Two {name_en} entries at {when(event.time)} with different values; "
                    "both are counted. Check whether one of them is a mistake.",
                    time=event.time,
                )
            )
        else:
            first_at[slot] = event
        kept.append(event)
    return kept, notices


def _nights(events: list[Event]) -> tuple[dict[int, int | None], list[Notice]]:
    """Map the index of each wake to the index of its bed (``None`` if it has none)."""
    nights: dict[int, int | None] = {}
    notices: list[Notice] = []
    open_bed: int | None = None
    for index, event in enumerate(events):
        if isinstance(event, Bed):
            if open_bed is not None:
                notices.append(_bed_without_wake(events[open_bed]))
            open_bed = index
        elif isinstance(event, Wake):
            # A diary may well start at waking; only a wake with entries before it and no bed
            # means a night was half recorded.
            if open_bed is None and index > 0:
                notices.append(
                    Notice(
                        "wake_without_bed",
                        f"Bij opstaan om {when(event.time)} ontbreekt het naar bed gaan ervoor: "
                        "die nacht is niet volledig bijgehouden.",
                        f"Waking at {when(event.time)} has no going to bed before it: that "
                        "night is not fully recorded.",
                        time=event.time,
                    )
                )
            nights[index] = open_bed
            open_bed = None
    # Likewise a diary may end at going to bed; a bed followed by entries but no wake may not.
    if open_bed is not None and open_bed < len(events) - 1:
        notices.append(_bed_without_wake(events[open_bed]))
    return nights, notices


def _bed_without_wake(bed: Event) -> Notice:
    return Notice(
        "bed_without_wake",
        f"Na naar bed gaan om {when(bed.time)} ontbreekt het opstaan: die nacht is niet "
        "volledig bijgehouden.",
        f"Going to bed at {when(bed.time)} has no waking after it: that night is not fully "
        "recorded.",
        time=bed.time,
    )


def _first_morning_voids(
    events: list[Event], wakes: list[int]
) -> tuple[list[tuple[int, int]], list[Notice]]:
    """Pairs ``(wake index, FMV index)``; a warning for each wake without a void after it."""
    found: list[tuple[int, int]] = []
    notices: list[Notice] = []
    for wake in wakes:
        fmv = _first_void_after(events, wake)
        if fmv is not None:
            found.append((wake, fmv))
            continue
        time = events[wake].time
        notices.append(
            Notice(
                "no_first_morning_void",
                f"Na opstaan om {when(time)} is geen plas ingevoerd vóór de volgende nacht of "
                "het einde van het dagboek, dus daar kan geen etmaal eindigen.",
                f"No void is recorded after waking at {when(time)} before the next night or "
                "the end of the diary, so no 24-hour period can end there.",
                time=time,
            )
        )
    return found, notices


def _first_void_after(events: list[Event], wake: int) -> int | None:
    for index in range(wake + 1, len(events)):
        event = events[index]
        if isinstance(event, Bed | Wake):
            return None
        if isinstance(event, Void):
            return index
    return None


def _segment(
    events: list[Event],
    first: int,
    last: int,
    opening: int | None,
    closing: int | None,
    nights: dict[int, int | None],
) -> Segment:
    entries = tuple(events[first : last + 1])
    beds = [i for i in range(first, last + 1) if isinstance(events[i], Bed)]
    wakes = [i for i in range(first, last + 1) if isinstance(events[i], Wake)]
    night: tuple[Bed, Wake] | None = None
    if closing is not None and len(beds) == 1 and len(wakes) == 1:
        bed_index, wake_index = beds[0], wakes[0]
        bed, wake = events[bed_index], events[wake_index]
        if nights.get(wake_index) == bed_index and isinstance(bed, Bed) and isinstance(wake, Wake):
            night = (bed, wake)
    opening_void = events[opening] if opening is not None else None
    closing_void = events[closing] if closing is not None else None
    assert opening_void is None or isinstance(opening_void, Void)
    assert closing_void is None or isinstance(closing_void, Void)
    return Segment(
        entries=entries,
        opening=opening_void,
        closing=closing_void,
        night=night,
        nights=min(len(beds), len(wakes)),
        complete=opening is not None and night is not None,
    )


def _has_measurements(events: list[Event], first: int, last: int, skip: int | None) -> bool:
    return any(isinstance(events[i], _MEASURED) and i != skip for i in range(first, last + 1))


def segments(events: list[Event]) -> tuple[list[Segment], list[Notice]]:
    """Cut ordered, deduplicated ``events`` into periods; warnings about the nights and FMVs."""
    nights, notices = _nights(events)
    pairs, fmv_notices = _first_morning_voids(events, sorted(nights))
    notices.extend(fmv_notices)
    if not events:
        return [], notices
    fmvs = [fmv for _, fmv in pairs]
    if not fmvs:
        if not nights:
            notices.append(
                Notice(
                    "no_wake",
                    "Het dagboek heeft geen 'opstaan': zonder eerste ochtendplas is er geen "
                    "etmaal te vormen.",
                    "The diary has no waking to rise: without a first morning void no 24-hour "
                    "period can be formed.",
                )
            )
        if not _has_measurements(events, 0, len(events) - 1, skip=None):
            return [], notices
        return [_segment(events, 0, len(events) - 1, None, None, nights)], notices
    found: list[Segment] = []
    if _has_measurements(events, 0, fmvs[0], skip=fmvs[0]):
        found.append(_segment(events, 0, fmvs[0], None, fmvs[0], nights))
    for opening, closing in itertools.pairwise(fmvs):
        found.append(_segment(events, opening + 1, closing, opening, closing, nights))
    if _has_measurements(events, fmvs[-1] + 1, len(events) - 1, skip=None):
        found.append(_segment(events, fmvs[-1] + 1, len(events) - 1, fmvs[-1], None, nights))
    return found, notices
