"""The in-memory record store: two dicts and a lock, small enough to read in a minute.

It is the default store for tests, the oracle the stateful test compares
other stores with, and the plainest example of the :class:`RecordStore` port.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from itilkit.errors import RecordNotFoundError, StoreUnavailableError
from itilkit.storage._query import (
    Order,
    Page,
    PageCursor,
    RecordFilter,
    check_history_args,
    check_list_args,
    sort_key,
)
from itilkit.storage._records import (
    HistoryEntry,
    RecordWrite,
    StoredRecord,
    check_text,
    check_write,
    validate_writes,
)

__all__ = ["InMemoryRecordStore"]

_ANY = RecordFilter()


class InMemoryRecordStore:
    """A thread-safe :class:`~itilkit.storage.ports.RecordStore` held in memory.

    >>> store = InMemoryRecordStore()
    >>> store.list("incident").items
    ()
    """

    def __init__(self) -> None:
        self._records: dict[tuple[str, str], StoredRecord] = {}
        self._history: dict[tuple[str, str], list[HistoryEntry]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def write(self, writes: Sequence[RecordWrite], /) -> None:
        """Apply every write or none (see the port)."""
        batch = validate_writes(writes)
        with self._lock:
            self._check_open()
            for write in batch:
                check_write(self._records.get(write.record.key), write)
            for write in batch:
                self._records[write.record.key] = write.record
                self._history.setdefault(write.record.key, []).extend(write.history)

    def load(self, kind: str, record_id: str) -> StoredRecord:
        """The latest version of a record, or RecordNotFoundError."""
        key = (check_text(kind, "kind"), check_text(record_id, "record_id"))
        with self._lock:
            self._check_open()
            record = self._records.get(key)
        if record is None:
            raise RecordNotFoundError(kind, record_id)
        return record

    def list(
        self,
        kind: str,
        filter: RecordFilter = _ANY,
        *,
        order: Order = Order.ID,
        after: PageCursor | None = None,
        limit: int = 100,
    ) -> Page[StoredRecord]:
        """One page of the matching records (see the port)."""
        check_list_args(kind, filter, order, after, limit)
        with self._lock:
            self._check_open()
            found = [
                r for r in self._records.values() if r.kind == kind and filter.matches(r.index)
            ]
        found.sort(key=lambda r: sort_key(order, r))
        if after is not None:
            start = after.sort_key()
            found = [r for r in found if sort_key(order, r) > start]
        page = tuple(found[:limit])
        more = len(found) > limit
        return Page(page, PageCursor.after(order, page[-1]) if more else None)

    def history(
        self,
        kind: str,
        record_id: str,
        *,
        after: int = 0,
        up_to: int | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> tuple[HistoryEntry, ...]:
        """The record's history entries in the range asked (see the port)."""
        check_history_args(kind, record_id, after, up_to, limit, newest_first)
        with self._lock:
            self._check_open()
            entries = list(self._history.get((kind, record_id), ()))
        chosen = [
            e for e in entries if e.sequence > after and (up_to is None or e.sequence <= up_to)
        ]
        if newest_first:
            chosen.reverse()
        return tuple(chosen if limit is None else chosen[:limit])

    def close(self) -> None:
        """Forget everything; later calls raise StoreUnavailableError."""
        with self._lock:
            self._closed = True
            self._records.clear()
            self._history.clear()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreUnavailableError("the in-memory store was closed")
