"""Business-time calendars and SLA clocks, independent of any ticket model.

A :class:`BusinessCalendar` combines a zone, a :class:`WeeklySchedule` of
:class:`Shift` values, :class:`Holidays` and :class:`DateOverride` values, and
does exact business-time arithmetic on aware datetimes.

An :class:`SlaPolicy` names :class:`SlaTarget` clocks with their conditions;
:func:`sla_status` computes every target's :class:`SlaStatus` from a record's
history of :class:`StateChange` and :class:`FieldUpdate` events (see
``docs/sla.md``).
"""

from __future__ import annotations

from itilkit.sla._calendar import BusinessCalendar
from itilkit.sla._clock import ClockPhase, Pause
from itilkit.sla._country import country_holidays
from itilkit.sla._deadlines import (
    BusinessDays,
    Deadline,
    DeadlineCalendar,
    Earliest,
    EndOfBusinessDay,
    Landing,
    Latest,
    NextBusinessDayAt,
)
from itilkit.sla._history import FieldUpdate, HistoryEvent, Snapshot, StateChange, snapshots
from itilkit.sla._holidays import DateOverride, Holidays
from itilkit.sla._policy import (
    ClockReopen,
    DurationsByField,
    DurationSelector,
    Escalation,
    SlaCalendar,
    SlaPolicy,
    SlaTarget,
)
from itilkit.sla._policy_conditions import (
    AllOf,
    AnyOf,
    Condition,
    FieldChanged,
    FieldIs,
    InCategory,
    InState,
    Not,
)
from itilkit.sla._schedule import Shift, WeeklySchedule
from itilkit.sla._status import (
    CycleStatus,
    EscalationStatus,
    SlaStatus,
    TargetStatus,
    ThresholdStatus,
    sla_status,
    sla_statuses,
)

__all__ = [
    "AllOf",
    "AnyOf",
    "BusinessCalendar",
    "BusinessDays",
    "ClockPhase",
    "ClockReopen",
    "Condition",
    "CycleStatus",
    "DateOverride",
    "Deadline",
    "DeadlineCalendar",
    "DurationSelector",
    "DurationsByField",
    "Earliest",
    "EndOfBusinessDay",
    "Escalation",
    "EscalationStatus",
    "FieldChanged",
    "FieldIs",
    "FieldUpdate",
    "HistoryEvent",
    "Holidays",
    "InCategory",
    "InState",
    "Landing",
    "Latest",
    "NextBusinessDayAt",
    "Not",
    "Pause",
    "Shift",
    "SlaCalendar",
    "SlaPolicy",
    "SlaStatus",
    "SlaTarget",
    "Snapshot",
    "StateChange",
    "TargetStatus",
    "ThresholdStatus",
    "WeeklySchedule",
    "country_holidays",
    "sla_status",
    "sla_statuses",
    "snapshots",
]
