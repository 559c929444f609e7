"""Shared fixtures for practice tests: a start time and ready-made entities."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from itilkit.practices import (
    INCIDENT,
    PROBLEM,
    SERVICE_REQUEST,
    Assignment,
    Incident,
    Practice,
    Problem,
    ServiceRequest,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TEAM = Assignment("service-desk", "bob")


def at(minutes: float) -> datetime:
    """``minutes`` after T0."""
    return T0 + timedelta(minutes=minutes)


def new_incident(practice: Practice = INCIDENT) -> Incident:
    """A freshly logged incident, impact 2 and urgency 1 on the 3x3 matrix."""
    return Incident.log(
        practice, id="INC-1", title="Mail down", caller="ann", impact=2, urgency=1, at=T0,
        actor="desk",
    )  # fmt: skip


def working_incident(practice: Practice = INCIDENT) -> Incident:
    """An incident assigned to bob with work started."""
    return (
        new_incident(practice)
        .assign(TEAM, at=at(1), actor="desk")
        .start_work(at=at(2), actor="bob")
    )


def new_problem(practice: Practice = PROBLEM) -> Problem:
    """A freshly logged problem linked to two incidents."""
    return Problem.log(
        practice,
        id="PRB-1",
        title="Relay crashes",
        impact=1,
        urgency=2,
        at=T0,
        actor="pm",
        linked_incidents=["INC-2", "INC-1"],
    )


def new_request(
    *, requires_approval: bool = True, practice: Practice = SERVICE_REQUEST
) -> ServiceRequest:
    """A submitted request for a laptop, by ann."""
    return ServiceRequest.submit(
        practice,
        id="REQ-1",
        title="New laptop",
        requester="ann",
        catalog_item="laptop",
        requires_approval=requires_approval,
        at=T0,
    )
