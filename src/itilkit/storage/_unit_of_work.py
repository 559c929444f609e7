"""The unit of work: changes to several entities committed all or nothing.

Repositories taken from a unit of work read through to the store but keep
their writes until :meth:`UnitOfWork.commit`, which hands them to the store as
one atomic batch. Each write carries the version its entity was loaded at, so
the commit fails whole, with the conflict, if any of them was changed by
someone else meanwhile: optimistic concurrency needs no open transaction.

>>> from itilkit.storage import InMemoryRecordStore
>>> with UnitOfWork(InMemoryRecordStore()) as uow:
...     uow.pending
0
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any, Generic, TypeVar, overload

import attrs

from itilkit._repr import shown
from itilkit.errors import (
    DuplicateRecordError,
    InvalidInputError,
    InvalidTypeError,
    UnknownKindError,
)
from itilkit.storage._records import RecordWrite, StoredRecord
from itilkit.storage._repository import Repository, Versioned, checked_codec, checked_store
from itilkit.storage.ports import EntityCodec, RecordStore

__all__ = ["UnitOfWork"]

T = TypeVar("T")
H = TypeVar("H")


@attrs.frozen
class _Pending:
    write: RecordWrite
    entity: Any


class UnitOfWork:
    """Collects the writes of several repositories and commits them in one batch.

    Args:
        store: the record store to commit to.
        codecs: codecs to look up by kind with ``repository("incident")``.

    Use it as a context manager: leaving the block without :meth:`commit`
    discards the pending writes (nothing reached the store).
    """

    def __init__(self, store: RecordStore, codecs: Iterable[EntityCodec[Any, Any]] = ()) -> None:
        self._store = checked_store(store)
        self._codecs: dict[str, EntityCodec[Any, Any]] = {}
        if not isinstance(codecs, Iterable) or isinstance(codecs, str | bytes):
            raise InvalidTypeError("codecs", "an iterable of EntityCodecs", codecs)
        for codec in map(checked_codec, codecs):
            if codec.kind in self._codecs:
                raise InvalidInputError(f"two codecs for kind {shown(codec.kind)}")
            self._codecs[codec.kind] = codec
        self._pending: dict[tuple[str, str], _Pending] = {}

    @overload
    def repository(self, codec: EntityCodec[T, H], /) -> Repository[T, H]: ...

    @overload
    def repository(self, kind: str, /) -> Repository[Any, Any]: ...

    def repository(self, codec: EntityCodec[Any, Any] | str, /) -> Repository[Any, Any]:
        """A repository whose writes wait for :meth:`commit`.

        Raises:
            UnknownKindError: a kind no codec given to the unit of work serves.
        """
        if isinstance(codec, str):
            if codec not in self._codecs:
                raise UnknownKindError(codec, self._codecs)
            codec = self._codecs[codec]
        return _PendingRepository(self._store, checked_codec(codec), self)

    @property
    def pending(self) -> int:
        """How many records the commit would write."""
        return len(self._pending)

    def commit(self) -> None:
        """Write every pending change in one atomic batch, then start afresh.

        On failure nothing is written and the pending changes are dropped:
        load the entities again and redo the command.

        Raises:
            ConcurrencyConflictError: one of the entities changed since it was loaded.
        """
        writes = tuple(p.write for p in self._pending.values())
        self._pending.clear()
        self._store.write(writes)

    def rollback(self) -> None:
        """Drop the pending changes."""
        self._pending.clear()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.rollback()

    # -- used by the repositories it hands out ---------------------------------------

    def _find(self, key: tuple[str, str]) -> _Pending | None:
        return self._pending.get(key)

    def _keep(self, write: RecordWrite, entity: Any) -> int:
        """Keep ``write``, merged with an earlier one of the same record; its version."""
        key = write.record.key
        earlier = self._pending.get(key)
        if earlier is not None:
            if write.expected_version == 0:
                raise DuplicateRecordError(*key, earlier.write.record.version)
            record = attrs.evolve(write.record, version=earlier.write.record.version)
            write = RecordWrite(record, earlier.write.history + write.history)
        self._pending[key] = _Pending(write, entity)
        return write.record.version


class _PendingRepository(Repository[T, H], Generic[T, H]):
    """A repository reading its unit of work's pending writes first, writing into it."""

    def __init__(self, store: RecordStore, codec: EntityCodec[T, H], work: UnitOfWork) -> None:
        super().__init__(store, codec)
        self._work = work

    def get(self, record_id: str) -> Versioned[T]:
        pending = self._work._find((self.kind, record_id))
        if pending is None:
            return super().get(record_id)
        return Versioned(pending.entity, pending.write.record.version)

    def _current(self, record_id: str) -> StoredRecord:
        pending = self._work._find((self.kind, record_id))
        return super()._current(record_id) if pending is None else pending.write.record

    def _submit(self, write: RecordWrite, entity: T) -> int:
        return self._work._keep(write, entity)
