"""Lifecycle definitions: validation, derivation and diagrams (documents: tests/codec)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidLifecycleError
from itilkit.lifecycle import (
    LifecycleDefinition,
    State,
    Transition,
    derive,
    to_mermaid,
)

from .strategies import definitions, sample_definition


def test_valid_definition_exposes_its_indexes() -> None:
    """A valid definition answers lookups by state and transition."""
    d = sample_definition()
    assert d.initial.name == "new"
    assert d.state_names == ("new", "work", "waiting", "done", "closed", "dropped")
    assert d.category("waiting") is StateCategory.PAUSED
    assert d.category("nope") is None
    move = d.move("work", "resolve")
    assert move is not None
    assert move.target == "done"
    assert d.move("closed", "resolve") is None
    assert d.required_fields("work", "resolve") == {"resolution", "resolved_note"}
    assert [t.name for t in d.transitions_from("work")] == ["hold", "resolve", "drop"]


def test_every_problem_is_reported_at_once() -> None:
    """Duplicate, unknown, multiple-initial, final-exit and unreachable problems all listed."""
    with pytest.raises(InvalidLifecycleError) as info:
        LifecycleDefinition(
            "broken",
            [
                State("a", "new", initial=True),
                State("b", "active", initial=True),
                State("a", "active"),
                State("z", "closed"),
            ],
            [
                Transition("go", "a", "ghost"),
                Transition("go", "a", "b"),
                Transition("back", "z", "a"),
                Transition("nowhere", (), "b"),
            ],
        )
    problems = info.value.problems
    assert "state 'a' is defined twice" in problems
    assert "several initial states: a, b; exactly one is allowed" in problems
    assert any("unknown state 'ghost'" in p for p in problems)
    assert "transition 'go' from 'a' is defined twice" in problems
    assert any("leaves final state 'z'" in p for p in problems)
    assert "transition 'nowhere' has no source state" in problems
    assert info.value.name == "broken"
    assert isinstance(info.value, ValueError)


def test_unreachable_and_missing_initial_are_reported() -> None:
    """A state no transition reaches is named; so is the lack of an initial state."""
    with pytest.raises(InvalidLifecycleError) as info:
        LifecycleDefinition(
            "u",
            [State("a", "new", initial=True), State("b", "closed"), State("c", "active")],
            [Transition("end", "a", "b")],
        )
    assert info.value.problems == ("state 'c' is unreachable from initial state 'a'",)
    with pytest.raises(InvalidLifecycleError, match="no initial state"):
        LifecycleDefinition("n", [State("a", "new")], [])


def test_final_state_may_be_opened_explicitly() -> None:
    """A closed state marked final=False may be left (a reopen policy)."""
    d = LifecycleDefinition(
        "reopenable",
        [State("a", "new", initial=True), State("c", "closed", final=False)],
        [Transition("close", "a", "c"), Transition("reopen", "c", "a")],
    )
    assert not d.state("c").final  # type: ignore[union-attr]


def test_bad_values_are_rejected_at_construction() -> None:
    """Empty names and unknown categories are typed errors."""
    with pytest.raises(InvalidInputError, match="name must be a non-empty string"):
        State("", "new")
    with pytest.raises(
        InvalidInputError, match="'later' is not a state category; allowed: new, active"
    ):
        State("x", "later")


def test_derive_renames_removes_and_adds() -> None:
    """A vendor variant renames, removes and adds without touching the base."""
    base = sample_definition()
    variant = derive(
        base,
        name="vendor",
        rename_states={"work": "in_progress"},
        rename_transitions={"drop": "cancel"},
        remove_states=["waiting"],
        add_states=[State("review", "active")],
        add_transitions=[
            Transition("review", "done", "review"),
            Transition("approve", "review", "closed"),
        ],
    )
    assert variant.name == "vendor"
    assert "waiting" not in variant.state_names
    assert variant.move("in_progress", "cancel") is not None
    assert variant.move("in_progress", "hold") is None  # its target was removed
    assert variant.move("review", "approve") is not None
    assert base == sample_definition()


def test_derive_reports_unknown_names_and_invalid_results() -> None:
    """Removing an unknown name, or leaving a state unreachable, is refused with every problem."""
    base = sample_definition()
    with pytest.raises(InvalidLifecycleError) as info:
        derive(base, remove_states=["ghost"], rename_transitions={"fly": "walk"})
    assert len(info.value.problems) == 2
    with pytest.raises(InvalidLifecycleError, match="unreachable"):
        derive(base, remove_transitions=["hold"])


def test_derive_adds_guards_to_existing_transitions_by_their_final_name() -> None:
    """add_guards appends to every transition of that name (after renames), once each."""
    base = sample_definition()
    variant = derive(
        base,
        rename_transitions={"drop": "cancel"},
        add_guards={"cancel": "reason_given", "resolve": ["not_requester", "has_notes"]},
    )
    assert {variant.move(s, "cancel").guards for s in ("new", "work", "waiting")} == {  # type: ignore[union-attr]
        ("reason_given",)
    }
    assert variant.move("work", "resolve").guards == ("not_requester", "has_notes")  # type: ignore[union-attr]
    with pytest.raises(
        InvalidLifecycleError, match="cannot add guards to unknown transition 'drop'"
    ):
        derive(base, rename_transitions={"drop": "cancel"}, add_guards={"drop": "x"})


def test_mermaid_has_every_edge_and_final_marker() -> None:
    """The diagram lists the initial marker, every edge with its guards, and final states."""
    text = to_mermaid(sample_definition())
    assert text.startswith("stateDiagram-v2\n")
    assert "    [*] --> new\n" in text
    assert "    work --> done: resolve [not_requester] / resolved_note\n" in text
    assert "    note right of done: requires resolution\n" in text
    assert "    closed --> [*]\n" in text
    assert "    class waiting cat_paused\n" in text
    edges = [line for line in text.splitlines() if "-->" in line and "[*]" not in line]
    assert len(edges) == sum(len(t.sources) for t in sample_definition().transitions)


@given(definitions(), st.data())
def test_generated_definitions_are_consistent(d: LifecycleDefinition, data: st.DataObject) -> None:
    """Every state is reachable and final states have no exits, in any valid definition."""
    finals = {s.name for s in d.states if s.final}
    assert not any(src in finals for t in d.transitions for src in t.sources)
    state = data.draw(st.sampled_from(d.state_names))
    for t in d.transitions_from(state):
        assert d.move(state, t.name) == t
