"""The shared ticket base: one firing path, its listener call and the generic fire's rules."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from itilkit.categories import StateCategory
from itilkit.errors import (
    GuardRefusedError,
    HistoryOrderError,
    InvalidEntityError,
    InvalidInputError,
    MissingFieldsError,
    PracticeError,
)
from itilkit.lifecycle import GuardContext, State, Transition, TransitionRecord
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    KNOWN_ERROR,
    ApprovalPolicy,
    ApprovalRule,
    Change,
    HoldReason,
    KnownError,
    Note,
    PlannedWindow,
    PriorityOverride,
    check_invariants,
)

from .helpers import T0, TEAM, at, new_incident, working_incident


def test_listeners_hear_only_transitions_that_happened() -> None:
    """A refused command notifies no listener; a kept one notifies once, with its record."""
    heard: list[TransitionRecord] = []
    practice = INCIDENT.subscribe(heard.append)
    assert practice.ref == INCIDENT.ref  # listeners are not part of the rules' identity
    inc = working_incident(practice)
    heard.clear()
    with pytest.raises(InvalidInputError):
        inc.fire("hold", at=at(3), actor="bob", changes={"hold_reason": 42})
    with pytest.raises(MissingFieldsError):
        inc.fire("hold", at=at(3), actor="bob")
    assert heard == []
    held = inc.hold("awaiting_vendor", at=at(3), actor="bob")
    assert heard == [held.history[-1]]


def test_a_listener_never_hears_a_vote_whose_gate_exit_was_refused() -> None:
    """Change.approve fires a vote and the gate's exit; a refused exit leaves nothing heard."""
    heard: list[TransitionRecord] = []
    window = PlannedWindow(T0 + timedelta(days=1), T0 + timedelta(days=1, hours=2))
    # the assess gate needs a rule for authorize too, else its exit is refused
    change = Change.submit(
        CHANGE.subscribe(heard.append), id="CHG-1", title="Patch", change_type="normal",
        requested_by="rita", at=T0, backout_plan="revert", planned_window=window,
        approval_policy=ApprovalPolicy.of(
            assess=ApprovalRule.any_one({"lead"}), authorize=ApprovalRule.any_one({"cab"})
        ),
    ).assess(at=at(1), actor="rita")  # fmt: skip
    heard.clear()
    without_authorize = attrs.evolve(
        change, approval_policy=ApprovalPolicy.of(assess=ApprovalRule.any_one({"lead"}))
    )
    with pytest.raises(Exception, match="no approval rule for gate"):
        without_authorize.approve(at=at(2), actor="lead")
    assert heard == []
    moved = change.approve(at=at(2), actor="lead")
    assert (
        [r.transition for r in heard]
        == ["approve", "authorize"]
        == [r.transition for r in moved.history[-2:]]
    )


def test_guards_see_the_values_after_and_before_read_only() -> None:
    """A guard reads ``fields`` (after the changes) and ``before``; neither can be written."""
    seen: list[tuple[object, object]] = []

    def spy(context: GuardContext) -> None:
        seen.append((context.before.get("hold_reason"), context.fields.get("hold_reason")))
        with pytest.raises(TypeError):
            context.before["title"] = "changed"  # type: ignore[index]

    practice = INCIDENT.derive(name="spied", guards={"spy": spy}, add_guards={"hold": "spy"})
    working_incident(practice).hold("awaiting_vendor", at=at(3), actor="bob")
    assert seen == [(None, HoldReason.AWAITING_VENDOR)]


def test_generic_fire_converts_values_like_the_commands() -> None:
    """``fire`` accepts a hold reason by its value, as ``hold`` does, under the same guard."""
    note = Note(at(3), "bob", "please send the logs", public=True)
    held = working_incident().fire(
        "hold", at=at(3), actor="bob", changes={"hold_reason": "awaiting_caller", "notes": (note,)}
    )
    assert (held.state, held.hold_reason) == ("on_hold", HoldReason.AWAITING_CALLER)
    by_command = working_incident().hold("awaiting_caller", at=at(3), actor="bob", note=note.text)
    assert by_command.history[-1].changes == held.history[-1].changes  # the same record
    with pytest.raises(GuardRefusedError, match="public note"):
        working_incident().fire(
            "hold", at=at(3), actor="bob", changes={"hold_reason": "awaiting_caller"}
        )


def test_generic_fire_clears_state_fields_on_the_way_out() -> None:
    """Leaving on_hold by any transition clears hold_reason (set exactly while on hold)."""
    vendor = INCIDENT.derive(
        name="replies",
        add_transitions=[Transition("customer_replied", "on_hold", "in_progress")],
    )
    held = working_incident(vendor).hold("awaiting_vendor", at=at(3), actor="bob")
    replied = held.fire("customer_replied", at=at(4), actor="ann")
    assert (replied.state, replied.hold_reason) == ("in_progress", None)
    assert replied.history[-1].changed("hold_reason") is not None
    check_invariants(replied)
    with pytest.raises(InvalidEntityError, match="hold_reason is set, but state 'in_progress'"):
        held.fire("customer_replied", at=at(4), actor="ann", changes={"hold_reason": "other"})


@pytest.mark.parametrize("field", ["id", "opened_at", "opened_by", "practice", "history"])
def test_nothing_changes_what_only_opening_sets(field: str) -> None:
    """id, opened_at and opened_by are set when logging; no transition may change them."""
    with pytest.raises(InvalidInputError, match="set when the ticket is opened"):
        working_incident().fire(
            "reprioritise", at=at(3), actor="desk", changes={field: T0 - timedelta(days=1)}
        )


@pytest.mark.parametrize(
    "field", ["reopen_count", "reassignment_count", "assigned_at", "resolutions", "closed_at"]
)
def test_derived_fields_are_kept_by_itilkit(field: str) -> None:
    """Counters and milestones follow the history; no change may set them."""
    with pytest.raises(InvalidInputError, match="kept from the history"):
        working_incident().fire("reprioritise", at=at(3), actor="desk", changes={field: 0})


@pytest.mark.parametrize(
    "changes", [[("title", "x")], "title", {1: "x"}, {"title": "", "x": 1}, 42]
)
def test_odd_changes_are_refused_with_a_typed_error(changes: object) -> None:
    """A changes value that is not a mapping of field names is bad input, whatever it is."""
    inc = working_incident()
    with pytest.raises(InvalidInputError):
        inc.fire("reprioritise", at=at(3), actor="desk", changes=changes)  # type: ignore[arg-type]


def test_generic_fire_keeps_the_priority_rule() -> None:
    """A priority set by hand without an override breaks the matrix rule and is refused."""
    inc = working_incident()
    with pytest.raises(InvalidEntityError, match="does not agree with matrix priority-3x3"):
        inc.fire("reprioritise", at=at(3), actor="desk", changes={"priority": 5})
    override = PriorityOverride(inc.matrix.parse_priority(5), at(3), "mgr", "VIP")
    by_hand = inc.fire(
        "reprioritise",
        at=at(3),
        actor="mgr",
        changes={"priority": 5, "priority_override": override},
    )
    assert by_hand.priority.level == 5
    relabelled = inc.fire(
        "reprioritise", at=at(3), actor="desk", changes={"impact": "low", "priority": 3}
    )
    assert (relabelled.impact.level, relabelled.priority.level) == (3, 3)


def test_history_order_errors_name_the_ticket() -> None:
    """A command dated before the last event says which ticket refused it."""
    with pytest.raises(HistoryOrderError, match="incident 'INC-1': history event 2"):
        working_incident().resolve("fixed", "x", at=at(1), actor="bob")


def test_commands_a_practice_lacks_are_refused_by_name() -> None:
    """A known error has no assign command; the error lists the ones it has."""
    known = KnownError.record(
        KNOWN_ERROR, id="KE-1", problem_id="PRB-1", title="Relay", symptom="s", workaround="w",
        at=T0, actor="pm",
    )  # fmt: skip
    with pytest.raises(PracticeError, match="has no 'assign' command; its commands are: revise"):
        known.assign(TEAM, at=at(1), actor="pm")


def test_add_note_keeps_the_rules() -> None:
    """Notes are not transitions: no record, the invariants still hold."""
    noted = working_incident().add_note("checked logs", at=at(3), actor="bob")
    assert noted.history == working_incident().history
    check_invariants(noted)


def test_practice_is_not_part_of_equality_and_the_entity_names_it() -> None:
    """Two incidents equal field for field are equal whatever practice; repr shows the ref."""
    vendor = INCIDENT.derive(name="acme-incident", version=3)
    assert new_incident(vendor) == new_incident()
    assert "practice=acme-incident@3" in repr(new_incident(vendor))
    assert new_incident(vendor).practice.ref.version == 3


def test_category_follows_the_state() -> None:
    """Every command keeps the category of the practice's state."""
    inc = working_incident().hold("awaiting_vendor", at=at(3), actor="bob")
    assert inc.category is StateCategory.PAUSED
    assert isinstance(inc.practice.definition.state("on_hold"), State)
