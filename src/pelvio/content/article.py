"""Education articles: the Markdown-with-front-matter format and its pure parser.

An article file looks like this::

    ---
    id: toilethouding
    title: Goed zitten op het toilet
    summary: Zo plas en poep je zonder te persen.
    updated: 2026-11-21
    programmes: [ontspanning]
    related: [ademhaling, wanneer-hulp]
    sources:
      - Folder 002: De bekkenbodem na de bevalling (UZ Leuven, 2022), 002_b282a53732054826.txt
    ---
    Body in Markdown ...

The front matter is a small, strict subset of YAML: ``key: value`` lines, lists written inline
(``[a, b]``) or as ``  - item`` lines under ``key:``. Required keys: ``id``, ``title``,
``summary``, ``updated`` (ISO date), ``sources`` (at least one). Optional: ``programmes``
(training programme ids), ``related`` (article ids). Any other key is an error naming the line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from pelvio._check import check_option
from pelvio.errors import FileFormatError

__all__ = ["ARTICLE_ID_PATTERN", "LANGUAGES", "Article", "Lang", "parse_article"]

Lang = Literal["nl", "en"]
LANGUAGES: tuple[Lang, ...] = ("nl", "en")
ARTICLE_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_REQUIRED = ("id", "title", "summary", "updated", "sources")
_LISTS = ("sources", "programmes", "related")
_KEYS = (*_REQUIRED, "programmes", "related")


@dataclass(frozen=True, slots=True)
class Article:
    """One article in one language.

    Attributes
    ----------
    id
        Slug shared by the Dutch and English versions (also the link target between articles).
    lang
        ``nl`` or ``en``.
    title, summary
        Plain text.
    body
        Markdown (rendered with :func:`pelvio.content.render_markdown`, raw HTML escaped).
    updated
        The date the text was last checked against its sources.
    sources
        Citations, at least one.
    programmes
        Ids of the training programmes the article goes with.
    related
        Ids of related articles.
    """

    id: str
    lang: Lang
    title: str
    summary: str
    body: str
    updated: dt.date
    sources: tuple[str, ...]
    programmes: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


def _error(
    message: str, name: str | None, line: int | None, field: str | None = None
) -> FileFormatError:
    return FileFormatError(message, path=name, line=line, field=field)


def _inline_list(value: str) -> list[str]:
    inner = value[1:-1].strip()
    return [item.strip() for item in inner.split(",")] if inner else []


def _front_matter(
    lines: list[str], name: str | None
) -> tuple[dict[str, str | list[str]], dict[str, int], int]:
    if not lines or lines[0].strip() != "---":
        raise _error("an article must start with a '---' front matter line", name, 1)
    data: dict[str, str | list[str]] = {}
    where: dict[str, int] = {}
    current: str | None = None
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip()
        if line.strip() == "---":
            return data, where, number
        if not line.strip():
            continue
        item = re.match(r"^\s+-\s+(.*)$", line)
        if item:
            target = data.get(current) if current else None
            if not isinstance(target, list):
                raise _error("a '- item' line must follow a 'key:' line of a list", name, number)
            target.append(item.group(1).strip())
            continue
        pair = re.match(r"^([a-z_]+):\s*(.*)$", line)
        if not pair:
            raise _error(f"expected 'key: value', got {line.strip()!r}", name, number)
        key, value = pair.group(1), pair.group(2).strip()
        if key not in _KEYS:
            raise _error(f"unknown key; known keys are {', '.join(_KEYS)}", name, number, key)
        if key in data:
            raise _error("key given twice", name, number, key)
        where[key] = number
        if key in _LISTS:
            if value.startswith("[") and value.endswith("]"):
                data[key] = _inline_list(value)
            elif value:
                raise _error(
                    "a list must be written [a, b] or as '- item' lines", name, number, key
                )
            else:
                data[key] = []
            current = key
        else:
            if not value:
                raise _error("empty value", name, number, key)
            data[key] = value
            current = None
    raise _error("the front matter is not closed by a '---' line", name, len(lines))


def parse_article(text: str, *, lang: Lang, name: str | None = None) -> Article:
    """Parse one article from its text.

    Parameters
    ----------
    text
        The whole file: front matter and Markdown body.
    lang
        The language folder the article came from.
    name
        The file name, used in error messages only.

    Raises
    ------
    FileFormatError
        Naming the file, the line and the key that is wrong.
    """
    check_option("lang", lang, LANGUAGES)
    lines = text.splitlines()
    data, where, end = _front_matter(lines, name)
    for key in _REQUIRED:
        if key not in data:
            raise _error("required key missing", name, 1, key)
    scalars = {k: v for k, v in data.items() if isinstance(v, str)}
    lists = {k: tuple(v) for k, v in data.items() if isinstance(v, list)}
    if not ARTICLE_ID_PATTERN.match(scalars["id"]):
        raise _error("must be lower-case words joined by '-'", name, where["id"], "id")
    try:
        updated = dt.date.fromisoformat(scalars["updated"])
    except ValueError:
        raise _error("must be a date YYYY-MM-DD", name, where["updated"], "updated") from None
    if not lists["sources"] or not all(lists["sources"]):
        raise _error("at least one source is required", name, where["sources"], "sources")
    for key in ("programmes", "related"):
        for value in lists.get(key, ()):
            if not ARTICLE_ID_PATTERN.match(value):
                raise _error(f"{value!r} is not an id", name, where[key], key)
    body = "\n".join(lines[end:]).strip()
    if not body:
        raise _error("the article has no body", name, end)
    return Article(
        id=scalars["id"],
        lang=lang,
        title=scalars["title"],
        summary=scalars["summary"],
        body=body + "\n",
        updated=updated,
        sources=lists["sources"],
        programmes=lists.get("programmes", ()),
        related=lists.get("related", ()),
    )
