"""Pelvio's biofeedback signal core: pure NumPy/SciPy, no I/O.

Raw surface EMG (µV) or pressure (cmH2O) in; the curve a patient sees and the numbers a
therapist reads out. Definitions follow clinical.md §6–7:

* filters: :func:`emg_clean` / :class:`EmgFilter`, :func:`pressure_clean` /
  :class:`PressureFilter`;
* envelope: :func:`emg_envelope` / :class:`StreamingEnvelope`, :func:`decimate_envelope`;
* contractions: :func:`detect_contractions` / :class:`StreamingDetector`, :class:`Contraction`;
* Glazer metrics: :func:`glazer_metrics` and its parts, reference values :data:`OLEKSY_2020`;
* pressure: squeeze, Angelo's banding, :func:`detect_pressure_contractions`;
* simulators: :func:`emg_simulate`, :func:`pressure_simulate` with their ground truth;
* :func:`analyze`, whose :meth:`Analysis.to_dict` is the ``pelvio analyze --json`` document.

The EDF+ reader and writer (``pelvio.signals.edf``) and the commands (``pelvio.signals.cli``)
do I/O and are deliberately not imported here. Names load on first use (PEP 562), so
importing the package, as ``pelvio --help`` does, does not pull in SciPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pelvio.signals.analysis import Analysis, SignalKind, analyze
    from pelvio.signals.annotations import (
        CUE_CONTRACT,
        CUE_RELAX,
        DROPOUT,
        PHASE_NAMES,
        Annotation,
        phases_of,
    )
    from pelvio.signals.contractions import Contraction, StreamingDetector, detect_contractions
    from pelvio.signals.envelope import StreamingEnvelope, decimate_envelope, emg_envelope
    from pelvio.signals.filters import EmgFilter, PressureFilter, emg_clean, pressure_clean
    from pelvio.signals.glazer import (
        OLEKSY_2020,
        RELIABILITY_NOTE,
        PhaseMetrics,
        ReferenceValue,
        endurance_fatigue,
        glazer_metrics,
        median_frequency,
        variability_pct,
    )
    from pelvio.signals.pressure import (
        ANGELO_2017_SOURCE,
        AngeloBand,
        Squeeze,
        angelo_band,
        cmh2o_to_mmhg,
        detect_pressure_contractions,
        mmhg_to_cmh2o,
        split_abdominal,
        squeeze_of,
    )
    from pelvio.signals.simulate import (
        GLAZER_PROTOCOL,
        Simulation,
        SimulationTruth,
        TimelineStep,
        emg_simulate,
        pressure_simulate,
    )

_LAZY: dict[str, str] = {
    "ANGELO_2017_SOURCE": "pelvio.signals.pressure",
    "Analysis": "pelvio.signals.analysis",
    "AngeloBand": "pelvio.signals.pressure",
    "Annotation": "pelvio.signals.annotations",
    "CUE_CONTRACT": "pelvio.signals.annotations",
    "CUE_RELAX": "pelvio.signals.annotations",
    "Contraction": "pelvio.signals.contractions",
    "DROPOUT": "pelvio.signals.annotations",
    "EmgFilter": "pelvio.signals.filters",
    "GLAZER_PROTOCOL": "pelvio.signals.simulate",
    "OLEKSY_2020": "pelvio.signals.glazer",
    "PHASE_NAMES": "pelvio.signals.annotations",
    "PhaseMetrics": "pelvio.signals.glazer",
    "PressureFilter": "pelvio.signals.filters",
    "RELIABILITY_NOTE": "pelvio.signals.glazer",
    "ReferenceValue": "pelvio.signals.glazer",
    "SignalKind": "pelvio.signals.analysis",
    "Simulation": "pelvio.signals.simulate",
    "SimulationTruth": "pelvio.signals.simulate",
    "Squeeze": "pelvio.signals.pressure",
    "StreamingDetector": "pelvio.signals.contractions",
    "StreamingEnvelope": "pelvio.signals.envelope",
    "TimelineStep": "pelvio.signals.simulate",
    "analyze": "pelvio.signals.analysis",
    "angelo_band": "pelvio.signals.pressure",
    "cmh2o_to_mmhg": "pelvio.signals.pressure",
    "decimate_envelope": "pelvio.signals.envelope",
    "detect_contractions": "pelvio.signals.contractions",
    "detect_pressure_contractions": "pelvio.signals.pressure",
    "emg_clean": "pelvio.signals.filters",
    "emg_envelope": "pelvio.signals.envelope",
    "emg_simulate": "pelvio.signals.simulate",
    "endurance_fatigue": "pelvio.signals.glazer",
    "glazer_metrics": "pelvio.signals.glazer",
    "median_frequency": "pelvio.signals.glazer",
    "mmhg_to_cmh2o": "pelvio.signals.pressure",
    "phases_of": "pelvio.signals.annotations",
    "pressure_clean": "pelvio.signals.filters",
    "pressure_simulate": "pelvio.signals.simulate",
    "split_abdominal": "pelvio.signals.pressure",
    "squeeze_of": "pelvio.signals.pressure",
    "variability_pct": "pelvio.signals.glazer",
}

__all__ = [
    "ANGELO_2017_SOURCE",
    "CUE_CONTRACT",
    "CUE_RELAX",
    "DROPOUT",
    "GLAZER_PROTOCOL",
    "OLEKSY_2020",
    "PHASE_NAMES",
    "RELIABILITY_NOTE",
    "Analysis",
    "AngeloBand",
    "Annotation",
    "Contraction",
    "EmgFilter",
    "PhaseMetrics",
    "PressureFilter",
    "ReferenceValue",
    "SignalKind",
    "Simulation",
    "SimulationTruth",
    "Squeeze",
    "StreamingDetector",
    "StreamingEnvelope",
    "TimelineStep",
    "analyze",
    "angelo_band",
    "cmh2o_to_mmhg",
    "decimate_envelope",
    "detect_contractions",
    "detect_pressure_contractions",
    "emg_clean",
    "emg_envelope",
    "emg_simulate",
    "endurance_fatigue",
    "glazer_metrics",
    "median_frequency",
    "mmhg_to_cmh2o",
    "phases_of",
    "pressure_clean",
    "pressure_simulate",
    "split_abdominal",
    "squeeze_of",
    "variability_pct",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pelvio.signals' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
