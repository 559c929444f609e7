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
    │   └── InvalidDefinitionError             a definition with problems (all listed)
    │       ├── InvalidLifecycleError          lifecycle definition
    │       ├── InvalidCalendarError           business calendar
    │       ├── InvalidPolicyError             SLA policy
    │       ├── InvalidMatrixError             priority or risk matrix
    │       └── InvalidGraphError              CMDB relationship graph
    ├── LifecycleError                         a transition could not fire
    │   ├── UnknownTransitionError (LookupError)
    │   ├── UnknownStateError (LookupError)
    │   ├── TransitionNotAllowedError          not allowed from the current state
    │   ├── GuardRefusedError                  a guard said no
    │   └── MissingFieldsError                 fields required on entering the target
    ├── PracticeError                          an ITIL rule on an entity was broken
    │   └── PolicyViolationError               e.g. reopen after the reopen window
    ├── CalendarError                          business-time arithmetic impossible
    │   └── NoBusinessTimeError                the calendar never opens again
    ├── SlaError                               SLA status cannot be computed
    │   ├── HistoryOrderError                  history events out of order
    │   ├── MissingDurationError               no target duration for the record's fields
    │   └── UnknownTargetError (LookupError)   no target of that name in the policy
    ├── MetricsError                           a measure cannot be computed
    └── StorageError                           a store failed
        ├── RecordNotFoundError (LookupError)
        └── ConcurrencyConflictError           expected version did not match

Every error carries its data as attributes as well as in its message, and
building one never fails, whatever values it is given (they are quoted
briefly: long or deep values are cut short).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from itilkit._repr import shown

__all__ = [
    "CalendarError",
    "ConcurrencyConflictError",
    "GuardRefusedError",
    "HistoryOrderError",
    "InvalidCalendarError",
    "InvalidDefinitionError",
    "InvalidGraphError",
    "InvalidInputError",
    "InvalidIntervalError",
    "InvalidLifecycleError",
    "InvalidMatrixError",
    "InvalidPolicyError",
    "InvalidTypeError",
    "ItilkitError",
    "LifecycleError",
    "MetricsError",
    "MissingDurationError",
    "MissingFieldsError",
    "NaiveDatetimeError",
    "NoBusinessTimeError",
    "OutOfRangeError",
    "PolicyViolationError",
    "PracticeError",
    "RecordNotFoundError",
    "SlaError",
    "StorageError",
    "TransitionNotAllowedError",
    "UnknownStateError",
    "UnknownTargetError",
    "UnknownTransitionError",
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


class ItilkitError(Exception):
    """Root of every error raised by itilkit."""

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
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid {label}: {len(self.problems)} problem(s)\n{lines}")


class InvalidLifecycleError(InvalidDefinitionError):
    """A lifecycle definition is inconsistent."""

    kind = "lifecycle"


class InvalidCalendarError(InvalidDefinitionError):
    """A business calendar is inconsistent."""

    kind = "calendar"


class InvalidPolicyError(InvalidDefinitionError):
    """An SLA policy is inconsistent."""

    kind = "SLA policy"


class InvalidMatrixError(InvalidDefinitionError):
    """A priority or risk matrix is inconsistent."""

    kind = "matrix"


class InvalidGraphError(InvalidDefinitionError):
    """A CMDB relationship graph is inconsistent (dangling ends, self-loops, duplicates)."""

    kind = "CMDB graph"


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


class CalendarError(ItilkitError):
    """Business-time arithmetic cannot be done on this calendar."""


class NoBusinessTimeError(CalendarError):
    """The calendar has no business time in the direction asked."""

    def __init__(self, at: datetime, direction: str = "after") -> None:
        self.at = at
        self.direction = direction
        super().__init__(f"the calendar has no business time {_text(direction)} {_when(at)}")


class SlaError(ItilkitError):
    """An SLA status cannot be computed from the input."""


class HistoryOrderError(SlaError, InvalidInputError):
    """History events are not in time order."""

    def __init__(self, index: int, previous: datetime, current: datetime) -> None:
        self.index = index
        self.previous = previous
        self.current = current
        super().__init__(
            f"history event {shown(index)} at {_when(current)} is earlier than the event before it "
            f"at {_when(previous)}; events must be in time order"
        )


class MissingDurationError(SlaError):
    """The policy's duration selector gives no duration for the record's fields."""

    def __init__(self, target: str, selector: object) -> None:
        self.target = target
        self.selector = selector
        super().__init__(
            f"SLA target {_quoted(target)} has no duration for the record's current fields "
            f"(selector {shown(selector)}); set the field or give the selector a default"
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
