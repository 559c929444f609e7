"""Weekly opening hours: shifts of local wall-clock time for each weekday.

A :class:`Shift` is one opening interval owned by the day it opens on. It may
run past midnight (an overnight shift, marked ``overnight=True`` or written
``"22:00-06:00+1"``); its end is then on the next day. ``24:00`` (or an end of
``00:00`` without the overnight mark) means the midnight that ends the day.

Parts are checked for their format when built; whether they fit together
(overlaps, ends before starts) is checked by the calendar, which reports every
problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import time

import attrs

from itilkit.errors import InvalidCalendarError

__all__ = ["Shift", "WeeklySchedule"]

#: Microseconds per second, per day and per week: the unit of every span.
SECOND = 1_000_000
DAY = 86_400 * SECOND
WEEK = 7 * DAY

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {name[:3]: index for index, name in enumerate(WEEKDAYS)} | {
    name: index for index, name in enumerate(WEEKDAYS)
}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_SHIFT = re.compile(r"^\s*([\d:]+)\s*-\s*([\d:]+)\s*(\+1)?\s*$")


def _to_time(value: time | str) -> time:
    """Accept a ``time`` or ``"HH:MM[:SS]"`` (``"24:00"`` is the end of the day)."""
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        match = _TIME.match(value.strip())
        if match:
            hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
            if (hour, minute, second) == (24, 0, 0):
                return time(0)
            if hour < 24 and minute < 60 and second < 60:
                return time(hour, minute, second)
    raise InvalidCalendarError(
        [f"{value!r} is not a time of day; write HH:MM or HH:MM:SS (24:00 ends the day)"]
    )


def _micros(value: time) -> int:
    return ((value.hour * 3600 + value.minute * 60 + value.second) * SECOND) + value.microsecond


def _label(value: time) -> str:
    return value.isoformat(timespec="seconds" if value.second else "minutes")


@attrs.frozen
class Shift:
    """One opening interval ``[start, end)`` of local wall-clock time.

    ``end`` not after ``start`` is an error unless ``overnight`` is set (the
    shift then ends on the next day, at most 24 hours after it starts) or
    ``end`` is ``00:00``, which means the midnight ending the day.

    >>> Shift.parse("22:00-06:00+1")
    Shift(start=datetime.time(22, 0), end=datetime.time(6, 0), overnight=True)

    .. versionadded:: 0.1
    """

    start: time = attrs.field(converter=_to_time)
    end: time = attrs.field(converter=_to_time)
    overnight: bool = False

    @classmethod
    def parse(cls, text: str) -> Shift:
        """Build from ``"HH:MM-HH:MM"``, with a trailing ``+1`` for overnight."""
        match = _SHIFT.match(text)
        if not match:
            raise InvalidCalendarError(
                [f"{text!r} is not a shift; write 'HH:MM-HH:MM' or 'HH:MM-HH:MM+1' (overnight)"]
            )
        return cls(match[1], match[2], overnight=bool(match[3]))

    def span(self) -> tuple[int, int]:
        """Start and end in microseconds from the owning day's midnight."""
        start, end = _micros(self.start), _micros(self.end)
        if self.overnight or end == 0:
            end += DAY
        return start, end

    def problems(self) -> list[str]:
        """Everything wrong with this shift on its own (empty when valid)."""
        found = []
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            found.append(f"shift {self} has a time zone on its times; the calendar's zone applies")
        start, end = self.span()
        if end <= start:
            found.append(
                f"shift {self} ends before it starts; mark it overnight ('+1') "
                "if it ends the next day"
            )
        elif end - start > DAY:
            found.append(f"overnight shift {self} lasts more than 24 hours")
        return found

    def __str__(self) -> str:
        end = "24:00" if self.end == time(0) and not self.overnight else _label(self.end)
        return f"{_label(self.start)}-{end}{'+1' if self.overnight else ''}"


def _to_shift(value: Shift | str) -> Shift:
    return value if isinstance(value, Shift) else Shift.parse(value)


def _to_shifts(value: Iterable[Shift | str] | str) -> tuple[Shift, ...]:
    """Accept shifts, shift strings, or one comma-separated string."""
    items = value.split(",") if isinstance(value, str) else value
    return tuple(_to_shift(item) for item in items if not isinstance(item, str) or item.strip())


def _day_range(spec: str) -> list[int]:
    """Weekday indexes named by ``"mon"``, ``"monday"`` or a range ``"mon-fri"``."""
    first, _, last = spec.strip().lower().partition("-")
    if first not in _DAY_NAMES or (last and last not in _DAY_NAMES):
        raise InvalidCalendarError(
            [f"{spec!r} is not a weekday or weekday range such as 'mon' or 'mon-fri'"]
        )
    start, stop = _DAY_NAMES[first], _DAY_NAMES[last or first]
    return [(start + step) % 7 for step in range((stop - start) % 7 + 1)]


@attrs.frozen
class WeeklySchedule:
    """The opening shifts of each weekday, in the calendar's local time.

    Each day may hold any number of shifts (gaps between them are breaks).
    Shifts may not overlap, also across midnight and across the week's end.

    >>> week = WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"})
    >>> [str(shift) for shift in week.monday]
    ['09:00-12:00', '13:00-17:00']

    .. versionadded:: 0.1
    """

    monday: tuple[Shift, ...] = attrs.field(default=(), converter=_to_shifts)
    tuesday: tuple[Shift, ...] = attrs.field(default=(), converter=_to_shifts)
    wednesday: tuple[Shift, ...] = attrs.field(default=(), converter=_to_shifts)
    thursday: tuple[Shift, ...] = attrs.field(default=(), converter=_to_shifts)
    friday: tuple[Shift, ...] = attrs.field(default=(), converter=_to_shifts)
    saturday: tuple[Shift, ...] = attrs.field(default=(), converter=_to_shifts)
    sunday: tuple[Shift, ...] = attrs.field(default=(), converter=_to_shifts)

    @classmethod
    def from_days(cls, days: Mapping[str, Iterable[Shift | str] | str]) -> WeeklySchedule:
        """Build from ``{"mon-fri": "09:00-17:00", "sat": [...]}``; unnamed days close."""
        by_day: dict[str, tuple[Shift, ...]] = {}
        for spec, shifts in days.items():
            for index in _day_range(spec):
                by_day[WEEKDAYS[index]] = by_day.get(WEEKDAYS[index], ()) + _to_shifts(shifts)
        return cls(**by_day)

    @classmethod
    def always(cls) -> WeeklySchedule:
        """Open around the clock, every day (24x7)."""
        full = (Shift(time(0), time(0)),)
        return cls(*([full] * 7))

    @property
    def days(self) -> tuple[tuple[Shift, ...], ...]:
        """The shifts of Monday to Sunday, in that order."""
        return (
            self.monday,
            self.tuesday,
            self.wednesday,
            self.thursday,
            self.friday,
            self.saturday,
            self.sunday,
        )

    def spans(self, weekday: int) -> tuple[tuple[int, int], ...]:
        """The weekday's shifts as sorted microsecond spans from its midnight."""
        return tuple(sorted(shift.span() for shift in self.days[weekday]))

    def problems(self) -> list[str]:
        """Every bad or overlapping shift (empty when the week is valid)."""
        found: list[str] = []
        placed: list[tuple[int, int, str]] = []
        for index, shifts in enumerate(self.days):
            for shift in shifts:
                own = shift.problems()
                found.extend(f"{WEEKDAYS[index]}: {problem}" for problem in own)
                if not own:
                    start, end = shift.span()
                    placed.append(
                        (index * DAY + start, index * DAY + end, f"{WEEKDAYS[index]} {shift}")
                    )
        found.extend(overlaps(placed, period=WEEK))
        return found


def overlaps(placed: list[tuple[int, int, str]], period: int | None = None) -> list[str]:
    """Describe each pair of spans that overlap (on a circle of ``period`` if given)."""
    found = []
    shifts = (-period, 0, period) if period else (0,)
    for i, (start_a, end_a, name_a) in enumerate(placed):
        for start_b, end_b, name_b in placed[i + 1 :]:
            if any(start_a < end_b + s and start_b + s < end_a for s in shifts):
                found.append(f"{name_a} overlaps {name_b}")
    return found
