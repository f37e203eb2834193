"""Load the education articles shipped with Pelvio (package data in ``nl/`` and ``en/``).

This is the only module of :mod:`pelvio.content` that reads files; parsing, search and
rendering are pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pelvio._check import check_option
from pelvio.content.article import LANGUAGES, Article, Lang, parse_article
from pelvio.content.search import SearchResult, search
from pelvio.errors import FileFormatError, NotFoundError

__all__ = ["Library", "load_library"]


@dataclass(frozen=True, slots=True)
class Library:
    """All articles, in both languages, sorted by id."""

    all_articles: tuple[Article, ...]

    def articles(self, lang: Lang | None = None) -> tuple[Article, ...]:
        """The articles in ``lang`` (both languages when ``None``)."""
        if lang is None:
            return self.all_articles
        check_option("lang", lang, LANGUAGES)
        return tuple(a for a in self.all_articles if a.lang == lang)

    def ids(self, lang: Lang) -> tuple[str, ...]:
        """The article ids in ``lang``."""
        return tuple(a.id for a in self.articles(lang))

    def get(self, article_id: str, lang: Lang) -> Article:
        """The article ``article_id`` in ``lang``; :class:`NotFoundError` if there is none."""
        for article in self.articles(lang):
            if article.id == article_id:
                return article
        raise NotFoundError(f"no article {article_id!r} in language {lang!r}")

    def search(
        self, query: str, *, lang: Lang | None = None, limit: int = 10
    ) -> tuple[SearchResult, ...]:
        """Search the articles; see :func:`pelvio.content.search.search`."""
        return search(self.all_articles, query, lang=lang, limit=limit)


@lru_cache(maxsize=1)
def load_library() -> Library:
    """Read and parse every shipped article (cached: the files do not change at run time).

    Raises
    ------
    FileFormatError
        When an article cannot be parsed, or its id does not match its file name.
    """
    root = resources.files("pelvio.content")
    articles: list[Article] = []
    for lang in LANGUAGES:
        folder = root.joinpath(lang)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".md"):
                continue
            name = f"{lang}/{entry.name}"
            article = parse_article(entry.read_text(encoding="utf-8"), lang=lang, name=name)
            if article.id != entry.name.removesuffix(".md"):
                raise FileFormatError(
                    f"id {article.id!r} does not match the file name", path=name, field="id"
                )
            articles.append(article)
    return Library(tuple(sorted(articles, key=lambda a: (a.id, a.lang))))
