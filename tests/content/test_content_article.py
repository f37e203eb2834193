"""The article format: a strict front-matter parser that names the line and key of an error."""

from __future__ import annotations

import datetime as dt

import pytest

from pelvio.content import parse_article
from pelvio.errors import FileFormatError, InputError

GOOD = """---
id: voorbeeld
title: Een voorbeeld
summary: Kort.
updated: 2026-01-31
programmes: [basis, ontspanning]
related:
  - wanneer-hulp
sources:
  - Folder 001: Ik ga bekkenbodemoefeningen doen, 001_fdb199253d0c1ce5.txt
---
Tekst met een [link](wanneer-hulp).
"""


def test_parses_a_good_article() -> None:
    a = parse_article(GOOD, lang="nl", name="nl/voorbeeld.md")
    assert a.id == "voorbeeld"
    assert a.lang == "nl"
    assert a.title == "Een voorbeeld"
    assert a.updated == dt.date(2026, 1, 31)
    assert a.programmes == ("basis", "ontspanning")
    assert a.related == ("wanneer-hulp",)
    assert a.sources == ("Folder 001: Ik ga bekkenbodemoefeningen doen, 001_fdb199253d0c1ce5.txt",)
    assert a.body == "Tekst met een [link](wanneer-hulp).\n"


def test_optional_lists_default_to_empty() -> None:
    text = GOOD.replace("programmes: [basis, ontspanning]\n", "").replace(
        "related:\n  - wanneer-hulp\n", ""
    )
    a = parse_article(text, lang="en")
    assert a.programmes == () and a.related == ()


def _replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("id: x\n", 1, None, "must start with a '---'"),
        ("", 1, None, "must start with a '---'"),
        (_replace("summary: Kort.", "colour: red"), 4, "colour", "unknown key"),
        (_replace("summary: Kort.", "title: Twee"), 4, "title", "key given twice"),
        (_replace("updated: 2026-01-31", "updated: 31-01-2026"), 5, "updated", "YYYY-MM-DD"),
        (_replace("updated: 2026-01-31", "updated:"), 5, "updated", "empty value"),
        (_replace("id: voorbeeld", "id: Voorbeeld Artikel"), 2, "id", "lower-case words"),
        (_replace("programmes: [basis, ontspanning]", "programmes: basis"), 6, "programmes",
         "a list must be written"),
        (_replace("programmes: [basis, ontspanning]", "programmes: [Basis]"), 6, "programmes",
         "'Basis' is not an id"),
        (_replace("summary: Kort.", "  - los"), 4, None, "must follow a 'key:' line"),
        (_replace("summary: Kort.", "zomaar tekst"), 4, None, "expected 'key: value'"),
        (_replace("summary: Kort.\n", ""), 1, "summary", "required key missing"),
        (GOOD.split("sources:")[0] + "sources: []\n---\nTekst.\n", 9, "sources",
         "at least one source"),
        (GOOD.replace("\n---\nTekst", "\nTekst"), 11, None, "expected 'key: value'"),
        (GOOD.split("\n---\nTekst")[0] + "\n", 10, None, "not closed"),
        (GOOD.split("Tekst met")[0], 11, None, "no body"),
    ],
)  # fmt: skip
def test_errors_name_the_file_line_and_key(
    text: str, line: int, field: str | None, message: str
) -> None:
    with pytest.raises(FileFormatError) as info:
        parse_article(text, lang="nl", name="nl/x.md")
    error = info.value
    assert error.path == "nl/x.md"
    assert error.line == line
    assert error.field == field
    assert message in str(error)
    assert str(error).startswith(f"nl/x.md, line {line}")


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InputError, match="lang"):
        parse_article(GOOD, lang="de")  # type: ignore[arg-type]
