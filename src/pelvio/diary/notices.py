"""Warnings that travel with a diary result, in Dutch and English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["Notice", "when"]


@dataclass(frozen=True, slots=True)
class Notice:
    """One warning about a diary: a stable ``code`` and the same message in nl and en.

    Parameters
    ----------
    code
        A stable key (``"missing_void_volume"``, ``"clock_change"``, ...) the web can style or
        filter on; see ``docs/diary.md`` for the list.
    nl, en
        The message, Dutch and English.
    period
        The 1-based number of the period it concerns, if any.
    time
        The entry it concerns, if any.
    """

    code: str
    nl: str
    en: str
    period: int | None = None
    time: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form with the English message (the command line's language)."""
        return {
            "code": self.code,
            "message": self.en,
            "period": self.period,
            "time": None if self.time is None else self.time.isoformat(),
        }


def when(time: datetime) -> str:
    """``time`` as the person wrote it, on their own clock: ``2025-03-29 07:00``."""
    return time.strftime("%Y-%m-%d %H:%M")
