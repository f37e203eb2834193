"""Password hashing with Argon2id at the OWASP parameters.

OWASP Password Storage Cheat Sheet (referenced by ASVS 4.0 V2.4.1/V2.4.4): Argon2id with at
least 19 MiB of memory, 2 iterations and 1 degree of parallelism.
"""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from pelvio.errors import InputError

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "check_password_policy",
    "hash_password",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128

ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash(
        (
            Argon2Hasher(
                time_cost=ARGON2_TIME_COST,
                memory_cost=ARGON2_MEMORY_KIB,
                parallelism=ARGON2_PARALLELISM,
            ),
        )
    )


def check_password_policy(password: str) -> str:
    """Refuse a password that is too short or too long (ASVS 4.0 V2.1.1, V2.1.2)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"password must have at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(
            f"password may have at most {MAX_PASSWORD_LENGTH} characters", field="password"
        )
    return password


def hash_password(password: str) -> str:
    """Hash ``password`` with Argon2id and a random salt."""
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises for a bad hash."""
    return _hasher().verify(password, password_hash)


DUMMY_HASH = hash_password("pelvio-timing-equaliser")
