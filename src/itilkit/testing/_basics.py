"""Contract cases: round trips, versions and conflicts, atomic batches, history, errors."""

from __future__ import annotations

import json
from datetime import timedelta

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itilkit.errors import (
    ConcurrencyConflictError,
    DuplicateRecordError,
    HistorySequenceError,
    InvalidInputError,
    ItilkitError,
    RecordNotFoundError,
    StoreUnavailableError,
)
from itilkit.storage import Order, RecordFilter, RecordStore, RecordWrite
from itilkit.testing._base import StoreContractBase, same_records
from itilkit.testing._samples import T0, first_write, next_write

__all__ = ["StoreBasics"]

#: Ids shaped like SQL injection, wildcards and odd text: each must round-trip verbatim.
AWKWARD_IDS = (
    "x'); DROP TABLE itilkit_records;--",
    'a"b',
    "50%_off\\",
    " padded ",
    "ünïcödé-工单-🎫",
    "line\nbreak\ttab",
    "?",
    "$1",
)


class StoreBasics(StoreContractBase):
    """Round trips, versions, conflicts, batches, history, bad input, close."""

    # -- round trip and reading ------------------------------------------------------

    def test_write_then_load_round_trips_every_field(self, store: RecordStore) -> None:
        """Every field comes back; the payload as an equal JSON value."""
        write = first_write("incident", "INC-1", history=2, priority=1, sla_due_at=T0)
        self.write(store, write)
        assert same_records(store.load("incident", "INC-1"), write.record)

    def test_load_missing_raises_record_not_found(self, store: RecordStore) -> None:
        """A missing record is a RecordNotFoundError, which is also a LookupError."""
        self.write(store, first_write("incident", "INC-1"))
        with pytest.raises(RecordNotFoundError) as raised:
            store.load("incident", "INC-2")
        assert isinstance(raised.value, LookupError)
        assert (raised.value.kind, raised.value.record_id) == ("incident", "INC-2")

    def test_kinds_are_separate_namespaces(self, store: RecordStore) -> None:
        """The same id under two kinds is two records, each with its own history."""
        self.write(store, first_write("incident", "X-1", history=1, state="new"))
        self.write(store, first_write("problem", "X-1", history=3, state="analysis"))
        assert store.load("incident", "X-1").index.state == "new"
        assert store.load("problem", "X-1").history_length == 3
        assert len(store.history("incident", "X-1")) == 1
        assert [r.kind for r in store.list("problem").items] == ["problem"]

    def test_injection_shaped_ids_are_stored_verbatim(self, store: RecordStore) -> None:
        """Ids and names shaped like SQL injection or wildcards round-trip unchanged."""
        for record_id in AWKWARD_IDS:
            self.write(store, first_write("incident", record_id, assignment_group=record_id))
        assert sorted(r.id for r in store.list("incident", limit=100).items) == sorted(AWKWARD_IDS)
        for record_id in AWKWARD_IDS:
            assert store.load("incident", record_id).index.assignment_group == record_id
            only = store.list("incident", RecordFilter(assignment_groups=record_id))
            assert [r.id for r in only.items] == [record_id]

    # -- creating, versions and conflicts --------------------------------------------

    def test_create_existing_id_raises_duplicate_and_keeps_original(
        self, store: RecordStore
    ) -> None:
        """A second create of one id raises DuplicateRecordError; the first stays."""
        original = first_write("incident", "INC-1", payload={"counter": 0, "who": "first"})
        self.write(store, original)
        with pytest.raises(DuplicateRecordError) as raised:
            self.write(store, first_write("incident", "INC-1", payload={"counter": 9}))
        assert (raised.value.expected, raised.value.actual) == (0, 1)
        assert same_records(store.load("incident", "INC-1"), original.record)

    def test_update_with_expected_version_increments_by_one(self, store: RecordStore) -> None:
        """Writing version n+1 over version n succeeds."""
        self.write(store, first_write("incident", "INC-1"))
        for expected in (1, 2, 3):
            self.write(store, next_write(store.load("incident", "INC-1")))
            assert store.load("incident", "INC-1").version == expected + 1

    def test_update_of_missing_record_raises_conflict(self, store: RecordStore) -> None:
        """A version-2 write of a record never created conflicts with actual None."""
        missing = next_write(first_write("incident", "INC-1").record)
        with pytest.raises(ConcurrencyConflictError) as raised:
            self.write(store, missing)
        assert (raised.value.expected, raised.value.actual) == (1, None)
        with pytest.raises(RecordNotFoundError):
            store.load("incident", "INC-1")

    def test_stale_expected_version_raises_conflict_with_expected_and_actual(
        self, store: RecordStore
    ) -> None:
        """A writer that loaded version 1 after version 2 was written conflicts."""
        self.write(store, first_write("incident", "INC-1"))
        loaded = store.load("incident", "INC-1")
        self.write(store, next_write(loaded))
        with pytest.raises(ConcurrencyConflictError) as raised:
            self.write(store, next_write(loaded))
        error = raised.value
        assert (error.kind, error.record_id, error.expected, error.actual) == (
            "incident", "INC-1", 1, 2)  # fmt: skip

    def test_future_expected_version_raises_conflict(self, store: RecordStore) -> None:
        """Expecting a version the store has not reached conflicts too."""
        self.write(store, first_write("incident", "INC-1"))
        ahead = attrs.evolve(store.load("incident", "INC-1"), version=5, history_length=0)
        with pytest.raises(ConcurrencyConflictError) as raised:
            self.write(store, RecordWrite(ahead))
        assert (raised.value.expected, raised.value.actual) == (4, 1)

    def test_conflict_leaves_record_and_history_unchanged(self, store: RecordStore) -> None:
        """After a conflict the record and its history read as before."""
        self.write(store, first_write("incident", "INC-1", history=2))
        loaded = store.load("incident", "INC-1")
        self.write(store, next_write(loaded, history=2))
        before = store.load("incident", "INC-1"), store.history("incident", "INC-1")
        with pytest.raises(ConcurrencyConflictError):
            self.write(store, next_write(loaded, history=3, state="closed", category="closed"))
        after = store.load("incident", "INC-1"), store.history("incident", "INC-1")
        assert same_records(after[0], before[0])
        assert same_records(after[1], before[1])

    def test_history_not_continuing_the_stored_one_is_refused(self, store: RecordStore) -> None:
        """Right version, wrong history start: HistorySequenceError, nothing written."""
        self.write(store, first_write("incident", "INC-1", history=2))
        loaded = store.load("incident", "INC-1")
        shifted = next_write(attrs.evolve(loaded, history_length=1))
        with pytest.raises(HistorySequenceError) as raised:
            self.write(store, shifted)
        assert (raised.value.expected, raised.value.got) == (3, 2)
        assert same_records(store.load("incident", "INC-1"), loaded)
        assert len(store.history("incident", "INC-1")) == 2

    # -- atomic batches --------------------------------------------------------------

    def test_batch_writes_records_and_history_together(self, store: RecordStore) -> None:
        """A batch of creates and updates lands whole."""
        self.write(store, first_write("problem", "PRB-1"))
        problem = store.load("problem", "PRB-1")
        creates = [first_write("incident", f"INC-{n}", history=n) for n in (1, 2, 3)]
        self.write(store, next_write(problem, history=2), *creates)
        assert store.load("problem", "PRB-1").version == 2
        assert len(store.history("problem", "PRB-1")) == 3
        assert [len(store.history("incident", f"INC-{n}")) for n in (1, 2, 3)] == [1, 2, 3]

    def test_batch_failing_midway_writes_nothing(self, store: RecordStore) -> None:
        """One stale write in the middle of a batch: none of the batch is written."""
        self.write(store, first_write("incident", "OLD-1"), first_write("incident", "OLD-2"))
        stale = store.load("incident", "OLD-2")
        self.write(store, next_write(stale))
        before = store.list("incident").items
        with pytest.raises(ConcurrencyConflictError) as raised:
            self.write(
                store,
                first_write("incident", "NEW-1", history=2),
                next_write(store.load("incident", "OLD-1")),
                next_write(stale),
                first_write("incident", "NEW-2"),
            )
        assert raised.value.record_id == "OLD-2"
        assert same_records(store.list("incident").items, before)
        assert store.history("incident", "NEW-1") == ()
        assert len(store.history("incident", "OLD-1")) == 1

    def test_batch_reports_its_first_failing_write(self, store: RecordStore) -> None:
        """With two bad writes in a batch, the error names the first in batch order."""
        self.write(store, first_write("incident", "A"), first_write("incident", "B"))
        with pytest.raises(DuplicateRecordError) as raised:
            self.write(store, first_write("incident", "B"), first_write("incident", "A"))
        assert raised.value.record_id == "B"

    def test_a_batch_larger_than_any_statement_limit_is_still_one_write(
        self, store: RecordStore
    ) -> None:
        """1,200 records of two kinds (more than one query's parameters in several
        databases): a duplicate at the very end writes none of them; without it all land."""
        self.write(store, first_write("incident", "R-1199"))
        big = [first_write("incident" if n % 2 else "problem", f"R-{n}", history=0)
               for n in range(1200)]  # fmt: skip
        with pytest.raises(DuplicateRecordError) as raised:
            self.write(store, *big)
        assert raised.value.record_id == "R-1199"
        assert [r.id for r in store.list("incident").items] == ["R-1199"]
        assert store.list("problem").items == ()
        self.write(store, *big[:-1])
        assert len(store.list("incident", limit=1000).items) == 600
        assert len(store.list("problem", limit=1000).items) == 600

    def test_batch_naming_a_record_twice_is_refused_before_any_write(
        self, store: RecordStore
    ) -> None:
        """Two writes of one record in a batch are bad input; nothing is written."""
        first = first_write("incident", "INC-1")
        with pytest.raises(InvalidInputError):
            self.write(store, first_write("incident", "INC-0"), first, next_write(first.record))
        assert store.list("incident").items == ()

    def test_empty_batch_is_a_no_op(self, store: RecordStore) -> None:
        """Writing an empty batch succeeds and changes nothing."""
        store.write([])
        assert store.list("incident").items == ()

    # -- history ---------------------------------------------------------------------

    def test_history_is_append_only_and_ordered_by_sequence(self, store: RecordStore) -> None:
        """Each write appends after what is stored; earlier entries never change."""
        self.write(store, first_write("incident", "INC-1", history=2))
        first_two = store.history("incident", "INC-1")
        for _ in range(3):
            self.write(store, next_write(store.load("incident", "INC-1"), history=2))
        entries = store.history("incident", "INC-1")
        assert [e.sequence for e in entries] == list(range(1, 9))
        assert same_records(entries[:2], first_two)
        assert store.load("incident", "INC-1").history_length == 8

    def test_history_range_after_and_up_to(self, store: RecordStore) -> None:
        """``after`` is exclusive, ``up_to`` inclusive."""
        self.write(store, first_write("incident", "INC-1", history=6))
        entries = store.history("incident", "INC-1", after=2, up_to=5)
        assert [e.sequence for e in entries] == [3, 4, 5]

    def test_history_latest_first_with_limit(self, store: RecordStore) -> None:
        """``newest_first`` with ``limit`` gives the latest entries, newest first."""
        self.write(store, first_write("incident", "INC-1", history=6))
        latest = store.history("incident", "INC-1", newest_first=True, limit=2)
        assert [e.sequence for e in latest] == [6, 5]
        oldest = store.history("incident", "INC-1", limit=2)
        assert [e.sequence for e in oldest] == [1, 2]

    def test_history_of_unknown_record_is_empty(self, store: RecordStore) -> None:
        """A record that does not exist has an empty history (no error)."""
        assert store.history("incident", "nobody") == ()

    def test_history_survives_reopening_the_store(self, store: RecordStore) -> None:
        """Close, open the same database again: records and history are all there."""
        self.write(store, first_write("incident", "INC-1", history=3))
        expected = store.load("incident", "INC-1"), store.history("incident", "INC-1")
        reopened = self.reopen_store(store)
        if reopened is None:
            pytest.skip("this store cannot be reopened (reopen_store returned None)")
        try:
            assert same_records(reopened.load("incident", "INC-1"), expected[0])
            assert same_records(reopened.history("incident", "INC-1"), expected[1])
        finally:
            self.close_store(reopened)

    # -- bad input and errors --------------------------------------------------------

    def test_bad_arguments_raise_invalid_input(self, store: RecordStore) -> None:
        """Wrong-typed or out-of-range arguments are InvalidInputError (a ValueError)."""
        calls = (
            lambda: store.load("", "x"),
            lambda: store.load("incident", 7),  # type: ignore[arg-type]
            lambda: store.list("incident", limit=0),
            lambda: store.list("incident", order="priority"),  # type: ignore[arg-type]
            lambda: store.list("incident", filter={"states": "new"}),  # type: ignore[arg-type]
            lambda: store.history("incident", "x", after=-1),
            lambda: store.write("not a batch"),  # type: ignore[arg-type]
            lambda: store.write([{"record": 1}]),  # type: ignore[list-item]
        )
        for call in calls:
            with pytest.raises(InvalidInputError):
                call()

    @given(data=st.data())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def test_only_itilkit_errors_escape_on_arbitrary_input(
        self, store: RecordStore, data: st.DataObject
    ) -> None:
        """Arbitrary ids, kinds, limits and cursors: a result or an ItilkitError, nothing else."""
        anything = st.one_of(
            st.text(), st.integers(), st.none(), st.floats(), st.binary(), st.lists(st.text())
        )
        name = st.one_of(st.text(max_size=600), anything)
        call = data.draw(st.sampled_from(("load", "list", "history", "write")))
        try:
            if call == "load":
                store.load(data.draw(name), data.draw(name))
            elif call == "list":
                store.list(data.draw(name), limit=data.draw(st.one_of(st.integers(), anything)))
            elif call == "history":
                store.history(data.draw(name), data.draw(name), after=data.draw(anything),
                              limit=data.draw(anything))  # fmt: skip
            else:
                store.write(data.draw(st.one_of(anything, st.lists(anything, max_size=3))))
        except ItilkitError:
            pass

    def test_naive_times_never_reach_the_store(self) -> None:
        """Index fields refuse naive datetimes at construction, before any store sees them."""
        from itilkit.errors import NaiveDatetimeError

        with pytest.raises(NaiveDatetimeError):
            first_write("incident", "INC-1", updated_at=T0.replace(tzinfo=None))

    def test_times_come_back_as_the_same_instant(self, store: RecordStore) -> None:
        """Index times in any zone are stored as the same instant (in UTC)."""
        from datetime import timezone

        east = timezone(timedelta(hours=5, minutes=30))
        self.write(store, first_write("incident", "INC-1", sla_due_at=T0.astimezone(east)))
        due = store.load("incident", "INC-1").index.sla_due_at
        assert due == T0
        assert due is not None
        assert due.utcoffset() == timedelta(0)

    # -- lifecycle -------------------------------------------------------------------

    def test_close_is_idempotent_and_use_after_close_raises(self) -> None:
        """Close twice is harmless; afterwards every method raises StoreUnavailableError."""
        store = self.make_store()
        self.write(store, first_write("incident", "INC-1"))
        store.close()
        store.close()
        for call in (
            lambda: store.load("incident", "INC-1"),
            lambda: store.list("incident", order=Order.ID),
            lambda: store.history("incident", "INC-1"),
            lambda: store.write([first_write("incident", "INC-2")]),
        ):
            with pytest.raises(StoreUnavailableError):
                call()

    def test_payload_json_is_kept_exactly_as_a_value(self, store: RecordStore) -> None:
        """Nested, unicode and numeric JSON survives as an equal value."""
        document = {"counter": 0, "a": [1, 2.5, None, True], "b": {"ü": "🎫", "n": -(2**53)}}
        self.write(store, first_write("incident", "INC-1", payload=document))
        assert json.loads(store.load("incident", "INC-1").payload) == document
