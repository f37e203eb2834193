"""A test client on a fresh SQLite database with the demo clinic."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pelvio.accounts.demo import load_demo
from pelvio.app import create_app
from pelvio.db import create_db_engine, make_session_factory, session_scope, upgrade
from pelvio.settings import load_settings


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings(env="test", data_dir=tmp_path, login_max_failures=3)
    engine = create_db_engine(settings.effective_database_url)
    upgrade(engine)
    with session_scope(make_session_factory(engine)) as db:
        load_demo(db)
    engine.dispose()
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as test_client:
        yield test_client


def csrf_token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'<meta name="csrf-token" content="([0-9a-f]*)">', page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def log_in(client: TestClient, email: str, password: str) -> None:
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
