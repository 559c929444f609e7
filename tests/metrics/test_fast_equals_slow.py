"""Every fast path gives exactly what the field-by-field definition (``take``) gives."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.metrics.support import T0, ZONES

from itilkit.metrics import (
    ByPeriod,
    FirstContactResolution,
    Measure,
    Period,
    TimeToAcknowledge,
    TimeToResolve,
)
from itilkit.sla import BusinessCalendar, WeeklySchedule

LONDON = ZoneInfo("Europe/London")
OFFICE = BusinessCalendar("Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))


class PerRecordClock:
    """A business clock without ``elapsed_many``."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """The office's time, one pair at a time."""
        return OFFICE.elapsed(start, end)


aware = st.builds(
    lambda minutes, zone: (T0 + timedelta(minutes=minutes)).astimezone(zone),
    st.integers(-3_000, 60_000),  # across the DST change of 31 March
    st.sampled_from(ZONES),
)
odd = st.sampled_from(
    [
        None,
        math.nan,
        "2024-03-01T10:00:00+00:00",
        datetime(2024, 3, 1, 12),
        7,
        T0.date(),
        pd.NaT,
        pd.Timestamp("2024-03-01 12:00"),  # naive
        datetime(9999, 12, 31, 20, tzinfo=timezone(timedelta(hours=-5))),  # beyond year 9998
        datetime(1, 1, 1, 3, tzinfo=timezone(timedelta(hours=2))),
    ]
)
#: pandas Timestamps at nanosecond precision, as df.to_dict("records") gives them.
stamps = st.builds(
    lambda at, nanos: pd.Timestamp(at) + pd.Timedelta(nanos, "ns"), aware, st.integers(0, 999)
)
timestamp = st.one_of(aware, aware, stamps, aware, odd)
category = st.sampled_from([None, math.nan, "active", "resolved", "closed", "canceled", "x", 3])
count = st.sampled_from([0, 0, 1, 2, None, -1, 1.0, 0.0, "1", True, math.nan])
flag = st.sampled_from([True, False, True, False, None, "yes", 1, 0, math.nan])
group = st.sampled_from([1, 2, "P1", None, 1.0, [1]])
FIELDS = {
    "opened_at": timestamp,
    "resolved_at": timestamp,
    "acknowledged_at": timestamp,
    "category": category,
    "priority": group,
    "reopen_count": count,
    "first_contact_resolved": flag,
}


@st.composite
def record(draw: st.DrawFn) -> Any:
    """A dict or an object carrying a random subset of the fields, some values bad."""
    values: dict[str, Any] = {"id": f"R{draw(st.integers(0, 99))}"}
    for name, strategy in FIELDS.items():
        if draw(st.integers(0, 9)):
            values[name] = draw(strategy)
    return values if draw(st.booleans()) else SimpleNamespace(**values)


records = st.lists(record(), max_size=25)
PERIOD = ByPeriod("opened_at", Period.WEEK, LONDON)
MEASURES = st.sampled_from(
    [
        TimeToResolve(),
        TimeToResolve(by="priority"),
        TimeToResolve(by=("priority", PERIOD)),
        TimeToResolve(clock=OFFICE, by=PERIOD),
        TimeToResolve(clock=OFFICE, by="priority"),
        TimeToResolve(clock=PerRecordClock(), by="priority"),
        TimeToAcknowledge(by=PERIOD, fields={"category": None}),
        FirstContactResolution(),
        FirstContactResolution(by=("priority", PERIOD)),
        FirstContactResolution(fields={"id": None, "category": None}),
    ]
)


def slow(measure: Measure[Any, Any], rows: list[Any]) -> Any:
    """The measure with every record sent through ``take``."""
    with mock.patch.object(type(measure), "_fast", Measure._fast):
        return measure(rows)


@settings(max_examples=300)
@given(measure=MEASURES, rows=records, as_generator=st.booleans())
def test_fast_paths_equal_the_definition(
    measure: Measure[Any, Any], rows: list[Any], as_generator: bool
) -> None:
    """Any mix of shapes, missing fields and bad values: fast result == take's result."""
    fast = measure(iter(rows) if as_generator else rows)
    assert fast == slow(measure, rows)


def test_the_slow_path_skips_the_generated_loops() -> None:
    """``slow`` sends every record through ``take``; the fast path only the first one."""
    rows = [{"opened_at": T0, "resolved_at": T0 + timedelta(hours=n)} for n in range(8)]
    measure = TimeToResolve(fields={"category": None})
    with mock.patch.object(
        TimeToResolve, "_take", autospec=True, side_effect=TimeToResolve._take
    ) as take:
        fast = measure(rows)
        assert take.call_count == 1
        assert slow(measure, rows) == fast
        assert take.call_count == 1 + len(rows)
