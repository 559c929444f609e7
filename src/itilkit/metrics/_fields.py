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

from itilkit._repr import shown
from itilkit._time import checked_instant
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidTypeError

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
    unknown = sorted(shown(k) for k in value if not isinstance(k, str) or k not in LOGICAL_FIELDS)
    if unknown:
        raise InvalidInputError(
            f"unknown logical field(s) {', '.join(unknown)} in the field map; "
            f"known: {', '.join(sorted(LOGICAL_FIELDS))}"
        )
    wrong = sorted(k for k, v in value.items() if v is not None and not isinstance(v, str))
    if wrong:
        raise InvalidInputError(
            f"field map values must be column names (str) or None, not for {wrong}"
        )


def _as_dict(value: Mapping[str, str | None]) -> dict[str, str | None]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError("the field map", "a mapping of logical fields to names", value)
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
        if not isinstance(logical, str) or logical not in LOGICAL_FIELDS:
            raise InvalidInputError(
                f"{shown(logical)} is not a logical field; known: {', '.join(LOGICAL_FIELDS)}"
            )
        return self.names.get(logical, logical)


def as_field_map(value: FieldMap | Mapping[str, str | None] | None) -> FieldMap:
    """Accept a :class:`FieldMap`, a plain mapping or ``None`` (no renames)."""
    if isinstance(value, FieldMap):
        return value
    return FieldMap({} if value is None else value)


def bool_option(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator of a measure's on/off option: strictly True or False."""
    if not isinstance(value, bool):
        raise InvalidTypeError(attribute.name, "True or False", value)


ABSENT: Final = object()
"""Marker for a field the record does not have at all."""


#: Marker for a field whose reading raised (a property or ``get`` that fails).
UNREADABLE: Final = object()


def read(record: object, name: str) -> object:
    """The value of ``name`` on a mapping or an object, :data:`ABSENT` or :data:`UNREADABLE`."""
    try:
        if isinstance(record, Mapping):
            return record.get(name, ABSENT)
        return getattr(record, name, ABSENT)
    except Exception:  # the record's own accessor failed: a problem of that field
        return UNREADABLE


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
    except Exception:  # a comparison that fails (an array, a hostile __ne__): not missing
        return False


def problem_of(value: object) -> str | None:
    """The problem of a value no check accepts for lack of reading it: absent or unreadable."""
    if value is ABSENT:
        return "absent"
    if value is UNREADABLE:
        return "unreadable (reading the field raised)"
    return None


def check_datetime(value: object) -> tuple[datetime | None, str | None]:
    """``(instant, None)`` for a supported aware datetime or a missing value, else a problem.

    The instant is a plain datetime (a pandas Timestamp is read in UTC to the
    microsecond); out-of-range years and odd time zones are problems.
    """
    if value is ABSENT or value is UNREADABLE:
        return None, problem_of(value)
    if type(value) is not datetime and is_missing(value):
        return None, None
    return checked_instant(value)


def check_count(value: object) -> tuple[int | None, str | None]:
    """``(value, None)`` for an int >= 0 or a missing value, else ``(None, problem)``."""
    if value is ABSENT or value is UNREADABLE:
        return None, problem_of(value)
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
    if value is ABSENT or value is UNREADABLE:
        return None, problem_of(value)
    if is_missing(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    return None, f"not a bool ({type(value).__name__})"


def check_category(value: object) -> tuple[StateCategory | None, str | None]:
    """``(category, None)`` for a StateCategory or its value, else ``(None, problem)``."""
    if value is UNREADABLE:
        return None, problem_of(value)
    if value is ABSENT or is_missing(value):
        return None, None
    if not isinstance(value, str):
        return None, f"not a state category ({type(value).__name__})"
    try:
        return StateCategory(value), None
    except InvalidInputError:
        return None, f"not a state category ({shown(value)})"


def check_pauses(value: object) -> tuple[timedelta | tuple[tuple[datetime, datetime], ...], str]:
    """A paused total or sorted, merged pause intervals; ``problem`` is '' when fine."""
    if value is UNREADABLE:
        return (), problem_of(value) or ""
    if value is ABSENT or is_missing(value):
        return (), ""
    if isinstance(value, timedelta):
        if type(value) is not timedelta:  # pandas Timedelta: to the microsecond
            value = timedelta(value.days, value.seconds, value.microseconds)
        return (value, "") if value >= timedelta(0) else ((), "negative paused total")
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        return (), f"not a timedelta or a sequence of intervals ({type(value).__name__})"
    intervals: list[tuple[datetime, datetime]] = []
    for item in value:
        if isinstance(item, str | bytes) or not (isinstance(item, Sequence) and len(item) == 2):
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
