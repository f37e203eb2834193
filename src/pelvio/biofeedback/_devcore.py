"""What every device back end shares: the value types, spec parsing, pacing and the watchdog.

:mod:`pelvio.biofeedback.devices` re-exports the public names; the back ends
(``_devpaced``, ``_devserial``, ``_devboards``) import from here so nothing imports in a circle.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal, Protocol, Self, cast
from urllib.parse import parse_qsl

import numpy as np
from numpy.typing import NDArray

from pelvio.errors import DeviceError, InputError
from pelvio.signals.filters import min_emg_sampling_rate_hz

SignalKind = Literal["emg", "pressure"]
Target = Callable[[float], float]

KINDS: Final[tuple[SignalKind, ...]] = ("emg", "pressure")
SCHEMES: Final = ("sim", "replay", "serial", "brainflow", "lsl")
UNIT: Final[Mapping[SignalKind, str]] = {"emg": "uV", "pressure": "cmH2O"}
LABEL: Final[Mapping[SignalKind, str]] = {"emg": "EMG", "pressure": "Pressure"}
ABDOMINAL: Final = "Abdominal"
SILENCE_S: Final = 0.5
"""A live device that sends nothing for this long reports a :class:`Gap` (Pelvio's choice)."""
GIVE_UP_S: Final = 10.0
"""...and after this long (default of the ``timeout`` query) it counts as disconnected."""
MAX_RATE_HZ: Final = 50_000.0


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """What a device delivers, known before it streams.

    Attributes
    ----------
    spec
        The spec string as given, e.g. ``"sim:healthy?rate=2000"``.
    name
        Human-readable, e.g. ``"Simulated probe (healthy)"``.
    kind
        What channel 0 carries: ``"emg"`` (µV) or ``"pressure"`` (cmH2O).
    sampling_rate_hz
        Samples per second per channel.
    labels
        Channel labels: channel 0 is the pelvic floor (``"EMG"`` / ``"Pressure"``), an optional
        channel 1 the abdomen (``"Abdominal"``).
    units
        ``"uV"`` or ``"cmH2O"`` per channel.
    """

    spec: str
    name: str
    kind: SignalKind
    sampling_rate_hz: float
    labels: tuple[str, ...]
    units: tuple[str, ...]

    @property
    def channels(self) -> int:
        """Number of channels."""
        return len(self.labels)


@dataclass(frozen=True, slots=True, eq=False)
class Chunk:
    """Consecutive samples from a device.

    Attributes
    ----------
    samples
        Shape ``(channels, n)``, physical units (µV / cmH2O), C-contiguous float64.
    first_index
        Sample-clock index of ``samples[:, 0]`` since the device started streaming.
    wall_ms
        ``time.time() * 1000`` when the newest sample of the chunk was acquired.
    """

    samples: NDArray[np.float64]
    first_index: int
    wall_ms: float

    @property
    def n(self) -> int:
        """Samples per channel."""
        return int(self.samples.shape[1])


@dataclass(frozen=True, slots=True)
class Gap:
    """A dropout: data stopped, or samples were lost.

    Attributes
    ----------
    first_index
        Sample index from which data is missing.
    missing
        Samples lost: the sample clock of the next :class:`Chunk` jumps by this much. 0 when
        the device cannot tell (it went silent; the next chunk continues the clock).
    reason
        Short English reason, e.g. ``"no data for 0.5 s"`` or ``"3 lines lost"``.
    wall_ms
        ``time.time() * 1000`` when the gap was noticed.
    """

    first_index: int
    missing: int
    reason: str
    wall_ms: float


class Device(Protocol):
    """A probe: open it with ``async with``, then iterate :meth:`stream`."""

    info: DeviceInfo

    async def __aenter__(self) -> Self:
        """Open the device; raise :class:`~pelvio.errors.DeviceError` with a clear message."""
        ...

    async def __aexit__(self, *exc: object) -> None:
        """Close the device."""
        ...

    def stream(self) -> AsyncIterator[Chunk | Gap]:
        """Chunks and gaps in time order, paced in real time unless ``realtime=False``.

        Returns normally at the end of a replay; raises ``DeviceError("probe disconnected:
        ...")`` on a disconnect that does not come back.
        """
        ...

    def set_effort(self, effort: float) -> None:
        """Set the effort 0..1 of the keyboard-driven simulator; other devices ignore it."""
        ...


def now_ms() -> float:
    """Wall clock in milliseconds, as :attr:`Chunk.wall_ms` uses it."""
    return time.time() * 1000.0


# --- spec strings ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedSpec:
    """A spec string split into scheme, target and query."""

    text: str
    scheme: str
    target: str
    query: Mapping[str, str]

    def fail(self, message: str) -> InputError:
        """An :class:`InputError` on the ``device`` field that quotes the spec."""
        return InputError(f"device {self.text!r}: {message}", field="device")


def parse_spec(spec: object) -> ParsedSpec:
    """Split ``scheme:target?key=value&...``; refuse an unknown scheme or a malformed query."""
    if not isinstance(spec, str) or not spec.strip():
        raise InputError(
            f"device must be a spec such as 'sim:healthy' or 'replay:session.edf', got {spec!r}",
            field="device",
            allowed=SCHEMES,
        )
    text = spec.strip()
    scheme, colon, rest = text.partition(":")
    scheme = scheme.lower()
    if not colon or scheme not in SCHEMES:
        raise InputError(
            f"device {text!r}: unknown scheme {scheme!r}; use one of "
            + ", ".join(f"{s}:" for s in SCHEMES),
            field="device",
            allowed=SCHEMES,
        )
    target, _, raw_query = rest.partition("?")
    parsed = ParsedSpec(text, scheme, target.strip(), {})
    query: dict[str, str] = {}
    if raw_query:
        try:
            pairs = parse_qsl(raw_query, keep_blank_values=True, strict_parsing=True)
        except ValueError:
            raise parsed.fail(f"the query {raw_query!r} is not key=value&key=value") from None
        for key, value in pairs:
            if key in query:
                raise parsed.fail(f"{key!r} is given twice")
            query[key] = value
    return ParsedSpec(text, scheme, target.strip(), query)


class Query:
    """Typed access to a spec's query; every error quotes the spec and names the key."""

    def __init__(self, spec: ParsedSpec, allowed: tuple[str, ...]) -> None:
        unknown = sorted(set(spec.query) - set(allowed))
        if unknown:
            valid = ", ".join(allowed) if allowed else "none"
            raise spec.fail(
                f"unknown option {unknown[0]!r} for {spec.scheme}:; valid options: {valid}"
            )
        self.spec = spec

    def text(self, key: str) -> str | None:
        """The raw value, or ``None`` when absent."""
        return self.spec.query.get(key)

    def number(
        self,
        key: str,
        default: float | None,
        *,
        low: float,
        high: float,
        unit: str = "",
        low_inclusive: bool = True,
    ) -> float | None:
        """A finite number within ``[low, high]`` (``(low, high]`` if not ``low_inclusive``)."""
        raw = self.spec.query.get(key)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise self.spec.fail(f"{key} must be a number, got {raw!r}") from None
        too_low = value < low if low_inclusive else value <= low
        if not math.isfinite(value) or too_low or value > high:
            left = "[" if low_inclusive else "("
            suffix = f" {unit}" if unit else ""
            raise self.spec.fail(
                f"{key} must lie in {left}{low:g}, {high:g}]{suffix}; got {raw}{suffix}"
            )
        return value

    def integer(self, key: str, default: int | None, *, low: int, high: int) -> int | None:
        """A whole number within ``[low, high]``."""
        raw = self.spec.query.get(key)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise self.spec.fail(f"{key} must be a whole number, got {raw!r}") from None
        if not low <= value <= high:
            raise self.spec.fail(f"{key} must lie in [{low}, {high}]; got {value}")
        return value

    def option(self, key: str, allowed: tuple[str, ...]) -> str | None:
        """One of ``allowed`` (case-insensitive), or ``None`` when absent."""
        raw = self.spec.query.get(key)
        if raw is None:
            return None
        if raw.lower() not in allowed:
            raise self.spec.fail(f"{key} must be one of {', '.join(allowed)}; got {raw!r}")
        return raw.lower()

    def kind(self, mode: SignalKind | None, default: SignalKind = "emg") -> SignalKind:
        """The signal kind from ``?kind=`` and the caller's ``mode``; they must agree."""
        asked = cast(SignalKind | None, self.option("kind", KINDS))
        if mode is not None and mode not in KINDS:
            raise InputError(f"mode must be one of {', '.join(KINDS)}; got {mode!r}", field="mode")
        if asked is not None and mode is not None and asked != mode:
            raise self.spec.fail(f"kind={asked} contradicts the {mode} mode asked for")
        return asked or mode or default

    def give_up_s(self) -> float:
        """``timeout``: seconds without data after which a live device counts as lost."""
        value = self.number("timeout", GIVE_UP_S, low=SILENCE_S, high=3600.0, unit="s")
        assert value is not None
        return value


def emg_rate_check(spec: ParsedSpec, rate_hz: float, source: str) -> None:
    """Refuse an EMG source sampled too slowly for the 20-450 Hz band (clinical.md §6)."""
    minimum = min_emg_sampling_rate_hz()
    if rate_hz < minimum:
        raise spec.fail(
            f"{source} samples at {rate_hz:g} Hz, too slow for surface EMG: the 20-450 Hz band "
            f"needs at least {minimum:g} Hz. Use it for pressure (kind=pressure), or choose a "
            "faster device"
        )


def channel_layout(kind: SignalKind, channels: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Labels and units: channel 0 the pelvic floor, channel 1 (if any) the abdomen."""
    labels = (LABEL[kind], ABDOMINAL)[:channels]
    return labels, (UNIT[kind],) * channels


def missing_library(package: str, extra: str, error: Exception) -> DeviceError:
    """The error for an optional extra that is not installed."""
    return DeviceError(
        f"{package} is not installed ({error}); install it with: pip install 'pelvio[{extra}]'"
    )


# --- pacing and watching --------------------------------------------------------------------


class Pacer:
    """Sleeps until a sample's due time on the monotonic clock, so pacing never drifts."""

    def __init__(self, sampling_rate_hz: float, *, realtime: bool) -> None:
        self._rate = sampling_rate_hz
        self._realtime = realtime
        self._start = time.monotonic()

    def restart(self) -> None:
        """Let sample 0 be due now."""
        self._start = time.monotonic()

    async def until(self, index: int) -> None:
        """Wait until sample ``index`` is due (real time), or just yield to the loop."""
        if not self._realtime:
            await asyncio.sleep(0)
            return
        delay = self._start + index / self._rate - time.monotonic()
        await asyncio.sleep(max(0.0, delay))


class Watchdog:
    """Notices silence on a live device: a :class:`Gap` after :data:`SILENCE_S`, and
    ``DeviceError("probe disconnected: ...")`` after ``give_up_s``."""

    def __init__(self, what: str, give_up_s: float) -> None:
        self._what = what
        self._give_up_s = give_up_s
        self._last = time.monotonic()
        self.silent = False

    def fed(self) -> bool:
        """Data came; return whether it ends a silence (the probe is back)."""
        self._last = time.monotonic()
        back, self.silent = self.silent, False
        return back

    def check(self, next_index: int) -> Gap | None:
        """A Gap the first time the silence passes :data:`SILENCE_S`; raise after give-up."""
        quiet_s = time.monotonic() - self._last
        if quiet_s > self._give_up_s:
            raise DeviceError(
                f"probe disconnected: no data from {self._what} for {self._give_up_s:g} s"
            )
        if quiet_s > SILENCE_S and not self.silent:
            self.silent = True
            return Gap(next_index, 0, f"no data for {SILENCE_S:g} s", now_ms())
        return None


def split_runs(
    counters: list[int], modulus: int, expected: int | None
) -> list[tuple[int, int, int]]:
    """Split packet counters into runs of consecutive ones: ``(start, stop, lost_before)``.

    ``lost_before`` is how many counts were skipped before the run (modulo ``modulus``), or -1
    for a jump backwards by more than half the modulus (the sender restarted).
    """
    runs: list[tuple[int, int, int]] = []
    start, lost = 0, 0
    for i, counter in enumerate(counters):
        if expected is not None and counter != expected:
            if i > start:
                runs.append((start, i, lost))
            jump = (counter - expected) % modulus
            lost = jump if jump < modulus // 2 else -1
            start = i
        expected = (counter + 1) % modulus
    if len(counters) > start:
        runs.append((start, len(counters), lost))
    return runs
