"""Therapist-prescribed modalities: electrostimulation and rectal balloon training.

Pelvio does not drive a stimulator or a balloon. A pelvic physiotherapist prescribes them
(leaflets 000 and 003 name both as tools of the physiotherapist); Pelvio stores the
prescription, screens for contraindications before electrostimulation can be assigned, and lets
the patient log each session with how well it was tolerated.

The contraindication list is the one device makers commonly give (clinical.md §2, Verity
NeuroTrac patient FAQ): pregnancy, within 12 weeks of giving birth or of pelvic surgery, a
pacemaker, a urinary infection, broken skin, a large prolapse. Every item must be answered;
an unanswered item fails the screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Final, Literal, get_args

from pelvio._check import check_int, check_option, check_range, check_type
from pelvio.errors import ConflictError, InputError
from pelvio.training._dates import check_aware, check_date
from pelvio.training.model import Text

__all__ = [
    "CONTRAINDICATIONS",
    "MAX_SCREENING_AGE_DAYS",
    "SCREENING_SOURCE",
    "BalloonAction",
    "BalloonProtocol",
    "BalloonStep",
    "ContraindicationError",
    "ElectrostimulationAssignment",
    "ElectrostimulationParameters",
    "ModalityKind",
    "ModalitySessionLog",
    "ScreeningAnswers",
    "ScreeningFinding",
    "ScreeningResult",
    "Tolerance",
    "assign_electrostimulation",
    "screen_electrostimulation",
]

SCREENING_SOURCE: Final = "Verity NeuroTrac patient FAQ; clinical.md §2"
MAX_SCREENING_AGE_DAYS: Final = 30
"""Our choice: pregnancy or an infection can start at any time, so a screening older than this
does not count for a new assignment."""

ModalityKind = Literal["electrostimulation", "balloon"]
BalloonAction = Literal["sense", "squeeze", "relax", "expel"]
Tolerance = Literal["good", "moderate", "poor"]


# --- electrostimulation -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ElectrostimulationParameters:
    """Stimulation settings as the therapist prescribes them.

    The limits are plausibility checks wide around what home pelvic floor stimulators offer;
    they catch a typing error (350 Hz for 35 Hz), they do not judge a clinical choice.

    Parameters
    ----------
    frequency_hz
        Pulse frequency, 1 to 100 Hz.
    pulse_width_us
        Pulse width, 50 to 1000 µs.
    on_time_s, off_time_s
        Stimulation on, 1 to 60 s, and off, 0 to 120 s (0: continuous).
    duration_min
        Length of one session, 1 to 90 minutes.
    intensity_ma
        The current the therapist noted, 0 to 100 mA; None if set by the patient to comfort.
    """

    frequency_hz: float
    pulse_width_us: float
    on_time_s: float
    off_time_s: float
    duration_min: float
    intensity_ma: float | None = None

    def __post_init__(self) -> None:
        check_range("frequency_hz", self.frequency_hz, low=1, high=100, unit="Hz")
        check_range("pulse_width_us", self.pulse_width_us, low=50, high=1000, unit="µs")
        check_range("on_time_s", self.on_time_s, low=1, high=60, unit="s")
        check_range("off_time_s", self.off_time_s, low=0, high=120, unit="s")
        check_range("duration_min", self.duration_min, low=1, high=90, unit="min")
        if self.intensity_ma is not None:
            check_range("intensity_ma", self.intensity_ma, low=0, high=100, unit="mA")


@dataclass(frozen=True, slots=True)
class ScreeningAnswers:
    """Answers to the electrostimulation contraindication questions; None = not answered."""

    pregnant: bool | None = None
    gave_birth_last_12_weeks: bool | None = None
    pelvic_surgery_last_12_weeks: bool | None = None
    pacemaker: bool | None = None
    urinary_infection: bool | None = None
    broken_skin: bool | None = None
    large_prolapse: bool | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value is not None:
                check_type(item.name, value, bool)


@dataclass(frozen=True, slots=True)
class _Contraindication:
    question: Text
    reason: Text


CONTRAINDICATIONS: Final[dict[str, _Contraindication]] = {
    "pregnant": _Contraindication(
        Text("Ben je zwanger?", "Are you pregnant?"),
        Text("Niet bij zwangerschap.", "Not during pregnancy."),
    ),
    "gave_birth_last_12_weeks": _Contraindication(
        Text("Ben je in de laatste 12 weken bevallen?", "Did you give birth in the last 12 weeks?"),
        Text("Niet binnen 12 weken na een bevalling.", "Not within 12 weeks of giving birth."),
    ),
    "pelvic_surgery_last_12_weeks": _Contraindication(
        Text(
            "Ben je in de laatste 12 weken geopereerd aan buik of bekken?",
            "Did you have surgery to the belly or pelvis in the last 12 weeks?",
        ),
        Text(
            "Niet binnen 12 weken na een operatie aan het bekken.",
            "Not within 12 weeks of pelvic surgery.",
        ),
    ),
    "pacemaker": _Contraindication(
        Text("Heb je een pacemaker?", "Do you have a pacemaker?"),
        Text("Niet met een pacemaker.", "Not with a pacemaker."),
    ),
    "urinary_infection": _Contraindication(
        Text("Heb je nu een blaasontsteking?", "Do you have a urinary infection now?"),
        Text("Niet tijdens een blaasontsteking.", "Not during a urinary infection."),
    ),
    "broken_skin": _Contraindication(
        Text(
            "Is de huid waar de elektrode komt beschadigd of open?",
            "Is the skin where the electrode goes damaged or open?",
        ),
        Text("Niet op beschadigde huid.", "Not on broken skin."),
    ),
    "large_prolapse": _Contraindication(
        Text("Heb je een grote verzakking?", "Do you have a large prolapse?"),
        Text("Niet bij een grote verzakking.", "Not with a large prolapse."),
    ),
}
"""Every screening item by the name of its field in :class:`ScreeningAnswers`."""


@dataclass(frozen=True, slots=True)
class ScreeningFinding:
    """One item that fails the screen: answered yes, or not answered."""

    item: str
    answer: bool | None
    reason: Text


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The outcome of :func:`screen_electrostimulation`."""

    passed: bool
    findings: tuple[ScreeningFinding, ...]
    screened_on: dt.date
    source: str = SCREENING_SOURCE


_NOT_ANSWERED: Final = Text("Deze vraag is niet beantwoord.", "This question was not answered.")


def screen_electrostimulation(answers: ScreeningAnswers, *, on: dt.date) -> ScreeningResult:
    """Screen for the contraindications of electrostimulation (clinical.md §2).

    Passes only if every item was answered "no". Each item answered "yes" or left open is a
    finding with its reason in Dutch and English.
    """
    check_type("answers", answers, ScreeningAnswers)
    check_date("on", on)
    findings = []
    for item, contraindication in CONTRAINDICATIONS.items():
        answer = getattr(answers, item)
        if answer is None:
            reason = Text(
                f"{contraindication.question.nl} {_NOT_ANSWERED.nl}",
                f"{contraindication.question.en} {_NOT_ANSWERED.en}",
            )
            findings.append(ScreeningFinding(item, None, reason))
        elif answer:
            findings.append(ScreeningFinding(item, True, contraindication.reason))
    return ScreeningResult(not findings, tuple(findings), on)


class ContraindicationError(ConflictError):
    """Electrostimulation cannot be assigned: the screen failed or is missing or stale."""

    def __init__(self, message: str, findings: tuple[ScreeningFinding, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings


@dataclass(frozen=True, slots=True)
class ElectrostimulationAssignment:
    """An electrostimulation programme assigned after a passed screen."""

    parameters: ElectrostimulationParameters
    screening: ScreeningResult
    assigned_on: dt.date


def assign_electrostimulation(
    parameters: ElectrostimulationParameters,
    answers: ScreeningAnswers,
    *,
    screened_on: dt.date,
    assigned_on: dt.date,
) -> ElectrostimulationAssignment:
    """Assign electrostimulation, but only after the contraindication screen passes.

    The screen is run here, on the answers, so no caller can skip it.

    Raises
    ------
    ContraindicationError
        If any item is answered yes or left open (the message lists them in English; the
        Dutch and English reasons are in ``findings``), or if the screening is dated after the
        assignment or more than :data:`MAX_SCREENING_AGE_DAYS` days before it.
    """
    check_type("parameters", parameters, ElectrostimulationParameters)
    check_date("screened_on", screened_on)
    check_date("assigned_on", assigned_on)
    age_days = (assigned_on - screened_on).days
    if age_days < 0:
        raise ContraindicationError("the screening is dated after the assignment")
    if age_days > MAX_SCREENING_AGE_DAYS:
        raise ContraindicationError(
            f"the screening is {age_days} days old; repeat it (at most "
            f"{MAX_SCREENING_AGE_DAYS} days)"
        )
    result = screen_electrostimulation(answers, on=screened_on)
    if not result.passed:
        listed = "; ".join(f"{f.item}: {f.reason.en}" for f in result.findings)
        raise ContraindicationError(
            f"electrostimulation cannot be assigned: {listed}", result.findings
        )
    return ElectrostimulationAssignment(parameters, result, assigned_on)


# --- rectal balloon training --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BalloonStep:
    """One step of balloon training at one volume.

    ``sense``: notice when the filled balloon is first felt; ``squeeze``: hold it in;
    ``relax``: let the floor go with the balloon in place; ``expel``: push it out gently while
    breathing out (leaflet 003 describes emptying without hard straining).
    """

    action: BalloonAction
    volume_ml: float
    repetitions: int = 1
    note: str = ""

    def __post_init__(self) -> None:
        check_option("action", self.action, get_args(BalloonAction))
        check_range("volume_ml", self.volume_ml, low=0, low_inclusive=False, high=500, unit="ml")
        check_int("repetitions", self.repetitions, low=1, high=50)
        check_type("note", self.note, str)
        if len(self.note) > 500:
            raise InputError("note must be at most 500 characters", field="note")


@dataclass(frozen=True, slots=True)
class BalloonProtocol:
    """Balloon training as the therapist prescribes it: the volumes and the steps.

    Volumes are positive and at most 500 ml (a plausibility limit); every step uses one of the
    listed volumes.
    """

    volumes_ml: tuple[float, ...]
    steps: tuple[BalloonStep, ...]

    def __post_init__(self) -> None:
        if not self.volumes_ml:
            raise InputError("volumes_ml must list at least one volume", field="volumes_ml")
        for volume in self.volumes_ml:
            check_range("volumes_ml", volume, low=0, low_inclusive=False, high=500, unit="ml")
        if len(set(self.volumes_ml)) != len(self.volumes_ml):
            raise InputError("volumes_ml must not repeat a volume", field="volumes_ml")
        if not self.steps:
            raise InputError("steps must list at least one step", field="steps")
        for step in self.steps:
            check_type("steps", step, BalloonStep)
            if step.volume_ml not in self.volumes_ml:
                raise InputError(
                    f"step volume {step.volume_ml:g} ml is not one of volumes_ml", field="steps"
                )


# --- the patient's log --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModalitySessionLog:
    """The patient's note of one electrostimulation or balloon session.

    Parameters
    ----------
    performed_at
        When, time-zone aware.
    modality
        ``electrostimulation`` or ``balloon``.
    discomfort_0_10
        Discomfort on a 0-10 numeric rating scale (0 none, 10 the worst imaginable).
    completed
        False if the session was stopped early.
    notes
        Free text, at most 2000 characters.
    """

    performed_at: dt.datetime
    modality: ModalityKind
    discomfort_0_10: int
    completed: bool = True
    notes: str = ""

    def __post_init__(self) -> None:
        check_aware("performed_at", self.performed_at)
        check_option("modality", self.modality, get_args(ModalityKind))
        check_int("discomfort_0_10", self.discomfort_0_10, low=0, high=10)
        check_type("completed", self.completed, bool)
        check_type("notes", self.notes, str)
        if len(self.notes) > 2000:
            raise InputError("notes must be at most 2000 characters", field="notes")

    @property
    def tolerance(self) -> Tolerance:
        """``good`` (0-3), ``moderate`` (4-6) or ``poor`` (7-10, or stopped early).

        The bands are the usual mild/moderate/severe cut-points of a 0-10 rating scale
        (Serlin et al., Pain 1995;61:277).
        """
        if not self.completed or self.discomfort_0_10 >= 7:
            return "poor"
        return "good" if self.discomfort_0_10 <= 3 else "moderate"

    @property
    def advice(self) -> Text | None:
        """A prompt to contact the therapist when the session was poorly tolerated."""
        if self.tolerance != "poor":
            return None
        return Text(
            "Dit ging niet goed. Stop met deze oefening tot je je bekkenfysiotherapeut hebt "
            "gesproken.",
            "This did not go well. Stop this exercise until you have spoken to your pelvic "
            "physiotherapist.",
        )
