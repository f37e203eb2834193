"""The care pathway through HTTP: intake -> plan, red flags, check-ins, the therapist's view,
the directory, reimbursement and the education library."""

from __future__ import annotations

import re
from html import unescape

from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import func, select

from pelvio.accounts import service as accounts
from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST
from pelvio.accounts.roles import Role
from pelvio.accounts.tables import AccessLog, User
from pelvio.pathway import CONDITIONS, SEEK_CARE_TEXT
from pelvio.pathway.intake import RED_FLAGS
from pelvio.pathway.tables import PathwayCheckin, PathwayIntake
from tests.web.conftest import csrf_token, log_in

NEW_PATIENT = ("nieuw@example.nl", "een-lang-wachtwoord-2026", "Nina Nieuw")


def text_of(html: str) -> str:
    """The visible text, roughly: tags removed, entities decoded, spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return " ".join(unescape(without_tags).split())


def first_section_is_seek_care(page: str) -> bool:
    first_section = re.search(r"<section[^>]*>", page.split('<main id="main"', 1)[1])
    return first_section is not None and 'class="seek-care"' in first_section.group(0)


def new_patient(client: TestClient) -> User:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        user = accounts.create_user(
            db,
            email=NEW_PATIENT[0],
            password=NEW_PATIENT[1],
            display_name=NEW_PATIENT[2],
            role=Role.PATIENT,
        )
        db.commit()
        return user


def log_in_new(client: TestClient) -> User:
    user = new_patient(client)
    log_in(client, NEW_PATIENT[0], NEW_PATIENT[1])
    return user


def user_id(client: TestClient, email: str) -> str:
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        user = db.scalar(select(User).where(User.email == email))
        assert isinstance(user, User)
        return str(user.public_id)


STRESS_FORM: dict[str, list[str] | str] = {
    "red_flags": ["none"],
    "country": "NL",
    "sex": "female",
    "age_years": "41",
    "complaints": ["leak_effort"],
    "complaint_duration": "under_6_weeks",
    "tense_signs": ["none"],
    "bowel_movements_per_week": "7",
    "hard_straining": "no",
    "life_phases": ["none"],
    "trouble_contracting_or_relaxing": "no",
    "prefers_physiotherapist": "no",
}


def post_intake(client: TestClient, form: dict[str, list[str] | str]) -> Response:
    return client.post(
        "/intake",
        data={**form, "csrf_token": csrf_token(client, "/intake")},
        follow_redirects=False,
    )


def test_a_new_patient_is_invited_to_do_the_intake(client: TestClient) -> None:
    log_in_new(client)
    today = client.get("/today")
    assert 'href="/intake"' in today.text
    assert "Begin met de vragen" in today.text
    assert client.get("/plan", follow_redirects=False).headers["location"] == "/intake"


def test_the_intake_form_asks_red_flags_first_with_labels_and_progress(client: TestClient) -> None:
    log_in_new(client)
    page = client.get("/intake")
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1>") == 1
    first_question = re.search(r'id="q-([a-z_]+)"', html)
    assert first_question and first_question.group(1) == "red_flags"
    assert "<progress" in html and "0 van 13 vragen beantwoord" in html
    assert "<legend>" in html and "Vraag 1 van 13" in html
    assert 'data-shown-when="life_phases=postpartum"' in html
    assert '<label for="age_years"' in html and 'id="age_years"' in html
    assert '<script type="module" src="/static/pathway/form.js' in html


def test_intake_post_stores_a_version_and_lands_on_a_fitting_plan(client: TestClient) -> None:
    patient = log_in_new(client)
    response = post_intake(client, STRESS_FORM)
    assert response.status_code == 303 and response.headers["location"] == "/plan"
    plan = client.get("/plan")
    text = text_of(plan.text)
    assert CONDITIONS["stress-ui"].nl in text
    assert "Basisoefening bekkenbodem begin hier" in text
    assert "Na 2 weken" in text and "Na 6 weken" in text and "Na 3 maanden" in text
    assert "08:00" in text and "20:00" in text
    assert "Bron" in text and "001_fdb199253d0c1ce5.txt" in text
    assert 'href="/training"' in plan.text
    assert "stelt geen diagnose" in text

    again = post_intake(client, {**STRESS_FORM, "complaints": ["leak_effort", "leak_urge"]})
    assert again.status_code == 303
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        rows = db.scalars(select(PathwayIntake).where(PathwayIntake.patient_id == patient.id)).all()
        assert sorted(r.version for r in rows) == [1, 2]
        assert rows[0].answers["complaints"] == ["leak_effort"]
    assert CONDITIONS["mixed-ui"].nl in text_of(client.get("/plan").text)


def test_overactive_floor_plan_starts_with_relaxation(client: TestClient) -> None:
    log_in_new(client)
    form = {**STRESS_FORM, "complaints": ["pain", "voiding_difficulty"]}
    assert post_intake(client, form).status_code == 303
    text = text_of(client.get("/plan").text)
    assert CONDITIONS["overactive-floor"].nl in text
    programmes = text.split("Je oefeningen, in deze volgorde", 1)[1]
    assert programmes.lstrip().startswith("Ontspanning")
    assert "Nog niet" in text  # no strengthening yet, with the reason


def test_a_red_flag_intake_always_shows_seek_care_first(client: TestClient) -> None:
    log_in_new(client)
    for flag in RED_FLAGS:
        assert post_intake(client, {**STRESS_FORM, "red_flags": [flag, "none"]}).status_code == 303
        plan = client.get("/plan").text
        assert plan.index('class="seek-care"') < plan.index("Wat je antwoorden laten zien"), flag
        assert SEEK_CARE_TEXT.nl in unescape(plan)
        assert 'href="/checkins/' not in plan
        today = client.get("/today").text
        assert SEEK_CARE_TEXT.nl in unescape(today)
        assert first_section_is_seek_care(today), flag


def test_intake_errors_name_the_field_and_keep_the_answers(client: TestClient) -> None:
    patient = log_in_new(client)
    form = {**STRESS_FORM, "age_years": "7", "life_phases": ["postpartum"], "red_flags": []}
    response = post_intake(client, form)
    assert response.status_code == 422
    html = response.text
    assert 'role="alert"' in html
    assert 'href="#q-red_flags"' in html
    assert 'href="#q-weeks_since_birth"' in html
    assert "Hoeveel weken geleden ben je bevallen? Beantwoord deze vraag." in unescape(html)
    assert 'value="postpartum" checked' in html
    # then the age: a range error naming the allowed numbers
    form = {**STRESS_FORM, "age_years": "7"}
    html = post_intake(client, form).text
    assert "Hoe oud ben je? Vul een heel getal in van 12 tot en met 120." in unescape(html)
    assert 'aria-invalid="true"' in html and 'value="7"' in html
    # a follow-up that does not apply is ignored, not an error (server-side shown_when)
    form = {**STRESS_FORM, "weeks_since_birth": "3"}
    assert post_intake(client, form).status_code == 303
    # sex and life phase that do not fit
    form = {**STRESS_FORM, "sex": "male", "life_phases": ["pregnant"]}
    html = post_intake(client, form).text
    assert "Dit past niet bij het geslacht dat je koos" in unescape(html)
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        count = db.scalar(
            select(func.count())
            .select_from(PathwayIntake)
            .where(PathwayIntake.patient_id == patient.id)
        )
        assert count == 1


def test_a_therapist_cannot_fill_in_an_intake(client: TestClient) -> None:
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    assert client.get("/intake").status_code == 403


def test_checkins_lead_to_exactly_one_outcome(client: TestClient) -> None:
    log_in_new(client)
    post_intake(client, STRESS_FORM)
    token = csrf_token(client, "/checkins/baseline")
    base = client.post(
        "/checkins/baseline",
        data={"red_flags": "none", "q3": "2", "q4": "2", "q5": "5", "csrf_token": token},
        follow_redirects=False,
    )
    assert base.status_code == 303
    assert "Je startpunt is opgeslagen" in client.get("/checkins/baseline/result").text
    # 6 weeks: "a little better" -> continue
    response = client.post(
        "/checkins/6w",
        data={
            "red_flags": "none",
            "pgi_i": "3",
            "q3": "1",
            "q4": "2",
            "q5": "3",
            "csrf_token": token,
        },
    )
    text = text_of(response.text)
    assert "Ga door met oefenen" in text
    assert text.count("Het advies") == 1
    assert "3 punten lager" in text  # ICIQ-UI SF 9 -> 6
    # 3 months, no change -> the GP about other treatment
    response = client.post(
        "/checkins/3m", data={"red_flags": "none", "pgi_i": "4", "csrf_token": token}
    )
    assert "Bespreek een andere behandeling met je huisarts" in text_of(response.text)
    # a red flag at any check-in -> seek care now
    response = client.post(
        "/checkins/2w", data={"red_flags": "fever", "pgi_i": "1", "csrf_token": token}
    )
    assert SEEK_CARE_TEXT.nl in unescape(response.text)
    today = client.get("/today").text
    assert first_section_is_seek_care(today) and "Koorts" in today
    assert SEEK_CARE_TEXT.nl in unescape(client.get("/plan").text)
    # a missing answer is named
    response = client.post("/checkins/2w", data={"red_flags": "none", "csrf_token": token})
    assert response.status_code == 422 and 'href="#q-pgi_i"' in response.text
    response = client.post(
        "/checkins/2w", data={"red_flags": "none", "pgi_i": "4", "q3": "1", "csrf_token": token}
    )
    assert response.status_code == 422 and 'href="#q-q4"' in response.text
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        outcomes = db.scalars(select(PathwayCheckin.outcome).order_by(PathwayCheckin.id)).all()
    assert outcomes[-3:] == ["continue", "see-gp-other-treatment", "seek-care-now"]
    # a later check-in without a red flag ends the seek-care advice
    client.post("/checkins/2w", data={"red_flags": "none", "pgi_i": "3", "csrf_token": token})
    assert not first_section_is_seek_care(client.get("/today").text)


def test_demo_anna_sees_her_next_checkin_on_today(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    text = text_of(client.get("/today").text)
    assert "Volgende check-in: Na 6 weken" in text
    assert "Ontspanning" in text
    assert "Bekkenfysiotherapeut" in text  # advice that is due


def test_therapist_sees_the_pathway_and_another_patient_gets_404(client: TestClient) -> None:
    anna = user_id(client, DEMO_PATIENT.email)
    kees = user_id(client, DEMO_PATIENT_2.email)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    page = client.get(f"/patients/{anna}/pathway")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Antwoorden van de intake" in text and "Ik ben bevallen" in text
    assert CONDITIONS["stress-ui"].nl in text
    assert "Uitkomsten van de check-ins" in text and "checkin-2w-early" in text
    with client.app.state.session_factory() as db:  # type: ignore[attr-defined]
        actions = db.scalars(select(AccessLog.action).order_by(AccessLog.id.desc()).limit(1)).all()
    assert actions == ["view:pathway"]

    client.cookies.clear()
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    response = client.get(f"/patients/{kees}/pathway")
    assert response.status_code == 404
    assert DEMO_PATIENT_2.display_name not in response.text
    assert client.get(f"/patients/{'0' * 32}/pathway").status_code == 404


def test_directory_search_by_city_ignores_case_and_accents(client: TestClient) -> None:
    hits = client.get("/therapists/directory", params={"city": "UTRÉCHT"})
    assert hits.status_code == 200
    assert DEMO_THERAPIST.display_name in hits.text
    assert "CKR" in hits.text
    none = client.get("/therapists/directory", params={"city": "Gent"})
    assert DEMO_THERAPIST.display_name not in none.text
    assert "Niemand gevonden" in none.text


def test_a_therapist_opts_in_and_out_of_the_directory(client: TestClient) -> None:
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    token = csrf_token(client, "/therapists/directory/entry")
    bad = client.post(
        "/therapists/directory/entry",
        data={"display_name": "Sanne", "city": "", "quality_register": "SKF", "csrf_token": token},
    )
    assert bad.status_code == 422 and "Vul de plaats in waar je werkt." in bad.text
    saved = client.post(
        "/therapists/directory/entry",
        data={
            "display_name": "Sanne de Vries",
            "city": "’s-Hertogenbosch",
            "quality_register": "SKF",
            "register_number": "12345",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 200 and "Opgeslagen" in saved.text
    found = client.get("/therapists/directory", params={"city": "s hertogenbosch"})
    assert "Sanne de Vries" in found.text and "12345" in found.text
    assert "Sanne de Vries" not in client.get("/therapists/directory?city=utrecht").text
    client.post("/therapists/directory/entry/delete", data={"csrf_token": token})
    assert "Sanne de Vries" not in client.get("/therapists/directory").text


def test_a_patient_cannot_be_listed(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    assert client.get("/therapists/directory/entry").status_code == 403


def test_reimbursement_gives_dated_sourced_statements(client: TestClient) -> None:
    token = csrf_token(client, "/reimbursement")
    nl = client.post(
        "/reimbursement",
        data={"country": "NL", "age_years": "40", "complaints": "leak_effort", "csrf_token": token},
    )
    text = text_of(nl.text)
    assert nl.status_code == 200
    assert "basisverzekering" in text and "eigen risico" in text
    assert "01-01-2026" in text and "003_09d740bacf49d7ea.txt" in text
    assert "polis" in text
    be = client.post(
        "/reimbursement",
        data={"country": "BE", "age_years": "30", "postpartum": "yes", "csrf_token": token},
    )
    text = text_of(be.text)
    assert "voorschrift" in text and "negen sessies" in text and "002_b282a53732054826.txt" in text
    bad = client.post(
        "/reimbursement", data={"country": "DE", "age_years": "x", "csrf_token": token}
    )
    assert bad.status_code == 422
    assert 'href="#q-country"' in bad.text and 'href="#q-age_years"' in bad.text


def test_library_lists_searches_and_shows_articles_without_login(client: TestClient) -> None:
    listing = client.get("/learn")
    assert listing.status_code == 200
    assert listing.text.count('class="article-link"') == 13
    found = client.get("/learn", params={"q": "BEKKENBODEM zwángerschap"})
    assert 'href="/learn/zwangerschap"' in found.text
    assert "Artikelen gevonden voor" in found.text
    article = client.get("/learn/wanneer-hulp")
    assert article.status_code == 200
    assert "<h1" in article.text and "001_fdb199253d0c1ce5.txt" in article.text
    assert "Voor het laatst naast de bronnen gelegd op" in article.text
    assert client.get("/learn/bestaat-niet").status_code == 404
    assert client.get("/learn/..%2Fsecret").status_code == 404


def test_library_follows_the_page_language(client: TestClient) -> None:
    client.post(
        "/locale", data={"locale": "en", "next": "/learn", "csrf_token": csrf_token(client)}
    )
    page = client.get("/learn/toilethouding")
    assert "Sitting well on the toilet" in page.text
    found = client.get("/learn", params={"q": "toilet"})
    assert 'href="/learn/toilethouding"' in found.text


def test_the_plan_follows_the_page_language(client: TestClient) -> None:
    log_in(client, DEMO_PATIENT.email, DEMO_PATIENT.password)
    client.post("/locale", data={"locale": "en", "next": "/plan", "csrf_token": csrf_token(client)})
    text = text_of(client.get("/plan").text)
    assert CONDITIONS["stress-ui"].en in text
    assert "Relaxation and breathing" in text and "After 6 weeks" in text
    assert CONDITIONS["stress-ui"].nl not in text


def test_the_therapist_sees_decimal_commas_in_dutch(client: TestClient) -> None:
    anna = user_id(client, DEMO_PATIENT.email)
    log_in(client, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    text = text_of(client.get(f"/patients/{anna}/pathway").text)
    assert "Keer urineverlies per dag 1,5" in text  # demo: 1.5 leaks a day at 2 weeks


def test_unknown_checkins_are_404_and_a_plan_on_hold_has_none(client: TestClient) -> None:
    log_in_new(client)
    post_intake(client, STRESS_FORM)
    assert client.get("/checkins/1y").status_code == 404
    assert client.get("/checkins/1y/result").status_code == 404
    post_intake(client, {**STRESS_FORM, "red_flags": ["blood_loss"]})
    response = client.get("/checkins/2w", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/plan"
