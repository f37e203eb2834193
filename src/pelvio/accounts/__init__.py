"""Accounts: users and roles, clinics, therapist-patient links, sessions and the access log."""

from pelvio.accounts.roles import Role

__all__ = ["Role"]
