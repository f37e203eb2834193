"""Questionnaire scoring against the worked examples of clinical.md §5, and its properties.

Oracle: clinical.md §5 (ICIQ-UI SF, Avery 2004 with Klovning's 2009 bands; PFDI-20 and PFIQ-7,
Barber 2005; Wexner, Agachan 1996). Published values are given to 2 decimals, so the exact
fractions are also checked against the hand-worked fractions in the comments.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.errors import InputError
from pelvio.measures import INSTRUMENTS, Instrument, get_instrument, round_half_up, score


def pfdi20(popdi: list[int], cradi: list[int], udi: list[int]) -> dict[str, int]:
    return {f"q{n}": v for n, v in enumerate([*popdi, *cradi, *udi], 1)}


def pfiq7(uiq: list[int], craiq: list[int], popiq: list[int]) -> dict[str, int]:
    answers: dict[str, int] = {}
    for prefix, values in (("uiq", uiq), ("craiq", craiq), ("popiq", popiq)):
        answers.update({f"{prefix}_q{n}": v for n, v in enumerate(values, 1)})
    return answers


def test_iciq_ui_sf_worked_example() -> None:
    # clinical.md §5: Q3=2, Q4=2, Q5=5 -> 9, moderate (Klovning's band 6–12).
    result = score("iciq-ui-sf", {"q3": 2, "q4": 2, "q5": 5})
    assert result.total == 9
    assert result.band is not None and result.band.key == "moderate"
    data = result.as_dict()
    assert data == {
        "instrument": "iciq-ui-sf",
        "total": 9,
        "subscales": {},
        "band": {
            "key": "moderate",
            "label": "moderate",
            "range": [6, 12],
            "source": data["band"]["source"],
        },
    }
    assert "Klovning" in data["band"]["source"]
    assert "not part of the ICIQ" in data["band"]["source"]


def test_pfdi20_worked_example() -> None:
    # clinical.md §5: UDI [2,3,0,1,0,0] 25.00; POPDI [0,0,1,0,0,0] 4.17;
    # CRADI [0,1,0,0,2,0,0,0] 9.38; total 38.54.
    result = score(
        "pfdi-20", pfdi20([0, 0, 1, 0, 0, 0], [0, 1, 0, 0, 2, 0, 0, 0], [2, 3, 0, 1, 0, 0])
    )
    values = {s.key: s.value for s in result.subscales}
    assert values == {"popdi6": Fraction(25, 6), "cradi8": Fraction(75, 8), "udi6": Fraction(25)}
    assert result.total == Fraction(925, 24)  # 38.541666…: the rounded scales would give 38.55
    assert result.as_dict() == {
        "instrument": "pfdi-20",
        "total": 38.54,
        "subscales": {"popdi6": 4.17, "cradi8": 9.38, "udi6": 25},
    }


def test_pfiq7_worked_example() -> None:
    # clinical.md §5: UIQ [2,1,3,1,0,2,1] 47.62; CRAIQ zeros 0; POPIQ [1,0,0,0,0,0,0] 4.76;
    # total 52.38.
    result = score("pfiq-7", pfiq7([2, 1, 3, 1, 0, 2, 1], [0] * 7, [1, 0, 0, 0, 0, 0, 0]))
    assert result.total == Fraction(1100, 21)
    assert result.as_dict() == {
        "instrument": "pfiq-7",
        "total": 52.38,
        "subscales": {"uiq7": 47.62, "craiq7": 0, "popiq7": 4.76},
    }


def test_wexner_worked_example() -> None:
    # clinical.md §5 (Agachan 1996): 1+2+3+1+2+1+1+2 = 13.
    answers = {f"q{n}": v for n, v in enumerate([1, 2, 3, 1, 2, 1, 1, 2], 1)}
    result = score("wexner", answers)
    assert result.total == 13
    assert result.as_dict() == {"instrument": "wexner", "total": 13, "subscales": {}}


@pytest.mark.parametrize(
    ("answer", "band"), [(1, "very_much_better"), (4, "no_change"), (7, "very_much_worse")]
)
def test_pgi_i_is_its_answer_with_the_category(answer: int, band: str) -> None:
    result = score("pgi-i", {"q1": answer})
    assert result.total == answer
    assert result.band is not None and result.band.key == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, None),
        (1, "slight"),
        (5, "slight"),
        (6, "moderate"),
        (12, "moderate"),
        (13, "severe"),
        (18, "severe"),
        (19, "very_severe"),
        (21, "very_severe"),
    ],
)
def test_klovning_band_edges(total: int, band: str | None) -> None:
    q5 = min(total, 10)
    rest = total - q5
    q4 = min(6, rest - rest % 2)
    q3 = rest - q4
    result = score("iciq", {"q3": q3, "q4": q4, "q5": q5})
    assert result.total == total
    assert (result.band.key if result.band else None) == band
    assert "band" in result.as_dict()


def test_only_instruments_with_bands_report_one() -> None:
    assert "band" not in score("wexner", {f"q{n}": 0 for n in range(1, 9)}).as_dict()
    assert {k for k, i in INSTRUMENTS.items() if i.bands} == {"iciq-ui-sf", "pgi-i"}


def test_missing_pfdi_items_use_the_mean_of_the_answered_ones() -> None:
    # Barber 2005: scale = mean of answered items × 25. UDI with q15=2, q16=4 only: 3 × 25 = 75.
    answers: dict[str, int | None] = {**pfdi20([0] * 6, [0] * 8, [2, 4, 0, 0, 0, 0])}
    for key in ("q17", "q18", "q19", "q20"):
        answers[key] = None
    result = score("pfdi-20", answers)
    udi = next(s for s in result.subscales if s.key == "udi6")
    assert udi.value == 75
    assert (udi.answered, udi.items) == (2, 6)
    assert result.total == 75
    assert result.unanswered == ("q17", "q18", "q19", "q20")
    assert any("only 2 of 6" in en for _, en in result.notes)


def test_a_pfdi_scale_without_answers_has_no_score_and_no_total() -> None:
    answers = {f"q{n}": 1 for n in range(1, 15)}  # UDI-6 left blank
    result = score("pfdi-20", answers)
    assert next(s for s in result.subscales if s.key == "udi6").value is None
    assert result.total is None
    assert result.as_dict()["total"] is None
    assert any("UDI-6: no item answered" in en for _, en in result.notes)


@pytest.mark.parametrize("instrument", ["iciq-ui-sf", "wexner", "pgi-i"])
def test_sum_scores_need_every_scored_item(instrument: str) -> None:
    definition = get_instrument(instrument)
    answers = {item.key: item.low for item in definition.items[1:]}
    result = score(definition, answers)
    assert result.total is None
    assert result.unanswered == (definition.items[0].key,)
    assert result.notes


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("iciq-ui-sf", {"q4": 3}, "q4 of iciq-ui-sf must be 0, 2, 4, 6; got 3"),
        ("iciq-ui-sf", {"q3": 6}, "q3 of iciq-ui-sf must be 0–5; got 6"),
        ("iciq-ui-sf", {"q5": -1}, "q5 of iciq-ui-sf must be 0–10; got -1"),
        (
            "iciq-ui-sf",
            {"q6": 1},
            "q6 of iciq-ui-sf is not scored; the scored items are q3, q4, q5",
        ),
        ("iciq-ui-sf", {"Q3": 1}, "iciq-ui-sf has no item 'Q3'; valid items are q3, q4, q5"),
        ("pfdi-20", {"q21": 1}, "valid items are q1, q2"),
        ("pfiq-7", {"uiq_q1": 4}, "uiq_q1 of pfiq-7 must be 0–3; got 4"),
        ("pfiq-7", {"q1": 0}, "valid items are uiq_q1"),
        ("wexner", {"q6": 3}, "q6 of wexner must be 0–2; got 3"),
        ("pgi-i", {"q1": 0}, "q1 of pgi-i must be 1–7; got 0"),
        ("wexner", {"q1": 1.5}, "q1 must be a whole number"),
        ("wexner", {"q1": True}, "q1 must be a whole number"),
        ("nope", {}, "unknown instrument 'nope'; valid instruments are iciq-ui-sf, pfdi-20"),
    ],
)
def test_bad_answers_are_refused_naming_item_and_range(
    instrument: str, answers: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError) as info:
        score(instrument, answers)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_answers_must_be_a_mapping() -> None:
    with pytest.raises(InputError, match="answers must map"):
        score("wexner", [("q1", 1)])  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["PFDI-20", "pfdi20", "pfdi", "PFDI 20", "Pfdi_20"])
def test_instrument_names_are_forgiving(name: str) -> None:
    assert get_instrument(name).key == "pfdi-20"


def test_definitions_are_consistent() -> None:
    expected_keys = {
        "iciq-ui-sf": ["q3", "q4", "q5"],
        "pfdi-20": [f"q{n}" for n in range(1, 21)],
        "pfiq-7": [f"{p}_q{n}" for p in ("uiq", "craiq", "popiq") for n in range(1, 8)],
        "wexner": [f"q{n}" for n in range(1, 9)],
        "pgi-i": ["q1"],
    }
    assert {k: [i.key for i in d.items] for k, d in INSTRUMENTS.items()} == expected_keys
    pfdi = INSTRUMENTS["pfdi-20"]
    assert [(s.key, s.items[0], s.items[-1]) for s in pfdi.scales] == [
        ("popdi6", "q1", "q6"),
        ("cradi8", "q7", "q14"),
        ("udi6", "q15", "q20"),
    ]
    assert [s.key for s in INSTRUMENTS["pfiq-7"].scales] == ["uiq7", "craiq7", "popiq7"]
    for definition in INSTRUMENTS.values():
        assert definition.reference and definition.licence and definition.missing_rule
        for item in definition.items:
            assert item.nl and item.en and item.values == tuple(sorted(item.values))
        for scale in definition.scales:
            items = [definition.item(key) for key in scale.items]
            assert scale.high == max(i.high for i in items) * scale.factor
        if definition.total_from == "scales":
            assert definition.total_high == sum(s.high for s in definition.scales)
        else:
            assert definition.total_high == sum(i.high for i in definition.items)
            assert definition.total_low == sum(i.low for i in definition.items)
    assert "iciq.net" in INSTRUMENTS["iciq-ui-sf"].licence
    assert "unmodified" in INSTRUMENTS["iciq-ui-sf"].licence


def test_no_licensed_item_text_is_stored() -> None:
    # Our labels are short topic names, never the questions: no question marks, no "Do you".
    for definition in INSTRUMENTS.values():
        for item in definition.items:
            for label in (item.nl, item.en):
                assert "?" not in label
                assert len(label) <= 60
                assert not label.lower().startswith(("do you", "how often do you", "usually"))


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Fraction(75, 8), 2, 9.38),
        (Fraction(925, 24), 2, 38.54),
        (Fraction(1, 8), 2, 0.13),
        (Fraction(25), 2, 25),
        (Fraction(2, 3), 0, 1),
        (Fraction(-75, 8), 2, -9.38),
    ],
)
def test_round_half_up_for_display(value: Fraction, places: int, shown: float) -> None:
    assert round_half_up(value, places) == shown


def answers_for(
    definition: Instrument, allow_missing: bool
) -> st.SearchStrategy[dict[str, int | None]]:
    per_item = {
        item.key: (
            st.one_of(st.none(), st.sampled_from(item.values))
            if allow_missing
            else st.sampled_from(item.values)
        )
        for item in definition.items
    }
    return st.fixed_dictionaries(per_item)


@st.composite
def filled(draw: st.DrawFn) -> tuple[Instrument, dict[str, int | None]]:
    definition = draw(st.sampled_from(list(INSTRUMENTS.values())))
    answers = draw(answers_for(definition, allow_missing=definition.total_from == "scales"))
    return definition, answers


@settings(deadline=None, max_examples=150)
@given(filled())
def test_scores_stay_within_range(case: tuple[Instrument, dict[str, int | None]]) -> None:
    definition, answers = case
    result = score(definition, answers)
    if result.total is not None:
        assert definition.total_low <= result.total <= definition.total_high
    for scale, sub in zip(definition.scales, result.subscales, strict=True):
        if sub.value is not None:
            assert 0 <= sub.value <= scale.high


@settings(deadline=None, max_examples=150)
@given(filled(), st.data())
def test_a_higher_answer_never_lowers_a_score(
    case: tuple[Instrument, dict[str, int | None]], data: st.DataObject
) -> None:
    definition, answers = case
    raisable = [
        item
        for item in definition.items
        if answers[item.key] is not None and answers[item.key] != item.high
    ]
    if not raisable:
        return
    item = data.draw(st.sampled_from(raisable))
    current = answers[item.key]
    higher = data.draw(
        st.sampled_from([v for v in item.values if current is not None and v > current])
    )
    before = score(definition, answers)
    after = score(definition, {**answers, item.key: higher})
    if before.total is not None:
        assert after.total is not None and after.total > before.total
    for old, new in zip(before.subscales, after.subscales, strict=True):
        if old.value is not None:
            assert new.value is not None and new.value >= old.value
