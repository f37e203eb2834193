"""``pelvio demo`` and ``pelvio user create``."""

from __future__ import annotations

from typing import Annotated

import typer

from pelvio.cliutil import JsonOption, emit, fail

__all__ = ["register"]

user_app = typer.Typer(help="Accounts.", no_args_is_help=True)


def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the database has users already.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Create a demo clinic, one therapist and two patients with some history."""
    from pelvio.accounts.demo import DEMO_ACCOUNTS, database_is_empty, load_demo
    from pelvio.db import create_db_engine, make_session_factory, session_scope
    from pelvio.settings import get_settings

    settings = get_settings()
    engine = create_db_engine(settings.effective_database_url)
    with session_scope(make_session_factory(engine)) as db:
        if not database_is_empty(db):
            if if_empty:
                emit(
                    {"created": False},
                    as_json=as_json,
                    human=lambda _: "demo data: kept the existing database",
                )
                return
            raise fail("the database has users already; demo data goes only into an empty one")
        load_demo(db)
    emit(
        {
            "created": True,
            "accounts": [{"email": a.email, "role": a.role.value} for a in DEMO_ACCOUNTS],
        },
        as_json=as_json,
        human=lambda d: "demo data created: " + ", ".join(a["email"] for a in d["accounts"]),
    )


@user_app.command("create")
def create(
    email: Annotated[str, typer.Option(help="E-mail address (the login).")],
    name: Annotated[str, typer.Option(help="Display name.")],
    role: Annotated[str, typer.Option(help="patient, therapist or admin.")],
    as_json: JsonOption = False,
) -> None:
    """Create an account; the password is asked for twice and never echoed."""
    from pelvio.accounts import service
    from pelvio.db import create_db_engine, make_session_factory, session_scope
    from pelvio.settings import get_settings

    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = create_db_engine(get_settings().effective_database_url)
    with session_scope(make_session_factory(engine)) as db:
        user = service.create_user(db, email=email, password=password, display_name=name, role=role)
        public_id = user.public_id
    emit(
        {"id": public_id, "role": role},
        as_json=as_json,
        human=lambda d: f"created {role} {d['id']}",
    )


def register(app: typer.Typer) -> None:
    """Add ``demo`` and ``user`` to the command line."""
    app.command("demo")(demo)
    app.add_typer(user_app, name="user")
