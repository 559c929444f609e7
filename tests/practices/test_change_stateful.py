"""Random change commands, checked against the invariants after every step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from itilkit.categories import StateCategory
from itilkit.errors import ItilkitError
from itilkit.lifecycle import replay
from itilkit.outcomes import ChangeOutcome
from itilkit.practices import (
    CHANGE,
    ApprovalPolicy,
    ApprovalRule,
    Change,
    ChangeType,
    PlannedWindow,
    Practice,
    WindowPolicy,
    check_invariants,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
WINDOW = PlannedWindow(T0 + timedelta(hours=10), T0 + timedelta(hours=14))
PEOPLE = ["req", "tech1", "tech2", "cab1", "cab2", "cab3", "ops"]
GATES = ("assess", "authorize")
ROUTES = {"standard": "schedule", "normal": "assess", "emergency": "authorize"}
PRACTICES = {
    WindowPolicy.BLOCK: CHANGE,
    WindowPolicy.WARN: CHANGE.derive(name="change-warn", window_policy=WindowPolicy.WARN),
}
CHANGE_DEFINITION = CHANGE.definition

rules_ = st.sampled_from(
    [
        ApprovalRule.any_one({"tech1", "tech2"}),
        ApprovalRule.all_of({"cab1", "cab2"}),
        ApprovalRule.quorum({"cab1", "cab2", "cab3"}, 2),
        ApprovalRule.percentage({"tech1", "cab1", "cab3"}, 60),
    ]
)


class ChangeMachine(RuleBasedStateMachine):
    """Fires random commands at one change and checks what must always hold."""

    def __init__(self) -> None:
        """Start with no change; ``start`` builds it."""
        super().__init__()
        self.change: Change
        self.practice: Practice
        self.now = T0

    @initialize(
        change_type=st.sampled_from(ChangeType),
        assess=rules_,
        authorize=rules_,
        policy=st.sampled_from(WindowPolicy),
    )
    def start(
        self, change_type: ChangeType, assess: ApprovalRule, authorize: ApprovalRule, policy: str
    ) -> None:
        """A new change with a plan, a window and random gate rules."""
        self.practice = PRACTICES[WindowPolicy(policy)]
        self.change = Change.submit(
            self.practice,
            id="CHG1",
            title="random change",
            change_type=change_type,
            requested_by="req",
            at=T0,
            backout_plan="restore",
            planned_window=WINDOW,
            approval_policy=ApprovalPolicy.of(assess=assess, authorize=authorize),
        )

    def attempt(self, command: Callable[[], Change]) -> None:
        """Run ``command``; keep its result, or check a refusal changed nothing."""
        before = self.change
        try:
            after = command()
        except ItilkitError:
            assert self.change is before
            assert self.change == before
            return
        assert len(after.history) > len(before.history)
        assert after.history[: len(before.history)] == before.history
        self.change = after

    @rule(minutes=st.integers(0, 240))
    def wait(self, minutes: int) -> None:
        """Time passes."""
        self.now += timedelta(minutes=minutes)

    @rule(offset=st.integers(0, 239))
    def reach_the_window(self, offset: int) -> None:
        """Time jumps into the planned window, if that is still ahead."""
        target = WINDOW.start + timedelta(minutes=offset)
        self.now = max(self.now, target)

    @rule(
        route=st.sampled_from(["by_type", "by_type", "assess", "authorize", "schedule"]),
        actor=st.sampled_from(PEOPLE),
    )
    def submit(self, route: str, actor: str) -> None:
        """Try a route out of new (or a gate's manual exit); ``by_type`` picks the right one."""
        if route == "by_type":
            route = ROUTES[self.change.change_type]
        self.attempt(lambda: getattr(self.change, route)(at=self.now, actor=actor))

    @rule(approve=st.sampled_from([True, True, True, False]), actor=st.sampled_from(PEOPLE))
    def vote(self, approve: bool, actor: str) -> None:
        """Someone approves or rejects."""
        command = self.change.approve if approve else self.change.reject
        self.attempt(lambda: command(at=self.now, actor=actor))

    @rule(
        change_type=st.none() | st.sampled_from(ChangeType),
        drop_plan=st.sampled_from([False, False, False, True]),
        restore_plan=st.booleans(),
    )
    def revise(self, change_type: ChangeType | None, drop_plan: bool, restore_plan: bool) -> None:
        """The requester edits the change (only possible in new)."""
        changes: dict[str, Any] = {}
        if change_type is not None:
            changes["change_type"] = change_type
        if drop_plan:
            changes["backout_plan"] = None
        elif restore_plan:
            changes["backout_plan"] = "restore"
        self.attempt(lambda: self.change.revise(at=self.now, actor="req", **changes))

    @rule(actor=st.sampled_from(PEOPLE))
    def implement(self, actor: str) -> None:
        """Someone starts implementing."""
        self.attempt(lambda: self.change.implement(at=self.now, actor=actor))

    @rule(outcome=st.sampled_from(ChangeOutcome))
    def review(self, outcome: ChangeOutcome) -> None:
        """Implementation ends with an outcome."""
        self.attempt(lambda: self.change.review(at=self.now, actor="ops", outcome=outcome))

    @rule()
    def close(self) -> None:
        """The change manager closes it."""
        self.attempt(lambda: self.change.close(at=self.now, actor="mgr"))

    @rule(reason=st.sampled_from(["withdrawn", *["bored"] * 15]))
    def cancel(self, reason: str) -> None:
        """Someone cancels it, mostly with an unknown reason (so paths run long)."""
        self.attempt(lambda: self.change.cancel(reason, at=self.now, actor="mgr"))

    @invariant()
    def history_replays_to_the_state(self) -> None:
        """Replaying the history from the initial state gives the current state."""
        assert replay(CHANGE_DEFINITION, self.change.history) == self.change.state
        assert self.change.category is CHANGE_DEFINITION.category(self.change.state)
        event(f"reached {self.change.state}")

    @invariant()
    def fields_agree_with_the_state_category(self) -> None:
        """Outcome, actual times and cancel reason are set exactly where the state says."""
        change, state = self.change, self.change.state
        category = CHANGE_DEFINITION.category(state)
        assert category is not None
        implemented = any(r.transition == "implement" for r in change.history)
        assert (change.actual_start is not None) == implemented
        assert (change.outcome is not None) == (state in ("review", "closed", "canceled"))
        assert (change.outcome is ChangeOutcome.CANCELED) == (state == "canceled")
        assert (change.actual_end is not None) == (state in ("review", "closed"))
        assert (change.cancellation is not None) == (category is StateCategory.CANCELED)
        assert (change.closed_at is not None) == (category is StateCategory.CLOSED)
        if category.is_final:
            assert CHANGE_DEFINITION.transitions_from(state) == ()
        check_invariants(change)
        if state in ("scheduled", "implement", "review", "closed"):
            assert change.backout_plan
            assert change.planned_window is not None
        if implemented and change.change_type is not ChangeType.STANDARD:
            gates_passed = {r.source for r in change.history if r.target == "scheduled"}
            assert gates_passed == {"authorize"}

    @invariant()
    def window_rule_holds(self) -> None:
        """Implementation starts in the window, or (warn policy) carries a warning."""
        start = self.change.actual_start
        if start is None:
            return
        inside = WINDOW.contains(start)
        assert (self.change.window_warning is None) == inside
        if self.practice is CHANGE:
            assert inside

    @invariant()
    def votes_are_single_and_never_the_requester(self) -> None:
        """Open votes belong to the current gate, one per approver, none by the requester."""
        change = self.change
        approvers = [a.approver for a in change.approvals]
        assert len(approvers) == len(set(approvers))
        assert all(a.gate == change.state for a in change.approvals)
        if change.state not in GATES:
            assert change.approvals == ()
        assert change.requested_by not in {a.approver for a in change.approval_log}
        rule_ = change.approval_policy.rule_for(change.state)
        if change.approvals:
            assert rule_ is not None
            assert set(approvers) <= rule_.approvers


ChangeMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=50)
test_change_machine = ChangeMachine.TestCase
