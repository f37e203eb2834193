"""Every text of the pages has its Dutch translation (Dutch is the default language)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import pelvio
from pelvio.web import i18n

ROOT = Path(pelvio.__file__).parent
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def _singular(message_id: object) -> str:
    """The singular msgid of a plain or a plural message."""
    return str(message_id[0] if isinstance(message_id, tuple | list) else message_id)


def extracted_ids() -> set[str]:
    ids: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=METHODS,
        keywords=KEYWORDS,
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        ids.add(_singular(message))
    return ids


def test_every_message_has_a_dutch_translation() -> None:
    translated: set[str] = set()
    for path in i18n.catalog_files("nl"):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="nl")
        translated |= {_singular(m.id) for m in catalog if m.id and m.string and not m.fuzzy}
    ids = extracted_ids()
    assert len(ids) > 20
    missing = sorted(ids - translated)
    assert not missing, f"run 'make messages' and translate: {missing}"


def test_gettext_follows_the_current_locale() -> None:
    token = i18n.current_locale.set("nl")
    try:
        assert i18n.gettext("Log in") == "Inloggen"
        assert i18n.gettext("Hello %(name)s.", name="Anna") == "Hallo Anna."
    finally:
        i18n.current_locale.reset(token)
    token = i18n.current_locale.set("en")
    try:
        assert i18n.gettext("Log in") == "Log in"
    finally:
        i18n.current_locale.reset(token)
