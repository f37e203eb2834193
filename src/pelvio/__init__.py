"""Pelvio: pelvic floor muscle training with biofeedback."""

__version__ = "0.1.0"

__all__ = ["__version__"]
