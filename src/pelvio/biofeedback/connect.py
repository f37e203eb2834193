"""``pelvio connect``: stream a probe on this computer into a live session on a Pelvio server.

The client speaks the server's ingest protocol (:mod:`pelvio.biofeedback.ws`): a WebSocket to
``/ws/ingest`` with the session's pairing code as a bearer token, a JSON hello describing the
probe, then one raw frame (:mod:`pelvio.biofeedback.protocol`) per device chunk. Lost samples
need no message: the next frame's time jumps and the server fills and annotates the gap.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from pelvio.biofeedback.devices import Chunk, Device
from pelvio.biofeedback.protocol import RAW, encode_frame
from pelvio.errors import AuthenticationError, DeviceError, InputError

__all__ = ["ingest_url", "stream_to_server"]

HANDSHAKE_TIMEOUT_S: Final = 10.0


def ingest_url(server: str) -> str:
    """``http(s)://host[:port][/prefix]`` → ``ws(s)://host[:port][/prefix]/ws/ingest``."""
    parts = urlsplit(server.strip())
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.netloc:
        raise InputError(
            f"--server must be an address like http://127.0.0.1:8000, got {server!r}",
            field="server",
        )
    scheme = "wss" if parts.scheme in ("https", "wss") else "ws"
    return urlunsplit((scheme, parts.netloc, parts.path.rstrip("/") + "/ws/ingest", "", ""))


def hello_document(device: Device) -> dict[str, Any]:
    """What the server needs to know about the probe."""
    info = device.info
    return {
        "type": "hello",
        "device": {
            "name": info.name,
            "kind": info.kind,
            "sampling_rate_hz": info.sampling_rate_hz,
            "labels": list(info.labels),
            "units": list(info.units),
        },
    }


async def stream_to_server(
    device: Device,
    server: str,
    code: str,
    *,
    on_status: Callable[[str], None] = lambda _: None,
) -> int:
    """Stream ``device`` into the session ``code`` opens until it ends; returns frames sent.

    Raises
    ------
    AuthenticationError
        The server refused the pairing code.
    DeviceError
        The server or the probe went away.
    """
    url = ingest_url(server)
    headers = {"Authorization": f"Bearer {code.strip()}"}
    sent = 0
    try:
        async with (
            websockets.connect(
                url, additional_headers=headers, open_timeout=HANDSHAKE_TIMEOUT_S, max_size=2**20
            ) as ws,
            device,
        ):
            await ws.send(json.dumps(hello_document(device)))
            reply = json.loads(await ws.recv())
            if reply.get("type") != "ready":
                raise DeviceError(f"the server refused the probe: {reply.get('message', reply)}")
            on_status(f"streaming {device.info.name} into the session")
            rate = device.info.sampling_rate_hz
            async for item in device.stream():
                if not isinstance(item, Chunk):
                    on_status(f"dropout: {item.reason}")
                    continue
                frame = encode_frame(
                    RAW, sent, item.first_index / rate, item.wall_ms, rate, item.samples
                )
                await ws.send(frame)
                sent += 1
    except InvalidStatus as exc:
        raise AuthenticationError(f"the server refused the connection ({exc})") from None
    except ConnectionClosed as exc:
        if exc.rcvd is not None and exc.rcvd.code == 1008:
            raise AuthenticationError(
                f"the server closed the connection: {exc.rcvd.reason or 'pairing code refused'}"
            ) from None
        on_status("the session ended")
    except (OSError, InvalidHandshake, TimeoutError) as exc:
        raise DeviceError(f"cannot reach {url}: {exc}") from None
    return sent
