"""Live biofeedback in a real browser against a real server and the keyboard-driven probe."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SQUEEZES = ("contract", "quick", "knack")


def _start(page: Page, server: LiveServer, mode: str, device: str, speed: int) -> None:
    page.goto(f"{server.url}/biofeedback?speed={speed}")
    page.locator(f"input[name=mode][value={mode}]").check()
    select = page.locator("select[name=device]")
    if select.locator(f'option[value="{device}"]').count() == 0:
        # A test-only probe (dropouts): the server accepts free specs outside production.
        select.evaluate("(s, v) => s.add(new Option(v, v))", device)
    select.select_option(device)
    page.locator("form.bf-start-form button[type=submit]").click()
    expect(page.locator("[data-bf-live]")).to_have_attribute("data-ready", "true", timeout=15000)


def test_guided_session_held_space_during_cues_is_scored(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, "anna@demo.pelvio.nl", "demo-patient-2026")
    _start(page, live_server, "guided", "sim:keyboard", speed=5)
    shot(page, "biofeedback-ready")
    page.locator("#bf-start").click()
    live = page.locator("[data-bf-live]")
    down = False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = live.get_attribute("data-state")
        if state == "ended":
            break
        squeeze = live.get_attribute("data-action") in SQUEEZES
        if squeeze and not down:
            page.keyboard.down("Space")
            down = True
        elif not squeeze and down:
            page.keyboard.up("Space")
            down = False
            if page.locator("#bf-scores li").count() == 1:
                shot(page, "biofeedback-running")
        page.wait_for_timeout(15)
    if down:
        page.keyboard.up("Space")
    expect(live).to_have_attribute("data-state", "ended", timeout=10000)
    scores = page.locator("#bf-scores li")
    assert scores.count() == 10
    expect(page.locator("#bf-summary")).to_be_visible()
    assert page.evaluate("window.pelvioLatency.length") > 100
    shot(page, "biofeedback-ended")
    page.locator("#bf-summary a").first.click()
    rows = page.locator("[data-bf-scores] tbody tr")
    expect(rows).to_have_count(10)
    reached = page.locator('[data-bf-scores] tbody tr[data-reached="true"]').count()
    released = page.locator('[data-bf-scores] tbody tr[data-released="true"]').count()
    assert reached >= 8
    assert released >= 8
    shot(page, "biofeedback-result")


def test_resting_through_the_cues_reaches_no_target(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "anna@demo.pelvio.nl", "demo-patient-2026")
    _start(page, live_server, "guided", "sim:keyboard", speed=10)
    page.locator("#bf-start").click()
    live = page.locator("[data-bf-live]")
    expect(live).to_have_attribute("data-state", "ended", timeout=90000)
    page.locator("#bf-summary a").first.click()
    expect(page.locator("[data-bf-scores] tbody tr")).to_have_count(10)
    assert page.locator('[data-bf-scores] tbody tr[data-reached="true"]').count() == 0
    expect(page.locator("[data-bf-summary]")).to_contain_text("bekkenfysiotherapeut")


def test_probe_check_reports_signal_quality(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "anna@demo.pelvio.nl", "demo-patient-2026")
    _start(page, live_server, "check", "sim:healthy", speed=1)
    quality = page.locator("#bf-quality")
    expect(quality).to_be_visible(timeout=20000)
    expect(quality).to_have_attribute("data-verdict", "ok")
    shot(page, "biofeedback-check")


def test_dropout_is_shown_and_the_session_goes_on(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server, "anna@demo.pelvio.nl", "demo-patient-2026")
    _start(page, live_server, "relaxation", "sim:healthy?dropout_at=3&dropout_s=2", speed=20)
    page.locator("#bf-start").click()
    live = page.locator("[data-bf-live]")
    expect(live).to_have_attribute("data-signal", "lost", timeout=15000)
    shot(page, "biofeedback-dropout")
    expect(live).to_have_attribute("data-signal", "ok", timeout=15000)
    expect(live).to_have_attribute("data-state", "ended", timeout=60000)
