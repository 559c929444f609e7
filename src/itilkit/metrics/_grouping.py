"""Grouping keys: plain fields, and periods of a datetime field in a time zone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit._time import instant
from itilkit.errors import InvalidInputError, InvalidTypeError, OutOfRangeError

__all__ = ["ByPeriod", "Period"]


def _day(value: object, name: str) -> date:
    if not isinstance(value, date):
        raise InvalidTypeError(name, "a date", value)
    return date(value.year, value.month, value.day) if type(value) is not date else value


class Period(Vocabulary):
    """A calendar period; a key is the period's first day (weeks start on Monday)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"

    def start(self, day: date) -> date:
        """The first day of the period holding ``day`` (a datetime counts by its date)."""
        return self._start(_day(day, "day"))

    def following(self, start: date) -> date:
        """The first day of the period after the one starting on ``start``."""
        first = self._start(_day(start, "start"))
        try:
            return self._following(first)
        except (OverflowError, ValueError):
            raise OutOfRangeError("the period after", start, "dates before 9999-10-01") from None

    def _ordinal(self, day: date) -> int:
        """The position of the period starting on ``day``, counting from year 1."""
        if self is Period.DAY:
            return day.toordinal()
        if self is Period.WEEK:
            return (day.toordinal() - 1) // 7
        months = day.year * 12 + day.month - 1
        return months if self is Period.MONTH else months // 3

    def _start(self, day: date) -> date:
        if self is Period.DAY:
            return day
        if self is Period.WEEK:
            return day - timedelta(days=day.weekday())
        if self is Period.MONTH:
            return day.replace(day=1)
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)

    def _following(self, start: date) -> date:
        if self is Period.DAY:
            return start + timedelta(days=1)
        if self is Period.WEEK:
            return start + timedelta(days=7)
        months = 1 if self is Period.MONTH else 3
        month = start.month - 1 + months
        return date(start.year + month // 12, month % 12 + 1, 1)


def check_tz(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: ``value`` is a tzinfo that can tell its offset, not a zone name."""
    if not isinstance(value, tzinfo):
        raise InvalidTypeError(
            attribute.name, "a tzinfo such as ZoneInfo('Europe/Paris') or timezone.utc", value
        )
    try:
        offset = datetime(2000, 1, 1, tzinfo=value).utcoffset()
    except Exception:  # a tzinfo that misbehaves
        offset = None
    if offset is None:
        raise InvalidInputError(f"{attribute.name} {shown(value)} cannot tell its UTC offset")


def _field(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidTypeError(attribute.name, "a column name (non-empty str)", value)


@attrs.frozen
class ByPeriod:
    """Group by the period of ``field`` (a host column name) as seen in ``tz``.

    >>> from datetime import datetime, timezone
    >>> ByPeriod("resolved_at", Period.QUARTER).key(datetime(2024, 5, 9, tzinfo=timezone.utc))
    datetime.date(2024, 4, 1)
    """

    field: str = attrs.field(validator=_field)
    period: Period = attrs.field(default=Period.MONTH, converter=Period)
    tz: tzinfo = attrs.field(default=UTC, validator=check_tz)

    def key(self, at: datetime) -> date:
        """The first day of the period holding ``at`` (a supported instant) in ``tz``."""
        return self._start_of(instant(at, "at"))

    def _start_of(self, at: datetime) -> date:
        """:meth:`key` of a plain supported instant (unchecked: the engine checked it)."""
        return self.period._start(at.astimezone(self.tz).date())


GroupSpec = str | ByPeriod
"""One grouping dimension: a host column name, or a :class:`ByPeriod`."""


def check_by(by: Sequence[GroupSpec] | GroupSpec) -> tuple[GroupSpec, ...]:
    """Normalise ``by`` to a tuple, rejecting anything but names and periods."""
    if isinstance(by, str | ByPeriod):
        return (by,)
    if not isinstance(by, Iterable):
        raise InvalidTypeError("by", "column names or ByPeriod values", by)
    specs = tuple(by)
    wrong = [s for s in specs if not isinstance(s, str | ByPeriod)]
    if wrong:
        raise InvalidTypeError("each of by", "a column name or a ByPeriod", wrong[0])
    return specs


def label(spec: GroupSpec) -> str:
    """The column name a grouping dimension reports under."""
    return spec if isinstance(spec, str) else f"{spec.field}_{spec.period.value}"
