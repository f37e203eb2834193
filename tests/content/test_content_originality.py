"""Our own words: no run of seven words from a source leaflet in any text Pelvio shows.

The leaflets in shared/seeds are read for facts only; one forbids copying outright. This test
compares every article and every pathway text (rules, questions, advice, reimbursement) with the
leaflets, word by word after folding case and accents, and fails on any shared run of
:data:`RUN` words. Skipped when the leaflets are not next to the checkout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pelvio.content import Article, fold, load_library, plain_blocks
from pelvio.pathway import (
    ADVICE_RULES,
    CHECKIN_NOTE_RULES,
    CHECKIN_RULES,
    CLASSIFICATION_RULES,
    CONDITIONS,
    PROGRAMME_RULES,
    QUESTIONS,
    REGISTRATION_FACTS,
    SEEK_CARE_TEXT,
    Text,
)
from pelvio.pathway.reimbursement import REIMBURSEMENT_RULES

RUN = 7
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
LEAFLETS = sorted(SEEDS.glob("0*.txt")) if SEEDS.is_dir() else []

pytestmark = pytest.mark.skipif(not LEAFLETS, reason="source leaflets not found")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _leaflet_runs() -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for path in LEAFLETS:
        runs |= _runs(path.read_text(encoding="utf-8"))
    return runs


def _pathway_texts() -> Iterator[tuple[str, Text]]:
    yield "seek-care", SEEK_CARE_TEXT
    yield from CONDITIONS.items()
    for rule in CLASSIFICATION_RULES:
        yield rule.id, rule.reason
    for programme in PROGRAMME_RULES:
        yield programme.id, programme.reason
    for advice in ADVICE_RULES:
        yield advice.id, advice.text
    for checkin in CHECKIN_RULES:
        yield checkin.id, checkin.reason
    for note in CHECKIN_NOTE_RULES:
        yield note.id, note.text
    for statement in (*(r.statement for r in REIMBURSEMENT_RULES), *REGISTRATION_FACTS):
        yield statement.id, statement.text
    for q in QUESTIONS:
        yield q.id, q.label
        for option in q.options:
            yield f"{q.id}={option.value}", option.label


def _copied(text: str, leaflet_runs: set[tuple[str, ...]]) -> list[str]:
    return [" ".join(run) for run in sorted(_runs(text) & leaflet_runs)]


LEAFLET_RUNS = _leaflet_runs() if LEAFLETS else set()


@pytest.mark.parametrize("article", load_library().articles(), ids=lambda a: f"{a.lang}/{a.id}")
def test_articles_do_not_copy_the_leaflets(article: Article) -> None:
    text = " ".join(t for _, t in plain_blocks(article.body))
    assert _copied(f"{article.title}. {article.summary}. {text}", LEAFLET_RUNS) == []


def test_pathway_texts_do_not_copy_the_leaflets() -> None:
    copied = {
        name: _copied(f"{text.nl} {text.en}", LEAFLET_RUNS) for name, text in _pathway_texts()
    }
    assert {k: v for k, v in copied.items() if v} == {}


def test_the_check_would_catch_a_copied_sentence() -> None:
    leaflet = LEAFLETS[1].read_text(encoding="utf-8")
    sentence = " ".join(_words(leaflet)[200:215])
    assert _copied(sentence, LEAFLET_RUNS)
