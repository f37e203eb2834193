"""The roles a user can have."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Role"]


class Role(StrEnum):
    """What a user is: a patient, a pelvic physiotherapist, or an administrator."""

    PATIENT = "patient"
    THERAPIST = "therapist"
    ADMIN = "admin"
