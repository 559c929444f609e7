"""Entities built by hand are checked like those the commands make: one check, every rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest

from itilkit.categories import StateCategory
from itilkit.errors import InvalidEntityError, InvalidInputError
from itilkit.lifecycle import FieldChange, TransitionRecord
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    PROBLEM,
    Change,
    Impact,
    Incident,
    Priority,
    Resolution,
    ResolutionCode,
    Urgency,
    check_invariants,
)

from .helpers import T0, TEAM, at, new_incident, new_problem, working_incident


def incident(**fields: Any) -> Incident:
    """An incident built directly, with ``fields`` over a consistent new one."""
    base: dict[str, Any] = {
        "practice": INCIDENT,
        "id": "INC-9",
        "title": "Printer",
        "caller": "ann",
        "opened_at": T0,
        "opened_by": "desk",
        "impact": Impact(2),
        "urgency": Urgency(2),
        "priority": Priority(3),
    }
    return Incident(**{**base, **fields})


def problems_of(build: Any) -> tuple[str, ...]:
    """The problems an inconsistent construction reports."""
    with pytest.raises(InvalidEntityError) as caught:
        build()
    assert isinstance(caught.value, InvalidInputError)
    return caught.value.problems


def test_a_consistent_incident_builds_and_takes_its_initial_state() -> None:
    """State and category default from the practice's lifecycle."""
    built = incident()
    assert (built.state, built.category) == ("new", StateCategory.NEW)
    check_invariants(built)


def test_a_closed_incident_needs_the_history_that_closed_it() -> None:
    """Closed with an empty history: the history replays to new, and closed's fields are unset."""
    found = problems_of(lambda: incident(state="closed"))
    assert "the history replays to state 'new', not 'closed'" in found
    assert "state 'closed' requires closed_at, which is not set" in found
    assert "state 'closed' requires resolution, which is not set" in found


def test_the_priority_must_agree_with_the_matrix_or_an_override() -> None:
    """Priority 5 for impact 1 x urgency 1 is refused; so is a level off the scale."""
    found = problems_of(
        lambda: incident(impact=Impact(1), urgency=Urgency(1), priority=Priority(5))
    )
    assert found == (
        "priority 5 does not agree with matrix priority-3x3 (impact 1 x urgency 1 gives 1) "
        "and there is no override",
    )
    assert "7 is not a level of impact" in problems_of(lambda: incident(impact=Impact(7)))[0]


def test_state_fields_are_set_exactly_where_required() -> None:
    """A hold reason outside on_hold, or a category that is not the state's, is refused."""
    found = problems_of(lambda: incident(hold_reason="awaiting_vendor"))
    assert found == (
        "hold_reason is set, but state 'new' does not require it; it is set only in: on_hold",
    )
    assert "category 'closed' is not that of state 'new' (new)" in problems_of(
        lambda: incident(category=StateCategory.CLOSED)
    )
    assert (
        "state 'limbo' is not a state of lifecycle 'incident'"
        in problems_of(lambda: incident(state="limbo"))[0]
    )


def test_counters_and_milestones_follow_the_history() -> None:
    """Counters, kept resolutions and the acknowledgement must be what the history says."""
    good = working_incident().resolve("fixed", "x", at=at(3), actor="bob")
    assert "reopen_count is 2, but the history holds 0 reopen(s)" in problems_of(
        lambda: attrs.evolve(good, reopen_count=2)
    )
    assert "reassignment_count is 1, but the history holds 0 reassignment(s)" in problems_of(
        lambda: attrs.evolve(good, reassignment_count=1)
    )
    assert "resolutions must list every resolution the history records, in order" in problems_of(
        lambda: attrs.evolve(good, resolutions=())
    )
    assert "acknowledged_at must be when the ticket first entered an active state" in problems_of(
        lambda: attrs.evolve(good, acknowledged_at=None)
    )
    other = Resolution(at(3), "bob", ResolutionCode.WORKAROUND, "y")
    found = problems_of(lambda: attrs.evolve(good, resolution=other, resolutions=(other,)))
    assert any("the history last set it to" in p for p in found)


def test_the_history_must_be_in_time_order_and_follow_the_lifecycle() -> None:
    """A record earlier than the opening, or a move the lifecycle lacks, is refused."""
    good = working_incident()
    early = attrs.evolve(good.history[0], at=T0 - timedelta(hours=1))
    assert any(
        "is earlier than" in p
        for p in problems_of(lambda: attrs.evolve(good, history=(early, *good.history[1:])))
    )
    jump = TransitionRecord(
        "close", "new", "closed", at(1), "x", None, (), StateCategory.NEW, StateCategory.CLOSED
    )
    assert (
        "does not follow state 'new'" in problems_of(lambda: attrs.evolve(good, history=(jump,)))[0]
    )
    forged = attrs.evolve(
        good.history[0],
        changes=(*good.history[0].changes, FieldChange("opened_at", T0, at(9))),
    )
    assert "history record 0 changes opened_at" in problems_of(
        lambda: attrs.evolve(good, history=(forged, *good.history[1:]))
    )


def test_a_change_in_implement_needs_its_history() -> None:
    """A change built in implement with no history is refused."""
    found = problems_of(
        lambda: Change(
            practice=CHANGE,
            id="C",
            title="t",
            change_type="normal",
            requested_by="rita",
            opened_at=T0,
            opened_by="rita",
            state="implement",
        )
    )
    assert "the history replays to state 'new', not 'implement'" in found


def test_the_practice_must_be_of_the_entity_s_kind() -> None:
    """An incident built on the problem practice is refused with both kinds named."""
    assert problems_of(lambda: incident(practice=PROBLEM)) == (
        "practice problem@1 is for problems, not incidents",
    )
    with pytest.raises(InvalidInputError, match="practice must be Practice"):
        incident(practice="incident@1")


def test_history_items_must_be_records() -> None:
    """A history of anything but records is refused by type (``Change(history=[1])``)."""
    with pytest.raises(InvalidInputError, match="history must be a tuple"):
        incident(history=[1])
    with pytest.raises(InvalidInputError, match="history must hold TransitionRecord"):
        incident(history=(1,))
    with pytest.raises(InvalidInputError, match="history must be a tuple"):
        Change(
            practice=CHANGE, id="C", title="t", change_type="normal", requested_by="rita",
            opened_at=T0, opened_by="rita", history=[1],  # type: ignore[arg-type]
        )  # fmt: skip


def test_problem_links_are_checked() -> None:
    """Linked incident ids are sorted and unique on a built problem too."""
    good = new_problem()
    assert "linked_incidents must be sorted, each id once" in problems_of(
        lambda: attrs.evolve(good, linked_incidents=("INC-2", "INC-1"))
    )


def test_every_command_result_passes_the_check() -> None:
    """A long path of commands ends in an entity the check accepts."""
    done = (
        new_incident()
        .assign(TEAM, at=at(1), actor="desk")
        .start_work(at=at(2), actor="bob")
        .hold("awaiting_vendor", at=at(3), actor="bob")
        .resolve("fixed", "x", at=at(4), actor="bob")
        .reopen(at=at(5), actor="ann")
        .resolve("fixed", "y", at=at(6), actor="bob")
        .close(at=at(7), actor="ann")
    )
    check_invariants(done)
    assert attrs.evolve(done) == done
