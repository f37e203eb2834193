"""The training pages through HTTP: the player page, logging a session, the feed, the therapist."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pelvio.accounts import service as accounts
from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST, load_demo
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import AccessLog, User
from pelvio.app import create_app
from pelvio.db import create_db_engine, make_session_factory, session_scope, upgrade
from pelvio.settings import load_settings
from pelvio.training.tables import ModalityAssignment, PlanRow, TrainingSession
from tests.web.conftest import csrf_token, log_in

JSON_HEADERS = {"Accept": "application/json"}


def user(client: TestClient, email: str) -> User:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        found = db.scalar(select(User).where(User.email == email))
        assert isinstance(found, User)
        return found


def add_user(client: TestClient, email: str, password: str, role: Role) -> None:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        accounts.create_user(
            db, email=email, password=password, display_name=email.split("@")[0], role=role
        )
        db.commit()


def count(client: TestClient, table: type[object]) -> int:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        return db.scalar(select(func.count()).select_from(table)) or 0


def done_today(html: str) -> int:
    match = re.search(r"<strong data-training-done>(\d+)</strong>", html)
    assert match, "no done count on the page"
    return int(match.group(1))


def player_data(html: str) -> dict[str, object]:
    match = re.search(
        r'<script type="application/json" id="player-data">(.*?)</script>', html, re.S
    )
    assert match, "no player data block"
    data: dict[str, object] = json.loads(match.group(1))
    return data


def session_body(**change: object) -> dict[str, object]:
    now = dt.datetime.now(dt.UTC)
    body: dict[str, object] = {
        "client_id": "web-test-session-1",
        "programme_id": "basis",
        "level": 1,
        "started_at": (now - dt.timedelta(seconds=130)).isoformat(),
        "ended_at": (now - dt.timedelta(seconds=10)).isoformat(),
        "completed": True,
        "felt": "yes",
    }
    body.update(change)
    return body


def post_session(client: TestClient, token: str, **change: object) -> dict[str, object]:
    response = client.post(
        "/api/training/sessions",
        json=session_body(**change),
        headers={**JSON_HEADERS, "X-CSRF-Token": token},
    )
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def access_actions(client: TestClient) -> list[tuple[str, str, str]]:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        return [
            (row.actor_role, row.action, row.outcome)
            for row in db.scalars(select(AccessLog).order_by(AccessLog.id))
        ]


def test_a_logged_session_is_counted_on_training_and_today(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    before = done_today(client.get("/training").text)
    assert done_today(client.get("/today").text) == before
    result = post_session(client, csrf_token(client, "/training"))
    assert result["done_today"] == before + 1
    assert isinstance(result["reason"], str) and result["reason"]
    assert done_today(client.get("/training").text) == before + 1
    assert done_today(client.get("/today").text) == before + 1
    assert ("patient", "add:training-session", "allowed") in access_actions(client)


def test_the_same_session_sent_again_is_not_counted_twice(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/training")
    first = post_session(client, token, client_id="queued-offline-42")
    again = post_session(client, token, client_id="queued-offline-42")
    assert again["duplicate"] is True
    assert again["done_today"] == first["done_today"]


def test_a_bad_session_is_a_problem_naming_the_field(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/training")
    stored = count(client, TrainingSession)
    response = client.post(
        "/api/training/sessions",
        json=session_body(felt=None),
        headers={**JSON_HEADERS, "X-CSRF-Token": token},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "felt"
    no_token = client.post("/api/training/sessions", json=session_body(), headers=JSON_HEADERS)
    assert no_token.status_code == 403
    assert count(client, TrainingSession) == stored


def test_the_player_page_carries_its_timeline_as_data_not_script(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page = client.get("/training/play?speed=20&start=1")
    assert page.status_code == 200
    data = player_data(page.text)
    assert data["programme_id"] == "basis"
    assert data["total_duration_s"] == 120
    assert data["speed"] == 20  # honoured: the test settings run in "test" mode
    assert data["lang"] == "nl-NL"
    assert 'data-autostart="true"' in page.text
    assert "Kon je het aanspannen en het loslaten voelen?" in page.text
    # CSP allows no inline script; the only script bodies are JSON data blocks.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts
    for attributes, body in scripts:
        if 'type="application/json"' not in attributes:
            assert 'src="/static/' in attributes and not body.strip()
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_the_clock_is_never_sped_up_in_production(tmp_path: Path) -> None:
    settings = load_settings(
        env="production", data_dir=tmp_path, secret_key="p" * 40, secure_cookies=False
    )
    engine = create_db_engine(settings.effective_database_url)
    upgrade(engine)
    with session_scope(make_session_factory(engine)) as db:
        load_demo(db)
    engine.dispose()
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as production:
        log_in(production, DEMO_PATIENT.email, DEMO_PATIENT.password)
        data = player_data(production.get("/training/play?speed=20").text)
    assert data["speed"] == 1


def test_another_patients_training_is_404_and_therapist_pages_are_for_therapists(
    client: TestClient,
) -> None:
    anna, kees = user(client, DEMO_PATIENT.email), user(client, DEMO_PATIENT_2.email)
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    other = client.get(f"/patients/{kees.public_id}/training")
    assert other.status_code == 404
    assert DEMO_PATIENT_2.display_name not in other.text
    assert ("patient", "view:training", "denied") in access_actions(client)
    own = client.get(f"/patients/{anna.public_id}/training", follow_redirects=False)
    assert own.status_code == 303 and own.headers["location"] == "/training"
    token = csrf_token(client, "/training")
    change = client.post(
        f"/patients/{anna.public_id}/training/plan",
        data={"csrf_token": token, "programme_id": "basis", "level": "4", "sessions_per_day": "1"},
    )
    assert change.status_code == 403
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    assert client.get(f"/patients/{anna.public_id}/training").status_code == 200
    assert client.get(f"/patients/{'0' * 32}/training").status_code == 404
    assert client.get("/training").status_code == 403


def test_a_therapist_of_another_clinic_gets_404(client: TestClient) -> None:
    add_user(client, "other@clinic.nl", "another-therapist-1", Role.THERAPIST)
    anna = user(client, DEMO_PATIENT.email)
    log_in(client, "other@clinic.nl", "another-therapist-1")
    page = client.get(f"/patients/{anna.public_id}/training")
    assert page.status_code == 404
    assert DEMO_PATIENT.display_name not in page.text
    assert ("therapist", "view:training", "denied") in access_actions(client)


def feed_path(client: TestClient) -> str:
    page = client.get("/training/reminders")
    match = re.search(
        r'value="http://127\.0\.0\.1(/training/calendar/[A-Za-z0-9_-]+\.ics)"', page.text
    )
    assert match, "no feed address on the reminders page"
    return match.group(1)


def test_the_calendar_feed_needs_only_its_token_and_holds_no_personal_data(
    client: TestClient,
) -> None:
    anna = user(client, DEMO_PATIENT.email)
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    path = feed_path(client)
    client.cookies.clear()
    feed = client.get(path)
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    text = feed.text
    assert text.startswith("BEGIN:VCALENDAR")
    assert text.count("BEGIN:VEVENT") == 3
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    for personal in (anna.email, anna.display_name, "Anna", anna.public_id, token):
        assert personal not in text
    assert ("patient", "view:calendar-feed", "allowed") in access_actions(client)
    assert client.get("/training/calendar/" + "A" * 43 + ".ics").status_code == 404
    assert client.get(f"/training/calendar/{anna.public_id}.ics").status_code == 404
    assert ("anonymous", "view:calendar-feed", "not_found") in access_actions(client)


def test_a_new_feed_address_retires_the_old_one(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    old = feed_path(client)
    response = client.post(
        "/training/calendar/token", data={"csrf_token": csrf_token(client, "/training/reminders")}
    )
    assert response.status_code == 200 and "nieuw adres" in response.text
    new = feed_path(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_reminder_times_are_saved_and_bad_ones_explained_in_dutch(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/training/reminders")
    bad = client.post(
        "/training/reminders", data={"csrf_token": token, "times": ["08:00", "08:00"]}
    )
    assert bad.status_code == 422
    assert "Vul tijden in zoals 08:30" in bad.text
    good = client.post(
        "/training/reminders", data={"csrf_token": token, "times": ["07:45", "", "19:30"]}
    )
    assert good.status_code == 200
    assert 'value="07:45"' in good.text and 'value="19:30"' in good.text
    assert "BEGIN:VEVENT" in client.get(feed_path(client)).text
    assert client.get(feed_path(client)).text.count("BEGIN:VEVENT") == 2


def es_form(token: str, **answers: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "frequency_hz": "35",
        "pulse_width_us": "250",
        "on_time_s": "5",
        "off_time_s": "10",
        "duration_min": "20",
        "intensity_ma": "",
        "screened_on": dt.datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat(),
    }
    items = (
        "pregnant",
        "gave_birth_last_12_weeks",
        "pelvic_surgery_last_12_weeks",
        "pacemaker",
        "urinary_infection",
        "broken_skin",
        "large_prolapse",
    )
    form.update(dict.fromkeys(items, "no"))
    form.update(answers)
    return form


def test_the_screen_refuses_electrostimulation_and_lists_why(client: TestClient) -> None:
    anna = user(client, DEMO_PATIENT.email)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    page = f"/patients/{anna.public_id}/training"
    token = csrf_token(client, page)
    refused = client.post(
        f"{page}/electrostimulation", data=es_form(token, pacemaker="yes", large_prolapse="")
    )
    assert refused.status_code == 409
    assert "Elektrostimulatie kan niet worden voorgeschreven." in refused.text
    assert "Niet met een pacemaker." in refused.text
    assert "Heb je een grote verzakking? Deze vraag is niet beantwoord." in refused.text
    assert 'name="frequency_hz" inputmode="decimal" value="35"' in refused.text
    assert count(client, ModalityAssignment) == 0
    typo = client.post(f"{page}/electrostimulation", data=es_form(token, frequency_hz="350"))
    assert typo.status_code == 422
    assert count(client, ModalityAssignment) == 0
    assigned = client.post(f"{page}/electrostimulation", data=es_form(token))
    assert assigned.status_code == 200 and "35 Hz" in assigned.text
    assert count(client, ModalityAssignment) == 1
    assert ("therapist", "change:modality-assignment", "allowed") in access_actions(client)


def test_the_patient_logs_a_balloon_session_with_tolerance(client: TestClient) -> None:
    anna = user(client, DEMO_PATIENT.email)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    page = f"/patients/{anna.public_id}/training"
    token = csrf_token(client, page)
    response = client.post(
        f"{page}/balloon",
        data={
            "csrf_token": token,
            "step_action": ["sense", "squeeze", ""],
            "step_volume_ml": ["50", "40", ""],
            "step_repetitions": ["1", "5", "1"],
            "step_note": ["", "5 tellen", ""],
        },
    )
    assert response.status_code == 200 and "Ballontraining" in response.text

    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    training = client.get("/training").text
    assignment = re.search(r'name="assignment_id" value="([0-9a-f]{32})"', training)
    assert assignment and "Voel de ballon" in training
    logged = client.post(
        "/training/modality-sessions",
        data={
            "csrf_token": csrf_token(client, "/training"),
            "assignment_id": assignment.group(1),
            "discomfort_0_10": "8",
            "completed": "yes",
            "notes": "ging zwaar",
        },
    )
    assert logged.status_code == 200
    assert "Stop met deze oefening" in logged.text

    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    overview = client.get(page).text
    assert "ging zwaar" in overview and "slecht" in overview


def test_the_therapist_changes_the_level(client: TestClient) -> None:
    anna = user(client, DEMO_PATIENT.email)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    page = f"/patients/{anna.public_id}/training"
    token = csrf_token(client, page)
    response = client.post(
        f"{page}/plan",
        data={"csrf_token": token, "programme_id": "basis", "level": "2", "sessions_per_day": "3"},
    )
    assert response.status_code == 200
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        plan = db.scalar(select(PlanRow).where(PlanRow.patient_id == anna.id))
        assert plan is not None and plan.level == 2
    bad = client.post(
        f"{page}/plan",
        data={"csrf_token": token, "programme_id": "basis", "level": "9", "sessions_per_day": "3"},
    )
    assert bad.status_code == 422
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    assert player_data(client.get("/training").text)["level"] == 2
    assert "Zittend" in client.get("/training").text


def test_explanations_name_their_source(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    listing = client.get("/training/programmes")
    for programme_id in ("basis", "ontspanning", "blaastraining"):
        assert f'href="/training/programmes/{programme_id}"' in listing.text
    page = client.get("/training/programmes/basis")
    assert page.status_code == 200
    assert page.text.count("<h1>") == 1
    assert "<h2>Veelgemaakte fouten</h2>" in page.text
    assert "Bron van de dosering: leaflet 001" in page.text
    assert client.get("/training/programmes/squats").status_code == 404


def test_a_new_patient_chooses_a_programme_first(client: TestClient) -> None:
    add_user(client, "new@example.nl", "a-new-patient-1", Role.PATIENT)
    log_in(client, "new@example.nl", "a-new-patient-1")
    assert "Kies je oefenprogramma" in client.get("/today").text
    page = client.get("/training")
    assert "Kies je programma" in page.text
    assert 'value="blaastraining"' not in page.text
    assert client.get("/training/play", follow_redirects=False).status_code == 303
    chosen = client.post(
        "/training/plan",
        data={"csrf_token": csrf_token(client, "/training"), "programme_id": "ontspanning"},
    )
    assert chosen.status_code == 200
    assert player_data(chosen.text)["programme_id"] == "ontspanning"
