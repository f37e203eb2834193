"""Shared pieces for the feature command modules (``pelvio/<feature>/cli.py``).

A feature module defines ``register(app: typer.Typer) -> None`` and adds its commands there,
importing heavy libraries (NumPy, SciPy) inside the command functions so ``pelvio --help``
stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer

__all__ = ["JsonOption", "emit", "fail"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def emit(data: Any, *, as_json: bool, human: Callable[[Any], str] | None = None) -> None:
    """Print ``data`` as one JSON document, or through ``human`` as readable text."""
    if as_json or human is None:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        typer.echo(human(data))


def fail(message: str) -> typer.Exit:
    """Print ``message`` as one error line on stderr and return the Exit (status 2) to raise."""
    typer.echo(f"pelvio: error: {message}", err=True)
    return typer.Exit(code=2)
