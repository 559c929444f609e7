"""DataFrame input and output, and exact partitioned computation on dask."""

from __future__ import annotations

import functools
import random
from datetime import timedelta
from typing import Any

import pytest
from tests.metrics.support import T0

from itilkit.metrics import (
    ByPeriod,
    FirstContactResolution,
    Measure,
    Partial,
    TimeToResolve,
    records_from_frame,
)

pd = pytest.importorskip("pandas", reason="needs the pandas extra")


def _incidents(n: int) -> list[dict[str, Any]]:
    """Seeded records with unresolved, canceled and naive ones among them."""
    rng = random.Random(7)
    records = []
    for i in range(n):
        opened = T0 + timedelta(minutes=rng.randrange(200_000))
        resolved = (
            None if rng.random() < 0.05 else opened + timedelta(minutes=rng.randrange(1, 9_000))
        )
        records.append(
            {
                "id": f"INC{i:05d}",
                "opened_at": opened,
                "resolved_at": resolved,
                "category": "canceled" if rng.random() < 0.02 else "closed",
                "priority": rng.choice([1, 2, 3, 4]),
                "service": rng.choice(["mail", "web", "erp"]),
                "first_contact_resolved": rng.random() < 0.6,
                "reopen_count": rng.choice([0, 0, 0, 1]),
            }
        )
    return records


MEASURES: list[Measure[Any, Any]] = [
    TimeToResolve(by=["priority", "service"], percentiles=(0.5, 0.9, 0.99)),
    TimeToResolve(by=ByPeriod("resolved_at", "week")),
    FirstContactResolution(by="priority"),
]


def test_frame_rows_read_like_the_dicts_and_results_convert_to_frames() -> None:
    """records_from_frame gives plain values; to_frame has one row per group."""
    records = _incidents(300)
    frame = pd.DataFrame(records)
    for measure in MEASURES:
        assert measure(records_from_frame(frame)) == measure(records)
    table = MEASURES[0](records).to_frame()
    assert list(table.index.names) == ["priority", "service"]
    assert {"count", "mean", "median", "p90", "p99"} <= set(table.columns)
    assert int(table["count"].sum()) == MEASURES[0](records).overall.count
    overall = FirstContactResolution()(records).to_frame()
    assert list(overall.columns) == ["hits", "population", "rate"]


def _merge_all(partials: list[Partial[Any, Any]]) -> Partial[Any, Any]:
    return functools.reduce(Partial.merge, partials)


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.name)
def test_dask_bag_and_dataframe_equal_the_single_process_result(measure: Measure[Any, Any]) -> None:
    """Per-partition partials merged on dask give exactly the single-pass result."""
    pytest.importorskip("dask", reason="needs the dask extra")
    import dask.bag as db
    import dask.dataframe as dd
    from dask.delayed import delayed

    records = _incidents(3000)
    expected = measure(records)

    bag = db.from_sequence(records, npartitions=13)  # type: ignore[no-untyped-call]
    partial = bag.reduction(measure.partial, _merge_all, split_every=4)
    assert partial.compute(scheduler="synchronous").result() == expected

    frame = dd.from_pandas(pd.DataFrame(records), npartitions=11)  # type: ignore[no-untyped-call]
    parts = [
        delayed(lambda chunk: measure.partial(records_from_frame(chunk)))(piece)
        for piece in frame.to_delayed()
    ]
    merged = delayed(_merge_all)(parts).compute(scheduler="synchronous")
    assert merged.result() == expected
