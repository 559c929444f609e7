"""From a ticket's audit history to the SLA engine, and from SLA statuses to outcomes.

:mod:`itilkit.sla` knows nothing of tickets; this module reads an entity's
opening, its transition records (with their state categories) and the changes
they made, and yields the ``StateChange`` and ``FieldUpdate`` events that
:func:`itilkit.sla.sla_status` reads. It also checks a practice's SLA policy
against its priority matrix, and turns statuses into the outcome records
:class:`~itilkit.metrics.SlaCompliance` counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any, Protocol

import attrs

from itilkit._repr import shown
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.lifecycle import TransitionRecord
from itilkit.outcomes import SlaOutcome
from itilkit.practices._priority import Priority, PriorityMatrix
from itilkit.practices._values import Assignment
from itilkit.sla import (
    DurationsByField,
    FieldUpdate,
    HistoryEvent,
    InCategory,
    SlaCalendar,
    SlaPolicy,
    SlaStatus,
    SlaTarget,
    StateChange,
    TargetStatus,
)

__all__ = [
    "DEFAULT_SLA_FIELDS",
    "incident_sla_policy",
    "priority_keyed",
    "sla_history",
    "sla_outcomes",
    "target_outcome",
]

#: The fields :func:`sla_history` reports unless told otherwise: what SLA
#: targets are usually chosen by (priority) or scoped to (the assignment, for OLAs).
DEFAULT_SLA_FIELDS = ("priority", "assignment_group", "assignee")


class SlaSource(Protocol):
    """A ticket whose history can drive SLA clocks."""

    @property
    def state(self) -> str: ...

    @property
    def category(self) -> StateCategory: ...

    @property
    def history(self) -> tuple[TransitionRecord, ...]: ...

    @property
    def opened_at(self) -> datetime: ...


class SlaSubject(Protocol):
    """A ticket that can compute its own SLA status (an itilkit entity)."""

    @property
    def id(self) -> str: ...

    @property
    def category(self) -> StateCategory: ...

    def sla_status(self, now: datetime) -> SlaStatus: ...


def _assignment_part(part: str) -> tuple[str, Callable[[Any], object]]:
    def read(assignment: object) -> object:
        return getattr(assignment, part) if isinstance(assignment, Assignment) else None

    return "assignment", read


#: Reported names that are read from another field of the entity.
_DERIVED: Mapping[str, tuple[str, Callable[[Any], object]]] = {
    "assignment_group": _assignment_part("group"),
    "assignee": _assignment_part("assignee"),
}


def _source(name: str) -> tuple[str, Callable[[Any], object]]:
    return _DERIVED.get(name, (name, lambda value: value))


def field_names(value: object, name: str) -> tuple[str, ...]:
    """One field name or a collection of them (strings), in order; else a typed error."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, bytes | bytearray) or not isinstance(value, Iterable):
        raise InvalidTypeError(name, "field names (strings)", value)
    names = tuple(value)
    for item in names:
        if not isinstance(item, str):
            raise InvalidTypeError(name, "field names (strings)", item)
    return names


def _source_problem(ticket: object) -> str | None:
    for attribute in ("state", "category", "history", "opened_at"):
        if not hasattr(ticket, attribute):
            return f"has no {attribute}"
    history = ticket.history  # type: ignore[attr-defined]
    if not isinstance(history, tuple) or not all(isinstance(r, TransitionRecord) for r in history):
        return "has a history that is not a tuple of TransitionRecord"
    if not isinstance(ticket.category, StateCategory):  # type: ignore[attr-defined]
        return "has a category that is not a StateCategory"
    return None


def sla_history(
    ticket: SlaSource, fields: Iterable[str] = DEFAULT_SLA_FIELDS
) -> tuple[HistoryEvent, ...]:
    """The SLA history of ``ticket``: its opening, every state change and the ``fields``' changes.

    At ``opened_at`` it reports the initial state and each field's value at
    opening (recovered from the first record that changed it); then, per
    transition record, the fields it changed and the state it entered (a
    self-loop such as ``assign`` reports fields only). Values are reported as
    the entity holds them (a priority as its :class:`Priority`, the same value
    the metrics group by); ``assignment_group`` and ``assignee`` are read from
    the assignment.

    Raises:
        InvalidInputError: a field the entity does not have, or a record
            without state categories (one not made by firing a lifecycle).
    """
    problem = _source_problem(ticket)
    if problem is not None:
        raise InvalidTypeError("ticket", f"an itilkit entity (this one {problem})", ticket)
    names = field_names(fields, "fields")
    sources = {name: _source(name) for name in names}
    for name, (attribute, _read) in sources.items():
        if not hasattr(ticket, attribute):
            raise InvalidInputError(f"{type(ticket).__name__} has no field {shown(name)} to report")
    first = ticket.history[0] if ticket.history else None
    state = first.source if first else ticket.state
    category = first.source_category if first and first.source_category else ticket.category
    events: list[HistoryEvent] = [StateChange(ticket.opened_at, state, category)]
    for name, (attribute, read) in sources.items():
        change = next((c for r in ticket.history if (c := r.changed(attribute))), None)
        initial = change.old if change else getattr(ticket, attribute)
        events.append(FieldUpdate(ticket.opened_at, name, read(initial)))
    for index, record in enumerate(ticket.history):
        if record.target_category is None:
            raise InvalidInputError(
                f"history record {index} ({shown(record.transition)}) has no state categories; "
                "records made by firing a lifecycle carry them"
            )
        for name, (attribute, read) in sources.items():
            change = record.changed(attribute)
            if change is not None and read(change.old) != read(change.new):
                events.append(FieldUpdate(record.at, name, read(change.new)))
        if record.target != record.source:
            events.append(StateChange(record.at, record.target, record.target_category))
    return tuple(events)


def incident_sla_policy(
    calendar: SlaCalendar,
    response: Mapping[Any, timedelta],
    resolution: Mapping[Any, timedelta],
    *,
    name: str = "incident",
    thresholds: Iterable[float] = (50, 75, 100),
) -> SlaPolicy:
    """The reference incident SLA (section 3.1 of the lifecycle survey), by priority.

    * ``response``: starts when the ticket is logged, stops when it leaves the
      new category (work started or resolved), never pauses.
    * ``resolution``: starts when logged, pauses while in a paused category
      (on hold), stops when resolved or closed and resumes the same clock on
      reopen.
    * both are canceled when the ticket is canceled.

    Durations are business time on ``calendar``, keyed by priority: labels
    (``"critical"``), level numbers or :class:`Priority` values. A practice
    holding the policy checks the keys against its matrix (every priority
    covered, a higher priority never given longer) and stores them as its
    ``Priority`` values; a priority change re-targets the clocks from the
    original start, keeping the time already paused.
    """
    for what, durations in (("response", response), ("resolution", resolution)):
        if not isinstance(durations, Mapping):
            raise InvalidTypeError(what, "a mapping of priorities to timedelta", durations)
    if isinstance(thresholds, str | bytes | bytearray) or not isinstance(thresholds, Iterable):
        raise InvalidTypeError("thresholds", "a collection of percentages", thresholds)
    started = InCategory(["new", "active", "paused"])
    canceled = InCategory("canceled")
    targets = [
        SlaTarget(
            "response",
            DurationsByField("priority", dict(response)),
            start=started,
            stop=~InCategory("new"),
            cancel=canceled,
        ),
        SlaTarget(
            "resolution",
            DurationsByField("priority", dict(resolution)),
            start=started,
            stop=InCategory(["resolved", "closed"]),
            pause=InCategory("paused"),
            cancel=canceled,
        ),
    ]
    return SlaPolicy(name, targets, calendar, thresholds=list(thresholds))


def priority_keyed(
    policy: SlaPolicy, matrix: PriorityMatrix | None, fields: Iterable[str]
) -> tuple[SlaPolicy, list[str]]:
    """``policy`` with durations keyed by priority re-keyed to ``matrix``'s values, and problems.

    Each key (label, level number or Priority) must be a priority of the
    matrix; every priority needs a duration (or the selector a default); a
    higher-ranked priority may not get a longer duration than a lower one
    (the matrix says which end is the highest). Every field a selector reads
    must be among the reported ``fields``.
    """
    reported = set(fields)
    problems: list[str] = []
    targets: list[SlaTarget] = []
    for target in policy.targets:
        selector = target.duration
        if isinstance(selector, DurationsByField):
            if selector.field not in reported:
                problems.append(
                    f"SLA target {shown(target.name)} chooses its duration by "
                    f"{shown(selector.field)}, "
                    f"which the practice's sla_fields do not report: {', '.join(sorted(reported))}"
                )
            if selector.field == "priority":
                if matrix is None:
                    problems.append(
                        f"SLA target {shown(target.name)} is keyed by priority, "
                        "but the practice has no priority matrix"
                    )
                else:
                    keyed, found = _by_priority(target.name, selector, matrix)
                    problems.extend(found)
                    target = attrs.evolve(target, duration=keyed)
        targets.append(target)
    return (policy if problems else attrs.evolve(policy, targets=targets)), problems


def _by_priority(
    target: str, selector: DurationsByField, matrix: PriorityMatrix
) -> tuple[DurationsByField, list[str]]:
    scale = matrix.table.result
    problems: list[str] = []
    durations: dict[Priority, timedelta] = {}
    for key, duration in selector.durations:
        try:
            priority = matrix.parse_priority(key)  # type: ignore[arg-type]
        except InvalidInputError:
            problems.append(
                f"SLA target {shown(target)}: {shown(key)} is not a priority of {matrix.name}; "
                f"{scale.describe()}"
            )
            continue
        if priority in durations:
            problems.append(
                f"SLA target {shown(target)} gives priority {_named(matrix, priority)} twice"
            )
        durations[priority] = duration
    missing = [Priority(n) for n in scale.levels if Priority(n) not in durations]
    if missing and selector.default is None:
        problems.append(
            f"SLA target {shown(target)} has no duration for priority "
            f"{', '.join(_named(matrix, p) for p in missing)} and no default"
        )
    ranked = sorted(durations.items(), key=lambda item: matrix.rank(item[0]))
    for (lower, short), (higher, long) in pairwise(ranked):
        if long > short:
            problems.append(
                f"SLA target {shown(target)} gives priority {_named(matrix, higher)} {long} "
                f"but the "
                f"lower priority {_named(matrix, lower)} only {short}; on {matrix.name} "
                f"{scale.describe()}"
            )
    if problems:
        return selector, problems
    levels = sorted(durations, key=lambda p: p.level)
    ordered: dict[object, timedelta] = {p: durations[p] for p in levels}
    return DurationsByField(selector.field, ordered, selector.default), problems


def _named(matrix: PriorityMatrix, priority: Priority) -> str:
    return f"{priority.level} ({matrix.label(priority)})"


def target_outcome(status: TargetStatus) -> SlaOutcome | None:
    """One target's outcome over its cycles, or None if its clock never started.

    Breached if any cycle breached, else in progress if one still runs, else
    met if one was met, else canceled.
    """
    if not isinstance(status, TargetStatus):
        raise InvalidTypeError("status", "a TargetStatus (one of SlaStatus.targets)", status)
    outcomes = {cycle.outcome for cycle in status.cycles}
    if not outcomes:
        return None
    for outcome in (SlaOutcome.BREACHED, SlaOutcome.IN_PROGRESS, SlaOutcome.MET):
        if outcome in outcomes:
            return outcome
    return SlaOutcome.CANCELED


def sla_outcomes(tickets: Iterable[SlaSubject], now: datetime) -> list[dict[str, object]]:
    """One record per ticket: ``id``, ``category`` and each SLA target's outcome at ``now``.

    The records are what :class:`~itilkit.metrics.SlaCompliance` reads, keyed
    by target name: ``SlaCompliance(targets=["response", "resolution"])(
    sla_outcomes(incidents, now))``.
    """
    if isinstance(tickets, str | bytes | bytearray) or not isinstance(tickets, Iterable):
        raise InvalidTypeError("tickets", "a collection of entities", tickets)
    records: list[dict[str, object]] = []
    for ticket in tickets:
        if not callable(getattr(ticket, "sla_status", None)) or not isinstance(
            getattr(ticket, "category", None), StateCategory
        ):
            raise InvalidTypeError("tickets", "itilkit entities (with sla_status)", ticket)
        status = ticket.sla_status(now)
        record: dict[str, object] = {"id": ticket.id, "category": ticket.category}
        record.update((t.name, target_outcome(t)) for t in status.targets)
        records.append(record)
    return records
