"""Grouping keys: plain fields, and periods of a datetime field in a time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

import attrs

from itilkit.errors import InvalidInputError

__all__ = ["ByPeriod", "Period"]


class Period(StrEnum):
    """A calendar period; a key is the period's first day (weeks start on Monday)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"

    def start(self, day: date) -> date:
        """The first day of the period holding ``day``."""
        if self is Period.DAY:
            return day
        if self is Period.WEEK:
            return day - timedelta(days=day.weekday())
        if self is Period.MONTH:
            return day.replace(day=1)
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)

    def following(self, start: date) -> date:
        """The first day of the period after the one starting on ``start``."""
        if self is Period.DAY:
            return start + timedelta(days=1)
        if self is Period.WEEK:
            return start + timedelta(days=7)
        months = 1 if self is Period.MONTH else 3
        month = start.month - 1 + months
        return date(start.year + month // 12, month % 12 + 1, 1)


def check_tz(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: ``value`` is a tzinfo, not a zone name."""
    if not isinstance(value, tzinfo):
        raise InvalidInputError(
            f"{attribute.name} must be a tzinfo such as ZoneInfo('Europe/Paris') or timezone.utc, "
            f"got {type(value).__name__}"
        )


@attrs.frozen
class ByPeriod:
    """Group by the period of ``field`` (a host column name) as seen in ``tz``.

    >>> from datetime import datetime, timezone
    >>> ByPeriod("resolved_at", Period.QUARTER).key(datetime(2024, 5, 9, tzinfo=timezone.utc))
    datetime.date(2024, 4, 1)
    """

    field: str
    period: Period = attrs.field(default=Period.MONTH, converter=Period)
    tz: tzinfo = attrs.field(default=UTC, validator=check_tz)

    def key(self, at: datetime) -> date:
        """The first day of the period holding ``at`` in ``tz``."""
        return self.period.start(at.astimezone(self.tz).date())


GroupSpec = str | ByPeriod
"""One grouping dimension: a host column name, or a :class:`ByPeriod`."""


def check_by(by: Sequence[GroupSpec] | GroupSpec) -> tuple[GroupSpec, ...]:
    """Normalise ``by`` to a tuple, rejecting anything but names and periods."""
    specs: tuple[GroupSpec, ...] = (by,) if isinstance(by, str | ByPeriod) else tuple(by)
    wrong = [s for s in specs if not isinstance(s, str | ByPeriod)]
    if wrong:
        raise InvalidInputError(f"by takes column names or ByPeriod values, got {wrong!r}")
    return specs


def label(spec: GroupSpec) -> str:
    """The column name a grouping dimension reports under."""
    return spec if isinstance(spec, str) else f"{spec.field}_{spec.period.value}"
