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

from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from typing import Protocol

from itilkit.sla._calendar import BusinessCalendar
from itilkit.sla._instants import LONGEST, since
from itilkit.sla._timeline import Coverage, NoOpenTime, OutOfCoverage
from itilkit.sla._window import WINDOW_SHIFT, Window
from itilkit.sla._zone import EPOCH, ONE_MICROSECOND

__all__ = ["CalendarLine", "Line", "TableLine", "line_for"]


class _Calendar(Protocol):
    def add(self, start: datetime, duration: timedelta) -> datetime: ...
    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...
    def is_open(self, at: datetime) -> bool: ...
    def next_open(self, at: datetime) -> datetime: ...


class Line(Protocol):
    """What measuring a cycle asks: instants in, UTC instants out.

    ``values(points)`` gives business time since a fixed origin at each point
    (``F``), or ``None`` when the line has no such function; where a caller
    passes ``value``, it is ``F(start)`` from that list.
    """

    def values(self, points: list[datetime]) -> list[timedelta] | None: ...
    def elapsed(self, start: datetime, end: datetime) -> timedelta: ...
    def add(
        self, start: datetime, duration: timedelta, value: timedelta | None = None
    ) -> datetime: ...
    def first_open_after(
        self, start: datetime, duration: timedelta, value: timedelta | None = None
    ) -> datetime: ...


class CalendarLine:
    """The public methods of any SLA calendar, results in UTC."""

    __slots__ = ("calendar",)

    def __init__(self, calendar: _Calendar) -> None:
        self.calendar = calendar

    def values(self, points: list[datetime]) -> None:
        """None: a calendar of the host's own is asked for each piece."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time from ``start`` to ``end``."""
        return self.calendar.elapsed(start, end)

    def add(self, start: datetime, duration: timedelta, value: timedelta | None = None) -> datetime:
        """Where ``duration`` of business time after ``start`` runs out, in UTC."""
        return self.calendar.add(start, duration).astimezone(UTC)

    def first_open_after(
        self, start: datetime, duration: timedelta, value: timedelta | None = None
    ) -> datetime:
        """The first business instant once ``duration`` after ``start`` is used up."""
        at = self.calendar.add(start, duration)
        return (at if self.calendar.is_open(at) else self.calendar.next_open(at)).astimezone(UTC)


class TableLine:
    """``F`` and its inverses from one coverage of a business calendar.

    The points given to :meth:`values` must be plain aware datetimes within the
    coverage (the SLA engine builds the line for the span of its instants).
    """

    __slots__ = ("_last", "coverage", "fallback")

    def __init__(self, coverage: Coverage, fallback: CalendarLine) -> None:
        self.coverage, self.fallback = coverage, fallback
        #: The window the last inverse was found in (the next is usually there too).
        self._last: Window | None = None

    def values(self, points: list[datetime]) -> list[timedelta]:
        """``F`` at each of ``points``: a bisection in a window table each."""
        coverage = self.coverage
        built = coverage.windows
        found: list[timedelta] = []
        append = found.append
        window = None
        for at in points:
            offset = at - EPOCH
            index = offset.days >> WINDOW_SHIFT
            window = built.get(index) or coverage.window(index)
            if window is None:
                append(ONE_MICROSECOND * coverage.open_before(offset // ONE_MICROSECOND))
                continue
            piece = bisect_right(window.starts, offset)
            value = offset + window.shifts[piece]
            reached = window.reached[piece]
            append(value if value < reached else reached)
        if window is not None:
            self._last = window
        return found

    def _f(self, at: datetime) -> timedelta | None:
        """``F(at)``, or ``None`` where ``at`` lies outside the coverage."""
        offset = since(at)
        if offset is None or not (
            self.coverage.t_lo <= offset // ONE_MICROSECOND <= self.coverage.t_hi
        ):
            return None
        return self.values([at])[0]

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """``F(end) - F(start)``."""
        first, last = self._f(start), self._f(end)
        if first is None or last is None:
            return self.fallback.elapsed(start, end)
        return last - first

    def _reaching(self, amount: timedelta) -> timedelta | None:
        window = self._last
        if window is None or not window.reached[0] < amount <= window.reached[-1]:
            window = self.coverage.window_reaching(amount)
            if window is not None:
                self._last = window
        reached = None if window is None else window.first_reaching(amount)
        if reached is None:
            try:
                reached = ONE_MICROSECOND * self.coverage.first_reaching(amount // ONE_MICROSECOND)
            except (OutOfCoverage, NoOpenTime):
                return None
        return reached

    def _amount(
        self, start: datetime, duration: timedelta, value: timedelta | None
    ) -> timedelta | None:
        """``F(start) + duration`` (``value`` is ``F(start)`` when known), or ``None``
        where the tables cannot answer (the calendar's own methods then do)."""
        if value is None:
            value = self._f(start)
        return None if value is None or duration > LONGEST else value + duration

    def add(self, start: datetime, duration: timedelta, value: timedelta | None = None) -> datetime:
        """The earliest instant with ``F == F(start) + duration`` (``start`` if zero)."""
        if duration <= _ZERO:
            return start
        amount = self._amount(start, duration, value)
        reached = None if amount is None else self._reaching(amount)
        return self.fallback.add(start, duration) if reached is None else EPOCH + reached

    def first_open_after(
        self, start: datetime, duration: timedelta, value: timedelta | None = None
    ) -> datetime:
        """The latest instant with ``F == F(start) + duration``: the next opening, or it."""
        amount = self._amount(start, duration, value)
        if amount is None:
            return self.fallback.first_open_after(start, duration)
        window = self._last
        if window is None or not window.reached[0] <= amount < window.reached[-1]:
            window = self.coverage.window_leaving(amount)
        left = None if window is None else window.last_at(amount)
        if left is None:
            try:
                left = ONE_MICROSECOND * self.coverage.last_at(amount // ONE_MICROSECOND)
            except (OutOfCoverage, NoOpenTime):
                return self.fallback.first_open_after(start, duration)
        return EPOCH + left


_ZERO = timedelta(0)


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
