"""The repository and unit of work beyond the contract: what they do with a faulty codec
and with bad arguments (jobs over the in-memory store)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, timedelta, timezone

import attrs
import pytest

from itilkit.errors import (
    CorruptRecordError,
    DuplicateRecordError,
    HistorySequenceError,
    InvalidInputError,
    RecordNotFoundError,
    UnknownSchemaVersionError,
    UnsupportedVersionError,
)
from itilkit.storage import (
    EncodedEntity,
    HistoryEntry,
    InMemoryRecordStore,
    RecordWrite,
    Repository,
    StoredRecord,
    UnitOfWork,
)
from itilkit.testing._samples import T0
from tests.storage.jobs import Job, JobCodec, next_step, sample_job


class _ForgetfulCodec(JobCodec):
    """Claims one history record fewer than it encodes."""

    def encode(self, job: Job, /, *, history_from: int = 0) -> EncodedEntity:
        encoded = super().encode(job, history_from=history_from)
        return attrs.evolve(encoded, history_length=encoded.history_length + 1)


class _CrashingCodec(JobCodec):
    """Fails to decode with a bare KeyError, as a buggy codec might."""

    def decode(self, payload: str, /, *, schema_version: int) -> Job:
        raise KeyError("title")


def test_a_codec_failure_on_decode_becomes_corrupt_record() -> None:
    """Whatever the codec raises on a stored payload, the caller gets CorruptRecordError."""
    store = InMemoryRecordStore()
    Repository(store, JobCodec()).add(sample_job(1))
    with pytest.raises(CorruptRecordError) as raised:
        Repository(store, _CrashingCodec()).get("JOB-001")
    assert isinstance(raised.value.__cause__, KeyError)


def test_an_inconsistent_history_from_the_codec_writes_nothing() -> None:
    """A codec whose history does not add up is refused before the store is touched."""
    store = InMemoryRecordStore()
    with pytest.raises(HistorySequenceError):
        Repository(store, _ForgetfulCodec()).add(sample_job(1))
    with pytest.raises(RecordNotFoundError):
        store.load("job", "JOB-001")


def test_an_entity_with_history_rewritten_is_refused() -> None:
    """Saving an entity whose history is shorter than the stored one: HistorySequenceError."""
    store = InMemoryRecordStore()
    jobs = Repository(store, JobCodec())
    longer = next_step(next_step(sample_job(1)))
    jobs.add(longer)
    with pytest.raises(HistorySequenceError):
        jobs.save(sample_job(1), expected_version=1)
    assert jobs.get("JOB-001").entity == longer


def test_bad_query_arguments_are_invalid_input() -> None:
    """A negative window, a naive now or a zero expected version are refused."""
    jobs = Repository(InMemoryRecordStore(), JobCodec())
    with pytest.raises(InvalidInputError):
        jobs.breaching_within(timedelta(hours=-1), now=T0)
    with pytest.raises(InvalidInputError):
        jobs.breaching_within(timedelta(hours=1), now=T0.replace(tzinfo=None))
    with pytest.raises(InvalidInputError):
        jobs.save(sample_job(1), expected_version=0)


def test_adding_twice_in_one_unit_of_work_is_a_duplicate() -> None:
    """The second add of one id in a unit of work raises at once."""
    with UnitOfWork(InMemoryRecordStore()) as work:
        jobs = work.repository(JobCodec())
        jobs.add(sample_job(1))
        with pytest.raises(DuplicateRecordError):
            jobs.add(sample_job(1))


def test_two_codecs_for_one_kind_are_refused() -> None:
    """A unit of work maps each kind to one codec."""
    with pytest.raises(InvalidInputError):
        UnitOfWork(InMemoryRecordStore(), [JobCodec(), JobCodec()])


def test_a_failed_commit_drops_the_pending_writes() -> None:
    """After a conflict on commit, nothing is pending (load again and redo)."""
    store = InMemoryRecordStore()
    Repository(store, JobCodec()).add(sample_job(1))
    work = UnitOfWork(store)
    work.repository(JobCodec()).add(sample_job(1))
    with pytest.raises(DuplicateRecordError):
        work.commit()
    assert work.pending == 0


class _JobCodecV2(JobCodec):
    """Version 2 calls the title "summary"; it reads version 1 documents by upcasting."""

    schema_version = 2

    def encode(self, job: Job, /, *, history_from: int = 0) -> EncodedEntity:
        encoded = super().encode(job, history_from=history_from)
        document = json.loads(encoded.payload)
        document["summary"] = document.pop("title")
        return attrs.evolve(encoded, payload=json.dumps(document))

    def decode(self, payload: str, /, *, schema_version: int) -> Job:
        document = json.loads(payload)
        if schema_version == 2:
            document["title"] = document.pop("summary")
        return super().decode(json.dumps(document), schema_version=1)


def test_the_stored_schema_version_reaches_the_codec_for_upcasting() -> None:
    """A record written at version 1 is read by a version-2 codec through its upcaster,
    and saved again at version 2."""
    store = InMemoryRecordStore()
    Repository(store, JobCodec()).add(sample_job(1))
    newer = Repository(store, _JobCodecV2())
    loaded = newer.get("JOB-001")
    assert loaded.entity == sample_job(1)
    newer.save(next_step(loaded.entity), expected_version=1)
    assert store.load("job", "JOB-001").schema_version == 2
    assert "summary" in json.loads(store.load("job", "JOB-001").payload)
    assert newer.get("JOB-001").entity == next_step(sample_job(1))


class _OnlyReadsV2(JobCodec):
    """Writes version 2 and has no upcaster for version 1: says so as the codec does."""

    schema_version = 2

    def decode(self, payload: str, /, *, schema_version: int) -> Job:
        if schema_version < 2:
            raise UnsupportedVersionError("job", schema_version, 2)
        return super().decode(payload, schema_version=1)


def test_a_version_the_codec_cannot_upcast_is_an_unknown_schema_version() -> None:
    """The codec's UnsupportedVersionError becomes UnknownSchemaVersionError for the record."""
    store = InMemoryRecordStore()
    Repository(store, JobCodec()).add(sample_job(1))
    with pytest.raises(UnknownSchemaVersionError) as raised:
        Repository(store, _OnlyReadsV2()).get("JOB-001")
    assert (raised.value.record_id, raised.value.version, raised.value.supported) == (
        "JOB-001", 1, 2)  # fmt: skip
    assert isinstance(raised.value, UnsupportedVersionError)  # one error for one thing
    assert raised.value.latest == 2


class _Recording(InMemoryRecordStore):
    """Keeps every batch written, as the store received it."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[tuple[RecordWrite, ...]] = []

    def write(self, writes: Sequence[RecordWrite], /) -> None:
        self.batches.append(tuple(writes))
        super().write(writes)


def _rebuilt(write: RecordWrite) -> RecordWrite:
    """The write made again through every validator and converter."""
    record = StoredRecord(**attrs.asdict(write.record, recurse=False))
    history = [HistoryEntry(**attrs.asdict(e, recurse=False)) for e in write.history]
    return RecordWrite(record, history)


def test_the_writes_the_repository_makes_are_what_the_validators_make() -> None:
    """The repository skips re-checking values checked where they entered: the records
    and history entries it hands the store are equal, field by field, to ones built
    through every validator (times in UTC), for adds, saves and a unit of work."""
    store = _Recording()
    jobs = Repository(store, JobCodec())
    paris = timezone(timedelta(hours=1))
    job = attrs.evolve(sample_job(7), opened_at=T0.astimezone(paris)).then("work", "working")
    jobs.add(job)
    jobs.save(next_step(job), expected_version=1)
    with UnitOfWork(store) as work:
        batch = work.repository(JobCodec())
        for n in range(3):
            batch.add(sample_job(n))
        work.commit()
    writes = [w for written in store.batches for w in written]
    assert len(writes) == 5
    for write in writes:
        assert _rebuilt(write) == write
        assert all(e.at.tzinfo is UTC for e in write.history)
        opened = write.record.index.opened_at
        assert opened is not None
        assert opened.tzinfo is UTC
