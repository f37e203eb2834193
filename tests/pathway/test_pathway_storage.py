"""Storing intakes, check-ins and the directory, on SQLite and PostgreSQL (``db`` fixture)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pelvio.accounts import service as accounts
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.errors import ConflictError, InputError
from pelvio.pathway import DiarySummary, answers_from_mapping, explain, service
from pelvio.pathway.demo import ANNA_ANSWERS, KEES_ANSWERS
from pelvio.pathway.tables import PathwayCheckin, PathwayIntake

START = dt.date(2026, 11, 2)


def make_user(db: Session, name: str, role: Role = Role.PATIENT) -> User:
    return accounts.create_user(
        db,
        email=f"{name}@example.nl",
        password="een-lang-wachtwoord-2026",
        display_name=name.title(),
        role=role,
    )


def test_intakes_are_versioned_and_never_overwritten(db: Session) -> None:
    anna = make_user(db, "anna")
    other = make_user(db, "bea")
    first = service.record_intake(
        db, patient=anna, answers=answers_from_mapping(ANNA_ANSWERS), start_date=START
    )
    service.record_intake(
        db, patient=other, answers=answers_from_mapping(ANNA_ANSWERS), start_date=START
    )
    changed = {**ANNA_ANSWERS, "complaints": ["leak_effort"], "tense_signs": []}
    second = service.record_intake(
        db, patient=anna, answers=answers_from_mapping(changed), start_date=START
    )
    db.commit()
    assert (first.version, second.version) == (1, 2)
    assert service.latest_intake(db, patient=anna) == second
    assert [i.version for i in service.intakes(db, patient=anna)] == [2, 1]
    db.expire_all()
    stored = db.scalar(select(PathwayIntake).where(PathwayIntake.id == first.id))
    assert stored is not None
    assert stored.answers == ANNA_ANSWERS
    assert stored.start_date == START
    assert stored.explanation == explain(answers_from_mapping(ANNA_ANSWERS), START)
    assert service.plan_of(stored).programme_ids == ("ontspanning", "kracht-uithouding-coordinatie")
    assert service.latest_intake(db, patient=make_user(db, "cor")) is None


def test_only_patients_have_an_intake(db: Session) -> None:
    therapist = make_user(db, "sanne", Role.THERAPIST)
    with pytest.raises(InputError) as info:
        service.record_intake(
            db, patient=therapist, answers=answers_from_mapping(KEES_ANSWERS), start_date=START
        )
    assert info.value.field == "patient"


def test_checkins_compare_with_the_baseline_of_the_same_intake(db: Session) -> None:
    kees = make_user(db, "kees")
    with pytest.raises(ConflictError):
        service.record_checkin(db, patient=kees, point="2w", pgi_i=3)
    service.record_intake(
        db, patient=kees, answers=answers_from_mapping(KEES_ANSWERS), start_date=START
    )
    # clinical.md section 5 worked example: Q3=2, Q4=2, Q5=5 -> 9
    base = service.record_checkin(
        db,
        patient=kees,
        point="baseline",
        iciq_items={"q3": 2, "q4": 2, "q5": 5},
        diary=DiarySummary(incontinence_episodes_24h=4),
    )
    assert (base.iciq_total, base.outcome, base.result, base.pgi_i) == (9, None, None, None)
    assert base.diary == {
        "incontinence_episodes_24h": 4,
        "urgency_episodes_24h": None,
        "daytime_frequency": None,
        "nocturia": None,
    }
    # 6 weeks: PGI-I 4 (no change), ICIQ 9 -> 7 (2 < 2.52, Nystrom 2015), leaks 4 -> 2 (half):
    # improved by the diary rule -> continue (docs/pathway.md, checkin-improving)
    six = service.record_checkin(
        db,
        patient=kees,
        point="6w",
        pgi_i=4,
        iciq_items={"q3": 2, "q4": 2, "q5": 3},
        diary=DiarySummary(incontinence_episodes_24h=2),
    )
    db.commit()
    db.expire_all()
    stored = db.get(PathwayCheckin, six.id)
    assert stored is not None
    assert stored.outcome == "continue"
    assert stored.result is not None
    assert stored.result["rule"] == "checkin-improving"
    assert stored.result["progress"]["iciq_change"] == 2
    assert stored.result["progress"]["diary_leak_fraction"] == pytest.approx(0.5)
    assert [c.point for c in service.checkins(db, patient=kees)] == ["baseline", "6w"]
    assert service.latest_checkin(db, patient=kees, point="6w") == stored
    assert service.latest_checkin(db, patient=kees, point="3m") is None


def test_a_red_flag_at_any_checkin_means_seek_care_now(db: Session) -> None:
    kees = make_user(db, "kees")
    service.record_intake(
        db, patient=kees, answers=answers_from_mapping(KEES_ANSWERS), start_date=START
    )
    for point, pgi in (("baseline", None), ("2w", 1), ("6w", 2), ("3m", 1)):
        row = service.record_checkin(
            db, patient=kees, point=point, pgi_i=pgi, red_flags=["unable_to_void"]
        )
        assert row.outcome == "seek-care-now", point
        assert row.result is not None and row.result["rule"] == "checkin-red-flag"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"point": "1y", "pgi_i": 3}, "point"),
        ({"point": "2w"}, "pgi_i"),
        ({"point": "2w", "pgi_i": 8}, "pgi_i"),
        ({"point": "2w", "pgi_i": 3, "iciq_items": {"q3": 1, "q4": 2}}, "q5"),
        ({"point": "2w", "pgi_i": 3, "iciq_items": {"q3": 1, "q4": 3, "q5": 0}}, "q4"),
        ({"point": "2w", "pgi_i": 3, "red_flags": ["headache"]}, "red_flags"),
    ],
)
def test_bad_checkins_name_the_field_and_store_nothing(
    db: Session, kwargs: dict[str, object], field: str
) -> None:
    kees = make_user(db, "kees")
    service.record_intake(
        db, patient=kees, answers=answers_from_mapping(KEES_ANSWERS), start_date=START
    )
    with pytest.raises(InputError) as info:
        service.record_checkin(db, patient=kees, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert service.checkins(db, patient=kees) == []


def test_directory_search_by_city_ignores_case_accents_and_punctuation(db: Session) -> None:
    sanne = make_user(db, "sanne", Role.THERAPIST)
    joris = make_user(db, "joris", Role.THERAPIST)
    lies = make_user(db, "lies", Role.THERAPIST)
    service.list_in_directory(
        db, therapist=sanne, display_name="Sanne de Vries", city="Utrecht", register="CKR"
    )
    service.list_in_directory(
        db,
        therapist=joris,
        display_name="Joris Peeters",
        city="Liège",
        register="SKF",
        register_number="SKF-123",
    )
    service.list_in_directory(
        db, therapist=lies, display_name="Lies Bos", city="'s-Hertogenbosch", register="CKR"
    )
    db.commit()

    def names(city: str) -> list[str]:
        return [e.display_name for e in service.find_therapists(db, city=city)]

    assert names("utrecht") == ["Sanne de Vries"]
    assert names("  UTRÉCHT ") == ["Sanne de Vries"]
    assert names("liege") == ["Joris Peeters"]
    assert names("S HERTOGENBOSCH") == ["Lies Bos"]
    assert names("hertogen") == ["Lies Bos"]
    assert names("%") == names("_") == names("")  # no LIKE wildcards get through
    assert names("") == ["Joris Peeters", "Lies Bos", "Sanne de Vries"]
    assert names("Gent") == []

    service.list_in_directory(
        db, therapist=sanne, display_name="Sanne de Vries", city="Zeist", register="SKF"
    )
    assert names("utrecht") == [] and names("zeist") == ["Sanne de Vries"]
    service.leave_directory(db, therapist=sanne)
    service.leave_directory(db, therapist=sanne)
    assert names("zeist") == []
    lies.active = False
    db.flush()
    assert names("bosch") == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"display_name": " ", "city": "Utrecht", "register": "CKR"}, "display_name"),
        ({"display_name": "A", "city": "", "register": "CKR"}, "city"),
        ({"display_name": "A", "city": "--", "register": "CKR"}, "city"),
        ({"display_name": "A", "city": "Utrecht", "register": "BIG"}, "register"),
        (
            {"display_name": "A", "city": "Utrecht", "register": "CKR", "register_number": "<x>"},
            "register_number",
        ),
        ({"display_name": "A" * 201, "city": "Utrecht", "register": "CKR"}, "display_name"),
    ],
)
def test_bad_directory_entries_name_the_field(
    db: Session, kwargs: dict[str, str], field: str
) -> None:
    sanne = make_user(db, "sanne", Role.THERAPIST)
    with pytest.raises(InputError) as info:
        service.list_in_directory(db, therapist=sanne, **kwargs)
    assert info.value.field == field


def test_patients_are_not_listed(db: Session) -> None:
    anna = make_user(db, "anna")
    with pytest.raises(InputError):
        service.list_in_directory(
            db, therapist=anna, display_name="Anna", city="Utrecht", register="CKR"
        )


def test_city_key_folds_accents_case_and_punctuation() -> None:
    assert service.city_key("'s-Hertogenbosch") == "s hertogenbosch"
    assert service.city_key("  Liège ") == "liege"
    assert service.city_key("ÉÉN--twee") == "een twee"
    assert service.city_key("") == ""
