"""Start a real ``pelvio serve`` process on a free port, for tests that need a real server."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PELVIO = str(Path(sys.executable).with_name("pelvio"))


@dataclass
class Server:
    url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]

    @property
    def log(self) -> str:
        return (self.data_dir / "server.log").read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(data_dir: Path) -> dict[str, str]:
    """The environment of a development server on ``data_dir`` (nothing PELVIO_ inherited)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PELVIO_")}
    env.update({"PELVIO_ENV": "development", "PELVIO_DATA_DIR": str(data_dir)})
    return env


def prepare(data_dir: Path) -> dict[str, str]:
    """Migrate the database under ``data_dir`` and load the demo data."""
    env = server_env(data_dir)
    for command in (["db", "upgrade"], ["demo", "--if-empty"]):
        subprocess.run([PELVIO, *command], env=env, check=True, capture_output=True, timeout=120)
    return env


def start(data_dir: Path, env: dict[str, str], port: int | None = None) -> Server:
    """Start ``pelvio serve`` and wait until ``/healthz`` answers."""
    port = port or free_port()
    log = (data_dir / "server.log").open("a")
    process = subprocess.Popen(
        [PELVIO, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    server = Server(f"http://127.0.0.1:{port}", data_dir, env, process)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return server
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("pelvio serve did not start:\n" + server.log) from None
            time.sleep(0.2)


@contextmanager
def running(data_dir: Path) -> Iterator[Server]:
    """A prepared server on ``data_dir`` for the duration of the block."""
    server = start(data_dir, prepare(data_dir))
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()


class WebUser:
    """A logged-in user speaking plain HTTP to a server at ``url`` (forms, cookies, CSRF)."""

    def __init__(self, url: str, email: str, password: str) -> None:
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.post("/login", {"email": email, "password": password}, form_page="/login")

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=30) as response:
            return str(response.read().decode())

    def post(self, path: str, data: dict[str, str], *, form_page: str) -> tuple[str, str]:
        """Submit a form with the CSRF token of ``form_page``, the page the form is on; the
        final address (after redirects) and the page."""
        page = self.get(form_page)
        match = re.search(r'<meta name="csrf-token" content="([0-9a-f]*)">', page)
        if not match:
            raise RuntimeError(f"no CSRF token on {form_page}")
        body = urllib.parse.urlencode({**data, "csrf_token": match.group(1)}).encode()
        with self.opener.open(self.url + path, data=body, timeout=60) as response:
            return response.geturl(), str(response.read().decode())

    @property
    def cookie(self) -> str:
        """The session cookie as a ``Cookie`` header value."""
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)
