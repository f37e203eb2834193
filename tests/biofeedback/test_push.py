"""Frames pushed to listeners, and simulated probes on a shared clock.

A listener's messages go straight to its socket while the socket takes them, and into a bounded
backlog, in order, while it pushes back (``Subscriber``). Simulated probes tick together on one
timer per rate (``SharedClock``) without losing a sample or their order.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import weakref

import numpy as np
import pytest

from pelvio.biofeedback import hub as hub_module
from pelvio.biofeedback._devpaced import SHARED_CLOCK_GROUPS, SharedClock
from pelvio.biofeedback.devices import Chunk, Gap, open_device
from pelvio.biofeedback.hub import Message, Subscriber
from pelvio.errors import DeviceError


class Socket:
    """A listener's socket: takes messages at once, or waits while ``open`` is cleared."""

    def __init__(self, *, fail_after: int | None = None) -> None:
        self.sent: list[Message] = []
        self.open = asyncio.Event()
        self.open.set()
        self.waits = 0
        self._fail_after = fail_after

    async def send(self, message: Message) -> None:
        if not self.open.is_set():
            self.waits += 1
            await self.open.wait()
        if self._fail_after is not None and len(self.sent) >= self._fail_after:
            raise ConnectionResetError("the browser went away")
        self.sent.append(message)


def test_messages_go_out_at_once_while_the_socket_takes_them() -> None:
    async def run() -> tuple[list[Message], BaseException | None]:
        socket = Socket()
        subscriber = Subscriber("envelope", socket.send)
        for k in range(5):
            subscriber.offer(b"frame %d" % k)
            assert len(socket.sent) == k + 1  # sent inside offer, no task switch
        subscriber.offer(None)
        return socket.sent, await subscriber.closed()

    sent, error = asyncio.run(run())
    assert sent == [b"frame %d" % k for k in range(5)]
    assert error is None


def test_a_socket_that_pushes_back_gets_everything_in_order_afterwards() -> None:
    async def run() -> tuple[Socket, Subscriber]:
        socket = Socket()
        subscriber = Subscriber("envelope", socket.send)
        subscriber.offer("hello")
        socket.open.clear()
        for k in range(10):
            subscriber.offer(b"%d" % k)
        await asyncio.sleep(0.01)
        assert socket.sent == ["hello"]  # waiting, nothing lost, nothing reordered
        socket.open.set()
        subscriber.offer(None)
        await asyncio.wait_for(subscriber.closed(), 5)
        return socket, subscriber

    socket, subscriber = asyncio.run(run())
    assert socket.sent == ["hello", *(b"%d" % k for k in range(10))]
    assert socket.waits == 1
    assert subscriber.dropped == 0


def test_a_slow_listener_loses_its_oldest_frames_not_the_newest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hub_module, "QUEUE_FRAMES", 4)

    async def run() -> tuple[Socket, Subscriber]:
        socket = Socket()
        subscriber = Subscriber("envelope", socket.send)
        socket.open.clear()
        for k in range(10):
            subscriber.offer(b"%d" % k)
        socket.open.set()
        subscriber.offer(None)
        await asyncio.wait_for(subscriber.closed(), 5)
        return socket, subscriber

    socket, subscriber = asyncio.run(run())
    # Frame 0 was on its way when the socket pushed back; 1-5 were dropped for 6-9.
    assert socket.sent == [b"0", b"6", b"7", b"8", b"9"]
    assert subscriber.dropped == 5


@pytest.mark.parametrize("blocked", [False, True])
def test_a_socket_that_fails_ends_the_listener_with_its_error(blocked: bool) -> None:
    async def run() -> tuple[Socket, BaseException | None]:
        socket = Socket(fail_after=2)
        subscriber = Subscriber("envelope", socket.send)
        if blocked:
            socket.open.clear()
        for k in range(5):
            subscriber.offer(b"%d" % k)
        socket.open.set()
        error = await asyncio.wait_for(subscriber.closed(), 5)
        subscriber.offer(b"after")  # ignored: the listener has ended
        return socket, error

    socket, error = asyncio.run(run())
    assert socket.sent == [b"0", b"1"]
    assert isinstance(error, ConnectionResetError)


def test_cancel_stops_a_pending_send() -> None:
    async def run() -> Socket:
        socket = Socket()
        subscriber = Subscriber("envelope", socket.send)
        socket.open.clear()
        subscriber.offer(b"stuck")
        subscriber.offer(b"behind")
        await asyncio.sleep(0)
        subscriber.cancel()
        assert await asyncio.wait_for(subscriber.closed(), 5) is None
        socket.open.set()
        await asyncio.sleep(0.01)
        return socket

    assert asyncio.run(run()).sent == []


def _collect(specs: list[str], chunks: int) -> list[list[Chunk | Gap]]:
    """Serve every device until it has given ``chunks`` items; their items."""

    async def run() -> list[list[Chunk | Gap]]:
        got: list[list[Chunk | Gap]] = [[] for _ in specs]

        async def one(k: int, spec: str) -> None:
            def accept(item: Chunk | Gap) -> bool:
                got[k].append(item)
                return len(got[k]) < chunks

            async with open_device(spec, chunk_s=0.02) as device:
                await device.serve(accept)  # type: ignore[attr-defined]

        await asyncio.wait_for(asyncio.gather(*(one(k, spec) for k, spec in enumerate(specs))), 30)
        return got

    return asyncio.run(run())


def test_simulated_probes_share_one_clock_without_losing_a_sample() -> None:
    specs = [f"sim:healthy?seed={k}" for k in range(2 * SHARED_CLOCK_GROUPS)]
    got = _collect(specs, 25)
    stamps: set[float] = set()
    for items in got:
        assert len(items) == 25
        chunks = [item for item in items if isinstance(item, Chunk)]
        assert len(chunks) == 25
        assert [c.first_index for c in chunks] == [40 * k for k in range(25)]
        assert all(c.samples.shape == (1, 40) for c in chunks)
        assert all(np.isfinite(c.samples).all() for c in chunks)
        stamps.update(c.wall_ms for c in chunks)
    # Probes in one group tick together: far fewer distinct moments than chunks.
    assert len(stamps) <= 25 * SHARED_CLOCK_GROUPS + SHARED_CLOCK_GROUPS
    # Half a second of chunks took about half a second: the clock keeps real time.
    spans = [(items[-1].wall_ms - items[0].wall_ms) / 1000 for items in got]
    assert all(0.4 < span < 1.5 for span in spans)


def test_a_simulated_probe_with_dropouts_keeps_its_own_pacing() -> None:
    (items,) = _collect(["sim:healthy?dropout_at=0.1&dropout_s=0.1"], 10)
    gaps = [item for item in items if isinstance(item, Gap)]
    assert len(gaps) == 1 and gaps[0].first_index == 200 and gaps[0].missing == 200


@pytest.mark.parametrize(
    "error", [DeviceError("the session broke"), asyncio.CancelledError()], ids=["error", "cancel"]
)
def test_an_error_while_accepting_ends_that_probe_only(error: BaseException) -> None:
    async def run() -> tuple[BaseException | bool | None, int]:
        seen = 0

        def failing(item: Chunk | Gap) -> bool:
            raise error

        def counting(item: Chunk | Gap) -> bool:
            nonlocal seen
            seen += 1
            return seen < 10

        async with (
            open_device("sim:healthy?seed=1", chunk_s=0.02) as first,
            open_device("sim:healthy?seed=2", chunk_s=0.02) as second,
        ):
            results = await asyncio.wait_for(
                asyncio.gather(
                    first.serve(failing),  # type: ignore[attr-defined]
                    second.serve(counting),  # type: ignore[attr-defined]
                    return_exceptions=True,
                ),
                10,
            )
        assert SharedClock.of(2000.0, 40)._timer is None  # no probe left: the timer stops
        return results[0], seen

    raised, seen = asyncio.run(run())
    assert type(raised) is type(error)
    assert seen == 10


def test_the_clock_lets_go_of_its_event_loop_when_the_last_probe_leaves() -> None:
    async def run() -> None:
        async with open_device("sim:healthy?seed=3", chunk_s=0.02) as device:
            await device.serve(lambda item: False)  # type: ignore[attr-defined]
        assert SharedClock.of(2000.0, 40)._timer is None  # at once, not at the next tick

    loop = asyncio.new_event_loop()
    loop.run_until_complete(run())
    loop.close()
    gone = weakref.ref(loop)
    del loop
    gc.collect()
    assert gone() is None


def test_a_new_probe_gives_its_first_chunk_once_its_samples_exist() -> None:
    async def run() -> list[float]:
        waits: list[float] = []
        loop = asyncio.get_running_loop()
        async with open_device("sim:healthy?seed=6", chunk_s=0.02) as busy:
            keep = asyncio.create_task(busy.serve(lambda item: True))  # type: ignore[attr-defined]
            for seed in range(7, 12):
                await asyncio.sleep(0.007)  # join at odd moments of the running clock
                async with open_device(f"sim:healthy?seed={seed}", chunk_s=0.02) as device:
                    joined = loop.time()
                    first: list[float] = []

                    def accept(item: Chunk | Gap, first: list[float] = first) -> bool:
                        first.append(loop.time())
                        return False

                    await device.serve(accept)  # type: ignore[attr-defined]
                    waits.append(first[0] - joined)
            keep.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keep
        return waits

    waits = asyncio.run(run())
    assert all(0.0195 <= wait < 0.06 for wait in waits), waits


def test_a_send_cancelled_under_the_listener_ends_it() -> None:
    async def run() -> BaseException | None:
        stuck: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        async def send(message: Message) -> None:
            await stuck

        subscriber = Subscriber("envelope", send)
        subscriber.offer(b"frame")
        await asyncio.sleep(0)
        stuck.cancel()  # the server gave up on the socket
        return await asyncio.wait_for(subscriber.closed(), 5)

    assert isinstance(asyncio.run(run()), asyncio.CancelledError)
