"""Live devices without hardware: a serial probe on a pseudo-terminal, BrainFlow's synthetic
board and a local LSL outlet (the last two only when their optional extras are installed)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import numpy as np
import pytest

from pelvio.biofeedback import _devserial
from pelvio.biofeedback.devices import Chunk, Device, Gap, open_device
from pelvio.errors import DeviceError, InputError

Item = Chunk | Gap

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@pytest.fixture(
    params=[
        "termios",
        pytest.param(
            "pyserial",
            marks=pytest.mark.skipif(not _has("serial"), reason="pelvio[serial] not installed"),
        ),
    ]
)
def pty(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[int, str]]:
    """A pseudo-terminal: the test writes to the master, the device opens the slave path."""
    monkeypatch.setattr(_devserial, "PREFER_PYSERIAL", request.param == "pyserial")
    master, slave = os.openpty()
    path = os.ttyname(slave)
    os.close(slave)
    yield master, path
    with contextlib.suppress(OSError):
        os.close(master)  # some tests close it themselves


def send(master: int, *lines: str) -> None:
    os.write(master, "".join(f"{line}\n" for line in lines).encode("latin-1"))


async def take(stream: AsyncIterator[Item], count: int) -> list[Item]:
    """The next ``count`` items, or fail after 5 s instead of hanging."""

    async def run() -> list[Item]:
        return [await anext(stream) for _ in range(count)]

    return await asyncio.wait_for(run(), 5.0)


def with_device(spec: str, body: Callable[[Device], Awaitable[None]], **kwargs: object) -> None:
    async def run() -> None:
        async with open_device(spec, **kwargs) as device:  # type: ignore[arg-type]
            await body(device)

    asyncio.run(run())


def test_serial_lines_become_chunks_and_lost_lines_a_gap(pty: tuple[int, str]) -> None:
    master, path = pty
    got: list[Item] = []

    async def body(device: Device) -> None:
        assert device.info.labels == ("EMG", "Abdominal")
        stream = device.stream()
        send(master, "# pelvio rate=1000 kind=emg unit=uV channels=2", "0,1.5,-1", "1,2.5,-2")
        got.extend(await take(stream, 1))
        send(master, "2,3.5,-3", "5,4.5,-4", "6,5.5,-5")  # lines 3 and 4 lost
        while sum(i.n for i in got if isinstance(i, Chunk)) < 5:
            got.extend(await take(stream, 1))

    with_device(f"serial:{path}?rate=1000&channels=2", body)
    gaps = [item for item in got if isinstance(item, Gap)]
    assert [(g.first_index, g.missing, g.reason) for g in gaps] == [(3, 2, "2 lines lost")]
    chunks = [item for item in got if isinstance(item, Chunk)]
    x = np.hstack([c.samples for c in chunks])
    np.testing.assert_array_equal(x, [[1.5, 2.5, 3.5, 4.5, 5.5], [-1, -2, -3, -4, -5]])
    index = [c.first_index + k for c in chunks for k in range(c.n)]
    assert index == [0, 1, 2, 5, 6]  # the sample clock jumps over the lost lines


def test_serial_raw_counts_are_scaled_by_the_header(pty: tuple[int, str]) -> None:
    master, path = pty
    got: list[Item] = []

    async def body(device: Device) -> None:
        stream = device.stream()
        send(master, "garbage from before the reset", "# pelvio rate=50 kind=pressure unit=raw "
             "scale=0.5 offset=100", "# a comment", "65535,140", "0,160")  # fmt: skip
        while sum(i.n for i in got if isinstance(i, Chunk)) < 2:
            got.extend(await take(stream, 1))

    with_device(f"serial:{path}?rate=50&kind=pressure", body)
    x = np.hstack([item.samples for item in got if isinstance(item, Chunk)])
    np.testing.assert_array_equal(x, [[20.0, 30.0]])  # (raw - 100) * 0.5 cmH2O; seq wraps
    assert not [item for item in got if isinstance(item, Gap)]


def test_serial_silence_is_a_gap_and_a_vanished_port_an_error(pty: tuple[int, str]) -> None:
    master, path = pty
    got: list[Item] = []

    async def body(device: Device) -> None:
        stream = device.stream()
        send(master, "0,1", "1,2")
        while not any(isinstance(i, Gap) for i in got):
            got.extend(await take(stream, 1))  # silence after two lines: a Gap after 0.5 s
        send(master, "2,3")
        got.extend(await take(stream, 1))
        os.close(master)  # the probe is unplugged
        await take(stream, 1)

    with pytest.raises(DeviceError, match="probe disconnected: serial port"):
        with_device(f"serial:{path}?rate=1000", body)
    gap = next(item for item in got if isinstance(item, Gap))
    assert (gap.first_index, gap.missing, gap.reason) == (2, 0, "no data for 0.5 s")
    assert isinstance(got[-1], Chunk)
    assert got[-1].first_index == 2  # the clock continues after a silence


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("# pelvio rate=500", "the probe says rate=500 Hz but the device spec says rate=1000"),
        ("# pelvio kind=pressure", "the probe sends kind=pressure but the device spec asks"),
        ("# pelvio channels=2", "channels=2 but the device spec says channels=1"),
        ("# pelvio unit=mmHg", "unit=mmHg does not fit emg"),
    ],
)
def test_serial_header_must_match_the_spec(pty: tuple[int, str], header: str, words: str) -> None:
    master, path = pty

    async def body(device: Device) -> None:
        send(master, header, "0,1")
        await take(device.stream(), 1)

    with pytest.raises(DeviceError, match=words):
        with_device(f"serial:{path}?rate=1000", body)


def test_serial_noise_instead_of_lines_is_refused(pty: tuple[int, str]) -> None:
    master, path = pty

    async def body(device: Device) -> None:
        send(master, *(["\x00\xff?? 9600 baud garbage"] * 25))
        await take(device.stream(), 1)

    with pytest.raises(DeviceError, match="does not send the Pelvio line protocol"):
        with_device(f"serial:{path}?rate=1000&baud=9600", body)


def test_serial_port_that_does_not_exist(pty: tuple[int, str]) -> None:
    async def body(device: Device) -> None:
        raise AssertionError("opened a port that does not exist")

    with pytest.raises(DeviceError, match="cannot open serial port /dev/pelvio-no-such-port"):
        with_device("serial:/dev/pelvio-no-such-port?rate=1000", body)


def test_termios_refuses_a_non_standard_baud(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_devserial, "PREFER_PYSERIAL", False)

    async def body(device: Device) -> None:
        raise AssertionError("opened with an impossible baud rate")

    with pytest.raises(DeviceError, match=r"baud=123457.*pelvio\[serial\]"):
        with_device("serial:/dev/null?rate=1000&baud=123457", body)


# --- BrainFlow --------------------------------------------------------------------------------

needs_brainflow = pytest.mark.skipif(not _has("brainflow"), reason="pelvio[brainflow] missing")


@needs_brainflow
def test_brainflow_synthetic_board_is_refused_for_emg() -> None:
    with pytest.raises(InputError) as caught:
        open_device("brainflow:synthetic")
    message = str(caught.value)
    assert "250 Hz" in message
    assert "at least 1000 Hz" in message
    assert "kind=pressure" in message


@needs_brainflow
def test_brainflow_unknown_board_lists_the_names() -> None:
    with pytest.raises(InputError, match=r"unknown BrainFlow board 'nosuch'.*synthetic"):
        open_device("brainflow:nosuch?kind=pressure")


@needs_brainflow
@pytest.mark.parametrize("spec", ["brainflow:synthetic?kind=pressure", "brainflow:-1"])
def test_brainflow_synthetic_board_streams_pressure(spec: str) -> None:
    got: list[Item] = []

    async def body(device: Device) -> None:
        assert device.info.sampling_rate_hz == 250.0
        assert device.info.units == ("cmH2O",)
        stream = device.stream()
        while sum(i.n for i in got if isinstance(i, Chunk)) < 50:
            got.extend(await take(stream, 1))

    with_device(spec, body, mode="pressure")
    chunks = [item for item in got if isinstance(item, Chunk)]
    assert all(c.samples.shape[0] == 1 for c in chunks)
    for before, after in itertools.pairwise(chunks):
        assert after.first_index == before.first_index + before.n
    assert np.all(np.isfinite(np.hstack([c.samples for c in chunks])))


# --- Lab Streaming Layer ----------------------------------------------------------------------

needs_lsl = pytest.mark.skipif(not _has("pylsl"), reason="pelvio[lsl] missing")


@needs_lsl
def test_lsl_stream_from_a_local_outlet() -> None:
    import pylsl  # type: ignore[import-untyped,import-not-found,unused-ignore]

    name = f"PelvioTest{os.getpid()}"
    info = pylsl.StreamInfo(name, "EMG", 2, 1000.0, "float32", name)
    outlet = pylsl.StreamOutlet(info)
    got: list[Item] = []

    async def body(device: Device) -> None:
        assert device.info.labels == ("EMG", "Abdominal")
        stream = device.stream()
        sent = 0
        while sum(i.n for i in got if isinstance(i, Chunk)) < 100:
            block = [[float(k), -float(k)] for k in range(sent, sent + 20)]
            outlet.push_chunk(block)
            sent += 20
            got.extend(await take(stream, 1))

    with_device(f"lsl:{name}?channels=2&wait=5", body)
    x = np.hstack([item.samples for item in got if isinstance(item, Chunk)])
    k = np.arange(x.shape[1], dtype=np.float64)
    np.testing.assert_array_equal(x, np.vstack([k, -k]))


@needs_lsl
def test_lsl_stream_not_found() -> None:
    with pytest.raises(
        DeviceError, match=r"no LSL stream named 'PelvioNobody' found within 0\.2 s"
    ):
        open_device("lsl:PelvioNobody?wait=0.2")
