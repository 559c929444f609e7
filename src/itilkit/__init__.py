"""itilkit: an embeddable ITIL domain library.

Typed entities for the ITIL practices, declarative lifecycles, business-hours
calendars with SLA clocks, and KPI functions, with storage left to the host.
The names most applications need are importable from here; each package
(``itilkit.lifecycle``, ``itilkit.sla``, ``itilkit.practices``,
``itilkit.metrics``) exports the rest.
"""

from __future__ import annotations

from itilkit._version import __version__ as __version__
from itilkit.categories import StateCategory
from itilkit.clock import FixedClock, SystemClock
from itilkit.errors import ItilkitError
from itilkit.lifecycle import Lifecycle, LifecycleDefinition, State, Transition, TransitionRecord
from itilkit.practices import (
    Assignment,
    Change,
    ConfigurationItem,
    Incident,
    KnownError,
    Problem,
    ServiceRequest,
    incident_sla_policy,
    sla_history,
)
from itilkit.sla import BusinessCalendar, SlaPolicy, SlaTarget, WeeklySchedule, sla_status
from itilkit.typing import Clock

__all__ = [
    "Assignment",
    "BusinessCalendar",
    "Change",
    "Clock",
    "ConfigurationItem",
    "FixedClock",
    "Incident",
    "ItilkitError",
    "KnownError",
    "Lifecycle",
    "LifecycleDefinition",
    "Problem",
    "ServiceRequest",
    "SlaPolicy",
    "SlaTarget",
    "State",
    "StateCategory",
    "SystemClock",
    "Transition",
    "TransitionRecord",
    "WeeklySchedule",
    "incident_sla_policy",
    "sla_history",
    "sla_status",
]
