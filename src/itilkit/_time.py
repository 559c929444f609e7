"""Aware-datetime helpers: the single place naive datetimes are rejected.

Supported instants are aware datetimes whose date, as written in their own zone,
falls in the years 2 to 9998 (:data:`SUPPORTED_YEARS`). The year kept free at
each end of datetime's own range means that any supported instant can be seen
in any zone, moved to the start of its next day, week, month or quarter, and
subtracted from any other, without ``OverflowError``; the common "never"
placeholders (0001-01-01, 9999-12-31) fall outside.

A pandas ``Timestamp`` (nanosecond precision) is read as the same instant as a
plain datetime in UTC, to the microsecond: its nanoseconds are dropped, as the
floor of its instant (pandas is never imported here).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from itilkit.errors import InvalidInputError, InvalidTypeError, NaiveDatetimeError, OutOfRangeError

__all__ = [
    "SUPPORTED_YEARS",
    "UNSUPPORTED_YEARS",
    "YEARS_TEXT",
    "checked_instant",
    "instant",
    "plain",
    "require_aware",
    "require_aware_or_none",
    "to_utc",
]

#: The years a supported instant may fall in (as written in its own zone).
SUPPORTED_YEARS = range(2, 9999)
#: The years of datetime's range outside them (a set lookup is the cheapest check).
UNSUPPORTED_YEARS = frozenset({1, 9999})
#: The supported years, as error messages state them.
YEARS_TEXT = "years 2 to 9998"
NAIVE = "naive datetime (no time zone)"
OUTSIDE = f"outside the supported {YEARS_TEXT}"
_MICROSECOND = timedelta(microseconds=1)
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def plain(value: datetime) -> datetime:
    """``value`` as a plain :class:`~datetime.datetime` (see the module docstring).

    A pandas Timestamp becomes the same instant in UTC (a naive one stays
    naive), truncated to the microsecond; another datetime subclass keeps its
    fields and zone.

    Raises:
        InvalidTypeError: ``value`` is not a datetime.
        InvalidInputError: a datetime subclass whose fields cannot be read.
    """
    if type(value) is datetime:
        return value
    if not isinstance(value, datetime):
        raise InvalidTypeError("value", "a datetime", value)
    try:
        return _plain(value)
    except Exception as error:  # a datetime subclass that misbehaves
        raise InvalidInputError(f"unreadable datetime ({type(error).__name__})") from None


def _plain(value: datetime) -> datetime:
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(value, pandas.Timestamp):
        try:
            micros: int = value.value // 1000
        except OverflowError:  # a non-nanosecond Timestamp beyond 1677-2262: use its fields
            pass
        else:
            since = _MICROSECOND * micros  # faster than timedelta(microseconds=...)
            if value.tzinfo is None:
                return _UNIX_EPOCH.replace(tzinfo=None) + since
            return _UNIX_EPOCH + since
    return datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        value.tzinfo,
        fold=value.fold,
    )


def checked_instant(value: object) -> tuple[datetime, None] | tuple[None, str]:
    """``(instant, None)`` for a supported aware datetime, else ``(None, problem)``.

    The instant is :func:`plain`; the problem is a short phrase (``"naive
    datetime (no time zone)"``, ``"outside the supported years 2 to 9998"``...).
    Never raises, whatever ``value`` is.
    """
    if type(value) is not datetime:
        if not isinstance(value, datetime):
            return None, f"not a datetime ({type(value).__name__})"
        try:
            if value != value:  # pandas NaT
                return None, f"not a time ({type(value).__name__})"
            value = _plain(value)
        except Exception as error:  # a datetime subclass that misbehaves
            return None, f"unreadable datetime ({type(error).__name__})"
    try:
        offset = value.utcoffset()
    except Exception as error:  # a tzinfo whose utcoffset raises or returns nonsense
        return None, f"unusable time zone (utcoffset raised {type(error).__name__})"
    if offset is None:
        return None, NAIVE
    if value.year not in SUPPORTED_YEARS:
        return None, OUTSIDE
    return value, None


def instant(value: object, name: str) -> datetime:
    """``value`` as a supported instant (:func:`plain`), else a typed error naming ``name``.

    Raises:
        InvalidTypeError: not a datetime.
        NaiveDatetimeError: no time zone.
        OutOfRangeError: outside the supported years.
        InvalidInputError: a time zone that cannot tell its offset.
    """
    checked, problem = checked_instant(value)
    if checked is not None:
        return checked
    if not isinstance(value, datetime):
        raise InvalidTypeError(name, "an aware datetime", value)
    if problem == NAIVE:
        raise NaiveDatetimeError(name, value)
    if problem == OUTSIDE:
        raise OutOfRangeError(name, value, YEARS_TEXT)
    raise InvalidInputError(f"{name}: {problem}")


def require_aware(value: datetime, name: str) -> datetime:
    """Return ``value`` if it is an aware datetime, else raise a typed error.

    Unlike :func:`instant`, ``value`` is returned as it is and any year is
    accepted; a tzinfo that cannot tell its offset is an error.
    """
    if not isinstance(value, datetime):
        raise InvalidTypeError(name, "an aware datetime", value)
    try:
        offset = value.utcoffset()
    except Exception as error:  # a tzinfo whose utcoffset raises or returns nonsense
        raise InvalidInputError(
            f"{name}: unusable time zone (utcoffset raised {type(error).__name__})"
        ) from None
    if offset is None:
        raise NaiveDatetimeError(name, value)
    return value


def require_aware_or_none(value: datetime | None, name: str) -> datetime | None:
    """Like :func:`require_aware`, letting ``None`` through."""
    return None if value is None else require_aware(value, name)


def to_utc(value: datetime, name: str = "datetime") -> datetime:
    """Check ``value`` is aware and return the same instant in UTC."""
    aware = require_aware(value, name)
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        raise OutOfRangeError(name, value, YEARS_TEXT) from None
