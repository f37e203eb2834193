"""The binary frame that carries samples from a probe to the server and on to a browser.

One frame is a 32-byte little-endian header followed by float32 samples, channel 0 first::

    offset size field
    0      2    magic b"PV"
    2      1    version (1)
    3      1    kind: 1 = raw (all channels), 2 = envelope (channel 0, decimated)
    4      4    seq: uint32, +1 per frame of one stream and kind; a jump means frames were lost
    8      8    t_s: float64, device time of the first sample (sample index / rate)
    16     8    wall_ms: float64, Unix time in ms at which the newest source sample was taken
    24     4    rate_hz: float32, sampling rate of the samples in this frame
    28     2    n: uint16, samples per channel
    30     1    channels: uint8
    31     1    flags: bit 0 dropout in this frame, bit 1 contraction under way
    32     ...  float32[channels * n]

A browser reads it with one ``DataView`` and one ``Float32Array(buffer, 32, channels * n)``;
the header length keeps the samples 4-byte aligned. ``wall_ms`` travels unchanged from the
device to the canvas, which is how end-to-end latency is measured (docs/benchmarks.md).
Control messages (hello, cues, scores, dropouts) are JSON text frames beside these.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from pelvio.errors import InputError

__all__ = [
    "ENVELOPE",
    "FLAG_ACTIVE",
    "FLAG_DROPOUT",
    "HEADER_BYTES",
    "MAX_SAMPLES",
    "RAW",
    "Frame",
    "decode_frame",
    "encode_frame",
    "pack_frame",
]

MAGIC: Final = b"PV"
VERSION: Final = 1
RAW: Final = 1
ENVELOPE: Final = 2
FLAG_DROPOUT: Final = 1
FLAG_ACTIVE: Final = 2
MAX_SAMPLES: Final = 0xFFFF
MAX_CHANNELS: Final = 8

_HEADER: Final = struct.Struct("<2sBBIddfHBB")
HEADER_BYTES: Final = _HEADER.size


@dataclass(frozen=True, slots=True)
class Frame:
    """A decoded frame: ``samples`` has shape ``(channels, n)``."""

    kind: int
    seq: int
    t_s: float
    wall_ms: float
    rate_hz: float
    samples: NDArray[np.float32]
    flags: int = 0

    @property
    def n(self) -> int:
        """Samples per channel."""
        return int(self.samples.shape[1])

    @property
    def channels(self) -> int:
        """Number of channels."""
        return int(self.samples.shape[0])


def encode_frame(
    kind: int,
    seq: int,
    t_s: float,
    wall_ms: float,
    rate_hz: float,
    samples: NDArray[np.floating] | NDArray[np.float32],
    flags: int = 0,
) -> bytes:
    """Pack ``samples`` (1-D for one channel, or ``(channels, n)``) into one frame.

    Raises
    ------
    InputError
        An unknown kind, too many channels or samples, or samples that are not finite.
    """
    data = np.asarray(samples, dtype="<f4")
    if data.ndim == 1:
        data = data.reshape(1, -1)
    if kind not in (RAW, ENVELOPE):
        raise InputError(f"frame kind must be {RAW} (raw) or {ENVELOPE} (envelope)", field="kind")
    if data.ndim != 2 or not 1 <= data.shape[0] <= MAX_CHANNELS:
        raise InputError(f"a frame carries 1 to {MAX_CHANNELS} channels", field="samples")
    if data.shape[1] > MAX_SAMPLES:
        raise InputError(f"a frame carries at most {MAX_SAMPLES} samples", field="samples")
    # One sum instead of a mask: finite samples give a finite sum (float32 overflow aside,
    # which the mask then settles); this runs for every frame of every live stream.
    if not np.isfinite(data.sum(dtype=np.float64)) and not np.isfinite(data).all():
        raise InputError("frame samples must be finite numbers", field="samples")
    return pack_frame(kind, seq, t_s, wall_ms, rate_hz, data, flags)


def pack_frame(
    kind: int,
    seq: int,
    t_s: float,
    wall_ms: float,
    rate_hz: float,
    data: NDArray[np.float32],
    flags: int = 0,
) -> bytes:
    """:func:`encode_frame` without its checks, for a hub's own frames: ``data`` must be
    little-endian float32 of shape ``(channels, n)`` within the limits, and finite, as the
    samples of a live session are once the recorder has taken them."""
    header = _HEADER.pack(
        MAGIC,
        VERSION,
        kind,
        seq & 0xFFFFFFFF,
        t_s,
        wall_ms,
        rate_hz,
        data.shape[1],
        data.shape[0],
        flags & 0xFF,
    )
    return header + data.tobytes()


def decode_frame(payload: bytes) -> Frame:
    """Unpack one frame, checking that it is whole.

    Raises
    ------
    InputError
        Not a Pelvio frame, an unsupported version, or a length that does not match the header
        (a truncated or padded message).
    """
    if len(payload) < HEADER_BYTES:
        raise InputError(
            f"frame too short: {len(payload)} bytes, the header alone is {HEADER_BYTES}",
            field="frame",
        )
    magic, version, kind, seq, t_s, wall_ms, rate_hz, n, channels, flags = _HEADER.unpack_from(
        payload
    )
    if magic != MAGIC:
        raise InputError("not a Pelvio frame (bad magic)", field="frame")
    if version != VERSION:
        raise InputError(f"unsupported frame version {version}, expected {VERSION}", field="frame")
    if kind not in (RAW, ENVELOPE):
        raise InputError(f"unknown frame kind {kind}", field="frame")
    if not 1 <= channels <= MAX_CHANNELS:
        raise InputError(f"a frame carries 1 to {MAX_CHANNELS} channels", field="frame")
    expected = HEADER_BYTES + 4 * n * channels
    if len(payload) != expected:
        raise InputError(
            f"frame length {len(payload)} bytes does not match its header ({expected} bytes)",
            field="frame",
        )
    if not (rate_hz > 0 and np.isfinite(rate_hz)):
        raise InputError("frame sampling rate must be a positive number", field="frame")
    samples = np.frombuffer(payload, dtype="<f4", offset=HEADER_BYTES).reshape(channels, n)
    if not np.isfinite(samples.sum(dtype=np.float64)) and not np.isfinite(samples).all():
        raise InputError("frame samples must be finite numbers", field="frame")
    return Frame(kind, seq, t_s, wall_ms, float(rate_hz), samples, flags)
