"""The explanation of an intake as one JSON document, and as readable text.

:func:`explain` is what ``pelvio pathway explain --json`` prints and what the web layer can store
or show. Its keys are stable and documented in ``docs/pathway.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pelvio._check import check_option
from pelvio.pathway.checkin import CheckinResult
from pelvio.pathway.intake import IntakeAnswers, answers_to_mapping
from pelvio.pathway.plan import Advice, Plan, RuleHit, build_plan
from pelvio.pathway.reimbursement import REGISTRATION_FACTS, Statement, reimbursement
from pelvio.pathway.sources import LANGUAGES, Lang, Source, Text

__all__ = [
    "DISCLAIMER",
    "EXPLAIN_FORMAT",
    "checkin_to_dict",
    "explain",
    "explain_text",
    "plan_to_dict",
]

EXPLAIN_FORMAT = "pelvio-pathway-explain/1"

DISCLAIMER = Text(
    "Pelvio stelt geen diagnose. Het geeft advies op basis van gepubliceerde richtlijnen en "
    "folders. Twijfel je? Vraag je huisarts of een bekkenfysiotherapeut.",
    "Pelvio does not diagnose. It gives advice based on published guidelines and leaflets. "
    "In doubt? Ask your GP or a pelvic physiotherapist.",
)


def _sources(srcs: tuple[Source, ...]) -> list[dict[str, str]]:
    return [s.as_dict() for s in srcs]


def _hit(hit: RuleHit) -> dict[str, Any]:
    return {
        "rule": hit.rule_id,
        "reason": hit.reason.as_dict(),
        "evidence": [e.as_dict() for e in hit.evidence],
        "sources": _sources(hit.sources),
    }


def _advice(a: Advice) -> dict[str, Any]:
    return {
        "rule": a.hit.rule_id,
        "kind": a.kind,
        "text": a.text.as_dict(),
        "due": a.due.isoformat() if a.due else None,
        "evidence": [e.as_dict() for e in a.hit.evidence],
        "sources": _sources(a.hit.sources),
    }


def _statement(s: Statement) -> dict[str, Any]:
    return {
        "id": s.id,
        "text": s.text.as_dict(),
        "as_of": s.as_of.isoformat(),
        "sources": _sources(s.sources),
    }


def _date(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The JSON form of a plan (the ``plan`` key of :func:`explain`, plus its classification)."""
    seek = plan.classification.seek_care_now
    return {
        "start_date": plan.start_date.isoformat(),
        "status": plan.status,
        "seek_care_now": _advice(seek) if seek else None,
        "classification": [
            {"condition": f.condition, "title": f.title.as_dict(), **_hit(f.hit)}
            for f in plan.classification.findings
        ],
        "plan": {
            "programmes": [
                {
                    "id": p.programme_id,
                    "slot": p.slot,
                    "order": p.order,
                    "reasons": [_hit(h) for h in p.reasons],
                }
                for p in plan.programmes
            ],
            "held_back": [_hit(h) for h in plan.held_back],
            "advice": [_advice(a) for a in plan.advice],
            "physiotherapist_advised": plan.physiotherapist_advised,
            "schedule": [
                {
                    "point": c.id,
                    "due": c.due.isoformat(),
                    "questionnaires": list(c.questionnaires),
                    "diaries": list(c.diaries),
                    "diary_from": _date(c.diary_from),
                    "diary_to": _date(c.diary_to),
                }
                for c in plan.schedule
            ],
            "reminders": [
                {"time": r.time.strftime("%H:%M"), "label": r.label.as_dict()}
                for r in plan.reminders
            ],
            "articles": list(plan.articles),
        },
        "rules_fired": list(plan.rules_fired),
    }


def explain(answers: IntakeAnswers, start_date: dt.date) -> dict[str, Any]:
    """Everything the intake leads to, as one JSON-ready dict with stable keys.

    Keys: ``format``, ``answers``, ``start_date``, ``status``, ``seek_care_now``,
    ``classification``, ``plan``, ``reimbursement``, ``registration``, ``rules_fired``,
    ``disclaimer`` (see ``docs/pathway.md``). Every text is given as ``{"nl": ..., "en": ...}``.
    """
    plan = build_plan(answers, start_date)
    statements = reimbursement(
        answers.country, answers.age_years, answers.complaints, answers.life_phases
    )
    registration = REGISTRATION_FACTS if answers.country == "NL" else ()
    return {
        "format": EXPLAIN_FORMAT,
        "answers": answers_to_mapping(answers),
        **plan_to_dict(plan),
        "reimbursement": [_statement(s) for s in statements],
        "registration": [_statement(s) for s in registration],
        "disclaimer": DISCLAIMER.as_dict(),
    }


def checkin_to_dict(result: CheckinResult) -> dict[str, Any]:
    """The JSON form of a check-in result."""
    p = result.progress
    return {
        "outcome": result.outcome,
        "rule": result.rule_id,
        "reason": result.reason.as_dict(),
        "less_often": result.less_often,
        "sources": _sources(result.sources),
        "progress": {
            "iciq_change": p.iciq_change,
            "diary_leak_fraction": p.diary_leak_fraction,
            "worse": p.worse,
            "improved": p.improved,
            "enough_improved": p.enough_improved,
            "resolved": p.resolved,
        },
        "notes": [
            {"rule": n.id, "text": n.text.as_dict(), "sources": _sources(n.sources)}
            for n in result.notes
        ],
    }


# ---------------------------------------------------------------------------------------------
# Readable text

_HEADINGS: dict[str, Text] = {
    "title": Text("Pelvio: uitleg bij je intake", "Pelvio: your intake explained"),
    "seek": Text("Eerst: zoek nu zorg", "First: seek care now"),
    "classification": Text("Wat je antwoorden laten zien", "What your answers show"),
    "none": Text("Geen klachtpatroon herkend.", "No complaint pattern recognised."),
    "plan": Text("Je oefenprogramma's", "Your training programmes"),
    "held": Text("Bewust nog niet", "Deliberately not yet"),
    "advice": Text("Advies", "Advice"),
    "schedule": Text("Check-ins", "Check-ins"),
    "reminders": Text("Herinneringen", "Reminders"),
    "reimbursement": Text("Vergoeding", "Reimbursement"),
    "registration": Text("Geregistreerde bekkenfysiotherapeut", "Registered pelvic physio"),
    "why": Text("Waarom", "Why"),
    "based_on": Text("Op basis van", "Based on"),
    "source": Text("Bron", "Source"),
    "from": Text("vanaf", "from"),
    "as_of": Text("stand", "as of"),
    "diary": Text("dagboek", "diary"),
    "questionnaires": Text("vragenlijsten", "questionnaires"),
    "start": Text("Start", "Start"),
}

_KIND_LABEL: dict[str, Text] = {
    "seek-care-now": Text("zoek nu zorg", "seek care now"),
    "physiotherapist": Text("bekkenfysiotherapeut", "pelvic physiotherapist"),
    "gp": Text("huisarts", "GP"),
    "self-care": Text("zelf doen", "self-care"),
}


def _src_line(srcs: list[dict[str, str]]) -> str:
    return "; ".join(f"{s['title']} ({s['citation']})" for s in srcs)


def explain_text(doc: dict[str, Any], lang: Lang = "nl") -> str:
    """Render an :func:`explain` document as plain text in ``lang``."""
    check_option("lang", lang, LANGUAGES)

    def h(key: str) -> str:
        return _HEADINGS[key].in_(lang)

    lines = [f"{h('title')} ({h('start')} {doc['start_date']})", ""]
    seek = doc["seek_care_now"]
    if seek:
        lines += [f"!! {h('seek')}", f"   {seek['text'][lang]}"]
        lines.append(f"   {h('based_on')}: " + " / ".join(e[lang] for e in seek["evidence"]))
        lines += [f"   {h('source')}: {_src_line(seek['sources'])}", ""]
    lines.append(h("classification"))
    if not doc["classification"]:
        lines.append(f"- {h('none')}")
    for f in doc["classification"]:
        lines.append(f"- {f['title'][lang]}")
        lines.append(f"  {h('why')}: {f['reason'][lang]}")
        lines.append(f"  {h('based_on')}: " + " / ".join(e[lang] for e in f["evidence"]))
        lines.append(f"  {h('source')}: {_src_line(f['sources'])}")
    plan = doc["plan"]
    if plan["programmes"]:
        lines += ["", h("plan")]
        for p in plan["programmes"]:
            lines.append(f"{p['order']}. {p['id']}")
            for r in p["reasons"]:
                lines.append(f"   - {r['reason'][lang]} [{r['rule']}]")
    if plan["held_back"]:
        lines += ["", h("held")]
        lines += [f"- {r['reason'][lang]} [{r['rule']}]" for r in plan["held_back"]]
    advice = [a for a in plan["advice"] if a["kind"] != "seek-care-now"]
    if advice:
        lines += ["", h("advice")]
        for a in advice:
            due = f" ({h('from')} {a['due']})" if a["due"] else ""
            lines.append(f"- [{_KIND_LABEL[a['kind']].in_(lang)}]{due} {a['text'][lang]}")
            lines.append(f"  {h('source')}: {_src_line(a['sources'])}")
    if plan["schedule"]:
        lines += ["", h("schedule")]
        for c in plan["schedule"]:
            parts = [f"- {c['point']}: {c['due']}"]
            if c["questionnaires"]:
                parts.append(f"{h('questionnaires')} {', '.join(c['questionnaires'])}")
            if c["diaries"]:
                parts.append(
                    f"{h('diary')} {', '.join(c['diaries'])} {c['diary_from']}..{c['diary_to']}"
                )
            lines.append("; ".join(parts))
    if plan["reminders"]:
        times = ", ".join(r["time"] for r in plan["reminders"])
        lines += ["", f"{h('reminders')}: {times}"]
    for key in ("reimbursement", "registration"):
        if doc[key]:
            lines += ["", h(key)]
            for s in doc[key]:
                lines.append(f"- {s['text'][lang]} ({h('as_of')} {s['as_of']})")
                lines.append(f"  {h('source')}: {_src_line(s['sources'])}")
    lines += ["", doc["disclaimer"][lang]]
    return "\n".join(lines)
