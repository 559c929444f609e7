"""The importers: ServiceNow and HP SM records replayed into practice entities."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta, timezone
from pathlib import Path

import pytest

from itilkit.errors import InvalidInputError, MalformedRowError
from itilkit.interop import (
    HPSM_INCIDENT,
    SERVICENOW_INCIDENT,
    SERVICENOW_STATES,
    ProblemKind,
    ServiceNowMapping,
    TicketRefusedError,
    hpsm_incident_entity,
    import_hpsm_incidents,
    import_servicenow_incidents,
    read_servicenow_incidents,
    servicenow_incident_entity,
)
from itilkit.lifecycle import Transition
from itilkit.practices import (
    INCIDENT,
    PROBLEM,
    Assignment,
    HoldReason,
    Incident,
    ResolutionCode,
    check_invariants,
)

from .helpers import UCI_COLUMNS, uci_row, write
from .test_hpsm import INCIDENT as HPSM_COLUMNS
from .test_hpsm import incident as hpsm_row

CET = timezone(timedelta(hours=1))


def update(n: int, state: str, at: str, **fields: str) -> list[str]:
    """Update ``n`` of incident INC1 (by 'Updated by <n>')."""
    values = {
        "number": "INC1",
        "incident_state": state,
        "sys_mod_count": str(n),
        "sys_updated_at": at,
        "sys_updated_by": f"Updated by {n}",
        **fields,
    }
    return uci_row(**values)


#: New, assigned and started, held for the caller, resumed, resolved, reopened, resolved,
#: closed: lines 2 to 10.
LIFE = [
    update(0, "New", "29/2/2016 01:23"),
    update(1, "Active", "29/2/2016 02:00", assigned_to="Resolver 3"),
    update(2, "Awaiting User Info", "29/2/2016 03:00", assigned_to="Resolver 3"),
    update(3, "Active", "29/2/2016 05:00", assigned_to="Resolver 3"),
    update(4, "Resolved", "29/2/2016 06:00", assigned_to="Resolver 3"),
    update(5, "Active", "29/2/2016 07:00", assigned_to="Resolver 3", reopen_count="1"),
    update(
        6,
        "Resolved",
        "29/2/2016 08:00",
        assigned_to="Resolver 4",
        assignment_group="Group 9",
        impact="1 - High",
        priority="2 - High",
    ),
    update(7, "Closed", "5/3/2016 12:00", assigned_to="Resolver 5", assignment_group="Group 9"),
]


def one_incident(tmp_path: Path, rows: list[list[str]]) -> Path:
    return write(tmp_path / "log.csv", UCI_COLUMNS, rows)


def test_a_servicenow_incident_becomes_an_incident_of_the_practice(tmp_path: Path) -> None:
    """Every state change fires the practice's transition, with the values its target needs."""
    imported = import_servicenow_incidents(one_incident(tmp_path, LIFE), tz="Europe/Amsterdam")
    (incident,) = list(imported)
    assert isinstance(incident, Incident)
    assert incident.practice is SERVICENOW_INCIDENT
    check_invariants(incident)
    assert (incident.id, incident.caller, incident.opened_by) == (
        "INC1",
        "Caller 1",
        "Opened by  8",
    )
    assert incident.title == "Category 55 / Subcategory 170 / Symptom 72"
    assert incident.opened_at.isoformat() == "2016-02-29T01:16:00+01:00"
    assert [r.transition for r in incident.history] == [
        "assign",  # the group, from the first update
        "assign",  # the person
        "start_work",
        "hold",
        "resume",
        "resolve",
        "reopen",
        "assign",  # a new group and person, and a new impact, before resolving again
        "reprioritise",
        "resolve",
        "close",
    ]
    assert incident.history[0].at.isoformat() == "2016-02-29T01:23:00+01:00"
    assert incident.history[0].actor == "Updated by 0"
    hold = incident.history[3]
    change = hold.changed("hold_reason")
    assert change is not None
    assert change.new is HoldReason.AWAITING_CALLER
    assert hold.at.isoformat() == "2016-02-29T03:00:00+01:00"
    # holding for the caller carries the public note the default lifecycle's guard asks for
    assert [(n.text, n.public) for n in incident.notes] == [
        ("ServiceNow state 'Awaiting User Info'", True)
    ]
    assert incident.state == "closed"
    assert incident.reopen_count == 1
    assert incident.closed_at is not None
    assert incident.closed_at.isoformat() == "2016-03-05T12:00:00+01:00"
    assert [r.at.hour for r in incident.resolutions] == [6, 8]
    assert incident.history[0].at.isoformat() == "2016-02-29T01:23:00+01:00"
    assert {r.actor for r in incident.resolutions} == {"Resolved by 149"}
    assert incident.resolution is not None
    assert incident.resolution.code is ResolutionCode.OTHER
    assert incident.resolution.notes == "ServiceNow close code 'code 5'"
    assert incident.acknowledged_at is not None
    assert incident.acknowledged_at.hour == 2
    # the closing update's new assignee and impact find no open state to be set in: counted
    assert incident.assignment == Assignment("Group 9", "Resolver 4")
    # counted by group, as ServiceNow does: the person named within the first group is not
    assert incident.reassignment_count == 1
    assert (incident.impact.level, incident.priority.level) == (1, 2)
    assert imported.report.notes == {
        "assign outside an open state, not kept": 1,
        "reprioritise outside an open state, not kept": 1,
    }
    assert imported.report.entities == 1
    assert imported.report.refused == ()


def test_priority_changes_and_overrides_follow_the_export(tmp_path: Path) -> None:
    """A new impact reprioritises; a priority the matrix does not give is an override."""
    rows = [
        update(0, "New", "29/2/2016 01:23"),
        update(1, "New", "29/2/2016 01:30", impact="1 - High", priority="2 - High"),
        update(2, "New", "29/2/2016 01:40", impact="1 - High", priority="1 - Critical"),
    ]
    (incident,) = import_servicenow_incidents(one_incident(tmp_path, rows), tz="UTC")
    assert [r.transition for r in incident.history] == ["assign", "reprioritise", "reprioritise"]
    assert incident.impact.level == 1
    assert incident.priority.level == 1
    assert incident.priority_override is not None
    assert incident.priority_override.reason == "as exported"
    assert incident.matrix.priority(incident.impact, incident.urgency).level == 2


def test_a_history_the_practice_refuses_is_reported_with_its_row(tmp_path: Path) -> None:
    """New to Awaiting User Info: the default lifecycle has no such move; the next incident
    is still imported, and strict mode stops at the refusal."""
    rows = [
        update(0, "New", "29/2/2016 01:23"),
        update(1, "Awaiting User Info", "29/2/2016 02:00"),
        update(2, "Resolved", "29/2/2016 03:00"),
        *(
            uci_row(number="INC2", sys_mod_count=str(n), sys_updated_at=f"1/3/2016 0{n}:00",
                    incident_state=s)
            for n, s in enumerate(["New", "Resolved"])
        ),
    ]  # fmt: skip
    path = one_incident(tmp_path, rows)
    imported = import_servicenow_incidents(path, tz="UTC")
    assert [i.id for i in imported] == ["INC2"]
    (refusal,) = imported.report.refused
    assert (refusal.row, refusal.ticket, refusal.kind) == (3, "INC1", ProblemKind.REFUSED)
    assert refusal.reason == (
        "lifecycle 'incident' has no transition from 'new' to 'on_hold' "
        "(ServiceNow 'New' -> 'Awaiting User Info')"
    )
    data = imported.report.to_dict()
    assert (data["entities"], data["refused"], data["read"]["records"]) == (1, 1, 2)
    assert data["refusals"][0]["row"] == 3
    with pytest.raises(MalformedRowError, match="line 3 \\(INC1\\): lifecycle 'incident'") as err:
        list(import_servicenow_incidents(path, tz="UTC", strict=True))
    assert err.value.row == 3
    (record, _) = read_servicenow_incidents(path, tz="UTC")
    with pytest.raises(TicketRefusedError) as refused:
        servicenow_incident_entity(record)
    assert (refused.value.ticket, refused.value.row) == ("INC1", 3)


def test_a_derived_practice_takes_what_the_preset_refuses(tmp_path: Path) -> None:
    """A vendor's practice allowing hold from new imports the history above."""
    lenient = INCIDENT.derive(
        name="lenient-incident",
        remove_transitions=["hold"],
        add_transitions=[
            Transition(
                "hold",
                ["new", "in_progress"],
                "on_hold",
                guards=["caller_told_when_awaiting_caller"],
            )
        ],
    )
    rows = [update(0, "New", "29/2/2016 01:23"), update(1, "Awaiting Vendor", "29/2/2016 02:00")]
    (incident,) = import_servicenow_incidents(
        one_incident(tmp_path, rows), tz="UTC", practice=lenient
    )
    assert incident.practice is lenient
    assert (incident.state, incident.hold_reason) == ("on_hold", HoldReason.AWAITING_VENDOR)
    assert incident.notes == ()  # only a hold for the caller writes a note


def test_the_mapping_is_the_callers(tmp_path: Path) -> None:
    """States and hold reasons come from the mapping; a state it leaves out is malformed."""
    rows = [
        update(0, "Active", "29/2/2016 01:23", assigned_to="Resolver 3"),
        update(1, "Awaiting User Info", "29/2/2016 02:00", assigned_to="Resolver 3"),
    ]
    mine = ServiceNowMapping(hold_reasons={"Awaiting User Info": "other"}, unknown="nobody")
    (incident,) = import_servicenow_incidents(one_incident(tmp_path, rows), tz="UTC", mapping=mine)
    assert incident.history[1].transition == "start_work"  # opened in new, first seen active
    assert (incident.state, incident.hold_reason, incident.notes) == (
        "on_hold",
        HoldReason.OTHER,
        (),
    )
    states = {k: v for k, v in SERVICENOW_STATES.items() if k != "Awaiting User Info"}
    narrow = import_servicenow_incidents(
        one_incident(tmp_path, rows), tz="UTC", mapping=ServiceNowMapping(states=states)
    )
    (only,) = list(narrow)
    assert only.state == "in_progress"
    assert narrow.report.read.counts() == {"unknown_state": 1}
    to_nowhere = ServiceNowMapping(states={**SERVICENOW_STATES, "Awaiting User Info": "waiting"})
    refused = import_servicenow_incidents(
        one_incident(tmp_path, rows), tz="UTC", mapping=to_nowhere
    )
    assert list(refused) == []
    assert (
        "state 'waiting' is not a state of lifecycle 'incident'" in refused.report.refused[0].reason
    )


def test_guards_and_missing_values_refuse_with_reasons(tmp_path: Path) -> None:
    """Starting work with nobody assigned, or an incident with no impact, is refused."""
    no_one = [update(0, "New", "29/2/2016 01:23"), update(1, "Active", "29/2/2016 02:00")]
    imported = import_servicenow_incidents(one_incident(tmp_path, no_one), tz="UTC")
    assert list(imported) == []
    (refusal,) = imported.report.refused
    assert refusal.row == 3
    assert "start_work needs an assignee" in refusal.reason
    no_impact = [update(0, "New", "29/2/2016 01:23", impact="?")]
    imported = import_servicenow_incidents(one_incident(tmp_path, no_impact), tz="UTC")
    assert list(imported) == []
    assert imported.report.refused[0].reason == "impact is missing, and an incident needs one"
    off_matrix = [update(0, "New", "29/2/2016 01:23", urgency="4 - Low")]
    imported = import_servicenow_incidents(one_incident(tmp_path, off_matrix), tz="UTC")
    assert list(imported) == []
    assert "urgency" in imported.report.refused[0].reason


def test_hpsm_incidents_replay_their_times(tmp_path: Path) -> None:
    """Opened, resolved and closed, on HP SM's 5x5 matrix; a reopen, a priority override,
    and a closed incident with no resolve time refused."""
    rows = [
        hpsm_row(),
        hpsm_row(**{"Incident ID": "IM2", "Reopen Time": "01/11/2013 10:00:00",
                    "Urgency": "2", "Priority": "5"}),
        hpsm_row(**{"Incident ID": "IM3", "Resolved Time": ""}),
    ]  # fmt: skip
    path = write(tmp_path / "inc.csv", HPSM_COLUMNS, rows, delimiter=";")
    imported = import_hpsm_incidents(path, tz="Europe/Amsterdam")
    first, reopened = imported
    assert first.practice is HPSM_INCIDENT
    check_invariants(first)
    assert [r.transition for r in first.history] == ["resolve", "close"]
    assert (first.impact.level, first.urgency.level, first.priority.level) == (4, 5, 4)
    assert first.opened_at.isoformat() == "2012-02-05T13:32:57+01:00"
    assert first.resolution is not None
    assert first.resolution.notes == "HP SM closure code 'Other'"
    assert [r.transition for r in reopened.history] == [
        "reprioritise", "resolve", "reopen", "resolve", "close",
    ]  # fmt: skip
    assert reopened.priority.level == 5
    assert reopened.priority_override is not None
    assert reopened.reopen_count == 1
    assert reopened.first_resolved_at == reopened.history[2].at
    report = imported.report
    assert report.notes == {"resolutions before a reopen placed at the reopen time": 1}
    (refusal,) = report.refused
    assert (refusal.row, refusal.ticket) == (4, "IM3")
    assert refusal.reason == "closed with no resolve time: a closed incident was resolved"
    with pytest.raises(MalformedRowError, match="line 4"):
        list(import_hpsm_incidents(path, tz="UTC", strict=True))


def test_bad_arguments_are_typed_errors(tmp_path: Path) -> None:
    """A practice of another kind, a mapping of the wrong shape, a record of another type."""
    path = one_incident(tmp_path, LIFE)
    with pytest.raises(InvalidInputError, match="incident practice"):
        import_servicenow_incidents(path, tz="UTC", practice=PROBLEM)
    with pytest.raises(InvalidInputError, match="ServiceNowMapping"):
        import_servicenow_incidents(path, tz="UTC", mapping={"New": "new"})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="not a HoldReason"):
        ServiceNowMapping(hold_reasons={"On Hold": "lunch"})
    with pytest.raises(InvalidInputError, match="states must map"):
        ServiceNowMapping(states={"New": 3})
    with pytest.raises(InvalidInputError, match="not a ResolutionCode"):
        ServiceNowMapping(resolution_code="magic")
    with pytest.raises(InvalidInputError, match="duplicate"):
        ServiceNowMapping(cancel_reason="duplicate")
    with pytest.raises(InvalidInputError, match="non-empty string"):
        ServiceNowMapping(unknown=" ")
    with pytest.raises(InvalidInputError, match="ServiceNowIncident"):
        servicenow_incident_entity("INC1")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="HpsmIncident"):
        hpsm_incident_entity(None)  # type: ignore[arg-type]
    notes: Counter[str] = Counter()
    (record,) = read_servicenow_incidents(path, tz="UTC")
    assert servicenow_incident_entity(record, notes=notes).state == "closed"
    assert sum(notes.values()) == 2
