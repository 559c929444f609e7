"""Random command sequences on incidents, problems and requests keep every invariant.

Each machine fires random commands at random (increasing) times; a refused
command must leave the entity equal to a copy taken before it. After every
step: the history replays to the current state, the state's category agrees
with the milestone fields, and the counters agree with the history.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, Generic, TypeVar

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from itilkit.categories import StateCategory
from itilkit.errors import ItilkitError
from itilkit.lifecycle import Lifecycle, replay
from itilkit.practices import (
    PROBLEM_LIFECYCLE,
    SERVICE_REQUEST_LIFECYCLE,
    Assignment,
    Incident,
    Problem,
    ReopenPolicy,
    ServiceRequest,
    TicketBase,
    incident_lifecycle,
)

from .helpers import T0, new_incident, new_problem, new_request

E = TypeVar("E", bound=TicketBase)
Command = Callable[[Any, Any], Any]

ACTORS = st.sampled_from(["ann", "bob", "cy"])
ASSIGNMENTS = st.sampled_from(
    [Assignment("desk"), Assignment("desk", "bob"), Assignment("network", "cy")]
)
STEPS = st.integers(min_value=0, max_value=3 * 24 * 60)


class TicketMachine(RuleBasedStateMachine, Generic[E]):
    """Shared driving: the entity, the clock, and refusal checks."""

    lifecycle: Lifecycle
    entity: E

    def __init__(self) -> None:
        super().__init__()
        self.now = T0
        self.refusals = 0

    def attempt(self, step: int, command: Callable[[E], E]) -> None:
        """Run ``command`` ``step`` minutes later; a refusal must change nothing."""
        self.now += timedelta(minutes=step)
        before = attrs.evolve(self.entity)
        try:
            self.entity = command(self.entity)
        except ItilkitError:
            self.refusals += 1
            assert self.entity == before

    def category(self) -> StateCategory:
        """The category of the current state."""
        found = self.lifecycle.definition.category(self.entity.state)
        assert found is not None
        return found

    def count(self, transition: str) -> int:
        """How many records of ``transition`` the history holds."""
        return sum(r.transition == transition for r in self.entity.history)

    @rule(step=STEPS, assignment=ASSIGNMENTS, actor=ACTORS)
    def assign(self, step: int, assignment: Assignment, actor: str) -> None:
        """Assign (or reassign, or repeat: refused)."""
        self.attempt(
            step, lambda e: e.assign(assignment, at=self.now, actor=actor, lifecycle=self.lifecycle)
        )

    @rule(step=STEPS, reason=st.sampled_from(["duplicate", "unnecessary", "withdrawn"]))
    def cancel(self, step: int, reason: str) -> None:
        """Cancel, as a duplicate or not."""
        dup = "X-0" if reason == "duplicate" else None
        self.attempt(
            step,
            lambda e: e.cancel(
                reason, at=self.now, actor="desk", duplicate_of=dup, lifecycle=self.lifecycle
            ),
        )

    @rule(step=STEPS, urgency=st.integers(0, 4), keep=st.booleans())
    def reprioritise(self, step: int, urgency: int, keep: bool) -> None:
        """Reassess urgency (0 and 4 are out of scale: refused)."""
        self.attempt(
            step,
            lambda e: e.reprioritise(
                urgency=urgency,
                keep_override=keep,
                at=self.now,
                actor="desk",
                lifecycle=self.lifecycle,
            ),
        )

    @rule(step=STEPS, priority=st.integers(1, 5))
    def override(self, step: int, priority: int) -> None:
        """Override the priority by hand."""
        self.attempt(
            step,
            lambda e: e.override_priority(
                priority, at=self.now, actor="mgr", reason="VIP", lifecycle=self.lifecycle
            ),
        )

    @rule(step=STEPS)
    def too_early(self, step: int) -> None:
        """A command dated before the last event is always refused."""
        earlier = self.entity.last_event_at - timedelta(minutes=step + 1)
        before = attrs.evolve(self.entity)
        try:
            self.entity.fire("cancel", at=earlier, actor="x", lifecycle=self.lifecycle)
        except ItilkitError:
            assert self.entity == before
        else:
            raise AssertionError("a command dated before the last event was accepted")

    @invariant()
    def history_replays_to_the_state(self) -> None:
        """Replaying the history gives the current state; times never go back."""
        assert replay(self.lifecycle.definition, self.entity.history) == self.entity.state
        assert self.entity.category is self.lifecycle.definition.category(self.entity.state)
        times = [self.entity.opened_at, *(r.at for r in self.entity.history)]
        assert times == sorted(times)

    @invariant()
    def shared_fields_agree(self) -> None:
        """Cancellation and closure match the state; counters match the history."""
        category = self.category()
        assert (self.entity.cancellation is not None) == (self.count("cancel") == 1)
        if self.entity.cancellation is not None:
            assert category is StateCategory.CANCELED
        assert (self.entity.closed_at is not None) == (category is StateCategory.CLOSED)
        assert self.entity.reopen_count == self.count("reopen")
        reassigned = [
            r for r in self.entity.history if (c := r.changed("assignment")) and c.old is not None
        ]
        assert self.entity.reassignment_count == len(reassigned)
        override = self.entity.priority_override
        assert override is None or override.priority == self.entity.priority


class IncidentMachine(TicketMachine[Incident]):
    """Random incident commands under a reopen-within-a-day policy."""

    @initialize()
    def log(self) -> None:
        """Start from a freshly logged incident."""
        self.lifecycle = incident_lifecycle(ReopenPolicy.allow_within(timedelta(days=1)))
        self.entity = new_incident()

    @rule(step=STEPS, actor=ACTORS)
    def start_work(self, step: int, actor: str) -> None:
        """Start work."""
        self.attempt(
            step, lambda e: e.start_work(at=self.now, actor=actor, lifecycle=self.lifecycle)
        )

    @rule(
        step=STEPS,
        reason=st.sampled_from(["awaiting_caller", "awaiting_vendor"]),
        note=st.sampled_from([None, "please reply"]),
    )
    def hold(self, step: int, reason: str, note: str | None) -> None:
        """Hold, with or without a public note."""
        self.attempt(
            step,
            lambda e: e.hold(reason, note=note, at=self.now, actor="bob", lifecycle=self.lifecycle),
        )

    @rule(step=STEPS)
    def resume(self, step: int) -> None:
        """Resume."""
        self.attempt(step, lambda e: e.resume(at=self.now, actor="bob", lifecycle=self.lifecycle))

    @rule(step=STEPS, code=st.sampled_from(["fixed", "workaround", "bogus"]))
    def resolve(self, step: int, code: str) -> None:
        """Resolve (an unknown code is refused)."""
        self.attempt(
            step,
            lambda e: e.resolve(code, "notes", at=self.now, actor="bob", lifecycle=self.lifecycle),
        )

    @rule(step=STEPS)
    def reopen(self, step: int) -> None:
        """Reopen (from closed only within a day)."""
        self.attempt(step, lambda e: e.reopen(at=self.now, actor="ann", lifecycle=self.lifecycle))

    @rule(step=STEPS)
    def close(self, step: int) -> None:
        """Close."""
        self.attempt(step, lambda e: e.close(at=self.now, actor="ann", lifecycle=self.lifecycle))

    @invariant()
    def milestones_agree_with_the_category(self) -> None:
        """Resolution, hold reason, acknowledgement and resolutions match the state and history."""
        category, inc = self.category(), self.entity
        assert (inc.resolution is not None) == (
            category in (StateCategory.RESOLVED, StateCategory.CLOSED)
        )
        assert (inc.resolved_at is not None) == (inc.resolution is not None)
        assert (inc.hold_reason is not None) == (category is StateCategory.PAUSED)
        assert len(inc.resolutions) == self.count("resolve")
        assert (inc.acknowledged_at is not None) == (self.count("start_work") > 0)


class ProblemMachine(TicketMachine[Problem]):
    """Random problem commands."""

    @initialize()
    def log(self) -> None:
        """Start from a freshly raised problem."""
        self.lifecycle = PROBLEM_LIFECYCLE
        self.entity = new_problem()

    @rule(step=STEPS, assignment=st.sampled_from([None, Assignment("problems", "pm")]))
    def assess(self, step: int, assignment: Assignment | None) -> None:
        """Assess, assigning or not."""
        self.attempt(step, lambda e: e.assess(at=self.now, actor="pm", assignment=assignment))

    @rule(step=STEPS)
    def confirm(self, step: int) -> None:
        """Confirm."""
        self.attempt(step, lambda e: e.confirm(at=self.now, actor="pm"))

    @rule(step=STEPS, cause=st.sampled_from([None, "leak"]))
    def start_fix(self, step: int, cause: str | None) -> None:
        """Start a fix, with or without a root cause."""
        self.attempt(step, lambda e: e.start_fix(at=self.now, actor="pm", root_cause=cause))

    @rule(step=STEPS)
    def reanalyze(self, step: int) -> None:
        """Go back to analysis."""
        self.attempt(step, lambda e: e.reanalyze(at=self.now, actor="pm"))

    @rule(step=STEPS, code=st.sampled_from(["fix_applied", "risk_accepted"]))
    def resolve(self, step: int, code: str) -> None:
        """Resolve."""
        self.attempt(step, lambda e: e.resolve(code, "notes", at=self.now, actor="pm"))

    @rule(step=STEPS)
    def reopen(self, step: int) -> None:
        """Reopen."""
        self.attempt(step, lambda e: e.reopen(at=self.now, actor="pm"))

    @rule(step=STEPS)
    def close(self, step: int) -> None:
        """Close."""
        self.attempt(step, lambda e: e.close(at=self.now, actor="pm"))

    @rule(step=STEPS, ids=st.lists(st.sampled_from(["INC-1", "INC-5", "INC-9"]), max_size=2))
    def link(self, step: int, ids: list[str]) -> None:
        """Link incidents (only known ones: refused)."""
        self.attempt(step, lambda e: e.link_incidents(ids, at=self.now, actor="pm"))

    @rule(step=STEPS)
    def record_known_error(self, step: int) -> None:
        """Record a known error (once)."""
        self.attempt(
            step,
            lambda e: e.record_known_error(
                known_error_id="KE-1", symptom="s", workaround="w", at=self.now, actor="pm"
            )[0],
        )

    @invariant()
    def milestones_agree_with_the_category(self) -> None:
        """Resolution and root cause match the state; links stay sorted."""
        category, problem = self.category(), self.entity
        assert (problem.resolution is not None) == (
            category in (StateCategory.RESOLVED, StateCategory.CLOSED)
        )
        if problem.state == "fix_in_progress":
            assert problem.root_cause is not None
        assert list(problem.linked_incidents) == sorted(set(problem.linked_incidents))
        assert (problem.known_error_id is not None) == (self.count("record_known_error") == 1)


class RequestMachine(TicketMachine[ServiceRequest]):
    """Random service request commands, with or without approval."""

    @initialize(requires_approval=st.booleans())
    def submit(self, requires_approval: bool) -> None:
        """Start from a submitted request."""
        self.lifecycle = SERVICE_REQUEST_LIFECYCLE
        self.entity = new_request(requires_approval=requires_approval)

    @rule(step=STEPS)
    def request_approval(self, step: int) -> None:
        """Send to approval."""
        self.attempt(step, lambda e: e.request_approval(at=self.now, actor="portal"))

    @rule(step=STEPS, actor=ACTORS)
    def approve(self, step: int, actor: str) -> None:
        """Approve (refused for the requester ann)."""
        self.attempt(step, lambda e: e.approve(at=self.now, actor=actor))

    @rule(step=STEPS, actor=ACTORS)
    def reject(self, step: int, actor: str) -> None:
        """Reject."""
        self.attempt(step, lambda e: e.reject("no", at=self.now, actor=actor))

    @rule(step=STEPS)
    def start_fulfilment(self, step: int) -> None:
        """Start fulfilment."""
        self.attempt(step, lambda e: e.start_fulfilment(at=self.now, actor="bob"))

    @rule(step=STEPS)
    def hold(self, step: int) -> None:
        """Hold for stock."""
        self.attempt(step, lambda e: e.hold("awaiting_stock", at=self.now, actor="bob"))

    @rule(step=STEPS)
    def resume(self, step: int) -> None:
        """Resume."""
        self.attempt(step, lambda e: e.resume(at=self.now, actor="bob"))

    @rule(step=STEPS)
    def fulfil(self, step: int) -> None:
        """Fulfil."""
        self.attempt(step, lambda e: e.fulfil("done", at=self.now, actor="bob"))

    @rule(step=STEPS)
    def reopen(self, step: int) -> None:
        """Reopen."""
        self.attempt(step, lambda e: e.reopen(at=self.now, actor="ann"))

    @rule(step=STEPS, outcome=st.sampled_from(["complete", "skipped", "rejected"]))
    def close(self, step: int, outcome: str) -> None:
        """Close (outcome rejected is refused)."""
        self.attempt(step, lambda e: e.close(outcome, at=self.now, actor="ann"))

    @invariant()
    def milestones_agree_with_the_category(self) -> None:
        """Outcome, fulfilment, approval and segregation agree with the state and history."""
        category, request = self.category(), self.entity
        assert (request.outcome is not None) == category.is_final
        assert (request.fulfilment is not None) == (
            category in (StateCategory.RESOLVED, StateCategory.CLOSED)
        )
        assert (request.hold_reason is not None) == (request.state == "on_hold")
        assert len(request.fulfilments) == self.count("fulfil")
        if request.approval is not None:
            assert request.approval.approver != request.requester
        if request.requires_approval and self.count("start_fulfilment"):
            assert request.approval is not None
            assert request.approval.approved


MACHINE_SETTINGS = settings(max_examples=150, stateful_step_count=30)
TestIncidentMachine = MACHINE_SETTINGS(IncidentMachine).TestCase
TestProblemMachine = MACHINE_SETTINGS(ProblemMachine).TestCase
TestRequestMachine = MACHINE_SETTINGS(RequestMachine).TestCase
