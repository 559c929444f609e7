"""pandas Timestamps at nanosecond precision, as ``df.to_dict("records")`` gives them.

Every measure reads a Timestamp as the plain datetime of its instant, floored to the
microsecond; the fast loops take them without falling back to the per-record path.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pandas as pd
import pytest

from itilkit.metrics import (
    Backlog,
    ByPeriod,
    DeploymentFrequency,
    FirstContactResolution,
    Measure,
    Period,
    TimeBetweenServiceIncidents,
    TimeToResolve,
)
from itilkit.sla import BusinessCalendar, WeeklySchedule

OFFICE = BusinessCalendar("Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
NO_CATEGORY = {"category": None}


def frame(n: int = 50, tz: str = "UTC") -> pd.DataFrame:
    """Incidents opened hourly, resolved 1 ns short of a whole number of minutes later."""
    opened = pd.date_range("2024-03-01 09:00:00.000000001", periods=n, freq="h", tz="UTC")
    minutes = pd.to_timedelta([37 * (i % 11) + 5 for i in range(n)], unit="min")
    resolved = opened + minutes - pd.Timedelta(2, "ns")
    return pd.DataFrame(
        {
            "id": [f"INC{i}" for i in range(n)],
            "opened_at": opened.tz_convert(tz),
            "resolved_at": resolved.tz_convert(tz).where([i % 7 != 3 for i in range(n)]),
            "priority": [i % 3 for i in range(n)],
            "first_contact_resolved": [i % 2 == 0 for i in range(n)],
            "reopen_count": [0] * n,
            "ci": ["db"] * n,
        }
    )


def as_datetimes(records: list[dict[Any, Any]]) -> list[dict[Any, Any]]:
    """The same records with each Timestamp as the datetime of its instant, floored to 1 µs."""

    def plain(value: Any) -> Any:
        if value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=value.value // 1000)
        return value

    return [{k: plain(v) for k, v in r.items()} for r in records]


MEASURES: list[Measure[Any, Any]] = [
    TimeToResolve(fields=NO_CATEGORY),
    TimeToResolve(by=("priority", ByPeriod("opened_at", Period.WEEK)), fields=NO_CATEGORY),
    TimeToResolve(clock=OFFICE, by="priority", fields=NO_CATEGORY),
    FirstContactResolution(by="priority", fields=NO_CATEGORY),
    DeploymentFrequency(period=Period.DAY, fields={"deployed_at": "opened_at", "category": None}),
    Backlog(at=T0 + timedelta(hours=30), fields={"category": None, "closed_at": None}),
    TimeBetweenServiceIncidents(fields={"failed_at": "opened_at", "category": None}),
]


@pytest.mark.parametrize("tz", ["UTC", "Europe/Paris"])
@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.name)
def test_timestamps_give_the_result_of_their_datetimes(measure: Measure[Any, Any], tz: str) -> None:
    """Nanosecond Timestamps (NaT for unresolved) equal their floored datetimes."""
    records = frame(tz=tz).to_dict("records")
    assert isinstance(records[0]["opened_at"], pd.Timestamp)
    assert records[0]["opened_at"].nanosecond == 1
    assert measure(records) == measure(as_datetimes(records))


@pytest.mark.parametrize("measure", MEASURES[:4], ids=lambda m: m.name)
def test_timestamps_stay_on_the_fast_path(measure: Measure[Any, Any]) -> None:
    """The generated loops accept Timestamps: only each group's first record goes to _take."""
    records = [r for r in frame().to_dict("records") if r["resolved_at"] is not pd.NaT]
    kind = type(measure)
    with mock.patch.object(kind, "_take", autospec=True, side_effect=kind._take) as take:
        result = measure(records)
    assert take.call_count == max(1, len(result.groups))


def test_a_calendar_measures_nanosecond_timestamps() -> None:
    """clock=calendar on Timestamps: the business time of the instants, no pandas error."""
    opened = pd.Timestamp("2024-01-01 09:00:00.000000001", tz="UTC")  # a Monday
    resolved = pd.Timestamp("2024-01-03 10:30:00.000000007", tz="UTC")
    result = TimeToResolve(clock=OFFICE, fields=NO_CATEGORY)(
        [{"opened_at": opened, "resolved_at": resolved}] * 3
    )
    assert result.overall.count == 3
    assert result.overall.mean == timedelta(hours=17, minutes=30)


def test_naive_timestamps_and_nat_are_reported_like_datetimes() -> None:
    """A naive Timestamp is a field problem; NaT is a missing value (unresolved)."""
    rows = [
        {"id": "a", "opened_at": pd.Timestamp("2024-03-01 09:00"), "resolved_at": pd.NaT},
        {"id": "b", "opened_at": pd.Timestamp("2024-03-01 09:00", tz="UTC"), "resolved_at": pd.NaT},
    ]
    result = TimeToResolve(fields=NO_CATEGORY)(rows)
    assert result.field_issues["opened_at"]["naive datetime (no time zone)"].samples == ("a",)
    assert result.exclusions["unresolved"].samples == ("b",)
