"""From a ticket's audit history to the SLA engine's history, and a default incident policy.

:mod:`itilkit.sla` knows nothing of tickets; this module reads an entity's
opening, its transition records (with their state categories) and the changes
they made, and yields the ``StateChange`` and ``FieldUpdate`` events that
:func:`itilkit.sla.sla_status` reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from itilkit.errors import InvalidInputError
from itilkit.practices._common import Assignment, Ticket
from itilkit.sla import (
    DurationsByField,
    FieldUpdate,
    HistoryEvent,
    InCategory,
    SlaCalendar,
    SlaPolicy,
    SlaTarget,
    StateChange,
)

__all__ = ["DEFAULT_SLA_FIELDS", "incident_sla_policy", "sla_history"]

#: The fields :func:`sla_history` reports unless told otherwise: what SLA
#: targets are usually chosen by (priority) or scoped to (the assignment, for OLAs).
DEFAULT_SLA_FIELDS = ("priority", "assignment_group", "assignee")


class SlaSource(Ticket, Protocol):
    """A ticket whose history can drive SLA clocks: it also knows when it was opened."""

    @property
    def opened_at(self) -> datetime: ...


def _assignment_part(part: str) -> tuple[str, Callable[[Any], object]]:
    def read(assignment: object) -> object:
        return getattr(assignment, part) if isinstance(assignment, Assignment) else None

    return "assignment", read


#: Reported names that are read from another field of the entity.
_DERIVED: Mapping[str, tuple[str, Callable[[Any], object]]] = {
    "assignment_group": _assignment_part("group"),
    "assignee": _assignment_part("assignee"),
}


def _plain(value: object) -> object:
    """Levels and enums as plain values, so policies compare against 1, 2, "network"..."""
    level = getattr(value, "level", None)
    if isinstance(level, int):
        return level
    if isinstance(value, Enum):
        return value.value
    return value


def _source(name: str) -> tuple[str, Callable[[Any], object]]:
    return _DERIVED.get(name, (name, lambda value: value))


def sla_history(
    ticket: SlaSource, fields: Iterable[str] = DEFAULT_SLA_FIELDS
) -> tuple[HistoryEvent, ...]:
    """The SLA history of ``ticket``: its opening, every state change and the ``fields``' changes.

    At ``opened_at`` it reports the initial state and each field's value at
    opening (recovered from the first record that changed it); then, per
    transition record, the fields it changed and the state it entered (a
    self-loop such as ``assign`` reports fields only). Priorities and other
    levels are reported as their number, enums as their value, and
    ``assignment_group``/``assignee`` are read from the assignment.

    Raises:
        InvalidInputError: a field the entity does not have, or a record
            without state categories (one not made by firing a lifecycle).
    """
    names = tuple(fields)
    sources = {name: _source(name) for name in names}
    for name, (attribute, _read) in sources.items():
        if not hasattr(ticket, attribute):
            raise InvalidInputError(f"{type(ticket).__name__} has no field {name!r} to report")
    first = ticket.history[0] if ticket.history else None
    state = first.source if first else ticket.state
    category = first.source_category if first and first.source_category else ticket.category
    events: list[HistoryEvent] = [StateChange(ticket.opened_at, state, category)]
    for name, (attribute, read) in sources.items():
        change = next((c for r in ticket.history if (c := r.changed(attribute))), None)
        initial = change.old if change else getattr(ticket, attribute)
        events.append(FieldUpdate(ticket.opened_at, name, _plain(read(initial))))
    for index, record in enumerate(ticket.history):
        if record.target_category is None:
            raise InvalidInputError(
                f"history record {index} ({record.transition!r}) has no state categories; "
                "records made by firing a lifecycle carry them"
            )
        for name, (attribute, read) in sources.items():
            change = record.changed(attribute)
            if change is not None and read(change.old) != read(change.new):
                events.append(FieldUpdate(record.at, name, _plain(read(change.new))))
        if record.target != record.source:
            events.append(StateChange(record.at, record.target, record.target_category))
    return tuple(events)


def incident_sla_policy(
    calendar: SlaCalendar,
    response: Mapping[object, timedelta],
    resolution: Mapping[object, timedelta],
    *,
    name: str = "incident",
    thresholds: Iterable[float] = (50, 75, 100),
) -> SlaPolicy:
    """The reference incident SLA (section 3.1 of the lifecycle survey), by priority level.

    * ``response``: starts when the ticket is logged, stops when it leaves the
      new category (work started or resolved), never pauses.
    * ``resolution``: starts when logged, pauses while in a paused category
      (on hold), stops when resolved or closed and resumes the same clock on
      reopen.
    * both are canceled when the ticket is canceled.

    Durations are business time on ``calendar``, chosen by the ``priority``
    level that :func:`sla_history` reports; a priority change re-targets the
    clocks from the original start, keeping the time already paused.
    """
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
