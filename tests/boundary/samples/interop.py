"""Samples of itilkit.interop: small ServiceNow and HP Service Manager exports on disk.

The files are written once, at import, into a temporary directory; the
records and reports are read from them (each a frozen value or named tuple).
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from itilkit.interop import (
    HPSM_CHANGE,
    HPSM_INCIDENT,
    MULTIVALUE,
    CiReference,
    HpsmChange,
    HpsmChangeMapping,
    HpsmIncident,
    HpsmInteraction,
    HpsmLinks,
    Imported,
    ImportReport,
    Label,
    LinkCount,
    ProblemKind,
    Reading,
    ReadProgress,
    ReadReport,
    Reference,
    RowProblem,
    ServiceNowIncident,
    ServiceNowMapping,
    ServiceNowUpdate,
    import_hpsm_incidents,
    import_servicenow_incidents,
    link_hpsm,
    read_hpsm_changes,
    read_hpsm_incidents,
    read_hpsm_interactions,
    read_servicenow_incidents,
)
from itilkit.practices import INCIDENT as INCIDENT_PRACTICE
from tests.boundary.samples import Samples
from tests.interop.helpers import UCI_COLUMNS, uci_row, write
from tests.interop.test_entities import LIFE
from tests.interop.test_hpsm import CHANGE, INCIDENT, INTERACTION, change, incident, interaction

_DIRECTORY = Path(tempfile.mkdtemp(prefix="itilkit-boundary-"))
LOG = write(
    _DIRECTORY / "incidents.csv",
    UCI_COLUMNS,
    [uci_row(), uci_row(incident_state="Active", sys_mod_count="1"), uci_row(number="x")],
)
#: One incident's whole life (it replays into an Incident).
LIFE_LOG = write(_DIRECTORY / "life.csv", UCI_COLUMNS, LIFE)
INCIDENTS = write(_DIRECTORY / "im.csv", INCIDENT, [incident()], delimiter=";")
INTERACTIONS = write(_DIRECTORY / "sd.csv", INTERACTION, [interaction()], delimiter=";")
CHANGES = write(_DIRECTORY / "c.csv", CHANGE, [change()], delimiter=";")


@cache
def _servicenow() -> tuple[ServiceNowIncident, ...]:
    return tuple(read_servicenow_incidents(LOG, tz="UTC"))


@cache
def _hpsm() -> tuple[HpsmIncident, HpsmInteraction, HpsmChange]:
    (found,) = read_hpsm_incidents(INCIDENTS, tz="Europe/Amsterdam")
    (touch,) = read_hpsm_interactions(INTERACTIONS, tz="Europe/Amsterdam")
    (made,) = read_hpsm_changes(CHANGES, tz="Europe/Amsterdam")
    return found, touch, made


def _report() -> ReadReport:
    reading = read_servicenow_incidents(LOG, tz="UTC")
    list(reading)
    return reading.report


def _links() -> HpsmLinks:
    found, touch, made = _hpsm()
    return link_hpsm([found], [touch], [made])


def _imported() -> Imported[object]:
    imported = import_servicenow_incidents(LIFE_LOG, tz="UTC")
    list(imported)
    return imported  # type: ignore[return-value]


SAMPLES = Samples(
    callbacks=frozenset({"progress", "Imported.build", "Reading.records"}),
    instances={
        ServiceNowMapping: [ServiceNowMapping],
        HpsmChangeMapping: [HpsmChangeMapping],
        Imported: [
            _imported,
            lambda: import_hpsm_incidents(INCIDENTS, tz="Europe/Amsterdam"),  # not read yet
        ],
        ImportReport: [lambda: _imported().report],
        ServiceNowIncident: [lambda: _servicenow()[0]],
        ServiceNowUpdate: [lambda: _servicenow()[0].updates[0]],
        HpsmIncident: [lambda: _hpsm()[0]],
        HpsmInteraction: [lambda: _hpsm()[1]],
        HpsmChange: [lambda: _hpsm()[2]],
        CiReference: [lambda: CiReference("SUB1", "app", None, None)],
        Reference: [lambda: MULTIVALUE, lambda: Reference("IM1")],
        Label: [lambda: Label(2, "Medium")],
        ReadReport: [_report],
        RowProblem: [lambda: RowProblem(3, "INC1", ProblemKind.BAD_VALUE, "not a time")],
        ReadProgress: [lambda: ReadProgress(10, 100, 1000, False)],
        Reading: [lambda: read_servicenow_incidents(LOG, tz="UTC")],
        HpsmLinks: [_links],
        LinkCount: [lambda: _links().counts[0]],
    },
    arguments={
        "path": lambda: LOG,
        "ReadReport.path": lambda: str(LOG),
        "read_hpsm_incidents.path": lambda: INCIDENTS,
        "read_hpsm_interactions.path": lambda: INTERACTIONS,
        "read_hpsm_changes.path": lambda: CHANGES,
        "tz": lambda: "UTC",
        "incident": lambda: _servicenow()[0],
        "incidents": lambda: [_hpsm()[0]],
        "interactions": lambda: [_hpsm()[1]],
        "changes": lambda: [_hpsm()[2]],
        "Label.code": lambda: 2,
        "Label.name": lambda: "Medium",
        "Reading.kind": lambda: "ServiceNow incident event log",
        "Reading.records": lambda: lambda rows: iter(()),
        "Reading.delimiter": lambda: ",",
        "Reading.encoding": lambda: "utf-8",
        "Reading.strict": lambda: False,
        "Reading.progress": lambda: None,
        "import_hpsm_incidents.path": lambda: INCIDENTS,
        "import_hpsm_changes.path": lambda: CHANGES,
        "import_hpsm_changes.practice": lambda: HPSM_CHANGE,
        "hpsm_change_entity.practice": lambda: HPSM_CHANGE,
        "hpsm_change_entity.change": lambda: _hpsm()[2],
        "HPSM_CHANGE.command.role": lambda: "assess",
        "SERVICENOW_INCIDENT.command.role": lambda: "resolve",
        "hpsm_incident_entity.incident": lambda: _hpsm()[0],
        "servicenow_incident_entity.incident": lambda: next(
            iter(read_servicenow_incidents(LIFE_LOG, tz="UTC"))
        ),
        "import_servicenow_incidents.path": lambda: LIFE_LOG,
        "practice": lambda: HPSM_INCIDENT,
        "import_servicenow_incidents.practice": lambda: INCIDENT_PRACTICE,
        "servicenow_incident_entity.practice": lambda: INCIDENT_PRACTICE,
        "HPSM_INCIDENT.command.role": lambda: "resolve",
        "Imported.reading": lambda: read_servicenow_incidents(LOG, tz="UTC"),
        "Imported.build": lambda: lambda record, notes: record,
        "Imported.strict": lambda: False,
        "ImportReport.read": _report,
        "ImportReport.entities": lambda: 1,
        "ImportReport.refused": lambda: (),
        "ImportReport.notes": dict,
        "TicketRefusedError.ticket": lambda: "INC1",
        "TicketRefusedError.row": lambda: 2,
        "TicketRefusedError.reason": lambda: "refused",
    },
)
