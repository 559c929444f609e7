"""Samples of itilkit.lifecycle: a small ticket lifecycle, its records, guards and contexts."""

from __future__ import annotations

from datetime import UTC, datetime

from itilkit.categories import StateCategory
from itilkit.lifecycle import (
    FieldChange,
    GuardContext,
    GuardRegistry,
    Lifecycle,
    LifecycleDefinition,
    Listener,
    Outcome,
    State,
    Transition,
    TransitionRecord,
    actor_differs_from,
    actor_not_in,
    field_in,
)
from tests.boundary.samples import Samples
from tests.lifecycle.strategies import sample_definition

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _record() -> TransitionRecord:
    return TransitionRecord(
        "start",
        "new",
        "work",
        T0,
        "alice",
        "picked up",
        (FieldChange("assignee", None, "alice"),),
        StateCategory.NEW,
        StateCategory.ACTIVE,
    )


def _context() -> GuardContext:
    fields = {"requested_by": "bob", "approvals": (), "priority": 1}
    return GuardContext("sample", "work", "resolve", "done", fields, {}, "alice", T0, fields)


def _guards() -> GuardRegistry:
    return GuardRegistry({"not_requester": actor_differs_from("requested_by")})


def _heard(_record: TransitionRecord) -> None:
    """A listener that keeps nothing."""


SAMPLES = Samples(
    instances={
        FieldChange: [lambda: FieldChange("assignee", None, "alice")],
        GuardContext: [_context],
        GuardRegistry: [_guards, GuardRegistry],
        Lifecycle: [lambda: Lifecycle(sample_definition(), _guards(), [_heard])],
        LifecycleDefinition: [sample_definition],
        Listener: [lambda: _heard],
        Outcome: [lambda: Outcome("work", _record())],
        State: [lambda: State("new", "new", initial=True), lambda: State("done", "closed")],
        Transition: [lambda: Transition("start", ["new"], "work", guards=["not_requester"])],
        TransitionRecord: [_record],
    },
    arguments={
        "State.name": lambda: "new",
        "State.category": lambda: "new",
        "Transition.name": lambda: "start",
        "Transition.sources": lambda: ("new",),
        "Transition.target": lambda: "work",
        "LifecycleDefinition.name": lambda: "sample",
        "LifecycleDefinition.states": lambda: sample_definition().states,
        "LifecycleDefinition.transitions": lambda: sample_definition().transitions,
        "state": lambda: "new",
        "transition": lambda: "start",
        "actor": lambda: "alice",
        "history": lambda: [_record()],
        "base": sample_definition,
        "field": lambda: "requested_by",
        "fire.guards": _guards,
        "Lifecycle.guards": _guards,
        "available_transitions.guards": _guards,
        "LifecycleDefinition.move.transition": lambda: "start",
        "LifecycleDefinition.required_fields.transition": lambda: "resolve",
    },
    callables={
        "actor_differs_from('requested_by')": lambda: actor_differs_from("requested_by"),
        "actor_not_in('approvals', 'approver')": lambda: actor_not_in("approvals", "approver"),
        "field_in('priority', [1, 2])": lambda: field_in("priority", [1, 2]),
    },
)
