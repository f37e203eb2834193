"""Training storage on SQLite and PostgreSQL: plans, the session log, reminders, modalities."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pelvio.accounts import service as accounts
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.errors import ConflictError, InputError, NotFoundError
from pelvio.training import service
from pelvio.training.modalities import (
    BalloonProtocol,
    BalloonStep,
    ContraindicationError,
    ElectrostimulationParameters,
    ScreeningAnswers,
)
from pelvio.training.tables import ModalityAssignment, ModalitySession, PlanRow, TrainingSession
from pelvio.training.timeline import build_timeline

AMS = ZoneInfo("Europe/Amsterdam")
PASSWORD = "correct horse battery"
ALL_NO = ScreeningAnswers(
    pregnant=False,
    gave_birth_last_12_weeks=False,
    pelvic_surgery_last_12_weeks=False,
    pacemaker=False,
    urinary_infection=False,
    broken_skin=False,
    large_prolapse=False,
)
PARAMETERS = ElectrostimulationParameters(35, 250, 5, 10, 20)


def make(db: Session, email: str, role: Role = Role.PATIENT) -> User:
    return accounts.create_user(
        db, email=email, password=PASSWORD, display_name=email.split("@")[0], role=role
    )


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def log(
    db: Session,
    patient: User,
    started: dt.datetime,
    *,
    now: dt.datetime | None = None,
    client_id: str | None = None,
    felt: str | None = "yes",
    completed: bool = True,
    level: int = 1,
) -> service.LoggedSession:
    return service.log_session(
        db,
        patient=patient,
        client_id=client_id or f"c{started.timestamp():.0f}x",
        programme_id="basis",
        level=level,
        started_at=started,
        ended_at=started + dt.timedelta(seconds=120),
        completed=completed,
        felt=felt,
        now=now or started + dt.timedelta(minutes=3),
    )


def note(
    db: Session, patient: User, assignment_id: str, discomfort: int, *, notes: str = ""
) -> tuple[ModalitySession, object]:
    day = dt.date(2026, 4, 6)
    return service.log_modality_session(
        db,
        patient=patient,
        assignment_id=assignment_id,
        performed_at=local(day, 19),
        discomfort_0_10=discomfort,
        completed=True,
        notes=notes,
        now=local(day, 20),
    )


def count(db: Session, table: type[object]) -> int:
    return db.scalar(select(func.count()).select_from(table)) or 0


def test_a_plan_starts_at_level_one_with_the_programme_dosage_and_a_random_token(
    db: Session,
) -> None:
    anna, kees = make(db, "anna@example.nl"), make(db, "kees@example.nl")
    day = dt.date(2026, 3, 2)
    plan = service.create_plan(db, patient=anna, programme_id="basis", today=day)
    other = service.create_plan(db, patient=kees, programme_id="basis", today=day)
    db.expire_all()
    stored = service.get_plan(db, patient=anna)
    assert stored is not None
    assert (stored.programme_id, stored.level, stored.sessions_per_day) == ("basis", 1, 3)
    assert stored.level_since == stored.start_date == day
    # Leaflet 001: morning, afternoon and evening.
    assert service.reminder_times(stored) == (dt.time(8), dt.time(13), dt.time(20))
    assert len(plan.calendar_token) >= 32
    assert plan.calendar_token != other.calendar_token
    assert anna.public_id not in plan.calendar_token


def test_a_second_plan_a_schedule_or_an_unknown_programme_is_refused(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    day = dt.date(2026, 3, 2)
    with pytest.raises(InputError) as info:
        service.create_plan(db, patient=anna, programme_id="blaastraining", today=day)
    assert info.value.field == "programme"
    with pytest.raises(InputError):
        service.create_plan(db, patient=anna, programme_id="squats", today=day)
    service.create_plan(db, patient=anna, programme_id="ontspanning", today=day)
    with pytest.raises(ConflictError):
        service.create_plan(db, patient=anna, programme_id="basis", today=day)
    therapist = make(db, "t@example.nl", Role.THERAPIST)
    with pytest.raises(InputError):
        service.create_plan(db, patient=therapist, programme_id="basis", today=day)
    assert count(db, PlanRow) == 1


def test_sessions_are_counted_per_local_day_across_midnight(db: Session) -> None:
    """23:59 and 00:01 local time are two days, though both fall on one UTC date in winter."""
    anna = make(db, "anna@example.nl")
    start = dt.date(2026, 1, 10)
    service.create_plan(db, patient=anna, programme_id="basis", today=start)
    log(db, anna, local(start, 23, 57))
    log(db, anna, local(start + dt.timedelta(days=1), 0, 1))
    status = service.status(db, patient=anna, now=local(start + dt.timedelta(days=1), 9))
    assert status is not None
    assert [d.completed for d in status.report.days] == [1, 1]
    assert status.done_today == 1
    assert status.report.days[0].status == "partial"


def test_the_short_dst_day_is_one_day(db: Session) -> None:
    """29 March 2026 has 23 hours in Amsterdam; 00:30 and 23:30 are the same day."""
    anna = make(db, "anna@example.nl")
    day = dt.date(2026, 3, 29)
    service.create_plan(db, patient=anna, programme_id="basis", today=day)
    for hour in (0, 12, 23):
        log(db, anna, local(day, hour, 30) - dt.timedelta(minutes=3))
    status = service.status(db, patient=anna, now=local(day, 23, 55))
    assert status is not None
    assert status.done_today == 3
    assert status.report.days[-1].status == "done"
    assert status.report.current_streak_days == 1


def test_a_session_sent_twice_is_stored_once(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    day = dt.date(2026, 2, 3)
    service.create_plan(db, patient=anna, programme_id="basis", today=day)
    first = log(db, anna, local(day, 8), client_id="offline-queue-1")
    again = log(db, anna, local(day, 8), client_id="offline-queue-1")
    assert not first.duplicate and again.duplicate
    assert again.session.id == first.session.id
    assert again.status.done_today == 1
    assert count(db, TrainingSession) == 1


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("client_id", {"client_id": "short"}),
        ("programme", {"programme_id": "squats"}),
        ("level", {"level": 9}),
        ("felt", {"felt": None}),
        ("felt", {"felt": "maybe"}),
        ("ended_at", {"ended_at": "before"}),
        ("started_at", {"started_at": "future"}),
        ("started_at", {"started_at": "naive"}),
    ],
)
def test_a_bad_session_names_the_field_and_stores_nothing(
    db: Session, field: str, change: dict[str, object]
) -> None:
    anna = make(db, "anna@example.nl")
    day = dt.date(2026, 2, 3)
    service.create_plan(db, patient=anna, programme_id="basis", today=day)
    started = local(day, 8)
    now = local(day, 9)
    values: dict[str, object] = {
        "client_id": "a-valid-client-id",
        "programme_id": "basis",
        "level": 1,
        "started_at": started,
        "ended_at": started + dt.timedelta(minutes=2),
        "completed": True,
        "felt": "yes",
    }
    values.update(change)
    if values["ended_at"] == "before":
        values["ended_at"] = started - dt.timedelta(minutes=1)
    if values["started_at"] == "future":
        values["started_at"] = now + dt.timedelta(hours=1)
        values["ended_at"] = now + dt.timedelta(hours=1, minutes=2)
    if values["started_at"] == "naive":
        values["started_at"] = started.replace(tzinfo=None)
    with pytest.raises(InputError) as info:
        service.log_session(db, patient=anna, now=now, **values)  # type: ignore[arg-type]
    assert info.value.field == field
    assert count(db, TrainingSession) == 0


def test_a_stopped_session_is_stored_but_does_not_count(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    day = dt.date(2026, 2, 3)
    service.create_plan(db, patient=anna, programme_id="basis", today=day)
    logged = log(db, anna, local(day, 8), felt=None, completed=False)
    assert logged.session.felt is None and not logged.session.completed
    assert logged.status.done_today == 0


def test_no_plan_no_session(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    assert service.status(db, patient=anna, now=local(dt.date(2026, 2, 3), 9)) is None
    with pytest.raises(NotFoundError):
        log(db, anna, local(dt.date(2026, 2, 3), 8))


def test_seven_qualifying_days_step_the_level_up_and_store_it(db: Session) -> None:
    """The stated rule (docs/training.md): 7 days in a row with all sessions felt -> level 2."""
    anna = make(db, "anna@example.nl")
    start = dt.date(2026, 4, 6)
    service.create_plan(db, patient=anna, programme_id="basis", today=start)
    decisions = []
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        for hour in (8, 13, 20):
            decisions.append(log(db, anna, local(day, hour)))
    assert [d.stepped_up for d in decisions].count(True) == 1
    assert decisions[-1].stepped_up
    db.expire_all()
    plan = service.get_plan(db, patient=anna)
    assert plan is not None
    assert (plan.level, plan.level_since) == (2, start + dt.timedelta(days=6))
    assert "niveau 2" in decisions[-1].status.progression.reason.nl
    # The next session runs the sitting position of leaflet 001.
    assert build_timeline("basis", plan.level).cues[0].position == "sitting"


def test_the_therapist_changes_programme_and_level(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    start = dt.date(2026, 4, 6)
    service.create_plan(db, patient=anna, programme_id="basis", today=start)
    later = start + dt.timedelta(days=10)
    plan = service.set_plan(
        db, patient=anna, programme_id="basis", level=3, sessions_per_day=3, today=later
    )
    assert (plan.level, plan.level_since, plan.start_date) == (3, later, start)
    plan = service.set_plan(
        db,
        patient=anna,
        programme_id="kracht-uithouding-coordinatie",
        level=1,
        sessions_per_day=2,
        today=later,
    )
    assert (plan.start_date, plan.sessions_per_day) == (later, 2)
    with pytest.raises(InputError):
        service.set_plan(
            db, patient=anna, programme_id="basis", level=5, sessions_per_day=3, today=later
        )
    with pytest.raises(InputError):
        service.set_plan(
            db, patient=anna, programme_id="basis", level=1, sessions_per_day=0, today=later
        )


def test_reminder_times_are_parsed_checked_and_stored(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    service.create_plan(db, patient=anna, programme_id="basis", today=dt.date(2026, 4, 6))
    times = service.parse_times(["07:30", "", "21:15", "12:00"])
    assert times == (dt.time(7, 30), dt.time(12), dt.time(21, 15))
    service.set_reminder_times(db, patient=anna, times=times)
    db.expire_all()
    plan = service.get_plan(db, patient=anna)
    assert plan is not None and service.reminder_times(plan) == times
    for bad in (["7.30"], ["25:00"], ["08:00", "08:00"], [], [""]):
        with pytest.raises(InputError) as info:
            service.parse_times(bad)
        assert info.value.field == "times"


def test_the_calendar_token_finds_the_patient_until_it_is_replaced(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    plan = service.create_plan(db, patient=anna, programme_id="basis", today=dt.date(2026, 4, 6))
    old = plan.calendar_token
    assert service.patient_for_calendar_token(db, token=old) == anna
    service.regenerate_calendar_token(db, patient=anna)
    assert service.patient_for_calendar_token(db, token=old) is None
    assert service.patient_for_calendar_token(db, token=plan.calendar_token) == anna
    for malformed in ("", "short", "../../etc/passwd", "x" * 65):
        assert service.patient_for_calendar_token(db, token=malformed) is None


def test_the_feed_carries_no_personal_data(db: Session) -> None:
    anna = make(db, "anna.jansen@example.nl")
    plan = service.create_plan(db, patient=anna, programme_id="basis", today=dt.date(2026, 4, 6))
    feed = service.calendar_feed(
        plan=plan, patient=anna, now=dt.datetime(2026, 4, 6, 12, tzinfo=dt.UTC)
    ).decode()
    assert feed.count("BEGIN:VEVENT") == 3
    for personal in (anna.email, anna.display_name, anna.public_id, plan.calendar_token):
        assert personal not in feed


@pytest.mark.parametrize(
    ("times", "done", "now", "due", "next_at", "left"),
    [
        ((dt.time(8), dt.time(13), dt.time(20)), 0, dt.time(7), False, dt.time(8), 3),
        ((dt.time(8), dt.time(13), dt.time(20)), 0, dt.time(14), True, None, 3),
        ((dt.time(8), dt.time(13), dt.time(20)), 1, dt.time(10), False, dt.time(13), 2),
        ((dt.time(8), dt.time(13), dt.time(20)), 3, dt.time(21), False, None, 0),
        ((dt.time(8),), 1, dt.time(21), False, None, 2),
    ],
)
def test_a_session_is_due_from_its_reminder_time(
    times: tuple[dt.time, ...],
    done: int,
    now: dt.time,
    due: bool,
    next_at: dt.time | None,
    left: int,
) -> None:
    reminder = service.due_reminder(times, done=done, planned=3, now_local=now)
    assert (reminder.due, reminder.next_at, reminder.left_today) == (due, next_at, left)


def test_the_player_document_numbers_repetitions_and_breaths(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    plan = service.create_plan(db, patient=anna, programme_id="basis", today=dt.date(2026, 4, 6))
    document = service.player_document(plan, "nl")
    cues = document["cues"]
    # Leaflet 001: 10 x (6 s squeeze + 6 s relax) = 120 s.
    assert document["total_duration_s"] == 120
    assert [c["rep"] for c in cues[::2]] == list(range(1, 11))
    assert {c["reps"] for c in cues} == {10}
    assert len(cues[0]["pulses"]) == 2
    plan.programme_id = "ontspanning"
    breaths = [c["breath"] for c in service.player_document(plan, "en")["cues"]]
    assert breaths.count("in") == breaths.count("out") == 10


def test_electrostimulation_needs_a_passed_screen_and_stores_it(db: Session) -> None:
    anna = make(db, "anna@example.nl")
    therapist = make(db, "t@example.nl", Role.THERAPIST)
    day = dt.date(2026, 4, 6)
    with pytest.raises(ContraindicationError) as info:
        service.assign_electrostimulation_to(
            db,
            patient=anna,
            therapist=therapist,
            parameters=PARAMETERS,
            answers=ScreeningAnswers(pacemaker=True),
            screened_on=day,
            today=day,
        )
    assert {f.item for f in info.value.findings} == set(ScreeningAnswers.__dataclass_fields__)
    assert count(db, ModalityAssignment) == 0
    with pytest.raises(ContraindicationError):
        service.assign_electrostimulation_to(
            db,
            patient=anna,
            therapist=therapist,
            parameters=PARAMETERS,
            answers=ALL_NO,
            screened_on=day - dt.timedelta(days=31),
            today=day,
        )
    first = service.assign_electrostimulation_to(
        db,
        patient=anna,
        therapist=therapist,
        parameters=PARAMETERS,
        answers=ALL_NO,
        screened_on=day,
        today=day,
    )
    second = service.assign_electrostimulation_to(
        db,
        patient=anna,
        therapist=therapist,
        parameters=ElectrostimulationParameters(50, 300, 5, 5, 15, 20),
        answers=ALL_NO,
        screened_on=day,
        today=day + dt.timedelta(days=1),
    )
    db.expire_all()
    assert first.ended_on == day + dt.timedelta(days=1)
    assert service.active_assignments(db, patient=anna) == [second]
    assert second.screening_answers == dict.fromkeys(ScreeningAnswers.__dataclass_fields__, False)
    assert (second.frequency_hz, second.intensity_ma, second.screened_on) == (50, 20, day)


def test_balloon_training_and_the_patients_log(db: Session) -> None:
    anna, kees = make(db, "anna@example.nl"), make(db, "kees@example.nl")
    therapist = make(db, "t@example.nl", Role.THERAPIST)
    day = dt.date(2026, 4, 6)
    protocol = BalloonProtocol(
        (50.0, 30.0), (BalloonStep("sense", 50.0), BalloonStep("squeeze", 30.0, 5, "hold 5 s"))
    )
    row = service.assign_balloon(
        db, patient=anna, therapist=therapist, protocol=protocol, today=day
    )
    _, logged = service.log_modality_session(
        db,
        patient=anna,
        assignment_id=row.public_id,
        performed_at=local(day, 19),
        discomfort_0_10=8,
        completed=True,
        notes="  pijnlijk ",
        now=local(day, 20),
    )
    assert logged.tolerance == "poor" and logged.advice is not None
    entries = service.modality_log(db, patient=anna)
    assert [(s.notes, a.modality, log.tolerance) for s, a, log in entries] == [
        ("pijnlijk", "balloon", "poor")
    ]
    assert entries[0][1].balloon_steps == [
        {"action": "sense", "volume_ml": 50.0, "repetitions": 1, "note": ""},
        {"action": "squeeze", "volume_ml": 30.0, "repetitions": 5, "note": "hold 5 s"},
    ]
    with pytest.raises(NotFoundError):
        note(db, kees, row.public_id, 1)
    with pytest.raises(InputError) as info:
        note(db, anna, row.public_id, 11)
    assert info.value.field == "discomfort_0_10"
    service.stop_assignment(db, patient=anna, assignment_id=row.public_id, today=day)
    with pytest.raises(ConflictError):
        note(db, anna, row.public_id, 1)
    assert count(db, ModalitySession) == 1


def test_the_demo_gives_anna_and_kees_a_plan_with_gaps(db: Session) -> None:
    from pelvio.training import demo

    users = {"anna@demo.pelvio.nl": make(db, "anna@demo.pelvio.nl")}
    users["kees@demo.pelvio.nl"] = make(db, "kees@demo.pelvio.nl")
    demo.seed(db, users)
    now = dt.datetime.now(dt.UTC)
    anna = service.status(db, patient=users["anna@demo.pelvio.nl"], now=now)
    kees = service.status(db, patient=users["kees@demo.pelvio.nl"], now=now)
    assert anna is not None and kees is not None
    assert (anna.plan.programme_id, kees.plan.programme_id) == ("basis", "kegel-varianten")
    past = [d.status for d in anna.report.days[:-1]]
    assert {"done", "missed", "partial"} <= set(past)
    assert anna.report.current_streak_days >= 3
    assert not anna.progression.stepped_up
