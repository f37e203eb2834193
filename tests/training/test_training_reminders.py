"""The reminder feed: parses back, keeps 08:00 local across DST, stable UIDs, no personal data."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from icalendar import Calendar, Event

from pelvio.errors import InputError
from pelvio.training import DEFAULT_REMINDER_TIMES, reminder_calendar

AMS = ZoneInfo("Europe/Amsterdam")
GENERATED = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


def _feed(**kwargs: object) -> bytes:
    arguments: dict[str, object] = {
        "feed_id": "k3J9x-Qp_7zW",
        "start_date": dt.date(2025, 3, 1),
        "generated_at": GENERATED,
    }
    arguments.update(kwargs)
    return reminder_calendar(**arguments)  # type: ignore[arg-type]


def _start(event: Event) -> dt.datetime:
    start = event.start
    assert isinstance(start, dt.datetime)
    return start


def _rule(event: Event) -> str:
    value = event["RRULE"].to_ical()
    return value.decode() if isinstance(value, bytes) else str(value)


def test_the_feed_parses_back_with_one_daily_event_per_time() -> None:
    calendar = Calendar.from_ical(_feed())
    events = calendar.events
    assert len(events) == 3
    starts = sorted(_start(event).time() for event in events)
    assert starts == list(DEFAULT_REMINDER_TIMES)
    for event in events:
        assert _rule(event) == "FREQ=DAILY"
        assert str(_start(event).tzinfo) == "Europe/Amsterdam"
        assert b"TZID=Europe/Amsterdam" in event.content_line("DTSTART", event["DTSTART"]).encode()
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        assert [str(a["ACTION"]) for a in alarms] == ["DISPLAY"]
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Amsterdam"]


@pytest.mark.parametrize(
    ("around", "before_utc", "after_utc"),
    [
        (dt.date(2025, 3, 30), dt.time(7), dt.time(6)),  # last Sunday of March: CET -> CEST
        (dt.date(2025, 10, 26), dt.time(6), dt.time(7)),  # last Sunday of October: CEST -> CET
    ],
)
def test_0800_stays_0800_local_across_both_dst_changes(
    around: dt.date, before_utc: dt.time, after_utc: dt.time
) -> None:
    calendar = Calendar.from_ical(_feed(times=[dt.time(8)]))
    event = calendar.events[0]
    rule = rrulestr(_rule(event), dtstart=_start(event))
    window = (
        dt.datetime.combine(around - dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC),
        dt.datetime.combine(around + dt.timedelta(days=2), dt.time(0), tzinfo=dt.UTC),
    )
    occurrences = rule.between(*window)
    assert [o.astimezone(AMS).time() for o in occurrences] == [dt.time(8)] * 3
    utc = [o.astimezone(dt.UTC).time() for o in occurrences]
    assert utc[0] == before_utc and utc[-1] == after_utc
    # The VTIMEZONE in the feed itself says the same, for clients without a zone database.
    own = calendar.timezones[0].to_tz()
    local = [dt.datetime.combine(o.date(), dt.time(8), tzinfo=own) for o in occurrences]
    assert [x.astimezone(dt.UTC).time() for x in local] == utc


def test_uids_are_stable_and_differ_per_time() -> None:
    first = [str(e["UID"]) for e in Calendar.from_ical(_feed()).events]
    later = [
        str(e["UID"])
        for e in Calendar.from_ical(_feed(generated_at=GENERATED + dt.timedelta(days=9))).events
    ]
    assert first == later
    assert len(set(first)) == 3
    assert first[0] == "pelvio-reminder-k3J9x-Qp_7zW-0800"


def test_summary_and_link_in_each_language() -> None:
    nl = Calendar.from_ical(_feed(link_url="https://pelvio.example/oefenen")).events[0]
    en = Calendar.from_ical(_feed(locale="en")).events[0]
    assert str(nl["SUMMARY"]) == "Bekkenbodemoefeningen"
    assert "Open Pelvio om je sessie te starten." in str(nl["DESCRIPTION"])
    assert str(nl["URL"]) == "https://pelvio.example/oefenen"
    assert str(en["SUMMARY"]) == "Pelvic floor exercises"
    assert str(en["DESCRIPTION"]) == "Open Pelvio to start your session."


def test_no_personal_data_in_the_feed() -> None:
    """The function takes no name or e-mail; the feed has no ORGANIZER, ATTENDEE or mail."""
    data = _feed(link_url="https://pelvio.example/t/abc").decode()
    for needle in ("ORGANIZER", "ATTENDEE", "CONTACT", "mailto:", "@"):
        assert needle not in data
    with pytest.raises(InputError, match="feed_id must be an opaque token"):
        _feed(feed_id="jan.jansen@example.nl")


def test_the_feed_is_deterministic() -> None:
    assert _feed() == _feed()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"times": []}, "1 to 12 reminder times"),
        ({"times": [dt.time(8), dt.time(8)]}, "must not repeat"),
        ({"times": [dt.time(8, 0, 30)]}, "whole minutes"),
        ({"times": [dt.time(8, tzinfo=dt.UTC)]}, "without a zone"),
        ({"times": dt.time(8)}, "must be a list"),
        ({"feed_id": "short"}, "feed_id must be"),
        ({"generated_at": dt.datetime(2025, 3, 1)}, "generated_at must be time-zone aware"),  # noqa: DTZ001
        ({"timezone": "Europe/Atlantis"}, "IANA time zone"),
        ({"locale": "de"}, "locale must be one of"),
        ({"link_url": "javascript:alert(1)"}, "link_url must be an http"),
        ({"duration_min": 0}, "duration_min must lie in"),
    ],
)
def test_bad_inputs_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        _feed(**kwargs)
