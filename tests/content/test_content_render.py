"""Rendering article Markdown for the web, and the readability measure."""

from __future__ import annotations

import pytest

from pelvio.content import article_links, plain_blocks, readability, render_markdown
from pelvio.content.readability import sentences


def test_raw_html_is_escaped() -> None:
    html = render_markdown('Hallo <script>alert("x")</script> <b>vet</b>')
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_markdown_renders() -> None:
    html = render_markdown("## Kop\n\n- **een**\n- twee\n")
    assert "<h2>Kop</h2>" in html
    assert "<strong>een</strong>" in html
    assert html.count("<li>") == 2


def test_link_base_rewrites_only_article_links() -> None:
    text = "[a](wanneer-hulp) [b](https://example.org/x) [c](/abs) [d](#top) [e](mailto:x@y.z)"
    html = render_markdown(text, link_base="/leren/")
    assert 'href="/leren/wanneer-hulp"' in html
    assert 'href="https://example.org/x"' in html
    assert 'href="/abs"' in html and 'href="#top"' in html and 'href="mailto:x@y.z"' in html
    assert 'href="wanneer-hulp"' in render_markdown(text)


def test_javascript_links_are_not_rendered_as_links() -> None:
    html = render_markdown("[klik](javascript:alert(1))")
    assert "href" not in html


def test_article_links_lists_bare_ids_in_order() -> None:
    text = "[x](sport) en [y](https://a.b) en [z](wanneer-hulp)"
    assert article_links(text) == ("sport", "wanneer-hulp")
    assert article_links("geen links") == ()


def test_plain_blocks_strip_syntax_and_mark_headings() -> None:
    blocks = plain_blocks("# Titel\n\nEen **vette** [link](x).\n\n- punt een\n- punt twee\n")
    assert blocks == (
        ("heading", "Titel"),
        ("text", "Een vette link."),
        ("text", "punt een"),
        ("text", "punt twee"),
    )
    assert plain_blocks("") == ()


# Readability: hand-counted examples.


def test_sentences_split_on_end_marks_and_list_items() -> None:
    text = "## Kop telt niet\n\nEen twee drie. Vier vijf! Zes?\n\n- Zeven acht\n- Negen\n"
    assert sentences(text) == ("Een twee drie.", "Vier vijf!", "Zes?", "Zeven acht", "Negen")


def test_readability_counts() -> None:
    r = readability("Een twee drie. Vier vijf.\n\nZes zeven acht negen tien elf.")
    assert (r.sentences, r.words) == (3, 11)
    assert r.average_words_per_sentence == pytest.approx(11 / 3, abs=1e-12)
    assert r.longest_sentence_words == 6
    assert r.longest_sentence == "Zes zeven acht negen tien elf."


def test_abbreviations_with_lower_case_do_not_split() -> None:
    assert len(sentences("Dit is bijv. een test. En nog een.")) == 2


def test_hyphenated_and_apostrophe_words_count_once() -> None:
    assert readability("Plas-stop-test en 's nachts.").words == 4


def test_empty_text() -> None:
    r = readability("")
    assert (r.sentences, r.words, r.average_words_per_sentence) == (0, 0, 0.0)
    assert readability("## Alleen een kop\n").sentences == 0
