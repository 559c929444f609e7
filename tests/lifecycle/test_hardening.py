"""Issue 11 regressions: typed errors on bad input, strict flags, listeners hear only kept moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pandas as pd
import pytest

from itilkit.errors import (
    GuardRefusedError,
    InvalidInputError,
    InvalidTypeError,
    ItilkitError,
    LifecycleError,
    MissingFieldsError,
    NaiveDatetimeError,
    OutOfRangeError,
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
    derive,
    field_in,
    fire,
    replay,
)
from tests.boundary.hostile import RaisingOffset

from .strategies import sample_definition

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUARDS = GuardRegistry().with_guards(not_requester=actor_differs_from("requester"))


@pytest.mark.parametrize("flag", ["no", 1, 0, None, "False"])
def test_initial_and_final_are_strict_bools(flag: object) -> None:
    """``initial="no"`` is refused, not taken as true (nor ``final=1``)."""
    with pytest.raises(InvalidTypeError, match="initial must be True or False") as caught:
        State("a", "new", initial=flag)  # type: ignore[arg-type]
    assert isinstance(caught.value, TypeError)
    with pytest.raises(InvalidTypeError, match="final must be True or False"):
        State("a", "closed", final=flag)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: State(5, "new"), "name must be a non-empty string, got int 5"),  # type: ignore[arg-type]
        (lambda: State("a", [1]), r"\[1\] is not a state category"),
        (lambda: State("a", "new", required_fields=5), "required_fields must be a name"),  # type: ignore[arg-type]
        (lambda: State("a", "new", required_fields=[[1]]), "each of required_fields"),  # type: ignore[list-item]
        (lambda: Transition("go", [None], "b"), "each of sources must be a non-empty string"),  # type: ignore[list-item]
        (lambda: Transition("go", ["a"], "b", guards=3), "guards must be a name"),  # type: ignore[arg-type]
        (lambda: Transition("go", ["a"], "b", description=None), "description must be a string"),  # type: ignore[arg-type]
        (lambda: LifecycleDefinition("x", 5, []), "states must be an iterable of states"),  # type: ignore[arg-type]
        (lambda: LifecycleDefinition("x", [], "ab"), "transitions must be an iterable"),  # type: ignore[arg-type]
    ],
)
def test_definition_values_refuse_wrong_types(build: Any, message: str) -> None:
    """Wrong types at construction raise InvalidInputError subclasses saying what is allowed."""
    with pytest.raises(InvalidInputError, match=message):
        build()


def test_a_deep_name_is_quoted_briefly() -> None:
    """A deeply nested value in an error message is cut short, not a RecursionError."""
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(InvalidTypeError, match=r"\[\[\[\[\.\.\.\]\]\]\]"):
        State(deep, "new")  # type: ignore[arg-type]


class Heard:
    """A listener that keeps what it hears."""

    def __init__(self) -> None:
        self.records: list[TransitionRecord] = []

    def __call__(self, record: TransitionRecord) -> None:
        self.records.append(record)


def _lifecycle() -> tuple[Lifecycle, Heard]:
    heard = Heard()
    return Lifecycle(sample_definition(), GUARDS, [heard]), heard


REFUSED: list[tuple[str, str, dict[str, Any], type[ItilkitError]]] = [
    ("work", "resolve", {"fields": {"requester": "bob"}, "actor": "bob"}, MissingFieldsError),
    (
        "work",
        "resolve",
        {"changes": {"resolution": "x", "resolved_note": "y"}, "fields": {"requester": "bob"}},
        GuardRefusedError,
    ),
    ("work", "bogus", {}, UnknownTransitionError),
    ("new", "start", {"changes": {1: "x"}}, InvalidTypeError),
    ("new", "start", {"changes": ["assignee"]}, InvalidTypeError),
    ("new", "start", {"fields": 5}, InvalidTypeError),
    ("new", "start", {"reason": 7}, InvalidTypeError),
    ("new", "start", {"actor": ""}, InvalidInputError),
    ("new", "start", {"at": datetime(2026, 3, 2)}, NaiveDatetimeError),
    (
        "new",
        "start",
        {"at": datetime(9999, 12, 31, 20, tzinfo=timezone(-timedelta(hours=5)))},
        OutOfRangeError,
    ),
]


@pytest.mark.parametrize(("state", "transition", "options", "error"), REFUSED)
def test_listeners_never_hear_refusals_or_invalid_input(
    state: str, transition: str, options: dict[str, Any], error: type[ItilkitError]
) -> None:
    """A refused or invalid fire raises its typed error and notifies nobody."""
    lifecycle, heard = _lifecycle()
    kwargs: dict[str, Any] = {"at": AT, "actor": "bob"} | options
    with pytest.raises(error):
        lifecycle.fire(state, transition, **kwargs)
    assert heard.records == []


def test_listeners_hear_each_kept_transition_once_in_order() -> None:
    """A kept transition reaches every listener once; notify() tells of several in order."""
    first, second = Heard(), Heard()
    lifecycle = Lifecycle(sample_definition(), GUARDS, [first]).subscribe(second)
    outcome = lifecycle.fire("new", "start", at=AT, actor="bob")
    assert first.records == second.records == [outcome.record]
    later = fire(
        sample_definition(), "work", "hold", at=AT, actor="bob", changes={"hold_reason": "x"}
    )
    lifecycle.notify(later.record, outcome.record)
    assert first.records == [outcome.record, later.record, outcome.record]


def test_notify_checks_every_record_before_telling_anyone() -> None:
    """notify() with a non-record refuses before the first listener hears anything."""
    lifecycle, heard = _lifecycle()
    record = fire(sample_definition(), "new", "start", at=AT, actor="bob").record
    with pytest.raises(InvalidTypeError):
        lifecycle.notify(record, "not a record")  # type: ignore[arg-type]
    assert heard.records == []


def test_a_guard_returning_a_non_reason_is_a_typed_error() -> None:
    """A guard must return None or a sentence; anything else is refused, nobody notified."""
    guards = GuardRegistry({"not_requester": lambda context: True})  # type: ignore[dict-item,return-value]
    heard = Heard()
    lifecycle = Lifecycle(sample_definition(), guards, [heard])
    changes = {"resolution": "fixed", "resolved_note": "done"}
    with pytest.raises(InvalidTypeError, match="what guard 'not_requester' returned"):
        lifecycle.fire("work", "resolve", at=AT, actor="bob", changes=changes)
    assert heard.records == []


def test_lifecycle_refuses_wrong_parts() -> None:
    """Lifecycle checks its definition, guards and listeners (a guard mapping is accepted)."""
    with pytest.raises(InvalidTypeError, match="definition"):
        Lifecycle("incident")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="each listener"):
        Lifecycle(sample_definition(), GUARDS, [5])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="guards must be a mapping"):
        Lifecycle(sample_definition(), 5)  # type: ignore[arg-type]
    guards = {"not_requester": actor_differs_from("requester")}
    as_mapping = Lifecycle(sample_definition(), guards)
    assert as_mapping.guards.get("not_requester") is not None


def test_transition_records_check_their_values() -> None:
    """A record refuses wrong types and naive times; a pandas Timestamp becomes a datetime."""
    with pytest.raises(NaiveDatetimeError):
        TransitionRecord("t", "a", "b", datetime(2026, 3, 2), "bob")
    with pytest.raises(InvalidTypeError, match="changes"):
        TransitionRecord("t", "a", "b", AT, "bob", changes=(1,))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="source_category"):
        TransitionRecord("t", "a", "b", AT, "bob", source_category="new")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        FieldChange(3, None, 1)  # type: ignore[arg-type]
    stamped = TransitionRecord(
        "t", "a", "b", pd.Timestamp("2026-03-02 09:00:00.5", tz="UTC"), "bob"
    )
    assert type(stamped.at) is datetime
    assert stamped.at == AT + timedelta(milliseconds=500)


def test_replay_refuses_what_is_no_record() -> None:
    """replay() raises typed errors for a non-iterable history or a non-record in it."""
    definition = sample_definition()
    with pytest.raises(InvalidTypeError, match="history must be"):
        replay(definition, 5)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="history record 0"):
        replay(definition, [None])  # type: ignore[list-item]
    record = TransitionRecord("start", "nowhere", "work", AT, "bob")
    with pytest.raises(LifecycleError, match="does not follow"):
        replay(definition, [record])


def test_field_in_refuses_an_unhashable_value_instead_of_crashing() -> None:
    """A field holding an unhashable value is simply not one of the allowed values."""
    guard = field_in("priority", [1, 2])
    context = GuardContext("x", "a", "go", "b", {"priority": [1]}, {}, "bob", AT, {})
    assert guard(context) == "priority is [1]; go needs one of: 1, 2"
    with pytest.raises(InvalidInputError, match="must be hashable"):
        field_in("priority", [[1]])
    with pytest.raises(InvalidTypeError, match="context"):
        guard(None)  # type: ignore[arg-type]


def test_field_in_with_a_value_whose_hash_raises() -> None:
    """An allowed value whose hash raises is refused as unhashable; a field holding one is
    not among the allowed values (the zone's own error never escapes)."""
    odd = datetime(2024, 3, 1, tzinfo=RaisingOffset())
    with pytest.raises(InvalidInputError, match="must be hashable"):
        field_in("priority", [1, odd])
    guard = field_in("priority", [1, 2])
    context = GuardContext("x", "a", "go", "b", {"priority": odd}, {}, "bob", AT, {})
    assert guard(context) is not None


def test_derive_refuses_wrong_types() -> None:
    """derive() checks its base and the types of what it adds, removes and renames."""
    base = sample_definition()
    with pytest.raises(InvalidTypeError, match="base"):
        derive("incident")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="each of add_states"):
        derive(base, add_states=["parked"])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="remove_states"):
        derive(base, remove_states=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="rename_states"):
        derive(base, rename_states={"work": 5})  # type: ignore[dict-item]
    renamed = derive(base, rename_states={"work": "doing"})
    assert "doing" in renamed.state_names


def test_definition_lookups_take_any_value() -> None:
    """state(), move() and friends answer None or empty for names that are no strings."""
    definition = sample_definition()
    assert definition.state([1]) is None  # type: ignore[arg-type]
    assert definition.move(["new"], "start") is None  # type: ignore[arg-type]
    assert definition.required_fields("work", {}) == frozenset()  # type: ignore[arg-type]
    assert definition.transitions_from(None) == ()  # type: ignore[arg-type]


def test_fire_builds_the_record_the_constructor_builds() -> None:
    """fire() skips the record's re-checks, yet gives exactly the checked constructor's value."""
    outcome = fire(
        sample_definition(), "work", "hold", at=AT, actor="bob", changes={"hold_reason": "x"}
    )
    record = outcome.record
    rebuilt = TransitionRecord(
        record.transition,
        record.source,
        record.target,
        record.at,
        record.actor,
        record.reason,
        record.changes,
        record.source_category,
        record.target_category,
    )
    assert rebuilt == record
    assert hash(rebuilt) == hash(record)
    assert repr(rebuilt) == repr(record)
    assert [f.name for f in attrs.fields(TransitionRecord)] == [
        "transition", "source", "target", "at", "actor", "reason", "changes",
        "source_category", "target_category",
    ]  # fmt: skip
