"""``pelvio serve`` and ``pelvio db upgrade``."""

from __future__ import annotations

from typing import Annotated

import typer

from pelvio.cliutil import JsonOption, emit, fail

__all__ = ["register"]

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(as_json: JsonOption = False) -> None:
    """Create or migrate the database schema to this version of Pelvio."""
    from pelvio.db import create_db_engine, current_revisions, upgrade
    from pelvio.settings import get_settings

    settings = get_settings()
    engine = create_db_engine(settings.effective_database_url)
    before = sorted(current_revisions(engine))
    upgrade(engine)
    after = sorted(current_revisions(engine))
    emit(
        {"database": engine.url.render_as_string(hide_password=True), "from": before, "to": after},
        as_json=as_json,
        human=lambda d: (
            f"database at revision {', '.join(d['to'])} (was {', '.join(d['from']) or 'empty'})"
        ),
    )


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the web app (default http://127.0.0.1:8000)."""
    import uvicorn

    from pelvio.app import create_app
    from pelvio.db import create_db_engine, current_revisions, head_revisions
    from pelvio.settings import get_settings

    settings = get_settings()
    engine = create_db_engine(settings.effective_database_url)
    if current_revisions(engine) != head_revisions():
        raise fail("the database schema is not up to date: run 'pelvio db upgrade' first")
    engine.dispose()
    if settings.env == "development":
        from pelvio.accounts.demo import demo_logins

        for line in demo_logins(settings):
            typer.echo(line)
    listen_host = host or settings.host
    listen_port = port or settings.port
    typer.echo(f"Pelvio ({settings.env}) at http://{listen_host}:{listen_port}")
    uvicorn.run(
        create_app(settings),
        host=listen_host,
        port=listen_port,
        log_level="info",
        proxy_headers=False,
        server_header=False,
        # Biofeedback frames are float samples: deflate gains little on them and costs the
        # server more CPU per frame than the whole signal pipeline (docs/benchmarks.md).
        ws_per_message_deflate=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``db`` to the command line."""
    app.command("serve")(serve)
    app.add_typer(db_app, name="db")
