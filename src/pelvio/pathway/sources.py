"""Bilingual texts and the sources every pathway rule cites.

Every piece of advice Pelvio gives traces to a rule, and every rule names at least one source
from :data:`SOURCES`: a leaflet from ``shared/seeds`` (by file name), a guideline or a paper.
Where a source leaves a threshold open and Pelvio picks one, the rule also cites
``pelvio-choice`` so the choice is shown to the user as ours (see ``clinical.md``, preamble).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pelvio._check import check_option
from pelvio.errors import InputError

__all__ = ["LANGUAGES", "SOURCES", "Lang", "Source", "SourceKind", "Text", "source", "sources"]

Lang = Literal["nl", "en"]
LANGUAGES: tuple[Lang, ...] = ("nl", "en")

SourceKind = Literal["leaflet", "guideline", "paper", "pelvio"]


@dataclass(frozen=True, slots=True)
class Text:
    """A text shown to people, Dutch first, with its English version."""

    nl: str
    en: str

    def __post_init__(self) -> None:
        if not self.nl.strip() or not self.en.strip():
            raise InputError("a Text needs both a Dutch and an English version", field="text")

    def in_(self, lang: Lang) -> str:
        """Return the text in ``lang`` ('nl' or 'en')."""
        check_option("lang", lang, LANGUAGES)
        return self.nl if lang == "nl" else self.en

    def as_dict(self) -> dict[str, str]:
        """The JSON form: ``{"nl": ..., "en": ...}``."""
        return {"nl": self.nl, "en": self.en}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule's fact comes from.

    Attributes
    ----------
    id
        Stable identifier used by the rule tables.
    kind
        ``leaflet`` (a file in ``shared/seeds``), ``guideline``, ``paper`` or ``pelvio`` (a
        choice Pelvio made where the sources leave it open; always shown as such).
    title
        Human title.
    citation
        The leaflet's file name, or the bibliographic reference.
    """

    id: str
    kind: SourceKind
    title: str
    citation: str

    def as_dict(self) -> dict[str, str]:
        """The JSON form with keys ``id``, ``kind``, ``title``, ``citation``."""
        return {"id": self.id, "kind": self.kind, "title": self.title, "citation": self.citation}


SOURCES: dict[str, Source] = {
    s.id: s
    for s in (
        Source(
            "leaflet-000",
            "leaflet",
            "Fysiotherapie bij bekkenbodemproblemen (ziekenhuisfolder)",
            "000_dd2130c2a28ca8c2.txt",
        ),
        Source(
            "leaflet-001",
            "leaflet",
            "Ik ga bekkenbodemoefeningen doen (Thuisarts.nl, NHG)",
            "001_fdb199253d0c1ce5.txt",
        ),
        Source(
            "leaflet-002",
            "leaflet",
            "De bekkenbodem na de bevalling (UZ Leuven, brochure 700525, januari 2022)",
            "002_b282a53732054826.txt",
        ),
        Source(
            "leaflet-003",
            "leaflet",
            "Bekkenfysiotherapie: vergoeding, registratie, obstipatie en toiletgedrag (folder)",
            "003_09d740bacf49d7ea.txt",
        ),
        Source(
            "leaflet-004",
            "leaflet",
            "De bekkenbodem: sterk en soepel (achtergrondartikel)",
            "004_67bc0be1e36f7ff9.txt",
        ),
        Source(
            "nhg-m46",
            "guideline",
            "NHG-Standaard Incontinentie voor urine bij vrouwen (M46)",
            "Nederlands Huisartsen Genootschap, NHG-Standaard M46, 2015",
        ),
        Source(
            "ics-terminology",
            "paper",
            "IUGA/ICS joint report on the terminology for female pelvic floor dysfunction",
            "Haylen BT et al. Neurourol Urodyn 2010;29:4-20",
        ),
        Source(
            "nystrom-2015",
            "paper",
            "ICIQ instruments measure clinically relevant improvement after pelvic floor "
            "muscle training (minimum important difference ICIQ-UI SF 2.52)",
            "Nyström E et al. Neurourol Urodyn 2015;34(8):747-751, doi:10.1002/nau.22657",
        ),
        Source(
            "iuj-2023-cid",
            "paper",
            "Clinically important difference of the ICIQ-UI SF after conservative treatment "
            "of stress-predominant incontinence (4.0 points at 1 year; SIMS and OPAL trials)",
            "Int Urogynecol J 2023;34(12):3033-3040, doi:10.1007/s00192-023-05657-4",
        ),
        Source(
            "pgi-i",
            "paper",
            "Patient Global Impression of Improvement (PGI-I): 1 very much better ... 7 very "
            "much worse",
            "Yalcin I, Bump RC. Am J Obstet Gynecol 2003;189:98-101",
        ),
        Source(
            "estim-contraindications",
            "guideline",
            "Electrostimulation contraindications listed by device makers (clinical.md section 2)",
            "Verity Medical, NeuroTrac patient FAQ",
        ),
        Source(
            "pelvio-choice",
            "pelvio",
            "Keuze van Pelvio / Pelvio's choice: a threshold the sources leave open",
            "docs/pathway.md",
        ),
    )
}


def source(source_id: str) -> Source:
    """Return the source with ``source_id``; raise :class:`InputError` listing the known ids."""
    check_option("source_id", source_id, tuple(SOURCES))
    return SOURCES[source_id]


def sources(*source_ids: str) -> tuple[Source, ...]:
    """Return the sources for ``source_ids`` in order."""
    return tuple(source(s) for s in source_ids)
