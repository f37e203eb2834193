"""Pelvio's biofeedback signal core: pure NumPy/SciPy, no I/O.

Raw surface EMG (µV) or pressure (cmH2O) in, the curve a patient sees and the numbers a
therapist reads out. See clinical.md §6–7 for the definitions used.
"""

from pelvio.signals.annotations import (
    CUE_CONTRACT,
    CUE_RELAX,
    DROPOUT,
    PHASE_NAMES,
    Annotation,
    phases_of,
)
from pelvio.signals.envelope import StreamingEnvelope, decimate_envelope, emg_envelope
from pelvio.signals.filters import EmgFilter, PressureFilter, emg_clean, pressure_clean

__all__ = [
    "CUE_CONTRACT",
    "CUE_RELAX",
    "DROPOUT",
    "PHASE_NAMES",
    "Annotation",
    "EmgFilter",
    "PressureFilter",
    "StreamingEnvelope",
    "decimate_envelope",
    "emg_clean",
    "emg_envelope",
    "phases_of",
    "pressure_clean",
]
