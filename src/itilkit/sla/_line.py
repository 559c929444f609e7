"""Business time along one cycle: ``elapsed`` and ``add`` answered from one table.

The SLA clock asks a calendar the same few questions many times over one
span: the business time between event instants, and where a budget runs out.
For a :class:`~itilkit.sla.BusinessCalendar` a :class:`TableLine` answers them
from the calendar's own tables: ``F`` (business time since a fixed origin) at
each event instant once, differences of ``F`` for ``elapsed``, the inverse of
``F`` for ``add``; results are built in UTC directly. Any other
:class:`~itilkit.sla.SlaCalendar` (and any question the tables do not cover)
goes to the calendar's public methods (:class:`CalendarLine`), which give the
same answers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from itilkit.sla._calendar import BusinessCalendar
from itilkit.sla._instants import LONGEST, since
from itilkit.sla._timeline import Coverage, NoOpenTime, OutOfCoverage
from itilkit.sla._window import WINDOW_SHIFT
from itilkit.sla._zone import EPOCH, ONE_MICROSECOND

__all__ = ["CalendarLine", "Line", "TableLine", "line_for"]


class _Calendar(Protocol):
    def add(self, start: datetime, duration: timedelta) -> datetime: ...
    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...
    def is_open(self, at: datetime) -> bool: ...
    def next_open(self, at: datetime) -> datetime: ...


class Line(Protocol):
    """What measuring a cycle asks: instants in, UTC instants out."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...
    def add(self, start: datetime, duration: timedelta) -> datetime: ...
    def first_open_after(self, start: datetime, duration: timedelta) -> datetime: ...


class CalendarLine:
    """The public methods of any SLA calendar, results in UTC."""

    __slots__ = ("calendar",)

    def __init__(self, calendar: _Calendar) -> None:
        self.calendar = calendar

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time from ``start`` to ``end``."""
        return self.calendar.elapsed(start, end)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """Where ``duration`` of business time after ``start`` runs out, in UTC."""
        return self.calendar.add(start, duration).astimezone(UTC)

    def first_open_after(self, start: datetime, duration: timedelta) -> datetime:
        """The first business instant once ``duration`` after ``start`` is used up."""
        at = self.calendar.add(start, duration)
        return (at if self.calendar.is_open(at) else self.calendar.next_open(at)).astimezone(UTC)


class TableLine:
    """``F`` from one coverage of a business calendar, memoised per instant."""

    __slots__ = ("coverage", "fallback", "values")

    def __init__(self, coverage: Coverage, fallback: CalendarLine) -> None:
        self.coverage, self.fallback = coverage, fallback
        self.values: dict[datetime, timedelta] = {}

    def _f(self, at: datetime) -> timedelta | None:
        """``F(at)``, or ``None`` where ``at`` lies outside the coverage."""
        found = self.values.get(at)
        if found is None:
            offset = since(at)
            if offset is None:
                return None
            window = self.coverage.window(offset.days >> WINDOW_SHIFT)
            if window is not None:
                found = window.open_before(offset)
            else:
                micros = offset // ONE_MICROSECOND
                if not self.coverage.t_lo <= micros <= self.coverage.t_hi:
                    return None
                found = ONE_MICROSECOND * self.coverage.open_before(micros)
            self.values[at] = found
        return found

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """``F(end) - F(start)``."""
        first, last = self._f(start), self._f(end)
        if first is None or last is None:
            return self.fallback.elapsed(start, end)
        return last - first

    def _reaching(self, amount: timedelta) -> timedelta | None:
        window = self.coverage.window_reaching(amount)
        reached = None if window is None else window.first_reaching(amount)
        if reached is None:
            try:
                reached = ONE_MICROSECOND * self.coverage.first_reaching(amount // ONE_MICROSECOND)
            except (OutOfCoverage, NoOpenTime):
                return None
        return reached

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant with ``F == F(start) + duration`` (``start`` if zero)."""
        if duration <= timedelta(0):
            return start
        value = self._f(start)
        reached = None if value is None or duration > LONGEST else self._reaching(value + duration)
        return self.fallback.add(start, duration) if reached is None else EPOCH + reached

    def first_open_after(self, start: datetime, duration: timedelta) -> datetime:
        """The latest instant with ``F == F(start) + duration``: the next opening, or it."""
        value = self._f(start)
        if value is None or duration > LONGEST:
            return self.fallback.first_open_after(start, duration)
        amount = value + duration
        window = self.coverage.window_leaving(amount)
        left = None if window is None else window.last_at(amount)
        if left is None:
            try:
                left = ONE_MICROSECOND * self.coverage.last_at(amount // ONE_MICROSECOND)
            except (OutOfCoverage, NoOpenTime):
                return self.fallback.first_open_after(start, duration)
        return EPOCH + left


def line_for(calendar: object, first: datetime, last: datetime) -> Line:
    """The fastest line for ``calendar`` over the instants ``first`` to ``last``."""
    fallback = CalendarLine(calendar)  # type: ignore[arg-type]  # checked by SlaPolicy
    if type(calendar) is BusinessCalendar and since(first) is not None and since(last) is not None:
        try:
            coverage = calendar._timeline.covering(
                (first - EPOCH) // ONE_MICROSECOND, (last - EPOCH) // ONE_MICROSECOND
            )
        except OutOfCoverage:
            return fallback
        return TableLine(coverage, fallback)
    return fallback
