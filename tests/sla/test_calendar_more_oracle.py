"""The operations added for issue 10 agree with the minute-stepping oracle, on both paths.

Each example is answered twice: first from the general bisections (fresh
tables), then from the window tables (built for the whole example range), and
both must equal the oracle: ``previous_open``, ``previous_close``,
``resolve_local`` and the business-day operations, plus ``subtract``,
``next_open``, ``next_close`` and ``is_open`` on the window tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.sla import BusinessCalendar, Landing
from itilkit.sla._window import WINDOW_SHIFT
from itilkit.sla._zone import EPOCH
from tests.sla.calendars import scenarios
from tests.sla.examples import examples
from tests.sla.oracle import MINUTE, MinuteOracle, is_business_day, own_minutes, resolve

WINDOW = 5 * 1440
Scenario = tuple[BusinessCalendar, datetime]


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _build_windows(calendar: BusinessCalendar, first: datetime, last: datetime) -> None:
    """Build every window table between two instants (the fast paths then answer)."""
    calendar.elapsed(first, last)
    coverage = calendar._timeline.current
    assert coverage is not None
    low, high = (first - EPOCH).days >> WINDOW_SHIFT, (last - EPOCH).days >> WINDOW_SHIFT
    for index in range(low - 1, high + 2):
        coverage.window(index, eager=True)


def _twice(
    calendar: BusinessCalendar, start: datetime, check: Callable[[], None], days: int = 5
) -> None:
    check()
    _build_windows(calendar, start - timedelta(days=3), start + timedelta(days=days + 3))
    check()


@settings(max_examples=examples(ci=60, dev=6))
@given(scenario=scenarios(), data=st.data())
def test_boundaries_and_subtract_agree_with_the_oracle_on_both_paths(
    scenario: Scenario, data: st.DataObject
) -> None:
    """previous_open, previous_close, next_open, next_close, is_open, subtract."""
    calendar, start = scenario
    flags = MinuteOracle(calendar).flags(start, WINDOW)
    prefix = list(accumulate(flags, initial=0))
    points = data.draw(st.lists(st.integers(1, WINDOW - 1), min_size=3, max_size=3))

    def at(index: int) -> datetime:
        return start + index * MINUTE

    def check() -> None:
        for point in points:
            moment = at(point)
            assert calendar.is_open(moment) == flags[point]
            closes = [
                k for k in range(1, point + 1) if flags[k - 1] and (k == point or not flags[k])
            ]
            if closes:
                assert _utc(calendar.previous_close(moment)) == at(closes[-1])
            openings = [k for k in range(1, point + 1) if flags[k] and not flags[k - 1]]
            if openings and (not flags[point] or openings[-1] <= point):
                assert _utc(calendar.previous_open(moment)) == at(openings[-1])
            later = [k for k in range(point, WINDOW) if flags[k]]
            if later:
                assert _utc(calendar.next_open(moment)) == at(later[0])
                close = next((k for k in range(later[0], WINDOW) if not flags[k]), None)
                if close is not None:
                    assert _utc(calendar.next_close(moment)) == at(close)
            if prefix[point]:
                budget = data.draw(st.integers(1, prefix[point]))
                left = max(k for k in range(point + 1) if prefix[k] == prefix[point] - budget)
                assert _utc(calendar.subtract(moment, budget * MINUTE)) == at(left)

    _twice(calendar, start, check)


@settings(max_examples=examples(ci=80, dev=20))
@given(
    scenario=scenarios(minutes_before=1440), minute=st.integers(0, 1439), shift=st.integers(0, 2)
)
def test_resolve_local_is_the_earliest_instant_showing_that_wall_time(
    scenario: Scenario, minute: int, shift: int
) -> None:
    """A gap time resolves to the change, a fold time to its first occurrence."""
    calendar, start = scenario
    oracle = MinuteOracle(calendar)
    day = start.astimezone(calendar.tzinfo).date() + timedelta(days=shift)
    found = calendar.resolve_local(day, time(minute // 60, minute % 60))
    assert found.tzinfo is calendar.tzinfo
    assert _utc(found) == resolve(oracle, day, minute)


def _business_days(oracle: MinuteOracle, first: date, step: int) -> list[date]:
    """The next 20 business days after (step 1) or before (step -1) ``first``."""
    found: list[date] = []
    day = first
    for _ in range(400):
        day += timedelta(days=step)
        if is_business_day(oracle, day):
            found.append(day)
            if len(found) == 20:
                break
    return found


def _landed(oracle: MinuteOracle, day: date, landing: Landing | time, minute: int) -> datetime:
    if landing is Landing.SAME_TIME:
        return resolve(oracle, day, minute)
    if isinstance(landing, time):
        return resolve(oracle, day, landing.hour * 60 + landing.minute)
    opening, close = own_minutes(oracle, day)
    return resolve(oracle, day, opening if landing is Landing.OPENING else close)


landings = st.one_of(
    st.sampled_from(Landing), st.integers(0, 1439).map(lambda m: time(m // 60, m % 60))
)


@settings(max_examples=examples(ci=60, dev=6))
@given(
    scenario=scenarios(nonempty=True),
    count=st.integers(0, 11),
    landing=landings,
    spread=st.integers(0, 16 * 1440),
)
def test_business_days_agree_with_the_oracle_on_both_paths(
    scenario: Scenario, count: int, landing: Landing | time, spread: int
) -> None:
    """is_business_day, add/subtract_business_days and business_days_between."""
    calendar, start = scenario
    oracle = MinuteOracle(calendar)
    local = start.astimezone(calendar.tzinfo)
    today, minute = local.date(), local.hour * 60 + local.minute
    ahead, behind = _business_days(oracle, today, 1), _business_days(oracle, today, -1)
    if len(ahead) < 12 or len(behind) < 12:
        return  # a calendar with hardly any business days: covered elsewhere
    end = start + spread * MINUTE

    def check() -> None:
        for offset in range(-2, 3):
            day = today + timedelta(days=offset)
            assert calendar.is_business_day(day) == is_business_day(oracle, day)
        added = _utc(calendar.add_business_days(start, count, landing))
        if count:
            assert added == _landed(oracle, ahead[count - 1], landing, minute)
        else:
            candidates = ([today] if is_business_day(oracle, today) else []) + ahead
            expected = next(
                t for d in candidates if (t := _landed(oracle, d, landing, minute)) >= start
            )
            assert added == expected
        taken = _utc(calendar.subtract_business_days(start, count, landing))
        if count:
            assert taken == _landed(oracle, behind[count - 1], landing, minute)
        else:
            candidates = ([today] if is_business_day(oracle, today) else []) + behind
            expected = next(
                t for d in candidates if (t := _landed(oracle, d, landing, minute)) <= start
            )
            assert taken == expected
        last_day = end.astimezone(calendar.tzinfo).date()
        passed = sum(1 for day in ahead if day <= last_day and resolve(oracle, day, minute) <= end)
        assert calendar.business_days_between(start, end) == passed

    _twice(calendar, start, check, days=25)
