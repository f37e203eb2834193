"""Therapist-prescribed modalities: the electrostimulation screen, parameters, balloon, log."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pelvio.errors import ConflictError, InputError
from pelvio.training import (
    CONTRAINDICATIONS,
    BalloonProtocol,
    BalloonStep,
    ContraindicationError,
    ElectrostimulationParameters,
    ModalitySessionLog,
    ScreeningAnswers,
    assign_electrostimulation,
    screen_electrostimulation,
)

DAY = dt.date(2025, 5, 12)
ALL_NO = ScreeningAnswers(**dict.fromkeys(CONTRAINDICATIONS, False))
PARAMS = ElectrostimulationParameters(
    frequency_hz=35,
    pulse_width_us=250,
    on_time_s=5,
    off_time_s=10,
    duration_min=20,
    intensity_ma=18,
)

# clinical.md §2, from the Verity NeuroTrac patient FAQ: one row per contraindication.
TABLE = [
    ("pregnant", "zwangerschap", "pregnancy"),
    ("gave_birth_last_12_weeks", "12 weken na een bevalling", "12 weeks of giving birth"),
    ("pelvic_surgery_last_12_weeks", "12 weken na een operatie", "12 weeks of pelvic surgery"),
    ("pacemaker", "pacemaker", "pacemaker"),
    ("urinary_infection", "blaasontsteking", "urinary infection"),
    ("broken_skin", "beschadigde huid", "broken skin"),
    ("large_prolapse", "grote verzakking", "large prolapse"),
]


def test_the_table_covers_every_screening_item_of_clinical_md() -> None:
    assert {row[0] for row in TABLE} == set(CONTRAINDICATIONS)
    assert {f.name for f in dataclasses.fields(ScreeningAnswers)} == set(CONTRAINDICATIONS)


def test_all_answered_no_passes() -> None:
    result = screen_electrostimulation(ALL_NO, on=DAY)
    assert result.passed and result.findings == ()
    assert "NeuroTrac" in result.source and "§2" in result.source


@pytest.mark.parametrize(("item", "nl", "en"), TABLE)
def test_each_contraindication_fails_the_screen_with_its_reason(
    item: str, nl: str, en: str
) -> None:
    answers = dataclasses.replace(ALL_NO, **{item: True})
    result = screen_electrostimulation(answers, on=DAY)
    assert not result.passed
    [finding] = result.findings
    assert finding.item == item and finding.answer is True
    assert nl in finding.reason.nl.lower() and en in finding.reason.en.lower()
    with pytest.raises(ContraindicationError, match=item) as caught:
        assign_electrostimulation(PARAMS, answers, screened_on=DAY, assigned_on=DAY)
    assert [f.item for f in caught.value.findings] == [item]
    assert isinstance(caught.value, ConflictError)


@pytest.mark.parametrize("item", [row[0] for row in TABLE])
def test_an_unanswered_item_fails_too(item: str) -> None:
    answers = dataclasses.replace(ALL_NO, **{item: None})
    result = screen_electrostimulation(answers, on=DAY)
    assert not result.passed
    assert result.findings[0].answer is None
    assert "niet beantwoord" in result.findings[0].reason.nl
    with pytest.raises(ContraindicationError):
        assign_electrostimulation(PARAMS, answers, screened_on=DAY, assigned_on=DAY)


def test_an_empty_form_fails_on_every_item() -> None:
    result = screen_electrostimulation(ScreeningAnswers(), on=DAY)
    assert [f.item for f in result.findings] == list(CONTRAINDICATIONS)


def test_assignment_after_a_passed_recent_screen() -> None:
    assignment = assign_electrostimulation(
        PARAMS, ALL_NO, screened_on=DAY, assigned_on=DAY + dt.timedelta(days=30)
    )
    assert assignment.screening.passed and assignment.parameters == PARAMS


@pytest.mark.parametrize(
    ("offset_days", "message"), [(31, "days old"), (-1, "after the assignment")]
)
def test_a_stale_or_future_screen_blocks_assignment(offset_days: int, message: str) -> None:
    with pytest.raises(ContraindicationError, match=message):
        assign_electrostimulation(
            PARAMS, ALL_NO, screened_on=DAY, assigned_on=DAY + dt.timedelta(days=offset_days)
        )


def test_answers_must_be_booleans() -> None:
    with pytest.raises(InputError, match="pacemaker must be bool"):
        ScreeningAnswers(pacemaker="nee")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("frequency_hz", 350, r"frequency_hz must lie in \[1, 100\] Hz"),
        ("frequency_hz", 0, "frequency_hz must lie in"),
        ("pulse_width_us", 20, "pulse_width_us must lie in"),
        ("pulse_width_us", float("nan"), "pulse_width_us must be a finite number"),
        ("on_time_s", 0, "on_time_s must lie in"),
        ("off_time_s", -1, "off_time_s must lie in"),
        ("duration_min", 240, "duration_min must lie in"),
        ("intensity_ma", 150, "intensity_ma must lie in"),
        ("intensity_ma", "hoog", "intensity_ma must be a number"),
    ],
)
def test_implausible_stimulation_parameters_are_refused(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        dataclasses.replace(PARAMS, **{field: value})  # type: ignore[arg-type]


def test_intensity_may_be_left_to_the_patient() -> None:
    assert dataclasses.replace(PARAMS, intensity_ma=None).intensity_ma is None


def test_balloon_protocol() -> None:
    protocol = BalloonProtocol(
        volumes_ml=(150, 100, 60),
        steps=(
            BalloonStep("sense", 150),
            BalloonStep("sense", 100),
            BalloonStep("squeeze", 60, repetitions=5),
            BalloonStep("expel", 60, note="uitademen, niet hard persen"),
        ),
    )
    assert len(protocol.steps) == 4
    with pytest.raises(InputError, match="not one of volumes_ml"):
        BalloonProtocol((100,), (BalloonStep("sense", 50),))
    with pytest.raises(InputError, match="volumes_ml must list"):
        BalloonProtocol((), (BalloonStep("sense", 50),))
    with pytest.raises(InputError, match="volume_ml must lie in"):
        BalloonStep("sense", 900)
    with pytest.raises(InputError, match="volume_ml must lie in"):
        BalloonStep("sense", 0)
    with pytest.raises(InputError, match="action must be one of"):
        BalloonStep("inflate", 50)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="must not repeat"):
        BalloonProtocol((50, 50), (BalloonStep("sense", 50),))
    with pytest.raises(InputError, match="steps must list"):
        BalloonProtocol((50,), ())


@pytest.mark.parametrize(
    ("discomfort", "completed", "tolerance"),
    [
        (0, True, "good"),
        (3, True, "good"),
        (4, True, "moderate"),
        (6, True, "moderate"),
        (7, True, "poor"),
        (10, True, "poor"),
        (1, False, "poor"),
    ],
)
def test_session_log_tolerance_bands(discomfort: int, completed: bool, tolerance: str) -> None:
    """0-3 mild, 4-6 moderate, 7-10 severe (Serlin et al. 1995); stopping early is poor."""
    log = ModalitySessionLog(
        dt.datetime(2025, 5, 13, 19, tzinfo=dt.UTC), "electrostimulation", discomfort, completed
    )
    assert log.tolerance == tolerance
    assert (log.advice is not None) == (tolerance == "poor")


def test_session_log_refuses_bad_input() -> None:
    moment = dt.datetime(2025, 5, 13, 19, tzinfo=dt.UTC)
    with pytest.raises(InputError, match="discomfort_0_10 must lie in"):
        ModalitySessionLog(moment, "balloon", 11)
    with pytest.raises(InputError, match="modality must be one of"):
        ModalitySessionLog(moment, "tens", 2)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="notes must be at most 2000"):
        ModalitySessionLog(moment, "balloon", 2, notes="x" * 2001)
    with pytest.raises(InputError, match="performed_at must be time-zone aware"):
        ModalitySessionLog(dt.datetime(2025, 5, 13, 19), "balloon", 2)  # noqa: DTZ001
