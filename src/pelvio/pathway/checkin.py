"""Check-ins at 2 weeks, 6 weeks and 3 months: continue, physiotherapist or GP.

Each check-in takes the PGI-I (1 very much better ... 7 very much worse), the ICIQ-UI SF total
(0-21, when the complaint is leaking) with its baseline, and a diary summary. An ordered rule
table (:data:`CHECKIN_RULES`, first match wins) gives exactly one outcome:

``continue``
    Go on training (less often once the complaints are gone: ``less_often``).
``see-physiotherapist``
    Guidance from a pelvic physiotherapist is advised.
``see-gp-other-treatment``
    After 3 months with too little improvement, stop and discuss other treatment with the GP.
``seek-care-now``
    A red flag was reported; this overrides everything (leaflet 004).

Sources: leaflet 001 (check-ups at 2 and 6 weeks; improvement expected after 6-8 weeks; no
improvement after 6 weeks -> pelvic physiotherapist; too little after 3 months -> stop and
discuss a pessary or a mid-urethral sling with the GP; resolved -> keep training, less often;
trouble squeezing or letting go, or preference -> physiotherapist); leaflet 004 (worse ->
physiotherapist; red flags); ``clinical.md`` section 2.

How "improvement" is measured (see :func:`assess_progress`)
------------------------------------------------------------
The leaflets do not put a number on improvement; these thresholds are Pelvio's choice, built on
published figures and shown to the user as such:

* **improved**: not worse, and PGI-I 3 ("a little better") or better, or the ICIQ-UI SF total
  fell by at least the minimum important difference of 2.52 points after pelvic floor muscle
  training (Nyström et al. 2015) - with whole-number scores, 3 points - or the diary shows at
  least half as many leaks a day as at baseline.
* **enough improvement** (used at 3 months): not worse, and PGI-I 2 ("much better") or better,
  or an ICIQ-UI SF fall of at least 4.0 points, the clinically important difference after
  conservative treatment (Int Urogynecol J 2023;34:3033).
* **worse**: PGI-I 5 ("a little worse") or worse.
* **resolved**: PGI-I 1, or PGI-I 2 with an ICIQ-UI SF total of 0; and no leaks in the diary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, get_args

from pelvio._check import check_finite_number, check_int, check_option, check_type
from pelvio.errors import InputError
from pelvio.pathway.intake import RED_FLAGS, RedFlag
from pelvio.pathway.rules import CONDITION_IDS, SEEK_CARE_TEXT, ConditionId
from pelvio.pathway.sources import Source, Text, sources

__all__ = [
    "CHECKIN_NOTE_RULES",
    "CHECKIN_OUTCOMES",
    "CHECKIN_RULES",
    "DIARY_RESPONSE_FRACTION",
    "FOLLOW_UP_POINTS",
    "ICIQ_CID_POINTS",
    "ICIQ_MID_POINTS",
    "PGI_I_IMPROVED_MAX",
    "PGI_I_MUCH_BETTER_MAX",
    "PGI_I_WORSE_MIN",
    "CheckinAnswers",
    "CheckinNote",
    "CheckinOutcome",
    "CheckinResult",
    "CheckinRule",
    "DiarySummary",
    "FollowUpPoint",
    "Progress",
    "assess_progress",
    "evaluate_checkin",
]

FollowUpPoint = Literal["2w", "6w", "3m"]
FOLLOW_UP_POINTS: tuple[FollowUpPoint, ...] = get_args(FollowUpPoint)
CheckinOutcome = Literal[
    "continue", "see-physiotherapist", "see-gp-other-treatment", "seek-care-now"
]
CHECKIN_OUTCOMES: tuple[CheckinOutcome, ...] = get_args(CheckinOutcome)

ICIQ_MID_POINTS = 2.52  # Nyström et al., Neurourol Urodyn 2015;34:747 (after PFMT, SUI)
ICIQ_CID_POINTS = 4.0  # Int Urogynecol J 2023;34:3033 (conservative treatment, 1 year)
PGI_I_IMPROVED_MAX = 3  # "a little better" or better
PGI_I_MUCH_BETTER_MAX = 2  # "much better" or better
PGI_I_WORSE_MIN = 5  # "a little worse" or worse
DIARY_RESPONSE_FRACTION = 0.5  # Pelvio's choice: at least half fewer leaks a day


@dataclass(frozen=True, slots=True)
class DiarySummary:
    """The diary figures a check-in uses (per 24 hours; ``None`` = not recorded)."""

    incontinence_episodes_24h: float | None = None
    urgency_episodes_24h: float | None = None
    daytime_frequency: float | None = None
    nocturia: float | None = None

    def __post_init__(self) -> None:
        for name in (
            "incontinence_episodes_24h",
            "urgency_episodes_24h",
            "daytime_frequency",
            "nocturia",
        ):
            value = getattr(self, name)
            if value is not None and check_finite_number(name, value) < 0:
                raise InputError(f"{name} must not be negative, got {value!r}", field=name)


@dataclass(frozen=True, slots=True)
class CheckinAnswers:
    """What a check-in collects.

    Attributes
    ----------
    point
        ``2w``, ``6w`` or ``3m``.
    pgi_i
        Patient Global Impression of Improvement, 1-7.
    iciq_ui_sf_total, baseline_iciq_ui_sf_total
        ICIQ-UI SF totals 0-21 now and at baseline (``None`` when not asked).
    diary, baseline_diary
        Diary summaries now and at baseline.
    red_flags
        Any red flag reported now.
    trouble_contracting_or_relaxing, prefers_physiotherapist
        As in the intake, asked again.
    treated_conditions
        The conditions of the plan (from :func:`pelvio.pathway.classify`).
    """

    point: FollowUpPoint
    pgi_i: int
    iciq_ui_sf_total: int | None = None
    baseline_iciq_ui_sf_total: int | None = None
    diary: DiarySummary | None = None
    baseline_diary: DiarySummary | None = None
    red_flags: frozenset[RedFlag] = field(default_factory=frozenset)
    trouble_contracting_or_relaxing: bool = False
    prefers_physiotherapist: bool = False
    treated_conditions: frozenset[ConditionId] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        check_option("point", self.point, FOLLOW_UP_POINTS)
        check_int("pgi_i", self.pgi_i, low=1, high=7)
        for name in ("iciq_ui_sf_total", "baseline_iciq_ui_sf_total"):
            value = getattr(self, name)
            if value is not None:
                check_int(name, value, low=0, high=21)
        for name in ("diary", "baseline_diary"):
            value = getattr(self, name)
            if value is not None:
                check_type(name, value, DiarySummary)
        check_type("red_flags", self.red_flags, frozenset)
        for flag in sorted(self.red_flags):
            check_option("red_flags", flag, RED_FLAGS)
        check_type("treated_conditions", self.treated_conditions, frozenset)
        for c in sorted(self.treated_conditions):
            check_option("treated_conditions", c, CONDITION_IDS)
        check_type("trouble_contracting_or_relaxing", self.trouble_contracting_or_relaxing, bool)
        check_type("prefers_physiotherapist", self.prefers_physiotherapist, bool)


@dataclass(frozen=True, slots=True)
class Progress:
    """How much better (or worse) things are; see the module docstring for the thresholds."""

    iciq_change: int | None
    diary_leak_fraction: float | None
    worse: bool
    improved: bool
    enough_improved: bool
    resolved: bool


def _leaks(diary: DiarySummary | None) -> float | None:
    return None if diary is None else diary.incontinence_episodes_24h


def assess_progress(c: CheckinAnswers) -> Progress:
    """Measure progress from PGI-I, the ICIQ-UI SF change and the diary (thresholds above).

    ``iciq_change`` is baseline minus now (positive: fewer symptoms); ``diary_leak_fraction``
    is leaks a day now divided by leaks a day at baseline (only when baseline had leaks).
    """
    check_type("checkin", c, CheckinAnswers)
    change = None
    if c.iciq_ui_sf_total is not None and c.baseline_iciq_ui_sf_total is not None:
        change = c.baseline_iciq_ui_sf_total - c.iciq_ui_sf_total
    now, before = _leaks(c.diary), _leaks(c.baseline_diary)
    fraction = now / before if now is not None and before else None
    worse = c.pgi_i >= PGI_I_WORSE_MIN
    improved = not worse and (
        c.pgi_i <= PGI_I_IMPROVED_MAX
        or (change is not None and change >= ICIQ_MID_POINTS)
        or (fraction is not None and fraction <= DIARY_RESPONSE_FRACTION)
    )
    enough = not worse and (
        c.pgi_i <= PGI_I_MUCH_BETTER_MAX or (change is not None and change >= ICIQ_CID_POINTS)
    )
    no_leaks = now is None or now == 0
    resolved = no_leaks and (
        c.pgi_i == 1 or (c.pgi_i <= PGI_I_MUCH_BETTER_MAX and c.iciq_ui_sf_total == 0)
    )
    return Progress(change, fraction, worse, improved, enough, resolved)


CheckinMatcher = Callable[[CheckinAnswers, Progress], bool]


@dataclass(frozen=True, slots=True)
class CheckinRule:
    """One row of the check-in table: condition -> outcome, with reason and sources."""

    id: str
    match: CheckinMatcher
    outcome: CheckinOutcome
    reason: Text
    sources: tuple[Source, ...]
    less_often: bool = False


@dataclass(frozen=True, slots=True)
class CheckinNote:
    """Extra advice beside the outcome (several may apply)."""

    id: str
    match: CheckinMatcher
    text: Text
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class CheckinResult:
    """The one outcome of a check-in, why, and any extra notes."""

    outcome: CheckinOutcome
    rule_id: str
    reason: Text
    sources: tuple[Source, ...]
    less_often: bool
    progress: Progress
    notes: tuple[CheckinNote, ...]


_MEASURE_SOURCES = ("nystrom-2015", "iuj-2023-cid", "pgi-i", "pelvio-choice")

CHECKIN_RULES: tuple[CheckinRule, ...] = (
    CheckinRule(
        "checkin-red-flag",
        lambda c, p: bool(c.red_flags),
        "seek-care-now",
        SEEK_CARE_TEXT,
        sources("leaflet-004"),
    ),
    CheckinRule(
        "checkin-3m-too-little",
        lambda c, p: c.point == "3m" and not p.enough_improved,
        "see-gp-other-treatment",
        Text(
            "Na drie maanden oefenen is er te weinig verbeterd. Doorgaan heeft dan weinig zin. "
            "Bespreek met je huisarts een andere behandeling, zoals een pessarium of een "
            "bandje onder de plasbuis.",
            "After three months of training there is too little improvement. Going on makes "
            "little sense. Discuss another treatment with your GP, such as a pessary or a "
            "sling under the urethra.",
        ),
        sources("leaflet-001", *_MEASURE_SOURCES),
    ),
    CheckinRule(
        "checkin-worse",
        lambda c, p: p.worse,
        "see-physiotherapist",
        Text(
            "Je klachten zijn erger geworden. Overleg met een bekkenfysiotherapeut voordat je "
            "verder oefent.",
            "Your complaints have become worse. Talk to a pelvic physiotherapist before you go "
            "on training.",
        ),
        sources("leaflet-004", "pgi-i"),
    ),
    CheckinRule(
        "checkin-trouble",
        lambda c, p: c.trouble_contracting_or_relaxing,
        "see-physiotherapist",
        Text(
            "Aanspannen of loslaten blijft moeilijk. Een bekkenfysiotherapeut kan je daarbij "
            "helpen.",
            "Squeezing or letting go is still hard. A pelvic physiotherapist can help you with "
            "that.",
        ),
        sources("leaflet-001"),
    ),
    CheckinRule(
        "checkin-preference",
        lambda c, p: c.prefers_physiotherapist,
        "see-physiotherapist",
        Text(
            "Je wilt graag begeleiding. Zoek een geregistreerde bekkenfysiotherapeut.",
            "You would like guidance. Find a registered pelvic physiotherapist.",
        ),
        sources("leaflet-001"),
    ),
    CheckinRule(
        "checkin-6w-no-improvement",
        lambda c, p: c.point == "6w" and not p.improved,
        "see-physiotherapist",
        Text(
            "Na zes weken oefenen merk je nog geen verbetering. Een bekkenfysiotherapeut kan "
            "met je kijken hoe je oefent en wat beter kan.",
            "After six weeks of training you notice no improvement yet. A pelvic "
            "physiotherapist can look at how you train and what could work better.",
        ),
        sources("leaflet-001", *_MEASURE_SOURCES),
    ),
    CheckinRule(
        "checkin-resolved",
        lambda c, p: p.resolved,
        "continue",
        Text(
            "Je klachten zijn over. Blijf oefenen, maar minder vaak. Anders kunnen de klachten "
            "terugkomen. Komen ze terug? Oefen dan weer vaker.",
            "Your complaints are gone. Keep training, but less often, or they may come back. "
            "Do they come back? Then train more often again.",
        ),
        sources("leaflet-001", "pgi-i", "pelvio-choice"),
        less_often=True,
    ),
    CheckinRule(
        "checkin-improving",
        lambda c, p: p.improved,
        "continue",
        Text(
            "Je klachten worden minder. Ga door met oefenen. Kies een vast moment, "
            "bijvoorbeeld bij het tandenpoetsen.",
            "Your complaints are getting less. Keep training. Pick a fixed moment, for example "
            "when you brush your teeth.",
        ),
        sources("leaflet-001", *_MEASURE_SOURCES),
    ),
    CheckinRule(
        "checkin-2w-early",
        lambda c, p: c.point == "2w",
        "continue",
        Text(
            "Het is nog vroeg. De meeste mensen merken pas na 6 tot 8 weken dagelijks oefenen "
            "verbetering. Ga door.",
            "It is still early. Most people notice improvement only after 6 to 8 weeks of daily "
            "training. Keep going.",
        ),
        sources("leaflet-001"),
    ),
)

CHECKIN_NOTE_RULES: tuple[CheckinNote, ...] = (
    CheckinNote(
        "checkin-note-urge-remaining",
        lambda c, p: (
            c.point in ("6w", "3m")
            and c.diary is not None
            and (c.diary.urgency_episodes_24h or 0) > 0
            and "stress-ui" in c.treated_conditions
            and not c.treated_conditions & {"urge-ui", "mixed-ui"}
        ),
        Text(
            "Je dagboek laat nog aandrang zien. Bespreek met je huisarts of het zinvol is om "
            "dat nu ook te behandelen.",
            "Your diary still shows urgency. Discuss with your GP whether to treat that now "
            "as well.",
        ),
        sources("leaflet-001"),
    ),
)


def evaluate_checkin(checkin: CheckinAnswers) -> CheckinResult:
    """Decide the one outcome of a check-in from the ordered :data:`CHECKIN_RULES`.

    Parameters
    ----------
    checkin
        The check-in answers.

    Returns
    -------
    CheckinResult
        The outcome, the rule that chose it with its reason and sources, the measured progress
        and any extra notes. A red flag always gives ``seek-care-now``.
    """
    progress = assess_progress(checkin)
    rule = next(r for r in CHECKIN_RULES if r.match(checkin, progress))
    notes: tuple[CheckinNote, ...] = ()
    if rule.outcome != "seek-care-now":
        notes = tuple(n for n in CHECKIN_NOTE_RULES if n.match(checkin, progress))
    return CheckinResult(
        rule.outcome, rule.id, rule.reason, rule.sources, rule.less_often, progress, notes
    )
