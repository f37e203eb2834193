"""EDF+ files: write a recording with its annotations, read one written by any tool.

This is the file side of :mod:`pelvio.signals`; the analysis itself never opens a file.

Conventions (European Data Format, Kemp & Olivan 2003, *Clin Neurophysiol* 114:1755;
https://www.edfplus.info/specs/edfplus.html):

* Signals are stored in µV (physical dimension ``uV``) or cmH2O (``cmH2O``), 16-bit, digital
  range ±32767 so that zero is exactly zero; the physical range is ±R with R the largest
  absolute sample rounded up to two significant figures. The resolution is R / 32767.
* Annotations are EDF+ TALs in an ``EDF Annotations`` signal. The Glazer phases carry the texts
  ``pre_baseline``, ``phasic``, ``tonic``, ``endurance`` and ``post_baseline`` with onset and
  duration; cues are ``cue:contract`` and ``cue:relax`` (see
  :mod:`pelvio.signals.annotations`).
* Patient and recording identification are anonymous (``X``): health data stays out of the
  header.
* Files are written atomically: to a hidden temporary file beside the target, flushed, then
  renamed, so a killed process never leaves half a file under the final name.

Reading picks one channel:

* with ``channel=LABEL`` that channel (exact label, else a unique case-insensitive match);
* else the first signal in µV (``uV``, ``µV``, ``μV``, ``microvolt``), else the first in mV or V
  (converted to µV, and the conversion is listed in :attr:`Recording.notes`), else the first
  pressure signal in cmH2O or mmHg (converted with 1 mmHg = 1.35951 cmH2O, clinical.md §7).

An EMG channel must be sampled at 1000 Hz or more: the 20–450 Hz band of clinical.md §6 needs
it. A file that cannot be read raises :class:`~pelvio.errors.FileFormatError` naming the file.
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final, Literal

import edfio
import numpy as np
from numpy.typing import ArrayLike, NDArray

from pelvio._check import check_option, check_sampling_rate, check_signal, check_type
from pelvio.errors import FileFormatError, InputError
from pelvio.signals.annotations import Annotation
from pelvio.signals.pressure import CMH2O_PER_MMHG

__all__ = [
    "MIN_EMG_SAMPLING_RATE_HZ",
    "PADDING",
    "ChannelInfo",
    "Recording",
    "read_edf",
    "write_atomically",
    "write_edf",
]

Kind = Literal["emg", "pressure"]
Unit = Literal["uV", "cmH2O"]
Validation = Literal["strict", "lenient"]

MIN_EMG_SAMPLING_RATE_HZ: Final = 1000.0
"""Lowest EMG sampling rate accepted: the 20–450 Hz band needs at least 1 kHz (clinical.md §6)."""

PADDING: Final = "pelvio:padding"
"""Annotation marking samples added only to fill the last data record; readers drop them."""


# Physical dimensions we understand (the header field holds 8 characters), lower-cased and
# without spaces, with the factor to our unit. "µ" comes as the micro sign (U+00B5, in Latin-1
# or UTF-8) or as the Greek mu (U+03BC).
_UNITS: Final[dict[str, tuple[Kind, float]]] = {
    "uv": ("emg", 1.0),
    "µv": ("emg", 1.0),
    "μv": ("emg", 1.0),
    "mv": ("emg", 1e3),
    "v": ("emg", 1e6),
    "volt": ("emg", 1e6),
    "volts": ("emg", 1e6),
    "cmh2o": ("pressure", 1.0),
    "mmhg": ("pressure", CMH2O_PER_MMHG),
}
_OUR_UNIT: Final[dict[Kind, Unit]] = {"emg": "uV", "pressure": "cmH2O"}
_DEFAULT_LABEL: Final[dict[Unit, str]] = {"uV": "EMG", "cmH2O": "Pressure"}
_TRANSDUCER: Final[dict[Unit, str]] = {"uV": "surface EMG probe", "cmH2O": "pressure probe"}
# Data record durations tried, longest first: EDF+ asks for records under 61440 bytes, and a
# whole number of samples per record.
_RECORD_DURATIONS_S: Final = (1.0, 0.5, 0.25, 0.2, 0.1, 0.05, 0.04, 0.025, 0.02, 0.01)
_DIGITAL_MAX: Final = 32767
_MAX_PHYSICAL: Final = 9.9e6  # the largest two-figure bound that fits 8 characters: -9900000
_MAX_RECORD_BYTES: Final = 61440
_EDF_VERSION: Final = b"0       "
_BDF_VERSION: Final = b"\xffBIOSEMI"
_SUFFIXES: Final = (".edf", ".bdf", ".rec")
_BLOCK_SAMPLES: Final = 1 << 16


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    """One ordinary signal of a file, as its header describes it.

    Attributes
    ----------
    label
        The label in the header (trailing spaces removed).
    unit
        The physical dimension as written in the file (``"uV"``, ``"mV"``, ``"mmHg"``, ...).
    sampling_rate_hz
        Samples per data record divided by the data record duration.
    kind
        ``"emg"`` for a voltage, ``"pressure"`` for cmH2O or mmHg, else ``"other"``.
    """

    label: str
    unit: str
    sampling_rate_hz: float
    kind: Literal["emg", "pressure", "other"]

    def describe(self) -> str:
        """``'EMG' (uV, 2000 Hz)``: how error messages list a channel."""
        unit = self.unit or "no unit"
        return f"{self.label!r} ({unit}, {self.sampling_rate_hz:g} Hz)"


@dataclass(frozen=True, slots=True, eq=False)
class Recording:
    """One channel of an EDF(+) file with the file's annotations.

    Attributes
    ----------
    signal
        The samples in µV (EMG) or cmH2O (pressure), converted if the file used another unit.
    sampling_rate_hz
        Samples per second of this channel.
    channel
        The label of the channel read.
    unit
        ``"uV"`` or ``"cmH2O"``: the unit of :attr:`signal`.
    kind
        ``"emg"`` or ``"pressure"``.
    annotations
        Every annotation of the file (phases, cues, ...) in time order; durations of instants
        are 0.
    channels
        All ordinary signals of the file, in header order.
    notes
        What was done to read the file that a user should know: unit conversions, and in lenient
        mode the defects that were tolerated.
    """

    signal: NDArray[np.float64]
    sampling_rate_hz: float
    channel: str
    unit: Unit
    kind: Kind
    annotations: tuple[Annotation, ...]
    channels: tuple[ChannelInfo, ...]
    notes: tuple[str, ...] = ()

    @property
    def duration_s(self) -> float:
        """Length of :attr:`signal` in seconds."""
        return self.signal.size / self.sampling_rate_hz


def write_edf(
    path: str | os.PathLike[str],
    signals: ArrayLike | Sequence[ArrayLike],
    sampling_rate_hz: float,
    annotations: Iterable[Annotation] = (),
    *,
    unit: Unit | Sequence[Unit] = "uV",
    labels: Sequence[str] | None = None,
    equipment: str = "Pelvio",
) -> Path:
    """Write signals and annotations to an EDF+ file, atomically.

    Parameters
    ----------
    path
        The file to write; replaced if it exists.
    signals
        One signal (1-D) or several of equal length (2-D, one row per channel, or a sequence).
        The EMG channel goes first: readers take the first µV signal as the EMG.
    sampling_rate_hz
        Samples per second, the same for every channel.
    annotations
        Phases, cues and other events, in seconds from the start.
    unit
        ``"uV"`` or ``"cmH2O"``, one for all channels or one per channel.
    labels
        Channel labels (at most 16 ASCII characters); default ``EMG``/``Pressure``, numbered
        when several channels share a unit.
    equipment
        The EDF+ equipment code (no spaces).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        Bad signals, rate, units, labels or annotation texts, or a file that cannot be written.

    Notes
    -----
    When the length is not a whole number of data records for any record duration tried
    (1 s down to 10 ms), the last record is filled by repeating the last sample and a
    ``pelvio:padding`` annotation marks where the real samples end; :func:`read_edf` drops the
    filler.
    """
    target = Path(path)
    rate = check_sampling_rate(sampling_rate_hz)
    rows = _as_rows(signals)
    units = _units_for(unit, len(rows))
    names = _labels_for(labels, units)
    events = [check_type("annotations[]", a, Annotation) for a in annotations]
    for event in events:
        _check_tal_text(event.text)
    _check_ascii_field("equipment", equipment, max_len=40)
    if " " in equipment or not equipment:
        raise InputError(f"equipment must be one word, got {equipment!r}", field="equipment")

    record_s, samples_per_record = _record_layout(rate, rows[0].size, len(rows))
    n_records = math.ceil(rows[0].size / samples_per_record)
    filler = n_records * samples_per_record - rows[0].size
    if filler:
        events.append(Annotation(rows[0].size / rate, filler / rate, PADDING))
        rows = [np.concatenate([row, np.full(filler, row[-1])]) for row in rows]

    edf_signals = [
        edfio.EdfSignal(
            row,
            rate,
            label=name,
            transducer_type=_TRANSDUCER[row_unit],
            physical_dimension=row_unit,
            physical_range=_physical_range(row, index),
            digital_range=(-_DIGITAL_MAX, _DIGITAL_MAX),
        )
        for index, (row, row_unit, name) in enumerate(zip(rows, units, names, strict=True))
    ]
    edf = edfio.Edf(
        edf_signals,
        patient=edfio.Patient(),
        recording=edfio.Recording(equipment_code=equipment),
        data_record_duration=record_s,
        annotations=[
            edfio.EdfAnnotation(a.onset_s, a.duration_s or None, a.text)
            for a in sorted(events, key=lambda a: (a.onset_s, a.text))
        ],
    )
    # edfio annotates its writer as taking io.BufferedWriter; any binary stream will do.
    return write_atomically(target, edf.write)  # type: ignore[arg-type]


def read_edf(
    path: str | os.PathLike[str],
    *,
    channel: str | None = None,
    kind: Kind | Literal["auto"] = "auto",
    validation: Validation = "strict",
) -> Recording:
    """Read one channel and the annotations of an EDF, EDF+ or BDF(+) file.

    Parameters
    ----------
    path
        The file. Its content decides: a valid EDF with another extension is read.
    channel
        The label of the channel to read; default the first EMG channel (µV, then mV or V),
        else the first pressure channel (cmH2O, then mmHg).
    kind
        ``"emg"`` or ``"pressure"`` to read only that kind of channel; ``"auto"`` accepts
        either.
    validation
        ``"strict"`` refuses a file whose header does not match its data (record count
        unknown or wrong, a partial last record); ``"lenient"`` reads the complete records
        and lists the defect in :attr:`Recording.notes`.

    Returns
    -------
    Recording
        The channel in µV or cmH2O, the annotations and a list of all channels.

    Raises
    ------
    FileFormatError
        The file is missing, empty, not EDF, damaged, has no channel of the kind asked for,
        no channel of that label, or an EMG channel sampled below 1000 Hz. The message starts
        with the file name.
    """
    check_option("kind", kind, ("auto", "emg", "pressure"))
    check_option("validation", validation, ("strict", "lenient"))
    source = Path(path)
    name = str(path)
    header = _read_fixed_header(source, name)
    notes: list[str] = []
    edf = _open_with_edfio(source, name, header, validation, notes)
    infos = tuple(_channel_info(signal) for signal in edf.signals)
    if not infos:
        raise FileFormatError("the file holds annotations only, no signal", path=name)
    index = _choose_channel(infos, channel, kind, name)
    info = infos[index]
    chosen_kind, factor = _unit_of(info.unit)
    if chosen_kind is None:
        wanted = "EMG (uV, mV or V)" if kind == "emg" else "pressure (cmH2O or mmHg)"
        if kind == "auto":
            wanted = "EMG (uV, mV or V) or pressure (cmH2O or mmHg)"
        raise FileFormatError(
            f"channel {info.describe()} has a unit Pelvio cannot use; it reads {wanted}",
            path=name,
        )
    if kind != "auto" and chosen_kind != kind:
        raise FileFormatError(
            f"channel {info.describe()} is not an {kind.upper()} channel", path=name
        )
    if not info.sampling_rate_hz > 0:
        raise FileFormatError(f"channel {info.label!r} has no samples per data record", path=name)
    if chosen_kind == "emg" and info.sampling_rate_hz < MIN_EMG_SAMPLING_RATE_HZ:
        raise FileFormatError(
            f"EMG channel {info.describe()} is sampled below {MIN_EMG_SAMPLING_RATE_HZ:g} Hz; "
            "the 20-450 Hz EMG band needs at least 1000 Hz",
            path=name,
        )
    our_unit = _OUR_UNIT[chosen_kind]
    if factor != 1.0:
        notes.append(f"channel {info.label!r} converted from {info.unit} to {our_unit}")
    annotations = _annotations(edf, name)
    layout = None if header.bdf else _layout(source, header, edf, index)
    if layout is None:
        signal = _physical(edf, edf.signals[index], factor, name, info)
    else:
        calibration = _calibration(edf.signals[index], factor, name, info)
        records = edf.num_data_records
        # Reading the annotations touched every page of the memory-mapped file; unmapping it
        # before the samples are converted keeps those pages out of the peak (a 60-minute
        # file is 14 MB) while the 55 MB signal is being filled.
        del edf
        signal = _physical_from_file(source, header, layout, records, calibration, name, info)
    signal, annotations = _drop_padding(signal, annotations, info.sampling_rate_hz)
    if signal.size == 0:
        raise FileFormatError(f"channel {info.label!r} holds no samples", path=name)
    return Recording(
        signal=signal,
        sampling_rate_hz=info.sampling_rate_hz,
        channel=info.label,
        unit=our_unit,
        kind=chosen_kind,
        annotations=annotations,
        channels=infos,
        notes=tuple(notes),
    )


# --- writing -----------------------------------------------------------------------------------


def _as_rows(signals: ArrayLike | Sequence[ArrayLike]) -> list[NDArray[np.float64]]:
    try:
        array = np.asarray(signals, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"signals must be one signal or several of equal length: {exc}", field="signals"
        ) from exc
    if array.ndim == 1:
        return [check_signal("signals", array)]
    if array.ndim != 2 or array.shape[0] == 0:
        raise InputError(
            f"signals must be 1-D or 2-D (channels x samples), got shape {array.shape}",
            field="signals",
        )
    return [check_signal(f"signals[{i}]", row) for i, row in enumerate(array)]


def _units_for(unit: Unit | Sequence[Unit], count: int) -> list[Unit]:
    units: list[Unit] = [unit] * count if isinstance(unit, str) else list(unit)
    if len(units) != count:
        raise InputError(f"unit needs one entry per channel ({count}), got {len(units)}")
    for item in units:
        check_option("unit", item, ("uV", "cmH2O"))
    return units


def _labels_for(labels: Sequence[str] | None, units: list[Unit]) -> list[str]:
    if labels is None:
        names: list[str] = []
        for i, unit in enumerate(units):
            base = _DEFAULT_LABEL[unit]
            same = units[:i].count(unit)
            names.append(base if same == 0 else f"{base} {same + 1}")
        return names
    names = [check_type("labels[]", label, str) for label in labels]
    if len(names) != len(units):
        raise InputError(
            f"labels needs one entry per channel ({len(units)}), got {len(names)}", field="labels"
        )
    for label in names:
        _check_ascii_field("label", label, max_len=16)
        if not label.strip() or label.strip() == "EDF Annotations":
            raise InputError(f"label {label!r} cannot be used for a signal", field="labels")
    if len(set(names)) != len(names):
        raise InputError(f"labels must differ, got {names}", field="labels")
    return names


def _check_ascii_field(what: str, text: str, *, max_len: int) -> None:
    # EDF header fields are printable ASCII, space padded.
    if not text.isascii() or not text.isprintable():
        raise InputError(f"{what} must be printable ASCII, got {text!r}")
    if len(text) > max_len:
        raise InputError(f"{what} must be at most {max_len} characters, got {text!r}")


def _check_tal_text(text: str) -> None:
    # TAL texts are UTF-8 but cannot hold the separators 0x14, 0x15 or NUL.
    if not text.isprintable():
        raise InputError(f"annotation text {text!r} must be printable", field="annotations")


def _record_layout(rate: float, n_samples: int, n_channels: int) -> tuple[float, int]:
    """The longest record duration with whole samples per record and a record under 61440 B."""
    fallback: tuple[float, int] | None = None
    for duration_s in _RECORD_DURATIONS_S:
        per_record = rate * duration_s
        if abs(per_record - round(per_record)) > 1e-9 or round(per_record) < 1:
            continue
        if round(per_record) * 2 * n_channels > _MAX_RECORD_BYTES:
            continue
        if n_samples % round(per_record) == 0:
            return duration_s, round(per_record)
        fallback = fallback or (duration_s, round(per_record))
    if fallback is None:
        raise InputError(
            f"sampling_rate_hz {rate:g} Hz gives no whole number of samples per data record "
            f"for any record duration in {list(_RECORD_DURATIONS_S)} s",
            field="sampling_rate_hz",
        )
    return fallback


def _physical_range(row: NDArray[np.float64], index: int) -> tuple[float, float]:
    peak = max(float(np.max(np.abs(row))), 1e-3)
    if peak >= _MAX_PHYSICAL:
        raise InputError(
            f"signals[{index}] reaches {peak:g}, beyond the {_MAX_PHYSICAL:g} an EDF header "
            "field can describe; is the unit right?",
            field="signals",
        )
    # Two significant figures, rounded up and built from decimal text, keep the 8-character
    # header field exact (edfio would otherwise round a float like 0.0013000000000000002).
    exponent = math.floor(math.log10(peak)) - 1
    digits = math.ceil(peak / 10.0**exponent)
    bound = float(f"{digits}e{exponent}")
    if bound < peak:
        bound = float(f"{digits + 1}e{exponent}")
    return (-bound, bound)


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Create ``path`` through ``write(stream)`` so that it appears whole or not at all.

    The bytes go to a hidden temporary file in the same folder (``.NAME.XXXX.part``, readable
    only by its owner), are flushed to disk and then renamed over ``path``. If ``write`` fails
    or the process is interrupted, the temporary file is removed and an existing ``path`` is
    left as it was; a process killed outright leaves at most the hidden ``.part`` file.

    Raises
    ------
    InputError
        The folder does not exist or cannot be written.
    """
    target = Path(path)
    directory = target.parent
    if not directory.is_dir():
        raise InputError(f"{target}: cannot write: the folder {directory} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(
            dir=directory, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as exc:
        raise InputError(f"{target}: cannot write: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"{target}: cannot write: {exc.strerror}") from exc
        raise
    _sync_directory(directory)
    return target


def _sync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not every platform lets a directory be opened.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FixedHeader:
    bdf: bool
    size_bytes: int
    header_bytes: int
    announced_records: int
    record_duration_s: float
    n_signals: int


def _read_fixed_header(source: Path, name: str) -> _FixedHeader:
    if not source.exists():
        raise FileFormatError("no such file", path=name)
    if not source.is_file():
        raise FileFormatError("not a file", path=name)
    try:
        size = source.stat().st_size
        with source.open("rb") as stream:
            head = stream.read(256)
    except OSError as exc:
        raise FileFormatError(f"cannot read: {exc.strerror}", path=name) from exc
    if size == 0:
        raise FileFormatError("the file is empty", path=name)
    version = head[:8]
    if version not in (_EDF_VERSION, _BDF_VERSION):
        hint = ""
        if source.suffix.lower() not in _SUFFIXES:
            hint = f" (its extension is {source.suffix or 'missing'!r}; EDF+ files end in .edf)"
        raise FileFormatError(
            f"not an EDF file: it does not start with the EDF version field '0'{hint}",
            path=name,
        )
    if len(head) < 256:
        raise FileFormatError(
            f"truncated: {len(head)} bytes, shorter than the 256-byte EDF header", path=name
        )
    header_bytes = _header_int(head, 184, 192, "number of bytes in header", name)
    records = _header_int(head, 236, 244, "number of data records", name)
    n_signals = _header_int(head, 252, 256, "number of signals", name)
    duration_s = _header_float(head, 244, 252, "duration of a data record", name)
    if n_signals < 1:
        raise FileFormatError(f"the header announces {n_signals} signals", path=name)
    if header_bytes != 256 * (n_signals + 1):
        raise FileFormatError(
            f"the header size field says {header_bytes} bytes but {n_signals} signal(s) need "
            f"{256 * (n_signals + 1)}",
            path=name,
        )
    if size < header_bytes:
        raise FileFormatError(
            f"truncated: {size} bytes, shorter than its {header_bytes}-byte header", path=name
        )
    if records < -1:
        raise FileFormatError(f"the header announces {records} data records", path=name)
    if not duration_s > 0:
        raise FileFormatError(
            f"the data record duration is {duration_s:g} s; a recording needs a positive one",
            path=name,
        )
    return _FixedHeader(version == _BDF_VERSION, size, header_bytes, records, duration_s, n_signals)


def _header_int(head: bytes, start: int, end: int, field: str, name: str) -> int:
    text = head[start:end].decode("ascii", errors="replace").strip()
    try:
        return int(text)
    except ValueError:
        raise FileFormatError(f"not a whole number: {text!r}", path=name, field=field) from None


def _header_float(head: bytes, start: int, end: int, field: str, name: str) -> float:
    text = head[start:end].decode("ascii", errors="replace").strip()
    try:
        value = float(text)
    except ValueError:
        raise FileFormatError(f"not a number: {text!r}", path=name, field=field) from None
    if not math.isfinite(value):
        raise FileFormatError(f"not a finite number: {text!r}", path=name, field=field)
    return value


def _open_with_edfio(
    source: Path, name: str, header: _FixedHeader, validation: Validation, notes: list[str]
) -> edfio.Edf | edfio.Bdf:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # Latin-1 maps every byte, so a "µV" written by another tool survives as text.
            if header.bdf:
                edf: edfio.Edf | edfio.Bdf = edfio.read_bdf(source, header_encoding="latin-1")
            else:
                edf = edfio.read_edf(source, lazy_load_data=True, header_encoding="latin-1")
        except Exception as exc:  # edfio raises many types on malformed input
            raise FileFormatError(
                f"damaged EDF header or data: {_one_line(exc)}", path=name
            ) from exc
    for signal in edf.signals:
        try:
            _ = (signal.physical_min, signal.physical_max, signal.digital_min, signal.digital_max)
        except Exception as exc:  # a calibration field that is not a number
            label = _as_text(signal.label).strip()
            raise FileFormatError(
                f"damaged header of channel {label!r}: {_one_line(exc)}", path=name
            ) from exc
    actual = edf.num_data_records
    defects: list[str] = []
    for warning in caught:
        text = str(warning.message)
        if "Incomplete data record" in text:
            defects.append("the last data record is incomplete")
        elif "header indicates" in text:
            announced = (
                "leaves the number of data records open (-1)"
                if header.announced_records == -1
                else f"announces {header.announced_records} data records"
            )
            defects.append(f"the header {announced}, the file holds {actual}")
        else:
            defects.append(_one_line(text))
    if defects and validation == "strict":
        raise FileFormatError(
            "; ".join(defects) + " (truncated or not closed properly?)", path=name
        )
    notes.extend(f"tolerated: {defect}" for defect in defects)
    if actual < 1:
        raise FileFormatError("no complete data record", path=name)
    if edf.reserved.startswith(("EDF+D", "BDF+D")) and not _continuous(edf, name):
        raise FileFormatError(
            "a discontinuous EDF+D recording (with gaps) cannot be analysed as one signal",
            path=name,
        )
    return edf


def _continuous(edf: edfio.Edf | edfio.Bdf, name: str) -> bool:
    try:
        return edf.is_continuous
    except Exception as exc:  # a damaged timekeeping annotation
        raise FileFormatError(f"damaged EDF+ timekeeping: {_one_line(exc)}", path=name) from exc


def _channel_info(signal: edfio.EdfSignal | edfio.BdfSignal) -> ChannelInfo:
    unit = _as_text(signal.physical_dimension).strip()
    kind, _ = _unit_of(unit)
    rate = signal.sampling_frequency
    # The rate is samples per record over the record duration; a decimal duration such as 0.1
    # leaves float noise that would print as 2049.9999999.
    return ChannelInfo(_as_text(signal.label).strip(), unit, round(rate, 6), kind or "other")


def _as_text(field: str) -> str:
    # Header text is read as Latin-1 so that every byte survives; a field that is valid UTF-8
    # (a "µ" or "μ" written by a UTF-8 tool) is read as UTF-8.
    try:
        return field.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return field


def _unit_of(unit: str) -> tuple[Kind | None, float]:
    """The kind of a physical dimension and the factor to µV or cmH2O; (None, 1) if unknown."""
    text = unit.replace(" ", "")
    # Case carries meaning only between milli and mega; nobody records EMG in megavolts.
    return _UNITS.get(text.lower(), (None, 1.0))


def _choose_channel(
    infos: tuple[ChannelInfo, ...], channel: str | None, kind: Kind | Literal["auto"], name: str
) -> int:
    listing = ", ".join(info.describe() for info in infos)
    if channel is not None:
        exact = [i for i, info in enumerate(infos) if info.label == channel.strip()]
        folded = [
            i for i, info in enumerate(infos) if info.label.casefold() == channel.strip().casefold()
        ]
        matches = exact or folded
        if len(matches) > 1:
            raise FileFormatError(
                f"channel label {channel!r} is not unique; the channels are: {listing}", path=name
            )
        if not matches:
            raise FileFormatError(
                f"no channel labelled {channel!r}; the channels are: {listing}", path=name
            )
        return matches[0]
    kinds = ("emg", "pressure") if kind == "auto" else (kind,)
    for wanted in kinds:
        # Our own unit first, then one we convert from.
        for convert in (False, True):
            for i, info in enumerate(infos):
                found_kind, factor = _unit_of(info.unit)
                if found_kind == wanted and (factor != 1.0) == convert:
                    return i
    wanted_text = {
        "auto": "EMG channel (uV, mV or V) or pressure channel (cmH2O or mmHg)",
        "emg": "EMG channel (uV, mV or V)",
        "pressure": "pressure channel (cmH2O or mmHg)",
    }[kind]
    raise FileFormatError(
        f"no {wanted_text}; the channels are: {listing}; choose one with --channel", path=name
    )


def _calibration(
    signal: edfio.EdfSignal | edfio.BdfSignal, factor: float, name: str, info: ChannelInfo
) -> tuple[float, float, float]:
    """``(digital_min, gain, offset)``: physical = (digital - digital_min) × gain + offset."""
    digital_min, digital_max = signal.digital_min, signal.digital_max
    physical_min, physical_max = signal.physical_min, signal.physical_max
    if digital_min == digital_max or physical_min == physical_max:
        raise FileFormatError(
            f"channel {info.label!r} cannot be calibrated: digital range "
            f"[{digital_min}, {digital_max}], physical range [{physical_min:g}, {physical_max:g}]",
            path=name,
        )
    gain = (physical_max - physical_min) / (digital_max - digital_min) * factor
    return digital_min, gain, physical_min * factor


def _physical(
    edf: edfio.Edf | edfio.Bdf,
    signal: edfio.EdfSignal | edfio.BdfSignal,
    factor: float,
    name: str,
    info: ChannelInfo,
) -> NDArray[np.float64]:
    """The channel in physical units, through edfio (BDF, or an EDF :func:`_layout` cannot
    place)."""
    digital_min, gain, offset = _calibration(signal, factor, name, info)
    per_record = signal.samples_per_data_record
    records = edf.num_data_records
    # A 60-minute 2 kHz channel is 55 MB as float64: convert in blocks straight into the one
    # array returned, with no full-length temporary.
    values = np.empty(per_record * records)
    step = max(1, _BLOCK_SAMPLES // max(per_record, 1))
    duration_s = edf.data_record_duration
    try:
        for first in range(0, records, step):
            last = min(records, first + step)
            block = values[first * per_record : last * per_record]
            block[:] = signal.get_digital_slice(first * duration_s, last * duration_s)
            _calibrate(block, digital_min, gain, offset)
    except Exception as exc:  # a memory map that no longer matches the file
        raise FileFormatError(
            f"cannot read channel {info.label!r}: {_one_line(exc)}", path=name
        ) from exc
    return values


def _calibrate(block: NDArray[np.float64], digital_min: float, gain: float, offset: float) -> None:
    block -= digital_min
    block *= gain
    block += offset


def _layout(
    source: Path, header: _FixedHeader, edf: edfio.Edf | edfio.Bdf, index: int
) -> tuple[int, int, int] | None:
    """``(record_samples, first, stop)``: the samples of one data record (all signals,
    annotations too) and where channel ``index`` of ``edf.signals`` lies among them; ``None``
    when the header does not agree with what edfio read."""
    n = header.n_signals
    try:
        with source.open("rb") as stream:
            stream.seek(256)
            fields = stream.read(header.header_bytes - 256)
        labels = [fields[16 * i : 16 * (i + 1)].decode("latin-1").strip() for i in range(n)]
        counts = [int(fields[216 * n + 8 * i : 216 * n + 8 * (i + 1)]) for i in range(n)]
    except (OSError, ValueError):
        return None
    starts = np.concatenate(([0], np.cumsum(counts))).tolist()
    ordinary = [i for i, label in enumerate(labels) if label != "EDF Annotations"]
    if len(ordinary) != len(edf.signals):
        return None
    at = ordinary[index]
    if counts[at] != edf.signals[index].samples_per_data_record or counts[at] <= 0:
        return None
    return int(starts[-1]), int(starts[at]), int(starts[at + 1])


def _physical_from_file(
    source: Path,
    header: _FixedHeader,
    layout: tuple[int, int, int],
    records: int,
    calibration: tuple[float, float, float],
    name: str,
    info: ChannelInfo,
) -> NDArray[np.float64]:
    """The channel in physical units, read a block of data records at a time from the file.

    Plain reads, not edfio's memory map: mapped pages count in the process's resident memory
    for as long as the map lives, read ones do not.
    """
    record_samples, first_sample, stop_sample = layout
    per_record = stop_sample - first_sample
    values = np.empty(per_record * records)
    step = max(1, _BLOCK_SAMPLES // per_record)
    try:
        with source.open("rb") as stream:
            stream.seek(header.header_bytes)
            for first in range(0, records, step):
                count = min(records, first + step) - first
                raw = np.fromfile(stream, dtype="<i2", count=count * record_samples)
                if raw.size != count * record_samples:
                    raise ValueError("the file is shorter than its data records")
                block = values[first * per_record : (first + count) * per_record]
                block.reshape(count, per_record)[...] = raw.reshape(count, record_samples)[
                    :, first_sample:stop_sample
                ]
                _calibrate(block, *calibration)
    except (OSError, ValueError) as exc:
        raise FileFormatError(
            f"cannot read channel {info.label!r}: {_one_line(exc)}", path=name
        ) from exc
    return values


def _annotations(edf: edfio.Edf | edfio.Bdf, name: str) -> tuple[Annotation, ...]:
    try:
        found = edf.annotations
    except Exception as exc:  # a TAL that does not parse
        raise FileFormatError(f"damaged EDF+ annotations: {_one_line(exc)}", path=name) from exc
    return tuple(
        Annotation(float(a.onset), float(a.duration or 0.0), a.text)
        for a in found
        if a.text  # an empty TAL text carries no event
    )


def _drop_padding(
    signal: NDArray[np.float64], annotations: tuple[Annotation, ...], rate: float
) -> tuple[NDArray[np.float64], tuple[Annotation, ...]]:
    padding = [a for a in annotations if a.text == PADDING]
    if not padding:
        return signal, annotations
    end = round(min(a.onset_s for a in padding) * rate)
    kept = tuple(a for a in annotations if a.text != PADDING)
    if 0 < end <= signal.size:
        return signal[:end], kept
    return signal, kept


def _one_line(error: BaseException | str) -> str:
    text = str(error).strip() or type(error).__name__
    first = text.splitlines()[0]
    return first if len(first) <= 200 else first[:197] + "..."
