"""Storing and reading a patient's diary: one commit per user action, retries are harmless.

Every function takes the database session and the patient by keyword; the web layer has
already checked that the caller may see this patient (``own_record`` / ``patient_record``). The
metrics, the CSV format and the bowel check are the pure functions of :mod:`pelvio.diary`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pelvio._check import check_uuid
from pelvio.accounts.tables import User
from pelvio.db import insert_once, utcnow
from pelvio.diary.bowel import (
    BowelSummary,
    RomeIVAnswers,
    RomeIVCheck,
    bowel_summary,
    rome_iv_check,
)
from pelvio.diary.csvformat import format_diary_csv, parse_diary_csv
from pelvio.diary.events import (
    EVENT_NAMES,
    Bed,
    Bowel,
    Drink,
    Event,
    EventName,
    Leak,
    Pad,
    Void,
    Wake,
    ordered,
    utc,
)
from pelvio.diary.metrics import DiaryReport, diary_metrics
from pelvio.diary.tables import DiaryEntry, DiaryProfile
from pelvio.errors import ConflictError, FileFormatError, InputError, NotFoundError

__all__ = [
    "DayView",
    "DiarySpan",
    "ImportResult",
    "add_entries",
    "add_entry",
    "bowel_overview",
    "day_view",
    "delete_entry",
    "diary_spans",
    "entries",
    "export_csv",
    "fv_chart",
    "get_entry",
    "get_profile",
    "import_csv",
    "parse_local_time",
    "report",
    "restore_entry",
    "save_profile",
    "to_event",
    "today_counts",
    "update_entry",
]

_CLASSES: Final[dict[str, type[Event]]] = {
    "bed": Bed,
    "wake": Wake,
    "void": Void,
    "leak": Leak,
    "drink": Drink,
    "pad": Pad,
    "bowel": Bowel,
}
_FUTURE_SLACK: Final = dt.timedelta(hours=1)
# A new diary starts after a full day without bladder entries: a 3-day diary never has such a
# gap (people drink and void every day), two diaries weeks apart always do.
_SPAN_GAP: Final = dt.timedelta(hours=24)
_IMPORT_NAMESPACE: Final = uuid.UUID("6b1e6f5e-3c1a-4d8e-9a55-2f0d6c9e7a41")


def zone_of(patient: User) -> ZoneInfo:
    """The patient's time zone."""
    return ZoneInfo(patient.timezone)


def parse_local_time(text: str, *, zone: ZoneInfo, field: str = "time") -> dt.datetime:
    """A time typed on the patient's clock (``2025-03-30T07:00``) as an aware datetime.

    A time with its own offset is taken as is. A wall-clock time that does not exist (the hour
    skipped when clocks go forward) is refused; in the hour that happens twice when clocks go
    back, the first one (summer time) is meant.
    """
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{field} must be a date and time like 2025-03-29T07:00; got {text!r}", field=field
        ) from None
    if value.tzinfo is not None:
        return value
    aware = value.replace(tzinfo=zone)
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise InputError(
            f"{field} {value:%Y-%m-%d %H:%M} does not exist on the clock of {zone.key}: the "
            "clocks moved forward that night; give a time before or after the jump",
            field=field,
        )
    return aware


def _values(event: Event) -> dict[str, Any]:
    return {f.name: getattr(event, f.name) for f in fields(event) if f.name not in {"time", "note"}}


def to_event(entry: DiaryEntry) -> Event:
    """The diary event of a stored entry, on the clock the person was on when it happened."""
    offset = dt.timezone(dt.timedelta(minutes=entry.utc_offset_min))
    cls = _CLASSES[entry.event]
    event: Event = cls(time=entry.at.astimezone(offset), note=entry.note, **entry.values)
    return event


def _offset_min(time: dt.datetime) -> int:
    offset = time.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def _zone_name(time: dt.datetime, zone: ZoneInfo) -> str | None:
    """The zone's name when the entry's offset is the zone's offset at that instant."""
    return zone.key if time.astimezone(zone).utcoffset() == time.utcoffset() else None


def _row(patient: User, client_id: str, event: Event, zone: ZoneInfo) -> DiaryEntry:
    return DiaryEntry(
        patient_id=patient.id,
        client_id=client_id,
        event=event.event,
        at=utc(event.time),
        utc_offset_min=_offset_min(event.time),
        timezone=_zone_name(event.time, zone),
        values=_values(event),
        note=event.note,
    )


def add_entries(db: Session, *, patient: User, events: Iterable[Event]) -> int:
    """Store many new entries (each with a fresh client id) in one commit; for seeding."""
    zone = zone_of(patient)
    rows = [_row(patient, str(uuid.uuid4()), event, zone) for event in events]
    db.add_all(rows)
    db.commit()
    return len(rows)


def _same(entry: DiaryEntry, event: Event) -> bool:
    return (
        entry.event == event.event
        and entry.at == utc(event.time)
        and entry.values == _values(event)
        and entry.note == event.note
    )


def _check_time(event: Event, now: dt.datetime) -> None:
    if utc(event.time) > now + _FUTURE_SLACK:
        raise InputError(
            f"time {event.time:%Y-%m-%d %H:%M} lies in the future; diary entries are for what "
            "already happened",
            field="time",
        )


def _find(db: Session, patient: User, client_id: str) -> DiaryEntry | None:
    return db.scalar(
        select(DiaryEntry).where(
            DiaryEntry.patient_id == patient.id, DiaryEntry.client_id == client_id
        )
    )


def add_entry(
    db: Session,
    *,
    patient: User,
    client_id: str,
    event: Event,
    zone: ZoneInfo | None = None,
    now: dt.datetime | None = None,
) -> tuple[DiaryEntry, bool]:
    """Store ``event`` for ``patient`` and commit; return the row and whether it is new.

    The same ``client_id`` sent again (a retried offline POST, a double tap) returns the row
    stored the first time and adds nothing. The same ``client_id`` with a different entry is a
    :class:`ConflictError`: the browser never reuses an id for another entry.
    """
    key = check_uuid("client_id", client_id)
    _check_time(event, now or utcnow())
    existing = _find(db, patient, key)
    if existing is not None:
        if not _same(existing, event):
            raise ConflictError("this client_id was already used for another diary entry")
        return existing, False
    entry = _row(patient, key, event, zone if zone is not None else zone_of(patient))
    return insert_once(db, entry, lambda: _find(db, patient, key))


def get_entry(
    db: Session, *, patient: User, entry_id: str, include_deleted: bool = False
) -> DiaryEntry:
    """One entry of ``patient`` by its public id; :class:`NotFoundError` for anyone else's."""
    query = select(DiaryEntry).where(
        DiaryEntry.patient_id == patient.id, DiaryEntry.public_id == entry_id
    )
    if not include_deleted:
        query = query.where(DiaryEntry.deleted_at.is_(None))
    entry = db.scalar(query)
    if entry is None:
        raise NotFoundError("no such diary entry")
    return entry


def update_entry(
    db: Session, *, patient: User, entry_id: str, event: Event, now: dt.datetime | None = None
) -> DiaryEntry:
    """Replace an entry's time and values (its kind stays) and commit."""
    entry = get_entry(db, patient=patient, entry_id=entry_id)
    if event.event != entry.event:
        raise InputError(
            f"an entry keeps its kind ({entry.event}); delete it and add a {event.event} instead",
            field="event",
        )
    _check_time(event, now or utcnow())
    entry.at = utc(event.time)
    entry.utc_offset_min = _offset_min(event.time)
    entry.timezone = _zone_name(event.time, zone_of(patient))
    entry.values = _values(event)
    entry.note = event.note
    entry.updated_at = utcnow()
    db.commit()
    return entry


def delete_entry(db: Session, *, patient: User, entry_id: str) -> DiaryEntry:
    """Mark an entry deleted (it can be restored) and commit."""
    entry = get_entry(db, patient=patient, entry_id=entry_id)
    entry.deleted_at = entry.updated_at = utcnow()
    db.commit()
    return entry


def restore_entry(db: Session, *, patient: User, entry_id: str) -> DiaryEntry:
    """Undo a delete and commit; restoring an entry that is not deleted changes nothing."""
    entry = get_entry(db, patient=patient, entry_id=entry_id, include_deleted=True)
    if entry.deleted_at is not None:
        entry.deleted_at = None
        entry.updated_at = utcnow()
        db.commit()
    return entry


def entries(
    db: Session,
    *,
    patient: User,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[DiaryEntry]:
    """The patient's entries that are not deleted, in time order (from ``start`` to before
    ``end``, when given)."""
    query = select(DiaryEntry).where(
        DiaryEntry.patient_id == patient.id, DiaryEntry.deleted_at.is_(None)
    )
    if start is not None:
        query = query.where(DiaryEntry.at >= start)
    if end is not None:
        query = query.where(DiaryEntry.at < end)
    return list(db.scalars(query.order_by(DiaryEntry.at, DiaryEntry.id)))


@dataclass(frozen=True, slots=True)
class ImportResult:
    """How many rows a CSV import added, and how many were already in the diary."""

    added: int
    already_there: int


def import_csv(db: Session, *, patient: User, text: str, source: str | None = None) -> ImportResult:
    """Import a diary CSV (docs/diary.md) all or nothing, in one commit.

    Every bad row is reported at once (each naming its line and field) and then nothing is
    imported. A row imported before (same instant, event and values) is not added again.
    """
    parsed = parse_diary_csv(text, on_error="warn", source=source)
    if parsed.skipped:
        first = parsed.skipped[0]
        where = f"{source}, " if source else ""
        raise FileFormatError(
            f"{where}nothing was imported; "
            + "; ".join(str(problem) for problem in parsed.skipped),
            path=source,
            line=first.line,
            field=first.field,
        )
    now = utcnow()
    zone = zone_of(patient)
    added = already = 0
    seen: set[str] = set()
    for event in parsed.events:
        _check_time(event, now)
        key = str(uuid.uuid5(_IMPORT_NAMESPACE, f"{patient.public_id}|{_fingerprint(event)}"))
        if key in seen or _find(db, patient, key) is not None:
            already += 1
            continue
        seen.add(key)
        db.add(_row(patient, key, event, zone))
        added += 1
    db.commit()
    return ImportResult(added=added, already_there=already)


def _fingerprint(event: Event) -> str:
    values = _values(event)
    return "|".join(
        [event.event, utc(event.time).isoformat(), *(f"{k}={values[k]!r}" for k in sorted(values))]
    )


def export_csv(db: Session, *, patient: User) -> str:
    """The whole diary as CSV text (docs/diary.md), each time with its own UTC offset."""
    return format_diary_csv(to_event(entry) for entry in entries(db, patient=patient))


def get_profile(db: Session, *, patient: User) -> DiaryProfile | None:
    """The age and weight stored for the metrics, if any."""
    return db.scalar(select(DiaryProfile).where(DiaryProfile.patient_id == patient.id))


def save_profile(
    db: Session, *, patient: User, age_years: int | None, weight_kg: float | None
) -> DiaryProfile:
    """Store the age (18–120, for the NPi cut-off) and weight (20–400 kg) and commit."""
    if age_years is not None and not 18 <= age_years <= 120:
        raise InputError(
            f"age_years must be 18–120 (adult ICS definitions); got {age_years}",
            field="age_years",
        )
    if weight_kg is not None and not 20 <= weight_kg <= 400:
        raise InputError(f"weight_kg must be 20–400 kg; got {weight_kg:g}", field="weight_kg")
    profile = get_profile(db, patient=patient)
    if profile is None:
        profile = DiaryProfile(patient_id=patient.id)
        db.add(profile)
    profile.age_years = age_years
    profile.weight_kg = weight_kg
    profile.updated_at = utcnow()
    db.commit()
    return profile


@dataclass(frozen=True, slots=True)
class DiarySpan:
    """One bladder diary: bladder entries with no full day without any between them.

    ``key`` is the public id of its first entry (for links), ``first`` and ``last`` the local
    dates it covers.
    """

    key: str
    first: dt.date
    last: dt.date
    entries: tuple[DiaryEntry, ...]

    @property
    def days(self) -> int:
        """Calendar days covered, both ends included."""
        return (self.last - self.first).days + 1


def _local_date(entry: DiaryEntry) -> dt.date:
    return to_event(entry).time.date()


def diary_spans(rows: Sequence[DiaryEntry]) -> list[DiarySpan]:
    """The separate bladder diaries among ``rows`` (time order), oldest first."""
    bladder = [row for row in rows if row.event != "bowel"]
    groups: list[list[DiaryEntry]] = []
    for row in bladder:
        if groups and row.at - groups[-1][-1].at <= _SPAN_GAP:
            groups[-1].append(row)
        else:
            groups.append([row])
    return [
        DiarySpan(
            key=group[0].public_id,
            first=_local_date(group[0]),
            last=_local_date(group[-1]),
            entries=tuple(group),
        )
        for group in groups
    ]


def report(db: Session, *, patient: User, span: DiarySpan) -> DiaryReport:
    """The ICS metrics of one diary, with the stored age and weight."""
    profile = get_profile(db, patient=patient)
    return diary_metrics(
        (to_event(entry) for entry in span.entries),
        age_years=None if profile is None else profile.age_years,
        weight_kg=None if profile is None else profile.weight_kg,
    )


@dataclass(frozen=True, slots=True)
class DayRow:
    """One entry in the day view: the row, its event, and whether it fell in the night."""

    entry: DiaryEntry
    event: Event
    asleep: bool


@dataclass(frozen=True, slots=True)
class DayView:
    """A local calendar day: its entries, the nights that touch it and its true length.

    ``nights`` are (start, end) in hours after local midnight (0 to ``length_h``), for the
    shaded band; ``length_h`` is 23 or 25 on a day the clocks change. ``marks`` place the
    entries and ``ticks`` the wall-clock labels every 6 elapsed hours on that axis.
    """

    day: dt.date
    rows: tuple[DayRow, ...]
    nights: tuple[tuple[float, float], ...]
    length_h: float
    marks: tuple[tuple[float, str], ...]
    ticks: tuple[tuple[float, str], ...]


def _nights(rows: Sequence[DiaryEntry]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Main sleep periods (bed to the next wake) as UTC instants; an open bed has no end yet."""
    out: list[tuple[dt.datetime, dt.datetime]] = []
    bed: dt.datetime | None = None
    for row in rows:
        if row.event == "bed":
            bed = row.at
        elif row.event == "wake" and bed is not None:
            out.append((bed, row.at))
            bed = None
    return out


def day_view(rows: Sequence[DiaryEntry], *, day: dt.date, zone: ZoneInfo) -> DayView:
    """The entries of local ``day`` with the main sleep period marked (``rows`` in time order)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone).astimezone(dt.UTC)
    length_h = (end - start).total_seconds() / 3600
    nights = _nights(rows)
    shown: list[DayRow] = []
    marks: list[tuple[float, str]] = []
    for row in rows:
        event = to_event(row)
        if event.time.date() != day:
            continue
        asleep = any(bed < row.at < wake for bed, wake in nights)
        shown.append(DayRow(entry=row, event=event, asleep=asleep))
        if start <= row.at < end:
            marks.append(((row.at - start).total_seconds() / 3600, row.event))
    bands = []
    for bed, wake in nights:
        low, high = max(bed, start), min(wake, end)
        if low < high:
            bands.append(
                ((low - start).total_seconds() / 3600, (high - start).total_seconds() / 3600)
            )
    ticks = tuple(
        (float(h), (start + dt.timedelta(hours=h)).astimezone(zone).strftime("%H:%M"))
        for h in range(0, int(length_h) + 1, 6)
    )
    return DayView(
        day=day,
        rows=tuple(shown),
        nights=tuple(bands),
        length_h=length_h,
        marks=tuple(marks),
        ticks=ticks,
    )


@dataclass(frozen=True, slots=True)
class ChartMark:
    """One entry on the frequency–volume chart, ``x_h`` hours after the chart's start."""

    x_h: float
    event: str
    volume_ml: float | None
    urgent: bool
    clock: str


@dataclass(frozen=True, slots=True)
class FVChart:
    """What a frequency–volume chart of one diary draws, in hours and millilitres.

    The time axis is true elapsed time from the local midnight before the first entry, so a
    night with a clock change is an hour shorter or longer on the chart too.
    """

    hours: float
    scale_ml: float
    midnights: tuple[tuple[float, dt.date], ...]
    nights: tuple[tuple[float, float], ...]
    marks: tuple[ChartMark, ...]


def fv_chart(span: DiarySpan, *, zone: ZoneInfo) -> FVChart:
    """The frequency–volume chart of one diary: voids up, drinks down, leaks on top."""
    start = dt.datetime.combine(span.first, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    midnights: list[tuple[float, dt.date]] = []
    day = span.first
    while day <= span.last + dt.timedelta(days=1):
        at = dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        midnights.append(((at - start).total_seconds() / 3600, day))
        day += dt.timedelta(days=1)
    hours = midnights[-1][0]
    marks = []
    for row in span.entries:
        if row.event not in {"void", "drink", "leak"}:
            continue
        event = to_event(row)
        volume = getattr(event, "volume_ml", None)
        urgency = getattr(event, "urgency", None)
        marks.append(
            ChartMark(
                x_h=(row.at - start).total_seconds() / 3600,
                event=row.event,
                volume_ml=volume,
                urgent=urgency is not None and urgency >= 3,
                clock=event.time.strftime("%H:%M"),
            )
        )
    largest = max((m.volume_ml or 0.0 for m in marks), default=0.0)
    scale = max(500.0, 100.0 * -(-largest // 100))
    nights = tuple(
        ((bed - start).total_seconds() / 3600, (wake - start).total_seconds() / 3600)
        for bed, wake in _nights(span.entries)
    )
    return FVChart(
        hours=hours,
        scale_ml=scale,
        midnights=tuple(midnights),
        nights=nights,
        marks=tuple(marks),
    )


def today_counts(db: Session, *, patient: User, day: dt.date) -> dict[str, int]:
    """How many voids, leaks and drinks were entered on the patient's local ``day``."""
    zone = zone_of(patient)
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    rows = db.scalars(
        select(DiaryEntry).where(
            DiaryEntry.patient_id == patient.id,
            DiaryEntry.deleted_at.is_(None),
            DiaryEntry.at >= start,
            DiaryEntry.at < end,
        )
    )
    counts = dict.fromkeys(("void", "leak", "drink"), 0)
    for row in rows:
        if row.event in counts:
            counts[row.event] += 1
    return counts


def bowel_overview(
    rows: Sequence[DiaryEntry], *, answers: RomeIVAnswers | None = None
) -> tuple[BowelSummary | None, RomeIVCheck | None]:
    """The bowel summary and Rome IV check over the bowel entries (``None`` without any).

    The diary's length runs from the first to the last bowel entry (both days included), as
    :func:`pelvio.diary.bowel_summary` counts it.
    """
    bowel = [to_event(row) for row in rows if row.event == "bowel"]
    if not bowel:
        return None, None
    return bowel_summary(bowel), rome_iv_check(bowel, answers)


def event_names() -> tuple[EventName, ...]:
    """The events in the order the entry buttons show them."""
    return EVENT_NAMES


def build_event(event: str, *, time: dt.datetime, values: Mapping[str, Any], note: str) -> Event:
    """Build a diary event from form values already converted to their types."""
    cls = _CLASSES.get(event)
    if cls is None:
        raise InputError(
            f"event must be one of {', '.join(EVENT_NAMES)}; got {event!r}",
            field="event",
            allowed=EVENT_NAMES,
        )
    built: Event = cls(time=time, note=note, **values)
    return built


def events_of(rows: Iterable[DiaryEntry]) -> list[Event]:
    """The events of ``rows`` in time order."""
    return ordered(to_event(row) for row in rows)
