"""Readers for real ITSM exports: ServiceNow's incident event log and HP Service Manager.

Each reader streams its file into typed, per-ticket records (aware datetimes,
parsed labels, ordered updates) and keeps a :class:`ReadReport` of every row it
could not read, with the row's line number and the reason. The importers
replay those records into practice entities (:class:`~itilkit.practices.Incident`,
:class:`~itilkit.practices.Change`)
and report the records a practice refuses the same way.
"""

from __future__ import annotations

from itilkit.interop._changes import (
    HPSM_CHANGE,
    HpsmChangeMapping,
    hpsm_change_entity,
    hpsm_change_outcome,
    hpsm_change_type,
    import_hpsm_changes,
)
from itilkit.interop._entities import (
    HPSM_INCIDENT,
    SERVICENOW_HOLD_REASONS,
    SERVICENOW_INCIDENT,
    Imported,
    ImportReport,
    ServiceNowMapping,
    TicketRefusedError,
    hpsm_incident_entity,
    import_hpsm_incidents,
    import_servicenow_incidents,
    servicenow_incident_entity,
)
from itilkit.interop._hpsm import (
    MULTIVALUE,
    CiReference,
    HpsmChange,
    HpsmIncident,
    HpsmInteraction,
    Reference,
    read_hpsm_changes,
    read_hpsm_incidents,
    read_hpsm_interactions,
)
from itilkit.interop._links import HpsmLinks, LinkCount, link_hpsm
from itilkit.interop._servicenow import (
    SERVICENOW_INCIDENT_STATES,
    ServiceNowIncident,
    ServiceNowUpdate,
    read_servicenow_incidents,
)
from itilkit.interop._source import ProblemKind, Reading, ReadProgress, ReadReport, RowProblem
from itilkit.interop._traces import SERVICENOW_STATES, servicenow_trace
from itilkit.interop._values import Label

__all__ = [
    "CiReference",
    "HPSM_CHANGE",
    "HPSM_INCIDENT",
    "HpsmChange",
    "HpsmChangeMapping",
    "HpsmIncident",
    "HpsmInteraction",
    "HpsmLinks",
    "ImportReport",
    "Imported",
    "Label",
    "LinkCount",
    "MULTIVALUE",
    "ProblemKind",
    "ReadProgress",
    "ReadReport",
    "Reading",
    "Reference",
    "RowProblem",
    "SERVICENOW_HOLD_REASONS",
    "SERVICENOW_INCIDENT",
    "SERVICENOW_INCIDENT_STATES",
    "SERVICENOW_STATES",
    "ServiceNowIncident",
    "ServiceNowMapping",
    "ServiceNowUpdate",
    "TicketRefusedError",
    "hpsm_change_entity",
    "hpsm_change_outcome",
    "hpsm_change_type",
    "hpsm_incident_entity",
    "import_hpsm_changes",
    "import_hpsm_incidents",
    "import_servicenow_incidents",
    "link_hpsm",
    "read_hpsm_changes",
    "read_hpsm_incidents",
    "read_hpsm_interactions",
    "read_servicenow_incidents",
    "servicenow_incident_entity",
    "servicenow_trace",
]
