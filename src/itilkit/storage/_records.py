"""The values a record store holds: serialised records, their index fields and history.

A store never sees an entity. It keeps, per kind and id, one
:class:`StoredRecord` (the latest version's JSON payload and the index fields
used for listing) and the append-only :class:`HistoryEntry` rows of that
record. Every value checks itself when constructed, so an adapter that only
receives these values receives valid ones: ids are non-empty text without NUL
or lone surrogates (storable in any UTF-8 database, verbatim), integers fit a
64-bit column, and times are aware and kept in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

import attrs

from itilkit._repr import shown
from itilkit.categories import StateCategory
from itilkit.errors import (
    ConcurrencyConflictError,
    DuplicateRecordError,
    HistorySequenceError,
    InvalidInputError,
    InvalidTypeError,
    NaiveDatetimeError,
)

__all__ = [
    "HistoryEntry",
    "IndexFields",
    "RecordWrite",
    "StoredRecord",
    "StoredState",
    "StoredVersion",
    "check_write",
    "validate_writes",
]

#: The largest value of a signed 64-bit column (versions, lengths, sequences).
MAX_BIGINT = 2**63 - 1
#: The largest value of a signed 32-bit column (schema versions, priorities).
MAX_INT = 2**31 - 1
#: The longest kind, id, state, group or practice name, in characters.
MAX_NAME = 512


def check_text(value: object, name: str, *, limit: int | None = MAX_NAME) -> str:
    """Return ``value`` if it is non-empty text any UTF-8 database stores verbatim."""
    if (
        type(value) is str
        and value.isascii()  # no lone surrogate; CPython knows this without a scan
        and 0 < len(value) <= (limit or len(value))
        and "\x00" not in value
    ):
        return value  # the common case, checked in one pass
    if not isinstance(value, str) or not value:
        raise InvalidInputError(f"{name} must be a non-empty string, got {shown(value)}")
    if limit is not None and len(value) > limit:
        raise InvalidInputError(f"{name} must be at most {limit} characters, got {len(value)}")
    if "\x00" in value:
        raise InvalidInputError(f"{name} must not contain NUL characters, got {shown(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(
            f"{name} must be valid Unicode text (no lone surrogates), got {shown(value)}"
        ) from None
    return value


def check_int(value: object, name: str, low: int, high: int = MAX_BIGINT) -> int:
    """Return ``value`` if it is an int (not a bool) in ``low..high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInputError(f"{name} must be an int from {low} to {high}, got {shown(value)}")
    return value


def to_utc(value: object, name: str) -> datetime:
    """The aware datetime ``value`` as the same instant in UTC."""
    if type(value) is datetime and value.tzinfo is UTC:
        return value  # the common case: already UTC, nothing to convert
    if not isinstance(value, datetime):
        raise InvalidTypeError(name, "an aware datetime", value)
    try:
        offset = value.utcoffset()
    except Exception as error:  # a tzinfo whose utcoffset raises or returns nonsense
        raise InvalidInputError(
            f"{name} has a broken tzinfo (utcoffset raised {type(error).__name__})"
        ) from None
    if offset is None:
        raise NaiveDatetimeError(name, value)
    try:
        return value.astimezone(UTC)
    except Exception:  # past the years 1 to 9999, or a tzinfo that misbehaves on the way
        raise InvalidInputError(
            f"{name} {shown(value)} cannot be seen in UTC: it lies outside the years 1 to 9999 "
            "there, or its tzinfo misbehaves"
        ) from None


def _opened_at(value: object) -> datetime | None:
    return None if value is None else to_utc(value, "opened_at")


def _updated_at(value: object) -> datetime | None:
    return None if value is None else to_utc(value, "updated_at")


def _sla_due_at(value: object) -> datetime | None:
    return None if value is None else to_utc(value, "sla_due_at")


def _at(value: object) -> datetime:
    return to_utc(value, "at")


def _entries(value: Iterable[HistoryEntry]) -> tuple[HistoryEntry, ...]:
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        raise InvalidInputError(f"history must be a sequence of HistoryEntry, got {shown(value)}")
    return tuple(value)


def _category(value: object) -> StateCategory:
    if isinstance(value, StateCategory):
        return value
    try:
        return StateCategory(value)  # type: ignore[arg-type]  # a bad value is refused below
    except ValueError:
        allowed = ", ".join(c.value for c in StateCategory)
        raise InvalidInputError(f"category must be one of {allowed}, got {shown(value)}") from None


def _named(name: str, *, optional: bool = False) -> Any:
    def validate(_instance: object, _attribute: object, value: object) -> None:
        if (
            type(value) is str
            and value.isascii()
            and 0 < len(value) <= MAX_NAME
            and "\x00" not in value
        ):
            return  # check_text's common case, without the call
        if value is not None or not optional:
            check_text(value, name)

    return validate


def _ranged(name: str, low: int, high: int = MAX_BIGINT, *, optional: bool = False) -> Any:
    def validate(_instance: object, _attribute: object, value: object) -> None:
        if type(value) is int and low <= value <= high:
            return  # check_int's common case (a bool is not an int here), without the call
        if value is not None or not optional:
            check_int(value, name, low, high)

    return validate


@attrs.frozen(kw_only=True)
class IndexFields:
    """What a store indexes a record by, for listing without decoding payloads.

    The codec computes them from the entity. Times are converted to UTC on
    construction (the same instant), so every store gives back equal values.
    A ticket fills the practice and its times; a configuration item has
    neither, and is listed by its class and name instead.

    Attributes:
        state: the lifecycle state name (a CI's status).
        category: the state's semantic category (a :class:`StateCategory` or its value).
        priority: the priority level (1 is the highest), or None (e.g. a CI).
        assignment_group: the group working on it, or None.
        practice: the practice the entity is bound to (name and version), or None
            (an entity bound to no practice, such as a CI).
        opened_at: when it was logged or created, or None (an entity without times).
        updated_at: when it last changed, or None.
        sla_due_at: when the next running SLA target breaches, or None.
        name: the entity's name, for finding it by name (a CI's), or None.
        classification: what sort of entity it is within its kind (a CI's class), or None.
    """

    state: str = attrs.field(validator=_named("state"))
    category: StateCategory = attrs.field(converter=_category)
    priority: int | None = attrs.field(
        default=None, validator=_ranged("priority", 0, MAX_INT, optional=True)
    )
    assignment_group: str | None = attrs.field(
        default=None, validator=_named("assignment_group", optional=True)
    )
    practice: str | None = attrs.field(default=None, validator=_named("practice", optional=True))
    opened_at: datetime | None = attrs.field(default=None, converter=_opened_at)
    updated_at: datetime | None = attrs.field(default=None, converter=_updated_at)
    sla_due_at: datetime | None = attrs.field(default=None, converter=_sla_due_at)
    name: str | None = attrs.field(default=None, validator=_named("name", optional=True))
    classification: str | None = attrs.field(
        default=None, validator=_named("classification", optional=True)
    )


@attrs.frozen(kw_only=True)
class StoredRecord:
    """One version of one serialised entity.

    Attributes:
        kind: the entity type ("incident", "problem"...); kinds are separate namespaces.
        id: the entity's id, stored verbatim.
        version: 1 when created, one more at each save.
        schema_version: the codec's schema version the payload was written with.
        history_length: how many history entries the record has after this version.
        payload: the JSON document the codec wrote (a store keeps it as it is, or as an
            equal JSON value).
        index: the fields the store lists by.
    """

    kind: str = attrs.field(validator=_named("kind"))
    id: str = attrs.field(validator=_named("id"))
    version: int = attrs.field(validator=_ranged("version", 1))
    schema_version: int = attrs.field(validator=_ranged("schema_version", 1, MAX_INT))
    history_length: int = attrs.field(default=0, validator=_ranged("history_length", 0))
    payload: str = attrs.field(repr=lambda p: f"<{len(p)} characters>")
    index: IndexFields = attrs.field()

    @payload.validator
    def _check_payload(self, _attribute: object, value: object) -> None:
        check_text(value, "payload", limit=None)

    @index.validator
    def _check_index(self, _attribute: object, value: object) -> None:
        if not isinstance(value, IndexFields):
            raise InvalidInputError(f"index must be IndexFields, got {shown(value)}")

    @property
    def key(self) -> tuple[str, str]:
        """(kind, id): what identifies the record in its store."""
        return (self.kind, self.id)


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """One entry of a record's append-only history (a serialised audit record).

    Attributes:
        kind, record_id: the record it belongs to.
        sequence: its position, 1 for the first; never reused or rewritten.
        schema_version: the codec's schema version the payload was written with.
        at: when it happened (kept in UTC).
        payload: the JSON document the codec wrote.
    """

    kind: str = attrs.field(validator=_named("kind"))
    record_id: str = attrs.field(validator=_named("record_id"))
    sequence: int = attrs.field(validator=_ranged("sequence", 1))
    schema_version: int = attrs.field(validator=_ranged("schema_version", 1, MAX_INT))
    at: datetime = attrs.field(converter=_at)
    payload: str = attrs.field(repr=lambda p: f"<{len(p)} characters>")

    @payload.validator
    def _check_payload(self, _attribute: object, value: object) -> None:
        check_text(value, "payload", limit=None)


@attrs.frozen
class RecordWrite:
    """A new version of one record with the history entries it appends.

    The write replaces version ``record.version - 1`` (0: the record must not
    exist yet) and appends ``history``, which must be the entries numbered
    ``previous_history_length + 1`` to ``record.history_length`` in order.
    A store applies it only if the stored version is the expected one.
    """

    record: StoredRecord = attrs.field()
    history: tuple[HistoryEntry, ...] = attrs.field(default=(), converter=_entries)

    @record.validator
    def _check_record(self, _attribute: object, value: object) -> None:
        if not isinstance(value, StoredRecord):
            raise InvalidInputError(f"record must be a StoredRecord, got {shown(value)}")

    @history.validator
    def _check_history(self, _attribute: object, value: tuple[object, ...]) -> None:
        record = self.record
        first = record.history_length - len(value) + 1
        if first < 1:
            raise InvalidInputError(
                f"{record.kind} {record.id!r}: {len(value)} new history entries exceed "
                f"history_length {record.history_length}"
            )
        if record.version == 1 and first != 1:
            raise HistorySequenceError(record.kind, record.id, 1, first)
        for expected, entry in enumerate(value, start=first):
            if not isinstance(entry, HistoryEntry):
                raise InvalidInputError(
                    f"history must hold HistoryEntry values, got {shown(entry)}"
                )
            if (entry.kind, entry.record_id) != record.key:
                raise InvalidInputError(
                    f"history entry of {entry.kind} {entry.record_id!r} in a write of "
                    f"{record.kind} {record.id!r}"
                )
            if entry.sequence != expected:
                raise HistorySequenceError(record.kind, record.id, expected, entry.sequence)

    @property
    def expected_version(self) -> int:
        """The version the store must hold for the write to apply (0: none)."""
        return self.record.version - 1

    @property
    def previous_history_length(self) -> int:
        """The history length the store must hold for the write to apply."""
        return self.record.history_length - len(self.history)


# -- values made from values checked already ---------------------------------------
#
# A write passes through several value objects (the codec's EncodedEntity, then the
# store's StoredRecord, HistoryEntry and RecordWrite), and each would check the same
# id, payload and times again. These build the store's values without running any
# validator or converter, for the repository alone, from values checked where they
# entered: the kind and schema version by the repository, the id, payloads, times and
# index fields by the EncodedEntity and EncodedHistory that carried them; versions and
# sequences are counted. They are about three times cheaper than the checked path.

_new = object.__new__
_set = object.__setattr__


def unchecked_record(
    *,
    kind: str,
    id: str,
    version: int,
    schema_version: int,
    history_length: int,
    payload: str,
    index: IndexFields,
) -> StoredRecord:
    """A StoredRecord of fields checked already (no validator runs)."""
    record: StoredRecord = _new(StoredRecord)
    _set(record, "kind", kind)
    _set(record, "id", id)
    _set(record, "version", version)
    _set(record, "schema_version", schema_version)
    _set(record, "history_length", history_length)
    _set(record, "payload", payload)
    _set(record, "index", index)
    return record


def unchecked_entry(
    *, kind: str, record_id: str, sequence: int, schema_version: int, at: datetime, payload: str
) -> HistoryEntry:
    """A HistoryEntry of fields checked already (``at`` in UTC; no validator runs)."""
    entry: HistoryEntry = _new(HistoryEntry)
    _set(entry, "kind", kind)
    _set(entry, "record_id", record_id)
    _set(entry, "sequence", sequence)
    _set(entry, "schema_version", schema_version)
    _set(entry, "at", at)
    _set(entry, "payload", payload)
    return entry


def unchecked_write(record: StoredRecord, history: tuple[HistoryEntry, ...]) -> RecordWrite:
    """A RecordWrite whose history is numbered on from the record's (no validator runs)."""
    write: RecordWrite = _new(RecordWrite)
    _set(write, "record", record)
    _set(write, "history", history)
    return write


def validate_writes(writes: Iterable[RecordWrite]) -> tuple[RecordWrite, ...]:
    """Check a batch before any I/O: RecordWrite values, each record at most once.

    Store adapters call this first; it raises InvalidInputError and touches nothing.
    """
    if isinstance(writes, RecordWrite | str | bytes) or not isinstance(writes, Iterable):
        raise InvalidInputError(f"writes must be a sequence of RecordWrite, got {shown(writes)}")
    batch = tuple(writes)
    seen: set[tuple[str, str]] = set()
    for write in batch:
        if not isinstance(write, RecordWrite):
            raise InvalidInputError(f"writes must hold RecordWrite values, got {shown(write)}")
        if write.record.key in seen:
            raise InvalidInputError(
                f"{write.record.kind} {write.record.id!r} appears twice in one batch; "
                "merge the changes into one write"
            )
        seen.add(write.record.key)
    return batch


class StoredState(Protocol):
    """What a write is checked against: the stored version and history length."""

    @property
    def version(self) -> int: ...

    @property
    def history_length(self) -> int: ...


class StoredVersion(NamedTuple):
    """A stored version and history length, as an adapter reads them to check a write."""

    version: int
    history_length: int


def check_write(current: StoredState | None, write: RecordWrite) -> None:
    """Raise the error a store must raise when ``write`` does not apply to ``current``.

    ``current`` is the stored record, or anything with its version and history
    length (None: no such record). A create finding a
    record raises DuplicateRecordError; a stale or future expected version
    raises ConcurrencyConflictError with expected and actual; a history that
    does not continue the stored one raises HistorySequenceError.
    """
    if not isinstance(write, RecordWrite):
        raise InvalidTypeError("write", "a RecordWrite", write)
    if current is not None and not all(
        isinstance(getattr(current, field, None), int) for field in ("version", "history_length")
    ):
        raise InvalidTypeError(
            "current", "None or a stored record (its version and history_length)", current
        )
    record = write.record
    if write.expected_version == 0:
        if current is not None:
            raise DuplicateRecordError(record.kind, record.id, current.version)
        return
    if current is None or current.version != write.expected_version:
        actual = None if current is None else current.version
        raise ConcurrencyConflictError(record.kind, record.id, write.expected_version, actual)
    if current.history_length != write.previous_history_length:
        raise HistorySequenceError(
            record.kind, record.id, current.history_length + 1, write.previous_history_length + 1
        )
