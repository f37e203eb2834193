"""Care-pathway pages: intake, plan, check-ins, reimbursement, the therapist directory, and the
therapist's view of a patient's pathway.

Thin routes over :mod:`pelvio.pathway.service` and the pure rules. Every read or write of a
patient's data goes through ``own_record`` or ``patient_record`` (logged access). Rule texts are
bilingual values shown with ``.in_(lang)``; page texts go through gettext.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Final
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pelvio.accounts.roles import Role
from pelvio.accounts.tables import User
from pelvio.db import utcnow
from pelvio.errors import InputError, NotFoundError, PermissionDeniedError
from pelvio.measures import get_instrument
from pelvio.pathway import service
from pelvio.pathway.checkin import DiarySummary
from pelvio.pathway.explain import DISCLAIMER
from pelvio.pathway.intake import (
    AGE_RANGE_YEARS,
    QUESTIONS,
    IntakeAnswers,
    Question,
    answers_from_form,
    answers_to_mapping,
    question,
)
from pelvio.pathway.plan import CHECKIN_POINTS, CheckinPoint, Plan
from pelvio.pathway.reimbursement import REGISTRATION_FACTS, reimbursement
from pelvio.pathway.sources import Lang, sources
from pelvio.pathway.tables import PathwayCheckin
from pelvio.web.csrf import verify_csrf
from pelvio.web.deps import CurrentUser, Db, OptionalUser, own_record, patient_record
from pelvio.web.i18n import N_, current_locale
from pelvio.web.i18n import gettext as _
from pelvio.web.templating import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(verify_csrf)])

OwnIntakeView = Annotated[User, Depends(own_record("view:pathway-intake"))]
OwnIntakeWrite = Annotated[User, Depends(own_record("write:pathway-intake"))]
OwnPlan = Annotated[User, Depends(own_record("view:pathway-plan"))]
OwnCheckinView = Annotated[User, Depends(own_record("view:pathway-checkin"))]
OwnCheckinWrite = Annotated[User, Depends(own_record("write:pathway-checkin"))]
PatientPathway = Annotated[User, Depends(patient_record("view:pathway"))]

NONE: Final = "none"
"""The value of the explicit "none of these" box of a multi-choice question (never stored)."""

POINT_LABELS: Final[dict[str, str]] = {
    "baseline": N_("Start"),
    "2w": N_("After 2 weeks"),
    "6w": N_("After 6 weeks"),
    "3m": N_("After 3 months"),
}
OUTCOME_LABELS: Final[dict[str, str]] = {
    "continue": N_("Keep training"),
    "see-physiotherapist": N_("See a pelvic physiotherapist"),
    "see-gp-other-treatment": N_("Talk to your GP about another treatment"),
    "seek-care-now": N_("Contact your GP today"),
}
ADVICE_KIND_LABELS: Final[dict[str, str]] = {
    "seek-care-now": N_("Seek care now"),
    "physiotherapist": N_("Pelvic physiotherapist"),
    "gp": N_("GP"),
    "self-care": N_("Do it yourself"),
}
QUESTIONNAIRE_LABELS: Final[dict[str, str]] = {
    "iciq-ui-sf": N_("ICIQ-UI SF: three questions about leaking"),
    "pgi-i": N_("PGI-I: how are things compared with the start?"),
}
DIARY_LABELS: Final[dict[str, str]] = {
    "bladder": N_("bladder diary"),
    "bowel": N_("bowel diary"),
}
DIARY_FIELD_LABELS: Final[dict[str, str]] = {
    "incontinence_episodes_24h": N_("Times you leaked, per day"),
    "urgency_episodes_24h": N_("Times with a sudden strong urge, per day"),
    "daytime_frequency": N_("Times you passed urine during the day"),
    "nocturia": N_("Times you got up at night to pass urine"),
}
REGISTER_LABELS: Final[dict[str, str]] = {
    "CKR": N_("CKR (KNGF Centraal Kwaliteitsregister)"),
    "SKF": N_("SKF (register of pelvic physiotherapists)"),
}
HINTS: Final[dict[str, str]] = {
    "red_flags": N_("Tick what applies. None of these? Then tick 'No, none of these'."),
    "complaints": N_("Choose all that fit."),
}
"""Form hints that replace the question's own, because the form has a "none of these" box."""
RED_FLAGS_ID: Final = "red_flags"
NONE_LABELS: Final[dict[str, str]] = {
    "red_flags": N_("No, none of these"),
    "complaints": N_("No complaints"),
    "tense_signs": N_("None of these"),
    "life_phases": N_("None of these"),
}


def page_lang() -> Lang:
    """The language of this request's page, for bilingual rule texts."""
    return "en" if current_locale.get() == "en" else "nl"


def local_today(user: User) -> dt.date:
    """Today in the user's own time zone."""
    return utcnow().astimezone(ZoneInfo(user.timezone)).date()


async def posted_form(request: Request) -> dict[str, list[str]]:
    """The posted form as field -> every submitted value (check boxes send several)."""
    form = await request.form()
    data: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            data.setdefault(key, []).append(value)
    return data


PostedForm = Annotated[dict[str, list[str]], Depends(posted_form)]


def common_context(lang: Lang) -> dict[str, Any]:
    """Labels and texts every pathway page uses."""
    return {
        "lang": lang,
        "point_labels": POINT_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "advice_kind_labels": ADVICE_KIND_LABELS,
        "questionnaire_labels": QUESTIONNAIRE_LABELS,
        "diary_labels": DIARY_LABELS,
        "register_labels": REGISTER_LABELS,
        "disclaimer": DISCLAIMER.in_(lang),
    }


# ---------------------------------------------------------------------------------------------
# The intake form, generated from QUESTIONS


@dataclass(frozen=True, slots=True)
class FieldView:
    """One question as the form shows it."""

    q: Question
    number: int
    values: tuple[str, ...]
    error: str | None
    condition: str | None
    none_label: str | None
    hint: str | None

    @property
    def described_by(self) -> str:
        """The ids of the hint and the error message, for ``aria-describedby``."""
        ids = []
        if self.hint or self.condition:
            ids.append(f"q-{self.q.id}-hint")
        if self.error:
            ids.append(f"{self.q.id}-error")
        return " ".join(ids)


@dataclass(slots=True)
class FormErrors:
    """Errors by field, in the order of the form."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, message)


@dataclass(frozen=True, slots=True)
class SeekCareView:
    """The seek-care-now advice as shown: text, the red flags that led to it, the sources."""

    text: str
    evidence: tuple[str, ...]
    sources: tuple[Any, ...]


def seek_care_view(plan: Plan, latest: PathwayCheckin | None, lang: Lang) -> SeekCareView | None:
    """The seek-care advice when the intake, or the newest check-in, reported a red flag.

    A red flag at any time means "seek care now" (leaflet 004); a later check-in without one
    (or a new intake) ends it.
    """
    advice = plan.classification.seek_care_now
    if advice is not None:
        evidence = tuple(e.in_(lang) for e in advice.hit.evidence)
        return SeekCareView(advice.text.in_(lang), evidence, advice.hit.sources)
    if latest is None or latest.outcome != "seek-care-now" or latest.result is None:
        return None
    labels = {o.value: o.label.in_(lang) for o in question(RED_FLAGS_ID).options}
    evidence = tuple(labels[f] for f in latest.red_flags if f in labels)
    return SeekCareView(latest.result["reason"][lang], evidence, tuple(latest.result["sources"]))


def intake_questions() -> tuple[Question, ...]:
    """The questions in the order asked: red flags first (safety), then as listed."""
    flags = question("red_flags")
    return (flags, *(q for q in QUESTIONS if q.id != "red_flags"))


def _shown(q: Question, data: Mapping[str, Sequence[str]]) -> bool:
    if q.shown_when is None:
        return True
    name, wanted = q.shown_when
    given = [v for v in data.get(name, ()) if v and v != NONE]
    return bool(given) if wanted == "*" else wanted in given


def _condition_text(q: Question, lang: Lang) -> str | None:
    if q.shown_when is None:
        return None
    name, wanted = q.shown_when
    if wanted == "*":
        return _(
            "Only if you chose at least one answer to: %(question)s",
            question=question(name).label.in_(lang),
        )
    option = next(o for o in question(name).options if o.value == wanted)
    return _("Only if you chose: %(option)s", option=option.label.in_(lang))


def _clean_intake_form(data: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Drop the "none" boxes and the answers to follow-up questions that do not apply."""
    cleaned = {k: [v for v in vs if v != NONE] for k, vs in data.items()}
    return {q.id: cleaned.get(q.id, []) for q in intake_questions() if _shown(q, cleaned)}


def _friendly_error(q: Question, exc: InputError | None) -> str:
    if exc is None:
        return _("Please answer this question.")
    if q.kind == "integer":
        return _("Enter a whole number from %(low)s to %(high)s.", low=q.minimum, high=q.maximum)
    if q.id == "life_phases":
        return _("This does not fit the sex you chose. Check both answers.")
    if q.id in ("sex", "age_years") and "required" in str(exc):
        return _("Please answer this question.")
    return _("This answer is not possible. Please check it.")


def _check_intake(data: Mapping[str, Sequence[str]]) -> tuple[IntakeAnswers | None, FormErrors]:
    errors = FormErrors()
    cleaned = _clean_intake_form(data)
    if not data.get("red_flags"):
        errors.add("red_flags", _("Please tick the ones that apply, or 'No, none of these'."))
    for q in intake_questions():
        if q.required and q.id in cleaned and not any(v.strip() for v in cleaned[q.id]):
            errors.add(q.id, _friendly_error(q, None))
    if errors.by_field:
        return None, errors
    try:
        return answers_from_form(cleaned), errors
    except InputError as exc:
        if exc.field in {q.id for q in QUESTIONS}:
            errors.add(exc.field, _friendly_error(question(exc.field), exc))
        else:
            errors.add("form", _("This answer is not possible. Please check it."))
        return None, errors


def _intake_fields(
    data: Mapping[str, Sequence[str]], errors: FormErrors, lang: Lang
) -> list[FieldView]:
    views = []
    for number, q in enumerate(intake_questions(), 1):
        none_label = _(NONE_LABELS[q.id]) if q.id in NONE_LABELS else None
        hint = _(HINTS[q.id]) if q.id in HINTS else (q.hint.in_(lang) if q.hint else None)
        views.append(
            FieldView(
                q=q,
                number=number,
                values=tuple(data.get(q.id, ())),
                error=errors.by_field.get(q.id),
                condition=_condition_text(q, lang),
                none_label=none_label,
                hint=hint,
            )
        )
    return views


def _form_from_answers(answers: IntakeAnswers) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in answers_to_mapping(answers).items():
        if isinstance(value, list):
            data[name] = list(value) or [NONE]
        elif isinstance(value, bool):
            data[name] = ["yes" if value else "no"]
        elif value is not None and name != "version":
            data[name] = [str(value)]
    return data


def _named(label: str | None, message: str) -> str:
    if not label:
        return message
    return f"{label} {message}" if label.endswith("?") else f"{label}: {message}"


def _render_intake(
    request: Request,
    data: Mapping[str, Sequence[str]],
    errors: FormErrors,
    *,
    status_code: int = 200,
    again: bool = False,
) -> Response:
    lang = page_lang()
    fields = _intake_fields(data, errors, lang)
    labels = {f.q.id: f.q.label.in_(lang) for f in fields}
    summary = [
        (name, _named(labels.get(name), message)) for name, message in errors.by_field.items()
    ]
    answered = sum(1 for f in fields if any(v for v in f.values))
    return render(
        request,
        "pathway/intake.html",
        {
            **common_context(lang),
            "fields": fields,
            "errors": summary,
            "answered": answered,
            "again": again,
        },
        status_code=status_code,
    )


@router.get("/intake")
def intake_page(request: Request, patient: OwnIntakeView, db: Db) -> Response:
    """The intake questionnaire; a repeat starts from the previous answers."""
    previous = service.latest_intake(db, patient=patient)
    data = _form_from_answers(service.answers_of(previous)) if previous else {}
    return _render_intake(request, data, FormErrors(), again=previous is not None)


@router.post("/intake")
def submit_intake(request: Request, patient: OwnIntakeWrite, db: Db, form: PostedForm) -> Response:
    """Store the answers as a new intake and show the plan."""
    answers, errors = _check_intake(form)
    if answers is None:
        return _render_intake(request, form, errors, status_code=422)
    service.record_intake(db, patient=patient, answers=answers, start_date=local_today(patient))
    db.commit()
    return RedirectResponse("/plan", status_code=303)


# ---------------------------------------------------------------------------------------------
# The plan


def _programme_title(programme_id: str, lang: Lang) -> str:
    from pelvio.training import get_programme

    return get_programme(programme_id).title.get(lang)


def _article_titles(ids: Sequence[str], lang: Lang) -> list[tuple[str, str]]:
    from pelvio.content.library import load_library

    library = load_library()
    return [(i, library.get(i, lang).title) for i in ids]


def _answer_rows(answers: IntakeAnswers, lang: Lang) -> list[tuple[str, str]]:
    mapping = answers_to_mapping(answers)
    rows = []
    for q in intake_questions():
        value = mapping.get(q.id)
        if q.kind in ("choice", "multi"):
            labels = {o.value: o.label.in_(lang) for o in q.options}
            chosen = value if isinstance(value, list) else ([value] if value else [])
            empty = _("None") if q.kind == "multi" else "—"
            text = "; ".join(labels[v] for v in chosen) or empty
        elif q.kind == "boolean":
            text = _("Yes") if value else _("No")
        else:
            text = "—" if value is None else str(value)
        rows.append((q.label.in_(lang), text))
    return rows


def plan_context(plan: Plan, today: dt.date, lang: Lang) -> dict[str, Any]:
    """What the plan templates need (shared by the patient's and the therapist's pages)."""
    answers = plan.answers
    return {
        "plan": plan,
        "today": today,
        "next_point": plan.next_checkin(today),
        "programme_titles": {
            p.programme_id: _programme_title(p.programme_id, lang) for p in plan.programmes
        },
        "articles": _article_titles(plan.articles, lang),
        "statements": reimbursement(
            answers.country, answers.age_years, answers.complaints, answers.life_phases
        ),
        "registration": REGISTRATION_FACTS if answers.country == "NL" else (),
        "plan_schedule_sources": sources("leaflet-001"),
    }


@router.get("/plan")
def plan_page(request: Request, patient: OwnPlan, db: Db) -> Response:
    """The patient's plan: classification, programmes, check-ins, reminders, advice."""
    intake = service.latest_intake(db, patient=patient)
    if intake is None:
        return RedirectResponse("/intake", status_code=303)
    lang = page_lang()
    plan = service.plan_of(intake)
    done = service.checkins(db, patient=patient, intake=intake)
    return render(
        request,
        "pathway/plan.html",
        {
            **common_context(lang),
            **plan_context(plan, local_today(patient), lang),
            "intake": intake,
            "seek_care": seek_care_view(plan, done[-1] if done else None, lang),
            "done_points": {c.point for c in done},
            "for_therapist": False,
        },
    )


# ---------------------------------------------------------------------------------------------
# Check-ins


def _point(plan: Plan, point: str) -> CheckinPoint | None:
    """The plan's check-in ``point``; ``None`` while the plan waits for a doctor (red flag)."""
    if point not in CHECKIN_POINTS:
        raise NotFoundError("no such check-in")
    return next((p for p in plan.schedule if p.id == point), None)


def _checkin_form_context(
    point: CheckinPoint, lang: Lang, data: Mapping[str, Sequence[str]], errors: FormErrors
) -> dict[str, Any]:
    iciq = get_instrument("iciq-ui-sf")
    pgi = get_instrument("pgi-i")
    return {
        "point": point,
        "flags": question("red_flags"),
        "none_label": _(NONE_LABELS[RED_FLAGS_ID]),
        "pgi_options": [(b.low, b.nl if lang == "nl" else b.en) for b in pgi.bands],
        "iciq_items": [
            (item.key, item.nl if lang == "nl" else item.en, item.values) for item in iciq.items
        ],
        "ask_iciq": "iciq-ui-sf" in point.questionnaires,
        "ask_pgi": point.id != "baseline",
        "ask_diary": "bladder" in point.diaries,
        "diary_fields": DIARY_FIELD_LABELS,
        "data": data,
        "errors": errors.by_field,
    }


def _number(data: Mapping[str, Sequence[str]], name: str) -> str:
    values = [v.strip() for v in data.get(name, ()) if v.strip()]
    return values[0] if values else ""


def _parse_checkin(
    data: Mapping[str, Sequence[str]], point: CheckinPoint, errors: FormErrors
) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    flags = data.get("red_flags", [])
    if not flags:
        errors.add("red_flags", _("Please tick the ones that apply, or 'No, none of these'."))
    parsed["red_flags"] = [v for v in flags if v != NONE]
    if point.id != "baseline":
        raw = _number(data, "pgi_i")
        if raw not in {str(n) for n in range(1, 8)}:
            errors.add("pgi_i", _("Please choose how your complaints are now."))
        else:
            parsed["pgi_i"] = int(raw)
    if "iciq-ui-sf" in point.questionnaires:
        items = {key: _number(data, key) for key in service.ICIQ_ITEMS}
        if any(items.values()):
            for key, raw in items.items():
                if not raw.isdigit():
                    errors.add(key, _("Fill in all three scores, or leave all three empty."))
            if not any(key in errors.by_field for key in items):
                parsed["iciq_items"] = {key: int(raw) for key, raw in items.items()}
    if "bladder" in point.diaries:
        diary: dict[str, float | None] = {}
        for name in service.DIARY_FIELDS:
            raw = _number(data, name).replace(",", ".")
            try:
                value = float(raw) if raw else None
            except ValueError:
                value = None
                errors.add(name, _("Enter a number, such as 2 or 1.5, or leave it empty."))
            if value is not None and not 0 <= value <= 100:
                errors.add(name, _("Enter a number from 0 to 100, or leave it empty."))
            diary[name] = value
        parsed["diary"] = DiarySummary(**diary) if not errors.by_field else None
    for name in ("trouble_contracting_or_relaxing", "prefers_physiotherapist"):
        parsed[name] = _number(data, name) == "yes"
    return parsed


@router.get("/checkins/{point}")
def checkin_page(request: Request, point: str, patient: OwnCheckinView, db: Db) -> Response:
    """The check-in form for one point of the schedule."""
    intake = service.latest_intake(db, patient=patient)
    if intake is None:
        return RedirectResponse("/intake", status_code=303)
    lang = page_lang()
    chosen = _point(service.plan_of(intake), point)
    if chosen is None:
        return RedirectResponse("/plan", status_code=303)
    return render(
        request,
        "pathway/checkin.html",
        {
            **common_context(lang),
            **_checkin_form_context(chosen, lang, {}, FormErrors()),
            "today": local_today(patient),
        },
    )


@router.post("/checkins/{point}")
def submit_checkin(
    request: Request, point: str, patient: OwnCheckinWrite, db: Db, form: PostedForm
) -> Response:
    """Store the check-in and show its one outcome."""
    intake = service.latest_intake(db, patient=patient)
    if intake is None:
        return RedirectResponse("/intake", status_code=303)
    lang = page_lang()
    chosen = _point(service.plan_of(intake), point)
    if chosen is None:
        return RedirectResponse("/plan", status_code=303)
    errors = FormErrors()
    parsed = _parse_checkin(form, chosen, errors)
    if not errors.by_field:
        try:
            service.record_checkin(db, patient=patient, point=chosen.id, **parsed)
        except InputError as exc:
            errors.add(exc.field or "pgi_i", _("This answer is not possible. Please check it."))
    if errors.by_field:
        return render(
            request,
            "pathway/checkin.html",
            {
                **common_context(lang),
                **_checkin_form_context(chosen, lang, form, errors),
                "today": local_today(patient),
            },
            status_code=422,
        )
    db.commit()
    return RedirectResponse(f"/checkins/{chosen.id}/result", status_code=303)


@router.get("/checkins/{point}/result")
def checkin_result_page(request: Request, point: str, patient: OwnCheckinView, db: Db) -> Response:
    """The outcome of the newest check-in at ``point``."""
    if point not in CHECKIN_POINTS:
        raise NotFoundError("no such check-in")
    row = service.latest_checkin(db, patient=patient, point=point)
    if row is None:
        return RedirectResponse(f"/checkins/{point}", status_code=303)
    return render(
        request, "pathway/checkin_result.html", {**common_context(page_lang()), "checkin": row}
    )


# ---------------------------------------------------------------------------------------------
# The therapist's view


@router.get("/patients/{patient_id}/pathway")
def patient_pathway_page(request: Request, patient: PatientPathway, db: Db) -> Response:
    """A patient's intakes, plan and check-ins, for their therapist (and themselves)."""
    lang = page_lang()
    history = service.intakes(db, patient=patient)
    context: dict[str, Any] = {**common_context(lang), "patient": patient, "history": history}
    if history:
        current = history[0]
        answers = service.answers_of(current)
        plan = service.plan_of(current)
        context.update(plan_context(plan, local_today(patient), lang))
        context["intake"] = current
        context["answer_rows"] = _answer_rows(answers, lang)
        context["checkins"] = service.checkins(db, patient=patient)
        context["versions"] = {i.id: i.version for i in history}
        of_current = [c for c in context["checkins"] if c.intake_id == current.id]
        context["done_points"] = {c.point for c in of_current}
        context["seek_care"] = seek_care_view(plan, of_current[-1] if of_current else None, lang)
        context["for_therapist"] = True
    return render(request, "pathway/patient_pathway.html", context)


# ---------------------------------------------------------------------------------------------
# Reimbursement (general information: no login, nothing stored)


def _reimbursement_context(lang: Lang) -> dict[str, Any]:
    complaints = question("complaints")
    return {
        **common_context(lang),
        "complaint_options": [(o.value, o.label.in_(lang)) for o in complaints.options],
        "age_range": AGE_RANGE_YEARS,
    }


@router.get("/reimbursement")
def reimbursement_page(request: Request, user: OptionalUser) -> Response:
    """The reimbursement check form."""
    lang = page_lang()
    return render(
        request,
        "pathway/reimbursement.html",
        {**_reimbursement_context(lang), "data": {"country": ["NL"]}, "errors": {}},
    )


@router.post("/reimbursement")
def reimbursement_check(request: Request, user: OptionalUser, form: PostedForm) -> Response:
    """The dated, sourced statements for a country, age and complaint (posted, so the age and
    complaint never appear in a URL or a server log)."""
    lang = page_lang()
    country = _number(form, "country")
    age = _number(form, "age_years")
    errors: dict[str, str] = {}
    if country not in ("NL", "BE"):
        errors["country"] = _("Please choose a country.")
    low, high = AGE_RANGE_YEARS
    if not age.isdigit() or not low <= int(age) <= high:
        errors["age_years"] = _(
            "Enter a whole number from %(low)s to %(high)s.", low=low, high=high
        )
    context = {**_reimbursement_context(lang), "data": form, "errors": errors}
    if errors:
        return render(request, "pathway/reimbursement.html", context, status_code=422)
    valid = {value for value, _label in context["complaint_options"]}
    complaints = [c for c in form.get("complaints", []) if c in valid]
    phases = ["postpartum"] if _number(form, "postpartum") == "yes" else []
    context["statements"] = reimbursement(
        country,  # type: ignore[arg-type]  # checked above
        int(age),
        complaints,  # type: ignore[arg-type]  # filtered to the known options above
        phases,  # type: ignore[arg-type]
    )
    context["registration"] = REGISTRATION_FACTS if country == "NL" else ()
    return render(request, "pathway/reimbursement.html", context)


# ---------------------------------------------------------------------------------------------
# Directory of registered pelvic physiotherapists


def current_therapist_only(user: CurrentUser) -> User:
    """A logged-in therapist (admins do not treat patients, so they are not listed)."""
    if user.role is not Role.THERAPIST:
        raise PermissionDeniedError("only a pelvic physiotherapist can be listed")
    return user


TherapistOnly = Annotated[User, Depends(current_therapist_only)]


@router.get("/therapists/directory")
def directory_page(request: Request, user: OptionalUser, db: Db, city: str = "") -> Response:
    """Search the listed therapists by city (accents and case do not matter)."""
    city = city.strip()[:100]
    return render(
        request,
        "pathway/directory.html",
        {
            **common_context(page_lang()),
            "city": city,
            "entries": service.find_therapists(db, city=city),
            "registration": REGISTRATION_FACTS,
        },
    )


def _entry_form(request: Request, therapist: User, db: Db, **extra: Any) -> Response:
    entry = service.directory_entry(db, therapist=therapist)
    clinic_city = therapist.clinic.city if therapist.clinic else ""
    values = {
        "display_name": entry.display_name if entry else therapist.display_name,
        "city": entry.city if entry else (clinic_city or ""),
        "register": entry.quality_register if entry else "",
        "register_number": (entry.register_number or "") if entry else "",
    }
    context = {**common_context(page_lang()), "entry": entry, "values": values, "error": None}
    context.update(extra)
    return render(
        request,
        "pathway/directory_entry.html",
        context,
        status_code=422 if context["error"] else 200,
    )


@router.get("/therapists/directory/entry")
def directory_entry_page(request: Request, therapist: TherapistOnly, db: Db) -> Response:
    """The therapist's own listing: opt in, change, or leave."""
    return _entry_form(request, therapist, db, saved=request.query_params.get("saved") == "1")


_ENTRY_ERRORS: Final[dict[str, str]] = {
    "display_name": N_("Fill in the name to show."),
    "city": N_("Fill in the city where you work."),
    "register": N_("Choose the register you are listed in."),
    "register_number": N_("Use only letters, digits, spaces, dots and dashes (at most 30)."),
}


@router.post("/therapists/directory/entry")
def save_directory_entry(
    request: Request,
    therapist: TherapistOnly,
    db: Db,
    display_name: Annotated[str, Form(max_length=400)] = "",
    city: Annotated[str, Form(max_length=200)] = "",
    quality_register: Annotated[str, Form(max_length=10)] = "",
    register_number: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    """Opt in to the directory, or update the listing."""
    try:
        service.list_in_directory(
            db,
            therapist=therapist,
            display_name=display_name,
            city=city,
            register=quality_register,
            register_number=register_number,
        )
    except InputError as exc:
        db.rollback()
        name = exc.field if exc.field in _ENTRY_ERRORS else "display_name"
        values = {
            "display_name": display_name,
            "city": city,
            "register": quality_register,
            "register_number": register_number,
        }
        return _entry_form(
            request, therapist, db, values=values, error=(name, _(_ENTRY_ERRORS[name]))
        )
    db.commit()
    return RedirectResponse("/therapists/directory/entry?saved=1", status_code=303)


@router.post("/therapists/directory/entry/delete")
def leave_directory(therapist: TherapistOnly, db: Db) -> Response:
    """Opt out: take the listing away."""
    service.leave_directory(db, therapist=therapist)
    db.commit()
    return RedirectResponse("/therapists/directory/entry", status_code=303)
