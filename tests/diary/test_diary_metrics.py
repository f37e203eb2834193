"""ICS bladder diary metrics against the worked example of clinical.md §4 and hand-worked cases.

Oracle: Hashim et al., Neurourol Urodyn 2019;38:499 (ICS nocturia terminology) as summarised in
clinical.md §4, including its worked example (woman 70 y, 65 kg, bed 23:00, rise 07:00).
Expected values of the other cases are worked out by hand from those definitions in the
comments; tolerances are stated where a value is a rounded ratio.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.diary import (
    METRIC_KEYS,
    Bed,
    Drink,
    Event,
    Leak,
    NocturnalPolyuriaCutoffs,
    Pad,
    Void,
    Wake,
    diary_metrics,
)
from pelvio.errors import InputError

AMS = ZoneInfo("Europe/Amsterdam")
D1 = date(2025, 6, 2)


def at(day: date, hm: str, *, tz: ZoneInfo = AMS, fold: int = 0) -> datetime:
    hour, minute = (int(part) for part in hm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz, fold=fold)


def void(
    day: date,
    hm: str,
    volume_ml: float | None,
    urgency: int = 0,
    *,
    tz: ZoneInfo = AMS,
    fold: int = 0,
) -> Void:
    return Void(time=at(day, hm, tz=tz, fold=fold), volume_ml=volume_ml, urgency=urgency)


def morning(day: date, fmv_ml: float | None = 350, *, tz: ZoneInfo = AMS) -> list[Event]:
    """Waking at 07:00 and the first morning void at the same minute."""
    return [Wake(time=at(day, "07:00", tz=tz)), void(day, "07:00", fmv_ml, tz=tz)]


def example_day(day: date, *, tz: ZoneInfo = AMS) -> list[Event]:
    """The day and night of clinical.md §4 after the first morning void of ``day``.

    Our reading of the example: the 10:00 void has urgency graded 3 (severe, PPIUS), which makes
    it the one urgency episode; the "stress leak" at 16:00 is a leak entry (trigger cough, no
    urgency) beside the 150 ml void, which makes it the one incontinence episode. The drinks
    are spread over the day, all before bed, so all seven fall in the period.
    """
    night = day + timedelta(days=1)
    events: list[Event] = [
        void(day, "10:00", 200, urgency=3, tz=tz),
        void(day, "13:00", 250, tz=tz),
        void(day, "16:00", 150, tz=tz),
        Leak(time=at(day, "16:00", tz=tz), amount="small", trigger="cough"),
        void(day, "19:00", 200, tz=tz),
        void(day, "22:45", 150, tz=tz),
        Bed(time=at(day, "23:00", tz=tz)),
        void(night, "02:30", 250, tz=tz),
        void(night, "05:00", 200, tz=tz),
    ]
    for hm, volume in zip(
        ("07:30", "10:30", "12:30", "15:00", "17:30", "19:30", "21:00"),
        (250, 200, 300, 250, 300, 250, 350),
        strict=True,
    ):
        events.append(Drink(time=at(day, hm, tz=tz), volume_ml=volume, kind="water"))
    return events


def worked_example(fmv_day1_ml: float | None = 300) -> list[Event]:
    """clinical.md §4 as entries; the example does not give day 1's FMV, which ICS discards."""
    return [
        *morning(D1, fmv_day1_ml),
        *example_day(D1),
        *morning(D1 + timedelta(days=1), 350),
    ]


def codes(report: object) -> list[str]:
    return [w.code for w in report.warnings]  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmv_day1_ml", [100, 300, 350])
def test_worked_example_of_clinical_md_section_4(fmv_day1_ml: float) -> None:
    # Source: clinical.md §4 worked example. Whatever day 1's FMV was (up to the 350 ml MVV) it
    # is discarded from the 24-hour period.
    report = diary_metrics(worked_example(fmv_day1_ml), age_years=70, weight_kg=65)
    assert len(report.periods) == 1
    period = report.periods[0]
    assert period.complete
    assert period.duration_h == 24.0
    for m in (report.metrics, period.metrics):
        assert m.voided_volume_24h_ml == 1750
        assert m.nocturnal_urine_volume_ml == 800
        assert m.npi_pct == pytest.approx(45.7, abs=0.05)  # the example rounds to 0.1 %
        assert m.nocturnal_polyuria is not None
        assert m.nocturnal_polyuria.present
        assert m.nocturnal_polyuria.cutoff_pct == 33
        assert m.nocturnal_polyuria.age_band == "older"
        assert m.frequency_24h == 8
        assert m.daytime_frequency == 6
        assert m.nocturia == 2
        assert m.max_voided_volume_ml == 350
        assert m.mean_voided_volume_ml == 218.75
        assert m.ni == pytest.approx(2.286, abs=5e-4)  # rounded to 3 decimals in the example
        assert m.pnv == pytest.approx(1.286, abs=5e-4)
        assert m.nbci == pytest.approx(0.714, abs=5e-4)
        assert m.global_polyuria is not None
        assert not m.global_polyuria.present
        assert m.global_polyuria.threshold_ml == 2600
        assert m.fluid_intake_24h_ml == 1900
        assert m.incontinence_episodes_24h == 1
        assert m.urgency_episodes_24h == 1
    assert report.warnings == ()


def test_as_dict_has_exactly_the_issue_keys() -> None:
    data = diary_metrics(worked_example(), age_years=70, weight_kg=65).as_dict()
    assert list(data) == [*METRIC_KEYS, "periods", "warnings"]
    assert list(METRIC_KEYS) == [
        "voided_volume_24h_ml",
        "nocturnal_urine_volume_ml",
        "npi_pct",
        "nocturnal_polyuria",
        "daytime_frequency",
        "nocturia",
        "frequency_24h",
        "max_voided_volume_ml",
        "mean_voided_volume_ml",
        "fluid_intake_24h_ml",
        "incontinence_episodes_24h",
        "urgency_episodes_24h",
        "global_polyuria",
        "ni",
        "pnv",
        "nbci",
    ]
    assert list(data["periods"][0]) == ["start", "end", "complete", "duration_h", *METRIC_KEYS]
    assert set(data["nocturnal_polyuria"]) == {"present", "cutoff_pct", "age_band", "reason"}
    assert set(data["global_polyuria"]) == {"present", "threshold_ml", "reason"}


def three_day_diary(tz: ZoneInfo, d1: date) -> list[Event]:
    """Day 1 as the worked example; day 2 adds a 300 ml void at 15:00 and a 400 ml drink; day 3
    has its FMV and a morning with one more void (an incomplete last period)."""
    d2, d3 = d1 + timedelta(days=1), d1 + timedelta(days=2)
    return [
        *morning(d1, 300, tz=tz),
        *example_day(d1, tz=tz),
        *morning(d2, 350, tz=tz),
        *example_day(d2, tz=tz),
        void(d2, "15:00", 300, tz=tz),
        Drink(time=at(d2, "15:05", tz=tz), volume_ml=400, kind="water"),
        *morning(d3, 350, tz=tz),
        void(d3, "10:00", 250, tz=tz),
    ]


def test_three_day_diary_gives_two_complete_periods_and_their_mean() -> None:
    report = diary_metrics(three_day_diary(AMS, D1), age_years=70, weight_kg=65)
    assert [p.complete for p in report.periods] == [True, True, False]
    first, second, last = (p.metrics for p in report.periods)
    # Period 2 by hand: 1750 + 300 = 2050 ml in 9 voids, NUV unchanged at 800 ml.
    assert second.voided_volume_24h_ml == 2050
    assert second.frequency_24h == 9
    assert second.daytime_frequency == 7
    assert second.fluid_intake_24h_ml == 2300
    assert second.npi_pct == pytest.approx(100 * 800 / 2050)
    mean = report.metrics
    assert mean.voided_volume_24h_ml == 1900
    assert mean.frequency_24h == 8.5
    assert mean.daytime_frequency == 6.5
    assert mean.nocturia == 2
    assert mean.fluid_intake_24h_ml == 2100
    assert mean.npi_pct == pytest.approx((100 * 800 / 1750 + 100 * 800 / 2050) / 2)
    assert mean.mean_voided_volume_ml == pytest.approx((1750 / 8 + 2050 / 9) / 2)
    assert mean.ni == pytest.approx(800 / 350)
    # The last, incomplete period shows what was recorded, night values and judgements empty.
    assert last.frequency_24h == 1
    assert last.voided_volume_24h_ml == 250
    assert last.nocturia is None
    assert last.npi_pct is None
    assert last.nocturnal_polyuria is None
    assert last.global_polyuria is None
    assert "incomplete_period" in codes(report)
    assert report.periods[2].number == 3
    assert first.voided_volume_24h_ml == 1750


@pytest.mark.parametrize(
    ("d1", "hours"),
    [
        # Europe/Amsterdam springs forward in the night to the last Sunday of March ...
        (date(2025, 3, 29), 23.0),
        # ... and falls back in the night to the last Sunday of October.
        (date(2025, 10, 25), 25.0),
    ],
)
def test_clock_change_night_gives_a_23_or_25_hour_period(d1: date, hours: float) -> None:
    events = three_day_diary(AMS, d1)
    # 02:30 does not exist on 30 March; move that night void to 01:30 on both dates.
    events = [
        dataclasses.replace(e, time=at(d1 + timedelta(days=1), "01:30"))
        if isinstance(e, Void) and e.time == at(d1 + timedelta(days=1), "02:30")
        else e
        for e in events
    ]
    report = diary_metrics(events, age_years=70, weight_kg=65)
    first, second = report.periods[0], report.periods[1]
    assert first.complete and second.complete
    assert first.duration_h == hours
    assert second.duration_h == 24.0
    # FMV to FMV on the wall clock: the metrics are those of the ordinary day, not rescaled.
    assert first.metrics.voided_volume_24h_ml == 1750
    assert first.metrics.nocturnal_urine_volume_ml == 800
    assert first.metrics.nocturia == 2
    assert first.metrics.fluid_intake_24h_ml == 1900
    clock = [w for w in report.warnings if w.code == "clock_change"]
    assert [w.period for w in clock] == [1]
    assert f"{hours:g} hours" in clock[0].en
    assert f"{hours:g} uur" in clock[0].nl


def test_repeated_hour_in_october_keeps_two_voids_apart() -> None:
    # 26 October 2025, 02:30 happens twice in Amsterdam (fold 0 at +02:00, fold 1 at +01:00):
    # two voids an hour apart, not one entered twice.
    d1 = date(2025, 10, 25)
    night = d1 + timedelta(days=1)
    events = [
        *morning(d1, 300),
        *[e for e in example_day(d1) if not (isinstance(e, Void) and e.time.day == 26)],
        void(night, "02:30", 250, fold=0),
        void(night, "02:30", 200, fold=1),
        *morning(night, 350),
    ]
    report = diary_metrics(events, age_years=70)
    period = report.periods[0]
    assert period.metrics.nocturia == 2
    assert period.metrics.nocturnal_urine_volume_ml == 800
    assert "duplicate_event" not in codes(report)
    assert "same_time_different_values" not in codes(report)


def test_bedtime_after_midnight() -> None:
    # Bed at 00:30: voids at 23:50 and 00:10 are daytime voids (the second is the last void
    # before sleep and not part of the NUV); the void at 04:00 is the only nocturnal one.
    d2 = D1 + timedelta(days=1)
    events = [
        *morning(D1, 300),
        void(D1, "12:00", 300),
        void(D1, "23:50", 200),
        void(d2, "00:10", 100),
        Bed(time=at(d2, "00:30")),
        void(d2, "04:00", 250),
        *morning(d2, 400),
    ]
    m = diary_metrics(events).periods[0].metrics
    assert m.frequency_24h == 5
    assert m.nocturia == 1
    assert m.daytime_frequency == 4
    assert m.nocturnal_urine_volume_ml == 650
    assert m.voided_volume_24h_ml == 1250
    assert m.npi_pct == pytest.approx(52.0)


def test_voids_at_bed_and_wake_times_follow_the_ics_rules_whatever_the_entry_order() -> None:
    # A void entered at the bed time is the last before sleep; one at the wake time is the FMV.
    d2 = D1 + timedelta(days=1)
    events: list[Event] = [
        void(D1, "07:00", 300),
        Wake(time=at(D1, "07:00")),
        void(D1, "23:00", 150),
        Bed(time=at(D1, "23:00")),
        void(d2, "03:00", 200),
        void(d2, "07:00", 350),
        Wake(time=at(d2, "07:00")),
    ]
    report = diary_metrics(list(reversed(events)))
    m = report.periods[0].metrics
    assert report.periods[0].complete
    assert (m.frequency_24h, m.daytime_frequency, m.nocturia) == (3, 2, 1)
    assert m.nocturnal_urine_volume_ml == 550


def test_double_entered_event_is_counted_once_with_a_warning() -> None:
    events = worked_example()
    twice = dataclasses.replace(events[3], note="entered again")  # the 10:00 void
    drink_twice = next(e for e in events if isinstance(e, Drink))
    report = diary_metrics([*events, twice, drink_twice], age_years=70, weight_kg=65)
    m = report.metrics
    assert m.frequency_24h == 8
    assert m.voided_volume_24h_ml == 1750
    assert m.fluid_intake_24h_ml == 1900
    assert m.urgency_episodes_24h == 1
    assert codes(report).count("duplicate_event") == 2


def test_same_time_different_values_are_both_counted_with_a_warning() -> None:
    events = [*worked_example(), void(D1, "13:00", 100)]
    report = diary_metrics(events, age_years=70)
    assert report.metrics.frequency_24h == 9
    assert report.metrics.voided_volume_24h_ml == 1850
    assert codes(report).count("same_time_different_values") == 1


def test_missing_daytime_volume_blocks_only_the_values_that_need_it() -> None:
    events = [
        void(D1, "13:00", None) if isinstance(e, Void) and e.time == at(D1, "13:00") else e
        for e in worked_example()
    ]
    report = diary_metrics(events, age_years=70, weight_kg=65)
    m = report.periods[0].metrics
    assert m.voided_volume_24h_ml is None
    assert m.npi_pct is None
    assert m.nocturnal_polyuria is None
    assert m.mean_voided_volume_ml is None
    assert m.global_polyuria is None
    # The night is fully measured, so NUV and the capacity indices still stand.
    assert m.nocturnal_urine_volume_ml == 800
    assert m.ni == pytest.approx(800 / 350)
    assert m.frequency_24h == 8
    missing = [w for w in report.warnings if w.code == "missing_void_volume"]
    assert len(missing) == 1
    assert missing[0].period == 1
    assert "1 of 8 voids" in missing[0].en
    assert "left out of those means" in missing[0].en
    assert report.metrics.voided_volume_24h_ml is None


def test_missing_night_volume_blocks_nuv_and_the_indices() -> None:
    events = [
        void(D1 + timedelta(days=1), "02:30", None)
        if isinstance(e, Void) and e.time == at(D1 + timedelta(days=1), "02:30")
        else e
        for e in worked_example()
    ]
    m = diary_metrics(events, age_years=70).periods[0].metrics
    assert m.nocturnal_urine_volume_ml is None
    assert (m.ni, m.pnv, m.nbci) == (None, None, None)
    assert m.nocturia == 2


def test_mean_uses_the_complete_periods_that_have_the_value() -> None:
    events = three_day_diary(AMS, D1)
    events = [
        void(D1, "13:00", None) if isinstance(e, Void) and e.time == at(D1, "13:00") else e
        for e in events
    ]
    report = diary_metrics(events)
    assert report.periods[0].metrics.voided_volume_24h_ml is None
    assert report.metrics.voided_volume_24h_ml == 2050  # period 2 alone
    assert report.metrics.frequency_24h == 8.5  # both periods


def test_unknown_drink_volume_blocks_fluid_intake() -> None:
    events = [*worked_example(), Drink(time=at(D1, "14:00"), volume_ml=None)]
    report = diary_metrics(events)
    assert report.metrics.fluid_intake_24h_ml is None
    assert "missing_drink_volume" in codes(report)


def test_max_voided_volume_is_over_the_whole_diary_even_an_unmeasured_one() -> None:
    events = [*worked_example(fmv_day1_ml=500), void(D1, "20:00", None)]
    report = diary_metrics(events)
    assert report.metrics.max_voided_volume_ml == 500
    assert report.periods[0].metrics.max_voided_volume_ml == 500
    assert "max_volume_of_measured" in codes(report)


def test_diary_ending_before_the_next_fmv_has_no_complete_period() -> None:
    events = worked_example()[:-1]  # the closing FMV is missing
    report = diary_metrics(events, age_years=70)
    assert [p.complete for p in report.periods] == [False]
    assert report.metrics.voided_volume_24h_ml is None
    assert report.metrics.max_voided_volume_ml == 300  # day 1's FMV; the 350 ml one is gone
    assert {"incomplete_period", "no_first_morning_void", "no_complete_period"} <= set(
        codes(report)
    )


def test_diary_without_wake_forms_one_incomplete_period() -> None:
    events = [e for e in worked_example() if not isinstance(e, Wake)]
    report = diary_metrics(events)
    assert len(report.periods) == 1
    assert not report.periods[0].complete
    assert report.periods[0].metrics.frequency_24h == 9
    assert report.periods[0].metrics.nocturia is None
    assert "no_wake" in codes(report)


def test_diary_starting_in_the_night_gives_a_leading_period_with_its_night() -> None:
    d0 = D1 - timedelta(days=1)
    events = [
        Bed(time=at(d0, "23:00")),
        void(D1, "03:00", 300),
        *worked_example(),
    ]
    report = diary_metrics(events, age_years=70)
    lead, full = report.periods
    assert not lead.complete and full.complete
    assert lead.metrics.nocturia == 1
    assert lead.metrics.nocturnal_urine_volume_ml == 600
    assert lead.metrics.npi_pct is None  # no whole 24 hours
    assert report.metrics.voided_volume_24h_ml == 1750


def test_a_wake_without_void_merges_two_days_into_one_incomplete_period() -> None:
    d2, d3 = D1 + timedelta(days=1), D1 + timedelta(days=2)
    events = [
        *morning(D1, 300),
        void(D1, "12:00", 300),
        Bed(time=at(D1, "23:00")),
        Wake(time=at(d2, "07:00")),  # no void recorded that whole day
        Bed(time=at(d2, "23:00")),
        Wake(time=at(d3, "07:00")),
        void(d3, "07:00", 350),
    ]
    report = diary_metrics(events)
    assert len(report.periods) == 1
    assert not report.periods[0].complete
    assert report.periods[0].duration_h == 48.0
    assert "no_first_morning_void" in codes(report)
    assert "2 whole night(s)" in next(
        w.en for w in report.warnings if w.code == "incomplete_period"
    )


@pytest.mark.parametrize(
    ("age", "cutoff", "band", "present"),
    [
        (70, 33, "older", True),
        (65, 33, "older", True),
        (30, 20, "young", True),
        (50, 33, "middle", True),
    ],
)
def test_nocturnal_polyuria_cutoff_by_age(
    age: float, cutoff: float, band: str, present: bool
) -> None:
    np_ = diary_metrics(worked_example(), age_years=age).metrics.nocturnal_polyuria
    assert np_ is not None
    assert (np_.cutoff_pct, np_.age_band, np_.present) == (cutoff, band, present)
    assert str(cutoff) in np_.reason_en and str(cutoff) in np_.reason_nl


def test_middle_band_cutoff_is_configurable_and_stated() -> None:
    rules = NocturnalPolyuriaCutoffs(middle_cutoff_pct=50.0, young_below_age_years=40)
    np_ = diary_metrics(worked_example(), age_years=45, cutoffs=rules).metrics.nocturnal_polyuria
    assert np_ is not None
    assert not np_.present  # 45.7 % is under the configured 50 %
    assert np_.age_band == "middle"
    assert "between 40 and 65" in np_.reason_en


def test_without_age_or_weight_the_judgements_are_null_and_said() -> None:
    report = diary_metrics(worked_example())
    assert report.metrics.nocturnal_polyuria is None
    assert report.metrics.global_polyuria is None
    assert report.metrics.npi_pct == pytest.approx(45.714, abs=1e-3)
    assert {"age_unknown", "weight_unknown"} <= set(codes(report))


def test_global_polyuria_above_40_ml_per_kg() -> None:
    gp = diary_metrics(worked_example(), weight_kg=40).metrics.global_polyuria
    assert gp is not None
    assert gp.threshold_ml == 1600
    assert gp.present  # 1750 > 1600


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"age_years": 17}, "age_years"),
        ({"age_years": float("nan")}, "age_years"),
        ({"weight_kg": 0}, "weight_kg"),
        ({"weight_kg": "65"}, "weight_kg"),
    ],
)
def test_bad_age_or_weight_is_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        diary_metrics(worked_example(), **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_empty_diary_has_a_defined_answer() -> None:
    report = diary_metrics([])
    assert report.periods == ()
    assert all(v is None for v in report.metrics.as_dict().values())
    assert "no_events" in codes(report)


def test_diary_with_only_sleep_and_pads_has_no_periods() -> None:
    events: list[Event] = [
        Bed(time=at(D1, "23:00")),
        Pad(time=at(D1, "23:30")),
        Wake(time=at(D1, "23:59")),
    ]
    report = diary_metrics(events)
    assert report.periods == ()
    assert "no_events" in codes(report)


def test_a_lone_void_is_one_incomplete_period() -> None:
    report = diary_metrics([void(D1, "12:00", 250)])
    (period,) = report.periods
    assert not period.complete
    assert period.duration_h == 0.0
    assert period.metrics.frequency_24h == 1


def test_non_events_are_refused() -> None:
    with pytest.raises(InputError, match="diary events"):
        diary_metrics([("2025-06-02T07:00", "void")])  # type: ignore[list-item]


def test_warning_texts_exist_in_both_languages() -> None:
    events = [
        *worked_example()[:-1],
        void(D1, "20:00", None),
        Drink(time=at(D1, "20:00"), volume_ml=None),
    ]
    report = diary_metrics(events)
    assert report.warnings
    for warning in report.warnings:
        assert warning.nl and warning.en and warning.nl != warning.en


def test_urgency_and_incontinence_follow_the_issue_definitions() -> None:
    d2 = D1 + timedelta(days=1)
    events = [
        *morning(D1, 300),
        void(D1, "09:00", 200, urgency=4),  # urgency episode; no leak entered: warned
        void(D1, "10:00", 200, urgency=2),  # moderate: not an urgency episode
        Leak(time=at(D1, "11:00"), amount="drops", trigger="urge"),  # no grade: warned
        Leak(time=at(D1, "12:00"), amount="large", trigger="urge", urgency=3),
        Leak(time=at(D1, "13:00"), amount="moderate", trigger="sneeze", urgency=0),
        Bed(time=at(D1, "23:00")),
        *morning(d2, 300),
    ]
    report = diary_metrics(events)
    m = report.metrics
    assert m.incontinence_episodes_24h == 3
    assert m.urgency_episodes_24h == 2
    assert {"urge_incontinence_without_leak", "urge_leak_without_grade"} <= set(codes(report))


def test_large_void_is_flagged_and_over_2000_ml_refused() -> None:
    report = diary_metrics([*worked_example(), void(D1, "14:00", 1200)])
    assert "large_void" in codes(report)
    with pytest.raises(InputError, match="at most 2000 ml"):
        void(D1, "14:00", 2500)


@settings(deadline=None, max_examples=30)
@given(st.permutations(worked_example()))
def test_entry_order_does_not_matter(events: list[Event]) -> None:
    reference = diary_metrics(worked_example(), age_years=70, weight_kg=65)
    assert diary_metrics(events, age_years=70, weight_kg=65) == reference


@settings(deadline=None, max_examples=30)
@given(st.integers(min_value=0, max_value=len(worked_example()) - 1))
def test_entering_any_event_twice_changes_no_metric(index: int) -> None:
    events = worked_example()
    report = diary_metrics([*events, events[index]], age_years=70, weight_kg=65)
    reference = diary_metrics(events, age_years=70, weight_kg=65)
    assert report.metrics == reference.metrics
    assert report.periods == reference.periods
    assert codes(report) == ["duplicate_event"]


@settings(deadline=None, max_examples=30)
@given(
    st.sampled_from([UTC, timezone(timedelta(hours=-5)), ZoneInfo("Asia/Tokyo")]),
    st.integers(min_value=-400, max_value=400),
)
def test_time_zone_and_a_shift_of_days_change_no_metric(tz: object, shift_days: int) -> None:
    moved = [
        dataclasses.replace(e, time=(e.time + timedelta(days=shift_days)).astimezone(tz))  # type: ignore[arg-type]
        for e in worked_example()
    ]
    reference = diary_metrics(worked_example(), age_years=70)
    report = diary_metrics(moved, age_years=70)
    assert report.metrics == reference.metrics


@settings(deadline=None, max_examples=30)
@given(st.sampled_from([0.5, 2.0, 3.0]))
def test_scaling_every_volume_scales_volumes_and_keeps_ratios(factor: float) -> None:
    scaled = [
        dataclasses.replace(e, volume_ml=e.volume_ml * factor)
        if isinstance(e, Void) and e.volume_ml is not None
        else e
        for e in worked_example()
    ]
    a = diary_metrics(worked_example()).metrics
    b = diary_metrics(scaled).metrics
    assert b.voided_volume_24h_ml == pytest.approx(a.voided_volume_24h_ml * factor)  # type: ignore[operator]
    assert b.nocturnal_urine_volume_ml == pytest.approx(a.nocturnal_urine_volume_ml * factor)  # type: ignore[operator]
    assert b.npi_pct == pytest.approx(a.npi_pct)
    assert b.ni == pytest.approx(a.ni)
    assert b.nbci == pytest.approx(a.nbci)
