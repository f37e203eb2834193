"""Devices: spec parsing, the simulator, replay and the error messages (no hardware needed)."""

from __future__ import annotations

import asyncio
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from pelvio.biofeedback.devices import Chunk, Gap, available_devices, open_device
from pelvio.errors import DeviceError, FileFormatError, InputError
from pelvio.signals.edf import write_edf

Item = Chunk | Gap


def collect(
    spec: str,
    samples: int,
    *,
    target: Callable[[float], float] | None = None,
    effort: float | None = None,
    **kwargs: object,
) -> list[Item]:
    """Stream without pacing until ``samples`` samples came (or the stream ended)."""

    async def run() -> list[Item]:
        items: list[Item] = []
        seen = 0
        async with open_device(spec, target=target, realtime=False, **kwargs) as device:  # type: ignore[arg-type]
            if effort is not None:
                device.set_effort(effort)
            async for item in device.stream():
                items.append(item)
                seen += item.n if isinstance(item, Chunk) else 0
                if seen >= samples:
                    break
        return items

    return asyncio.run(run())


def joined(items: list[Item]) -> NDArray[np.float64]:
    return np.hstack([item.samples for item in items if isinstance(item, Chunk)])


def rms(x: NDArray[np.float64]) -> float:
    return float(np.sqrt(np.mean(x**2)))


# --- spec strings and their errors ----------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("usb:probe", ["unknown scheme 'usb'", "sim:", "replay:", "serial:", "brainflow:", "lsl:"]),
        ("healthy", ["unknown scheme"]),
        ("", ["device must be a spec"]),
        ("sim:strong", ["unknown simulator 'strong'", "keyboard", "overactive"]),
        ("sim:healthy?rate=abc", ["rate must be a number", "'abc'"]),
        ("sim:healthy?rate=0", ["rate must lie in [1, 20000] Hz"]),
        ("sim:healthy?rate=500", ["500 Hz", "too slow for surface EMG", "at least 1000 Hz"]),
        ("sim:healthy?colour=red", ["unknown option 'colour'", "rate", "seed"]),
        ("sim:healthy?rate=2000&rate=1000", ["'rate' is given twice"]),
        ("sim:healthy?channels=3", ["channels must lie in [1, 2]"]),
        ("sim:healthy?kind=force", ["kind must be one of emg, pressure"]),
        ("sim:?dropout_s=0", ["dropout_s must lie in (0, 3600] s"]),
        ("serial:/dev/ttyUSB0", ["give the probe's sampling rate"]),
        ("serial:?rate=1000", ["name the port"]),
        ("serial:/dev/ttyUSB0?rate=250", ["250 Hz", "at least 1000 Hz"]),
        ("replay:", ["name the EDF file"]),
        ("lsl:", ["name the LSL stream"]),
    ],
)
def test_bad_specs_name_what_is_wrong(spec: str, words: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        open_device(spec)
    assert caught.value.field == "device"
    for word in words:
        assert word in str(caught.value)


def test_unknown_scheme_lists_the_valid_ones_for_forms() -> None:
    with pytest.raises(InputError) as caught:
        open_device("bluetooth:x")
    assert caught.value.allowed == ("sim", "replay", "serial", "brainflow", "lsl")


def test_mode_and_kind_must_agree() -> None:
    with pytest.raises(InputError, match="kind=emg contradicts the pressure mode"):
        open_device("sim:healthy?kind=emg", mode="pressure")
    with pytest.raises(InputError, match="mode must be one of"):
        open_device("sim:healthy", mode="force")  # type: ignore[arg-type]
    assert open_device("sim:healthy", mode="pressure").info.units == ("cmH2O",)


def test_chunk_length_is_checked() -> None:
    with pytest.raises(InputError, match="chunk_s"):
        open_device("sim:", chunk_s=0.0)


def test_stream_needs_an_open_device() -> None:
    device = open_device("sim:")

    async def run() -> None:
        async for _ in device.stream():
            break

    with pytest.raises(DeviceError, match="open the device"):
        asyncio.run(run())


# --- the simulator --------------------------------------------------------------------------


def test_sim_info_defaults_to_keyboard_emg_at_2khz() -> None:
    info = open_device("sim:").info
    assert info.kind == "emg"
    assert info.sampling_rate_hz == 2000.0
    assert info.labels == ("EMG",)
    assert info.units == ("uV",)
    assert "keyboard" in info.name
    assert open_device("SIM:Keyboard").info.name == info.name


def test_sim_is_deterministic_with_a_seed() -> None:
    def template(t_s: float) -> float:
        return 0.7 if 0.5 < t_s < 1.5 else 0.0

    first = joined(collect("sim:healthy?seed=7&channels=2", 4000, target=template))
    again = joined(collect("sim:healthy?seed=7&channels=2", 4000, target=template))
    other = joined(collect("sim:healthy?seed=8&channels=2", 4000, target=template))
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)


def test_chunks_are_10_ms_and_the_sample_clock_is_continuous() -> None:
    items = collect("sim:healthy?seed=1", 2000)
    chunks = [item for item in items if isinstance(item, Chunk)]
    assert len(chunks) == 100
    for number, chunk in enumerate(chunks):
        assert chunk.samples.shape == (1, 20)
        assert chunk.samples.dtype == np.float64
        assert chunk.samples.flags.c_contiguous
        assert chunk.first_index == 20 * number
        assert chunk.wall_ms > 0
    odd = collect("sim:healthy?seed=1&rate=1000", 1000, chunk_s=0.025)
    assert [c.first_index for c in odd if isinstance(c, Chunk)][:3] == [0, 25, 50]


def test_holding_space_raises_the_emg() -> None:
    rest = joined(collect("sim:keyboard?seed=3", 4000, effort=0.0))
    held = joined(collect("sim:keyboard?seed=3", 4000, effort=1.0))
    assert rms(held[0, 2000:]) > 4 * rms(rest[0, 2000:])


def test_set_effort_is_checked_and_ignored_by_profiles() -> None:
    device = open_device("sim:keyboard")
    with pytest.raises(InputError, match="effort"):
        device.set_effort(1.5)
    held = joined(collect("sim:healthy?seed=3", 2000, effort=1.0))
    assert rms(held[0]) < 15.0  # a profile follows the template (none here: rest)


def _hold_from_1_to_3_s(t_s: float) -> float:
    return 0.8 if 1.0 <= t_s < 3.0 else 0.0


@pytest.mark.parametrize("profile", ["healthy", "weak", "overactive", "fatigue"])
def test_profile_follows_the_template(profile: str) -> None:
    x = joined(collect(f"sim:{profile}?seed=5", 10_000, target=_hold_from_1_to_3_s))[0]
    rest, hold = rms(x[200:1800]), rms(x[3000:5800])
    assert 1.5 < rest < 20.0  # µV, in the range of pelvio.signals.simulate's profiles
    assert hold > 2.5 * rest
    assert hold < 120.0


def test_weak_is_weaker_than_healthy() -> None:
    for seed in (1, 2, 3):
        healthy = joined(collect(f"sim:healthy?seed={seed}", 8000, target=_hold_from_1_to_3_s))
        weak = joined(collect(f"sim:weak?seed={seed}", 8000, target=_hold_from_1_to_3_s))
        assert rms(weak[0, 3000:5800]) < 0.7 * rms(healthy[0, 3000:5800])


def test_an_overactive_floor_lets_go_slowly() -> None:
    def after_release(profile: str) -> float:
        x = joined(collect(f"sim:{profile}?seed=4", 8000, target=_hold_from_1_to_3_s))[0]
        hold = rms(x[4000:5800])
        return rms(x[6700:7000]) / hold  # 0.35-0.5 s after the relax cue (+ reaction)

    assert after_release("overactive") > after_release("healthy")


def test_fatigue_lowers_the_amplitude_over_a_long_hold() -> None:
    def hold(t_s: float) -> float:
        return 0.7 if t_s >= 0.5 else 0.0

    x = joined(collect("sim:fatigue?seed=2&rate=1000", 40_000, target=hold))[0]
    assert rms(x[37_000:40_000]) < 0.9 * rms(x[2_000:5_000])


def test_sim_emg_has_no_dc_and_sits_in_the_emg_band() -> None:
    x = joined(collect("sim:keyboard?seed=9", 8192, effort=1.0))[0, 4096:]
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(x.size, 1 / 2000)
    in_band = spectrum[(f >= 20) & (f <= 450)].sum() / spectrum.sum()
    assert in_band > 0.98
    assert abs(float(x.mean())) < 5.0


def test_pressure_with_an_abdominal_channel() -> None:
    device = open_device("sim:healthy?kind=pressure&channels=2&seed=1")
    assert device.info.labels == ("Pressure", "Abdominal")
    assert device.info.units == ("cmH2O", "cmH2O")
    assert device.info.sampling_rate_hz == 100.0
    x = joined(
        collect("sim:healthy?kind=pressure&channels=2&seed=1", 500, target=_hold_from_1_to_3_s)
    )
    assert x.shape == (2, 500)
    rest, squeeze = float(np.median(x[0, 10:90])), float(np.median(x[0, 200:290]))
    assert 10.0 < rest < 45.0
    assert 10.0 < squeeze - rest < 80.0
    assert float(np.median(x[1, 200:290])) > float(np.median(x[1, 10:90]))  # co-contraction


def test_emg_abdominal_channel_co_contracts() -> None:
    x = joined(collect("sim:weak?channels=2&seed=2", 8000, target=_hold_from_1_to_3_s))
    assert x.shape == (2, 8000)
    assert rms(x[1, 3000:5800]) > 1.2 * rms(x[1, 200:1800])


def test_dropout_yields_a_gap_and_the_clock_jumps() -> None:
    items = collect("sim:healthy?seed=1&dropout_at=1&dropout_s=0.5", 4000)
    gaps = [item for item in items if isinstance(item, Gap)]
    assert len(gaps) == 1
    gap = gaps[0]
    assert (gap.first_index, gap.missing) == (2000, 1000)
    assert "no data for 0.5 s" in gap.reason
    after = items[items.index(gap) + 1]
    assert isinstance(after, Chunk)
    assert after.first_index == 3000
    before = items[items.index(gap) - 1]
    assert isinstance(before, Chunk)
    assert before.first_index + before.n == 2000


def test_disconnect_raises_after_the_last_sample() -> None:
    got: list[Item] = []

    async def run() -> None:
        async with open_device("sim:?disconnect_at=0.5", realtime=False) as device:
            async for item in device.stream():
                got.append(item)

    with pytest.raises(DeviceError, match="probe disconnected"):
        asyncio.run(run())
    assert sum(item.n for item in got if isinstance(item, Chunk)) == 1000


def test_realtime_streaming_yields_chunks() -> None:
    async def run() -> list[Item]:
        items: list[Item] = []
        async with open_device("sim:healthy?seed=1") as device:
            async for item in device.stream():
                items.append(item)
                if len(items) == 3:
                    break
        return items

    items = asyncio.run(run())
    assert [item.first_index for item in items] == [0, 20, 40]


# --- replay ---------------------------------------------------------------------------------


@pytest.fixture
def recording(tmp_path: Path) -> tuple[Path, NDArray[np.float64]]:
    rng = np.random.default_rng(0)
    signals = np.round(rng.normal(0, 20, size=(2, 3000)), 1)
    path = write_edf(tmp_path / "session.edf", signals, 1000.0, labels=["EMG", "Abdominal"])
    return path, signals


def test_replay_gives_the_files_samples(recording: tuple[Path, NDArray[np.float64]]) -> None:
    path, signals = recording
    device = open_device(f"replay:{path}")
    assert device.info.sampling_rate_hz == 1000.0
    assert device.info.labels == ("EMG", "Abdominal")
    assert device.info.name == "Replay of session.edf"
    items = collect(f"replay:{path}", 10**9)
    x = joined(items)
    assert x.shape == signals.shape
    np.testing.assert_allclose(x, signals, atol=0.01)  # 16-bit EDF resolution
    starts = [item.first_index for item in items if isinstance(item, Chunk)]
    assert starts == list(range(0, 3000, 10))


def test_replay_loops_on_request(recording: tuple[Path, NDArray[np.float64]]) -> None:
    path, signals = recording
    x = joined(collect(f"replay:{path}?loop=1", 7000))
    np.testing.assert_allclose(x[:, 3000:6000], signals, atol=0.01)
    assert x.shape[1] == 7000


def test_replay_can_drop_out(recording: tuple[Path, NDArray[np.float64]]) -> None:
    path, _ = recording
    items = collect(f"replay:{path}?dropout_at=1&dropout_s=1", 10**9)
    gaps = [item for item in items if isinstance(item, Gap)]
    assert [(g.first_index, g.missing) for g in gaps] == [(1000, 1000)]
    assert joined(items).shape[1] == 2000


def test_replay_of_a_missing_or_broken_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.edf"
    with pytest.raises(FileFormatError, match=r"nowhere\.edf"):
        open_device(f"replay:{missing}")
    broken = tmp_path / "broken.edf"
    broken.write_bytes(b"not an EDF file at all")
    with pytest.raises(FileFormatError, match=r"broken\.edf"):
        open_device(f"replay:{broken}")


def test_replay_refuses_emg_sampled_too_slowly(tmp_path: Path) -> None:
    path = write_edf(tmp_path / "slow.edf", np.zeros(500) + 1.0, 250.0)
    with pytest.raises(FileFormatError, match="1000 Hz"):
        open_device(f"replay:{path}")


def test_replay_pressure_in_pressure_mode(tmp_path: Path) -> None:
    path = write_edf(tmp_path / "p.edf", np.linspace(20, 60, 400), 100.0, unit="cmH2O")
    device = open_device(f"replay:{path}", mode="pressure")
    assert (device.info.kind, device.info.units) == ("pressure", ("cmH2O",))
    with pytest.raises(FileFormatError, match="EMG"):
        open_device(f"replay:{path}?kind=emg")


# --- the setup screen and optional extras -----------------------------------------------------


def test_available_devices_offer_specs_that_open() -> None:
    choices = available_devices()
    specs = [choice.spec for choice in choices]
    assert specs[:5] == ["sim:keyboard", "sim:healthy", "sim:weak", "sim:overactive", "sim:fatigue"]
    for choice in choices:
        if choice.spec.startswith("sim:"):
            assert open_device(choice.spec).info == choice


@pytest.mark.parametrize(
    ("spec", "module", "extra"),
    [("brainflow:synthetic", "brainflow", "brainflow"), ("lsl:Probe", "pylsl", "lsl")],
)
def test_a_missing_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, spec: str, module: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(DeviceError, match=rf"pip install 'pelvio\[{extra}\]'"):
        open_device(spec)


def test_rms_helper_is_sane() -> None:
    assert math.isclose(rms(np.ones(4)), 1.0)
