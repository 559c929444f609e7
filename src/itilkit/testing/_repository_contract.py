"""Contract cases for the typed repository and unit of work over a store and a codec.

Generic over the entity type: a subclass names the store, the codec and two
ways to make entities, and every case checks the repository against what the
codec itself says of those entities (their ids, index fields and history).
One subclass per entity type gives the round trips of every type.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest

from itilkit.errors import (
    ConcurrencyConflictError,
    CorruptRecordError,
    DuplicateRecordError,
    RecordNotFoundError,
    UnknownKindError,
    UnknownSchemaVersionError,
)
from itilkit.storage import (
    EntityCodec,
    Order,
    RecordFilter,
    RecordStore,
    RecordWrite,
    Repository,
    StoredRecord,
    UnitOfWork,
    Versioned,
)
from itilkit.storage._query import sort_key
from itilkit.testing._base import StoreContractBase
from itilkit.testing._samples import sample_index

__all__ = ["RepositoryContract"]


class RepositoryContract(StoreContractBase):
    """Abstract cases for a Repository over ``make_store()`` with ``make_codec()``.

    Implement :meth:`make_store`, :meth:`make_codec`, :meth:`new_entity` and
    :meth:`changed`. Entities from ``new_entity(0..11)`` should vary in state,
    priority, group and SLA due time so the queries have something to sort.
    """

    #: How many entities the query cases store.
    ENTITIES = 12

    def make_codec(self) -> EntityCodec[Any, Any]:
        """The codec of the entity type under test (required)."""
        raise NotImplementedError("a repository contract needs make_codec()")

    def new_entity(self, number: int) -> Any:
        """A new entity, a different id for each ``number`` (required)."""
        raise NotImplementedError("a repository contract needs new_entity(number)")

    def changed(self, entity: Any) -> Any:
        """``entity`` after one more command: at least one more history record (required)."""
        raise NotImplementedError("a repository contract needs changed(entity)")

    @pytest.fixture
    def codec(self) -> EntityCodec[Any, Any]:
        """The codec under test."""
        return self.make_codec()

    @pytest.fixture
    def repository(self, store: RecordStore, codec: EntityCodec[Any, Any]) -> Repository[Any, Any]:
        """A repository over the store."""
        return Repository(store, codec)

    # -- round trips and versions ----------------------------------------------------

    def test_add_then_get_round_trips_the_entity(self, repository: Repository[Any, Any]) -> None:
        """What was added is what is read back, at version 1."""
        for number in range(4):
            entity = self.new_entity(number)
            assert repository.add(entity).version == 1
            loaded = repository.get(self.make_codec().record_id(entity))
            assert loaded.entity == entity
            assert loaded.version == 1

    def test_add_stores_the_whole_history(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """The history table holds every history record of the new entity, decoded equal."""
        entity = self.new_entity(0)
        repository.add(entity)
        encoded = codec.encode(entity)
        expected = tuple(
            codec.decode_history(h.payload, schema_version=codec.schema_version)
            for h in encoded.new_history
        )
        assert repository.history(encoded.record_id) == expected

    def test_add_existing_raises_duplicate_and_keeps_original(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """Adding an entity whose id exists raises DuplicateRecordError; the first stays."""
        entity = self.new_entity(0)
        repository.add(entity)
        with pytest.raises(DuplicateRecordError):
            repository.add(self.changed(entity))
        assert repository.get(codec.record_id(entity)).entity == entity

    def test_save_increments_the_version_and_appends_only_new_history(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """A saved change reads back at version 2, with its new history appended."""
        first = repository.add(self.new_entity(0))
        later = self.changed(first.entity)
        assert repository.save(later, expected_version=1).version == 2
        record_id = codec.record_id(later)
        assert repository.get(record_id) == Versioned(later, 2)
        all_history = codec.encode(later).new_history
        assert len(repository.history(record_id)) == len(all_history)

    def test_save_with_a_stale_version_raises_conflict(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """Two commands from version 1: the second save conflicts, expected 1, actual 2."""
        loaded = repository.add(self.new_entity(0))
        repository.save(self.changed(loaded.entity), expected_version=loaded.version)
        with pytest.raises(ConcurrencyConflictError) as raised:
            repository.save(self.changed(loaded.entity), expected_version=loaded.version)
        assert (raised.value.expected, raised.value.actual) == (1, 2)
        assert repository.get(codec.record_id(loaded.entity)).version == 2

    def test_save_of_an_entity_never_added_raises_conflict(
        self, repository: Repository[Any, Any]
    ) -> None:
        """Saving what is not stored is a conflict with actual None."""
        with pytest.raises(ConcurrencyConflictError) as raised:
            repository.save(self.new_entity(0), expected_version=1)
        assert raised.value.actual is None

    def test_get_missing_raises_record_not_found(self, repository: Repository[Any, Any]) -> None:
        """An unknown id is a RecordNotFoundError."""
        with pytest.raises(RecordNotFoundError):
            repository.get("no-such-id")

    # -- stored data the codec cannot read -------------------------------------------

    def _raw(self, store: RecordStore, codec: EntityCodec[Any, Any], **changes: Any) -> str:
        """Store a record of the codec's kind as given, bypassing the codec; its id."""
        record = StoredRecord(
            kind=codec.kind, id="RAW-1", version=1,
            schema_version=codec.schema_version, payload="{}", index=sample_index(),
        )  # fmt: skip
        store.write([RecordWrite(attrs.evolve(record, **changes))])
        return record.id

    @pytest.mark.parametrize("payload", ['{"truncated": [1, 2', "[]", '{"unknown": true}', "7"])
    def test_undecodable_payload_raises_corrupt_record(
        self,
        store: RecordStore,
        repository: Repository[Any, Any],
        codec: EntityCodec[Any, Any],
        payload: str,
    ) -> None:
        """A truncated or malformed payload is a CorruptRecordError naming the record."""
        try:
            record_id = self._raw(store, codec, payload=payload)
        except CorruptRecordError:
            return  # the store refuses non-JSON at the door: equally fine
        with pytest.raises(CorruptRecordError) as raised:
            repository.get(record_id)
        assert raised.value.record_id == record_id

    def test_newer_schema_version_raises_unknown_schema_version(
        self, store: RecordStore, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """A payload written by a newer codec is refused, not guessed at."""
        record_id = self._raw(store, codec, schema_version=codec.schema_version + 1)
        with pytest.raises(UnknownSchemaVersionError) as raised:
            repository.get(record_id)
        assert raised.value.version == codec.schema_version + 1

    # -- the helpdesk queries --------------------------------------------------------

    def _stored(self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]) -> list[Any]:
        entities = [self.new_entity(n) for n in range(self.ENTITIES)]
        for entity in entities:
            repository.add(entity)
        return entities

    def _expected(
        self, codec: EntityCodec[Any, Any], entities: list[Any], wanted: RecordFilter, order: Order
    ) -> list[str]:
        records = []
        for entity in entities:
            encoded = codec.encode(entity)
            record = StoredRecord(kind=codec.kind, id=encoded.record_id, version=1,
                                  schema_version=1, payload="{}", index=encoded.index)  # fmt: skip
            records.append(record)
        chosen = [r for r in records if wanted.matches(r.index)]
        return [r.id for r in sorted(chosen, key=lambda r: sort_key(order, r))]

    def _ids(self, codec: EntityCodec[Any, Any], page: Any) -> list[str]:
        return [codec.record_id(item.entity) for item in page.items]

    def test_list_agrees_with_the_codecs_index_fields(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """Listing by each order gives the entities the codec's index fields say."""
        entities = self._stored(repository, codec)
        for order in Order:
            page = repository.list(order=order, limit=1000)
            assert self._ids(codec, page) == self._expected(codec, entities, RecordFilter(), order)

    def test_open_in_group_lists_open_tickets_by_priority(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """Each group's open tickets, highest priority first, oldest first within it."""
        entities = self._stored(repository, codec)
        groups = {codec.encode(e).index.assignment_group for e in entities} - {None}
        assert groups, "new_entity should assign some entities to a group"
        for group in sorted(g for g in groups if g is not None):
            wanted = RecordFilter(categories=("new", "active", "paused"), assignment_groups=group)
            got = self._ids(codec, repository.open_in_group(group, limit=1000))
            assert got == self._expected(codec, entities, wanted, Order.PRIORITY)

    def test_breaching_within_lists_open_tickets_soonest_due_first(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """Open tickets due by now + window (already breached included), soonest first."""
        entities = self._stored(repository, codec)
        dues = sorted(d for e in entities if (d := codec.encode(e).index.sla_due_at) is not None)
        assert dues, "new_entity should give some entities an SLA due time"
        now = dues[len(dues) // 2]
        for window in (timedelta(0), timedelta(hours=1), timedelta(days=30)):
            wanted = RecordFilter(categories=("new", "active", "paused"), sla_due_by=now + window)
            got = self._ids(codec, repository.breaching_within(window, now=now, limit=1000))
            assert got == self._expected(codec, entities, wanted, Order.SLA_DUE)

    # -- the unit of work ------------------------------------------------------------

    def test_unit_of_work_commits_every_change(
        self, store: RecordStore, codec: EntityCodec[Any, Any]
    ) -> None:
        """A new entity and a change of another land together on commit."""
        existing = Repository(store, codec).add(self.new_entity(0))
        with UnitOfWork(store) as work:
            entities = work.repository(codec)
            entities.add(self.new_entity(1))
            entities.save(self.changed(existing.entity), expected_version=existing.version)
            assert work.pending == 2
            work.commit()
        plain = Repository(store, codec)
        assert plain.get(codec.record_id(self.new_entity(1))).version == 1
        assert plain.get(codec.record_id(existing.entity)).version == 2

    def test_unit_of_work_conflict_writes_nothing(
        self, store: RecordStore, codec: EntityCodec[Any, Any]
    ) -> None:
        """One stale entity fails the whole commit: the others are not written either."""
        plain = Repository(store, codec)
        loaded = plain.add(self.new_entity(0))
        with UnitOfWork(store) as work:
            entities = work.repository(codec)
            entities.add(self.new_entity(1))
            entities.save(self.changed(loaded.entity), expected_version=loaded.version)
            plain.save(self.changed(loaded.entity), expected_version=loaded.version)  # meanwhile
            with pytest.raises(ConcurrencyConflictError):
                work.commit()
        with pytest.raises(RecordNotFoundError):
            plain.get(codec.record_id(self.new_entity(1)))

    def test_unit_of_work_without_commit_writes_nothing(
        self, store: RecordStore, codec: EntityCodec[Any, Any]
    ) -> None:
        """Leaving the block without commit discards the pending writes."""
        with UnitOfWork(store) as work:
            work.repository(codec).add(self.new_entity(0))
        with pytest.raises(RecordNotFoundError):
            Repository(store, codec).get(codec.record_id(self.new_entity(0)))

    def test_unit_of_work_reads_its_own_pending_writes(
        self, store: RecordStore, codec: EntityCodec[Any, Any]
    ) -> None:
        """Within the unit of work, a saved entity reads back as saved; saving it twice
        commits one new version with both changes' history."""
        loaded = Repository(store, codec).add(self.new_entity(0))
        once = self.changed(loaded.entity)
        twice = self.changed(once)
        with UnitOfWork(store) as work:
            entities = work.repository(codec)
            saved = entities.save(once, expected_version=1)
            assert entities.get(codec.record_id(once)) == saved
            entities.save(twice, expected_version=saved.version)
            work.commit()
        stored = Repository(store, codec).get(codec.record_id(twice))
        assert stored.entity == twice
        assert stored.version == 2
        assert len(Repository(store, codec).history(codec.record_id(twice))) == len(
            codec.encode(twice).new_history
        )

    def test_unit_of_work_refuses_an_unknown_kind(
        self, store: RecordStore, codec: EntityCodec[Any, Any]
    ) -> None:
        """Asking for a kind no codec serves raises UnknownKindError (a LookupError)."""
        work = UnitOfWork(store, [codec])
        assert work.repository(codec.kind).kind == codec.kind
        with pytest.raises(UnknownKindError) as raised:
            work.repository("no-such-kind")
        assert isinstance(raised.value, LookupError)
        assert raised.value.known == (codec.kind,)
