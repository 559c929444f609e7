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

from collections.abc import Iterable, Mapping, Sequence
from datetime import time

import attrs

from itilkit.errors import InvalidCalendarError, InvalidInputError, InvalidTypeError
from itilkit.sla._problems import Problems, clipped, shown

__all__ = ["Shift", "WeeklySchedule"]

#: Microseconds per second, per day and per week: the unit of every span.
SECOND = 1_000_000
DAY = 86_400 * SECOND
WEEK = 7 * DAY

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {name[:3]: index for index, name in enumerate(WEEKDAYS)} | {
    name: index for index, name in enumerate(WEEKDAYS)
}
#: No shift text is longer; longer input is refused before it is read.
MAX_SHIFT_TEXT = 64
#: At most this many shifts a day (or a date): quarter-hour slots all day long.
MAX_SHIFTS_PER_DAY = 96
#: What a day's shifts may be written as, for error messages.
SHIFT_FORMS = (
    "a Shift, 'HH:MM-HH:MM' text ('+1' marks overnight), an ['HH:MM', 'HH:MM'] pair, "
    "or a list of these"
)
_OVERNIGHT = "+1"


def _clock(text: str) -> time | None:
    """``"HH:MM"`` or ``"HH:MM:SS"`` in ASCII digits (``"24:00"`` is midnight), else None."""
    parts = text.strip().split(":")
    widths = [len(part) for part in parts]
    if widths not in ([1, 2], [2, 2], [1, 2, 2], [2, 2, 2]):
        return None
    if not all(part.isascii() and part.isdigit() for part in parts):
        return None
    hour, minute, second = (int(part) for part in (*parts, "0")[:3])
    if (hour, minute, second) == (24, 0, 0):
        return time(0)
    if hour < 24 and minute < 60 and second < 60:
        return time(hour, minute, second)
    return None


def _time(value: object, what: str, problems: Problems) -> time:
    """A ``time``, or ``"HH:MM[:SS]"`` text; anything else is noted in ``problems``."""
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        problems.type(what, "a datetime.time or 'HH:MM' text", value)
    elif len(value) <= MAX_SHIFT_TEXT and (parsed := _clock(value)) is not None:
        return parsed
    else:
        problems.value(
            f"{clipped(value)} is not a time of day; write HH:MM or HH:MM:SS (24:00 ends the day)"
        )
    return time(0)


def _flag(value: object, what: str, problems: Problems) -> bool:
    """A strict bool: ``"no"``, ``0`` or ``None`` are not flags."""
    if not isinstance(value, bool):
        problems.type(what, "True or False", value)
        return False
    return value


def _micros(value: time) -> int:
    return ((value.hour * 3600 + value.minute * 60 + value.second) * SECOND) + value.microsecond


def _label(value: time) -> str:
    return value.isoformat(timespec="seconds" if value.second else "minutes")


@attrs.frozen(init=False)
class Shift:
    """One opening interval ``[start, end)`` of local wall-clock time.

    ``start`` and ``end`` are ``time`` values or ``"HH:MM[:SS]"`` text.
    ``end`` not after ``start`` is an error unless ``overnight`` is set (the
    shift then ends on the next day, at most 24 hours after it starts) or
    ``end`` is ``00:00``, which means the midnight ending the day.

    >>> Shift.parse("22:00-06:00+1")
    Shift(start=datetime.time(22, 0), end=datetime.time(6, 0), overnight=True)

    Raises:
        InvalidCalendarError: a time is not a time of day (a
            :class:`~itilkit.errors.CalendarTypeError` when of the wrong type).

    .. versionadded:: 0.1
    """

    start: time
    end: time
    overnight: bool = False

    def __init__(self, start: time | str, end: time | str, overnight: bool = False) -> None:
        problems = Problems(InvalidCalendarError)
        begin = _time(start, "shift start", problems)
        finish = _time(end, "shift end", problems)
        flag = _flag(overnight, "overnight", problems)
        problems.raise_any()
        self.__attrs_init__(begin, finish, flag)

    @classmethod
    def parse(cls, text: str) -> Shift:
        """Build from ``"HH:MM-HH:MM"``, with a trailing ``+1`` for overnight.

        Raises:
            InvalidCalendarError: the text is not a shift.
        """
        problems = Problems(InvalidCalendarError)
        shift = _parse_shift(text, problems)
        problems.raise_any()
        assert shift is not None  # no problems, so a shift
        return shift

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


def _parse_shift(text: object, problems: Problems) -> Shift | None:
    """The shift ``text`` describes (``"HH:MM-HH:MM[+1]"``), or None with the problem noted."""
    if not isinstance(text, str):
        problems.type("a shift", "'HH:MM-HH:MM' text", text)
        return None
    body = text.strip()
    overnight = body.endswith(_OVERNIGHT)
    start, dash, end = body.removesuffix(_OVERNIGHT).partition("-")
    if len(text) <= MAX_SHIFT_TEXT and dash and "-" not in end:
        begin, finish = _clock(start), _clock(end)
        if begin is not None and finish is not None:
            return Shift(begin, finish, overnight)
    problems.value(
        f"{clipped(text)} is not a shift; write 'HH:MM-HH:MM' or 'HH:MM-HH:MM+1' (overnight)"
    )
    return None


def _pair_shift(pair: list[object] | tuple[object, ...], problems: Problems) -> Shift | None:
    """The shift of a ``[start, end]`` pair; an end written ``"HH:MM+1"`` is overnight."""
    if len(pair) != 2:
        problems.value(f"a shift pair needs a start and an end, got {shown(pair)}")
        return None
    start, end = pair
    overnight = isinstance(end, str) and end.strip().endswith(_OVERNIGHT)
    if overnight:
        end = str(end).strip().removesuffix(_OVERNIGHT)
    own = Problems(problems.error)
    begin = _time(start, "shift start", own)
    finish = _time(end, "shift end", own)
    problems.extend(own)
    return None if own.found else Shift(begin, finish, overnight)


def _day_shifts(value: object, what: str, problems: Problems) -> tuple[Shift, ...]:
    """The shifts of one day written in any of :data:`SHIFT_FORMS`; problems are noted."""
    if isinstance(value, Shift):
        return (value,)
    if isinstance(value, str):
        if len(value) > MAX_SHIFT_TEXT * MAX_SHIFTS_PER_DAY:
            problems.value(f"{what} is longer than {MAX_SHIFTS_PER_DAY} shifts can be")
            return ()
        items: list[object] = [item for item in value.split(",") if item.strip()]
    elif isinstance(value, Iterable) and not isinstance(value, bytes | bytearray | Mapping):
        items = []
        for item in value:
            items.append(item)
            if len(items) > MAX_SHIFTS_PER_DAY:
                break
    else:
        problems.type(what, SHIFT_FORMS, value)
        return ()
    if len(items) > MAX_SHIFTS_PER_DAY:
        problems.value(f"{what} has more than {MAX_SHIFTS_PER_DAY} shifts")
        return ()
    shifts = []
    for item in items:
        if isinstance(item, Shift):
            shift: Shift | None = item
        elif isinstance(item, list | tuple):
            shift = _pair_shift(item, problems)
        elif isinstance(item, str):
            shift = _parse_shift(item, problems)
        else:
            problems.type(f"a shift of {what}", SHIFT_FORMS, item)
            shift = None
        if shift is not None:
            shifts.append(shift)
    if _looks_like_one_pair(items):
        problems.value(
            f"{what}: write one shift as a pair inside a list, [[{clipped(items[0])}, ...]]"
        )
    return tuple(shifts)


def _looks_like_one_pair(items: list[object]) -> bool:
    """``["08:00", "12:00"]``: two times given where a list of shifts was expected."""
    return len(items) == 2 and all(isinstance(i, str) and _clock(i) is not None for i in items)


def _day_range(spec: object, problems: Problems) -> list[int]:
    """Weekday indexes named by ``"mon"``, ``"monday"`` or a range ``"mon-fri"``."""
    if not isinstance(spec, str):
        problems.type("a day", "a weekday name or range such as 'mon' or 'mon-fri'", spec)
        return []
    first, _, last = spec.strip().lower().partition("-")
    if first not in _DAY_NAMES or (last and last not in _DAY_NAMES):
        problems.value(
            f"{clipped(spec)} is not a weekday or weekday range such as 'mon' or 'mon-fri'"
        )
        return []
    start, stop = _DAY_NAMES[first], _DAY_NAMES[last or first]
    return [(start + step) % 7 for step in range((stop - start) % 7 + 1)]


#: One shift as a value, as text, or as a ``(start, end)`` pair.
ShiftLike = Shift | str | Sequence[time | str]
#: A day's shifts: one shift, comma-separated text, or a list of shifts.
DayShifts = ShiftLike | Iterable[ShiftLike]


@attrs.frozen(init=False)
class WeeklySchedule:
    """The opening shifts of each weekday, in the calendar's local time.

    Each day may hold any number of shifts (gaps between them are breaks),
    written in any of :data:`SHIFT_FORMS`: ``"09:00-12:00, 13:00-17:00"``,
    ``["09:00-12:00", "13:00-17:00"]`` or ``[["09:00", "12:00"], ["13:00", "17:00"]]``.
    Shifts may not overlap, also across midnight and across the week's end
    (checked by the calendar).

    >>> week = WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"})
    >>> [str(shift) for shift in week.monday]
    ['09:00-12:00', '13:00-17:00']

    Raises:
        InvalidCalendarError: any day's shifts are badly written; every
            problem of every day is listed.

    .. versionadded:: 0.1
    """

    monday: tuple[Shift, ...] = ()
    tuesday: tuple[Shift, ...] = ()
    wednesday: tuple[Shift, ...] = ()
    thursday: tuple[Shift, ...] = ()
    friday: tuple[Shift, ...] = ()
    saturday: tuple[Shift, ...] = ()
    sunday: tuple[Shift, ...] = ()

    def __init__(
        self,
        monday: DayShifts = (),
        tuesday: DayShifts = (),
        wednesday: DayShifts = (),
        thursday: DayShifts = (),
        friday: DayShifts = (),
        saturday: DayShifts = (),
        sunday: DayShifts = (),
    ) -> None:
        problems = Problems(InvalidCalendarError)
        given = (monday, tuesday, wednesday, thursday, friday, saturday, sunday)
        days = [
            _day_shifts(value, name, problems) for name, value in zip(WEEKDAYS, given, strict=True)
        ]
        problems.raise_any()
        self.__attrs_init__(*days)

    @classmethod
    def from_days(cls, days: Mapping[str, DayShifts]) -> WeeklySchedule:
        """Build from ``{"mon-fri": "09:00-17:00", "sat": [["10:00", "14:00"]]}``.

        Keys are weekdays (``"mon"``, ``"monday"``) or ranges (``"mon-fri"``,
        also wrapping: ``"fri-mon"``); unnamed days are closed, and a day
        named twice gets the shifts of both.

        Raises:
            InvalidCalendarError: every unknown day and badly written shift, in
                the order given.
        """
        problems = Problems(InvalidCalendarError)
        if not isinstance(days, Mapping):
            problems.type("days", "a mapping of weekday names to shifts", days)
            problems.raise_any()
        by_day: dict[str, tuple[Shift, ...]] = {}
        for spec, value in days.items():
            indexes = _day_range(spec, problems)
            shifts = _day_shifts(value, repr(str(spec).strip()) if indexes else "a day", problems)
            for index in indexes:
                by_day[WEEKDAYS[index]] = by_day.get(WEEKDAYS[index], ()) + shifts
        problems.raise_any()
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
        if isinstance(weekday, bool) or not isinstance(weekday, int):
            raise InvalidTypeError("weekday", "an int from 0 (Monday) to 6 (Sunday)", weekday)
        if not 0 <= weekday <= 6:
            raise InvalidInputError(
                f"weekday must be from 0 (Monday) to 6 (Sunday), got {clipped(weekday)}"
            )
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
    """Describe each pair of non-empty spans that overlap (on a circle of ``period`` if given).

    A sweep over the spans sorted by start: each is compared only with those
    still open when it starts, so a long list costs no more than its overlaps.
    """
    turns = (-period, 0, period) if period else (0,)
    copies = sorted(
        (start + turn, end + turn, i) for i, (start, end, _) in enumerate(placed) for turn in turns
    )
    pairs: set[tuple[int, int]] = set()
    running: list[tuple[int, int]] = []
    for start, end, index in copies:
        running = [(until, other) for until, other in running if until > start]
        pairs.update(
            (min(index, other), max(index, other)) for _, other in running if other != index
        )
        running.append((end, index))
    return [f"{placed[i][2]} overlaps {placed[j][2]}" for i, j in sorted(pairs)]
