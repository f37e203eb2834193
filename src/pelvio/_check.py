"""The one place for input checks.

Every check raises :class:`pelvio.errors.InputError` (or :class:`~pelvio.errors.SignalError`
for signals) with the same shape of message: which parameter, what was allowed, what came.
Modelled on MNE's ``mne/utils/check.py``.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Collection
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pelvio.errors import InputError, SignalError

T = TypeVar("T")

__all__ = [
    "check_finite_number",
    "check_int",
    "check_option",
    "check_range",
    "check_sampling_rate",
    "check_signal",
    "check_type",
    "check_uuid",
]


def check_type(name: str, value: object, types: type[T] | tuple[type[T], ...]) -> T:
    """Return ``value`` if it is an instance of ``types``, else raise naming the parameter."""
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise InputError(f"{name} must be {_type_names(types)}, got a bool", field=name)
    if not isinstance(value, types):
        raise InputError(
            f"{name} must be {_type_names(types)}, got {type(value).__name__}", field=name
        )
    return value


def check_option(name: str, value: T, allowed: Collection[T]) -> T:
    """Return ``value`` if it is one of ``allowed``, else raise listing the valid options."""
    if value not in allowed:
        options = ", ".join(repr(option) for option in allowed)
        raise InputError(
            f"{name} must be one of {options}; got {value!r}", field=name, allowed=allowed
        )
    return value


def check_finite_number(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite real number."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InputError(f"{name} must be a number, got {value!r}", field=name)
    number = float(value)
    if not math.isfinite(number):
        raise InputError(f"{name} must be a finite number, got {value!r}", field=name)
    return number


def check_range(
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
) -> float:
    """Return ``value`` as a float if it lies in the interval; the message shows the interval."""
    number = check_finite_number(name, value)
    too_low = low is not None and (number < low if low_inclusive else number <= low)
    too_high = high is not None and (number > high if high_inclusive else number >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        suffix = f" {unit}" if unit else ""
        raise InputError(
            f"{name} must lie in {left}{lo}, {hi}{right}{suffix}; got {number:g}{suffix}",
            field=name,
        )
    return number


def check_int(name: str, value: object, *, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` if it is a whole number within ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"{name} must be a whole number, got {value!r}", field=name)
    number = int(value)
    check_range(name, number, low=low, high=high)
    return number


def check_sampling_rate(sampling_rate_hz: object, *, min_hz: float = 0.0, why: str = "") -> float:
    """Return the sampling rate as a float; refuse one that is not positive or below ``min_hz``."""
    rate = check_finite_number("sampling_rate_hz", sampling_rate_hz)
    if rate <= 0:
        raise SignalError(
            f"sampling_rate_hz must be positive, got {rate:g}", field="sampling_rate_hz"
        )
    if rate < min_hz:
        reason = f" for {why}" if why else ""
        raise SignalError(
            f"sampling_rate_hz must be at least {min_hz:g} Hz{reason}; got {rate:g} Hz",
            field="sampling_rate_hz",
        )
    return rate


def check_signal(
    name: str,
    signal: ArrayLike,
    *,
    min_samples: int = 1,
    allow_constant: bool = True,
    ndim: int = 1,
) -> NDArray[np.float64]:
    """Return ``signal`` as a C-contiguous float64 array after checking it can be analysed.

    Raises :class:`SignalError` for an empty, non-finite, too short or (unless allowed)
    constant signal, or one of the wrong number of dimensions.
    """
    try:
        array = np.ascontiguousarray(signal, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SignalError(f"{name} must be numeric samples: {exc}", field=name) from exc
    if array.ndim != ndim:
        raise SignalError(
            f"{name} must have {ndim} dimension(s), got shape {array.shape}", field=name
        )
    if array.size == 0:
        raise SignalError(f"{name} is empty", field=name)
    if array.shape[-1] < min_samples:
        raise SignalError(
            f"{name} is too short: {array.shape[-1]} samples, need at least {min_samples}",
            field=name,
        )
    if not np.all(np.isfinite(array)):
        bad = int(np.count_nonzero(~np.isfinite(array)))
        raise SignalError(f"{name} contains {bad} NaN or infinite sample(s)", field=name)
    if not allow_constant and float(np.ptp(array)) == 0.0:
        raise SignalError(f"{name} is constant (a flat line): no signal to analyse", field=name)
    return array


def _type_names(types: type[Any] | tuple[type[Any], ...]) -> str:
    if isinstance(types, tuple):
        return " or ".join(t.__name__ for t in types)
    return types.__name__


def check_uuid(name: str, value: object) -> str:
    """Return ``value`` as a canonical UUID string; refuse anything else, naming ``name``."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InputError(
            f"{name} must be a UUID such as {uuid.UUID(int=0)}; got {value!r}", field=name
        ) from None
