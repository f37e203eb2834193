"""The session player in a real browser: the demo patient trains with a sped-up clock.

The live server runs in development mode, so ``?speed=N`` makes the player's clock run N times
faster (pelvio.training.routes); the 120 s basic session then takes a few seconds.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from pelvio.accounts.demo import DEMO_PATIENT, DEMO_THERAPIST
from tests.browser.conftest import LiveServer, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SPEED = 30


def done_count(page: Page) -> int:
    return int(page.locator("[data-training-done]").first.inner_text())


def collect_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_patient_completes_a_session_and_sees_it_counted(
    page: Page, live_server: LiveServer
) -> None:
    errors = collect_errors(page)
    log_in(page, live_server, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page.goto(f"{live_server.url}/training")
    expect(page.get_by_role("heading", level=1)).to_have_text("Oefenen")
    before = done_count(page)
    shot(page, "training-home")

    page.goto(f"{live_server.url}/training/play?speed={SPEED}")
    player = page.locator("#player")
    expect(player).to_have_attribute("data-ready", "true")
    expect(page.locator("#player-position")).to_have_text("Op je rug, knieën gebogen, voeten plat")
    page.get_by_role("button", name="Start sessie").click()
    expect(player).to_have_attribute("data-state", "running")
    expect(page.locator("#player-rep")).to_have_text("Herhaling 4 van 10")
    shot(page, "training-player-running")

    question = page.get_by_role("group", name="Kon je het aanspannen en het loslaten voelen?")
    expect(question).to_be_visible(timeout=30_000)
    expect(page.locator("#player-progress")).to_have_attribute("value", "120")
    shot(page, "training-player-question")
    question.get_by_role("button", name="Ja", exact=True).click()

    expect(page.locator("#player-result-count")).to_have_text(
        f"Vandaag: {before + 1} van 3 sessies gedaan."
    )
    expect(page.locator("#player-reason")).not_to_be_empty()
    expect(page.locator("[data-training-done]").first).to_have_text(str(before + 1))
    shot(page, "training-player-result")

    page.goto(f"{live_server.url}/training")
    assert done_count(page) == before + 1
    page.get_by_role("link", name="Vandaag").first.click()
    expect(page.get_by_role("heading", name="Bekkenbodemoefeningen")).to_be_visible()
    assert done_count(page) == before + 1
    shot(page, "training-today-card")
    assert errors == []


def test_the_pacer_squeezes_extra_and_the_session_pauses_and_stops(
    page: Page, live_server: LiveServer
) -> None:
    errors = collect_errors(page)
    log_in(page, live_server, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page.goto(f"{live_server.url}/training/play?speed=2")
    page.get_by_role("button", name="Start sessie").click()
    shape = page.locator("#pacer-shape")
    # Leaflet 001 via docs/training.md: two extra-hard squeezes in every 6-count hold.
    expect(shape).to_have_attribute("class", re.compile(r"\bis-extra\b"), timeout=10_000)
    expect(shape).to_have_attribute("data-target", "1")
    shot(page, "training-player-extra-squeeze")
    page.get_by_role("button", name="Pauze").click()
    expect(page.locator("#player")).to_have_attribute("data-state", "paused")
    paused_at = page.locator("#player-progress").get_attribute("value")
    page.wait_for_timeout(600)
    assert page.locator("#player-progress").get_attribute("value") == paused_at
    page.get_by_role("button", name="Verder").click()
    expect(page.locator("#player")).to_have_attribute("data-state", "running")
    sound = page.get_by_role("button", name="Geluid: aan")
    expect(sound).to_have_attribute("aria-pressed", "true")
    sound.click()
    expect(page.locator("#player-sound")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#player-sound")).to_have_text("Geluid: uit")
    page.get_by_role("button", name="Stoppen").click()
    expect(page.locator("#player-result-count")).to_have_text(
        "Sessie gestopt. Deze telt niet als hele sessie."
    )
    shot(page, "training-player-stopped")
    assert errors == []


def test_therapist_sees_adherence_and_the_screen_refuses(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, DEMO_THERAPIST.email, DEMO_THERAPIST.password)
    href = page.get_by_role("link", name=DEMO_PATIENT.display_name).get_attribute("href")
    assert href and re.fullmatch(r"/patients/[0-9a-f]{32}", href)
    page.goto(f"{live_server.url}{href}/training")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Oefenen: {DEMO_PATIENT.display_name}"
    )
    expect(page.get_by_role("list", name="Deze week")).to_be_visible()
    shot(page, "training-therapist")
    form = page.locator(f'form[action^="{href}/training/electrostimulation"]')
    for label, value in (
        ("Frequentie (Hz)", "35"),
        ("Pulsbreedte (µs)", "250"),
        ("Aan-tijd (s)", "5"),
        ("Uit-tijd (s)", "10"),
        ("Duur van een sessie (min)", "20"),
    ):
        form.get_by_label(label).fill(value)
    form.get_by_role("radiogroup", name="Heb je een pacemaker?").get_by_label("Ja").check()
    form.get_by_role("button", name="Screenen en voorschrijven").click()
    refusal = page.get_by_role("alert").filter(has_text="kan niet worden voorgeschreven")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("Niet met een pacemaker.")
    expect(refusal).to_contain_text("Ben je zwanger? Deze vraag is niet beantwoord.")
    shot(page, "training-therapist-refusal")


def test_a_session_finished_offline_is_sent_when_back_online(
    page: Page, live_server: LiveServer
) -> None:
    log_in(page, live_server, DEMO_PATIENT.email, DEMO_PATIENT.password)
    page.goto(f"{live_server.url}/training/play?speed={SPEED}")
    before = done_count(page)
    page.get_by_role("button", name="Start sessie").click()
    question = page.get_by_role("group", name="Kon je het aanspannen en het loslaten voelen?")
    expect(question).to_be_visible(timeout=30_000)
    page.context.set_offline(True)
    question.get_by_role("button", name="Weet ik niet").click()
    note = page.locator("#player-note")
    expect(note).to_contain_text("Je bent offline.")
    queued = page.evaluate("localStorage.getItem('pelvio.training.queue')")
    assert queued and '"felt":"unsure"' in queued
    shot(page, "training-player-offline")
    page.context.set_offline(False)
    expect(note).to_have_text("Je eerdere sessie is opgeslagen.")
    expect(page.locator("[data-training-done]").first).to_have_text(str(before + 1))
    assert page.evaluate("localStorage.getItem('pelvio.training.queue')") is None
