"""Samples of itilkit.storage: records, writes, queries, the stores and the repository.

Each store sample is a fresh in-memory store holding one incident (its
record and history, written through the repository), so that reading methods
find something; SQLite files go to a folder of the test run's own.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import timedelta
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from itilkit.practices import INCIDENT, Incident, Relationship, RelationshipKind
from itilkit.storage import (
    ConfigurationItemDocuments,
    EncodedEntity,
    EncodedHistory,
    EntityDocuments,
    HistoryEntry,
    IndexFields,
    InMemoryRecordStore,
    Order,
    Page,
    PageCursor,
    RecordFilter,
    RecordStore,
    RecordWrite,
    RelationshipDocuments,
    Repository,
    SQLiteRecordStore,
    StoredRecord,
    UnitOfWork,
    Versioned,
)
from itilkit.storage.sqlalchemy import SQLAlchemyRecordStore, UtcDateTime
from itilkit.testing import first_write, sample_index, sample_item
from tests.boundary.samples import Factory, Samples
from tests.codec.samples import INCIDENT_SAMPLE

_FOLDER = Path(tempfile.mkdtemp(prefix="itilkit-boundary-storage-"))
_WRITE = first_write("incident", INCIDENT_SAMPLE.id, history=1)
_CODEC = EntityDocuments(Incident)
_OTHER = Incident.log(
    INCIDENT, id="INC-2", title="VPN down", caller="bob", impact=3, urgency=3,
    at=INCIDENT_SAMPLE.opened_at, actor="desk",
)  # fmt: skip


def _filled(store: RecordStore) -> RecordStore:
    """``store`` with the sample incident saved in it (as the repository writes it)."""
    Repository(store, _CODEC).add(INCIDENT_SAMPLE)
    return store


def _memory() -> RecordStore:
    return _filled(InMemoryRecordStore())


def _sqlite() -> RecordStore:
    return _filled(SQLiteRecordStore(":memory:"))


def _sqlalchemy() -> RecordStore:
    return _filled(SQLAlchemyRecordStore.from_url("sqlite://"))


@cache
def _shared_memory() -> RecordStore:
    return _memory()


@cache
def _shared_sqlite() -> RecordStore:
    """A filled store in a database file."""
    return _filled(SQLiteRecordStore(_database()))


@cache
def _shared_sqlalchemy() -> RecordStore:
    return _sqlalchemy()


def _database() -> Path:
    """A new database file's path (each sample store starts empty)."""
    return Path(tempfile.mkstemp(suffix=".db", dir=_FOLDER)[1])


def _given(value: object) -> Factory:
    return lambda: value


def _cmdb_arguments() -> dict[str, Factory]:
    """The entities and payloads of the two CMDB codecs; their codec is a Codec (or None)."""
    item, other = sample_item(0), sample_item(1)
    relationship = Relationship(other.id, next(iter(RelationshipKind)), item.id)
    found: dict[str, Factory] = {
        f"{name}.codec": lambda: None
        for name in (
            "ConfigurationItemDocuments",
            "RelationshipDocuments",
            "cmdb_documents",
            "load_cmdb",
        )
    }
    for name, documents, parameter, entity in (
        ("ConfigurationItemDocuments", ConfigurationItemDocuments(), "item", item),
        ("RelationshipDocuments", RelationshipDocuments(), "relationship", relationship),
    ):
        for method in ("record_id", "encode"):
            found[f"{name}.{method}.{parameter}"] = _given(entity)
        found[f"{name}.decode.payload"] = _given(documents.encode(entity).payload)
        found[f"{name}.decode_history.payload"] = lambda: "{}"
    return found


SAMPLES = Samples(
    instances={
        IndexFields: [sample_index],
        StoredRecord: [lambda: _WRITE.record],
        HistoryEntry: [lambda: _WRITE.history[0]],
        RecordWrite: [lambda: _WRITE],
        RecordFilter: [RecordFilter, lambda: RecordFilter(states="new", priorities=[1, 3])],
        PageCursor: [
            lambda: PageCursor(order=Order.ID, record_id="INC1"),
            lambda: PageCursor.after(Order.PRIORITY, _WRITE.record),
        ],
        Page: [lambda: Page((_WRITE.record,))],
        EncodedHistory: [lambda: EncodedHistory(_WRITE.record.index.opened_at, "{}")],
        EncodedEntity: [lambda: _CODEC.encode(INCIDENT_SAMPLE)],
        EntityDocuments: [lambda: _CODEC],
        InMemoryRecordStore: [_memory],
        SQLiteRecordStore: [_sqlite],
        SQLAlchemyRecordStore: [_sqlalchemy],
        UtcDateTime: [UtcDateTime],
        ConfigurationItemDocuments: [ConfigurationItemDocuments],
        RelationshipDocuments: [RelationshipDocuments],
        Repository: [lambda: Repository(_memory(), _CODEC)],
        UnitOfWork: [lambda: UnitOfWork(_memory(), [_CODEC])],
        Versioned: [lambda: Versioned(INCIDENT_SAMPLE, 1)],
        # the ports: a parameter annotated RecordStore or EntityCodec gets one of ours
        RecordStore: [_memory],
    },
    # reading methods share one filled store of each kind (making one per call cost
    # seconds per method); write and close get fresh ones
    receivers={
        f"{cls.__name__}.{method}": [shared]
        for cls, shared in (
            (InMemoryRecordStore, _shared_memory),
            (SQLiteRecordStore, _shared_sqlite),
            (SQLAlchemyRecordStore, _shared_sqlalchemy),
        )
        for method in ("load", "list", "history")
    },
    # a CMDB part has no history records: decoding one is refused, by design
    bases=frozenset(
        {"ConfigurationItemDocuments.decode_history", "RelationshipDocuments.decode_history"}
    ),
    arguments={
        **_cmdb_arguments(),
        "kind": lambda: "incident",
        "record_id": lambda: INCIDENT_SAMPLE.id,
        "entity": lambda: INCIDENT_SAMPLE,
        "writes": lambda: [first_write("incident", "INC-new", history=1)],
        "write": lambda: first_write("incident", "INC-new", history=1),
        "current": lambda: None,
        "codec": lambda: _CODEC,
        "codecs": lambda: [_CODEC],
        "Repository.codec": lambda: _CODEC,
        "UnitOfWork.repository.codec": lambda: "incident",
        "entity_type": lambda: Incident,
        "entity_documents.codec": lambda: None,
        "EntityDocuments.codec": lambda: None,
        "payload": lambda: _CODEC.encode(INCIDENT_SAMPLE).payload,
        "EntityDocuments.decode_history.payload": lambda: (
            _CODEC.encode(INCIDENT_SAMPLE).new_history[0].payload
        ),
        "schema_version": lambda: 1,
        "expected_version": lambda: 1,
        "Repository.add.entity": lambda: _OTHER,
        "group": lambda: "service-desk",
        "now": lambda: _WRITE.record.index.opened_at,
        "within": lambda: timedelta(hours=1),
        "token": lambda: PageCursor(order=Order.ID, record_id="INC1").token(),
        "order": lambda: Order.ID,
        "Page.items": lambda: (_WRITE.record,),
        "PageCursor.record_id": lambda: "INC1",
        "path": _database,
        "SQLiteRecordStore.path": lambda: ":memory:",
        "engine": lambda: sa.create_engine("sqlite://"),
        "translate.error": lambda: sa.exc.OperationalError(
            "SELECT 1", {}, sqlite3.OperationalError("locked")
        ),
        "dialect": lambda: sa.create_engine("sqlite://").dialect,
        "UtcDateTime.process_bind_param.value": lambda: _WRITE.record.index.opened_at,
        "UtcDateTime.process_result_value.value": lambda: _WRITE.record.index.opened_at,
        "url": lambda: "sqlite://",
        "metadata": sa.MetaData,
        "EncodedHistory.at": lambda: _WRITE.record.index.opened_at,
        "EncodedHistory.payload": lambda: "{}",
        "EncodedEntity.index": sample_index,
        "EncodedEntity.history_length": lambda: 0,
        "Versioned.version": lambda: 1,
        "Versioned.entity": lambda: INCIDENT_SAMPLE,
        "record": lambda: _WRITE.record,
        "RecordWrite.history": lambda: _WRITE.history,
    },
)
