"""Public-API usage that mypy checks: entities fit the metrics record Protocols.

Nothing here runs assertions; ``mypy --strict`` (part of the test command)
fails if an itilkit entity stops satisfying a Protocol that analysts rely on.
"""

from __future__ import annotations

from collections.abc import Sequence

from itilkit.clock import FixedClock, SystemClock
from itilkit.metrics import ChangeRecord, IncidentRecord
from itilkit.practices import Change, Incident, ServiceRequest
from itilkit.typing import Clock


def incidents_are_records(incidents: Sequence[Incident]) -> Sequence[IncidentRecord]:
    """An Incident is an IncidentRecord."""
    return incidents


def requests_are_records(requests: Sequence[ServiceRequest]) -> Sequence[IncidentRecord]:
    """A ServiceRequest is read by the same measures."""
    return requests


def changes_are_records(changes: Sequence[Change]) -> Sequence[ChangeRecord]:
    """A Change is a ChangeRecord."""
    return changes


def clocks(fixed: FixedClock, system: SystemClock) -> tuple[Clock, Clock]:
    """Both shipped clocks satisfy the Clock Protocol."""
    return fixed, system
