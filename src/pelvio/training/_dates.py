"""Checks for dates, aware datetimes and IANA time zones, shared by the training modules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelvio._check import check_type
from pelvio.errors import InputError

__all__ = ["check_aware", "check_date", "zone"]


def check_date(name: str, value: object) -> dt.date:
    """Return ``value`` if it is a calendar date (a datetime is refused: it is not a day)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InputError(f"{name} must be a calendar date, got {value!r}", field=name)
    return value


def check_aware(name: str, moment: object) -> dt.datetime:
    """Return ``moment`` if it is a time-zone-aware datetime."""
    check_type(name, moment, dt.datetime)
    assert isinstance(moment, dt.datetime)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InputError(
            f"{name} must be time-zone aware (e.g. in UTC); got the naive {moment.isoformat()}",
            field=name,
        )
    return moment


def zone(timezone: object) -> ZoneInfo:
    """The :class:`ZoneInfo` named ``timezone``; raises naming the field if unknown."""
    check_type("timezone", timezone, str)
    assert isinstance(timezone, str)
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"timezone must be an IANA time zone such as 'Europe/Amsterdam'; got {timezone!r}",
            field="timezone",
        ) from exc
