"""Firing transitions: outcomes, refusals, guards, listeners and replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from itilkit.categories import StateCategory
from itilkit.errors import (
    GuardRefusedError,
    InvalidInputError,
    InvalidLifecycleError,
    LifecycleError,
    MissingFieldsError,
    NaiveDatetimeError,
    TransitionNotAllowedError,
    UnknownStateError,
    UnknownTransitionError,
)
from itilkit.lifecycle import (
    FieldChange,
    GuardContext,
    GuardRegistry,
    Lifecycle,
    LifecycleDefinition,
    State,
    Transition,
    TransitionRecord,
    actor_differs_from,
    actor_not_in,
    available_transitions,
    field_in,
    fire,
    replay,
)
from tests.boundary.hostile import NoOffset

from .strategies import definitions, sample_definition

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUARDS = GuardRegistry().with_guards(not_requester=actor_differs_from("requester"))
RESOLVABLE = {"resolution": "fixed", "resolved_note": "rebooted", "requester": "carol"}


def test_fire_returns_new_state_and_record() -> None:
    """A fired transition yields its target and a complete audit record."""
    outcome = fire(
        sample_definition(),
        "work",
        "resolve",
        at=AT,
        actor="bob",
        fields={"requester": "carol", "resolution": None},
        changes={"resolution": "fixed", "resolved_note": "rebooted"},
        reason="user confirmed",
        guards=GUARDS,
    )
    assert outcome.state == "done"
    assert outcome.record == TransitionRecord(
        "resolve",
        "work",
        "done",
        AT,
        "bob",
        "user confirmed",
        (FieldChange("resolution", None, "fixed"), FieldChange("resolved_note", None, "rebooted")),
        StateCategory.ACTIVE,
        StateCategory.RESOLVED,
    )
    assert outcome.record.changed("resolution") == FieldChange("resolution", None, "fixed")
    assert outcome.record.changed("other") is None


def test_unchanged_values_are_not_recorded() -> None:
    """Setting a field to its current value is not a change."""
    outcome = fire(
        sample_definition(),
        "new",
        "start",
        at=AT,
        actor="bob",
        fields={"team": "a"},
        changes={"team": "a", "owner": "bob"},
    )
    assert outcome.record.changes == (FieldChange("owner", None, "bob"),)


def test_not_allowed_lists_the_transitions_that_could_fire_now() -> None:
    """A refused transition names those leaving the state whose guards allow them now."""
    with pytest.raises(TransitionNotAllowedError) as info:
        fire(sample_definition(), "new", "close", at=AT, actor="bob", guards=GUARDS)
    assert info.value.allowed == ("drop", "resolve", "start")
    assert info.value.state == "new"
    assert "allowed from 'new': drop, resolve, start" in str(info.value)
    with pytest.raises(TransitionNotAllowedError) as refused:
        fire(
            sample_definition(), "new", "close", at=AT, actor="carol", fields=RESOLVABLE,
            guards=GUARDS,
        )  # fmt: skip
    assert refused.value.allowed == ("drop", "start")  # carol is the requester: no resolve
    with pytest.raises(TransitionNotAllowedError) as unguarded:
        fire(sample_definition(), "new", "close", at=AT, actor="bob")
    assert unguarded.value.allowed == ("drop", "start")  # its guard is not registered


def test_unknown_state_and_transition_are_lookup_errors() -> None:
    """Names the definition lacks raise LookupError subclasses listing the known names."""
    with pytest.raises(UnknownStateError) as state_info:
        fire(sample_definition(), "limbo", "start", at=AT, actor="bob")
    assert "work" in state_info.value.known
    with pytest.raises(UnknownTransitionError) as move_info:
        fire(sample_definition(), "new", "teleport", at=AT, actor="bob")
    assert isinstance(move_info.value, LookupError)
    assert "resolve" in move_info.value.known


def test_missing_fields_are_listed() -> None:
    """Fields required by the transition and its target are checked together."""
    with pytest.raises(MissingFieldsError) as info:
        fire(
            sample_definition(),
            "work",
            "resolve",
            at=AT,
            actor="bob",
            fields={"resolution": ""},
            guards=GUARDS,
        )
    assert info.value.fields == ("resolution", "resolved_note")
    assert info.value.target == "done"


def test_guard_refusal_gives_every_reason() -> None:
    """Each refusing guard contributes its sentence to the error."""
    definition = LifecycleDefinition(
        "g",
        [State("a", "new", initial=True), State("b", "active")],
        [Transition("go", "a", "b", guards=["not_owner", "team_ok"])],
    )
    guards = GuardRegistry().with_guards(
        not_owner=actor_differs_from("owner"), team_ok=field_in("team", ["ops"])
    )
    with pytest.raises(GuardRefusedError) as info:
        fire(
            definition,
            "a",
            "go",
            at=AT,
            actor="ann",
            fields={"owner": "ann", "team": "dev"},
            guards=guards,
        )
    assert info.value.reasons == (
        "'ann' is the owner and may not go",
        "team is 'dev'; go needs one of: ops",
    )
    assert info.value.allowed == ()  # the refused transition was the only way out


def test_guard_sees_fields_after_changes() -> None:
    """Guards read the entity as it would be after the transition."""
    seen: list[GuardContext] = []

    def spy(context: GuardContext) -> None:
        seen.append(context)

    definition = LifecycleDefinition(
        "s",
        [State("a", "new", initial=True), State("b", "active")],
        [Transition("go", "a", "b", guards=["spy"])],
    )
    fire(
        definition,
        "a",
        "go",
        at=AT,
        actor="x",
        fields={"k": 1, "j": 2},
        changes={"k": 3},
        guards=GuardRegistry().with_guards(spy=spy),
    )
    assert seen[0].fields["k"] == 3
    assert seen[0].fields["j"] == 2
    assert seen[0].target == "b"


def test_unregistered_guard_is_a_definition_error() -> None:
    """Firing or binding a definition whose guard is missing says which guard."""
    with pytest.raises(InvalidLifecycleError, match="not_requester"):
        fire(sample_definition(), "work", "resolve", at=AT, actor="bob", fields=RESOLVABLE)
    with pytest.raises(InvalidLifecycleError, match="'not_requester' is used but not registered"):
        Lifecycle(sample_definition())


def test_bad_time_and_actor_are_rejected() -> None:
    """A naive time or an empty actor is a typed input error."""
    with pytest.raises(NaiveDatetimeError):
        fire(sample_definition(), "new", "start", at=datetime(2026, 1, 1), actor="bob")
    with pytest.raises(InvalidInputError, match="actor"):
        fire(sample_definition(), "new", "start", at=AT, actor="")


def test_naive_with_tzinfo_and_non_datetime_times_are_rejected() -> None:
    """A tzinfo without an offset is still naive; a string time is a typed input error."""
    with pytest.raises(NaiveDatetimeError):
        fire(
            sample_definition(),
            "new",
            "start",
            at=datetime(2026, 1, 1, tzinfo=NoOffset()),
            actor="bob",
        )
    with pytest.raises(InvalidInputError, match="at must be an aware datetime"):
        fire(sample_definition(), "new", "start", at="2026-01-01", actor="bob")  # type: ignore[arg-type]


def test_segregation_of_duties_on_any_lifecycle() -> None:
    """The requester cannot approve and nobody approves twice, as plain guards."""
    definition = LifecycleDefinition(
        "purchase",
        [State("asked", "new", initial=True), State("ok", "active")],
        [
            Transition("approve", "asked", "asked", guards=["sod", "once"]),
            Transition("order", "asked", "ok"),
        ],
    )
    guards = GuardRegistry().with_guards(
        sod=actor_differs_from("requested_by"), once=actor_not_in("approvers")
    )
    fields: dict[str, Any] = {"requested_by": "ann", "approvers": ("bob",)}
    with pytest.raises(GuardRefusedError, match="requested_by"):
        fire(definition, "asked", "approve", at=AT, actor="ann", fields=fields, guards=guards)
    with pytest.raises(GuardRefusedError, match="already among approvers"):
        fire(definition, "asked", "approve", at=AT, actor="bob", fields=fields, guards=guards)
    assert (
        fire(definition, "asked", "approve", at=AT, actor="cy", fields=fields, guards=guards).state
        == "asked"
    )


def test_available_transitions_respect_guards_and_fields() -> None:
    """Only transitions that would fire now without changes are offered."""
    definition = sample_definition()
    assert available_transitions(definition, "work", at=AT, actor="bob", guards=GUARDS) == ("drop",)
    assert available_transitions(
        definition,
        "work",
        at=AT,
        actor="bob",
        guards=GUARDS,
        fields={**RESOLVABLE, "hold_reason": "vendor"},
    ) == ("hold", "resolve", "drop")
    assert available_transitions(
        definition, "work", at=AT, actor="carol", guards=GUARDS, fields=RESOLVABLE
    ) == ("drop",)
    with pytest.raises(UnknownStateError):
        available_transitions(definition, "limbo", at=AT, actor="bob")


def test_listeners_receive_records_in_order() -> None:
    """A bound lifecycle notifies each subscribed listener after computing the outcome."""
    log: list[str] = []
    lifecycle = (
        Lifecycle(sample_definition(), GUARDS)
        .subscribe(lambda r: log.append(f"first {r.transition}"))
        .subscribe(lambda r: log.append(f"second {r.target}"))
    )
    outcome = lifecycle.fire("new", "start", at=AT, actor="bob")
    assert outcome.state == "work"
    assert log == ["first start", "second work"]
    with pytest.raises(TransitionNotAllowedError):
        lifecycle.fire("new", "close", at=AT, actor="bob")
    assert log == ["first start", "second work"]
    assert lifecycle.available("new", at=AT, actor="bob") == ("start", "drop")


def test_replay_checks_continuity() -> None:
    """Replay follows the records from the initial state and rejects gaps."""
    definition = sample_definition()
    start = fire(definition, "new", "start", at=AT, actor="a").record
    hold = fire(definition, "work", "hold", at=AT, actor="a", fields={"hold_reason": "x"}).record
    assert replay(definition, [start, hold]) == "waiting"
    assert replay(definition, []) == "new"
    with pytest.raises(LifecycleError, match="record 0"):
        replay(definition, [hold])


class RandomLifecycleMachine(RuleBasedStateMachine):
    """Random transitions on random definitions keep the engine's invariants."""

    @initialize(definition=definitions())
    def setup(self, definition: LifecycleDefinition) -> None:
        """Start a 'ticket' in the initial state of a random definition."""
        self.definition = definition
        self.guards = GuardRegistry(
            {g: (lambda c: None) for t in definition.transitions for g in t.guards}
        )
        self.state = definition.initial.name
        self.history: list[TransitionRecord] = []
        self.fields: dict[str, object] = {}
        self.at = AT

    @rule(name=st.text("abcdefgh_to", min_size=1, max_size=5), fill=st.booleans())
    def fire_any(self, name: str, fill: bool) -> None:
        """Fire a random (often invalid) name; on refusal nothing changes."""
        self.at += timedelta(minutes=5)
        before = (self.state, tuple(self.history), dict(self.fields))
        move = self.definition.move(self.state, name)
        changes = (
            dict.fromkeys(self.definition.required_fields(self.state, name), "set") if fill else {}
        )
        try:
            outcome = fire(
                self.definition,
                self.state,
                name,
                at=self.at,
                actor="x",
                fields=self.fields,
                changes=changes,
                guards=self.guards,
            )
        except LifecycleError:
            assert (self.state, tuple(self.history), dict(self.fields)) == before
            return
        assert move is not None
        assert outcome.state == move.target
        self.fields.update(changes)
        self.state = outcome.state
        self.history.append(outcome.record)

    @rule(data=st.data())
    def fire_valid(self, data: st.DataObject) -> None:
        """Fire a transition that leaves the current state, with its required fields."""
        moves = self.definition.transitions_from(self.state)
        if not moves:
            return
        move = data.draw(st.sampled_from(moves))
        self.at += timedelta(minutes=1)
        changes = dict.fromkeys(self.definition.required_fields(self.state, move.name), "set")
        outcome = fire(
            self.definition,
            self.state,
            move.name,
            at=self.at,
            actor="y",
            fields=self.fields,
            changes=changes,
            guards=self.guards,
        )
        self.fields.update(changes)
        self.state = outcome.state
        self.history.append(outcome.record)

    @invariant()
    def history_replays_to_state(self) -> None:
        """The audit trail always replays to the current state."""
        if hasattr(self, "definition"):
            assert replay(self.definition, self.history) == self.state

    @invariant()
    def category_is_consistent(self) -> None:
        """The current state has a category, and a final state has no way out."""
        if hasattr(self, "definition"):
            category = self.definition.category(self.state)
            assert isinstance(category, StateCategory)
            if self.definition.state(self.state).final:  # type: ignore[union-attr]
                assert self.definition.transitions_from(self.state) == ()


TestRandomLifecycle = RandomLifecycleMachine.TestCase
TestRandomLifecycle.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)


@given(definitions(), st.lists(st.integers(0, 50), max_size=20))
def test_replay_of_any_walk_ends_where_the_walk_ended(
    definition: LifecycleDefinition, choices: list[int]
) -> None:
    """Walking valid transitions and replaying the records agree on the final state."""
    guards = GuardRegistry({g: (lambda c: None) for t in definition.transitions for g in t.guards})
    state = definition.initial.name
    records: list[TransitionRecord] = []
    fields: dict[str, object] = {}
    for choice in choices:
        moves = definition.transitions_from(state)
        if not moves:
            break
        move = moves[choice % len(moves)]
        changes = dict.fromkeys(definition.required_fields(state, move.name), 1)
        outcome = fire(
            definition,
            state,
            move.name,
            at=AT,
            actor="z",
            fields=fields,
            changes=changes,
            guards=guards,
        )
        fields.update(changes)
        state = outcome.state
        records.append(outcome.record)
    assert replay(definition, records) == state
