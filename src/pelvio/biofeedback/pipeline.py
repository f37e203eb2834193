"""The live signal path of one probe: raw chunks in, display envelope and contractions out.

EMG: band-pass and mains notch (:class:`~pelvio.signals.EmgFilter`), trailing moving RMS
(:class:`~pelvio.signals.StreamingEnvelope`, 100 ms), contraction detection
(:class:`~pelvio.signals.StreamingDetector`), and the envelope averaged down to the display
rate. Pressure: smoothed by :class:`~pelvio.signals.PressureFilter` (no drift high-pass, so the
patient sees the real resting pressure) and detected the same way, as clinical.md §7 asks.

The pipeline is chunk-invariant: cutting the stream differently gives the same display samples
and contractions, because every stage is (see the signal core's tests). It holds no more than
a few hundred milliseconds of signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, cast

import numpy as np
from numpy.typing import NDArray

from pelvio._check import check_option, check_range, check_sampling_rate
from pelvio.errors import InputError
from pelvio.signals.contractions import Contraction, StreamingDetector
from pelvio.signals.envelope import StreamingEnvelope
from pelvio.signals.filters import EmgFilter, PressureFilter

__all__ = ["DEFAULT_DISPLAY_RATE_HZ", "LivePipeline", "PipelineOutput"]

SignalKind = Literal["emg", "pressure"]

DEFAULT_DISPLAY_RATE_HZ: Final = 100.0
"""Envelope samples per second sent to the patient's curve (the issue asks for at least 50)."""

ENVELOPE_WINDOW_S: Final = 0.1


@dataclass(slots=True)
class PipelineOutput:
    """What one chunk produced.

    ``envelope`` is channel 0's display envelope (µV or cmH2O) at ``display_rate_hz``;
    ``envelope_t_s`` is the time of its first sample; ``abdominal`` holds the same for channel
    1 when there is one. ``contractions`` are those completed in this chunk. (Not frozen: one
    is made per chunk of every stream, and a frozen dataclass takes three times as long.)
    """

    envelope: NDArray[np.float64]
    envelope_t_s: float
    abdominal: NDArray[np.float64] | None
    contractions: list[Contraction] = field(default_factory=list)
    active: bool = False


class _Decimator:
    """Block means of ``step`` samples, carrying the remainder between chunks."""

    __slots__ = ("_carry", "_emitted", "_step")

    def __init__(self, step: int) -> None:
        self._step = step
        self._carry = np.zeros(0)
        self._emitted = 0

    def process(self, x: NDArray[np.float64]) -> tuple[int, NDArray[np.float64]]:
        """The index of the first output sample and the new output samples."""
        first = self._emitted
        if self._carry.size:
            x = np.concatenate((self._carry, x))
        whole = x.size // self._step
        out = x[: whole * self._step].reshape(whole, self._step).mean(axis=1)
        self._carry = x[whole * self._step :].copy()
        self._emitted += whole
        return first, out


class _Channel:
    """Filter and envelope of one channel."""

    __slots__ = ("_envelope", "_filter", "_kind")

    def __init__(self, kind: SignalKind, rate: float, mains_hz: float | None) -> None:
        self._kind = kind
        self._filter: EmgFilter | PressureFilter
        if kind == "emg":
            self._filter = EmgFilter(rate, mains_hz=mains_hz)
            self._envelope: StreamingEnvelope | None = StreamingEnvelope(
                rate, window_s=ENVELOPE_WINDOW_S
            )
        else:
            self._filter = PressureFilter(rate)
            self._envelope = None

    def process(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        cleaned = self._filter.process(x)
        return cleaned if self._envelope is None else self._envelope.process(cleaned)


def _batch_channel(channels: Sequence[_Channel], x: NDArray[np.float64]) -> NDArray[np.float64]:
    filters = [c._filter for c in channels]
    envelopes = [c._envelope for c in channels]
    cleaned = EmgFilter.process_many(cast("list[EmgFilter]", filters), x)
    return StreamingEnvelope.process_many(cast("list[StreamingEnvelope]", envelopes), cleaned)


def _batch_decimate(
    decimators: Sequence[_Decimator], x: NDArray[np.float64]
) -> tuple[list[int], NDArray[np.float64]]:
    step = decimators[0]._step
    n = x.shape[1]
    if n % step or any(d._carry.size or d._step != step for d in decimators):
        pairs = [d.process(row) for d, row in zip(decimators, x, strict=True)]
        return [first for first, _ in pairs], np.stack([out for _, out in pairs])
    firsts = [d._emitted for d in decimators]
    for d in decimators:
        d._emitted += n // step
    return firsts, x.reshape(x.shape[0], n // step, step).mean(axis=2)


class LivePipeline:
    """Signal processing for one live stream.

    Parameters
    ----------
    kind
        ``"emg"`` (µV) or ``"pressure"`` (cmH2O) on channel 0.
    sampling_rate_hz
        The probe's rate. EMG needs at least 1 kHz (the 20–450 Hz band, clinical.md §6).
    channels
        1, or 2 when channel 1 is an abdominal EMG channel (co-contraction).
    display_rate_hz
        Envelope samples per second for the curve; the probe rate must be a whole multiple.
    mains_hz
        Mains frequency to notch (50 in Europe), or ``None``.
    baseline_uv
        A known rest level for the detector; otherwise it calibrates on the first 5 s.
    detect
        Run the live contraction detector. A server with many streams leaves it off: a
        session's contractions come from ``pelvio analyze`` on its recording, and the curve
        needs only the envelope.
    """

    __slots__ = (
        "_abdominal",
        "_channels",
        "_decimators",
        "_detector",
        "_main",
        "display_rate_hz",
        "kind",
        "sampling_rate_hz",
    )

    def __init__(
        self,
        kind: SignalKind,
        sampling_rate_hz: float,
        *,
        channels: int = 1,
        display_rate_hz: float = DEFAULT_DISPLAY_RATE_HZ,
        mains_hz: float | None = 50.0,
        baseline_uv: float | None = None,
        detect: bool = True,
    ) -> None:
        self.kind: SignalKind = check_option("kind", kind, ("emg", "pressure"))
        rate = check_sampling_rate(sampling_rate_hz)
        self.sampling_rate_hz = rate
        self._channels = int(check_range("channels", channels, low=1, high=2))
        display = check_range("display_rate_hz", display_rate_hz, low=1.0, high=rate, unit="Hz")
        step = rate / display
        if abs(step - round(step)) > 1e-9:
            raise InputError(
                f"the probe rate ({rate:g} Hz) must be a whole multiple of the display rate "
                f"({display:g} Hz)",
                field="display_rate_hz",
            )
        self.display_rate_hz = display
        self._main = _Channel(self.kind, rate, mains_hz)
        self._abdominal = _Channel("emg", rate, mains_hz) if self._channels == 2 else None
        self._decimators = [_Decimator(round(step)) for _ in range(self._channels)]
        self._detector = (
            StreamingDetector(
                rate,
                baseline_uv=baseline_uv,
                envelope_window_s=ENVELOPE_WINDOW_S if self.kind == "emg" else 0.0,
            )
            if detect
            else None
        )

    @property
    def channels(self) -> int:
        """Number of input channels."""
        return self._channels

    @property
    def baseline_uv(self) -> float | None:
        """The detector's rest level, once calibrated (``None`` without a detector)."""
        return None if self._detector is None else self._detector.baseline_uv

    def process(self, samples: NDArray[np.float64]) -> PipelineOutput:
        """Run one chunk of shape ``(channels, n)`` (physical units) through the pipeline."""
        data = np.asarray(samples, dtype=np.float64)
        if data.ndim != 2 or data.shape[0] != self._channels:
            raise InputError(
                f"expected samples of shape ({self._channels}, n), got {data.shape}",
                field="samples",
            )
        envelope = self._main.process(data[0])
        detector = self._detector
        contractions = [] if detector is None else detector.process(envelope)
        first, display = self._decimators[0].process(envelope)
        abdominal = None
        if self._abdominal is not None:
            _, abdominal = self._decimators[1].process(self._abdominal.process(data[1]))
        return PipelineOutput(
            display,
            first / self.display_rate_hz,
            abdominal,
            contractions,
            detector is not None and detector.active,
        )

    @staticmethod
    def process_many(
        pipelines: Sequence[LivePipeline], data: NDArray[np.float64]
    ) -> list[PipelineOutput]:
        """One chunk for each of several streams (``data`` shape ``(k, channels, n)``).

        The same outputs as calling :meth:`process` per stream, in one vectorised pass when
        the streams match (EMG, same rate, channels and display rate, no live detector) and
        one by one otherwise. A server runs the chunks that arrived in one turn of its event
        loop through here together: per-chunk overhead, not arithmetic, is what limits how many
        streams one core keeps (docs/benchmarks.md).
        """
        if not pipelines:
            return []
        first = pipelines[0]
        if len(pipelines) == 1 or any(
            p.kind != "emg"
            or p._detector is not None
            or p._channels != first._channels
            or p.sampling_rate_hz != first.sampling_rate_hz
            or p.display_rate_hz != first.display_rate_hz
            for p in pipelines
        ):
            return [p.process(d) for p, d in zip(pipelines, data, strict=True)]
        x = np.asarray(data, dtype=np.float64)
        envelopes = [_batch_channel([p._main for p in pipelines], x[:, 0, :])]
        if first._channels == 2:
            envelopes.append(
                _batch_channel([p._abdominal for p in pipelines if p._abdominal], x[:, 1, :])
            )
        displays = [
            _batch_decimate([p._decimators[c] for p in pipelines], env)
            for c, env in enumerate(envelopes)
        ]
        return [
            PipelineOutput(
                displays[0][1][i],
                displays[0][0][i] / p.display_rate_hz,
                displays[1][1][i] if len(displays) == 2 else None,
            )
            for i, p in enumerate(pipelines)
        ]

    def gap(self, missing: int) -> PipelineOutput:
        """Bridge ``missing`` lost samples with the last rest level so timing stays right."""
        fill = np.zeros((self._channels, missing))
        if self.kind == "pressure" and self.baseline_uv is not None:
            fill[0] = self.baseline_uv
        return self.process(fill)

    def flush(self) -> list[Contraction]:
        """At the end: the contractions still waiting for their release."""
        return [] if self._detector is None else self._detector.flush()
