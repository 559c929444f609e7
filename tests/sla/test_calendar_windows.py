"""The window tables behind the fast paths agree with the general arithmetic.

``add``, ``elapsed`` and ``elapsed_many`` answer from per-window tables of open
pieces (``itilkit.sla._window``) when they can, and from the coverage's
bisections otherwise. These properties compare the two on random calendars in
zones with awkward offset changes, at microsecond resolution.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.sla import BusinessCalendar
from itilkit.sla._window import WINDOW_SHIFT
from itilkit.sla._zone import EPOCH, ONE_MICROSECOND
from tests.sla.calendars import scenarios

Scenario = tuple[BusinessCalendar, datetime]
#: Up to about 13 months either way: pairs often straddle windows.
offsets = st.integers(-(400 * 86_400 * 10**6), 400 * 86_400 * 10**6).map(
    lambda micros: timedelta(microseconds=micros)
)
lengths = st.one_of(
    st.integers(0, 3 * 86_400 * 10**6), st.integers(0, 3 * 365 * 86_400 * 10**6)
).map(lambda micros: timedelta(microseconds=micros))


@settings(max_examples=100)
@given(
    scenario=scenarios(nonempty=True),
    pairs=st.lists(st.tuples(offsets, lengths, st.booleans()), min_size=1, max_size=12),
)
def test_elapsed_many_equals_elapsed_pair_by_pair(
    scenario: Scenario, pairs: list[tuple[timedelta, timedelta, bool]]
) -> None:
    """elapsed_many gives elapsed of each pair, for UTC and zone-local inputs alike."""
    calendar, anchor = scenario
    local = ZoneInfo(calendar.zone)
    starts = [anchor + offset for offset, _, _ in pairs]
    ends = [
        (start + length).astimezone(local) if in_zone else start + length
        for start, (_, length, in_zone) in zip(starts, pairs, strict=True)
    ]
    expected = [calendar.elapsed(start, end) for start, end in zip(starts, ends, strict=True)]
    assert calendar.elapsed_many(starts, ends) == expected
    # Many pairs over a short range take the joined-window table; few over a
    # long one take the general bisections. Both must agree with elapsed.
    assert calendar.elapsed_many(starts * 600, ends * 600) == expected * 600


@settings(max_examples=100)
@given(scenario=scenarios(nonempty=True), offset=offsets, amount=lengths)
def test_window_tables_agree_with_the_coverage(
    scenario: Scenario, offset: timedelta, amount: timedelta
) -> None:
    """Windows' F and its inverse (near or far) equal the coverage's, to the microsecond."""
    calendar, anchor = scenario
    at = (anchor + offset).astimezone(UTC)
    calendar.elapsed(at, at)  # builds the tables around ``at``
    coverage = calendar._timeline.current
    assert coverage is not None
    since = at - EPOCH
    window = coverage.window(since.days >> WINDOW_SHIFT, eager=True)
    if window is None:
        return  # the window reaches past the covered years: the general path answers
    instant = since // ONE_MICROSECOND
    assert window.open_before(since) == ONE_MICROSECOND * coverage.open_before(instant)
    target = window.open_before(since) + amount + ONE_MICROSECOND
    further = coverage.window_reaching(target)
    for reached in (window.first_reaching(target), further and further.first_reaching(target)):
        if reached is not None:
            assert reached == ONE_MICROSECOND * coverage.first_reaching(target // ONE_MICROSECOND)
