"""SLA policies as data: targets, their clock conditions, thresholds, escalations.

An :class:`SlaPolicy` is a frozen value checked when built; every problem is
reported at once in one :class:`~itilkit.errors.InvalidPolicyError`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

import attrs

from itilkit.errors import InvalidPolicyError, MissingDurationError, UnknownTargetError
from itilkit.sla._calendar import BusinessCalendar
from itilkit.sla._deadlines import Deadline
from itilkit.sla._policy_conditions import Condition

__all__ = [
    "ClockReopen",
    "DurationSelector",
    "DurationsByField",
    "Escalation",
    "SlaCalendar",
    "SlaPolicy",
    "SlaTarget",
]


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


def _pairs(value: Mapping[object, timedelta]) -> tuple[tuple[object, timedelta], ...]:
    return tuple(value.items())


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
        problems = []
        if not isinstance(self.field, str) or not self.field:
            problems.append(f"field must be a non-empty string, got {self.field!r}")
        if not self.durations and self.default is None:
            problems.append("give at least one duration or a default")
        for key, duration in (*self.durations, ("default", self.default)):
            if duration is not None and not _is_positive(duration):
                problems.append(f"duration for {key!r} must be a positive timedelta: {duration!r}")
        if problems:
            raise InvalidPolicyError(problems, f"durations by {self.field}")

    def select(self, fields: Mapping[str, object]) -> timedelta | None:
        """The duration for the field's current value, else the default."""
        value = fields.get(self.field)
        for key, duration in self.durations:
            if key == value:
                return duration
        return self.default


class ClockReopen(StrEnum):
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
        problems = []
        if not isinstance(self.name, str) or not self.name:
            problems.append(f"name must be a non-empty string, got {self.name!r}")
        if isinstance(self.duration, timedelta):
            if not _is_positive(self.duration):
                problems.append(f"duration must be positive, got {self.duration!r}")
        elif not _is_deadline(self.duration) and not callable(
            getattr(self.duration, "select", None)
        ):
            problems.append(
                "duration must be a timedelta, a deadline (such as BusinessDays(3)) or "
                f"have a select(fields) method, got {type(self.duration).__name__}"
            )
        for role in ("start", "stop", "pause", "resume", "cancel", "reset"):
            condition = getattr(self, role)
            optional = role not in ("start", "stop")
            if condition is None and optional:
                continue
            if not callable(getattr(condition, "matches", None)):
                problems.append(
                    f"{role} must be a condition with a matches(snapshot) method, "
                    f"got {type(condition).__name__}"
                )
        if self.resume is not None and self.pause is None:
            problems.append("resume is given but pause is not: the clock never pauses")
        if problems:
            raise InvalidPolicyError(problems, f"target {self.name}")

    def duration_for(self, fields: Mapping[str, object]) -> timedelta | Deadline:
        """The target duration (or deadline) for these field values.

        Raises:
            MissingDurationError: the selector has no duration for them.
        """
        if isinstance(self.duration, timedelta) or _is_deadline(self.duration):
            return self.duration  # type: ignore[return-value]  # a deadline, checked above
        chosen = self.duration.select(fields)  # type: ignore[union-attr]  # a selector
        if chosen is None:
            raise MissingDurationError(self.name, self.duration)
        if _is_deadline(chosen):
            return chosen
        if not _is_positive(chosen):
            raise InvalidPolicyError(
                [f"selector {self.duration!r} chose a non-positive duration {chosen!r}"],
                f"target {self.name}",
            )
        return chosen


@attrs.frozen
class Escalation:
    """An escalation level ``offset`` of business time from the due time.

    A negative offset fires before the due time (``-1h``: one business hour
    of budget left), a positive one after it.
    """

    name: str
    offset: timedelta

    def __attrs_post_init__(self) -> None:
        problems = []
        if not isinstance(self.name, str) or not self.name:
            problems.append(f"name must be a non-empty string, got {self.name!r}")
        if not isinstance(self.offset, timedelta):
            problems.append(f"offset must be a timedelta, got {self.offset!r}")
        if problems:
            raise InvalidPolicyError(problems, f"escalation {self.name}")


def _percents(value: Iterable[float]) -> tuple[float, ...]:
    return tuple(value)


def _reopen(value: ClockReopen | str) -> ClockReopen | str:
    try:
        return ClockReopen(value)
    except ValueError:
        return value  # left for validation to describe


def _targets(value: Iterable[SlaTarget]) -> tuple[SlaTarget, ...]:
    return tuple(value)


def _escalations(value: Iterable[Escalation]) -> tuple[Escalation, ...]:
    return tuple(value)


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
        problems = [*self._target_problems(), *self._level_problems()]
        if not all(callable(getattr(self.calendar, m, None)) for m in _CALENDAR_METHODS):
            problems.append(
                f"calendar must have {', '.join(_CALENDAR_METHODS)} methods, "
                f"got {type(self.calendar).__name__}"
            )
        if not isinstance(self.reopen, ClockReopen):
            choices = ", ".join(p.value for p in ClockReopen)
            problems.append(f"reopen must be a ClockReopen ({choices}), got {self.reopen!r}")
        if problems:
            raise InvalidPolicyError(problems, self.name)

    def target(self, name: str) -> SlaTarget:
        """The target called ``name``.

        Raises:
            UnknownTargetError: the policy has no such target.
        """
        for target in self.targets:
            if target.name == name:
                return target
        raise UnknownTargetError(name, (t.name for t in self.targets))

    def _target_problems(self) -> list[str]:
        problems = []
        if not isinstance(self.name, str) or not self.name:
            problems.append(f"name must be a non-empty string, got {self.name!r}")
        if not self.targets:
            problems.append("a policy needs at least one target")
        names = [t.name for t in self.targets if isinstance(t, SlaTarget)]
        problems.extend(
            f"target {type(t).__name__} is not an SlaTarget"
            for t in self.targets
            if not isinstance(t, SlaTarget)
        )
        problems.extend(f"target name {n!r} is used twice" for n in _duplicates(names))
        return problems

    def _level_problems(self) -> list[str]:
        problems = [
            f"threshold {p!r} must be a finite percentage above 0"
            for p in self.thresholds
            if isinstance(p, bool)
            or not isinstance(p, int | float)
            or not math.isfinite(p)
            or p <= 0
        ]
        problems.extend(f"threshold {p!r} is listed twice" for p in _duplicates(self.thresholds))
        problems.extend(
            f"escalation {e!r} must be an Escalation(name, offset)"
            for e in self.escalations
            if not isinstance(e, Escalation)
        )
        names = [e.name for e in self.escalations if isinstance(e, Escalation)]
        problems.extend(f"escalation name {n!r} is used twice" for n in _duplicates(names))
        return problems


_CALENDAR_METHODS = ("add", "elapsed", "is_open", "next_open")


def _duplicates(values: Iterable[object]) -> list[object]:
    seen: list[object] = []
    repeated: list[object] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.append(value)
    return repeated


def _is_deadline(value: object) -> bool:
    """A deadline value gives an instant for a start (``BusinessDays(3)``, ...)."""
    return callable(getattr(value, "deadline", None))


def _is_positive(value: object) -> bool:
    return isinstance(value, timedelta) and value > timedelta(0)
