"""Conformance traces from imported records, through a state mapping the caller can change."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from itilkit._repr import shown
from itilkit.conformance import Observation, Trace
from itilkit.errors import InvalidInputError
from itilkit.interop._servicenow import ServiceNowIncident, check_servicenow_incident

__all__ = ["SERVICENOW_STATES", "servicenow_trace"]

#: ServiceNow incident states onto the state names of itilkit's default incident lifecycle.
SERVICENOW_STATES: Mapping[str, str] = MappingProxyType(
    {
        "New": "new",
        "Active": "in_progress",
        "In Progress": "in_progress",
        "On Hold": "on_hold",
        "Awaiting User Info": "on_hold",
        "Awaiting Problem": "on_hold",
        "Awaiting Vendor": "on_hold",
        "Awaiting Evidence": "on_hold",
        "Resolved": "resolved",
        "Closed": "closed",
        "Canceled": "canceled",
    }
)


def servicenow_trace(
    incident: ServiceNowIncident, states: Mapping[str, str] = SERVICENOW_STATES
) -> Trace:
    """The conformance trace of a ServiceNow incident: one observation per update.

    Each update's state is mapped through ``states`` (a state it does not
    map is kept as it is, so conformance reports it as unknown). The trace's
    attributes are the final update's ``priority`` (its label, such as
    ``3 - Moderate``) and ``group`` (assignment group), and the incident's
    ``category`` and ``contact_type``, where set. It is ``truncated`` when
    the first update kept has ``sys_mod_count`` above 0 (the log misses the
    ticket's first updates). Opened and resolved times come from the incident.

    >>> from itilkit.interop import SERVICENOW_STATES
    >>> mine = {**SERVICENOW_STATES, "Awaiting Vendor": "with_vendor"}

    .. versionadded:: 0.2
    """
    if not isinstance(incident, ServiceNowIncident):
        raise InvalidInputError(
            f"incident must be a ServiceNowIncident, got {type(incident).__name__}"
        )
    check_servicenow_incident(incident)
    if not isinstance(states, Mapping):
        raise InvalidInputError(f"states must map ServiceNow states to names, got {shown(states)}")
    final = incident.final
    attributes = {
        "priority": None if final.priority is None else str(final.priority),
        "group": final.assignment_group,
        "category": incident.category,
        "contact_type": incident.contact_type,
    }
    get = states.get
    return Trace(
        incident.number,
        [Observation(get(u.state, u.state), u.at) for u in incident.updates],
        attributes={k: v for k, v in attributes.items() if v is not None},
        opened_at=incident.opened_at,
        resolved_at=incident.resolved_at,
        truncated=incident.updates[0].mod_count > 0,
    )
