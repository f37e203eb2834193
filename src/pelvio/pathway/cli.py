"""``pelvio pathway``: explain what an intake leads to."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from pelvio.cliutil import JsonOption, emit, fail
from pelvio.errors import InputError

__all__ = ["register"]


def _read_answers(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise fail(f"{path}: cannot read the answers file: {reason}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"{path}, line {exc.lineno}: not valid JSON: {exc.msg}") from exc


def _start_date(value: str | None) -> dt.date:
    if value is None:
        return dt.datetime.now(dt.UTC).astimezone().date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"--start must be a date as YYYY-MM-DD, got {value!r}") from exc


def register(app: typer.Typer) -> None:
    """Add the ``pathway`` command group to ``app``."""
    pathway = typer.Typer(
        name="pathway",
        help="Care pathway: intake rules, plan, check-ins and reimbursement.",
        no_args_is_help=True,
    )

    @pathway.command("explain")
    def explain_command(
        answers: Annotated[
            Path,
            typer.Option(
                "--answers",
                help="Intake answers as JSON (format in docs/pathway.md).",
                dir_okay=False,
            ),
        ],
        as_json: JsonOption = False,
        start: Annotated[
            str | None,
            typer.Option("--start", help="First day of the plan, YYYY-MM-DD (default today)."),
        ] = None,
        lang: Annotated[
            str, typer.Option("--lang", help="Language of the text output: nl or en.")
        ] = "nl",
    ) -> None:
        """Print the classification, the plan and the reasons for an intake."""
        from pelvio.pathway.explain import explain, explain_text
        from pelvio.pathway.intake import answers_from_mapping

        if lang not in ("nl", "en"):
            raise fail(f"--lang must be 'nl' or 'en', got {lang!r}")
        start_date = _start_date(start)
        data = _read_answers(answers)
        if not isinstance(data, dict):
            raise fail(f"{answers}: the answers must be a JSON object, got {type(data).__name__}")
        try:
            doc = explain(answers_from_mapping(data), start_date)
        except InputError as exc:
            raise fail(f"{answers}: {exc}") from exc
        emit(doc, as_json=as_json, human=lambda d: explain_text(d, "en" if lang == "en" else "nl"))

    app.add_typer(pathway, name="pathway")
