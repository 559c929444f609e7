"""Persistence: the ports a host implements, our adapters, and the typed repository.

The library stays storage-agnostic. A store keeps serialised records
(:class:`StoredRecord`: kind, id, version, schema version, a JSON payload and
the :class:`IndexFields` it lists by) and their append-only history
(:class:`HistoryEntry`); the :class:`Repository` turns entities into records
and back through an injected codec (:class:`~itilkit.storage.ports.EntityCodec`),
and the :class:`UnitOfWork` commits changes to several entities at once.
:class:`EntityDocuments` is that codec for itilkit's tickets, on
:mod:`itilkit.codec`: ``Repository(SQLiteRecordStore(path), EntityDocuments(Incident))``;
:class:`ConfigurationItemDocuments` and :class:`RelationshipDocuments` store the
CMDB as its parts, and :func:`load_cmdb` reads it back as one graph.

Adapters: :class:`InMemoryRecordStore` (tests, the oracle), :class:`SQLiteRecordStore`
(the embedded default) and, with the ``sqlalchemy`` extra,
``itilkit.storage.sqlalchemy.SQLAlchemyRecordStore`` (PostgreSQL and any
database SQLAlchemy reaches). ``itilkit.testing`` proves a host's own store.
See ``docs/persistence.md``.
"""

from itilkit.storage._cmdb import (
    CI_STATUS_CATEGORIES,
    ConfigurationItemDocuments,
    RelationshipDocuments,
    cmdb_documents,
    load_cmdb,
)
from itilkit.storage._entities import EntityDocuments, entity_documents
from itilkit.storage._memory import InMemoryRecordStore
from itilkit.storage._query import OPEN_CATEGORIES, Order, Page, PageCursor, RecordFilter
from itilkit.storage._records import (
    HistoryEntry,
    IndexFields,
    RecordWrite,
    StoredRecord,
    check_write,
    validate_writes,
)
from itilkit.storage._repository import Repository, Versioned
from itilkit.storage._sqlite import SQLiteRecordStore
from itilkit.storage._unit_of_work import UnitOfWork
from itilkit.storage.ports import EncodedEntity, EncodedHistory, EntityCodec, RecordStore

__all__ = [
    "CI_STATUS_CATEGORIES",
    "ConfigurationItemDocuments",
    "EncodedEntity",
    "EncodedHistory",
    "EntityCodec",
    "EntityDocuments",
    "HistoryEntry",
    "InMemoryRecordStore",
    "IndexFields",
    "OPEN_CATEGORIES",
    "Order",
    "Page",
    "PageCursor",
    "RecordFilter",
    "RecordStore",
    "RecordWrite",
    "RelationshipDocuments",
    "Repository",
    "SQLiteRecordStore",
    "StoredRecord",
    "UnitOfWork",
    "Versioned",
    "check_write",
    "cmdb_documents",
    "entity_documents",
    "load_cmdb",
    "validate_writes",
]
