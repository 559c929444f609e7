"""Business time over one window of instants, as a table of open pieces.

The hot paths (``add``, ``elapsed``, ``elapsed_many``) work on ``t - EPOCH``
timedeltas, which an aware datetime yields in one cheap subtraction, instead of
integer microseconds, whose conversion costs more than the rest of the
arithmetic. A :class:`Window` covers :data:`WINDOW_DAYS` days of instants
(window ``i`` holds the instants whose ``(t - EPOCH).days >> WINDOW_SHIFT`` is
``i``) and lists their open *pieces*: one per open span of each local date within
each stretch of constant UTC offset, clipped to the window. Business time
``F`` rises one for one inside a piece and is flat between pieces, so with
``k`` the last piece starting at or before ``t``::

    F(t) = min(t + shift[k], reached[k])

where ``shift[k]`` is ``F`` minus the instant at the piece's start and
``reached[k]`` is ``F`` at its end. Index 0 is a sentinel for the closed time
before the first piece. ``F`` comes from :meth:`Coverage.open_before`, so the
window agrees with it exactly and shares its origin: values from windows of
the same coverage may be subtracted.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import timedelta
from itertools import pairwise

from itilkit.sla._schedule import DAY
from itilkit.sla._zone import ONE_MICROSECOND

#: A window spans ``1 << WINDOW_SHIFT`` days of instants.
WINDOW_SHIFT = 8
WINDOW_DAYS = 1 << WINDOW_SHIFT
WINDOW = WINDOW_DAYS * DAY


class Window:
    """The open pieces of one window of instants, with ``F`` at their ends."""

    __slots__ = ("opened", "reached", "run_ends", "run_starts", "shifts", "starts")

    def __init__(
        self, starts: list[timedelta], shifts: list[timedelta], reached: list[timedelta]
    ) -> None:
        self.starts, self.shifts, self.reached = starts, shifts, reached
        #: ``F`` at each piece's start, and where the open run holding each piece
        #: starts and ends (``None`` where it may reach past the window); filled by
        #: :meth:`build` (a joined table only measures).
        self.opened: list[timedelta] = []
        self.run_starts: list[timedelta | None] = []
        self.run_ends: list[timedelta | None] = []

    @classmethod
    def build(
        cls, pieces: list[tuple[int, int]], lo: int, hi: int, open_before: Callable[[int], int]
    ) -> Window:
        """Tables for ``pieces`` (instant spans in ``[lo, hi)``, in order), ``F`` given."""
        first = open_before(lo)
        starts = [ONE_MICROSECOND * start for start, _ in pieces]
        shifts = [ONE_MICROSECOND * (first - lo)]
        reached = [ONE_MICROSECOND * first]
        for start, end in pieces:
            value = open_before(start)
            shifts.append(ONE_MICROSECOND * (value - start))
            reached.append(ONE_MICROSECOND * (value + end - start))
        window = cls(starts, shifts, reached)
        window.opened = [start + shift for start, shift in zip(starts, shifts[1:], strict=True)]
        run_starts: list[int | None] = []
        for index, (start, _) in enumerate(pieces):
            touching = index and pieces[index - 1][1] == start
            run_starts.append(run_starts[-1] if touching else start)
        run_ends: list[int | None] = [None] * len(pieces)
        run_end: int | None = None
        for index in range(len(pieces) - 1, -1, -1):
            if index + 1 == len(pieces) or pieces[index][1] != pieces[index + 1][0]:
                run_end = pieces[index][1]
            run_ends[index] = run_end
        if pieces and pieces[0][0] == lo:  # the first run may have started before the window
            run_starts = [None if value == lo else value for value in run_starts]
        if pieces and pieces[-1][1] == hi:  # the last run may go on after it
            run_ends = [None if value == hi else value for value in run_ends]
        window.run_starts = [None if v is None else ONE_MICROSECOND * v for v in run_starts]
        window.run_ends = [None if v is None else ONE_MICROSECOND * v for v in run_ends]
        return window

    @classmethod
    def joined(cls, windows: list[Window]) -> Window:
        """One table for consecutive windows of the same coverage (for measuring only).

        ``F`` is flat between pieces, so a window's sentinel equals ``F`` at
        the end of the previous window's last piece: only the first is kept.
        """
        first = windows[0]
        starts, shifts, reached = list(first.starts), list(first.shifts), list(first.reached)
        for window in windows[1:]:
            starts.extend(window.starts)
            shifts.extend(window.shifts[1:])
            reached.extend(window.reached[1:])
        return cls(starts, shifts, reached)

    def open_before(self, since: timedelta) -> timedelta:
        """``F`` at the instant ``EPOCH + since`` (which must lie in the window)."""
        index = bisect_right(self.starts, since)
        value = since + self.shifts[index]
        reached = self.reached[index]
        return value if value < reached else reached

    def first_reaching(self, amount: timedelta) -> timedelta | None:
        """The earliest instant (since EPOCH) with ``F == amount``, if in the window.

        ``amount`` must exceed ``F`` at the window's start.
        """
        index = bisect_left(self.reached, amount)
        if index == len(self.reached):
            return None
        return amount - self.shifts[index]

    def last_at(self, amount: timedelta) -> timedelta | None:
        """The latest instant (since EPOCH) with ``F == amount``, if in the window."""
        index = bisect_right(self.opened, amount)
        if not index:
            return None
        if amount < self.reached[index]:
            return amount - self.shifts[index]
        return self.starts[index] if index < len(self.starts) else None

    def is_open(self, since: timedelta) -> bool:
        """Whether the instant ``EPOCH + since`` (in the window) is business time."""
        index = bisect_right(self.starts, since)
        return bool(index) and since + self.shifts[index] < self.reached[index]

    def run_end(self, since: timedelta) -> timedelta | None:
        """The close of the open run holding ``since`` (open), if in the window."""
        return self.run_ends[bisect_right(self.starts, since) - 1]

    def run_start(self, since: timedelta) -> timedelta | None:
        """The opening of the open run holding ``since`` (open), if in the window."""
        return self.run_starts[bisect_right(self.starts, since) - 1]

    def elapsed_many(self, sinces: list[timedelta], untils: list[timedelta]) -> list[timedelta]:
        """``F(until) - F(since)`` of each pair, all inside the window."""
        starts, shifts, reached = self.starts, self.shifts, self.reached
        results: list[timedelta] = []
        append = results.append
        for since, until in zip(sinces, untils, strict=True):
            before, after = bisect_right(starts, since), bisect_right(starts, until)
            low, low_end = since + shifts[before], reached[before]
            high, high_end = until + shifts[after], reached[after]
            append((high if high < high_end else high_end) - (low if low < low_end else low_end))
        return results


def open_pieces(
    lo: int,
    hi: int,
    changes: list[int],
    offsets: list[int],
    spans_of: Callable[[int], tuple[tuple[int, int], ...]],
) -> list[tuple[int, int]]:
    """The open instant spans in ``[lo, hi)``, in order.

    ``changes`` are the instants where the offset changes and ``offsets`` the
    offset before, between and after them; ``spans_of(day)`` gives the open
    wall spans of a local date (including the previous date's overnight tail).
    """
    pieces: list[tuple[int, int]] = []
    bounds = [lo, *(at for at in changes if lo < at < hi), hi]
    first = bisect_right(changes, lo)
    for segment, (begin, stop) in enumerate(pairwise(bounds)):
        offset = offsets[first + segment]
        day = (begin + offset) // DAY
        while day * DAY < stop + offset:
            base = day * DAY - offset
            for start, end in spans_of(day):
                start, end = max(base + start, begin), min(base + end, stop)
                if start < end:
                    pieces.append((start, end))
            day += 1
    return pieces
