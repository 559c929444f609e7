"""BusinessCalendar: business-time arithmetic on aware datetimes.

Conventions (each shown with an example in ``docs/calendars.md``):

* An instant is open when the calendar zone's wall clock shows a time inside
  one of that date's open spans; spans are half-open ``[open, close)``.
* Business time is real elapsed time (seconds of the instant axis), so a DST
  change inside open hours makes that stretch an hour longer or shorter. Wall
  times skipped by a DST gap are never open; wall times repeated by a fold are
  open both times.
* ``add(t, d)`` returns the earliest instant by which ``d`` of business time
  has passed since ``t``: a budget that runs out exactly at a close returns
  the close. ``subtract(t, d)`` returns the latest instant from which ``d``
  reaches ``t``: exactly at an opening it returns the opening. So
  ``elapsed(t, add(t, d)) == d`` and ``elapsed(subtract(t, d), t) == d``.
* A zero duration returns the same instant; negative durations and reversed
  ``elapsed`` arguments raise ``InvalidInputError`` / ``InvalidIntervalError``.
* Results are in the calendar's zone.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import repeat
from operator import lt, sub
from typing import cast
from zoneinfo import ZoneInfo

import attrs

from itilkit.errors import (
    CalendarError,
    InvalidCalendarError,
    InvalidInputError,
    InvalidIntervalError,
    NoBusinessTimeError,
)
from itilkit.sla._days import NoBusinessDay
from itilkit.sla._deadlines import Landing
from itilkit.sla._holidays import DateOverride, Holidays
from itilkit.sla._instants import (
    HIGHEST,
    LONGEST,
    LOWEST,
    outside,
    plain,
    since,
    timestamp_since,
)
from itilkit.sla._instants import duration as to_duration
from itilkit.sla._instants import instant as to_instant
from itilkit.sla._plans import DayPlans, day_of
from itilkit.sla._problems import Problems, clipped
from itilkit.sla._schedule import DAY, SECOND, WeeklySchedule
from itilkit.sla._timeline import (
    Coverage,
    NeverCloses,
    NoOpenTime,
    OutOfCoverage,
    Timeline,
    supported,
)
from itilkit.sla._window import WINDOW_SHIFT, Window
from itilkit.sla._zone import EPOCH, FIRST_YEAR, LAST_YEAR, ONE_MICROSECOND

__all__ = ["BusinessCalendar"]

_UNIX = (datetime(1970, 1, 1, tzinfo=UTC) - EPOCH) // ONE_MICROSECOND
#: A zone name longer than this is no IANA name (and would make the OS refuse the path).
_LONGEST_ZONE_NAME = 255


def _to_overrides(value: Iterable[DateOverride]) -> tuple[DateOverride, ...]:
    try:
        items = tuple(value)
    except TypeError:
        return value  # type: ignore[return-value]  # left for validation to describe
    try:
        return tuple(sorted(items, key=lambda override: override.day))
    except (AttributeError, TypeError):
        return items  # left for validation to describe


def _zone_problems(key: object, problems: Problems) -> None:
    if not isinstance(key, str):
        problems.type("zone", "an IANA zone name such as 'Europe/London'", key)
        return
    unknown = f"unknown time zone {clipped(key)}; use an IANA zone name such as 'Europe/London'"
    if not key or len(key) > _LONGEST_ZONE_NAME or "\0" in key:
        problems.value(unknown)
        return
    try:
        ZoneInfo(key)
    except (ValueError, LookupError, OSError, UnicodeError):
        problems.value(unknown)


def _part_problems(
    schedule: object, holidays: object, overrides: object, problems: Problems
) -> None:
    if isinstance(schedule, WeeklySchedule):
        for text in schedule.problems():
            problems.value(text)
    else:
        problems.type("schedule", "a WeeklySchedule", schedule)
    if not isinstance(holidays, Holidays):
        problems.type("holidays", "a Holidays value", holidays)
    if not isinstance(overrides, tuple):
        problems.type("overrides", "a list of DateOverride values", overrides)
        return
    seen: set[object] = set()
    for override in overrides:
        if not isinstance(override, DateOverride):
            problems.type("overrides", "DateOverride values", override)
            continue
        for text in override.problems():
            problems.value(text)
        if override.day in seen:
            problems.value(f"more than one override for {override.day}")
        seen.add(override.day)


_ZERO = timedelta(0)
#: The bulk form joins this many windows (more when there are over 512 pairs per window).
_BULK_WINDOWS = 4


_CACHE_LOCK = threading.Lock()
#: The tables of every live calendar, by its parts: equal calendars share them.
_TIMELINES: weakref.WeakValueDictionary[tuple[object, ...], Timeline] = (
    weakref.WeakValueDictionary()
)


def _shared_timeline(calendar: BusinessCalendar) -> Timeline:
    key = (calendar.zone, calendar.schedule, calendar.holidays, calendar.overrides)
    with _CACHE_LOCK:
        found = _TIMELINES.get(key)
        if found is None:
            plans = DayPlans(calendar.schedule, calendar.holidays, calendar.overrides)
            found = _TIMELINES[key] = Timeline(plans, calendar.zone)
        return found


def _count(value: object, name: str = "days") -> int:
    if type(value) is int and 0 <= value <= _MOST_DAYS:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{name} must be a whole number of days, got {clipped(value)}")
    if not 0 <= value <= _MOST_DAYS:
        raise InvalidInputError(f"{name} must be from 0 to {_MOST_DAYS}, got {clipped(value)}")
    return value


def _landing(value: object) -> Landing | time:
    if type(value) is Landing:
        return value
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise InvalidInputError(f"landing time {value} must be a local time, without tzinfo")
        return value
    if isinstance(value, Landing):
        return value
    try:
        return Landing(value) if isinstance(value, str) else Landing("?")
    except ValueError:
        choices = ", ".join(repr(choice.value) for choice in Landing)
        raise InvalidInputError(
            f"landing must be a Landing ({choices}) or a local time, got {clipped(value)}"
        ) from None


def _wall_micros(value: time) -> int:
    return (value.hour * 3600 + value.minute * 60 + value.second) * SECOND + value.microsecond


#: More business days than the supported years hold.
_MOST_DAYS = 366 * (LAST_YEAR - FIRST_YEAR)


@attrs.frozen
class BusinessCalendar:
    """A zone, weekly hours, holidays and per-date overrides, with business-time arithmetic.

    Built values are checked at once: every problem (unknown zone, overlapping
    or backwards shifts, bad holiday rules, duplicate overrides) is listed in
    one :class:`~itilkit.errors.InvalidCalendarError`. A calendar is a value:
    share it freely across threads. Equal calendars share their tables, and
    every calendar in a zone shares the zone's offset changes.

    >>> week = WeeklySchedule.from_days({"mon-fri": "09:00-17:00"})
    >>> cal = BusinessCalendar("Europe/London", week)
    >>> from datetime import datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> friday = datetime(2024, 5, 10, 16, 0, tzinfo=ZoneInfo("Europe/London"))
    >>> cal.add(friday, timedelta(hours=2))
    datetime.datetime(2024, 5, 13, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/London'))

    .. versionadded:: 0.1
    """

    zone: str
    schedule: WeeklySchedule
    holidays: Holidays = attrs.field(factory=Holidays)
    overrides: tuple[DateOverride, ...] = attrs.field(default=(), converter=_to_overrides)
    _zoneinfo: ZoneInfo = attrs.field(init=False, eq=False, repr=False, hash=False)
    _timeline: Timeline = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems = Problems(InvalidCalendarError)
        _zone_problems(self.zone, problems)
        _part_problems(self.schedule, self.holidays, self.overrides, problems)
        problems.raise_any()
        object.__setattr__(self, "_zoneinfo", ZoneInfo(self.zone))
        object.__setattr__(self, "_timeline", _shared_timeline(self))

    def __reduce__(self) -> tuple[type[BusinessCalendar], tuple[object, ...]]:
        """Pickle and copy the four parts only; the tables (and their lock) are rebuilt."""
        return type(self), (self.zone, self.schedule, self.holidays, self.overrides)

    @classmethod
    def always_open(cls, zone: str = "UTC") -> BusinessCalendar:
        """A 24x7 calendar: business time equals real elapsed time."""
        return cls(zone, WeeklySchedule.always())

    @property
    def tzinfo(self) -> ZoneInfo:
        """The calendar's zone, in which results are returned."""
        return self._zoneinfo

    # -- conversions and the coverage loop ---------------------------------------

    def _local(self, instant: int) -> datetime:
        seconds, micros = divmod(instant - _UNIX, SECOND)
        value = datetime.fromtimestamp(seconds, self._zoneinfo)
        return value.replace(microsecond=micros) if micros else value

    def _at(self, since: timedelta) -> datetime:
        return (EPOCH + since).astimezone(self._zoneinfo)

    def _window(self, at: object) -> tuple[Coverage, Window, timedelta] | None:
        """The built window holding ``at`` (a plain aware datetime), for the fast paths."""
        coverage = self._timeline.current
        found = since(at)
        if coverage is None or found is None:
            return None
        window = coverage.window(found.days >> WINDOW_SHIFT)
        return None if window is None else (coverage, window, found)

    def _covering(
        self, first: int, last: int, at: datetime, last_at: datetime | None = None
    ) -> Coverage:
        """Tables covering ``first`` (given as ``at``) to ``last`` (``last_at``, if given)."""
        try:
            return self._timeline.covering(first, last)
        except OutOfCoverage:
            raise outside(last_at if last_at is not None and supported(first) else at) from None

    def _solve(
        self, instant: int, at: datetime, forward: bool, find: Callable[[Coverage], int]
    ) -> int:
        """``find`` on tables grown in one direction until it answers (or none can)."""
        if not self._timeline.ever_open:
            raise NoBusinessTimeError(at, "after" if forward else "before")
        coverage = self._covering(instant, instant, at)
        try:
            while True:
                try:
                    return find(coverage)
                except OutOfCoverage:
                    coverage = self._timeline.extended(coverage, forward, instant)
        except NoOpenTime as stopped:
            limit = (LAST_YEAR - 1 if forward else FIRST_YEAR + 1) if stopped.at_range_end else None
            raise NoBusinessTimeError(at, "after" if forward else "before", limit) from None
        except NoBusinessDay:
            raise NoBusinessTimeError(at, "after" if forward else "before") from None

    # -- business time ---------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant by which ``duration`` of business time has passed.

        A budget ending exactly at a close returns the close; a zero duration
        returns ``start`` (in the calendar's zone), even outside business hours.
        """
        fast = self._window(start)
        if fast is not None and type(duration) is timedelta and _ZERO < duration <= LONGEST:
            coverage, window, at = fast
            target = window.open_before(at) + duration
            reached = window.first_reaching(target)
            if reached is None:  # a long budget: find the window it ends in
                further = coverage.window_reaching(target)
                reached = None if further is None else further.first_reaching(target)
            if reached is not None:
                return self._at(reached)
        instant, amount = to_instant(start, "start"), to_duration(duration)
        if not amount:
            return self._local(instant)
        return self._local(
            self._solve(
                instant,
                start,
                True,
                lambda cov: cov.first_reaching(cov.open_before(instant) + amount),
            )
        )

    def subtract(self, end: datetime, duration: timedelta) -> datetime:
        """The latest instant from which ``duration`` of business time reaches ``end``.

        A budget ending exactly at an opening returns the opening; a zero
        duration returns ``end`` (in the calendar's zone).
        """
        fast = self._window(end)
        if fast is not None and type(duration) is timedelta and _ZERO < duration <= LONGEST:
            coverage, window, at = fast
            target = window.open_before(at) - duration
            left = window.last_at(target)
            if left is None:  # a long budget: find the window it starts in
                further = coverage.window_leaving(target)
                left = None if further is None else further.last_at(target)
            if left is not None:
                return self._at(left)
        instant, amount = to_instant(end, "end"), to_duration(duration, opposite="add")
        if not amount:
            return self._local(instant)
        return self._local(
            self._solve(
                instant, end, False, lambda cov: cov.last_at(cov.open_before(instant) - amount)
            )
        )

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``; ``end`` before ``start`` raises."""
        coverage = self._timeline.current
        first_since, last_since = since(start), since(end)
        if (
            coverage is not None
            and first_since is not None
            and last_since is not None
            and first_since <= last_since
        ):
            before = coverage.window(first_since.days >> WINDOW_SHIFT)
            after = coverage.window(last_since.days >> WINDOW_SHIFT)
            if before is not None and after is not None:
                return after.open_before(last_since) - before.open_before(first_since)
        first, last = to_instant(start, "start"), to_instant(end, "end")
        if last < first:
            raise InvalidIntervalError(plain(start, "start"), plain(end, "end"), "elapsed interval")
        if coverage is None or not (coverage.t_lo <= first and last <= coverage.t_hi):
            coverage = self._covering(first, last, start, end)
        return ONE_MICROSECOND * (coverage.open_before(last) - coverage.open_before(first))

    def elapsed_many(self, starts: Sequence[datetime], ends: Sequence[datetime]) -> list[timedelta]:
        """:meth:`elapsed` of each ``(starts[i], ends[i])`` pair, in one pass."""
        try:
            count, other = len(starts), len(ends)
        except TypeError:
            raise InvalidInputError("starts and ends must be sequences of datetimes") from None
        if count != other:
            raise InvalidInputError(
                f"starts and ends must have the same length, got {count} and {other}"
            )
        if not count:
            return []
        starts, ends = _positional(starts), _positional(ends)
        try:
            sinces, untils = _sinces(starts, "starts"), _sinces(ends, "ends")
        except TypeError:  # a naive value: the one-by-one check names it
            return self._elapsed_many_checked(starts, ends)
        if any(map(lt, untils, sinces)):
            self._reject_reversed(list(map(lt, untils, sinces)), starts, ends)
        first, last = min(sinces), max(untils)
        lo, hi = first // ONE_MICROSECOND, last // ONE_MICROSECOND
        if not LOWEST <= lo <= HIGHEST:
            raise outside(starts[sinces.index(first)])
        if not LOWEST <= hi <= HIGHEST:
            raise outside(ends[untils.index(last)])
        coverage = self._covering(lo, hi, starts[0])
        low, high = first.days >> WINDOW_SHIFT, last.days >> WINDOW_SHIFT
        if high - low < max(_BULK_WINDOWS, count >> 9):
            windows = [coverage.window(index, eager=True) for index in range(low, high + 1)]
            if all(windows):
                return Window.joined(cast(list[Window], windows)).elapsed_many(sinces, untils)
        firsts = [value // ONE_MICROSECOND for value in sinces]
        lasts = [value // ONE_MICROSECOND for value in untils]
        return self._elapsed_many_on(coverage, firsts, lasts)

    def _elapsed_many_checked(
        self, starts: Sequence[datetime], ends: Sequence[datetime]
    ) -> list[timedelta]:
        """The bulk form for inputs that are not all aware (checked one by one)."""
        firsts = [to_instant(value, f"starts[{index}]") for index, value in enumerate(starts)]
        lasts = [to_instant(value, f"ends[{index}]") for index, value in enumerate(ends)]
        self._reject_reversed(list(map(lt, lasts, firsts)), starts, ends)
        first, last = min(firsts), max(lasts)
        coverage = self._covering(first, last, starts[firsts.index(first)], ends[lasts.index(last)])
        return self._elapsed_many_on(coverage, firsts, lasts)

    @staticmethod
    def _reject_reversed(
        reversed_: list[bool], starts: Sequence[datetime], ends: Sequence[datetime]
    ) -> None:
        if any(reversed_):
            index = reversed_.index(True)
            raise InvalidIntervalError(starts[index], ends[index], f"pair {index}")

    @staticmethod
    def _elapsed_many_on(
        coverage: Coverage, firsts: list[int], lasts: list[int]
    ) -> list[timedelta]:
        count = len(firsts)
        measured = coverage.open_before_many(firsts + lasts)
        return list(map(ONE_MICROSECOND.__mul__, map(sub, measured[count:], measured[:count])))

    # -- openings and closes -----------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        """Whether ``at`` is business time (an opening is open, a close is not)."""
        fast = self._window(at)
        if fast is not None:
            return fast[1].is_open(fast[2])
        instant = to_instant(at, "at")
        return self._covering(instant, instant, at).is_open(instant)

    def next_open(self, at: datetime) -> datetime:
        """``at`` if it is open, else the next opening."""
        fast = self._window(at)
        if fast is not None:
            found = fast[1].last_at(fast[1].open_before(fast[2]))
            if found is not None:
                return self._at(found)
        return self._local(self._next_open(to_instant(at, "at"), at))

    def _next_open(self, instant: int, at: datetime) -> int:
        return self._solve(instant, at, True, lambda cov: cov.last_at(cov.open_before(instant)))

    def next_close(self, at: datetime) -> datetime:
        """The close ending the open run at or after ``at``.

        Raises :class:`~itilkit.errors.CalendarError` when the calendar never
        closes again (24x7 with no holidays ahead).
        """
        fast = self._window(at)
        if fast is not None:
            window = fast[1]
            opening = window.last_at(window.open_before(fast[2]))
            close = None if opening is None else window.run_end(opening)
            if close is not None:
                return self._at(close)
        opening_instant = self._next_open(to_instant(at, "at"), at)
        return self._local(self._run_end(opening_instant, None, at))

    def previous_close(self, at: datetime) -> datetime:
        """``at`` if business time runs up to it (inside an open run or at its close),
        else the latest close before ``at``: the peers' "previous business time".

        Raises :class:`~itilkit.errors.NoBusinessTimeError` when the calendar
        was never open before ``at``.

        .. versionadded:: 0.2
        """
        fast = self._window(at)
        if fast is not None:
            window = fast[1]
            value = window.open_before(fast[2])
            if value > window.reached[0]:
                found = window.first_reaching(value)
                if found is not None:
                    return self._at(found)
        return self._local(self._previous_close(to_instant(at, "at"), at))

    def _previous_close(self, instant: int, at: datetime) -> int:
        return self._solve(
            instant, at, False, lambda cov: cov.first_reaching(cov.open_before(instant))
        )

    def previous_open(self, at: datetime) -> datetime:
        """The opening of the open run holding ``at``, or of the last run before it.

        An opening itself is its own previous opening (openings are open).
        Raises :class:`~itilkit.errors.CalendarError` when the open run holding
        ``at`` never began (24x7 with no closure before it).

        .. versionadded:: 0.2
        """
        fast = self._window(at)
        if fast is not None:
            window, value = fast[1], fast[2]
            if window.is_open(value):
                found = window.run_start(value + ONE_MICROSECOND)
            elif window.open_before(value) > window.reached[0]:
                close = window.first_reaching(window.open_before(value))
                found = None if close is None else window.run_start(close)
            else:
                found = None
            if found is not None:
                return self._at(found)
        instant = to_instant(at, "at")
        coverage = self._covering(instant, instant, at)
        edge = instant + 1 if coverage.is_open(instant) else self._previous_close(instant, at)
        try:
            return self._local(self._solve(edge, at, False, lambda cov: cov.run_start(edge)))
        except NoBusinessTimeError:
            raise CalendarError(f"the calendar never opened before {at.isoformat()}") from None

    def _run_end(self, opening: int, limit: int | None, at: datetime) -> int:
        try:
            return self._solve(opening, at, True, lambda cov: cov.run_end(opening, limit))
        except (NeverCloses, NoBusinessTimeError):
            raise CalendarError(f"the calendar never closes after {at.isoformat()}") from None

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open runs within ``[start, end)``, clipped to it, in order."""
        first, last = to_instant(start, "start"), to_instant(end, "end")
        if last < first:
            raise InvalidIntervalError(
                plain(start, "start"), plain(end, "end"), "open_intervals range"
            )
        self._covering(first, last, start, end)
        return self._runs(first, last, start)

    def _runs(self, first: int, last: int, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        while first < last:
            coverage = self._timeline.covering(first, last)
            if coverage.open_before(last) == coverage.open_before(first):
                return
            opening = self._next_open(first, at)
            close = min(self._run_end(opening, last, at), last)
            yield self._local(opening), self._local(close)
            first = close

    # -- local wall times and business days -----------------------------------------

    def resolve_local(self, day: date, wall: time) -> datetime:
        """The instant the calendar's zone shows ``wall`` on ``day``, by the calendar's rule.

        The rule, which openings and closes follow too: the **earliest instant at
        which the zone's clock reads** ``wall`` **or later**. A wall time skipped
        by a DST gap resolves to the change itself (when the clocks jump past
        it); a wall time repeated by a fold resolves to its first occurrence.

        .. versionadded:: 0.2
        """
        if isinstance(day, datetime) or not isinstance(day, date):
            raise InvalidInputError(f"day must be a date, got {type(day).__name__}")
        if not isinstance(wall, time) or wall.tzinfo is not None:
            raise InvalidInputError(
                f"wall must be a local time without tzinfo, got {clipped(wall)}"
            )
        point = day_of(day) * DAY + _wall_micros(wall)
        if not LOWEST <= point <= HIGHEST:
            raise outside(datetime.combine(day, wall, UTC))
        coverage = self._timeline.covering(point - 2 * DAY, point + 2 * DAY)
        return self._local(coverage.resolve(point))

    def is_business_day(self, day: date) -> bool:
        """Whether ``day`` (a local date, or the local date of an aware datetime) owns a shift.

        A business day is a date on which at least one shift *opens*, after
        holidays and overrides: a holiday is not one, an override with hours
        is. The hours after midnight of an overnight shift belong to the day
        it opened on.

        .. versionadded:: 0.2
        """
        number = self._day_number(day)
        coverage = self._timeline.covering(number * DAY, number * DAY)
        return coverage.day_counts.is_business(number)

    def _day_number(self, day: date) -> int:
        if isinstance(day, datetime):
            instant = to_instant(day, "day")
            coverage = self._covering(instant, instant, day)
            return coverage.wall(instant) // DAY
        if not isinstance(day, date):
            raise InvalidInputError(f"day must be a date, got {type(day).__name__}")
        number = day_of(day)
        if not LOWEST <= number * DAY <= HIGHEST:
            raise outside(datetime.combine(day, time(), UTC))
        return number

    def add_business_days(
        self, start: datetime, days: int, landing: Landing | time = Landing.SAME_TIME
    ) -> datetime:
        """The ``landing`` of the ``days``-th business day after ``start``'s local date.

        ``landing`` is :attr:`Landing.SAME_TIME` (the local time of ``start``),
        :attr:`Landing.OPENING` (the start of that day's first shift),
        :attr:`Landing.CLOSE` (the end of its last shift) or a local ``time``;
        each resolved by :meth:`resolve_local`. Days are counted on dates:
        Friday + 1 and Saturday + 1 are both Monday. With ``days=0`` the result
        is the landing on ``start``'s own date if that is a business day and
        the landing is not before ``start``, else on the next business day.

        .. versionadded:: 0.2
        """
        instant, count, how = to_instant(start, "start"), _count(days), _landing(landing)

        def find(coverage: Coverage) -> int:
            counts = coverage.day_counts
            wall = coverage.wall(instant)
            day = wall // DAY
            if count:
                return self._land(
                    coverage, counts.nth(counts.before(day + 1) + count - 1), how, wall
                )
            found = self._land(coverage, counts.nth(counts.before(day)), how, wall)
            if found < instant:
                found = self._land(coverage, counts.nth(counts.before(day) + 1), how, wall)
            return found

        return self._local(self._solve(instant, start, True, find))

    def subtract_business_days(
        self, end: datetime, days: int, landing: Landing | time = Landing.SAME_TIME
    ) -> datetime:
        """The ``landing`` of the ``days``-th business day before ``end``'s local date.

        The mirror of :meth:`add_business_days`: with ``days=0`` the result is
        the landing on ``end``'s own date if that is a business day and the
        landing is not after ``end``, else on the previous business day.

        .. versionadded:: 0.2
        """
        instant, count, how = to_instant(end, "end"), _count(days), _landing(landing)

        def find(coverage: Coverage) -> int:
            counts = coverage.day_counts
            wall = coverage.wall(instant)
            day = wall // DAY
            if count:
                return self._land(coverage, counts.nth(counts.before(day) - count), how, wall)
            if counts.is_business(day):
                found = self._land(coverage, day, how, wall)
                if found <= instant:
                    return found
            return self._land(coverage, counts.nth(counts.before(day) - 1), how, wall)

        return self._local(self._solve(instant, end, False, find))

    def business_days_between(self, start: datetime, end: datetime) -> int:
        """How many business days have passed from ``start`` to ``end``.

        The largest ``n`` with ``add_business_days(start, n) <= end`` (0 if
        none); ``end`` before ``start`` raises.

        .. versionadded:: 0.2
        """
        first, last = to_instant(start, "start"), to_instant(end, "end")
        if last < first:
            raise InvalidIntervalError(
                plain(start, "start"), plain(end, "end"), "business_days_between interval"
            )
        coverage = self._covering(first - 2 * DAY, last + 2 * DAY, start, end)
        counts = coverage.day_counts
        wall = coverage.wall(first)
        after = counts.before(wall // DAY + 1)
        passed = counts.before(coverage.wall(last) // DAY + 1) - after
        if (
            passed
            and self._land(coverage, counts.nth(after + passed - 1), Landing.SAME_TIME, wall) > last
        ):
            passed -= 1
        return passed

    @staticmethod
    def _land(coverage: Coverage, day: int, landing: Landing | time, wall: int) -> int:
        """The instant of ``landing`` on business ``day`` (``wall``: the reference reading)."""
        if not coverage.lo // DAY + 2 <= day <= coverage.hi // DAY - 3:
            raise OutOfCoverage
        if landing is Landing.SAME_TIME:
            return coverage.resolve(day * DAY + wall % DAY)
        if isinstance(landing, time):
            return coverage.resolve(day * DAY + _wall_micros(landing))
        spans = coverage.own_spans(day)  # sorted by opening; an extra shift may nest
        return coverage.resolve(
            day * DAY
            + (spans[0][0] if landing is Landing.OPENING else max(end for _, end in spans))
        )


def _positional(values: Sequence[datetime]) -> Sequence[datetime]:
    """A pandas ``Series`` as its array (indexed by position, not by label)."""
    if type(values).__module__.partition(".")[0] == "pandas" and hasattr(values, "iloc"):
        return values.array  # type: ignore[attr-defined,no-any-return]
    return values


def _vector_sinces(values: Sequence[datetime]) -> list[timedelta] | None:
    """``value - EPOCH`` of each value of a pandas array or index of aware datetimes
    without a missing one, converted in one step (microseconds, floored as a
    ``Timestamp``'s fields are); ``None`` for anything else."""
    if type(values).__module__.partition(".")[0] != "pandas":
        return None
    if getattr(getattr(values, "dtype", None), "tz", None) is None:
        return None
    try:
        if values.isna().any():  # type: ignore[attr-defined]
            return None
        utc = values.to_numpy(dtype="datetime64[us]")  # type: ignore[attr-defined]
        # numpy's datetime64[us] differences list as datetime.timedelta values.
        found = (utc - utc.dtype.type("0001-01-01T00:00:00", "us")).tolist()
    except (AttributeError, TypeError, ValueError, OverflowError):
        return None
    return found if found and type(found[0]) is timedelta else None


def _sinces(values: Sequence[datetime], name: str) -> list[timedelta]:
    """``value - EPOCH`` of each value; an aware pandas ``Timestamp`` is read from its
    nanoseconds (a pandas array or index of them in one step), any other
    ``datetime`` subclass as :func:`~itilkit.sla._instants.plain` reads it. A naive
    value raises ``TypeError`` (the caller then names it)."""
    vector = _vector_sinces(values)
    if vector is not None:
        return vector
    if all(type(value) is datetime for value in values):
        return list(map(sub, values, repeat(EPOCH)))
    found: list[timedelta] = []
    for index, value in enumerate(values):
        if type(value) is datetime:
            found.append(value - EPOCH)
            continue
        if not isinstance(value, datetime):
            raise TypeError
        since_ = timestamp_since(value)
        found.append(plain(value, f"{name}[{index}]") - EPOCH if since_ is None else since_)
    return found
