"""The running sessions of one server process, their plans, and recovery after a crash.

:class:`LiveSessions` starts a :class:`~pelvio.biofeedback.hub.Hub` per session as an asyncio
task, stores the outcome when it ends, and at start-up rebuilds the recordings that a killed
server left as sidecars (:func:`pelvio.biofeedback.recorder.recover`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from sqlalchemy.orm import Session

from pelvio.biofeedback import service
from pelvio.biofeedback.devices import Device
from pelvio.biofeedback.hub import Hub, HubResult, PipelineBatcher, SessionPlan
from pelvio.biofeedback.recorder import Recorder, RecordingHeader, edf_path, recover
from pelvio.biofeedback.scoring import TemplateCue, cues_from_timeline
from pelvio.db import utcnow
from pelvio.signals.annotations import Annotation
from pelvio.signals.simulate import GLAZER_PROTOCOL
from pelvio.training.model import Locale, Text
from pelvio.training.timeline import build_timeline

__all__ = [
    "CALIBRATION",
    "LiveSessions",
    "assessment_plan",
    "check_plan",
    "guided_plan",
    "live_sessions",
    "relaxation_plan",
]

log = logging.getLogger(__name__)

CALIBRATION: Final = (
    TemplateCue(0.0, 5.0, "rest", 0.0),
    TemplateCue(5.0, 8.0, "contract", 1.0),
    TemplateCue(8.0, 13.0, "rest", 0.0),
)
"""Before a guided session: 5 s rest (the baseline), one squeeze as hard as you can for 3 s (the
top of the template), 5 s rest. Pelvio's own choice: the template is set per session because
electrode contact and probe position change the µV from day to day (clinical.md §6: amplitudes
are device- and placement-dependent)."""
_CALIBRATION_TEXT: Final = (
    Text("Ontspan: we meten je rustniveau", "Relax: we measure your resting level"),
    Text("Knijp zo hard als je kunt", "Squeeze as hard as you can"),
    Text("Laat los en ontspan", "Let go and relax"),
)
RELAXATION_BASELINE_S: Final = (0.0, 20.0)
RELAXATION_DURATION_S: Final = 180.0
_RELAX_TEXT: Final = (
    Text(
        "Lig of zit gemakkelijk. Adem rustig; we meten je rustniveau.",
        "Lie or sit comfortably. Breathe calmly; we measure your resting level.",
    ),
    Text(
        "Laat je bekkenbodem steeds verder los. Adem rustig door je buik.",
        "Let your pelvic floor go a little more each time. Breathe calmly into your belly.",
    ),
)
_GLAZER_TEXT: Final = {
    "contract": Text("Knijp en houd vast", "Squeeze and hold"),
    "quick": Text("Knijp snel en laat meteen los", "Squeeze quickly and let go at once"),
    "relax": Text("Ontspan", "Relax"),
    "rest": Text("Rust", "Rest"),
}


def guided_plan(
    session_id: str,
    programme_id: str,
    level: int,
    locale: Locale,
    *,
    speed: int = 1,
    strings: dict[str, str] | None = None,
    result_url: str = "",
) -> SessionPlan:
    """A programme level with the calibration in front; ``speed`` > 1 shortens it (tests only)."""
    timeline = build_timeline(programme_id, level)
    offset = CALIBRATION[-1].end_s
    cues = list(CALIBRATION) + [
        TemplateCue(c.start_s + offset, c.end_s + offset, c.action, c.target)
        for c in cues_from_timeline(timeline)
    ]
    texts = [t.get(locale) for t in _CALIBRATION_TEXT] + [c.text_in(locale) for c in timeline.cues]
    return _scaled(
        SessionPlan(
            session_id,
            "guided",
            tuple(cues),
            tuple(texts),
            cues[-1].end_s,
            calibration=((0.5, 5.0), (5.0, 8.0)),
            scored_from=len(CALIBRATION),
            locale=locale,
            strings=strings or {},
            result_url=result_url,
        ),
        speed,
        keep=len(CALIBRATION),
    )


def relaxation_plan(
    session_id: str,
    locale: Locale,
    *,
    duration_s: float = RELAXATION_DURATION_S,
    speed: int = 1,
    strings: dict[str, str] | None = None,
    result_url: str = "",
) -> SessionPlan:
    """Down-training: a rest baseline, then a long relax cue against it."""
    start, end = RELAXATION_BASELINE_S
    cues = (TemplateCue(start, end, "rest", 0.0), TemplateCue(end, end + duration_s, "relax", 0.0))
    return _scaled(
        SessionPlan(
            session_id,
            "relaxation",
            cues,
            tuple(t.get(locale) for t in _RELAX_TEXT),
            end + duration_s,
            baseline_s=(start, end),
            locale=locale,
            strings=strings or {},
            result_url=result_url,
        ),
        speed,
    )


def assessment_plan(
    session_id: str,
    locale: Locale,
    *,
    speed: int = 1,
    strings: dict[str, str] | None = None,
    result_url: str = "",
) -> SessionPlan:
    """The Glazer protocol with its phases annotated, as ``pelvio analyze`` reads them."""
    cues: list[TemplateCue] = []
    texts: list[str] = []
    phases: list[Annotation] = []
    t = 0.0
    for phase, steps in GLAZER_PROTOCOL:
        phase_start = t
        for step in steps:
            action = step.action
            cues.append(TemplateCue(t, t + step.duration_s, action, step.target))
            texts.append(_GLAZER_TEXT.get(step.action, _GLAZER_TEXT["rest"]).get(locale))
            t += step.duration_s
        phases.append(Annotation(phase_start, t - phase_start, phase))
    return _scaled(
        SessionPlan(
            session_id,
            "assessment",
            tuple(cues),
            tuple(texts),
            t,
            phases=tuple(phases),
            locale=locale,
            strings=strings or {},
            result_url=result_url,
        ),
        speed,
    )


def check_plan(
    session_id: str, locale: Locale, *, strings: dict[str, str] | None = None
) -> SessionPlan:
    """The probe setup check: stream, judge the first seconds, no recording."""
    return SessionPlan(
        session_id,
        "check",
        (),
        (),
        None,
        locale=locale,
        strings=strings or {},
        auto_start=True,
    )


def _scaled(plan: SessionPlan, speed: int, *, keep: int = 0) -> SessionPlan:
    """The plan run ``speed`` times faster, except its first ``keep`` cues (the calibration,
    which needs real seconds of rest and squeeze to measure anything)."""
    if speed <= 1:
        return plan
    kept_s = plan.cues[keep - 1].end_s if keep else 0.0

    def s(t: float) -> float:
        return t if t <= kept_s else kept_s + (t - kept_s) / speed

    def span(pair: tuple[float, float]) -> tuple[float, float]:
        return (s(pair[0]), s(pair[1]))

    return SessionPlan(
        plan.session_id,
        plan.mode,
        tuple(TemplateCue(s(c.start_s), s(c.end_s), c.action, c.target) for c in plan.cues),
        plan.cue_texts,
        None if plan.duration_s is None else s(plan.duration_s),
        calibration=None
        if plan.calibration is None
        else (span(plan.calibration[0]), span(plan.calibration[1])),
        scored_from=plan.scored_from,
        baseline_s=None if plan.baseline_s is None else span(plan.baseline_s),
        phases=tuple(
            Annotation(s(p.onset_s), s(p.onset_s + p.duration_s) - s(p.onset_s), p.text)
            for p in plan.phases
        ),
        locale=plan.locale,
        strings=plan.strings,
        result_url=plan.result_url,
        auto_start=plan.auto_start,
    )


class LiveSessions:
    """The hubs of this process, by session id."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        recordings_dir: Path,
    ) -> None:
        self._session_factory = session_factory
        self.recordings_dir = recordings_dir
        self.hubs: dict[str, Hub] = {}
        self.batcher = PipelineBatcher()
        self.pending: dict[str, tuple[SessionPlan, str]] = {}
        """Sessions waiting for their remote probe: plan and recording id."""
        self._tasks: set[asyncio.Task[None]] = set()

    def recover(self) -> list[str]:
        """Rebuild recordings left by a killed server; mark their sessions ``recovered``."""
        self.recordings_dir.mkdir(parents=True, exist_ok=True)
        started = utcnow()
        recovered = []
        with self._session_factory() as db:
            for item in recover(self.recordings_dir):
                service.mark_recovered(
                    db, recording_id=item.recording_id, duration_s=item.duration_s
                )
                recovered.append(item.recording_id)
            service.interrupt_live_sessions(db, before=started)
        return recovered

    def get(self, session_id: str) -> Hub | None:
        """The running hub of ``session_id`` in this process, if any."""
        return self.hubs.get(session_id)

    def start(
        self,
        plan: SessionPlan,
        device: Device,
        *,
        recording_id: str | None,
    ) -> Hub:
        """Start streaming ``plan`` from ``device``; recorded unless ``recording_id`` is None."""
        recorder = None
        if recording_id is not None:
            self.recordings_dir.mkdir(parents=True, exist_ok=True)
            info = device.info
            recorder = Recorder(
                self.recordings_dir,
                RecordingHeader(
                    recording_id,
                    info.sampling_rate_hz,
                    info.labels,
                    info.units,
                    dt.datetime.now(dt.UTC),
                ),
            )
        store = self._store if recording_id is not None else None
        hub = Hub(
            plan,
            device,
            recorder=recorder,
            on_finish=store,
            batcher=self.batcher,
        )
        self.hubs[plan.session_id] = hub
        task = asyncio.get_running_loop().create_task(self._run(hub))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return hub

    async def _run(self, hub: Hub) -> None:
        try:
            await hub.run()
        except Exception:
            log.exception("a biofeedback session failed")
        finally:
            # Keep the ended hub a little so a page that reconnects still gets the summary.
            await asyncio.sleep(0)
            loop = asyncio.get_running_loop()
            loop.call_later(60.0, self.hubs.pop, hub.plan.session_id, None)

    async def _store(self, outcome: HubResult) -> None:
        def write() -> None:
            with self._session_factory() as db:
                service.finish_session(
                    db,
                    public_id=outcome.session_id,
                    status=outcome.status,
                    duration_s=outcome.duration_s,
                    result={**outcome.result, "reason": outcome.reason},
                )

        await asyncio.to_thread(write)

    async def stop_all(self) -> None:
        """At shutdown: end every session cleanly (recordings are written)."""
        for hub in list(self.hubs.values()):
            hub.control({"type": "stop"})
        tasks = list(self._tasks)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=10.0)
            for task in pending:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    def recording_path(self, recording_id: str) -> Path:
        """Where the EDF+ of ``recording_id`` is (or will be)."""
        return edf_path(self.recordings_dir, recording_id)


def live_sessions(app: Any) -> LiveSessions:
    """The running sessions of ``app`` (a FastAPI app), created on first use."""
    live: LiveSessions | None = getattr(app.state, "biofeedback", None)
    if live is None:
        live = LiveSessions(
            app.state.session_factory, Path(app.state.settings.data_dir) / "recordings"
        )
        app.state.biofeedback = live
    return live
