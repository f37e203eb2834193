"""Bladder training in a real browser: a new patient starts it and plays the urge routine.

A fresh patient is made with ``pelvio user create`` so the shared demo data stays untouched.
The live server runs in development mode, so ``?speed=N`` speeds up the player's clock.
"""

from __future__ import annotations

import re
import secrets
import subprocess

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import PELVIO, LiveServer, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SPEED = 40
PASSWORD = "bladder-patient-2026"


def _new_patient(server: LiveServer) -> str:
    email = f"blaas-{secrets.token_hex(4)}@example.nl"
    subprocess.run(
        [PELVIO, "user", "create", "--email", email, "--name", "Bea", "--role", "patient"],
        env=server.env,
        input=f"{PASSWORD}\n{PASSWORD}\n",
        text=True,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return email


def test_a_patient_starts_bladder_training_and_plays_the_urge_routine(
    page: Page, live_server: LiveServer
) -> None:
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, _new_patient(live_server), PASSWORD)

    page.goto(f"{live_server.url}/training")
    page.get_by_role("link", name="Start blaastraining").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Blaastraining")
    expect(page.get_by_label("Tijd tussen plassen in week 1 (minuten)")).to_have_value("60")
    shot(page, "training-bladder-start")
    page.get_by_label("Eerste plas van de dag").fill("07:30")
    page.get_by_role("button", name="Start blaastraining").click()

    expect(page.get_by_role("heading", name="Week 1")).to_be_visible()
    expect(page.locator("[data-bladder-interval]")).to_have_text("60")
    # After midnight the first void of the day is also the next one ("07:30 volgende").
    expect(page.locator(".void-times li").first).to_have_text(re.compile(r"^07:30"))
    expect(page.get_by_text("NHG-Standaard M46, 2015")).to_be_visible()
    shot(page, "training-bladder-week")

    page.goto(f"{live_server.url}/training/bladder?speed={SPEED}")
    player = page.locator("#player")
    expect(player).to_have_attribute("data-ready", "true")
    page.get_by_role("button", name="Aandrang? Doe de oefening").click()
    expect(player).to_have_attribute("data-state", "running")
    expect(page.locator("#player-cue")).to_contain_text("Denk aan iets anders", timeout=10_000)
    shot(page, "training-bladder-urge-running")
    expect(page.locator("#player-result-count")).to_contain_text("Goed gedaan", timeout=30_000)
    expect(page.get_by_role("button", name="Aandrang? Doe de oefening")).to_be_visible()
    shot(page, "training-bladder-urge-done")

    page.goto(f"{live_server.url}/today")
    expect(page.locator("[data-bladder-today]")).to_contain_text("Blaastraining:")
    shot(page, "training-bladder-today")
    assert errors == []
