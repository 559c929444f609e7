"""How the cost of ``sla_status`` grows with the history and with the span.

No PyPI library computes SLA status from a history (the anchors are ITSM
servers), so this compares itilkit with itself: histories of 10 to 1,000
events over days, and the same 10-event history spread over a day or a year.
The cost per event should stay flat (the computation is linear in the
history) and the span should not matter (calendar operations are O(1)).

Run: ``.venv/bin/python -m benchmarks.bench_sla_status``
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from benchmarks._calendar import make_itilkit
from benchmarks._harness import Case, measure, table
from itilkit.categories import StateCategory
from itilkit.sla import (
    DurationsByField,
    Escalation,
    FieldUpdate,
    HistoryEvent,
    InCategory,
    SlaPolicy,
    SlaTarget,
    StateChange,
    sla_status,
)

HOUR = timedelta(hours=1)
CALENDAR = make_itilkit()
OPEN = InCategory(["new", "active", "paused"])
POLICY = SlaPolicy(
    "bench",
    [
        SlaTarget(
            "resolution",
            DurationsByField("priority", {1: 4 * HOUR, 2: 40 * HOUR, 3: 4000 * HOUR}),
            start=OPEN,
            stop=InCategory(["resolved", "closed"]),
            pause=InCategory("paused"),
            cancel=InCategory("canceled"),
        ),
        SlaTarget("response", HOUR, start=OPEN, stop=~InCategory("new")),
    ],
    CALENDAR,
    thresholds=[50, 75, 100],
    escalations=[Escalation("lead", -HOUR), Escalation("manager", 2 * HOUR)],
)
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CYCLE = (
    ("in_progress", StateCategory.ACTIVE),
    ("on_hold", StateCategory.PAUSED),
    ("in_progress", StateCategory.ACTIVE),
    ("resolved", StateCategory.RESOLVED),
)


def history(events: int, span: timedelta) -> list[HistoryEvent]:
    """A ticket paused, resumed, resolved and reopened over and over within ``span``."""
    step = span / events
    made: list[HistoryEvent] = [
        StateChange(START, "new", StateCategory.NEW),
        FieldUpdate(START, "priority", 3),
    ]
    for index in range(1, events - 1):
        name, category = CYCLE[index % len(CYCLE)]
        made.append(StateChange(START + index * step, name, category))
    return made


def main() -> None:
    """Print two tables: cost per history length, and cost per span."""
    by_length = []
    for events in (10, 100, 1000):
        events_history = history(events, timedelta(days=events))
        now = START + timedelta(days=events)
        by_length.append(
            Case(
                f"{events} events, per event",
                partial(sla_status, POLICY, events_history, now),
                ops=events,
            )
        )
    by_span = []
    for label, span in (("1 day", timedelta(days=1)), ("1 year", timedelta(days=365))):
        span_history = history(10, span)
        now = START + span
        by_span.append(
            Case(
                f"10 events over {label}, per status",
                partial(sla_status, POLICY, span_history, now),
            )
        )
    print(table("SLA status: cost per history event", measure(by_length), baseline=None))
    print(table("SLA status: cost by span", measure(by_span), baseline=None))


if __name__ == "__main__":
    main()
