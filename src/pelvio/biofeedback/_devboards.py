"""Acquisition libraries as devices: ``brainflow:BOARD`` and ``lsl:NAME`` (optional extras).

Both are polled every ``chunk_s`` without blocking the event loop: BrainFlow and pylsl buffer
the samples in their own threads, and taking what arrived is a quick call.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any, Final, Self

import numpy as np

from pelvio.biofeedback._devcore import (
    Chunk,
    DeviceInfo,
    Gap,
    ParsedSpec,
    Query,
    SignalKind,
    Watchdog,
    channel_layout,
    emg_rate_check,
    missing_library,
    now_ms,
    split_runs,
)
from pelvio.errors import DeviceError

PACKAGE_MODULUS: Final = 256  # BrainFlow boards count packages 0..255
_BRAINFLOW_PARAMS: Final = (
    "serial_port",
    "mac_address",
    "ip_address",
    "ip_port",
    "ip_protocol",
    "serial_number",
    "other_info",
    "file",
)


def _brainflow() -> Any:
    try:
        from brainflow import board_shim  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as error:
        raise missing_library("BrainFlow", "brainflow", error) from None
    return board_shim


def brainflow_board_names() -> list[str]:
    """Short board names BrainFlow knows (``synthetic``, ``cyton``, ...)."""
    shim = _brainflow()
    return [_short(board.name) for board in shim.BoardIds if board.value >= -1]


def _short(name: str) -> str:
    return name.lower().removesuffix("_board")


def _board_id(spec: ParsedSpec, shim: Any) -> int:
    wanted = spec.target.strip()
    boards: dict[str, int] = {board.name: int(board.value) for board in shim.BoardIds}
    if wanted.lstrip("-").isdigit():
        if int(wanted) in boards.values():
            return int(wanted)
    else:
        key = wanted.upper().replace("-", "_")
        for candidate in (key, f"{key}_BOARD"):
            if candidate in boards:
                return boards[candidate]
    names = ", ".join(brainflow_board_names())
    raise spec.fail(f"unknown BrainFlow board {wanted!r}; use a board id or one of {names}")


class BrainFlowDevice:
    """``brainflow:BOARD[?serial_port=...]`` — any board BrainFlow supports."""

    def __init__(self, spec: ParsedSpec, *, chunk_s: float, mode: SignalKind | None) -> None:
        query = Query(spec, ("kind", "channel", "channels", "timeout", *_BRAINFLOW_PARAMS))
        shim = _brainflow()
        self._shim = shim
        board_id = _board_id(spec, shim)
        name = _short(shim.BoardIds(board_id).name)
        kind = query.kind(mode)
        try:
            rate = float(shim.BoardShim.get_sampling_rate(board_id))
            descr = shim.BoardShim.get_board_descr(board_id)
        except shim.BrainFlowError as error:
            raise DeviceError(f"BrainFlow board {name!r}: {error}") from None
        if kind == "emg":
            emg_rate_check(spec, rate, f"BrainFlow board {name!r}")
        rows = list(descr.get("emg_channels") or descr.get("exg_channels") or [])
        n_rows = int(descr.get("num_rows", 0))
        channel = query.integer("channel", None, low=0, high=max(0, n_rows - 1))
        channels = query.integer("channels", 1, low=1, high=2)
        assert channels is not None
        if channel is not None:
            rows = [channel, *(row for row in rows if row > channel)]
        if len(rows) < channels:
            raise spec.fail(f"BrainFlow board {name!r} has no {channels} signal rows to use")
        self._rows = rows[:channels]
        self._package_row: int | None = descr.get("package_num_channel")
        params = shim.BrainFlowInputParams()
        for key in _BRAINFLOW_PARAMS:
            value = query.text(key)
            if value is not None:
                setattr(params, key, int(value) if key in ("ip_port", "ip_protocol") else value)
        self._params = params
        self._board_number = board_id
        self._chunk_s = chunk_s
        self._give_up_s = query.give_up_s()
        labels, units = channel_layout(kind, channels)
        self.info = DeviceInfo(
            spec.text, f"BrainFlow {descr.get('name', name)} ({rate:g} Hz)", kind, rate,
            labels, units,
        )  # fmt: skip
        self._board: Any = None

    async def __aenter__(self) -> Self:
        shim = self._shim
        shim.BoardShim.disable_board_logger()
        board = shim.BoardShim(self._board_number, self._params)
        try:
            await asyncio.to_thread(board.prepare_session)
            await asyncio.to_thread(board.start_stream)
        except shim.BrainFlowError as error:
            with contextlib.suppress(shim.BrainFlowError):
                board.release_session()
            raise DeviceError(f"cannot open {self.info.name}: {error}") from None
        self._board = board
        return self

    async def __aexit__(self, *exc: object) -> None:
        board, self._board = self._board, None
        if board is None:
            return
        with contextlib.suppress(self._shim.BrainFlowError):
            await asyncio.to_thread(board.stop_stream)
        with contextlib.suppress(self._shim.BrainFlowError):
            await asyncio.to_thread(board.release_session)

    def set_effort(self, effort: float) -> None:
        """Ignored: a real probe measures the effort."""

    async def stream(self) -> AsyncIterator[Chunk | Gap]:
        """What the board sent since the last poll; gaps for skipped packages and silence."""
        if self._board is None:
            raise DeviceError(f"{self.info.spec}: open the device (async with) before streaming")
        watchdog = Watchdog(self.info.name, self._give_up_s)
        expected: int | None = None
        index = 0
        while True:
            await asyncio.sleep(self._chunk_s)
            try:
                data = self._board.get_board_data()
            except self._shim.BrainFlowError as error:
                raise DeviceError(f"probe disconnected: {self.info.name}: {error}") from None
            if data.shape[1] == 0:
                gap = watchdog.check(index)
                if gap is not None:
                    yield gap
                continue
            watchdog.fed()
            wall_ms = now_ms()
            samples = np.ascontiguousarray(data[self._rows], dtype=np.float64)
            if self._package_row is None:
                yield Chunk(samples, index, wall_ms)
                index += samples.shape[1]
                continue
            counters = [int(c) for c in data[self._package_row]]
            for start, stop, lost in split_runs(counters, PACKAGE_MODULUS, expected):
                if lost > 0:
                    yield Gap(index, lost, f"{lost} samples lost", wall_ms)
                    index += lost
                yield Chunk(np.ascontiguousarray(samples[:, start:stop]), index, wall_ms)
                index += stop - start
            expected = (counters[-1] + 1) % PACKAGE_MODULUS


# --- Lab Streaming Layer ----------------------------------------------------------------------


def _pylsl() -> Any:
    try:
        import pylsl  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except (ImportError, RuntimeError) as error:  # RuntimeError: liblsl itself is missing
        raise missing_library("pylsl (with liblsl)", "lsl", error) from None
    return pylsl


class LslDevice:
    """``lsl:NAME`` — a Lab Streaming Layer stream found by name on the local network."""

    def __init__(self, spec: ParsedSpec, *, chunk_s: float, mode: SignalKind | None) -> None:
        query = Query(spec, ("kind", "channel", "channels", "wait", "timeout"))
        if not spec.target:
            raise spec.fail("name the LSL stream, e.g. lsl:PelvioProbe")
        pylsl = _pylsl()
        wait_s = query.number("wait", 2.0, low=0.0, high=60.0, unit="s")
        assert wait_s is not None
        try:
            found = pylsl.resolve_byprop("name", spec.target, minimum=1, timeout=wait_s)
        except Exception as error:  # pylsl raises plain RuntimeErrors from liblsl
            raise DeviceError(f"cannot look for LSL stream {spec.target!r}: {error}") from None
        if not found:
            raise DeviceError(f"no LSL stream named {spec.target!r} found within {wait_s:g} s")
        stream_info = found[0]
        rate = float(stream_info.nominal_srate())
        if rate <= 0:
            raise spec.fail("the LSL stream has an irregular rate; Pelvio needs a fixed rate")
        default: SignalKind = "pressure" if stream_info.type().lower() == "pressure" else "emg"
        kind = query.kind(mode, default)
        if kind == "emg":
            emg_rate_check(spec, rate, f"LSL stream {spec.target!r}")
        available = int(stream_info.channel_count())
        channels = query.integer("channels", 1, low=1, high=2)
        first = query.integer("channel", 0, low=0, high=max(0, available - 1))
        assert channels is not None and first is not None
        if first + channels > available:
            raise spec.fail(
                f"the LSL stream has {available} channel(s); channel={first} with "
                f"channels={channels} does not fit"
            )
        self._pylsl = pylsl
        self._stream_info = stream_info
        self._columns = slice(first, first + channels)
        self._chunk_s = chunk_s
        self._wait_s = wait_s
        self._give_up_s = query.give_up_s()
        labels, units = channel_layout(kind, channels)
        self.info = DeviceInfo(spec.text, f"LSL stream {spec.target!r}", kind, rate, labels, units)
        self._inlet: Any = None

    async def __aenter__(self) -> Self:
        inlet = self._pylsl.StreamInlet(self._stream_info, max_buflen=10, recover=True)
        try:
            await asyncio.to_thread(inlet.open_stream, timeout=max(self._wait_s, 1.0))
        except Exception as error:  # pylsl: TimeoutError, LostError, RuntimeError
            raise DeviceError(f"cannot open {self.info.name}: {error}") from None
        self._inlet = inlet
        return self

    async def __aexit__(self, *exc: object) -> None:
        inlet, self._inlet = self._inlet, None
        if inlet is not None:
            with contextlib.suppress(Exception):
                inlet.close_stream()

    def set_effort(self, effort: float) -> None:
        """Ignored: a real probe measures the effort."""

    async def stream(self) -> AsyncIterator[Chunk | Gap]:
        """What the outlet sent since the last poll; gaps for silence."""
        if self._inlet is None:
            raise DeviceError(f"{self.info.spec}: open the device (async with) before streaming")
        watchdog = Watchdog(self.info.name, self._give_up_s)
        index = 0
        while True:
            await asyncio.sleep(self._chunk_s)
            try:
                rows, _ = self._inlet.pull_chunk(timeout=0.0, max_samples=65536)
            except Exception as error:  # pylsl.util.LostError and liblsl failures
                raise DeviceError(f"probe disconnected: {self.info.name}: {error}") from None
            if not rows:
                gap = watchdog.check(index)
                if gap is not None:
                    yield gap
                continue
            watchdog.fed()
            block = np.asarray(rows, dtype=np.float64)[:, self._columns]
            yield Chunk(np.ascontiguousarray(block.T), index, now_ms())
            index += block.shape[0]
