"""ServiceNow incidents as conformance traces, through a mapping the caller can change."""

from __future__ import annotations

from pathlib import Path

import pytest

from itilkit.conformance import Observation, check_conformance
from itilkit.errors import InvalidInputError
from itilkit.interop import SERVICENOW_STATES, read_servicenow_incidents, servicenow_trace
from itilkit.practices import INCIDENT

from .helpers import UCI_COLUMNS, uci_row, write


def test_updates_become_mapped_observations(tmp_path: Path) -> None:
    """Each update is an observation in the lifecycle's names; attributes from the final row."""
    rows = [
        uci_row(),
        uci_row(
            incident_state="Awaiting Vendor", sys_mod_count="1", sys_updated_at="29/2/2016 02:00"
        ),
        uci_row(
            incident_state="Resolved",
            sys_mod_count="2",
            sys_updated_at="29/2/2016 03:00",
            assignment_group="Group 7",
            priority="2 - High",
        ),
    ]
    (incident,) = read_servicenow_incidents(write(tmp_path / "l.csv", UCI_COLUMNS, rows), tz="UTC")
    trace = servicenow_trace(incident)
    assert trace.id == "INC0000001"
    assert [o.state for o in trace.observations] == ["new", "on_hold", "resolved"]
    assert trace.observations[1] == Observation("on_hold", incident.updates[1].at)
    assert trace.attributes == {
        "priority": "2 - High",
        "group": "Group 7",
        "category": "Category 55",
        "contact_type": "Phone",
    }
    assert (trace.opened_at, trace.resolved_at) == (incident.opened_at, incident.resolved_at)
    assert trace.truncated is False
    mine = {**SERVICENOW_STATES, "Awaiting Vendor": "with_vendor"}
    assert [o.state for o in servicenow_trace(incident, mine).observations][1] == "with_vendor"
    report = check_conformance([servicenow_trace(incident, mine)], INCIDENT.definition)
    assert [u.state for u in report.unknown_states] == ["with_vendor"]


def test_a_counter_above_zero_marks_a_truncated_start(tmp_path: Path) -> None:
    """The first update kept is number 4: the log misses the start."""
    rows = [uci_row(incident_state="Active", sys_mod_count="4")]
    (incident,) = read_servicenow_incidents(write(tmp_path / "l.csv", UCI_COLUMNS, rows), tz="UTC")
    trace = servicenow_trace(incident)
    assert trace.truncated is True
    report = check_conformance([trace], INCIDENT.definition)
    assert report.truncated == 1


def test_arguments_are_checked() -> None:
    """Only ServiceNow incidents and mappings."""
    with pytest.raises(InvalidInputError, match="ServiceNowIncident"):
        servicenow_trace("INC1")  # type: ignore[arg-type]
