"""The intake rules: pure tables of (id, condition, conclusion, reason, sources).

Four stages run in order on :class:`~pelvio.pathway.intake.IntakeAnswers`:

1. **safety** (:data:`SAFETY_RULES`): a red flag means "seek care now" and puts the plan on
   hold (leaflet 004; ``clinical.md`` section 2).
2. **classification** (:data:`CLASSIFICATION_RULES`): what the complaint fits: stress, urge or
   mixed incontinence, signs of an overactive floor, prolapse symptoms, constipation. Wording is
   never diagnostic ("past bij", "fits").
3. **programmes** (:data:`PROGRAMME_RULES`): per slot (relax, bladder, strength) the first rule
   that matches picks the programme; later matching rules that pick the same programme add their
   reasons. The slots run relax -> bladder -> strength, so relaxation comes first whenever a
   too-tense floor is suspected (003, 004: strengthening alone is the wrong advice there).
4. **advice** (:data:`ADVICE_RULES`): every matching rule adds one piece of advice (see a pelvic
   physiotherapist, discuss with the GP, or self-care).

Every rule's ``match`` returns the evidence (answer references such as ``"complaints=pain"``)
when it fires and ``None`` when it does not, so each conclusion can say which answers led to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, cast, get_args

from pelvio._check import check_option
from pelvio.pathway.intake import IntakeAnswers, describe_evidence, evidence_refs
from pelvio.pathway.sources import Source, Text, sources

__all__ = [
    "ADVICE_KINDS",
    "ADVICE_RULES",
    "ALL_RULES",
    "CLASSIFICATION_RULES",
    "CONDITIONS",
    "CONDITION_IDS",
    "PROGRAMME_IDS",
    "PROGRAMME_RULES",
    "SAFETY_RULES",
    "SEEK_CARE_TEXT",
    "SLOTS",
    "AdviceKind",
    "AdviceRule",
    "ClassificationRule",
    "ConditionId",
    "Facts",
    "ProgrammeId",
    "ProgrammeRule",
    "Slot",
    "describe",
]

ConditionId = Literal[
    "stress-ui", "urge-ui", "mixed-ui", "overactive-floor", "prolapse-symptoms", "constipation"
]
CONDITION_IDS: tuple[ConditionId, ...] = get_args(ConditionId)

# Programme ids of the training capability (pelvio.training); referred to by id only.
ProgrammeId = Literal[
    "basis", "kracht-uithouding-coordinatie", "kegel-varianten", "ontspanning", "blaastraining"
]
PROGRAMME_IDS: tuple[ProgrammeId, ...] = get_args(ProgrammeId)

Slot = Literal["relax", "bladder", "strength"]
SLOTS: tuple[Slot, ...] = get_args(Slot)

AdviceKind = Literal["seek-care-now", "physiotherapist", "gp", "self-care"]
ADVICE_KINDS: tuple[AdviceKind, ...] = get_args(AdviceKind)

Evidence = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Facts:
    """What the later stages see: the answers and the conditions classified so far."""

    answers: IntakeAnswers
    conditions: frozenset[ConditionId] = frozenset()


Matcher = Callable[[Facts], Evidence | None]


@dataclass(frozen=True, slots=True)
class ClassificationRule:
    """Answers -> a condition the complaint fits."""

    id: str
    match: Matcher
    conclusion: ConditionId
    reason: Text
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class ProgrammeRule:
    """Facts -> a programme in a slot (``programme=None``: deliberately none in that slot)."""

    id: str
    match: Matcher
    slot: Slot
    programme: ProgrammeId | None
    reason: Text
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class AdviceRule:
    """Facts -> one piece of advice; ``due`` gives a date from which it applies, if any."""

    id: str
    match: Matcher
    kind: AdviceKind
    text: Text
    sources: tuple[Source, ...]
    due: Callable[[IntakeAnswers, dt.date], dt.date] | None = None


# ---------------------------------------------------------------------------------------------
# Conditions: the words a conclusion is shown with


CONDITIONS: dict[ConditionId, Text] = {
    "stress-ui": Text(
        "Past bij inspanningsincontinentie: urineverlies bij hoesten, tillen of sporten.",
        "Fits stress urinary incontinence: leaking when you cough, lift or do sport.",
    ),
    "urge-ui": Text(
        "Past bij urge-incontinentie: urineverlies bij plotselinge aandrang.",
        "Fits urge urinary incontinence: leaking with a sudden urge.",
    ),
    "mixed-ui": Text(
        "Past bij gemengde incontinentie: urineverlies bij inspanning en bij aandrang.",
        "Fits mixed urinary incontinence: leaking on effort and with urge.",
    ),
    "overactive-floor": Text(
        "Wijst mogelijk op een te gespannen (overactieve) bekkenbodem.",
        "May point to a too-tense (overactive) pelvic floor.",
    ),
    "prolapse-symptoms": Text(
        "Past bij klachten van een verzakking.",
        "Fits the symptoms of a prolapse.",
    ),
    "constipation": Text(
        "Past bij obstipatie (verstopping).",
        "Fits constipation.",
    ),
}

SEEK_CARE_TEXT = Text(
    "Neem vandaag nog contact op met je huisarts. Is de praktijk dicht? Bel dan de "
    "huisartsenpost (in België: de huisartsenwachtpost). Pelvio kan deze klacht niet "
    "beoordelen. Begin of ga pas verder met oefenen als een arts zegt dat het kan.",
    "Contact your GP today. Is the practice closed? Call the out-of-hours GP service. Pelvio "
    "cannot judge this complaint. Only start or go on training once a doctor says you can.",
)


_NOTHING_SPECIFIC = Text(
    "Je noemt geen klachten en geen bijzondere levensfase.",
    "You report no complaints and no particular life phase.",
)


def describe(ref: str) -> Text:
    """The words for an evidence reference: an answer, or a condition classified earlier."""
    name, _, value = ref.partition("=")
    if name == "condition":
        return CONDITIONS[_condition_id(value)]
    if ref == "no_conditions":
        return _NOTHING_SPECIFIC
    return describe_evidence(ref)


def _condition_id(value: str) -> ConditionId:
    check_option("condition", value, CONDITION_IDS)
    return cast(ConditionId, value)


# ---------------------------------------------------------------------------------------------
# Small matchers


def _when(ok: bool, evidence: Evidence) -> Evidence | None:
    return evidence if ok else None


def _phase(phase: str) -> Matcher:
    def match(f: Facts) -> Evidence | None:
        return _when(phase in f.answers.life_phases, (f"life_phases={phase}",))

    return match


def _condition(*wanted: ConditionId) -> Matcher:
    def match(f: Facts) -> Evidence | None:
        hit = [c for c in wanted if c in f.conditions]
        return _when(bool(hit), tuple(f"condition={c}" for c in hit))

    return match


def _flag(name: str) -> Matcher:
    def match(f: Facts) -> Evidence | None:
        return _when(bool(getattr(f.answers, name)), (name,))

    return match


# ---------------------------------------------------------------------------------------------
# 1. Safety


def _red_flags(f: Facts) -> Evidence | None:
    return _when(bool(f.answers.red_flags), evidence_refs("red_flags", f.answers.red_flags))


SAFETY_RULES: tuple[AdviceRule, ...] = (
    AdviceRule(
        "safety-red-flag",
        _red_flags,
        "seek-care-now",
        SEEK_CARE_TEXT,
        sources("leaflet-004"),
    ),
)


# ---------------------------------------------------------------------------------------------
# 2. Classification


def _leak_only(kind: str, other: str) -> Matcher:
    def match(f: Facts) -> Evidence | None:
        c = f.answers.complaints
        return _when(kind in c and other not in c, (f"complaints={kind}",))

    return match


def _mixed(f: Facts) -> Evidence | None:
    c = f.answers.complaints
    return _when(
        {"leak_effort", "leak_urge"} <= c, ("complaints=leak_effort", "complaints=leak_urge")
    )


_PAIN_SIGNS = frozenset({"complaints=pain", "tense_signs=pain_with_sex"})


def _tense_signs(a: IntakeAnswers) -> list[Evidence]:
    """The signs of a too-tense floor (003, 004), each with the answers that show it."""
    signs: list[Evidence] = [
        (f"complaints={c}",) for c in sorted(a.complaints & {"pain", "voiding_difficulty"})
    ]
    signs += [(ref,) for ref in evidence_refs("tense_signs", a.tense_signs)]
    constipation = _constipation_evidence(a)
    if constipation:
        signs.append(constipation)
    return signs


def _overactive(f: Facts) -> Evidence | None:
    # Pelvio's choice: pain, or at least two signs. One sign alone (frequent small voids,
    # constipation) is common with other causes; two, or pain, make a tense floor more likely.
    signs = _tense_signs(f.answers)
    has_pain = any(sign[0] in _PAIN_SIGNS for sign in signs)
    return _when(has_pain or len(signs) >= 2, tuple(ref for sign in signs for ref in sign))


def _constipation_evidence(a: IntakeAnswers) -> Evidence:
    refs: list[str] = []
    if "constipation" in a.complaints:
        refs.append("complaints=constipation")
    if a.bowel_movements_per_week is not None and a.bowel_movements_per_week < 3:
        refs.append(f"bowel_movements_per_week={a.bowel_movements_per_week}")
    if a.hard_straining:
        refs.append("hard_straining")
    return tuple(refs)


def _constipation(f: Facts) -> Evidence | None:
    refs = _constipation_evidence(f.answers)
    return _when(bool(refs), refs)


def _prolapse(f: Facts) -> Evidence | None:
    return _when("pressure_bulge" in f.answers.complaints, ("complaints=pressure_bulge",))


CLASSIFICATION_RULES: tuple[ClassificationRule, ...] = (
    ClassificationRule(
        "classify-stress-ui",
        _leak_only("leak_effort", "leak_urge"),
        "stress-ui",
        Text(
            "Je verliest urine bij inspanning, zonder dat je eerst aandrang voelt.",
            "You leak urine on effort, without first feeling an urge.",
        ),
        sources("nhg-m46", "leaflet-001", "ics-terminology"),
    ),
    ClassificationRule(
        "classify-urge-ui",
        _leak_only("leak_urge", "leak_effort"),
        "urge-ui",
        Text(
            "Je verliest urine als je ineens heel nodig moet.",
            "You leak urine when you suddenly need to go very badly.",
        ),
        sources("nhg-m46", "ics-terminology"),
    ),
    ClassificationRule(
        "classify-mixed-ui",
        _mixed,
        "mixed-ui",
        Text(
            "Je verliest urine bij inspanning en ook bij plotselinge aandrang.",
            "You leak urine on effort and also with a sudden urge.",
        ),
        sources("nhg-m46", "ics-terminology"),
    ),
    ClassificationRule(
        "classify-overactive-floor",
        _overactive,
        "overactive-floor",
        Text(
            "Je noemt pijn, of twee of meer tekens van een te gespannen bekkenbodem. Dan is "
            "eerst leren loslaten belangrijk. Alleen meer knijpen helpt dan niet. (De grens "
            "'pijn of twee tekens' is een keuze van Pelvio.)",
            "You report pain, or two or more signs of a too-tense pelvic floor. Then learning "
            "to let go comes first. Squeezing more on its own does not help. (The cut-off "
            "'pain or two signs' is Pelvio's choice.)",
        ),
        sources("leaflet-003", "leaflet-004", "pelvio-choice"),
    ),
    ClassificationRule(
        "classify-prolapse-symptoms",
        _prolapse,
        "prolapse-symptoms",
        Text(
            "Een zwaar of drukkend gevoel, of een bobbel, kan komen doordat een orgaan wat zakt.",
            "A heavy or dragging feeling, or a bulge, can come from an organ sagging a little.",
        ),
        sources("leaflet-003", "leaflet-004", "leaflet-000"),
    ),
    ClassificationRule(
        "classify-constipation",
        _constipation,
        "constipation",
        Text(
            "Minder dan drie keer per week poepen, of vaak hard moeten persen, heet obstipatie.",
            "Passing stools fewer than three times a week, or often straining hard, is called "
            "constipation.",
        ),
        sources("leaflet-003"),
    ),
)


# ---------------------------------------------------------------------------------------------
# 3. Programmes


def _no_strength_for_overactive(f: Facts) -> Evidence | None:
    load = f.conditions & {"stress-ui", "mixed-ui", "prolapse-symptoms"}
    return _when("overactive-floor" in f.conditions and not load, ("condition=overactive-floor",))


def _nothing_specific(f: Facts) -> Evidence | None:
    return _when(not f.conditions and not f.answers.life_phases, ("no_conditions",))


PROGRAMME_RULES: tuple[ProgrammeRule, ...] = (
    ProgrammeRule(
        "programme-relax-overactive",
        _condition("overactive-floor"),
        "relax",
        "ontspanning",
        Text(
            "Begin met ontspannen en ademen. Een te gespannen bekkenbodem moet eerst leren "
            "loslaten.",
            "Start with relaxing and breathing. A too-tense pelvic floor first has to learn to "
            "let go.",
        ),
        sources("leaflet-003", "leaflet-004"),
    ),
    ProgrammeRule(
        "programme-relax-constipation",
        _condition("constipation"),
        "relax",
        "ontspanning",
        Text(
            "Bij obstipatie helpt het om je bekkenbodem en buik te ontspannen en rustig uit te "
            "ademen op het toilet.",
            "With constipation it helps to relax your pelvic floor and belly and to breathe out "
            "calmly on the toilet.",
        ),
        sources("leaflet-003"),
    ),
    ProgrammeRule(
        "programme-relax-surgery",
        _phase("after_pelvic_surgery"),
        "relax",
        "ontspanning",
        Text(
            "Na een operatie aan buik of bekken span je vaak onbewust aan. Rustig ademen en "
            "loslaten zijn dan een goede eerste stap.",
            "After surgery on the belly or pelvis you often tense up without noticing. Calm "
            "breathing and letting go are then a good first step.",
        ),
        sources("leaflet-004"),
    ),
    ProgrammeRule(
        "programme-bladder-urge",
        _condition("urge-ui", "mixed-ui"),
        "bladder",
        "blaastraining",
        Text(
            "Bij urineverlies door aandrang is blaastraining de eerste stap.",
            "For leaking with urge, bladder training is the first step.",
        ),
        sources("nhg-m46"),
    ),
    ProgrammeRule(
        "programme-no-strength-overactive",
        _no_strength_for_overactive,
        "strength",
        None,
        Text(
            "Nog geen krachtoefeningen: bij een te gespannen bekkenbodem kan extra knijpen de "
            "klachten erger maken. Een bekkenfysiotherapeut kijkt wanneer kracht erbij kan.",
            "No strength exercises yet: with a too-tense pelvic floor, more squeezing can make "
            "things worse. A pelvic physiotherapist can judge when to add strength.",
        ),
        sources("leaflet-004", "leaflet-003"),
    ),
    ProgrammeRule(
        "programme-strength-postpartum",
        _phase("postpartum"),
        "strength",
        "kracht-uithouding-coordinatie",
        Text(
            "Na de bevalling train je kracht, uithouding en coördinatie. Dit helpt klachten te "
            "behandelen en te voorkomen.",
            "After giving birth you train strength, endurance and coordination. This helps to "
            "treat and to prevent complaints.",
        ),
        sources("leaflet-002"),
    ),
    ProgrammeRule(
        "programme-strength-prostate",
        _phase("after_prostate_treatment"),
        "strength",
        "kegel-varianten",
        Text(
            "Na een prostaatbehandeling oefen je snelle knijpjes en langer vasthouden. Je leert "
            "ook aanspannen vlak voor hoesten of tillen.",
            "After prostate treatment you practise quick squeezes and longer holds. You also "
            "learn to squeeze just before you cough or lift.",
        ),
        sources("leaflet-004"),
    ),
    ProgrammeRule(
        "programme-strength-sport",
        _phase("high_impact_sport"),
        "strength",
        "kegel-varianten",
        Text(
            "Bij springen en rennen moet je bekkenbodem snel reageren. Korte, snelle knijpjes "
            "en langere houdingen trainen dat.",
            "Jumping and running ask your pelvic floor to react fast. Short, quick squeezes "
            "and longer holds train that.",
        ),
        sources("leaflet-004"),
    ),
    ProgrammeRule(
        "programme-strength-stress",
        _condition("stress-ui", "mixed-ui"),
        "strength",
        "basis",
        Text(
            "Bij urineverlies bij inspanning helpt de basisoefening: 6 tellen knijpen, 6 tellen "
            "ontspannen, 10 keer, drie keer per dag.",
            "For leaking on effort the basic exercise helps: squeeze for 6 counts, relax for 6 "
            "counts, 10 times, three times a day.",
        ),
        sources("leaflet-001", "nhg-m46"),
    ),
    ProgrammeRule(
        "programme-strength-prolapse",
        _condition("prolapse-symptoms"),
        "strength",
        "basis",
        Text(
            "Bij verzakkingsklachten geven sterkere bekkenbodemspieren meer steun. Een grote "
            "verzakking gaat daar niet van weg, maar klachten kunnen wel minder worden.",
            "With prolapse symptoms, stronger pelvic floor muscles give more support. A large "
            "prolapse will not go away, but complaints can lessen.",
        ),
        sources("leaflet-000", "leaflet-004"),
    ),
    ProgrammeRule(
        "programme-strength-pregnancy",
        _phase("pregnant"),
        "strength",
        "basis",
        Text(
            "In de zwangerschap oefen je rustig en met aandacht voor ademen en loslaten.",
            "During pregnancy you train gently, with attention to breathing and letting go.",
        ),
        sources("leaflet-004"),
    ),
    ProgrammeRule(
        "programme-strength-menopause",
        _phase("menopause"),
        "strength",
        "basis",
        Text(
            "In en na de overgang helpt regelmatig oefenen om steun en kracht te houden.",
            "During and after the menopause, regular training helps to keep support and strength.",
        ),
        sources("leaflet-004"),
    ),
    ProgrammeRule(
        "programme-strength-default",
        _nothing_specific,
        "strength",
        "basis",
        Text(
            "Je noemt geen klachten. De basisoefening houdt je bekkenbodem fit.",
            "You report no complaints. The basic exercise keeps your pelvic floor fit.",
        ),
        sources("leaflet-001"),
    ),
)


# ---------------------------------------------------------------------------------------------
# 4. Advice


def _long_complaints(f: Facts) -> Evidence | None:
    d = f.answers.complaint_duration
    return _when(d in ("6_weeks_to_6_months", "over_6_months"), (f"complaint_duration={d}",))


def _postpartum_before(weeks: int) -> Matcher:
    def match(f: Facts) -> Evidence | None:
        w = f.answers.weeks_since_birth
        return _when(
            w is not None and w < weeks, ("life_phases=postpartum", f"weeks_since_birth={w}")
        )

    return match


def _postnatal_physio_due(a: IntakeAnswers, start: dt.date) -> dt.date:
    weeks = a.weeks_since_birth or 0
    return start + dt.timedelta(weeks=max(0, 6 - weeks))


def _belgian_postpartum(f: Facts) -> Evidence | None:
    a = f.answers
    return _when(
        a.country == "BE" and "postpartum" in a.life_phases,
        ("country=BE", "life_phases=postpartum"),
    )


def _no_estim(f: Facts) -> Evidence | None:
    a = f.answers
    refs = [
        f"life_phases={p}" for p in sorted(a.life_phases & {"pregnant", "after_pelvic_surgery"})
    ]
    if a.weeks_since_birth is not None and a.weeks_since_birth < 12:
        refs += ["life_phases=postpartum", f"weeks_since_birth={a.weeks_since_birth}"]
    return _when(bool(refs), tuple(refs))


def _menopause_with_complaints(f: Facts) -> Evidence | None:
    hit = f.conditions & {"stress-ui", "urge-ui", "mixed-ui", "prolapse-symptoms"}
    ok = "menopause" in f.answers.life_phases and bool(hit)
    return _when(ok, ("life_phases=menopause", *(f"condition={c}" for c in sorted(hit))))


def _male_voiding(f: Facts) -> Evidence | None:
    a = f.answers
    refs = [f"complaints={c}" for c in sorted(a.complaints & {"voiding_difficulty"})]
    refs += evidence_refs("tense_signs", a.tense_signs & {"weak_or_interrupted_stream"})
    return _when(a.sex == "male" and bool(refs), ("sex=male", *refs))


ADVICE_RULES: tuple[AdviceRule, ...] = (
    AdviceRule(
        "advice-physio-trouble",
        _flag("trouble_contracting_or_relaxing"),
        "physiotherapist",
        Text(
            "Je vindt aanspannen of loslaten moeilijk. Een bekkenfysiotherapeut kan voelen en "
            "laten zien wat je spieren doen. Dat maakt oefenen makkelijker.",
            "You find squeezing or letting go hard. A pelvic physiotherapist can feel and show "
            "what your muscles do. That makes training easier.",
        ),
        sources("leaflet-001"),
    ),
    AdviceRule(
        "advice-physio-preference",
        _flag("prefers_physiotherapist"),
        "physiotherapist",
        Text(
            "Je wilt liever begeleiding. Dat kan altijd: zoek een geregistreerde "
            "bekkenfysiotherapeut.",
            "You would rather have guidance. That is always fine: find a registered pelvic "
            "physiotherapist.",
        ),
        sources("leaflet-001"),
    ),
    AdviceRule(
        "advice-physio-long-complaints",
        _long_complaints,
        "physiotherapist",
        Text(
            "Je hebt al langer dan zes weken klachten. Laat je begeleiden door een "
            "bekkenfysiotherapeut.",
            "You have had complaints for more than six weeks. Get guidance from a pelvic "
            "physiotherapist.",
        ),
        sources("leaflet-004"),
    ),
    AdviceRule(
        "advice-physio-overactive",
        _condition("overactive-floor"),
        "physiotherapist",
        Text(
            "Leren loslaten gaat het best met een bekkenfysiotherapeut. Die kan zien of je "
            "spieren echt ontspannen.",
            "Learning to let go works best with a pelvic physiotherapist, who can see whether "
            "your muscles really relax.",
        ),
        sources("leaflet-004", "leaflet-000"),
    ),
    AdviceRule(
        "advice-physio-prostate",
        _phase("after_prostate_treatment"),
        "physiotherapist",
        Text(
            "Na een prostaatbehandeling helpt begeleiding door een bekkenfysiotherapeut bij "
            "het herstel.",
            "After prostate treatment, guidance from a pelvic physiotherapist helps recovery.",
        ),
        sources("leaflet-004"),
    ),
    AdviceRule(
        "advice-physio-surgery",
        _phase("after_pelvic_surgery"),
        "physiotherapist",
        Text(
            "Na een operatie aan buik of bekken is advies van een bekkenfysiotherapeut "
            "verstandig. Vraag ook je arts wanneer je weer mag oefenen.",
            "After surgery on the belly or pelvis, advice from a pelvic physiotherapist is "
            "wise. Also ask your doctor when you may train again.",
        ),
        sources("leaflet-000", "leaflet-004"),
    ),
    AdviceRule(
        "advice-prolapse-check",
        _condition("prolapse-symptoms"),
        "physiotherapist",
        Text(
            "Laat een bekkenfysiotherapeut of je huisarts kijken hoe groot de verzakking is. "
            "Bij een grote verzakking helpen oefeningen vaak te weinig. Een pessarium kan dan "
            "steun geven: bespreek dat met je huisarts.",
            "Have a pelvic physiotherapist or your GP check how large the prolapse is. With a "
            "large prolapse, exercises often do too little. A pessary can then give support: "
            "discuss it with your GP.",
        ),
        sources("leaflet-000", "leaflet-004"),
    ),
    AdviceRule(
        "advice-postpartum-gentle-start",
        _postpartum_before(6),
        "self-care",
        Text(
            "Je mag ongeveer twee dagen na de bevalling rustig beginnen met oefenen. Til de "
            "eerste weken zo weinig mogelijk en neem geregeld rust.",
            "You may start gently about two days after giving birth. In the first weeks, lift "
            "as little as you can and rest often.",
        ),
        sources("leaflet-002"),
    ),
    AdviceRule(
        "advice-postnatal-physio",
        _phase("postpartum"),
        "physiotherapist",
        Text(
            "Vanaf zes weken na de bevalling kun je starten met postnatale "
            "bekkenfysiotherapie. Sporten bouw je daarna rustig op.",
            "From six weeks after giving birth you can start postnatal pelvic physiotherapy. "
            "Build up sport gradually after that.",
        ),
        sources("leaflet-002", "leaflet-004"),
        due=_postnatal_physio_due,
    ),
    AdviceRule(
        "advice-postnatal-belgium",
        _belgian_postpartum,
        "physiotherapist",
        Text(
            "In België zijn dat negen sessies postnatale kinesitherapie. Je hebt een "
            "voorschrift van je huisarts of specialist nodig.",
            "In Belgium this is nine sessions of postnatal physiotherapy. You need a "
            "prescription from your GP or specialist.",
        ),
        sources("leaflet-002"),
        due=_postnatal_physio_due,
    ),
    AdviceRule(
        "advice-no-electrostimulation",
        _no_estim,
        "self-care",
        Text(
            "Gebruik nu geen elektrostimulatie. Dat wordt afgeraden in de zwangerschap en in de "
            "eerste 12 weken na een bevalling of een operatie in het bekken. Vraag je "
            "bekkenfysiotherapeut wanneer het wel kan.",
            "Do not use electrostimulation now. It is advised against in pregnancy and in the "
            "first 12 weeks after giving birth or pelvic surgery. Ask your pelvic "
            "physiotherapist when it is fine.",
        ),
        sources("estim-contraindications"),
    ),
    AdviceRule(
        "advice-menopause-gp",
        _menopause_with_complaints,
        "gp",
        Text(
            "In de overgang wordt het slijmvlies dunner. Bespreek met je huisarts of een "
            "hormoonzalf voor de vagina iets voor jou is.",
            "During the menopause the lining of the vagina gets thinner. Discuss with your GP "
            "whether a vaginal hormone cream could help you.",
        ),
        sources("leaflet-004"),
    ),
    AdviceRule(
        "advice-toilet-habits",
        _condition("constipation", "overactive-floor"),
        "self-care",
        Text(
            "Neem de tijd op het toilet. Laat je voeten rusten op een krukje. Buig wat voorover "
            "en adem uit. Niet persen bij het plassen. Ga naar het toilet als je aandrang voelt.",
            "Take your time on the toilet. Put your feet on a stool, lean forward a little and "
            "breathe out. Do not strain to pass urine. Go when you feel the urge.",
        ),
        sources("leaflet-002", "leaflet-003"),
    ),
    AdviceRule(
        "advice-sport-pressure",
        _phase("high_impact_sport"),
        "self-care",
        Text(
            "Adem uit als je tilt, springt of je inspant. Houd je adem niet vast. Bouw zware "
            "training rustig op.",
            "Breathe out when you lift, jump or push hard. Do not hold your breath. Build up "
            "heavy training gradually.",
        ),
        sources("leaflet-004", "leaflet-000"),
    ),
    AdviceRule(
        "advice-male-voiding-gp",
        _male_voiding,
        "gp",
        Text(
            "Bij mannen kan een vergrote prostaat het plassen moeilijker maken. Bespreek deze "
            "klacht met je huisarts.",
            "In men, an enlarged prostate can make passing urine harder. Discuss this with "
            "your GP.",
        ),
        sources("leaflet-004"),
    ),
)

ALL_RULES: tuple[ClassificationRule | ProgrammeRule | AdviceRule, ...] = (
    *SAFETY_RULES,
    *CLASSIFICATION_RULES,
    *PROGRAMME_RULES,
    *ADVICE_RULES,
)
