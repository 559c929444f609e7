"""The change lifecycle: every path per type and every refusal."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from itilkit.categories import StateCategory
from itilkit.errors import (
    GuardRefusedError,
    InvalidInputError,
    InvalidIntervalError,
    MissingFieldsError,
    NaiveDatetimeError,
    TransitionNotAllowedError,
)
from itilkit.lifecycle import GuardContext, State, Transition, replay
from itilkit.outcomes import ChangeOutcome
from itilkit.practices import (
    CHANGE,
    ApprovalPolicy,
    ApprovalRule,
    ApprovalStatus,
    CancelReason,
    Change,
    ChangeType,
    PlannedWindow,
    Practice,
    WindowPolicy,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
WINDOW = PlannedWindow(T0 + timedelta(days=5), T0 + timedelta(days=5, hours=4))
IN_WINDOW = WINDOW.start + timedelta(minutes=5)
POLICY = ApprovalPolicy.of(
    assess=ApprovalRule.any_one({"tech1", "tech2"}),
    authorize=ApprovalRule.quorum({"cab1", "cab2", "cab3"}, 2),
)


def draft(
    change_type: ChangeType | str = "normal", practice: Practice = CHANGE, **fields: Any
) -> Change:
    """A change in ``new`` with a back-out plan, a window and approval rules."""
    defaults: dict[str, Any] = {
        "backout_plan": "restore the snapshot",
        "planned_window": WINDOW,
        "approval_policy": POLICY,
        "id": "CHG1",
        "title": "Upgrade the database",
        "requested_by": "req",
        "actor": "req",
        "at": T0,
    }
    return Change.submit(practice, change_type=change_type, **{**defaults, **fields})


def at(hours: float) -> datetime:
    """``hours`` after T0."""
    return T0 + timedelta(hours=hours)


def authorized(change_type: str = "normal") -> Change:
    """A change of ``change_type`` brought to ``scheduled`` by its own path."""
    change = draft(change_type)
    if change_type == "standard":
        return change.schedule(at=at(1), actor="req")
    if change_type == "normal":
        change = change.assess(at=at(1), actor="req").approve(at=at(2), actor="tech1")
    else:
        change = change.authorize(at=at(1), actor="req")
    return change.approve(at=at(3), actor="cab1").approve(at=at(4), actor="cab2")


def implemented(change_type: str = "normal") -> Change:
    """A change of ``change_type`` in ``review``, successful."""
    change = authorized(change_type).implement(at=IN_WINDOW, actor="ops")
    return change.review(at=IN_WINDOW + timedelta(hours=1), actor="ops", outcome="successful")


def path(change: Change) -> list[str]:
    """The states a change went through, from the history."""
    return [change.history[0].source, *(r.target for r in change.history)] if change.history else []


def assert_consistent(change: Change) -> None:
    """The history replays to the state."""
    assert replay(change.practice.definition, change.history) == change.state


# -- paths per type ---------------------------------------------------------------


def test_standard_change_skips_assess_and_authorize() -> None:
    """Standard: new -> scheduled -> implement -> review -> closed, without approvals."""
    change = implemented("standard").close(at=at(200), actor="mgr")
    assert path(change) == ["new", "scheduled", "implement", "review", "closed"]
    assert change.approval_log == ()
    assert_consistent(change)


def test_normal_change_goes_through_assess_and_authorize() -> None:
    """Normal: each gate's rule, once met, moves the change on by itself."""
    change = draft("normal").assess(at=at(1), actor="req")
    assert change.state == "assess"
    change = change.approve(at=at(2), actor="tech1", comment="looks fine")
    assert change.state == "authorize"
    assert change.approvals == ()
    change = change.approve(at=at(3), actor="cab1")
    assert change.state == "authorize"
    assert change.gate_status is ApprovalStatus.PENDING
    change = change.approve(at=at(4), actor="cab2")
    assert change.state == "scheduled"
    change = change.implement(at=IN_WINDOW, actor="ops")
    change = change.review(at=at(130), actor="ops", outcome=ChangeOutcome.SUCCESSFUL_WITH_ISSUES)
    change = change.close(at=at(140), actor="mgr", reason="PIR done")
    assert path(change) == [
        "new", "assess", "assess", "authorize", "authorize", "authorize", "scheduled",
        "implement", "review", "closed",
    ]  # fmt: skip
    assert [(a.approver, a.gate, a.comment) for a in change.approval_log] == [
        ("tech1", "assess", "looks fine"),
        ("cab1", "authorize", None),
        ("cab2", "authorize", None),
    ]
    moved_on = change.history[2]
    assert (moved_on.transition, moved_on.actor) == ("authorize", "tech1")
    assert moved_on.reason == "any_one rule approved: 1 of 2 needed"
    assert_consistent(change)


def test_emergency_change_skips_assess() -> None:
    """Emergency: new -> authorize -> scheduled -> implement -> review -> closed."""
    change = implemented("emergency").close(at=at(200), actor="mgr")
    assert [s for s in path(change) if s != "authorize"][:2] == ["new", "scheduled"]
    assert "assess" not in path(change)
    assert {a.gate for a in change.approval_log} == {"authorize"}
    assert_consistent(change)


@pytest.mark.parametrize(
    ("change_type", "transition"),
    [
        ("standard", "assess"),
        ("standard", "authorize"),
        ("normal", "authorize"),
        ("normal", "schedule"),
        ("emergency", "assess"),
        ("emergency", "schedule"),
    ],
)
def test_each_type_is_refused_the_other_routes(change_type: str, transition: str) -> None:
    """Type guards route each type; the refusal names the type that route needs."""
    change = draft(change_type)
    with pytest.raises(GuardRefusedError, match=f"change_type is '{change_type}'"):
        getattr(change, transition)(at=at(1), actor="req")


def test_actual_start_and_end_are_recorded() -> None:
    """Implementing records actual_start; entering review records actual_end and outcome."""
    change = implemented("standard")
    assert change.actual_start == IN_WINDOW
    assert change.actual_end == IN_WINDOW + timedelta(hours=1)
    assert change.outcome is ChangeOutcome.SUCCESSFUL
    assert change.window_warning is None


# -- approvals and segregation of duties -------------------------------------------


def test_rejection_returns_the_change_to_new_and_keeps_the_votes_in_history() -> None:
    """Once the rule can no longer be met, the change goes back to new with no open votes."""
    change = draft("normal").assess(at=at(1), actor="req").approve(at=at(2), actor="tech1")
    change = change.reject(at=at(3), actor="cab1", comment="no rollback test")
    assert change.state == "authorize"
    change = change.reject(at=at(4), actor="cab2")
    assert change.state == "new"
    assert change.approvals == ()
    assert change.history[-1].transition == "send_back"
    assert [a.decision.value for a in change.approval_log] == ["approved", "rejected", "rejected"]
    again = change.revise(at=at(5), actor="req", backout_plan="restore and re-test").assess(
        at=at(6), actor="req"
    )
    again = again.approve(at=at(7), actor="tech2")
    assert again.state == "authorize"
    assert_consistent(again)


def test_the_requester_cannot_approve_their_own_change() -> None:
    """The SoD guard refuses the requester, whatever the rule says."""
    change = draft("emergency").authorize(at=at(1), actor="req")
    with pytest.raises(GuardRefusedError) as refused:
        change.approve(at=at(2), actor="req")
    assert "'req' is the requested_by and may not approve" in refused.value.reasons
    assert change.approvals == ()


def test_the_requester_cannot_be_listed_as_an_approver() -> None:
    """A policy naming the requester is refused when built or revised; nothing changes."""
    with_requester = ApprovalPolicy.of(authorize=ApprovalRule.all_of({"req", "cab1"}))
    with pytest.raises(InvalidInputError, match="segregation of duties"):
        draft("emergency", approval_policy=with_requester)
    change = draft("emergency")
    with pytest.raises(InvalidInputError, match="segregation of duties"):
        change.revise(at=at(1), actor="req", approval_policy=with_requester)
    assert change.approval_policy == POLICY
    assert change.history == ()


def test_an_approver_cannot_decide_twice_at_a_gate() -> None:
    """A second vote (approve or reject) by the same person is refused."""
    change = draft("emergency").authorize(at=at(1), actor="req")
    change = change.approve(at=at(2), actor="cab1")
    for vote in (change.approve, change.reject):
        with pytest.raises(GuardRefusedError, match="'cab1' is already among"):
            vote(at=at(3), actor="cab1")
    assert [a.approver for a in change.approvals] == ["cab1"]


def test_an_assessor_may_vote_again_at_the_next_gate_if_listed() -> None:
    """ "Once" is per gate: votes are cleared when the gate is left."""
    both = ApprovalRule.any_one({"tech1", "cab1"})
    change = draft("normal", approval_policy=ApprovalPolicy.of(assess=both, authorize=both))
    change = change.assess(at=at(1), actor="req").approve(at=at(2), actor="cab1")
    assert change.state == "authorize"
    assert change.approve(at=at(3), actor="cab1").state == "scheduled"


def test_only_listed_approvers_may_vote() -> None:
    """Someone outside the gate's rule is refused, and told who may decide."""
    change = draft("normal").assess(at=at(1), actor="req")
    with pytest.raises(GuardRefusedError, match="approvers: tech1, tech2"):
        change.approve(at=at(2), actor="cab1")


def test_votes_outside_a_gate_are_not_allowed() -> None:
    """approve and reject exist only in assess and authorize."""
    with pytest.raises(TransitionNotAllowedError, match="allowed from 'new'"):
        draft("normal").approve(at=at(1), actor="tech1")
    with pytest.raises(TransitionNotAllowedError):
        authorized("normal").reject(at=at(5), actor="cab3")


@pytest.mark.parametrize(
    ("change_type", "transition", "gates"),
    [("normal", "assess", "assess, authorize"), ("emergency", "authorize", "authorize")],
)
def test_entering_a_gate_needs_rules_for_the_gates_ahead(
    change_type: str, transition: str, gates: str
) -> None:
    """A change cannot be submitted without rules for every gate on its path."""
    change = draft(change_type, approval_policy=ApprovalPolicy())
    expected = re.escape(f"no approval rule for gate(s) {gates};")
    with pytest.raises(GuardRefusedError, match=expected):
        getattr(change, transition)(at=at(1), actor="req")
    only_assess = ApprovalPolicy.of(assess=ApprovalRule.any_one({"tech1"}))
    with pytest.raises(GuardRefusedError, match=r"gate\(s\) authorize;"):
        draft("normal", approval_policy=only_assess).assess(at=at(1), actor="req")


def test_the_gate_exit_cannot_be_fired_before_the_rule_is_met() -> None:
    """Firing authorize from assess by hand needs the assessment approved."""
    change = draft("normal").assess(at=at(1), actor="req")
    with pytest.raises(GuardRefusedError, match="approval at 'assess' is pending, not approved"):
        change.authorize(at=at(2), actor="req")


# -- plans, windows, review, cancel, type --------------------------------------------


@pytest.mark.parametrize("missing", ["backout_plan", "planned_window"])
@pytest.mark.parametrize(
    ("change_type", "transition"),
    [("normal", "assess"), ("emergency", "authorize"), ("standard", "schedule")],
)
def test_plan_and_window_are_required_before_leaving_new(
    change_type: str, transition: str, missing: str
) -> None:
    """Every route out of new (hence before any authorisation) needs both."""
    change = draft(change_type, **{missing: None})  # type: ignore[arg-type]
    with pytest.raises(MissingFieldsError) as refused:
        getattr(change, transition)(at=at(1), actor="req")
    assert refused.value.fields == (missing,)


def test_a_blank_backout_plan_counts_as_missing() -> None:
    """An empty string is not a back-out plan."""
    with pytest.raises(MissingFieldsError, match="backout_plan"):
        draft("standard", backout_plan="").schedule(at=at(1), actor="req")


def test_planned_window_must_be_ordered_and_aware() -> None:
    """A window ending before (or at) its start, or with naive bounds, is refused."""
    with pytest.raises(InvalidIntervalError, match="planned window ends before it starts"):
        PlannedWindow(WINDOW.end, WINDOW.start)
    with pytest.raises(InvalidIntervalError):
        PlannedWindow(WINDOW.start, WINDOW.start)
    with pytest.raises(NaiveDatetimeError):
        PlannedWindow(datetime(2026, 3, 7, 22), WINDOW.end)
    with pytest.raises(InvalidInputError, match="planned_window must be PlannedWindow"):
        draft("standard", planned_window=(WINDOW.start, WINDOW.end))


@pytest.mark.parametrize(
    "when",
    [WINDOW.start - timedelta(seconds=1), WINDOW.end, WINDOW.end + timedelta(days=1)],
    ids=["before", "at-end", "after"],
)
def test_implement_outside_the_window_is_blocked_by_default(when: datetime) -> None:
    """The window is [start, end): implementing outside it is refused, with the window."""
    change = authorized("standard")
    with pytest.raises(GuardRefusedError, match="outside the planned window"):
        change.implement(at=when, actor="ops")
    assert change.implement(at=WINDOW.start, actor="ops").state == "implement"


def test_warn_policy_allows_it_and_records_the_warning() -> None:
    """Under the warn policy the transition fires and the warning is in the change and record."""
    warn = CHANGE.derive(name="lenient-change", window_policy=WindowPolicy.WARN)
    late = WINDOW.end + timedelta(hours=2)
    scheduled = draft("standard", practice=warn).schedule(at=at(1), actor="req")
    change = scheduled.implement(at=late, actor="ops")
    assert change.state == "implement"
    assert change.window_warning is not None
    assert "outside the planned window" in change.window_warning
    recorded = change.history[-1].changed("window_warning")
    assert recorded is not None
    assert recorded.new == change.window_warning
    inside = scheduled.implement(at=IN_WINDOW, actor="ops")
    assert inside.window_warning is None


def test_review_requires_an_outcome() -> None:
    """Entering review without an outcome is refused; an unknown outcome too."""
    change = authorized("standard").implement(at=IN_WINDOW, actor="ops")
    with pytest.raises(MissingFieldsError, match="outcome"):
        change.fire("review", at=IN_WINDOW, actor="ops")
    with pytest.raises(
        InvalidInputError, match="not a ChangeOutcome; allowed: successful, successful_with_issues"
    ):
        change.review(at=IN_WINDOW, actor="ops", outcome="fine")
    implemented_outcomes = [o for o in ChangeOutcome if o.value not in ("canceled", "rejected")]
    for outcome in implemented_outcomes:
        assert change.review(at=IN_WINDOW, actor="ops", outcome=outcome).outcome is outcome
    with pytest.raises(GuardRefusedError, match="review needs one of: successful"):
        change.review(at=IN_WINDOW, actor="ops", outcome=ChangeOutcome.CANCELED)


@pytest.mark.parametrize("state", ["new", "assess", "authorize", "scheduled", "implement"])
def test_cancel_is_allowed_until_implementation_ends(state: str) -> None:
    """A change can be canceled from new up to implement, with a reason."""
    change = draft("normal")
    steps: dict[str, Callable[[Change], Change]] = {
        "assess": lambda c: c.assess(at=at(1), actor="req"),
        "authorize": lambda c: c.approve(at=at(2), actor="tech1"),
        "scheduled": lambda c: c.approve(at=at(3), actor="cab1").approve(at=at(4), actor="cab2"),
        "implement": lambda c: c.implement(at=IN_WINDOW, actor="ops"),
    }
    for name, step in steps.items():
        if change.state == state:
            break
        change = step(change)
        assert change.state == name
    canceled = change.cancel("withdrawn", at=IN_WINDOW, actor="mgr", notes="patch withdrawn")
    assert canceled.state == "canceled"
    assert canceled.cancellation is not None
    assert (canceled.cancellation.reason, canceled.cancellation.notes) == (
        CancelReason.WITHDRAWN,
        "patch withdrawn",
    )
    assert canceled.outcome is ChangeOutcome.CANCELED
    assert canceled.category is StateCategory.CANCELED
    assert_consistent(canceled)


def test_cancel_needs_a_known_reason() -> None:
    """An unknown reason is refused with the allowed ones; generic fire needs a cancellation."""
    with pytest.raises(InvalidInputError, match="allowed: duplicate, not_an_incident"):
        draft().cancel("bored", at=at(1), actor="req")
    with pytest.raises(MissingFieldsError, match="cancellation"):
        draft().fire("cancel", at=at(1), actor="req")


def test_no_cancel_from_review_or_closed() -> None:
    """Once implemented, a change is reviewed and closed, never canceled."""
    reviewed = implemented("normal")
    for change in (reviewed, reviewed.close(at=at(300), actor="mgr")):
        with pytest.raises(TransitionNotAllowedError) as refused:
            change.cancel("unnecessary", at=at(300), actor="mgr")
        assert "cancel" not in refused.value.allowed


def test_type_changes_only_in_new_and_is_recorded() -> None:
    """revise may change the type in new (recorded), and is refused elsewhere."""
    change = draft("normal").revise(at=at(1), actor="req", change_type="emergency")
    assert change.change_type is ChangeType.EMERGENCY
    recorded = change.history[-1].changed("change_type")
    assert recorded is not None
    assert (recorded.old, recorded.new) == (ChangeType.NORMAL, ChangeType.EMERGENCY)
    submitted = change.authorize(at=at(2), actor="req")
    with pytest.raises(TransitionNotAllowedError, match="'revise' is not allowed"):
        submitted.revise(at=at(3), actor="req", change_type="standard")
    with pytest.raises(
        InvalidInputError, match="not a ChangeType; allowed: standard, normal, emergency"
    ):
        change.revise(at=at(3), actor="req", change_type="minor")


def test_revise_sets_only_plan_fields() -> None:
    """State, history, votes and outcomes are never set by revise."""
    with pytest.raises(InvalidInputError, match="revise cannot set outcome, state"):
        draft().revise(at=at(1), actor="req", state="closed", outcome="successful")


def test_commands_reject_naive_times_and_leave_the_change_unchanged() -> None:
    """A naive time is refused at the boundary; the original change is untouched."""
    change = draft("emergency").authorize(at=at(1), actor="req")
    snapshot = attrs.evolve(change)
    with pytest.raises(NaiveDatetimeError):
        change.approve(at=datetime(2026, 3, 2, 12), actor="cab1")
    with pytest.raises(NaiveDatetimeError):
        authorized("standard").implement(at=datetime(2026, 3, 7, 10), actor="ops")
    assert change == snapshot


def test_construction_validates_fields() -> None:
    """Required text, aware times and known types are checked when a change is built."""
    with pytest.raises(InvalidInputError, match="requested_by"):
        draft(requested_by=" ")
    with pytest.raises(NaiveDatetimeError):
        draft(at=datetime(2026, 3, 2, 9))
    with pytest.raises(InvalidInputError, match="approvals must hold Approval"):
        attrs.evolve(draft(), approvals=("cab1",))  # type: ignore[arg-type]


# -- customisation ---------------------------------------------------------------


def rejected_variant() -> Practice:
    """The default practice with rejection ending in a terminal ``rejected`` state."""
    return CHANGE.derive(
        name="change_with_rejected",
        remove_transitions=["send_back"],
        add_states=[State("rejected", StateCategory.CANCELED, description="turned down")],
        add_transitions=[
            Transition("turn_down", ["assess", "authorize"], "rejected", ["gate_rejected"])
        ],
    )


def test_a_derived_practice_can_end_rejections_in_a_terminal_state() -> None:
    """Offered via derive: the vote that decides the rejection moves to ``rejected``."""
    variant = rejected_variant()
    change = draft("emergency", practice=variant).authorize(at=at(1), actor="req")
    change = change.reject(at=at(2), actor="cab1")
    change = change.reject(at=at(3), actor="cab2")
    assert change.state == "rejected"
    assert change.history[-1].transition == "turn_down"
    assert (change.category, change.outcome) == (StateCategory.CANCELED, ChangeOutcome.REJECTED)
    assert replay(variant.definition, change.history) == "rejected"
    with pytest.raises(TransitionNotAllowedError):
        change.revise(at=at(4), actor="req")


def test_a_vendor_adds_a_guard_to_an_existing_transition() -> None:
    """derive(add_guards=...) puts a vendor rule on implement beside the window guard."""

    def weekends_only(context: GuardContext) -> str | None:
        return None if context.at.weekday() >= 5 else "changes are implemented at weekends"

    strict = CHANGE.derive(
        name="weekend-change",
        guards={"weekends_only": weekends_only},
        add_guards={"implement": "weekends_only"},
    )
    change = draft("standard", practice=strict).schedule(at=at(1), actor="req")
    assert IN_WINDOW.weekday() == 5
    assert change.implement(at=IN_WINDOW, actor="ops").state == "implement"
    with pytest.raises(GuardRefusedError, match="at weekends") as refused:
        change.implement(at=IN_WINDOW - timedelta(days=1), actor="ops")
    assert "outside the planned window" in str(refused.value)  # both guards speak


def test_cancel_at_a_gate_withdraws_the_open_votes() -> None:
    """A canceled change holds no open votes; the votes stay in the history."""
    change = draft("emergency").authorize(at=at(1), actor="req").approve(at=at(2), actor="cab1")
    canceled = change.cancel("unnecessary", at=at(3), actor="mgr", notes="superseded")
    assert canceled.approvals == ()
    assert [a.approver for a in canceled.approval_log] == ["cab1"]


def test_a_command_dated_before_the_last_event_is_refused() -> None:
    """Like tickets, a change refuses time travel: history stays in time order."""
    from itilkit.errors import HistoryOrderError

    change = Change.submit(CHANGE, id="CHG-T", title="Patch", change_type="standard",
                           requested_by="rita", at=T0)  # fmt: skip
    with pytest.raises(HistoryOrderError):
        change.revise(at=T0 - timedelta(minutes=1), actor="rita", backout_plan="revert")
