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
from dateutil.rrule import rrule

from itilkit.errors import CalendarTypeError, InvalidCalendarError
from itilkit.sla._problems import Problems, clipped, shown
from itilkit.sla._rules import HolidayRule, parse_rule
from itilkit.sla._schedule import DayShifts, Shift, ShiftLike, _day_shifts, _flag, overlaps

__all__ = ["DateOverride", "Holidays"]

#: At most this many bad entries of one kind are listed; the rest are counted.
_LISTED = 20


def _items(value: object, what: str, allowed: str, problems: Problems) -> list[object]:
    """The items of an iterable argument (not text); a wrong type is noted."""
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        problems.type(what, allowed, value)
        return []
    return list(value)


def _listed(found: list[str], what: str, problems: Problems, wrong_type: bool) -> None:
    """Note ``found`` sorted (a stable order, whatever order the input had), clipped."""
    found.sort()
    for text in found[:_LISTED]:
        problems.value(text)
    if len(found) > _LISTED:
        problems.value(f"... and {len(found) - _LISTED} more {what}")
    problems.wrong_type |= wrong_type


def _not_a_date(what: str, value: object) -> str:
    """Why ``value`` is not a date, naming what it is."""
    if isinstance(value, datetime):
        return f"{what} {clipped(value)} is a datetime; give a datetime.date (its .date())"
    if isinstance(value, str):
        return f"{what} {clipped(value)} is a string; give a datetime.date, e.g. date(2024, 12, 25)"
    return f"{what} must be a datetime.date, got {shown(value)}"


def _dates(value: object, problems: Problems) -> frozenset[date]:
    items = _items(value, "dates", "an iterable of datetime.date values", problems)
    good: list[date] = []
    bad: list[str] = []
    for item in items:
        if isinstance(item, date) and not isinstance(item, datetime):
            good.append(item)
        else:
            bad.append(_not_a_date("holiday", item))
    _listed(bad, "bad holiday dates", problems, wrong_type=bool(bad))
    return frozenset(good)


def _yearly(value: object, problems: Problems) -> tuple[tuple[int, int], ...]:
    items = _items(value, "yearly", "an iterable of (month, day) pairs", problems)
    good: set[tuple[int, int]] = set()
    wrong: list[str] = []
    impossible: list[str] = []
    for item in items:
        if not (
            isinstance(item, tuple | list)
            and len(item) == 2
            and all(type(part) is int for part in item)
        ):
            wrong.append(f"yearly holiday {shown(item)} must be a (month, day) pair of ints")
            continue
        month, day = item
        days_in_month = _gregorian.monthrange(2000, month)[1] if 1 <= month <= 12 else 0
        if 1 <= day <= days_in_month:
            good.add((month, day))
        else:
            impossible.append(f"yearly holiday {(month, day)} is not a (month, day) of any year")
    _listed(wrong, "bad yearly holidays", problems, wrong_type=bool(wrong))
    _listed(impossible, "impossible yearly holidays", problems, wrong_type=False)
    return tuple(sorted(good))


def _rules(value: object, problems: Problems) -> tuple[tuple[str, ...], tuple[HolidayRule, ...]]:
    items = _items(value, "rules", "a list of RFC 5545 rule texts or dateutil rrules", problems)
    parsed: dict[str, HolidayRule] = {}
    for item in items:
        if not isinstance(item, str | rrule):
            problems.type("a holiday rule", "RFC 5545 rule text or a dateutil rrule", item)
            continue
        text = str(item).strip()
        rule = parse_rule(text)
        if isinstance(rule, HolidayRule):
            parsed[text] = rule
        else:
            label = shown(text).removeprefix("str ")
            problems.found.extend(f"holiday rule {label} cannot be used: {why}" for why in rule)
    texts = tuple(sorted(parsed))
    return texts, tuple(parsed[text] for text in texts)


def _day(value: object, what: str, problems: Problems) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    problems.wrong(_not_a_date(what, value))
    return date.min


@attrs.frozen(init=False)
class Holidays:
    """Whole-day closures: single dates, yearly dates and recurrence rules.

    ``dates`` are ``datetime.date`` values (a ``datetime`` or an ISO string
    is refused: say which day you mean). ``yearly`` holds ``(month, day)``
    pairs (``(2, 29)`` only in leap years). ``rules`` holds RFC 5545
    recurrence rules as text or ``dateutil.rrule.rrule`` objects (kept as
    their text, so the value stays hashable), limited to whole days as
    described in ``docs/calendars.md``; a rule without ``DTSTART`` starts on
    1900-01-01. Easter-relative days use ``BYEASTER``:

    >>> easter = Holidays(rules=["FREQ=YEARLY;BYEASTER=-2", "FREQ=YEARLY;BYEASTER=1"])
    >>> sorted(easter.between(date(2024, 1, 1), date(2024, 12, 31)))
    [datetime.date(2024, 3, 29), datetime.date(2024, 4, 1)]

    Two sets combine with ``|`` (or :meth:`union`) into the holidays of both.
    A ``Holidays`` value is immutable and safe to share between threads.

    Raises:
        InvalidCalendarError: every bad date, yearly date and rule, in a
            stable order (a :class:`~itilkit.errors.CalendarTypeError` when
            any is of the wrong type).

    .. versionadded:: 0.1
    """

    dates: frozenset[date] = frozenset()
    yearly: tuple[tuple[int, int], ...] = ()
    rules: tuple[str, ...] = ()
    _parsed: tuple[HolidayRule, ...] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __init__(
        self,
        dates: Iterable[date] = (),
        yearly: Iterable[tuple[int, int]] = (),
        rules: Iterable[rrule | str] = (),
    ) -> None:
        problems = Problems(InvalidCalendarError)
        checked_dates = _dates(dates, problems)
        checked_yearly = _yearly(yearly, problems)
        texts, parsed = _rules(rules, problems)
        problems.raise_any()
        self.__attrs_init__(checked_dates, checked_yearly, texts)
        object.__setattr__(self, "_parsed", parsed)

    def __reduce__(self) -> tuple[type[Holidays], tuple[object, ...]]:
        """Pickle and copy the rules as text; they are parsed again when loaded."""
        return type(self), (self.dates, self.yearly, self.rules)

    def __or__(self, other: Holidays) -> Holidays:
        """The holidays of both sets."""
        return self.union(other)

    def union(self, *others: Holidays) -> Holidays:
        """The holidays of this set and of every one of ``others``.

        >>> christmas = Holidays(yearly=[(12, 25)])
        >>> bank = Holidays(dates=[date(2024, 5, 6)])
        >>> sorted((christmas | bank).between(date(2024, 1, 1), date(2024, 12, 31)))
        [datetime.date(2024, 5, 6), datetime.date(2024, 12, 25)]
        """
        wrong = [other for other in others if not isinstance(other, Holidays)]
        if wrong:
            raise CalendarTypeError(
                [f"holidays combine with Holidays only, got {shown(item)}" for item in wrong]
            )
        sets = (self, *others)
        return Holidays(
            frozenset().union(*(one.dates for one in sets)),
            [pair for one in sets for pair in one.yearly],
            [rule for one in sets for rule in one.rules],
        )

    @property
    def is_finite(self) -> bool:
        """True when the holidays are only the listed single dates."""
        return not self.yearly and not self.rules

    def between(self, first: date, last: date) -> set[date]:
        """The holidays from ``first`` to ``last``, both included (none when reversed).

        Raises:
            CalendarTypeError: ``first`` or ``last`` is not a ``datetime.date``.
        """
        problems = Problems(InvalidCalendarError)
        first = _day(first, "first", problems)
        last = _day(last, "last", problems)
        problems.raise_any()
        found = {day for day in self.dates if first <= day <= last}
        for year in range(first.year, last.year + 1):
            for month, day in self.yearly:
                if day <= _gregorian.monthrange(year, month)[1]:
                    candidate = date(year, month, day)
                    if first <= candidate <= last:
                        found.add(candidate)
        for rule in self._parsed:
            found.update(rule.between(first, last))
        return found


@attrs.frozen(init=False)
class DateOverride:
    """Opening shifts for one local date, replacing or adding to the week's.

    With ``extra=False`` (the default) the shifts *replace* the date's weekly
    shifts, even on a holiday: no shifts closes the date, fewer make a half
    day. With ``extra=True`` they open in addition to whatever the date would
    otherwise have (nothing, on a holiday). Overnight shifts belong to the date
    they open on. Shifts are written as for a :class:`WeeklySchedule` day.

    >>> DateOverride.hours(date(2024, 12, 24), "09:00-13:00").shifts[0].end
    datetime.time(13, 0)

    Raises:
        InvalidCalendarError: the day is not a ``datetime.date``, a shift is
            badly written or ``extra`` is not a bool; every problem is listed.

    .. versionadded:: 0.1
    """

    day: date
    shifts: tuple[Shift, ...] = ()
    extra: bool = False

    def __init__(self, day: date, shifts: DayShifts = (), extra: bool = False) -> None:
        problems = Problems(InvalidCalendarError)
        checked_day = _day(day, "override day", problems)
        label = f"override {checked_day}" if checked_day != date.min else "override"
        checked_shifts = _day_shifts(shifts, label, problems)
        flag = _flag(extra, "extra", problems)
        problems.raise_any()
        self.__attrs_init__(checked_day, checked_shifts, flag)

    @classmethod
    def closed(cls, day: date) -> DateOverride:
        """Closed all day (shifts of the evening before still run to their end)."""
        return cls(day)

    @classmethod
    def hours(cls, day: date, *shifts: ShiftLike) -> DateOverride:
        """Open only during ``shifts`` that day (a half day, or a shorter day)."""
        return cls(day, shifts)

    @classmethod
    def extra_hours(cls, day: date, *shifts: ShiftLike) -> DateOverride:
        """Open during ``shifts`` in addition to the usual hours of that day."""
        return cls(day, shifts, extra=True)

    def problems(self) -> list[str]:
        """Whether the shifts fit together: backwards, overlapping or missing (empty when valid)."""
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
