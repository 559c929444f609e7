"""Incident commands: every default lifecycle path and every refusal."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
import pytest

from itilkit.errors import (
    GuardRefusedError,
    HistoryOrderError,
    InvalidEntityError,
    InvalidInputError,
    MissingFieldsError,
    NaiveDatetimeError,
    PolicyViolationError,
    PracticeError,
    TransitionNotAllowedError,
    UnknownTransitionError,
)
from itilkit.lifecycle import replay
from itilkit.practices import (
    INCIDENT,
    Assignment,
    CancelReason,
    HoldReason,
    Incident,
    Practice,
    Priority,
    ReassignmentRule,
    ReopenPolicy,
    ResolutionCode,
    reassigns,
)

from .helpers import T0, TEAM, at, new_incident, working_incident


def test_log_sets_the_initial_state_and_priority() -> None:
    """A logged incident is new, has no history, and its priority comes from the matrix."""
    inc = new_incident()
    assert (inc.state, inc.history, inc.priority) == ("new", (), Priority(2))
    assert (inc.opened_at, inc.opened_by, inc.caller) == (T0, "desk", "ann")
    assert inc.practice is INCIDENT


def test_full_path_with_hold_reopen_and_close() -> None:
    """assign, start, hold, resume, resolve, reopen, resolve, close: every milestone is kept."""
    inc = (
        working_incident()
        .hold("awaiting_vendor", at=at(10), actor="bob")
        .resume(at=at(20), actor="bob")
        .resolve("workaround", "rerouted mail", at=at(30), actor="bob")
        .reopen(at=at(40), actor="ann", reason="still broken")
        .resolve(ResolutionCode.FIXED, "replaced relay", at=at(50), actor="bob")
        .close(at=at(60), actor="ann")
    )
    assert inc.state == "closed"
    assert [r.transition for r in inc.history] == [
        "assign",
        "start_work",
        "hold",
        "resume",
        "resolve",
        "reopen",
        "resolve",
        "close",
    ]
    assert [r.code for r in inc.resolutions] == [ResolutionCode.WORKAROUND, ResolutionCode.FIXED]
    assert (inc.first_resolved_at, inc.resolved_at, inc.closed_at) == (at(30), at(50), at(60))
    assert (inc.reopen_count, inc.acknowledged_at, inc.assigned_at) == (1, at(2), at(1))
    assert inc.hold_reason is None
    assert replay(INCIDENT.definition, inc.history) == "closed"
    assert inc.history[5].reason == "still broken"
    assert inc.history[4].changed("resolution") is not None


def test_reopen_clears_the_current_resolution_only() -> None:
    """Reopening sets resolution None and keeps resolutions; resolved_at follows."""
    resolved = working_incident().resolve("fixed", "done", at=at(5), actor="bob")
    reopened = resolved.reopen(at=at(6), actor="ann")
    assert (reopened.state, reopened.resolution, reopened.resolved_at) == (
        "in_progress",
        None,
        None,
    )
    assert reopened.resolutions == resolved.resolutions
    assert reopened.first_resolved_at == at(5)


def test_resolve_straight_from_new_and_from_hold() -> None:
    """Resolve is allowed from new and on_hold; resolving from hold clears the reason."""
    assert new_incident().resolve("resolved_by_caller", "it works", at=at(1), actor="d").state == (
        "resolved"
    )
    held = working_incident().hold("awaiting_change", at=at(3), actor="bob")
    resolved = held.resolve("fixed", "change done", at=at(4), actor="bob")
    assert (resolved.state, resolved.hold_reason) == ("resolved", None)


#: The incident practice counting reassignments as ServiceNow does.
BY_GROUP = INCIDENT.derive(name="by-group", reassignment="group")


@pytest.mark.parametrize(
    ("first", "then", "by_group"),
    [
        (("desk", None), ("desk", "bob"), 0),  # a person named within the group
        (("desk", "ann"), ("desk", "bob"), 0),  # another person of the same group
        (("desk", "ann"), ("network", "ann"), 1),  # another group
        (("desk", "ann"), (None, "ann"), 1),  # the group taken away
        ((None, "ann"), (None, "bob"), 0),  # another person, no group either side
        ((None, "ann"), ("desk", "ann"), 1),  # a group given to a person's ticket
        ((None, "ann"), ("desk", "bob"), 1),  # to another person, in a group
    ],
)
def test_the_reassignment_rule_says_which_changes_count(
    first: tuple[str | None, str | None], then: tuple[str | None, str | None], by_group: int
) -> None:
    """Any change counts by default; under the group rule, a change of group only, as
    ServiceNow's reassignment_count counts."""
    for practice, expected in ((INCIDENT, 1), (BY_GROUP, by_group)):
        inc = Incident.log(practice, id="INC-1", title="Mail down", caller="ann", impact=2,
                           urgency=2, at=at(0), actor="desk")  # fmt: skip
        moved = inc.assign(Assignment(*first), at=at(1), actor="desk").assign(
            Assignment(*then), at=at(2), actor="desk"
        )
        assert moved.reassignment_count == expected
        assert reassigns(Assignment(*first), Assignment(*then), practice.reassignment) is bool(
            expected
        )
        assert attrs.evolve(moved) == moved  # built from its fields, it passes the check
        with pytest.raises(InvalidEntityError, match="reassignment_count"):
            attrs.evolve(moved, reassignment_count=1 - expected)


def test_reassignment_is_counted_and_same_assignment_refused() -> None:
    """The first assignment is not a reassignment; a change is; the same one is refused."""
    inc = new_incident().assign(TEAM, at=at(1), actor="desk")
    again = inc.assign(Assignment("network"), at=at(2), actor="desk")
    assert (inc.reassignment_count, again.reassignment_count) == (0, 1)
    assert again.assigned_at == at(1)
    with pytest.raises(PracticeError, match="already assigned"):
        inc.assign(TEAM, at=at(2), actor="desk")
    with pytest.raises(InvalidInputError, match="must be an Assignment"):
        inc.assign("bob", at=at(2), actor="desk")  # type: ignore[arg-type]


def test_start_work_needs_an_assignee() -> None:
    """A group-only assignment cannot start work; the guard says why and lists the options."""
    group_only = new_incident().assign(Assignment("email"), at=at(1), actor="desk")
    with pytest.raises(GuardRefusedError) as caught:
        group_only.start_work(at=at(2), actor="x")
    assert caught.value.reasons == ("start_work needs an assignee; assign a person first",)
    assert "resolve" in caught.value.allowed
    with pytest.raises(GuardRefusedError):
        new_incident().start_work(at=at(2), actor="x")


def test_hold_for_the_caller_needs_a_public_note() -> None:
    """Awaiting the caller requires a public note made with the hold."""
    inc = working_incident()
    with pytest.raises(GuardRefusedError, match="public note"):
        inc.hold(HoldReason.AWAITING_CALLER, at=at(3), actor="bob")
    held = inc.hold("awaiting_caller", at=at(3), actor="bob", note="Which client do you use?")
    assert held.state == "on_hold"
    assert held.notes[-1].public
    assert held.notes[-1].text == "Which client do you use?"


def test_hold_reason_must_be_known() -> None:
    """An unknown hold reason is refused with the allowed values."""
    with pytest.raises(InvalidInputError, match="allowed: awaiting_caller, awaiting_vendor"):
        working_incident().hold("lunch", at=at(3), actor="bob")


def test_cancel_as_duplicate_needs_the_original() -> None:
    """Duplicates name the original (not themselves); other reasons may not."""
    inc = working_incident().hold("awaiting_vendor", at=at(3), actor="bob")
    canceled = inc.cancel("duplicate", at=at(4), actor="desk", duplicate_of="INC-0")
    assert canceled.state == "canceled"
    assert canceled.cancellation is not None
    assert (canceled.cancellation.reason, canceled.hold_reason) == (CancelReason.DUPLICATE, None)
    with pytest.raises(InvalidInputError, match="needs duplicate_of"):
        inc.cancel("duplicate", at=at(4), actor="desk")
    with pytest.raises(InvalidInputError, match="only for reason 'duplicate'"):
        inc.cancel("unnecessary", at=at(4), actor="desk", duplicate_of="INC-0")
    with pytest.raises(InvalidInputError, match="itself"):
        inc.cancel("duplicate", at=at(4), actor="desk", duplicate_of="INC-1")


@pytest.mark.parametrize(
    ("command", "allowed"),
    [
        (
            lambda i: i.close(at=at(9), actor="x"),
            "assign, cancel, reprioritise, resolve",
        ),
        (
            lambda i: i.reopen(at=at(9), actor="x"),
            "assign, cancel, reprioritise, resolve",
        ),
        (
            lambda i: i.resume(at=at(9), actor="x"),
            "assign, cancel, reprioritise, resolve",
        ),
    ],
)
def test_disallowed_transitions_list_what_is_allowed(command: object, allowed: str) -> None:
    """Commands that do not leave ``new`` are refused with the allowed transitions."""
    inc = new_incident()
    with pytest.raises(TransitionNotAllowedError, match=f"allowed from 'new': {allowed}"):
        command(inc)  # type: ignore[operator]


def test_final_states_refuse_everything() -> None:
    """A canceled incident accepts no command."""
    canceled = new_incident().cancel("not_an_incident", at=at(1), actor="desk")
    with pytest.raises(TransitionNotAllowedError, match="allowed from 'canceled': none"):
        canceled.resolve("fixed", "x", at=at(2), actor="bob")


def test_closed_incident_reopen_is_forbidden_by_default() -> None:
    """Under the default policy reopening a closed incident is a policy violation."""
    closed = (
        working_incident().resolve("fixed", "ok", at=at(3), actor="bob").close(at=at(4), actor="a")
    )
    with pytest.raises(PolicyViolationError, match="log a new one and link it") as caught:
        closed.reopen(at=at(5), actor="ann")
    assert caught.value.policy == "reopen policy"
    assert isinstance(caught.value.__cause__, TransitionNotAllowedError)
    assert closed.practice.definition.state("closed").final  # type: ignore[union-attr]


def test_closed_incident_reopen_allowed_and_within_window() -> None:
    """allow reopens any time; allow_within only until the window after closing ends."""

    def closed(practice: Practice) -> Incident:
        inc = working_incident(practice).resolve("fixed", "ok", at=at(3), actor="bob")
        return inc.close(at=at(4), actor="ann")

    allow = INCIDENT.derive(name="lenient", reopen=ReopenPolicy.allow())
    later = at(4) + timedelta(days=365)
    reopened = closed(allow).reopen(at=later, actor="ann")
    assert (reopened.state, reopened.closed_at, reopened.reopen_count) == ("in_progress", None, 1)
    assert (reopened.resolution, len(reopened.resolutions)) == (None, 1)

    week = INCIDENT.derive(name="weekly", reopen=ReopenPolicy.allow_within(timedelta(days=7)))
    inside = at(4) + timedelta(days=7)
    assert closed(week).reopen(at=inside, actor="ann").state == "in_progress"
    with pytest.raises(PolicyViolationError, match="only within 7 days") as caught:
        closed(week).reopen(at=inside + timedelta(seconds=1), actor="ann")
    assert isinstance(caught.value.__cause__, GuardRefusedError)


def test_reopen_policy_validation() -> None:
    """A window goes with allow_within only and must be positive."""
    with pytest.raises(InvalidInputError):
        ReopenPolicy("allow", timedelta(days=1))
    with pytest.raises(InvalidInputError):
        ReopenPolicy.allow_within(timedelta(0))
    with pytest.raises(ValueError, match="sometimes"):
        ReopenPolicy("sometimes")


def test_bad_time_input_is_refused_and_nothing_changes() -> None:
    """Naive and out-of-order times are refused; the entity is unchanged."""
    inc = working_incident()
    before = attrs.evolve(inc)
    with pytest.raises(NaiveDatetimeError):
        inc.resolve("fixed", "x", at=datetime(2026, 3, 2, 10), actor="bob")
    with pytest.raises(HistoryOrderError):
        inc.resolve("fixed", "x", at=at(1), actor="bob")
    with pytest.raises(NaiveDatetimeError):
        Incident.log(
            INCIDENT, id="I", title="t", caller="c", impact=1, urgency=1,
            at=datetime(2026, 1, 1), actor="a",
        )  # fmt: skip
    assert inc == before


def test_missing_required_fields_via_generic_fire() -> None:
    """Firing hold without a reason is refused with the missing field named."""
    with pytest.raises(MissingFieldsError, match="hold_reason"):
        working_incident().fire("hold", at=at(3), actor="bob")
    with pytest.raises(UnknownTransitionError, match="it defines: assign"):
        working_incident().fire("escalate", at=at(3), actor="bob")
    with pytest.raises(InvalidInputError, match="change only by firing"):
        working_incident().fire("resume", at=at(3), actor="bob", changes={"state": "closed"})
    with pytest.raises(InvalidInputError, match="has no field"):
        working_incident().fire("hold", at=at(3), actor="bob", changes={"colour": "red"})


def test_wrong_types_are_refused_at_construction() -> None:
    """Constructing an incident with wrong types raises InvalidInputError naming the field."""
    good = new_incident()
    with pytest.raises(InvalidInputError, match="impact must be Impact"):
        attrs.evolve(good, impact=2)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="Incident needs a practice of kind 'incident'"):
        Incident.log(
            None,  # type: ignore[arg-type]
            id="I", title="t", caller="c", impact=1, urgency=1, at=T0, actor="a",
        )  # fmt: skip
    with pytest.raises(InvalidInputError, match="reopen_count must be an int >= 0"):
        attrs.evolve(good, reopen_count=-1)
    with pytest.raises(InvalidInputError, match="notes must be a tuple"):
        attrs.evolve(good, notes=[])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="title must be a non-empty string"):
        attrs.evolve(good, title=" ")
    with pytest.raises(InvalidInputError, match="not a level of impact"):
        Incident.log(INCIDENT, id="I", title="t", caller="c", impact=7, urgency=1, at=T0, actor="a")


def test_notes_are_not_transitions() -> None:
    """add_note appends a note and leaves state and history alone."""
    inc = working_incident()
    noted = inc.add_note("checked logs", at=at(3), actor="bob")
    assert (noted.state, noted.history, noted.notes[-1].public) == (inc.state, inc.history, False)


def test_the_reassignment_rule_takes_values_and_hostile_comparisons() -> None:
    """The rule by value; a value that cannot be compared counts as a change; an unknown
    rule is a typed error naming the rules."""

    class Incomparable:
        def __ne__(self, other: object) -> bool:
            raise RuntimeError("no comparison")

    assert reassigns(Assignment("a", "x"), Assignment("a", "y"), "group") is False  # type: ignore[arg-type]
    assert reassigns(Incomparable(), Assignment("a"), ReassignmentRule.ANY_CHANGE) is True
    with pytest.raises(InvalidInputError, match="allowed: any_change, group"):
        reassigns(None, None, "nope")  # type: ignore[arg-type]
