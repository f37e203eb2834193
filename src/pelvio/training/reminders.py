"""Training reminders as an iCalendar feed (RFC 5545) that any calendar app can subscribe to.

Each reminder time the person chose becomes one daily recurring VEVENT with an alarm. Times
are wall-clock times in the person's zone (TZID, with the VTIMEZONE included), so 08:00 stays
08:00 when daylight saving time starts or ends. The feed carries no personal data: no name, no
e-mail, no diagnosis; its UIDs derive from an opaque feed token only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Final

from pelvio._check import check_int, check_option, check_type
from pelvio.errors import InputError
from pelvio.training._dates import check_aware, check_date, zone
from pelvio.training.model import LOCALES, Locale, Text

__all__ = ["DEFAULT_REMINDER_TIMES", "reminder_calendar"]

DEFAULT_REMINDER_TIMES: Final = (dt.time(8, 0), dt.time(13, 0), dt.time(20, 0))
"""Morning, afternoon and evening, the three moments of leaflet 001."""

_FEED_ID: Final = re.compile(r"[A-Za-z0-9_-]{8,64}")
_SUMMARY: Final = Text("Bekkenbodemoefeningen", "Pelvic floor exercises")
_LINK: Final = Text("Open Pelvio om je sessie te starten.", "Open Pelvio to start your session.")
# The VTIMEZONE lists transitions up to this far past generation; subscribed feeds refresh daily.
_TZ_YEARS_AHEAD: Final = 3


def _check_times(times: Sequence[dt.time]) -> tuple[dt.time, ...]:
    if isinstance(times, dt.time | str) or not isinstance(times, Sequence):
        raise InputError("times must be a list of times of day", field="times")
    if not 1 <= len(times) <= 12:
        raise InputError(f"times must hold 1 to 12 reminder times, got {len(times)}", field="times")
    for value in times:
        check_type("times", value, dt.time)
        if value.tzinfo is not None:
            raise InputError(
                f"times must be local wall-clock times without a zone; got {value.isoformat()}",
                field="times",
            )
        if value.second or value.microsecond:
            raise InputError(f"times must be whole minutes; got {value.isoformat()}", field="times")
    ordered = tuple(sorted(times))
    if len(set(ordered)) != len(ordered):
        raise InputError("times must not repeat a time", field="times")
    return ordered


def reminder_calendar(
    times: Sequence[dt.time] = DEFAULT_REMINDER_TIMES,
    *,
    feed_id: str,
    start_date: dt.date,
    generated_at: dt.datetime,
    timezone: str = "Europe/Amsterdam",
    locale: Locale = "nl",
    link_url: str | None = None,
    duration_min: int = 5,
) -> bytes:
    """An iCalendar document with one daily reminder per time in ``times``.

    Parameters
    ----------
    times
        Local wall-clock times (whole minutes, no zone), e.g. 08:00, 13:00, 20:00.
    feed_id
        An opaque random token of 8 to 64 letters, digits, ``-`` or ``_``; it makes the UIDs
        stable across downloads. Never derive it from a name or e-mail address.
    start_date
        The first day with reminders.
    generated_at
        When the feed is made (time-zone aware); written as DTSTAMP. Passed in to keep the
        function pure.
    timezone
        IANA zone of the wall-clock times.
    locale
        Language of the summary and link text (``nl`` or ``en``).
    link_url
        Where the session starts (http or https), added as URL and to the description.
    duration_min
        Length of each calendar entry, 1 to 60 minutes.

    Returns
    -------
    bytes
        The calendar, CRLF line endings, UTF-8.
    """
    from icalendar import Alarm, Calendar, Event  # deferred: importing it reads zone files

    ordered = _check_times(times)
    check_type("feed_id", feed_id, str)
    if not _FEED_ID.fullmatch(feed_id):
        raise InputError(
            "feed_id must be an opaque token of 8 to 64 letters, digits, '-' or '_'",
            field="feed_id",
        )
    check_date("start_date", start_date)
    check_aware("generated_at", generated_at)
    tz = zone(timezone)
    check_option("locale", locale, LOCALES)
    check_int("duration_min", duration_min, low=1, high=60)
    if link_url is not None:
        check_type("link_url", link_url, str)
        if not re.fullmatch(r"https?://[^\s]+", link_url):
            raise InputError(
                f"link_url must be an http(s) address without spaces; got {link_url!r}",
                field="link_url",
            )

    summary = _SUMMARY.get(locale)
    description = _LINK.get(locale) + (f" {link_url}" if link_url else "")
    calendar = Calendar()
    calendar.add("prodid", "-//Pelvio//Training reminders//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Pelvio: {summary}")
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    for at in ordered:
        event = Event()
        event.add("uid", f"pelvio-reminder-{feed_id}-{at:%H%M}")
        event.add("dtstamp", generated_at.astimezone(dt.UTC))
        event.add("dtstart", dt.datetime.combine(start_date, at, tzinfo=tz))
        event.add("duration", dt.timedelta(minutes=duration_min))
        event.add("rrule", {"freq": "daily"})
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        if link_url:
            event.add("url", link_url)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    last = max(start_date, generated_at.date())
    calendar.add_missing_timezones(
        first_date=start_date - dt.timedelta(days=1),
        last_date=last.replace(year=last.year + _TZ_YEARS_AHEAD, day=min(last.day, 28)),
    )
    data: bytes = calendar.to_ical()
    return data
