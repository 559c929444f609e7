"""Checking the instants and durations given to a calendar, and the supported range.

The supported instants are those of the years 1900 to 2200 (a calendar keeps
tables around the instants it is asked about; these years bound them), and
durations as long as that span. Anything outside raises
:class:`~itilkit.errors.InvalidInputError` at once, before any table is built.

``datetime`` subclasses (pandas ``Timestamp`` at nanosecond precision among
them) are read through their fields and ``utcoffset()``, so nanoseconds are
truncated to the microsecond and nothing of the subclass's own arithmetic runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from itilkit._time import require_aware
from itilkit.errors import InvalidInputError
from itilkit.sla._plans import day_of
from itilkit.sla._schedule import DAY
from itilkit.sla._zone import EPOCH, FIRST_YEAR, LAST_YEAR, ONE_MICROSECOND

_ZERO = timedelta(0)
#: The supported instants, as microseconds since EPOCH (inclusive bounds).
LOWEST = day_of(date(FIRST_YEAR + 1, 1, 1)) * DAY
HIGHEST = day_of(date(LAST_YEAR, 1, 1)) * DAY - 1
#: The longest supported duration: the whole supported range.
LONGEST = ONE_MICROSECOND * (HIGHEST - LOWEST)


def outside(at: object) -> InvalidInputError:
    """The error for an instant outside the supported years."""
    shown = at.isoformat() if isinstance(at, datetime) else repr(at)
    return InvalidInputError(
        f"{shown} is outside the supported years {FIRST_YEAR + 1} to {LAST_YEAR - 1}"
    )


def since(value: object) -> timedelta | None:
    """``value - EPOCH`` for a plain aware datetime; ``None`` for anything else."""
    if type(value) is not datetime:
        return None
    try:
        found = value - EPOCH
    except Exception:
        return None
    return found if type(found) is timedelta else None


def plain(value: object, name: str) -> datetime:
    """``value`` as a plain aware ``datetime`` (UTC for subclasses), or a typed error."""
    if type(value) is datetime:
        require_aware(value, name)
        return value
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{name} must be an aware datetime, got {type(value).__name__}")
    found = timestamp_since(value)
    if found is not None:
        return EPOCH + found
    try:
        offset = value.utcoffset()
    except Exception as error:
        raise InvalidInputError(f"{name}: its tzinfo failed to give an offset ({error})") from None
    if offset is None:
        require_aware(datetime(value.year, value.month, value.day), name)
    assert offset is not None
    fields = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    try:
        return datetime(*fields, value.microsecond, tzinfo=UTC) - offset
    except OverflowError:
        raise outside(value) from None


#: The Unix epoch, as a time since EPOCH.
UNIX = datetime(1970, 1, 1, tzinfo=UTC) - EPOCH
#: Per datetime subclass: whether it is a pandas Timestamp (read through ``value``).
_TIMESTAMP_TYPES: dict[type, bool] = {}


def timestamp_since(value: datetime) -> timedelta | None:
    """``value - EPOCH`` of an aware pandas ``Timestamp``, from its integer
    nanoseconds since the Unix epoch (UTC), floored to the microsecond as its
    fields are; ``None`` for any other subclass, a naive one, or one whose
    nanoseconds do not fit (read through its fields instead).
    """
    kind = type(value)
    known = _TIMESTAMP_TYPES.get(kind)
    if known is None:
        known = _TIMESTAMP_TYPES[kind] = kind.__module__.partition(".")[0] == "pandas" and hasattr(
            kind, "value"
        )
    if not known or value.tzinfo is None:
        return None
    try:
        nanos = value.value  # type: ignore[attr-defined]
    except (OverflowError, ValueError):
        return None
    return UNIX + ONE_MICROSECOND * (nanos // 1000) if type(nanos) is int else None


def instant(value: object, name: str) -> int:
    """Microseconds since EPOCH of a supported aware datetime, else a typed error."""
    found = since(value)
    if found is None:
        try:
            found = plain(value, name) - EPOCH
        except OverflowError:
            raise outside(value) from None
    micros = found // ONE_MICROSECOND
    if not LOWEST <= micros <= HIGHEST:
        raise outside(value)
    return micros


def duration(value: object, name: str = "duration", opposite: str = "subtract") -> int:
    """Microseconds of a non-negative supported ``timedelta``, else a typed error."""
    if not isinstance(value, timedelta):
        raise InvalidInputError(f"{name} must be a timedelta, got {type(value).__name__}")
    if value < _ZERO:
        raise InvalidInputError(
            f"{name} must not be negative, got {value}; use {opposite}() to go the other way"
        )
    if value > LONGEST:
        raise InvalidInputError(
            f"{name} {value} is longer than the supported range of "
            f"{FIRST_YEAR + 1} to {LAST_YEAR - 1} ({LONGEST.days} days)"
        )
    return value // ONE_MICROSECOND
