"""The shipped articles: complete in both languages, sourced, readable, linked to seeking care.

Readability bar (B1 proxy, Pelvio's choice): at most 15 words per sentence on average and no
sentence over 25 words.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pelvio.content import Article, article_links, load_library, readability
from pelvio.content.readability import MAX_AVERAGE_WORDS_PER_SENTENCE, MAX_WORDS_PER_SENTENCE
from pelvio.errors import InputError, NotFoundError
from pelvio.pathway import PROGRAMME_IDS, IntakeAnswers, build_plan
from pelvio.pathway.intake import LIFE_PHASES

LIBRARY = load_library()
ARTICLES = LIBRARY.articles()
SEEK_CARE = "wanneer-hulp"
# The topics the care pathway issue asks for (issue 7), by id.
TOPICS = {
    "bekkenbodem", "te-zwak-of-te-gespannen", "toilethouding", "ademhaling", "zwangerschap",
    "na-de-bevalling", "overgang", "na-prostaatbehandeling", "sport",
    "biofeedback-en-elektrostimulatie", "veelgemaakte-fouten", "zelfcheck", SEEK_CARE,
}  # fmt: skip


def _ids(a: Article) -> str:
    return f"{a.lang}/{a.id}"


def test_every_topic_exists_in_both_languages() -> None:
    assert set(LIBRARY.ids("nl")) == TOPICS
    assert set(LIBRARY.ids("en")) == TOPICS
    assert len(ARTICLES) == 2 * len(TOPICS)


@pytest.mark.parametrize("article", ARTICLES, ids=_ids)
def test_article_is_readable_at_b1(article: Article) -> None:
    r = readability(article.body)
    assert r.sentences >= 8, "an article says something"
    assert r.average_words_per_sentence <= MAX_AVERAGE_WORDS_PER_SENTENCE
    assert r.longest_sentence_words <= MAX_WORDS_PER_SENTENCE, r.longest_sentence
    assert len(article.title.split()) <= 10
    assert len(article.summary.split()) <= 25


@pytest.mark.parametrize("article", ARTICLES, ids=_ids)
def test_article_names_its_sources(article: Article) -> None:
    assert article.sources
    for source in article.sources:
        assert re.search(r"\d{3}_[0-9a-f]{16}\.txt|M46|NeuroTrac", source), source


@pytest.mark.parametrize("article", ARTICLES, ids=_ids)
def test_article_sends_to_care_where_needed(article: Article) -> None:
    if article.id == SEEK_CARE:
        body = article.body.lower()
        assert ("huisarts" in body) if article.lang == "nl" else ("gp" in body)
    else:
        assert SEEK_CARE in article_links(article.body)


@pytest.mark.parametrize("article", ARTICLES, ids=_ids)
def test_links_related_and_programmes_resolve(article: Article) -> None:
    for target in (*article_links(article.body), *article.related):
        assert target in TOPICS, target
        assert target != article.id
    assert set(article.programmes) <= set(PROGRAMME_IDS)


@pytest.mark.parametrize("article_id", sorted(TOPICS))
def test_dutch_and_english_versions_match(article_id: str) -> None:
    nl, en = LIBRARY.get(article_id, "nl"), LIBRARY.get(article_id, "en")
    assert nl.programmes == en.programmes
    assert nl.related == en.related
    assert nl.updated == en.updated
    assert len(nl.sources) == len(en.sources)
    assert article_links(nl.body) == article_links(en.body)
    headings = [line for line in nl.body.splitlines() if line.startswith("#")]
    assert len(headings) == len([x for x in en.body.splitlines() if x.startswith("#")])


def test_every_article_the_pathway_links_exists() -> None:
    # One intake that touches every condition and life phase, so every mapping entry is used.
    answers = IntakeAnswers(
        sex="other",
        age_years=40,
        complaints=frozenset(
            {"leak_effort", "leak_urge", "pressure_bulge", "pain", "constipation"}
        ),
        life_phases=frozenset(LIFE_PHASES),
        weeks_since_birth=3,
        trouble_contracting_or_relaxing=True,
    )
    stress_only = IntakeAnswers(sex="female", age_years=40, complaints=frozenset({"leak_effort"}))
    urge_only = IntakeAnswers(sex="female", age_years=40, complaints=frozenset({"leak_urge"}))
    linked = set()
    for a in (answers, stress_only, urge_only):
        linked |= set(build_plan(a, dt.date(2026, 1, 5)).articles)
    assert linked <= TOPICS
    assert linked == TOPICS


def test_get_and_errors() -> None:
    assert LIBRARY.get("sport", "en").title == "Sport and your pelvic floor"
    with pytest.raises(NotFoundError, match="no article 'nope'"):
        LIBRARY.get("nope", "nl")
    with pytest.raises(InputError, match="lang"):
        LIBRARY.articles("fr")  # type: ignore[arg-type]
    assert load_library() is LIBRARY
