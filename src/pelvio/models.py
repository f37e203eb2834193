"""Every table of Pelvio, imported in one place so the metadata is complete for migrations."""

from pelvio.accounts.tables import (
    AccessLog,
    Clinic,
    LoginFailure,
    TherapistPatient,
    User,
    WebSession,
)
from pelvio.features import feature_modules

TABLE_MODULES = feature_modules("tables")

__all__ = ["AccessLog", "Clinic", "LoginFailure", "TherapistPatient", "User", "WebSession"]
