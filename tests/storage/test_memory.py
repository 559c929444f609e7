"""The in-memory store passes the store and repository contracts."""

from __future__ import annotations

from typing import Any

from itilkit.storage import EntityCodec, InMemoryRecordStore, RecordStore
from itilkit.testing import RecordStoreContract, RepositoryContract
from tests.storage.jobs import JobCodec, next_step, sample_job


class TestInMemoryStore(RecordStoreContract):
    """The contract against InMemoryRecordStore (it cannot reopen nor span processes)."""

    def make_store(self) -> RecordStore:
        return InMemoryRecordStore()


class TestJobsInMemory(RepositoryContract):
    """The repository contract for jobs over the in-memory store."""

    def make_store(self) -> RecordStore:
        return InMemoryRecordStore()

    def make_codec(self) -> EntityCodec[Any, Any]:
        return JobCodec()

    def new_entity(self, number: int) -> Any:
        return sample_job(number)

    def changed(self, entity: Any) -> Any:
        return next_step(entity)
