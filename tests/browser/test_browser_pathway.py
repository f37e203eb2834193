"""The care pathway in a real browser: a new patient does the intake and lands on a fitting plan.

Each test makes its own patient in the live server's database (through the accounts service),
so the shared demo patients are never changed.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from pelvio.accounts import service as accounts
from pelvio.accounts.demo import DEMO_PATIENT, DEMO_THERAPIST
from pelvio.accounts.roles import Role
from pelvio.db import create_db_engine, make_session_factory, session_scope
from tests.browser.conftest import LiveServer, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "een-lang-wachtwoord-2026"


def new_patient(server: LiveServer, name: str) -> str:
    """Create a patient in the live server's SQLite database; return the e-mail address."""
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.nl"
    engine = create_db_engine(f"sqlite:///{server.data_dir / 'pelvio.db'}")
    try:
        with session_scope(make_session_factory(engine)) as db:
            accounts.create_user(
                db, email=email, password=PASSWORD, display_name=name, role=Role.PATIENT
            )
    finally:
        engine.dispose()
    return email


def answer(page: Page, question_id: str, label: str) -> None:
    page.locator(f"#q-{question_id}").get_by_label(label, exact=True).check()


def test_new_patient_completes_the_intake_and_lands_on_a_fitting_plan(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, new_patient(live_server, "Fleur"), PASSWORD)
    expect(page.get_by_role("heading", name="Begin met een paar vragen")).to_be_visible()
    shot(page, "pathway-today-new-patient")
    page.get_by_role("link", name="Begin met de vragen").click()
    expect(page).to_have_url(re.compile(r"/intake$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vragen over je klachten")
    # Follow-up questions stay hidden until their answer applies (the form works without JS).
    expect(page.locator("#q-weeks_since_birth")).to_be_hidden()
    expect(page.locator("#q-complaint_duration")).to_be_hidden()
    expect(page.get_by_text("0 van 11 vragen beantwoord")).to_be_visible()
    shot(page, "pathway-intake-start")

    answer(page, "red_flags", "Nee, geen van deze")
    answer(page, "country", "Nederland")
    answer(page, "sex", "Vrouw")
    page.get_by_label("Hoe oud ben je?").fill("34")
    answer(page, "complaints", "Urineverlies bij hoesten, niezen, tillen of sporten")
    expect(page.locator("#q-complaint_duration")).to_be_visible()
    answer(page, "complaint_duration", "Korter dan 6 weken")
    answer(page, "tense_signs", "Geen van deze")
    page.get_by_label("Hoe vaak poep je meestal per week?").fill("7")
    answer(page, "hard_straining", "Nee")
    answer(page, "life_phases", "Ik ben bevallen")
    expect(page.locator("#q-weeks_since_birth")).to_be_visible()
    page.get_by_label("Hoeveel weken geleden ben je bevallen?").fill("10")
    answer(page, "trouble_contracting_or_relaxing", "Nee")
    answer(page, "prefers_physiotherapist", "Nee")
    expect(page.get_by_text("13 van 13 vragen beantwoord")).to_be_visible()
    shot(page, "pathway-intake-filled")

    page.get_by_role("button", name="Toon mijn plan").click()
    expect(page).to_have_url(re.compile(r"/plan$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn plan")
    expect(page.get_by_text("Past bij inspanningsincontinentie", exact=False)).to_be_visible()
    programmes = page.locator("ol.programmes > li")
    expect(programmes).to_have_count(1)
    expect(programmes.first).to_contain_text("Kracht, uithouding en coördinatie")
    for point in ("Na 2 weken", "Na 6 weken", "Na 3 maanden"):
        expect(page.locator(".schedule").get_by_text(point)).to_be_visible()
    expect(page.get_by_role("link", name="Naar mijn oefeningen")).to_have_attribute(
        "href", "/training"
    )
    expect(page.locator(".seek-care")).to_have_count(0)
    shot(page, "pathway-plan")

    page.get_by_role("link", name="Vandaag").click()
    expect(page.get_by_text("Volgende check-in: Start")).to_be_visible()
    shot(page, "pathway-today-after-intake")


def test_errors_are_named_and_a_red_flag_puts_seek_care_first(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, new_patient(live_server, "Rik"), PASSWORD)
    page.goto(f"{live_server.url}/intake")
    page.get_by_role("button", name="Toon mijn plan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Kijk je antwoorden na")
    expect(summary).to_contain_text("Hoe oud ben je? Beantwoord deze vraag.")
    expect(page.locator("#error-summary")).to_be_focused()
    shot(page, "pathway-intake-errors")
    summary.get_by_role("link", name=re.compile("^Heb je nu een van deze klachten")).click()
    answer(page, "red_flags", "Koorts")
    answer(page, "country", "België")
    answer(page, "sex", "Man")
    page.get_by_label("Hoe oud ben je?").fill("58")
    page.get_by_role("button", name="Toon mijn plan").click()
    expect(page).to_have_url(re.compile(r"/plan$"))
    seek = page.locator(".seek-care")
    expect(seek.get_by_role("heading")).to_have_text(re.compile("Neem vandaag contact op"))
    expect(seek).to_contain_text("Koorts")
    shot(page, "pathway-plan-red-flag")
    page.get_by_role("link", name="Vandaag").click()
    expect(page.locator("main section").first).to_have_class(re.compile("seek-care"))
    shot(page, "pathway-today-red-flag")


def test_demo_anna_today_and_the_therapist_view(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, DEMO_PATIENT.email, DEMO_PATIENT.password)
    expect(page.get_by_text("Volgende check-in: Na 6 weken")).to_be_visible()
    shot(page, "pathway-today-anna")
    page.goto(f"{live_server.url}/checkins/6w")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in: Na 6 weken")
    expect(page.get_by_label("Veel beter", exact=True)).to_be_visible()
    shot(page, "pathway-checkin-form")
    page.context.clear_cookies()
    log_in(page, live_server, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    href = page.get_by_role("link", name=DEMO_PATIENT.display_name).get_attribute("href")
    page.goto(f"{live_server.url}{href}/pathway")
    expect(page.get_by_role("heading", level=1)).to_contain_text(DEMO_PATIENT.display_name)
    expect(page.get_by_role("heading", name="Uitkomsten van de check-ins")).to_be_visible()
    shot(page, "pathway-therapist-view")


def test_library_directory_and_reimbursement_without_login(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/learn")
    page.get_by_label("Zoek in de artikelen").fill("Zwángerschap")
    page.get_by_role("button", name="Zoeken").click()
    expect(
        page.get_by_role("link", name=re.compile("zwanger", re.IGNORECASE)).first
    ).to_be_visible()
    shot(page, "pathway-learn-search")
    page.get_by_role("link", name=re.compile("zwanger", re.IGNORECASE)).first.click()
    expect(page.get_by_role("heading", name=re.compile("^Bron"))).to_be_visible()
    shot(page, "pathway-learn-article")

    page.goto(f"{live_server.url}/therapists/directory")
    page.get_by_label("Plaats").fill("utrécht")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text(DEMO_THERAPIST.display_name)).to_be_visible()
    shot(page, "pathway-directory")

    page.goto(f"{live_server.url}/reimbursement")
    answer(page, "country", "Nederland")
    page.get_by_label("Hoe oud ben je?").fill("45")
    answer(page, "complaints", "Urineverlies bij een plotselinge, sterke aandrang")
    page.get_by_role("button", name="Toon de regels").click()
    expect(page.get_by_text("Regel met stand van").first).to_be_visible()
    expect(page.locator("#result")).to_contain_text("polis")
    shot(page, "pathway-reimbursement")
