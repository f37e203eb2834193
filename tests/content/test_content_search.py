"""Search: Dutch and English words, accents and case ignored, ranked results."""

from __future__ import annotations

import datetime as dt

import pytest

from pelvio.content import Article, fold, load_library, search
from pelvio.content.search import terms
from pelvio.errors import InputError


def _article(id_: str, title: str, body: str, summary: str = "Kort.", lang: str = "nl") -> Article:
    return Article(
        id=id_,
        lang=lang,  # type: ignore[arg-type]
        title=title,
        summary=summary,
        body=body,
        updated=dt.date(2026, 1, 1),
        sources=("test",),
    )


TITLE_HIT = _article("a", "Ademhaling", "Tekst over iets anders.")
BODY_HIT = _article("b", "Iets anders", "Hier staat ademhaling in de tekst.")
BOTH_WORDS = _article("c", "Toilet", "Ademhaling en toilet samen.")
ENGLISH = _article("d", "Breathing", "Breathe out slowly.", lang="en")
CORPUS = (TITLE_HIT, BODY_HIT, BOTH_WORDS, ENGLISH)


def _ids(results: tuple[object, ...]) -> list[str]:
    return [r.article.id for r in results]  # type: ignore[attr-defined]


def test_fold_strips_accents_and_case() -> None:
    assert fold("België Één CAFÉ") == "belgie een cafe"


def test_terms_drop_stop_words_and_single_letters() -> None:
    assert terms("De bekkenbodem en de Blaas, a b") == ("bekkenbodem", "blaas")


def test_title_match_ranks_above_body_match() -> None:
    # b and c both match once in the body: equal scores, ties broken by id.
    assert _ids(search(CORPUS, "ademhaling")) == ["a", "b", "c"]


def test_more_matched_words_rank_first() -> None:
    assert _ids(search(CORPUS, "ademhaling toilet"))[0] == "c"


def test_compound_part_and_word_start_match() -> None:
    corpus = (_article("x", "Bekkenbodem", "Tekst."),)
    assert _ids(search(corpus, "bodem")) == ["x"]
    assert _ids(search(corpus, "bekken")) == ["x"]
    assert _ids(search(corpus, "bod")) == []  # parts need four letters


def test_light_stemming_joins_word_forms() -> None:
    corpus = (_article("p", "Plassen", "Tekst."), ENGLISH)
    assert _ids(search(corpus, "plas")) == ["p"]
    assert _ids(search(corpus, "breathe")) == ["d"]


def test_language_filter_and_limit() -> None:
    assert _ids(search(CORPUS, "ademhaling breathing", lang="en")) == ["d"]
    assert len(search(CORPUS, "ademhaling", limit=1)) == 1


@pytest.mark.parametrize("query", ["", "   ", "de het een", "?!", "a"])
def test_query_without_words_finds_nothing(query: str) -> None:
    assert search(CORPUS, query) == ()


def test_no_match_is_empty() -> None:
    assert search(CORPUS, "xylofoon") == ()


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="limit"):
        search(CORPUS, "adem", limit=0)
    with pytest.raises(InputError, match="query"):
        search(CORPUS, None)  # type: ignore[arg-type]


def test_snippet_shows_the_matching_block() -> None:
    (hit,) = search((BODY_HIT,), "ademhaling")
    assert hit.snippet == "Hier staat ademhaling in de tekst."


# Against the shipped library


LIBRARY = load_library()


@pytest.mark.parametrize(
    ("query", "lang", "expected_first"),
    [
        ("overgang", "nl", "overgang"),
        ("menopause", "en", "overgang"),
        ("breathing", "en", "ademhaling"),
        ("elektrostimulatie zwanger", "nl", "biofeedback-en-elektrostimulatie"),
        ("poepen persen", "nl", "toilethouding"),
        ("stop stream", "en", "zelfcheck"),
        ("prostaat", "nl", "na-prostaatbehandeling"),
        ("huisarts bekkenfysiotherapeut", "nl", "wanneer-hulp"),
    ],
)
def test_library_search_finds_the_obvious_article(
    query: str, lang: str, expected_first: str
) -> None:
    results = LIBRARY.search(query, lang=lang)  # type: ignore[arg-type]
    assert results and results[0].article.id == expected_first


def test_accents_do_not_matter_in_the_library() -> None:
    assert _ids(LIBRARY.search("belgie", lang="nl")) == _ids(LIBRARY.search("België", lang="nl"))
    assert "wanneer-hulp" in _ids(LIBRARY.search("BELGIË", lang="nl"))
