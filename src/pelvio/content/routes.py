"""The education library on the web: list, search and read the articles at ``/learn``.

The library is general information with no patient data, so it needs no login: people can read
it before they have an account, and nothing is logged about who read what. Pages follow the
page language (Dutch or English); the search ignores case and accents.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from pelvio.content.article import ARTICLE_ID_PATTERN, Lang
from pelvio.content.library import load_library
from pelvio.content.render import render_markdown
from pelvio.errors import NotFoundError
from pelvio.web.csrf import verify_csrf
from pelvio.web.deps import OptionalUser
from pelvio.web.i18n import current_locale
from pelvio.web.templating import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(verify_csrf)])

MAX_QUERY_LENGTH = 100
LINK_BASE = "/learn/"


def _lang() -> Lang:
    return "en" if current_locale.get() == "en" else "nl"


@router.get("/learn")
def learn_page(request: Request, user: OptionalUser, q: str = "") -> Response:
    """Every article, or the ones matching the search words ``q``."""
    lang = _lang()
    library = load_library()
    query = " ".join(q.split())[:MAX_QUERY_LENGTH]
    results = library.search(query, lang=lang, limit=20) if query else ()
    articles = sorted(library.articles(lang), key=lambda a: (a.id != "bekkenbodem", a.title))
    return render(
        request,
        "content/learn.html",
        {"query": query, "results": results, "articles": articles, "searched": bool(query)},
    )


@router.get("/learn/{article_id}")
def article_page(request: Request, article_id: str, user: OptionalUser) -> Response:
    """One article in the page language, with its sources and the date it was checked."""
    if not ARTICLE_ID_PATTERN.match(article_id):
        raise NotFoundError("no such article")
    lang = _lang()
    library = load_library()
    article = library.get(article_id, lang)
    related = [library.get(r, lang) for r in article.related if r in library.ids(lang)]
    return render(
        request,
        "content/article.html",
        {
            "article": article,
            "body_html": render_markdown(article.body, link_base=LINK_BASE),
            "related": related,
        },
    )
