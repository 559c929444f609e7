"""SLA policies as data: targets, their clock conditions, thresholds, escalations.

An :class:`SlaPolicy` is a frozen value checked when built; every problem is
reported at once in one :class:`~itilkit.errors.InvalidPolicyError`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Protocol

import attrs

from itilkit._enums import Vocabulary
from itilkit.errors import (
    InvalidPolicyError,
    InvalidTypeError,
    MissingDurationError,
    UnknownTargetError,
)
from itilkit.sla._calendar import BusinessCalendar
from itilkit.sla._deadlines import Deadline
from itilkit.sla._policy_conditions import Condition
from itilkit.sla._problems import Problems, clipped, shown

__all__ = [
    "ClockReopen",
    "DurationSelector",
    "DurationsByField",
    "Escalation",
    "SlaCalendar",
    "SlaPolicy",
    "SlaTarget",
]

#: The longest target duration or escalation offset: a century of business time.
MAX_SLA_DURATION = timedelta(days=36_525)
_ZERO = timedelta(0)
#: The highest warning threshold, in percent of the target.
MAX_THRESHOLD = 1_000


class SlaCalendar(Protocol):
    """What the SLA engine needs from a business calendar.

    :class:`itilkit.sla.BusinessCalendar` is one; any object with these
    methods, on aware datetimes, will do.
    """

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of business time after ``start``."""
        ...

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """The business time between ``start`` and ``end``."""
        ...

    def is_open(self, at: datetime) -> bool:
        """True when ``at`` is business time."""
        ...

    def next_open(self, at: datetime) -> datetime:
        """The first business instant at or after ``at``."""
        ...


class DurationSelector(Protocol):
    """Chooses a target's duration from the record's current fields."""

    def select(self, fields: Mapping[str, object]) -> timedelta | None:
        """The duration for these field values, or None when none applies."""
        ...


def _pairs(
    value: Mapping[Any, timedelta] | Iterable[tuple[Any, timedelta]],
) -> tuple[tuple[object, timedelta], ...]:
    """A mapping's items, or ``(value, duration)`` pairs as given."""
    if isinstance(value, Mapping):
        return tuple(value.items())
    if isinstance(value, list | tuple) and all(
        isinstance(pair, list | tuple) and len(pair) == 2 for pair in value
    ):
        return tuple((key, duration) for key, duration in value)
    return value  # type: ignore[return-value]  # left for validation to describe


def _check_duration(what: str, value: object, problems: Problems) -> None:
    """A positive timedelta of at most :data:`MAX_SLA_DURATION`."""
    if not isinstance(value, timedelta):
        problems.type(what, "a positive timedelta", value)
    elif value <= timedelta(0):
        problems.value(f"{what} must be positive, got a non-positive duration {value!r}")
    elif value > MAX_SLA_DURATION:
        problems.value(f"{what} {value!r} is longer than allowed, {MAX_SLA_DURATION.days} days")


def _check_name(value: object, problems: Problems) -> None:
    if not isinstance(value, str):
        problems.type("name", "a non-empty string", value)
    elif not value.strip():
        problems.value(f"name must be a non-empty string, got {clipped(value)}")


def _label(name: object) -> str:
    return name if isinstance(name, str) else clipped(name)


@attrs.frozen
class DurationsByField:
    """A duration per value of one field, e.g. per priority; ``default`` otherwise.

    >>> from datetime import timedelta
    >>> by_priority = DurationsByField("priority", {1: timedelta(hours=4)}, timedelta(hours=8))
    >>> by_priority.select({"priority": 1}), by_priority.select({})
    (datetime.timedelta(seconds=14400), datetime.timedelta(seconds=28800))
    """

    field: str
    durations: tuple[tuple[object, timedelta], ...] = attrs.field(converter=_pairs)
    default: timedelta | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems(InvalidPolicyError)
        if not isinstance(self.field, str):
            problems.type("field", "a non-empty string", self.field)
        elif not self.field:
            problems.value("field must be a non-empty string")
        pairs = self.durations
        if not isinstance(pairs, tuple) or not all(
            isinstance(pair, tuple) and len(pair) == 2 for pair in pairs
        ):
            problems.type(
                "durations",
                "a mapping of field values to timedeltas, or (value, timedelta) pairs",
                pairs,
            )
            pairs = ()
        elif not pairs and self.default is None:
            problems.value("give at least one duration or a default")
        for key, duration in pairs:
            _check_duration(f"duration for {clipped(key)}", duration, problems)
        if self.default is not None:
            _check_duration("default", self.default, problems)
        problems.raise_any(f"durations by {_label(self.field)}")

    def select(self, fields: Mapping[str, object]) -> timedelta | None:
        """The duration for the field's current value, else the default.

        Raises:
            InvalidTypeError: ``fields`` is not a mapping.
        """
        if not isinstance(fields, Mapping):
            raise InvalidTypeError("fields", "a mapping", fields)
        value = fields.get(self.field)
        for key, duration in self.durations:
            if key == value:
                return duration
        return self.default


class ClockReopen(Vocabulary):
    """What a stopped clock does when its start condition matches again."""

    #: The same cycle carries on; the stopped time counts as a pause.
    RESUME = "resume"
    #: A new cycle starts with the full target; the old one keeps its result.
    NEW_CYCLE = "new_cycle"


@attrs.frozen
class SlaTarget:
    """One clock of a policy (``"response"``, ``"resolution"``, ...) and when it runs.

    ``duration`` is a fixed business duration or a :class:`DurationSelector`
    read on the record's latest fields (so a priority change re-targets the
    clock from its original start). The conditions are evaluated at each
    instant of the history, in this order: cancel, stop, reset (with start),
    then pause/resume; a clock starts when ``start`` matches and neither
    ``stop`` nor ``cancel`` does. A paused clock resumes when ``pause`` stops
    matching, or as soon as ``resume`` matches.
    """

    name: str
    duration: timedelta | DurationSelector | Deadline
    start: Condition
    stop: Condition
    pause: Condition | None = None
    resume: Condition | None = None
    cancel: Condition | None = None
    reset: Condition | None = None

    def __attrs_post_init__(self) -> None:
        problems = Problems(InvalidPolicyError)
        _check_name(self.name, problems)
        if isinstance(self.duration, timedelta):
            _check_duration("duration", self.duration, problems)
        elif not _is_deadline(self.duration) and not callable(
            getattr(self.duration, "select", None)
        ):
            problems.type(
                "duration",
                "a timedelta, a deadline (such as BusinessDays(3)) or have a select(fields) method",
                self.duration,
            )
        for role in ("start", "stop", "pause", "resume", "cancel", "reset"):
            condition = getattr(self, role)
            optional = role not in ("start", "stop")
            if condition is None and optional:
                continue
            if not callable(getattr(condition, "matches", None)):
                problems.type(role, "a condition with a matches(snapshot) method", condition)
        if self.resume is not None and self.pause is None:
            problems.value("resume is given but pause is not: the clock never pauses")
        problems.raise_any(f"target {_label(self.name)}")

    def duration_for(self, fields: Mapping[str, object]) -> timedelta | Deadline:
        """The target duration (or deadline) for these field values.

        Raises:
            MissingDurationError: the selector has no duration for them.
        """
        if isinstance(self.duration, timedelta) or _is_deadline(self.duration):
            return self.duration  # type: ignore[return-value]  # a deadline, checked above
        chosen = self.duration.select(fields)  # type: ignore[union-attr]  # a selector
        if chosen is None:
            raise MissingDurationError(self.name, self.duration, fields)
        if _is_deadline(chosen):
            return chosen
        if type(chosen) is timedelta and _ZERO < chosen <= MAX_SLA_DURATION:
            return chosen  # the usual answer; anything else is described below
        problems = Problems(InvalidPolicyError)
        _check_duration(f"the duration chosen by {clipped(self.duration)}", chosen, problems)
        problems.raise_any(f"target {self.name}")
        return chosen


@attrs.frozen
class Escalation:
    """An escalation level ``offset`` of business time from the due time.

    A negative offset fires before the due time (``-1h``: one business hour
    of budget left), a positive one after it; either way at most
    :data:`MAX_SLA_DURATION`.
    """

    name: str
    offset: timedelta

    def __attrs_post_init__(self) -> None:
        problems = Problems(InvalidPolicyError)
        _check_name(self.name, problems)
        if not isinstance(self.offset, timedelta):
            problems.type("offset", "a timedelta", self.offset)
        elif abs(self.offset) > MAX_SLA_DURATION:
            problems.value(
                f"offset must be within {MAX_SLA_DURATION.days} days of the due time: "
                f"{self.offset!r}"
            )
        problems.raise_any(f"escalation {_label(self.name)}")


def _items(value: Iterable[object]) -> tuple[object, ...]:
    """The items of an iterable (not text); anything else is left for validation to describe."""
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]
    return tuple(value)


def _targets(value: Iterable[SlaTarget]) -> tuple[SlaTarget, ...]:
    return _items(value)  # type: ignore[return-value]  # item types are checked by validation


def _percents(value: Iterable[float]) -> tuple[float, ...]:
    return _items(value)  # type: ignore[return-value]  # item types are checked by validation


def _escalations(value: Iterable[Escalation]) -> tuple[Escalation, ...]:
    return _items(value)  # type: ignore[return-value]  # item types are checked by validation


def _reopen(value: ClockReopen | str) -> ClockReopen | str:
    choices = {choice.value: choice for choice in ClockReopen}
    return choices.get(value, value) if isinstance(value, str) else value


@attrs.frozen
class SlaPolicy:
    """An SLA policy: named targets measured on one business calendar (24x7 UTC by default).

    ``thresholds`` are percentages of each target's duration (e.g. 50, 75,
    100) whose crossing the status reports; ``escalations`` are levels placed
    relative to each target's due time. ``reopen`` says whether a stopped
    clock that starts again resumes its cycle or begins a new one.
    """

    name: str
    targets: tuple[SlaTarget, ...] = attrs.field(converter=_targets)
    calendar: SlaCalendar = attrs.field(factory=BusinessCalendar.always_open)
    thresholds: tuple[float, ...] = attrs.field(default=(), converter=_percents)
    escalations: tuple[Escalation, ...] = attrs.field(default=(), converter=_escalations)
    reopen: ClockReopen = attrs.field(default=ClockReopen.RESUME, converter=_reopen)

    def __attrs_post_init__(self) -> None:
        problems = Problems(InvalidPolicyError)
        _check_name(self.name, problems)
        for what, items in (("targets", self.targets), ("thresholds", self.thresholds)):
            if not isinstance(items, tuple):
                problems.type(what, "a list", items)
        if not isinstance(self.escalations, tuple):
            problems.type("escalations", "a list", self.escalations)
        self._target_problems(problems)
        self._level_problems(problems)
        if not all(callable(getattr(self.calendar, m, None)) for m in _CALENDAR_METHODS):
            problems.wrong(
                f"calendar must have {', '.join(_CALENDAR_METHODS)} methods, "
                f"got {shown(self.calendar)}"
            )
        if not isinstance(self.reopen, ClockReopen):
            choices = ", ".join(p.value for p in ClockReopen)
            problems.type("reopen", f"a ClockReopen ({choices})", self.reopen)
        problems.raise_any(_label(self.name))

    def target(self, name: str) -> SlaTarget:
        """The target called ``name``.

        Raises:
            UnknownTargetError: the policy has no such target.
            InvalidTypeError: ``name`` is not a string.
        """
        if not isinstance(name, str):
            raise InvalidTypeError("a target name", "a string", name)
        for target in self.targets:
            if target.name == name:
                return target
        raise UnknownTargetError(name, (t.name for t in self.targets))

    def _target_problems(self, problems: Problems) -> None:
        targets = self.targets if isinstance(self.targets, tuple) else ()
        if not targets:
            problems.value("a policy needs at least one target")
        _named(targets, SlaTarget, "target", "an SlaTarget", problems)

    def _level_problems(self, problems: Problems) -> None:
        thresholds = self.thresholds if isinstance(self.thresholds, tuple) else ()
        for p in thresholds:
            if isinstance(p, bool) or not isinstance(p, int | float):
                problems.type("a threshold", "a percentage (int or float)", p)
            elif not (math.isfinite(p) and p > 0):
                problems.value(f"threshold {p!r} must be a finite percentage above 0")
            elif p > MAX_THRESHOLD:
                problems.value(f"threshold {p!r} is above the highest allowed, {MAX_THRESHOLD}")
        numbers = [p for p in thresholds if isinstance(p, int | float)]
        for repeated in _duplicates(numbers):
            problems.value(f"threshold {repeated!r} is listed twice")
        escalations = self.escalations if isinstance(self.escalations, tuple) else ()
        _named(escalations, Escalation, "escalation", "an Escalation(name, offset)", problems)


_CALENDAR_METHODS = ("add", "elapsed", "is_open", "next_open")


def _named(
    items: tuple[object, ...],
    kind: type[SlaTarget | Escalation],
    what: str,
    allowed: str,
    problems: Problems,
) -> None:
    """Every item is a ``kind`` with a name of its own."""
    for item in items:
        if not isinstance(item, kind):
            problems.type(f"a {what}", allowed, item)
    names = [item.name for item in items if isinstance(item, kind)]
    for name in _duplicates(names):
        problems.value(f"{what} name {name!r} is used twice")


def _duplicates(values: Iterable[Hashable]) -> list[object]:
    """Each value given more than once, in the order of its second appearance."""
    seen: set[Hashable] = set()
    repeated: dict[Hashable, None] = {}
    for value in values:
        if value in seen:
            repeated[value] = None
        seen.add(value)
    return list(repeated)


def _is_deadline(value: object) -> bool:
    """A deadline value gives an instant for a start (``BusinessDays(3)``, ...)."""
    return callable(getattr(value, "deadline", None))
