"""Cards that features put on the patient's "Vandaag" page.

A feature adds a card through ``today.py`` with
``today_section(db: Session, patient: User, day: date) -> TodaySection | None``. The card's
template lives in ``templates/<feature>/``; the page loads ``static/<feature>.css`` of that
feature when it exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from pelvio.accounts.tables import User
from pelvio.features import feature_dirs, feature_modules

__all__ = ["TodaySection", "section_stylesheets", "today_sections"]


@dataclass(frozen=True, slots=True)
class TodaySection:
    """One card: a template (from the feature's ``templates/``) and what it needs."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


TodayProvider = Callable[[Session, User, dt.date], TodaySection | None]


def today_sections(db: Session, patient: User, day: dt.date) -> list[TodaySection]:
    """The cards for ``patient`` on ``day``, in display order."""
    sections = []
    for module in feature_modules("today"):
        provider: TodayProvider = module.today_section
        section = provider(db, patient, day)
        if section is not None:
            sections.append(section)
    return sorted(sections, key=lambda section: section.order)


def section_stylesheets(sections: list[TodaySection]) -> list[str]:
    """The URLs of the stylesheets of the features whose cards are shown, in feature order."""
    shown = {section.template.split("/", 1)[0] for section in sections}
    return [href for feature, href in _feature_stylesheets() if feature in shown]


@cache
def _feature_stylesheets() -> tuple[tuple[str, str], ...]:
    return tuple(
        (folder.parent.name, f"/static/{folder.parent.name}/{folder.parent.name}.css")
        for folder in feature_dirs("static")
        if (folder / f"{folder.parent.name}.css").is_file()
    )
