"""Logical record fields, the field map onto a host's names, and value checks.

Measures read records by *logical* field names (``opened_at``, ``resolved_at``,
``reassignment_count``...). A :class:`FieldMap` says under which attribute or
key a host's records carry each one; mapping a field to ``None`` declares that
the records do not carry it at all (it then reads as ``None``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final, cast

import attrs

from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError

__all__ = ["LOGICAL_FIELDS", "FieldMap"]

#: Every logical field a measure may read, with what it holds.
LOGICAL_FIELDS: Final[Mapping[str, str]] = {
    "id": "record key shown in samples of problems (default attribute/key 'id')",
    "category": "StateCategory (or its value); 'canceled' records are excluded",
    "opened_at": "aware datetime the record was opened (created)",
    "acknowledged_at": "aware datetime it was acknowledged, or None",
    "first_response_at": "aware datetime of the first response, or None",
    "resolved_at": "aware datetime of the final resolution, or None while unresolved",
    "closed_at": "aware datetime it was closed (or canceled), or None",
    "failed_at": "aware datetime the failure (service impact) began",
    "restored_at": "aware datetime service was restored, or None",
    "repaired_at": "aware datetime the CI was repaired, or None",
    "pauses": "paused time: a timedelta total, or a sequence of (start, end) intervals",
    "reassignment_count": "int >= 0, reassignments after the first assignment",
    "reopen_count": "int >= 0, times the record was reopened",
    "first_contact_resolved": "bool, resolved at the first contact",
    "first_line_resolvable": "bool, could be resolved at first line (net FCR)",
    "problem_id": "key of the linked problem, or None",
    "ci": "key of the CI or service that failed",
    "outcome": "ChangeOutcome (or its value), or None while not finished",
    "change_type": "'standard', 'normal' or 'emergency'",
    "committed_at": "aware datetime the change was committed",
    "deployed_at": "aware datetime it was deployed to production",
    "deployment_failed": "bool, the deployment caused a failure in production",
    "recovered_at": "aware datetime service recovered from a failed deployment, or None",
}


def _known_fields(_: object, __: attrs.Attribute[Any], value: Mapping[str, str | None]) -> None:
    unknown = sorted(set(value) - set(LOGICAL_FIELDS))
    if unknown:
        raise InvalidInputError(
            f"unknown logical field(s) {unknown} in the field map; "
            f"known: {', '.join(sorted(LOGICAL_FIELDS))}"
        )
    wrong = sorted(k for k, v in value.items() if v is not None and not isinstance(v, str))
    if wrong:
        raise InvalidInputError(
            f"field map values must be column names (str) or None, not for {wrong}"
        )


def _as_dict(value: Mapping[str, str | None]) -> dict[str, str | None]:
    return dict(value)


@attrs.frozen
class FieldMap:
    """Where records carry each logical field: ``{logical: host name or None}``.

    Unlisted fields are read under their logical name.

    >>> FieldMap({"opened_at": "sys_created_on"}).source("opened_at")
    'sys_created_on'
    >>> FieldMap().source("resolved_at")
    'resolved_at'
    """

    names: Mapping[str, str | None] = attrs.field(
        factory=dict, converter=_as_dict, validator=_known_fields, hash=False
    )

    def source(self, logical: str) -> str | None:
        """The attribute or key that holds ``logical``, or ``None`` if not carried."""
        return self.names.get(logical, logical)


def as_field_map(value: FieldMap | Mapping[str, str | None] | None) -> FieldMap:
    """Accept a :class:`FieldMap`, a plain mapping or ``None`` (no renames)."""
    if isinstance(value, FieldMap):
        return value
    return FieldMap(dict(value or {}))


ABSENT: Final = object()
"""Marker for a field the record does not have at all."""


def read(record: object, name: str) -> object:
    """The value of ``name`` on a mapping or an object, or :data:`ABSENT`."""
    if isinstance(record, Mapping):
        return record.get(name, ABSENT)
    return getattr(record, name, ABSENT)


def tuple_getter(names: Sequence[str], sample: object) -> Callable[[object], tuple[Any, ...]]:
    """A C-level getter returning the ``names`` of records shaped like ``sample``."""
    if not names:
        return lambda _record: ()
    getter: Callable[[object], Any]
    by_key = isinstance(sample, Mapping)
    if len(names) == 1:
        single = operator.itemgetter(names[0]) if by_key else operator.attrgetter(names[0])
        return lambda record: (single(record),)  # type: ignore[arg-type]
    getter = operator.itemgetter(*names) if by_key else operator.attrgetter(*names)  # type: ignore[assignment]
    return cast(Callable[[object], tuple[Any, ...]], getter)


def is_missing(value: object) -> bool:
    """None, or a float NaN / pandas NaT (values unequal to themselves)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def check_datetime(value: object) -> tuple[datetime | None, str | None]:
    """``(value, None)`` for an aware datetime or a missing value, else ``(None, problem)``."""
    if value is ABSENT:
        return None, "absent"
    if is_missing(value):
        return None, None
    if not isinstance(value, datetime):
        return None, f"not a datetime ({type(value).__name__})"
    if value.tzinfo is None or value.utcoffset() is None:
        return None, "naive datetime (no time zone)"
    return value, None


def check_count(value: object) -> tuple[int | None, str | None]:
    """``(value, None)`` for an int >= 0 or a missing value, else ``(None, problem)``."""
    if value is ABSENT:
        return None, "absent"
    if is_missing(value):
        return None, None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer() and value >= 0:
            return int(value), None
        return None, f"not a count ({type(value).__name__})"
    if value < 0:
        return None, "negative count"
    return value, None


def check_flag(value: object) -> tuple[bool | None, str | None]:
    """``(value, None)`` for a bool or a missing value, else ``(None, problem)``."""
    if value is ABSENT:
        return None, "absent"
    if is_missing(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    return None, f"not a bool ({type(value).__name__})"


def check_category(value: object) -> tuple[StateCategory | None, str | None]:
    """``(category, None)`` for a StateCategory or its value, else ``(None, problem)``."""
    if value is ABSENT or is_missing(value):
        return None, None
    if not isinstance(value, str):
        return None, f"not a state category ({type(value).__name__})"
    try:
        return StateCategory(value), None
    except (TypeError, ValueError):
        return None, f"not a state category ({value!r})"


def check_pauses(value: object) -> tuple[timedelta | tuple[tuple[datetime, datetime], ...], str]:
    """A paused total or sorted, merged pause intervals; ``problem`` is '' when fine."""
    if value is ABSENT or is_missing(value):
        return (), ""
    if isinstance(value, timedelta):
        return (value, "") if value >= timedelta(0) else ((), "negative paused total")
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        return (), f"not a timedelta or a sequence of intervals ({type(value).__name__})"
    intervals: list[tuple[datetime, datetime]] = []
    for item in value:
        if not (isinstance(item, Sequence) and len(item) == 2):
            return (), "a pause is not a (start, end) pair"
        start, start_problem = check_datetime(item[0])
        end, end_problem = check_datetime(item[1])
        if start is None or end is None:
            return (), f"pause bound: {start_problem or end_problem or 'missing'}"
        if end < start:
            return (), "a pause ends before it starts"
        intervals.append((start, end))
    intervals.sort()
    merged: list[tuple[datetime, datetime]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged), ""
