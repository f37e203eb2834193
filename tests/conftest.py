"""Shared fixtures: one parametrised engine for SQLite and PostgreSQL, each test in a SAVEPOINT.

PostgreSQL comes from ``PELVIO_TEST_POSTGRES_URL`` (default: the local server as user
``postgres``). Set that variable to an empty string to skip the PostgreSQL half; when it is not
set and the server does not answer, the tests fail rather than pass silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from pelvio.accounts.access import AuditLog
from pelvio.db import create_db_engine, upgrade

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BACKENDS = ["sqlite", "postgresql"]


def postgres_admin_url() -> str | None:
    """The admin URL for PostgreSQL tests, or None when they are switched off."""
    url = os.environ.get("PELVIO_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    return url or None


def _create_postgres_database() -> tuple[str, Callable[[], None]]:
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip("PELVIO_TEST_POSTGRES_URL is set to an empty string")
    name = f"pelvio_test_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(admin_url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL at {make_url(admin_url).render_as_string(hide_password=True)} did not "
            f"answer ({type(exc).__name__}); start it with pg_ctlcluster, or set "
            "PELVIO_TEST_POSTGRES_URL='' to skip the PostgreSQL tests"
        )

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return url, drop


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database on each backend, shared by the tests of one session."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "pelvio.db"
        eng = create_db_engine(f"sqlite:///{path}")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    url, drop = _create_postgres_database()
    eng = create_db_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()
    drop()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    Commits inside the code under test only release SAVEPOINTs, so tests stay isolated.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    session.info["connection"] = connection
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def audit(db: Session) -> AuditLog:
    """An access-log writer inside the test's transaction."""
    connection = db.info["connection"]
    return AuditLog(lambda: Session(bind=connection, join_transaction_mode="create_savepoint"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, migrated SQLite database for one test."""
    url = f"sqlite:///{tmp_path / 'pelvio.db'}"
    eng = create_db_engine(url)
    upgrade(eng)
    eng.dispose()
    return url
