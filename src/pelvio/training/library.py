"""The explanation of each programme, read from the package's ``content/`` Markdown files.

One file per programme and language, ``content/<id>.<locale>.md``, with the sections why, how,
common mistakes, when to get help and source. This module is the only place in
:mod:`pelvio.training` that reads files.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from pelvio._check import check_option
from pelvio.errors import NotFoundError
from pelvio.training.model import LOCALES, Locale
from pelvio.training.programmes import PROGRAMME_IDS

__all__ = ["explanation"]


def explanation(programme_id: str, locale: Locale = "nl") -> str:
    """The Markdown explanation of ``programme_id`` in ``locale``.

    Raises
    ------
    InputError
        Unknown programme id or locale (the message lists the valid ones).
    NotFoundError
        The package was installed without its content files.
    """
    check_option("programme", programme_id, PROGRAMME_IDS)
    check_option("locale", locale, LOCALES)
    return _read(programme_id, locale)


@cache
def _read(programme_id: str, locale: str) -> str:
    resource = files("pelvio.training").joinpath("content", f"{programme_id}.{locale}.md")
    try:
        return resource.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise NotFoundError(f"no {locale} explanation installed for {programme_id}") from exc
