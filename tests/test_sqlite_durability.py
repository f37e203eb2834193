"""An acknowledged write on SQLite survives a killed process (WAL, synchronous=FULL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select, text

from pelvio.accounts.tables import Clinic
from pelvio.db import create_db_engine, make_session_factory

WRITER = """
import os, signal, sys
from pelvio.accounts.tables import Clinic
from pelvio.db import create_db_engine, make_session_factory, upgrade
engine = create_db_engine(sys.argv[1])
upgrade(engine)
with make_session_factory(engine)() as db:
    db.add(Clinic(name="acknowledged"))
    db.commit()
print("committed", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_pragmas_are_set(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_committed_row_survives_sigkill(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    result = subprocess.run(
        [sys.executable, "-c", WRITER, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == -9, result.stderr
    assert result.stdout.strip() == "committed"
    engine = create_db_engine(url)
    with make_session_factory(engine)() as db:
        assert db.scalars(select(Clinic.name)).all() == ["acknowledged"]
