"""The diary CSV interchange format: strict and lenient reading, every error naming line and field.

The contract is issue 6: header ``time,event,volume_ml,urgency,amount,trigger,kind,bristol,note``,
``time`` ISO 8601 with its UTC offset, a malformed row named by line and field and nothing
half-imported.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelvio.diary import (
    BOWEL_FLAGS,
    CSV_HEADER,
    LEAK_AMOUNTS,
    LEAK_TRIGGERS,
    Bed,
    Bowel,
    Drink,
    Event,
    Leak,
    Pad,
    Void,
    Wake,
    format_diary_csv,
    parse_diary_csv,
)
from pelvio.diary.fileio import MAX_FILE_BYTES, read_diary_csv, write_diary_csv
from pelvio.errors import FileFormatError, InputError

HEADER = "time,event,volume_ml,urgency,amount,trigger,kind,bristol,note"
CET = timezone(timedelta(hours=1))
GOOD_ROWS = [
    "2025-03-29T07:00:00+01:00,wake,,,,,,,",
    "2025-03-29T07:00:00+01:00,void,300,0,,,,,first of the day",
    "2025-03-29T07:30:00+01:00,drink,250,,,,tea,,",
    "2025-03-29T10:00:00+01:00,void,,3,,,,,not measured",
    "2025-03-29T16:00:00+01:00,leak,,,small,cough,,,",
    "2025-03-29T16:05:00+01:00,pad,,,,,,,",
    "2025-03-29T18:00:00+01:00,bowel,,,,,straining;incomplete,2,",
    "2025-03-29T23:00:00+01:00,bed,,,,,,,",
]


def csv_text(*rows: str, newline: str = "\n") -> str:
    return newline.join([HEADER, *rows]) + newline


def test_header_is_exactly_the_issue_header() -> None:
    assert ",".join(CSV_HEADER) == HEADER


def test_reads_every_event_kind() -> None:
    events = parse_diary_csv(csv_text(*GOOD_ROWS)).events
    t = datetime(2025, 3, 29, 7, 0, tzinfo=CET)
    assert events == (
        Wake(time=t),
        Void(time=t, volume_ml=300, urgency=0, note="first of the day"),
        Drink(time=t + timedelta(minutes=30), volume_ml=250, kind="tea"),
        Void(time=t + timedelta(hours=3), volume_ml=None, urgency=3, note="not measured"),
        Leak(time=t + timedelta(hours=9), amount="small", trigger="cough"),
        Pad(time=t + timedelta(hours=9, minutes=5)),
        Bowel(time=t + timedelta(hours=11), bristol=2, straining=True, incomplete=True),
        Bed(time=t + timedelta(hours=16)),
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_bom_and_crlf_and_blank_lines_are_accepted(newline: str) -> None:
    text = "\ufeff" + csv_text(GOOD_ROWS[0], "", ",,,,,,,,", GOOD_ROWS[1], newline=newline)
    assert len(parse_diary_csv(text).events) == 2


def test_header_only_is_an_empty_diary() -> None:
    result = parse_diary_csv(HEADER + "\r\n")
    assert result.events == ()
    assert result.skipped == ()


@pytest.mark.parametrize("text", ["", "   \n", "\ufeff"])
def test_empty_file_is_refused(text: str) -> None:
    with pytest.raises(FileFormatError, match="empty") as info:
        parse_diary_csv(text, source="diary.csv")
    assert str(info.value).startswith("diary.csv, line 1:")


@pytest.mark.parametrize(
    "header",
    [
        "time,event,volume,urgency,amount,trigger,kind,bristol,note",
        "event,time,volume_ml,urgency,amount,trigger,kind,bristol,note",
        "time,event,volume_ml,urgency,amount,trigger,kind,bristol",
        "2025-03-29T07:00:00+01:00,wake,,,,,,,",
    ],
)
def test_wrong_header_is_refused_even_when_lenient(header: str) -> None:
    with pytest.raises(FileFormatError, match="header must be") as info:
        parse_diary_csv(header + "\n" + GOOD_ROWS[0] + "\n", on_error="warn")
    assert info.value.line == 1


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        # Units and number formats in volume_ml.
        ("2025-03-29T10:00:00+01:00,void,250ml,0,,,,,", "volume_ml", "number of millilitres"),
        ("2025-03-29T10:00:00+01:00,void,0.25 l,0,,,,,", "volume_ml", "without a unit"),
        ("2025-03-29T10:00:00+01:00,void,8 oz,0,,,,,", "volume_ml", "number of millilitres"),
        ('2025-03-29T10:00:00+01:00,void,"250,5",0,,,,,', "volume_ml", "decimal comma"),
        ("2025-03-29T10:00:00+01:00,void,-250,0,,,,,", "volume_ml", "number of millilitres"),
        ("2025-03-29T10:00:00+01:00,void,nan,0,,,,,", "volume_ml", "number of millilitres"),
        ("2025-03-29T10:00:00+01:00,void,1e3,0,,,,,", "volume_ml", "number of millilitres"),
        ("2025-03-29T10:00:00+01:00,void,0,0,,,,,", "volume_ml", "must lie in"),
        ("2025-03-29T10:00:00+01:00,void,2500,0,,,,,", "volume_ml", "at most 2000 ml"),
        ("2025-03-29T10:00:00+01:00,drink,4000,,,,,,", "volume_ml", "at most 3000 ml"),
        # Time.
        ("2025-03-29T10:00:00,void,250,0,,,,,", "time", "UTC offset"),
        ("2025-03-29,void,250,0,,,,,", "time", "UTC offset"),
        ("29-03-2025 10:00,void,250,0,,,,,", "time", "ISO 8601"),
        (",void,250,0,,,,,", "time", "required"),
        # Event and its fields.
        ("2025-03-29T10:00:00+01:00,pee,250,0,,,,,", "event", "one of bed, wake"),
        ("2025-03-29T10:00:00+01:00,void,250,,,,,,", "urgency", "required for a void"),
        ("2025-03-29T10:00:00+01:00,void,250,5,,,,,", "urgency", "0–4"),
        ("2025-03-29T10:00:00+01:00,void,250,high,,,,,", "urgency", "0–4"),
        ("2025-03-29T10:00:00+01:00,void,250,0,small,,,,", "amount", "not used for a void"),
        ("2025-03-29T10:00:00+01:00,leak,,,,cough,,,", "amount", "required for a leak"),
        ("2025-03-29T10:00:00+01:00,leak,,,lots,cough,,,", "amount", "drops, small"),
        ("2025-03-29T10:00:00+01:00,leak,,,small,,,,", "trigger", "required for a leak"),
        ("2025-03-29T10:00:00+01:00,leak,,,small,jump,,,", "trigger", "cough, sneeze"),
        ("2025-03-29T10:00:00+01:00,leak,100,,small,cough,,,", "volume_ml", "not used for a leak"),
        ("2025-03-29T10:00:00+01:00,bed,,,,,,3,", "bristol", "not used for a bed"),
        ("2025-03-29T10:00:00+01:00,bowel,,,,,,8,", "bristol", "1–7"),
        ("2025-03-29T10:00:00+01:00,bowel,,,,,,,", "bristol", "required for a bowel"),
        ("2025-03-29T10:00:00+01:00,bowel,,,,,pushing,4,", "kind", "straining, incomplete"),
        # Shape of the row.
        ("2025-03-29T10:00:00+01:00,void,250", "urgency", "cut off"),
        ("2025-03-29T10:00:00+01:00,void,250,0,,,,,note, with a comma", "note", "double quotes"),
    ],
)
def test_bad_row_names_line_and_field_and_imports_nothing(
    row: str, field: str, message: str
) -> None:
    text = csv_text(*GOOD_ROWS[:3], row, *GOOD_ROWS[3:])
    with pytest.raises(FileFormatError) as info:
        parse_diary_csv(text, source="diary.csv")
    error = info.value
    assert error.line == 5
    assert error.field == field
    assert message in str(error)
    assert str(error).startswith(f"diary.csv, line 5, field {field}: ")
    # Lenient reading skips exactly that row and says so.
    lenient = parse_diary_csv(text, on_error="warn")
    assert len(lenient.events) == len(GOOD_ROWS)
    assert [(p.line, p.field) for p in lenient.skipped] == [(5, field)]
    assert str(lenient.skipped[0]).startswith(f"line 5, field {field}: ")


def test_truncated_last_line_is_named() -> None:
    text = csv_text(*GOOD_ROWS) + "2025-03-30T07:00:00+02:00,vo"
    with pytest.raises(FileFormatError) as info:
        parse_diary_csv(text)
    assert info.value.line == len(GOOD_ROWS) + 2
    assert info.value.field == "volume_ml"


def test_broken_quoting_is_named_by_line() -> None:
    text = csv_text(GOOD_ROWS[0], '2025-03-29T10:00:00+01:00,void,250,0,,,,,"unclosed')
    with pytest.raises(FileFormatError, match="quoting") as info:
        parse_diary_csv(text, on_error="warn")
    assert info.value.line is not None and info.value.line >= 3


def test_quoted_note_with_comma_quote_and_newline_is_read() -> None:
    row = '2025-03-29T10:00:00+01:00,void,250,0,,,,,"after ""coffee"", then\na walk"'
    (event,) = parse_diary_csv(csv_text(row)).events
    assert event.note == 'after "coffee", then\na walk'


def test_offsets_and_z_suffix_are_kept() -> None:
    rows = ["2025-03-30T01:30:00Z,void,200,0,,,,,", "2025-03-30T07:00:00+02:00,wake,,,,,,,"]
    first, second = parse_diary_csv(csv_text(*rows)).events
    assert first.time == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert second.time.utcoffset() == timedelta(hours=2)


def test_lenient_keeps_all_good_rows_and_lists_every_bad_one() -> None:
    text = csv_text("x,void,250,0,,,,,", *GOOD_ROWS, "2025-03-29T23:30:00+01:00,void,9 oz,0,,,,,")
    result = parse_diary_csv(text, on_error="warn")
    assert len(result.events) == len(GOOD_ROWS)
    assert [(p.line, p.field) for p in result.skipped] == [(2, "time"), (11, "volume_ml")]


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(InputError, match="on_error"):
        parse_diary_csv(csv_text(), on_error="ignore")  # type: ignore[arg-type]


def test_export_writes_the_header_crlf_and_time_order() -> None:
    events = parse_diary_csv(csv_text(*reversed(GOOD_ROWS))).events
    text = format_diary_csv(events)
    lines = text.split("\r\n")
    assert lines[0] == HEADER
    assert lines[-1] == ""
    assert lines[1:-1] == GOOD_ROWS


_times = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - Hypothesis wants naive bounds
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, CET, timezone(timedelta(hours=-3, minutes=-30))]),
)
_notes = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\x00"),
    max_size=40,
).map(str.strip)
_volumes = st.one_of(
    st.none(), st.integers(1, 2000).map(float), st.decimals("0.5", "1999.5", places=1).map(float)
)
_events: st.SearchStrategy[Event] = st.one_of(
    st.builds(Bed, time=_times, note=_notes),
    st.builds(Wake, time=_times, note=_notes),
    st.builds(Pad, time=_times, note=_notes),
    st.builds(Void, time=_times, urgency=st.integers(0, 4), volume_ml=_volumes, note=_notes),
    st.builds(
        Leak,
        time=_times,
        amount=st.sampled_from(LEAK_AMOUNTS),
        trigger=st.sampled_from(LEAK_TRIGGERS),
        urgency=st.one_of(st.none(), st.integers(0, 4)),
        note=_notes,
    ),
    st.builds(
        Drink,
        time=_times,
        volume_ml=_volumes,
        kind=st.sampled_from(["", "water", "coffee, black"]),
        note=_notes,
    ),
    st.builds(
        Bowel,
        time=_times,
        bristol=st.integers(1, 7),
        **{flag: st.booleans() for flag in BOWEL_FLAGS},
        note=_notes,
    ),
)


@settings(deadline=None, max_examples=60)
@given(st.lists(_events, max_size=12))
def test_export_then_import_gives_the_same_entries(events: list[Event]) -> None:
    text = format_diary_csv(events)
    back = parse_diary_csv(text).events
    assert sorted(back, key=repr) == sorted(events, key=repr)
    for a, b in zip(sorted(back, key=repr), sorted(events, key=repr), strict=True):
        assert a.time.utcoffset() == b.time.utcoffset()


def test_file_round_trip(tmp_path: Path) -> None:
    events = parse_diary_csv(csv_text(*GOOD_ROWS)).events
    path = tmp_path / "diary.csv"
    write_diary_csv(path, events)
    assert path.read_bytes().startswith(HEADER.encode() + b"\r\n")
    assert read_diary_csv(path).events == events


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(FileFormatError, match=r"nope\.csv: no such file"):
        read_diary_csv(missing)
    with pytest.raises(FileFormatError, match="cannot be read"):
        read_diary_csv(tmp_path)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        (csv_text(GOOD_ROWS[0]) + "2025-03-29T08:00:00+01:00,drink,200,,,,th\xe9,,\n").encode(
            "latin-1"
        )
    )
    with pytest.raises(FileFormatError, match="not UTF-8") as info:
        read_diary_csv(latin)
    assert info.value.line == 3
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(FileFormatError, match="at most"):
        read_diary_csv(big)


def test_bad_row_in_a_file_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "diary.csv"
    path.write_text(
        csv_text(GOOD_ROWS[0], "2025-03-29T10:00:00+01:00,void,250 ml,0,,,,,"), encoding="utf-8"
    )
    with pytest.raises(FileFormatError) as info:
        read_diary_csv(path)
    assert str(info.value).startswith(f"{path}, line 3, field volume_ml: ")
