"""The SQLite record store on the standard library's sqlite3: the embedded default.

How it stays correct with many writers, in threads and in processes:

- Each connection is opened with ``isolation_level=None`` (sqlite3's implicit
  transactions off) and the busy timeout; a file database runs in WAL mode,
  so readers never block the writer nor the writer the readers.
- Each write is one ``BEGIN IMMEDIATE`` transaction: the write lock is taken
  at the ``BEGIN``, where the busy timeout applies (a deferred ``BEGIN`` that
  reads then writes fails at once when another writer got in first). Under the
  lock it reads the stored versions, checks every write, applies them all and
  commits; on any failure it rolls back. The ``UPDATE ... WHERE version = ?``
  and the history primary key are a second guard.
- Each thread of each process gets its own connection, opened in that thread
  (never inherited across ``fork``); an in-memory database has one connection
  behind a lock.
- Reads are single statements, each consistent on its own.

Every SQL statement is parameterised; column names come from constants.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from itilkit._repr import shown
from itilkit.errors import (
    CorruptRecordError,
    InvalidInputError,
    ItilkitError,
    RecordNotFoundError,
    StorageError,
    StoreUnavailableError,
)
from itilkit.storage._query import (
    Order,
    Page,
    PageCursor,
    RecordFilter,
    check_history_args,
    check_list_args,
)
from itilkit.storage._records import (
    HistoryEntry,
    IndexFields,
    RecordWrite,
    StoredRecord,
    StoredVersion,
    check_text,
    check_write,
    validate_writes,
)
from itilkit.storage._sqlite_errors import translate

__all__ = ["SQLiteRecordStore"]

#: The table layout this code writes; a newer one is refused (``PRAGMA user_version``).
#: Layout 2 (index fields for entities without practice or times: name, classification)
#: replaced layout 1, which a store upgrades in place when it opens the file.
LAYOUT_VERSION = 2
_NO_PRIORITY = 2**31  # sorts after every priority level (nulls last)
_NO_TIME = "~"  # sorts after every ISO 8601 time (nulls last)
_PRIORITY_KEY = f"coalesce(priority, {_NO_PRIORITY})"
_OPENED_KEY = f"coalesce(opened_at, '{_NO_TIME}')"
_DUE_KEY = f"coalesce(sla_due_at, '{_NO_TIME}')"

_RECORDS_TABLE = """CREATE TABLE IF NOT EXISTS itilkit_records (
        kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
        schema_version INTEGER NOT NULL, history_length INTEGER NOT NULL, payload TEXT NOT NULL,
        state TEXT NOT NULL, category TEXT NOT NULL, priority INTEGER, assignment_group TEXT,
        practice TEXT, opened_at TEXT, updated_at TEXT, sla_due_at TEXT, name TEXT,
        classification TEXT, PRIMARY KEY (kind, id))"""
_RECORD_INDEXES = (
    f"""CREATE INDEX IF NOT EXISTS itilkit_records_by_state
        ON itilkit_records (kind, state, {_PRIORITY_KEY}, {_OPENED_KEY}, id)""",
    f"""CREATE INDEX IF NOT EXISTS itilkit_records_by_group
        ON itilkit_records (kind, assignment_group, {_PRIORITY_KEY}, {_OPENED_KEY}, id)""",
    f"""CREATE INDEX IF NOT EXISTS itilkit_records_by_priority
        ON itilkit_records (kind, {_PRIORITY_KEY}, {_OPENED_KEY}, id)""",
    f"""CREATE INDEX IF NOT EXISTS itilkit_records_by_sla_due
        ON itilkit_records (kind, {_DUE_KEY}, id)""",
    # Only entities with a class or a name (CIs) pay for these two on insert.
    """CREATE INDEX IF NOT EXISTS itilkit_records_by_class
        ON itilkit_records (kind, classification, id) WHERE classification IS NOT NULL""",
    """CREATE INDEX IF NOT EXISTS itilkit_records_by_name
        ON itilkit_records (kind, name, id) WHERE name IS NOT NULL""",
)
_SCHEMA = (
    _RECORDS_TABLE,
    *_RECORD_INDEXES,
    """CREATE TABLE IF NOT EXISTS itilkit_history (
        kind TEXT NOT NULL, record_id TEXT NOT NULL, sequence INTEGER NOT NULL,
        schema_version INTEGER NOT NULL, at TEXT NOT NULL, payload TEXT NOT NULL,
        PRIMARY KEY (kind, record_id, sequence)) WITHOUT ROWID""",
)
_LAYOUT_1_COLUMNS = (
    "kind, id, version, schema_version, history_length, payload, state, category, priority, "
    "assignment_group, practice, opened_at, updated_at, sla_due_at"
)
#: Layout 1 to 2: the records table rebuilt (practice and times may be NULL), the same rows.
_UPGRADE_FROM_1 = (
    *(f"DROP INDEX itilkit_records_by_{name}" for name in ("state", "group", "priority",
                                                            "sla_due")),
    "ALTER TABLE itilkit_records RENAME TO itilkit_records_layout_1",
    _RECORDS_TABLE,
    f"INSERT INTO itilkit_records ({_LAYOUT_1_COLUMNS}) "
    f"SELECT {_LAYOUT_1_COLUMNS} FROM itilkit_records_layout_1",
    "DROP TABLE itilkit_records_layout_1",
    *_RECORD_INDEXES,
)  # fmt: skip
_COLUMNS = f"{_LAYOUT_1_COLUMNS}, name, classification"
_INSERT = f"INSERT INTO itilkit_records ({_COLUMNS}) VALUES ({', '.join('?' * 16)})"
_UPDATE = (
    "UPDATE itilkit_records SET version = ?, schema_version = ?, history_length = ?, "
    "payload = ?, state = ?, category = ?, priority = ?, assignment_group = ?, practice = ?, "
    "opened_at = ?, updated_at = ?, sla_due_at = ?, name = ?, classification = ? "
    "WHERE kind = ? AND id = ? AND version = ? AND history_length = ?"
)
_CURRENT = "SELECT version, history_length FROM itilkit_records WHERE kind = ? AND id = ?"
#: The stored versions of up to _CHUNK records of one kind: _CURRENTS.format(marks).
_CURRENTS = "SELECT id, version, history_length FROM itilkit_records WHERE kind = ? AND id IN ({})"
#: Ids per version query (SQLite 3.32 and later bind up to 32,766 values per statement).
_CHUNK = 500
_LOAD = f"SELECT {_COLUMNS} FROM itilkit_records WHERE kind = ? AND id = ?"
_INSERT_HISTORY = (
    "INSERT INTO itilkit_history (kind, record_id, sequence, schema_version, at, payload) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_HISTORY = (
    "SELECT kind, record_id, sequence, schema_version, at, payload FROM itilkit_history "
    "WHERE kind = ? AND record_id = ? AND sequence > ?"
)
#: Filter field -> column, for the IN conditions of a listing.
_FILTERED = (
    ("states", "state"),
    ("categories", "category"),
    ("priorities", "priority"),
    ("assignment_groups", "assignment_group"),
    ("practices", "practice"),
    ("names", "name"),
    ("classifications", "classification"),
)
#: Order -> (ORDER BY expressions, the cursor's values for them).
_ORDER_BY = {
    Order.ID: "id",
    Order.PRIORITY: f"{_PRIORITY_KEY}, {_OPENED_KEY}, id",
    Order.SLA_DUE: f"{_DUE_KEY}, id",
}
_ANY = RecordFilter()


def _time(value: datetime) -> str:
    """A UTC time as fixed-width ISO 8601 text, so text order is time order."""
    return value.isoformat(timespec="microseconds")


def _time_or_none(value: datetime | None) -> str | None:
    return None if value is None else _time(value)


def _time_from(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _record_values(record: StoredRecord) -> tuple[Any, ...]:
    """The record's columns after kind and id, in _UPDATE's SET order."""
    index = record.index
    return (
        record.version,
        record.schema_version,
        record.history_length,
        record.payload,
        index.state,
        index.category.value,
        index.priority,
        index.assignment_group,
        index.practice,
        _time_or_none(index.opened_at),
        _time_or_none(index.updated_at),
        _time_or_none(index.sla_due_at),
        index.name,
        index.classification,
    )


def _record_from_row(row: tuple[Any, ...]) -> StoredRecord:
    kind, record_id = row[0], row[1]
    try:
        return StoredRecord(
            kind=kind,
            id=record_id,
            version=row[2],
            schema_version=row[3],
            history_length=row[4],
            payload=row[5],
            index=IndexFields(
                state=row[6],
                category=row[7],
                priority=row[8],
                assignment_group=row[9],
                practice=row[10],
                opened_at=_time_from(row[11]),
                updated_at=_time_from(row[12]),
                sla_due_at=_time_from(row[13]),
                name=row[14],
                classification=row[15],
            ),
        )
    except (ItilkitError, ValueError, TypeError) as error:
        raise CorruptRecordError(str(kind), str(record_id), f"bad row: {error}") from error


def _history_from_row(row: tuple[Any, ...]) -> HistoryEntry:
    try:
        return HistoryEntry(
            kind=row[0],
            record_id=row[1],
            sequence=row[2],
            schema_version=row[3],
            at=datetime.fromisoformat(row[4]),
            payload=row[5],
        )
    except (ItilkitError, ValueError, TypeError) as error:
        raise CorruptRecordError(str(row[0]), str(row[1]), f"bad history row: {error}") from error


def _file_name(path: str | os.PathLike[str]) -> str:
    """``path`` as the file name sqlite3 opens, or InvalidInputError saying why it is none."""
    try:
        name = os.fspath(path)
    except TypeError:  # an os.PathLike whose __fspath__ gives no str or bytes
        raise InvalidInputError(
            f"path must be a file path or ':memory:', got {shown(path)}"
        ) from None
    if not isinstance(name, str):
        raise InvalidInputError(f"path must be a text file path, got {shown(name)}")
    check_text(name, "path", limit=None)
    if name == ":memory:":
        return name
    if not os.path.basename(name).strip():
        raise InvalidInputError(
            f"path must name a file (not blank, not ending in a separator), got {shown(name)}"
        )
    if os.path.isdir(name):
        raise InvalidInputError(f"path names a directory, not a database file: {shown(name)}")
    return name


class SQLiteRecordStore:
    """A :class:`~itilkit.storage.ports.RecordStore` in one SQLite file (or in memory).

    Args:
        path: the database file (created with its tables if missing), or
            ``":memory:"`` for a private in-memory database.
        timeout: seconds a write waits for another writer's lock before
            raising StoreBusyError.

    >>> store = SQLiteRecordStore(":memory:")
    >>> store.list("incident").items
    ()
    >>> store.close()
    """

    def __init__(self, path: str | os.PathLike[str] = ":memory:", *, timeout: float = 5.0) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout >= 0:
            raise InvalidInputError(f"timeout must be seconds >= 0, got {shown(timeout)}")
        if not isinstance(path, str | os.PathLike):
            raise InvalidInputError(f"path must be a file path or ':memory:', got {shown(path)}")
        self._path = _file_name(path)
        self._timeout = float(timeout)
        self._memory = self._path == ":memory:"
        self._lock = threading.Lock()
        self._serial: AbstractContextManager[Any] = (
            threading.RLock() if self._memory else nullcontext()
        )
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._shared: sqlite3.Connection | None = None
        with self._connection():
            pass  # open now: a bad path fails here, and the tables exist from here on

    @property
    def path(self) -> str:
        """The database file (or ``":memory:"``)."""
        return self._path

    def write(self, writes: Sequence[RecordWrite], /) -> None:
        """Apply every write or none, in one BEGIN IMMEDIATE transaction (see the port)."""
        batch = validate_writes(writes)
        with self._connection() as connection:
            if batch:
                self._transaction(connection, lambda: self._apply(connection, batch))

    def load(self, kind: str, record_id: str) -> StoredRecord:
        """The latest version of a record, or RecordNotFoundError."""
        check_text(kind, "kind")
        check_text(record_id, "record_id")
        with self._connection() as connection:
            row = connection.execute(_LOAD, (kind, record_id)).fetchone()
        if row is None:
            raise RecordNotFoundError(kind, record_id)
        return _record_from_row(row)

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
        where = ["kind = ?"]
        params: list[Any] = [kind]
        for field, column in _FILTERED:
            values: frozenset[Any] | None = getattr(filter, field)
            if values is not None:
                if not values:
                    return Page(())
                # one value as "=": the planner then also uses the partial indexes
                marks = "= ?" if len(values) == 1 else f"IN ({', '.join('?' * len(values))})"
                where.append(f"{column} {marks}")
                params.extend(sorted(values))
        if filter.sla_due_by is not None:
            where.append(f"{_DUE_KEY} <= ?")
            params.append(_time(filter.sla_due_by))
        if after is not None:
            expressions, values_after = _keyset(after)
            where.append(f"({expressions}) > ({', '.join('?' * len(values_after))})")
            params.extend(values_after)
        sql = (
            f"SELECT {_COLUMNS} FROM itilkit_records WHERE {' AND '.join(where)} "
            f"ORDER BY {_ORDER_BY[order]} LIMIT ?"
        )
        params.append(limit + 1)
        with self._connection() as connection:
            rows = connection.execute(sql, params).fetchall()
        records = tuple(_record_from_row(row) for row in rows[:limit])
        more = len(rows) > limit
        return Page(records, PageCursor.after(order, records[-1]) if more else None)

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
        sql = _HISTORY
        params: list[Any] = [kind, record_id, after]
        if up_to is not None:
            sql += " AND sequence <= ?"
            params.append(up_to)
        sql += " ORDER BY sequence DESC" if newest_first else " ORDER BY sequence"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._connection() as connection:
            rows = connection.execute(sql, params).fetchall()
        return tuple(_history_from_row(row) for row in rows)

    def close(self) -> None:
        """Close every connection this store opened; later calls raise StoreUnavailableError."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for connection in connections:
            with suppress(sqlite3.Error):  # already unusable; closing is all that was asked
                connection.close()

    # -- connections and transactions ------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, with sqlite3 errors translated on the way out."""
        if self._closed:
            raise StoreUnavailableError(f"the SQLite store {self._path!r} was closed")
        try:
            with self._serial:
                yield self._thread_connection()
        except sqlite3.Error as error:
            raise translate(error, timeout=self._timeout) from error

    def _thread_connection(self) -> sqlite3.Connection:
        if self._memory:
            if self._shared is None:
                self._shared = self._open()
            return self._shared
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:  # new thread, or a forked child
            self._local.connection = self._open()
            self._local.pid = pid
        connection: sqlite3.Connection = self._local.connection
        return connection

    def _open(self) -> sqlite3.Connection:
        if not self._memory and not Path(self._path).parent.is_dir():
            raise StoreUnavailableError(f"no directory for the SQLite file {self._path!r}")
        connection = sqlite3.connect(
            self._path, timeout=self._timeout, isolation_level=None, check_same_thread=False
        )
        try:
            self._prepare(connection)
        except BaseException:
            connection.close()
            raise
        with self._lock:
            if self._closed:
                connection.close()
                raise StoreUnavailableError(f"the SQLite store {self._path!r} was closed")
            self._connections.append(connection)
        return connection

    def _prepare(self, connection: sqlite3.Connection) -> None:
        """Turn on WAL, create the tables the first time, upgrade an older layout in
        place; refuse a newer one."""
        layout = connection.execute("PRAGMA user_version").fetchone()[0]
        if layout > LAYOUT_VERSION:
            raise StoreUnavailableError(
                f"{self._path!r} has table layout {layout}, newer than this itilkit's "
                f"{LAYOUT_VERSION}; upgrade itilkit"
            )
        if not self._memory:
            connection.execute("PRAGMA synchronous = NORMAL")
            if layout == 0:
                connection.execute("PRAGMA journal_mode = WAL")
        if layout < LAYOUT_VERSION:

            def create() -> None:
                # read again under the write lock: another process may have done it
                found = connection.execute("PRAGMA user_version").fetchone()[0]
                for statement in _UPGRADE_FROM_1 if found == 1 else _SCHEMA if found == 0 else ():
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {LAYOUT_VERSION}")

            self._transaction(connection, create)

    @staticmethod
    def _transaction(connection: sqlite3.Connection, work: Any) -> None:
        """Run ``work()`` in one BEGIN IMMEDIATE transaction; roll back on any failure."""
        connection.execute("BEGIN IMMEDIATE")
        try:
            work()
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                with suppress(sqlite3.Error):  # a broken connection: SQLite rolled back already
                    connection.execute("ROLLBACK")
            raise

    @staticmethod
    def _apply(connection: sqlite3.Connection, batch: tuple[RecordWrite, ...]) -> None:
        """Check every write against the stored versions, then apply them all."""
        stored = _stored_versions(connection, batch)
        for write in batch:
            check_write(stored.get(write.record.key), write)
        creates = [w.record for w in batch if w.expected_version == 0]
        updates = [w for w in batch if w.expected_version > 0]
        connection.executemany(_INSERT, [(r.kind, r.id, *_record_values(r)) for r in creates])
        changed = connection.executemany(
            _UPDATE,
            [
                (
                    *_record_values(w.record),
                    *w.record.key,
                    w.expected_version,
                    w.previous_history_length,
                )
                for w in updates
            ],
        ).rowcount
        if changed != len(updates):
            raise StorageError("a writer changed a record while this store held the write lock")
        connection.executemany(
            _INSERT_HISTORY,
            [
                (e.kind, e.record_id, e.sequence, e.schema_version, _time(e.at), e.payload)
                for w in batch
                for e in w.history
            ],
        )


def _stored_versions(
    connection: sqlite3.Connection, batch: tuple[RecordWrite, ...]
) -> dict[tuple[str, str], StoredVersion]:
    """The stored version and history length of each record the batch writes, if stored.

    One query per kind and 500 ids, not one per record.
    """
    if len(batch) == 1:
        key = batch[0].record.key
        row = connection.execute(_CURRENT, key).fetchone()
        return {} if row is None else {key: StoredVersion(*row)}
    ids: dict[str, list[str]] = {}
    for write in batch:
        ids.setdefault(write.record.kind, []).append(write.record.id)
    found: dict[tuple[str, str], StoredVersion] = {}
    for kind, of_kind in ids.items():
        for start in range(0, len(of_kind), _CHUNK):
            chunk = of_kind[start : start + _CHUNK]
            sql = _CURRENTS.format(", ".join("?" * len(chunk)))
            for record_id, version, length in connection.execute(sql, (kind, *chunk)):
                found[kind, record_id] = StoredVersion(version, length)
    return found


def _keyset(cursor: PageCursor) -> tuple[str, tuple[Any, ...]]:
    """The ORDER BY expressions of the cursor's order and the cursor's values for them."""
    if cursor.order is Order.PRIORITY:
        priority = _NO_PRIORITY if cursor.priority is None else cursor.priority
        opened = _NO_TIME if cursor.opened_at is None else _time(cursor.opened_at)
        return _ORDER_BY[Order.PRIORITY], (priority, opened, cursor.record_id)
    if cursor.order is Order.SLA_DUE:
        due = _NO_TIME if cursor.sla_due_at is None else _time(cursor.sla_due_at)
        return _ORDER_BY[Order.SLA_DUE], (due, cursor.record_id)
    return "id", (cursor.record_id,)
