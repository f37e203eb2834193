"""The explanation of each programme: sections, mistakes, sources, short sentences."""

from __future__ import annotations

import re

import pytest

from pelvio.errors import InputError
from pelvio.training import PROGRAMME_IDS
from pelvio.training.library import explanation

SECTIONS = {
    "nl": ["## Waarom", "## Hoe", "## Veelgemaakte fouten", "## Wanneer hulp vragen", "## Bron"],
    "en": ["## Why", "## How", "## Common mistakes", "## When to get help", "## Source"],
}
STRENGTHENING = ("basis", "kracht-uithouding-coordinatie", "kegel-varianten")
PAIRS = [(p, loc) for p in PROGRAMME_IDS for loc in ("nl", "en")]


def _section(text: str, heading: str) -> str:
    start = text.index(heading) + len(heading)
    end = text.find("\n## ", start)
    return text[start : end if end != -1 else None]


def _sentences(text: str) -> list[str]:
    prose = re.sub(r"^#.*$", "", text, flags=re.MULTILINE).replace("**", "")
    parts = re.split(r"(?<=[.?!:])\s+|\n", prose)
    return [p.strip(" -") for p in parts if len(p.split()) > 1]


@pytest.mark.parametrize(("programme_id", "locale"), PAIRS)
def test_explanation_has_the_five_sections_in_order(programme_id: str, locale: str) -> None:
    text = explanation(programme_id, locale)  # type: ignore[arg-type]
    positions = [text.index(heading) for heading in SECTIONS[locale]]
    assert positions == sorted(positions)
    assert text.startswith("# ")


@pytest.mark.parametrize(("programme_id", "locale"), PAIRS)
def test_every_explanation_warns_against_the_stop_the_stream_test(
    programme_id: str, locale: str
) -> None:
    """Leaflet 004: never use stopping the urine stream as an exercise or a test."""
    mistakes = _section(explanation(programme_id, locale), SECTIONS[locale][2])  # type: ignore[arg-type]
    assert ("plas-stoptest" if locale == "nl" else "stop-the-stream") in mistakes
    assert ("Stop nooit je plas" if locale == "nl" else "Never stop your urine stream") in mistakes


@pytest.mark.parametrize("programme_id", STRENGTHENING)
def test_strengthening_explanations_name_the_four_common_mistakes(programme_id: str) -> None:
    """Issue 5: buttocks or belly, holding the breath, never releasing, the stop test."""
    nl = _section(explanation(programme_id, "nl"), "## Veelgemaakte fouten").lower()
    en = _section(explanation(programme_id, "en"), "## Common mistakes").lower()
    for word in ("billen", "buik", "adem", "loslaten", "plas-stoptest"):
        assert word in nl
    for word in ("buttocks", "belly", "breath", "letting go", "stop-the-stream"):
        assert word in en


def test_relaxation_explanation_warns_against_squeezing_and_straining() -> None:
    nl = _section(explanation("ontspanning", "nl"), "## Veelgemaakte fouten").lower()
    en = _section(explanation("ontspanning", "en"), "## Common mistakes").lower()
    assert "knijpen" in nl and "persen" in nl and "adem" in nl
    assert "squeezing" in en and "straining" in en and "breath" in en


@pytest.mark.parametrize(("programme_id", "locale"), PAIRS)
def test_sources_are_named(programme_id: str, locale: str) -> None:
    source = _section(explanation(programme_id, locale), SECTIONS[locale][4])  # type: ignore[arg-type]
    expected = {
        "basis": "001",
        "kracht-uithouding-coordinatie": "002",
        "kegel-varianten": "004",
        "ontspanning": "003",
        "blaastraining": "M46",
    }[programme_id]
    assert expected in source


@pytest.mark.parametrize(("programme_id", "locale"), PAIRS)
def test_help_section_names_the_red_flags(programme_id: str, locale: str) -> None:
    """clinical.md §2 (leaflet 004): pain, bleeding, fever, sudden new leaking, unable to void."""
    text = _section(explanation(programme_id, locale), SECTIONS[locale][3]).lower()  # type: ignore[arg-type]
    words = (
        ("pijn", "bloedverlies", "koorts", "plots nieuw urineverlies", "niet kunt plassen")
        if locale == "nl"
        else ("pain", "bleeding", "fever", "sudden new leaking", "cannot pass urine")
    )
    for word in words:
        assert word in text


@pytest.mark.parametrize(("programme_id", "locale"), PAIRS)
def test_sentences_are_short(programme_id: str, locale: str) -> None:
    """B1 writing: short sentences. Our bound: none over 20 words, mean at most 11."""
    sentences = _sentences(explanation(programme_id, locale))  # type: ignore[arg-type]
    lengths = [len(s.split()) for s in sentences]
    assert max(lengths) <= 20, max(sentences, key=lambda s: len(s.split()))
    assert sum(lengths) / len(lengths) <= 11


def test_unknown_programme_or_locale() -> None:
    with pytest.raises(InputError, match="programme must be one of"):
        explanation("pilates")
    with pytest.raises(InputError, match="locale must be one of"):
        explanation("basis", "fr")  # type: ignore[arg-type]
