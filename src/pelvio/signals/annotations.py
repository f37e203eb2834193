"""Annotations of a recording: protocol phases, cues, contractions and dropouts.

The texts are a stable contract shared by the simulator, the EDF+ files (as TALs, Kemp & Olivan
2003), the live recorder and ``pelvio analyze``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "CONTRACTION",
    "CUE_CONTRACT",
    "CUE_RELAX",
    "DROPOUT",
    "PHASE_NAMES",
    "Annotation",
    "PhaseName",
    "phases_of",
]

PhaseName = Literal["pre_baseline", "phasic", "tonic", "endurance", "post_baseline"]

PHASE_NAMES: Final[tuple[PhaseName, ...]] = (
    "pre_baseline",
    "phasic",
    "tonic",
    "endurance",
    "post_baseline",
)
CUE_CONTRACT: Final = "cue:contract"
CUE_RELAX: Final = "cue:relax"
DROPOUT: Final = "dropout"
CONTRACTION: Final = "contraction"


@dataclass(frozen=True, slots=True)
class Annotation:
    """One annotation: ``text`` from ``onset_s`` for ``duration_s`` (0 for an instant)."""

    onset_s: float
    duration_s: float
    text: str

    @property
    def end_s(self) -> float:
        """Where the annotation ends, in seconds from the start of the recording."""
        return self.onset_s + self.duration_s


def phases_of(annotations: tuple[Annotation, ...] | list[Annotation]) -> list[Annotation]:
    """The Glazer phase annotations among ``annotations``, in time order."""
    return sorted(
        (a for a in annotations if a.text in PHASE_NAMES), key=lambda a: (a.onset_s, a.text)
    )
