"""Many streams through one pass give exactly what each stream gives on its own."""

from __future__ import annotations

import numpy as np
import pytest

from pelvio.biofeedback.pipeline import LivePipeline
from pelvio.errors import SignalError
from pelvio.signals import emg_simulate
from pelvio.signals.envelope import StreamingEnvelope
from pelvio.signals.filters import EmgFilter

RATE_HZ = 2000.0


def _signals(k: int, channels: int = 1) -> np.ndarray:
    rows = []
    for i in range(k * channels):
        sim = emg_simulate(profile="healthy", seed=100 + i, sampling_rate_hz=RATE_HZ, duration_s=30)
        rows.append(sim.signal[:20_000])
    return np.asarray(rows).reshape(k, channels, -1)


def test_filter_and_envelope_of_many_streams_equal_one_by_one() -> None:
    x = _signals(5)[:, 0, :]
    alone_f = [EmgFilter(RATE_HZ) for _ in range(5)]
    many_f = [EmgFilter(RATE_HZ) for _ in range(5)]
    alone_e = [StreamingEnvelope(RATE_HZ) for _ in range(5)]
    many_e = [StreamingEnvelope(RATE_HZ) for _ in range(5)]
    for start in range(0, x.shape[1], 40):
        chunk = x[:, start : start + 40]
        expected = np.stack(
            [e.process(f.process(row)) for f, e, row in zip(alone_f, alone_e, chunk, strict=True)]
        )
        got = StreamingEnvelope.process_many(many_e, EmgFilter.process_many(many_f, chunk))
        np.testing.assert_array_equal(got, expected)


def _assert_batched_like_alone(
    alone: list[LivePipeline], many: list[LivePipeline], x: np.ndarray
) -> None:
    for start in range(0, x.shape[2], 40):
        chunk = x[:, :, start : start + 40]
        expected = [p.process(c) for p, c in zip(alone, chunk, strict=True)]
        got = LivePipeline.process_many(many, chunk)
        for e, g in zip(expected, got, strict=True):
            np.testing.assert_array_equal(g.envelope, e.envelope)
            assert g.envelope_t_s == e.envelope_t_s
            if e.abdominal is not None:
                assert g.abdominal is not None
                np.testing.assert_array_equal(g.abdominal, e.abdominal)


@pytest.mark.parametrize("channels", [1, 2])
def test_pipelines_of_many_streams_equal_one_by_one(channels: int) -> None:
    def streams() -> list[LivePipeline]:
        return [LivePipeline("emg", RATE_HZ, channels=channels, detect=False) for _ in range(4)]

    _assert_batched_like_alone(streams(), streams(), _signals(4, channels))


def test_mismatched_streams_fall_back_to_one_by_one() -> None:
    def pair() -> list[LivePipeline]:  # one with the live detector: not batchable
        return [LivePipeline("emg", RATE_HZ, detect=False), LivePipeline("emg", RATE_HZ)]

    _assert_batched_like_alone(pair(), pair(), _signals(2)[:, :, :4000])


@pytest.mark.parametrize(
    ("chunks", "message"),
    [
        (np.array([[0.0, np.nan], [0.0, 0.0]]), "NaN or infinite"),
        (np.zeros((3, 4)), r"must have shape \(2, n\)"),
    ],
)
def test_bad_batches_are_refused_naming_them(chunks: np.ndarray, message: str) -> None:
    with pytest.raises(SignalError, match=message):
        EmgFilter.process_many([EmgFilter(RATE_HZ), EmgFilter(RATE_HZ)], chunks)
