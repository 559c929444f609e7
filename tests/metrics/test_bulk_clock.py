"""Business clocks: the bulk path gives exactly what ``take`` gives record by record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.metrics.support import T0, incident

from itilkit.errors import InvalidInputError
from itilkit.metrics import TimeToResolve

H = timedelta(hours=1)


class ThirdClock:
    """A test clock counting a third of the wall time, per record only."""

    def __init__(self) -> None:
        """No calls yet."""
        self.single = 0

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """A third of ``end - start``; refuses starts on a minute divisible by 7."""
        self.single += 1
        if start.minute % 7 == 0:
            raise InvalidInputError("refused")
        return (end - start) // 3


class BulkThirdClock(ThirdClock):
    """The same clock with a bulk method, counting its calls."""

    def __init__(self) -> None:
        """No calls yet."""
        super().__init__()
        self.bulk: list[int] = []

    def elapsed_many(self, starts: Sequence[datetime], ends: Sequence[datetime]) -> list[timedelta]:
        """Each pair's :meth:`elapsed`, refusing the whole batch as the per-pair call would."""
        self.bulk.append(len(starts))
        if any(start.minute % 7 == 0 for start in starts):
            raise InvalidInputError("refused")
        return [(end - start) // 3 for start, end in zip(starts, ends, strict=True)]


def record_at(n: int, **fields: Any) -> dict[str, Any]:
    """Opened ``n`` hours after T0 (at minute 7, refused, when n % 7 == 0), resolved 10 h later."""
    opened = T0 + timedelta(hours=n, minutes=1 if n % 7 else 7)
    base = {"id": f"R{n}", "opened_at": opened, "resolved_at": opened + 10 * H, "g": n % 2}
    return base | {"category": "closed"} | fields


@settings(max_examples=60)
@given(st.lists(incident(), max_size=30))
def test_bulk_and_per_record_clocks_agree_with_take(records: list[dict[str, Any]]) -> None:
    """Fast paths, bulk or not, equal the definition (``take`` on every record)."""
    for clock in (ThirdClock(), BulkThirdClock()):
        definition = TimeToResolve(clock=clock, exclude_paused=True, by="priority")(records)
        assert TimeToResolve(clock=clock, by="priority")(records) == definition


def test_accepted_records_are_measured_in_bulk() -> None:
    """Only a group's first record (creating the group) is measured on its own."""
    clock = BulkThirdClock()
    records = [record_at(n) for n in range(1, 20_000) if n % 7]
    assert len(records) > 2 * 8192
    result = TimeToResolve(clock=clock, by="g")(records)
    assert result.overall.count == len(records)
    assert clock.single == 2
    assert sum(clock.bulk) == len(records) - 2
    assert result.overall.total == sum((10 * H // 3 for _ in records), timedelta(0))


def test_a_refused_batch_is_reported_record_by_record_in_order() -> None:
    """The clock's refusal excludes only the refused records, samples in input order."""
    records = [record_at(n) for n in range(1, 40)]
    records[2] = record_at(3, resolved_at=None)
    result = TimeToResolve(clock=BulkThirdClock(), by="g")(records)
    refused = [n for n in range(1, 40) if n % 7 == 0]
    tally = result.exclusions["clock error: InvalidInputError"]
    assert tally.count == len(refused)
    assert tally.samples == tuple(f"R{n}" for n in refused[:5])
    assert result.exclusions["unresolved"].samples == ("R3",)
    assert result.overall.count == 39 - len(refused) - 1
