"""Samples of itilkit.sla: a London calendar, a two-target policy, its history and status."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from itilkit.categories import StateCategory
from itilkit.sla import (
    AllOf,
    AnyOf,
    BusinessCalendar,
    BusinessDays,
    ClockReopen,
    Condition,
    CycleStatus,
    DateOverride,
    Deadline,
    DeadlineCalendar,
    DurationsByField,
    DurationSelector,
    Earliest,
    EndOfBusinessDay,
    Escalation,
    EscalationStatus,
    FieldChanged,
    FieldIs,
    FieldUpdate,
    HistoryEvent,
    Holidays,
    InCategory,
    InState,
    Latest,
    NextBusinessDayAt,
    Not,
    Pause,
    Shift,
    SlaCalendar,
    SlaPolicy,
    SlaStatus,
    SlaTarget,
    Snapshot,
    StateChange,
    TargetStatus,
    ThresholdStatus,
    WeeklySchedule,
    sla_status,
    snapshots,
)
from tests.boundary.samples import Samples

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
OPEN = InCategory(["new", "active", "paused"])
DONE = InCategory(["resolved", "closed"])


def _holidays() -> Holidays:
    return Holidays(dates=[date(2024, 12, 25)], yearly=[(1, 1)], rules=["FREQ=YEARLY;BYEASTER=-2"])


def _calendar() -> BusinessCalendar:
    return BusinessCalendar(
        "Europe/London",
        WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}),
        _holidays(),
        [DateOverride.closed(date(2024, 5, 7))],
    )


def _night_calendar() -> BusinessCalendar:
    """Overnight shifts in a zone with DST, and one extra day."""
    return BusinessCalendar(
        "America/New_York",
        WeeklySchedule.from_days(
            {"mon-thu": "22:00-06:00+1", "sun": ["10:00-12:00", "13:00-15:00"]}
        ),
        Holidays(yearly=[(7, 4)]),
        [DateOverride.extra_hours(date(2024, 3, 9), "10:00-12:00")],
    )


def _resolution() -> SlaTarget:
    return SlaTarget(
        "resolution",
        DurationsByField("priority", {1: 2 * H, 2: 4 * H}, default=8 * H),
        start=OPEN,
        stop=DONE,
        pause=InCategory("paused"),
        cancel=InCategory("canceled"),
    )


def _response() -> SlaTarget:
    return SlaTarget("response", BusinessDays(1), start=OPEN, stop=InCategory("active"))


def _policy() -> SlaPolicy:
    return SlaPolicy(
        "standard",
        [_resolution(), _response()],
        _calendar(),
        thresholds=[50, 75],
        escalations=[Escalation("late", H)],
    )


def _history() -> list[HistoryEvent]:
    return [
        StateChange(T0, "new", StateCategory.NEW),
        FieldUpdate(T0, "priority", 2),
        StateChange(T0 + H, "work", StateCategory.ACTIVE),
        StateChange(T0 + 2 * H, "waiting", StateCategory.PAUSED),
        StateChange(T0 + 3 * H, "work", StateCategory.ACTIVE),
    ]


def _status() -> SlaStatus:
    return sla_status(_policy(), _history(), T0 + 4 * H)


def _snapshot() -> Snapshot:
    return list(snapshots(_history()))[-1]


SAMPLES = Samples(
    instances={
        Shift: [lambda: Shift.parse("09:00-17:00"), lambda: Shift.parse("22:00-06:00+1")],
        WeeklySchedule: [
            lambda: WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}),
            WeeklySchedule.always,
        ],
        Holidays: [_holidays, Holidays],
        DateOverride: [
            lambda: DateOverride.closed(date(2024, 5, 7)),
            lambda: DateOverride.extra_hours(date(2024, 5, 11), "10:00-12:00"),
        ],
        BusinessCalendar: [_calendar, _night_calendar],
        SlaCalendar: [_calendar],
        DeadlineCalendar: [_calendar],
        BusinessDays: [lambda: BusinessDays(2)],
        EndOfBusinessDay: [EndOfBusinessDay],
        NextBusinessDayAt: [lambda: NextBusinessDayAt(time(10, 0))],
        Earliest: [lambda: Earliest([BusinessDays(1), 4 * H])],
        Latest: [lambda: Latest([EndOfBusinessDay(), 4 * H])],
        Deadline: [lambda: BusinessDays(1)],
        DurationsByField: [lambda: DurationsByField("priority", {1: H, 2: 2 * H}, default=H)],
        DurationSelector: [lambda: DurationsByField("priority", {1: H}, default=H)],
        InCategory: [lambda: OPEN],
        InState: [lambda: InState(["work", "waiting"])],
        FieldIs: [lambda: FieldIs("priority", 2)],
        FieldChanged: [lambda: FieldChanged("priority")],
        AllOf: [lambda: AllOf([OPEN, FieldIs("priority", 2)])],
        AnyOf: [lambda: AnyOf([DONE, FieldChanged("priority")])],
        Not: [lambda: Not(DONE)],
        Condition: [lambda: OPEN],
        SlaTarget: [_resolution, _response],
        Escalation: [lambda: Escalation("late", H)],
        SlaPolicy: [_policy],
        StateChange: [lambda: StateChange(T0, "new", StateCategory.NEW)],
        FieldUpdate: [lambda: FieldUpdate(T0, "priority", 2)],
        HistoryEvent: [lambda: StateChange(T0, "new", StateCategory.NEW)],
        Snapshot: [_snapshot],
        SlaStatus: [_status],
        TargetStatus: [lambda: _status().targets[0]],
        CycleStatus: [lambda: _status().targets[0].cycles[0]],
        ThresholdStatus: [lambda: _status().targets[0].cycles[0].thresholds[0]],
        EscalationStatus: [lambda: _status().targets[0].cycles[0].escalations[0]],
        Pause: [lambda: _status().targets[0].cycles[0].pauses[0]],
    },
    arguments={
        "history": _history,
        "now": lambda: T0 + 4 * H,
        "policy": _policy,
        "start": lambda: T0,
        "end": lambda: T0 + 30 * H,
        "at": lambda: T0,
        "day": lambda: date(2024, 3, 4),
        "first": lambda: date(2024, 1, 1),
        "last": lambda: date(2024, 12, 31),
        "wall": lambda: time(10, 0),
        "starts": lambda: [T0, T0 + H],
        "ends": lambda: [T0 + 5 * H, T0 + 30 * H],
        "zone": lambda: "Europe/London",
        "text": lambda: "09:00-17:00",
        "name": lambda: "resolution",
        "field": lambda: "priority",
        "fields": lambda: {"priority": 2},
        "snapshot": _snapshot,
        "calendar": _calendar,
        "days": lambda: 2,
        "Shift.start": lambda: "09:00",
        "Shift.end": lambda: "17:00",
        "WeeklySchedule.from_days.days": lambda: {"mon-fri": "09:00-17:00"},
        "DurationsByField.durations": lambda: {1: H},
        "SlaTarget.name": lambda: "resolution",
        "SlaTarget.duration": lambda: 4 * H,
        "SlaTarget.start": lambda: OPEN,
        "SlaTarget.stop": lambda: DONE,
        "SlaPolicy.name": lambda: "standard",
        "SlaPolicy.targets": lambda: [_resolution()],
        "Escalation.name": lambda: "late",
        "Escalation.offset": lambda: H,
        "Earliest.parts": lambda: [BusinessDays(1), 4 * H],
        "Latest.parts": lambda: [BusinessDays(1), 4 * H],
        "InCategory.categories": lambda: ["new"],
        "InState.states": lambda: ["work"],
        "FieldIs.value": lambda: 2,
        "AllOf.conditions": lambda: [OPEN],
        "AnyOf.conditions": lambda: [OPEN],
        "Not.condition": lambda: OPEN,
        "StateChange.state": lambda: "new",
        "StateChange.category": lambda: "new",
        "FieldUpdate.value": lambda: 2,
        "DateOverride.shifts": lambda: ("10:00-12:00",),
        "country": lambda: "GB",
        "years": lambda: [2024, 2025],
        "NextBusinessDayAt.at": lambda: time(10, 0),
        "SlaStatus.policy": lambda: "standard",
        "SlaStatus.at": lambda: T0,
        "SlaStatus.targets": lambda: _status().targets,
        "TargetStatus.cycles": lambda: _status().targets[0].cycles,
        "other": _holidays,
        "others": lambda: (_holidays(),),
        "shifts": lambda: ("10:00-12:00",),
        "ClockReopen": lambda: ClockReopen.RESUME,
    },
)
