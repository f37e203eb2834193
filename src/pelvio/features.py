"""The features of Pelvio and how the app finds their parts.

Each feature is a package ``pelvio.<feature>``. By convention it may have:

- ``cli.py`` with ``register(app)``: its commands on the ``pelvio`` command line;
- ``tables.py``: SQLAlchemy tables (imported by :mod:`pelvio.models` for migrations);
- ``routes.py`` with ``router``: pages and API (included by :func:`pelvio.app.create_app`);
- ``templates/<feature>/*.html``: Jinja2 templates (all features share one namespace);
- ``static/``: its ES modules and CSS, served under ``/static/<feature>/``;
- ``locale/nl/LC_MESSAGES/messages.po``: its Dutch texts (``make messages`` fills it);
- ``today.py`` with ``today_section(db, user, day)``: a card on the patient's "Vandaag" page;
- ``demo.py`` with ``seed(db, users)``: history for the demo patients;
- a migration branch of its own in ``pelvio/migrations/versions`` (``branch_labels``).

Listing the features here, in order, is the one place that wires them in.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Final

__all__ = ["FEATURES", "feature_dirs", "feature_modules"]

FEATURES: Final = (
    "server",
    "accounts",
    "web",
    "signals",
    "biofeedback",
    "training",
    "diary",
    "measures",
    "pathway",
    "content",
)


@cache
def feature_modules(name: str) -> tuple[ModuleType, ...]:
    """The ``pelvio.<feature>.<name>`` modules that exist, in feature order (looked up once)."""
    modules = []
    for feature in FEATURES:
        qualified = f"pelvio.{feature}.{name}"
        if importlib.util.find_spec(f"pelvio.{feature}") and importlib.util.find_spec(qualified):
            modules.append(importlib.import_module(qualified))
    return tuple(modules)


@cache
def feature_dirs(*parts: str) -> tuple[Path, ...]:
    """The folders ``pelvio/<feature>/<parts...>`` that exist, in feature order (looked up once)."""
    root = Path(__file__).parent
    return tuple(
        root / feature / Path(*parts)
        for feature in FEATURES
        if (root / feature / Path(*parts)).is_dir()
    )
