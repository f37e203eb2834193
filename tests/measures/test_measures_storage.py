"""Questionnaire storage on SQLite and PostgreSQL: exact scores, retries, what is due."""

from __future__ import annotations

import datetime as dt
import uuid
from fractions import Fraction

import pytest
from sqlalchemy.orm import Session

from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.errors import ConflictError, InputError, NotFoundError
from pelvio.measures import INSTRUMENTS, service

UTC = dt.UTC

# clinical.md §5: PFDI-20 UDI-6 [2,3,0,1,0,0], POPDI-6 [0,0,1,0,0,0], CRADI-8 [0,1,0,0,2,0,0,0]
# give 25.00, 4.17 and 9.38, total 38.54 (exactly 925/24).
PFDI_EXAMPLE = {
    **{f"q{n}": v for n, v in enumerate((0, 0, 1, 0, 0, 0), 1)},
    **{f"q{n}": v for n, v in enumerate((0, 1, 0, 0, 2, 0, 0, 0), 7)},
    **{f"q{n}": v for n, v in enumerate((2, 3, 0, 1, 0, 0), 15)},
}


def _patient(db: Session) -> User:
    user = User(
        email=f"m-{uuid.uuid4().hex[:8]}@example.org",
        display_name="m",
        role=Role.PATIENT,
        password_hash="not-a-hash",
    )
    db.add(user)
    db.flush()
    return user


def test_the_exact_score_is_stored_and_read_back(db: Session) -> None:
    patient = _patient(db)
    row, result, created = service.save_response(
        db,
        patient=patient,
        instrument="PFDI-20",
        answers=PFDI_EXAMPLE,
        client_id=str(uuid.uuid4()),
    )
    assert created and row.instrument == "pfdi-20"
    db.expire_all()
    stored = service.get_response(db, patient=patient, response_id=row.public_id)
    assert stored.total == "925/24" and service.total_of(stored) == Fraction(925, 24)
    assert stored.subscales == {"popdi6": "25/6", "cradi8": "75/8", "udi6": "25"}
    assert service.result_of(stored).total == result.total


def test_a_form_sent_twice_is_stored_once(db: Session) -> None:
    patient = _patient(db)
    key = str(uuid.uuid4())
    answers = {"q3": 2, "q4": 2, "q5": 5}
    first, _, created = service.save_response(
        db, patient=patient, instrument="iciq-ui-sf", answers=answers, client_id=key
    )
    again, result, created_again = service.save_response(
        db, patient=patient, instrument="iciq-ui-sf", answers=answers, client_id=key
    )
    assert created and not created_again and first.id == again.id
    assert result.total == 9 and first.band == "moderate"  # clinical.md §5: 9, moderate
    assert len(service.responses(db, patient=patient)) == 1
    with pytest.raises(ConflictError):
        service.save_response(
            db,
            patient=patient,
            instrument="iciq-ui-sf",
            answers={"q3": 1, "q4": 2, "q5": 5},
            client_id=key,
        )


def test_out_of_range_and_missing_answers_are_refused_with_the_item(db: Session) -> None:
    patient = _patient(db)
    with pytest.raises(InputError) as out_of_range:
        service.save_response(
            db,
            patient=patient,
            instrument="iciq-ui-sf",
            answers={"q3": 2, "q4": 3, "q5": 5},
            client_id=str(uuid.uuid4()),
        )
    assert out_of_range.value.field == "q4"
    with pytest.raises(InputError) as missing:
        service.save_response(
            db,
            patient=patient,
            instrument="iciq-ui-sf",
            answers={"q3": 2, "q4": None, "q5": 5},
            client_id=str(uuid.uuid4()),
        )
    assert missing.value.field == "q4"
    assert service.responses(db, patient=patient) == []


def test_another_patients_response_is_not_found(db: Session) -> None:
    anna, kees = _patient(db), _patient(db)
    row, _, _ = service.save_response(
        db, patient=anna, instrument="pgi-i", answers={"q1": 2}, client_id=str(uuid.uuid4())
    )
    with pytest.raises(NotFoundError):
        service.get_response(db, patient=kees, response_id=row.public_id)


def test_questionnaires_are_due_at_the_start_and_the_check_ins(db: Session) -> None:
    patient = _patient(db)
    start = dt.date(2025, 1, 6)

    def due(day: dt.date) -> list[str]:
        return [i.key for i in service.due(db, patient=patient, today=day, zone=UTC)]

    assert due(start) == ["iciq-ui-sf"]
    service.save_response(
        db,
        patient=patient,
        instrument="iciq-ui-sf",
        answers={"q3": 3, "q4": 4, "q5": 6},
        client_id=str(uuid.uuid4()),
        completed_at=dt.datetime(2025, 1, 6, 9, tzinfo=UTC),
    )
    assert due(start + dt.timedelta(days=13)) == []
    assert due(start + dt.timedelta(days=14)) == ["iciq-ui-sf", "pgi-i"]
    service.save_response(
        db,
        patient=patient,
        instrument="pgi-i",
        answers={"q1": 3},
        client_id=str(uuid.uuid4()),
        completed_at=dt.datetime(2025, 1, 18, 9, tzinfo=UTC),  # 2 days early still counts
    )
    assert due(start + dt.timedelta(days=15)) == ["iciq-ui-sf"]
    assert due(start + dt.timedelta(days=42)) == ["iciq-ui-sf", "pgi-i"]


def test_the_trend_is_placed_by_date_and_range(db: Session) -> None:
    patient = _patient(db)
    for days, q3 in ((0, 4), (14, 2)):
        service.save_response(
            db,
            patient=patient,
            instrument="iciq-ui-sf",
            answers={"q3": q3, "q4": 2, "q5": 1},
            client_id=str(uuid.uuid4()),
            completed_at=dt.datetime(2025, 1, 1, tzinfo=UTC) + dt.timedelta(days=days),
        )
    rows = service.responses(db, patient=patient, instrument="iciq-ui-sf")
    points = service.trend(rows, instrument=INSTRUMENTS["iciq-ui-sf"], zone=UTC)
    assert [(p.x, p.total) for p in points] == [(0.0, Fraction(7)), (1.0, Fraction(5))]
    assert points[0].y == pytest.approx(7 / 21)
    assert service.trend([], instrument=INSTRUMENTS["iciq-ui-sf"], zone=UTC) == []
