"""Fast paths report the same positions, samples and groups for any input shape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.boundary.hostile import NoOffset
from tests.metrics.support import T0, incident

from itilkit.metrics import ByPeriod, FirstContactResolution, TimeToResolve, WallClock
from itilkit.metrics._engine import BATCH

H = timedelta(hours=1)


class HalfClock:
    """A business clock counting half the wall time (takes the bulk-capable path)."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Half of ``end - start``."""
        return (end - start) / 2


def row(n: int, **fields: Any) -> dict[str, Any]:
    """A resolved record without an id (samples show its position), grouped by n % 3."""
    base = {"opened_at": T0, "resolved_at": T0 + H, "category": "closed", "g": n % 3}
    return base | {"first_contact_resolved": True, "reopen_count": 0} | fields


def rows(n: int) -> list[dict[str, Any]]:
    """``n`` records: every 7th unresolved, position 5000 naive, 9000 with a bad flag."""
    out = [row(i, resolved_at=None) if i % 7 == 3 else row(i) for i in range(n)]
    out[5000] = row(5000, opened_at=datetime(2024, 3, 1))
    out[9000] = row(9000, first_contact_resolved="yes")
    return out


def test_positions_are_counted_across_batches_of_any_input() -> None:
    """A list, a tuple and a generator longer than a batch give the same positions."""
    records = rows(2 * BATCH + 1000)
    for measure in (TimeToResolve(by="g"), FirstContactResolution(by="g")):
        whole = measure(records)
        assert measure(tuple(records)) == whole
        assert measure(r for r in records) == whole
    mttr = TimeToResolve(by="g")(r for r in records)
    assert mttr.field_issues["opened_at"]["naive datetime (no time zone)"].samples == ("#5000",)
    fcr = FirstContactResolution(by="g")(iter(records))
    assert fcr.field_issues["first_contact_resolved"]["not a bool (str)"].samples == ("#9000",)


def test_many_unresolved_records_are_all_counted_with_the_first_samples() -> None:
    """Exclusions counted in bulk keep the count exact and the first five keys."""
    records = rows(3 * BATCH)
    unresolved = [i for i in range(len(records)) if i % 7 == 3]
    for measure in (TimeToResolve(), FirstContactResolution()):
        tally = measure(iter(records)).exclusions["unresolved"]
        assert tally.count == len(unresolved)
        assert tally.samples == tuple(f"#{i}" for i in unresolved[:5])


def test_unhashable_group_values_are_reported_not_raised() -> None:
    """A list as a group value leaves that record out with a field issue, mid-stream."""
    records = [row(0), row(1, g=[1]), row(2), row(3, g={"a": 1})]
    for measure in (TimeToResolve(by="g"), FirstContactResolution(by="g")):
        result = measure(records)
        assert set(result.groups) == {(0,), (2,)}
        assert result.field_issues["g"]["unhashable group value (list)"].samples == ("#1",)
        assert result.exclusions["no g to group by"].count == 2


def test_groups_equal_under_numeric_equality_share_a_state() -> None:
    """1 and 1.0 (and True) are one group, as they are one key of a dict."""
    records = [row(0, g=1), row(1, g=1.0), row(2, g=True), row(3, g=2)]
    result = FirstContactResolution(by="g")(records)
    assert {key: stats.population for key, stats in result.groups.items()} == {(1,): 3, (2,): 1}


def chunks(records: list[dict[str, Any]], cut: int) -> Iterator[dict[str, Any]]:
    """The same records from a generator (reaching the fast path in batches)."""
    yield from records[:cut]
    yield from records[cut:]


@settings(max_examples=50)
@given(st.lists(incident(), max_size=30), st.integers(0, 30))
def test_lists_and_generators_agree_on_random_records(
    records: list[dict[str, Any]], cut: int
) -> None:
    """Results, exclusions and samples do not depend on how the records are passed."""
    for measure in (
        TimeToResolve(by=("priority", "service")),
        FirstContactResolution(by="priority"),
    ):
        assert measure(chunks(records, cut)) == measure(records)


def test_a_zone_without_offset_is_naive_on_every_path() -> None:
    """After a good record opened the group, a datetime with a None offset is still refused."""
    naive = datetime(2024, 3, 1, 9, tzinfo=NoOffset())
    records = [row(0, g=0), row(1, g=0, opened_at=naive, resolved_at=naive + H)]
    problem = "naive datetime (no time zone)"
    for clock in (WallClock(), HalfClock()):
        result = TimeToResolve(clock=clock, by="g")(records)
        assert result.field_issues["opened_at"][problem].samples == ("#1",)
    fcr = FirstContactResolution(by="g")(records)
    assert fcr.field_issues["resolved_at"][problem].samples == ("#1",)
    by_day = TimeToResolve(by=ByPeriod("resolved_at", "day"))([row(0), row(1, resolved_at=naive)])
    assert by_day.field_issues["resolved_at"][problem].samples == ("#1",)
