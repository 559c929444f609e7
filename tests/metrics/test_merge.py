"""Partials merge exactly: any split of the records gives the single-pass result."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.metrics.support import T0, incidents

from itilkit.errors import MetricsError
from itilkit.metrics import (
    Backlog,
    ByPeriod,
    FirstContactResolution,
    IncidentsPerProblem,
    Measure,
    ReopenRate,
    SlaCompliance,
    TimeToResolve,
)

MEASURES: list[Measure[Any, Any]] = [
    TimeToResolve(by=["priority", ByPeriod("resolved_at", "week")], percentiles=(0.1, 0.9)),
    FirstContactResolution(net=True, by="service"),
    ReopenRate(by_events=True),
    Backlog(at=T0, fields={"closed_at": None}),
    IncidentsPerProblem(by="priority"),
    SlaCompliance(targets={"fcr": "first_contact_resolved"}),
]


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.name)
@settings(max_examples=60)
@given(
    records=incidents,
    cuts=st.lists(st.integers(0, 40), max_size=4),
    without_id=st.sets(st.integers(0, 40)),
)
def test_any_partition_merges_to_the_single_pass_result(
    measure: Measure[Any, Any], records: list[dict[str, Any]], cuts: list[int], without_id: set[int]
) -> None:
    """Merging per-partition partials, in order, equals one pass over all records.

    Exactly: statistics, exclusions and field issues with their sample keys, also for
    records without an id (whose key is their position in the whole input).
    """
    records = [
        {k: v for k, v in r.items() if k != "id" or i not in without_id}
        for i, r in enumerate(records)
    ]
    bounds = [0, *sorted(min(c, len(records)) for c in cuts), len(records)]
    parts = [records[a:b] for a, b in itertools.pairwise(bounds)]
    partials = [measure.partial(part) for part in parts]
    merged = partials[0]
    for partial in partials[1:]:
        merged = merged.merge(partial)
    whole = measure(records)
    merged_result = merged.result()
    assert merged_result.overall == whole.overall
    assert merged_result.groups == whole.groups
    assert merged_result.exclusions == whole.exclusions
    assert merged_result.field_issues == whole.field_issues


def test_merged_samples_of_records_without_an_id_are_their_positions() -> None:
    """Two partials of one id-less record each: samples #0 and #1, as one pass gives."""
    measure = TimeToResolve(fields={"category": None})
    rows = [{"opened_at": None, "resolved_at": None}] * 2
    merged = measure.partial(rows[:1]).merge(measure.partial(rows[1:])).result()
    assert merged.exclusions["no valid opened_at"].samples == ("#0", "#1")
    assert merged == measure(rows)


def test_partials_of_different_measures_do_not_merge() -> None:
    """Merging partials of differently configured measures is an error."""
    with pytest.raises(MetricsError, match="different measures"):
        TimeToResolve().partial([]).merge(TimeToResolve(by="priority").partial([]))


def test_merge_leaves_its_inputs_unchanged() -> None:
    """merge returns a new partial; the inputs keep their own states."""
    from tests.metrics.support import ticket

    a = TimeToResolve().partial([ticket("a", 1)])
    b = TimeToResolve().partial([ticket("b", 2)])
    a.merge(b)
    assert a.result().overall.count == 1
    assert b.result().overall.count == 1
