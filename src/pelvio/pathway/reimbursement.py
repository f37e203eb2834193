"""Who pays for pelvic physiotherapy, and who is a registered pelvic physiotherapist.

Dated, sourced statements, always worded as "check your policy": insurers' policies differ and
rules change each year, so Pelvio states the rule as the source gives it, with the date it
applies to, and sends the reader to their own policy or health insurance fund.

* Netherlands, 2026 (leaflet 003; ``clinical.md`` section 3): pelvic physiotherapy is paid
  from supplementary insurance, per policy; treatment of urinary incontinence from basic
  insurance after the deductible; under 18 from basic insurance without deductible; no referral
  is needed to go, but some insurers want one for the basic-insurance incontinence cover.
* Belgium (leaflet 002, January 2022): a prescription from a GP or specialist is needed;
  postnatal physiotherapy is nine sessions from six weeks after birth.
* Registration (leaflet 003): a four-year physiotherapy degree plus a three-year master; listed
  in the KNGF Centraal Kwaliteitsregister (CKR) or the SKF sub-register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pelvio._check import check_int, check_option
from pelvio.pathway.intake import (
    AGE_RANGE_YEARS,
    COMPLAINTS,
    COUNTRIES,
    LEAK_COMPLAINTS,
    LIFE_PHASES,
    Complaint,
    Country,
    LifePhase,
)
from pelvio.pathway.sources import Source, Text, sources

__all__ = [
    "REGISTRATION_FACTS",
    "REIMBURSEMENT_RULES",
    "ReimbursementRule",
    "Statement",
    "reimbursement",
]

NL_RULES_DATE = dt.date(2026, 1, 1)  # the 2026 policy year
BE_RULES_DATE = dt.date(2022, 1, 1)  # UZ Leuven brochure 700525, January 2022


@dataclass(frozen=True, slots=True)
class Statement:
    """One dated, sourced statement; ``as_of`` is the date the rule was stated for."""

    id: str
    text: Text
    as_of: dt.date
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class _Case:
    country: Country
    age_years: int
    complaints: frozenset[Complaint]
    life_phases: frozenset[LifePhase]


@dataclass(frozen=True, slots=True)
class ReimbursementRule:
    """A statement with the condition under which it applies."""

    applies: Callable[[_Case], bool]
    statement: Statement


def _adult_nl(c: _Case) -> bool:
    return c.country == "NL" and c.age_years >= 18


def _adult_nl_leaks(c: _Case) -> bool:
    return _adult_nl(c) and bool(c.complaints & LEAK_COMPLAINTS)


_S003 = sources("leaflet-003")
_S002 = sources("leaflet-002")

REIMBURSEMENT_RULES: tuple[ReimbursementRule, ...] = (
    ReimbursementRule(
        _adult_nl,
        Statement(
            "nl-supplementary-insurance",
            Text(
                "Bekkenfysiotherapie wordt vergoed uit de aanvullende verzekering. Hoeveel je "
                "terugkrijgt, verschilt per polis. Kijk dus in je eigen polis.",
                "Pelvic physiotherapy is paid from supplementary insurance. How much you get "
                "back differs per policy. So check your own policy.",
            ),
            NL_RULES_DATE,
            _S003,
        ),
    ),
    ReimbursementRule(
        _adult_nl_leaks,
        Statement(
            "nl-incontinence-basic-insurance",
            Text(
                "Behandeling van urineverlies valt onder de basisverzekering. Die gaat wel "
                "eerst van je eigen risico af. Controleer de voorwaarden in je polis.",
                "Treatment of urinary incontinence is covered by basic insurance, but it is "
                "first taken from your deductible. Check the terms of your policy.",
            ),
            NL_RULES_DATE,
            _S003,
        ),
    ),
    ReimbursementRule(
        _adult_nl_leaks,
        Statement(
            "nl-incontinence-referral",
            Text(
                "Sommige verzekeraars vergoeden urineverlies uit de basisverzekering alleen "
                "met een verwijzing. Kijk in je polis of dat voor jou geldt.",
                "Some insurers only pay for urinary incontinence from basic insurance with a "
                "referral. Check your policy to see if that applies to you.",
            ),
            NL_RULES_DATE,
            _S003,
        ),
    ),
    ReimbursementRule(
        lambda c: c.country == "NL" and c.age_years < 18,
        Statement(
            "nl-under-18",
            Text(
                "Tot 18 jaar valt bekkenfysiotherapie onder de basisverzekering, zonder eigen "
                "risico. Controleer de voorwaarden in de polis.",
                "Under 18, pelvic physiotherapy is covered by basic insurance, without a "
                "deductible. Check the terms of the policy.",
            ),
            NL_RULES_DATE,
            _S003,
        ),
    ),
    ReimbursementRule(
        lambda c: c.country == "NL",
        Statement(
            "nl-no-referral-needed",
            Text(
                "Je mag zonder verwijzing naar een bekkenfysiotherapeut. Voor de vergoeding "
                "kan je verzekeraar wel een verwijzing vragen: kijk in je polis.",
                "You can see a pelvic physiotherapist without a referral. Your insurer may "
                "still ask for one before paying: check your policy.",
            ),
            NL_RULES_DATE,
            _S003,
        ),
    ),
    ReimbursementRule(
        lambda c: c.country == "BE",
        Statement(
            "be-prescription",
            Text(
                "In België heb je een voorschrift van je huisarts of specialist nodig. Vraag "
                "je ziekenfonds hoeveel je terugkrijgt.",
                "In Belgium you need a prescription from your GP or a specialist. Ask your "
                "health insurance fund how much you get back.",
            ),
            BE_RULES_DATE,
            _S002,
        ),
    ),
    ReimbursementRule(
        lambda c: c.country == "BE" and "postpartum" in c.life_phases,
        Statement(
            "be-postnatal-sessions",
            Text(
                "Na de bevalling zijn er in België negen sessies postnatale kinesitherapie, "
                "vanaf zes weken na de geboorte, met een voorschrift. Vraag je ziekenfonds "
                "naar de terugbetaling.",
                "After giving birth, Belgium has nine sessions of postnatal physiotherapy, "
                "from six weeks after the birth, with a prescription. Ask your health "
                "insurance fund about the refund.",
            ),
            BE_RULES_DATE,
            _S002,
        ),
    ),
)

REGISTRATION_FACTS: tuple[Statement, ...] = (
    Statement(
        "nl-registration-training",
        Text(
            "Een geregistreerde bekkenfysiotherapeut heeft eerst vier jaar fysiotherapie "
            "gestudeerd en daarna een master van drie jaar gedaan.",
            "A registered pelvic physiotherapist first studied physiotherapy for four years "
            "and then did a three-year master.",
        ),
        NL_RULES_DATE,
        _S003,
    ),
    Statement(
        "nl-registration-registers",
        Text(
            "Geregistreerde bekkenfysiotherapeuten staan in een van twee registers: het CKR "
            "(Centraal Kwaliteitsregister, van het KNGF) of het register voor "
            "bekkenfysiotherapeuten van SKF (Stichting Keurmerk Fysiotherapie).",
            "Registered pelvic physiotherapists are listed in the Central Quality Register "
            "(CKR) of the KNGF or in the pelvic physiotherapy sub-register of the SKF "
            "(Stichting Keurmerk Fysiotherapie).",
        ),
        NL_RULES_DATE,
        _S003,
    ),
)


def reimbursement(
    country: Country,
    age_years: int,
    complaints: Iterable[Complaint] = (),
    life_phases: Iterable[LifePhase] = (),
) -> tuple[Statement, ...]:
    """The reimbursement statements that apply, each dated and sourced.

    Parameters
    ----------
    country
        ``NL`` or ``BE``.
    age_years
        Age in whole years.
    complaints, life_phases
        As in the intake; leaking decides the Dutch basic-insurance cover, ``postpartum`` the
        Belgian postnatal sessions.

    Returns
    -------
    tuple of Statement
        In table order; every text asks the reader to check their own policy or fund.
    """
    check_option("country", country, COUNTRIES)
    check_int("age_years", age_years, low=AGE_RANGE_YEARS[0], high=AGE_RANGE_YEARS[1])
    complaint_set = frozenset(complaints)
    phase_set = frozenset(life_phases)
    for item in sorted(complaint_set):
        check_option("complaints", item, COMPLAINTS)
    for phase in sorted(phase_set):
        check_option("life_phases", phase, LIFE_PHASES)
    case = _Case(country, age_years, complaint_set, phase_set)
    return tuple(r.statement for r in REIMBURSEMENT_RULES if r.applies(case))
