"""The entity codec for itilkit's own tickets, backed by :mod:`itilkit.codec`.

>>> from datetime import UTC, datetime
>>> from itilkit.practices import INCIDENT, Incident
>>> from itilkit.storage import Repository, SQLiteRecordStore
>>> incidents = Repository(SQLiteRecordStore(":memory:"), EntityDocuments(Incident))
>>> inc = Incident.log(INCIDENT, id="INC-1", title="Mail down", caller="ann", impact=2,
...                    urgency=1, at=datetime(2026, 3, 2, 9, tzinfo=UTC), actor="desk")
>>> incidents.add(inc).version, incidents.get("INC-1").entity == inc
(1, True)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from itilkit._repr import shown
from itilkit.codec import ENTITY_TYPES, Codec, default_codec, entity_index
from itilkit.errors import InvalidDocumentError, InvalidInputError
from itilkit.lifecycle import TransitionRecord
from itilkit.storage._records import IndexFields, check_text, to_utc
from itilkit.storage.ports import EncodedEntity, EncodedHistory

__all__ = ["EntityDocuments", "entity_documents"]


class _Timed(Protocol):
    @property
    def at(self) -> datetime: ...


class Recorded(Protocol):
    """What the repository needs of a ticket besides its document: its id and history."""

    @property
    def id(self) -> str: ...

    @property
    def history(self) -> Sequence[_Timed]: ...


T = TypeVar("T", bound=Recorded)


def codec_or_default(codec: object) -> Codec:
    """``codec``, or ``default_codec()`` for None; anything else is refused."""
    found = default_codec() if codec is None else codec
    if not isinstance(found, Codec):
        raise InvalidInputError(f"codec must be an itilkit.codec.Codec, got {shown(codec)}")
    return found


class Documents:
    """What the entity codecs on :mod:`itilkit.codec` share: the codec, the kind and
    schema version they write, and the entity type they take."""

    def __init__(self, codec: Codec, kind: str, schema_version: int, entity_type: type) -> None:
        self._codec = codec
        self._kind = kind
        self._version = schema_version
        self._type = entity_type

    @property
    def kind(self) -> str:
        """The record kind (``"incident"``, ``"configuration-item"``...)."""
        return self._kind

    @property
    def schema_version(self) -> int:
        """The schema version of the document kind its payloads follow."""
        return self._version

    @property
    def codec(self) -> Codec:
        """The codec documents are written and read with."""
        return self._codec

    def _check(self, entity: object) -> None:
        if type(entity) is not self._type:
            raise InvalidInputError(f"a {self._kind} repository stores {self._type.__name__}, "
                                    f"not {type(entity).__name__}")  # fmt: skip


class EntityDocuments(Documents, Generic[T]):
    """Stores ``entity_type`` (a ticket type) as its codec document; an ``EntityCodec``.

    The payload is the entity's whole document (kind, schema version, its
    practice by name and version, every field and its typed history); each
    history record is also written on its own, for the audit history. The
    index fields come from :func:`itilkit.codec.entity_index`. Reading checks
    the entity's invariants under the practice it names, which ``codec``'s
    practice registry resolves (``Codec(practices=...)``; the presets by
    default).

    Args:
        entity_type: Incident, Problem, KnownError, ServiceRequest or Change.
        codec: the codec to write and read with (``default_codec()`` by default).
    """

    def __init__(self, entity_type: type[T], codec: Codec | None = None) -> None:
        if entity_type not in ENTITY_TYPES:
            names = ", ".join(t.__name__ for t in ENTITY_TYPES)
            raise InvalidInputError(
                f"EntityDocuments stores one of {names}, not {shown(entity_type)} "
                "(ConfigurationItemDocuments and RelationshipDocuments store the CMDB)"
            )
        found = codec_or_default(codec)
        kind = found.kind(entity_type)
        super().__init__(found, kind.name, kind.version, entity_type)

    def record_id(self, entity: T, /) -> str:
        """The entity's id."""
        self._check(entity)
        return check_text(entity.id, "id")

    def encode(self, entity: T, /, *, history_from: int = 0) -> EncodedEntity:
        """The entity's document, index fields and history records from ``history_from``."""
        self._check(entity)
        if isinstance(history_from, bool) or not isinstance(history_from, int):
            raise InvalidInputError(f"history_from must be an int, got {shown(history_from)}")
        if not 0 <= history_from <= len(entity.history):
            raise InvalidInputError(
                f"history_from must be from 0 to the {len(entity.history)} records of "
                f"{entity.id!r}, got {history_from}"
            )
        document = self._codec.encode(entity)
        history = [_json(data) for data in document.pop("history", ())]
        payload = _json(document)
        if history:  # each record is written once, and spliced into the document
            payload = f'{payload[:-1]},"history":[{",".join(history)}]}}'
        records = entity.history
        index = entity_index(entity)  # type: ignore[arg-type]  # checked: a ticket type
        return EncodedEntity(
            record_id=entity.id,
            payload=payload,  # checked as text once, with every history record in it
            index=IndexFields(
                state=index.state,
                category=index.category,
                priority=index.priority,
                assignment_group=index.assignment_group,
                practice=index.practice,
                opened_at=index.opened_at,
                updated_at=index.updated_at,
                sla_due_at=index.sla_due_at,
            ),
            history_length=len(records),
            new_history=tuple(
                _history(to_utc(record.at, "at"), text)
                for record, text in zip(records[history_from:], history[history_from:], strict=True)
            ),
        )

    def decode(self, payload: str, /, *, schema_version: int) -> T:
        """The entity a stored document holds, checked under the practice it names.

        The document's own ``schema_version`` says how to read it (older ones
        are upcast); the repository has refused records newer than this codec.
        A stored payload is one this class wrote, so it is parsed by ``json``
        alone (a key repeated by tampering keeps its last value, which is
        checked like every other); configuration goes through
        :meth:`Codec.loads`, which refuses repeated keys.
        """
        return self._codec.decode(_parsed(payload), self._type)

    def decode_history(self, payload: str, /, *, schema_version: int) -> TransitionRecord:
        """One stored history record, its field changes typed by the entity's fields.

        An older record goes through the kind's history upcasters
        (:attr:`~itilkit.codec.Kind.history_upcasters`).

        Raises:
            UnsupportedVersionError: a record newer than the codec's schema.
            InvalidDocumentError: the record's problems, or an older version
                without a history upcaster.
        """
        return self._codec.structure_record(
            self._type,
            _parsed(payload),
            schema_version=schema_version,
        )


def _history(at: datetime, payload: str) -> EncodedHistory:
    """An EncodedHistory without its checks: ``at`` is in UTC already, and ``payload``
    is checked as text with the document it is spliced into."""
    made: EncodedHistory = object.__new__(EncodedHistory)
    object.__setattr__(made, "at", at)
    object.__setattr__(made, "payload", payload)
    return made


def _finite_only(name: str) -> Any:
    raise ValueError(f"{name} is not JSON; numbers must be finite")


def _parsed(payload: str) -> Any:
    try:
        return json.loads(payload, parse_constant=_finite_only)
    except (ValueError, TypeError, RecursionError) as error:
        raise InvalidDocumentError([("", f"not a JSON document: {error}")]) from None


#: Compact JSON text, non-ASCII kept; one encoder for every call (``json.dumps`` with
#: options builds a new one each time).
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def entity_documents(codec: Codec | None = None) -> tuple[EntityDocuments[Any], ...]:
    """An :class:`EntityDocuments` for every ticket type, for ``UnitOfWork(store, codecs)``."""
    return tuple(EntityDocuments(t, codec) for t in ENTITY_TYPES)
