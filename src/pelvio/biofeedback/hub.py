"""One hub per live session: device → signal pipeline → recorder and subscribers.

The hub owns the session's clock, which is the probe's sample clock: every time in a frame, an
annotation or a score counts samples, so a busy server never shifts a cue against the signal.
Lost samples are filled (and annotated as a dropout) to keep that clock honest.

Subscribers are browsers. Each gets its messages pushed straight to its socket, with a bounded
backlog when the socket pushes back: a slow subscriber loses its oldest frames, never slows the
probe or the other subscribers down, and never makes the recording lose a sample.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Self

import numpy as np
from numpy.typing import NDArray

from pelvio.biofeedback import scoring
from pelvio.biofeedback.devices import Chunk, Device, DeviceInfo, Gap
from pelvio.biofeedback.pipeline import LivePipeline, PipelineOutput
from pelvio.biofeedback.protocol import (
    ENVELOPE,
    FLAG_ACTIVE,
    FLAG_DROPOUT,
    RAW,
    encode_frame,
    pack_frame,
)
from pelvio.biofeedback.quality import signal_quality
from pelvio.biofeedback.recorder import Recorder
from pelvio.errors import DeviceError, PelvioError
from pelvio.signals.analysis import analyze
from pelvio.signals.annotations import (
    CONTRACTION,
    CUE_CONTRACT,
    CUE_RELAX,
    DROPOUT,
    Annotation,
)
from pelvio.signals.edf import Recording, read_edf, write_edf
from pelvio.training.model import Text

__all__ = ["Hub", "HubResult", "Mode", "RemoteDevice", "SessionPlan", "Subscriber"]

log = logging.getLogger(__name__)

Mode = Literal["guided", "relaxation", "assessment", "check"]
View = Literal["envelope", "raw"]
Message = bytes | str
Send = Callable[[Message], Coroutine[Any, Any, None]]
"""How a listener's messages go out: an ASGI WebSocket's ``send_bytes``/``send_text``."""

QUEUE_FRAMES: Final = 512
CHECK_SECONDS: Final = 5.0
LEVEL_EVERY_S: Final = 1.0
BATCH_WINDOW_S: Final = 0.003
"""How long a chunk waits for others before the pipeline runs: a few milliseconds of the
50 ms latency budget buy batches large enough to matter (docs/benchmarks.md)."""


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """What a session runs: its template and how it is scored.

    ``cues`` count seconds from the moment the user presses start. ``calibration`` gives the
    rest and squeeze windows (seconds from start) that set the template's scale in a guided
    session; ``baseline_s`` the stretch that sets the rest level of a relaxation session.
    ``phases`` are annotations (seconds from start) written into the recording, such as the
    Glazer phases.
    """

    session_id: str
    mode: Mode
    cues: tuple[scoring.TemplateCue, ...]
    cue_texts: tuple[str, ...]
    duration_s: float | None
    calibration: tuple[tuple[float, float], tuple[float, float]] | None = None
    scored_from: int = 0
    baseline_s: tuple[float, float] | None = None
    phases: tuple[Annotation, ...] = ()
    locale: Literal["nl", "en"] = "nl"
    strings: dict[str, str] = field(default_factory=dict)
    result_url: str = ""
    auto_start: bool = False


@dataclass(frozen=True, slots=True)
class HubResult:
    """How a session ended, for storage."""

    session_id: str
    status: Literal["finished", "stopped", "ended"]
    reason: str
    duration_s: float
    result: dict[str, Any]
    recording_path: str | None


class Subscriber:
    """One listener: frames and events for its view, pushed to ``send`` in order.

    A message goes out at once, inside the hub's own turn of the event loop, whenever the
    listener's socket takes it without waiting (:func:`_send_now`); that is nearly always, and
    it spares a task switch per frame, which with hundreds of streams is most of a core's work
    (docs/benchmarks.md). When a socket pushes back (a slow network, a tab in the background),
    one task finishes that send and works off a backlog of at most :data:`QUEUE_FRAMES`
    messages; beyond that the oldest are dropped. A slow listener so never delays the probe,
    the recording or the other listeners.
    """

    __slots__ = ("_backlog", "_done", "_ending", "_error", "_pusher", "_send", "dropped", "view")

    def __init__(self, view: View, send: Send) -> None:
        self.view: View = view
        self.dropped = 0
        self._send = send
        self._backlog: deque[Message] = deque()
        self._pusher: asyncio.Task[None] | None = None
        self._ending = False
        self._error: BaseException | None = None
        self._done = asyncio.get_running_loop().create_future()

    def offer(self, message: Message | None) -> None:
        """Send ``message`` now, or after the ones still waiting; ``None`` ends the stream."""
        if self._done.done() or self._ending:
            return
        if message is None:
            self._ending = True
            if self._pusher is None:
                self._finish(None)
            return
        if self._pusher is not None:
            if len(self._backlog) >= QUEUE_FRAMES:
                self._backlog.popleft()
                self.dropped += 1
            self._backlog.append(message)
            return
        try:
            rest = _send_now(self._send(message))
        except Exception as exc:  # the socket is gone: this listener has ended
            self._finish(exc)
            return
        if rest is not None:
            self._pusher = asyncio.ensure_future(self._push(rest))

    async def _push(self, rest: Awaitable[None]) -> None:
        try:
            await rest
            while self._backlog:
                await self._send(self._backlog.popleft())
        except Exception as exc:
            self._finish(exc)
            return
        except asyncio.CancelledError as exc:
            if self._pusher is not None:  # not our own cancel(): the send itself was cancelled
                self._finish(exc)
            raise
        self._pusher = None
        if self._ending:
            self._finish(None)

    def _finish(self, error: BaseException | None) -> None:
        self._backlog.clear()
        if not self._done.done():
            self._error = error
            self._done.set_result(None)

    async def closed(self) -> BaseException | None:
        """Until the hub has ended (everything sent) or the socket failed; that failure."""
        await asyncio.shield(self._done)
        return self._error

    def cancel(self) -> None:
        """Stop sending: the listener left."""
        if self._pusher is not None:
            self._pusher.cancel()
            self._pusher = None
        self._finish(None)


def _send_now(send: Coroutine[Any, Any, None]) -> Awaitable[None] | None:
    """Run ``send`` until it would wait: ``None`` when it finished, else what is left of it.

    An ASGI server's ``send`` writes to the socket's buffer and returns without waiting unless
    the socket pushes back; this runs that first step in the caller's turn, as Python 3.12's
    eager tasks do, and hands anything left to the event loop as an awaitable.
    """
    try:
        first = send.send(None)
    except StopIteration:
        return None
    return _Resumed(send, first)


class _Resumed:
    """The rest of a coroutine that already yielded ``first`` (see :func:`_send_now`)."""

    __slots__ = ("_coroutine", "_first")

    def __init__(self, coroutine: Coroutine[Any, Any, None], first: Any) -> None:
        self._coroutine = coroutine
        self._first = first

    def __await__(self) -> Generator[Any, Any, None]:
        coroutine, value = self._coroutine, self._first
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                coroutine.close()
                raise
            except BaseException as exc:  # a cancellation goes on into the coroutine
                try:
                    value = coroutine.throw(exc)
                except StopIteration:
                    return
                continue
            try:
                value = coroutine.send(sent)
            except StopIteration:
                return


class RemoteDevice:
    """A probe streaming in over the network (``pelvio connect``), fed by the ingest socket.

    The ingest socket hands each chunk straight to the hub (:meth:`feed`), without a queue or
    a task switch in between: with hundreds of remote probes on one server that hop costs more
    than the signal processing. A remote probe may drop its connection (Wi-Fi, a laptop lid);
    the session waits ``reconnect_s`` for it to come back, shows a dropout meanwhile, and ends
    cleanly if it does not.
    """

    def __init__(self, info: DeviceInfo, *, reconnect_s: float = 10.0) -> None:
        self.info = info
        self._reconnect_s = reconnect_s
        self._accept: Callable[[Chunk | Gap], bool] | None = None
        self._wake = asyncio.Event()
        self._connected = True
        self._finished = False

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def set_effort(self, effort: float) -> None:
        """A real probe has no keyboard."""

    def feed(self, item: Chunk | Gap | None) -> None:
        """Hand over what arrived; ``None`` means the connection closed."""
        accept = self._accept
        if accept is None or self._finished:
            return
        if item is None:
            self._connected = False
            accept(Gap(0, 0, "the remote probe disconnected", time.time() * 1000))
            self._wake.set()
            return
        reconnected, self._connected = not self._connected, True
        if not accept(item):
            self._finished = True
        if self._finished or reconnected:  # only news for serve(): no task switch per chunk
            self._wake.set()

    async def serve(self, accept: Callable[[Chunk | Gap], bool]) -> None:
        """Let the ingest socket feed ``accept`` until it says stop; DeviceError if the probe
        stays away longer than ``reconnect_s``."""
        self._accept = accept
        while not self._finished:
            self._wake.clear()
            if self._connected:
                await self._wake.wait()
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), self._reconnect_s)
            except TimeoutError:
                raise DeviceError(
                    f"probe disconnected: no data for {self._reconnect_s:g} s"
                ) from None

    async def stream(self) -> AsyncIterator[Chunk | Gap]:
        """Not used: the hub calls :meth:`serve` (see the class notes)."""
        return
        yield


class PipelineBatcher:
    """Runs the chunks that arrived in one turn of the event loop through the pipeline together.

    A chunk is recorded and counted at once; its filtering, envelope and frames wait at most
    :data:`BATCH_WINDOW_S` for the chunks of other streams, then every waiting stream goes
    through :meth:`LivePipeline.process_many` in one pass. With one stream that is the
    same as before; with hundreds it cuts the per-chunk overhead that limits a core
    (docs/benchmarks.md). A stream that has a chunk waiting and sends another goes in the next
    round, so each stream's chunks stay in order.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[Hub, Chunk, NDArray[np.float64], float, int]] = []
        self._scheduled = False

    def submit(self, hub: Hub, chunk: Chunk) -> None:
        """Record ``chunk`` for ``hub`` now; run its pipeline with the others soon."""
        samples, t_s, flags = hub._before(chunk)
        self._pending.append((hub, chunk, samples, t_s, flags))
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_later(BATCH_WINDOW_S, self.flush)

    def flush(self) -> None:
        """Run everything waiting, round by round."""
        self._scheduled = False
        while self._pending:
            pending, self._pending = self._pending, []
            rounds: list[list[tuple[Hub, Chunk, NDArray[np.float64], float, int]]] = []
            seen: list[set[int]] = []
            for item in pending:
                key = id(item[0])
                for batch, members in zip(rounds, seen, strict=True):
                    if key not in members:
                        batch.append(item)
                        members.add(key)
                        break
                else:
                    rounds.append([item])
                    seen.append({key})
            for batch in rounds:
                self._run(batch)

    @staticmethod
    def _run(batch: list[tuple[Hub, Chunk, NDArray[np.float64], float, int]]) -> None:
        groups: dict[
            tuple[float, int, int], list[tuple[Hub, Chunk, NDArray[np.float64], float, int]]
        ] = {}
        for item in batch:
            samples = item[2]
            groups.setdefault((item[0].rate_hz, *samples.shape), []).append(item)
        for items in groups.values():
            outs = LivePipeline.process_many(
                [item[0].pipeline for item in items], np.stack([item[2] for item in items])
            )
            for (hub, chunk, samples, t_s, flags), out in zip(items, outs, strict=True):
                try:
                    hub._after(chunk, samples, t_s, flags, out)
                except Exception:
                    log.exception("a biofeedback stream failed after its pipeline")


class Hub:
    """Runs one live session; see the module notes.

    Parameters
    ----------
    plan
        The session's template and scoring.
    device
        An opened device (the hub enters and leaves its context).
    recorder
        Where the raw signal goes, or ``None`` (a signal check is not recorded).
    on_finish
        Called once with the outcome, before the last event goes out.
    batcher
        Runs this stream's signal pipeline together with other streams' (see
        :class:`PipelineBatcher`); ``None`` runs it chunk by chunk.
    """

    def __init__(
        self,
        plan: SessionPlan,
        device: Device,
        *,
        recorder: Recorder | None,
        on_finish: Callable[[HubResult], Awaitable[None]] | None = None,
        batcher: PipelineBatcher | None = None,
    ) -> None:
        self.plan = plan
        self._batcher = batcher
        self.device = device
        self.info = device.info
        self.recorder = recorder
        self._on_finish = on_finish
        rate = self.info.sampling_rate_hz
        self.rate_hz = rate
        channels = len(self.info.labels)
        self.pipeline = LivePipeline(
            self.info.kind,
            rate,
            channels=min(channels, 2),
            display_rate_hz=_display_rate(rate),
            detect=False,
        )
        self._active_level = float("inf")
        self.subscribers: set[Subscriber] = set()
        self._raw_views = 0
        self.state: Literal["waiting", "running", "ended"] = "waiting"
        self.start_index: int | None = None
        self.samples = 0
        self._seq = {RAW: 0, ENVELOPE: 0}
        self._envelope: list[NDArray[np.float64]] = []
        self._abdominal: list[NDArray[np.float64]] = []
        self._check: list[NDArray[np.float64]] | None = [] if plan.mode == "check" else None
        self._cue_index = -1
        self._dropout_from: int | None = None
        self._calibration: scoring.Calibration | None = None
        self._scored: set[int] = set()
        self._score_due = sorted(
            _rest_after(plan.cues, i)
            for i, cue in enumerate(plan.cues)
            if i >= plan.scored_from and cue.is_squeeze
        )
        self._scores: list[dict[str, Any]] = []
        self._tracker: scoring.RestToneTracker | None = None
        self._next_level_s = 0.0
        self._untracked: list[NDArray[np.float64]] = []
        self._stop: str | None = None
        self._ended = asyncio.Event()

    # -- subscribers -----------------------------------------------------------------------
    def subscribe(self, view: View, send: Send) -> Subscriber:
        """A new listener that gets its messages through ``send``; the first is the hello
        document."""
        subscriber = Subscriber(view, send)
        subscriber.offer(json.dumps(self.hello(view)))
        if self._calibration is not None:
            subscriber.offer(json.dumps(self._calibration_event()))
        for score in self._scores:
            subscriber.offer(json.dumps(score))
        if self.state == "ended":
            subscriber.offer(None)
        else:
            self.subscribers.add(subscriber)
            self._raw_views += view == "raw"
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop sending to ``subscriber``."""
        subscriber.cancel()
        if subscriber in self.subscribers:
            self.subscribers.discard(subscriber)
            self._raw_views -= subscriber.view == "raw"

    def hello(self, view: View) -> dict[str, Any]:
        """The first message a listener gets: what it is looking at."""
        plan = self.plan
        return {
            "type": "hello",
            "session_id": plan.session_id,
            "mode": plan.mode,
            "kind": self.info.kind,
            "unit": "µV" if self.info.kind == "emg" else "cmH2O",
            "device": self.info.name,
            "sampling_rate_hz": self.rate_hz,
            "envelope_rate_hz": self.pipeline.display_rate_hz,
            "channels": len(self.info.labels),
            "labels": list(self.info.labels),
            "view": view,
            "state": self.state,
            "started": self.start_index is not None,
            "start_t_s": None if self.start_index is None else self.start_index / self.rate_hz,
            "t_s": self.samples / self.rate_hz,
            "duration_s": plan.duration_s,
            "cues": [
                {
                    "start_s": cue.start_s,
                    "end_s": cue.end_s,
                    "action": cue.action,
                    "target": cue.target,
                    "text": text,
                }
                for cue, text in zip(plan.cues, plan.cue_texts, strict=True)
            ],
            "strings": plan.strings,
        }

    def control(self, message: dict[str, Any]) -> None:
        """A message from a browser: ``key`` (Space on the simulated probe), ``start``, ``stop``."""
        kind = message.get("type")
        if kind == "key":
            self.device.set_effort(1.0 if message.get("down") else 0.0)
        elif kind == "start":
            self.start()
        elif kind == "stop" and self.state != "ended":
            self._stop = "stopped"

    def start(self) -> None:
        """Start the template now (the next sample is the session's second 0)."""
        if self.start_index is None and self.state == "waiting":
            self.start_index = self.samples
            self.state = "running"
            self._emit({"type": "started", "t_s": self.samples / self.rate_hz})
            if self.recorder is not None:
                self._annotate_plan()

    async def wait_ended(self) -> None:
        """Until the session has ended and its results are stored."""
        await self._ended.wait()

    # -- main loop -------------------------------------------------------------------------
    async def run(self) -> None:
        """Stream until the template ends, the user stops, or the probe goes away for good."""
        reason = "finished"
        status: Literal["finished", "stopped", "ended"] = "finished"
        try:
            async with self.device:
                if self.plan.auto_start:
                    self.start()
                serve = getattr(self.device, "serve", None)
                if serve is not None:  # pushes its chunks (remote and simulated probes)
                    await serve(self._accept)
                else:
                    async for item in self.device.stream():
                        if not self._accept(item):
                            break
                    else:
                        status, reason = "ended", "the recording ended"
                if self._stop is not None:
                    status, reason = "stopped", "stopped"
        except DeviceError as exc:
            status, reason = "ended", str(exc)
            self._emit({"type": "dropout", "t_s": self.samples / self.rate_hz, "reason": reason})
        except PelvioError as exc:
            status, reason = "ended", str(exc)
        except asyncio.CancelledError:
            self._close_recorder_now()
            raise
        await self._finish(status, reason)

    def _accept(self, item: Chunk | Gap) -> bool:
        """Take one item from the probe; False when the session should end."""
        batcher = self._batcher
        if isinstance(item, Gap) or batcher is None or item.first_index != self.samples:
            if batcher is not None:
                batcher.flush()  # keep this stream's order: earlier chunks first
            if isinstance(item, Gap):
                self._on_gap(item)
            else:
                self._on_chunk(item)
        else:
            batcher.submit(self, item)
        return self._stop is None and not self._done()

    def _done(self) -> bool:
        if self.start_index is None or self.plan.duration_s is None:
            return False
        return (self.samples - self.start_index) / self.rate_hz >= self.plan.duration_s

    def _on_chunk(self, chunk: Chunk) -> None:
        samples, t_s, flags = self._before(chunk)
        self._after(chunk, samples, t_s, flags, self.pipeline.process(samples))

    def _before(self, chunk: Chunk) -> tuple[NDArray[np.float64], float, int]:
        """Everything up to the signal pipeline: fill a gap, record, advance the clock."""
        missing = chunk.first_index - self.samples
        if missing > 0:
            self._fill(missing)
        samples = np.ascontiguousarray(chunk.samples[: len(self.info.labels)], dtype=np.float64)
        flags = 0
        if self._dropout_from is not None:
            self._end_dropout()
            flags |= FLAG_DROPOUT
        if self.recorder is not None:
            self.recorder.append(samples)
        t_s = self.samples / self.rate_hz
        self.samples += samples.shape[1]
        if self._check is not None:
            self._check.append(samples[0].copy())
        return samples[: self.pipeline.channels], t_s, flags

    def _after(
        self,
        chunk: Chunk,
        samples: NDArray[np.float64],
        t_s: float,
        flags: int,
        out: PipelineOutput,
    ) -> None:
        """Everything after the pipeline: keep the envelope, send the frames, run the template."""
        self._keep(out)
        if out.envelope.size and out.envelope[-1] > self._active_level:
            flags |= FLAG_ACTIVE
        if self._raw_views:
            self._send("raw", RAW, t_s, chunk.wall_ms, self.rate_hz, samples, flags)
        if out.envelope.size:
            self._send(
                "envelope",
                ENVELOPE,
                out.envelope_t_s,
                chunk.wall_ms,
                self.pipeline.display_rate_hz,
                out.envelope,
                flags,
            )
        self._advance()

    def _on_gap(self, gap: Gap) -> None:
        if self._dropout_from is None:
            self._dropout_from = self.samples
            self._emit(
                {"type": "dropout", "t_s": self.samples / self.rate_hz, "reason": gap.reason}
            )
        if gap.missing > 0:
            self._fill(gap.missing)

    def _fill(self, missing: int) -> None:
        if self._dropout_from is None:
            self._dropout_from = self.samples
            self._emit(
                {
                    "type": "dropout",
                    "t_s": self.samples / self.rate_hz,
                    "reason": f"{missing} samples lost",
                }
            )
        if self.recorder is not None:
            self.recorder.append_gap(missing)
        self.samples += missing
        self._keep(self.pipeline.gap(missing))

    def _end_dropout(self) -> None:
        start = self._dropout_from
        assert start is not None
        self._dropout_from = None
        t_s = self.samples / self.rate_hz
        if self.recorder is not None:
            self.recorder.annotate(
                Annotation(start / self.rate_hz, max(0.0, t_s - start / self.rate_hz), DROPOUT)
            )
        self._emit({"type": "reconnected", "t_s": t_s, "lost_s": t_s - start / self.rate_hz})

    def _keep(self, out: PipelineOutput) -> None:
        self._envelope.append(out.envelope)
        if self._tracker is not None:
            self._untracked.append(out.envelope)
        if out.abdominal is not None:
            self._abdominal.append(out.abdominal)

    def _send(
        self,
        view: View,
        kind: int,
        t_s: float,
        wall_ms: float,
        rate_hz: float,
        samples: NDArray[np.float64],
        flags: int,
    ) -> None:
        data = samples.astype("<f4").reshape(-1, samples.shape[-1])
        # What the recorder took is checked (finite, in range), and so is all that comes of it.
        encode = pack_frame if self.recorder is not None else encode_frame
        frame = encode(kind, self._seq[kind], t_s, wall_ms, rate_hz, data, flags)
        self._seq[kind] += 1
        for subscriber in self.subscribers:
            if subscriber.view == view:
                subscriber.offer(frame)

    def _emit(self, event: dict[str, Any]) -> None:
        text = json.dumps(event)
        for subscriber in self.subscribers:
            subscriber.offer(text)

    # -- the template ----------------------------------------------------------------------
    def _session_s(self) -> float | None:
        if self.start_index is None:
            return None
        return (self.samples - self.start_index) / self.rate_hz

    def _advance(self) -> None:
        now = self._session_s()
        if now is None:
            if self.plan.mode == "check":
                self._check_quality()
            return
        cues = self.plan.cues
        index = self._cue_index
        while index + 1 < len(cues) and cues[index + 1].start_s <= now:
            index += 1
        if index != self._cue_index:
            self._cue_index = index
            self._emit(
                {"type": "cue", "index": index, "t_s": self._to_device_s(cues[index].start_s)}
            )
        self._calibrate(now)
        self._score(now)
        self._level(now)
        if self.plan.mode == "check":
            self._check_quality()

    def _to_device_s(self, session_s: float) -> float:
        assert self.start_index is not None
        return self.start_index / self.rate_hz + session_s

    def _annotate_plan(self) -> None:
        assert self.recorder is not None
        for cue in self.plan.cues:
            text = CUE_CONTRACT if cue.is_squeeze else CUE_RELAX
            self.recorder.annotate(
                Annotation(self._to_device_s(cue.start_s), cue.end_s - cue.start_s, text)
            )
        for phase in self.plan.phases:
            self.recorder.annotate(
                Annotation(self._to_device_s(phase.onset_s), phase.duration_s, phase.text)
            )

    def _envelope_so_far(self) -> NDArray[np.float64]:
        return _joined(self._envelope)

    def _abdominal_so_far(self) -> NDArray[np.float64] | None:
        return _joined(self._abdominal) if self._abdominal else None

    def _device_cues(self) -> tuple[scoring.TemplateCue, ...]:
        return tuple(
            scoring.TemplateCue(
                self._to_device_s(c.start_s), self._to_device_s(c.end_s), c.action, c.target
            )
            for c in self.plan.cues
        )

    def _calibrate(self, now: float) -> None:
        plan = self.plan
        if self._calibration is not None:
            return
        if plan.calibration is not None:
            rest, squeeze = plan.calibration
            if now < squeeze[1] + 0.3:
                return
            try:
                self._calibration = scoring.calibrate(
                    self._envelope_so_far(),
                    self.pipeline.display_rate_hz,
                    rest=(self._to_device_s(rest[0]), self._to_device_s(rest[1])),
                    squeeze=(self._to_device_s(squeeze[0]), self._to_device_s(squeeze[1])),
                )
            except PelvioError as exc:
                self._emit({"type": "notice", "text": str(exc)})
                self._calibration = _fallback_calibration(
                    self._envelope_so_far(), self.pipeline.display_rate_hz
                )
            self._emit(self._calibration_event())
        elif plan.baseline_s is not None and now >= plan.baseline_s[1]:
            rate = self.pipeline.display_rate_hz
            start = round(self._to_device_s(plan.baseline_s[0]) * rate)
            end = round(self._to_device_s(plan.baseline_s[1]) * rate)
            stretch = self._envelope_so_far()[start:end]
            baseline = float(np.median(stretch)) if stretch.size else 0.0
            self._calibration = scoring.Calibration(baseline, max(baseline * 3.0, baseline + 1.0))
            self._tracker = scoring.RestToneTracker(rate)
            self._emit(self._calibration_event())

    def _calibration_event(self) -> dict[str, Any]:
        assert self._calibration is not None
        baseline, top = self._calibration.baseline_uv, self._calibration.max_uv
        self._active_level = baseline + 0.5 * (top - baseline)
        return {
            "type": "calibration",
            "baseline_uv": self._calibration.baseline_uv,
            "max_uv": self._calibration.max_uv if self.plan.mode != "relaxation" else None,
        }

    def _score(self, now: float) -> None:
        """Send the score of each squeeze once its rest is over (scores never change later)."""
        if self.plan.mode != "guided" or self._calibration is None:
            return
        if bisect.bisect_right(self._score_due, now) <= len(self._scored):
            return
        for item in self._guided_score().to_dict()["contractions"]:
            if item["index"] in self._scored:
                continue
            self._scored.add(item["index"])
            event = {"type": "score", "number": len(self._scored), **item}
            self._scores.append(event)
            self._emit(event)

    def _guided_score(self) -> scoring.GuidedScore:
        cues = self._device_cues()[self.plan.scored_from :]
        assert self._calibration is not None
        return scoring.score_guided(
            cues,
            self._envelope_so_far(),
            self.pipeline.display_rate_hz,
            self._calibration,
            abdominal_uv=self._abdominal_so_far(),
        )

    def _level(self, now: float) -> None:
        """Relaxation: the current rest tone against the session's own baseline, once a second."""
        if self._tracker is None or self._calibration is None or now < self._next_level_s:
            return
        fresh = np.concatenate(self._untracked) if self._untracked else np.zeros(0)
        self._untracked = []
        level = self._tracker.update(fresh)
        self._next_level_s = now + LEVEL_EVERY_S
        baseline = self._calibration.baseline_uv
        change = None
        if level.mean_uv is not None and baseline > 0:
            change = (level.mean_uv - baseline) / baseline * 100
        self._emit(
            {
                "type": "level",
                "rest_uv": level.mean_uv,
                "variability_pct": level.variability_pct,
                "vs_baseline_pct": change,
            }
        )

    def _check_quality(self) -> None:
        """Probe setup: after a few seconds of signal, judge hum, clipping and flat line."""
        if self._check is None:
            return
        needed = round(CHECK_SECONDS * self.rate_hz)
        if sum(part.size for part in self._check) < needed:
            return
        raw = np.concatenate(self._check)[-needed:]
        self._check = None
        try:
            quality = signal_quality(raw, self.rate_hz, self.info.kind)
            self._emit({"type": "quality", **quality.to_dict()})
        except PelvioError as exc:
            self._emit({"type": "quality", "verdict": "bad", "checks": [], "error": str(exc)})

    # -- the end ---------------------------------------------------------------------------
    def _close_recorder_now(self) -> None:
        if self.recorder is not None:
            with contextlib.suppress(PelvioError, OSError):
                self.recorder.close()

    async def _finish(self, status: Literal["finished", "stopped", "ended"], reason: str) -> None:
        if self._batcher is not None:
            self._batcher.flush()
        self.state = "ended"
        if self._dropout_from is not None:
            self._end_dropout()
        path = None
        if self.recorder is not None:
            recorder = self.recorder
            path = str(await asyncio.to_thread(recorder.close))
        result = await asyncio.to_thread(self._result, path)
        duration_s = (
            0.0 if self.start_index is None else (self.samples - self.start_index) / self.rate_hz
        )
        outcome = HubResult(self.plan.session_id, status, reason, duration_s, result, path)
        if self._on_finish is not None:
            try:
                await self._on_finish(outcome)
            except Exception:
                log.exception("storing the result of a biofeedback session failed")
        self._emit(
            {
                "type": "ended",
                "status": status,
                "reason": reason,
                "summary": result.get("summary"),
                "url": self.plan.result_url,
            }
        )
        for subscriber in self.subscribers:
            subscriber.offer(None)
        self.subscribers.clear()
        self._raw_views = 0
        self._ended.set()

    def _result(self, path: str | None) -> dict[str, Any]:
        """The stored outcome. Contractions come from ``pelvio analyze`` on the recording itself
        (the live detector only sees the past; the offline one the whole recording), so a
        session and its EDF+ file always agree."""
        mode = self.plan.mode
        locale = self.plan.locale
        result: dict[str, Any] = {}
        if path is not None:
            recording = read_edf(path)
            analysis = analyze(
                recording.signal,
                recording.sampling_rate_hz,
                recording.annotations,
                kind=recording.kind,
                channel=recording.channel,
            ).to_dict()
            result["detected"] = analysis["contractions"]
            _annotate_contractions(path, recording, analysis["contractions"])
            if mode == "assessment":
                result["analysis"] = analysis
        if mode == "guided" and self._calibration is not None:
            score = self._guided_score()
            result.update(score.to_dict())
            result["summary"] = _summary(score.summary, locale)
        elif (
            mode == "relaxation" and self._calibration is not None and self.start_index is not None
        ):
            rate = self.pipeline.display_rate_hz
            start = round(self.start_index / self.rate_hz * rate)
            summary = scoring.relaxation_summary(
                self._envelope_so_far()[start:], rate, self._calibration.baseline_uv
            )
            result.update(summary.to_dict())
            result["summary"] = _summary(summary.summary, locale)
        return result


def _annotate_contractions(path: str, first: Recording, contractions: list[dict[str, Any]]) -> None:
    """Rewrite the recording with a ``contraction`` annotation for each contraction found.

    The samples are read back from the file itself (``first`` is its first channel, already
    read), so they are written again exactly as they were (same 16-bit values), and
    ``pelvio analyze`` finds the same contractions afterwards.
    """
    annotations = first.annotations
    channels = [
        first if c.label == first.channel else read_edf(path, channel=c.label)
        for c in first.channels
    ]
    marks = tuple(
        Annotation(c["onset_s"], c["offset_s"] - c["onset_s"], CONTRACTION) for c in contractions
    )
    write_edf(
        path,
        [c.signal for c in channels],
        first.sampling_rate_hz,
        (*annotations, *marks),
        unit=[c.unit for c in channels],
        labels=[c.channel for c in channels],
    )


def _summary(text: Text, locale: Literal["nl", "en"]) -> dict[str, str]:
    return {"text": text.get(locale), "nl": text.nl, "en": text.en}


def _joined(pieces: list[NDArray[np.float64]]) -> NDArray[np.float64]:
    """The pieces as one array, kept joined in place so the next call only adds the new ones."""
    if len(pieces) > 1:
        pieces[:] = [np.concatenate(pieces)]
    return pieces[0] if pieces else np.zeros(0)


def _rest_after(cues: Sequence[scoring.TemplateCue], index: int) -> float:
    """When the rest after contract cue ``index`` ends (scores wait for the release)."""
    following = index + 1
    if following < len(cues) and not cues[following].is_squeeze:
        return cues[following].end_s
    return cues[index].end_s


def _fallback_calibration(envelope: NDArray[np.float64], rate: float) -> scoring.Calibration:
    """When no squeeze was seen: the rest level, and a template scaled to three times it."""
    stretch = envelope[-round(5 * rate) :] if envelope.size else np.ones(1)
    baseline = float(np.median(stretch))
    return scoring.Calibration(baseline, max(3.0 * baseline, baseline + 1.0))


def _display_rate(rate_hz: float) -> float:
    """The probe rate divided by a whole number, as close to 100 Hz as possible from above."""
    return rate_hz / max(1, int(rate_hz // 100))
