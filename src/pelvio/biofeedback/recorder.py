"""Crash-safe recording of a live session: a write-through sidecar, then EDF+.

While a session runs, raw samples and annotations are appended to a sidecar file
``<directory>/<recording_id>.pvsc`` with ``os.write`` on a descriptor opened with ``O_APPEND``.
Sample chunks are gathered for at most ``batch_s`` (0.25 s by default) and written as one
record, which keeps a server with hundreds of streams from spending its time in system calls;
annotations and gaps are written at once. Once written, the bytes are in the operating system's
page cache, so a server killed outright (SIGKILL, an out-of-memory kill, a crash) loses at most
the last ``batch_s`` of signal, well inside the issue's one second. The file is also flushed to
disk (``fsync``) about once per second, in a background thread so that a slow disk never stalls
the live curves; a power cut loses at most the last second or so. Nothing of the recording is
kept in memory beyond the batch.

:meth:`Recorder.close` reads the sidecar back, writes ``<recording_id>.edf`` atomically with
:func:`pelvio.signals.edf.write_edf` and only then removes the sidecar. :func:`recover`, run at
start-up, does the same for every sidecar a dead process left behind and marks the end of the
recovered data with the annotation :data:`RECOVERED`.

Sidecar format (version 1, little-endian; Pelvio's own)::

    file     := b"PVSC" version:u8 record*
    record   := type:u8 length:u32 payload[length] crc32:u32   (CRC-32 of type, length, payload)
    type 1   header: UTF-8 JSON {recording_id, sampling_rate_hz, labels, units, started_at};
             always the first record
    type 2   samples: float32[channels * n], channel 0 first (the wire protocol's layout)
    type 3   gap: u64 samples lost, stored as zeros in the EDF so that time stays right
    type 4   annotation: UTF-8 JSON {onset_s, duration_s, text}

A reader stops at the first record that is short or fails its CRC: that is the one a kill tore
while it was being written, and everything before it is kept. While a :class:`Recorder` is open
it holds an exclusive ``flock`` on its sidecar, so :func:`recover` in another process (or in the
same one) skips recordings that are still live; the lock dies with the process.
"""

from __future__ import annotations

import fcntl
import json
import mmap
import os
import re
import struct
import time
import zlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Literal, cast

import numpy as np
from numpy.typing import NDArray

from pelvio._check import check_int, check_option, check_range, check_sampling_rate, check_signal
from pelvio._check import check_type as _check_type
from pelvio.errors import ConflictError, FileFormatError, InputError, SignalError
from pelvio.signals.annotations import Annotation

# _sync_directory: the fsync of a folder that makes write_edf's rename durable, here for the
# sidecar's create and unlink.
from pelvio.signals.edf import Unit, _sync_directory, write_edf

__all__ = [
    "MAX_GAP_S",
    "RECOVERED",
    "SIDECAR_SUFFIX",
    "Recorder",
    "RecordingHeader",
    "RecoveredRecording",
    "edf_path",
    "recover",
]

RECOVERED: Final = "pelvio:recovered"
"""Annotation at the end of the data of a recording rebuilt by :func:`recover`."""

SIDECAR_SUFFIX: Final = ".pvsc"
BROKEN_SUFFIX: Final = ".pvsc.broken"

MAX_GAP_S: Final = 3600.0
"""Longest dropout :meth:`Recorder.append_gap` fills; a longer clock jump is a device fault.

Pelvio's own choice: one hour of zeros is already more than any session, and it bounds the
memory :meth:`Recorder.close` needs.
"""

FSYNC_INTERVAL_S: Final = 1.0
BATCH_S: Final = 0.25
"""Longest stretch of samples gathered before one write (what a killed process can lose)."""

_SYNCER: Final = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pelvio-fsync")

_MAGIC: Final = b"PVSC"
_VERSION: Final = 1
_PREAMBLE: Final = _MAGIC + bytes([_VERSION])
_HEADER, _SAMPLES, _GAP, _ANNOTATION = 1, 2, 3, 4
_RECORD_HEAD: Final = struct.Struct("<BI")
_CRC: Final = struct.Struct("<I")
_GAP_PAYLOAD: Final = struct.Struct("<Q")
_ID_PATTERN: Final = re.compile(r"[0-9a-f]{32}")
_UNITS: Final = ("uV", "cmH2O")
# EDF header fields hold 8 characters: -9900000 is the widest two-figure physical bound
# (pelvio.signals.edf); refusing larger samples at append keeps close() from failing late.
_MAX_ABS_SAMPLE: Final = 9.9e6


@dataclass(frozen=True, slots=True)
class RecordingHeader:
    """What a recording is: its id, rate, channels and start.

    Attributes
    ----------
    recording_id
        32 lower-case hex digits (``uuid.uuid4().hex``); names the sidecar and the EDF file.
    sampling_rate_hz
        Samples per second of every channel, a whole number (EDF+ stores whole samples per
        data record).
    labels
        One label per channel, channel 0 first: printable ASCII, at most 16 characters, distinct.
    units
        ``"uV"`` or ``"cmH2O"`` per channel.
    started_at
        When the first sample was taken, timezone-aware; stored in UTC.
    """

    recording_id: str
    sampling_rate_hz: float
    labels: tuple[str, ...]
    units: tuple[str, ...]
    started_at: datetime

    def __post_init__(self) -> None:
        _check_type("recording_id", self.recording_id, str)
        if not _ID_PATTERN.fullmatch(self.recording_id):
            raise InputError(
                f"recording_id must be 32 lower-case hex digits, got {self.recording_id!r}",
                field="recording_id",
            )
        rate = check_sampling_rate(self.sampling_rate_hz)
        if not rate.is_integer():
            raise SignalError(
                f"sampling_rate_hz must be a whole number of Hz for EDF+, got {rate:g}",
                field="sampling_rate_hz",
            )
        labels = tuple(_check_type("labels[]", label, str) for label in self.labels)
        if not labels:
            raise InputError("labels needs at least one channel", field="labels")
        for label in labels:
            if not (label.isascii() and label.isprintable() and 0 < len(label.strip()) <= 16):
                raise InputError(
                    f"label {label!r} must be 1 to 16 printable ASCII characters", field="labels"
                )
        if len(set(labels)) != len(labels):
            raise InputError(f"labels must differ, got {list(labels)}", field="labels")
        units = tuple(check_option("units[]", unit, _UNITS) for unit in self.units)
        if len(units) != len(labels):
            raise InputError(
                f"units needs one entry per channel ({len(labels)}), got {len(units)}",
                field="units",
            )
        _check_type("started_at", self.started_at, datetime)
        if self.started_at.utcoffset() is None:
            raise InputError("started_at must be timezone-aware (UTC)", field="started_at")
        object.__setattr__(self, "sampling_rate_hz", rate)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "started_at", self.started_at.astimezone(UTC))

    @property
    def channels(self) -> int:
        """Number of channels."""
        return len(self.labels)

    def _to_json(self) -> bytes:
        return json.dumps(
            {
                "recording_id": self.recording_id,
                "sampling_rate_hz": self.sampling_rate_hz,
                "labels": list(self.labels),
                "units": list(self.units),
                "started_at": self.started_at.isoformat(),
            }
        ).encode()

    @classmethod
    def _from_json(cls, payload: bytes) -> RecordingHeader:
        data = json.loads(payload)
        return cls(
            recording_id=data["recording_id"],
            sampling_rate_hz=data["sampling_rate_hz"],
            labels=tuple(data["labels"]),
            units=tuple(data["units"]),
            started_at=datetime.fromisoformat(data["started_at"]),
        )


@dataclass(frozen=True, slots=True)
class RecoveredRecording:
    """What :func:`recover` did with one leftover sidecar.

    Attributes
    ----------
    recording_id
        The id from the sidecar header, or the file's stem when the header cannot be read.
    path
        The EDF+ file written; ``None`` when nothing was written (see :attr:`status`).
    duration_s
        Seconds of signal recovered (gaps included).
    annotation_count
        Annotations recovered from the sidecar, not counting the :data:`RECOVERED` marker.
    status
        ``"recovered"``: EDF written, sidecar removed. ``"empty"``: no sample was recorded, so
        there is nothing to write; the sidecar is removed. ``"broken"``: the header cannot be
        read; the sidecar is renamed ``<id>.pvsc.broken`` and kept for a person to look at.
        ``"failed"``: the EDF could not be written (disk full, permissions); the sidecar stays
        and the next start tries again.
    note
        One line for the log: how many torn bytes were dropped, or what went wrong.
    """

    recording_id: str
    path: Path | None
    duration_s: float
    annotation_count: int
    status: Literal["recovered", "empty", "broken", "failed"]
    note: str = ""


def edf_path(directory: Path, recording_id: str) -> Path:
    """Where the EDF+ file of ``recording_id`` is written in ``directory``."""
    return Path(directory) / f"{recording_id}.edf"


def _sidecar_path(directory: Path, recording_id: str) -> Path:
    return Path(directory) / f"{recording_id}{SIDECAR_SUFFIX}"


class Recorder:
    """Record one live session to a crash-safe sidecar, and to EDF+ on :meth:`close`.

    Parameters
    ----------
    directory
        Folder of the recordings; created if missing.
    header
        The recording's id, rate, channels and start.
    clock
        Monotonic seconds, for the once-per-second ``fsync`` (tests inject a fake one).
    fsync_interval_s
        Longest time between two flushes to disk while appending.

    Raises
    ------
    ConflictError
        A sidecar or EDF+ file of this ``recording_id`` already exists.
    InputError
        The folder cannot be created or written.

    Notes
    -----
    One writer: call the methods from one thread (the session's event loop). Each method does
    one small ``os.write``; the ``fsync`` once per second may block for a few milliseconds.
    """

    def __init__(
        self,
        directory: Path,
        header: RecordingHeader,
        *,
        clock: Callable[[], float] = time.monotonic,
        fsync_interval_s: float = FSYNC_INTERVAL_S,
        batch_s: float = BATCH_S,
    ) -> None:
        self.header = _check_type("header", header, RecordingHeader)
        self._directory = Path(directory)
        self._clock = clock
        self._fsync_interval_s = check_range(
            "fsync_interval_s", fsync_interval_s, low=0.0, unit="s"
        )
        self._sidecar = _sidecar_path(self._directory, header.recording_id)
        self._samples = 0
        self._syncing: Future[None] | None = None
        self._batch: list[NDArray[np.float32]] = []
        self._batched = 0
        self._batch_limit = round(
            check_range("batch_s", batch_s, low=0.0, high=0.5, unit="s") * header.sampling_rate_hz
        )
        self._state: Literal["open", "closed", "aborted"] = "open"
        self._edf: Path | None = None
        if edf_path(self._directory, header.recording_id).exists():
            raise ConflictError(f"recording {header.recording_id} already has an EDF file")
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
            self._fd = os.open(self._sidecar, flags, 0o600)  # health data: owner only
        except FileExistsError:
            raise ConflictError(
                f"recording {header.recording_id} is already being recorded ({self._sidecar})"
            ) from None
        except OSError as exc:
            raise InputError(f"{self._sidecar}: cannot create: {exc.strerror}") from exc
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._write(_PREAMBLE + _record(_HEADER, header._to_json()))
            os.fsync(self._fd)
            _sync_directory(self._directory)
        except BaseException:
            os.close(self._fd)
            self._sidecar.unlink(missing_ok=True)
            raise
        self._synced_at = clock()

    @property
    def samples_written(self) -> int:
        """Samples per channel appended so far, gap fillers included."""
        return self._samples

    @property
    def duration_s(self) -> float:
        """Seconds recorded so far, gaps included."""
        return self._samples / self.header.sampling_rate_hz

    def append(self, samples: NDArray[np.float64]) -> None:
        """Append a chunk of raw samples, shape ``(channels, n)``, in physical units.

        An empty chunk (``n == 0``) is ignored. The chunk is on its way to disk when this
        returns (see the module notes).

        Raises
        ------
        SignalError
            Wrong shape or channel count, NaN or infinite samples, or samples beyond what an
            EDF+ header can describe (9.9e6 µV or cmH2O: a wrong unit).
        ConflictError
            The recorder is closed.
        """
        self._check_open()
        channels = self.header.channels
        block = samples
        # A live session appends about 100 chunks a second per stream: real arrays of real
        # numbers take a short path; anything else goes through check_signal, which converts
        # it or names what is wrong.
        if not (isinstance(block, np.ndarray) and block.ndim == 2 and block.dtype.kind in "fiu"):
            block = check_signal("samples", samples, ndim=2)
        if block.shape[0] != channels:
            raise SignalError(
                f"samples must have shape ({channels}, n) for the {channels} channel(s) "
                f"{list(self.header.labels)}; got shape {block.shape}",
                field="samples",
            )
        if block.shape[1] == 0:
            return
        # One reduction; NaN and infinity fail the test (NaN compares false). Integers become
        # floats first: abs() of a signed type's minimum overflows to a negative number.
        peak = float(np.abs(block.astype(np.float64, copy=False)).max())
        if not peak < _MAX_ABS_SAMPLE:
            check_signal("samples", block, ndim=2)  # raises for NaN or infinity, with the count
            raise SignalError(
                f"samples reach {peak:g}, beyond the {_MAX_ABS_SAMPLE:g} an EDF+ file can "
                f"store; are the units {list(self.header.units)} right?",
                field="samples",
            )
        self._batch.append(block.astype("<f4"))
        self._batched += block.shape[1]
        self._samples += block.shape[1]
        if self._batched >= self._batch_limit:
            self._flush_batch()
            self._maybe_sync()  # only a written batch gives an fsync anything new

    def _flush_batch(self) -> None:
        """Write the chunks gathered so far as one record (one system call, one CRC)."""
        if not self._batch:
            return
        block = self._batch[0] if len(self._batch) == 1 else np.concatenate(self._batch, axis=1)
        self._batch = []
        self._batched = 0
        self._write(_record(_SAMPLES, np.ascontiguousarray(block).tobytes()))

    def append_gap(self, missing: int) -> None:
        """Record ``missing`` lost samples per channel; the EDF+ holds zeros there.

        This keeps the time axis right after a dropout. It does not annotate: the caller adds
        a :data:`pelvio.signals.annotations.DROPOUT` annotation with the reason.

        Raises
        ------
        InputError
            ``missing`` is negative, not whole, or longer than :data:`MAX_GAP_S`.
        ConflictError
            The recorder is closed.
        """
        self._check_open()
        limit = round(MAX_GAP_S * self.header.sampling_rate_hz)
        count = check_int("missing", missing, low=0, high=limit)
        if count == 0:
            return
        self._flush_batch()
        self._write(_record(_GAP, _GAP_PAYLOAD.pack(count)))
        self._samples += count
        self._maybe_sync()

    def annotate(self, annotation: Annotation) -> None:
        """Record a phase, cue, contraction or dropout (times in seconds from the start).

        Use the texts of :mod:`pelvio.signals.annotations` (``DROPOUT``, ``CUE_CONTRACT``, ...).

        Raises
        ------
        InputError
            Not an :class:`~pelvio.signals.annotations.Annotation`, a negative or non-finite
            onset or duration, or an empty or unprintable text.
        ConflictError
            The recorder is closed.
        """
        self._check_open()
        event = _check_type("annotation", annotation, Annotation)
        _check_annotation(event)
        payload = {"onset_s": event.onset_s, "duration_s": event.duration_s, "text": event.text}
        self._flush_batch()
        self._write(_record(_ANNOTATION, json.dumps(payload).encode()))
        self._maybe_sync()

    def close(self) -> Path:
        """Write the EDF+ file, remove the sidecar and return the EDF+ path.

        Calling it again returns the same path.

        Raises
        ------
        SignalError
            No sample was recorded: there is no EDF+ to write. The sidecar is removed.
        InputError
            The EDF+ cannot be written; the sidecar is kept for :func:`recover`.
        ConflictError
            The recorder was aborted.
        """
        if self._state == "closed" and self._edf is not None:
            return self._edf
        self._check_open()
        self._flush_batch()
        self._state = "closed"
        try:
            self._wait_for_sync()
            os.fsync(self._fd)
            if self._samples == 0:
                self._sidecar.unlink(missing_ok=True)
                raise SignalError(
                    f"recording {self.header.recording_id} holds no samples; no EDF written",
                    field="samples",
                )
            contents = _read_sidecar(self._sidecar)
            self._edf = _write_edf(self._directory, contents, ())
            # The EDF is durable (written atomically); only now may the sidecar go.
            self._sidecar.unlink()
            _sync_directory(self._directory)
        finally:
            os.close(self._fd)  # releases the lock only after the sidecar is gone
        return self._edf

    def abort(self) -> None:
        """Drop the recording: remove the sidecar without writing an EDF+. Idempotent."""
        if self._state != "open":
            return
        self._state = "aborted"
        try:
            self._wait_for_sync()
            self._sidecar.unlink(missing_ok=True)
        finally:
            os.close(self._fd)

    def _check_open(self) -> None:
        if self._state != "open":
            raise ConflictError(
                f"recording {self.header.recording_id} is {self._state}; start a new Recorder"
            )

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError as exc:
            raise InputError(f"{self._sidecar}: cannot write: {exc.strerror}") from exc

    def _maybe_sync(self) -> None:
        """Start an fsync in the background when the last one is a second old and done."""
        now = self._clock()
        if now - self._synced_at < self._fsync_interval_s:
            return
        pending = self._syncing
        if pending is not None:
            if not pending.done():
                return
            self._syncing = None
            self._raise_sync_error(pending)
        self._syncing = _SYNCER.submit(os.fsync, self._fd)
        self._synced_at = now

    def _wait_for_sync(self) -> None:
        """Before the descriptor closes: let a background fsync finish (and report it)."""
        pending, self._syncing = self._syncing, None
        if pending is not None:
            pending.exception()
            self._raise_sync_error(pending)

    def _raise_sync_error(self, done: Future[None]) -> None:
        error = done.exception()
        if isinstance(error, OSError):
            raise InputError(f"{self._sidecar}: cannot flush: {error.strerror}") from error


def recover(directory: Path) -> list[RecoveredRecording]:
    """Turn every sidecar left by a dead process into an EDF+ file.

    Run it at start-up. Sidecars of recordings that are still live (their :class:`Recorder`
    holds the lock) are skipped. Never raises for a damaged sidecar: each outcome is reported.

    Parameters
    ----------
    directory
        The folder given to :class:`Recorder`; a missing folder holds nothing to recover.

    Returns
    -------
    list[RecoveredRecording]
        One entry per leftover sidecar, sorted by file name.
    """
    folder = Path(directory)
    if not folder.is_dir():
        return []
    results: list[RecoveredRecording] = []
    for sidecar in sorted(folder.glob(f"*{SIDECAR_SUFFIX}")):
        try:
            result = _recover_one(sidecar)
        except Exception as exc:  # an unreadable file or folder must not stop a start-up
            stem = sidecar.name.removesuffix(SIDECAR_SUFFIX)
            result = RecoveredRecording(stem, None, 0.0, 0, "failed", str(exc))
        if result is not None:
            results.append(result)
    return results


# --- reading back ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Contents:
    header: RecordingHeader
    signals: NDArray[np.float64]  # (channels, n)
    annotations: tuple[Annotation, ...]
    dropped_bytes: int  # the torn or corrupt tail after the last good record


def _recover_one(sidecar: Path) -> RecoveredRecording | None:
    try:
        fd = os.open(sidecar, os.O_RDONLY)
    except FileNotFoundError:
        return None  # closed by its recorder meanwhile
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # a live recording
        if os.fstat(fd).st_nlink == 0:
            return None  # its recorder closed it between our open and our lock
        return _convert_leftover(sidecar)
    finally:
        os.close(fd)


def _convert_leftover(sidecar: Path) -> RecoveredRecording:
    stem = sidecar.name.removesuffix(SIDECAR_SUFFIX)
    try:
        contents = _read_sidecar(sidecar)
    except FileFormatError as exc:
        broken = sidecar.with_name(stem + BROKEN_SUFFIX)
        try:
            os.replace(sidecar, broken)
        except OSError as rename_error:
            return RecoveredRecording(
                stem, None, 0.0, 0, "failed", f"{exc}; cannot rename: {rename_error.strerror}"
            )
        return RecoveredRecording(stem, None, 0.0, 0, "broken", f"{exc}; kept as {broken.name}")
    header = contents.header
    count = len(contents.annotations)
    torn = f"dropped {contents.dropped_bytes} torn byte(s)" if contents.dropped_bytes else ""
    samples = contents.signals.shape[1]
    if samples == 0:
        sidecar.unlink(missing_ok=True)
        return RecoveredRecording(
            header.recording_id, None, 0.0, count, "empty", torn or "no samples recorded"
        )
    duration_s = samples / header.sampling_rate_hz
    try:
        marker = Annotation(duration_s, 0.0, RECOVERED)
        path = _write_edf(sidecar.parent, contents, (marker,))
        sidecar.unlink()
        _sync_directory(sidecar.parent)
    except Exception as exc:  # never stop a start-up: report it, keep the sidecar, retry next time
        return RecoveredRecording(header.recording_id, None, duration_s, count, "failed", str(exc))
    for part in sidecar.parent.glob(f".{path.name}.*.part"):
        part.unlink(missing_ok=True)  # left by write_atomically when the process died in close
    return RecoveredRecording(header.recording_id, path, duration_s, count, "recovered", torn)


def _read_sidecar(sidecar: Path) -> _Contents:
    """Read a sidecar up to its first short or corrupt record.

    Raises :class:`FileFormatError` when the preamble or the header record cannot be read.
    """
    name = str(sidecar)
    with sidecar.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        if size < len(_PREAMBLE):
            raise FileFormatError(f"{size} bytes, too short for a sidecar header", path=name)
        # Mapped, not read: a 60-minute session is read once, into the one array returned.
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            data = memoryview(mapped)
            try:
                return _parse(data, name)
            finally:
                data.release()


def _parse(data: memoryview, name: str) -> _Contents:
    if bytes(data[: len(_MAGIC)]) != _MAGIC:
        raise FileFormatError("not a Pelvio sidecar (bad magic)", path=name)
    if data[len(_MAGIC)] != _VERSION:
        raise FileFormatError(
            f"sidecar version {data[len(_MAGIC)]}; this Pelvio reads {_VERSION}", path=name
        )
    first = _next_record(data, len(_PREAMBLE))
    if first is None or first[0] != _HEADER:
        raise FileFormatError("the header record is torn or corrupt", path=name)
    try:
        header = RecordingHeader._from_json(bytes(data[first[1] : first[2]]))
    except (ValueError, KeyError, TypeError) as exc:  # InputError is a ValueError
        raise FileFormatError(f"unreadable header: {exc}", path=name) from exc
    blocks, annotations, total, end = _scan(data, first[2] + _CRC.size, header.channels)
    signals = np.zeros((header.channels, total))  # gaps stay zero
    at = 0
    for start, count in blocks:
        if start >= 0:
            block = np.frombuffer(data, "<f4", count * header.channels, start)
            signals[:, at : at + count] = block.reshape(header.channels, count)
        at += count
    # Returning drops the last view of the mapping, so the caller can release it.
    return _Contents(header, signals, tuple(annotations), data.nbytes - end)


def _scan(
    data: memoryview, pos: int, channels: int
) -> tuple[list[tuple[int, int]], list[Annotation], int, int]:
    """The sample blocks (offset or -1 for a gap, count), annotations, total and end offset."""
    blocks: list[tuple[int, int]] = []
    annotations: list[Annotation] = []
    total = 0
    frame = 4 * channels
    while (found := _next_record(data, pos)) is not None:
        kind, start, end = found
        length = end - start
        if kind == _SAMPLES and length % frame == 0:
            blocks.append((start, length // frame))
            total += length // frame
        elif kind == _GAP and length == _GAP_PAYLOAD.size:
            (missing,) = _GAP_PAYLOAD.unpack_from(data, start)
            blocks.append((-1, missing))
            total += missing
        elif kind == _ANNOTATION:
            try:
                event = json.loads(bytes(data[start:end]))
                annotations.append(
                    Annotation(float(event["onset_s"]), float(event["duration_s"]), event["text"])
                )
            except (ValueError, KeyError, TypeError):
                break
        else:
            break  # a record this version does not know: treat as the corrupt end
        pos = end + _CRC.size
    return blocks, annotations, total, pos


def _next_record(data: memoryview, pos: int) -> tuple[int, int, int] | None:
    """``(type, payload start, payload end)`` of a whole record with a good CRC, else None."""
    if pos + _RECORD_HEAD.size > data.nbytes:
        return None
    kind, length = _RECORD_HEAD.unpack_from(data, pos)
    start = pos + _RECORD_HEAD.size
    end = start + length
    if end + _CRC.size > data.nbytes:
        return None
    (stored,) = _CRC.unpack_from(data, end)
    if zlib.crc32(data[pos:end]) != stored:
        return None
    return int(kind), start, end


# --- writing -----------------------------------------------------------------------------------


def _record(kind: int, payload: bytes) -> bytes:
    head = _RECORD_HEAD.pack(kind, len(payload))
    return head + payload + _CRC.pack(zlib.crc32(payload, zlib.crc32(head)))


def _check_annotation(event: Annotation) -> None:
    check_range("annotation.onset_s", event.onset_s, low=0.0, unit="s")
    check_range("annotation.duration_s", event.duration_s, low=0.0, unit="s")
    _check_type("annotation.text", event.text, str)
    if not event.text.strip() or not event.text.isprintable():
        raise InputError(
            f"annotation text must be printable and not empty, got {event.text!r}",
            field="annotation.text",
        )


def _write_edf(directory: Path, contents: _Contents, extra: tuple[Annotation, ...]) -> Path:
    header = contents.header
    return write_edf(
        edf_path(directory, header.recording_id),
        contents.signals,
        header.sampling_rate_hz,
        (*contents.annotations, *extra),
        unit=cast("list[Unit]", list(header.units)),  # checked by RecordingHeader
        labels=list(header.labels),
    )
