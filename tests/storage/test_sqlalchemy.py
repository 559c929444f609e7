"""The SQLAlchemy store passes the same contracts on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import functools
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import settings

from itilkit.errors import StorageError, StoreBusyError, StoreUnavailableError
from itilkit.storage import RecordFilter, RecordStore
from itilkit.storage.sqlalchemy import SQLAlchemyRecordStore, translate
from itilkit.testing import (
    RecordStoreContract,
    RecordStoreStateMachine,
    first_write,
)
from itilkit.testing._samples import T0
from tests.storage.jobs import JobsContract


class _SQLite:
    """A SQLAlchemy store on a SQLite file in the test's directory."""

    tmp_path: Any

    def _url(self) -> str:
        return f"sqlite:///{self.tmp_path / 'store.db'}"

    def make_store(self) -> RecordStore:
        return SQLAlchemyRecordStore.from_url(self._url())


class TestSQLAlchemyOnSQLite(_SQLite, RecordStoreContract):
    """The store contract through SQLAlchemy on SQLite."""

    def reopen_store(self, store: RecordStore) -> RecordStore | None:
        store.close()
        return self.make_store()

    def store_opener(self, store: RecordStore) -> Callable[[], RecordStore] | None:
        return functools.partial(SQLAlchemyRecordStore.from_url, self._url(), lock_timeout=30)

    def locked_store(self) -> AbstractContextManager[RecordStore] | None:
        return self._locked()

    @contextmanager
    def _locked(self) -> Iterator[RecordStore]:
        store = SQLAlchemyRecordStore.from_url(self._url(), lock_timeout=0.2)
        other = sqlite3.connect(self.tmp_path / "store.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield store
        finally:
            other.execute("ROLLBACK")
            other.close()


class TestJobsThroughSQLAlchemyOnSQLite(_SQLite, JobsContract):
    """The repository contract for jobs through SQLAlchemy on SQLite."""


class _Postgres:
    """A SQLAlchemy store on the test PostgreSQL server, in a schema of its own per test."""

    engine: sa.Engine
    url: str
    schemas: list[str]

    @pytest.fixture(autouse=True)
    def _postgres(self, postgres_engine: sa.Engine, postgres_url: str) -> Iterator[None]:
        self.engine, self.url, self.schemas = postgres_engine, postgres_url, []
        yield
        with postgres_engine.begin() as connection:
            for schema in self.schemas:
                connection.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))

    def _schema(self) -> str:
        if not self.schemas:
            self.schemas.append(f"t_{uuid.uuid4().hex[:16]}")
        return self.schemas[0]

    def make_store(self) -> RecordStore:
        return SQLAlchemyRecordStore(self.engine, schema=self._schema())


class TestSQLAlchemyOnPostgres(_Postgres, RecordStoreContract):
    """The store contract on a real PostgreSQL server."""

    def reopen_store(self, store: RecordStore) -> RecordStore | None:
        store.close()
        return SQLAlchemyRecordStore.from_url(self.url, schema=self._schema())

    def store_opener(self, store: RecordStore) -> Callable[[], RecordStore] | None:
        return functools.partial(
            SQLAlchemyRecordStore.from_url, self.url, schema=self._schema(), lock_timeout=30
        )

    def locked_store(self) -> AbstractContextManager[RecordStore] | None:
        return self._locked()

    @contextmanager
    def _locked(self) -> Iterator[RecordStore]:
        store = SQLAlchemyRecordStore(self.engine, schema=self._schema(), lock_timeout=0.2)
        with self.engine.connect() as other:
            transaction = other.begin()
            other.execute(
                sa.text(f'LOCK TABLE "{self._schema()}".itilkit_records IN EXCLUSIVE MODE')
            )
            try:
                yield store
            finally:
                transaction.rollback()


class TestJobsOnPostgres(_Postgres, JobsContract):
    """The repository contract for jobs on PostgreSQL."""


class PostgresMachine(RecordStoreStateMachine):
    """Random operations on PostgreSQL and on the oracle (a fresh schema per example)."""

    engine: sa.Engine | None = None

    def make_store(self) -> RecordStore:
        assert self.engine is not None
        self._name = f"m_{uuid.uuid4().hex[:16]}"
        return SQLAlchemyRecordStore(self.engine, schema=self._name)

    def close_store(self, store: RecordStore) -> None:
        store.close()
        assert self.engine is not None
        with self.engine.begin() as connection:
            connection.execute(sa.schema.DropSchema(self._name, cascade=True))


def test_postgres_agrees_with_the_oracle(postgres_engine: sa.Engine) -> None:
    """The state machine on PostgreSQL (run here to get the server fixture)."""
    PostgresMachine.engine = postgres_engine
    case = PostgresMachine.TestCase
    case.settings = settings(max_examples=15, stateful_step_count=20, deadline=None)
    case("runTest").runTest()


class SQLiteThroughSQLAlchemyMachine(RecordStoreStateMachine):
    """Random operations through SQLAlchemy on an in-memory SQLite database."""

    def make_store(self) -> RecordStore:
        return SQLAlchemyRecordStore.from_url("sqlite://")


TestSQLiteThroughSQLAlchemyMachine = SQLiteThroughSQLAlchemyMachine.TestCase
TestSQLiteThroughSQLAlchemyMachine.settings = settings(
    max_examples=20, stateful_step_count=20, deadline=None
)


# -- what only this adapter has ---------------------------------------------------------


def test_postgres_lock_timeout_is_a_busy_error(postgres_engine: sa.Engine) -> None:
    """PostgreSQL's lock_not_available (55P03) becomes StoreBusyError with its cause."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    store = SQLAlchemyRecordStore(postgres_engine, schema=schema, lock_timeout=0.1)
    try:
        store.write([first_write("incident", "INC-1")])
        loaded = store.load("incident", "INC-1")
        with postgres_engine.connect() as other:
            transaction = other.begin()
            other.execute(sa.text(f'SELECT * FROM "{schema}".itilkit_records FOR UPDATE'))
            from itilkit.testing import next_write

            with pytest.raises(StoreBusyError) as raised:
                store.write([next_write(loaded)])
            transaction.rollback()
        assert getattr(raised.value.__cause__, "orig", None).sqlstate == "55P03"  # type: ignore[union-attr]
        assert store.load("incident", "INC-1").version == 1
    finally:
        store.close()
        with postgres_engine.begin() as connection:
            connection.execute(sa.schema.DropSchema(schema, cascade=True))


def test_a_server_that_is_not_there_is_unavailable() -> None:
    """Connecting to no server: StoreUnavailableError, not a driver error."""
    with pytest.raises(StoreUnavailableError):
        SQLAlchemyRecordStore.from_url("postgresql+psycopg://nobody@/none?host=/nonexistent")


def test_an_unknown_dialect_is_unavailable() -> None:
    """A URL SQLAlchemy cannot make an engine for is StoreUnavailableError."""
    with pytest.raises(StoreUnavailableError):
        SQLAlchemyRecordStore.from_url("nosuchdb://x")


def test_other_driver_errors_are_storage_errors(tmp_path: Any) -> None:
    """A missing table (a programming error) is a StorageError, the driver's as cause."""
    store = SQLAlchemyRecordStore.from_url(f"sqlite:///{tmp_path / 's.db'}")
    with sqlite3.connect(tmp_path / "s.db") as raw:
        raw.execute("DROP TABLE itilkit_history")
    with pytest.raises(StorageError) as raised:
        store.history("incident", "INC-1")
    assert isinstance(raised.value.__cause__, sa.exc.SQLAlchemyError)
    store.close()


def test_translate_reads_postgres_error_classes() -> None:
    """SQLSTATE classes: lock/deadlock/serialization -> busy, connection -> unavailable."""

    class _OriginalError(Exception):
        def __init__(self, sqlstate: str) -> None:
            self.sqlstate = sqlstate

    def error(sqlstate: str) -> sa.exc.DBAPIError:
        return sa.exc.OperationalError("statement", {}, _OriginalError(sqlstate))

    assert type(translate(error("40P01"))) is StoreBusyError
    assert type(translate(error("40001"))) is StoreBusyError
    assert type(translate(error("08006"))) is StoreUnavailableError
    assert type(translate(error("57P01"))) is StoreUnavailableError
    assert (
        type(translate(sa.exc.ProgrammingError("s", {}, _OriginalError("42P01")))) is StorageError
    )


#: The records table as itilkit's SQLAlchemy adapter made it before configuration items
#: were stored (practice and times NOT NULL, no name or classification), with one row.
_EARLIER_LAYOUT = """
CREATE TABLE itilkit_records (
    kind VARCHAR(512) COLLATE "C" NOT NULL, id VARCHAR(512) COLLATE "C" NOT NULL,
    version BIGINT NOT NULL, schema_version INTEGER NOT NULL, history_length BIGINT NOT NULL,
    payload TEXT NOT NULL, state VARCHAR(512) COLLATE "C" NOT NULL,
    category VARCHAR(16) NOT NULL, priority INTEGER,
    assignment_group VARCHAR(512) COLLATE "C", practice VARCHAR(512) COLLATE "C" NOT NULL,
    opened_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    sla_due_at TIMESTAMP WITH TIME ZONE, PRIMARY KEY (kind, id));
CREATE TABLE itilkit_history (
    kind VARCHAR(512) COLLATE "C" NOT NULL, record_id VARCHAR(512) COLLATE "C" NOT NULL,
    sequence BIGINT NOT NULL, schema_version INTEGER NOT NULL,
    at TIMESTAMP WITH TIME ZONE NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (kind, record_id, sequence));
INSERT INTO itilkit_records VALUES ('incident', 'INC-1', 1, 1, 0, '{"counter": 0}', 'new',
    'new', 3, 'network', 'incident@1', '2026-03-02 09:00:00+00', '2026-03-02 09:00:00+00',
    NULL);
"""


def test_the_documented_upgrade_of_earlier_tables_works_on_postgres(
    postgres_engine: sa.Engine,
) -> None:
    """The SQL docs/persistence.md gives for tables of the earlier layout, run on them:
    the old row reads back, and a CI (no practice, no times) is written and listed."""
    sql = (Path(__file__).parents[2] / "docs" / "persistence.md").read_text(encoding="utf-8")
    upgrade = re.search(r"```sql\n(.*?)```", sql, re.DOTALL)
    assert upgrade is not None
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        with postgres_engine.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
            connection.execute(sa.text(f"SET LOCAL search_path TO {schema}"))
            for statement in (_EARLIER_LAYOUT + upgrade.group(1)).split(";"):
                if statement.strip():
                    connection.execute(sa.text(statement))
        store = SQLAlchemyRecordStore(postgres_engine, schema=schema)
        old = store.load("incident", "INC-1")
        assert (old.index.practice, old.index.opened_at) == ("incident@1", T0)
        ci = first_write("ci", "CI-1", history=0, practice=None, opened_at=None,
                         updated_at=None, name="mx-1", classification="server")  # fmt: skip
        store.write([ci])
        assert store.list("ci", RecordFilter(classifications="server")).items == (ci.record,)
        store.close()
    finally:
        with postgres_engine.begin() as connection:
            connection.execute(sa.schema.DropSchema(schema, cascade=True, if_exists=True))
