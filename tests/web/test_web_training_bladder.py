"""Bladder training on the web: setting the schedule, the week's interval, the urge routine.

Expected intervals follow the rule of docs/training.md ("Bladder training schedule"):
start + (week - 1) x step, capped at the target; the defaults 60 / +15 / 180 min are Pelvio's
choice (NHG-Standaard M46 leaves the numbers open).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select

from pelvio.accounts import service as accounts
from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import AccessLog, User
from pelvio.training.tables import BladderScheduleRow
from tests.web.conftest import csrf_token, log_in

NEW_EMAIL, NEW_PASSWORD = "urge@example.nl", "an-urge-patient-1"


def _user(client: TestClient, email: str) -> User:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        found = db.scalar(select(User).where(User.email == email))
        assert isinstance(found, User)
        return found


def _new_linked_patient(client: TestClient) -> User:
    """A patient of the demo therapist with no training plan at all."""
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        patient = accounts.create_user(
            db, email=NEW_EMAIL, password=NEW_PASSWORD, display_name="Urge", role=Role.PATIENT
        )
        therapist = db.scalar(select(User).where(User.email == DEMO_THERAPIST.email))
        assert therapist is not None
        accounts.link_patient(db, therapist=therapist, patient=patient)
        db.commit()
        return patient


def _actions(client: TestClient) -> list[tuple[str, str, str]]:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        return [(r.actor_role, r.action, r.outcome) for r in db.scalars(select(AccessLog))]


def _interval(html: str) -> int:
    match = re.search(r"<strong data-bladder-interval>(\d+)</strong>", html)
    assert match, "no interval on the page"
    return int(match.group(1))


def _times(html: str) -> list[str]:
    block = re.search(r'<ol class="void-times"[^>]*>(.*?)</ol>', html, re.S)
    assert block, "no planned voids on the page"
    return re.findall(r"\b(\d\d:\d\d)\b", block.group(1))


def _local_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def _no_zero_of_zero(html: str) -> None:
    assert not re.search(r"\b0 (van|of) 0\b", html), "an adherence count of 0 of 0"


def test_a_patient_starts_bladder_training_and_sees_week_one(client: TestClient) -> None:
    _new_linked_patient(client)
    log_in(client, NEW_EMAIL, NEW_PASSWORD)
    choose = client.get("/training").text
    assert 'href="/training/bladder"' in choose
    start_page = client.get("/training/bladder")
    assert start_page.status_code == 200
    assert "Start blaastraining" in start_page.text
    assert 'value="60"' in start_page.text  # DEFAULT_VOIDING_SCHEDULE.start_interval_min

    saved = client.post(
        "/training/bladder",
        data={
            "csrf_token": csrf_token(client, "/training/bladder"),
            "start_interval_min": "60",
            "first_void": "07:00",
            "bed": "22:30",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get("/training/bladder").text
    assert "Week 1" in page
    assert _interval(page) == 60
    # Week 1 at 60 min from 07:00: hourly until before bedtime 22:30.
    assert _times(page) == [f"{h:02d}:00" for h in range(7, 23)]
    assert "NHG-Standaard M46" in page
    assert "keuze van Pelvio" in page
    assert "Aandrang? Doe de oefening" in page
    data = json.loads(
        re.search(r'id="player-data">(.*?)</script>', page, re.S).group(1)  # type: ignore[union-attr]
    )
    assert data["programme_id"] == "blaastraining"
    assert data["post_url"] is None
    assert "plasdagboek" in page
    assert 'id="player-question"' not in page
    for html in (page, client.get("/today").text, client.get("/training").text):
        _no_zero_of_zero(html)
    assert "Blaastraining:" in client.get("/today").text
    assert ("patient", "change:training-bladder", "allowed") in _actions(client)
    assert ("patient", "view:training-bladder", "allowed") in _actions(client)


def test_a_schedule_started_weeks_ago_shows_the_later_interval(client: TestClient) -> None:
    patient = _new_linked_patient(client)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    path = f"/patients/{patient.public_id}/training"
    token = csrf_token(client, path)
    start = _local_today() - dt.timedelta(days=21)  # day 21 lies in week 4
    saved = client.post(
        f"{path}/bladder",
        data={
            "csrf_token": token,
            "start_date": start.isoformat(),
            "start_interval_min": "60",
            "increase_min_per_week": "15",
            "target_interval_min": "180",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    therapist_page = client.get(path).text
    assert "week 4: elke 105 minuten" in therapist_page  # 60 + 3 x 15
    assert "bereikt in week 9" in therapist_page  # 60 -> 180 in steps of 15: 1 + 8
    _no_zero_of_zero(therapist_page)

    log_in(client, NEW_EMAIL, NEW_PASSWORD)
    page = client.get("/training/bladder").text
    assert "Week 4" in page and _interval(page) == 105
    assert _times(page)[:3] == ["07:00", "08:45", "10:30"]

    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    long_ago = _local_today() - dt.timedelta(weeks=20)
    client.post(
        f"{path}/bladder",
        data={"csrf_token": csrf_token(client, path), "start_date": long_ago.isoformat()},
    )
    log_in(client, NEW_EMAIL, NEW_PASSWORD)
    page = client.get("/training/bladder").text
    assert _interval(page) == 180
    assert "doel van 180 minuten bereikt" in page


def test_bad_schedule_input_is_refused_in_dutch_and_nothing_stored(client: TestClient) -> None:
    _new_linked_patient(client)
    log_in(client, NEW_EMAIL, NEW_PASSWORD)
    token = csrf_token(client, "/training/bladder")
    too_long = client.post(
        "/training/bladder",
        data={"csrf_token": token, "start_interval_min": "500", "first_void": "07:00"},
    )
    assert too_long.status_code == 422
    assert "van 15 tot 240 minuten" in too_long.text
    backwards = client.post(
        "/training/bladder",
        data={
            "csrf_token": token,
            "start_interval_min": "60",
            "first_void": "22:00",
            "bed": "07:00",
        },
    )
    assert backwards.status_code == 422
    assert "later dan je eerste plas" in backwards.text
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        assert db.scalar(select(BladderScheduleRow)) is None


def test_stopping_bladder_training_leaves_the_pelvic_floor_plan(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/training/bladder")
    client.post("/training/bladder", data={"csrf_token": token, "start_interval_min": "90"})
    home = client.get("/training").text
    assert "Je blaastraining" in home and "sessies gedaan vandaag" in home
    assert _interval(client.get("/training/bladder").text) == 90
    client.post("/training/bladder/stop", data={"csrf_token": token})
    assert "Start blaastraining" in client.get("/training/bladder").text
    assert "sessies gedaan vandaag" in client.get("/training").text
    assert "Blaastraining:" not in client.get("/today").text


def test_another_patients_bladder_training_is_404(client: TestClient) -> None:
    kees = _user(client, DEMO_PATIENT_2.email)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    path = f"/patients/{kees.public_id}/training"
    client.post(
        f"{path}/bladder", data={"csrf_token": csrf_token(client, path), "start_interval_min": "75"}
    )
    assert "elke 75 minuten" in client.get(path).text

    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    other = client.get(path)
    assert other.status_code == 404
    assert "75 minuten" not in other.text and DEMO_PATIENT_2.display_name not in other.text
    # Anna's own page shows her (empty) schedule, never Kees's.
    assert "Start blaastraining" in client.get("/training/bladder").text
    token = csrf_token(client, "/training")
    change = client.post(f"{path}/bladder", data={"csrf_token": token, "start_interval_min": "30"})
    assert change.status_code == 403  # therapists only; nothing about Kees is read

    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        accounts.create_user(
            db,
            email="other@clinic.nl",
            password="another-therapist-1",
            display_name="other",
            role=Role.THERAPIST,
        )
        db.commit()
    log_in(client, "other@clinic.nl", "another-therapist-1")
    token = csrf_token(client, "/today")
    for url in (f"{path}/bladder", f"{path}/bladder/stop"):
        stranger = client.post(url, data={"csrf_token": token, "start_interval_min": "30"})
        assert stranger.status_code == 404
    assert ("therapist", "change:training-bladder", "denied") in _actions(client)
    assert client.get("/training/bladder").status_code == 403
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        rows = list(db.scalars(select(BladderScheduleRow)))
        assert [(r.patient_id, r.start_interval_min) for r in rows] == [(kees.id, 75)]
