"""Imported records as what the measures, the SLA engine and conformance read.

Each ticket of an export gives a KPI record (a dict of the logical fields of
:mod:`itilkit.metrics` and the attributes a report breaks down by) and, for
incidents, an SLA history of :class:`~itilkit.sla.StateChange` and
:class:`~itilkit.sla.FieldUpdate` events.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from itilkit.categories import StateCategory
from itilkit.interop import (
    SERVICENOW_STATES,
    HpsmChange,
    HpsmIncident,
    HpsmInteraction,
    ServiceNowIncident,
    hpsm_change_outcome,
    hpsm_change_type,
)
from itilkit.reports._data import expect
from itilkit.sla import FieldUpdate, HistoryEvent, StateChange

__all__ = [
    "SERVICENOW_CATEGORIES",
    "change_record",
    "hpsm_change_outcome",
    "hpsm_change_type",
    "hpsm_incident_history",
    "hpsm_incident_record",
    "interaction_record",
    "servicenow_history",
    "servicenow_record",
]

_NEW, _ACTIVE, _PAUSED = StateCategory.NEW, StateCategory.ACTIVE, StateCategory.PAUSED
#: The category of each ServiceNow incident state, as the default incident lifecycle has
#: the state :data:`~itilkit.interop.SERVICENOW_STATES` maps it to.
SERVICENOW_CATEGORIES: Mapping[str, StateCategory] = MappingProxyType(
    {
        "New": _NEW,
        "Active": _ACTIVE,
        "In Progress": _ACTIVE,
        "On Hold": _PAUSED,
        "Awaiting User Info": _PAUSED,
        "Awaiting Problem": _PAUSED,
        "Awaiting Vendor": _PAUSED,
        "Awaiting Evidence": _PAUSED,
        "Resolved": StateCategory.RESOLVED,
        "Closed": StateCategory.CLOSED,
        "Canceled": StateCategory.CANCELED,
    }
)


def servicenow_record(incident: ServiceNowIncident) -> dict[str, Any]:
    """The KPI record of a ServiceNow incident, from its final update.

    ``opened_at`` is the export's (the first update's time where it has
    none); ``priority`` the final priority's label (``3 - Moderate``);
    ``group`` the final assignment group; ``category`` the final state's.
    """
    expect(incident, ServiceNowIncident, "incident")
    final = incident.final
    return {
        "id": incident.number,
        "opened_at": incident.opened_at or incident.updates[0].at,
        "resolved_at": incident.resolved_at,
        "closed_at": incident.closed_at,
        "category": SERVICENOW_CATEGORIES.get(final.state),
        "reopen_count": final.reopen_count,
        "reassignment_count": final.reassignment_count,
        "priority": None if final.priority is None else str(final.priority),
        "group": final.assignment_group,
        "made_sla": final.made_sla,
    }


def servicenow_history(
    incident: ServiceNowIncident, states: Mapping[str, str] = SERVICENOW_STATES
) -> list[HistoryEvent]:
    """The SLA history of a ServiceNow incident: its state changes (named through
    ``states``, with the state's category) and the changes of ``priority`` (the
    priority's number) and ``group`` (the assignment group), update by update.

    The first events are at the incident's ``opened_at`` when it precedes the
    first update the log holds.
    """
    expect(incident, ServiceNowIncident, "incident")
    expect(states, Mapping, "states")
    updates = incident.updates
    start = updates[0].at
    if incident.opened_at is not None and incident.opened_at < start:
        start = incident.opened_at
    events: list[HistoryEvent] = []
    state: str | None = None
    priority: object = _UNSET
    group: object = _UNSET
    for index, update in enumerate(updates):
        at = start if index == 0 else update.at
        if update.state != state:
            state = update.state
            name = states.get(state, state)
            events.append(StateChange(at, name, SERVICENOW_CATEGORIES.get(state, _ACTIVE)))
        code = None if update.priority is None else update.priority.code
        if code != priority:
            priority = code
            events.append(FieldUpdate(at, "priority", code))
        if update.assignment_group != group:
            group = update.assignment_group
            events.append(FieldUpdate(at, "group", group))
    return events


_UNSET = object()


def hpsm_incident_record(incident: HpsmIncident) -> dict[str, Any]:
    """The KPI record of an HP SM incident.

    The export keeps one ``Reopen Time``, so ``reopen_count`` is 1 when it is
    set and 0 otherwise; ``priority`` is the priority's number as text; the
    export has no assignment group (``group`` is None).
    """
    expect(incident, HpsmIncident, "incident")
    return {
        "id": incident.id,
        "opened_at": incident.opened_at,
        "resolved_at": incident.resolved_at,
        "closed_at": incident.closed_at,
        "category": None,
        "reopen_count": 0 if incident.reopened_at is None else 1,
        "reassignment_count": incident.reassignments,
        "priority": None if incident.priority is None else str(incident.priority),
        "group": None,
        "type": incident.category,
    }


def hpsm_incident_history(incident: HpsmIncident) -> list[HistoryEvent]:
    """The SLA history an HP SM incident export allows: opened (with its priority),
    resolved, closed. The export holds no state changes in between, so nothing
    pauses a clock."""
    expect(incident, HpsmIncident, "incident")
    opened = incident.opened_at
    events: list[HistoryEvent] = [
        StateChange(opened, "open", _NEW),
        FieldUpdate(opened, "priority", incident.priority),
    ]
    if incident.resolved_at is not None:
        events.append(StateChange(incident.resolved_at, "resolved", StateCategory.RESOLVED))
    if incident.closed_at is not None:
        events.append(StateChange(incident.closed_at, "closed", StateCategory.CLOSED))
    return events


def interaction_record(interaction: HpsmInteraction) -> dict[str, Any]:
    """The KPI record of an HP SM interaction: its first-call-resolution flag."""
    expect(interaction, HpsmInteraction, "interaction")
    return {
        "id": interaction.id,
        "opened_at": interaction.opened_at,
        "closed_at": interaction.closed_at,
        "category": None,
        "first_contact_resolved": interaction.first_call_resolution,
        "priority": None if interaction.priority is None else str(interaction.priority),
        "type": interaction.category,
    }


def change_record(change: HpsmChange) -> dict[str, Any]:
    """The KPI record of an HP SM change: derived outcome and type, risk assessment."""
    expect(change, HpsmChange, "change")
    return {
        "id": change.id,
        "opened_at": change.opened_at,
        "closed_at": change.closed_at,
        "category": None,
        "outcome": hpsm_change_outcome(change),
        "change_type": hpsm_change_type(change),
        "risk": change.risk_assessment,
    }
