"""The web shell through HTTP: login, homes per role, 404 for another patient, errors, language."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST
from pelvio.accounts.tables import AccessLog, User
from tests.web.conftest import csrf_token, log_in


def public_id(client: TestClient, email: str) -> str:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.email == email))
        assert isinstance(user, User)
        return user.public_id


def access_rows(client: TestClient) -> list[tuple[str, str, str]]:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        return [
            (r.actor_role, r.action, r.outcome)
            for r in db.scalars(select(AccessLog).order_by(AccessLog.id))
        ]


def test_login_page_is_dutch_by_default(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "Inloggen" in page.text
    assert "E-mailadres" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"


def test_anonymous_visitors_are_sent_to_login(client: TestClient) -> None:
    for path in ("/", "/today", "/therapist", "/profile"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", path


def test_patient_lands_on_today(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page = client.get("/")
    assert page.url.path == "/today"
    assert "<h1>Vandaag</h1>" in page.text
    assert DEMO_PATIENT.display_name in page.text
    assert client.get("/therapist").status_code == 403


def test_patients_own_pages_are_logged_too(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    assert client.get("/today").status_code == 200
    assert access_rows(client) == [("patient", "view:today", "allowed")]


def test_therapist_lands_on_the_patient_list(client: TestClient) -> None:
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    page = client.get("/")
    assert page.url.path == "/therapist"
    assert DEMO_PATIENT.display_name in page.text
    assert DEMO_PATIENT_2.display_name in page.text
    assert client.get("/today").status_code == 403


def test_session_cookie_is_httponly_samesite_and_renewed(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    first = client.cookies.get("pelvio_session")
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    second = client.cookies.get("pelvio_session")
    assert first
    assert second
    assert first != second
    response = client.post(
        "/login",
        data={
            "email": DEMO_PATIENT.email,
            "password": DEMO_PATIENT.password,
            "csrf_token": csrf_token(client),
        },
        follow_redirects=False,
    )
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("pelvio_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    client.cookies.clear()
    client.cookies.set("pelvio_session", first)
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_wrong_password_is_refused_without_saying_which_part(client: TestClient) -> None:
    response = client.post(
        "/login",
        data={
            "email": DEMO_PATIENT.email,
            "password": "wrong-password-1",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 401
    assert "Het e-mailadres of wachtwoord klopt niet." in response.text
    assert 'value="anna@demo.pelvio.nl"' in response.text


def test_failed_logins_are_rate_limited(client: TestClient) -> None:
    token = csrf_token(client)
    for _ in range(3):
        client.post(
            "/login",
            data={"email": DEMO_PATIENT.email, "password": "wrong-password-1", "csrf_token": token},
        )
    response = client.post(
        "/login",
        data={"email": DEMO_PATIENT.email, "password": DEMO_PATIENT.password, "csrf_token": token},
    )
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0


def test_a_form_without_the_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post(
        "/login", data={"email": DEMO_PATIENT.email, "password": DEMO_PATIENT.password}
    )
    assert response.status_code == 403
    response = client.post(
        "/login",
        data={
            "email": DEMO_PATIENT.email,
            "password": DEMO_PATIENT.password,
            "csrf_token": "0" * 64,
        },
    )
    assert response.status_code == 403
    assert client.cookies.get("pelvio_session") is None


def test_another_patients_record_answers_404_and_is_logged(client: TestClient) -> None:
    anna, kees = public_id(client, DEMO_PATIENT.email), public_id(client, DEMO_PATIENT_2.email)
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    assert client.get(f"/patients/{anna}").status_code == 200
    other = client.get(f"/patients/{kees}")
    assert other.status_code == 404
    assert DEMO_PATIENT_2.display_name not in other.text
    api = client.get(f"/api/patients/{kees}")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["status"] == 404
    assert client.get("/patients/" + "f" * 32).status_code == 404
    assert access_rows(client) == [
        ("patient", "view:patient-overview", "allowed"),
        ("patient", "view:patient-overview", "denied"),
        ("patient", "view:patient-summary", "denied"),
        ("patient", "view:patient-overview", "not_found"),
    ]


def test_therapist_sees_linked_patients(client: TestClient) -> None:
    kees = public_id(client, DEMO_PATIENT_2.email)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    response = client.get(f"/api/patients/{kees}")
    assert response.status_code == 200
    assert response.json()["display_name"] == DEMO_PATIENT_2.display_name
    assert access_rows(client) == [("therapist", "view:patient-summary", "allowed")]


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Pagina niet gevonden" in page.text
    assert "<!doctype html>" in page.text
    assert client.get("/api/no-such-thing").headers["content-type"] == "application/problem+json"


def test_language_switches_to_english_and_back(client: TestClient) -> None:
    token = csrf_token(client)
    response = client.post("/locale", data={"locale": "en", "next": "/login", "csrf_token": token})
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text
    response = client.post(
        "/locale", data={"locale": "nl", "next": "https://evil.example/", "csrf_token": token}
    )
    assert response.url.path == "/login"  # an outside address is never a redirect target
    assert "Inloggen" in response.text


def test_profile_saves_name_and_language(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/profile")
    empty = client.post("/profile", data={"display_name": " ", "locale": "nl", "csrf_token": token})
    assert empty.status_code == 422
    assert "Vul je naam in." in empty.text
    saved = client.post(
        "/profile", data={"display_name": "Anna J.", "locale": "en", "csrf_token": token}
    )
    assert saved.status_code == 200
    assert "Saved." in saved.text
    assert 'value="Anna J."' in saved.text


def test_logout_ends_the_session(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    token = csrf_token(client, "/today")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/today", follow_redirects=False).status_code == 303


def test_no_personal_data_in_urls(client: TestClient) -> None:
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    page = client.get("/therapist")
    links = re.findall(r'href="(/patients/[^"]+)"', page.text)
    assert len(links) == 2
    assert all(re.fullmatch(r"/patients/[0-9a-f]{32}", link) for link in links)


def test_today_loads_the_stylesheets_of_its_cards(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page = client.get("/today")
    links = re.findall(r'<link rel="stylesheet" href="(/static/[a-z]+/[a-z]+\.css)\?v=', page.text)
    assert "/static/training/training.css" in links
    for href in links:
        assert client.get(href).status_code == 200
