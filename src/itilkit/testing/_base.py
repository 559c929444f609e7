"""What every store contract case works through: the factory hooks and the fixtures."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from itilkit.storage import HistoryEntry, RecordStore, RecordWrite, StoredRecord

__all__ = ["StoreContractBase", "same_records"]


class StoreContractBase:
    """The hooks a host implements to run the contract against its store.

    Only :meth:`make_store` is required; each optional hook left at its
    default skips the cases that need it, saying why.
    """

    #: A fresh temporary directory for the current test (set before make_store).
    tmp_path: Path

    def make_store(self) -> RecordStore:
        """A new, empty store (required)."""
        raise NotImplementedError("a store contract needs make_store() returning a new store")

    def close_store(self, store: RecordStore) -> None:
        """Release a store made by make_store (default: ``store.close()``)."""
        store.close()

    def reopen_store(self, store: RecordStore) -> RecordStore | None:
        """Close ``store`` and open its database again, or None if it cannot be reopened."""
        return None

    def store_opener(self, store: RecordStore) -> Callable[[], RecordStore] | None:
        """A picklable callable opening another handle on ``store``'s database in a new
        process, or None if the store is not shared between processes."""
        return None

    def locked_store(self) -> AbstractContextManager[RecordStore] | None:
        """A context giving a store whose database another writer holds locked, with a
        short timeout, or None if the adapter cannot arrange that.

        Leaving the context releases the lock and leaves the store open (the
        case reads it afterwards, then closes it with :meth:`close_store`).
        """
        return None

    @pytest.fixture(autouse=True)
    def _itilkit_tmp_path(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    @pytest.fixture
    def store(self) -> Iterator[RecordStore]:
        """The store under test, closed afterwards."""
        made = self.make_store()
        yield made
        self.close_store(made)

    @staticmethod
    def write(store: RecordStore, *writes: RecordWrite) -> None:
        """Write a batch."""
        store.write(list(writes))


def _comparable(value: StoredRecord | HistoryEntry) -> tuple[Any, ...]:
    """A record with its payload parsed: stores may keep JSON as an equal value."""
    try:
        payload: Any = json.loads(value.payload)
    except (ValueError, RecursionError):  # not JSON: compared as the text it is
        payload = value.payload
    if isinstance(value, StoredRecord):
        return (value.kind, value.id, value.version, value.schema_version,
                value.history_length, payload, value.index)  # fmt: skip
    return (value.kind, value.record_id, value.sequence, value.schema_version, value.at, payload)


def same_records(got: object, expected: object) -> bool:
    """Whether two records (or two sequences of them) are equal, payloads as JSON values."""
    single = (StoredRecord, HistoryEntry)
    if isinstance(got, single) and isinstance(expected, single):
        return _comparable(got) == _comparable(expected)
    if isinstance(got, tuple | list) and isinstance(expected, tuple | list):
        return len(got) == len(expected) and all(
            isinstance(g, single) and isinstance(e, single) and _comparable(g) == _comparable(e)
            for g, e in zip(got, expected, strict=True)
        )
    return False
