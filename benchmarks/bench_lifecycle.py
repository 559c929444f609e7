"""Lifecycle throughput and memory: itilkit against transitions and python-statemachine.

Run: ``.venv/bin/python -m benchmarks.bench_lifecycle`` (needs the ``bench`` extra:
``pip install -e '.[bench]'``). Prints Markdown tables for docs/performance.md.

The lifecycle has six states (new, in_progress, on_hold, resolved, closed,
canceled) and the measured path is six steps: create the incident, then
start, hold, resume, resolve (guarded: a resolution code is required) and
close. Every library runs the same path on the same guard. itilkit also
writes an audit record per transition; the others keep no history.

The named-command table measures each command of a full ``Incident``
entity (bound to its practice: field validation, the practice's guards and
state fields, counters, the audit record and a new frozen value) on a fixed
entity, beside one transition of the other libraries on an existing machine.
The memory table holds 5,000 logged incidents with an 8-record history.
"""

from __future__ import annotations

import gc
import importlib.metadata
import platform
import statistics
import sys
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from statemachine import State as SmState
from statemachine import StateMachine
from transitions import Machine

from benchmarks._harness import Case, fmt_time, measure, table
from itilkit.lifecycle import (
    GuardContext,
    GuardRegistry,
    LifecycleDefinition,
    State,
    Transition,
    TransitionRecord,
    fire,
)
from itilkit.practices import INCIDENT, Assignment, HoldReason, Incident

PATH = ("start", "hold", "resume", "resolve", "close")
LOOP = ("hold", "resume", "resolve", "reopen")
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --- itilkit -----------------------------------------------------------------


def _has_resolution(context: GuardContext) -> str | None:
    return None if context.fields.get("resolution_code") else "a resolution code is required"


DEFINITION = LifecycleDefinition(
    "bench-incident",
    [
        State("new", "new", initial=True),
        State("in_progress", "active"),
        State("on_hold", "paused"),
        State("resolved", "resolved"),
        State("closed", "closed"),
        State("canceled", "canceled"),
    ],
    [
        Transition("start", "new", "in_progress"),
        Transition("hold", "in_progress", "on_hold"),
        Transition("resume", "on_hold", "in_progress"),
        Transition("resolve", "in_progress", "resolved", guards="has_resolution"),
        Transition("reopen", "resolved", "in_progress"),
        Transition("close", "resolved", "closed"),
        Transition("cancel", ["new", "in_progress", "on_hold"], "canceled"),
    ],
)
GUARDS = GuardRegistry().with_guards(has_resolution=_has_resolution)
FIELDS = {"resolution_code": "fixed"}


class ItilkitTicket:
    """What a host keeps per incident: the state and the audit trail."""

    __slots__ = ("history", "state")

    def __init__(self) -> None:
        self.state = DEFINITION.initial.name
        self.history: list[TransitionRecord] = []

    def fire(self, name: str) -> None:
        outcome = fire(
            DEFINITION, self.state, name, at=AT, actor="agent", fields=FIELDS, guards=GUARDS
        )
        self.state = outcome.state
        self.history.append(outcome.record)


def incident_entity() -> Incident:
    """The practices entity through its commands: log, assign, then the path."""
    t = AT
    incident = log_only()
    incident = incident.assign(ASSIGNMENT, at=t, actor="desk")
    incident = incident.start_work(at=t, actor="bob")
    incident = incident.hold(HoldReason.AWAITING_VENDOR, at=t, actor="bob")
    incident = incident.resume(at=t, actor="bob")
    incident = incident.resolve("fixed", "replaced the relay", at=t, actor="bob")
    return incident.close(at=t, actor="ann")


ASSIGNMENT = Assignment("email", "bob")


# --- pytransitions -------------------------------------------------------------

_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "start", "source": "new", "dest": "in_progress"},
    {"trigger": "hold", "source": "in_progress", "dest": "on_hold"},
    {"trigger": "resume", "source": "on_hold", "dest": "in_progress"},
    {
        "trigger": "resolve",
        "source": "in_progress",
        "dest": "resolved",
        "conditions": "has_resolution",
    },
    {"trigger": "reopen", "source": "resolved", "dest": "in_progress"},
    {"trigger": "close", "source": "resolved", "dest": "closed"},
    {"trigger": "cancel", "source": ["new", "in_progress", "on_hold"], "dest": "canceled"},
]
_STATES = ["new", "in_progress", "on_hold", "resolved", "closed", "canceled"]


class TModel:
    """A model object for pytransitions."""

    resolution_code = "fixed"

    def has_resolution(self) -> bool:
        return bool(self.resolution_code)


SHARED = Machine(
    model=None, states=_STATES, transitions=_TRANSITIONS, initial="new", auto_transitions=False
)


def transitions_per_incident() -> TModel:
    model = TModel()
    Machine(
        model=model, states=_STATES, transitions=_TRANSITIONS, initial="new", auto_transitions=False
    )
    return model


# --- python-statemachine -------------------------------------------------------


class IncidentMachine(StateMachine):
    """The same lifecycle for python-statemachine."""

    new = SmState(initial=True)
    in_progress = SmState()
    on_hold = SmState()
    resolved = SmState()
    closed = SmState(final=True)
    canceled = SmState(final=True)

    start = new.to(in_progress)
    hold = in_progress.to(on_hold)
    resume = on_hold.to(in_progress)
    resolve = in_progress.to(resolved, cond="has_resolution")
    reopen = resolved.to(in_progress)
    close = resolved.to(closed)
    cancel = new.to(canceled) | in_progress.to(canceled) | on_hold.to(canceled)


class SmModel:
    """A model object for python-statemachine."""

    resolution_code = "fixed"

    def __init__(self) -> None:
        self.state: str | None = None

    def has_resolution(self) -> bool:
        return bool(self.resolution_code)


# --- cases -----------------------------------------------------------------------


def lifecycle_cases() -> list[Case]:
    def itilkit_path() -> None:
        ticket = ItilkitTicket()
        for name in PATH:
            ticket.fire(name)
        assert ticket.state == "closed"

    def transitions_machine_per_incident() -> None:
        model = transitions_per_incident()
        for name in PATH:
            getattr(model, name)()
        assert model.state == "closed"  # type: ignore[attr-defined]

    def transitions_shared_machine() -> None:
        model = TModel()
        SHARED.add_model(model)
        for name in PATH:
            getattr(model, name)()
        assert model.state == "closed"  # type: ignore[attr-defined]
        SHARED.remove_model(model)

    def statemachine_per_incident() -> None:
        model = SmModel()
        machine = IncidentMachine(model=model)
        for name in PATH:
            machine.send(name)
        assert model.state == "closed"

    ops = len(PATH)
    return [
        Case("itilkit fire() with audit record", itilkit_path, ops),
        Case("itilkit Incident entity: log + 6 commands", incident_entity, 6),
        Case("transitions: Machine per incident", transitions_machine_per_incident, ops),
        Case("transitions: shared Machine, add/remove_model", transitions_shared_machine, ops),
        Case("python-statemachine: machine per incident", statemachine_per_incident, ops),
    ]


def steady_cases() -> list[Case]:
    ticket = ItilkitTicket()
    ticket.fire("start")
    tmodel = transitions_per_incident()
    tmodel.start()  # type: ignore[attr-defined]
    smodel = SmModel()
    machine = IncidentMachine(model=smodel)
    machine.send("start")

    def itilkit_loop() -> None:
        for name in LOOP:
            ticket.fire(name)
        ticket.history.clear()  # keep memory flat across calibration loops

    def transitions_loop() -> None:
        for name in LOOP:
            getattr(tmodel, name)()

    def statemachine_loop() -> None:
        for name in LOOP:
            machine.send(name)

    ops = len(LOOP)
    return [
        Case("itilkit fire() with audit record", itilkit_loop, ops),
        Case("transitions: existing Machine", transitions_loop, ops),
        Case("python-statemachine: existing machine", statemachine_loop, ops),
    ]


def bytes_per_instance(make: Callable[[], object], count: int = 5_000) -> tuple[float, float]:
    """Bytes per live instance after creation and after the whole path (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    items = [make() for _ in range(count)]
    created = (tracemalloc.get_traced_memory()[0] - base) / count
    for item in items:
        for name in PATH:
            if isinstance(item, ItilkitTicket):
                item.fire(name)
            elif isinstance(item, tuple):
                item[1].send(name)
            else:
                getattr(item, name)()
    walked = (tracemalloc.get_traced_memory()[0] - base) / count
    tracemalloc.stop()
    del items
    return created, walked


def log_only() -> Incident:
    return Incident.log(
        INCIDENT, id="INC-1", title="Mail down", caller="ann", impact=2, urgency=1, at=AT,
        actor="desk",
    )  # fmt: skip


def command_cases() -> list[Case]:
    """Each named command of the Incident entity, applied to a fixed entity."""
    t = AT
    new = log_only()
    assigned = new.assign(ASSIGNMENT, at=t, actor="desk")
    working = assigned.start_work(at=t, actor="bob")
    held = working.hold(HoldReason.AWAITING_VENDOR, at=t, actor="bob")
    resolved = working.resolve("fixed", "replaced the relay", at=t, actor="bob")
    steps: list[tuple[str, Callable[[], object]]] = [
        ("assign", lambda: new.assign(ASSIGNMENT, at=t, actor="desk")),
        ("start_work", lambda: assigned.start_work(at=t, actor="bob")),
        ("hold (guarded)", lambda: working.hold(HoldReason.AWAITING_VENDOR, at=t, actor="bob")),
        ("resume", lambda: held.resume(at=t, actor="bob")),
        ("resolve", lambda: working.resolve("fixed", "replaced the relay", at=t, actor="bob")),
        ("reopen", lambda: resolved.reopen(at=t, actor="ann")),
        ("close", lambda: resolved.close(at=t, actor="ann")),
        ("reprioritise", lambda: working.reprioritise(urgency=2, at=t, actor="desk")),
    ]
    return [Case(f"itilkit Incident.{name}", run) for name, run in steps]


def eight_records() -> Incident:
    """A logged incident with an 8-record history: assign ... resolve, reopen, resolve, close."""
    t = AT
    incident = log_only().assign(ASSIGNMENT, at=t, actor="desk").start_work(at=t, actor="bob")
    incident = incident.hold(HoldReason.AWAITING_VENDOR, at=t, actor="bob").resume(
        at=t, actor="bob"
    )
    incident = incident.resolve("workaround", "rerouted", at=t, actor="bob").reopen(
        at=t, actor="ann"
    )
    incident = incident.resolve("fixed", "replaced the relay", at=t, actor="bob")
    return incident.close(at=t, actor="ann")


def entity_bytes(make: Callable[[], Incident], count: int = 5_000) -> float:
    """Bytes per live Incident entity (tracemalloc; shared constants excluded)."""
    make()  # warm caches so only per-entity memory is counted
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    items = [make() for _ in range(count)]
    used = (tracemalloc.get_traced_memory()[0] - base) / count
    tracemalloc.stop()
    del items
    return used


def main() -> None:
    versions = {
        name: importlib.metadata.version(name)
        for name in ("itilkit", "transitions", "python-statemachine")
    }
    print(
        f"Python {sys.version.split()[0]} on {platform.machine()}; "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    print()
    print(
        table(
            "Six-step lifecycle incl. creation (per transition)",
            measure(lifecycle_cases()),
            baseline="itilkit fire() with audit record",
        )
    )
    steady = steady_cases()
    commands = command_cases()
    results = measure([*steady, *commands])
    print(
        table(
            "Steady state: one transition, and each named command of a full Incident entity",
            results,
            baseline="itilkit fire() with audit record",
        )
    )
    named = [r.median for r in results[len(steady) :]]
    print(
        f"Named commands on a full entity: median {fmt_time(statistics.median(named))}, "
        f"slowest {fmt_time(max(named))} per command.\n"
    )

    def make_statemachine() -> tuple[SmModel, IncidentMachine]:
        model = SmModel()
        return model, IncidentMachine(model=model)

    print("### Memory per incident (tracemalloc, 5,000 live instances)\n")
    print("| implementation | bytes after creation | bytes after the path |")
    print("|---|---:|---:|")
    print(
        f"| itilkit Incident entity, logged | {entity_bytes(log_only):,.0f} | "
        f"{entity_bytes(eight_records):,.0f} (8 records) |"
    )
    for name, make in (
        ("itilkit fire(): state + audit trail of 5 records", ItilkitTicket),
        ("transitions: Machine per incident", transitions_per_incident),
        ("python-statemachine: machine per incident", make_statemachine),
    ):
        created, walked = bytes_per_instance(make)
        print(f"| {name} | {created:,.0f} | {walked:,.0f} |")


if __name__ == "__main__":
    main()
