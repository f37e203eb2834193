"""The diary and questionnaires in a real browser: one tap, the offline queue, the pages."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from pelvio.accounts.demo import DEMO_PATIENT, DEMO_PATIENT_2, DEMO_THERAPIST
from tests.browser.conftest import LiveServer, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _entries(page: Page) -> int:
    return page.locator("#day .entry").count()


def test_a_void_with_a_preset_is_one_tap(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    page.get_by_role("link", name="Dagboek").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plasdagboek")
    shot(page, "diary-entry")
    before = _entries(page)
    page.get_by_role("button", name="300 ml plassen").click()
    expect(page.get_by_role("status").filter(has_text="Opgeslagen: Plas · 300 ml")).to_be_visible()
    expect(page.locator("#day .entry")).to_have_count(before + 1)
    expect(page.locator("#day .entry").filter(has_text="Plas · 300 ml").first).to_be_visible()
    expect(page.locator("#queue-status")).to_be_hidden()
    shot(page, "diary-after-one-tap")


def test_an_entry_made_offline_is_queued_and_sent_later(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    page.goto(f"{live_server.url}/diary")
    page.wait_for_load_state("networkidle")
    before = _entries(page)
    page.context.set_offline(True)
    page.get_by_role("button", name="250 ml drinken").click()
    status = page.locator("#queue-status")
    expect(status).to_have_text(re.compile(r"^1 nog niet verstuurd"))
    shot(page, "diary-offline-queued")
    queued = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('pelvio.diary'))")
    assert len(queued) == 1
    page.context.set_offline(False)
    expect(page.locator("#day .entry")).to_have_count(before + 1, timeout=30000)
    expect(page.locator("#day .entry").filter(has_text="Drinken · 250 ml").first).to_be_visible()
    expect(status).to_be_hidden()
    assert page.evaluate(f"localStorage.getItem({queued[0]!r})") == "[]"
    shot(page, "diary-offline-sent")


def test_the_diary_pages_look_right(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page.goto(f"{live_server.url}/diary/metrics")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitslag van je dagboek")
    expect(page.locator("svg.fv-chart")).to_be_visible()
    shot(page, "diary-metrics")
    page.get_by_role("link", name=re.compile(r"^\d\d-\d\d-\d{4} – ")).first.click()
    expect(page.locator("#nocturnal-polyuria")).to_contain_text("ja")
    shot(page, "diary-metrics-baseline")
    page.goto(f"{live_server.url}/measures")
    expect(page.locator("svg.trend").first).to_be_visible()
    shot(page, "measures-overview")
    page.goto(f"{live_server.url}/measures/iciq-ui-sf")
    page.get_by_text("2", exact=True).first.click()
    expect(page.locator("#progress-text")).to_have_text("1 van 3 beantwoord")
    shot(page, "measures-form")


def test_the_bowel_picker_and_the_therapist_view(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
    page.goto(f"{live_server.url}/diary/bowel")
    expect(page.locator("svg.bristol")).to_have_count(7)
    page.locator("label.bristol-option").filter(has_text="worst met barstjes").click()
    expect(page.get_by_role("radio", name=re.compile("worst met barstjes"))).to_be_checked()
    shot(page, "diary-bowel")
    page.context.clear_cookies()
    log_in(page, live_server, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    href = page.get_by_role("link", name=DEMO_PATIENT.display_name).get_attribute("href")
    page.goto(f"{live_server.url}{href}/diary")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dagboek van Anna Jansen")
    shot(page, "therapist-diary")
    page.goto(f"{live_server.url}{href}/measures")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vragenlijsten van Anna Jansen")
    shot(page, "therapist-measures")


@pytest.mark.parametrize("device_zone", ["America/New_York", "Asia/Tokyo"])
def test_the_time_field_keeps_the_profile_clock_on_a_phone_in_another_zone(
    browser: Browser, live_server: LiveServer, device_zone: str
) -> None:
    """The demo profile lives in Europe/Amsterdam; the phone is set to another zone. The time
    field must show Amsterdam time, the clock the server reads a typed time on, or an edited
    entry would land hours off (Tokyo is ahead of Amsterdam, New York behind)."""
    context = browser.new_context(locale="nl-NL", timezone_id=device_zone)
    page = context.new_page()
    try:
        log_in(page, live_server, DEMO_PATIENT_2.email, DEMO_PATIENT_2.password)
        page.goto(f"{live_server.url}/diary")
        before = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
        expect(page.locator("#time")).to_be_visible()
        page.wait_for_timeout(300)  # the script has refreshed the field
        shown = dt.datetime.fromisoformat(page.locator("#time").input_value())
        after = dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
        earliest = before.replace(second=0, microsecond=0, tzinfo=None)
        assert earliest <= shown <= after.replace(tzinfo=None)
        device_now = page.evaluate("new Date().getHours()")
        assert device_now != before.hour  # the zones differ, so the test means something
    finally:
        context.close()
