"""One value of each document kind, as the golden documents of schema version 1 hold them.

``python -m tests.codec.samples`` rewrites ``tests/codec/golden/*.json`` from
these values; do that only for a deliberate format change, with a new schema
version and an upcaster for the old one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from itilkit import codec
from itilkit.categories import StateCategory
from itilkit.lifecycle import FieldChange, LifecycleDefinition, State, Transition, TransitionRecord
from itilkit.metrics import ByPeriod, Period, Result, TimeToResolve
from itilkit.practices import PRIORITY_3X3, RISK_5X5, LookupMatrix, Scale, ScaleDirection
from itilkit.sla import (
    BusinessCalendar,
    ClockReopen,
    DateOverride,
    DurationsByField,
    Escalation,
    FieldChanged,
    FieldIs,
    Holidays,
    InCategory,
    InState,
    SlaPolicy,
    SlaTarget,
    WeeklySchedule,
)

GOLDEN = Path(__file__).parent / "golden"
HOUR = timedelta(hours=1)
PARIS = timezone(timedelta(hours=2))

LIFECYCLE = LifecycleDefinition(
    "ticket",
    [
        State("new", "new", initial=True, description="logged"),
        State("work", "active"),
        State("waiting", "paused", required_fields={"hold_reason"}),
        State("done", "resolved", required_fields={"resolution"}),
        State("closed", "closed", final=False),
        State("dropped", "canceled"),
    ],
    [
        Transition("start", ["new"], "work"),
        Transition("hold", ["work"], "waiting", required_fields={"hold_reason"}),
        Transition("resume", ["waiting"], "work"),
        Transition("resolve", ["new", "work"], "done", guards=["not_requester"]),
        Transition("close", ["done"], "closed", description="after confirmation"),
        Transition("reopen", ["closed"], "work"),
        Transition("drop", ["new", "work", "waiting"], "dropped"),
    ],
)
RECORD = TransitionRecord(
    "hold",
    "work",
    "waiting",
    datetime(2024, 5, 2, 14, 30, 15, 250000, tzinfo=PARIS),
    "ana",
    reason="waiting for the caller",
    changes=(FieldChange("hold_reason", None, "awaiting_caller"), FieldChange("priority", 2, 3)),
    source_category=StateCategory.ACTIVE,
    target_category=StateCategory.PAUSED,
)
MATRIX = LookupMatrix(
    "severity",
    Scale("impact", ("minor", "major")),
    Scale("urgency", ("low", "high"), ScaleDirection.ONE_IS_LOWEST),
    Scale("severity", ("s1", "s2", "s3")),
    ((2, 1), (3, 2)),
)
CALENDAR = BusinessCalendar(
    "Europe/Paris",
    WeeklySchedule.from_days({"mon-fri": "08:30-12:00, 13:30-18:00", "sat": "22:00-06:00+1"}),
    Holidays(
        dates=[date(2024, 5, 8), date(2024, 5, 9)],
        yearly=[(1, 1), (12, 25)],
        rules=["FREQ=YEARLY;BYEASTER=1"],
    ),
    [DateOverride.hours(date(2024, 12, 24), "08:30-12:00"), DateOverride.closed(date(2024, 8, 14))],
)
OPEN = InCategory(["new", "active", "paused"])
POLICY = SlaPolicy(
    "gold",
    [
        SlaTarget(
            "response", HOUR, start=OPEN, stop=~InCategory("new"), cancel=InCategory("canceled")
        ),
        SlaTarget(
            "resolution",
            DurationsByField("priority", {1: 4 * HOUR, 2: 8 * HOUR}, timedelta(days=3)),
            start=OPEN,
            stop=InCategory(["resolved", "closed"]),
            pause=InCategory("paused") & ~FieldIs("hold_reason", ["awaiting_change", None]),
            cancel=InCategory("canceled") | InState("dropped"),
            reset=FieldChanged("assignment_group"),
        ),
    ],
    CALENDAR,
    thresholds=[50, 75.5, 100],
    escalations=[Escalation("team lead", -HOUR), Escalation("manager", 2 * HOUR)],
    reopen=ClockReopen.NEW_CYCLE,
)


def _result() -> Result[Any]:
    rows = [
        {
            "id": "a",
            "opened_at": datetime(2024, 1, 3, 9, tzinfo=UTC),
            "resolved_at": datetime(2024, 1, 3, 13, tzinfo=UTC),
            "team": "net",
        },
        {
            "id": "b",
            "opened_at": datetime(2024, 2, 1, 9, tzinfo=UTC),
            "resolved_at": datetime(2024, 2, 2, 9, 30, tzinfo=UTC),
            "team": "db",
        },
        {
            "id": "c",
            "opened_at": datetime(2024, 2, 5, 9, tzinfo=UTC),
            "resolved_at": None,
            "team": "db",
        },
    ]
    measure = TimeToResolve(
        by=["team", ByPeriod("resolved_at", Period.MONTH)], percentiles=[0.5, 0.9]
    )
    return measure(rows)


RESULT = _result()

SAMPLES: dict[str, object] = {
    "lifecycle": LIFECYCLE,
    "transition-record": RECORD,
    "matrix": MATRIX,
    "priority-matrix": PRIORITY_3X3,
    "risk-matrix": RISK_5X5,
    "calendar": CALENDAR,
    "sla-policy": POLICY,
    "metric-result": RESULT,
}


def main() -> None:
    """Write each sample's document to ``golden/<kind>.json``."""
    GOLDEN.mkdir(exist_ok=True)
    for kind, value in SAMPLES.items():
        (GOLDEN / f"{kind}.json").write_text(codec.dumps(value) + "\n")


if __name__ == "__main__":
    main()
