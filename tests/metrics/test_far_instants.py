"""Issue 11 regressions: instants at the ends of datetime's range, bounded work, checked options.

A valid aware record outside the supported years 2 to 9998 (a resolution on 9999-12-31
at -05:00 is 10000-01-01 in UTC) is excluded with a reason, in either order, by every
measure; deployment frequency over any span costs the deployments, not the periods.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.errors import InvalidTypeError, OutOfRangeError
from itilkit.metrics import (
    Backlog,
    ByPeriod,
    CountStats,
    DeploymentFrequency,
    Period,
    TimeBetweenFailures,
    TimeBetweenServiceIncidents,
    TimeToAcknowledge,
    TimeToResolve,
)

END = datetime(9999, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
START = datetime(1, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=5)))
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
OUTSIDE = "outside the supported years 2 to 9998"
NO_CATEGORY = {"category": None}


@pytest.mark.parametrize("far", [END, START], ids=["9999-12-31 -05:00", "0001-01-01 +05:00"])
@pytest.mark.parametrize("by", [(), (ByPeriod("resolved_at", Period.QUARTER),)], ids=["", "by"])
def test_a_far_resolution_is_excluded_in_either_order(far: datetime, by: Any) -> None:
    """The far instant is a field problem and its record an exclusion, never OverflowError."""
    measure = TimeToResolve(by=by, fields=NO_CATEGORY)
    forward = measure([{"id": "a", "opened_at": T0, "resolved_at": far}])
    backward = measure([{"id": "b", "opened_at": far, "resolved_at": T0}])
    assert forward.overall.count == backward.overall.count == 0
    assert forward.exclusions["no valid resolved_at"].samples == ("a",)
    assert forward.field_issues["resolved_at"][OUTSIDE].count == 1
    assert backward.exclusions["no valid opened_at"].samples == ("b",)


def test_far_records_next_to_good_ones_leave_the_good_ones_counted() -> None:
    """One far record among many: the others are measured (the fast path stays exact)."""
    good = [{"opened_at": T0, "resolved_at": T0 + timedelta(hours=h)} for h in range(1, 6)]
    rows = [*good[:2], {"opened_at": T0, "resolved_at": END}, *good[2:]]
    result = TimeToResolve(fields=NO_CATEGORY)(rows)
    assert result.overall.count == 5
    assert result.overall.total == timedelta(hours=15)
    assert result.excluded == 1


def test_deployments_failures_and_backlog_exclude_far_instants() -> None:
    """DeploymentFrequency, MTBSI, MTBF and Backlog report the far record and go on."""
    deploys = [{"deployed_at": T0}, {"deployed_at": END}]
    freq = DeploymentFrequency(fields=NO_CATEGORY)(deploys)
    assert (freq.overall.deployments, freq.exclusions["no valid deployed_at"].count) == (1, 1)
    failures = [
        {"ci": "db", "failed_at": T0, "restored_at": T0 + timedelta(hours=1)},
        {"ci": "db", "failed_at": T0 + timedelta(days=1), "restored_at": END},
        {"ci": "db", "failed_at": END, "restored_at": END},
    ]
    for measure in (TimeBetweenServiceIncidents, TimeBetweenFailures):
        result = measure(fields=NO_CATEGORY)(failures)
        assert result.field_issues, measure
        assert result.overall.count <= 1
    backlog = Backlog(at=T0, fields={"category": None, "closed_at": None})
    queue = backlog(
        [{"opened_at": START, "resolved_at": None}, {"opened_at": T0, "resolved_at": END}]
    )
    assert queue.overall.open == 0
    assert queue.field_issues["opened_at"][OUTSIDE].count == 1
    assert queue.field_issues["resolved_at"][OUTSIDE].count == 1


def test_a_far_instant_in_the_configuration_is_refused_at_construction() -> None:
    """Backlog(at=...) beyond the supported years raises OutOfRangeError (a ValueError)."""
    with pytest.raises(OutOfRangeError, match=r"Backlog\.at") as caught:
        Backlog(at=END)
    assert isinstance(caught.value, ValueError)


def _listed(counts: Counter[date], period: Period, percentiles: tuple[float, ...]) -> CountStats:
    """The obvious oracle: list every period from the first to the last, empty ones as 0."""
    first, last = min(counts), max(counts)
    listed, current = [], first
    while current <= last:
        listed.append(counts.get(current, 0))
        current = period.following(current)
    return CountStats.of(listed, percentiles)


@settings(max_examples=100)
@given(
    period=st.sampled_from(list(Period)),
    days=st.lists(st.integers(0, 800), min_size=1, max_size=30),
)
def test_deployment_frequency_counts_empty_periods_as_listing_them_does(
    period: Period, days: list[int]
) -> None:
    """Counting the empty periods (not listing them) gives the listed distribution."""
    records = [{"deployed_at": T0 + timedelta(days=d, hours=d % 24)} for d in days]
    measure = DeploymentFrequency(period=period, percentiles=(0.25, 0.9), fields=NO_CATEGORY)
    stats = measure(records).overall
    counts = Counter(period.start((T0 + timedelta(days=d, hours=d % 24)).date()) for d in days)
    oracle = _listed(counts, period, (0.25, 0.9))
    assert stats.per_period == oracle
    assert (stats.periods, stats.deployments) == (oracle.count, len(days))


def test_deployment_frequency_over_millennia_is_counted_not_listed() -> None:
    """Daily frequency from year 2 to 9998 has 3.65 million periods, counted exactly."""
    records = [
        {"deployed_at": datetime(2, 1, 1, tzinfo=UTC)},
        {"deployed_at": datetime(9998, 12, 30, tzinfo=UTC)},
    ]
    stats = DeploymentFrequency(period=Period.DAY, fields=NO_CATEGORY)(records).overall
    assert stats.periods == (date(9998, 12, 30) - date(2, 1, 1)).days + 1
    assert (stats.per_period.median, stats.per_period.maximum, stats.active_periods) == (0.0, 1, 2)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Backlog(at=T0, clock=5),  # type: ignore[arg-type]
        lambda: TimeBetweenFailures(clock=5),  # type: ignore[arg-type]
        lambda: TimeBetweenServiceIncidents(clock="wall"),  # type: ignore[arg-type]
        lambda: TimeToAcknowledge(clock=None),  # type: ignore[arg-type]
    ],
)
def test_clocks_are_checked_at_construction(build: Any) -> None:
    """A clock without elapsed() is refused when the measure is built, not on first use."""
    with pytest.raises(InvalidTypeError, match="clock must be an object with elapsed"):
        build()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: TimeToResolve(percentiles=[i / 1000 for i in range(200)]), "at most 100"),
        (lambda: TimeToResolve(percentiles="0.9"), "percentiles must be an iterable"),  # type: ignore[arg-type]
        (lambda: TimeToResolve(percentiles=[float("nan")]), "fractions between 0 and 1"),
        (lambda: TimeToResolve(percentiles=[10**400]), "fractions between 0 and 1"),
        (lambda: TimeToResolve(exclude_paused="yes"), "exclude_paused must be True or False"),  # type: ignore[arg-type]
        (
            lambda: Backlog(at=T0, buckets=[timedelta(seconds=s) for s in range(1, 1100)]),
            "at most 1000",
        ),
        (lambda: Backlog(at=T0, buckets=[timedelta(days=2), timedelta(days=1)]), "increasing"),
        (lambda: TimeToResolve()({"opened_at": T0}), "wrap a single record in a list"),
    ],
)
def test_options_outside_what_is_supported_are_refused(build: Any, message: str) -> None:
    """Bounded options and wrong types fail at once with a typed error saying what is allowed."""
    with pytest.raises((InvalidTypeError, OutOfRangeError, ValueError), match=message):
        build()


@pytest.mark.parametrize(
    ("opened", "resolved", "counted"),
    [
        (datetime(9998, 12, 31, 23, tzinfo=UTC), datetime(9999, 1, 1, 0, 30, tzinfo=UTC), 0),
        (datetime(9997, 12, 31, 23, tzinfo=UTC), datetime(9999, 1, 1, 0, 30, tzinfo=UTC), 0),
        (datetime(9998, 12, 31, 22, tzinfo=UTC), datetime(9998, 12, 31, 23, tzinfo=UTC), 1),
        (datetime(2, 1, 1, tzinfo=UTC), datetime(9998, 12, 31, tzinfo=UTC), 1),
    ],
)
def test_the_fast_loop_draws_the_year_line_where_the_definition_does(
    opened: datetime, resolved: datetime, counted: int
) -> None:
    """An end in year 9999 is excluded however close to its start; years 2 and 9998 count."""
    rows = [{"opened_at": opened, "resolved_at": resolved}] * 3
    assert TimeToResolve(fields=NO_CATEGORY)(rows).overall.count == 3 * counted
