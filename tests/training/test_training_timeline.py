"""Timelines: contiguous cues, pulses inside holds, lookups by time, the ``show`` document."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.errors import InputError
from pelvio.training import (
    PROGRAMME_IDS,
    PROGRAMMES,
    build_timeline,
    cue_at,
    programme_document,
    target_at,
)

ALL_LEVELS = [(p, n) for p in PROGRAMME_IDS for n in range(1, PROGRAMMES[p].max_level + 1)]


@pytest.mark.parametrize(("programme_id", "level"), ALL_LEVELS)
def test_cues_are_back_to_back_from_zero(programme_id: str, level: int) -> None:
    timeline = build_timeline(programme_id, level)
    assert timeline.cues[0].start_s == 0
    for before, after in itertools.pairwise(timeline.cues):
        assert before.end_s == after.start_s
    assert [c.index for c in timeline.cues] == list(range(len(timeline.cues)))
    assert timeline.total_duration_s == sum(c.duration_s for c in timeline.cues)
    assert (timeline.programme_id, timeline.level) == (programme_id, level)


def test_basis_pulses_sit_at_2_and_4_s_of_each_hold() -> None:
    """Our representation of leaflet 001's extra squeezes: 1 s peaks at 2 s and 4 s of the hold."""
    first = build_timeline("basis").cues[0]
    assert [(p.start_s, p.end_s, p.target) for p in first.pulses] == [
        (2.0, 3.0, 1.0),
        (4.0, 5.0, 1.0),
    ]
    third = build_timeline("basis").cues[2]
    assert [p.start_s for p in third.pulses] == [14.0, 16.0]


def test_target_at_follows_plateau_pulses_and_relax() -> None:
    timeline = build_timeline("basis")
    assert target_at(timeline, 0.0) == pytest.approx(0.8)
    assert target_at(timeline, 2.5) == pytest.approx(1.0)
    assert target_at(timeline, 3.0) == pytest.approx(0.8)
    assert target_at(timeline, 6.0) == 0.0
    assert target_at(timeline, -1.0) == 0.0
    assert target_at(timeline, 120.0) == 0.0


def test_cue_at_boundaries_belong_to_the_next_cue() -> None:
    timeline = build_timeline("basis")
    first, second = timeline.cues[0], timeline.cues[1]
    assert cue_at(timeline, 0) is first
    assert cue_at(timeline, 5.999) is first
    assert cue_at(timeline, 6) is second
    assert cue_at(timeline, 119.9) is timeline.cues[-1]
    assert cue_at(timeline, 120) is None
    assert cue_at(timeline, -0.001) is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, "3", None])
def test_time_lookups_refuse_non_numbers(bad: object) -> None:
    with pytest.raises(InputError, match="t_s must be"):
        cue_at(build_timeline("basis"), bad)  # type: ignore[arg-type]


@settings(deadline=None, max_examples=60)
@given(
    pair=st.sampled_from(ALL_LEVELS),
    fraction=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
)
def test_every_moment_of_a_session_has_one_cue_and_a_target_in_0_1(
    pair: tuple[str, int], fraction: float
) -> None:
    timeline = build_timeline(*pair)
    t = fraction * timeline.total_duration_s
    cue = cue_at(timeline, t)
    assert cue is not None and cue.start_s <= t < cue.end_s
    assert 0.0 <= target_at(timeline, t) <= 1.0


def test_cue_text_in_each_locale() -> None:
    cue = build_timeline("basis").cues[1]
    assert cue.text_in("nl").startswith("Laat")
    assert cue.text_in("en").startswith("Let go")
    with pytest.raises(InputError, match="locale must be one of"):
        cue.text_in("de")  # type: ignore[arg-type]


@pytest.mark.parametrize(("programme_id", "level"), ALL_LEVELS)
def test_show_document_has_exactly_the_contract_keys(programme_id: str, level: int) -> None:
    """Issue 5: {id, title, sessions_per_day, steps: [{action, duration_s, target, text_nl,
    text_en}], total_duration_s, source}."""
    document = programme_document(programme_id, level)
    assert set(document) == {
        "id",
        "title",
        "sessions_per_day",
        "steps",
        "total_duration_s",
        "source",
    }
    assert set(document["title"]) == {"nl", "en"}
    for step in document["steps"]:
        assert set(step) == {"action", "duration_s", "target", "text_nl", "text_en"}
    assert document["total_duration_s"] == sum(s["duration_s"] for s in document["steps"])


def test_unknown_programme_and_bad_level() -> None:
    with pytest.raises(InputError, match="got 'yoga'"):
        build_timeline("yoga")
    with pytest.raises(InputError, match=r"level for ontspanning must lie in \[1, 3\]; got 4"):
        build_timeline("ontspanning", 4)
