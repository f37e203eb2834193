"""Questionnaires through HTTP: forms from the definitions, exact scores, refusals, access."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST
from pelvio.accounts.tables import User
from pelvio.measures.tables import QuestionnaireResponse
from tests.web.conftest import csrf_token, log_in


def _user(client: TestClient, email: str) -> User:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.email == email))
        assert isinstance(user, User)
        return user


def _rows(client: TestClient, email: str) -> list[QuestionnaireResponse]:
    user = _user(client, email)
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        return list(
            db.scalars(
                select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == user.id)
            )
        )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_form_is_built_from_the_definition_with_progress_and_licence(
    client: TestClient,
) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page = client.get("/measures/pfdi-20")
    assert page.status_code == 200
    assert len(re.findall(r'<fieldset class="item"', page.text)) == 20
    assert 'max="20" value="0"' in page.text and "0 van 20 beantwoord" in page.text
    assert 'data-template="{a} van {n} beantwoord"' in page.text
    iciq = _text(client.get("/measures/iciq-ui-sf").text)
    assert "De officiële vragen en antwoorden van de ICIQ-UI SF staan hier niet" in iciq
    assert "iciq.net" in iciq and "q3 hoe vaak urineverlies" in iciq
    pgi = client.get("/measures/pgi-i").text
    assert "1 · heel veel beter" in pgi and "7 · heel veel slechter" in pgi


def test_an_out_of_range_answer_is_refused_with_the_item_named(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    before = len(_rows(client, DEMO_PATIENT_2.email))
    response = client.post(
        "/measures/iciq-ui-sf",
        data={
            "csrf_token": csrf_token(client, "/measures/iciq-ui-sf"),
            "client_id": str(uuid.uuid4()),
            "q3": "2",
            "q4": "3",
            "q5": "5",
        },
    )
    assert response.status_code == 422
    assert "Niet opgeslagen. Kijk naar vraag q4" in response.text
    assert "q4 of iciq-ui-sf must be 0, 2, 4, 6; got 3" in response.text
    assert re.search(r'id="item-q4" aria-invalid="true"', response.text)
    # The answers that were fine stay filled in.
    assert re.search(r'name="q3" value="2" checked', response.text)
    assert len(_rows(client, DEMO_PATIENT_2.email)) == before
    api = client.post(
        "/measures/wexner",
        data={"q6": "3", **{f"q{n}": "1" for n in (1, 2, 3, 4, 5, 7, 8)}},
        headers={"X-CSRF-Token": csrf_token(client, "/measures"), "Accept": "application/json"},
    )
    assert api.status_code == 422 and api.json()["field"] == "q6"


def test_the_worked_example_is_stored_exactly_and_a_resubmit_is_stored_once(
    client: TestClient,
) -> None:
    """clinical.md §5 PFDI-20 example: POPDI 4.17, CRADI 9.38, UDI 25.00, total 38.54."""
    log_in(client, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    answers = {
        **{f"q{n}": v for n, v in enumerate((0, 0, 1, 0, 0, 0), 1)},
        **{f"q{n}": v for n, v in enumerate((0, 1, 0, 0, 2, 0, 0, 0), 7)},
        **{f"q{n}": v for n, v in enumerate((2, 3, 0, 1, 0, 0), 15)},
    }
    form = {
        "csrf_token": csrf_token(client, "/measures/pfdi-20"),
        "client_id": str(uuid.uuid4()),
        **{k: str(v) for k, v in answers.items()},
    }
    first = client.post("/measures/pfdi-20", data=form, follow_redirects=False)
    second = client.post("/measures/pfdi-20", data=form, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    stored = [r for r in _rows(client, DEMO_PATIENT_2.email) if r.instrument == "pfdi-20"]
    assert [r.total for r in stored] == ["925/24"]
    result = _text(client.get(first.headers["location"]).text)
    assert "Totaal 38,54 van 300" in result
    assert "POPDI-6 4,17 6/6" in result and "CRADI-8 9,38 8/8" in result
    assert "UDI-6 25 6/6" in result


def test_the_overview_shows_the_trend_and_vandaag_links_when_due(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page = client.get("/measures").text
    assert 'class="trend"' in page and "Verloop van ICIQ-UI SF: 11, 8" in page
    kees = _user(client, DEMO_PATIENT_2.email)
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        db.execute(
            update(QuestionnaireResponse)
            .where(QuestionnaireResponse.patient_id == kees.id)
            .values(completed_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=20))
        )
        db.commit()
    client.cookies.clear()
    log_in(client, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    today = client.get("/today").text
    assert 'href="/measures/wexner"' in today and "Wexner invullen" in today


def test_another_patients_questionnaires_are_not_found(client: TestClient) -> None:
    anna = _user(client, DEMO_PATIENT.email)
    response_id = _rows(client, DEMO_PATIENT.email)[0].public_id
    log_in(client, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    assert client.get(f"/patients/{anna.public_id}/measures").status_code == 404
    assert client.get(f"/measures/responses/{response_id}").status_code == 404
    client.cookies.clear()
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    therapist = client.get(f"/patients/{anna.public_id}/measures")
    assert therapist.status_code == 200
    assert "Vragenlijsten van Anna Jansen" in therapist.text and 'class="trend"' in therapist.text
