"""Translations through gettext catalogs (Babel), Dutch by default.

Message ids are English; ``locale/nl/LC_MESSAGES/messages.po`` holds the Dutch text. The
catalogs are compiled in memory when first used, so there is no build step and no binary file
in the tree. The locale of the current request lives in a context variable, which keeps the
shared Jinja2 environment safe under concurrency.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from pelvio.features import feature_dirs

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "LOCALE_COOKIE",
    "N_",
    "current_locale",
    "gettext",
    "ngettext",
    "translations",
]

LOCALES: Final = ("nl", "en")
DEFAULT_LOCALE: Final = "nl"
LOCALE_NAMES: Final = {"nl": "Nederlands", "en": "English"}
LOCALE_COOKIE: Final = "pelvio_locale"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> NullTranslations:
    """The translations for ``locale``; English is the identity."""
    if locale == "en":
        return NullTranslations()
    merged: Translations | None = None
    for po in catalog_files(locale):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        part = Translations(fp=buffer)
        merged = part if merged is None else merged.merge(part)
    return merged if merged is not None else NullTranslations()


def catalog_files(locale: str) -> list[Path]:
    """The shared catalog and each feature's own, for ``locale``."""
    relative = ("locale", locale, "LC_MESSAGES", "messages.po")
    shared = Path(__file__).parent.parent.joinpath(*relative)
    return [
        path
        for path in [shared, *(d / "messages.po" for d in feature_dirs(*relative[:-1]))]
        if path.is_file()
    ]


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for a deferred message)
    """Mark ``message`` for translation without translating it yet."""
    return message


def gettext(message: str, **variables: object) -> str:
    """Translate ``message`` to the current locale and fill in ``%(name)s`` variables."""
    text = translations(current_locale.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    """Translate with a plural form; ``num`` is available as a variable."""
    text = translations(current_locale.get()).ngettext(singular, plural, n)
    return text % {"num": n, **variables}
