"""Fixes made to the shared parts: apply_transition and the guard context."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError
from itilkit.lifecycle import (
    GuardContext,
    GuardRegistry,
    Lifecycle,
    LifecycleDefinition,
    State,
    Transition,
    TransitionRecord,
    fire,
)
from itilkit.practices import INCIDENT_LIFECYCLE, Incident
from itilkit.practices._common import evolve_changed

from .helpers import at, working_incident


def test_listeners_hear_only_transitions_that_happened() -> None:
    """A command whose changed value is invalid notifies no listener; a valid one notifies once."""
    heard: list[TransitionRecord] = []
    lifecycle = INCIDENT_LIFECYCLE.subscribe(heard.append)
    inc = working_incident()
    with pytest.raises(InvalidInputError):
        inc.fire("hold", at=at(3), actor="bob", changes={"hold_reason": 42}, lifecycle=lifecycle)
    assert heard == []
    held = inc.hold("awaiting_vendor", at=at(3), actor="bob", lifecycle=lifecycle)
    assert heard == [held.history[-1]]


def test_guard_context_has_the_values_before_the_transition() -> None:
    """Guards see ``before`` (current values) beside ``fields`` (values after the changes)."""
    seen: list[tuple[object, object]] = []

    def spy(context: GuardContext) -> None:
        seen.append((context.before.get("x"), context.fields.get("x")))

    definition = LifecycleDefinition(
        "spy",
        [State("a", StateCategory.NEW, initial=True)],
        [Transition("poke", "a", "a", guards="spy")],
    )
    lifecycle = Lifecycle(definition, GuardRegistry({"spy": spy}))
    fire(
        definition,
        "a",
        "poke",
        at=at(0),
        actor="me",
        fields={"x": 1},
        changes={"x": 2},
        guards=lifecycle.guards,
    )
    assert seen == [(1, 2)]


def test_evolve_changed_matches_attrs_evolve_and_validates() -> None:
    """The fast copy equals attrs.evolve for valid updates and still rejects invalid ones."""
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    incident = Incident.log(
        id="INC-9", title="Printer", caller="ann", impact=3, urgency=3, at=at, actor="desk"
    )
    assert evolve_changed(incident, {"title": "Printer jam"}) == attrs.evolve(
        incident, title="Printer jam"
    )
    with pytest.raises(InvalidInputError):
        evolve_changed(incident, {"title": ""})
    with pytest.raises(InvalidInputError):
        evolve_changed(incident, {"reopen_count": -1})
    assert incident.title == "Printer"
