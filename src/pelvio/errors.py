"""The one exception tree of Pelvio.

Every error Pelvio raises on purpose derives from :class:`PelvioError`::

    PelvioError
    ├── InputError            bad input from a person or a caller (also a ValueError)
    │   ├── SignalError       a signal that cannot be analysed (empty, flat, NaN, too short)
    │   └── FileFormatError   a file that cannot be read (names the file, line and field)
    ├── NotFoundError         no such record, or a record this user may not see
    ├── AuthenticationError   not logged in, or wrong credentials
    ├── PermissionDeniedError      logged in, but the role does not allow the action
    ├── ConflictError         the action clashes with stored state
    ├── RateLimitedError      too many attempts; try again later
    ├── ConfigurationError    settings that cannot be used (refused at start)
    └── DeviceError           a probe that cannot be opened, or that stopped sending

The domain code raises these and nothing HTTP-specific; the web layer maps them to
``application/problem+json`` (or a friendly page) in exactly one handler, and the command line
prints ``str(error)`` as one line on stderr.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ConflictError",
    "DeviceError",
    "FileFormatError",
    "InputError",
    "NotFoundError",
    "PelvioError",
    "PermissionDeniedError",
    "RateLimitedError",
    "SignalError",
]


class PelvioError(Exception):
    """Base of every error Pelvio raises on purpose."""


class InputError(PelvioError, ValueError):
    """Input that is not acceptable, naming the field, what was allowed and what came.

    Parameters
    ----------
    message
        A sentence a person can act on.
    field
        The parameter, form field or column that is wrong.
    allowed
        What would have been accepted, for programmatic use (forms, JSON errors).
    """

    def __init__(
        self, message: str, *, field: str | None = None, allowed: Iterable[object] | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.allowed: tuple[object, ...] | None = tuple(allowed) if allowed is not None else None


class SignalError(InputError):
    """A signal that cannot be analysed: empty, constant, not finite, too short, too slow."""


class FileFormatError(InputError):
    """A file that cannot be read.

    The message starts with the file name and, where known, the line, so the command line can
    print it as the one line a user needs: ``diary.csv, line 7, field volume_ml: ...``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        where = [part for part in (path, f"line {line}" if line is not None else None) if part]
        if field is not None:
            where.append(f"field {field}")
        full = f"{', '.join(where)}: {message}" if where else message
        super().__init__(full, field=field)
        self.path = path
        self.line = line


class NotFoundError(PelvioError):
    """No such record, or one the current user may not see (both answer 404 on the web)."""


class AuthenticationError(PelvioError):
    """Not logged in, or the credentials do not match."""


class PermissionDeniedError(PelvioError):
    """The user is known but the role does not allow this action."""


class ConflictError(PelvioError):
    """The action clashes with what is stored (a duplicate, a finished session, ...)."""


class RateLimitedError(PelvioError):
    """Too many attempts in a short time."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ConfigurationError(PelvioError):
    """Settings that cannot be used; Pelvio refuses to start with them."""


class DeviceError(PelvioError):
    """A probe that cannot be opened or that stopped sending."""
