"""A simple readability measure for articles: words per sentence.

Language level B1 asks for short sentences; the average number of words per sentence is a
common, language-independent proxy (used, for example, in the Flesch-Douma formula for Dutch and
in plain-language guidance). Pelvio's bar is an average of at most
:data:`MAX_AVERAGE_WORDS_PER_SENTENCE` words and no sentence above
:data:`MAX_WORDS_PER_SENTENCE` (our choice). Headings are not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pelvio.content.render import plain_blocks

__all__ = [
    "MAX_AVERAGE_WORDS_PER_SENTENCE",
    "MAX_WORDS_PER_SENTENCE",
    "Readability",
    "readability",
    "sentences",
]

MAX_AVERAGE_WORDS_PER_SENTENCE = 15.0
MAX_WORDS_PER_SENTENCE = 25

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A sentence ends at . ! ? or : followed by a space and a capital, digit or quote.
_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÀ-Ý0-9\"'‘“(])")


@dataclass(frozen=True, slots=True)
class Readability:
    """Counts for one text."""

    sentences: int
    words: int
    average_words_per_sentence: float
    longest_sentence_words: int
    longest_sentence: str


def sentences(markdown: str) -> tuple[str, ...]:
    """Split the non-heading text of ``markdown`` into sentences (each list item ends one)."""
    out: list[str] = []
    for kind, text in plain_blocks(markdown):
        if kind == "heading":
            continue
        out += [s.strip() for s in _END.split(text) if _WORD.search(s)]
    return tuple(out)


def readability(markdown: str) -> Readability:
    """Words per sentence of ``markdown``; an empty text gives zeros."""
    parts = sentences(markdown)
    counts = [len(_WORD.findall(s)) for s in parts]
    if not counts:
        return Readability(0, 0, 0.0, 0, "")
    longest = max(range(len(counts)), key=counts.__getitem__)
    return Readability(
        len(counts), sum(counts), sum(counts) / len(counts), counts[longest], parts[longest]
    )
