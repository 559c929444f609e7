"""itilkit: an embeddable ITIL domain library.

Typed entities for the ITIL practices, bound to the practice (lifecycle,
priority matrix, SLA policy and calendar) they were made with; business-hours
calendars with SLA clocks; and KPI functions, with storage left to the host.
The names of the everyday flow (derive a practice once, log and work tickets,
read their SLA, measure KPIs) are importable from here; each package
(``itilkit.lifecycle``, ``itilkit.sla``, ``itilkit.practices``,
``itilkit.metrics``) exports the rest.
"""

from __future__ import annotations

from itilkit._version import __version__ as __version__
from itilkit.categories import StateCategory
from itilkit.clock import FixedClock, SystemClock
from itilkit.errors import ItilkitError
from itilkit.lifecycle import State, Transition, TransitionRecord
from itilkit.metrics import (
    Backlog,
    ChangeSuccessRate,
    FirstContactResolution,
    ReopenRate,
    SlaCompliance,
    TimeToAcknowledge,
    TimeToResolve,
)
from itilkit.outcomes import ChangeOutcome, SlaOutcome
from itilkit.practices import (
    CHANGE,
    DEFAULT_PRACTICES,
    INCIDENT,
    KNOWN_ERROR,
    PRIORITY_3X3,
    PRIORITY_4X4,
    PRIORITY_5X5,
    PROBLEM,
    SERVICE_REQUEST,
    Assignment,
    Change,
    ConfigurationItem,
    Incident,
    KnownError,
    Practice,
    PracticeRef,
    PracticeRegistry,
    Problem,
    ServiceRequest,
    incident_sla_policy,
    sla_outcomes,
)
from itilkit.sla import BusinessCalendar, WeeklySchedule
from itilkit.typing import Clock

__all__ = [
    "Assignment",
    "Backlog",
    "BusinessCalendar",
    "CHANGE",
    "Change",
    "ChangeOutcome",
    "ChangeSuccessRate",
    "Clock",
    "ConfigurationItem",
    "DEFAULT_PRACTICES",
    "FirstContactResolution",
    "FixedClock",
    "INCIDENT",
    "Incident",
    "ItilkitError",
    "KNOWN_ERROR",
    "KnownError",
    "PRIORITY_3X3",
    "PRIORITY_4X4",
    "PRIORITY_5X5",
    "PROBLEM",
    "Practice",
    "PracticeRef",
    "PracticeRegistry",
    "Problem",
    "ReopenRate",
    "SERVICE_REQUEST",
    "ServiceRequest",
    "SlaCompliance",
    "SlaOutcome",
    "State",
    "StateCategory",
    "SystemClock",
    "TimeToAcknowledge",
    "TimeToResolve",
    "Transition",
    "TransitionRecord",
    "WeeklySchedule",
    "incident_sla_policy",
    "sla_outcomes",
]
