"""Bowel diary: Bristol stool form, straining, completeness, weekly frequency, Rome IV check.

Stool form is the Bristol stool form scale (Lewis SJ, Heaton KW. Stool form scale as a useful
guide to intestinal transit time. Scand J Gastroenterol 1997;32:920–4). The constipation check
follows the Rome IV criteria for functional constipation (Lacy BE, Mearin F, Chang L, et al.
Bowel disorders. Gastroenterology 2016;150:1393–1407; clinical.md §5):

1. two or more of: straining, lumpy or hard stools (Bristol 1–2), a sense of incomplete
   evacuation, a sense of blockage, manual manoeuvres — each in more than a quarter of
   defecations — and fewer than three spontaneous bowel movements a week;
2. loose stools rarely present without laxatives;
3. the criteria for irritable bowel syndrome not met;
4. for the last 3 months, with onset at least 6 months before.

Items 1–2 come from the diary, items 3–4 from three answers. Choices the criteria leave to us,
stated so they can be shown: the diary must cover at least 7 calendar days (so the weekly count
is observed, not extrapolated); a movement marked ``laxative`` is not spontaneous; "rarely"
means loose stools (Bristol 6–7) in at most a quarter of spontaneous movements; the IBS item is
one question, whether belly pain linked to bowel movements comes at least one day a week.

The result is advice to discuss with a GP or pelvic physiotherapist, never a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from pelvio._check import check_int, check_type
from pelvio.diary.events import Bowel, Event, ordered
from pelvio.diary.notices import Notice

__all__ = [
    "BOWEL_SOURCES",
    "MIN_DIARY_DAYS",
    "QUESTIONS",
    "BowelSummary",
    "Criterion",
    "RomeIVAnswers",
    "RomeIVCheck",
    "bowel_summary",
    "rome_iv_check",
]

MIN_DIARY_DAYS: Final = 7

QUESTIONS: Final[dict[str, tuple[str, str]]] = {
    "symptoms_3_months": (
        "zijn de klachten er al de laatste 3 maanden?",
        "have the complaints been there for the last 3 months?",
    ),
    "onset_6_months": (
        "begonnen de klachten minstens 6 maanden geleden?",
        "did the complaints start at least 6 months ago?",
    ),
    "pain_with_bowel": (
        "heb je minstens één dag per week buikpijn die samenhangt met de ontlasting?",
        "do you have belly pain linked to bowel movements at least one day a week?",
    ),
}
"""The answers :class:`RomeIVAnswers` holds, as our own nl and en questions for a form."""
BOWEL_SOURCES: Final[tuple[str, ...]] = (
    "Lacy BE, et al. Bowel disorders. Gastroenterology 2016;150:1393–1407 (Rome IV)",
    "Lewis SJ, Heaton KW. Scand J Gastroenterol 1997;32:920–4 (Bristol stool form)",
    "Pelvio clinical.md §2 (when to see a GP straight away) and §5",
)
"""What the check rests on, to show beside its result."""

_QUARTER_PCT: Final = 25.0
_FEW_PER_WEEK: Final = 3.0

RomeIVStatus = Literal["met", "not_met", "not_enough_data"]


@dataclass(frozen=True, slots=True)
class BowelSummary:
    """What a bowel diary shows.

    ``days`` are the calendar days the diary covers (first to last entry, both included, on
    the person's own clock). Percentages are of all bowel movements (``None`` without any);
    ``loose_pct`` is of spontaneous ones. ``bristol_counts[k - 1]`` counts Bristol type k.
    """

    days: int
    movements: int
    spontaneous: int
    per_week: float
    spontaneous_per_week: float
    bristol_counts: tuple[int, int, int, int, int, int, int]
    hard_pct: float | None
    loose_pct: float | None
    straining_pct: float | None
    incomplete_pct: float | None
    blockage_pct: float | None
    manual_pct: float | None


def _pct(count: int, total: int) -> float | None:
    return 100.0 * count / total if total else None


def bowel_summary(events: Iterable[Event], *, days: int | None = None) -> BowelSummary:
    """Summarise the bowel movements among ``events``.

    Parameters
    ----------
    events
        Diary entries of any kind; the span of all of them sets the diary's length.
    days
        The number of days the diary was kept, when known better than from the entries.

    Raises
    ------
    InputError
        ``days`` that is not a whole number of at least 1, or no entries and no ``days``.
    """
    entries = ordered(events)
    if days is not None:
        covered = check_int("days", days, low=1)
    elif entries:
        covered = (entries[-1].time.date() - entries[0].time.date()).days + 1
    else:
        covered = check_int("days", days, low=1)
    bowel = [e for e in entries if isinstance(e, Bowel)]
    spontaneous = [b for b in bowel if not b.laxative]
    counts = tuple(sum(1 for b in bowel if b.bristol == k) for k in range(1, 8))
    n = len(bowel)
    return BowelSummary(
        days=covered,
        movements=n,
        spontaneous=len(spontaneous),
        per_week=7.0 * n / covered,
        spontaneous_per_week=7.0 * len(spontaneous) / covered,
        bristol_counts=(
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4],
            counts[5],
            counts[6],
        ),
        hard_pct=_pct(counts[0] + counts[1], n),
        loose_pct=_pct(sum(1 for b in spontaneous if b.bristol >= 6), len(spontaneous)),
        straining_pct=_pct(sum(b.straining for b in bowel), n),
        incomplete_pct=_pct(sum(b.incomplete for b in bowel), n),
        blockage_pct=_pct(sum(b.blockage for b in bowel), n),
        manual_pct=_pct(sum(b.manual for b in bowel), n),
    )


@dataclass(frozen=True, slots=True)
class RomeIVAnswers:
    """The three answers the diary cannot give; ``None`` when not (yet) answered.

    Parameters
    ----------
    symptoms_3_months
        The complaints have been there for the last 3 months.
    onset_6_months
        They started at least 6 months ago.
    pain_with_bowel
        Belly pain linked to bowel movements, at least one day a week (points to irritable
        bowel rather than functional constipation).
    """

    symptoms_3_months: bool | None = None
    onset_6_months: bool | None = None
    pain_with_bowel: bool | None = None

    def __post_init__(self) -> None:
        for name in ("symptoms_3_months", "onset_6_months", "pain_with_bowel"):
            value = getattr(self, name)
            if value is not None:
                check_type(name, value, bool)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One Rome IV symptom item: met, not met, or ``None`` (not enough diary to tell).

    ``observed`` is the percentage of defecations, or spontaneous movements per week for
    ``few_movements``.
    """

    key: Literal["straining", "hard_stools", "incomplete", "blockage", "manual", "few_movements"]
    met: bool | None
    observed: float | None
    nl: str
    en: str


@dataclass(frozen=True, slots=True)
class RomeIVCheck:
    """The outcome of :func:`rome_iv_check`: status, the six items, reasons and advice."""

    status: RomeIVStatus
    criteria: tuple[Criterion, ...]
    reasons: tuple[Notice, ...]
    advice_nl: str
    advice_en: str
    summary: BowelSummary
    sources: tuple[str, ...] = BOWEL_SOURCES


def _criteria(summary: BowelSummary) -> tuple[Criterion, ...]:
    enough_days = summary.days >= MIN_DIARY_DAYS

    def share(value: float | None) -> bool | None:
        if not enough_days or value is None:
            return None
        return value > _QUARTER_PCT

    quarter_nl, quarter_en = "bij meer dan een kwart van de ontlastingen", "in over a quarter"
    return (
        Criterion(
            "straining",
            share(summary.straining_pct),
            summary.straining_pct,
            f"persen {quarter_nl}",
            f"straining {quarter_en} of bowel movements",
        ),
        Criterion(
            "hard_stools",
            share(summary.hard_pct),
            summary.hard_pct,
            f"harde of keutelige ontlasting (Bristol 1–2) {quarter_nl}",
            f"lumpy or hard stools (Bristol 1–2) {quarter_en} of bowel movements",
        ),
        Criterion(
            "incomplete",
            share(summary.incomplete_pct),
            summary.incomplete_pct,
            f"gevoel dat de darm niet leeg is {quarter_nl}",
            f"a sense of incomplete emptying {quarter_en} of bowel movements",
        ),
        Criterion(
            "blockage",
            share(summary.blockage_pct),
            summary.blockage_pct,
            f"gevoel van blokkade {quarter_nl}",
            f"a sense of blockage {quarter_en} of bowel movements",
        ),
        Criterion(
            "manual",
            share(summary.manual_pct),
            summary.manual_pct,
            f"met de hand helpen {quarter_nl}",
            f"helping by hand {quarter_en} of bowel movements",
        ),
        Criterion(
            "few_movements",
            summary.spontaneous_per_week < _FEW_PER_WEEK if enough_days else None,
            summary.spontaneous_per_week,
            "minder dan 3 spontane ontlastingen per week",
            "fewer than 3 spontaneous bowel movements a week",
        ),
    )


_SEE_SOONER_NL: Final = (
    " Neem meteen contact op met je huisarts bij bloedverlies, koorts of veel pijn."
)
_SEE_SOONER_EN: Final = " Contact your GP straight away for blood loss, fever or severe pain."


def _advice(status: RomeIVStatus) -> tuple[str, str]:
    if status == "met":
        nl = (
            "Je dagboek en antwoorden passen bij de Rome IV-criteria voor functionele "
            "obstipatie. Dat is geen diagnose: bespreek het met je huisarts of "
            "bekkenfysiotherapeut."
        )
        en = (
            "Your diary and answers fit the Rome IV criteria for functional constipation. That "
            "is not a diagnosis: discuss it with your GP or pelvic physiotherapist."
        )
    elif status == "not_met":
        nl = (
            "Je dagboek en antwoorden passen niet bij de Rome IV-criteria voor functionele "
            "obstipatie. Heb je toch last van je ontlasting, bespreek het dan met je huisarts "
            "of bekkenfysiotherapeut."
        )
        en = (
            "Your diary and answers do not fit the Rome IV criteria for functional "
            "constipation. If your bowel still troubles you, discuss it with your GP or pelvic "
            "physiotherapist."
        )
    else:
        nl = (
            "Er zijn nog te weinig gegevens om de Rome IV-criteria na te gaan; zie de redenen. "
            "Heb je last van je ontlasting, bespreek het dan met je huisarts of "
            "bekkenfysiotherapeut."
        )
        en = (
            "There is not enough data yet to check the Rome IV criteria; see the reasons. If "
            "your bowel troubles you, discuss it with your GP or pelvic physiotherapist."
        )
    return nl + _SEE_SOONER_NL, en + _SEE_SOONER_EN


def rome_iv_check(
    events: Iterable[Event],
    answers: RomeIVAnswers | None = None,
    *,
    days: int | None = None,
) -> RomeIVCheck:
    """Check a bowel diary and three answers against the Rome IV functional constipation criteria.

    Parameters
    ----------
    events
        Diary entries (the bowel ones are used; all of them set the diary's length).
    answers
        Duration, onset and the irritable-bowel question; unanswered by default.
    days
        The number of days the diary was kept, if known better than from the entries.

    Returns
    -------
    RomeIVCheck
        ``status`` is ``"met"``, ``"not_met"`` or ``"not_enough_data"``, with the six symptom
        items, the reasons (nl and en) and advice to discuss with a GP: never a diagnosis.

    References
    ----------
    Lacy BE, et al. Gastroenterology 2016;150:1393–1407 (Rome IV). Lewis SJ, Heaton KW. Scand
    J Gastroenterol 1997;32:920–4 (Bristol). clinical.md §5.
    """
    given = answers if answers is not None else RomeIVAnswers()
    check_type("answers", given, RomeIVAnswers)
    summary = bowel_summary(events, days=days)
    criteria = _criteria(summary)
    met = sum(1 for c in criteria if c.met is True)
    unknown = sum(1 for c in criteria if c.met is None)
    failed: list[Notice] = []
    missing: list[Notice] = []

    if summary.days < MIN_DIARY_DAYS:
        missing.append(
            Notice(
                "diary_too_short",
                f"Het dagboek beslaat {summary.days} dag(en); er is minstens een week "
                f"({MIN_DIARY_DAYS} dagen) nodig.",
                f"The diary covers {summary.days} day(s); at least a week ({MIN_DIARY_DAYS} "
                "days) is needed.",
            )
        )
    elif met < 2 and met + unknown >= 2:
        missing.append(
            Notice(
                "too_few_movements",
                "Er zijn te weinig ontlastingen ingevoerd om de kenmerken per ontlasting te "
                "beoordelen.",
                "Too few bowel movements are entered to judge the items per movement.",
            )
        )
    if met + unknown < 2:
        failed.append(
            Notice(
                "fewer_than_two_items",
                f"{met} van de 6 kenmerken komt voor; er zijn er minstens 2 nodig.",
                f"{met} of the 6 items is present; at least 2 are needed.",
            )
        )
    if summary.days >= MIN_DIARY_DAYS and (summary.loose_pct or 0.0) > _QUARTER_PCT:
        failed.append(
            Notice(
                "loose_stools_not_rare",
                "Dunne ontlasting (Bristol 6–7) zonder laxeermiddel komt vaker dan zelden voor.",
                "Loose stools (Bristol 6–7) without laxatives are more than rare.",
            )
        )
    if given.pain_with_bowel is True:
        failed.append(
            Notice(
                "pain_with_bowel",
                "Buikpijn die samenhangt met de ontlasting, minstens één dag per week, past "
                "eerder bij een prikkelbare darm dan bij functionele obstipatie.",
                "Belly pain linked to bowel movements at least one day a week fits irritable "
                "bowel better than functional constipation.",
            )
        )
    if given.symptoms_3_months is False:
        failed.append(
            Notice(
                "not_3_months",
                "De klachten zijn er nog geen 3 maanden.",
                "The complaints have not been there for 3 months.",
            )
        )
    if given.onset_6_months is False:
        failed.append(
            Notice(
                "onset_under_6_months",
                "De klachten begonnen minder dan 6 maanden geleden.",
                "The complaints began less than 6 months ago.",
            )
        )
    for name, (question_nl, question_en) in QUESTIONS.items():
        if getattr(given, name) is None:
            missing.append(
                Notice(
                    f"unanswered_{name}",
                    f"Nog niet beantwoord: {question_nl}",
                    f"Not answered yet: {question_en}",
                )
            )
    status: RomeIVStatus = "not_met" if failed else ("not_enough_data" if missing else "met")
    reasons = tuple(failed) if failed else tuple(missing)
    advice_nl, advice_en = _advice(status)
    return RomeIVCheck(
        status=status,
        criteria=criteria,
        reasons=reasons,
        advice_nl=advice_nl,
        advice_en=advice_en,
        summary=summary,
    )
