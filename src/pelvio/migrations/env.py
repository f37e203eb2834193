"""Alembic environment: migrations run on the engine handed over by :func:`pelvio.db.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import pelvio.models  # noqa: F401  (registers every table on Base.metadata)
from pelvio.db import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through 'pelvio db upgrade'")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
