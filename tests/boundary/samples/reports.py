"""Samples of itilkit.reports: the reports of a small ServiceNow log, of HP SM exports and
of tickets, and an SLA run over a ServiceNow incident's history.

The export files are the report tests' own (``tests/reports/files.py``), written
once into a temporary folder. Every figure value is a part of one report (made
once: reports are frozen values); the constructor arguments of each class are
the fields of that part.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from itilkit.reports import (
    BacklogPoint,
    BacklogSeries,
    BulkSla,
    ChangeFigures,
    IncidentFigures,
    InteractionFigures,
    KpiReport,
    SlaExclusion,
    SlaFigures,
    build_report,
    bulk_sla,
    default_sla_policy,
    servicenow_history,
)
from itilkit.sla import TargetStatus
from tests.boundary.samples import Factory, Samples
from tests.boundary.samples.interop import _hpsm, _servicenow
from tests.codec.samples import CHANGE_SAMPLE, INCIDENT_SAMPLE
from tests.reports.files import hpsm_exports, servicenow_log

_FOLDER = Path(tempfile.mkdtemp(prefix="itilkit-boundary-reports-"))
_LOG = servicenow_log(_FOLDER)
_HPSM = hpsm_exports(_FOLDER)


@cache
def _servicenow_report() -> KpiReport:
    return build_report([_LOG])


@cache
def _hpsm_report() -> KpiReport:
    return build_report(_HPSM)


def _histories() -> dict[str, Any]:
    incident = _servicenow()[0]
    return {incident.number: servicenow_history(incident), "bad": ["not an event"]}


@cache
def _run() -> BulkSla:
    incident = _servicenow()[0]
    return bulk_sla(default_sla_policy(), _histories(), incident.updates[-1].at)


def _target() -> TargetStatus:
    return next(iter(_run().statuses.values())).targets[0]


def _section(report: Callable[[], KpiReport], name: str) -> Factory:
    """The section ``name`` of a report (one the sample data gives)."""

    def section() -> object:
        found = getattr(report(), name)
        assert found is not None, name
        return found

    return section


_backlog = _section(_servicenow_report, "backlog")


#: Each report class, with the part of a report that is one.
_PARTS: dict[type, Factory] = {
    KpiReport: _servicenow_report,
    IncidentFigures: _section(_servicenow_report, "incidents"),
    SlaFigures: _section(_servicenow_report, "sla"),
    BacklogSeries: _backlog,
    BacklogPoint: lambda: _backlog().points[0],  # type: ignore[attr-defined]
    InteractionFigures: _section(_hpsm_report, "interactions"),
    ChangeFigures: _section(_hpsm_report, "changes"),
    BulkSla: _run,
    SlaExclusion: lambda: _run().exclusions[0],
}


def _field(part: Factory, name: str) -> Factory:
    return lambda: getattr(part(), name)


def _constructor_arguments() -> dict[str, Factory]:
    return {
        f"{cls.__name__}.{field.alias}": _field(part, field.name)
        for cls, part in _PARTS.items()
        for field in attrs.fields(cls)
    }


SAMPLES = Samples(
    instances={
        **{cls: [part] for cls, part in _PARTS.items()},
        KpiReport: [_servicenow_report, _hpsm_report],
        TargetStatus: [_target],
    },
    arguments={
        **_constructor_arguments(),
        "files": lambda: [_LOG],
        "build_report.files": lambda: [_LOG],
        "detect_export.path": lambda: _LOG,
        "tickets": lambda: [INCIDENT_SAMPLE, CHANGE_SAMPLE],
        "bulk_sla.tickets": _histories,
        "bulk_sla.policy": default_sla_policy,
        "bulk_sla.now": lambda: _servicenow()[0].updates[-1].at,
        "sla_compliance.run": _run,
        "target": _target,
        "named_lifecycle.name": lambda: "incident",
        "incident": lambda: _servicenow()[0],
        "SlaFigures.by.dimension": lambda: "priority",
        "hpsm_incident_record.incident": lambda: _hpsm()[0],
        "hpsm_incident_history.incident": lambda: _hpsm()[0],
        "ticket_record.incident": lambda: INCIDENT_SAMPLE,
        "ticket_history.incident": lambda: INCIDENT_SAMPLE,
        "ticket_trace.ticket": lambda: INCIDENT_SAMPLE,
        "ticket_change_record.change": lambda: CHANGE_SAMPLE,
    },
    callbacks=frozenset({"build_report.progress"}),
)
