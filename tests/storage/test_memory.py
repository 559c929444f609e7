"""The in-memory store passes the store and repository contracts."""

from __future__ import annotations

from itilkit.storage import InMemoryRecordStore, RecordStore
from itilkit.testing import RecordStoreContract
from tests.storage.jobs import JobsContract


class TestInMemoryStore(RecordStoreContract):
    """The contract against InMemoryRecordStore (it cannot reopen nor span processes)."""

    def make_store(self) -> RecordStore:
        return InMemoryRecordStore()


class TestJobsInMemory(JobsContract):
    """The repository contract for jobs over the in-memory store."""

    def make_store(self) -> RecordStore:
        return InMemoryRecordStore()
