"""Validated questionnaires as data, scored exactly as published.

ICIQ-UI SF, PFDI-20, PFIQ-7, the Cleveland Clinic (Wexner) constipation score and PGI-I, with
their references, licence notes and missing-answer rules (clinical.md §5). No licensed item
text is stored. The ``pelvio score`` command is in :mod:`pelvio.measures.cli`.
"""

from pelvio.measures.instruments import INSTRUMENTS, Band, Instrument, Item, Scale, get_instrument
from pelvio.measures.scoring import ScaleScore, ScoreResult, round_half_up, score

__all__ = [
    "INSTRUMENTS",
    "Band",
    "Instrument",
    "Item",
    "Scale",
    "ScaleScore",
    "ScoreResult",
    "get_instrument",
    "round_half_up",
    "score",
]
