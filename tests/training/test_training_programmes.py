"""Programme data against the dosages of clinical.md §1 (oracle: the leaflets, not our code)."""

from __future__ import annotations

import pytest

from pelvio.errors import InputError
from pelvio.training import (
    ACTIONS,
    PROGRAMME_IDS,
    PROGRAMMES,
    Block,
    Bound,
    Level,
    Programme,
    Pulse,
    Step,
    Text,
    build_timeline,
    get_programme,
)

_T = Text("x", "x")


def test_the_five_programmes_have_the_ids_of_issue_5() -> None:
    assert PROGRAMME_IDS == (
        "basis",
        "kracht-uithouding-coordinatie",
        "kegel-varianten",
        "ontspanning",
        "blaastraining",
    )


@pytest.mark.parametrize("programme_id", PROGRAMME_IDS)
def test_every_programme_names_its_source_and_has_nl_and_en(programme_id: str) -> None:
    programme = PROGRAMMES[programme_id]
    assert "clinical.md §1" in programme.source
    assert programme.title.nl and programme.title.en
    for level in programme.levels:
        assert "(Bron: " in level.change.nl
        assert "(Source: " in level.change.en
        for step in level.steps():
            assert step.action in ACTIONS
            assert step.text.nl != step.text.en


def test_sources_per_programme() -> None:
    assert "leaflet 001" in PROGRAMMES["basis"].source
    assert "leaflet 002" in PROGRAMMES["kracht-uithouding-coordinatie"].source
    assert "Bø" in PROGRAMMES["kracht-uithouding-coordinatie"].source
    assert "leaflet 004" in PROGRAMMES["kegel-varianten"].source
    assert "003" in PROGRAMMES["ontspanning"].source
    assert "004" in PROGRAMMES["ontspanning"].source
    assert "M46" in PROGRAMMES["blaastraining"].source


def test_unknown_programme_lists_valid_ids() -> None:
    with pytest.raises(InputError, match=r"basis.*ontspanning.*got 'squats'"):
        get_programme("squats")


# --- basis: leaflet 001 ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_basis_is_ten_times_six_plus_six_seconds(level: int) -> None:
    """Leaflet 001: squeeze 6 counts, relax 6 counts, 10 times: 10 x (6 + 6) = 120 s."""
    timeline = build_timeline("basis", level)
    assert timeline.total_duration_s == 10 * (6 + 6)
    assert [c.action for c in timeline.cues] == ["contract", "relax"] * 10
    assert {c.duration_s for c in timeline.cues} == {6}
    assert PROGRAMMES["basis"].sessions_per_day == 3  # morning, afternoon, evening (001)


def test_basis_hold_carries_a_few_extra_squeezes() -> None:
    """Leaflet 001: "a few extra squeezes" during the hold: at least two peaks above the hold."""
    for cue in build_timeline("basis").cues:
        if cue.action == "contract":
            assert len(cue.pulses) >= 2
            assert all(p.target > cue.target for p in cue.pulses)
            assert all(cue.start_s <= p.start_s < p.end_s <= cue.end_s for p in cue.pulses)


def test_basis_starts_lying_on_the_back_and_moves_to_daily_activities() -> None:
    """Leaflet 001: start lying, knees bent; later sitting, standing, during daily activities."""
    positions = [build_timeline("basis", n).cues[0].position for n in (1, 2, 3, 4)]
    assert positions == ["lying-back-knees-bent", "sitting", "standing", "during-activity"]


# --- kracht-uithouding-coordinatie: leaflet 002 -------------------------------------------------


def _endurance_holds(level: int) -> list[int]:
    cues = build_timeline("kracht-uithouding-coordinatie", level).cues
    return [c.duration_s for c in cues if c.action == "contract" and c.target < 1.0]


@pytest.mark.parametrize("level", range(1, 9))
def test_endurance_is_ten_holds_of_3_to_10_s_with_20_s_rests(level: int) -> None:
    """Leaflet 002: hold 3-10 counts, 10 repetitions, 20 counts rest between."""
    cues = build_timeline("kracht-uithouding-coordinatie", level).cues
    holds = _endurance_holds(level)
    assert len(holds) == 10
    assert len(set(holds)) == 1 and 3 <= holds[0] <= 10
    rests = [c.duration_s for c in cues if c.action == "rest"]
    assert rests == [20] * 10


def test_endurance_holds_run_from_3_to_10_s() -> None:
    """Leaflet 002 gives 3 to 10 counts: the first level holds 3, the last holds 10."""
    assert _endurance_holds(1)[0] == 3
    assert _endurance_holds(PROGRAMMES["kracht-uithouding-coordinatie"].max_level)[0] == 10


@pytest.mark.parametrize("level", range(1, 9))
def test_strength_series_within_8_to_12_and_knack_cues(level: int) -> None:
    """Leaflet 002 series of 10; Bø 2022 table 5: 8-12 close-to-maximal contractions."""
    cues = build_timeline("kracht-uithouding-coordinatie", level).cues
    strength = [c for c in cues if c.action == "contract" and c.target == 1.0]
    assert 8 <= len(strength) <= 12
    assert any(c.action == "knack" for c in cues)


def test_strength_series_starts_at_ten() -> None:
    """Leaflet 002: a series of 10."""
    cues = build_timeline("kracht-uithouding-coordinatie", 1).cues
    assert sum(1 for c in cues if c.action == "contract" and c.target == 1.0) == 10


def test_about_sixty_contractions_a_day_at_the_start() -> None:
    """Leaflet 002: about 60 exercises a day, at least 3 times a day."""
    programme = PROGRAMMES["kracht-uithouding-coordinatie"]
    timeline = build_timeline(programme, 1)
    assert programme.sessions_per_day >= 3
    assert timeline.count("contract") * programme.sessions_per_day == 60


# --- kegel-varianten: leaflet 004 ---------------------------------------------------------------


@pytest.mark.parametrize("level", range(1, 6))
def test_kegel_holds_3_to_5_s_relax_twice_as_long_and_quick_squeezes(level: int) -> None:
    """Leaflet 004: breathe first; hold 3-5 s, relax twice as long; alternate with quick ones."""
    cues = build_timeline("kegel-varianten", level).cues
    assert cues[0].action == "breathe"
    holds = [i for i, c in enumerate(cues) if c.action == "contract"]
    assert holds
    for i in holds:
        assert 3 <= cues[i].duration_s <= 5
        assert cues[i + 1].action == "relax"
        assert cues[i + 1].duration_s == 2 * cues[i].duration_s
        assert cues[i + 2].action == "quick"
    assert any(c.action == "quick" for c in cues)


def test_kegel_builds_up_from_lying_to_movement() -> None:
    """Leaflet 004: from lying or sitting to standing and movement."""
    top = PROGRAMMES["kegel-varianten"].max_level
    assert build_timeline("kegel-varianten", 1).cues[0].position in (
        "lying-back-knees-bent",
        "sitting",
    )
    assert build_timeline("kegel-varianten", top).cues[0].position == "during-activity"


# --- ontspanning: leaflets 003, 004 -------------------------------------------------------------


@pytest.mark.parametrize("level", range(1, 4))
def test_ontspanning_never_squeezes(level: int) -> None:
    """clinical.md §2: for a too-tense floor, strengthening is the wrong advice."""
    actions = {c.action for c in build_timeline("ontspanning", level).cues}
    assert actions <= {"breathe", "relax", "rest"}
    assert "breathe" in actions


def test_ontspanning_breathes_out_longer_than_in() -> None:
    """Leaflet 004: lengthen the out-breath."""
    cues = build_timeline("ontspanning", 1).cues
    breaths = [c.duration_s for c in cues if c.action == "breathe"]
    pairs = list(zip(breaths[::2], breaths[1::2], strict=True))
    assert pairs and all(out > inhale for inhale, out in pairs)


def test_a_relaxation_programme_refuses_a_squeeze() -> None:
    squeeze = Step("contract", 5, 0.5, "sitting", _T)
    with pytest.raises(InputError, match="relaxation programme may not contain contract"):
        Programme("x", _T, "s", 1, "session", False, (Level(1, (Block("b", (squeeze,)),), _T),))


# --- blaastraining: NHG M46 ---------------------------------------------------------------------


def test_blaastraining_is_a_schedule_with_an_urge_routine() -> None:
    programme = PROGRAMMES["blaastraining"]
    assert programme.kind == "schedule"
    assert programme.sessions_per_day == 0
    actions = [c.action for c in build_timeline(programme).cues]
    assert "quick" in actions and "breathe" in actions and "rest" in actions
    assert "contract" not in actions  # urge suppression uses quick squeezes, no long holds


# --- the data model guards itself ---------------------------------------------------------------


def test_a_level_outside_its_published_bounds_cannot_be_built() -> None:
    hold = Step("contract", 11, 0.6, "sitting", _T)
    rest = Step("rest", 20, 0.0, "sitting", _T)
    with pytest.raises(InputError, match=r"hold_s = 11 lies outside \[3, 10\]"):
        Programme(
            "x",
            _T,
            "s",
            3,
            "session",
            True,
            (Level(1, (Block("endurance", (hold, rest), 10),), _T),),
            (Bound("endurance", "hold_s", 3, 10, "leaflet 002"),),
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "squat"}, "action must be one of"),
        ({"duration_s": 0}, "duration_s must lie in"),
        ({"duration_s": 2.5}, "duration_s must be a whole number"),
        ({"target": 1.5}, "target must lie in"),
        ({"target": float("nan")}, "target must be a finite number"),
        ({"action": "relax", "target": 0.5}, "target of a relax step must be 0"),
        ({"position": "upside-down"}, "position must be one of"),
        ({"pulses": (Pulse(5.5, 1.0, 1.0),)}, "pulse must end within"),
        ({"pulses": (Pulse(1.0, 1.0, 0.1),)}, "must raise the target"),
    ],
)
def test_a_bad_step_is_refused_naming_the_field(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "action": "contract",
        "duration_s": 6,
        "target": 0.5,
        "position": "sitting",
        "text": _T,
    }
    fields.update(kwargs)
    with pytest.raises(InputError, match=message):
        Step(**fields)  # type: ignore[arg-type]


def test_levels_must_be_numbered_from_one() -> None:
    step = Step("rest", 1, 0.0, "any", _T)
    with pytest.raises(InputError, match=r"numbered 1\.\.N"):
        Programme("x", _T, "s", 1, "session", True, (Level(2, (Block("b", (step,)),), _T),))


def test_empty_texts_blocks_and_levels_are_refused() -> None:
    with pytest.raises(InputError, match="text_en must be a non-empty string"):
        Text("iets", " ")
    with pytest.raises(InputError, match="has no steps"):
        Block("b", ())
    with pytest.raises(InputError, match="has no blocks"):
        Level(1, (), _T)


@pytest.mark.parametrize("level", [0, -1, 5, True, 1.0])
def test_level_out_of_range_names_the_range(level: object) -> None:
    with pytest.raises(InputError, match=r"\[1, 4\]|whole number"):
        PROGRAMMES["basis"].level(level)  # type: ignore[arg-type]
