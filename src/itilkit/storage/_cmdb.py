"""The CMDB in a record store: configuration items and relationships, each its own record.

A CMDB is stored as its parts, not as one document: each configuration item
is a record of kind ``configuration-item`` (listed by class, status and name)
and each relationship a record of kind ``ci-relationship``, so two people
editing two CIs never conflict and adding a relationship rewrites nothing
else. :func:`load_cmdb` reads both kinds back as a
:class:`~itilkit.practices.CmdbGraph`, which checks the graph whole (every
relationship names stored CIs, none twice). Write a graph, or any change that
must keep it whole, through one :class:`~itilkit.storage.UnitOfWork`.

>>> from itilkit.practices import CmdbGraph, ConfigurationItem, Relationship
>>> from itilkit.storage import InMemoryRecordStore, UnitOfWork
>>> store = InMemoryRecordStore()
>>> graph = CmdbGraph([ConfigurationItem("mail", "Mail", "service"),
...                    ConfigurationItem("mx-1", "mx-1", "server")],
...                   [Relationship("mail", "runs_on", "mx-1")])
>>> with UnitOfWork(store, cmdb_documents()) as work:
...     for item in graph.items:
...         _ = work.repository("configuration-item").add(item)
...     for relationship in graph.relationships:
...         _ = work.repository("ci-relationship").add(relationship)
...     work.commit()
>>> load_cmdb(store) == graph
True
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from itilkit.categories import StateCategory
from itilkit.codec import Codec
from itilkit.errors import InvalidDocumentError, InvalidInputError
from itilkit.storage._entities import Documents, _json, _parsed, codec_or_default
from itilkit.storage._query import RecordFilter
from itilkit.storage._records import IndexFields, check_text
from itilkit.storage._repository import Repository
from itilkit.storage.ports import EncodedEntity, RecordStore

__all__ = [
    "CI_STATUS_CATEGORIES",
    "ConfigurationItemDocuments",
    "RelationshipDocuments",
    "cmdb_documents",
    "load_cmdb",
]

#: The category a CI's status is listed under: planned is not yet in service,
#: maintenance is out of service for now, retired is out of service for good.
CI_STATUS_CATEGORIES: Mapping[str, StateCategory] = MappingProxyType(
    {
        "planned": StateCategory.NEW,
        "operational": StateCategory.ACTIVE,
        "maintenance": StateCategory.PAUSED,
        "retired": StateCategory.CLOSED,
    }
)


def _no_history(kind: str) -> NoReturn:
    raise InvalidDocumentError([("", f"a {kind} has no history records")])


class _PartDocuments(Documents):
    """What the two CMDB codecs share besides Documents: no history records."""

    def _check_history_from(self, history_from: object) -> None:
        if history_from != 0 or isinstance(history_from, bool):
            raise InvalidInputError(f"a {self._kind} has no history; history_from must be 0")

    def decode_history(self, payload: str, /, *, schema_version: int) -> NoReturn:
        """Every history row is refused: these records have none."""
        _no_history(self._kind)


class ConfigurationItemDocuments(_PartDocuments):
    """Stores ConfigurationItem as its codec document; an ``EntityCodec``.

    Index fields: ``state`` is the CI's status, ``category`` the status's
    (:data:`CI_STATUS_CATEGORIES`), ``classification`` its class and ``name``
    its name; a CI has no practice, priority, group, times or SLA. CIs keep no
    history records.

    Args:
        codec: the codec to write and read with (``default_codec()`` by default).
    """

    def __init__(self, codec: Codec | None = None) -> None:
        found = codec_or_default(codec)
        kind = found.kind("configuration-item")
        super().__init__(found, kind.name, kind.version, kind.type)

    def record_id(self, item: Any, /) -> str:
        """The CI's id."""
        self._check(item)
        return check_text(item.id, "id")

    def encode(self, item: Any, /, *, history_from: int = 0) -> EncodedEntity:
        """The CI's document and index fields."""
        self._check(item)
        self._check_history_from(history_from)
        status = item.status.value
        return EncodedEntity(
            record_id=item.id,
            payload=_json(self._codec.encode(item)),
            index=IndexFields(
                state=status,
                category=CI_STATUS_CATEGORIES[status],
                name=item.name,
                classification=item.ci_class.value,
            ),
            history_length=0,
        )

    def decode(self, payload: str, /, *, schema_version: int) -> Any:
        """The CI a stored document holds (its own ``schema_version`` says how to read it)."""
        return self._codec.decode(_parsed(payload), self._type)


class RelationshipDocuments(_PartDocuments):
    """Stores the CMDB's Relationship values, one record each; an ``EntityCodec``.

    The record id is the JSON array ``[source, kind, target]`` (ids may hold
    any text, so no separator would do). Index fields: ``classification`` is
    the relationship's kind and ``name`` its source CI, so
    ``RecordFilter(names=ci)`` lists the relationships leaving a CI; the
    state is ``"recorded"`` (category active). The payload is the relationship
    as the ``cmdb`` document writes it, at that kind's schema version.

    Args:
        codec: the codec to write and read with (``default_codec()`` by default).
    """

    def __init__(self, codec: Codec | None = None) -> None:
        found = codec_or_default(codec)
        cmdb = found.kind("cmdb")
        # The relationship type as the cmdb kind declares it: tuple[Relationship, ...].
        relationships = typing.get_type_hints(cmdb.type)["relationships"]
        super().__init__(found, "ci-relationship", cmdb.version, typing.get_args(relationships)[0])

    def record_id(self, relationship: Any, /) -> str:
        """``[source, kind, target]`` as JSON text."""
        self._check(relationship)
        key = [relationship.source, relationship.kind.value, relationship.target]
        return check_text(json.dumps(key, ensure_ascii=False), "record_id")

    def encode(self, relationship: Any, /, *, history_from: int = 0) -> EncodedEntity:
        """The relationship's document and index fields."""
        record_id = self.record_id(relationship)
        self._check_history_from(history_from)
        return EncodedEntity(
            record_id=record_id,
            payload=_json(self._codec.unstructure(relationship)),
            index=IndexFields(
                state="recorded",
                category=StateCategory.ACTIVE,
                name=relationship.source,
                classification=relationship.kind.value,
            ),
            history_length=0,
        )

    def decode(self, payload: str, /, *, schema_version: int) -> Any:
        """The relationship a stored payload holds."""
        return self._codec.structure(_parsed(payload), self._type, kind=self._kind)


def cmdb_documents(
    codec: Codec | None = None,
) -> tuple[ConfigurationItemDocuments, RelationshipDocuments]:
    """The two CMDB codecs, sharing one codec, for ``UnitOfWork(store, codecs)``."""
    found = codec_or_default(codec)
    return ConfigurationItemDocuments(found), RelationshipDocuments(found)


def load_cmdb(store: RecordStore, codec: Codec | None = None) -> Any:
    """The CmdbGraph of every configuration item and relationship in ``store``.

    Reads both kinds page by page; the graph checks itself whole.

    Raises:
        CorruptRecordError: a stored CI or relationship cannot be decoded.
        InvalidGraphError: the stored parts do not make a graph (a relationship
            naming a CI that is not stored); the error says which.
    """
    if not callable(getattr(store, "list", None)):
        raise InvalidInputError(f"store must be a RecordStore, got {type(store).__name__}")
    items_codec, relationships_codec = cmdb_documents(codec)
    parts: list[list[Any]] = []
    for documents in (items_codec, relationships_codec):
        repository: Repository[Any, Any] = Repository(store, documents)
        found: list[Any] = []
        after = None
        while True:
            page = repository.list(RecordFilter(), after=after, limit=1000)
            found.extend(v.entity for v in page.items)
            if page.next is None:
                break
            after = page.next
        parts.append(found)
    graph_type = items_codec.codec.kind("cmdb").type
    return graph_type(parts[0], parts[1])
