"""A small ticket lifecycle and trace builders shared by the conformance tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from itilkit.conformance import Trace
from itilkit.lifecycle import LifecycleDefinition, State, Transition

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def ticket_lifecycle(
    *, reopen_closed: bool = False, hold_from_new: bool = False
) -> LifecycleDefinition:
    """new -> work <-> waiting -> done -> closed, resolve from new/work/waiting, drop, reopen."""
    transitions = [
        Transition("start", "new", "work"),
        Transition("hold", ["work", *(["new"] if hold_from_new else [])], "waiting"),
        Transition("resume", "waiting", "work"),
        Transition("resolve", ["new", "work", "waiting"], "done"),
        Transition("reopen", "done", "work"),
        Transition("close", "done", "closed"),
        Transition("drop", ["new", "work"], "dropped"),
        Transition("note", "work", "work"),
    ]
    if reopen_closed:
        transitions.append(Transition("reopen", "closed", "work"))
    return LifecycleDefinition(
        "ticket" + (" (reopenable)" if reopen_closed else ""),
        [
            State("new", "new", initial=True),
            State("work", "active"),
            State("waiting", "paused"),
            State("done", "resolved"),
            State("closed", "closed", final=not reopen_closed),
            State("dropped", "canceled"),
        ],
        transitions,
    )


def trace(
    ticket: str,
    *states: str,
    hours: float = 1.0,
    attributes: Mapping[str, str] | None = None,
    **options: object,
) -> Trace:
    """A trace seen in ``states``, one every ``hours`` from T0."""
    return Trace(
        ticket,
        [(s, T0 + timedelta(hours=hours * i)) for i, s in enumerate(states)],
        attributes=attributes,
        **options,  # type: ignore[arg-type]
    )
