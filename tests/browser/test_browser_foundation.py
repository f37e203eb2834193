"""A new user in a real browser: log in as patient and therapist; another patient's page is 404."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST
from tests.browser.conftest import LiveServer, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_patient_logs_in_and_lands_on_today(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url)
    expect(page).to_have_url(re.compile(r"/login$"))
    shot(page, "login")
    log_in(page, live_server, DEMO_PATIENT.email, DEMO_PATIENT.password)
    expect(page).to_have_url(re.compile(r"/today$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    expect(page.get_by_text(f"Hallo {DEMO_PATIENT.display_name}.")).to_be_visible()
    shot(page, "patient-today")


def test_therapist_logs_in_and_sees_the_patient_list(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    expect(page).to_have_url(re.compile(r"/therapist$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Patiënten")
    expect(page.get_by_role("link", name=DEMO_PATIENT.display_name)).to_be_visible()
    expect(page.get_by_role("link", name=DEMO_PATIENT_2.display_name)).to_be_visible()
    shot(page, "therapist-home")
    page.get_by_role("link", name=DEMO_PATIENT_2.display_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_PATIENT_2.display_name)
    shot(page, "therapist-patient")


def test_patient_cannot_open_another_patients_page(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    href = page.get_by_role("link", name=DEMO_PATIENT_2.display_name).get_attribute("href")
    assert href and re.fullmatch(r"/patients/[0-9a-f]{32}", href)
    page.context.clear_cookies()

    log_in(page, live_server, DEMO_PATIENT.email, DEMO_PATIENT.password)
    response = page.goto(live_server.url + href)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    expect(page.get_by_text(DEMO_PATIENT_2.display_name)).to_have_count(0)
    shot(page, "patient-other-404")


def test_wrong_password_shows_an_error_and_keeps_the_address(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, DEMO_PATIENT.email, "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Het e-mailadres of wachtwoord klopt niet.")
    expect(page.get_by_label("E-mailadres")).to_have_value(DEMO_PATIENT.email)
    shot(page, "login-error")


def test_language_switch_and_keyboard_skip_link(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    shot(page, "login-english")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_server_is_reachable_without_a_browser(live_server: LiveServer) -> None:
    with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=5) as response:  # noqa: S310
        assert response.read() == b'{"status":"ok"}'
