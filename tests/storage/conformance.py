"""Checked by mypy, not run: every adapter satisfies RecordStore and the jobs codec
satisfies EntityCodec, structurally (none of them inherits from the Protocols)."""

from __future__ import annotations

from itilkit.storage import EntityCodec, InMemoryRecordStore, RecordStore, SQLiteRecordStore
from itilkit.storage.sqlalchemy import SQLAlchemyRecordStore
from tests.storage.jobs import Job, JobCodec, JobEvent


def stores(memory: InMemoryRecordStore, sqlite: SQLiteRecordStore,
           alchemy: SQLAlchemyRecordStore) -> list[RecordStore]:  # fmt: skip
    """Each adapter where a RecordStore is expected."""
    return [memory, sqlite, alchemy]


def codec(jobs: JobCodec) -> EntityCodec[Job, JobEvent]:
    """The jobs codec where an EntityCodec of jobs is expected."""
    return jobs
