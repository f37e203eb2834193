"""Reading and writing diary CSV files; the parsing itself is pure (:mod:`.csvformat`)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from pelvio.diary.csvformat import DiaryImport, OnError, format_diary_csv, parse_diary_csv
from pelvio.diary.events import Event
from pelvio.errors import FileFormatError

__all__ = ["MAX_FILE_BYTES", "read_diary_csv", "write_diary_csv"]

MAX_FILE_BYTES: Final = 5_000_000
"""A 3-day diary is a few kilobytes; anything this large is not a diary."""


def read_diary_csv(path: str | os.PathLike[str], *, on_error: OnError = "raise") -> DiaryImport:
    """Read a diary CSV file (UTF-8, with or without BOM); see :func:`.parse_diary_csv`.

    Raises
    ------
    FileFormatError
        A file that is missing, unreadable, too large or not UTF-8 (naming the line of the
        first bad byte), or whose content :func:`.parse_diary_csv` refuses.
    """
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise FileFormatError("no such file", path=name) from None
    except OSError as exc:
        raise FileFormatError(f"cannot be read ({exc.strerror or exc})", path=name) from None
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError(
            f"the file is {len(data)} bytes; a diary file may be at most {MAX_FILE_BYTES}",
            path=name,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileFormatError(
            "the file is not UTF-8 text; save it as CSV UTF-8", path=name, line=line
        ) from None
    return parse_diary_csv(text, on_error=on_error, source=name)


def write_diary_csv(path: str | os.PathLike[str], events: Iterable[Event]) -> None:
    """Write ``events`` to ``path`` as diary CSV (UTF-8, CRLF line ends)."""
    Path(path).write_text(format_diary_csv(events), encoding="utf-8", newline="")
