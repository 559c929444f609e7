"""Time-to-X on an itilkit.sla BusinessCalendar: bulk ``elapsed_many`` equals ``elapsed``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.metrics.support import T0, ZONES, incidents

from itilkit.metrics import TimeToResolve
from itilkit.sla import BusinessCalendar, Holidays, WeeklySchedule

CALENDAR = BusinessCalendar(
    "Europe/London",
    WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"}),
    Holidays(yearly=[(1, 1), (12, 25), (12, 26)], rules=["FREQ=YEARLY;BYEASTER=-2"]),
)


class Spy:
    """The calendar, counting how many pairs each method measures."""

    def __init__(self) -> None:
        """Nothing measured yet."""
        self.single = 0
        self.bulk = 0

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """``CALENDAR.elapsed``."""
        self.single += 1
        return CALENDAR.elapsed(start, end)

    def elapsed_many(self, starts: Sequence[datetime], ends: Sequence[datetime]) -> list[timedelta]:
        """``CALENDAR.elapsed_many``."""
        self.bulk += len(starts)
        return CALENDAR.elapsed_many(starts, ends)


@settings(max_examples=60)
@given(incidents)
def test_bulk_path_equals_take_with_elapsed_per_record(records: list[dict[str, Any]]) -> None:
    """Exclusions, issues, samples and statistics equal the per-record definition."""
    definition = TimeToResolve(clock=CALENDAR, exclude_paused=True, by="priority")(records)
    assert TimeToResolve(clock=Spy(), by="priority")(records) == definition


pairs = st.lists(
    st.tuples(
        st.integers(0, 3 * 365 * 24 * 60),
        st.integers(0, 60 * 24 * 60),
        st.sampled_from(ZONES),
        st.sampled_from(["a", "b"]),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60)
@given(pairs)
def test_totals_equal_elapsed_summed_per_record(
    spans: list[tuple[int, int, Any, str]],
) -> None:
    """Over years, zones and DST changes, each group's total is its records' elapsed summed."""
    records = []
    expected: dict[tuple[str], timedelta] = {}
    for start_minutes, minutes, zone, group in spans:
        opened = (T0 + timedelta(minutes=start_minutes)).astimezone(zone)
        resolved = opened + timedelta(minutes=minutes)
        records.append({"opened_at": opened, "resolved_at": resolved, "g": group})
        expected[group,] = expected.get((group,), timedelta(0)) + CALENDAR.elapsed(opened, resolved)
    spy = Spy()
    result = TimeToResolve(clock=spy, by="g", fields={"category": None})(records)
    assert {key: stats.total for key, stats in result.groups.items()} == expected
    assert result.overall.count == len(records)
    assert spy.single == len(expected)
    assert spy.bulk == len(records) - len(expected)
