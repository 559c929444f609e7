"""Business time as a function of the instant, and its inverses.

Two axes, both in integer microseconds from 0001-01-01 00:00: *wall* time
(the calendar zone's clock reading) and *instants* (UTC). An instant is open
when its wall reading lies in an open span of that local date's profile.

``G(w)`` is the open time on the wall axis before ``w``: whole weeks times the
week's open time, plus the week table's prefix sum, plus the differences of the
exceptional dates before ``w`` (found by bisection). Real business time is
``F(t) = G(t + offset(t)) + C(t)``, where ``C`` sums, over the zone's offset
changes up to ``t``, the open wall time the clocks skipped (subtracted) or
repeated (added). Every operation is a few bisections, whatever the span.

A :class:`Coverage` holds these tables for a range of years; the
:class:`Timeline` grows it on demand.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from datetime import date, timedelta

from itilkit.sla._days import DayCounts
from itilkit.sla._plans import DayPlans, day_of
from itilkit.sla._profile import Profile
from itilkit.sla._schedule import DAY, WEEK
from itilkit.sla._window import WINDOW, Window, open_pieces
from itilkit.sla._zone import (
    FIRST_YEAR,
    LAST_YEAR,
    ONE_MICROSECOND,
    changes_between,
    offset_before,
)

#: A window's table is built on its this-many-th request.
WINDOW_BUILD_AFTER = 4


class OutOfCoverage(Exception):  # noqa: N818 - internal signal, never escapes the package
    """The answer lies outside the years covered so far."""


class NoOpenTime(Exception):  # noqa: N818 - internal signal, turned into NoBusinessTimeError
    """There is no open time in the direction asked.

    ``at_range_end`` is true when the search stopped at the end of the supported
    years rather than finding the calendar closed for good.
    """

    def __init__(self, at_range_end: bool = False) -> None:
        super().__init__(at_range_end)
        self.at_range_end = at_range_end


class NeverCloses(Exception):  # noqa: N818 - internal signal, turned into CalendarError
    """The open run never ends: around the clock, with no closure ahead."""


class Coverage:
    """Immutable tables of one range of years (local), for ``F`` and its inverses."""

    def __init__(self, plans: DayPlans, key: str, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, last_year
        lo_day = day_of(date(first_year, 1, 1))
        hi_day = day_of(date(last_year + 1, 1, 1))
        self.lo, self.hi = lo_day * DAY, hi_day * DAY
        #: Instants whose wall reading is safely inside the covered years.
        self.t_lo, self.t_hi = self.lo + 2 * DAY, self.hi - 2 * DAY
        self.week = plans.week
        self.week_total = plans.week.total
        # The week table, unpacked for the hot paths below.
        self.w_starts, self.w_ends = plans.week.starts, plans.week.ends
        self.w_cums, self.w_cum_ends = plans.week.cums, plans.week.cum_ends
        self.standard = plans.standard
        self.full_after = plans.full_after
        found, own = plans.exceptional(lo_day - 3, hi_day + 3)
        #: Days whose own shifts differ from their weekday's, with those shifts (sorted).
        self.own_plans = {day: tuple(sorted(spans)) for day, spans in own.items()}
        self.weekly = plans.weekly
        self._day_counts: DayCounts | None = None
        self.ex_days = [day for day, _ in found]
        self.ex_walls = [day * DAY for day, _ in found]
        self.ex_profiles = [profile for _, profile in found]
        self.ex_dcum = [0]
        for day, profile in found:
            self.ex_dcum.append(self.ex_dcum[-1] + profile.total - self.standard[day % 7].total)
        self.ex_k = [
            self._standard_before(day * DAY) + dcum
            for day, dcum in zip(self.ex_days, self.ex_dcum, strict=False)
        ]
        self.ex_kend = [k + p.total for k, p in zip(self.ex_k, self.ex_profiles, strict=True)]
        self._offset_changes(key)
        #: Windows built so far, by index (filled on demand; a race only builds one twice).
        self.windows: dict[int, Window] = {}
        #: How often each window not yet built was asked for.
        self._asked: dict[int, int] = {}
        #: The first whole window's index and ``F`` at each whole window's start (on demand).
        self._window_starts: tuple[int, list[timedelta]] | None = None

    def _offset_changes(self, key: str) -> None:
        changes = changes_between(key, self.first_year - 1, self.last_year + 1)
        self.tr_at = [at for at, _, _ in changes]
        #: The wall reading just before each change.
        self.tr_wall = [at + before for at, before, _ in changes]
        self.seg_off = [offset_before(key, self.first_year - 1)]
        self.seg_c = [0]
        self.tr_f = []
        for at, before, after in changes:
            skipped_or_repeated = self.wall_open_before(at + before) - self.wall_open_before(
                at + after
            )
            self.seg_off.append(after)
            self.seg_c.append(self.seg_c[-1] + skipped_or_repeated)
            self.tr_f.append(self.wall_open_before(at + after) + self.seg_c[-1])

    # -- the wall axis ---------------------------------------------------------

    def _standard_before(self, wall: int) -> int:
        weeks, rest = divmod(wall, WEEK)
        return weeks * self.week_total + self.week.open_before(rest)

    def wall_open_before(self, wall: int) -> int:
        """``G``: open wall time before ``wall`` (relative to a fixed origin)."""
        index = bisect_right(self.ex_walls, wall)
        if index and wall < self.ex_walls[index - 1] + DAY:
            day_start = self.ex_walls[index - 1]
            return self.ex_k[index - 1] + self.ex_profiles[index - 1].open_before(wall - day_start)
        weeks, rest = divmod(wall, WEEK)
        starts = self.w_starts
        span = bisect_right(starts, rest) - 1
        if span < 0:
            return weeks * self.week_total + self.ex_dcum[index]
        end = self.w_ends[span]
        within = self.w_cums[span] + (rest if rest < end else end) - starts[span]
        return weeks * self.week_total + within + self.ex_dcum[index]

    def _wall_first_reaching(self, amount: int) -> int:
        """The earliest wall time with ``amount`` open wall time before it."""
        index = bisect_left(self.ex_kend, amount)
        if index < len(self.ex_k) and self.ex_k[index] < amount:
            day = self.ex_days[index]
            return day * DAY + self.ex_profiles[index].first_reaching(amount - self.ex_k[index])
        total = self.week_total
        if not total:
            raise NoOpenTime
        weeks, rest = divmod(amount - self.ex_dcum[index], total)
        if not rest:
            weeks, rest = weeks - 1, total
        span = bisect_left(self.w_cum_ends, rest)
        return weeks * WEEK + self.w_starts[span] + rest - self.w_cums[span]

    def _wall_last_at(self, amount: int) -> int:
        """The latest wall time with ``amount`` open wall time before it."""
        index = bisect_right(self.ex_k, amount) - 1
        if index >= 0 and amount < self.ex_kend[index]:
            day = self.ex_days[index]
            return day * DAY + self.ex_profiles[index].last_at(amount - self.ex_k[index])
        if not self.week_total:
            raise NoOpenTime
        weeks, rest = divmod(amount - self.ex_dcum[index + 1], self.week_total)
        return weeks * WEEK + self.week.last_at(rest)

    def profile(self, day: int) -> Profile:
        """The open spans of a local date."""
        index = bisect_left(self.ex_days, day)
        if index < len(self.ex_days) and self.ex_days[index] == day:
            return self.ex_profiles[index]
        return self.standard[day % 7]

    def wall_is_open(self, wall: int) -> bool:
        """Whether a wall reading is open."""
        day = wall // DAY
        return self.profile(day).is_open(wall - day * DAY)

    # -- local dates and wall times --------------------------------------------

    @property
    def day_counts(self) -> DayCounts:
        """The business-day tables (built on first use; a race builds them twice)."""
        if self._day_counts is None:
            self._day_counts = DayCounts(self.weekly, self.own_plans.items())
        return self._day_counts

    def own_spans(self, day: int) -> tuple[tuple[int, int], ...]:
        """The shifts a local date owns, as wall spans from its midnight."""
        return self.own_plans.get(day, self.weekly[day % 7])

    def wall(self, instant: int) -> int:
        """The calendar zone's wall reading at ``instant``."""
        return instant + self.seg_off[bisect_right(self.tr_at, instant)]

    def resolve(self, wall: int) -> int:
        """The earliest instant whose wall reading is ``wall`` or later.

        A wall time skipped by a gap resolves to the change (when the clocks
        jump past it); a repeated one to its first occurrence.
        """
        segment = bisect_right(self.tr_wall, wall)
        instant = wall - self.seg_off[segment]
        if segment and instant < self.tr_at[segment - 1]:
            instant = self.tr_at[segment - 1]
        if not self.t_lo <= instant <= self.t_hi:
            raise OutOfCoverage
        return instant

    # -- the instant axis ------------------------------------------------------

    def open_before(self, instant: int) -> int:
        """``F``: business time before ``instant`` (relative to a fixed origin)."""
        if self.tr_at:
            segment = bisect_right(self.tr_at, instant)
            return self.wall_open_before(instant + self.seg_off[segment]) + self.seg_c[segment]
        return self.wall_open_before(instant + self.seg_off[0])

    def is_open(self, instant: int) -> bool:
        """Whether ``instant`` is business time."""
        return self.wall_is_open(instant + self.seg_off[bisect_right(self.tr_at, instant)])

    def first_reaching(self, amount: int) -> int:
        """The earliest instant with ``F == amount``."""
        segment = bisect_left(self.tr_f, amount)
        wall = self._wall_first_reaching(amount - self.seg_c[segment])
        if not self.lo <= wall <= self.hi:
            raise OutOfCoverage
        return wall - self.seg_off[segment]

    def last_at(self, amount: int) -> int:
        """The latest instant with ``F == amount``."""
        segment = bisect_right(self.tr_f, amount)
        wall = self._wall_last_at(amount - self.seg_c[segment])
        if not self.lo <= wall <= self.hi:
            raise OutOfCoverage
        return wall - self.seg_off[segment]

    def open_before_many(self, instants: list[int]) -> list[int]:
        """``F`` of many instants: :meth:`wall_open_before` inlined, lookups bound once."""
        tr_at, seg_off, seg_c = self.tr_at, self.seg_off, self.seg_c
        ex_walls, ex_k, ex_profiles, ex_dcum = (
            self.ex_walls,
            self.ex_k,
            self.ex_profiles,
            self.ex_dcum,
        )
        starts, ends, cums, total = self.w_starts, self.w_ends, self.w_cums, self.week_total
        results: list[int] = []
        append = results.append
        for instant in instants:
            segment = bisect_right(tr_at, instant) if tr_at else 0
            wall = instant + seg_off[segment]
            index = bisect_right(ex_walls, wall)
            if index and wall < ex_walls[index - 1] + DAY:
                day_start = ex_walls[index - 1]
                value = ex_k[index - 1] + ex_profiles[index - 1].open_before(wall - day_start)
            else:
                weeks, rest = divmod(wall, WEEK)
                value = weeks * total + ex_dcum[index]
                span = bisect_right(starts, rest) - 1
                if span >= 0:
                    end = ends[span]
                    value += cums[span] + (rest if rest < end else end) - starts[span]
            append(value + seg_c[segment])
        return results

    def window(self, index: int, eager: bool = False) -> Window | None:
        """The :class:`Window` of that index, or ``None`` if it is not built (yet).

        A window is built on its :data:`WINDOW_BUILD_AFTER`-th request, so a
        calendar used for a few calls (a command-line run, a serverless
        handler) answers them from the general bisections without paying for
        tables it would not reuse; a window reaching past the covered years is
        never built. Concurrent requests at worst build a window twice.
        """
        found = self.windows.get(index)
        if found is None:
            lo = index * WINDOW
            if lo < self.t_lo or lo + WINDOW > self.t_hi:
                return None
            asked = self._asked.get(index, 0) + 1
            if asked < WINDOW_BUILD_AFTER and not eager:
                self._asked[index] = asked
                return None
            pieces = open_pieces(
                lo, lo + WINDOW, self.tr_at, self.seg_off, lambda day: self.profile(day).spans
            )
            found = self.windows[index] = Window.build(pieces, lo, lo + WINDOW, self.open_before)
        return found

    def _starts_of_windows(self) -> tuple[int, list[timedelta]]:
        """The first whole window's index and ``F`` at each whole window's start."""
        if self._window_starts is None:
            first, stop = -(-self.t_lo // WINDOW), self.t_hi // WINDOW
            values = [ONE_MICROSECOND * self.open_before(i * WINDOW) for i in range(first, stop)]
            self._window_starts = first, values
        return self._window_starts

    def window_reaching(self, amount: timedelta) -> Window | None:
        """The window where ``F`` first reaches ``amount``, if built."""
        first, values = self._starts_of_windows()
        index = bisect_left(values, amount) - 1
        return None if index < 0 else self.window(first + index)

    def window_leaving(self, amount: timedelta) -> Window | None:
        """The window holding the last instant with ``F == amount``, if built."""
        first, values = self._starts_of_windows()
        index = bisect_right(values, amount) - 1
        return None if index < 0 else self.window(first + index)

    def _wall_run_end(self, wall: int, wall_limit: int | None) -> int:
        """End of the open wall run holding ``wall``, or a point at or past ``wall_limit``."""
        limit = self.hi + DAY if wall_limit is None else wall_limit
        day = wall // DAY
        point = wall - day * DAY
        while True:
            end = self.profile(day).span_end(point)
            if end < DAY:
                return day * DAY + end
            day, point = day + 1, 0
            if self.week.is_full and day * DAY < limit:
                # Whole standard days are open: jump to the next exceptional one.
                index = bisect_left(self.ex_days, day)
                if index < len(self.ex_days):
                    day = self.ex_days[index]
                elif self.full_after is not None and day > self.full_after:
                    if wall_limit is None:
                        raise NeverCloses
                    return limit
                else:
                    day = self.hi // DAY
            if day * DAY >= limit:
                return day * DAY
            if day * DAY >= self.hi:
                raise OutOfCoverage
            if not self.profile(day).opens_at_zero:
                return day * DAY

    def run_end(self, instant: int, limit: int | None) -> int:
        """The end of the open run holding ``instant`` (or a point past ``limit``)."""
        segment = bisect_right(self.tr_at, instant)
        while True:
            offset = self.seg_off[segment]
            wall_limit = None if limit is None else limit + offset
            end = self._wall_run_end(instant + offset, wall_limit) - offset
            if segment == len(self.tr_at) or end < self.tr_at[segment]:
                return end
            change = self.tr_at[segment]
            if not self.wall_is_open(change + self.seg_off[segment + 1]):
                return change
            instant, segment = change, segment + 1

    def _wall_run_start(self, wall: int) -> int:
        """Start of the open wall run holding the open time just before ``wall``."""
        day = (wall - 1) // DAY
        point = wall - day * DAY
        while True:
            start = self.profile(day).span_start(point)
            if start > 0:
                return day * DAY + start
            if self.week.is_full:
                # Whole standard days are open: jump back to the previous exceptional one.
                index = bisect_left(self.ex_days, day) - 1
                day = self.ex_days[index] if index >= 0 else self.lo // DAY - 1
            else:
                day -= 1
            if day * DAY < self.lo:
                raise OutOfCoverage
            if self.profile(day).closes_at_end:
                return (day + 1) * DAY
            point = DAY

    def run_start(self, instant: int) -> int:
        """The opening of the open run holding the open time just before ``instant``."""
        segment = bisect_right(self.tr_at, instant - 1)
        while True:
            start = self._wall_run_start(instant + self.seg_off[segment]) - self.seg_off[segment]
            if segment == 0 or start > self.tr_at[segment - 1]:
                return start
            change = self.tr_at[segment - 1]
            if not self.wall_is_open(change - 1 + self.seg_off[segment - 1]):
                return change
            instant, segment = change, segment - 1


#: How many years a search looks ahead (or back) before deciding there is no open time.
HORIZON = 400


def _year_of(instant: int) -> int:
    return date.fromordinal(max(1, min(instant // DAY + 1, date.max.toordinal()))).year


#: The instants any coverage can hold (those of the widest one, FIRST_YEAR to LAST_YEAR).
LOWEST = (day_of(date(FIRST_YEAR, 1, 1)) + 2) * DAY
HIGHEST = (day_of(date(LAST_YEAR + 1, 1, 1)) - 2) * DAY


def supported(instant: int) -> bool:
    """Whether some coverage can hold ``instant`` (checked before growing the tables)."""
    return LOWEST <= instant <= HIGHEST


class Timeline:
    """Grows a calendar's :class:`Coverage` to the years its callers ask about."""

    def __init__(self, plans: DayPlans, key: str) -> None:
        self.plans = plans
        self.key = key
        #: The latest tables; read without the lock (replaced whole, never mutated).
        self.current: Coverage | None = None
        self._lock = threading.Lock()
        days = plans.override_days
        #: Whether the calendar has any open time at all (else every search fails at once).
        self.ever_open = bool(plans.week.total) or any(plans.overrides[day].shifts for day in days)
        #: With no weekly hours, open time exists only on overrides: always cover them.
        self._must_cover = (
            (date.fromordinal(days[0] + 1).year, date.fromordinal(days[-1] + 1).year)
            if days and not plans.week.total
            else None
        )

    def covering(self, first: int, last: int) -> Coverage:
        """Tables covering the instants ``first`` to ``last``."""
        coverage = self.current
        if coverage is not None and coverage.t_lo <= first and last <= coverage.t_hi:
            return coverage
        if not (supported(first) and supported(last)):
            raise OutOfCoverage  # before growing: no tables are built for an impossible span
        coverage = self._grow(_year_of(first) - 1, _year_of(last) + 1)
        if not (coverage.t_lo <= first and last <= coverage.t_hi):
            raise OutOfCoverage
        return coverage

    def extended(self, coverage: Coverage, forward: bool, origin: int) -> Coverage:
        """Tables covering more years in one direction (doubling the span).

        A search from ``origin`` gives up (``NoOpenTime``) past :data:`HORIZON`
        years or the supported range, so nothing runs for ever.
        """
        width = coverage.last_year - coverage.first_year + 1
        year = _year_of(origin)
        if forward:
            if coverage.last_year >= min(LAST_YEAR, year + HORIZON):
                raise NoOpenTime(coverage.last_year >= LAST_YEAR)
            return self._grow(coverage.first_year, min(coverage.last_year + width, year + HORIZON))
        if coverage.first_year <= max(FIRST_YEAR, year - HORIZON):
            raise NoOpenTime(coverage.first_year <= FIRST_YEAR)
        return self._grow(max(coverage.first_year - width, year - HORIZON), coverage.last_year)

    def _grow(self, first_year: int, last_year: int) -> Coverage:
        with self._lock:
            current = self.current
            if current is not None:
                first_year = min(first_year, current.first_year)
                last_year = max(last_year, current.last_year)
                if (first_year, last_year) == (current.first_year, current.last_year):
                    return current
            if self._must_cover:
                first_year = min(first_year, self._must_cover[0] - 1)
                last_year = max(last_year, self._must_cover[1] + 1)
            first_year, last_year = max(first_year, FIRST_YEAR), min(last_year, LAST_YEAR)
            coverage = Coverage(self.plans, self.key, first_year, last_year)
            self.current = coverage
            return coverage
