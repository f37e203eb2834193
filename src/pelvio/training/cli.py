"""``pelvio program list|show``: the training programmes and their timelines."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pelvio.cliutil import JsonOption, emit, fail
from pelvio.errors import InputError

__all__ = ["register"]


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _list_human(rows: list[dict[str, Any]]) -> str:
    width = max(len(row["id"]) for row in rows)
    lines = []
    for row in rows:
        per_day = (
            f"{row['sessions_per_day']}x/dag" if row["sessions_per_day"] else "schema, bij aandrang"
        )
        levels = "1 niveau" if row["levels"] == 1 else f"niveaus 1-{row['levels']}"
        lines.append(
            f"{row['id']:<{width}}  {row['title']['nl']}  "
            f"({per_day}; {levels}; {_clock(row['total_duration_s'])} op niveau 1)"
        )
    return "\n".join(lines)


def _show_human(document: dict[str, Any]) -> str:
    per_day = document["sessions_per_day"] or "0 (bij aandrang)"
    lines = [
        f"{document['id']}: {document['title']['nl']} / {document['title']['en']}",
        f"sessies per dag: {per_day}   duur: {_clock(document['total_duration_s'])}",
        f"bron: {document['source']}",
        "",
    ]
    start = 0
    for step in document["steps"]:
        end = start + step["duration_s"]
        lines.append(
            f"{_clock(start):>5}-{_clock(end):<5} {step['action']:<8} "
            f"{step['target']:.1f}  {step['text_nl']}"
        )
        start = end
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add the ``program`` command group to ``app``."""
    program = typer.Typer(
        name="program",
        help="Training programmes and their timelines.",
        no_args_is_help=True,
    )

    @program.command("list")
    def list_programmes(as_json: JsonOption = False) -> None:
        """List the programmes."""
        from pelvio.training import PROGRAMMES, build_timeline

        rows = [
            {
                "id": p.id,
                "title": {"nl": p.title.nl, "en": p.title.en},
                "kind": p.kind,
                "sessions_per_day": p.sessions_per_day,
                "levels": p.max_level,
                "total_duration_s": build_timeline(p, 1).total_duration_s,
                "source": p.source,
            }
            for p in PROGRAMMES.values()
        ]
        emit(rows, as_json=as_json, human=_list_human)

    @program.command("show")
    def show(
        programme_id: Annotated[str, typer.Argument(metavar="ID", help="Programme id.")],
        level: Annotated[int, typer.Option("--level", help="Level, 1 up to the top.")] = 1,
        as_json: JsonOption = False,
    ) -> None:
        """Show one level of a programme as timed steps."""
        from pelvio.training import PROGRAMME_IDS, get_programme, programme_document

        if programme_id not in PROGRAMME_IDS:
            raise fail(f"unknown programme {programme_id!r}; valid ids: {', '.join(PROGRAMME_IDS)}")
        programme = get_programme(programme_id)
        try:
            document = programme_document(programme, level)
        except InputError as exc:
            raise fail(str(exc)) from None
        emit(document, as_json=as_json, human=_show_human)

    app.add_typer(program)
