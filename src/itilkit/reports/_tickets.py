"""Practice entities as what the measures, the SLA engine and conformance read.

The records of tickets made with a practice (imported, or loaded from a
store): an incident's KPI record and SLA history, its conformance trace, and
a change's KPI record, in the same logical fields as the exports' records
(:mod:`itilkit.reports._records`), so one report reads either.
"""

from __future__ import annotations

from typing import Any

from itilkit.conformance import Observation, Trace
from itilkit.practices import Change, Incident, Ticket, sla_history
from itilkit.reports._data import expect
from itilkit.sla import FieldUpdate, HistoryEvent

__all__ = ["ticket_change_record", "ticket_history", "ticket_record", "ticket_trace"]


def _priority(incident: Incident) -> str:
    """``3 - moderate``: the level and its label on the practice's matrix."""
    return f"{incident.priority.level} - {incident.matrix.label(incident.priority)}"


def ticket_record(incident: Incident) -> dict[str, Any]:
    """The KPI record of an incident: its own fields; ``priority`` as ``level - label``,
    ``group`` its assignment group.

    .. versionadded:: 0.2
    """
    expect(incident, Incident, "incident")
    assignment = incident.assignment
    return {
        "id": incident.id,
        "opened_at": incident.opened_at,
        "resolved_at": incident.resolved_at,
        "closed_at": incident.closed_at,
        "category": incident.category,
        "reopen_count": incident.reopen_count,
        "reassignment_count": incident.reassignment_count,
        "priority": _priority(incident),
        "group": None if assignment is None else assignment.group,
    }


def ticket_history(incident: Incident) -> list[HistoryEvent]:
    """The SLA history of an incident, its priority reported as the level's number (what the
    report's policy, keyed by priority numbers, reads).

    .. versionadded:: 0.2
    """
    expect(incident, Incident, "incident")
    events: list[HistoryEvent] = []
    for event in sla_history(incident, ("priority",)):
        if isinstance(event, FieldUpdate):
            event = FieldUpdate(event.at, event.field, getattr(event.value, "level", event.value))
        events.append(event)
    return events


def ticket_trace(ticket: Ticket) -> Trace:
    """The conformance trace of a ticket: its initial state when opened, then each state
    its history entered (self-loops, such as assignments, leave no observation).

    .. versionadded:: 0.2
    """
    expect(ticket, Ticket, "ticket")
    first = ticket.history[0].source if ticket.history else ticket.state
    observations = [Observation(first, ticket.opened_at)]
    observations.extend(Observation(r.target, r.at) for r in ticket.history if r.target != r.source)
    attributes: dict[str, str] = {}
    if isinstance(ticket, Incident):
        attributes["priority"] = _priority(ticket)
        if ticket.assignment is not None and ticket.assignment.group is not None:
            attributes["group"] = ticket.assignment.group
    resolved = getattr(ticket, "resolved_at", None)
    return Trace(
        ticket.id,
        observations,
        attributes=attributes,
        opened_at=ticket.opened_at,
        resolved_at=resolved,
    )


def ticket_change_record(change: Change) -> dict[str, Any]:
    """The KPI record of a change: its outcome, type and risk.

    .. versionadded:: 0.2
    """
    expect(change, Change, "change")
    return {
        "id": change.id,
        "opened_at": change.opened_at,
        "closed_at": change.closed_at,
        "category": change.category,
        "outcome": change.outcome,
        "change_type": change.change_type.value,
        "risk": None if change.risk is None else change.risk.risk,
    }
