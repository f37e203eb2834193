"""Probes as one interface: a spec string chooses the device, ``stream()`` yields its samples.

Spec strings (docs/biofeedback-devices.md has the details)::

    sim:[keyboard|healthy|weak|overactive|fatigue]?rate=2000&kind=emg|pressure&channels=1|2
        &seed=N&dropout_at=S&dropout_s=D&disconnect_at=S
    replay:PATH.edf[?loop=1&channel=LABEL]
    serial:PORT?rate=HZ[&kind=emg|pressure&channels=1|2&baud=115200&scale=..&offset=..]
    brainflow:BOARD[?serial_port=...&kind=pressure&channel=ROW&channels=2]
    lsl:NAME[?kind=...&channel=N&channels=2&wait=S]

Live devices (serial, brainflow, lsl) also take ``timeout=S``: seconds of silence after which
the probe counts as disconnected (default 10). Use::

    async with open_device("sim:healthy", target=template) as device:
        async for item in device.stream():
            ...  # Chunk (samples) or Gap (dropout)

A device reports a dropout as a :class:`Gap` and keeps going; it raises
``DeviceError("probe disconnected: ...")`` when the probe is gone for good. This module does
I/O (an adapter); the optional back ends import their libraries only when used.
"""

from __future__ import annotations

from typing import Final

from pelvio._check import check_range
from pelvio.biofeedback._devcore import (
    KINDS,
    SCHEMES,
    Chunk,
    Device,
    DeviceInfo,
    Gap,
    SignalKind,
    Target,
    channel_layout,
    parse_spec,
)
from pelvio.errors import InputError

__all__ = [
    "SCHEMES",
    "Chunk",
    "Device",
    "DeviceInfo",
    "Gap",
    "SignalKind",
    "available_devices",
    "open_device",
]

DEFAULT_CHUNK_S: Final = 0.01


def open_device(
    spec: str,
    *,
    target: Target | None = None,
    chunk_s: float = DEFAULT_CHUNK_S,
    realtime: bool = True,
    mode: SignalKind | None = None,
) -> Device:
    """Make the device a spec string names; open it with ``async with``.

    Parameters
    ----------
    spec
        ``scheme:target?key=value&...`` (module notes).
    target
        The session template: ``target(t_s)`` gives the effort 0..1 asked for at ``t_s``
        seconds of device time. A simulated patient profile follows it (after a reaction time);
        without it the virtual patient rests.
    chunk_s
        Samples per chunk, in seconds (default 10 ms: 20 samples at 2 kHz). Live devices hand
        over what arrived, polled this often.
    realtime
        Pace ``sim:`` and ``replay:`` on the clock; ``False`` yields as fast as possible (tests,
        benchmarks). Live devices are paced by the probe either way.
    mode
        Force ``"emg"`` or ``"pressure"``; an EMG source sampled below 1000 Hz is refused.

    Returns
    -------
    Device
        Not opened yet; :attr:`Device.info` is known already.

    Raises
    ------
    InputError
        A spec that cannot be used (field ``device``): unknown scheme, bad option, a rate too
        low for EMG; for ``replay:`` a :class:`~pelvio.errors.FileFormatError` naming the file.
    DeviceError
        The library a device needs is not installed, or a stream or board cannot be found.
    """
    parsed = parse_spec(spec)
    chunk = check_range("chunk_s", chunk_s, low=0.001, high=1.0, unit="s")
    if mode is not None and mode not in KINDS:
        raise InputError(f"mode must be one of {', '.join(KINDS)}; got {mode!r}", field="mode")
    if parsed.scheme == "sim":
        from pelvio.biofeedback._devpaced import SimDevice

        return SimDevice(parsed, target=target, chunk_s=chunk, realtime=realtime, mode=mode)
    if parsed.scheme == "replay":
        from pelvio.biofeedback._devpaced import ReplayDevice

        return ReplayDevice(parsed, chunk_s=chunk, realtime=realtime, mode=mode)
    if parsed.scheme == "serial":
        from pelvio.biofeedback._devserial import SerialDevice

        return SerialDevice(parsed, chunk_s=chunk, mode=mode)
    if parsed.scheme == "brainflow":
        from pelvio.biofeedback._devboards import BrainFlowDevice

        return BrainFlowDevice(parsed, chunk_s=chunk, mode=mode)
    from pelvio.biofeedback._devboards import LslDevice

    return LslDevice(parsed, chunk_s=chunk, mode=mode)


def available_devices(*, lsl_wait_s: float = 0.0) -> list[DeviceInfo]:
    """The devices a setup screen can offer, each with the spec that opens it.

    Always the simulators (keyboard and the four profiles, EMG, and a pressure one); serial
    ports found by pyserial (rate 1000 Hz assumed in the spec: edit it to the probe's); the
    BrainFlow synthetic board (pressure, 250 Hz) when BrainFlow is installed; LSL streams when
    pylsl is installed and ``lsl_wait_s`` > 0 (blocks that long: call it in a thread from
    async code).
    """
    wait_s = check_range("lsl_wait_s", lsl_wait_s, low=0.0, high=10.0, unit="s")
    emg_labels, emg_units = channel_layout("emg", 1)
    choices = [
        DeviceInfo("sim:keyboard", "Simulated probe (keyboard: hold Space)", "emg", 2000.0,
                   emg_labels, emg_units),
        *(
            DeviceInfo(f"sim:{profile}", f"Simulated probe ({profile})", "emg", 2000.0,
                       emg_labels, emg_units)
            for profile in ("healthy", "weak", "overactive", "fatigue")
        ),
        DeviceInfo("sim:healthy?kind=pressure", "Simulated pressure probe (healthy)",
                   "pressure", 100.0, *channel_layout("pressure", 1)),
    ]  # fmt: skip
    choices.extend(_serial_ports())
    choices.extend(_brainflow_boards())
    if wait_s > 0:
        choices.extend(_lsl_streams(wait_s))
    return choices


def _serial_ports() -> list[DeviceInfo]:
    try:
        from serial.tools import list_ports  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return []
    labels, units = channel_layout("emg", 1)
    return [
        DeviceInfo(
            f"serial:{port.device}?rate=1000",
            f"Serial probe on {port.device} ({port.description})",
            "emg",
            1000.0,
            labels,
            units,
        )
        for port in sorted(list_ports.comports(), key=lambda p: str(p.device))
    ]


def _brainflow_boards() -> list[DeviceInfo]:
    try:
        import brainflow  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        return []
    return [
        DeviceInfo("brainflow:synthetic?kind=pressure", "BrainFlow synthetic board (pressure)",
                   "pressure", 250.0, *channel_layout("pressure", 1))
    ]  # fmt: skip


def _lsl_streams(wait_s: float) -> list[DeviceInfo]:
    try:
        import pylsl  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except (ImportError, RuntimeError):
        return []
    found = []
    for info in pylsl.resolve_streams(wait_time=wait_s):
        kind: SignalKind = "pressure" if info.type().lower() == "pressure" else "emg"
        rate = float(info.nominal_srate())
        if rate <= 0:
            continue
        found.append(
            DeviceInfo(f"lsl:{info.name()}", f"LSL stream {info.name()!r} ({info.type()})",
                       kind, rate, *channel_layout(kind, 1))
        )  # fmt: skip
    return found
