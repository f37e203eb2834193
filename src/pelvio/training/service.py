"""Training services: plans, the session log, reminders and prescribed modalities.

Functions take the database session and everything else by keyword; they ``flush`` but never
commit, so the route that calls them commits once per user action and a failure leaves
nothing half-written. Every number they return is computed by the pure modules of
:mod:`pelvio.training` (adherence, progression, the calendar), from what is stored here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal, get_args
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pelvio._check import check_option, check_type
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.errors import ConflictError, InputError, NotFoundError
from pelvio.training.adherence import (
    AdherenceReport,
    DayCount,
    SessionLogEntry,
    TrainingPlan,
    count_adherence,
    day_bounds,
    local_date,
    week_view,
)
from pelvio.training.bladder import (
    DEFAULT_VOIDING_SCHEDULE,
    VoidingSchedule,
    voiding_interval_min,
    voiding_times,
    weeks_to_target,
)
from pelvio.training.modalities import (
    BalloonProtocol,
    ElectrostimulationParameters,
    ModalityKind,
    ModalitySessionLog,
    ScreeningAnswers,
    assign_electrostimulation,
)
from pelvio.training.model import POSITION_TEXT, Locale, Programme
from pelvio.training.programmes import PROGRAMMES, get_programme
from pelvio.training.progression import ProgressionDecision, assess_progression
from pelvio.training.reminders import DEFAULT_REMINDER_TIMES, _check_times, reminder_calendar
from pelvio.training.tables import (
    BladderScheduleRow,
    ModalityAssignment,
    ModalitySession,
    PlanRow,
    TrainingSession,
)
from pelvio.training.timeline import build_timeline

__all__ = [
    "BLADDER_PROGRAMME_ID",
    "FELT",
    "BladderStatus",
    "Felt",
    "LoggedSession",
    "Reminder",
    "TrainingStatus",
    "active_assignments",
    "assign_balloon",
    "assign_electrostimulation_to",
    "bladder_status",
    "calendar_feed",
    "create_plan",
    "get_bladder_schedule",
    "get_plan",
    "log_modality_session",
    "log_session",
    "modality_log",
    "parse_times",
    "patient_for_calendar_token",
    "player_document",
    "programme_choices",
    "recent_sessions",
    "regenerate_calendar_token",
    "set_bladder_schedule",
    "set_plan",
    "set_reminder_times",
    "status",
    "stop_assignment",
    "stop_bladder_schedule",
    "urge_player_document",
]

Felt = Literal["yes", "no", "unsure"]
FELT: Final[tuple[Felt, ...]] = get_args(Felt)
_FELT_VALUE: Final[dict[str, bool | None]] = {"yes": True, "no": False, "unsure": None}

_CLIENT_ID: Final = re.compile(r"[A-Za-z0-9_-]{8,64}")
_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{32,64}")
# A phone's clock may run a little ahead of the server's; more than this is a wrong time.
_CLOCK_SKEW: Final = dt.timedelta(minutes=5)
_LONGEST_SESSION: Final = dt.timedelta(hours=2)


# --- plans -------------------------------------------------------------------------------------


def programme_choices() -> tuple[Programme, ...]:
    """Programmes that can be a daily plan: those done as sessions at set moments of the day.

    Bladder training is a schedule through the day, not sessions: it is set beside the plan
    with :func:`set_bladder_schedule`.
    """
    return tuple(p for p in PROGRAMMES.values() if p.kind == "session")


def _check_plan_programme(programme_id: str) -> Programme:
    check_option("programme", programme_id, tuple(p.id for p in programme_choices()))
    return get_programme(programme_id)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _join_times(times: Sequence[dt.time]) -> str:
    return ",".join(f"{t:%H:%M}" for t in _check_times(times))


def get_plan(db: Session, *, patient: User) -> PlanRow | None:
    """The patient's plan, or None before one is made."""
    return db.scalar(select(PlanRow).where(PlanRow.patient_id == patient.id))


def create_plan(
    db: Session,
    *,
    patient: User,
    programme_id: str,
    today: dt.date,
    level: int = 1,
    sessions_per_day: int | None = None,
    reminder_times: Sequence[dt.time] = DEFAULT_REMINDER_TIMES,
) -> PlanRow:
    """Start a plan for a patient who has none (``ConflictError`` if there is one)."""
    if patient.role is not Role.PATIENT:
        raise InputError("only a patient has a training plan", field="patient")
    if get_plan(db, patient=patient) is not None:
        raise ConflictError("this patient has a training plan already")
    programme = _check_plan_programme(programme_id)
    programme.level(level)
    per_day = programme.sessions_per_day if sessions_per_day is None else sessions_per_day
    TrainingPlan(programme.id, per_day, today, patient.timezone)
    plan = PlanRow(
        patient_id=patient.id,
        programme_id=programme.id,
        level=level,
        level_since=today,
        start_date=today,
        sessions_per_day=per_day,
        reminder_times=_join_times(reminder_times),
        calendar_token=_new_token(),
    )
    db.add(plan)
    db.flush()
    return plan


def set_plan(
    db: Session,
    *,
    patient: User,
    programme_id: str,
    level: int,
    sessions_per_day: int,
    today: dt.date,
) -> PlanRow:
    """Set the programme, level and sessions a day (a therapist's change), creating the plan.

    A new programme starts its own count from ``today``: days before it cannot be missed days
    of a programme that was not planned then. A new level starts its progression count today.
    """
    plan = get_plan(db, patient=patient)
    if plan is None:
        return create_plan(
            db,
            patient=patient,
            programme_id=programme_id,
            today=today,
            level=level,
            sessions_per_day=sessions_per_day,
        )
    programme = _check_plan_programme(programme_id)
    programme.level(level)
    TrainingPlan(programme.id, sessions_per_day, today, patient.timezone)
    if programme.id != plan.programme_id:
        plan.start_date = today
    if programme.id != plan.programme_id or level != plan.level:
        plan.level_since = today
    plan.programme_id = programme.id
    plan.level = level
    plan.sessions_per_day = sessions_per_day
    plan.updated_at = dt.datetime.now(dt.UTC)
    db.flush()
    return plan


def parse_times(values: Sequence[str]) -> tuple[dt.time, ...]:
    """Reminder times from form fields ``HH:MM``; empty fields are skipped."""
    times = []
    for value in values:
        text = value.strip()
        if not text:
            continue
        if not re.fullmatch(r"\d{1,2}:\d{2}", text):
            raise InputError(f"times must look like 08:30, got {text!r}", field="times")
        hours, minutes = (int(part) for part in text.split(":"))
        if hours > 23 or minutes > 59:
            raise InputError(f"times must lie between 00:00 and 23:59, got {text}", field="times")
        times.append(dt.time(hours, minutes))
    return _check_times(times)


def set_reminder_times(db: Session, *, patient: User, times: Sequence[dt.time]) -> PlanRow:
    """Replace the reminder times (1 to 12 distinct whole-minute local times)."""
    plan = _require_plan(db, patient)
    plan.reminder_times = _join_times(times)
    plan.updated_at = dt.datetime.now(dt.UTC)
    db.flush()
    return plan


def reminder_times(plan: PlanRow) -> tuple[dt.time, ...]:
    """The stored reminder times, in order."""
    return tuple(dt.time.fromisoformat(value) for value in plan.reminder_times.split(","))


def regenerate_calendar_token(db: Session, *, patient: User) -> PlanRow:
    """Give the calendar feed a new address; the old one stops working at once."""
    plan = _require_plan(db, patient)
    plan.calendar_token = _new_token()
    plan.updated_at = dt.datetime.now(dt.UTC)
    db.flush()
    return plan


def patient_for_calendar_token(db: Session, *, token: str) -> User | None:
    """The patient whose feed has address ``token``, or None (also for a malformed token)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    plan = db.scalar(select(PlanRow).where(PlanRow.calendar_token == token))
    if plan is None:
        return None
    return db.get(User, plan.patient_id)


def _feed_id(token: str) -> str:
    # Calendar apps copy UIDs into invitations they send on; the UID must not carry the token.
    return hashlib.sha256(b"pelvio-feed:" + token.encode()).hexdigest()[:32]


def calendar_feed(
    *, plan: PlanRow, patient: User, now: dt.datetime, link_url: str | None = None
) -> bytes:
    """The reminder feed of ``plan`` as iCalendar bytes, with no personal data in it."""
    locale: Locale = "en" if patient.locale == "en" else "nl"
    return reminder_calendar(
        reminder_times(plan),
        feed_id=_feed_id(plan.calendar_token),
        start_date=plan.start_date,
        generated_at=now,
        timezone=patient.timezone,
        locale=locale,
        link_url=link_url,
    )


def _require_plan(db: Session, patient: User) -> PlanRow:
    plan = get_plan(db, patient=patient)
    if plan is None:
        raise NotFoundError("this patient has no training plan yet")
    return plan


# --- the session log and what follows from it ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reminder:
    """Whether a session is due now, and when the next planned one is."""

    due: bool
    next_at: dt.time | None
    left_today: int


@dataclass(frozen=True, slots=True)
class TrainingStatus:
    """Everything the training pages show about one patient, computed at ``now``."""

    plan: PlanRow
    programme: Programme
    today: dt.date
    report: AdherenceReport
    week: tuple[DayCount, ...]
    progression: ProgressionDecision
    reminder: Reminder

    @property
    def done_today(self) -> int:
        """Completed sessions of the plan's programme today."""
        return self.report.day(self.today).completed

    @property
    def planned_today(self) -> int:
        """Sessions planned today."""
        return self.plan.sessions_per_day


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """A stored session and the status after it (``stepped_up``: the level went up now)."""

    session: TrainingSession
    status: TrainingStatus
    stepped_up: bool
    duplicate: bool


def _entry(row: TrainingSession) -> SessionLogEntry:
    return SessionLogEntry(
        row.started_at,
        row.programme_id,
        row.level,
        row.completed,
        _FELT_VALUE.get(row.felt or "unsure"),
    )


def _entries_since(db: Session, patient: User, day: dt.date) -> list[SessionLogEntry]:
    start, _ = day_bounds(day, patient.timezone)
    rows = db.scalars(
        select(TrainingSession)
        .where(TrainingSession.patient_id == patient.id, TrainingSession.started_at >= start)
        .order_by(TrainingSession.started_at)
    )
    return [_entry(row) for row in rows]


def due_reminder(
    times: Sequence[dt.time], *, done: int, planned: int, now_local: dt.time
) -> Reminder:
    """Is a session due? The n-th planned session is due from the n-th reminder time on."""
    left = max(planned - done, 0)
    if left == 0:
        return Reminder(False, None, 0)
    ordered = sorted(times)
    if done >= len(ordered):
        return Reminder(False, None, left)
    at = ordered[done]
    return Reminder(now_local >= at, None if now_local >= at else at, left)


def status(db: Session, *, patient: User, now: dt.datetime) -> TrainingStatus | None:
    """Adherence, the week, streaks, progression and the next reminder; None without a plan."""
    plan = get_plan(db, patient=patient)
    if plan is None:
        return None
    return _status(db, patient, plan, now)


def _status(db: Session, patient: User, plan: PlanRow, now: dt.datetime) -> TrainingStatus:
    programme = get_programme(plan.programme_id)
    today = local_date(now, patient.timezone)
    entries = _entries_since(db, patient, min(plan.start_date, plan.level_since, today))
    core_plan = TrainingPlan(
        plan.programme_id, plan.sessions_per_day, min(plan.start_date, today), patient.timezone
    )
    report = count_adherence(entries, core_plan, today=today)
    decision = assess_progression(
        programme,
        plan.level,
        entries,
        level_since=min(plan.level_since, today),
        today=today,
        timezone=patient.timezone,
    )
    local_now = now.astimezone(ZoneInfo(patient.timezone))
    reminder = due_reminder(
        reminder_times(plan),
        done=report.day(today).completed,
        planned=plan.sessions_per_day,
        now_local=local_now.time().replace(tzinfo=None),
    )
    return TrainingStatus(
        plan, programme, today, report, week_view(report, today), decision, reminder
    )


def _parse_felt(felt: str | None, completed: bool) -> Felt | None:
    if felt is None or felt == "":
        if completed:
            raise InputError(
                "felt must answer the question at the end: yes, no or unsure", field="felt"
            )
        return None
    check_option("felt", felt, FELT)
    return "yes" if felt == "yes" else "no" if felt == "no" else "unsure"


def log_session(
    db: Session,
    *,
    patient: User,
    client_id: str,
    programme_id: str,
    level: int,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    completed: bool,
    felt: str | None,
    now: dt.datetime,
) -> LoggedSession:
    """Store one session and apply progression; sending the same ``client_id`` twice is safe.

    Raises
    ------
    InputError
        A malformed ``client_id``, an unknown programme or level, a time that is naive, in the
        future or longer than two hours, or a completed session without the ``felt`` answer.
    NotFoundError
        The patient has no plan yet.
    """
    plan = _require_plan(db, patient)
    check_type("client_id", client_id, str)
    if not _CLIENT_ID.fullmatch(client_id):
        raise InputError("client_id must be 8 to 64 letters, digits, '-' or '_'", field="client_id")
    existing = db.scalar(
        select(TrainingSession).where(
            TrainingSession.patient_id == patient.id, TrainingSession.client_id == client_id
        )
    )
    if existing is not None:
        return LoggedSession(existing, _status(db, patient, plan, now), False, True)

    programme = get_programme(programme_id)
    programme.level(level)
    check_type("completed", completed, bool)
    answer = _parse_felt(felt, completed)
    for name, moment in (("started_at", started_at), ("ended_at", ended_at)):
        check_type(name, moment, dt.datetime)
        if moment.tzinfo is None:
            raise InputError(f"{name} must carry a time zone", field=name)
        if moment > now + _CLOCK_SKEW:
            raise InputError(f"{name} lies in the future", field=name)
    if ended_at < started_at:
        raise InputError("ended_at must not come before started_at", field="ended_at")
    if ended_at - started_at > _LONGEST_SESSION:
        raise InputError("a session lasts at most two hours", field="ended_at")

    row = TrainingSession(
        patient_id=patient.id,
        client_id=client_id,
        started_at=started_at,
        ended_at=ended_at,
        programme_id=programme.id,
        level=level,
        completed=completed,
        felt=answer,
    )
    db.add(row)
    db.flush()
    after = _status(db, patient, plan, now)
    stepped_up = after.progression.stepped_up
    if stepped_up:
        plan.level = after.progression.level
        plan.level_since = after.today
        plan.updated_at = now
        db.flush()
    return LoggedSession(row, after, stepped_up, False)


def recent_sessions(db: Session, *, patient: User, limit: int = 10) -> list[TrainingSession]:
    """The latest sessions, newest first."""
    return list(
        db.scalars(
            select(TrainingSession)
            .where(TrainingSession.patient_id == patient.id)
            .order_by(TrainingSession.started_at.desc())
            .limit(limit)
        )
    )


def player_document(plan: PlanRow, locale: Locale) -> dict[str, Any]:
    """The session as the player needs it: cues with times, texts, position, repetition.

    ``rep``/``reps`` count the repetitions of the block a cue belongs to ("herhaling 3 van 10");
    ``breath`` tells a breathing cue's in- from its out-breath so the pacer can follow it.
    """
    return _timeline_document(plan.programme_id, plan.level, locale)


def urge_player_document(locale: Locale) -> dict[str, Any]:
    """The urge-suppression routine of ``blaastraining`` in the player's format."""
    return _timeline_document(BLADDER_PROGRAMME_ID, 1, locale)


def _timeline_document(programme_id: str, level_number: int, locale: Locale) -> dict[str, Any]:
    programme = get_programme(programme_id)
    level = programme.level(level_number)
    timeline = build_timeline(programme, level_number)
    meta: list[tuple[int, int, str | None]] = []
    for block in level.blocks:
        for repetition in range(block.repetitions):
            for index, step in enumerate(block.steps):
                breath = None
                if step.action == "breathe":
                    following = block.steps[index + 1] if index + 1 < len(block.steps) else None
                    breath = "in" if following and following.action == "breathe" else "out"
                meta.append((repetition + 1, block.repetitions, breath))
    cues = []
    for cue, (rep, reps, breath) in zip(timeline.cues, meta, strict=True):
        cues.append(
            {
                "start_s": cue.start_s,
                "end_s": cue.end_s,
                "action": cue.action,
                "target": cue.target,
                "text": cue.text.get(locale),
                "position": cue.position,
                "position_text": POSITION_TEXT[cue.position].get(locale),
                "pulses": [
                    {"start_s": p.start_s, "end_s": p.end_s, "target": p.target} for p in cue.pulses
                ],
                "rep": rep,
                "reps": reps,
                "breath": breath,
            }
        )
    return {
        "programme_id": programme.id,
        "title": programme.title.get(locale),
        "level": level_number,
        "total_duration_s": timeline.total_duration_s,
        "cues": cues,
    }


# --- the bladder-training schedule --------------------------------------------------------------

BLADDER_PROGRAMME_ID: Final = "blaastraining"
DEFAULT_FIRST_VOID: Final = dt.time(7, 0)
DEFAULT_BED: Final = dt.time(23, 0)


@dataclass(frozen=True, slots=True)
class BladderStatus:
    """Where a patient stands in their bladder-training schedule on ``today``.

    ``week`` counts from 1 in the start week; ``times`` are today's planned voids from the
    first void on (local wall-clock times); ``next_void`` is the first of them still to come
    at ``now``, None when the last one has passed (then: go when going to bed).
    """

    row: BladderScheduleRow
    schedule: VoidingSchedule
    today: dt.date
    week: int
    interval_min: int
    target_week: int
    times: tuple[dt.time, ...]
    next_void: dt.time | None

    @property
    def at_target(self) -> bool:
        """The interval has reached the target and grows no further."""
        return self.week >= self.target_week

    @property
    def weeks_left(self) -> int:
        """Weeks until the week in which the target interval is reached (0 once there)."""
        return max(self.target_week - self.week, 0)


def get_bladder_schedule(db: Session, *, patient: User) -> BladderScheduleRow | None:
    """The patient's bladder-training schedule, or None when it is not set."""
    return db.scalar(select(BladderScheduleRow).where(BladderScheduleRow.patient_id == patient.id))


def _schedule(row: BladderScheduleRow) -> VoidingSchedule:
    return VoidingSchedule(
        row.start_interval_min, row.increase_min_per_week, row.target_interval_min
    )


def set_bladder_schedule(
    db: Session,
    *,
    patient: User,
    today: dt.date,
    start_interval_min: int | None = None,
    increase_min_per_week: int | None = None,
    target_interval_min: int | None = None,
    first_void: dt.time | None = None,
    bed: dt.time | None = None,
    start_date: dt.date | None = None,
) -> BladderScheduleRow:
    """Start or change the bladder-training schedule; what is not given keeps its value.

    A new schedule starts ``today`` (or ``start_date``) with the defaults of
    :data:`pelvio.training.bladder.DEFAULT_VOIDING_SCHEDULE`. A start interval above the
    default target raises the target to it (no growth), so a patient who already holds out
    long is not refused.

    Raises
    ------
    InputError
        Intervals outside :class:`VoidingSchedule`'s limits, ``bed`` not after
        ``first_void``, or a start date in the future.
    """
    if patient.role is not Role.PATIENT:
        raise InputError("only a patient has a bladder-training schedule", field="patient")
    row = get_bladder_schedule(db, patient=patient)
    base = _schedule(row) if row is not None else DEFAULT_VOIDING_SCHEDULE
    start = base.start_interval_min if start_interval_min is None else start_interval_min
    increase = (
        base.increase_min_per_week if increase_min_per_week is None else increase_min_per_week
    )
    if target_interval_min is None:
        target_interval_min = max(base.target_interval_min, start)
    schedule = VoidingSchedule(start, increase, target_interval_min)
    first = first_void or (row.first_void if row is not None else DEFAULT_FIRST_VOID)
    last = bed or (row.bed if row is not None else DEFAULT_BED)
    voiding_times(schedule, 1, wake=first, bed=last)
    begin = start_date or (row.start_date if row is not None else today)
    check_type("start_date", begin, dt.date)
    if begin > today:
        raise InputError("start_date must not lie in the future", field="start_date")
    if row is None:
        row = BladderScheduleRow(patient_id=patient.id)
        db.add(row)
    row.start_date = begin
    row.start_interval_min = schedule.start_interval_min
    row.increase_min_per_week = schedule.increase_min_per_week
    row.target_interval_min = schedule.target_interval_min
    row.first_void = first
    row.bed = last
    row.updated_at = dt.datetime.now(dt.UTC)
    db.flush()
    return row


def stop_bladder_schedule(db: Session, *, patient: User) -> bool:
    """Stop bladder training (the row goes); False if there was none."""
    row = get_bladder_schedule(db, patient=patient)
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True


def bladder_status(db: Session, *, patient: User, now: dt.datetime) -> BladderStatus | None:
    """This week's interval and today's planned voids; None without a schedule."""
    row = get_bladder_schedule(db, patient=patient)
    if row is None:
        return None
    local_now = now.astimezone(ZoneInfo(patient.timezone))
    today = local_now.date()
    # A start date after today (the patient's clock zone changed) counts as week 1.
    week = max((today - row.start_date).days, 0) // 7 + 1
    schedule = _schedule(row)
    times = voiding_times(schedule, week, wake=row.first_void, bed=row.bed)
    clock = local_now.time().replace(tzinfo=None)
    upcoming = [t for t in times if t > clock]
    return BladderStatus(
        row,
        schedule,
        today,
        week,
        voiding_interval_min(schedule, week),
        weeks_to_target(schedule),
        times,
        upcoming[0] if upcoming else None,
    )


# --- therapist-prescribed modalities ------------------------------------------------------------


def _end_active(db: Session, patient: User, modality: ModalityKind, today: dt.date) -> None:
    for row in active_assignments(db, patient=patient):
        if row.modality == modality:
            row.ended_on = today


def assign_electrostimulation_to(
    db: Session,
    *,
    patient: User,
    therapist: User,
    parameters: ElectrostimulationParameters,
    answers: ScreeningAnswers,
    screened_on: dt.date,
    today: dt.date,
) -> ModalityAssignment:
    """Assign electrostimulation after the contraindication screen; it replaces an active one.

    Raises
    ------
    ContraindicationError
        The screen did not pass, or is stale or dated in the future; nothing is stored.
    """
    assignment = assign_electrostimulation(
        parameters, answers, screened_on=screened_on, assigned_on=today
    )
    _end_active(db, patient, "electrostimulation", today)
    p = assignment.parameters
    row = ModalityAssignment(
        patient_id=patient.id,
        therapist_id=therapist.id,
        modality="electrostimulation",
        assigned_on=today,
        frequency_hz=p.frequency_hz,
        pulse_width_us=p.pulse_width_us,
        on_time_s=p.on_time_s,
        off_time_s=p.off_time_s,
        duration_min=p.duration_min,
        intensity_ma=p.intensity_ma,
        screening_answers={
            item: getattr(answers, item) for item in ScreeningAnswers.__dataclass_fields__
        },
        screened_on=screened_on,
    )
    db.add(row)
    db.flush()
    return row


def assign_balloon(
    db: Session, *, patient: User, therapist: User, protocol: BalloonProtocol, today: dt.date
) -> ModalityAssignment:
    """Assign rectal balloon training; it replaces an active one."""
    check_type("protocol", protocol, BalloonProtocol)
    _end_active(db, patient, "balloon", today)
    row = ModalityAssignment(
        patient_id=patient.id,
        therapist_id=therapist.id,
        modality="balloon",
        assigned_on=today,
        balloon_volumes_ml=list(protocol.volumes_ml),
        balloon_steps=[
            {
                "action": s.action,
                "volume_ml": s.volume_ml,
                "repetitions": s.repetitions,
                "note": s.note,
            }
            for s in protocol.steps
        ],
    )
    db.add(row)
    db.flush()
    return row


def active_assignments(db: Session, *, patient: User) -> list[ModalityAssignment]:
    """The modalities assigned now, oldest first."""
    return list(
        db.scalars(
            select(ModalityAssignment)
            .where(
                ModalityAssignment.patient_id == patient.id, ModalityAssignment.ended_on.is_(None)
            )
            .order_by(ModalityAssignment.id)
        )
    )


def _kind(assignment: ModalityAssignment) -> ModalityKind:
    return "balloon" if assignment.modality == "balloon" else "electrostimulation"


def _assignment(db: Session, patient: User, public_id: str) -> ModalityAssignment:
    row = db.scalar(
        select(ModalityAssignment).where(
            ModalityAssignment.public_id == public_id, ModalityAssignment.patient_id == patient.id
        )
    )
    if row is None:
        raise NotFoundError("no such assignment")
    return row


def stop_assignment(
    db: Session, *, patient: User, assignment_id: str, today: dt.date
) -> ModalityAssignment:
    """End an assignment (the therapist stops it)."""
    row = _assignment(db, patient, assignment_id)
    if row.ended_on is None:
        row.ended_on = today
        db.flush()
    return row


def log_modality_session(
    db: Session,
    *,
    patient: User,
    assignment_id: str,
    performed_at: dt.datetime,
    discomfort_0_10: int,
    completed: bool,
    notes: str,
    now: dt.datetime,
) -> tuple[ModalitySession, ModalitySessionLog]:
    """Store the patient's note of one modality session; returns it with its tolerance."""
    row_assignment = _assignment(db, patient, assignment_id)
    if row_assignment.ended_on is not None:
        raise ConflictError("this therapy has been stopped by your therapist")
    log = ModalitySessionLog(
        performed_at, _kind(row_assignment), discomfort_0_10, completed, notes.strip()
    )
    if performed_at > now + _CLOCK_SKEW:
        raise InputError("performed_at lies in the future", field="performed_at")
    row = ModalitySession(
        patient_id=patient.id,
        assignment_id=row_assignment.id,
        performed_at=performed_at,
        discomfort_0_10=discomfort_0_10,
        completed=completed,
        notes=log.notes,
    )
    db.add(row)
    db.flush()
    return row, log


def modality_log(
    db: Session, *, patient: User, limit: int = 20
) -> list[tuple[ModalitySession, ModalityAssignment, ModalitySessionLog]]:
    """The latest modality sessions, newest first, each with its assignment and tolerance."""
    rows = db.execute(
        select(ModalitySession, ModalityAssignment)
        .join(ModalityAssignment, ModalitySession.assignment_id == ModalityAssignment.id)
        .where(ModalitySession.patient_id == patient.id)
        .order_by(ModalitySession.performed_at.desc())
        .limit(limit)
    ).all()
    result = []
    for session, assignment in rows:
        log = ModalitySessionLog(
            session.performed_at,
            _kind(assignment),
            session.discomfort_0_10,
            session.completed,
            session.notes,
        )
        result.append((session, assignment, log))
    return result
