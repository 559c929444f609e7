"""A hypothesis state machine comparing a store with the in-memory oracle, step by step.

Each rule runs the same operation on the store under test and on an
:class:`~itilkit.storage.InMemoryRecordStore`, and asserts the two observed
the same thing: equal results (payloads as JSON values), or errors of the
same type with the same data. Subclass it, implement ``make_store``, and
expose its test case::

    class OurStoreMachine(RecordStoreStateMachine):
        def make_store(self) -> RecordStore:
            return OurStore(...)

    TestOurStore = OurStoreMachine.TestCase
    TestOurStore.settings = settings(max_examples=50, stateful_step_count=30)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from itilkit.errors import ItilkitError
from itilkit.storage import (
    HistoryEntry,
    InMemoryRecordStore,
    Order,
    Page,
    PageCursor,
    RecordFilter,
    RecordStore,
    RecordWrite,
    StoredRecord,
)
from itilkit.testing._samples import T0, first_write, next_write

__all__ = ["RecordStoreStateMachine"]

KINDS = st.sampled_from(("incident", "problem"))
IDS = st.sampled_from(("a", "b", "c", "x'); DROP TABLE itilkit_records;--", "ü 1", "%_"))
STATES = st.sampled_from((("new", "new"), ("active", "active"), ("on_hold", "paused"),
                          ("resolved", "resolved")))  # fmt: skip
PRIORITIES = st.one_of(st.none(), st.integers(1, 4))
GROUPS = st.sampled_from((None, "network", "email"))
TIMES = st.one_of(st.none(), st.integers(0, 8).map(lambda h: T0 + timedelta(hours=h)))


@st.composite
def index_changes(draw: st.DrawFn) -> dict[str, Any]:
    """Random index fields for a write."""
    state, category = draw(STATES)
    return {
        "state": state,
        "category": category,
        "priority": draw(PRIORITIES),
        "assignment_group": draw(GROUPS),
        "opened_at": draw(
            st.one_of(st.none(), st.integers(0, 3).map(lambda m: T0 + timedelta(minutes=m)))
        ),
        "sla_due_at": draw(TIMES),
        "classification": draw(st.sampled_from((None, "server", "service"))),
    }


FILTERS = st.builds(
    RecordFilter,
    states=st.one_of(st.none(), st.sets(st.sampled_from(("new", "active", "on_hold")))),
    priorities=st.one_of(st.none(), st.sets(st.integers(1, 4), max_size=2)),
    assignment_groups=st.one_of(st.none(), st.sets(st.sampled_from(("network", "email")))),
    sla_due_by=TIMES,
    classifications=st.one_of(st.none(), st.sets(st.sampled_from(("server", "service")))),
)


def _observed(value: object) -> object:
    """What an operation showed, in a form two stores can be compared by."""
    if isinstance(value, StoredRecord):
        return ("record", attrs.evolve(value, payload="-"), json.loads(value.payload))
    if isinstance(value, HistoryEntry):
        return ("entry", attrs.evolve(value, payload="-"), json.loads(value.payload))
    if isinstance(value, Page):
        return ("page", [_observed(item) for item in value.items], value.next)
    if isinstance(value, tuple | list):
        return [_observed(item) for item in value]
    return value


def _outcome(call: Callable[[], object]) -> object:
    try:
        return ("ok", _observed(call()))
    except ItilkitError as error:
        data = {k: v for k, v in vars(error).items() if not k.startswith("_")}
        return ("error", type(error).__name__, data)


class RecordStoreStateMachine(RuleBasedStateMachine):
    """Random writes, reads, listings and histories on a store and on the oracle."""

    def make_store(self) -> RecordStore:
        """A new, empty store of the kind under test (required)."""
        raise NotImplementedError("a state machine needs make_store() returning a new store")

    def close_store(self, store: RecordStore) -> None:
        """Release a store made by make_store (default: ``store.close()``)."""
        store.close()

    def __init__(self) -> None:
        super().__init__()
        self.store = self.make_store()
        self.oracle = InMemoryRecordStore()

    def _both(self, operation: Callable[[RecordStore], object]) -> object:
        expected = _outcome(lambda: operation(self.oracle))
        got = _outcome(lambda: operation(self.store))
        assert got == expected, f"store gave {got!r}, the oracle {expected!r}"
        return expected

    def _known(self) -> list[StoredRecord]:
        return [r for kind in ("incident", "problem") for r in self._all(self.oracle, kind)]

    @staticmethod
    def _all(store: RecordStore, kind: str) -> list[StoredRecord]:
        return list(store.list(kind, limit=10_000).items)

    @rule(kind=KINDS, record_id=IDS, history=st.integers(0, 3), index=index_changes())
    def create(self, kind: str, record_id: str, history: int, index: dict[str, Any]) -> None:
        """Create a record (a duplicate when the id exists)."""
        write = first_write(kind, record_id, history=history, **index)
        self._both(lambda s: s.write([write]))

    @precondition(lambda self: bool(self._known()))
    @rule(data=st.data(), history=st.integers(0, 3), index=index_changes(),
          skew=st.sampled_from((0, 0, 0, -1, 1)))  # fmt: skip
    def update(self, data: st.DataObject, history: int, index: dict[str, Any], skew: int) -> None:
        """Write the next version of a record, sometimes expecting a wrong version."""
        record = data.draw(st.sampled_from(self._known()))
        if record.version + skew >= 1:
            base = attrs.evolve(record, version=record.version + skew)
            write = next_write(base, history=history, **index)
            self._both(lambda s: s.write([write]))

    @precondition(lambda self: len(self._known()) >= 2)
    @rule(data=st.data(), fresh=IDS, stale_at=st.integers(0, 2))
    def batch_failing_midway(self, data: st.DataObject, fresh: str, stale_at: int) -> None:
        """A batch of good writes with one stale write among them: all or nothing."""
        chosen = data.draw(st.lists(st.sampled_from(self._known()), min_size=2, max_size=3,
                                    unique_by=lambda r: r.key))  # fmt: skip
        writes: list[RecordWrite] = [next_write(r) for r in chosen]
        stale = chosen[min(stale_at, len(chosen) - 1)]
        if stale.version > 1:
            writes[chosen.index(stale)] = next_write(attrs.evolve(stale, version=stale.version - 1))
        if ("incident", fresh) not in {r.key for r in chosen}:
            writes.append(first_write("incident", fresh))
        self._both(lambda s: s.write(writes))

    @rule(kind=KINDS, record_id=IDS)
    def load(self, kind: str, record_id: str) -> None:
        """Load a record (missing ones raise RecordNotFoundError on both)."""
        self._both(lambda s: s.load(kind, record_id))

    @rule(kind=KINDS, filter=FILTERS, order=st.sampled_from(list(Order)),
          limit=st.integers(1, 4))  # fmt: skip
    def list_pages(self, kind: str, filter: RecordFilter, order: Order, limit: int) -> None:
        """Page through a listing, comparing each page and cursor."""
        after: PageCursor | None = None
        for _ in range(50):

            def listing(s: RecordStore, after: PageCursor | None = after) -> object:
                return s.list(kind, filter, order=order, after=after, limit=limit)

            page = self._both(listing)
            assert isinstance(page, tuple)
            assert page[0] == "ok"
            after = page[1][2]
            if after is None:
                return

    @rule(kind=KINDS, record_id=IDS, after=st.integers(0, 4), up_to=st.none() | st.integers(0, 8),
          limit=st.none() | st.integers(1, 3), newest_first=st.booleans())  # fmt: skip
    def history(
        self,
        kind: str,
        record_id: str,
        after: int,
        up_to: int | None,
        limit: int | None,
        newest_first: bool,
    ) -> None:
        """Read a range of a record's history."""
        self._both(lambda s: s.history(kind, record_id, after=after, up_to=up_to, limit=limit,
                                       newest_first=newest_first))  # fmt: skip

    @invariant()
    def same_contents(self) -> None:
        """Both hold the same records."""
        for kind in ("incident", "problem"):
            self._both(lambda s, kind=kind: self._all(s, kind))  # type: ignore[misc]

    def teardown(self) -> None:
        self.close_store(self.store)
        self.oracle.close()
