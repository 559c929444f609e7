"""Aware-datetime helpers: the single place naive datetimes are rejected."""

from __future__ import annotations

from datetime import UTC, datetime

from itilkit.errors import InvalidInputError, NaiveDatetimeError


def require_aware(value: datetime, name: str) -> datetime:
    """Return ``value`` if it is an aware datetime, else raise a typed error."""
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{name} must be an aware datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(name, value)
    return value


def require_aware_or_none(value: datetime | None, name: str) -> datetime | None:
    """Like :func:`require_aware`, letting ``None`` through."""
    return None if value is None else require_aware(value, name)


def to_utc(value: datetime, name: str = "datetime") -> datetime:
    """Check ``value`` is aware and return the same instant in UTC."""
    return require_aware(value, name).astimezone(UTC)
