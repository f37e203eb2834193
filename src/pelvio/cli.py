"""The ``pelvio`` command line.

Human-readable text by default, one JSON document with ``--json``. A user error is one line on
stderr and exit status 2, never a traceback. Each feature adds its commands through a
``register(app)`` function in its own ``cli`` module, found through :mod:`pelvio.features`.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pelvio import __version__
from pelvio.errors import PelvioError

__all__ = ["app", "main"]

app = typer.Typer(
    name="pelvio",
    help="Pelvic floor muscle training with biofeedback.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"pelvio {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Pelvio: pelvic floor muscle training with biofeedback."""


def _register_features() -> None:
    from pelvio.features import feature_modules

    for feature in feature_modules("cli"):
        feature.register(app)


_register_features()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``pelvio`` script."""
    try:
        status = app(args=argv, standalone_mode=False)
    except PelvioError as exc:
        typer.echo(f"pelvio: error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("pelvio: aborted", err=True)
        sys.exit(130)
    except typer.TyperException as exc:
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        typer.echo(f"pelvio: error: {' '.join(str(message).split())}", err=True)
        sys.exit(getattr(exc, "exit_code", 2))
    except BrokenPipeError:
        sys.exit(0)
    if isinstance(status, int) and status:
        sys.exit(status)
