"""The education library: short articles in Dutch and English, in our own words, with sources.

Articles are Markdown files with front matter in ``nl/`` and ``en/`` (format in
:mod:`pelvio.content.article`). :func:`load_library` reads them; :func:`search` finds them by
words (accents and case do not matter); :func:`render_markdown` gives safe HTML for the web.
"""

from pelvio.content.article import Article, parse_article
from pelvio.content.library import Library, load_library
from pelvio.content.readability import Readability, readability
from pelvio.content.render import article_links, plain_blocks, render_markdown
from pelvio.content.search import SearchResult, fold, search

__all__ = [
    "Article",
    "Library",
    "Readability",
    "SearchResult",
    "article_links",
    "fold",
    "load_library",
    "parse_article",
    "plain_blocks",
    "readability",
    "render_markdown",
    "search",
]
