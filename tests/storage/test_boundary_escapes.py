# mypy: disable-error-code="arg-type, list-item, dict-item, call-overload, type-var"
"""What the boundary walk (tests/boundary) found in itilkit.storage, fixed at its source."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from itilkit.errors import InvalidInputError, InvalidTypeError, ItilkitError
from itilkit.practices import Incident
from itilkit.storage import (
    EncodedEntity,
    EncodedHistory,
    EntityDocuments,
    HistoryEntry,
    IndexFields,
    InMemoryRecordStore,
    Order,
    PageCursor,
    RecordFilter,
    Repository,
    SQLiteRecordStore,
    UnitOfWork,
    check_write,
    entity_documents,
)
from itilkit.storage.sqlalchemy import (
    SQLAlchemyRecordStore,
    UtcDateTime,
    record_tables,
    translate,
)
from itilkit.testing import first_write, sample_index
from tests.boundary.hostile import RaisingOffset as _RaisingOffset
from tests.boundary.hostile import deep_list

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CODEC = EntityDocuments(Incident)


@pytest.mark.parametrize("store", [None, 5, "store", InMemoryRecordStore])
def test_a_repository_or_unit_of_work_needs_a_store(store: object) -> None:
    """Repository(store=None) and UnitOfWork(store=None) were accepted, then an
    AttributeError on the first add or commit."""
    with pytest.raises(InvalidTypeError, match="store must be a RecordStore"):
        Repository(store, CODEC)
    with pytest.raises(InvalidTypeError, match="store must be a RecordStore"):
        UnitOfWork(store, [CODEC])


@pytest.mark.parametrize("codec", [None, 5, "incident", Incident])
def test_a_repository_needs_a_codec(codec: object) -> None:
    """Repository(store, codec=None) was an AttributeError (codec.kind)."""
    with pytest.raises(InvalidTypeError, match="codec must be an EntityCodec"):
        Repository(InMemoryRecordStore(), codec)
    with pytest.raises(InvalidTypeError):
        UnitOfWork(InMemoryRecordStore(), [codec])


def test_unit_of_work_repository_of_nothing() -> None:
    """UnitOfWork.repository(None) was an AttributeError; codecs=5 a TypeError."""
    work = UnitOfWork(InMemoryRecordStore(), [CODEC])
    with pytest.raises(InvalidTypeError, match="codec must be an EntityCodec"):
        work.repository(None)
    assert work.repository("incident").kind == "incident"
    with pytest.raises(InvalidTypeError, match="codecs"):
        UnitOfWork(InMemoryRecordStore(), 5)


@pytest.mark.parametrize("value", [None, "newest", 1, deep_list(20_000)])
def test_an_unknown_order_is_bad_input(value: object) -> None:
    """Order(None) was enum's plain ValueError (and a deep value a RecursionError)."""
    with pytest.raises(InvalidInputError, match="is not a Order; allowed: id, priority, sla_due"):
        Order(value)
    assert Order("priority") is Order.PRIORITY


def test_deep_values_are_quoted_briefly() -> None:
    """Messages quoted hostile values with !r: a deep list was a RecursionError."""
    deep = deep_list(20_000)
    store = InMemoryRecordStore()
    repository = Repository(store, CODEC)
    calls: list[Any] = [
        lambda: EncodedEntity(record_id="x", payload="{}", index=deep, history_length=0),
        lambda: EncodedEntity(
            record_id="x", payload="{}", index=sample_index(), history_length=0, new_history=deep
        ),
        lambda: EntityDocuments(deep),
        lambda: EntityDocuments(Incident, deep),
        lambda: entity_documents(deep),
        lambda: store.list("incident", deep),
        lambda: store.history("incident", "x", newest_first=deep),
        lambda: repository.breaching_within(deep, now=T0),
        lambda: PageCursor.from_token(deep),
        lambda: PageCursor(order=deep, record_id="x"),
        lambda: SQLiteRecordStore(deep),
        lambda: SQLiteRecordStore(":memory:", timeout=deep),
        lambda: SQLAlchemyRecordStore(deep),
    ]
    for call in calls:
        with pytest.raises(InvalidInputError) as caught:
            call()
        assert len(str(caught.value)) < 600


@pytest.mark.parametrize(
    "make",
    [
        lambda at: HistoryEntry(
            kind="incident", record_id="x", sequence=1, schema_version=1, at=at, payload="{}"
        ),
        lambda at: EncodedHistory(at, "{}"),
        lambda at: sample_index(opened_at=at),
        lambda at: RecordFilter(sla_due_by=at),
    ],
)
def test_a_time_zone_that_cannot_tell_its_offset(make: Any) -> None:
    """A tzinfo whose utcoffset raises RuntimeError let it escape from every stored time."""
    with pytest.raises(InvalidInputError, match="broken tzinfo"):
        make(datetime(2026, 3, 2, tzinfo=_RaisingOffset()))


def test_queries_check_what_they_are_given() -> None:
    """RecordFilter.matches(None), PageCursor.after(order, None) and check_write(True, ...)
    were AttributeErrors."""
    write = first_write("incident", "INC-1")
    with pytest.raises(InvalidTypeError, match="index must be IndexFields"):
        RecordFilter().matches(None)
    assert RecordFilter(states="new").matches(write.record.index)
    with pytest.raises(InvalidTypeError, match="record must be a StoredRecord"):
        PageCursor.after(Order.ID, None)
    with pytest.raises(InvalidInputError, match="order must be one of"):
        PageCursor.after("sideways", write.record)
    with pytest.raises(InvalidTypeError, match="current must be None or a stored record"):
        check_write(True, write)
    with pytest.raises(InvalidTypeError, match="write must be a RecordWrite"):
        check_write(None, "write")
    check_write(None, write)


@pytest.mark.parametrize("name", ["   ", "\t", "folder/", "folder/  "])
def test_sqlite_refuses_a_blank_file_name(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLiteRecordStore("   ") created a database file named three spaces."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    with pytest.raises(InvalidInputError, match="path must name a file"):
        SQLiteRecordStore(name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
    assert not any((tmp_path / "folder").iterdir())


def test_sqlite_refuses_a_directory(tmp_path: Path) -> None:
    """A directory was opened as a database and failed later with an opaque error."""
    with pytest.raises(InvalidInputError, match="names a directory"):
        SQLiteRecordStore(tmp_path)
    store = SQLiteRecordStore(tmp_path / " spaced name.db")  # spaces within a name are fine
    store.close()


def test_sqlalchemy_parts_check_their_arguments() -> None:
    """from_url(None), record_tables(None), translate(None) and the UtcDateTime hooks
    given a non-datetime were AttributeErrors or plain ValueErrors."""
    with pytest.raises(InvalidTypeError, match="url must be a database URL"):
        SQLAlchemyRecordStore.from_url(None)
    with pytest.raises(InvalidTypeError, match="metadata must be a SQLAlchemy MetaData"):
        record_tables(None)
    with pytest.raises(InvalidTypeError, match="error must be a SQLAlchemy error"):
        translate(None)
    with pytest.raises(InvalidTypeError, match="timeout"):
        translate(sa.exc.OperationalError("SELECT 1", {}, sqlite3.OperationalError()), timeout="5")
    engine = sa.create_engine("sqlite://")
    with pytest.raises(InvalidInputError, match="schema"):
        SQLAlchemyRecordStore(engine, schema=deep_list(20_000))
    with pytest.raises(InvalidTypeError, match="create_tables must be a bool"):
        SQLAlchemyRecordStore(engine, create_tables="yes")
    hooks = UtcDateTime()
    with pytest.raises(InvalidTypeError):
        hooks.process_bind_param(True, engine.dialect)
    with pytest.raises(InvalidTypeError, match="value must be a datetime"):
        hooks.process_result_value(True, engine.dialect)
    assert hooks.process_bind_param(T0, engine.dialect) == T0.replace(tzinfo=None)
    assert hooks.process_result_value(T0.replace(tzinfo=None), engine.dialect) == T0
    engine.dispose()


def test_every_escape_is_an_itilkit_error_a_caller_can_catch_as_before() -> None:
    """The typed errors keep the builtin a caller caught: TypeError for a wrong type."""
    with pytest.raises(TypeError):
        Repository(None, CODEC)
    with pytest.raises(ValueError, match="is not a Order"):
        Order(None)
    with pytest.raises(ItilkitError):
        IndexFields(
            state="new",
            category="new",
            practice="incident@1",
            opened_at=datetime(2026, 3, 2, tzinfo=_RaisingOffset()),
            updated_at=T0,
        )


# -- the test kit (itilkit.testing) ------------------------------------------------------


def test_kit_sample_records_check_their_arguments() -> None:
    """first_write(history=10**9) built a billion entries; payload={1j: 0} and an unknown
    index field were TypeErrors; counter_of a foreign payload a bare TypeError/KeyError."""
    from itilkit.errors import OutOfRangeError
    from itilkit.testing import next_write, same_records
    from itilkit.testing._samples import counter_of

    with pytest.raises(OutOfRangeError, match="history"):
        first_write("incident", "INC-1", history=10**9)
    with pytest.raises(InvalidInputError, match="payload must be JSON data"):
        first_write("incident", "INC-1", payload={1j: 0})
    with pytest.raises(InvalidInputError, match="index fields are"):
        first_write("incident", "INC-1", colour="red")
    with pytest.raises(InvalidInputError, match="index fields are"):
        sample_index(colour="red")
    record = first_write("incident", "INC-1", payload={"no": "counter"}).record
    with pytest.raises(InvalidInputError, match="not a sample payload"):
        counter_of(record)
    with pytest.raises(InvalidTypeError, match="record must be a StoredRecord"):
        next_write(None)
    assert next_write(first_write("incident", "INC-1").record).expected_version == 1
    deep = deep_list(20_000)
    assert not same_records(deep, deep)  # was a RecursionError


def test_kit_sample_tickets_check_their_arguments() -> None:
    """opened(None, 1), sample_ticket(Incident, -1) or steps=10**9 (a walk of a billion
    steps) and walk(ticket, [(1, 2, 10**12)]) were KeyErrors, ValueErrors, hangs and
    OverflowErrors."""
    from itilkit.errors import OutOfRangeError
    from itilkit.testing import opened, sample_ticket, walk

    with pytest.raises(InvalidTypeError, match="entity_type"):
        opened(None, 1)
    with pytest.raises(InvalidTypeError, match="number must be an int"):
        opened(Incident, "1")
    with pytest.raises(OutOfRangeError):
        sample_ticket(Incident, -1)
    with pytest.raises(OutOfRangeError):
        sample_ticket(Incident, 1, steps=10**9)
    ticket = opened(Incident, 1)
    with pytest.raises(OutOfRangeError, match="minutes"):
        walk(ticket, [(1, 2, 10**12)])
    with pytest.raises(InvalidTypeError, match="triples"):
        walk(ticket, [(1, 2)])
    with pytest.raises(InvalidTypeError, match="ticket"):
        walk(None, [])
    assert walk(ticket, [(0, 1, 5)]).state != "closed"


def test_kit_postgres_server_checks_its_arguments(tmp_path: Path) -> None:
    """PostgresServer(None) was accepted and start() failed with TypeError, a directory
    without the programs with FileNotFoundError; errors of the server are TestServerError
    (a RuntimeError, as before)."""
    from itilkit.errors import TestServerError
    from itilkit.testing import PostgresServer, find_postgres_binaries

    with pytest.raises(InvalidTypeError, match="binaries"):
        PostgresServer(None)
    with pytest.raises(InvalidInputError, match="initdb, pg_ctl, postgres"):
        PostgresServer(tmp_path)
    binaries, _ = find_postgres_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL binaries on this machine")
    with pytest.raises(InvalidInputError, match="settings"):
        PostgresServer(binaries, settings={"fsync": "off' -c evil='1"})
    with pytest.raises(TestServerError, match="not running") as caught:
        _ = PostgresServer(binaries).url
    assert isinstance(caught.value, RuntimeError)


def test_kit_sample_cmdb_checks_its_size() -> None:
    """sample_item(None) and sample_cmdb([]) were TypeErrors; sample_cmdb(10**7) built ten
    million items."""
    from itilkit.errors import OutOfRangeError
    from itilkit.testing import sample_cmdb, sample_item

    with pytest.raises(InvalidTypeError, match="number must be an int"):
        sample_item(None)
    with pytest.raises(InvalidTypeError, match="size must be an int"):
        sample_cmdb([])
    with pytest.raises(OutOfRangeError, match="size"):
        sample_cmdb(10**7)
    assert sample_item(3).id == "CI-003"
    assert len(sample_cmdb(3).items) == 3
