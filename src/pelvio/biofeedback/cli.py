"""``pelvio connect`` and ``pelvio devices``."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from pelvio.cliutil import JsonOption, emit, fail

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``connect`` and ``devices`` to ``app``."""

    @app.command("connect")
    def connect(
        device: Annotated[
            str, typer.Option(help="The probe, e.g. sim:healthy, serial:/dev/ttyACM0?rate=1000.")
        ],
        server: Annotated[
            str, typer.Option(help="The Pelvio server, e.g. https://pelvio.example.")
        ],
        code: Annotated[
            str | None,
            typer.Option(
                help="The pairing code the session page shows (or PELVIO_PAIRING_CODE).",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Stream a probe on this computer into a live session on a server."""
        import asyncio

        from pelvio.biofeedback.connect import stream_to_server
        from pelvio.biofeedback.devices import open_device
        from pelvio.errors import PelvioError

        pairing = code or os.environ.get("PELVIO_PAIRING_CODE", "")
        if not pairing.strip():
            raise fail("give the session's pairing code with --code or PELVIO_PAIRING_CODE")
        try:
            probe = open_device(device)
            sent = asyncio.run(
                stream_to_server(
                    probe, server, pairing, on_status=lambda s: typer.echo(s, err=True)
                )
            )
        except PelvioError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise typer.Exit(code=130) from None
        typer.echo(f"sent {sent} frames")

    @app.command("devices")
    def devices(as_json: JsonOption = False) -> None:
        """List the probes this computer can open, with the spec to pass to --device."""
        from pelvio.biofeedback.devices import available_devices

        found = [
            {
                "spec": d.spec,
                "name": d.name,
                "kind": d.kind,
                "sampling_rate_hz": d.sampling_rate_hz,
                "channels": list(d.labels),
            }
            for d in available_devices()
        ]
        emit(
            found,
            as_json=as_json,
            human=lambda rows: "\n".join(f"{r['spec']:<40} {r['name']}" for r in rows),
        )
