"""Score a questionnaire exactly as published.

Scores are exact fractions (PFDI-20 CRADI-8 ``[0,1,0,0,2,0,0,0]`` is 75/8, not a float near
9.375), so a total is the exact sum of its scales; :func:`round_half_up` rounds only for
display, to 2 decimals by default (clinical.md §5 gives its examples that way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from pelvio._check import check_int
from pelvio.errors import InputError
from pelvio.measures.instruments import Band, Instrument, get_instrument

__all__ = ["ScaleScore", "ScoreResult", "round_half_up", "score"]


def round_half_up(value: Fraction, places: int = 2) -> float | int:
    """``value`` rounded half away from zero to ``places`` decimals (an int when whole)."""
    if value.denominator == 1:
        return int(value)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


@dataclass(frozen=True, slots=True)
class ScaleScore:
    """One subscale: its exact score (``None`` below the minimum answered) and the counts."""

    key: str
    name: str
    value: Fraction | None
    answered: int
    items: int


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """The score of one filled-in questionnaire.

    ``total`` is ``None`` when the instrument's missing-answer rule does not allow one; the
    ``notes`` (nl, en) then say why. ``band`` is the published category of the total, if the
    instrument has bands and the total falls in one.
    """

    instrument: Instrument
    total: Fraction | None
    subscales: tuple[ScaleScore, ...]
    band: Band | None
    unanswered: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]

    def as_dict(self, places: int = 2) -> dict[str, Any]:
        """``{"instrument", "total", "subscales", "band"}`` rounded for display.

        ``band`` appears only for an instrument that has bands: ``{"key", "label", "range",
        "source"}``, or ``None`` when the total falls in none (ICIQ-UI SF 0) or is missing.
        """
        out: dict[str, Any] = {
            "instrument": self.instrument.key,
            "total": None if self.total is None else round_half_up(self.total, places),
            "subscales": {
                s.key: None if s.value is None else round_half_up(s.value, places)
                for s in self.subscales
            },
        }
        if self.instrument.bands:
            out["band"] = (
                None
                if self.band is None
                else {
                    "key": self.band.key,
                    "label": self.band.en,
                    "range": [self.band.low, self.band.high],
                    "source": self.instrument.band_source,
                }
            )
        return out


def _answer(instrument: Instrument, key: object, value: object) -> int | None:
    if not isinstance(key, str):
        raise InputError(f"item keys must be text, got {key!r}", field="answers")
    item = instrument.item(key)
    if value is None:
        return None
    number = check_int(key, value)
    if number not in item.values:
        raise InputError(
            f"{key} of {instrument.key} must be {item.describe_values()}; got {number}",
            field=key,
            allowed=item.values,
        )
    return number


def score(instrument: str | Instrument, answers: Mapping[str, int | None]) -> ScoreResult:
    """Score ``answers`` on ``instrument``.

    Parameters
    ----------
    instrument
        An :class:`Instrument` or its name (``"pfdi-20"``, ``"ICIQ-UI SF"``, ...).
    answers
        Item key to answer; a missing key or ``None`` is an unanswered item.

    Returns
    -------
    ScoreResult
        Exact total and subscales, the band if any, what was unanswered and why a value is
        missing.

    Raises
    ------
    InputError
        An unknown instrument or item key (listing the valid ones) or an answer outside the
        item's allowed values (naming the item and its range).

    References
    ----------
    The reference of each instrument is in ``Instrument.reference``; clinical.md §5.
    """
    definition = instrument if isinstance(instrument, Instrument) else get_instrument(instrument)
    if not isinstance(answers, Mapping):
        raise InputError(
            f"answers must map item keys to answers, got {type(answers).__name__}",
            field="answers",
        )
    given = {key: _answer(definition, key, value) for key, value in answers.items()}
    values = {item.key: given.get(item.key) for item in definition.items}
    unanswered = tuple(key for key, value in values.items() if value is None)
    notes: list[tuple[str, str]] = []

    subscales: list[ScaleScore] = []
    for scale in definition.scales:
        answered = [values[key] for key in scale.items if values[key] is not None]
        value: Fraction | None = None
        if len(answered) >= scale.min_answered:
            value = (
                Fraction(sum(v for v in answered if v is not None), len(answered)) * scale.factor
            )
        else:
            notes.append(
                (
                    f"{scale.name}: geen vraag beantwoord, dus geen score.",
                    f"{scale.name}: no item answered, so no score.",
                )
            )
        if answered and len(answered) * 2 < len(scale.items):
            notes.append(
                (
                    f"{scale.name}: maar {len(answered)} van {len(scale.items)} vragen beantwoord.",
                    f"{scale.name}: only {len(answered)} of {len(scale.items)} items answered.",
                )
            )
        subscales.append(ScaleScore(scale.key, scale.name, value, len(answered), len(scale.items)))

    total: Fraction | None
    if definition.total_from == "scales":
        parts = [s.value for s in subscales]
        total = (
            None
            if any(p is None for p in parts)
            else sum((p for p in parts if p is not None), Fraction(0))
        )
    elif unanswered:
        total = None
        missing = ", ".join(unanswered)
        notes.append(
            (
                f"Geen totaal: elke gescoorde vraag is nodig, onbeantwoord: {missing}.",
                f"No total: every scored item is needed; unanswered: {missing}.",
            )
        )
    else:
        total = Fraction(sum(v for v in values.values() if v is not None))
    band = None
    if total is not None:
        band = next((b for b in definition.bands if b.low <= total <= b.high), None)
    return ScoreResult(
        instrument=definition,
        total=total,
        subscales=tuple(subscales),
        band=band,
        unanswered=unanswered,
        notes=tuple(notes),
    )
