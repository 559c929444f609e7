"""Every error itilkit raises, in one hierarchy.

Catch :class:`ItilkitError` to catch them all. Where a caller would naturally
catch a builtin, the error also derives from it (a missing record is a
``LookupError``, bad input is a ``ValueError``)::

    ItilkitError
    ├── InvalidInputError (ValueError)         bad argument at a public boundary
    │   ├── InvalidTypeError (TypeError)       an argument of the wrong type
    │   ├── OutOfRangeError                    outside the supported range (e.g. years 2-9998)
    │   ├── NaiveDatetimeError                 a datetime without tzinfo
    │   ├── InvalidIntervalError               an end before its start
    │   ├── InvalidEntityError                 an entity whose fields break its rules (all listed)
    │   ├── UnknownItemError (LookupError)     no configuration item of that id in the graph
    │   ├── InvalidDefinitionError             a definition with problems (all listed)
    │   │   ├── InvalidLifecycleError          lifecycle definition
    │   │   ├── InvalidCalendarError           business calendar
    │   │   │   └── CalendarTypeError (TypeError)  a calendar part of the wrong type
    │   │   ├── InvalidPolicyError             SLA policy
    │   │   │   └── PolicyTypeError (TypeError)    an SLA policy part of the wrong type
    │   │   ├── InvalidMatrixError             priority or risk matrix
    │   │   ├── InvalidGraphError              CMDB relationship graph
    │   │   └── InvalidPracticeError           practice (lifecycle, commands, matrix, SLA)
    │   └── InvalidDocumentError               a document that does not decode (paths, problems)
    │       └── UnsupportedVersionError        a schema version this itilkit cannot read
    ├── UnencodableValueError (TypeError)      a value the codec has no data form for
    ├── LifecycleError                         a transition could not fire
    │   ├── UnknownTransitionError (LookupError)
    │   ├── UnknownStateError (LookupError)
    │   ├── TransitionNotAllowedError          not allowed from the current state
    │   ├── GuardRefusedError                  a guard said no
    │   └── MissingFieldsError                 fields required on entering the target
    ├── PracticeError                          an ITIL rule on an entity was broken
    │   ├── PolicyViolationError               e.g. reopen after the reopen window
    │   └── UnknownPracticeError (LookupError) no practice of that name and version
    ├── CalendarError                          business-time arithmetic impossible
    │   └── NoBusinessTimeError                the calendar never opens again
    ├── SlaError                               SLA status cannot be computed
    │   ├── HistoryOrderError                  history events out of order
    │   ├── MissingDurationError               no target duration for the record's fields
    │   └── UnknownTargetError (LookupError)   no target of that name in the policy
    ├── MetricsError                           a measure cannot be computed
    ├── StorageError                           a store failed; what it holds is unchanged
    │   ├── RecordNotFoundError (LookupError)
    │   ├── UnknownKindError (LookupError)     no codec (or table) for that kind of record
    │   ├── ConcurrencyConflictError           expected version did not match
    │   │   └── DuplicateRecordError           created where a record of that id exists
    │   ├── HistorySequenceError (ValueError)  new history does not continue the stored one
    │   ├── CorruptRecordError (ValueError)    a stored payload cannot be decoded
    │   ├── UnknownSchemaVersionError          a payload newer than the codec can read
    │   │                                      (also the codec's UnsupportedVersionError)
    │   ├── StoreBusyError (TimeoutError)      the store stayed locked past its timeout
    │   └── StoreUnavailableError (ConnectionError)  closed, gone, or not a database
    └── InteropError                           an export could not be read
        ├── ExportReadError (OSError)          missing, unreadable or corrupt file
        ├── ExportFormatError (ValueError)     not the expected export (columns)
        └── MalformedRowError (ValueError)     a malformed row, in strict mode

Every error carries its data as attributes as well as in its message, and
building one never fails, whatever values it is given (they are quoted
briefly: long or deep values are cut short).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from itilkit._repr import shown

__all__ = [
    "CalendarError",
    "CalendarTypeError",
    "ConcurrencyConflictError",
    "CorruptRecordError",
    "DuplicateRecordError",
    "ExportFormatError",
    "ExportReadError",
    "GuardRefusedError",
    "HistoryOrderError",
    "HistorySequenceError",
    "InteropError",
    "InvalidCalendarError",
    "InvalidDefinitionError",
    "InvalidDocumentError",
    "InvalidEntityError",
    "InvalidGraphError",
    "InvalidInputError",
    "InvalidIntervalError",
    "InvalidLifecycleError",
    "InvalidMatrixError",
    "InvalidPolicyError",
    "InvalidPracticeError",
    "InvalidTypeError",
    "ItilkitError",
    "LifecycleError",
    "MalformedRowError",
    "MetricsError",
    "MissingDurationError",
    "MissingFieldsError",
    "NaiveDatetimeError",
    "NoBusinessTimeError",
    "OutOfRangeError",
    "PolicyTypeError",
    "PolicyViolationError",
    "PracticeError",
    "RecordNotFoundError",
    "SlaError",
    "StorageError",
    "StoreBusyError",
    "StoreUnavailableError",
    "TestServerError",
    "TransitionNotAllowedError",
    "UnencodableValueError",
    "UnknownItemError",
    "UnknownKindError",
    "UnknownPracticeError",
    "UnknownSchemaVersionError",
    "UnknownStateError",
    "UnknownTargetError",
    "UnknownTransitionError",
    "UnsupportedVersionError",
]


def _texts(values: Iterable[object]) -> tuple[str, ...]:
    """``values`` as strings (non-strings quoted briefly); a lone value counts as one."""
    if isinstance(values, str):
        return (values,)
    try:
        items = list(values)
    except Exception:  # not iterable: the value itself is the one item
        items = [values]
    return tuple(v if isinstance(v, str) else shown(v) for v in items)


def _sorted(values: Iterable[object]) -> tuple[str, ...]:
    return tuple(sorted(_texts(values)))


def _names(values: Iterable[str]) -> str:
    listed = ", ".join(_sorted(values))
    return listed or "none"


def _text(value: object) -> str:
    """A string as it is; anything else quoted briefly."""
    return value if isinstance(value, str) else shown(value)


def _quoted(value: object) -> str:
    return repr(value) if isinstance(value, str) and len(value) <= 80 else shown(value)


def _when(value: object) -> str:
    """An instant's ISO form, or a brief quote of anything else."""
    try:
        return value.isoformat() if isinstance(value, datetime) else shown(value)
    except Exception:  # a datetime whose tzinfo misbehaves
        return shown(value)


def _never_failing(init: Callable[..., None]) -> Callable[..., None]:
    """``init``, falling back to a plain message when building its own one fails."""

    @functools.wraps(init)
    def build(self: ItilkitError, *args: Any, **kwargs: Any) -> None:
        try:
            init(self, *args, **kwargs)
        except Exception as error:  # a value the message cannot show: show every value briefly
            given = [*map(shown, args), *(f"{k}={shown(v)}" for k, v in kwargs.items())]
            Exception.__init__(
                self, f"{type(self).__name__}({', '.join(given)}) [{type(error).__name__}]"
            )

    return build


def _problem_list(label: str, problems: tuple[str, ...]) -> str:
    lines = "\n".join(f"  - {p}" for p in problems)
    return f"invalid {label}: {len(problems)} problem(s)\n{lines}"


class ItilkitError(Exception):
    """Root of every error raised by itilkit.

    Building any subclass never fails: a subclass's ``__init__`` that cannot
    build its message (a value it cannot quote or format) falls back to the
    class name and every value, quoted briefly.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None:
            cls.__init__ = _never_failing(init)  # type: ignore[method-assign]

    def __str__(self) -> str:
        """The message; arguments too deep to show are quoted briefly instead of raising."""
        try:
            return super().__str__()
        except Exception:  # a deep argument, or a datetime whose zone misbehaves
            return ", ".join(shown(argument) for argument in self.args)


class InvalidInputError(ItilkitError, ValueError):
    """An argument at a public boundary is not acceptable."""


class InvalidTypeError(InvalidInputError, TypeError):
    """An argument of the wrong type; ``expected`` says what is allowed."""

    def __init__(self, name: str, expected: str, value: object) -> None:
        self.name = name
        self.expected = expected
        self.value = value
        super().__init__(
            f"{_text(name)} must be {_text(expected)}, got {type(value).__name__} {shown(value)}"
        )


class OutOfRangeError(InvalidInputError):
    """A value outside the range itilkit supports; ``allowed`` states the range."""

    def __init__(self, name: str, value: object, allowed: str) -> None:
        self.name = name
        self.value = value
        self.allowed = allowed
        super().__init__(
            f"{_text(name)} is outside the supported range ({_text(allowed)}): {_when(value)}"
        )


class NaiveDatetimeError(InvalidInputError):
    """A datetime without time zone reached a public boundary."""

    def __init__(self, name: str, value: datetime) -> None:
        self.name = name
        self.value = value
        super().__init__(
            f"{_text(name)} must be an aware datetime (with tzinfo), got naive {_when(value)}; "
            "attach a zone, e.g. value.replace(tzinfo=ZoneInfo('Europe/London')) or timezone.utc"
        )


class InvalidIntervalError(InvalidInputError):
    """An interval whose end lies before its start."""

    def __init__(self, start: datetime, end: datetime, what: str = "interval") -> None:
        self.start = start
        self.end = end
        super().__init__(
            f"{_text(what)} ends before it starts: start {_when(start)}, end {_when(end)}"
        )


class InvalidDefinitionError(InvalidInputError):
    """A definition (lifecycle, calendar, policy, matrix) has problems.

    ``problems`` lists every problem found, not only the first.
    """

    kind = "definition"

    def __init__(self, problems: Iterable[str], name: str = "") -> None:
        self.problems = _texts(problems)
        self.name = name
        label = f"{self.kind} {_quoted(name)}" if name else self.kind
        super().__init__(_problem_list(label, self.problems))


class InvalidLifecycleError(InvalidDefinitionError):
    """A lifecycle definition is inconsistent."""

    kind = "lifecycle"


class InvalidCalendarError(InvalidDefinitionError):
    """A business calendar is inconsistent."""

    kind = "calendar"


class CalendarTypeError(InvalidCalendarError, TypeError):
    """A calendar part has the wrong type; ``problems`` lists every problem found."""


class InvalidPolicyError(InvalidDefinitionError):
    """An SLA policy is inconsistent."""

    kind = "SLA policy"


class PolicyTypeError(InvalidPolicyError, TypeError):
    """An SLA policy part has the wrong type; ``problems`` lists every problem found."""


class InvalidMatrixError(InvalidDefinitionError):
    """A priority or risk matrix is inconsistent."""

    kind = "matrix"


class InvalidGraphError(InvalidDefinitionError):
    """A CMDB relationship graph is inconsistent (dangling ends, self-loops, duplicates)."""

    kind = "CMDB graph"


class InvalidPracticeError(InvalidDefinitionError):
    """A practice is inconsistent: a command without its transition, an SLA off its matrix."""

    kind = "practice"


class InvalidEntityError(InvalidInputError):
    """An entity's fields break its cross-field rules; ``problems`` lists every one.

    ``entity`` names it (kind and id), e.g. ``incident 'INC-1'``.
    """

    def __init__(self, problems: Iterable[str], entity: str) -> None:
        self.problems = tuple(problems)
        self.entity = entity
        super().__init__(_problem_list(entity, self.problems))


class UnknownItemError(InvalidInputError, LookupError):
    """No configuration item of that id in the CMDB graph; ``count`` says how many it has."""

    def __init__(self, ci: object, count: int) -> None:
        self.ci = ci
        self.count = count
        super().__init__(
            f"no configuration item {_quoted(ci)} in the graph; it has {count} item(s)"
        )


def _where(path: str) -> str:
    return f"{path}: " if path else ""


class InvalidDocumentError(InvalidInputError):
    """A document (JSON, TOML or decoded data) does not decode into an itilkit value.

    ``problems`` lists every problem found, each a ``(path, message)`` pair:
    ``("history[3].at", "naive datetime ...")``; the path is empty for the
    document as a whole. ``kind`` names the document kind when it is known.
    """

    def __init__(self, problems: Iterable[tuple[str, str]], kind: str = "") -> None:
        self.problems = tuple(problems)
        self.kind = kind
        label = f"{kind} document" if kind else "document"
        lines = "\n".join(f"  - {_where(path)}{message}" for path, message in self.problems)
        super().__init__(f"invalid {label}: {len(self.problems)} problem(s)\n{lines}")


class UnsupportedVersionError(InvalidDocumentError):
    """A document's schema version is newer than (or unknown to) this itilkit."""

    def __init__(self, kind: str, version: object, latest: int) -> None:
        self.version = version
        self.latest = latest
        super().__init__(
            [
                (
                    "schema_version",
                    f"version {_quoted(version)} of {_quoted(kind)} is not one this itilkit reads "
                    f"(it reads 1 to {latest}); a newer itilkit may have written it",
                )
            ],
            kind,
        )


class UnencodableValueError(ItilkitError, TypeError):
    """The codec has no data form for a value (a custom condition, a naive datetime...)."""

    def __init__(self, value: object, detail: str) -> None:
        self.value = value
        self.detail = detail
        super().__init__(f"cannot encode {type(value).__name__} {shown(value)}: {detail}")


class LifecycleError(ItilkitError):
    """A transition could not fire; the entity is unchanged."""


class UnknownTransitionError(LifecycleError, LookupError):
    """The transition is not defined in the lifecycle at all."""

    def __init__(self, transition: str, lifecycle: str, known: Iterable[str]) -> None:
        self.transition = transition
        self.lifecycle = lifecycle
        self.known = _sorted(known)
        super().__init__(
            f"lifecycle {_quoted(lifecycle)} has no transition {_quoted(transition)}; "
            f"it defines: {_names(self.known)}"
        )


class UnknownStateError(LifecycleError, LookupError):
    """The state is not defined in the lifecycle."""

    def __init__(self, state: str, lifecycle: str, known: Iterable[str]) -> None:
        self.state = state
        self.lifecycle = lifecycle
        self.known = _sorted(known)
        super().__init__(
            f"lifecycle {_quoted(lifecycle)} has no state {_quoted(state)}; "
            f"it defines: {_names(self.known)}"
        )


class TransitionNotAllowedError(LifecycleError):
    """The transition exists but does not start from the current state."""

    def __init__(self, transition: str, state: str, allowed: Iterable[str]) -> None:
        self.transition = transition
        self.state = state
        self.allowed = _sorted(allowed)
        super().__init__(
            f"transition {_quoted(transition)} is not allowed from state {_quoted(state)}; "
            f"allowed from {_quoted(state)}: {_names(self.allowed)}"
        )


class GuardRefusedError(LifecycleError):
    """A guard of the transition refused; ``reasons`` says why."""

    def __init__(
        self, transition: str, state: str, reasons: Iterable[str], allowed: Iterable[str]
    ) -> None:
        self.transition = transition
        self.state = state
        self.reasons = _texts(reasons)
        self.allowed = _sorted(allowed)
        super().__init__(
            f"transition {_quoted(transition)} from {_quoted(state)} refused: "
            f"{'; '.join(self.reasons)}; allowed from {_quoted(state)}: {_names(self.allowed)}"
        )


class MissingFieldsError(LifecycleError):
    """Fields required on entering the target state are missing."""

    def __init__(self, transition: str, target: str, fields: Iterable[str]) -> None:
        self.transition = transition
        self.target = target
        self.fields = _sorted(fields)
        super().__init__(
            f"transition {_quoted(transition)} into {_quoted(target)} "
            f"needs field(s) {', '.join(self.fields)}"
        )


class PracticeError(ItilkitError):
    """An ITIL rule on an entity was broken; the entity is unchanged."""


class PolicyViolationError(PracticeError):
    """A configured policy forbids the operation (``policy`` names it)."""

    def __init__(self, policy: str, detail: str) -> None:
        self.policy = policy
        self.detail = detail
        super().__init__(f"{_text(policy)}: {_text(detail)}")


class UnknownPracticeError(PracticeError, LookupError):
    """No practice of that name and version in the registry."""

    def __init__(self, name: str, version: int, known: Iterable[str]) -> None:
        self.name = name
        self.version = version
        self.known = tuple(sorted(known))
        super().__init__(
            f"no practice {_quoted(name)} version {version} in the registry; it holds: "
            f"{_names(self.known)}"
        )


class CalendarError(ItilkitError):
    """Business-time arithmetic cannot be done on this calendar."""


class NoBusinessTimeError(CalendarError):
    """The calendar has no business time in the direction asked."""

    def __init__(self, at: datetime, direction: str = "after", limit: int | None = None) -> None:
        self.at = at
        self.direction = direction
        #: The end of the supported years where the search stopped, if it did.
        self.limit = limit
        within = "" if limit is None else f" within the supported years (searched to {limit})"
        super().__init__(
            f"the calendar has no business time {_text(direction)} {_when(at)}{within}"
        )


class SlaError(ItilkitError):
    """An SLA status cannot be computed from the input."""


class HistoryOrderError(SlaError, InvalidInputError):
    """History events are not in time order."""

    def __init__(
        self, index: int, previous: datetime, current: datetime, subject: str = ""
    ) -> None:
        self.index = index
        self.previous = previous
        self.current = current
        self.subject = subject
        where = f"{subject}: " if subject else ""
        super().__init__(
            f"{_text(where)}history event {shown(index)} at {_when(current)} is earlier than "
            f"the event before it at {_when(previous)}; events must be in time order"
        )


class MissingDurationError(SlaError):
    """The policy's duration selector gives no duration for the record's fields."""

    def __init__(
        self, target: str, selector: object, fields: Mapping[str, object] | None = None
    ) -> None:
        self.target = target
        self.selector = selector
        self.fields = dict(fields or {})
        field = getattr(selector, "field", None)
        seen = (
            f"{field} is {shown(self.fields[field])}"
            if isinstance(field, str) and field in self.fields
            else f"{field} is not set"
            if isinstance(field, str)
            else "the record's current fields"
        )
        super().__init__(
            f"SLA target {_quoted(target)} has no duration for {seen} (selector "
            f"{shown(selector)}); set the field or give the selector a default"
        )


class UnknownTargetError(SlaError, LookupError):
    """No target of that name in the SLA policy."""

    def __init__(self, target: str, known: Iterable[str]) -> None:
        self.target = target
        self.known = _sorted(known)
        super().__init__(
            f"the SLA policy has no target {_quoted(target)}; it defines: {_names(self.known)}"
        )


class MetricsError(ItilkitError):
    """A measure cannot be computed from the input."""


class StorageError(ItilkitError):
    """A store failed; the adapter translated its driver's error into this."""


class RecordNotFoundError(StorageError, LookupError):
    """No record of that kind and id."""

    def __init__(self, kind: str, record_id: str) -> None:
        self.kind = kind
        self.record_id = record_id
        super().__init__(f"no {_text(kind)} record with id {_quoted(record_id)}")


class ConcurrencyConflictError(StorageError):
    """The stored version differs from the version the writer expected."""

    def __init__(self, kind: str, record_id: str, expected: int, actual: int | None) -> None:
        self.kind = kind
        self.record_id = record_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{_text(kind)} {_quoted(record_id)}: expected version {shown(expected)}, "
            f"store has {shown(actual)}"
        )


class DuplicateRecordError(ConcurrencyConflictError):
    """A record was created (expected version 0) where one of that kind and id exists."""

    def __init__(self, kind: str, record_id: str, actual: int) -> None:
        self.kind = kind
        self.record_id = record_id
        self.expected = 0
        self.actual = actual
        StorageError.__init__(
            self,
            f"{kind} {_quoted(record_id)} exists already (version {actual}); load it to update",
        )


class UnknownKindError(StorageError, LookupError):
    """No codec (or, in a host's store, no table) serves records of that kind."""

    def __init__(self, kind: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.known = tuple(sorted(known))
        super().__init__(
            f"no codec for records of kind {_quoted(kind)}; known kinds: {_names(self.known)}"
        )


class HistorySequenceError(StorageError, ValueError):
    """New history records do not continue the stored history of their record.

    ``expected`` is the sequence number the next history record must have.
    """

    def __init__(self, kind: str, record_id: str, expected: int, got: int) -> None:
        self.kind = kind
        self.record_id = record_id
        self.expected = expected
        self.got = got
        super().__init__(
            f"{kind} {_quoted(record_id)}: history record {got} does not follow the stored "
            f"history; the next one must be {expected} (history is append-only)"
        )


class CorruptRecordError(StorageError, ValueError):
    """A stored payload is not a document the codec can read (truncated, malformed)."""

    def __init__(self, kind: str, record_id: str, reason: str) -> None:
        self.kind = kind
        self.record_id = record_id
        self.reason = reason
        super().__init__(f"stored {kind} {_quoted(record_id)} cannot be decoded: {reason}")


class UnknownSchemaVersionError(StorageError, UnsupportedVersionError):
    """A stored payload has a schema version the codec cannot read (newer than the code).

    It is the codec's :class:`UnsupportedVersionError` for one stored record, so
    ``except UnsupportedVersionError`` catches a newer version whether it came
    in a document or from a store; ``supported`` is ``latest`` under the storage name.
    """

    def __init__(self, kind: str, record_id: str, version: int, supported: int) -> None:
        message = (
            f"stored {kind} {_quoted(record_id)} has schema version {version}; this codec reads "
            f"versions up to {supported} (upgrade itilkit to read it)"
        )
        InvalidDocumentError.__init__(self, [("schema_version", message)], kind)
        self.record_id = record_id
        self.version = version
        self.latest = self.supported = supported
        self.args = (message,)


class StoreBusyError(StorageError, TimeoutError):
    """The store stayed locked by another writer past its timeout; retrying may succeed."""

    def __init__(self, detail: str, timeout: float | None = None) -> None:
        self.detail = detail
        self.timeout = timeout
        waited = f" after waiting {timeout:g} s" if timeout is not None else ""
        super().__init__(f"the store is busy{waited}: {detail}; retry, or raise the timeout")


class StoreUnavailableError(StorageError, ConnectionError):
    """The store cannot be used: it is closed, gone, unreadable or not a database."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"the store is unavailable: {detail}")


class TestServerError(ItilkitError, RuntimeError):
    """The test kit's throw-away database server could not be created, started or stopped."""


class InteropError(ItilkitError):
    """An export could not be read."""


class ExportReadError(InteropError, OSError):
    """The file cannot be opened or read: missing, unreadable, corrupt or not text."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(f"cannot read {path}: {detail}")


class ExportFormatError(InteropError, InvalidInputError):
    """The file is not the export expected: ``missing`` lists the columns it lacks."""

    def __init__(self, path: str, kind: str, missing: Iterable[str], found: Iterable[str]) -> None:
        self.path = path
        self.kind = kind
        self.missing = tuple(missing)
        self.found = tuple(found)
        super().__init__(
            f"{path} is not a {kind} export: it lacks the column(s) {', '.join(self.missing)}; "
            f"its header has: {', '.join(self.found) or 'nothing'}"
        )


class MalformedRowError(InteropError, InvalidInputError):
    """A row is malformed and the read is strict (``row`` is its line number)."""

    def __init__(self, path: str, row: int, ticket: str | None, reason: str) -> None:
        self.path = path
        self.row = row
        self.ticket = ticket
        self.reason = reason
        where = f"{path}, line {row}" + (f" ({ticket})" if ticket else "")
        super().__init__(f"{where}: {reason}")
