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
@given(records=incidents, cuts=st.lists(st.integers(0, 40), max_size=4))
def test_any_partition_merges_to_the_single_pass_result(
    measure: Measure[Any, Any], records: list[dict[str, Any]], cuts: list[int]
) -> None:
    """Merging per-partition partials, in order, equals one pass over all records."""
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
    assert {r: t.count for r, t in merged_result.exclusions.items()} == {
        r: t.count for r, t in whole.exclusions.items()
    }
    assert merged_result.field_issues.keys() == whole.field_issues.keys()


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
