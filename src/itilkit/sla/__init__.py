"""Business-time calendars and SLA clocks, independent of any ticket model.

A :class:`BusinessCalendar` combines a zone, a :class:`WeeklySchedule` of
:class:`Shift` values, :class:`Holidays` and :class:`DateOverride` values, and
does exact business-time arithmetic on aware datetimes.

An :class:`SlaPolicy` names :class:`SlaTarget` clocks with their conditions;
:func:`sla_status` computes every target's :class:`SlaStatus` from a record's
history of :class:`StateChange` and :class:`FieldChange` events (see
``docs/sla.md``).
"""

from __future__ import annotations

from itilkit.sla._calendar import BusinessCalendar
from itilkit.sla._clock import ClockPhase, Pause
from itilkit.sla._country import country_holidays
from itilkit.sla._history import FieldChange, HistoryEvent, Snapshot, StateChange, replay
from itilkit.sla._holidays import DateOverride, Holidays
from itilkit.sla._policy import (
    DurationsByField,
    DurationSelector,
    Escalation,
    ReopenPolicy,
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
)

__all__ = [
    "AllOf",
    "AnyOf",
    "BusinessCalendar",
    "ClockPhase",
    "Condition",
    "CycleStatus",
    "DateOverride",
    "DurationSelector",
    "DurationsByField",
    "Escalation",
    "EscalationStatus",
    "FieldChange",
    "FieldChanged",
    "FieldIs",
    "HistoryEvent",
    "Holidays",
    "InCategory",
    "InState",
    "Not",
    "Pause",
    "ReopenPolicy",
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
    "replay",
    "sla_status",
]
