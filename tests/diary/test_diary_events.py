"""Diary entries check their values when made, with errors that name the field."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pelvio.diary import (
    EVENT_LABELS,
    EVENT_NAMES,
    NOTE_MAX_CHARS,
    URGENCY_LEVELS,
    Bed,
    Bowel,
    Drink,
    Leak,
    Pad,
    Void,
    Wake,
    ordered,
)
from pelvio.errors import InputError

T = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Void(time=datetime(2025, 6, 2, 7), urgency=0), "time"),  # noqa: DTZ001
        (lambda: Void(time="2025-06-02T07:00+00:00", urgency=0), "time"),  # type: ignore[arg-type]
        (lambda: Void(time=T, urgency=5), "urgency"),
        (lambda: Void(time=T, urgency=-1), "urgency"),
        (lambda: Void(time=T, urgency=True), "urgency"),
        (lambda: Void(time=T, urgency=2.0), "urgency"),  # type: ignore[arg-type]
        (lambda: Void(time=T, urgency=0, volume_ml=0), "volume_ml"),
        (lambda: Void(time=T, urgency=0, volume_ml=-100), "volume_ml"),
        (lambda: Void(time=T, urgency=0, volume_ml=float("nan")), "volume_ml"),
        (lambda: Void(time=T, urgency=0, volume_ml=float("inf")), "volume_ml"),
        (lambda: Void(time=T, urgency=0, volume_ml=2000.5), "volume_ml"),
        (lambda: Void(time=T, urgency=0, volume_ml="250"), "volume_ml"),  # type: ignore[arg-type]
        (lambda: Leak(time=T, amount="lots", trigger="cough"), "amount"),  # type: ignore[arg-type]
        (lambda: Leak(time=T, amount="small", trigger="jump"), "trigger"),  # type: ignore[arg-type]
        (lambda: Leak(time=T, amount="small", trigger="urge", urgency=7), "urgency"),
        (lambda: Drink(time=T, volume_ml=3001), "volume_ml"),
        (lambda: Drink(time=T, volume_ml=200, kind="tea\nwith milk"), "kind"),
        (lambda: Drink(time=T, volume_ml=200, kind="x" * 41), "kind"),
        (lambda: Bowel(time=T, bristol=0), "bristol"),
        (lambda: Bowel(time=T, bristol=8), "bristol"),
        (lambda: Bowel(time=T, bristol=4, straining="yes"), "straining"),  # type: ignore[arg-type]
        (lambda: Pad(time=T, note="x" * (NOTE_MAX_CHARS + 1)), "note"),
        (lambda: Bed(time=T, note=None), "note"),  # type: ignore[arg-type]
    ],
)
def test_bad_values_are_refused_naming_the_field(make: object, field: str) -> None:
    with pytest.raises(InputError) as info:
        make()  # type: ignore[operator]
    assert info.value.field == field
    assert field in str(info.value)


def test_good_values_are_kept_and_volumes_become_floats() -> None:
    void = Void(time=T, urgency=4, volume_ml=250)
    assert isinstance(void.volume_ml, float)
    assert void.volume_ml == 250.0
    assert Void(time=T, urgency=0).volume_ml is None
    assert Drink(time=T, volume_ml=None).volume_ml is None
    assert Bowel(time=T, bristol=1, manual=True, laxative=True).flags == ("manual", "laxative")


def test_entries_are_frozen() -> None:
    void = Void(time=T, urgency=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        void.urgency = 3  # type: ignore[misc]


def test_every_event_and_grade_has_labels_in_both_languages() -> None:
    assert set(EVENT_LABELS) == set(EVENT_NAMES)
    assert sorted(URGENCY_LEVELS) == [0, 1, 2, 3, 4]
    for nl, en in [*EVENT_LABELS.values(), *URGENCY_LEVELS.values()]:
        assert nl and en and nl != en


def test_order_puts_wake_first_and_bed_last_at_one_instant() -> None:
    wake, bed = Wake(time=T), Bed(time=T)
    void, drink = Void(time=T, urgency=0), Drink(time=T, volume_ml=100)
    earlier = Pad(time=T - timedelta(minutes=1))
    assert ordered([bed, void, drink, wake, earlier]) == [earlier, wake, void, drink, bed]


def test_order_uses_the_instant_not_the_wall_clock() -> None:
    a = Void(time=datetime(2025, 6, 2, 9, 0, tzinfo=timezone(timedelta(hours=2))), urgency=0)
    b = Void(time=datetime(2025, 6, 2, 8, 0, tzinfo=UTC), urgency=1)  # 10:00 at +02:00
    assert ordered([b, a]) == [a, b]


def test_order_refuses_things_that_are_not_entries() -> None:
    with pytest.raises(InputError, match="diary events"):
        ordered([Void(time=T, urgency=0), "void"])  # type: ignore[list-item]
