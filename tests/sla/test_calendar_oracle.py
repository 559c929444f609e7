"""Every calendar operation agrees with the minute-stepping oracle.

Random calendars (breaks, overnight shifts, 24x7, holidays, Easter rules,
overrides) in zones with unusual DST rules, on five-day windows that often
straddle an offset change; every boundary is a whole minute, so the oracle is
exact.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.sla import BusinessCalendar
from tests.sla.calendars import scenarios
from tests.sla.oracle import MINUTE, MinuteOracle

WINDOW = 5 * 1440


def _runs(flags: list[bool], first: int, last: int) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for index in range(first, last):
        if flags[index]:
            if runs and runs[-1][1] == index:
                runs[-1] = (runs[-1][0], index + 1)
            else:
                runs.append((index, index + 1))
    return runs


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@settings(max_examples=150)
@given(scenario=scenarios(), data=st.data())
def test_operations_agree_with_the_minute_oracle(
    scenario: tuple[BusinessCalendar, datetime], data: st.DataObject
) -> None:
    """elapsed, is_open, add, subtract, next_open, next_close, open_intervals match."""
    calendar, start = scenario
    flags = MinuteOracle(calendar).flags(start, WINDOW)
    prefix = list(accumulate(flags, initial=0))

    def at(index: int) -> datetime:
        return start + index * MINUTE

    index = st.integers(0, WINDOW)
    for _ in range(4):
        first, last = sorted(data.draw(st.tuples(index, index)))
        assert calendar.elapsed(at(first), at(last)) == (prefix[last] - prefix[first]) * MINUTE
        if first < WINDOW:
            assert calendar.is_open(at(first)) == flags[first]
        after = prefix[WINDOW] - prefix[first]
        if after:
            budget = data.draw(st.integers(1, after))
            reached = bisect_left(prefix, prefix[first] + budget)
            result = calendar.add(at(first), budget * MINUTE)
            assert result.tzinfo is calendar.tzinfo
            assert _utc(result) == at(reached)
        before = prefix[last]
        if before:
            budget = data.draw(st.integers(1, before))
            left = bisect_right(prefix, prefix[last] - budget) - 1
            assert _utc(calendar.subtract(at(last), budget * MINUTE)) == at(left)
        if after:
            opening = next(k for k in range(first, WINDOW) if flags[k])
            assert _utc(calendar.next_open(at(first))) == at(opening)
            close = next((k for k in range(opening, WINDOW) if not flags[k]), None)
            if close is not None:
                assert _utc(calendar.next_close(at(first))) == at(close)
        runs = [(at(a), at(b)) for a, b in _runs(flags, first, last)]
        got = [(_utc(a), _utc(b)) for a, b in calendar.open_intervals(at(first), at(last))]
        assert got == runs


@settings(max_examples=40)
@given(scenario=scenarios(minutes_before=0))
def test_zero_duration_is_the_identity_and_a_minute_is_exact(
    scenario: tuple[BusinessCalendar, datetime],
) -> None:
    """add/subtract of zero return the instant; one business minute lands where the oracle says."""
    calendar, start = scenario
    assert _utc(calendar.add(start, timedelta(0))) == start
    assert _utc(calendar.subtract(start, timedelta(0))) == start
    flags = MinuteOracle(calendar).flags(start, 3 * 1440)
    if any(flags):
        first_open = flags.index(True)
        assert _utc(calendar.add(start, MINUTE)) == start + (first_open + 1) * MINUTE
