"""The diary CSV interchange format, parsed from and written to text (no file access here).

One entry per row under the header ``time,event,volume_ml,urgency,amount,trigger,kind,bristol,
note``. ``time`` is ISO 8601 with its UTC offset. Which columns an event uses:

=========  ============================================================================
event      columns (all others must be empty)
=========  ============================================================================
``bed``    —
``wake``   —
``void``   ``urgency`` 0–4 (required), ``volume_ml`` (empty when not measured)
``leak``   ``amount``, ``trigger`` (required), ``urgency`` (optional)
``drink``  ``volume_ml`` (empty when unknown), ``kind`` (free text, one line)
``pad``    —
``bowel``  ``bristol`` 1–7 (required), ``kind``: flags among straining, incomplete,
           blockage, manual, laxative joined by ``;``
=========  ============================================================================

``note`` is free text for every event. Volumes are plain numbers of millilitres (``250`` or
``250.5``): no unit, no decimal comma.

Reading follows pydicom's strict-or-lenient idea (``reading_validation_mode``): with
``on_error="raise"`` (the default, and what server uploads use) the first bad row raises
:class:`~pelvio.errors.FileFormatError` naming the line and the field, and nothing is imported;
with ``on_error="warn"`` bad rows are skipped and each is reported in ``skipped``. There is no
"ignore": a diary row is never dropped without saying so. A file that is empty or has the wrong
header always raises.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from pelvio._check import check_option
from pelvio.diary.events import (
    BOWEL_FLAGS,
    EVENT_NAMES,
    LEAK_AMOUNTS,
    LEAK_TRIGGERS,
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
)
from pelvio.errors import FileFormatError, InputError

__all__ = [
    "CSV_HEADER",
    "DiaryImport",
    "OnError",
    "RowProblem",
    "format_diary_csv",
    "parse_diary_csv",
]

CSV_HEADER: Final[tuple[str, ...]] = (
    "time",
    "event",
    "volume_ml",
    "urgency",
    "amount",
    "trigger",
    "kind",
    "bristol",
    "note",
)
OnError = Literal["raise", "warn"]

_USES: Final[dict[EventName, frozenset[str]]] = {
    "bed": frozenset(),
    "wake": frozenset(),
    "pad": frozenset(),
    "void": frozenset({"volume_ml", "urgency"}),
    "leak": frozenset({"amount", "trigger", "urgency"}),
    "drink": frozenset({"volume_ml", "kind"}),
    "bowel": frozenset({"bristol", "kind"}),
}
_NUMBER = re.compile(r"\d{1,6}(\.\d{1,3})?")
_OPTIONAL_COLUMNS: Final = CSV_HEADER[2:8]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was skipped in lenient reading: where, which field and why."""

    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class DiaryImport:
    """What :func:`parse_diary_csv` read: the entries, and the rows it skipped (lenient only)."""

    events: tuple[Event, ...]
    skipped: tuple[RowProblem, ...] = ()


class _RowError(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_diary_csv(
    text: str, *, on_error: OnError = "raise", source: str | None = None
) -> DiaryImport:
    """Read diary entries from CSV ``text``.

    Parameters
    ----------
    text
        The whole file as text. A leading byte-order mark, CRLF line ends and blank lines are
        accepted.
    on_error
        ``"raise"`` (strict, default): the first bad row raises and nothing is returned.
        ``"warn"`` (lenient): bad rows are skipped and listed in ``DiaryImport.skipped``.
    source
        The file name to put in error messages.

    Returns
    -------
    DiaryImport
        The entries in file order, and the skipped rows.

    Raises
    ------
    FileFormatError
        An empty file, a wrong header or broken quoting (always), or a bad row (strict); the
        message names the line and the field.
    """
    check_option("on_error", on_error, ("raise", "warn"))
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise FileFormatError(
            f"the file is empty; expected the header {','.join(CSV_HEADER)}", path=source, line=1
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    events: list[Event] = []
    skipped: list[RowProblem] = []
    try:
        header = next(reader)
        if [cell.strip() for cell in header] != list(CSV_HEADER):
            raise FileFormatError(
                f"the header must be {','.join(CSV_HEADER)}; got {','.join(header)}",
                path=source,
                line=1,
            )
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            try:
                events.append(_parse_row(row))
            except _RowError as exc:
                if on_error == "raise":
                    raise FileFormatError(
                        exc.message, path=source, line=reader.line_num, field=exc.field
                    ) from None
                skipped.append(RowProblem(reader.line_num, exc.field, exc.message))
    except csv.Error as exc:
        raise FileFormatError(
            f"the CSV quoting is broken ({exc}); a note with a comma or quote must be in double "
            'quotes, with any quote inside doubled ("")',
            path=source,
            line=reader.line_num,
        ) from None
    return DiaryImport(events=tuple(events), skipped=tuple(skipped))


def _parse_row(row: list[str]) -> Event:
    if len(row) < len(CSV_HEADER):
        missing = CSV_HEADER[len(row)]
        raise _RowError(
            missing,
            f"the row has {len(row)} fields instead of {len(CSV_HEADER)}; it may be cut off",
        )
    if len(row) > len(CSV_HEADER):
        raise _RowError(
            "note",
            f"the row has {len(row)} fields instead of {len(CSV_HEADER)}; a note that holds a "
            "comma must be in double quotes",
        )
    cells = dict(zip(CSV_HEADER, (cell.strip() for cell in row), strict=True))
    time = _parse_time(cells["time"])
    event = cells["event"]
    if event not in EVENT_NAMES:
        raise _RowError("event", f"event must be one of {', '.join(EVENT_NAMES)}; got {event!r}")
    for column in _OPTIONAL_COLUMNS:
        if cells[column] and column not in _USES[event]:
            raise _RowError(column, f"{column} is not used for a {event} entry; leave it empty")
    try:
        return _BUILDERS[event](time, cells)
    except InputError as exc:
        raise _RowError(exc.field, str(exc)) from None


def _parse_time(value: str) -> datetime:
    example = "such as 2025-03-29T07:00:00+01:00"
    if not value:
        raise _RowError("time", f"time is required: ISO 8601 with its UTC offset, {example}")
    try:
        time = datetime.fromisoformat(value)
    except ValueError:
        raise _RowError(
            "time", f"time must be ISO 8601 with its UTC offset, {example}; got {value!r}"
        ) from None
    if time.utcoffset() is None:
        raise _RowError(
            "time", f"time must carry its UTC offset, {example}; got {value!r} without one"
        )
    return time


def _volume(value: str) -> float | None:
    if not value:
        return None
    if not _NUMBER.fullmatch(value):
        raise _RowError(
            "volume_ml",
            "volume_ml must be a number of millilitres such as 250 or 250.5, without a unit "
            f"or a decimal comma; got {value!r}",
        )
    return float(value)


def _grade(column: str, value: str, low: int, high: int, what: str) -> int:
    if value not in {str(grade) for grade in range(low, high + 1)}:
        raise _RowError(
            column, f"{column} must be a whole number {low}–{high} ({what}); got {value!r}"
        )
    return int(value)


def _required(column: str, value: str, event: str) -> str:
    if not value:
        raise _RowError(column, f"{column} is required for a {event} entry")
    return value


def _build_void(time: datetime, cells: dict[str, str]) -> Event:
    urgency = _grade("urgency", _required("urgency", cells["urgency"], "void"), 0, 4, "PPIUS")
    return Void(
        time=time, urgency=urgency, volume_ml=_volume(cells["volume_ml"]), note=cells["note"]
    )


def _build_leak(time: datetime, cells: dict[str, str]) -> Event:
    amount = _required("amount", cells["amount"], "leak")
    trigger = _required("trigger", cells["trigger"], "leak")
    if amount not in LEAK_AMOUNTS:
        raise _RowError(
            "amount", f"amount must be one of {', '.join(LEAK_AMOUNTS)}; got {amount!r}"
        )
    if trigger not in LEAK_TRIGGERS:
        raise _RowError(
            "trigger", f"trigger must be one of {', '.join(LEAK_TRIGGERS)}; got {trigger!r}"
        )
    urgency = _grade("urgency", cells["urgency"], 0, 4, "PPIUS") if cells["urgency"] else None
    return Leak(
        time=time,
        amount=amount,
        trigger=trigger,
        urgency=urgency,
        note=cells["note"],
    )


def _build_drink(time: datetime, cells: dict[str, str]) -> Event:
    return Drink(
        time=time, volume_ml=_volume(cells["volume_ml"]), kind=cells["kind"], note=cells["note"]
    )


def _build_bowel(time: datetime, cells: dict[str, str]) -> Event:
    bristol = _grade(
        "bristol", _required("bristol", cells["bristol"], "bowel"), 1, 7, "Bristol stool form"
    )
    flags = [flag.strip() for flag in cells["kind"].split(";") if flag.strip()]
    for flag in flags:
        if flag not in BOWEL_FLAGS:
            raise _RowError(
                "kind",
                f"kind of a bowel entry holds flags among {', '.join(BOWEL_FLAGS)} joined by ';'; "
                f"got {flag!r}",
            )
    return Bowel(
        time=time,
        bristol=bristol,
        straining="straining" in flags,
        incomplete="incomplete" in flags,
        blockage="blockage" in flags,
        manual="manual" in flags,
        laxative="laxative" in flags,
        note=cells["note"],
    )


_BUILDERS: Final[dict[EventName, Callable[[datetime, dict[str, str]], Event]]] = {
    "bed": lambda time, cells: Bed(time=time, note=cells["note"]),
    "wake": lambda time, cells: Wake(time=time, note=cells["note"]),
    "pad": lambda time, cells: Pad(time=time, note=cells["note"]),
    "void": _build_void,
    "leak": _build_leak,
    "drink": _build_drink,
    "bowel": _build_bowel,
}


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def _row(event: Event) -> list[str]:
    cells = dict.fromkeys(CSV_HEADER, "")
    cells["time"] = event.time.isoformat()
    cells["event"] = event.event
    cells["note"] = event.note
    if isinstance(event, Void):
        cells["volume_ml"] = _number(event.volume_ml)
        cells["urgency"] = str(event.urgency)
    elif isinstance(event, Leak):
        cells["amount"], cells["trigger"] = event.amount, event.trigger
        cells["urgency"] = "" if event.urgency is None else str(event.urgency)
    elif isinstance(event, Drink):
        cells["volume_ml"] = _number(event.volume_ml)
        cells["kind"] = event.kind
    elif isinstance(event, Bowel):
        cells["bristol"] = str(event.bristol)
        cells["kind"] = ";".join(event.flags)
    return [cells[column] for column in CSV_HEADER]


def format_diary_csv(events: Iterable[Event]) -> str:
    """Write ``events`` as diary CSV text, in time order, with CRLF line ends (RFC 4180).

    Reading the text back with :func:`parse_diary_csv` gives the same entries.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(_row(event) for event in ordered(events))
    return out.getvalue()
