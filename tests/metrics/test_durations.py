"""Time-to-X measures: definitions, exclusions, clocks, pauses and grouping."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from tests.metrics.support import T0, Ticket, as_ticket, incidents, ticket

from itilkit.errors import InvalidInputError
from itilkit.metrics import (
    ByPeriod,
    FieldMap,
    LeadTimeForChanges,
    Period,
    TimeBetween,
    TimeToAcknowledge,
    TimeToResolve,
    TimeToRestoreService,
    WallClock,
)

H = timedelta(hours=1)


def test_mean_median_percentiles_and_count() -> None:
    """Statistics follow the documented linear-interpolation definition."""
    records = [ticket(str(i), h) for i, h in enumerate([1, 2, 3, 10])]
    stats = TimeToResolve(percentiles=(0.25, 0.9))(records).overall
    assert stats.count == 4
    assert stats.total == 16 * H
    assert stats.mean == 4 * H
    assert stats.median == 2.5 * H
    assert stats.percentiles == {0.25: 1.75 * H, 0.9: 7.9 * H}
    assert (stats.minimum, stats.maximum) == (1 * H, 10 * H)


def test_empty_input_gives_a_defined_result() -> None:
    """No records: count 0, statistics None, no groups, nothing excluded."""
    result = TimeToResolve(by="priority")([])
    assert result.overall.count == 0
    assert result.overall.mean is None
    assert result.overall.median is None
    assert result.overall.percentiles == {0.9: None}
    assert result.groups == {}
    assert result.excluded == 0


def test_exclusions_and_field_issues_are_reported_with_keys() -> None:
    """Each left-out record is counted under its reason, with sample keys."""
    records = [
        ticket("ok", 2),
        ticket("open", None),
        ticket("gone", 1, category="canceled"),
        ticket("naive", 1, opened_at=datetime(2024, 3, 1)),
        ticket("text", 1, resolved_at="2024-03-01"),
        ticket("back", -1),
        {"id": "nokey", "opened_at": T0},
    ]
    result = TimeToResolve()(records)
    assert result.overall.count == 1
    assert {r: (t.count, t.samples) for r, t in result.exclusions.items()} == {
        "unresolved": (1, ("open",)),
        "canceled": (1, ("gone",)),
        "no valid opened_at": (1, ("naive",)),
        "no valid resolved_at": (2, ("text", "nokey")),
        "resolved_at before opened_at": (1, ("back",)),
    }
    assert {f: {p: t.count for p, t in ps.items()} for f, ps in result.field_issues.items()} == {
        "opened_at": {"naive datetime (no time zone)": 1},
        "resolved_at": {"absent": 1, "not a datetime (str)": 1},
    }


def test_samples_keep_the_first_five_and_fall_back_to_position() -> None:
    """A tally keeps five keys; records without an id are named by position."""
    records = [{"opened_at": T0, "resolved_at": None} for _ in range(8)]
    tally = TimeToResolve()(records).exclusions["unresolved"]
    assert tally.count == 8
    assert tally.samples == ("#0", "#1", "#2", "#3", "#4")


def test_field_map_reads_other_column_names() -> None:
    """ServiceNow-style names work through a FieldMap."""
    rows = [{"number": "INC1", "sys_created_on": T0, "resolved": T0 + H, "state": "closed"}]
    fields = FieldMap(
        {
            "id": "number",
            "opened_at": "sys_created_on",
            "resolved_at": "resolved",
            "category": "state",
        }
    )
    assert TimeToResolve(fields=fields)(rows).overall.median == H
    assert TimeToResolve(fields={"category": None})([ticket("a", 3)]).overall.mean == 3 * H


def test_field_map_rejects_unknown_fields_and_required_absence() -> None:
    """Typos in a field map and required fields declared absent fail at construction."""
    with pytest.raises(InvalidInputError, match="unknown logical field"):
        FieldMap({"opened": "x"})
    with pytest.raises(InvalidInputError, match="resolved_at"):
        TimeToResolve(fields={"resolved_at": None})


def test_grouping_by_fields_and_by_period_in_a_time_zone() -> None:
    """Groups are keyed by field values and period starts in the chosen zone."""
    from zoneinfo import ZoneInfo

    late = datetime(2024, 3, 31, 23, 30, tzinfo=UTC)  # 1 April in Paris
    records = [
        ticket("a", 1, priority=1),
        ticket("b", 3, priority=1, resolved_at=late),
        ticket("c", 5, priority=2),
    ]
    by_month = TimeToResolve(
        by=["priority", ByPeriod("resolved_at", Period.MONTH, ZoneInfo("Europe/Paris"))]
    )
    result = by_month(records)
    assert result.by == ("priority", "resolved_at_month")
    assert sorted(result.groups) == [
        (1, date(2024, 3, 1)),
        (1, date(2024, 4, 1)),
        (2, date(2024, 3, 1)),
    ]
    assert result.groups[2, date(2024, 3, 1)].median == 5 * H
    utc = TimeToResolve(by=ByPeriod("resolved_at", "month"))(records)
    assert list(utc.groups) == [(date(2024, 3, 1),)]


@pytest.mark.parametrize(
    ("period", "day", "start"),
    [
        (Period.DAY, date(2024, 5, 9), date(2024, 5, 9)),
        (Period.WEEK, date(2024, 5, 9), date(2024, 5, 6)),
        (Period.MONTH, date(2024, 5, 9), date(2024, 5, 1)),
        (Period.QUARTER, date(2024, 12, 31), date(2024, 10, 1)),
    ],
)
def test_period_start_and_following(period: Period, day: date, start: date) -> None:
    """A period key is its first day; the following period starts right after it ends."""
    assert period.start(day) == start
    following = period.following(start)
    assert period.start(following - timedelta(days=1)) == start
    assert period.start(following) == following


class HalfClock:
    """A test business clock that counts half of the wall time."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Half the wall time."""
        return (end - start) / 2


def test_business_clock_and_pause_intervals() -> None:
    """Pauses are clipped to the interval and measured on the same clock."""
    pauses = [(T0 - H, T0 + H), (T0 + 2 * H, T0 + 3 * H), (T0 + 2.5 * H, T0 + 4 * H)]
    records = [ticket("p", 10, pauses=pauses)]
    wall = TimeToResolve(exclude_paused=True)(records).overall.mean
    assert wall == 10 * H - 1 * H - 2 * H
    business = TimeToResolve(clock=HalfClock(), exclude_paused=True)(records).overall.mean
    assert business == (10 * H - 3 * H) / 2
    assert TimeToResolve(clock=HalfClock())(records).overall.mean == 5 * H


def test_paused_total_works_on_wall_clock_only() -> None:
    """A timedelta total subtracts on the wall clock; business time needs intervals."""
    records = [ticket("t", 10, pauses=4 * H), ticket("long", 1, pauses=2 * H)]
    result = TimeToResolve(exclude_paused=True)(records)
    assert result.overall.mean == 6 * H
    assert result.field_issues["pauses"]["paused total longer than the interval"].samples == (
        "long",
    )
    business = TimeToResolve(clock=HalfClock(), exclude_paused=True)(records)
    assert business.overall.count == 0
    assert business.exclusions["no valid pauses"].count == 2


def test_clock_must_have_elapsed() -> None:
    """A clock without elapsed() is refused with what is allowed."""
    with pytest.raises(InvalidInputError, match="elapsed"):
        TimeToResolve(clock=object())  # type: ignore[arg-type]


def test_family_members_read_their_own_timestamps() -> None:
    """MTTA, MTRS, lead time and TimeBetween measure their documented interval."""
    record = {
        "opened_at": T0,
        "acknowledged_at": T0 + 0.5 * H,
        "failed_at": T0 + H,
        "restored_at": T0 + 4 * H,
        "committed_at": T0,
        "deployed_at": T0 + 30 * H,
        "closed_at": T0 + 48 * H,
    }
    assert TimeToAcknowledge()([record]).overall.mean == 0.5 * H
    assert TimeToRestoreService()([record]).overall.mean == 3 * H
    assert LeadTimeForChanges()([record]).overall.mean == 30 * H
    assert (
        TimeBetween(from_field="opened_at", to_field="closed_at")([record]).overall.mean == 48 * H
    )
    with pytest.raises(InvalidInputError, match="logical timestamp"):
        TimeBetween(from_field="opened_at", to_field="priority")


def _oracle(records: list[Any]) -> tuple[dict[Any, list[timedelta]], int]:
    """Slow, obvious time-to-resolve: durations per priority, and the excluded count."""
    groups: dict[Any, list[timedelta]] = {}
    excluded = 0
    for record in records:
        get = record.get if isinstance(record, dict) else lambda n, r=record: getattr(r, n, None)
        start, end, category = get("opened_at"), get("resolved_at"), get("category")
        ok = (
            category in (None, "new", "active", "paused", "resolved", "closed")
            and isinstance(start, datetime)
            and start.tzinfo is not None
            and isinstance(end, datetime)
            and end.tzinfo is not None
            and end.astimezone(UTC) >= start.astimezone(UTC)
        )
        if ok:
            assert isinstance(start, datetime)
            assert isinstance(end, datetime)
            # Real elapsed time: in UTC, as aware datetimes in one zone subtract as wall time.
            groups.setdefault(get("priority"), []).append(
                end.astimezone(UTC) - start.astimezone(UTC)
            )
        else:
            excluded += 1
    return groups, excluded


@given(incidents)
def test_matches_a_slow_oracle_on_dicts_and_objects(records: list[dict[str, Any]]) -> None:
    """Counts, totals, extremes and medians equal the oracle's; every record is accounted for."""
    mixed: list[Any] = [as_ticket(r) if i % 3 == 1 else r for i, r in enumerate(records)]
    for batch in (records, [as_ticket(r) for r in records], mixed):
        result = TimeToResolve(by="priority")(batch)
        groups, excluded = _oracle(batch)
        assert result.excluded == excluded
        assert sorted(k[0] for k in result.groups) == sorted(groups)
        for (priority,), stats in result.groups.items():
            values = sorted(groups[priority])
            assert stats.count == len(values)
            assert stats.total == sum(values, timedelta(0))
            assert (stats.minimum, stats.maximum) == (values[0], values[-1])
            seconds = statistics.median(v.total_seconds() for v in values)
            assert stats.median is not None
            assert abs(stats.median.total_seconds() - seconds) <= 1e-6
        assert result.overall.count + result.excluded == len(batch)
        reasons = Counter({r: t.count for r, t in result.exclusions.items()})
        assert sum(reasons.values()) == excluded


def test_ticket_objects_use_the_fast_path_and_agree_with_dicts() -> None:
    """Slots objects and dicts with the same values give equal results."""
    records = [ticket(str(i), i % 7 + 0.25, priority=i % 3) for i in range(50)]
    objects = [Ticket(**r) for r in records]
    assert TimeToResolve(by="priority")(records) == TimeToResolve(by="priority")(objects)


def test_wall_clock_durations_are_real_time_across_a_dst_change() -> None:
    """Two times in one zone on either side of a DST change: real elapsed time, every path."""
    london = ZoneInfo("Europe/London")
    opened = datetime(2026, 3, 29, 0, 30, tzinfo=london)  # GMT, 00:30 UTC
    resolved = datetime(2026, 3, 29, 3, 0, tzinfo=london)  # BST, 02:00 UTC
    real = resolved.astimezone(UTC) - opened.astimezone(UTC)
    assert real == 90 * timedelta(minutes=1)
    assert WallClock().elapsed(opened, resolved) == real
    row = {"opened_at": opened, "resolved_at": resolved, "category": None}
    assert TimeToResolve()([row]).overall.mean == real
    assert TimeToResolve()([as_ticket(row | {"id": "A"})]).overall.mean == real
    assert TimeToResolve(exclude_paused=True)([row]).overall.mean == real
    # In the autumn fold, 01:30 (second, GMT) comes after 01:45 (first, BST).
    first = datetime(2026, 10, 25, 1, 45, tzinfo=london)
    second = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london)
    fold = {"opened_at": first, "resolved_at": second, "category": None}
    assert TimeToResolve()([fold]).overall.mean == timedelta(minutes=45)
    assert (
        TimeToResolve()([{**fold, "opened_at": second, "resolved_at": first}])
        .exclusions["resolved_at before opened_at"]
        .count
        == 1
    )
    # On a business clock's bulk path too: real order decides, not wall-clock reading.
    bulk = TimeToResolve(clock=_BulkWall())
    assert bulk([fold]).overall.mean == timedelta(minutes=45)
    reversed_ = bulk([{**fold, "opened_at": second, "resolved_at": first}])
    assert reversed_.exclusions["resolved_at before opened_at"].count == 1


class _BulkWall:
    """Wall-clock time with ``elapsed_many``, so measures take the bulk clock path."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Real elapsed time."""
        return WallClock().elapsed(start, end)

    def elapsed_many(self, starts: list[datetime], ends: list[datetime]) -> list[timedelta]:
        """Real elapsed time of each pair."""
        return [self.elapsed(s, e) for s, e in zip(starts, ends, strict=True)]
