"""Word search over articles, Dutch and English, insensitive to case and accents.

Text is folded (``België`` -> ``belgie``), split into words and lightly stemmed (``plassen`` and
``plas`` meet, as do ``exercises`` and ``exercise``). A query word also matches the start of a
longer word (``bekken`` finds ``bekkenbodem``) and, from four letters, a part of a Dutch compound
(``bodem`` finds ``bekkenbodem``). Common short words are ignored.

Ranking: first by how many query words an article matches, then by a score in which a match in
the title counts 5, in the summary 3 and in the body 1 (dampened: 1 + log of the count), with
exact stems counting fully, word starts 0.7 and compound parts 0.5.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pelvio._check import check_int, check_type
from pelvio.content.article import Article, Lang
from pelvio.content.render import plain_blocks

__all__ = ["SearchResult", "fold", "search", "terms"]

_STOP_NL = (
    "de het een en of in op te van voor met bij aan om is zijn je jij u ik we wij ze zij als "
    "dat die dit er niet wel ook dan nog maar wat hoe naar door tot uit over heb hebt kan kun "
    "mag moet wil"
)
_STOP_EN = (
    "the a an and or in on to of for with at is are be you your i we it as that this there not "
    "also then but what how by from can may do does"
)
_STOP = frozenset(f"{_STOP_NL} {_STOP_EN}".split())
_TOKEN = re.compile(r"[a-z0-9]+")
_FIELD_WEIGHTS = (("title", 5.0), ("summary", 3.0), ("body", 1.0))
_EXACT, _PREFIX, _INFIX = 1.0, 0.7, 0.5


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents: ``'Bekkenbodem in België'`` -> ``'...belgie'``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _stem(word: str) -> str:
    for suffix in ("ingen", "ing", "en", "es", "ed", "s", "e"):
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "s" and (len(word) < 5 or word[-2] == "s"):
            break  # "plas", "kans", "less" are stems, not plurals
        word = word[: -len(suffix)]
        break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def terms(text: str) -> tuple[str, ...]:
    """The search words of ``text``: folded, without stop words and one-letter words."""
    return tuple(w for w in _TOKEN.findall(fold(text)) if len(w) > 1 and w not in _STOP)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One hit: the article, how many query words it matched, its score and a snippet."""

    article: Article
    matched_terms: int
    score: float
    snippet: str


def _match(query: str, word: str) -> float:
    if _stem(query) == _stem(word):
        return _EXACT
    if len(query) >= 3 and word.startswith(query):
        return _PREFIX
    if len(query) >= 4 and query in word:
        return _INFIX
    return 0.0


def _field_score(query: str, words: Counter[str]) -> float:
    best: dict[float, int] = {}
    for word, count in words.items():
        weight = _match(query, word)
        if weight:
            best[weight] = best.get(weight, 0) + count
    if not best:
        return 0.0
    weight = max(best)
    return weight * (1.0 + math.log(best[weight]))


def _body_text(article: Article) -> str:
    return " ".join(text for _, text in plain_blocks(article.body))


def _snippet(article: Article, query_terms: tuple[str, ...], width: int = 160) -> str:
    for _, text in plain_blocks(article.body):
        words = set(_TOKEN.findall(fold(text)))
        if any(_match(q, w) for q in query_terms for w in words):
            return text if len(text) <= width else text[: width - 1].rstrip() + "…"
    return article.summary


def search(
    articles: Iterable[Article], query: str, *, lang: Lang | None = None, limit: int = 10
) -> tuple[SearchResult, ...]:
    """Find the articles that match ``query``, best first.

    Parameters
    ----------
    articles
        The articles to search (for instance ``load_library().articles()``).
    query
        Words in Dutch or English; case and accents do not matter.
    lang
        Only articles in this language; ``None`` searches both.
    limit
        At most this many results (1 or more).

    Returns
    -------
    tuple of SearchResult
        Empty when no query word is left after removing stop words, or nothing matches.
    """
    check_type("query", query, str)
    check_int("limit", limit, low=1)
    query_terms = tuple(dict.fromkeys(terms(query)))
    if not query_terms:
        return ()
    results = []
    for article in articles:
        if lang is not None and article.lang != lang:
            continue
        fields = {
            "title": Counter(terms(article.title)),
            "summary": Counter(terms(article.summary)),
            "body": Counter(terms(_body_text(article))),
        }
        matched, score = 0, 0.0
        for q in query_terms:
            term_score = sum(w * _field_score(q, fields[name]) for name, w in _FIELD_WEIGHTS)
            if term_score:
                matched += 1
                score += term_score
        if matched:
            results.append(SearchResult(article, matched, score, _snippet(article, query_terms)))
    results.sort(key=lambda r: (-r.matched_terms, -r.score, r.article.id, r.article.lang))
    return tuple(results[:limit])
