"""Every migration branch goes up, down to nothing, and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from pelvio.db import _alembic_config, create_db_engine, current_revisions, head_revisions, upgrade
from tests.conftest import _create_postgres_database


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_downgrade_upgrade(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'm.db'}", None
    else:
        url, drop = _create_postgres_database()
    engine = create_db_engine(url)
    try:
        upgrade(engine)
        assert current_revisions(engine) == head_revisions()
        command.downgrade(_alembic_config(engine), "base")
        assert current_revisions(engine) == frozenset()
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
            if backend == "postgresql":
                types = connection.execute(text("SELECT typname FROM pg_type WHERE typtype = 'e'"))
                assert list(types) == []
        upgrade(engine)
        assert current_revisions(engine) == head_revisions()
    finally:
        engine.dispose()
        if drop is not None:
            drop()
