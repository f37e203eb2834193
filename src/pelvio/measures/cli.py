"""``pelvio score INSTRUMENT --answers k=v,...``: score a questionnaire on the command line.

Prints ``{"instrument", "total", "subscales", "band"}`` (``band`` only for an instrument that
has bands, with its source), rounded to 2 decimals for display. ``pelvio score --list`` shows
the instruments and their item keys.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pelvio.cliutil import JsonOption, emit, fail

__all__ = ["parse_answers", "register"]


def parse_answers(text: str) -> dict[str, int]:
    """Read ``"q3=2, q4=2,q5=5"`` into ``{"q3": 2, "q4": 2, "q5": 5}``.

    Raises
    ------
    pelvio.errors.InputError
        A pair that is not ``key=whole number``, or a key given twice.
    """
    from pelvio.errors import InputError

    answers: dict[str, int] = {}
    for pair in text.split(","):
        if not pair.strip():
            continue
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise InputError(f"--answers: {pair.strip()!r} is not key=value", field="answers")
        if key in answers:
            raise InputError(f"--answers: {key} is given twice", field=key)
        try:
            answers[key] = int(value)
        except ValueError:
            raise InputError(
                f"--answers: {key} must be a whole number, got {value!r}", field=key
            ) from None
    if not answers:
        raise InputError(
            "--answers is empty; give key=value pairs such as q3=2,q4=2", field="answers"
        )
    return answers


def _listing() -> list[dict[str, Any]]:
    from pelvio.measures.instruments import INSTRUMENTS

    return [
        {
            "instrument": instrument.key,
            "name": instrument.name,
            "items": {item.key: list(item.values) for item in instrument.items},
            "subscales": {s.key: list(s.items) for s in instrument.scales},
            "total_range": [instrument.total_low, instrument.total_high],
            "reference": instrument.reference,
            "licence": instrument.licence,
            "missing_rule": instrument.missing_rule,
        }
        for instrument in INSTRUMENTS.values()
    ]


def _human_listing(data: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for entry in data:
        lines.append(f"{entry['instrument']:12} {entry['name']}")
        keys = list(entry["items"])
        lines.append(f"{'':12} items {keys[0]} … {keys[-1]} ({len(keys)})")
    return "\n".join(lines)


def _human_score(data: dict[str, Any], ranges: dict[str, str]) -> str:
    lines = [f"{data['instrument']}: total {data['total']} ({ranges['total']})"]
    for key, value in data["subscales"].items():
        lines.append(f"  {key:8} {value:>7} ({ranges[key]})")
    if "band" in data:
        band = data["band"]
        if band is None:
            lines.append("  band: none (the total falls in no published band)")
        else:
            low, high = band["range"]
            lines.append(f"  band: {band['label']} ({low}–{high}); {band['source']}")
    lines.append("Computed exactly; shown rounded to 2 decimals.")
    return "\n".join(lines)


def score_command(
    instrument: Annotated[
        str | None,
        typer.Argument(help="iciq-ui-sf, pfdi-20, pfiq-7, wexner or pgi-i.", show_default=False),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option("--answers", metavar="K=V,...", help="Answers such as q3=2,q4=2,q5=5."),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the instruments and their item keys.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Score a questionnaire exactly as published (clinical.md §5)."""
    from pelvio.measures.instruments import get_instrument
    from pelvio.measures.scoring import score

    if list_:
        emit(_listing(), as_json=as_json, human=_human_listing)
        return
    if instrument is None:
        raise fail("give an INSTRUMENT (see pelvio score --list)")
    definition = get_instrument(instrument)
    if answers is None:
        raise fail(f"give --answers for {definition.key}, such as {definition.items[0].key}=…")
    result = score(definition, parse_answers(answers))
    if result.total is None:
        raise fail(f"{definition.key}: " + " ".join(en for _, en in result.notes))
    ranges = {"total": f"{definition.total_low}–{definition.total_high}"}
    ranges.update({s.key: f"0–{s.high}" for s in definition.scales})
    emit(result.as_dict(), as_json=as_json, human=lambda data: _human_score(data, ranges))


def register(app: typer.Typer) -> None:
    """Add ``pelvio score`` to ``app``."""
    app.command("score")(score_command)
