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

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from itertools import repeat
from operator import lt, sub
from typing import cast
from zoneinfo import ZoneInfo

import attrs

from itilkit._time import require_aware
from itilkit.errors import (
    CalendarError,
    InvalidCalendarError,
    InvalidInputError,
    InvalidIntervalError,
    NoBusinessTimeError,
)
from itilkit.sla._holidays import DateOverride, Holidays
from itilkit.sla._plans import DayPlans
from itilkit.sla._schedule import SECOND, WeeklySchedule
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


def _to_overrides(value: Iterable[DateOverride]) -> tuple[DateOverride, ...]:
    items = tuple(value)
    try:
        return tuple(sorted(items, key=lambda override: override.day))
    except (AttributeError, TypeError):
        return items  # left for validation to describe


def _zone_problems(key: object) -> list[str]:
    if not isinstance(key, str):
        return [f"zone must be an IANA zone name such as 'Europe/London', got {key!r}"]
    try:
        ZoneInfo(key)
    except (ValueError, LookupError):
        return [f"unknown time zone {key!r}; use an IANA zone name such as 'Europe/London'"]
    return []


def _part_problems(schedule: object, holidays: object, overrides: tuple[object, ...]) -> list[str]:
    found: list[str] = []
    if isinstance(schedule, WeeklySchedule):
        found.extend(schedule.problems())
    else:
        found.append(f"schedule must be a WeeklySchedule, got {type(schedule).__name__}")
    if not isinstance(holidays, Holidays):
        found.append(f"holidays must be a Holidays value, got {type(holidays).__name__}")
    seen: set[object] = set()
    for override in overrides:
        if not isinstance(override, DateOverride):
            found.append(f"overrides must be DateOverride values, got {type(override).__name__}")
            continue
        found.extend(override.problems())
        if override.day in seen:
            found.append(f"more than one override for {override.day}")
        seen.add(override.day)
    return found


_ZERO = timedelta(0)
#: Longer than every supported year together: no calendar reaches it (the general path raises).
_LONGEST = timedelta(days=366 * LAST_YEAR)
#: The bulk form joins this many windows (more when there are over 512 pairs per window).
_BULK_WINDOWS = 4


def _duration(value: timedelta, name: str = "duration") -> int:
    if not isinstance(value, timedelta):
        raise InvalidInputError(f"{name} must be a timedelta, got {type(value).__name__}")
    if value < _ZERO:
        raise InvalidInputError(
            f"{name} must not be negative, got {value}; use subtract() to go back in time"
        )
    return value // ONE_MICROSECOND


def _instant(value: datetime, name: str) -> int:
    """Microseconds since 0001-01-01 UTC; naive or non-datetime values raise."""
    try:
        return (value - EPOCH) // ONE_MICROSECOND
    except TypeError:
        require_aware(value, name)
        raise


def _outside(at: datetime) -> InvalidInputError:
    return InvalidInputError(
        f"{at.isoformat()} is outside the supported years {FIRST_YEAR + 1} to {LAST_YEAR - 1}"
    )


def _since(value: object) -> timedelta | None:
    """``value - EPOCH`` for an aware datetime; ``None`` for anything the slow path checks."""
    try:
        since = value - EPOCH  # type: ignore[operator]
    except TypeError:
        return None
    return since if type(since) is timedelta else None


@attrs.frozen
class BusinessCalendar:
    """A zone, weekly hours, holidays and per-date overrides, with business-time arithmetic.

    Built values are checked at once: every problem (unknown zone, overlapping
    or backwards shifts, bad holiday rules, duplicate overrides) is listed in
    one :class:`~itilkit.errors.InvalidCalendarError`.

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
        problems = _zone_problems(self.zone) + _part_problems(
            self.schedule, self.holidays, self.overrides
        )
        if problems:
            raise InvalidCalendarError(problems)
        object.__setattr__(self, "_zoneinfo", ZoneInfo(self.zone))
        plans = DayPlans(self.schedule, self.holidays, self.overrides)
        object.__setattr__(self, "_timeline", Timeline(plans, self.zone))

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

    def _covering(
        self, first: int, last: int, at: datetime, last_at: datetime | None = None
    ) -> Coverage:
        """Tables covering ``first`` (given as ``at``) to ``last`` (``last_at``, if given)."""
        try:
            return self._timeline.covering(first, last)
        except OutOfCoverage:
            raise _outside(last_at if last_at is not None and supported(first) else at) from None

    def _solve(
        self, instant: int, at: datetime, forward: bool, find: Callable[[Coverage], int]
    ) -> int:
        coverage = self._covering(instant, instant, at)
        try:
            while True:
                try:
                    return find(coverage)
                except OutOfCoverage:
                    coverage = self._timeline.extended(coverage, forward, instant)
        except NoOpenTime:
            raise NoBusinessTimeError(at, "after" if forward else "before") from None

    # -- operations ---------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant by which ``duration`` of business time has passed.

        A budget ending exactly at a close returns the close; a zero duration
        returns ``start`` (in the calendar's zone), even outside business hours.
        """
        coverage = self._timeline.current
        if coverage is not None and type(duration) is timedelta and _ZERO < duration < _LONGEST:
            since = _since(start)
            window = None if since is None else coverage.window(since.days >> WINDOW_SHIFT)
            if window is not None and since is not None:
                target = window.open_before(since) + duration
                reached = window.first_reaching(target)
                if reached is None:  # a long budget: find the window it ends in
                    further = coverage.window_reaching(target)
                    reached = None if further is None else further.first_reaching(target)
                if reached is not None:
                    return (EPOCH + reached).astimezone(self._zoneinfo)
                try:
                    return self._local(coverage.first_reaching(target // ONE_MICROSECOND))
                except (OutOfCoverage, NoOpenTime):
                    pass  # the general path below grows the tables or raises
        instant, amount = _instant(start, "start"), _duration(duration)
        if not amount:
            return self._local(instant)
        if coverage is not None and coverage.t_lo <= instant <= coverage.t_hi:
            try:
                return self._local(coverage.first_reaching(coverage.open_before(instant) + amount))
            except (OutOfCoverage, NoOpenTime):
                pass  # the general path below grows the tables or raises
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
        instant, amount = _instant(end, "end"), _duration(duration)
        if not amount:
            return self._local(instant)
        coverage = self._timeline.current
        if coverage is not None and coverage.t_lo <= instant <= coverage.t_hi:
            try:
                return self._local(coverage.last_at(coverage.open_before(instant) - amount))
            except (OutOfCoverage, NoOpenTime):
                pass  # the general path below grows the tables or raises
        return self._local(
            self._solve(
                instant,
                end,
                False,
                lambda cov: cov.last_at(cov.open_before(instant) - amount),
            )
        )

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``; ``end`` before ``start`` raises."""
        coverage = self._timeline.current
        since, until = _since(start), _since(end)
        if coverage is not None and since is not None and until is not None and since <= until:
            before = coverage.window(since.days >> WINDOW_SHIFT)
            after = coverage.window(until.days >> WINDOW_SHIFT)
            if before is not None and after is not None:
                return after.open_before(until) - before.open_before(since)
        first, last = _instant(start, "start"), _instant(end, "end")
        if last < first:
            raise InvalidIntervalError(start, end, "elapsed interval")
        if coverage is None or not (coverage.t_lo <= first and last <= coverage.t_hi):
            coverage = self._covering(first, last, start, end)
        return ONE_MICROSECOND * (coverage.open_before(last) - coverage.open_before(first))

    def elapsed_many(self, starts: Sequence[datetime], ends: Sequence[datetime]) -> list[timedelta]:
        """:meth:`elapsed` of each ``(starts[i], ends[i])`` pair, in one pass."""
        if len(starts) != len(ends):
            raise InvalidInputError(
                f"starts and ends must have the same length, got {len(starts)} and {len(ends)}"
            )
        if not starts:
            return []
        try:
            sinces = list(map(sub, starts, repeat(EPOCH)))
            untils = list(map(sub, ends, repeat(EPOCH)))
        except TypeError:
            sinces = untils = []
        if {*map(type, sinces), *map(type, untils)} != {timedelta}:
            return self._elapsed_many_checked(starts, ends)
        if any(map(lt, untils, sinces)):
            self._reject_reversed(list(map(lt, untils, sinces)), starts, ends)
        first, last = min(sinces), max(untils)
        lo, hi = first // ONE_MICROSECOND, last // ONE_MICROSECOND
        if not supported(lo):
            raise _outside(starts[sinces.index(first)])
        if not supported(hi):
            raise _outside(ends[untils.index(last)])
        coverage = self._covering(lo, hi, starts[0])
        low, high = first.days >> WINDOW_SHIFT, last.days >> WINDOW_SHIFT
        if high - low < max(_BULK_WINDOWS, len(sinces) >> 9):
            windows = [coverage.window(index) for index in range(low, high + 1)]
            if all(windows):
                return Window.joined(cast(list[Window], windows)).elapsed_many(sinces, untils)
        firsts = [since // ONE_MICROSECOND for since in sinces]
        lasts = [until // ONE_MICROSECOND for until in untils]
        return self._elapsed_many_on(coverage, firsts, lasts)

    def _elapsed_many_checked(
        self, starts: Sequence[datetime], ends: Sequence[datetime]
    ) -> list[timedelta]:
        """The bulk form for inputs other than plain aware datetimes (checked one by one)."""
        firsts = [_instant(value, f"starts[{index}]") for index, value in enumerate(starts)]
        lasts = [_instant(value, f"ends[{index}]") for index, value in enumerate(ends)]
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

    def is_open(self, at: datetime) -> bool:
        """Whether ``at`` is business time (an opening is open, a close is not)."""
        instant = _instant(at, "at")
        return self._covering(instant, instant, at).is_open(instant)

    def _next_open(self, instant: int, at: datetime) -> int:
        return self._solve(instant, at, True, lambda cov: cov.last_at(cov.open_before(instant)))

    def next_open(self, at: datetime) -> datetime:
        """``at`` if it is open, else the next opening."""
        return self._local(self._next_open(_instant(at, "at"), at))

    def next_close(self, at: datetime) -> datetime:
        """The close ending the open run at or after ``at``.

        Raises :class:`~itilkit.errors.CalendarError` when the calendar never
        closes again (24x7 with no holidays ahead).
        """
        opening = self._next_open(_instant(at, "at"), at)
        return self._local(self._run_end(opening, None, at))

    def _run_end(self, opening: int, limit: int | None, at: datetime) -> int:
        try:
            return self._solve(opening, at, True, lambda cov: cov.run_end(opening, limit))
        except (NeverCloses, NoBusinessTimeError):
            raise CalendarError(f"the calendar never closes after {at.isoformat()}") from None

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The open runs within ``[start, end)``, clipped to it, in order."""
        first, last = _instant(start, "start"), _instant(end, "end")
        if last < first:
            raise InvalidIntervalError(start, end, "open_intervals range")
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
