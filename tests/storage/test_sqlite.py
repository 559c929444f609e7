"""The SQLite store: the contracts (file and in memory), the stateful comparison with the
oracle, and what only SQLite has (error names, WAL, layout version, files gone or bad)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from itilkit.errors import (
    RecordNotFoundError,
    StorageError,
    StoreBusyError,
    StoreUnavailableError,
)
from itilkit.storage import RecordFilter, RecordStore, SQLiteRecordStore
from itilkit.storage._sqlite_errors import translate
from itilkit.testing import (
    RecordStoreContract,
    RecordStoreStateMachine,
    first_write,
)
from itilkit.testing._samples import T0
from tests.storage.jobs import JobsContract


class TestSQLiteFileStore(RecordStoreContract):
    """The contract against a SQLite file: reopened, shared by processes, lockable."""

    def make_store(self) -> RecordStore:
        return SQLiteRecordStore(self.tmp_path / "store.db")

    def reopen_store(self, store: RecordStore) -> RecordStore | None:
        store.close()
        return SQLiteRecordStore(self.tmp_path / "store.db")

    def store_opener(self, store: RecordStore) -> Callable[[], RecordStore] | None:
        return functools.partial(SQLiteRecordStore, self.tmp_path / "store.db", timeout=30)

    def locked_store(self) -> AbstractContextManager[RecordStore] | None:
        return _locked(self.tmp_path / "locked.db")


class TestSQLiteMemoryStore(RecordStoreContract):
    """The contract against a private in-memory SQLite database (one locked connection)."""

    def make_store(self) -> RecordStore:
        return SQLiteRecordStore(":memory:")


class TestJobsInSQLite(JobsContract):
    """The repository contract for jobs over a SQLite file."""

    def make_store(self) -> RecordStore:
        return SQLiteRecordStore(self.tmp_path / "jobs.db")


@contextmanager
def _locked(path: Path) -> Iterator[RecordStore]:
    """A store with a 0.2 s timeout on a file another connection holds write-locked."""
    store = SQLiteRecordStore(path, timeout=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield store
    finally:
        other.execute("ROLLBACK")
        other.close()


class SQLiteMachine(RecordStoreStateMachine):
    """Random operations on a SQLite file and on the oracle."""

    def make_store(self) -> RecordStore:
        import tempfile

        self._directory = tempfile.TemporaryDirectory()
        return SQLiteRecordStore(Path(self._directory.name) / "machine.db")

    def close_store(self, store: RecordStore) -> None:
        store.close()
        self._directory.cleanup()


TestSQLiteMachine = SQLiteMachine.TestCase
TestSQLiteMachine.settings = settings(max_examples=30, stateful_step_count=25, deadline=None)


# -- what only SQLite has ---------------------------------------------------------------


def _error(cls: type[sqlite3.Error], name: str | None) -> sqlite3.Error:
    error = cls(f"as raised with {name}")
    if name is not None:
        error.sqlite_errorname = name
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_error(sqlite3.OperationalError, "SQLITE_BUSY"), StoreBusyError),
        (_error(sqlite3.OperationalError, "SQLITE_BUSY_SNAPSHOT"), StoreBusyError),
        (_error(sqlite3.OperationalError, "SQLITE_LOCKED_SHAREDCACHE"), StoreBusyError),
        (_error(sqlite3.OperationalError, "SQLITE_CANTOPEN"), StoreUnavailableError),
        (_error(sqlite3.DatabaseError, "SQLITE_NOTADB"), StoreUnavailableError),
        (_error(sqlite3.DatabaseError, "SQLITE_CORRUPT"), StoreUnavailableError),
        (_error(sqlite3.OperationalError, "SQLITE_IOERR_WRITE"), StoreUnavailableError),
        (_error(sqlite3.OperationalError, "SQLITE_READONLY"), StoreUnavailableError),
        (_error(sqlite3.OperationalError, "SQLITE_FULL"), StoreUnavailableError),
        (_error(sqlite3.ProgrammingError, None), StorageError),
        (sqlite3.ProgrammingError("Cannot operate on a closed database."), StoreUnavailableError),
        (_error(sqlite3.OperationalError, "SQLITE_ERROR"), StorageError),
        (_error(sqlite3.IntegrityError, "SQLITE_CONSTRAINT_PRIMARYKEY"), StorageError),
        (_error(sqlite3.InterfaceError, None), StorageError),
    ],
)
def test_errors_are_translated_by_error_name(
    error: sqlite3.Error, expected: type[StorageError]
) -> None:
    """Each SQLite error name maps to its itilkit error (the class alone cannot tell)."""
    translated = translate(error, timeout=1.5)
    assert type(translated) is expected
    if expected is StoreBusyError:
        assert isinstance(translated, TimeoutError)
        assert "1.5 s" in str(translated)


def test_a_real_busy_error_is_translated_with_its_cause(tmp_path: Path) -> None:
    """A real lock held past the timeout: StoreBusyError whose cause is the sqlite3 error."""
    with _locked(tmp_path / "s.db") as store, pytest.raises(StoreBusyError) as raised:
        store.write([first_write("incident", "INC-1")])
    cause = raised.value.__cause__
    assert isinstance(cause, sqlite3.OperationalError)
    assert cause.sqlite_errorname == "SQLITE_BUSY"
    store.close()


def test_a_directory_that_does_not_exist_is_unavailable(tmp_path: Path) -> None:
    """A path in a missing directory is StoreUnavailableError at construction."""
    with pytest.raises(StoreUnavailableError):
        SQLiteRecordStore(tmp_path / "missing" / "store.db")


def test_a_file_that_is_not_a_database_is_unavailable(tmp_path: Path) -> None:
    """A file of other bytes: StoreUnavailableError naming SQLITE_NOTADB."""
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not an SQLite database, not even close" * 100)
    with pytest.raises(StoreUnavailableError, match="SQLITE_NOTADB"):
        SQLiteRecordStore(path)


def test_a_newer_table_layout_is_refused(tmp_path: Path) -> None:
    """A database written by a newer itilkit (higher user_version) is not touched."""
    path = tmp_path / "new.db"
    SQLiteRecordStore(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreUnavailableError, match="layout 99"):
        SQLiteRecordStore(path)


#: The table layout 1 as itilkit 0.1 wrote it (practice and times NOT NULL, no name or
#: classification columns), with one incident row.
_LAYOUT_1 = """
CREATE TABLE itilkit_records (
    kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
    schema_version INTEGER NOT NULL, history_length INTEGER NOT NULL, payload TEXT NOT NULL,
    state TEXT NOT NULL, category TEXT NOT NULL, priority INTEGER, assignment_group TEXT,
    practice TEXT NOT NULL, opened_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    sla_due_at TEXT, PRIMARY KEY (kind, id));
CREATE INDEX itilkit_records_by_state ON itilkit_records
    (kind, state, coalesce(priority, 2147483648), opened_at, id);
CREATE INDEX itilkit_records_by_group ON itilkit_records
    (kind, assignment_group, coalesce(priority, 2147483648), opened_at, id);
CREATE INDEX itilkit_records_by_priority ON itilkit_records
    (kind, coalesce(priority, 2147483648), opened_at, id);
CREATE INDEX itilkit_records_by_sla_due ON itilkit_records
    (kind, coalesce(sla_due_at, '~'), id);
CREATE TABLE itilkit_history (
    kind TEXT NOT NULL, record_id TEXT NOT NULL, sequence INTEGER NOT NULL,
    schema_version INTEGER NOT NULL, at TEXT NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (kind, record_id, sequence)) WITHOUT ROWID;
INSERT INTO itilkit_records VALUES ('incident', 'INC-1', 2, 1, 1, '{"counter": 1}', 'new',
    'new', 3, 'network', 'incident@1', '2026-03-02T09:00:00.000000+00:00',
    '2026-03-02T10:00:00.000000+00:00', NULL);
INSERT INTO itilkit_history VALUES ('incident', 'INC-1', 1, 1,
    '2026-03-02T09:00:00.000000+00:00', '{"step": 1}');
PRAGMA user_version = 1;
"""


def test_a_layout_1_file_is_upgraded_in_place(tmp_path: Path) -> None:
    """A file of the first layout opens: its rows kept, then entities without practice
    or times (a CI) stored beside them and listed by class and name."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as raw:
        raw.executescript(_LAYOUT_1)
    store = SQLiteRecordStore(path)
    old = store.load("incident", "INC-1")
    assert (old.version, old.payload, old.index.practice) == (2, '{"counter": 1}', "incident@1")
    assert old.index.opened_at == T0
    assert (old.index.name, old.index.classification) == (None, None)
    assert [e.payload for e in store.history("incident", "INC-1")] == ['{"step": 1}']
    ci = first_write("ci", "CI-1", history=0, practice=None, opened_at=None, updated_at=None,
                     name="mail-01", classification="server")  # fmt: skip
    store.write([ci])
    assert store.load("ci", "CI-1") == ci.record
    assert store.list("ci", RecordFilter(classifications="server")).items == (ci.record,)
    store.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"itilkit_records", "itilkit_history"}
    assert SQLiteRecordStore(path).load("incident", "INC-1") == old


def test_a_file_store_runs_in_wal_mode(tmp_path: Path) -> None:
    """The file is in WAL mode (persistent, so any connection reads it)."""
    SQLiteRecordStore(tmp_path / "s.db").close()
    with sqlite3.connect(tmp_path / "s.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_failure_midway_through_a_batch_writes_nothing(tmp_path: Path) -> None:
    """SQLite itself aborting the history insert (a trigger) rolls the records back too."""
    path = tmp_path / "s.db"
    store = SQLiteRecordStore(path)
    with sqlite3.connect(path) as raw:
        raw.execute(
            "CREATE TRIGGER poison BEFORE INSERT ON itilkit_history "
            "WHEN NEW.record_id = 'POISON' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
        )
    with pytest.raises(StorageError, match="poisoned"):
        store.write([first_write("incident", "INC-1", history=2),
                     first_write("incident", "POISON")])  # fmt: skip
    with pytest.raises(RecordNotFoundError):
        store.load("incident", "INC-1")
    assert store.history("incident", "INC-1") == ()
    store.close()


def test_tables_dropped_behind_the_stores_back_give_a_storage_error(tmp_path: Path) -> None:
    """SQLITE_ERROR (no such table) is a StorageError, not a leaked sqlite3 error."""
    path = tmp_path / "s.db"
    store = SQLiteRecordStore(path)
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TABLE itilkit_records")
    with pytest.raises(StorageError, match="no such table"):
        store.load("incident", "INC-1")
    store.close()


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    """Connections are per thread; close() closes every one of them."""
    import threading

    store = SQLiteRecordStore(tmp_path / "s.db")
    store.write([first_write("incident", "INC-1")])
    threads = [threading.Thread(target=store.load, args=("incident", "INC-1")) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store._connections) == 4
    store.close()
    assert store._connections == []


def test_bad_constructor_arguments_are_invalid_input() -> None:
    """A negative timeout or a non-path is InvalidInputError."""
    from itilkit.errors import InvalidInputError

    calls: list[Callable[[], object]] = [
        lambda: SQLiteRecordStore(":memory:", timeout=-1),
        lambda: SQLiteRecordStore(":memory:", timeout=True),
        lambda: SQLiteRecordStore(42),  # type: ignore[arg-type]
        lambda: SQLiteRecordStore("bad\x00path"),
    ]
    for call in calls:
        with pytest.raises(InvalidInputError):
            call()
