"""The storage values check themselves: what a store receives is always valid."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.categories import StateCategory
from itilkit.errors import HistorySequenceError, InvalidInputError, NaiveDatetimeError
from itilkit.storage import (
    HistoryEntry,
    Order,
    PageCursor,
    RecordFilter,
    RecordWrite,
    StoredRecord,
    validate_writes,
)
from itilkit.testing import first_write, next_write, sample_index
from itilkit.testing._samples import T0


@pytest.mark.parametrize(
    "changes",
    [
        {"state": ""},
        {"state": "a\x00b"},
        {"state": "\udc80"},
        {"state": "x" * 513},
        {"category": "open"},
        {"priority": -1},
        {"priority": True},
        {"priority": 2**31},
        {"assignment_group": 5},
        {"opened_at": "2026-01-01"},
        {"updated_at": datetime(2026, 1, 1)},
        {"practice": ""},
        {"name": "a\x00b"},
        {"classification": 7},
        {"sla_due_at": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))},
    ],
)
def test_index_fields_refuse_bad_values(changes: dict[str, Any]) -> None:
    """Empty, NUL, surrogate or overlong text, unknown categories, out-of-range ints."""
    with pytest.raises(InvalidInputError):
        sample_index(**changes)


def test_index_fields_refuse_naive_times() -> None:
    """A naive time is a NaiveDatetimeError naming the field."""
    with pytest.raises(NaiveDatetimeError, match="updated_at"):
        sample_index(updated_at=datetime(2026, 1, 1))


def test_index_fields_keep_times_in_utc_and_categories_typed() -> None:
    """Times become the same instant in UTC; a category value becomes the enum."""
    local = T0.astimezone(timezone(timedelta(hours=-7)))
    index = sample_index(opened_at=local, category="paused")
    assert index.opened_at == T0
    assert index.opened_at.tzinfo is UTC
    assert index.category is StateCategory.PAUSED


def test_a_record_refuses_bad_versions_and_payloads() -> None:
    """Version 0, schema version 0 and a non-text payload are refused."""
    record = first_write("incident", "INC-1").record
    bad: list[dict[str, Any]] = [
        {"version": 0},
        {"schema_version": 0},
        {"payload": b"{}"},
        {"index": {}},
    ]
    for changes in bad:
        with pytest.raises(InvalidInputError):
            attrs.evolve(record, **changes)


def test_a_write_needs_history_numbered_after_the_stored_one() -> None:
    """History entries continue from previous_history_length, consecutively."""
    write = next_write(first_write("incident", "INC-1", history=2).record, history=2)
    assert (write.expected_version, write.previous_history_length) == (1, 2)
    entries = write.history
    with pytest.raises(HistorySequenceError):
        RecordWrite(write.record, (entries[1], entries[0]))
    with pytest.raises(InvalidInputError):
        RecordWrite(write.record, entries * 3)  # more entries than history_length
    stranger = attrs.evolve(entries[0], record_id="INC-2")
    with pytest.raises(InvalidInputError):
        RecordWrite(write.record, (stranger, entries[1]))


def test_a_create_starts_its_history_at_one() -> None:
    """A version-1 record claiming older history is refused."""
    record = attrs.evolve(first_write("incident", "INC-1", history=1).record, history_length=3)
    entry = HistoryEntry(kind="incident", record_id="INC-1", sequence=3, schema_version=1,
                         at=T0, payload="{}")  # fmt: skip
    with pytest.raises(HistorySequenceError):
        RecordWrite(record, (entry,))


def test_validate_writes_refuses_a_record_twice_and_non_writes() -> None:
    """A batch is a sequence of RecordWrite values naming each record once."""
    write = first_write("incident", "INC-1")
    assert validate_writes([write]) == (write,)
    for bad in (write, "x", 7, [write, write], [write, "x"]):
        with pytest.raises(InvalidInputError):
            validate_writes(bad)  # type: ignore[arg-type]


def test_filters_take_one_name_or_several() -> None:
    """A single string is one name; None is any; too many values are refused."""
    assert RecordFilter(states="new").states == frozenset({"new"})
    both = frozenset({StateCategory.NEW, StateCategory.ACTIVE})
    assert RecordFilter(categories=["new", StateCategory.ACTIVE]).categories == both
    for bad in ({"states": 5}, {"categories": ["open"]}, {"priorities": ["1"]},
                {"assignment_groups": [str(n) for n in range(1001)]}):  # fmt: skip
        with pytest.raises(InvalidInputError):
            RecordFilter(**bad)


@given(
    order=st.sampled_from(list(Order)),
    record_id=st.text(min_size=1, max_size=20).filter(lambda s: "\x00" not in s),
    priority=st.one_of(st.none(), st.integers(0, 2**31 - 1)),
    due=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
)
def test_cursor_tokens_round_trip(
    order: Order, record_id: str, priority: int | None, due: datetime | None
) -> None:
    """token() and from_token() are inverse for every cursor."""
    try:
        record_id.encode()
    except UnicodeEncodeError:
        return
    index = sample_index(priority=priority, sla_due_at=due)
    record = StoredRecord(
        kind="incident", id=record_id, version=1, schema_version=1, payload="{}", index=index
    )
    cursor = PageCursor.after(order, record)
    assert PageCursor.from_token(cursor.token()) == cursor


@given(st.text())
def test_anything_else_is_not_a_cursor_token(token: str) -> None:
    """Arbitrary text is refused with InvalidInputError, or is a real token."""
    with contextlib.suppress(InvalidInputError):
        PageCursor.from_token(token)


def test_a_priority_cursor_without_opened_time_stands_after_every_time() -> None:
    """Without opened_at (a record without times), a priority cursor stands after every
    record of its priority that has one: no opened time sorts last."""
    untimed = PageCursor(order=Order.PRIORITY, record_id="a", priority=2)
    timed = PageCursor(order=Order.PRIORITY, record_id="z", priority=2, opened_at=T0)
    assert timed.sort_key() < untimed.sort_key()
    assert PageCursor.from_token(untimed.token()) == untimed
    with pytest.raises(InvalidInputError):
        PageCursor(order="sideways", record_id="x")


def test_a_deeply_nested_value_is_refused_without_recursion() -> None:
    """The refusal shows a short repr (a RecursionError escaped before; found by tests/boundary)."""
    deep: list[object] = []
    for _ in range(20_000):
        deep = [deep]
    with pytest.raises(InvalidInputError, match=r"kind must be a non-empty string, got \[\[\["):
        HistoryEntry(
            kind=deep,  # type: ignore[arg-type]
            record_id="INC-1",
            sequence=1,
            schema_version=1,
            at=T0,
            payload="{}",
        )
    with pytest.raises(InvalidInputError, match=r"states must be a non-empty string, got \[\[\["):
        RecordFilter(states=deep)
