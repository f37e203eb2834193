"""EDF+ writing and reading (pelvio.signals.edf).

Expected values come from the EDF specification (Kemp et al. 1992; EDF+, Kemp & Olivan 2003,
https://www.edfplus.info/specs/): physical = (digital - digital_min) * (physical_max -
physical_min) / (digital_max - digital_min) + physical_min, and a round trip may differ by at
most half a quantisation step, (physical_max - physical_min) / (digital_max - digital_min) / 2.

The "foreign" files here are produced in two honest ways: byte by byte by ``_edf_bytes`` below,
a small independent writer that follows the specification (it never calls edfio or Pelvio), and
by edfio itself with settings Pelvio never uses (other record durations, digital ranges,
units, a sub-second start time).
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

import edfio
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from pelvio.errors import FileFormatError, InputError
from pelvio.signals.annotations import Annotation
from pelvio.signals.edf import PADDING, read_edf, write_edf

# --- an independent EDF(+) writer, byte by byte ---------------------------------------------


@dataclass
class _Channel:
    label: str
    unit: bytes
    samples_per_record: int
    digital: NDArray[np.int16]
    physical: tuple[str, str] = ("-3200", "3200")
    digital_range: tuple[int, int] = (-32768, 32767)


@dataclass
class _Layout:
    channels: list[_Channel]
    record_s: str = "1"
    # (onset, duration or None, text) per data record; None writes plain EDF (no annotations)
    annotations: list[list[tuple[float, float | None, str]]] | None = None
    annotation_position: int = -1  # index among the signals where "EDF Annotations" goes
    annotation_bytes: int = 120
    reserved: str = "EDF+C"
    announced_records: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _field(text: str | bytes, width: int) -> bytes:
    raw = text.encode("latin-1") if isinstance(text, str) else text
    assert len(raw) <= width, (raw, width)
    return raw.ljust(width, b" ")


def _edf_bytes(layout: _Layout) -> bytes:
    """Write an EDF/EDF+ file following the specification, without edfio."""
    channels = layout.channels
    n_records = channels[0].digital.size // channels[0].samples_per_record
    record_s = float(layout.record_s)
    rows: list[dict[str, bytes | str | int]] = [
        {
            "label": ch.label,
            "unit": ch.unit,
            "pmin": ch.physical[0],
            "pmax": ch.physical[1],
            "dmin": ch.digital_range[0],
            "dmax": ch.digital_range[1],
            "spr": ch.samples_per_record,
        }
        for ch in channels
    ]
    tal_records: list[bytes] = []
    if layout.annotations is not None:
        for record in range(n_records):
            tal = f"+{record * record_s:g}\x14\x14\x00".encode()
            for onset, duration, text in layout.annotations[record]:
                timing = f"+{onset:g}" + (f"\x15{duration:g}" if duration is not None else "")
                tal += f"{timing}\x14{text}\x14\x00".encode()
            assert len(tal) <= layout.annotation_bytes
            tal_records.append(tal.ljust(layout.annotation_bytes, b"\x00"))
        position = layout.annotation_position % (len(rows) + 1)
        rows.insert(
            position,
            {
                "label": "EDF Annotations",
                "unit": b"",
                "pmin": "-32768",
                "pmax": "32767",
                "dmin": -32768,
                "dmax": 32767,
                "spr": layout.annotation_bytes // 2,
            },
        )
    else:
        position = -1
    ns = len(rows)
    head = b"".join(
        [
            _field("0", 8),
            _field(layout.extra.get("patient", "X X X X"), 80),
            _field("Startdate 01-JAN-2024 X X X", 80),
            _field("01.01.24", 8),
            _field("10.00.00", 8),
            _field(layout.extra.get("header_bytes", str(256 * (ns + 1))), 8),
            _field(layout.reserved if layout.annotations is not None else "", 44),
            _field(layout.announced_records or str(n_records), 8),
            _field(layout.record_s, 8),
            _field(str(ns), 4),
        ]
    )
    for key, width in (("label", 16), ("transducer", 80), ("unit", 8), ("pmin", 8)):
        head += b"".join(_field(row.get(key, ""), width) for row in rows)  # type: ignore[arg-type]
    for key, width in (("pmax", 8), ("dmin", 8), ("dmax", 8)):
        head += b"".join(_field(str(row[key]), width) for row in rows)
    head += b"".join(_field("", 80) for _ in rows)
    head += b"".join(_field(str(row["spr"]), 8) for row in rows)
    head += b"".join(_field("", 32) for _ in rows)
    body = bytearray()
    for record in range(n_records):
        for index in range(ns):
            if index == position:
                body += tal_records[record]
                continue
            ch = channels[index - (1 if 0 <= position < index else 0)]
            spr = ch.samples_per_record
            body += ch.digital[record * spr : (record + 1) * spr].astype("<i2").tobytes()
    return head + bytes(body)


def _expected(ch: _Channel) -> NDArray[np.float64]:
    """The physical values the EDF specification assigns to the digital samples."""
    pmin, pmax = float(ch.physical[0]), float(ch.physical[1])
    dmin, dmax = ch.digital_range
    return (ch.digital.astype(np.float64) - dmin) * (pmax - pmin) / (dmax - dmin) + pmin


def _digital(n: int, low: int, high: int, seed: int) -> NDArray[np.int16]:
    return np.random.default_rng(seed).integers(low, high + 1, n).astype(np.int16)


def _resolution(path: Path, index: int = 0) -> float:
    """Quantisation step of signal ``index``, from the header fields themselves."""
    raw = path.read_bytes()
    ns = int(raw[252:256])

    def number(width_before: int) -> float:
        # each field is stored for all ns signals before the next field starts
        start = 256 + ns * width_before + 8 * index
        return float(raw[start : start + 8])

    label_transducer_unit = 16 + 80 + 8
    pmin, pmax = number(label_transducer_unit), number(label_transducer_unit + 8)
    dmin, dmax = number(label_transducer_unit + 16), number(label_transducer_unit + 24)
    return (pmax - pmin) / (dmax - dmin)


# --- round trip ---------------------------------------------------------------------------------

GLAZER = (
    Annotation(0.0, 60.0, "pre_baseline"),
    Annotation(60.0, 60.0, "phasic"),
    Annotation(60.0, 0.0, "cue:contract"),
    Annotation(62.0, 0.0, "cue:relax"),
    Annotation(120.0, 100.0, "tonic"),
    Annotation(220.0, 60.0, "endurance"),
    Annotation(280.0, 60.0, "post_baseline"),
)


def _emg(duration_s: float, rate: float, seed: int = 0) -> NDArray[np.float64]:
    rng = np.random.default_rng(seed)
    n = round(duration_s * rate)
    tone = 5.0 + 40.0 * (np.sin(np.arange(n) / rate) > 0.5)
    return rng.normal(0.0, 1.0, n) * tone + 3.0


def test_round_trip_keeps_signal_within_quantisation_and_annotations(tmp_path: Path) -> None:
    signal = _emg(340.0, 2000.0)
    path = write_edf(tmp_path / "glazer.edf", signal, 2000.0, GLAZER)
    recording = read_edf(path)
    step = _resolution(path)
    assert recording.signal.shape == signal.shape
    assert np.max(np.abs(recording.signal - signal)) <= step / 2 * (1 + 1e-9)
    assert recording.annotations == tuple(sorted(GLAZER, key=lambda a: (a.onset_s, a.text)))
    assert recording.sampling_rate_hz == 2000.0
    assert recording.duration_s == pytest.approx(340.0)
    assert (recording.channel, recording.unit, recording.kind) == ("EMG", "uV", "emg")
    assert recording.notes == ()


def test_round_trip_of_a_length_that_fills_no_whole_record(tmp_path: Path) -> None:
    signal = _emg(2.0, 2000.0)[:3999]  # 3999 = 3 x 31 x 43: no record duration in 10 ms steps
    path = write_edf(tmp_path / "odd.edf", signal, 2000.0, [Annotation(1.0, 0.0, "cue:relax")])
    recording = read_edf(path)
    assert recording.signal.size == 3999
    assert np.max(np.abs(recording.signal - signal)) <= _resolution(path) / 2 * (1 + 1e-9)
    assert recording.annotations == (Annotation(1.0, 0.0, "cue:relax"),)
    # A reader that does not know Pelvio still sees where the filler starts.
    foreign = edfio.read_edf(path)
    assert [a.text for a in foreign.annotations] == ["cue:relax", PADDING]
    assert foreign.annotations[1].onset == pytest.approx(3999 / 2000)


def test_two_channels_and_pressure_round_trip(tmp_path: Path) -> None:
    emg, abdominal = _emg(4.0, 2000.0, 1), _emg(4.0, 2000.0, 2) * 0.3
    path = write_edf(tmp_path / "two.edf", [emg, abdominal], 2000.0, labels=["PFM", "Abdomen"])
    first, second = read_edf(path), read_edf(path, channel="Abdomen")
    assert first.channel == "PFM"
    assert np.max(np.abs(second.signal - abdominal)) <= _resolution(path, 1) / 2 * (1 + 1e-9)
    assert [c.label for c in first.channels] == ["PFM", "Abdomen"]

    pressure = 20.0 + 10.0 * np.sin(np.arange(1000) / 100.0)
    path = write_edf(tmp_path / "p.edf", pressure, 100.0, unit="cmH2O")
    recording = read_edf(path)
    assert (recording.kind, recording.unit, recording.channel) == ("pressure", "cmH2O", "Pressure")
    assert np.max(np.abs(recording.signal - pressure)) <= _resolution(path) / 2 * (1 + 1e-9)
    with pytest.raises(FileFormatError, match=r"p\.edf: no EMG channel"):
        read_edf(path, kind="emg")


def test_header_is_anonymous_and_marks_edf_plus(tmp_path: Path) -> None:
    path = write_edf(tmp_path / "a.edf", _emg(1.0, 2000.0), 2000.0)
    raw = path.read_bytes()
    assert raw[8:88].decode().split() == ["X", "X", "X", "X"]
    assert raw[88:168].decode().split() == ["Startdate", "X", "X", "X", "Pelvio"]
    assert raw[192:197] == b"EDF+C"


@settings(deadline=None, max_examples=25)
@given(
    samples=st.lists(
        st.floats(min_value=-5000, max_value=5000, allow_nan=False), min_size=1, max_size=300
    ),
    rate=st.sampled_from([1000.0, 1024.0, 2000.0, 2048.0, 4000.0]),
)
def test_any_signal_round_trips_within_half_a_step(
    tmp_path_factory: pytest.TempPathFactory, samples: list[float], rate: float
) -> None:
    signal = np.asarray(samples)
    path = write_edf(tmp_path_factory.mktemp("h") / "h.edf", signal, rate)
    recording = read_edf(path)
    assert recording.signal.size == signal.size
    assert np.max(np.abs(recording.signal - signal)) <= _resolution(path) / 2 * (1 + 1e-9)


# --- foreign files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "record_s"),
    [(1000, "1"), (1024, "0.5"), (2048, "0.25"), (4000, "0.1"), (2000, "2")],
)
def test_foreign_edf_plus_at_other_rates_and_record_durations(
    tmp_path: Path, rate: int, record_s: str
) -> None:
    spr = round(rate * float(record_s))
    n_records = max(1, round(4 / float(record_s)))
    emg = _Channel("sEMG PFM", b"uV", spr, _digital(spr * n_records, -2048, 2047, rate),
                   physical=("-500", "500"), digital_range=(-2048, 2047))  # fmt: skip
    marks = [[] for _ in range(n_records)]  # type: list[list[tuple[float, float | None, str]]]
    marks[0].append((0.0, 4.0, "pre_baseline"))
    last_record_s = round(float(record_s) * (n_records - 1), 6)
    marks[-1].append((last_record_s, None, "cue:contract"))
    path = tmp_path / f"foreign_{rate}.edf"
    path.write_bytes(_edf_bytes(_Layout([emg], record_s=record_s, annotations=marks)))
    recording = read_edf(path)
    assert recording.sampling_rate_hz == rate
    np.testing.assert_allclose(recording.signal, _expected(emg), rtol=0, atol=1e-9)
    assert recording.annotations == (
        Annotation(0.0, 4.0, "pre_baseline"),
        Annotation(last_record_s, 0.0, "cue:contract"),
    )


def test_foreign_file_with_several_channels_and_annotations_first(tmp_path: Path) -> None:
    """ECG in mV first, EMG in µV (Latin-1 byte B5) second, pressure in mmHg, TALs in front."""
    n = 2 * 1024
    ecg = _Channel("ECG", b"mV", 256, _digital(512, -1000, 1000, 1), physical=("-5", "5"))
    emg = _Channel("EMG", b"\xb5V", 1024, _digital(n, -32768, 32767, 2), physical=("-800", "800"))
    pressure = _Channel(
        "Vaginal pressure", b"mmHg", 32, _digital(64, 0, 4095, 3),
        physical=("0", "150"), digital_range=(0, 4095),
    )  # fmt: skip
    marks: list[list[tuple[float, float | None, str]]] = [[(0.5, 1.0, "tonic")], []]
    path = tmp_path / "foreign_multi.edf"
    layout = _Layout([ecg, emg, pressure], annotations=marks, annotation_position=0)
    path.write_bytes(_edf_bytes(layout))

    recording = read_edf(path)
    assert (recording.channel, recording.sampling_rate_hz, recording.unit) == ("EMG", 1024, "uV")
    np.testing.assert_allclose(recording.signal, _expected(emg), rtol=0, atol=1e-9)
    assert recording.annotations == (Annotation(0.5, 1.0, "tonic"),)
    assert [(c.label, c.kind) for c in recording.channels] == [
        ("ECG", "emg"),
        ("EMG", "emg"),
        ("Vaginal pressure", "pressure"),
    ]

    # mmHg converted with 1 mmHg = 1.35951 cmH2O (clinical.md §7)
    squeeze = read_edf(path, kind="pressure")
    assert squeeze.channel == "Vaginal pressure"
    np.testing.assert_allclose(squeeze.signal, _expected(pressure) * 1.35951, rtol=1e-12)
    assert squeeze.notes == ("channel 'Vaginal pressure' converted from mmHg to cmH2O",)

    # an explicit channel in mV is converted to µV, and says so (here at 256 Hz: too slow)
    with pytest.raises(FileFormatError, match=r"ECG' \(mV, 256 Hz\) is sampled below 1000 Hz"):
        read_edf(path, channel="ecg")


def test_plain_edf_without_annotations_in_millivolts(tmp_path: Path) -> None:
    emg = _Channel("Pelvic floor", b"mV", 2000, _digital(4000, -30000, 30000, 4),
                   physical=("-2.5", "2.5"))  # fmt: skip
    path = tmp_path / "plain.edf"
    path.write_bytes(_edf_bytes(_Layout([emg], annotations=None)))
    recording = read_edf(path)
    assert recording.annotations == ()
    np.testing.assert_allclose(recording.signal, _expected(emg) * 1000.0, rtol=0, atol=1e-9)
    assert recording.notes == ("channel 'Pelvic floor' converted from mV to uV",)


@pytest.mark.parametrize("unit", [b"uV", b"UV", b"\xb5V", b"\xc2\xb5V", b"\xce\xbcV"])
def test_spellings_of_microvolt(tmp_path: Path, unit: bytes) -> None:
    """µV as ASCII "u", the micro sign in Latin-1 (B5) or UTF-8 (C2 B5), or Greek mu (CE BC)."""
    emg = _Channel("EMG", unit, 1000, _digital(1000, -100, 100, 5))
    path = tmp_path / "units.edf"
    path.write_bytes(_edf_bytes(_Layout([emg], annotations=None)))
    recording = read_edf(path)
    assert recording.notes == ()
    np.testing.assert_allclose(recording.signal, _expected(emg), rtol=0, atol=1e-9)


def test_foreign_file_from_edfio_with_other_settings(tmp_path: Path) -> None:
    """edfio with 0.5 s records, a 12-bit digital range, V units and a sub-second start time."""
    rate = 2048
    signal = np.random.default_rng(6).normal(0, 50e-6, rate * 3)  # volts
    edf = edfio.Edf(
        [
            edfio.EdfSignal(
                signal,
                rate,
                label="EMG V",
                physical_dimension="V",
                physical_range=(-0.001, 0.001),
                digital_range=(-2048, 2047),
            )
        ],
        starttime=datetime.time(9, 30, 0, 250000),
        data_record_duration=0.5,
        annotations=[edfio.EdfAnnotation(1.25, 0.5, "phasic")],
    )
    path = tmp_path / "edfio.edf"
    edf.write(path)
    recording = read_edf(path)
    step_uv = 0.002 / 4095 * 1e6
    assert np.max(np.abs(recording.signal - signal * 1e6)) <= step_uv / 2 * (1 + 1e-9)
    assert recording.annotations == (Annotation(1.25, 0.5, "phasic"),)
    assert recording.notes == ("channel 'EMG V' converted from V to uV",)


def test_bdf_is_read_too(tmp_path: Path) -> None:
    signal = np.random.default_rng(7).normal(0, 30, 2000 * 2)
    bdf = edfio.Bdf(
        [edfio.BdfSignal(signal, 2000, label="EMG", physical_dimension="uV")],
        annotations=[edfio.EdfAnnotation(0.5, None, "cue:contract")],
    )
    path = tmp_path / "r.bdf"
    bdf.write(path)
    recording = read_edf(path)
    step = (signal.max() - signal.min()) / (2**24 - 1)
    assert np.max(np.abs(recording.signal - signal)) <= step / 2 * 1.01
    assert recording.annotations == (Annotation(0.5, 0.0, "cue:contract"),)


def test_emg_below_one_kilohertz_is_refused(tmp_path: Path) -> None:
    emg = _Channel("EMG", b"uV", 500, _digital(1000, -100, 100, 8))
    path = tmp_path / "slow.edf"
    path.write_bytes(_edf_bytes(_Layout([emg], annotations=None)))
    with pytest.raises(FileFormatError) as caught:
        read_edf(path)
    assert str(caught.value) == (
        f"{path}: EMG channel 'EMG' (uV, 500 Hz) is sampled below 1000 Hz; "
        "the 20-450 Hz EMG band needs at least 1000 Hz"
    )


# --- choosing a channel ---------------------------------------------------------------------


def test_missing_label_lists_the_channels(tmp_path: Path) -> None:
    path = write_edf(tmp_path / "c.edf", [_emg(1, 2000), _emg(1, 2000)], 2000.0)
    with pytest.raises(FileFormatError) as caught:
        read_edf(path, channel="Abdomen")
    assert str(caught.value) == (
        f"{path}: no channel labelled 'Abdomen'; the channels are: "
        "'EMG' (uV, 2000 Hz), 'EMG 2' (uV, 2000 Hz)"
    )
    assert read_edf(path, channel="emg 2").channel == "EMG 2"


def test_no_usable_channel(tmp_path: Path) -> None:
    temp = _Channel("Temp", b"degC", 1, _digital(2, 0, 40, 9))
    path = tmp_path / "temp.edf"
    path.write_bytes(_edf_bytes(_Layout([temp], annotations=None)))
    with pytest.raises(FileFormatError, match=r"no EMG channel .* 'Temp' \(degC, 1 Hz\)"):
        read_edf(path)
    with pytest.raises(FileFormatError, match="has a unit Pelvio cannot use"):
        read_edf(path, channel="Temp")


# --- broken files ---------------------------------------------------------------------------


def _good(tmp_path: Path) -> Path:
    return write_edf(tmp_path / "good.edf", _emg(3.0, 2000.0), 2000.0, GLAZER[:1])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p, good: p.write_bytes(b""), "the file is empty"),
        (lambda p, good: p.write_bytes(good[:100]), "truncated: 100 bytes"),
        (lambda p, good: p.write_bytes(good[:600]), "shorter than its 768-byte header"),
        (lambda p, good: p.write_text("time,volume_ml\n07:00,300\n"), "not an EDF file"),
        (
            lambda p, good: p.write_bytes(good[:-1000]),
            r"the last data record is incomplete; the header announces 3 data records, "
            r"the file holds 2 \(truncated or not closed properly\?\)",
        ),
        (
            lambda p, good: p.write_bytes(good[:236] + b"9       " + good[244:]),
            "the header announces 9 data records, the file holds 3",
        ),
        (
            lambda p, good: p.write_bytes(good[:236] + b"-1      " + good[244:]),
            r"the header leaves the number of data records open \(-1\), the file holds 3",
        ),
        (
            lambda p, good: p.write_bytes(good[:236] + b"three   " + good[244:]),
            "field number of data records: not a whole number: 'three'",
        ),
        (
            lambda p, good: p.write_bytes(good[:244] + b"0       " + good[252:]),
            "the data record duration is 0 s",
        ),
        (
            lambda p, good: p.write_bytes(good[:184] + b"1000    " + good[192:]),
            "the header size field says 1000 bytes",
        ),
        (
            lambda p, good: p.write_bytes(
                good[: 256 + 2 * 104] + b"abc     " + good[264 + 2 * 104 :]
            ),
            "damaged header of channel 'EMG'",
        ),
    ],
)
def test_broken_files_get_one_line_naming_the_file(
    tmp_path: Path, make: object, message: str
) -> None:
    good = _good(tmp_path).read_bytes()
    path = tmp_path / "broken.edf"
    make(path, good)  # type: ignore[operator]
    with pytest.raises(FileFormatError, match=message) as caught:
        read_edf(path)
    text = str(caught.value)
    assert text.startswith(f"{path}")
    assert "\n" not in text


def test_missing_file_folder_and_other_extension(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"nope\.edf: no such file"):
        read_edf(tmp_path / "nope.edf")
    with pytest.raises(FileFormatError, match="not a file"):
        read_edf(tmp_path)
    csv = tmp_path / "diary.csv"
    csv.write_text("time,volume_ml\n")
    with pytest.raises(FileFormatError, match=r"its extension is '\.csv'; EDF\+ files end in"):
        read_edf(csv)
    # the content decides: a real EDF under another name is read
    renamed = tmp_path / "recording.dat"
    renamed.write_bytes(_good(tmp_path).read_bytes())
    assert read_edf(renamed).signal.size == 6000


def test_lenient_reading_keeps_complete_records_and_says_what_it_tolerated(
    tmp_path: Path,
) -> None:
    good = _good(tmp_path).read_bytes()
    path = tmp_path / "unclosed.edf"
    path.write_bytes(good[:236] + b"-1      " + good[244:-1000])
    recording = read_edf(path, validation="lenient")
    assert recording.signal.size == 4000
    assert recording.notes == (
        "tolerated: the last data record is incomplete",
        "tolerated: the header leaves the number of data records open (-1), the file holds 2",
    )


def test_discontinuous_edf_plus_d_is_refused(tmp_path: Path) -> None:
    emg = _Channel("EMG", b"uV", 1000, _digital(2000, -100, 100, 10))
    path = tmp_path / "gap.edf"
    layout = _Layout([emg], annotations=[[], []], reserved="EDF+D")
    raw = _edf_bytes(layout).replace(b"+1\x14\x14\x00", b"+5\x14\x14\x00")
    path.write_bytes(raw)
    with pytest.raises(FileFormatError, match="discontinuous EDF"):
        read_edf(path)
    # EDF+D whose records do follow each other is read.
    path.write_bytes(_edf_bytes(layout))
    assert read_edf(path).signal.size == 2000


def test_damaged_annotation_is_one_line(tmp_path: Path) -> None:
    emg = _Channel("EMG", b"uV", 1000, _digital(1000, -100, 100, 11))
    path = tmp_path / "tal.edf"
    raw = _edf_bytes(_Layout([emg], annotations=[[(0.5, None, "x")]]))
    path.write_bytes(raw.replace(b"+0.5\x14x", b"\xff0.5\x14x"))
    with pytest.raises(FileFormatError, match="damaged EDF"):
        read_edf(path)


# --- writing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"signals": []}, "signals is empty"),
        ({"signals": [1.0, float("nan")]}, "NaN"),
        ({"signals": [[1.0, 2.0], [1.0]]}, "one signal or several of equal length"),
        ({"sampling_rate_hz": 0}, "sampling_rate_hz must be positive"),
        ({"sampling_rate_hz": 1000.3}, "no whole number of samples per data record"),
        ({"unit": "mV"}, "unit must be one of 'uV', 'cmH2O'; got 'mV'"),
        ({"labels": ["a" * 17]}, "label must be at most 16 characters"),
        ({"labels": ["EMG", "EMG"], "signals": [[1.0], [2.0]]}, "labels must differ"),
        ({"labels": ["µ"]}, "label must be printable ASCII"),
        ({"annotations": [Annotation(0, 0, "a\x14b")]}, "annotation text"),
        ({"equipment": "two words"}, "equipment must be one word"),
    ],
)
def test_write_refuses_bad_input(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"signals": [1.0, 2.0], "sampling_rate_hz": 1000.0}
    arguments |= kwargs
    with pytest.raises(InputError, match=message):
        write_edf(tmp_path / "x.edf", **arguments)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_write_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot write: the folder .* does not exist"):
        write_edf(tmp_path / "no" / "x.edf", [1.0], 1000.0)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _good(tmp_path)
    before = path.read_bytes()

    def write_half_then_die(self: edfio.Edf, target: object) -> None:
        target.write(b"0       half a header")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr(edfio.Edf, "write", write_half_then_die)
    with pytest.raises(KeyboardInterrupt):
        write_edf(path, _emg(1.0, 2000.0), 2000.0)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.edf"]


def test_written_file_is_private_to_its_owner(tmp_path: Path) -> None:
    path = write_edf(tmp_path / "own.edf", [1.0, 2.0], 1000.0)
    assert os.stat(path).st_mode & 0o077 == 0


def test_a_killed_writer_never_leaves_a_file_under_the_final_name(tmp_path: Path) -> None:
    """A child process starts writing, announces it, and is killed with SIGKILL mid-file."""
    import signal
    import subprocess
    import sys

    target = tmp_path / "session.edf"
    code = (
        "import sys, time\n"
        "from pelvio.signals.edf import write_atomically\n"
        "def slow(stream):\n"
        "    stream.write(b'0       ' * 1000); stream.flush()\n"
        "    print('writing', flush=True); time.sleep(60)\n"
        f"write_atomically({str(target)!r}, slow)\n"
    )
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "writing\n"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert not target.exists()
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".session.edf.")
    assert leftovers[0].endswith(".part")


def test_read_options_are_checked(tmp_path: Path) -> None:
    path = _good(tmp_path)
    with pytest.raises(InputError, match="kind must be one of 'auto', 'emg', 'pressure'"):
        read_edf(path, kind="ecg")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="validation must be one of 'strict', 'lenient'"):
        read_edf(path, validation="loose")  # type: ignore[arg-type]


def test_public_surface() -> None:
    from pelvio.signals import edf

    assert set(edf.__all__) == {
        "MIN_EMG_SAMPLING_RATE_HZ",
        "PADDING",
        "ChannelInfo",
        "Recording",
        "read_edf",
        "write_atomically",
        "write_edf",
    }
