"""KPI reports over imported exports: what ``itilkit report`` prints, as a value.

:func:`build_report` reads a ServiceNow incident event log or the HP Service
Manager exports once each, :func:`build_ticket_report` takes practice entities
(imported, or loaded from a store), and each gives a :class:`KpiReport`: time to resolve by
priority, reopen rate, first-assignment and first-contact resolution, SLA
compliance by priority, group and month, the backlog over time, change
success and emergency ratio, conformance and data quality. :func:`bulk_sla`
computes the SLA statuses of many tickets in one call, each ticket the
engine refuses reported as an :class:`SlaExclusion` naming it, and
:func:`sla_compliance` counts their outcomes by any attribute. Stands above
:mod:`itilkit.interop`, :mod:`itilkit.metrics`, :mod:`itilkit.sla` and
:mod:`itilkit.conformance`; the ``itilkit`` command renders its reports.
"""

from __future__ import annotations

from itilkit.reports._backlog import BacklogPoint, BacklogSeries
from itilkit.reports._bulk_sla import (
    BulkSla,
    SlaExclusion,
    bulk_sla,
    sla_compliance,
    target_outcome,
)
from itilkit.reports._defaults import (
    DEFAULT_RESOLUTION,
    DEFAULT_RESPONSE,
    default_sla_policy,
    named_lifecycle,
)
from itilkit.reports._records import (
    SERVICENOW_CATEGORIES,
    change_record,
    hpsm_change_outcome,
    hpsm_change_type,
    hpsm_incident_history,
    hpsm_incident_record,
    interaction_record,
    servicenow_history,
    servicenow_record,
)
from itilkit.reports._report import (
    ChangeFigures,
    IncidentFigures,
    InteractionFigures,
    KpiReport,
    SlaFigures,
    build_report,
    build_ticket_report,
    read_data,
)
from itilkit.reports._sniff import ExportKind, detect_export
from itilkit.reports._tickets import (
    ticket_change_record,
    ticket_history,
    ticket_record,
    ticket_trace,
)

__all__ = [
    "BacklogPoint",
    "BacklogSeries",
    "BulkSla",
    "ChangeFigures",
    "DEFAULT_RESOLUTION",
    "DEFAULT_RESPONSE",
    "ExportKind",
    "IncidentFigures",
    "InteractionFigures",
    "KpiReport",
    "SERVICENOW_CATEGORIES",
    "SlaExclusion",
    "SlaFigures",
    "build_report",
    "build_ticket_report",
    "bulk_sla",
    "change_record",
    "default_sla_policy",
    "detect_export",
    "hpsm_change_outcome",
    "hpsm_change_type",
    "hpsm_incident_history",
    "hpsm_incident_record",
    "interaction_record",
    "named_lifecycle",
    "read_data",
    "servicenow_history",
    "servicenow_record",
    "sla_compliance",
    "target_outcome",
    "ticket_change_record",
    "ticket_history",
    "ticket_record",
    "ticket_trace",
]
