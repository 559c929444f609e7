"""Small builders of records and writes for store tests (the contract kit uses them).

>>> write = first_write("incident", "INC-1", history=2, priority=1)
>>> write.record.version, write.record.history_length, [e.sequence for e in write.history]
(1, 2, [1, 2])
>>> following = next_write(write.record, state="resolved", category="resolved")
>>> following.expected_version, following.record.index.state, following.history[0].sequence
(1, 'resolved', 3)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from itilkit._repr import shown
from itilkit.errors import InvalidInputError, InvalidTypeError, OutOfRangeError
from itilkit.storage import HistoryEntry, IndexFields, RecordWrite, StoredRecord

__all__ = ["T0", "counter_of", "first_write", "next_write", "sample_index"]

#: The time sample records are opened at.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def sample_index(**fields: Any) -> IndexFields:
    """Index fields of a new priority-3 incident of the service desk, changed by ``fields``."""
    values: dict[str, Any] = {
        "state": "new",
        "category": "new",
        "priority": 3,
        "assignment_group": "service-desk",
        "practice": "incident@1",
        "opened_at": T0,
        "updated_at": T0,
        "sla_due_at": None,
    }
    _check_index_fields(fields)
    values.update(fields)
    return IndexFields(**values)


def _entries(kind: str, record_id: str, first: int, count: int) -> tuple[HistoryEntry, ...]:
    return tuple(
        HistoryEntry(
            kind=kind,
            record_id=record_id,
            sequence=sequence,
            schema_version=1,
            at=T0 + timedelta(minutes=sequence),
            payload=json.dumps({"sequence": sequence, "note": f"step {sequence} of {record_id}"}),
        )
        for sequence in range(first, first + count)
    )


def first_write(
    kind: str,
    record_id: str,
    *,
    history: int = 1,
    payload: dict[str, Any] | None = None,
    **index: Any,
) -> RecordWrite:
    """Create ``kind``/``record_id`` (version 1) with ``history`` entries.

    The payload defaults to ``{"counter": 0, ...}``; ``index`` changes :func:`sample_index`.
    """
    _check_history_count(history)
    document = {"counter": 0, "id": record_id} if payload is None else payload
    record = StoredRecord(
        kind=kind,
        id=record_id,
        version=1,
        schema_version=1,
        history_length=history,
        payload=_json(document),
        index=sample_index(**index),
    )
    return RecordWrite(record, _entries(kind, record_id, 1, history))


def next_write(
    record: StoredRecord,
    *,
    history: int = 1,
    payload: dict[str, Any] | None = None,
    **index: Any,
) -> RecordWrite:
    """The next version of ``record``, appending ``history`` entries.

    The payload defaults to the old one with ``counter`` one higher; ``index``
    changes the old index fields.
    """
    if not isinstance(record, StoredRecord):
        raise InvalidTypeError("record", "a StoredRecord", record)
    _check_history_count(history)
    if payload is None:
        payload = json.loads(record.payload)
        payload["counter"] = counter_of(record) + 1
    _check_index_fields(index)
    new = attrs.evolve(
        record,
        version=record.version + 1,
        history_length=record.history_length + history,
        payload=_json(payload),
        index=attrs.evolve(record.index, **index),
    )
    return RecordWrite(new, _entries(record.kind, record.id, record.history_length + 1, history))


def counter_of(record: StoredRecord) -> int:
    """The ``counter`` of a sample payload."""
    if not isinstance(record, StoredRecord):
        raise InvalidTypeError("record", "a StoredRecord", record)
    try:
        value = json.loads(record.payload)["counter"]
    except (ValueError, TypeError, LookupError, RecursionError):
        value = None
    if type(value) is not int:
        raise InvalidInputError(f"not a sample payload (no int counter): {shown(record.payload)}")
    return value


def _check_index_fields(fields: dict[str, Any]) -> None:
    """Refuse names that are no field of IndexFields (before attrs' TypeError)."""
    known = attrs.fields_dict(IndexFields)
    unknown = sorted(set(fields) - set(known))
    if unknown:
        raise InvalidInputError(
            f"index fields are {', '.join(known)}; not {', '.join(map(shown, unknown))}"
        )


#: The most history entries a sample write makes.
MAX_SAMPLE_HISTORY = 1000


def _check_history_count(history: object) -> None:
    if isinstance(history, bool) or not isinstance(history, int):
        raise InvalidTypeError("history", "an int", history)
    if not 0 <= history <= MAX_SAMPLE_HISTORY:
        raise OutOfRangeError("history", history, f"0 to {MAX_SAMPLE_HISTORY} entries")


def _json(document: object) -> str:
    if not isinstance(document, dict):
        raise InvalidTypeError("payload", "a dict (a JSON object)", document)
    try:
        return json.dumps(document, allow_nan=False)
    except (ValueError, TypeError, RecursionError):
        raise InvalidInputError(f"payload must be JSON data, got {shown(document)}") from None
