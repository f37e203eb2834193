"""The questionnaires as data: items, allowed answers, scales, bands, sources and licences.

No item text is stored here. Some instruments are licensed (the ICIQ must be used whole and
unmodified after registration at iciq.net), and for the others the validated wording belongs to
their authors, so each item carries only its key (``q1`` … ``qN`` in published order) and a short
label in our own words (nl and en) that names the topic, for forms and reports. A deployment that
shows a questionnaire supplies the licensed text itself.

Scoring is exact (:class:`fractions.Fraction`); rounding happens only for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

from pelvio.errors import InputError

__all__ = [
    "INSTRUMENTS",
    "Band",
    "Instrument",
    "Item",
    "Scale",
    "get_instrument",
]


@dataclass(frozen=True, slots=True)
class Item:
    """One scored item: its key, the answers allowed (ascending) and our own short labels."""

    key: str
    values: tuple[int, ...]
    nl: str
    en: str

    @property
    def low(self) -> int:
        """The smallest allowed answer."""
        return self.values[0]

    @property
    def high(self) -> int:
        """The largest allowed answer."""
        return self.values[-1]

    def describe_values(self) -> str:
        """The allowed answers as a person reads them: ``0–5`` or ``0, 2, 4, 6``."""
        if self.values == tuple(range(self.low, self.high + 1)):
            return f"{self.low}–{self.high}"
        return ", ".join(str(v) for v in self.values)


@dataclass(frozen=True, slots=True)
class Scale:
    """A subscale: the mean of its answered items times ``factor`` (Barber et al. 2005).

    ``min_answered`` is how many items must be answered for a score at all.
    """

    key: str
    name: str
    items: tuple[str, ...]
    factor: Fraction
    high: Fraction
    min_answered: int = 1


@dataclass(frozen=True, slots=True)
class Band:
    """A published verbal category for a range of totals (both ends included)."""

    key: str
    low: int
    high: int
    nl: str
    en: str


@dataclass(frozen=True, slots=True)
class Instrument:
    """A questionnaire and how it is scored.

    Parameters
    ----------
    key
        Canonical name used on the command line and in storage, such as ``"pfdi-20"``.
    name
        Full name with its abbreviation.
    items
        The scored items in published order.
    scales
        Subscales (empty when the total is a plain sum of items).
    total_from
        ``"items"``: the total is the sum of every scored item, all required.
        ``"scales"``: the total is the sum of the subscale scores, all required.
    total_high
        The largest possible total (the smallest is 0, or 1 for PGI-I).
    bands, band_source
        Published verbal categories of the total and where they come from (none if empty).
    unscored
        Items of the published form that carry no score: ``(key, nl, en)``.
    reference, licence, missing_rule
        The source of the scoring, the terms of use, and how unanswered items are handled.
    """

    key: str
    name: str
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    total_from: Literal["items", "scales"]
    total_low: int
    total_high: int
    reference: str
    licence: str
    missing_rule: str
    bands: tuple[Band, ...] = ()
    band_source: str | None = None
    unscored: tuple[tuple[str, str, str], ...] = ()

    def item(self, key: str) -> Item:
        """The item called ``key``; :class:`InputError` listing the valid keys if none is."""
        for item in self.items:
            if item.key == key:
                return item
        unscored = {k for k, _, _ in self.unscored}
        valid = ", ".join(i.key for i in self.items)
        if key in unscored:
            raise InputError(
                f"{key} of {self.key} is not scored; the scored items are {valid}",
                field=key,
                allowed=[i.key for i in self.items],
            )
        raise InputError(
            f"{self.key} has no item {key!r}; valid items are {valid}",
            field=key,
            allowed=[i.key for i in self.items],
        )


_IMPACT_AREAS: Final = (
    ("huishoudelijk werk", "household chores"),
    ("lichamelijke activiteit en sport", "physical activity and sport"),
    ("uitgaan (film, concert)", "going out (film, concert)"),
    ("reizen, meer dan 30 minuten van huis", "travel more than 30 minutes from home"),
    ("sociale activiteiten buitenshuis", "social activities outside the home"),
    ("emotionele gezondheid", "emotional health"),
    ("gevoel van frustratie", "feeling frustrated"),
)

_PFDI_LABELS: Final = (
    ("drukgevoel in de onderbuik", "pressure low in the belly"),
    ("zwaar gevoel in het bekken", "heaviness in the pelvis"),
    ("uitstulping in de vagina voelen of zien", "a bulge felt or seen at the vagina"),
    ("drukken bij vagina of anus om te ontlasten", "pressing at vagina or anus to empty the bowel"),
    ("blaas voelt niet leeg", "bladder feels not empty"),
    ("uitstulping terugduwen om te plassen", "pushing a bulge back to pass urine"),
    ("te hard persen bij ontlasting", "straining too hard for a bowel movement"),
    ("darm voelt niet leeg", "bowel feels not empty"),
    ("verlies van vaste ontlasting", "losing formed stool"),
    ("verlies van dunne ontlasting", "losing loose stool"),
    ("verlies van windjes", "losing wind"),
    ("pijn bij ontlasting", "pain passing stool"),
    ("sterke aandrang voor ontlasting", "strong urge for a bowel movement"),
    ("darm stulpt uit bij ontlasting", "bowel bulging out at a bowel movement"),
    ("vaak plassen", "passing urine often"),
    ("urineverlies met aandrang", "leaking with urgency"),
    ("urineverlies bij hoesten, niezen of lachen", "leaking with cough, sneeze or laugh"),
    ("kleine beetjes urineverlies (druppels)", "leaking small amounts (drops)"),
    ("moeite met uitplassen", "difficulty emptying the bladder"),
    (
        "pijn of ongemak onderbuik of schaamstreek",
        "pain or discomfort low in the belly or genitals",
    ),
)

_BARBER_2005: Final = (
    "Barber MD, Walters MD, Bump RC. Short forms of two condition-specific quality-of-life "
    "questionnaires for women with pelvic floor disorders (PFDI-20 and PFIQ-7). Am J Obstet "
    "Gynecol 2005;193:103–13. Dutch validation: Utomo E, et al. Int Urogynecol J 2014."
)
_BARBER_LICENCE: Final = (
    "Published with its scoring by Barber et al. (2005); we know of no registration scheme. "
    "Pelvio stores no item text, only keys and short labels in our own words; a deployment "
    "that shows the questionnaire takes the validated (Dutch) wording from its authors and "
    "confirms the terms of use with the copyright holders."
)


def _barber(
    key: str, name: str, items: tuple[Item, ...], scales: tuple[Scale, ...], factor: str
) -> Instrument:
    """PFDI-20 and PFIQ-7: three mean-based scales of 0–100 and their sum (Barber 2005)."""
    return Instrument(
        key=key,
        name=name,
        items=items,
        scales=scales,
        total_from="scales",
        total_low=0,
        total_high=300,
        reference=_BARBER_2005,
        licence=_BARBER_LICENCE,
        missing_rule=(
            f"Each scale is the mean of its answered items × {factor}: Barber et al. (2005) "
            "score missing items by the mean of the answered ones. The instructions set no "
            "minimum number of answers, so a scale needs at least one answered item (how many "
            "were answered is reported), and the total needs a score on all three scales."
        ),
    )


def _pfdi20() -> Instrument:
    items = tuple(
        Item(f"q{n}", (0, 1, 2, 3, 4), nl, en) for n, (nl, en) in enumerate(_PFDI_LABELS, 1)
    )
    scales = tuple(
        Scale(key, name, tuple(f"q{n}" for n in numbers), Fraction(25), Fraction(100))
        for key, name, numbers in (
            ("popdi6", "POPDI-6", range(1, 7)),
            ("cradi8", "CRADI-8", range(7, 15)),
            ("udi6", "UDI-6", range(15, 21)),
        )
    )
    return _barber("pfdi-20", "Pelvic Floor Distress Inventory (PFDI-20)", items, scales, "25")


def _pfiq7() -> Instrument:
    items: list[Item] = []
    scales: list[Scale] = []
    for prefix, name, nl_organ, en_organ in (
        ("uiq", "UIQ-7", "blaas", "bladder"),
        ("craiq", "CRAIQ-7", "darm", "bowel"),
        ("popiq", "POPIQ-7", "vagina/bekken", "vagina/pelvis"),
    ):
        keys = tuple(f"{prefix}_q{n}" for n in range(1, 8))
        for key, (nl, en) in zip(keys, _IMPACT_AREAS, strict=True):
            items.append(Item(key, (0, 1, 2, 3), f"{nl} ({nl_organ})", f"{en} ({en_organ})"))
        scales.append(Scale(f"{prefix}7", name, keys, Fraction(100, 3), Fraction(100)))
    return _barber(
        "pfiq-7",
        "Pelvic Floor Impact Questionnaire (PFIQ-7)",
        tuple(items),
        tuple(scales),
        "100/3",
    )


def _iciq_ui_sf() -> Instrument:
    return Instrument(
        key="iciq-ui-sf",
        name="International Consultation on Incontinence Questionnaire – Urinary Incontinence "
        "Short Form (ICIQ-UI SF)",
        items=(
            Item("q3", (0, 1, 2, 3, 4, 5), "hoe vaak urineverlies", "how often urine leaks"),
            Item("q4", (0, 2, 4, 6), "hoeveel urineverlies", "how much urine leaks"),
            Item(
                "q5",
                tuple(range(11)),
                "hinder in het dagelijks leven",
                "interference with daily life",
            ),
        ),
        scales=(),
        total_from="items",
        total_low=0,
        total_high=21,
        reference=(
            "Avery K, Donovan J, Peters TJ, Shaw C, Gotoh M, Abrams P. ICIQ: a brief and robust "
            "measure for evaluating the symptoms and impact of urinary incontinence. Neurourol "
            "Urodyn 2004;23:322–30."
        ),
        licence=(
            "Free for academic and clinical use after registration at iciq.net; the "
            "questionnaire must be used whole and unmodified, in a translation from the ICIQ "
            "group. Pelvio stores no item text, only keys and short labels in our own words; a "
            "deployment that shows the questionnaire registers and supplies the licensed text "
            "itself (clinical.md §5)."
        ),
        missing_rule=(
            "The score is the sum of items 3, 4 and 5; all three are needed and nothing is "
            "imputed. Items 1, 2 and 6 are not scored."
        ),
        bands=(
            Band("slight", 1, 5, "licht", "slight"),
            Band("moderate", 6, 12, "matig", "moderate"),
            Band("severe", 13, 18, "ernstig", "severe"),
            Band("very_severe", 19, 21, "zeer ernstig", "very severe"),
        ),
        band_source=(
            "Klovning's severity bands, not part of the ICIQ: Klovning A, Avery K, Sandvik H, "
            "Hunskaar S. Neurourol Urodyn 2009;28:411–5."
        ),
        unscored=(
            ("q1", "geboortedatum", "date of birth"),
            ("q2", "geslacht", "sex"),
            ("q6", "wanneer urineverlies optreedt", "when urine leaks"),
        ),
    )


def _wexner() -> Instrument:
    labels = (
        ("hoe vaak ontlasting", "how often bowel movements"),
        ("moeizaam, pijnlijk persen", "difficult, painful emptying"),
        ("gevoel dat de darm niet leeg is", "feeling the bowel is not empty"),
        ("buikpijn", "belly pain"),
        ("minuten op het toilet per poging", "minutes on the toilet per attempt"),
        ("hulp bij ontlasting", "help to empty the bowel"),
        ("vergeefse pogingen per 24 uur", "unsuccessful attempts per 24 hours"),
        ("hoe lang al verstopt (jaren)", "how long constipated (years)"),
    )
    return Instrument(
        key="wexner",
        name="Cleveland Clinic constipation score (Wexner)",
        items=tuple(
            Item(f"q{n}", (0, 1, 2) if n == 6 else (0, 1, 2, 3, 4), nl, en)
            for n, (nl, en) in enumerate(labels, 1)
        ),
        scales=(),
        total_from="items",
        total_low=0,
        total_high=30,
        reference=(
            "Agachan F, Chen T, Pfeifer J, Reissman P, Wexner SD. A constipation scoring system "
            "to simplify evaluation and management of constipated patients. Dis Colon Rectum "
            "1996;39:681–5."
        ),
        licence=(
            "Published with its scoring by Agachan et al. (1996); we know of no registration "
            "scheme. Pelvio stores no item text, only keys and short labels in our own words."
        ),
        missing_rule=(
            "The total is the sum of all eight items; the publication gives no rule for "
            "missing answers, so every item is needed."
        ),
    )


def _pgi_i() -> Instrument:
    categories = (
        ("very_much_better", "heel veel beter", "very much better"),
        ("much_better", "veel beter", "much better"),
        ("a_little_better", "een beetje beter", "a little better"),
        ("no_change", "niet veranderd", "no change"),
        ("a_little_worse", "een beetje slechter", "a little worse"),
        ("much_worse", "veel slechter", "much worse"),
        ("very_much_worse", "heel veel slechter", "very much worse"),
    )
    return Instrument(
        key="pgi-i",
        name="Patient Global Impression of Improvement (PGI-I)",
        items=(
            Item(
                "q1", (1, 2, 3, 4, 5, 6, 7), "verandering sinds de start", "change since the start"
            ),
        ),
        scales=(),
        total_from="items",
        total_low=1,
        total_high=7,
        reference=(
            "Yalcin I, Bump RC. Validation of two global impression questionnaires for "
            "incontinence. Am J Obstet Gynecol 2003;189:98–101."
        ),
        licence=(
            "A single published item; Pelvio names its seven answers in its own nl and en words."
        ),
        missing_rule="One item: unanswered means no score.",
        bands=tuple(
            Band(key, value, value, nl, en) for value, (key, nl, en) in enumerate(categories, 1)
        ),
        band_source="The seven answer categories of the PGI-I (Yalcin & Bump 2003).",
    )


INSTRUMENTS: Final[dict[str, Instrument]] = {
    instrument.key: instrument
    for instrument in (_iciq_ui_sf(), _pfdi20(), _pfiq7(), _wexner(), _pgi_i())
}
"""Every instrument Pelvio scores, by canonical key."""

_ALIASES: Final[dict[str, str]] = {
    "iciq": "iciq-ui-sf",
    "pfdi": "pfdi-20",
    "pfiq": "pfiq-7",
    "cccs": "wexner",
    "pgi": "pgi-i",
}


def _plain(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def get_instrument(name: str) -> Instrument:
    """The instrument called ``name`` (case, dashes and spaces ignored: ``PFDI20``, ``pfdi-20``).

    Raises
    ------
    InputError
        For an unknown name, listing the valid ones.
    """
    if not isinstance(name, str):
        raise InputError(
            f"instrument must be a name, got {type(name).__name__}", field="instrument"
        )
    wanted = _plain(name)
    for key in INSTRUMENTS:
        if _plain(key) == wanted:
            return INSTRUMENTS[key]
    for alias, key in _ALIASES.items():
        if alias == wanted:
            return INSTRUMENTS[key]
    valid = ", ".join(INSTRUMENTS)
    raise InputError(
        f"unknown instrument {name!r}; valid instruments are {valid}",
        field="instrument",
        allowed=list(INSTRUMENTS),
    )
