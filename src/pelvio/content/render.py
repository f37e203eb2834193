"""Markdown to HTML for the web layer, and to plain text blocks for search and readability.

Raw HTML in an article is escaped, never passed through (``html=False``). Links between
articles are written as the bare article id (``[tekst](wanneer-hulp)``); ``link_base`` turns
them into the web layer's route.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["article_links", "plain_blocks", "render_markdown"]


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def _is_article_link(href: str) -> bool:
    return bool(href) and ":" not in href and not href.startswith(("/", "#", "."))


def render_markdown(text: str, *, link_base: str = "") -> str:
    """Render article Markdown as safe HTML.

    Parameters
    ----------
    text
        Markdown; raw HTML in it is escaped.
    link_base
        Prefix for links to other articles (bare ids), e.g. ``"/leren/"``.
    """
    md = _parser()
    tokens = md.parse(text)
    if link_base:
        for link in _links(tokens):
            href = str(link.attrGet("href") or "")
            if _is_article_link(href):
                link.attrSet("href", link_base + href)
    html: str = md.renderer.render(tokens, md.options, {})
    return html


def _links(tokens: list[Token]) -> list[Token]:
    found = []
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open":
                found.append(child)
    return found


def article_links(text: str) -> tuple[str, ...]:
    """The article ids this Markdown links to, in order of appearance."""
    hrefs = (str(t.attrGet("href") or "") for t in _links(_parser().parse(text)))
    return tuple(h for h in hrefs if _is_article_link(h))


def plain_blocks(text: str) -> tuple[tuple[str, str], ...]:
    """The text of each block as ``(kind, text)``; kind is ``heading`` or ``text``.

    Paragraphs and list items become ``text`` blocks with Markdown syntax removed.
    """
    blocks: list[tuple[str, str]] = []
    in_heading = False
    for token in _parser().parse(text):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline":
            parts = []
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            blocks.append(("heading" if in_heading else "text", "".join(parts).strip()))
    return tuple(b for b in blocks if b[1])
