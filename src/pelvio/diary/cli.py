"""``pelvio diary metrics`` and ``pelvio diary bowel``: the diary on the command line.

The command line speaks English (metric names as in the ICS texts); the web shows the Dutch
labels. ``--json`` rounds numbers to 3 decimals; the Python API returns them unrounded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Final

import typer

from pelvio.cliutil import JsonOption, emit

__all__ = ["register"]

_JSON_PLACES: Final = 3

_LABELS: Final[dict[str, str]] = {
    "voided_volume_24h_ml": "24-hour voided volume (ml)",
    "nocturnal_urine_volume_ml": "nocturnal urine volume (ml)",
    "npi_pct": "nocturnal polyuria index NPi (%)",
    "nocturnal_polyuria": "nocturnal polyuria",
    "daytime_frequency": "daytime frequency",
    "nocturia": "nocturia (night voids)",
    "frequency_24h": "24-hour frequency",
    "max_voided_volume_ml": "maximum voided volume (ml)",
    "mean_voided_volume_ml": "mean voided volume (ml)",
    "fluid_intake_24h_ml": "fluid intake (ml)",
    "incontinence_episodes_24h": "incontinence episodes",
    "urgency_episodes_24h": "urgency episodes",
    "global_polyuria": "24-hour polyuria",
    "ni": "nocturia index Ni",
    "pnv": "predicted nocturnal voids PNV",
    "nbci": "nocturnal bladder capacity index NBCI",
}
_THREE_DECIMALS: Final = frozenset({"ni", "pnv", "nbci"})

FileArgument = Annotated[
    Path, typer.Argument(metavar="FILE.csv", help="Diary CSV (see docs/diary.md).")
]
SkipOption = Annotated[
    bool,
    typer.Option(
        "--skip-bad-rows",
        help="Skip malformed rows and list them under warnings, instead of refusing the file.",
    ),
]


def _rounded(value: Any, places: int = _JSON_PLACES) -> Any:
    if isinstance(value, float):
        return round(value, places)
    if isinstance(value, dict):
        return {key: _rounded(item, places) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item, places) for item in value]
    return value


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, dict):
        return "yes" if value["present"] else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.3f}" if key in _THREE_DECIMALS else f"{value:.1f}"
    return str(value)


def _human_metrics(data: dict[str, Any]) -> str:
    periods = data["periods"]
    complete = sum(1 for p in periods if p["complete"])
    heads = ["mean"] + [f"P{i}" + ("" if p["complete"] else "*") for i, p in enumerate(periods, 1)]
    lines = [
        f"Bladder diary (ICS 2019): {len(periods)} period(s), {complete} complete; the mean is "
        "over the complete ones (* = incomplete).",
        "",
        f"{'':40}" + "".join(f"{h:>10}" for h in heads),
    ]
    for key, label in _LABELS.items():
        cells = [_cell(key, data[key])] + [_cell(key, p[key]) for p in periods]
        lines.append(f"{label:40}" + "".join(f"{c:>10}" for c in cells))
    for key in ("nocturnal_polyuria", "global_polyuria"):
        judged = data[key] or next((p[key] for p in periods if p[key]), None)
        if judged:
            lines.append(f"  {_LABELS[key]}: {judged['reason']}")
    lines.append("")
    for i, p in enumerate(periods, 1):
        state = "complete" if p["complete"] else "incomplete"
        lines.append(f"P{i}: {p['start']} → {p['end']} ({p['duration_h']:g} h, {state})")
    if data["warnings"]:
        lines.append("")
        lines.append("Warnings:")
        lines.extend(f"  - {w['message']}" for w in data["warnings"])
    return "\n".join(lines)


def _read(file: Path, skip_bad_rows: bool) -> tuple[Any, list[dict[str, Any]]]:
    from pelvio.diary.fileio import read_diary_csv

    imported = read_diary_csv(file, on_error="warn" if skip_bad_rows else "raise")
    skipped = [
        {"code": "skipped_row", "message": f"{file}, {problem}", "period": None, "time": None}
        for problem in imported.skipped
    ]
    return imported.events, skipped


def metrics(
    file: FileArgument,
    age: Annotated[
        float | None,
        typer.Option(
            "--age", metavar="YEARS", help="Age, to choose the nocturnal polyuria cut-off."
        ),
    ] = None,
    weight_kg: Annotated[
        float | None,
        typer.Option("--weight-kg", metavar="KG", help="Body weight, for 24-hour polyuria."),
    ] = None,
    skip_bad_rows: SkipOption = False,
    as_json: JsonOption = False,
) -> None:
    """ICS bladder diary metrics per 24-hour period and their mean over complete periods."""
    from pelvio.diary.metrics import diary_metrics

    events, skipped = _read(file, skip_bad_rows)
    report = diary_metrics(events, age_years=age, weight_kg=weight_kg)
    data = report.as_dict()
    data["warnings"] = skipped + data["warnings"]
    emit(_rounded(data), as_json=as_json, human=_human_metrics)


def _human_bowel(data: dict[str, Any]) -> str:
    s = data["summary"]
    lines = [
        f"Bowel diary: {s['movements']} movement(s) in {s['days']} day(s), "
        f"{s['spontaneous_per_week']:.1f} spontaneous a week; Bristol 1–7: "
        + " ".join(str(c) for c in s["bristol_counts"]),
        f"Rome IV functional constipation: {data['status'].replace('_', ' ')}",
    ]
    for c in data["criteria"]:
        mark = {True: "yes", False: "no", None: "?"}[c["met"]]
        lines.append(f"  [{mark:>3}] {c['label']}")
    lines.extend(f"  - {reason}" for reason in data["reasons"])
    lines.append(data["advice"])
    return "\n".join(lines)


def _flag(name: str, text: str) -> Any:
    return typer.Option(f"--{name}/--no-{name}", help=text, show_default=False)


def bowel(
    file: FileArgument,
    days: Annotated[
        int | None, typer.Option("--days", help="Days the diary was kept (default: its span).")
    ] = None,
    symptoms_3_months: Annotated[
        bool | None, _flag("symptoms-3-months", "The complaints have been there 3 months.")
    ] = None,
    onset_6_months: Annotated[
        bool | None, _flag("onset-6-months", "They started at least 6 months ago.")
    ] = None,
    pain_with_bowel: Annotated[
        bool | None,
        _flag("pain-with-bowel", "Belly pain linked to bowel movements, weekly or more."),
    ] = None,
    skip_bad_rows: SkipOption = False,
    as_json: JsonOption = False,
) -> None:
    """Bowel diary summary and the Rome IV functional constipation check (advice, no diagnosis)."""
    from dataclasses import asdict

    from pelvio.diary.bowel import RomeIVAnswers, rome_iv_check

    events, skipped = _read(file, skip_bad_rows)
    answers = RomeIVAnswers(
        symptoms_3_months=symptoms_3_months,
        onset_6_months=onset_6_months,
        pain_with_bowel=pain_with_bowel,
    )
    check = rome_iv_check(events, answers, days=days)
    summary = asdict(check.summary)
    summary["bristol_counts"] = list(check.summary.bristol_counts)
    data = {
        "status": check.status,
        "criteria": [
            {"key": c.key, "met": c.met, "observed": c.observed, "label": c.en}
            for c in check.criteria
        ],
        "reasons": [r.en for r in check.reasons],
        "advice": check.advice_en,
        "sources": list(check.sources),
        "summary": summary,
        "warnings": skipped,
    }
    emit(_rounded(data), as_json=as_json, human=_human_bowel)


def register(app: typer.Typer) -> None:
    """Add ``pelvio diary metrics`` and ``pelvio diary bowel`` to ``app``."""
    diary = typer.Typer(name="diary", help="Bladder and bowel diaries.", no_args_is_help=True)
    diary.command("metrics")(metrics)
    diary.command("bowel")(bowel)
    app.add_typer(diary, name="diary")
