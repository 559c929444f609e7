"""Contract cases: listing by kind and index fields, total orders, keyset paging."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from itilkit.storage import Order, PageCursor, RecordFilter, RecordStore, StoredRecord
from itilkit.testing._base import StoreContractBase, same_records
from itilkit.testing._samples import T0, first_write, next_write

__all__ = ["StoreListing", "all_pages", "expected_listing"]


def all_pages(
    store: RecordStore,
    kind: str,
    filter: RecordFilter | None = None,
    *,
    order: Order = Order.ID,
    limit: int = 100,
) -> list[StoredRecord]:
    """Every record of a listing, page after page."""
    found: list[StoredRecord] = []
    after: PageCursor | None = None
    while True:
        page = store.list(kind, filter or RecordFilter(), order=order, after=after, limit=limit)
        found.extend(page.items)
        if page.next is None:
            return found
        after = page.next


def expected_listing(
    records: list[StoredRecord], kind: str, filter: RecordFilter, order: Order
) -> list[str]:
    """The ids a listing must give, computed from the documented filter and order."""
    from itilkit.storage._query import sort_key

    chosen = [r for r in records if r.kind == kind and filter.matches(r.index)]
    return [r.id for r in sorted(chosen, key=lambda r: sort_key(order, r))]


def _varied(store: RecordStore, count: int = 24) -> list[StoredRecord]:
    """``count`` incidents spread over states, priorities, groups, due times, names and
    classes (with ties), some without practice or opened time."""
    states = (("new", "new"), ("in_progress", "active"), ("on_hold", "paused"),
              ("resolved", "resolved"))  # fmt: skip
    writes = []
    for n in range(count):
        state, category = states[n % 4]
        writes.append(
            first_write(
                "incident",
                f"INC-{(n * 7) % count:03d}",
                state=state,
                category=category,
                priority=None if n % 5 == 4 else 1 + n % 3,
                assignment_group=("network", "email", None)[n % 3],
                practice=("incident@1", "acme-incident@2", None)[n % 3 if n % 11 else 2],
                opened_at=None if n % 11 == 10 else T0 + timedelta(minutes=n // 3),
                sla_due_at=None if n % 4 == 3 else T0 + timedelta(hours=n % 6),
                name=(None, "mail-01", "mail-02")[n % 3],
                classification=(None, "server", "service")[n % 3 if n % 2 else 0],
            )
        )
    store.write(writes)
    store.write([first_write("problem", "PRB-1", priority=1, assignment_group="network")])
    return [w.record for w in writes]


FILTERS = (
    RecordFilter(),
    RecordFilter(states="new"),
    RecordFilter(states=("new", "on_hold")),
    RecordFilter(categories=("active", "paused")),
    RecordFilter(priorities=1),
    RecordFilter(priorities=(1, 2)),
    RecordFilter(assignment_groups="network"),
    RecordFilter(practices="acme-incident@2"),
    RecordFilter(names="mail-01"),
    RecordFilter(classifications=("server", "service"), states="new"),
    RecordFilter(sla_due_by=T0 + timedelta(hours=2)),
    RecordFilter(states="in_progress", priorities=(2, 3), assignment_groups=("email", "network")),
    RecordFilter(categories=("new", "active", "paused"), sla_due_by=T0 + timedelta(hours=4)),
)


class StoreListing(StoreContractBase):
    """Listing, filters, orders and keyset paging."""

    def test_list_empty_store_returns_empty(self, store: RecordStore) -> None:
        """No records: an empty last page."""
        page = store.list("incident")
        assert page.items == ()
        assert page.next is None

    def test_list_returns_only_the_kind_asked(self, store: RecordStore) -> None:
        """Records of other kinds never appear."""
        records = _varied(store)
        assert sorted(r.id for r in all_pages(store, "incident")) == sorted(r.id for r in records)
        assert [r.id for r in all_pages(store, "problem")] == ["PRB-1"]
        assert all_pages(store, "change") == []

    @pytest.mark.parametrize("which", range(len(FILTERS)))
    def test_list_filters_by_index_fields_alone_and_combined(
        self, store: RecordStore, which: int
    ) -> None:
        """Each filter field alone, then combined, keeps exactly the matching records."""
        records = _varied(store)
        wanted = FILTERS[which]
        for order in Order:
            got = [r.id for r in all_pages(store, "incident", wanted, order=order)]
            assert got == expected_listing(records, "incident", wanted, order)

    def test_an_empty_set_in_a_filter_matches_nothing(self, store: RecordStore) -> None:
        """``states=()`` means no state is acceptable."""
        _varied(store)
        assert store.list("incident", RecordFilter(states=())).items == ()

    @pytest.mark.parametrize("order", list(Order))
    def test_list_order_is_total_and_stable(self, store: RecordStore, order: Order) -> None:
        """The documented order (nulls last, id breaking ties), the same on every call."""
        records = _varied(store)
        first = [r.id for r in all_pages(store, "incident", order=order)]
        assert first == expected_listing(records, "incident", RecordFilter(), order)
        assert [r.id for r in all_pages(store, "incident", order=order)] == first

    @pytest.mark.parametrize("order", list(Order))
    def test_paging_covers_all_rows_without_overlap_or_gap(
        self, store: RecordStore, order: Order
    ) -> None:
        """Pages of any size concatenate to the single-page listing."""
        _varied(store)
        whole = store.list("incident", order=order, limit=1000).items
        for size in (1, 2, 3, 7, 23, 24, 25):
            assert same_records(all_pages(store, "incident", order=order, limit=size), whole)

    def test_cursor_tokens_resume_the_listing(self, store: RecordStore) -> None:
        """A cursor turned into its token and back continues where the page ended."""
        _varied(store)
        first = store.list("incident", order=Order.PRIORITY, limit=5)
        assert first.next is not None
        resumed = PageCursor.from_token(first.next.token())
        again = store.list("incident", order=Order.PRIORITY, after=resumed, limit=5)
        direct = store.list("incident", order=Order.PRIORITY, after=first.next, limit=5)
        assert same_records(again.items, direct.items)

    @pytest.mark.parametrize("order", list(Order))
    def test_paging_is_stable_under_inserts_between_pages(
        self, store: RecordStore, order: Order
    ) -> None:
        """Records inserted while paging never make an existing one repeat or vanish."""
        records = _varied(store)
        seen: list[str] = []
        after: PageCursor | None = None
        for round_ in range(100):
            page = store.list("incident", order=order, after=after, limit=4)
            seen.extend(r.id for r in page.items)
            store.write([
                first_write("incident", f"AAA-{round_}", priority=1, sla_due_at=T0),
                first_write("incident", f"zzz-{round_}", priority=None, opened_at=T0),
            ])  # fmt: skip
            if page.next is None:
                break
            after = page.next
        existing = [i for i in seen if i.startswith("INC-")]
        assert sorted(existing) == sorted(r.id for r in records)
        assert len(seen) == len(set(seen))

    def test_paging_is_stable_under_concurrent_inserts(self, store: RecordStore) -> None:
        """A writer thread inserting meanwhile: every record that existed is seen once."""
        records = _varied(store)
        stop = threading.Event()
        errors: list[BaseException] = []

        def insert() -> None:
            n = 0
            try:
                while not stop.is_set() and n < 400:
                    store.write([first_write("incident", f"NEW-{n:04d}", priority=1 + n % 3)])
                    n += 1
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)

        writer = threading.Thread(target=insert)
        writer.start()
        try:
            seen = [r.id for r in all_pages(store, "incident", order=Order.PRIORITY, limit=3)]
        finally:
            stop.set()
            writer.join()
        assert errors == []
        assert len(seen) == len(set(seen))
        assert {r.id for r in records} <= set(seen)

    def test_index_fields_follow_the_latest_version(self, store: RecordStore) -> None:
        """A state change moves the record from one filter's listing to another's."""
        store.write([first_write("incident", "INC-1", state="new", category="new")])
        resolved = next_write(
            store.load("incident", "INC-1"), state="resolved", category="resolved", priority=2
        )
        store.write([resolved])
        assert store.list("incident", RecordFilter(states="new")).items == ()
        found = store.list("incident", RecordFilter(categories="resolved", priorities=2)).items
        assert [r.id for r in found] == ["INC-1"]
