"""The two ports a host plugs into: a record store, and the codec the repository uses.

Both are Protocols: implement the methods, inherit nothing. mypy checks the
match where a store or codec is passed in, and ``itilkit.testing`` checks the
behaviour no Protocol can express (atomic batches, conflicts, ordering, the
errors raised).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, TypeVar

import attrs

from itilkit._repr import shown
from itilkit.errors import InvalidInputError
from itilkit.storage._query import Order, Page, PageCursor, RecordFilter
from itilkit.storage._records import (
    HistoryEntry,
    IndexFields,
    RecordWrite,
    StoredRecord,
    check_int,
    check_text,
    to_utc,
)

__all__ = ["EncodedEntity", "EncodedHistory", "EntityCodec", "RecordStore"]

_T = TypeVar("_T")
_H_co = TypeVar("_H_co", covariant=True)


class RecordStore(Protocol):
    """Serialised records by kind and id, their append-only history, and listing.

    Every method raises only :class:`~itilkit.errors.ItilkitError` subclasses;
    a failed call leaves the store exactly as it was.
    """

    def write(self, writes: Sequence[RecordWrite], /) -> None:
        """Apply every write or none, atomically (an empty batch does nothing).

        Each write applies only if the stored version is its expected version
        and the stored history length is the one its history continues.

        Raises:
            InvalidInputError: not RecordWrite values, or a record twice (see
                :func:`validate_writes`); checked before any I/O.
            DuplicateRecordError: a create (version 1) of a record that exists.
            ConcurrencyConflictError: another stored version, with expected and actual.
            HistorySequenceError: the history does not continue the stored one.
            StoreBusyError, StoreUnavailableError, StorageError: the database failed.
        """
        ...

    def load(self, kind: str, record_id: str) -> StoredRecord:
        """The latest version of a record.

        Raises:
            RecordNotFoundError: no record of that kind and id.
        """
        ...

    def list(
        self,
        kind: str,
        filter: RecordFilter = ...,
        *,
        order: Order = ...,
        after: PageCursor | None = None,
        limit: int = ...,
    ) -> Page[StoredRecord]:
        """One page of the records of ``kind`` that pass ``filter``, in ``order``.

        ``after`` is the previous page's ``next``; ``limit`` is 1 to 10,000.
        """
        ...

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
        """A record's history entries with ``after < sequence <= up_to``, in sequence order.

        ``newest_first`` reverses the order before ``limit`` applies, so
        ``limit=1, newest_first=True`` is the latest entry. A record without
        history, or no record at all, has an empty history.
        """
        ...

    def close(self) -> None:
        """Release the store's resources; closing twice is harmless, using it after is not.

        After close, every other method raises StoreUnavailableError.
        """
        ...


def _check_history(value: object) -> tuple[EncodedHistory, ...]:
    items = tuple(value) if isinstance(value, list | tuple) else value
    if not isinstance(items, tuple) or not all(isinstance(i, EncodedHistory) for i in items):
        raise InvalidInputError(f"new_history must hold EncodedHistory values, got {shown(value)}")
    return items


def _at(value: object) -> datetime:
    return to_utc(value, "at")


@attrs.frozen
class EncodedHistory:
    """One serialised history record (e.g. a TransitionRecord) the codec made."""

    at: datetime = attrs.field(converter=_at)
    payload: str = attrs.field()

    def __attrs_post_init__(self) -> None:
        check_text(self.payload, "payload", limit=None)


@attrs.frozen(kw_only=True)
class EncodedEntity:
    """What the codec makes of one entity for the store.

    Attributes:
        record_id: the entity's id.
        payload: the entity as a JSON document (with its whole history).
        index: the fields the store lists it by.
        history_length: how many history records the entity has.
        new_history: its history records from ``history_from`` on (see
            :meth:`EntityCodec.encode`), oldest first.
    """

    record_id: str
    payload: str
    index: IndexFields
    history_length: int
    new_history: tuple[EncodedHistory, ...] = attrs.field(default=(), converter=_check_history)

    def __attrs_post_init__(self) -> None:
        check_text(self.record_id, "record_id")
        check_text(self.payload, "payload", limit=None)
        if not isinstance(self.index, IndexFields):
            raise InvalidInputError(f"index must be IndexFields, got {shown(self.index)}")
        check_int(self.history_length, "history_length", 0)


class EntityCodec(Protocol[_T, _H_co]):
    """Turns one entity type into stored records and back (``itilkit.codec`` provides them).

    Its first type parameter is the entity type, the second its history record type.
    """

    @property
    def kind(self) -> str:
        """The kind of record this codec writes ("incident")."""
        ...

    @property
    def schema_version(self) -> int:
        """The schema version it writes; it reads this one and any older one it can upcast."""
        ...

    def record_id(self, entity: _T, /) -> str:
        """The entity's id."""
        ...

    def encode(self, entity: _T, /, *, history_from: int = 0) -> EncodedEntity:
        """The entity as a payload and index fields, with its history from ``history_from``.

        ``history_from`` is how many history records are stored already;
        ``new_history`` holds the ones after them.
        """
        ...

    def decode(self, payload: str, /, *, schema_version: int) -> _T:
        """The entity a payload of ``schema_version`` holds; raise an ItilkitError if none."""
        ...

    def decode_history(self, payload: str, /, *, schema_version: int) -> _H_co:
        """The history record a history payload of ``schema_version`` holds."""
        ...
