"""What ``sla_status`` costs beside the calendar calls it needs, and how it grows.

No PyPI library computes SLA status from a history (the anchors are ITSM
servers), so this compares itilkit with itself. First 13-event histories
against the *floor*: the public calendar calls the engine makes for them on a
calendar of the host's own, replayed on the bare calendar; then
``sla_statuses`` (the bulk form) beside one call per ticket, over 1,000 and
100,000 tickets, and over random walks whose state sequences hardly repeat
(with a fresh policy per run, so the engine's per-policy memos start empty).
Then histories of 10 to 1,000 events, and the same 10-event history spread
over a day or a year: the cost per event should stay flat (the computation is
linear in the history) and the span should not matter (calendar operations are
O(1)).

Run: ``.venv/bin/python -m benchmarks.bench_sla_status``
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from functools import partial

import attrs

from benchmarks._calendar import make_itilkit
from benchmarks._harness import Case, measure, table
from itilkit.categories import StateCategory
from itilkit.sla import (
    BusinessCalendar,
    DurationsByField,
    Escalation,
    FieldUpdate,
    HistoryEvent,
    InCategory,
    SlaPolicy,
    SlaTarget,
    StateChange,
    sla_status,
    sla_statuses,
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


class _Recording:
    """An SLA calendar that records the public calls the engine makes on it."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def add(self, start: datetime, duration: timedelta) -> datetime:
        self.calls.append(("add", (start, duration)))
        return self.calendar.add(start, duration)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        self.calls.append(("elapsed", (start, end)))
        return self.calendar.elapsed(start, end)

    def is_open(self, at: datetime) -> bool:
        self.calls.append(("is_open", (at,)))
        return self.calendar.is_open(at)

    def next_open(self, at: datetime) -> datetime:
        self.calls.append(("next_open", (at,)))
        return self.calendar.next_open(at)


def varied(tickets: int, events: int = 13) -> list[list[HistoryEvent]]:
    """Histories of random walks through the states (random gaps, a random priority),
    so that hardly two tickets share a sequence of states: the engine's memos
    (signals per state, cycles per signal sequence) rarely help."""
    rng = random.Random(10)
    states = [*CYCLE, ("new", StateCategory.NEW), ("canceled", StateCategory.CANCELED)]
    made = []
    for _ in range(tickets):
        at = START + timedelta(minutes=rng.randrange(7 * 1440))
        one: list[HistoryEvent] = [
            StateChange(at, "new", StateCategory.NEW),
            FieldUpdate(at, "priority", rng.randint(1, 3)),
        ]
        for _ in range(events - 2):
            at += timedelta(minutes=rng.randrange(1, 2 * 1440))
            name, category = rng.choice(states)
            one.append(StateChange(at, name, category))
        made.append(one)
    return made


def floor_cases(tickets: int, mixed: bool = False) -> tuple[list[Case], int]:
    """sla_status of ``tickets`` 13-event histories against replaying its calendar calls
    (``mixed``: the random walks of :func:`varied`, else the regular cycle)."""
    histories = (
        varied(tickets)
        if mixed
        else [history(13, timedelta(days=13 + index % 7)) for index in range(tickets)]
    )
    now = START + timedelta(days=20)
    recording = _Recording(CALENDAR)
    recorded = attrs.evolve(POLICY, calendar=recording)
    for one in histories:
        sla_status(recorded, one, now)
    calls = [(getattr(CALENDAR, name), args) for name, args in recording.calls]

    def floor() -> None:
        for method, args in calls:
            method(*args)

    def policy() -> SlaPolicy:
        """The policy; for the random walks a fresh copy per run, so that every run
        starts with the engine's memos empty (they are kept per policy object)."""
        return attrs.evolve(POLICY) if mixed else POLICY

    cases = [
        Case("calendar calls alone (floor), per ticket", floor, tickets),
        Case(
            "sla_status per ticket",
            lambda: [sla_status(chosen, one, now) for chosen in [policy()] for one in histories],
            tickets,
        ),
        Case(
            "sla_statuses (bulk), per ticket",
            lambda: sla_statuses(policy(), histories, now),
            tickets,
        ),
    ]
    return cases, len(calls) // tickets


def main() -> None:
    """Print the tables: against the calendar floor, per history length, per span."""
    cases, per_ticket = floor_cases(1000)
    title = f"SLA status of 13-event histories against its {per_ticket} calendar calls per ticket"
    print(table(title, measure(cases), baseline="calendar calls alone (floor), per ticket"))
    cases, _ = floor_cases(100_000)
    print(
        table("The same over 100,000 tickets", measure(cases, repeats=1, target=0.0)),
        flush=True,
    )
    cases, per_ticket = floor_cases(1000, mixed=True)
    title = (
        f"Random-walk 13-event histories (few shared sequences) against their "
        f"{per_ticket} calendar calls per ticket"
    )
    print(table(title, measure(cases), baseline="calendar calls alone (floor), per ticket"))
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
