"""The group reassignment rule gives ServiceNow's own reassignment_count on the UCI log.

docs/practices.md states these figures; they are worked out here from the export's
assignment group and assignee along each incident's updates.
"""

from __future__ import annotations

import pytest

from itilkit.interop import ServiceNowIncident, read_servicenow_incidents
from itilkit.practices import Assignment, ReassignmentRule, reassigns
from tests.conftest import SHARED

UCI = SHARED / "data" / "uci_incident_event_log" / "incident_event_log.csv.xz"


def counted(incident: ServiceNowIncident, rule: ReassignmentRule) -> int:
    """Reassignments along the incident's updates: changes of its assignment after the first."""
    count, current = 0, None
    for update in incident.updates:
        if update.assignment_group is None and update.assigned_to is None:
            continue
        assignment = Assignment(update.assignment_group, update.assigned_to)
        if current is not None and assignment != current and reassigns(current, assignment, rule):
            count += 1
        current = assignment
    return count


@pytest.mark.skipif(not UCI.exists(), reason=f"the shared UCI log is absent ({UCI})")
def test_the_group_rule_agrees_with_the_exports_count() -> None:
    """By group: the export's count for 24,010 of 24,918 incidents and never more; any change
    counts more for 7,526 (another person is no reassignment to ServiceNow)."""
    tally = {rule: [0, 0] for rule in ReassignmentRule}
    incidents = list(read_servicenow_incidents(UCI, tz="UTC"))
    for incident in incidents:
        exported = incident.updates[-1].reassignment_count
        assert exported is not None
        for rule, (same, more) in tally.items():
            mine = counted(incident, rule)
            tally[rule] = [same + (mine == exported), more + (mine > exported)]
    assert len(incidents) == 24_918
    assert tally[ReassignmentRule.GROUP] == [24_010, 0]
    assert tally[ReassignmentRule.ANY_CHANGE][1] == 7_526
