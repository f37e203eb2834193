"""The intake: the answers model and the questions that ask for it.

The intake takes about three minutes: thirteen short questions (:data:`QUESTIONS`), each with
Dutch and English text, so the web form is generated from data. The answers are a frozen,
validated value (:class:`IntakeAnswers`) with a JSON form (:func:`answers_from_mapping`,
:func:`answers_to_mapping`) documented in ``docs/pathway.md``.

What is asked follows ``clinical.md`` sections 1-3 and the leaflets: the complaint, red flags
(004), the life phase, signs of a too-tense floor (003, 004), bowel habits for constipation
(003), and the reasons a pelvic physiotherapist is advised (001, 004).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar, get_args

from pelvio._check import check_int, check_option, check_type
from pelvio.errors import InputError
from pelvio.pathway.sources import Text

__all__ = [
    "COMPLAINTS",
    "COUNTRIES",
    "DURATIONS",
    "LEAK_COMPLAINTS",
    "LIFE_PHASES",
    "QUESTIONS",
    "RED_FLAGS",
    "SEXES",
    "TENSE_SIGNS",
    "Complaint",
    "Country",
    "Duration",
    "IntakeAnswers",
    "LifePhase",
    "Option",
    "Question",
    "QuestionKind",
    "RedFlag",
    "Sex",
    "TenseSign",
    "answers_from_form",
    "answers_from_mapping",
    "answers_to_mapping",
    "describe_evidence",
    "question",
]

Sex = Literal["female", "male", "other"]
Country = Literal["NL", "BE"]
Complaint = Literal[
    "leak_effort",
    "leak_urge",
    "pressure_bulge",
    "pain",
    "voiding_difficulty",
    "constipation",
]
RedFlag = Literal["severe_pain", "blood_loss", "fever", "sudden_incontinence", "unable_to_void"]
LifePhase = Literal[
    "pregnant",
    "postpartum",
    "menopause",
    "after_prostate_treatment",
    "after_pelvic_surgery",
    "high_impact_sport",
]
Duration = Literal["under_6_weeks", "6_weeks_to_6_months", "over_6_months"]
TenseSign = Literal[
    "pain_with_sex", "weak_or_interrupted_stream", "frequent_small_voids", "straining_to_void"
]
QuestionKind = Literal["choice", "multi", "integer", "boolean"]

SEXES: tuple[Sex, ...] = get_args(Sex)
COUNTRIES: tuple[Country, ...] = get_args(Country)
COMPLAINTS: tuple[Complaint, ...] = get_args(Complaint)
RED_FLAGS: tuple[RedFlag, ...] = get_args(RedFlag)
LIFE_PHASES: tuple[LifePhase, ...] = get_args(LifePhase)
DURATIONS: tuple[Duration, ...] = get_args(Duration)
TENSE_SIGNS: tuple[TenseSign, ...] = get_args(TenseSign)
LEAK_COMPLAINTS: frozenset[Complaint] = frozenset({"leak_effort", "leak_urge"})

AGE_RANGE_YEARS = (12, 120)
WEEKS_SINCE_BIRTH_RANGE = (0, 104)
BOWEL_MOVEMENTS_RANGE = (0, 70)

_T = TypeVar("_T", bound=str)


@dataclass(frozen=True, slots=True)
class IntakeAnswers:
    """One person's intake answers, validated on construction.

    Attributes
    ----------
    sex, age_years
        ``female``, ``male`` or ``other``; age in whole years, 12 to 120.
    country
        ``NL`` or ``BE``; chooses the reimbursement rules and the postnatal advice.
    complaints
        Any of :data:`COMPLAINTS`; "both kinds of leaking" is ``leak_effort`` with ``leak_urge``.
        Empty for someone who trains to prevent complaints.
    complaint_duration
        How long the complaints have lasted; only with complaints (``None`` = not answered).
    red_flags
        Any of :data:`RED_FLAGS` (leaflet 004): each one means "seek care now".
    life_phases
        Any of :data:`LIFE_PHASES`. ``postpartum`` needs ``weeks_since_birth``.
    weeks_since_birth
        Whole weeks since giving birth (0 = in the first week), only with ``postpartum``.
    tense_signs
        Signs of a too-tense floor not already covered by the complaints (003, 004).
    bowel_movements_per_week
        Usual number of bowel movements a week, or ``None`` if not answered.
    hard_straining
        Regularly has to strain hard to pass stools (003).
    trouble_contracting_or_relaxing
        Finds it hard to squeeze or to let go of the pelvic floor (001).
    prefers_physiotherapist
        Would rather be guided by a pelvic physiotherapist (001).
    """

    sex: Sex
    age_years: int
    country: Country = "NL"
    complaints: frozenset[Complaint] = field(default_factory=frozenset)
    complaint_duration: Duration | None = None
    red_flags: frozenset[RedFlag] = field(default_factory=frozenset)
    life_phases: frozenset[LifePhase] = field(default_factory=frozenset)
    weeks_since_birth: int | None = None
    tense_signs: frozenset[TenseSign] = field(default_factory=frozenset)
    bowel_movements_per_week: int | None = None
    hard_straining: bool = False
    trouble_contracting_or_relaxing: bool = False
    prefers_physiotherapist: bool = False

    def __post_init__(self) -> None:
        check_option("sex", self.sex, SEXES)
        check_int("age_years", self.age_years, low=AGE_RANGE_YEARS[0], high=AGE_RANGE_YEARS[1])
        check_option("country", self.country, COUNTRIES)
        _check_subset("complaints", self.complaints, COMPLAINTS)
        _check_subset("red_flags", self.red_flags, RED_FLAGS)
        _check_subset("life_phases", self.life_phases, LIFE_PHASES)
        _check_subset("tense_signs", self.tense_signs, TENSE_SIGNS)
        for name in (
            "hard_straining",
            "trouble_contracting_or_relaxing",
            "prefers_physiotherapist",
        ):
            check_type(name, getattr(self, name), bool)
        if self.complaint_duration is not None:
            check_option("complaint_duration", self.complaint_duration, DURATIONS)
            if not self.complaints:
                raise InputError(
                    "complaint_duration only applies when complaints are given",
                    field="complaint_duration",
                )
        if self.bowel_movements_per_week is not None:
            check_int(
                "bowel_movements_per_week",
                self.bowel_movements_per_week,
                low=BOWEL_MOVEMENTS_RANGE[0],
                high=BOWEL_MOVEMENTS_RANGE[1],
            )
        self._check_life_phases()

    def _check_life_phases(self) -> None:
        if "postpartum" in self.life_phases:
            if self.weeks_since_birth is None:
                raise InputError(
                    "weeks_since_birth is needed when life_phases contains 'postpartum'",
                    field="weeks_since_birth",
                )
            low, high = WEEKS_SINCE_BIRTH_RANGE
            check_int("weeks_since_birth", self.weeks_since_birth, low=low, high=high)
        elif self.weeks_since_birth is not None:
            raise InputError(
                "weeks_since_birth only applies when life_phases contains 'postpartum'",
                field="weeks_since_birth",
            )
        if self.sex == "male" and self.life_phases & {"pregnant", "postpartum", "menopause"}:
            raise InputError(
                "life_phases: 'pregnant', 'postpartum' and 'menopause' do not apply to sex 'male'",
                field="life_phases",
            )
        if self.sex == "female" and "after_prostate_treatment" in self.life_phases:
            raise InputError(
                "life_phases: 'after_prostate_treatment' does not apply to sex 'female'",
                field="life_phases",
            )

    @property
    def leaks(self) -> bool:
        """True when any kind of urine leaking is reported."""
        return bool(self.complaints & LEAK_COMPLAINTS)


def _check_subset(name: str, values: object, allowed: tuple[_T, ...]) -> None:
    check_type(name, values, frozenset)
    assert isinstance(values, frozenset)
    for value in sorted(values, key=str):
        check_option(name, value, allowed)


# ---------------------------------------------------------------------------------------------
# The JSON form


_SET_FIELDS = ("complaints", "red_flags", "life_phases", "tense_signs")
_FIELD_NAMES = tuple(f.name for f in fields(IntakeAnswers))
FORMAT_VERSION = 1


def answers_from_mapping(data: Mapping[str, Any]) -> IntakeAnswers:
    """Read intake answers from their JSON form (a mapping of field to value).

    Lists become sets; ``null`` or a missing key takes the default. An optional
    ``"version": 1`` is accepted. Unknown keys, wrong types, unknown options, repeated list items
    and out-of-range numbers raise :class:`InputError` naming the field.

    Raises
    ------
    InputError
        With ``field`` set to the offending key.
    """
    check_type("answers", data, Mapping)
    unknown = sorted(set(data) - set(_FIELD_NAMES) - {"version"})
    if unknown:
        raise InputError(
            f"{unknown[0]}: unknown field; known fields are {', '.join(_FIELD_NAMES)}",
            field=str(unknown[0]),
        )
    if "version" in data:
        check_option("version", data["version"], (FORMAT_VERSION,))
    for required in ("sex", "age_years"):
        if data.get(required) is None:
            raise InputError(f"{required} is required", field=required)
    kwargs: dict[str, Any] = {}
    for name in _FIELD_NAMES:
        value = data.get(name)
        if value is None:
            continue
        if name in _SET_FIELDS:
            items = check_type(name, value, list)
            for item in items:
                check_type(name, item, str)
            if len(set(items)) != len(items):
                raise InputError(f"{name} lists an item twice: {items!r}", field=name)
            value = frozenset(items)
        kwargs[name] = value
    return IntakeAnswers(**kwargs)


def answers_to_mapping(answers: IntakeAnswers) -> dict[str, Any]:
    """The JSON form of ``answers`` (sets as sorted lists); round-trips through
    :func:`answers_from_mapping`."""
    out: dict[str, Any] = {"version": FORMAT_VERSION}
    for name in _FIELD_NAMES:
        value = getattr(answers, name)
        out[name] = sorted(value) if isinstance(value, frozenset) else value
    return out


# ---------------------------------------------------------------------------------------------
# The questions (our own words; sources in the module docstring)


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option of a choice or multi-choice question."""

    value: str
    label: Text


@dataclass(frozen=True, slots=True)
class Question:
    """One intake question, as data for the web form.

    Attributes
    ----------
    id
        The :class:`IntakeAnswers` field it fills.
    kind
        ``choice`` (one option), ``multi`` (any options, none allowed), ``integer`` or
        ``boolean`` (yes/no).
    label, hint
        The question and a short help line.
    options
        For ``choice`` and ``multi``.
    minimum, maximum
        For ``integer``.
    required
        Whether the form must have an answer.
    shown_when
        ``(field, value)``: show only when that earlier answer is ``value`` or contains it;
        value ``"*"`` means "any answer given" (a non-empty list). ``None``: always shown.
    statement
        For ``integer`` and ``boolean``: how an answer is quoted back as a reason, with
        ``{value}`` for the number (a boolean is only quoted when it is yes).
    """

    id: str
    kind: QuestionKind
    label: Text
    hint: Text | None = None
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    required: bool = False
    shown_when: tuple[str, str] | None = None
    statement: Text | None = None


def _opt(value: str, nl: str, en: str) -> Option:
    return Option(value, Text(nl, en))


QUESTIONS: tuple[Question, ...] = (
    Question(
        "country",
        "choice",
        Text("Waar woon je?", "Where do you live?"),
        Text(
            "Dit bepaalt welke vergoedingsregels we tonen.",
            "This decides which reimbursement rules we show.",
        ),
        options=(_opt("NL", "Nederland", "The Netherlands"), _opt("BE", "België", "Belgium")),
        required=True,
    ),
    Question(
        "sex",
        "choice",
        Text("Wat is je geslacht?", "What is your sex?"),
        Text(
            "Sommige adviezen gelden alleen voor vrouwen of voor mannen.",
            "Some advice only applies to women or to men.",
        ),
        options=(
            _opt("female", "Vrouw", "Female"),
            _opt("male", "Man", "Male"),
            _opt("other", "Anders of zeg ik liever niet", "Other or prefer not to say"),
        ),
        required=True,
    ),
    Question(
        "age_years",
        "integer",
        Text("Hoe oud ben je?", "How old are you?"),
        Text("In jaren.", "In years."),
        minimum=AGE_RANGE_YEARS[0],
        maximum=AGE_RANGE_YEARS[1],
        required=True,
        statement=Text("Je bent {value} jaar.", "You are {value} years old."),
    ),
    Question(
        "red_flags",
        "multi",
        Text("Heb je nu een van deze klachten?", "Do you have any of these right now?"),
        Text(
            "Kruis niets aan als dit niet zo is.",
            "Leave all boxes empty if none applies.",
        ),
        options=(
            _opt(
                "severe_pain",
                "Nieuwe of hevige pijn in buik, bekken of bij het plassen",
                "New or severe pain in the belly, the pelvis or when passing urine",
            ),
            _opt(
                "blood_loss",
                "Bloed in de plas of ontlasting, of bloedverlies dat je niet verwacht",
                "Blood in the urine or stools, or bleeding you did not expect",
            ),
            _opt("fever", "Koorts", "Fever"),
            _opt(
                "sudden_incontinence",
                "Ineens urineverlies, terwijl je dat eerder nooit had",
                "Suddenly leaking urine when you never did before",
            ),
            _opt(
                "unable_to_void",
                "Je kunt niet plassen, hoewel je blaas vol voelt",
                "You cannot pass urine although your bladder feels full",
            ),
        ),
    ),
    Question(
        "complaints",
        "multi",
        Text("Welke klachten heb je?", "Which complaints do you have?"),
        Text(
            "Kies alles wat past. Geen klachten? Laat alles leeg.",
            "Choose all that fit. No complaints? Leave all empty.",
        ),
        options=(
            _opt(
                "leak_effort",
                "Urineverlies bij hoesten, niezen, tillen of sporten",
                "Leaking urine when you cough, sneeze, lift or do sport",
            ),
            _opt(
                "leak_urge",
                "Urineverlies bij een plotselinge, sterke aandrang",
                "Leaking urine with a sudden, strong urge to go",
            ),
            _opt(
                "pressure_bulge",
                "Een zwaar of drukkend gevoel, of een bobbel bij de vagina of anus",
                "A heavy or dragging feeling, or a bulge at the vagina or anus",
            ),
            _opt(
                "pain",
                "Pijn in bekken, stuit, onderbuik of rond de geslachtsdelen",
                "Pain in the pelvis, tailbone, lower belly or around the genitals",
            ),
            _opt(
                "voiding_difficulty",
                "Moeite om te beginnen met plassen of om je blaas leeg te plassen",
                "Trouble starting to pass urine or emptying your bladder",
            ),
            _opt("constipation", "Moeite met poepen (verstopping)", "Trouble passing stools"),
        ),
    ),
    Question(
        "complaint_duration",
        "choice",
        Text("Hoe lang heb je deze klachten al?", "How long have you had these complaints?"),
        options=(
            _opt("under_6_weeks", "Korter dan 6 weken", "Less than 6 weeks"),
            _opt("6_weeks_to_6_months", "6 weken tot 6 maanden", "6 weeks to 6 months"),
            _opt("over_6_months", "Langer dan 6 maanden", "More than 6 months"),
        ),
        shown_when=("complaints", "*"),
    ),
    Question(
        "tense_signs",
        "multi",
        Text("Herken je een van deze dingen?", "Do you recognise any of these?"),
        Text(
            "Dit zijn tekens dat je bekkenbodem misschien te gespannen is.",
            "These are signs that your pelvic floor may be too tense.",
        ),
        options=(
            _opt("pain_with_sex", "Pijn bij het vrijen", "Pain during sex"),
            _opt(
                "weak_or_interrupted_stream",
                "Een zwakke straal, of een straal die stopt en weer begint",
                "A weak stream, or a stream that stops and starts",
            ),
            _opt(
                "frequent_small_voids",
                "Vaak plassen, steeds kleine beetjes",
                "Passing urine often, a little each time",
            ),
            _opt(
                "straining_to_void",
                "Persen om te kunnen plassen",
                "Straining to pass urine",
            ),
        ),
    ),
    Question(
        "bowel_movements_per_week",
        "integer",
        Text(
            "Hoe vaak poep je meestal per week?",
            "How many times a week do you usually pass stools?",
        ),
        Text("Weet je het niet? Laat het leeg.", "Not sure? Leave it empty."),
        minimum=BOWEL_MOVEMENTS_RANGE[0],
        maximum=BOWEL_MOVEMENTS_RANGE[1],
        statement=Text("Aantal keer poepen per week: {value}.", "Bowel movements a week: {value}."),
    ),
    Question(
        "hard_straining",
        "boolean",
        Text(
            "Moet je vaak hard persen om te poepen?",
            "Do you often have to strain hard to pass stools?",
        ),
        statement=Text(
            "Je moet vaak hard persen om te poepen.", "You often strain hard to pass stools."
        ),
    ),
    Question(
        "life_phases",
        "multi",
        Text("Past een van deze bij jou?", "Does any of these apply to you?"),
        options=(
            _opt("pregnant", "Ik ben zwanger", "I am pregnant"),
            _opt("postpartum", "Ik ben bevallen", "I have given birth"),
            _opt("menopause", "Ik ben in of na de overgang", "I am in or past the menopause"),
            _opt(
                "after_prostate_treatment",
                "Ik ben behandeld aan mijn prostaat",
                "I have had prostate treatment",
            ),
            _opt(
                "after_pelvic_surgery",
                "Ik ben geopereerd aan buik of bekken",
                "I have had surgery on my belly or pelvis",
            ),
            _opt(
                "high_impact_sport",
                "Ik doe sport met springen, rennen of zwaar tillen",
                "I do sport with jumping, running or heavy lifting",
            ),
        ),
    ),
    Question(
        "weeks_since_birth",
        "integer",
        Text(
            "Hoeveel weken geleden ben je bevallen?",
            "How many weeks ago did you give birth?",
        ),
        Text("Minder dan een week? Vul 0 in.", "Less than a week? Enter 0."),
        minimum=WEEKS_SINCE_BIRTH_RANGE[0],
        maximum=WEEKS_SINCE_BIRTH_RANGE[1],
        required=True,
        shown_when=("life_phases", "postpartum"),
        statement=Text(
            "Je bent {value} weken geleden bevallen.", "You gave birth {value} weeks ago."
        ),
    ),
    Question(
        "trouble_contracting_or_relaxing",
        "boolean",
        Text(
            "Vind je het moeilijk om je bekkenbodem aan te spannen of los te laten?",
            "Do you find it hard to squeeze or to let go of your pelvic floor?",
        ),
        statement=Text(
            "Je vindt aanspannen of loslaten van je bekkenbodem moeilijk.",
            "You find it hard to squeeze or to let go of your pelvic floor.",
        ),
    ),
    Question(
        "prefers_physiotherapist",
        "boolean",
        Text(
            "Wil je liever begeleiding van een bekkenfysiotherapeut?",
            "Would you rather be guided by a pelvic physiotherapist?",
        ),
        statement=Text(
            "Je wilt liever begeleiding van een bekkenfysiotherapeut.",
            "You would rather be guided by a pelvic physiotherapist.",
        ),
    ),
)

_QUESTIONS_BY_ID = {q.id: q for q in QUESTIONS}


def question(question_id: str) -> Question:
    """Return the question with ``question_id`` (an :class:`IntakeAnswers` field)."""
    check_option("question_id", question_id, tuple(_QUESTIONS_BY_ID))
    return _QUESTIONS_BY_ID[question_id]


def describe_evidence(ref: str) -> Text:
    """Turn an evidence reference into the words of the question it came from.

    ``"complaints=pain"`` gives the option's label; ``"bowel_movements_per_week=2"`` and
    ``"hard_straining"`` (a yes) give the question's :attr:`Question.statement`.
    """
    name, _, value = ref.partition("=")
    q = question(name)
    if q.kind in ("choice", "multi"):
        labels = {o.value: o.label for o in q.options}
        check_option(name, value, tuple(labels))
        return labels[value]
    if q.statement is None:
        raise InputError(f"question {name} has no statement to quote", field=name)
    return Text(q.statement.nl.format(value=value), q.statement.en.format(value=value))


def evidence_refs(field_name: str, values: Iterable[str]) -> tuple[str, ...]:
    """``("field=value", ...)`` for the sorted ``values``."""
    return tuple(f"{field_name}={v}" for v in sorted(values))


_TRUE = frozenset({"yes", "true", "on", "1"})
_FALSE = frozenset({"no", "false", "off", "0"})


def answers_from_form(form: Mapping[str, Sequence[str]]) -> IntakeAnswers:
    """Read intake answers from a posted HTML form generated from :data:`QUESTIONS`.

    Parameters
    ----------
    form
        Field name -> the list of submitted values (as a multi-dict gives them). Only question
        ids are read; other fields (a CSRF token, a submit button) are ignored. An empty value
        means "not answered"; a ``multi`` question sends one value per ticked box; a
        ``boolean`` sends ``yes``/``no`` (also ``true``/``false``, ``on``/``off``, ``1``/``0``);
        an ``integer`` sends digits.

    Raises
    ------
    InputError
        Naming the field, as :func:`answers_from_mapping` does.
    """
    check_type("form", form, Mapping)
    data: dict[str, Any] = {}
    for q in QUESTIONS:
        raw = form.get(q.id)
        if raw is None:
            continue
        values = [v.strip() for v in check_type(q.id, raw, (list, tuple)) if v.strip()]
        if q.kind == "multi":
            data[q.id] = values
            continue
        if len(values) > 1:
            raise InputError(f"{q.id} takes one value, got {len(values)}", field=q.id)
        if not values:
            continue
        value = values[0]
        if q.kind == "integer":
            if not value.isascii() or not value.lstrip("-").isdigit():
                raise InputError(f"{q.id} must be a whole number, got {value!r}", field=q.id)
            data[q.id] = int(value)
        elif q.kind == "boolean":
            if value.lower() not in _TRUE | _FALSE:
                raise InputError(f"{q.id} must be yes or no, got {value!r}", field=q.id)
            data[q.id] = value.lower() in _TRUE
        else:
            data[q.id] = value
    return answers_from_mapping(data)
