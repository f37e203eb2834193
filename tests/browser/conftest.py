"""A real server (``pelvio serve`` in a subprocess) and Debian's Chromium driven by Playwright.

The browser is ``/usr/bin/chromium`` (or ``PELVIO_CHROMIUM``); Playwright never downloads one.
Screenshots go to ``test-output/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
PELVIO = str(Path(sys.executable).with_name("pelvio"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class LiveServer:
    url: str
    data_dir: Path
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("live")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PELVIO_")}
    env.update({"PELVIO_ENV": "development", "PELVIO_DATA_DIR": str(data_dir)})
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([PELVIO, *command], env=env, check=True, capture_output=True, timeout=120)
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        [PELVIO, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("pelvio serve did not start:\n" + (data_dir / "server.log").read_text())
            time.sleep(0.2)
    yield LiveServer(url=url, data_dir=data_dir, env=env)
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = os.environ.get("PELVIO_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(
            f"the browser tests need Debian's chromium at {executable}: apt-get install chromium"
        )
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")
    new_page = context.new_page()
    yield new_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    new_page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


def shot(page: Page, name: str) -> None:
    """Save a screenshot to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, server: LiveServer, email: str, password: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("networkidle")
