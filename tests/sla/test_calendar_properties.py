"""Algebraic laws of calendar arithmetic at microsecond resolution and long spans.

No oracle is needed: these hold for any calendar with open time. Instants and
durations are arbitrary (microseconds included) and spans reach hundreds of
business hours, across DST changes, holidays and overrides.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.errors import CalendarError
from itilkit.sla import BusinessCalendar, WeeklySchedule
from tests.sla.calendars import scenarios

TICK = timedelta(microseconds=1)
durations = st.one_of(st.integers(0, 3_600 * 10**6), st.integers(0, 600 * 3_600 * 10**6)).map(
    lambda micros: timedelta(microseconds=micros)
)
jitter = st.integers(-(10**12), 10**12).map(lambda micros: timedelta(microseconds=micros))
Scenario = tuple[BusinessCalendar, datetime]


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


@settings(max_examples=200)
@given(scenario=scenarios(nonempty=True), shift=jitter, a=durations, b=durations)
def test_add_and_subtract_invert_elapsed_and_add_is_additive(
    scenario: Scenario, shift: timedelta, a: timedelta, b: timedelta
) -> None:
    """add and subtract invert elapsed, and add(add(t, a), b) == add(t, a + b)."""
    calendar, start = scenario
    start += shift
    after = calendar.add(start, a)
    assert calendar.elapsed(start, after) == a
    assert _utc(calendar.add(after, b)) == _utc(calendar.add(start, a + b))
    before = calendar.subtract(start, a)
    assert calendar.elapsed(before, start) == a
    assert _utc(calendar.subtract(before, b)) == _utc(calendar.subtract(start, a + b))
    assert _utc(calendar.add(before, a)) <= _utc(start)
    assert _utc(calendar.subtract(after, a)) >= _utc(start)


@settings(max_examples=200)
@given(scenario=scenarios(nonempty=True), shift=jitter, a=durations)
def test_results_lie_in_business_time_or_on_its_boundary(
    scenario: Scenario, shift: timedelta, a: timedelta
) -> None:
    """add lands just after open time (at a close at the latest); subtract lands on open time."""
    calendar, start = scenario
    start += shift
    if a:
        after = calendar.add(start, a)
        assert calendar.is_open(after - TICK)
        assert calendar.is_open(calendar.subtract(start, a))
    opening = calendar.next_open(start)
    assert calendar.is_open(opening)
    assert calendar.elapsed(start, opening) == timedelta(0)
    try:
        close = calendar.next_close(start)
    except CalendarError:
        assert calendar.schedule == WeeklySchedule.always()
        return
    assert not calendar.is_open(close)
    assert calendar.elapsed(opening, close) == _utc(close) - _utc(opening)


@settings(max_examples=200)
@given(
    scenario=scenarios(nonempty=True), shifts=st.lists(jitter, min_size=3, max_size=3), d=durations
)
def test_elapsed_is_additive_and_add_is_monotone(
    scenario: Scenario, shifts: list[timedelta], d: timedelta
) -> None:
    """elapsed(a, b) + elapsed(b, c) == elapsed(a, c); later starts never finish earlier."""
    calendar, start = scenario
    first, middle, last = sorted(start + shift for shift in shifts)
    assert calendar.elapsed(first, middle) + calendar.elapsed(middle, last) == calendar.elapsed(
        first, last
    )
    assert _utc(calendar.add(first, d)) <= _utc(calendar.add(middle, d))
    assert _utc(calendar.subtract(middle, d)) <= _utc(calendar.subtract(last, d))
    assert calendar.elapsed_many([first, first, middle], [middle, last, last]) == [
        calendar.elapsed(first, middle),
        calendar.elapsed(first, last),
        calendar.elapsed(middle, last),
    ]
    elapsed = calendar.elapsed(first, last)
    landed = _utc(calendar.add(first, elapsed))
    assert landed <= _utc(last)
    if calendar.is_open(last - TICK) or elapsed == timedelta(0):
        assert landed == _utc(last) or elapsed == timedelta(0)


@settings(max_examples=100)
@given(scenario=scenarios(nonempty=True), shift=jitter)
def test_always_open_elapsed_is_real_elapsed_time(scenario: Scenario, shift: timedelta) -> None:
    """On a 24x7 calendar business time is real time, whatever the zone's DST does."""
    calendar, start = scenario
    always = BusinessCalendar.always_open(calendar.zone)
    end = start + abs(shift)
    assert always.elapsed(start, end) == end - start
    assert _utc(always.add(start, abs(shift))) == _utc(end)
