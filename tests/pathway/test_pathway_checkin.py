"""Check-in outcomes at 2 weeks, 6 weeks and 3 months.

Expected outcomes follow leaflet 001 (improvement after 6-8 weeks; no improvement after 6 weeks
-> pelvic physiotherapist; too little after 3 months -> GP about a pessary or sling; resolved ->
keep training less often; trouble or preference -> physiotherapist) and leaflet 004 (red flags;
worse -> physiotherapist). The thresholds are those documented in pelvio.pathway.checkin:
ICIQ-UI SF MID 2.52 (Nyström et al. 2015), CID 4.0 (Int Urogynecol J 2023), PGI-I 3 / 2 / 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from pelvio.errors import InputError
from pelvio.pathway import (
    CHECKIN_NOTE_RULES,
    CHECKIN_RULES,
    CheckinAnswers,
    DiarySummary,
    assess_progress,
    checkin_to_dict,
    evaluate_checkin,
)
from pelvio.pathway.checkin import ICIQ_CID_POINTS, ICIQ_MID_POINTS


@dataclass(frozen=True)
class Row:
    name: str
    checkin: CheckinAnswers
    outcome: str
    rule: str
    less_often: bool = False
    notes: set[str] = field(default_factory=set)


def _c(point: str, pgi_i: int, **kw: Any) -> CheckinAnswers:
    return CheckinAnswers(point=point, pgi_i=pgi_i, **kw)  # type: ignore[arg-type]


STRESS = frozenset({"stress-ui"})

ROWS: tuple[Row, ...] = (
    Row("2w, no change yet: too early, continue (001)",
        _c("2w", 4, iciq_ui_sf_total=10, baseline_iciq_ui_sf_total=10),
        "continue", "checkin-2w-early"),
    Row("2w, a little better: continue",
        _c("2w", 3, iciq_ui_sf_total=9, baseline_iciq_ui_sf_total=10),
        "continue", "checkin-improving"),
    Row("2w, a little worse: physiotherapist (004)",
        _c("2w", 5), "see-physiotherapist", "checkin-worse"),
    Row("2w, trouble squeezing: physiotherapist (001)",
        _c("2w", 4, trouble_contracting_or_relaxing=True),
        "see-physiotherapist", "checkin-trouble"),
    Row("2w, prefers guidance: physiotherapist (001)",
        _c("2w", 3, prefers_physiotherapist=True), "see-physiotherapist", "checkin-preference"),
    Row("6w, no change on PGI-I and ICIQ down 2 (< MID 2.52): physiotherapist (001)",
        _c("6w", 4, iciq_ui_sf_total=8, baseline_iciq_ui_sf_total=10),
        "see-physiotherapist", "checkin-6w-no-improvement"),
    Row("6w, ICIQ down 3 (>= MID) though PGI-I says no change: continue",
        _c("6w", 4, iciq_ui_sf_total=7, baseline_iciq_ui_sf_total=10),
        "continue", "checkin-improving"),
    Row("6w, diary leaks halved though PGI-I says no change: continue",
        _c("6w", 4, diary=DiarySummary(incontinence_episodes_24h=1.0),
           baseline_diary=DiarySummary(incontinence_episodes_24h=2.0)),
        "continue", "checkin-improving"),
    Row("6w, very much better and no leaks: continue, less often (001)",
        _c("6w", 1, iciq_ui_sf_total=0, baseline_iciq_ui_sf_total=9,
           diary=DiarySummary(incontinence_episodes_24h=0.0)),
        "continue", "checkin-resolved", less_often=True),
    Row("6w, stress plan, better but urgency in diary: continue plus GP note (001)",
        _c("6w", 3, diary=DiarySummary(urgency_episodes_24h=2.0), treated_conditions=STRESS),
        "continue", "checkin-improving", notes={"checkin-note-urge-remaining"}),
    Row("3m, a little better only (PGI-I 3, ICIQ down 3 < CID 4): GP about other treatment",
        _c("3m", 3, iciq_ui_sf_total=7, baseline_iciq_ui_sf_total=10),
        "see-gp-other-treatment", "checkin-3m-too-little"),
    Row("3m, much better: continue",
        _c("3m", 2, iciq_ui_sf_total=6, baseline_iciq_ui_sf_total=9),
        "continue", "checkin-improving"),
    Row("3m, ICIQ down 4 (= CID) with PGI-I 3: continue",
        _c("3m", 3, iciq_ui_sf_total=5, baseline_iciq_ui_sf_total=9),
        "continue", "checkin-improving"),
    Row("3m, worse: GP about other treatment (3 months rule comes first)",
        _c("3m", 6), "see-gp-other-treatment", "checkin-3m-too-little"),
    Row("3m, resolved but trouble letting go: physiotherapist",
        _c("3m", 1, trouble_contracting_or_relaxing=True),
        "see-physiotherapist", "checkin-trouble"),
    Row("3m, too little with urgency left: GP outcome and the urge note",
        _c("3m", 4, diary=DiarySummary(urgency_episodes_24h=1.0), treated_conditions=STRESS),
        "see-gp-other-treatment", "checkin-3m-too-little",
        notes={"checkin-note-urge-remaining"}),
    Row("red flag at 6w, even when resolved: seek care now (004)",
        _c("6w", 1, red_flags=frozenset({"blood_loss"})), "seek-care-now", "checkin-red-flag"),
    Row("red flag at 3m with too little improvement: seek care now overrides GP",
        _c("3m", 7, red_flags=frozenset({"unable_to_void"}), treated_conditions=STRESS,
           diary=DiarySummary(urgency_episodes_24h=3.0)),
        "seek-care-now", "checkin-red-flag"),
)  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_checkin_outcome_table(row: Row) -> None:
    result = evaluate_checkin(row.checkin)
    assert (result.outcome, result.rule_id) == (row.outcome, row.rule)
    assert result.less_often is row.less_often
    assert {n.id for n in result.notes} == row.notes
    assert result.sources


def test_every_checkin_rule_is_exercised_by_the_table() -> None:
    rules = {r.id for r in CHECKIN_RULES} | {n.id for n in CHECKIN_NOTE_RULES}
    seen = {r.rule for r in ROWS} | {n for r in ROWS for n in r.notes}
    assert rules - seen == set()


def test_thresholds_are_the_published_figures() -> None:
    assert pytest.approx(2.52, abs=1e-9) == ICIQ_MID_POINTS  # Nyström et al. 2015
    assert pytest.approx(4.0, abs=1e-9) == ICIQ_CID_POINTS  # Int Urogynecol J 2023


def test_the_note_is_only_for_a_plan_that_did_not_treat_urge() -> None:
    checkin = _c(
        "6w",
        3,
        diary=DiarySummary(urgency_episodes_24h=2.0),
        treated_conditions=frozenset({"stress-ui", "urge-ui"}),
    )
    assert evaluate_checkin(checkin).notes == ()
    assert evaluate_checkin(_c("2w", 3, diary=DiarySummary(urgency_episodes_24h=2.0))).notes == ()


def test_progress_figures() -> None:
    p = assess_progress(
        _c(
            "6w",
            4,
            iciq_ui_sf_total=6,
            baseline_iciq_ui_sf_total=9,
            diary=DiarySummary(incontinence_episodes_24h=1.5),
            baseline_diary=DiarySummary(incontinence_episodes_24h=2.0),
        )
    )
    assert p.iciq_change == 3
    assert p.diary_leak_fraction == pytest.approx(0.75, abs=1e-12)
    assert (p.worse, p.improved, p.enough_improved, p.resolved) == (False, True, False, False)


def test_no_baseline_leaks_gives_no_diary_fraction() -> None:
    p = assess_progress(
        _c(
            "6w",
            4,
            diary=DiarySummary(incontinence_episodes_24h=0.0),
            baseline_diary=DiarySummary(incontinence_episodes_24h=0.0),
        )
    )
    assert p.diary_leak_fraction is None
    assert not p.improved


def test_leaks_in_the_diary_mean_not_resolved() -> None:
    p = assess_progress(_c("6w", 1, diary=DiarySummary(incontinence_episodes_24h=0.5)))
    assert p.improved and not p.resolved


def test_checkin_to_dict_has_stable_keys() -> None:
    doc = checkin_to_dict(evaluate_checkin(ROWS[9].checkin))
    assert set(doc) == {"outcome", "rule", "reason", "less_often", "sources", "progress", "notes"}
    assert doc["notes"][0]["rule"] == "checkin-note-urge-remaining"
    assert set(doc["reason"]) == {"nl", "en"}


@pytest.mark.parametrize(
    ("kwargs", "field_name"),
    [
        ({"point": "4w", "pgi_i": 3}, "point"),
        ({"point": "6w", "pgi_i": 0}, "pgi_i"),
        ({"point": "6w", "pgi_i": 8}, "pgi_i"),
        ({"point": "6w", "pgi_i": 3.0}, "pgi_i"),
        ({"point": "6w", "pgi_i": 3, "iciq_ui_sf_total": 22}, "iciq_ui_sf_total"),
        ({"point": "6w", "pgi_i": 3, "baseline_iciq_ui_sf_total": -1}, "baseline_iciq_ui_sf_total"),
        ({"point": "6w", "pgi_i": 3, "diary": {"nocturia": 1}}, "diary"),
        ({"point": "6w", "pgi_i": 3, "red_flags": frozenset({"cough"})}, "red_flags"),
        ({"point": "6w", "pgi_i": 3, "red_flags": ["fever"]}, "red_flags"),
        (
            {"point": "6w", "pgi_i": 3, "treated_conditions": frozenset({"flu"})},
            "treated_conditions",
        ),
        ({"point": "6w", "pgi_i": 3, "prefers_physiotherapist": "no"}, "prefers_physiotherapist"),
    ],
)
def test_bad_checkin_answers_name_the_field(kwargs: dict[str, Any], field_name: str) -> None:
    with pytest.raises(InputError) as info:
        CheckinAnswers(**kwargs)
    assert info.value.field == field_name


@pytest.mark.parametrize(
    ("kwargs", "field_name"),
    [
        ({"nocturia": -1}, "nocturia"),
        ({"incontinence_episodes_24h": float("nan")}, "incontinence_episodes_24h"),
        ({"urgency_episodes_24h": float("inf")}, "urgency_episodes_24h"),
        ({"daytime_frequency": "8"}, "daytime_frequency"),
    ],
)
def test_bad_diary_summary_names_the_field(kwargs: dict[str, Any], field_name: str) -> None:
    with pytest.raises(InputError) as info:
        DiarySummary(**kwargs)
    assert info.value.field == field_name
