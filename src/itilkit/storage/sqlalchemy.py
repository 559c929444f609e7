"""The record store on SQLAlchemy 2 Core: PostgreSQL, or any database SQLAlchemy reaches.

Install the ``sqlalchemy`` extra (``postgresql`` adds the psycopg driver). It
is also the worked example of ``docs/persistence.md``: two tables mapped to
:class:`StoredRecord` and :class:`HistoryEntry` by hand, one transaction per
write, and the driver's errors translated into itilkit's.

How a write stays correct under concurrency: in one transaction it locks the
batch's rows (``SELECT ... FOR UPDATE``, in key order so two batches cannot
deadlock), checks every write against them, inserts the new records (a
concurrent creator loses on the primary key), updates the others with
``WHERE version = :expected`` (checking the row count) and inserts the
history (its primary key is a last guard). On SQLite, which has no row
locks, it installs SQLAlchemy's documented pysqlite recipe instead: the
driver's implicit transactions off, and ``BEGIN IMMEDIATE`` for writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import Connection, Engine

from itilkit._repr import shown
from itilkit.errors import (
    CorruptRecordError,
    DuplicateRecordError,
    InvalidInputError,
    InvalidTypeError,
    ItilkitError,
    RecordNotFoundError,
    StorageError,
    StoreBusyError,
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
    to_utc,
    validate_writes,
)
from itilkit.storage._sqlite_errors import translate as translate_sqlite

__all__ = ["SQLAlchemyRecordStore", "UtcDateTime", "record_tables", "translate"]

#: PostgreSQL error classes that mean "wait and retry": lock and statement
#: timeouts, deadlock, serialization failure.
_PG_BUSY = {"55P03", "57014", "40P01", "40001"}
_ANY = RecordFilter()


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """An aware datetime kept in UTC (``timestamptz`` on PostgreSQL, text on SQLite)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        utc = to_utc(value, "value")
        if getattr(dialect, "name", None) != "sqlite":
            return value
        return utc.replace(tzinfo=None)  # SQLite keeps naive text

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise InvalidTypeError("value", "a datetime", value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else to_utc(value, "value")


def _name(length: int | None = 512) -> sa.types.TypeEngine[str]:
    """Text compared by code point everywhere (PostgreSQL: the "C" collation)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def record_tables(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    """The records and history tables, added to ``metadata`` (its schema applies)."""
    if not isinstance(metadata, sa.MetaData):
        raise InvalidTypeError("metadata", "a SQLAlchemy MetaData", metadata)
    records = sa.Table(
        "itilkit_records",
        metadata,
        sa.Column("kind", _name(), primary_key=True),
        sa.Column("id", _name(), primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("history_length", sa.BigInteger, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("state", _name(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("priority", sa.Integer),
        sa.Column("assignment_group", _name()),
        sa.Column("practice", _name()),
        sa.Column("opened_at", UtcDateTime),
        sa.Column("updated_at", UtcDateTime),
        sa.Column("sla_due_at", UtcDateTime),
        sa.Column("name", _name()),
        sa.Column("classification", _name()),
    )
    sa.Index("itilkit_records_by_state", records.c.kind, records.c.state, records.c.priority,
             records.c.opened_at, records.c.id)  # fmt: skip
    sa.Index("itilkit_records_by_group", records.c.kind, records.c.assignment_group,
             records.c.priority, records.c.opened_at, records.c.id)  # fmt: skip
    sa.Index("itilkit_records_by_sla_due", records.c.kind, records.c.sla_due_at, records.c.id)
    # Only entities with a class or a name (CIs) pay for these two on insert.
    with_class = records.c.classification.is_not(None)
    sa.Index(
        "itilkit_records_by_class",
        records.c.kind,
        records.c.classification,
        records.c.id,
        postgresql_where=with_class,
        sqlite_where=with_class,
    )
    with_name = records.c.name.is_not(None)
    sa.Index("itilkit_records_by_name", records.c.kind, records.c.name, records.c.id,
             postgresql_where=with_name, sqlite_where=with_name)  # fmt: skip
    history = sa.Table(
        "itilkit_history",
        metadata,
        sa.Column("kind", _name(), primary_key=True),
        sa.Column("record_id", _name(), primary_key=True),
        sa.Column("sequence", sa.BigInteger, primary_key=True),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )
    return records, history


# -- rows <-> values, by hand ----------------------------------------------------------


def _record_row(record: StoredRecord) -> dict[str, Any]:
    index = record.index
    return {
        "kind": record.kind,
        "id": record.id,
        "version": record.version,
        "schema_version": record.schema_version,
        "history_length": record.history_length,
        "payload": record.payload,
        "state": index.state,
        "category": index.category.value,
        "priority": index.priority,
        "assignment_group": index.assignment_group,
        "practice": index.practice,
        "opened_at": index.opened_at,
        "updated_at": index.updated_at,
        "sla_due_at": index.sla_due_at,
        "name": index.name,
        "classification": index.classification,
    }


def _record(row: sa.Row[Any]) -> StoredRecord:
    values = row._mapping
    try:
        return StoredRecord(
            kind=values["kind"],
            id=values["id"],
            version=values["version"],
            schema_version=values["schema_version"],
            history_length=values["history_length"],
            payload=values["payload"],
            index=IndexFields(
                state=values["state"],
                category=values["category"],
                priority=values["priority"],
                assignment_group=values["assignment_group"],
                practice=values["practice"],
                opened_at=values["opened_at"],
                updated_at=values["updated_at"],
                sla_due_at=values["sla_due_at"],
                name=values["name"],
                classification=values["classification"],
            ),
        )
    except ItilkitError as error:
        raise CorruptRecordError(str(values["kind"]), str(values["id"]), str(error)) from error


def _history_row(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "record_id": entry.record_id,
        "sequence": entry.sequence,
        "schema_version": entry.schema_version,
        "at": entry.at,
        "payload": entry.payload,
    }


def _entry(row: sa.Row[Any]) -> HistoryEntry:
    values = row._mapping
    try:
        return HistoryEntry(**values)
    except ItilkitError as error:
        raise CorruptRecordError(
            str(values["kind"]), str(values["record_id"]), str(error)
        ) from error


def translate(error: exc.SQLAlchemyError, *, timeout: float | None = None) -> StorageError:
    """The itilkit storage error for a SQLAlchemy or driver error (raise it ``from error``)."""
    if not isinstance(error, exc.SQLAlchemyError):
        raise InvalidTypeError("error", "a SQLAlchemy error", error)
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout >= 0
    ):
        raise InvalidTypeError("timeout", "seconds >= 0 or None", timeout)
    original = getattr(error, "orig", None)
    if isinstance(original, sqlite3.Error):
        return translate_sqlite(original, timeout=timeout)
    sqlstate = getattr(original, "sqlstate", None) or ""
    if sqlstate in _PG_BUSY:
        return StoreBusyError(f"{sqlstate}: {original}", timeout)
    connection_lost = isinstance(error, exc.DBAPIError) and error.connection_invalidated
    if (
        sqlstate.startswith(("08", "57P", "3D"))
        or connection_lost
        or isinstance(error, exc.InterfaceError | exc.DisconnectionError | exc.ResourceClosedError)
        or (isinstance(error, exc.OperationalError) and not sqlstate)
    ):
        return StoreUnavailableError(f"{sqlstate or type(error).__name__}: {original or error}")
    return StorageError(f"the database failed ({sqlstate or type(error).__name__}): {error}")


class SQLAlchemyRecordStore:
    """A :class:`~itilkit.storage.ports.RecordStore` on a SQLAlchemy engine.

    Args:
        engine: the engine to use (the caller keeps and disposes it).
        schema: the database schema for the tables (PostgreSQL), or None.
        create_tables: create the schema and tables if missing.
        lock_timeout: seconds a write waits for another writer's locks before
            raising StoreBusyError.

    >>> store = SQLAlchemyRecordStore.from_url("sqlite://")
    >>> store.list("incident").items
    ()
    >>> store.close()
    """

    def __init__(
        self,
        engine: Engine,
        *,
        schema: str | None = None,
        create_tables: bool = True,
        lock_timeout: float = 5.0,
    ) -> None:
        if not isinstance(engine, Engine):
            raise InvalidInputError(f"engine must be a SQLAlchemy Engine, got {shown(engine)}")
        if isinstance(lock_timeout, bool) or not isinstance(lock_timeout, int | float):
            raise InvalidInputError(f"lock_timeout must be seconds, got {shown(lock_timeout)}")
        if not lock_timeout > 0:
            raise InvalidInputError(f"lock_timeout must be > 0 seconds, got {shown(lock_timeout)}")
        if schema is not None:
            check_text(schema, "schema")
        if not isinstance(create_tables, bool):
            raise InvalidTypeError("create_tables", "a bool", create_tables)
        self._engine = engine
        self._owns_engine = False
        self._timeout = float(lock_timeout)
        self._closed = False
        self._sqlite = engine.dialect.name == "sqlite"
        self._records, self._history = record_tables(sa.MetaData(schema=schema))
        if self._sqlite:
            _install_sqlite_recipe(engine)
        if create_tables:
            with self._translated(), engine.begin() as connection:
                if schema is not None and not self._sqlite:
                    connection.execute(sa.schema.CreateSchema(schema, if_not_exists=True))
                self._records.metadata.create_all(connection)

    @classmethod
    def from_url(
        cls, url: str, *, schema: str | None = None, lock_timeout: float = 5.0, **options: Any
    ) -> SQLAlchemyRecordStore:
        """A store on a new engine for ``url``, disposed when the store is closed.

        ``options`` go to :func:`sqlalchemy.create_engine`.
        """
        if not isinstance(url, str) or not url:
            raise InvalidTypeError("url", "a database URL (a non-empty string)", url)
        try:
            if url.startswith("sqlite"):
                options.setdefault("connect_args", {}).setdefault("timeout", lock_timeout)
            engine = sa.create_engine(url, **options)
        except (exc.SQLAlchemyError, ValueError, TypeError, ImportError) as error:
            raise StoreUnavailableError(
                f"cannot make an engine for {shown(url)}: {error}"
            ) from error
        try:
            store = cls(engine, schema=schema, lock_timeout=lock_timeout)
        except BaseException:
            engine.dispose()
            raise
        store._owns_engine = True
        return store

    def write(self, writes: Sequence[RecordWrite], /) -> None:
        """Apply every write or none, in one transaction (see the port)."""
        batch = validate_writes(writes)
        with self._translated():
            if not batch:
                return
            try:
                with self._write_transaction() as connection:
                    self._apply(connection, batch)
            except exc.IntegrityError as error:
                self._diagnose_duplicate(batch, error)

    def load(self, kind: str, record_id: str) -> StoredRecord:
        """The latest version of a record, or RecordNotFoundError."""
        check_text(kind, "kind")
        check_text(record_id, "record_id")
        table = self._records
        query = sa.select(table).where(table.c.kind == kind, table.c.id == record_id)
        with self._translated(), self._engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            raise RecordNotFoundError(kind, record_id)
        return _record(row)

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
        c = self._records.c
        conditions: list[sa.ColumnElement[bool]] = [c.kind == kind]
        for values, column in (
            (filter.states, c.state),
            (filter.categories, c.category),
            (filter.priorities, c.priority),
            (filter.assignment_groups, c.assignment_group),
            (filter.practices, c.practice),
            (filter.names, c.name),
            (filter.classifications, c.classification),
        ):
            if values is not None:
                if not values:
                    return Page(())
                conditions.append(column.in_(sorted(values)))
        if filter.sla_due_by is not None:
            conditions.append(c.sla_due_at <= filter.sla_due_by)
        if after is not None:
            conditions.append(self._after(after))
        query = (
            sa.select(self._records)
            .where(*conditions)
            .order_by(*self._order_by(order))
            .limit(limit + 1)
        )
        with self._translated(), self._engine.connect() as connection:
            rows = connection.execute(query).all()
        records = tuple(_record(row) for row in rows[:limit])
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
        c = self._history.c
        query = sa.select(self._history).where(
            c.kind == kind, c.record_id == record_id, c.sequence > after
        )
        if up_to is not None:
            query = query.where(c.sequence <= up_to)
        query = query.order_by(c.sequence.desc() if newest_first else c.sequence).limit(limit)
        with self._translated(), self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return tuple(_entry(row) for row in rows)

    def close(self) -> None:
        """Stop using the engine (disposing it if the store made it); closing twice is fine."""
        if not self._closed:
            self._closed = True
            if self._owns_engine:
                self._engine.dispose()

    # -- the write path --------------------------------------------------------------

    @contextmanager
    def _translated(self) -> Iterator[None]:
        if self._closed:
            raise StoreUnavailableError("the SQLAlchemy store was closed")
        try:
            yield
        except exc.SQLAlchemyError as error:
            raise translate(error, timeout=self._timeout) from error

    @contextmanager
    def _write_transaction(self) -> Iterator[Connection]:
        with (
            self._engine.connect().execution_options(itilkit_write=True) as connection,
            connection.begin(),
        ):
            if not self._sqlite and connection.dialect.name == "postgresql":
                connection.execute(
                    sa.select(
                        sa.func.set_config("lock_timeout", f"{self._timeout * 1000:.0f}", True)
                    )
                )
            yield connection

    def _apply(self, connection: Connection, batch: tuple[RecordWrite, ...]) -> None:
        """Lock the batch's rows, check every write, then apply them all."""
        current = self._lock_rows(connection, batch)
        for write in batch:
            check_write(current.get(write.record.key), write)
        records, history = self._records, self._history
        creates = [_record_row(w.record) for w in batch if w.expected_version == 0]
        if creates:
            connection.execute(sa.insert(records), creates)
        updates = [w for w in batch if w.expected_version > 0]
        if updates:
            statement = (
                sa.update(records)
                .where(
                    records.c.kind == sa.bindparam("b_kind"),
                    records.c.id == sa.bindparam("b_id"),
                    records.c.version == sa.bindparam("b_expected"),
                    records.c.history_length == sa.bindparam("b_previous"),
                )
                .values({name: sa.bindparam(name) for name in _UPDATED})
            )
            params = [
                {
                    **{
                        name: value
                        for name, value in _record_row(w.record).items()
                        if name in _UPDATED
                    },
                    "b_kind": w.record.kind,
                    "b_id": w.record.id,
                    "b_expected": w.expected_version,
                    "b_previous": w.previous_history_length,
                }
                for w in updates
            ]
            if connection.execute(statement, params).rowcount != len(updates):
                raise StorageError("a record changed under this store's row lock")
        entries = [_history_row(e) for w in batch for e in w.history]
        if entries:
            connection.execute(sa.insert(history), entries)

    def _lock_rows(
        self, connection: Connection, batch: tuple[RecordWrite, ...]
    ) -> dict[tuple[str, str], StoredVersion]:
        """The stored version of every record of the batch, its row locked till commit."""
        c = self._records.c
        ids_by_kind: dict[str, list[str]] = {}
        for write in batch:
            ids_by_kind.setdefault(write.record.kind, []).append(write.record.id)
        found: dict[tuple[str, str], StoredVersion] = {}
        for kind in sorted(ids_by_kind):
            ids = sorted(ids_by_kind[kind])
            for start in range(0, len(ids), 500):
                query = (
                    sa.select(c.id, c.version, c.history_length)
                    .where(c.kind == kind, c.id.in_(ids[start : start + 500]))
                    .order_by(c.id)
                    .with_for_update()
                )
                for record_id, version, history_length in connection.execute(query):
                    found[(kind, record_id)] = StoredVersion(version, history_length)
        return found

    def _diagnose_duplicate(
        self, batch: tuple[RecordWrite, ...], error: exc.IntegrityError
    ) -> None:
        """A concurrent writer created one of the batch's new records first: say which."""
        for write in batch:
            if write.expected_version == 0:
                try:
                    existing = self.load(*write.record.key)
                except RecordNotFoundError:
                    continue
                raise DuplicateRecordError(*write.record.key, existing.version) from error
        raise translate(error, timeout=self._timeout) from error

    def _after(self, cursor: PageCursor) -> sa.ColumnElement[bool]:
        """Rows strictly after the cursor in its order (nulls last)."""
        c = self._records.c
        if cursor.order is Order.PRIORITY:
            rest = _after_nulls_last(c.opened_at, cursor.opened_at, c.id, cursor.record_id)
            if cursor.priority is None:
                return sa.and_(c.priority.is_(None), rest)
            return sa.or_(
                c.priority > cursor.priority,
                c.priority.is_(None),
                sa.and_(c.priority == cursor.priority, rest),
            )
        if cursor.order is Order.SLA_DUE:
            return _after_nulls_last(c.sla_due_at, cursor.sla_due_at, c.id, cursor.record_id)
        return c.id > cursor.record_id

    def _order_by(self, order: Order) -> tuple[sa.ColumnElement[Any], ...]:
        c = self._records.c
        if order is Order.PRIORITY:
            return (sa.nulls_last(c.priority.asc()), sa.nulls_last(c.opened_at.asc()), c.id)
        if order is Order.SLA_DUE:
            return (sa.nulls_last(c.sla_due_at.asc()), c.id)
        return (c.id,)


def _after_nulls_last(
    column: sa.ColumnElement[Any], value: object, ids: sa.ColumnElement[str], record_id: str
) -> sa.ColumnElement[bool]:
    """Rows after (value, record_id) in the order (column nulls last, id)."""
    if value is None:
        return sa.and_(column.is_(None), ids > record_id)
    return sa.or_(column > value, column.is_(None), sa.and_(column == value, ids > record_id))


#: The columns an update sets (all but the key).
_UPDATED = (
    "version", "schema_version", "history_length", "payload", "state", "category", "priority",
    "assignment_group", "practice", "opened_at", "updated_at", "sla_due_at", "name",
    "classification",
)  # fmt: skip


def _install_sqlite_recipe(engine: Engine) -> None:
    """SQLAlchemy's pysqlite recipe: no implicit BEGIN; BEGIN IMMEDIATE for writes; WAL."""
    if getattr(engine, "_itilkit_sqlite_recipe", False):
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        if engine.url.database not in (None, "", ":memory:"):
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA synchronous = NORMAL")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        writing = connection.get_execution_options().get("itilkit_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    engine._itilkit_sqlite_recipe = True  # type: ignore[attr-defined]
