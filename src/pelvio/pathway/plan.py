"""From intake answers to a classification and a plan.

:func:`classify` runs the safety and classification tables of :mod:`pelvio.pathway.rules`;
:func:`build_plan` adds the programmes, the advice, the check-in schedule (baseline, 2 weeks,
6 weeks, 3 months, each with a 3-day diary before it; leaflet 001) and the daily reminders
(morning, afternoon, evening; leaflet 001).

A red flag puts the plan on hold: no programmes, no schedule, no reminders, only the advice to
seek care now (leaflet 004). The classification is still returned, for the GP.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pelvio._check import check_type
from pelvio.errors import InputError
from pelvio.pathway.intake import IntakeAnswers, LifePhase
from pelvio.pathway.rules import (
    ADVICE_RULES,
    CLASSIFICATION_RULES,
    CONDITIONS,
    PROGRAMME_RULES,
    SAFETY_RULES,
    SLOTS,
    AdviceKind,
    AdviceRule,
    ConditionId,
    Facts,
    ProgrammeId,
    Slot,
    describe,
)
from pelvio.pathway.sources import Source, Text

__all__ = [
    "CHECKIN_POINTS",
    "DEFAULT_REMINDER_TIMES",
    "Advice",
    "CheckinPoint",
    "CheckinPointId",
    "Classification",
    "DiaryKind",
    "Finding",
    "Plan",
    "PlanStatus",
    "PlannedProgramme",
    "Reminder",
    "RuleHit",
    "add_months",
    "build_plan",
    "classify",
]

CheckinPointId = Literal["baseline", "2w", "6w", "3m"]
CHECKIN_POINTS: tuple[CheckinPointId, ...] = ("baseline", "2w", "6w", "3m")
DiaryKind = Literal["bladder", "bowel"]
PlanStatus = Literal["ready", "seek-care-first"]

DIARY_DAYS = 3
DEFAULT_REMINDER_TIMES: tuple[dt.time, ...] = (dt.time(8, 0), dt.time(13, 0), dt.time(20, 0))
MAX_REMINDERS = 6


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that fired: why, on which answers, and from which source."""

    rule_id: str
    reason: Text
    evidence: tuple[Text, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A classification conclusion with its title and the rule behind it."""

    condition: ConditionId
    title: Text
    hit: RuleHit


@dataclass(frozen=True, slots=True)
class Advice:
    """A piece of advice; ``due`` is the first day it applies (``None``: now)."""

    kind: AdviceKind
    text: Text
    hit: RuleHit
    due: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Classification:
    """What the answers fit, and the seek-care advice when a red flag is present."""

    findings: tuple[Finding, ...]
    seek_care_now: Advice | None

    @property
    def conditions(self) -> frozenset[ConditionId]:
        """The condition ids of all findings."""
        return frozenset(f.condition for f in self.findings)


@dataclass(frozen=True, slots=True)
class PlannedProgramme:
    """A programme in the plan; ``order`` 1 is the one to start with."""

    programme_id: ProgrammeId
    slot: Slot
    order: int
    reasons: tuple[RuleHit, ...]


@dataclass(frozen=True, slots=True)
class CheckinPoint:
    """A moment to fill in the questionnaires, with the diary days before it."""

    id: CheckinPointId
    due: dt.date
    questionnaires: tuple[str, ...]
    diaries: tuple[DiaryKind, ...]
    diary_from: dt.date | None
    diary_to: dt.date | None


@dataclass(frozen=True, slots=True)
class Reminder:
    """A daily training reminder."""

    time: dt.time
    label: Text


@dataclass(frozen=True, slots=True)
class Plan:
    """The plan built from one intake.

    Attributes
    ----------
    status
        ``ready``, or ``seek-care-first`` when a red flag was reported.
    programmes
        Ordered; relaxation first when the floor may be too tense.
    held_back
        Decisions to leave a slot empty on purpose (no strength training for a too-tense
        floor), with their reasons.
    advice
        Seek-care, physiotherapist, GP and self-care advice, in rule-table order.
    schedule
        Baseline, 2 weeks, 6 weeks, 3 months.
    articles
        Ids of the education articles that fit (``pelvio.content``).
    """

    answers: IntakeAnswers
    start_date: dt.date
    status: PlanStatus
    classification: Classification
    programmes: tuple[PlannedProgramme, ...]
    held_back: tuple[RuleHit, ...]
    advice: tuple[Advice, ...]
    schedule: tuple[CheckinPoint, ...]
    reminders: tuple[Reminder, ...]
    articles: tuple[str, ...]

    @property
    def programme_ids(self) -> tuple[ProgrammeId, ...]:
        """The programme ids in the order to start them."""
        return tuple(p.programme_id for p in self.programmes)

    @property
    def rules_fired(self) -> tuple[str, ...]:
        """Every rule id that contributed to this plan, in table order."""
        ids = [f.hit.rule_id for f in self.classification.findings]
        if self.classification.seek_care_now is not None:
            ids.insert(0, self.classification.seek_care_now.hit.rule_id)
        ids += [hit.rule_id for p in self.programmes for hit in p.reasons]
        ids += [hit.rule_id for hit in self.held_back]
        ids += [a.hit.rule_id for a in self.advice if a.kind != "seek-care-now"]
        return tuple(dict.fromkeys(ids))

    @property
    def physiotherapist_advised(self) -> bool:
        """True when any advice is to see a pelvic physiotherapist."""
        return any(a.kind == "physiotherapist" for a in self.advice)

    def next_checkin(self, today: dt.date) -> CheckinPoint | None:
        """The first check-in due on or after ``today`` (``None`` when all are past)."""
        _check_date("today", today)
        return next((p for p in self.schedule if p.due >= today), None)

    def advice_due(self, today: dt.date) -> tuple[Advice, ...]:
        """The advice that applies on ``today`` (no due date, or due on or before it)."""
        _check_date("today", today)
        return tuple(a for a in self.advice if a.due is None or a.due <= today)


# ---------------------------------------------------------------------------------------------


def _hit(
    rule_id: str, reason: Text, evidence: tuple[str, ...], srcs: tuple[Source, ...]
) -> RuleHit:
    return RuleHit(rule_id, reason, tuple(describe(ref) for ref in evidence), srcs)


def _advice(rule: AdviceRule, facts: Facts, start: dt.date | None) -> Advice | None:
    evidence = rule.match(facts)
    if evidence is None:
        return None
    due = rule.due(facts.answers, start) if rule.due is not None and start is not None else None
    return Advice(rule.kind, rule.text, _hit(rule.id, rule.text, evidence, rule.sources), due)


def classify(answers: IntakeAnswers) -> Classification:
    """Classify intake answers: what the complaint fits, and whether to seek care now.

    Parameters
    ----------
    answers
        Validated intake answers.

    Returns
    -------
    Classification
        The findings in rule-table order, each with reasons, evidence and sources.
    """
    check_type("answers", answers, IntakeAnswers)
    facts = Facts(answers)
    seek = next((a for a in (_advice(r, facts, None) for r in SAFETY_RULES) if a is not None), None)
    findings = []
    for rule in CLASSIFICATION_RULES:
        evidence = rule.match(facts)
        if evidence is not None:
            hit = _hit(rule.id, rule.reason, evidence, rule.sources)
            findings.append(Finding(rule.conclusion, CONDITIONS[rule.conclusion], hit))
    return Classification(tuple(findings), seek)


def _programmes(facts: Facts) -> tuple[tuple[PlannedProgramme, ...], tuple[RuleHit, ...]]:
    planned: list[PlannedProgramme] = []
    held_back: list[RuleHit] = []
    for slot in SLOTS:
        chosen: ProgrammeId | None = None
        decided = False
        reasons: list[RuleHit] = []
        for rule in (r for r in PROGRAMME_RULES if r.slot == slot):
            evidence = rule.match(facts)
            if evidence is None or (decided and rule.programme != chosen):
                continue
            chosen, decided = rule.programme, True
            reasons.append(_hit(rule.id, rule.reason, evidence, rule.sources))
        if chosen is not None:
            planned.append(PlannedProgramme(chosen, slot, len(planned) + 1, tuple(reasons)))
        else:
            held_back += reasons
    return tuple(planned), tuple(held_back)


# Education articles that fit (ids of pelvio.content); checked against the library in tests.
_ARTICLES_FIRST = ("bekkenbodem",)
_ARTICLES_LAST = ("zelfcheck", "veelgemaakte-fouten", "wanneer-hulp")
_ARTICLES_BY_CONDITION: dict[ConditionId, tuple[str, ...]] = {
    "stress-ui": ("te-zwak-of-te-gespannen",),
    "urge-ui": ("toilethouding",),
    "mixed-ui": ("te-zwak-of-te-gespannen", "toilethouding"),
    "overactive-floor": ("te-zwak-of-te-gespannen", "ademhaling", "toilethouding"),
    "prolapse-symptoms": ("te-zwak-of-te-gespannen",),
    "constipation": ("toilethouding", "ademhaling"),
}
_ARTICLES_BY_PHASE: dict[LifePhase, tuple[str, ...]] = {
    "pregnant": ("zwangerschap",),
    "postpartum": ("na-de-bevalling",),
    "menopause": ("overgang",),
    "after_prostate_treatment": ("na-prostaatbehandeling",),
    "after_pelvic_surgery": ("ademhaling",),
    "high_impact_sport": ("sport",),
}


def _articles(answers: IntakeAnswers, conditions: frozenset[ConditionId]) -> tuple[str, ...]:
    ids = list(_ARTICLES_FIRST)
    for c in sorted(conditions):
        ids += _ARTICLES_BY_CONDITION[c]
    for p in sorted(answers.life_phases):
        ids += _ARTICLES_BY_PHASE[p]
    if answers.trouble_contracting_or_relaxing:
        ids.append("biofeedback-en-elektrostimulatie")
    ids += _ARTICLES_LAST
    return tuple(dict.fromkeys(ids))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar ``months``; the day is clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _schedule(
    answers: IntakeAnswers, classification: Classification, start: dt.date
) -> tuple[CheckinPoint, ...]:
    leaks = classification.conditions & {"stress-ui", "urge-ui", "mixed-ui"}
    diaries: list[DiaryKind] = []
    bladder = answers.complaints & {"leak_effort", "leak_urge", "voiding_difficulty"}
    if bladder or "frequent_small_voids" in answers.tense_signs:
        diaries.append("bladder")
    if "constipation" in classification.conditions:
        diaries.append("bowel")
    iciq = ("iciq-ui-sf",) if leaks else ()
    dues: tuple[tuple[CheckinPointId, dt.date], ...] = (
        ("baseline", start),
        ("2w", start + dt.timedelta(weeks=2)),
        ("6w", start + dt.timedelta(weeks=6)),
        ("3m", add_months(start, 3)),
    )
    points: list[CheckinPoint] = []
    for point, due in dues:
        if not diaries:
            window: tuple[dt.date | None, dt.date | None] = (None, None)
        elif point == "baseline":
            # No diary can lie before the start: the baseline diary covers its first days.
            window = (start, start + dt.timedelta(days=DIARY_DAYS - 1))
        else:
            window = (due - dt.timedelta(days=DIARY_DAYS), due - dt.timedelta(days=1))
        questionnaires = iciq if point == "baseline" else (*iciq, "pgi-i")
        points.append(CheckinPoint(point, due, questionnaires, tuple(diaries), *window))
    return tuple(points)


def _reminders(times: Sequence[dt.time]) -> tuple[Reminder, ...]:
    check_type("reminder_times", times, (tuple, list))
    if not 1 <= len(times) <= MAX_REMINDERS:
        raise InputError(
            f"reminder_times must hold 1 to {MAX_REMINDERS} times, got {len(times)}",
            field="reminder_times",
        )
    for t in times:
        check_type("reminder_times", t, dt.time)
    if len(set(times)) != len(times):
        raise InputError("reminder_times lists a time twice", field="reminder_times")
    return tuple(Reminder(t, _part_of_day(t)) for t in sorted(times))


def _part_of_day(t: dt.time) -> Text:
    if t.hour < 12:
        return Text("Ochtend: tijd om te oefenen", "Morning: time to train")
    if t.hour < 18:
        return Text("Middag: tijd om te oefenen", "Afternoon: time to train")
    return Text("Avond: tijd om te oefenen", "Evening: time to train")


def _check_date(name: str, value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InputError(f"{name} must be a date, got {type(value).__name__}", field=name)


def build_plan(
    answers: IntakeAnswers,
    start_date: dt.date,
    *,
    reminder_times: Sequence[dt.time] = DEFAULT_REMINDER_TIMES,
) -> Plan:
    """Build the plan for one intake.

    Parameters
    ----------
    answers
        Validated intake answers, given on ``start_date``.
    start_date
        The first day of the plan (the baseline check-in).
    reminder_times
        Daily reminder times; default morning, afternoon and evening (08:00, 13:00, 20:00),
        as leaflet 001 advises training three times a day.

    Returns
    -------
    Plan
        Programmes (relaxation first where the floor may be too tense), advice with due dates,
        the schedule and reminders. With a red flag: status ``seek-care-first`` and nothing
        but the seek-care advice.

    Raises
    ------
    InputError
        For a ``start_date`` that is not a date, or unusable reminder times.
    """
    check_type("answers", answers, IntakeAnswers)
    _check_date("start_date", start_date)
    reminders = _reminders(reminder_times)
    classification = classify(answers)
    articles = _articles(answers, classification.conditions)
    if classification.seek_care_now is not None:
        return Plan(
            answers, start_date, "seek-care-first", classification, (), (),
            (classification.seek_care_now,), (), (), ("wanneer-hulp",),
        )  # fmt: skip
    facts = Facts(answers, classification.conditions)
    programmes, held_back = _programmes(facts)
    advice = tuple(a for a in (_advice(r, facts, start_date) for r in ADVICE_RULES) if a)
    return Plan(
        answers,
        start_date,
        "ready",
        classification,
        programmes,
        held_back,
        advice,
        _schedule(answers, classification, start_date),
        reminders,
        articles,
    )
