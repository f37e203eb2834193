"""Devices Pelvio makes the samples of: the simulated probe (``sim:``) and replay (``replay:``).

Both run on a sample clock paced against the monotonic clock, and both can be told to drop out
or disconnect at a given time (``dropout_at``/``dropout_s``/``disconnect_at``) so the rest of
the system can be tested against a probe that misbehaves.

Simulated EMG model
-------------------
The same amplitude-modulated noise model as :func:`pelvio.signals.emg_simulate`, computed chunk
by chunk: Gaussian noise with the Shwedyk et al. (1977) surface EMG spectrum, band-limited to
20-450 Hz, times an activation in µV. The noise comes from a looping bank (periodic by
construction, so the loop has no seam) shared by all devices of one rate; each device reads it
from its own seeded offset, so 200 devices cost 200 table look-ups per chunk, not 200 FFTs.

The activation follows the effort (the keyboard, or the session template ``target(t_s)``
after a reaction time) through first-order dynamics, with the rise and release times of the
profile in :mod:`pelvio.signals.simulate` (an overactive floor lets go slowly). On top: the
profile's rest tone with its slow wander and faster jitter (high and unstable when
overactive), fatigue (amplitude and median frequency fall over a sustained hold, and per
contraction for the ``fatigue`` profile), and a little 50 Hz hum. Pressure (cmH2O) is the
resting pressure plus breathing plus the profile's squeeze times the activation. These are
Pelvio's own modelling choices, not a physiological reference.
"""

from __future__ import annotations

import asyncio
import functools
import math
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Final, Self

import numpy as np
from numpy.typing import NDArray

from pelvio.biofeedback._devcore import (
    Chunk,
    DeviceInfo,
    Gap,
    Pacer,
    ParsedSpec,
    Query,
    SignalKind,
    Target,
    channel_layout,
    emg_rate_check,
    now_ms,
)
from pelvio.errors import DeviceError, InputError
from pelvio.signals.edf import read_edf
from pelvio.signals.simulate import (
    _EMG_TRAITS,
    _PRESSURE_REST,
    _PRESSURE_SQUEEZE,
    PROFILES,
    Profile,
)

SIM_MODES: Final = ("keyboard", *PROFILES)
_BANK_SAMPLES: Final = 1 << 16
_CONTROL_HZ: Final = 100.0  # rate of the slow (rest tone) banks
_CONTROL_SAMPLES: Final = 1 << 13  # 82 s of slow noise before it loops
_BANK_SEED: Final = 20_240_401
_ACTIVE: Final = 0.05  # effort above which a contraction counts as going on
_MAINS_HZ: Final = 50.0
_PRESSURE_NOISE_CMH2O: Final = 0.3
_PAUSE: Final = "no data"


class PacedDevice:
    """A device whose samples are made on demand and released on the sample clock."""

    def __init__(
        self,
        info: DeviceInfo,
        query: Query,
        *,
        chunk_s: float,
        realtime: bool,
    ) -> None:
        self.info = info
        rate = info.sampling_rate_hz
        self._chunk_n = max(1, round(chunk_s * rate))
        self._realtime = realtime
        dropout_at = query.number("dropout_at", None, low=0.0, high=1e6, unit="s")
        dropout_s = query.number(
            "dropout_s", 1.0, low=0.0, high=3600.0, unit="s", low_inclusive=False
        )
        disconnect_at = query.number("disconnect_at", None, low=0.0, high=1e6, unit="s")
        assert dropout_s is not None
        self._dropout_s = dropout_s
        self._dropout_at = None if dropout_at is None else round(dropout_at * rate)
        self._dropout_n = max(1, round(dropout_s * rate))
        self._disconnect_at = None if disconnect_at is None else round(disconnect_at * rate)
        self._open = False

    async def __aenter__(self) -> Self:
        self._open = True
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._open = False

    def set_effort(self, effort: float) -> None:
        """Ignored except by the keyboard simulator."""

    def _make(self, first_index: int, n: int) -> NDArray[np.float64]:
        raise NotImplementedError

    def _available(self, first_index: int, n: int) -> int:
        """How many of ``n`` samples from ``first_index`` exist (0 ends the stream)."""
        return n

    async def stream(self) -> AsyncIterator[Chunk | Gap]:
        """Chunks on the sample clock; gaps and a disconnect where the spec asked for them."""
        if not self._open:
            raise DeviceError(f"{self.info.spec}: open the device (async with) before streaming")
        rate = self.info.sampling_rate_hz
        pacer = Pacer(rate, realtime=self._realtime)
        dropout_at = self._dropout_at
        index = 0
        while True:
            n = self._chunk_n
            if self._disconnect_at is not None:
                if index >= self._disconnect_at:
                    await pacer.until(index)
                    raise DeviceError(
                        f"probe disconnected: {self.info.name} stopped at "
                        f"{index / rate:g} s (simulated disconnect)"
                    )
                n = min(n, self._disconnect_at - index)
            if dropout_at is not None:
                if index >= dropout_at:
                    await pacer.until(index)
                    reason = f"{_PAUSE} for {self._dropout_s:g} s (simulated dropout)"
                    yield Gap(index, self._dropout_n, reason, now_ms())
                    index += self._dropout_n
                    dropout_at = None
                    continue
                n = min(n, dropout_at - index)
            n = self._available(index, n)
            if n <= 0:
                return
            await pacer.until(index + n)
            samples = self._make(index, n)
            yield Chunk(samples, index, now_ms())
            index += n


# --- one clock for many simulated probes ----------------------------------------------------


Accept = Callable[[Chunk | Gap], bool]
"""Takes a device's next item; False when the session wants no more."""
_Clocks = dict[tuple[float, int], "SharedClock"]
SHARED_CLOCK_GROUPS: Final = 4


class SharedClock:
    """One timer that releases the chunks of every simulated probe of one rate and chunk size.

    A practice server may run a simulated probe for each of hundreds of sessions. Paced one by
    one, each probe wakes its own task every chunk, and those wake-ups cost more than making
    the samples. On a shared clock the probes tick in :data:`SHARED_CLOCK_GROUPS` groups,
    like the channels of a few amplifiers: a group's chunks start on the same grid, carry the
    same time stamp and reach the server's pipeline as one batch, while the groups take turns
    across the chunk period so that no single moment carries every stream. A new probe joins
    the smallest group and keeps its own sample count from its first tick. The grid is kept
    against the event loop's monotonic clock, so a late tick is followed by an early one and
    no probe drifts.
    """

    _clocks: ClassVar[weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Clocks]] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, rate_hz: float, chunk_n: int) -> None:
        self._step_s = chunk_n / rate_hz / SHARED_CLOCK_GROUPS
        self._chunk_n = chunk_n
        self._groups: list[dict[SimDevice, _Member]] = [{} for _ in range(SHARED_CLOCK_GROUPS)]
        self._timer: asyncio.TimerHandle | None = None
        self._start = 0.0
        self._ticks = 0

    @classmethod
    def of(cls, rate_hz: float, chunk_n: int) -> SharedClock:
        """The clock of the running event loop for this rate and chunk size."""
        loop = asyncio.get_running_loop()
        clocks = cls._clocks.setdefault(loop, {})
        clock = clocks.get((rate_hz, chunk_n))
        if clock is None:
            clock = clocks[(rate_hz, chunk_n)] = cls(rate_hz, chunk_n)
        return clock

    async def serve(self, device: SimDevice, accept: Accept) -> None:
        """Feed ``device``'s chunks to ``accept`` until it returns False, the first one a whole
        chunk period after joining (its samples must exist first); an exception from
        ``accept`` or the device ends it and is raised here."""
        loop = asyncio.get_running_loop()
        if self._timer is None:
            self._start, self._ticks = loop.time(), 0
            self._timer = loop.call_at(self._due(), self._tick)
        period_s = self._step_s * SHARED_CLOCK_GROUPS
        member = _Member(accept, loop.create_future(), loop.time() + period_s)
        group = min(self._groups, key=len)
        group[device] = member
        try:
            await member.done
        finally:
            group.pop(device, None)
            if not any(self._groups) and self._timer is not None:
                # Nothing left to tick: a pending timer would keep its event loop alive.
                self._timer.cancel()
                self._timer = None

    def _due(self) -> float:
        """When tick number ``_ticks`` is due on the loop's clock."""
        return self._start + (self._ticks + 1) * self._step_s

    def _tick(self) -> None:
        group = self._groups[self._ticks % SHARED_CLOCK_GROUPS]
        due = self._due()
        stamp = now_ms()
        n = self._chunk_n
        try:
            for device, member in list(group.items()):
                if member.done.done() or due < member.first_due:
                    continue
                try:
                    chunk = Chunk(device._make(member.index, n), member.index, stamp)
                    member.index += n
                    if not member.accept(chunk) and not member.done.done():
                        member.done.set_result(None)
                except Exception as exc:
                    if not member.done.done():
                        member.done.set_exception(exc)
                except asyncio.CancelledError:
                    member.done.cancel()
        finally:
            # Whatever one session raised, the other probes keep their clock.
            self._ticks += 1
            if any(self._groups):
                self._timer = asyncio.get_running_loop().call_at(self._due(), self._tick)
            else:
                self._timer = None


@dataclass(slots=True)
class _Member:
    accept: Accept
    done: asyncio.Future[None]
    first_due: float
    """The loop time from which a tick may release this probe's first chunk."""
    index: int = 0


# --- simulated probe ------------------------------------------------------------------------


class SimDevice(PacedDevice):
    """``sim:`` — a virtual patient (profile) or a keyboard-driven probe."""

    def __init__(
        self,
        spec: ParsedSpec,
        *,
        target: Target | None,
        chunk_s: float,
        realtime: bool,
        mode: SignalKind | None,
    ) -> None:
        query = Query(
            spec,
            (
                "rate",
                "kind",
                "channels",
                "seed",
                "dropout_at",
                "dropout_s",
                "disconnect_at",
            ),
        )
        which = (spec.target or "keyboard").lower()
        if which not in SIM_MODES:
            raise spec.fail(f"unknown simulator {which!r}; use one of {', '.join(SIM_MODES)}")
        kind = query.kind(mode)
        default_rate = 2000.0 if kind == "emg" else 100.0
        rate = query.number("rate", default_rate, low=1.0, high=20_000.0, unit="Hz")
        channels = query.integer("channels", 1, low=1, high=2)
        seed = query.integer("seed", None, low=0, high=2**63 - 1)
        assert rate is not None and channels is not None
        if kind == "emg":
            emg_rate_check(spec, rate, "the simulator")
        profile: Profile = "healthy" if which == "keyboard" else which  # type: ignore[assignment]
        keyboard = which == "keyboard"
        title = "keyboard: hold Space" if keyboard else profile
        labels, units = channel_layout(kind, channels)
        info = DeviceInfo(
            spec.text,
            f"Simulated {'pressure ' if kind == 'pressure' else ''}probe ({title})",
            kind,
            rate,
            labels,
            units,
        )
        super().__init__(info, query, chunk_s=chunk_s, realtime=realtime)
        self._keyboard = keyboard
        self._target = target
        self._effort = 0.0
        self._model = _Model(kind, profile, rate, channels, self._chunk_n, seed, keyboard)

    def set_effort(self, effort: float) -> None:
        """Effort 0..1 (Space held = 1); only the keyboard simulator follows it."""
        if isinstance(effort, bool) or not isinstance(effort, int | float):
            raise InputError(f"effort must be a number in [0, 1], got {effort!r}", field="effort")
        if not 0.0 <= effort <= 1.0:
            raise InputError(f"effort must lie in [0, 1]; got {effort:g}", field="effort")
        self._effort = float(effort)

    async def serve(self, accept: Accept) -> None:
        """Hand each chunk to ``accept`` until it returns False (see :class:`SharedClock`).

        A simulator asked for dropouts or a disconnect, or not in real time, runs its own
        :meth:`stream` instead.
        """
        if (
            not self._open
            or not self._realtime
            or self._dropout_at is not None
            or self._disconnect_at is not None
        ):
            async for item in self.stream():
                if not accept(item):
                    return
            return
        await SharedClock.of(self.info.sampling_rate_hz, self._chunk_n).serve(self, accept)

    def _make(self, first_index: int, n: int) -> NDArray[np.float64]:
        if self._keyboard:
            effort = self._effort
        elif self._target is None:
            effort = 0.0
        else:
            t_s = first_index / self.info.sampling_rate_hz - self._model.reaction_s
            effort = min(1.0, max(0.0, float(self._target(t_s)))) if t_s >= 0 else 0.0
        return self._model.chunk(first_index, n, effort)


class _Model:
    """The state of one simulated patient; :meth:`chunk` makes the next samples."""

    def __init__(
        self,
        kind: SignalKind,
        profile: Profile,
        rate: float,
        channels: int,
        chunk_n: int,
        seed: int | None,
        keyboard: bool,
    ) -> None:
        rng = np.random.default_rng(seed)
        traits = _EMG_TRAITS[profile]
        self.kind = kind
        self.rate = rate
        self.channels = channels
        self.traits = traits
        self.reaction_s = 0.0 if keyboard else _draw(rng, (0.2, 0.4))
        slower = 1.5 if kind == "pressure" else 1.0  # pressure follows through soft tissue
        # A first-order step reaches 90 % after 2.3 time constants: the profile's ramp times.
        rise_tau = slower * _draw(rng, traits.quick_rise_s) / 2.3
        fall_tau = slower * _draw(rng, traits.release_s) / 2.3
        steps = np.arange(1, chunk_n + 1) / rate
        self._rise = np.exp(-steps / rise_tau)
        self._fall = np.exp(-steps / fall_tau)
        if kind == "emg":
            self.rest = _draw(rng, traits.rest)
            self.gain = _draw(rng, traits.maximal) - self.rest
            self.extra_rest = _draw(rng, (3.0, 6.0))  # abdominal EMG at rest, µV
        else:
            self.rest = _draw(rng, _PRESSURE_REST[profile])
            self.gain = _draw(rng, _PRESSURE_SQUEEZE[profile])
            self.extra_rest = _draw(rng, (5.0, 10.0))  # abdominal pressure at rest, cmH2O
        self._fresh = _noise_bank(rate, 0.0)
        self._tired = _noise_bank(rate, traits.frequency_drop)
        self._offset = int(rng.integers(_BANK_SAMPLES))
        self._slow: list[float] = _slow_bank(0.05).tolist()  # floats index faster than NumPy
        self._fast: list[float] = _slow_bank(0.3).tolist()
        self._slow_offset = int(rng.integers(_CONTROL_SAMPLES))
        self._fast_offset = int(rng.integers(_CONTROL_SAMPLES))
        self._hum_uv = _draw(rng, (0.5, 2.0))
        self._hum_phase = float(rng.uniform(0, 2 * np.pi))
        period = rate / _MAINS_HZ
        self._hum_period = round(period) if period == round(period) else 0
        if self._hum_period:
            k = np.arange(self._hum_period * (2 + chunk_n // self._hum_period))
            table = self._hum_uv * np.sin(2 * np.pi * k / self._hum_period + self._hum_phase)
            self._hum_table: NDArray[np.float64] = table
        self._breath_hz = _draw(rng, (0.2, 0.3))
        self._breath_cmh2o = _draw(rng, (0.4, 1.2))
        self._breath_phase = float(rng.uniform(0, 2 * np.pi))
        self._activation = 0.0
        self._was_active = False
        self._hold_start_s = 0.0
        self._contractions = 0

    def chunk(self, first_index: int, n: int, effort: float) -> NDArray[np.float64]:
        """Samples ``[first_index, first_index + n)`` for a steady ``effort`` 0..1."""
        t_s = first_index / self.rate
        active = effort > _ACTIVE
        if active and not self._was_active:
            self._contractions += 1
            self._hold_start_s = t_s
        self._was_active = active
        held = min(1.0, (t_s - self._hold_start_s) / 60.0) if active else 0.0
        strength = max(0.5, 1.0 - self.traits.decline_per_contraction * (self._contractions - 1))
        gain = self.gain * strength * (1.0 - self.traits.decline_per_60s * held)

        # First-order approach to the effort, in closed form over the chunk (effort held):
        # activation = effort + lift * decay, lift being where it started above the effort.
        decay = (self._rise if effort >= self._activation else self._fall)[:n]
        lift = self._activation - effort
        self._activation = effort + lift * float(decay[-1])

        slot = int(t_s * _CONTROL_HZ)
        wander = self._slow[(self._slow_offset + slot) % _CONTROL_SAMPLES]
        jitter = self._fast[(self._fast_offset + slot) % _CONTROL_SAMPLES]
        tone = max(0.3, 1.0 + self.traits.rest_wander * wander + self.traits.rest_jitter * jitter)
        start = (self._offset + first_index) % _BANK_SAMPLES
        noise = _window(self._fresh, start, n)
        share = self.traits.abdominal_share
        out = np.empty((self.channels, n))
        row = out[0]
        if self.kind == "emg":
            if held > 0.0:
                tired = _window(self._tired, start, n)
                noise = math.sqrt(1.0 - held) * noise + math.sqrt(held) * tired
            hum = self._hum(first_index, n)
            np.multiply(decay, gain * lift, out=row)
            row += self.rest * tone + gain * effort
            row *= noise
            row += hum
            if self.channels == 2:
                other = out[1]
                np.multiply(decay, share * gain * lift, out=other)
                other += self.extra_rest + share * gain * effort
                other *= _window(self._fresh, (start + _BANK_SAMPLES // 2) % _BANK_SAMPLES, n)
                other += hum
        else:
            where = np.arange(first_index, first_index + n) / self.rate
            breath = self._breath_cmh2o * np.sin(
                2 * np.pi * self._breath_hz * where + self._breath_phase
            )
            np.multiply(decay, gain * lift, out=row)
            row += self.rest * tone + gain * effort
            row += breath
            row += _PRESSURE_NOISE_CMH2O * noise
            if self.channels == 2:
                other = out[1]
                np.multiply(decay, share * gain * lift, out=other)
                other += self.extra_rest + share * gain * effort
                other += 3.0 * breath
                other += _PRESSURE_NOISE_CMH2O * noise[::-1]
        return out

    def _hum(self, first_index: int, n: int) -> NDArray[np.float64]:
        """The 50 Hz hum: a slice of a precomputed table when the rate is a multiple of 50."""
        if self._hum_period:
            return self._hum_table[first_index % self._hum_period :][:n]
        t = np.arange(first_index, first_index + n) / self.rate
        return self._hum_uv * np.sin(2 * np.pi * _MAINS_HZ * t + self._hum_phase)


def _window(bank: NDArray[np.float64], start: int, n: int) -> NDArray[np.float64]:
    """``n`` samples of a looping bank from ``start``: a view unless it wraps."""
    if start + n <= bank.size:
        return bank[start : start + n]
    return bank.take(np.arange(start, start + n), mode="wrap")


@functools.lru_cache(maxsize=32)
def _noise_bank(rate: float, frequency_drop: float) -> NDArray[np.float64]:
    """Looping unit-SD noise with the Shwedyk et al. (1977) sEMG spectrum, band 20-450 Hz.

    Made by shaping a spectrum, so it is periodic: reading past the end wraps without a seam.
    ``frequency_drop`` scales the spectrum's corner frequencies down (fatigued muscle).
    """
    rng = np.random.default_rng(_BANK_SEED)
    spectrum = np.fft.rfft(rng.normal(size=_BANK_SAMPLES))
    f = np.fft.rfftfreq(_BANK_SAMPLES, d=1.0 / rate)
    low_hz, high_hz = 65.0 * (1 - frequency_drop), 130.0 * (1 - frequency_drop)
    power = f**2 * high_hz**4 / ((f**2 + low_hz**2) * (f**2 + high_hz**2) ** 2)
    power[(f < 20.0) | (f > min(450.0, 0.45 * rate))] = 0.0
    noise = np.fft.irfft(spectrum * np.sqrt(power), n=_BANK_SAMPLES)
    std = float(noise.std())
    bank = noise / std if std > 0 else noise
    bank.flags.writeable = False
    return bank


@functools.lru_cache(maxsize=4)
def _slow_bank(cutoff_hz: float) -> NDArray[np.float64]:
    """Looping unit-SD noise sampled at :data:`_CONTROL_HZ`, low-passed at ``cutoff_hz``."""
    rng = np.random.default_rng(_BANK_SEED + 1)
    spectrum = np.fft.rfft(rng.normal(size=_CONTROL_SAMPLES))
    f = np.fft.rfftfreq(_CONTROL_SAMPLES, d=1.0 / _CONTROL_HZ)
    spectrum *= 1.0 / np.sqrt(1.0 + (f / cutoff_hz) ** 4)
    spectrum[0] = 0.0
    noise = np.fft.irfft(spectrum, n=_CONTROL_SAMPLES)
    bank = noise / float(noise.std())
    bank.flags.writeable = False
    return bank


def _draw(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))


# --- replay ---------------------------------------------------------------------------------


class ReplayDevice(PacedDevice):
    """``replay:PATH`` — an EDF(+) recording replayed in real time (``loop=1`` repeats it)."""

    def __init__(
        self,
        spec: ParsedSpec,
        *,
        chunk_s: float,
        realtime: bool,
        mode: SignalKind | None,
    ) -> None:
        query = Query(spec, ("loop", "channel", "kind", "dropout_at", "dropout_s", "disconnect_at"))
        if not spec.target:
            raise spec.fail("name the EDF file to replay, e.g. replay:session.edf")
        kind = query.option("kind", ("emg", "pressure"))
        wanted = query.kind(mode) if (kind or mode) else "auto"
        loop = query.option("loop", ("0", "1")) == "1"
        path = Path(spec.target).expanduser()
        recording = read_edf(path, channel=query.text("channel"), kind=wanted)
        rows = [recording.signal]
        for channel in recording.channels:
            if channel.label.lower() == "abdominal" and channel.label != recording.channel:
                extra = read_edf(path, channel=channel.label, kind=recording.kind)
                if (
                    extra.sampling_rate_hz == recording.sampling_rate_hz
                    and extra.signal.size == recording.signal.size
                ):
                    rows.append(extra.signal)
                break
        labels, units = channel_layout(recording.kind, len(rows))
        info = DeviceInfo(
            spec.text,
            f"Replay of {path.name}",
            recording.kind,
            recording.sampling_rate_hz,
            labels,
            units,
        )
        super().__init__(info, query, chunk_s=chunk_s, realtime=realtime)
        self._samples = np.ascontiguousarray(np.vstack(rows), dtype=np.float64)
        self._loop = loop

    @property
    def length(self) -> int:
        """Samples per channel in the file."""
        return int(self._samples.shape[1])

    def _available(self, first_index: int, n: int) -> int:
        if self._loop:
            return min(n, self.length - first_index % self.length)
        return max(0, min(n, self.length - first_index))

    def _make(self, first_index: int, n: int) -> NDArray[np.float64]:
        start = first_index % self.length
        return self._samples[:, start : start + n].copy()
