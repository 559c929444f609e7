"""Holidays and per-date overrides of the weekly hours.

A holiday closes the shifts that *open* on that local date (an overnight shift
that started the evening before still runs to its end). Holiday dates are
judged in the calendar's zone. An override replaces (or adds to) the shifts of
one date; a replacing override wins over a holiday on the same date.
"""

from __future__ import annotations

import calendar as _gregorian
from collections.abc import Iterable
from datetime import date, datetime

import attrs
from dateutil.rrule import rrule, rruleset, rrulestr

from itilkit.sla._schedule import Shift, _to_shifts, overlaps

__all__ = ["DateOverride", "Holidays"]

#: Start of a rule written without DTSTART (dateutil would otherwise use "now").
DEFAULT_RULE_START = datetime(1900, 1, 1)


def _to_dates(value: Iterable[date]) -> frozenset[date]:
    return frozenset(value)


def _to_yearly(value: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted({(int(month), int(day)) for month, day in value}))


def _to_rules(value: Iterable[rrule | str]) -> tuple[str, ...]:
    return tuple(str(rule) for rule in value)


def _parse_rule(text: str) -> rrule | rruleset | str:
    """The parsed rule, or a description of why it cannot be used."""
    try:
        rule = rrulestr(text, dtstart=DEFAULT_RULE_START, cache=True)
        rule.between(datetime(2000, 1, 1), datetime(2000, 1, 2), inc=True)
    except (ValueError, TypeError) as error:
        return (
            f"holiday rule {text!r} cannot be used ({error}); "
            "give an RFC 5545 RRULE with a floating (zone-less) DTSTART"
        )
    return rule


@attrs.frozen
class Holidays:
    """Whole-day closures: single dates, yearly dates and recurrence rules.

    ``yearly`` holds ``(month, day)`` pairs (``(2, 29)`` only in leap years).
    ``rules`` holds RFC 5545 recurrence rules as text or ``dateutil.rrule.rrule``
    objects (kept as their text, so the value stays hashable); a rule without
    ``DTSTART`` starts on 1900-01-01. Easter-relative days use ``BYEASTER``:

    >>> easter = Holidays(rules=["FREQ=YEARLY;BYEASTER=-2", "FREQ=YEARLY;BYEASTER=1"])
    >>> sorted(easter.between(date(2024, 1, 1), date(2024, 12, 31)))
    [datetime.date(2024, 3, 29), datetime.date(2024, 4, 1)]

    .. versionadded:: 0.1
    """

    dates: frozenset[date] = attrs.field(factory=frozenset, converter=_to_dates)
    yearly: tuple[tuple[int, int], ...] = attrs.field(default=(), converter=_to_yearly)
    rules: tuple[str, ...] = attrs.field(default=(), converter=_to_rules)
    _parsed: tuple[rrule | rruleset | str, ...] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_parsed", tuple(_parse_rule(rule) for rule in self.rules))

    def __reduce__(self) -> tuple[type[Holidays], tuple[object, ...]]:
        """Pickle and copy the rules as text; the parsed rules (and their locks) are rebuilt."""
        return type(self), (self.dates, self.yearly, self.rules)

    @property
    def is_finite(self) -> bool:
        """True when the holidays are only the listed single dates."""
        return not self.yearly and not self.rules

    def between(self, first: date, last: date) -> set[date]:
        """The holidays from ``first`` to ``last``, both included."""
        found = {day for day in self.dates if first <= day <= last}
        for year in range(first.year, last.year + 1):
            for month, day in self.yearly:
                if day <= _gregorian.monthrange(year, month)[1]:
                    candidate = date(year, month, day)
                    if first <= candidate <= last:
                        found.add(candidate)
        start = datetime.combine(first, datetime.min.time())
        end = datetime.combine(last, datetime.max.time())
        for rule in self._parsed:
            if not isinstance(rule, str):
                found.update(moment.date() for moment in rule.between(start, end, inc=True))
        return found

    def problems(self) -> list[str]:
        """Every unusable date, yearly date or rule (empty when valid)."""
        found = [
            f"holiday {day!r} is a datetime; holidays are whole local dates"
            for day in self.dates
            if isinstance(day, datetime) or not isinstance(day, date)
        ]
        for month, day in self.yearly:
            days_in_month = _gregorian.monthrange(2000, month)[1] if 1 <= month <= 12 else 0
            if not 1 <= day <= days_in_month:
                found.append(f"yearly holiday ({month}, {day}) is not a (month, day) of any year")
        found.extend(rule for rule in self._parsed if isinstance(rule, str))
        return found


@attrs.frozen
class DateOverride:
    """Opening shifts for one local date, replacing or adding to the week's.

    With ``extra=False`` (the default) the shifts *replace* the date's weekly
    shifts, even on a holiday: no shifts closes the date, fewer make a half
    day. With ``extra=True`` they open in addition to whatever the date would
    otherwise have (nothing, on a holiday). Overnight shifts belong to the date
    they open on.

    >>> DateOverride.hours(date(2024, 12, 24), "09:00-13:00").shifts[0].end
    datetime.time(13, 0)

    .. versionadded:: 0.1
    """

    day: date
    shifts: tuple[Shift, ...] = attrs.field(default=(), converter=_to_shifts)
    extra: bool = False

    @classmethod
    def closed(cls, day: date) -> DateOverride:
        """Closed all day (shifts of the evening before still run to their end)."""
        return cls(day)

    @classmethod
    def hours(cls, day: date, *shifts: Shift | str) -> DateOverride:
        """Open only during ``shifts`` that day (a half day, or a shorter day)."""
        return cls(day, shifts)

    @classmethod
    def extra_hours(cls, day: date, *shifts: Shift | str) -> DateOverride:
        """Open during ``shifts`` in addition to the usual hours of that day."""
        return cls(day, shifts, extra=True)

    def problems(self) -> list[str]:
        """Everything wrong with this override on its own (empty when valid)."""
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            return [f"override day {self.day!r} must be a date (not a datetime)"]
        label = self.day.isoformat()
        found = [
            f"override {label}: {problem}" for shift in self.shifts for problem in shift.problems()
        ]
        if self.extra and not self.shifts:
            found.append(f"override {label} adds extra hours but lists no shifts")
        if not found:
            placed = [(*shift.span(), f"override {label} {shift}") for shift in self.shifts]
            found.extend(overlaps(placed))
        return found
