"""The typed repository: entities in, entities out, over any record store.

A host implements a :class:`~itilkit.storage.ports.RecordStore` (or takes one
of ours); the repository adds the rest by composition: encoding through the
injected codec, versions and conflicts, the audit history, and the queries a
helpdesk runs on every page. It imports no entity type: ``itilkit.codec``
provides the codecs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

import attrs

from itilkit._repr import shown
from itilkit.errors import (
    ConcurrencyConflictError,
    CorruptRecordError,
    HistorySequenceError,
    InvalidInputError,
    InvalidTypeError,
    ItilkitError,
    RecordNotFoundError,
    StorageError,
    UnknownSchemaVersionError,
    UnsupportedVersionError,
)
from itilkit.storage._query import OPEN_CATEGORIES, Order, Page, PageCursor, RecordFilter
from itilkit.storage._records import (
    MAX_INT,
    HistoryEntry,
    RecordWrite,
    StoredRecord,
    check_int,
    check_text,
    to_utc,
    unchecked_entry,
    unchecked_record,
    unchecked_write,
)
from itilkit.storage.ports import EntityCodec, RecordStore

__all__ = ["Repository", "Versioned"]

T = TypeVar("T")
H = TypeVar("H")
R = TypeVar("R")
_ANY = RecordFilter()
#: What a codec's decode raises on a payload it cannot read (besides ItilkitErrors).
_DECODE_FAILURES = (
    ItilkitError,
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    RecursionError,
)


_STORE_METHODS = ("write", "load", "list", "history")
_CODEC_METHODS = ("record_id", "encode", "decode", "decode_history")


def checked_store(store: RecordStore) -> RecordStore:
    """``store`` if it has the RecordStore methods, else InvalidTypeError (not a later crash)."""
    if isinstance(store, type) or not all(
        callable(getattr(store, name, None)) for name in _STORE_METHODS
    ):
        raise InvalidTypeError("store", f"a RecordStore ({', '.join(_STORE_METHODS)})", store)
    return store


def checked_codec(codec: EntityCodec[T, H]) -> EntityCodec[T, H]:
    """``codec`` if it has the EntityCodec methods, else InvalidTypeError."""
    if isinstance(codec, type) or not all(
        callable(getattr(codec, name, None)) for name in _CODEC_METHODS
    ):
        raise InvalidTypeError(
            "codec", f"an EntityCodec (kind, schema_version, {', '.join(_CODEC_METHODS)})", codec
        )
    return codec


@attrs.frozen
class Versioned(Generic[T]):
    """An entity with the stored version it was loaded or saved at.

    Pass ``version`` back as ``expected_version`` when saving a change of it.
    """

    entity: T
    version: int


class Repository(Generic[T, H]):
    """Typed access to the entities of one codec's kind in a record store.

    Args:
        store: any RecordStore.
        codec: the codec of the entity type (its ``kind`` names the namespace).
    """

    def __init__(self, store: RecordStore, codec: EntityCodec[T, H]) -> None:
        self._store = checked_store(store)
        self._codec = checked_codec(codec)
        self._kind = check_text(codec.kind, "codec.kind")
        self._schema = check_int(codec.schema_version, "codec.schema_version", 1, MAX_INT)

    @property
    def kind(self) -> str:
        """The kind of record this repository reads and writes."""
        return self._kind

    def get(self, record_id: str) -> Versioned[T]:
        """The entity stored under ``record_id``, with its version.

        Raises:
            RecordNotFoundError: no such entity.
            CorruptRecordError: the stored payload cannot be decoded.
            UnknownSchemaVersionError: it was written by a newer codec.
        """
        return self._decode(self._current(record_id))

    def add(self, entity: T) -> Versioned[T]:
        """Store a new entity (version 1) with its whole history.

        Raises:
            DuplicateRecordError: an entity with its id exists already.
        """
        return self._write(entity, expected_version=0, stored_history=0)

    def save(self, entity: T, *, expected_version: int) -> Versioned[T]:
        """Store a new version of an entity loaded at ``expected_version``.

        Only the history records added since are appended.

        Raises:
            ConcurrencyConflictError: the stored version is not ``expected_version``
                (``expected`` and ``actual`` say which); nothing is written.
            HistorySequenceError: the entity's history does not extend the stored one.
        """
        check_int(expected_version, "expected_version", 1)
        record_id = check_text(self._codec.record_id(entity), "record_id")
        try:
            stored = self._current(record_id)
        except RecordNotFoundError:
            raise ConcurrencyConflictError(self._kind, record_id, expected_version, None) from None
        if stored.version != expected_version:
            raise ConcurrencyConflictError(self._kind, record_id, expected_version, stored.version)
        return self._write(
            entity, expected_version=expected_version, stored_history=stored.history_length
        )

    def history(
        self,
        record_id: str,
        *,
        after: int = 0,
        up_to: int | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> tuple[H, ...]:
        """The entity's audit records, decoded, in the range asked (see RecordStore.history)."""
        entries = self._store.history(
            self._kind, record_id, after=after, up_to=up_to, limit=limit, newest_first=newest_first
        )
        return tuple(self._decode_history(e) for e in entries)

    def list(
        self,
        filter: RecordFilter = _ANY,
        *,
        order: Order = Order.ID,
        after: PageCursor | None = None,
        limit: int = 100,
    ) -> Page[Versioned[T]]:
        """One page of the entities passing ``filter``, in ``order``."""
        page = self._store.list(self._kind, filter, order=order, after=after, limit=limit)
        return Page(tuple(self._decode(r) for r in page.items), page.next)

    def open_in_group(
        self, group: str, *, after: PageCursor | None = None, limit: int = 50
    ) -> Page[Versioned[T]]:
        """The open tickets (new, active, paused) assigned to ``group``, highest priority first.

        Within a priority level the oldest comes first.
        """
        wanted = RecordFilter(categories=OPEN_CATEGORIES, assignment_groups=(group,))
        return self.list(wanted, order=Order.PRIORITY, after=after, limit=limit)

    def breaching_within(
        self,
        window: timedelta,
        *,
        now: datetime,
        after: PageCursor | None = None,
        limit: int = 50,
    ) -> Page[Versioned[T]]:
        """Open tickets whose SLA is due by ``now + window``, soonest first.

        Tickets already past due are included (they breached before ``now``).
        """
        if not isinstance(window, timedelta) or window < timedelta(0):
            raise InvalidInputError(f"window must be a timedelta >= 0, got {shown(window)}")
        try:
            deadline = to_utc(now, "now") + window
        except OverflowError:
            raise InvalidInputError(
                f"now + window lies past the year 9999: {shown(window)}"
            ) from None
        wanted = RecordFilter(categories=OPEN_CATEGORIES, sla_due_by=deadline)
        return self.list(wanted, order=Order.SLA_DUE, after=after, limit=limit)

    # -- what the unit of work overrides ---------------------------------------------

    def _current(self, record_id: str) -> StoredRecord:
        """The stored record (a unit of work answers from its pending writes first)."""
        return self._store.load(self._kind, record_id)

    def _submit(self, write: RecordWrite, entity: T) -> int:
        """Apply the write and return the entity's new version (a unit of work keeps it)."""
        self._store.write((write,))
        return write.record.version

    # -- encoding and decoding -------------------------------------------------------

    def _write(self, entity: T, *, expected_version: int, stored_history: int) -> Versioned[T]:
        encoded = self._codec.encode(entity, history_from=stored_history)
        record_id = encoded.record_id
        if expected_version and record_id != self._codec.record_id(entity):
            raise InvalidInputError(
                f"the codec encoded {shown(self._codec.record_id(entity))} as id {shown(record_id)}"
            )
        new_history = encoded.new_history
        if encoded.history_length - len(new_history) != stored_history:
            raise HistorySequenceError(
                self._kind,
                record_id,
                stored_history + 1,
                encoded.history_length - len(new_history) + 1,
            )
        # Every value was checked where it entered (see unchecked_record): none again.
        kind, schema = self._kind, self._schema
        record = unchecked_record(
            kind=kind,
            id=record_id,
            version=check_int(expected_version + 1, "version", 1),
            schema_version=schema,
            history_length=encoded.history_length,
            payload=encoded.payload,
            index=encoded.index,
        )
        history = tuple(
            unchecked_entry(
                kind=kind,
                record_id=record_id,
                sequence=sequence,
                schema_version=schema,
                at=item.at,
                payload=item.payload,
            )
            for sequence, item in enumerate(new_history, start=stored_history + 1)
        )
        write = unchecked_write(record, history)
        return Versioned(entity, self._submit(write, entity))

    def _decode(self, record: StoredRecord) -> Versioned[T]:
        entity = self._decoded(record.id, record.schema_version, record.payload, self._codec.decode)
        return Versioned(entity, record.version)

    def _decode_history(self, entry: HistoryEntry) -> H:
        return self._decoded(
            entry.record_id, entry.schema_version, entry.payload, self._codec.decode_history
        )

    def _decoded(
        self,
        record_id: str,
        schema_version: int,
        payload: str,
        decode: Callable[..., R],
    ) -> R:
        """Decode with the codec; every failure becomes a storage error naming the record."""
        if schema_version > self._schema:
            raise UnknownSchemaVersionError(self._kind, record_id, schema_version, self._schema)
        try:
            return decode(payload, schema_version=schema_version)
        except StorageError:
            raise
        except UnsupportedVersionError as error:  # the codec's error, named for the record
            raise UnknownSchemaVersionError(
                self._kind, record_id, schema_version, error.latest
            ) from error
        except _DECODE_FAILURES as error:
            raise CorruptRecordError(self._kind, record_id, str(error) or repr(error)) from error
