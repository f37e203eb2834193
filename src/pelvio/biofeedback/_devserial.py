"""``serial:PORT?rate=HZ`` — DIY probes that print the Pelvio line protocol.

The protocol (docs/biofeedback-devices.md has the full text and an Arduino sketch)::

    # pelvio rate=1000 kind=emg unit=uV channels=1      optional header, any time
    0,12.5                                              <seq>,<value>[,<value2>]
    1,-3.25

``seq`` counts samples modulo 65536, so a skipped number is a lost line. Values are in µV or
cmH2O, or raw ADC counts turned into them as ``(value - offset) * scale`` (``unit=raw`` with
``scale``/``offset`` in the header or the spec). Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import select
import sys
from collections.abc import AsyncIterator
from typing import Final, Protocol, Self

import numpy as np

from pelvio.biofeedback._devcore import (
    UNIT,
    Chunk,
    DeviceInfo,
    Gap,
    ParsedSpec,
    Query,
    SignalKind,
    Watchdog,
    channel_layout,
    emg_rate_check,
    now_ms,
    split_runs,
)
from pelvio.errors import DeviceError

SEQ_MODULUS: Final = 65536
HEADER_PREFIX: Final = "pelvio"
MAX_BAD_LINES: Final = 20
_MAX_LINE_BYTES: Final = 256
_READ_TIMEOUT_S: Final = 0.05
PREFER_PYSERIAL = True
"""Use pyserial when it is installed; else (POSIX only) read the tty with termios."""


class _Port(Protocol):
    def read(self) -> bytes: ...  # waits at most _READ_TIMEOUT_S; b"" when nothing came
    def close(self) -> None: ...


class _PyserialPort:
    """A port opened with pyserial (any platform, any baud rate)."""

    def __init__(self, path: str, baud: int) -> None:
        import serial  # type: ignore[import-untyped,import-not-found,unused-ignore]

        self._errors: tuple[type[BaseException], ...] = (serial.SerialException, OSError)
        try:
            self._port = serial.Serial(path, baud, timeout=_READ_TIMEOUT_S)
        except (*self._errors, ValueError) as error:
            raise DeviceError(f"cannot open serial port {path}: {error}") from None

    def read(self) -> bytes:
        try:
            data = bytes(self._port.read(max(1, self._port.in_waiting)))
            if data and self._port.in_waiting:
                data += bytes(self._port.read(self._port.in_waiting))
        except self._errors as error:
            raise OSError(str(error)) from None
        return data

    def close(self) -> None:
        self._port.close()


class _TermiosPort:
    """A port read with plain os/termios (POSIX), for when pyserial is not installed."""

    def __init__(self, path: str, baud: int) -> None:
        import termios
        import tty

        speed = getattr(termios, f"B{baud}", None)
        if speed is None:
            raise DeviceError(
                f"baud={baud} is not a standard rate of this system; install pyserial for it: "
                "pip install 'pelvio[serial]'"
            )
        try:
            fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError as error:
            raise DeviceError(f"cannot open serial port {path}: {error}") from None
        try:
            tty.setraw(fd)
            attrs = termios.tcgetattr(fd)
            attrs[2] |= termios.CLOCAL | termios.CREAD
            attrs[4] = attrs[5] = speed
            termios.tcsetattr(fd, termios.TCSANOW, attrs)
        except (termios.error, OSError) as error:
            os.close(fd)
            raise DeviceError(f"cannot open serial port {path}: not a tty ({error})") from None
        self._fd = fd

    def read(self) -> bytes:
        ready, _, _ = select.select([self._fd], [], [], _READ_TIMEOUT_S)
        if not ready:
            return b""
        try:
            data = os.read(self._fd, 65536)
        except BlockingIOError:
            return b""
        if not data:
            raise OSError("the port closed (end of file)")
        return data

    def close(self) -> None:
        os.close(self._fd)


def _have_pyserial() -> bool:
    try:
        import serial  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def _open_port(path: str, baud: int) -> _Port:
    if PREFER_PYSERIAL and _have_pyserial():
        return _PyserialPort(path, baud)
    if sys.platform == "win32":
        raise DeviceError("serial probes on Windows need pyserial: pip install 'pelvio[serial]'")
    return _TermiosPort(path, baud)


class SerialDevice:
    """A probe on a serial port speaking the Pelvio line protocol."""

    def __init__(self, spec: ParsedSpec, *, chunk_s: float, mode: SignalKind | None) -> None:
        query = Query(spec, ("rate", "kind", "channels", "baud", "scale", "offset", "timeout"))
        if not spec.target:
            raise spec.fail("name the port, e.g. serial:/dev/ttyACM0?rate=1000 or serial:COM3")
        if query.text("rate") is None:
            raise spec.fail("give the probe's sampling rate, e.g. ?rate=1000")
        kind = query.kind(mode)
        rate = query.number("rate", None, low=1.0, high=20_000.0, unit="Hz")
        channels = query.integer("channels", 1, low=1, high=2)
        baud = query.integer("baud", 115_200, low=300, high=12_000_000)
        scale = query.number("scale", 1.0, low=-1e9, high=1e9)
        offset = query.number("offset", 0.0, low=-1e9, high=1e9)
        assert rate is not None and channels is not None and baud is not None
        assert scale is not None and offset is not None
        if kind == "emg":
            emg_rate_check(spec, rate, f"serial:{spec.target}")
        labels, units = channel_layout(kind, channels)
        self.info = DeviceInfo(
            spec.text, f"Serial probe on {spec.target}", kind, rate, labels, units
        )
        self._port_name = spec.target
        self._baud = baud
        self._give_up_s = query.give_up_s()
        self._scale = scale
        self._offset = offset
        self._explicit = {key for key in ("scale", "offset") if query.text(key) is not None}
        self._port: _Port | None = None
        self._reading: asyncio.Future[bytes] | None = None

    async def __aenter__(self) -> Self:
        self._port = await asyncio.to_thread(_open_port, self._port_name, self._baud)
        return self

    async def __aexit__(self, *exc: object) -> None:
        port, self._port = self._port, None
        if self._reading is not None:
            with contextlib.suppress(Exception):
                await self._reading
        if port is not None:
            with contextlib.suppress(Exception):
                port.close()

    def set_effort(self, effort: float) -> None:
        """Ignored: a real probe measures the effort."""

    def _read(self) -> bytes:
        port = self._port
        return b"" if port is None else port.read()

    async def stream(self) -> AsyncIterator[Chunk | Gap]:
        """Chunks as lines arrive; gaps for lost lines and silence; DeviceError when lost."""
        if self._port is None:
            raise DeviceError(f"{self.info.spec}: open the device (async with) before streaming")
        watchdog = Watchdog(f"serial port {self._port_name}", self._give_up_s)
        pending = b""
        expected: int | None = None
        bad_lines = 0
        index = 0
        while True:
            self._reading = asyncio.ensure_future(asyncio.to_thread(self._read))
            try:
                data = await self._reading
            except OSError as error:
                raise DeviceError(
                    f"probe disconnected: serial port {self._port_name} failed: {error}"
                ) from None
            finally:
                self._reading = None
            if not data:
                gap = watchdog.check(index)
                if gap is not None:
                    yield gap
                continue
            *lines, pending = (pending + data).split(b"\n")
            if len(pending) > _MAX_LINE_BYTES:
                lines.append(pending)
                pending = b""
            seqs: list[int] = []
            rows: list[list[float]] = []
            for raw in lines:
                parsed = self._parse(raw)
                if parsed is None:
                    continue
                if isinstance(parsed, str):
                    bad_lines += 1
                    if bad_lines >= MAX_BAD_LINES:
                        raise DeviceError(
                            f"serial port {self._port_name} does not send the Pelvio line "
                            f"protocol ('<seq>,<value>'); last line {parsed!r}. Check "
                            f"baud={self._baud} and the probe's firmware"
                        )
                    continue
                bad_lines = 0
                seqs.append(parsed[0])
                rows.append(parsed[1])
            if not seqs:
                gap = watchdog.check(index)
                if gap is not None:
                    yield gap
                continue
            watchdog.fed()
            wall_ms = now_ms()
            values = np.array(rows, dtype=np.float64).T
            for start, stop, lost in split_runs(seqs, SEQ_MODULUS, expected):
                if lost > 0:
                    yield Gap(index, lost, f"{lost} line{'s' if lost != 1 else ''} lost", wall_ms)
                    index += lost
                elif lost < 0:
                    yield Gap(index, 0, "probe restarted (sequence counter went back)", wall_ms)
                samples = np.ascontiguousarray(values[:, start:stop])
                yield Chunk(samples, index, wall_ms)
                index += stop - start
            expected = (seqs[-1] + 1) % SEQ_MODULUS

    def _parse(self, raw: bytes) -> tuple[int, list[float]] | str | None:
        """A data line as ``(seq, values)``, ``None`` for a comment or header, else the text."""
        line = raw.decode("ascii", errors="replace").strip()
        if not line:
            return None
        if line.startswith("#"):
            self._header(line[1:].split())
            return None
        parts = line.split(",")
        if len(parts) != 1 + self.info.channels:
            return line
        try:
            seq = int(parts[0])
            values = [float(part) for part in parts[1:]]
        except ValueError:
            return line
        if not 0 <= seq < SEQ_MODULUS or not all(math.isfinite(v) for v in values):
            return line
        return seq, [(value - self._offset) * self._scale for value in values]

    def _header(self, words: list[str]) -> None:
        """Check a ``# pelvio key=value ...`` header against the spec; take scale/offset."""
        if not words or words[0].lower() != HEADER_PREFIX:
            return
        fields = dict(word.partition("=")[::2] for word in words[1:])
        info = self.info
        where = f"serial port {self._port_name}"

        def number(key: str) -> float:
            try:
                return float(fields[key])
            except ValueError:
                raise DeviceError(
                    f"{where}: header {key}={fields[key]!r} is not a number"
                ) from None

        if "rate" in fields and not math.isclose(
            number("rate"), info.sampling_rate_hz, rel_tol=0.005
        ):
            raise DeviceError(
                f"{where}: the probe says rate={fields['rate']} Hz but the device spec says "
                f"rate={info.sampling_rate_hz:g}; make them agree"
            )
        if "kind" in fields and fields["kind"].lower() != info.kind:
            raise DeviceError(
                f"{where}: the probe sends kind={fields['kind']} but the device spec asks for "
                f"{info.kind}"
            )
        if "channels" in fields and fields["channels"] != str(info.channels):
            raise DeviceError(
                f"{where}: the probe sends channels={fields['channels']} but the device spec "
                f"says channels={info.channels}"
            )
        unit = fields.get("unit")
        if unit is not None and unit not in (UNIT[info.kind], "raw"):
            raise DeviceError(
                f"{where}: unit={unit} does not fit {info.kind}; send {UNIT[info.kind]} or raw "
                "with scale= and offset="
            )
        for key in ("scale", "offset"):
            if key not in fields:
                continue
            value = number(key)
            current = self._scale if key == "scale" else self._offset
            if key in self._explicit and not math.isclose(value, current):
                raise DeviceError(
                    f"{where}: the probe says {key}={fields[key]} but the device spec says "
                    f"{key}={current:g}"
                )
            if key == "scale":
                self._scale = value
            else:
                self._offset = value
