"""Diary storage on SQLite and PostgreSQL: instants and offsets, retries, undo, CSV, spans."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.db import Base
from pelvio.diary import Bed, Drink, Event, Leak, Void, Wake, service
from pelvio.diary.tables import DiaryEntry
from pelvio.errors import ConflictError, FileFormatError, InputError, NotFoundError

AMS = ZoneInfo("Europe/Amsterdam")


def _patient(db: Session, name: str = "p") -> User:
    user = User(
        email=f"{name}-{uuid.uuid4().hex[:8]}@example.org",
        display_name=name,
        role=Role.PATIENT,
        password_hash="not-a-hash",
    )
    db.add(user)
    db.flush()
    return user


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=AMS)


def _count(db: Session, patient: User) -> int:
    return (
        db.scalar(
            select(func.count()).select_from(DiaryEntry).where(DiaryEntry.patient_id == patient.id)
        )
        or 0
    )


def test_an_entry_keeps_its_instant_and_offset(db: Session) -> None:
    patient = _patient(db)
    summer = Void(time=_at("2025-03-30T07:00"), urgency=2, volume_ml=350)
    winter = Void(time=_at("2025-03-29T22:45"), urgency=0, volume_ml=150)
    for event in (summer, winter):
        service.add_entry(db, patient=patient, client_id=str(uuid.uuid4()), event=event)
    db.expire_all()
    rows = service.entries(db, patient=patient)
    assert [r.utc_offset_min for r in rows] == [60, 120]
    assert [r.timezone for r in rows] == ["Europe/Amsterdam"] * 2
    assert rows[1].at == dt.datetime(2025, 3, 30, 5, 0, tzinfo=dt.UTC)
    back = service.to_event(rows[1])
    assert back == summer and back.time.isoformat() == "2025-03-30T07:00:00+02:00"


def test_the_same_client_id_is_stored_once(db: Session) -> None:
    patient = _patient(db)
    key = str(uuid.uuid4())
    event = Drink(time=_at("2025-06-01T10:00"), volume_ml=250, kind="thee")
    first, created = service.add_entry(db, patient=patient, client_id=key, event=event)
    again, created_again = service.add_entry(db, patient=patient, client_id=key, event=event)
    assert created and not created_again and again.id == first.id
    assert _count(db, patient) == 1
    other = Drink(time=_at("2025-06-01T10:00"), volume_ml=300, kind="thee")
    with pytest.raises(ConflictError):
        service.add_entry(db, patient=patient, client_id=key, event=other)
    with pytest.raises(InputError) as bad:
        service.add_entry(db, patient=patient, client_id="not-a-uuid", event=event)
    assert bad.value.field == "client_id"


def test_client_ids_are_per_patient(db: Session) -> None:
    anna, kees = _patient(db, "anna"), _patient(db, "kees")
    key = str(uuid.uuid4())
    event = Wake(time=_at("2025-06-01T07:00"))
    service.add_entry(db, patient=anna, client_id=key, event=event)
    _row, created = service.add_entry(db, patient=kees, client_id=key, event=event)
    assert created and _count(db, kees) == 1


def test_future_entries_are_refused(db: Session) -> None:
    patient = _patient(db)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
    with pytest.raises(InputError) as refused:
        service.add_entry(db, patient=patient, client_id=str(uuid.uuid4()), event=Bed(time=later))
    assert refused.value.field == "time"


def test_delete_and_undo(db: Session) -> None:
    patient = _patient(db)
    row, _ = service.add_entry(
        db,
        patient=patient,
        client_id=str(uuid.uuid4()),
        event=Leak(time=_at("2025-06-01T16:00"), amount="small", trigger="cough"),
    )
    service.delete_entry(db, patient=patient, entry_id=row.public_id)
    assert service.entries(db, patient=patient) == []
    with pytest.raises(NotFoundError):
        service.get_entry(db, patient=patient, entry_id=row.public_id)
    service.restore_entry(db, patient=patient, entry_id=row.public_id)
    assert [r.public_id for r in service.entries(db, patient=patient)] == [row.public_id]


def test_update_keeps_the_kind_and_checks_the_owner(db: Session) -> None:
    anna, kees = _patient(db, "anna"), _patient(db, "kees")
    row, _ = service.add_entry(
        db,
        patient=anna,
        client_id=str(uuid.uuid4()),
        event=Void(time=_at("2025-06-01T10:00"), urgency=0, volume_ml=200),
    )
    changed = Void(time=_at("2025-06-01T10:15"), urgency=3, volume_ml=275)
    service.update_entry(db, patient=anna, entry_id=row.public_id, event=changed)
    assert service.to_event(service.get_entry(db, patient=anna, entry_id=row.public_id)) == changed
    with pytest.raises(InputError) as kind:
        service.update_entry(
            db, patient=anna, entry_id=row.public_id, event=Bed(time=_at("2025-06-01T23:00"))
        )
    assert kind.value.field == "event"
    with pytest.raises(NotFoundError):
        service.update_entry(db, patient=kees, entry_id=row.public_id, event=changed)


CSV_OK = (
    "time,event,volume_ml,urgency,amount,trigger,kind,bristol,note\r\n"
    "2025-03-29T07:00:00+01:00,wake,,,,,,,\r\n"
    "2025-03-29T07:00:00+01:00,void,300,0,,,,,\r\n"
    "2025-03-29T07:30:00+01:00,drink,250,,,,tea,,\r\n"
    "2025-03-29T16:00:00+01:00,leak,,,small,cough,,,\r\n"
    '2025-03-29T18:00:00+01:00,bowel,,,,,straining;incomplete,2,"hard, slow"\r\n'
)


def test_csv_import_is_all_or_nothing_and_names_line_and_field(db: Session) -> None:
    patient = _patient(db)
    bad = CSV_OK + "2025-03-29T19:00:00+01:00,void,250ml,0,,,,,\r\n"
    bad += "2025-03-29T20:00:00+01:00,leak,,,lots,cough,,,\r\n"
    with pytest.raises(FileFormatError) as refused:
        service.import_csv(db, patient=patient, text=bad, source="dagboek.csv")
    assert refused.value.line == 7 and refused.value.field == "volume_ml"
    message = str(refused.value)
    assert "line 7, field volume_ml" in message and "line 8, field amount" in message
    assert _count(db, patient) == 0


def test_csv_import_then_export_gives_the_same_entries_and_no_duplicates(db: Session) -> None:
    patient = _patient(db)
    result = service.import_csv(db, patient=patient, text=CSV_OK)
    assert (result.added, result.already_there) == (5, 0)
    again = service.import_csv(db, patient=patient, text=CSV_OK)
    assert (again.added, again.already_there) == (0, 5)
    assert service.export_csv(db, patient=patient) == CSV_OK


def test_profile_ranges(db: Session) -> None:
    patient = _patient(db)
    assert service.get_profile(db, patient=patient) is None
    service.save_profile(db, patient=patient, age_years=70, weight_kg=65.0)
    profile = service.get_profile(db, patient=patient)
    assert profile is not None and (profile.age_years, profile.weight_kg) == (70, 65.0)
    for age, weight, field in ((17, None, "age_years"), (None, 401.0, "weight_kg")):
        with pytest.raises(InputError) as refused:
            service.save_profile(db, patient=patient, age_years=age, weight_kg=weight)
        assert refused.value.field == field


def test_diaries_weeks_apart_are_separate_spans(db: Session) -> None:
    patient = _patient(db)
    events: list[Event] = [
        Wake(time=_at("2025-05-01T07:00")),
        Void(time=_at("2025-05-01T07:00"), urgency=0, volume_ml=300),
        Bed(time=_at("2025-05-01T23:00")),
        Wake(time=_at("2025-05-02T07:00")),
        Wake(time=_at("2025-05-20T07:00")),
        Void(time=_at("2025-05-20T07:05"), urgency=0, volume_ml=280),
    ]
    service.add_entries(db, patient=patient, events=events)
    spans = service.diary_spans(service.entries(db, patient=patient))
    assert [(s.first.isoformat(), s.last.isoformat(), len(s.entries)) for s in spans] == [
        ("2025-05-01", "2025-05-02", 4),
        ("2025-05-20", "2025-05-20", 2),
    ]


def test_the_day_view_of_a_clock_change_has_23_hours_and_the_night_shaded(db: Session) -> None:
    patient = _patient(db)
    service.add_entries(
        db,
        patient=patient,
        events=[
            Bed(time=_at("2025-03-29T23:00")),
            Void(time=_at("2025-03-30T03:30"), urgency=0, volume_ml=250),
            Wake(time=_at("2025-03-30T07:00")),
        ],
    )
    view = service.day_view(
        service.entries(db, patient=patient), day=dt.date(2025, 3, 30), zone=AMS
    )
    assert view.length_h == 23
    # Midnight (CET) to 07:00 CEST is 6 real hours; the night band runs from 0 to 6.
    assert view.nights == ((0.0, 6.0),)
    assert [row.asleep for row in view.rows] == [True, False]
    assert [clock for _x, clock in view.ticks] == ["00:00", "07:00", "13:00", "19:00"]


def test_parse_local_time_refuses_the_skipped_hour() -> None:
    assert service.parse_local_time("2025-03-30T03:30", zone=AMS).utcoffset() == dt.timedelta(
        hours=2
    )
    with pytest.raises(InputError) as skipped:
        service.parse_local_time("2025-03-30T02:30", zone=AMS)
    assert skipped.value.field == "time"
    with pytest.raises(InputError):
        service.parse_local_time("30-03-2025 07:00", zone=AMS)


def test_the_migration_matches_the_tables(db: Session) -> None:
    context = MigrationContext.configure(db.connection())
    diffs = [
        diff
        for diff in compare_metadata(context, Base.metadata)
        if "diary_" in repr(diff) or "questionnaire_" in repr(diff)
    ]
    assert diffs == []
