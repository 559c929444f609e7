"""Public-API usage that mypy checks: entities fit the host-facing Protocols.

Nothing here runs assertions; ``mypy --strict`` (part of the test command)
fails if an itilkit entity stops satisfying a Protocol that analysts rely on,
or if the practice flow stops type-checking as documented.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from itilkit import INCIDENT, Incident, Practice, PracticeRef, PracticeRegistry, SlaOutcome
from itilkit.clock import FixedClock, SystemClock
from itilkit.practices import (
    Change,
    KnownError,
    Problem,
    ServiceRequest,
    Ticket,
    check_invariants,
    sla_outcomes,
)
from itilkit.sla import SlaStatus
from itilkit.typing import ChangeRecord, Clock, IncidentRecord


def incidents_are_records(incidents: Sequence[Incident]) -> Sequence[IncidentRecord]:
    """An Incident is an IncidentRecord."""
    return incidents


def requests_are_records(requests: Sequence[ServiceRequest]) -> Sequence[IncidentRecord]:
    """A ServiceRequest is read by the same measures."""
    return requests


def problems_are_records(problems: Sequence[Problem]) -> Sequence[IncidentRecord]:
    """A Problem too."""
    return problems


def changes_are_records(changes: Sequence[Change]) -> Sequence[ChangeRecord]:
    """A Change is a ChangeRecord."""
    return changes


def the_family_shares_one_base(
    tickets: tuple[Incident, Problem, KnownError, ServiceRequest, Change],
) -> Sequence[Ticket]:
    """Every entity is a Ticket."""
    return tickets


def clocks(fixed: FixedClock, system: SystemClock) -> tuple[Clock, Clock]:
    """Both shipped clocks satisfy the Clock Protocol."""
    return fixed, system


def the_practice_flow(registry: PracticeRegistry, at: datetime) -> dict[str, object]:
    """Derive, log, resolve a stored ref, read the SLA and its outcomes."""
    acme: Practice = INCIDENT.derive(name="acme-incident")
    incident = Incident.log(acme, id="I", title="t", caller="c", impact=1, urgency=1, at=at,
                            actor="desk")  # fmt: skip
    ref: PracticeRef = incident.practice.ref
    again: Practice = registry.resolve(ref)
    check_invariants(incident)
    status: SlaStatus = incident.sla_status(at)
    outcome: SlaOutcome | None = status.targets[0].cycles[0].outcome if status.targets else None
    return {"practice": again, "records": sla_outcomes([incident], at), "outcome": outcome}
