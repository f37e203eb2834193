"""Bladder diary metrics exactly as the International Continence Society defines them.

Definitions (Hashim H, Blanker MH, Drake MJ, et al. International Continence Society (ICS)
report on the terminology for nocturia and nocturnal lower urinary tract function. Neurourol
Urodyn 2019;38:499–508; clinical.md §4):

* **24-hour voided volume (24HVV)**: all urine voided in a 24-hour period that starts just
  after one first morning void (FMV) and runs up to and including the next FMV.
* **Daytime frequency**: voids while awake, including the last void before sleep and the FMV.
* **Nocturia**: voids during the main sleep period (going to bed to sleep until waking to
  rise), each preceded by sleep. The diary does not record falling asleep, so every void
  strictly between going to bed and waking counts as preceded by sleep (our reading).
* **Nocturnal urine volume (NUV)**: urine voided during the main sleep period plus the FMV,
  without the last void before bed.
* **Nocturnal polyuria index (NPi)** = NUV / 24HVV, in per cent here. Nocturnal polyuria when
  NPi > 33 % at age 65 or over and > 20 % in young adults (van Kerrebroeck et al., Neurourol
  Urodyn 2002;21:179; ICS 2019); the band between is not settled, see
  :class:`NocturnalPolyuriaCutoffs`.
* **24-hour (global) polyuria**: 24HVV > 40 ml per kg body weight.
* **Maximum voided volume (MVV)**: the largest single void in the whole diary.
  **Mean voided volume** = 24HVV / number of voids in the period.
* **Nocturnal bladder capacity**: Ni = NUV / MVV; predicted nocturnal voids PNV = Ni − 1;
  NBCI = nocturia − PNV.
* Fluid intake, incontinence episodes (leak entries) and urgency episodes (voids and leaks
  graded 3 or 4 on PPIUS) are counted within the same period bounds.

Each period is reported, and the top-level values are means over the *complete* periods. The
clock runs FMV to FMV on the wall clock, so a night with a clock change gives a 23- or 25-hour
period; its length is reported and the volumes are not rescaled. Missing volumes and incomplete
periods are reported as warnings, never dropped in silence.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from pelvio._check import check_range
from pelvio.diary._periods import Segment, deduplicate, segments
from pelvio.diary.events import Drink, Event, Leak, Void, ordered, utc
from pelvio.diary.notices import Notice, when
from pelvio.errors import InputError

__all__ = [
    "GLOBAL_POLYURIA_ML_PER_KG",
    "METRIC_KEYS",
    "AgeBand",
    "DiaryMetrics",
    "DiaryPeriod",
    "DiaryReport",
    "GlobalPolyuria",
    "NocturnalPolyuria",
    "NocturnalPolyuriaCutoffs",
    "diary_metrics",
]

GLOBAL_POLYURIA_ML_PER_KG: Final = 40.0
"""24-hour polyuria above this many millilitres per kilogram body weight (ICS 2019)."""

_LARGE_VOID_ML: Final = 1000.0
_URGE_LEAK_WINDOW: Final = timedelta(minutes=30)
_LENGTH_TOLERANCE_H: Final = 3.0

AgeBand = Literal["young", "middle", "older"]


@dataclass(frozen=True, slots=True)
class NocturnalPolyuriaCutoffs:
    """Which NPi cut-off applies at which age.

    ICS (van Kerrebroeck et al. 2002; Hashim et al. 2019) gives NPi > 20 % for young adults and
    > 33 % from age 65, but neither says where "young" ends nor what holds in between.

    Parameters
    ----------
    young_below_age_years
        Below this age the young-adult cut-off applies. 35 is our choice (the ICS texts leave
        it open); change it if your clinic uses another.
    young_cutoff_pct
        NPi cut-off for young adults, 20 % (ICS).
    older_from_age_years
        From this age on the older-adult cut-off applies: 65 (ICS).
    older_cutoff_pct
        NPi cut-off from 65, 33 % (ICS).
    middle_cutoff_pct
        NPi cut-off in between. 33 % by default: the threshold most studies apply to adults of
        any age, and the one that flags fewer people while the evidence is unsettled (our
        choice, clinical.md §4).
    """

    young_below_age_years: float = 35.0
    young_cutoff_pct: float = 20.0
    older_from_age_years: float = 65.0
    older_cutoff_pct: float = 33.0
    middle_cutoff_pct: float = 33.0

    def __post_init__(self) -> None:
        check_range("young_below_age_years", self.young_below_age_years, low=18, high=120)
        check_range(
            "older_from_age_years",
            self.older_from_age_years,
            low=self.young_below_age_years,
            high=120,
        )
        for name in ("young_cutoff_pct", "older_cutoff_pct", "middle_cutoff_pct"):
            check_range(name, getattr(self, name), low=0, high=100, low_inclusive=False)

    def cutoff(self, age_years: float) -> tuple[float, AgeBand]:
        """The NPi cut-off in per cent for ``age_years`` and the band it comes from."""
        if age_years >= self.older_from_age_years:
            return self.older_cutoff_pct, "older"
        if age_years < self.young_below_age_years:
            return self.young_cutoff_pct, "young"
        return self.middle_cutoff_pct, "middle"


@dataclass(frozen=True, slots=True)
class NocturnalPolyuria:
    """Whether NPi exceeds the cut-off for this age, with the cut-off and why it was used."""

    present: bool
    npi_pct: float
    cutoff_pct: float
    age_band: AgeBand
    age_years: float
    cutoffs: NocturnalPolyuriaCutoffs

    @property
    def reason_en(self) -> str:
        """Which cut-off was used and why, in English."""
        c, age = self.cutoffs, f"{self.age_years:g}"
        if self.age_band == "older":
            why = f"age {age} is {c.older_from_age_years:g} or over (ICS)"
        elif self.age_band == "young":
            why = f"age {age} is under {c.young_below_age_years:g}: young adult (ICS)"
        else:
            why = (
                f"age {age} lies between {c.young_below_age_years:g} and "
                f"{c.older_from_age_years:g}, where ICS sets no cut-off (our default, adjustable)"
            )
        return f"cut-off NPi > {self.cutoff_pct:g} % because {why}"

    @property
    def reason_nl(self) -> str:
        """Which cut-off was used and why, in Dutch."""
        c, age = self.cutoffs, f"{self.age_years:g}"
        if self.age_band == "older":
            why = f"leeftijd {age} is {c.older_from_age_years:g} of ouder (ICS)"
        elif self.age_band == "young":
            why = f"leeftijd {age} is onder {c.young_below_age_years:g}: jongvolwassene (ICS)"
        else:
            why = (
                f"leeftijd {age} ligt tussen {c.young_below_age_years:g} en "
                f"{c.older_from_age_years:g}, waar ICS geen grens geeft (onze instelbare keuze)"
            )
        return f"grens NPi > {self.cutoff_pct:g} % omdat {why}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "present": self.present,
            "cutoff_pct": self.cutoff_pct,
            "age_band": self.age_band,
            "reason": self.reason_en,
        }


@dataclass(frozen=True, slots=True)
class GlobalPolyuria:
    """Whether the 24-hour voided volume exceeds 40 ml/kg body weight (ICS 2019)."""

    present: bool
    threshold_ml: float
    weight_kg: float

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "present": self.present,
            "threshold_ml": self.threshold_ml,
            "reason": (
                f"threshold {self.threshold_ml:g} ml = {GLOBAL_POLYURIA_ML_PER_KG:g} ml/kg × "
                f"{self.weight_kg:g} kg body weight"
            ),
        }


@dataclass(frozen=True, slots=True)
class DiaryMetrics:
    """The ICS metrics of one period, or their means over the complete periods.

    A value is ``None`` when what it needs was not recorded: a volume, a whole night, a
    complete period, the age or the weight. Counts are whole numbers per period and may be
    fractional as means.
    """

    voided_volume_24h_ml: float | None
    nocturnal_urine_volume_ml: float | None
    npi_pct: float | None
    nocturnal_polyuria: NocturnalPolyuria | None
    daytime_frequency: float | None
    nocturia: float | None
    frequency_24h: float | None
    max_voided_volume_ml: float | None
    mean_voided_volume_ml: float | None
    fluid_intake_24h_ml: float | None
    incontinence_episodes_24h: float | None
    urgency_episodes_24h: float | None
    global_polyuria: GlobalPolyuria | None
    ni: float | None
    pnv: float | None
    nbci: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, keys in :data:`METRIC_KEYS` order, values unrounded."""
        out: dict[str, Any] = {}
        for key in METRIC_KEYS:
            value = getattr(self, key)
            out[key] = value.as_dict() if hasattr(value, "as_dict") else value
        return out


METRIC_KEYS: Final[tuple[str, ...]] = tuple(f.name for f in fields(DiaryMetrics))
"""The metric keys, in the order of the issue (and of the JSON output)."""


@dataclass(frozen=True, slots=True)
class DiaryPeriod:
    """One period of the diary.

    ``start`` is the first morning void just before the period (the period runs from just
    after it) or, for a period that opens the diary, its first entry; ``end`` is the first
    morning void that closes it or, at the end of the diary, its last entry. ``duration_h`` is
    the true elapsed time (23 or 25 hours across a clock change). ``entries`` are the
    period's entries in order, for a day-and-night view (left out of comparisons).
    """

    number: int
    start: datetime
    end: datetime
    complete: bool
    duration_h: float
    metrics: DiaryMetrics
    entries: tuple[Event, ...] = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``start``, ``end``, ``complete``, ``duration_h`` and the metrics."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "complete": self.complete,
            "duration_h": self.duration_h,
            **self.metrics.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class DiaryReport:
    """Everything :func:`diary_metrics` finds: means, periods and warnings."""

    metrics: DiaryMetrics
    periods: tuple[DiaryPeriod, ...]
    warnings: tuple[Notice, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: the mean metrics at the top, then ``periods`` and ``warnings``."""
        return {
            **self.metrics.as_dict(),
            "periods": [period.as_dict() for period in self.periods],
            "warnings": [notice.as_dict() for notice in self.warnings],
        }


def diary_metrics(
    events: Iterable[Event],
    *,
    age_years: float | None = None,
    weight_kg: float | None = None,
    cutoffs: NocturnalPolyuriaCutoffs | None = None,
) -> DiaryReport:
    """Compute the ICS bladder diary metrics per 24-hour period and their means.

    Parameters
    ----------
    events
        The diary entries in any order; the bowel entries are ignored here.
    age_years
        Age, 18–120, to choose the nocturnal polyuria cut-off; without it nocturnal polyuria
        is not judged.
    weight_kg
        Body weight, 20–400 kg, for global polyuria (> 40 ml/kg); without it that is not judged.
    cutoffs
        The NPi cut-offs by age; the ICS values with our choices by default.

    Returns
    -------
    DiaryReport
        ``metrics`` (means over the complete periods; ``max_voided_volume_ml`` is over the
        whole diary), ``periods`` (each with ``start``, ``end``, ``complete``, ``duration_h``
        and the same metrics) and ``warnings``.

    Raises
    ------
    InputError
        For an entry that is not a diary event, or an age or weight out of range.

    References
    ----------
    Hashim H, et al. Neurourol Urodyn 2019;38:499–508. van Kerrebroeck P, et al. Neurourol
    Urodyn 2002;21:179–83. clinical.md §4.
    """
    if age_years is not None:
        age_years = check_range("age_years", age_years, low=18, high=120, unit="years")
    if weight_kg is not None:
        weight_kg = check_range("weight_kg", weight_kg, low=20, high=400, unit="kg")
    rules = cutoffs if cutoffs is not None else NocturnalPolyuriaCutoffs()
    if not isinstance(rules, NocturnalPolyuriaCutoffs):
        raise InputError("cutoffs must be NocturnalPolyuriaCutoffs", field="cutoffs")

    entries, warnings = deduplicate(ordered(events))
    if not any(isinstance(e, Void | Leak | Drink) for e in entries):
        warnings.append(
            Notice(
                "no_events",
                "Het dagboek bevat geen plassen, urineverlies of drinken.",
                "The diary holds no voids, leaks or drinks.",
            )
        )
    cut, cut_warnings = segments(entries)
    warnings.extend(cut_warnings)
    mvv, mvv_warnings = _max_voided_volume(entries)
    warnings.extend(mvv_warnings)
    warnings.extend(_entry_checks(entries))

    periods: list[DiaryPeriod] = []
    for number, segment in enumerate(cut, start=1):
        metrics = _period_metrics(segment, mvv, age_years, weight_kg, rules)
        period = _period(number, segment, metrics)
        periods.append(period)
        warnings.extend(_period_checks(period, segment))

    complete = [p.metrics for p in periods if p.complete]
    if not complete and periods:
        warnings.append(
            Notice(
                "no_complete_period",
                "Geen volledig etmaal (van eerste ochtendplas tot de volgende): de gemiddelden "
                "blijven leeg.",
                "No complete 24-hour period (first morning void to the next): the means are empty.",
            )
        )
    if age_years is None:
        warnings.append(
            Notice(
                "age_unknown",
                "Leeftijd niet opgegeven: nachtelijke polyurie is niet beoordeeld, want de "
                "ICS-grens hangt af van de leeftijd.",
                "Age not given: nocturnal polyuria is not judged, because the ICS cut-off "
                "depends on age.",
            )
        )
    if weight_kg is None:
        warnings.append(
            Notice(
                "weight_unknown",
                "Gewicht niet opgegeven: 24-uurs polyurie (meer dan 40 ml per kg) is niet "
                "beoordeeld.",
                "Body weight not given: 24-hour polyuria (more than 40 ml per kg) is not judged.",
            )
        )
    mean = _mean_metrics(complete, mvv, age_years, weight_kg, rules)
    return DiaryReport(metrics=mean, periods=tuple(periods), warnings=tuple(warnings))


def _total(values: Sequence[float | None]) -> float | None:
    """Sum of ``values``, or ``None`` when any is unknown."""
    if any(v is None for v in values):
        return None
    return float(sum(v for v in values if v is not None))


def _urgent(entry: Void | Leak) -> bool:
    return entry.urgency is not None and entry.urgency >= 3


def _judge_nocturnal(
    npi_pct: float | None, age_years: float | None, rules: NocturnalPolyuriaCutoffs
) -> NocturnalPolyuria | None:
    if npi_pct is None or age_years is None:
        return None
    cutoff, band = rules.cutoff(age_years)
    return NocturnalPolyuria(
        present=npi_pct > cutoff,
        npi_pct=npi_pct,
        cutoff_pct=cutoff,
        age_band=band,
        age_years=age_years,
        cutoffs=rules,
    )


def _judge_global(volume_ml: float | None, weight_kg: float | None) -> GlobalPolyuria | None:
    if volume_ml is None or weight_kg is None:
        return None
    threshold = GLOBAL_POLYURIA_ML_PER_KG * weight_kg
    return GlobalPolyuria(
        present=volume_ml > threshold, threshold_ml=threshold, weight_kg=weight_kg
    )


def _capacity(
    nuv: float | None, mvv: float | None, nocturia: float | None
) -> tuple[float | None, float | None, float | None]:
    """Ni = NUV / MVV, PNV = Ni − 1, NBCI = nocturia − PNV (ICS 2019)."""
    if nuv is None or mvv is None or nocturia is None or mvv <= 0:
        return None, None, None
    ni = nuv / mvv
    pnv = ni - 1.0
    return ni, pnv, nocturia - pnv


def _period_metrics(
    segment: Segment,
    mvv: float | None,
    age_years: float | None,
    weight_kg: float | None,
    rules: NocturnalPolyuriaCutoffs,
) -> DiaryMetrics:
    voids = [e for e in segment.entries if isinstance(e, Void)]
    leaks = [e for e in segment.entries if isinstance(e, Leak)]
    drinks = [e for e in segment.entries if isinstance(e, Drink)]
    frequency = len(voids)
    voided = _total([v.volume_ml for v in voids])
    nocturia: int | None = None
    daytime: int | None = None
    nuv: float | None = None
    if segment.night is not None and segment.closing is not None:
        bed, wake = (utc(segment.night[0].time), utc(segment.night[1].time))
        nocturnal = [v for v in voids if bed < utc(v.time) < wake]
        nocturia = len(nocturnal)
        daytime = frequency - nocturia
        nuv = _total([v.volume_ml for v in nocturnal] + [segment.closing.volume_ml])
    npi: float | None = None
    if segment.complete and nuv is not None and voided:
        npi = 100.0 * nuv / voided
    ni, pnv, nbci = _capacity(nuv, mvv, nocturia)
    urgent = len([v for v in voids if _urgent(v)]) + len([x for x in leaks if _urgent(x)])
    return DiaryMetrics(
        voided_volume_24h_ml=voided,
        nocturnal_urine_volume_ml=nuv,
        npi_pct=npi,
        nocturnal_polyuria=_judge_nocturnal(npi, age_years, rules),
        daytime_frequency=daytime,
        nocturia=nocturia,
        frequency_24h=frequency,
        max_voided_volume_ml=mvv,
        mean_voided_volume_ml=voided / frequency if voided is not None and frequency else None,
        fluid_intake_24h_ml=_total([d.volume_ml for d in drinks]),
        incontinence_episodes_24h=len(leaks),
        urgency_episodes_24h=urgent,
        global_polyuria=_judge_global(voided, weight_kg) if segment.complete else None,
        ni=ni,
        pnv=pnv,
        nbci=nbci,
    )


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.fmean(known) if known else None


def _mean_metrics(
    complete: list[DiaryMetrics],
    mvv: float | None,
    age_years: float | None,
    weight_kg: float | None,
    rules: NocturnalPolyuriaCutoffs,
) -> DiaryMetrics:
    """Means over the complete periods in which each value could be computed.

    Nocturnal and global polyuria are judged on the mean NPi and the mean 24HVV; MVV is the
    whole diary's.
    """

    def mean(key: str) -> float | None:
        return _mean(getattr(m, key) for m in complete)

    npi = mean("npi_pct")
    voided = mean("voided_volume_24h_ml")
    return DiaryMetrics(
        voided_volume_24h_ml=voided,
        nocturnal_urine_volume_ml=mean("nocturnal_urine_volume_ml"),
        npi_pct=npi,
        nocturnal_polyuria=_judge_nocturnal(npi, age_years, rules),
        daytime_frequency=mean("daytime_frequency"),
        nocturia=mean("nocturia"),
        frequency_24h=mean("frequency_24h"),
        max_voided_volume_ml=mvv,
        mean_voided_volume_ml=mean("mean_voided_volume_ml"),
        fluid_intake_24h_ml=mean("fluid_intake_24h_ml"),
        incontinence_episodes_24h=mean("incontinence_episodes_24h"),
        urgency_episodes_24h=mean("urgency_episodes_24h"),
        global_polyuria=_judge_global(voided, weight_kg),
        ni=mean("ni"),
        pnv=mean("pnv"),
        nbci=mean("nbci"),
    )


def _max_voided_volume(entries: list[Event]) -> tuple[float | None, list[Notice]]:
    voids = [e for e in entries if isinstance(e, Void)]
    known = [v.volume_ml for v in voids if v.volume_ml is not None]
    missing = len(voids) - len(known)
    notices: list[Notice] = []
    if missing and known:
        notices.append(
            Notice(
                "max_volume_of_measured",
                f"{missing} plas(sen) zonder volume: het grootste plasvolume is het grootste "
                "van de gemeten plassen.",
                f"{missing} void(s) without a volume: the maximum voided volume is the largest "
                "of the measured voids.",
            )
        )
    return (max(known) if known else None), notices


def _entry_checks(entries: list[Event]) -> list[Notice]:
    """Warnings about single entries that are allowed but worth a second look."""
    notices: list[Notice] = []
    leaks = [e for e in entries if isinstance(e, Leak)]
    for entry in entries:
        if (
            isinstance(entry, Void)
            and entry.volume_ml is not None
            and entry.volume_ml > _LARGE_VOID_ML
        ):
            notices.append(
                Notice(
                    "large_void",
                    f"Een plas van {entry.volume_ml:g} ml om {when(entry.time)} is "
                    "ongewoon groot. Kijk of het klopt; zo ja, bespreek het met je "
                    "huisarts.",
                    f"A void of {entry.volume_ml:g} ml at {when(entry.time)} is unusually "
                    "large. Check the entry; if it is right, discuss it with your GP.",
                    time=entry.time,
                )
            )
        if isinstance(entry, Void) and entry.urgency == 4:
            near = any(abs(utc(leak.time) - utc(entry.time)) <= _URGE_LEAK_WINDOW for leak in leaks)
            if not near:
                notices.append(
                    Notice(
                        "urge_incontinence_without_leak",
                        f"De plas om {when(entry.time)} heeft aandrang 4 (aandrang met "
                        "urineverlies), maar er is geen urineverlies ingevoerd; alleen "
                        "ingevoerd urineverlies telt als incontinentie-episode.",
                        f"The void at {when(entry.time)} has urgency 4 (urge incontinence) but "
                        "no leak is entered; only leak entries count as incontinence episodes.",
                        time=entry.time,
                    )
                )
        if isinstance(entry, Leak) and entry.trigger == "urge" and entry.urgency is None:
            notices.append(
                Notice(
                    "urge_leak_without_grade",
                    f"Het urineverlies om {when(entry.time)} kwam door aandrang maar heeft geen "
                    "aandrangscore, dus het telt niet als aandrang-episode.",
                    f"The leak at {when(entry.time)} came with urge but has no urgency grade, "
                    "so it does not count as an urgency episode.",
                    time=entry.time,
                )
            )
    return notices


def _period(number: int, segment: Segment, metrics: DiaryMetrics) -> DiaryPeriod:
    start = segment.opening.time if segment.opening is not None else segment.entries[0].time
    end = segment.closing.time if segment.closing is not None else segment.entries[-1].time
    duration_h = (utc(end) - utc(start)).total_seconds() / 3600.0
    return DiaryPeriod(
        number=number,
        start=start,
        end=end,
        complete=segment.complete,
        duration_h=duration_h,
        metrics=metrics,
        entries=segment.entries,
    )


def _incomplete_reason(segment: Segment) -> tuple[str, str]:
    if segment.opening is None and segment.closing is None:
        return (
            "het wordt niet begrensd door eerste ochtendplassen",
            "it is not bounded by first morning voids",
        )
    if segment.opening is None:
        return (
            "het begint met het dagboek in plaats van na een eerste ochtendplas",
            "it starts with the diary instead of just after a first morning void",
        )
    if segment.closing is None:
        return (
            "het dagboek stopt vóór de volgende eerste ochtendplas",
            "the diary ends before the next first morning void",
        )
    return (
        f"het bevat {segment.nights} hele nacht(en) in plaats van precies één",
        f"it holds {segment.nights} whole night(s) instead of exactly one",
    )


def _period_checks(period: DiaryPeriod, segment: Segment) -> list[Notice]:
    notices: list[Notice] = []
    n = period.number
    span_nl = f"etmaal {n} ({when(period.start)} – {when(period.end)})"
    span_en = f"period {n} ({when(period.start)} – {when(period.end)})"
    if not period.complete:
        reason_nl, reason_en = _incomplete_reason(segment)
        notices.append(
            Notice(
                "incomplete_period",
                f"{span_nl.capitalize()} is onvolledig: {reason_nl}. Het wordt getoond maar "
                "telt niet mee in de gemiddelden.",
                f"{span_en.capitalize()} is incomplete: {reason_en}. It is shown but left out "
                "of the means.",
                period=n,
            )
        )
    before, after = period.start.utcoffset(), period.end.utcoffset()
    hours = f"{period.duration_h:g}"
    if before != after:
        notices.append(
            Notice(
                "clock_change",
                f"{span_nl.capitalize()} duurt {hours} uur omdat de klok verzet is; zoals ICS "
                "voorschrijft loopt het van eerste ochtendplas tot eerste ochtendplas en "
                "worden de volumes niet naar 24 uur omgerekend.",
                f"{span_en.capitalize()} lasts {hours} hours because the clock changed; as ICS "
                "prescribes it runs from first morning void to first morning void and the "
                "volumes are not rescaled to 24 hours.",
                period=n,
            )
        )
    elif period.complete and abs(period.duration_h - 24.0) > _LENGTH_TOLERANCE_H:
        notices.append(
            Notice(
                "unusual_period_length",
                f"{span_nl.capitalize()} duurt {period.duration_h:.1f} uur; kijk de data na, "
                "want een etmaal is meestal ongeveer 24 uur.",
                f"{span_en.capitalize()} lasts {period.duration_h:.1f} hours; check the dates, "
                "since a period is usually close to 24 hours.",
                period=n,
            )
        )
    voids = [e for e in segment.entries if isinstance(e, Void)]
    unmeasured = sum(1 for v in voids if v.volume_ml is None)
    left_out_nl = " en telt daarvoor niet mee in de gemiddelden" if period.complete else ""
    left_out_en = " and it is left out of those means" if period.complete else ""
    if unmeasured:
        notices.append(
            Notice(
                "missing_void_volume",
                f"In {span_nl} hebben {unmeasured} van {len(voids)} plassen geen volume: de "
                f"waarden die deze volumes nodig hebben zijn niet berekend{left_out_nl}.",
                f"In {span_en}, {unmeasured} of {len(voids)} voids have no volume: the values "
                f"that need these volumes are not computed{left_out_en}.",
                period=n,
            )
        )
    drinks = [e for e in segment.entries if isinstance(e, Drink)]
    unknown = sum(1 for d in drinks if d.volume_ml is None)
    if unknown:
        notices.append(
            Notice(
                "missing_drink_volume",
                f"In {span_nl} hebben {unknown} keer drinken geen volume: de vochtinname is "
                f"niet berekend{left_out_nl}.",
                f"In {span_en}, {unknown} drinks have no volume: the fluid intake is not "
                f"computed{left_out_en}.",
                period=n,
            )
        )
    elif period.complete and not drinks:
        notices.append(
            Notice(
                "no_drinks",
                f"In {span_nl} is niets gedronken ingevoerd; de vochtinname telt als 0 ml. "
                "Kijk of er niets vergeten is.",
                f"In {span_en} no drinks are entered; fluid intake counts as 0 ml. Check that "
                "none were forgotten.",
                period=n,
            )
        )
    return notices
