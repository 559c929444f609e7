"""Random commands on entities of random vendor practices keep every invariant.

Each machine draws a vendor derivation of a preset (renamed states and
transitions, an added paused state, a vendor guard on an existing transition),
logs an entity with it and fires random named commands and generic ``fire``
calls at random, increasing times. After every step the entity passes
:func:`~itilkit.practices.check_invariants`, still names its practice, and its
milestones agree with its category; a refused command leaves the entity equal
to a copy taken before it, and the copy is the very object held.
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
from itilkit.lifecycle import replay
from itilkit.practices import (
    INCIDENT,
    PROBLEM,
    SERVICE_REQUEST,
    Assignment,
    HoldReason,
    Incident,
    Practice,
    PrioritisedTicket,
    Problem,
    ReopenPolicy,
    ServiceRequest,
    check_invariants,
)

from .helpers import T0, new_incident, new_problem, new_request
from .strategies import derivations

E = TypeVar("E", bound=PrioritisedTicket)

ACTORS = st.sampled_from(["ann", "bob", "cy"])
ASSIGNMENTS = st.sampled_from(
    [Assignment("desk"), Assignment("desk", "bob"), Assignment("network", "cy")]
)
STEPS = st.integers(min_value=0, max_value=3 * 24 * 60)
#: Values a generic fire may try to set: good, of the wrong type, or breaking a rule.
ODD_CHANGES = st.sampled_from(
    [
        {},
        {"title": "renamed"},
        {"title": ""},
        {"priority": 5},
        {"impact": "low"},
        {"hold_reason": "awaiting_vendor"},
        {"hold_reason": 42},
        {"reopen_count": 3},
        {"opened_at": T0 - timedelta(days=1)},
        {"state": "closed"},
        {"colour": "red"},
    ]
)


class TicketMachine(RuleBasedStateMachine, Generic[E]):
    """Shared driving: the practice, the entity, the clock, and refusal checks."""

    practice: Practice
    entity: E

    def __init__(self) -> None:
        super().__init__()
        self.now = T0

    def attempt(self, step: int, command: Callable[[E], E]) -> None:
        """Run ``command`` ``step`` minutes later; a refusal must change nothing."""
        self.now += timedelta(minutes=step)
        held = self.entity
        before = attrs.evolve(held)
        try:
            self.entity = command(held)
        except ItilkitError:
            assert self.entity is held
            assert held == before

    def count(self, test: Callable[[Any], bool]) -> int:
        """How many records of the history pass ``test``."""
        return sum(1 for r in self.entity.history if test(r))

    @rule(step=STEPS, assignment=ASSIGNMENTS, actor=ACTORS)
    def assign(self, step: int, assignment: Assignment, actor: str) -> None:
        """Assign (or reassign, or repeat: refused)."""
        self.attempt(step, lambda e: e.assign(assignment, at=self.now, actor=actor))

    @rule(step=STEPS, reason=st.sampled_from(["duplicate", "unnecessary", "withdrawn"]))
    def cancel(self, step: int, reason: str) -> None:
        """Cancel, as a duplicate or not."""
        dup = "X-0" if reason == "duplicate" else None
        self.attempt(step, lambda e: e.cancel(reason, at=self.now, actor="desk", duplicate_of=dup))

    @rule(step=STEPS, urgency=st.integers(0, 4), keep=st.booleans())
    def reprioritise(self, step: int, urgency: int, keep: bool) -> None:
        """Reassess urgency (0 and 4 are out of scale: refused)."""
        self.attempt(
            step,
            lambda e: e.reprioritise(urgency=urgency, keep_override=keep, at=self.now, actor="cy"),
        )

    @rule(step=STEPS, priority=st.integers(1, 5))
    def override(self, step: int, priority: int) -> None:
        """Override the priority by hand."""
        self.attempt(
            step, lambda e: e.override_priority(priority, at=self.now, actor="mgr", reason="VIP")
        )

    @rule(step=STEPS)
    def reopen(self, step: int) -> None:
        """Reopen."""
        self.attempt(step, lambda e: e.reopen(at=self.now, actor="ann"))

    @rule(step=STEPS, data=st.data(), changes=ODD_CHANGES, actor=ACTORS)
    def fire_any(self, step: int, data: st.DataObject, changes: dict[str, Any], actor: str) -> None:
        """Fire any transition of the practice through the generic path, with odd changes."""
        name = data.draw(st.sampled_from(self.practice.definition.transition_names))
        extra = {"hold_reason": HoldReason.OTHER} if name == "park" else {}
        if "hold_reason" not in self.practice.state_fields:
            extra = {}
        self.attempt(
            step,
            lambda e: e.fire(name, at=self.now, actor=actor, changes={**extra, **changes}),
        )

    @rule(step=STEPS)
    def too_early(self, step: int) -> None:
        """A command dated before the last event is always refused."""
        earlier = self.entity.last_event_at - timedelta(minutes=step + 1)
        before = attrs.evolve(self.entity)
        try:
            self.entity.fire(self.practice.command("cancel"), at=earlier, actor="x")
        except ItilkitError:
            assert self.entity == before
        else:
            raise AssertionError("a command dated before the last event was accepted")

    @invariant()
    def every_rule_holds_and_the_practice_is_kept(self) -> None:
        """The one invariant check passes; the entity still names its practice."""
        check_invariants(self.entity)
        assert self.entity.practice is self.practice
        assert replay(self.practice.definition, self.entity.history) == self.entity.state
        times = [self.entity.opened_at, *(r.at for r in self.entity.history)]
        assert times == sorted(times)

    @invariant()
    def shared_fields_agree(self) -> None:
        """Cancellation and closure match the category; counters match the history."""
        entity, category = self.entity, self.entity.category
        assert (entity.cancellation is not None) == (
            category is StateCategory.CANCELED and entity.state in _requiring(self, "cancellation")
        )
        assert (entity.closed_at is not None) == (category is StateCategory.CLOSED)
        reopened = self.count(
            lambda r: (
                r.source_category in (StateCategory.RESOLVED, StateCategory.CLOSED)
                and r.target_category.is_open
            )
        )
        assert entity.reopen_count == reopened
        override = entity.priority_override
        assert override is None or override.priority == entity.priority
        if override is None:
            assert entity.priority == entity.matrix.priority(entity.impact, entity.urgency)


def _requiring(machine: TicketMachine[Any], field: str) -> set[str]:
    return {s.name for s in machine.practice.definition.states if field in s.required_fields}


class IncidentMachine(TicketMachine[Incident]):
    """Random incident commands under a random vendor practice."""

    @initialize(practice=derivations(INCIDENT), within=st.booleans())
    def log(self, practice: Practice, within: bool) -> None:
        """Start from an incident logged with a random vendor practice."""
        if within:
            practice = practice.derive(
                name=f"{practice.name}-reopenable",
                reopen=ReopenPolicy.allow_within(timedelta(days=1)),
            )
        self.practice = practice
        self.entity = new_incident(practice)

    @rule(step=STEPS, actor=ACTORS)
    def start_work(self, step: int, actor: str) -> None:
        """Start work."""
        self.attempt(step, lambda e: e.start_work(at=self.now, actor=actor))

    @rule(
        step=STEPS,
        reason=st.sampled_from(["awaiting_caller", "awaiting_vendor"]),
        note=st.sampled_from([None, "please reply"]),
    )
    def hold(self, step: int, reason: str, note: str | None) -> None:
        """Hold, with or without a public note."""
        self.attempt(step, lambda e: e.hold(reason, note=note, at=self.now, actor="bob"))

    @rule(step=STEPS)
    def resume(self, step: int) -> None:
        """Resume."""
        self.attempt(step, lambda e: e.resume(at=self.now, actor="bob"))

    @rule(step=STEPS, code=st.sampled_from(["fixed", "workaround", "bogus"]), actor=ACTORS)
    def resolve(self, step: int, code: str, actor: str) -> None:
        """Resolve (an unknown code is refused; a vendor guard may refuse cy)."""
        self.attempt(step, lambda e: e.resolve(code, "notes", at=self.now, actor=actor))

    @rule(step=STEPS)
    def close(self, step: int) -> None:
        """Close."""
        self.attempt(step, lambda e: e.close(at=self.now, actor="ann"))

    @invariant()
    def milestones_agree_with_the_category(self) -> None:
        """Resolution, hold reason, acknowledgement and resolutions match the state and history."""
        inc, category = self.entity, self.entity.category
        assert (inc.resolution is not None) == (
            category in (StateCategory.RESOLVED, StateCategory.CLOSED)
        )
        assert (inc.resolved_at is not None) == (inc.resolution is not None)
        assert (inc.hold_reason is not None) == (category is StateCategory.PAUSED)
        resolving = self.count(lambda r: (c := r.changed("resolution")) and c.new is not None)
        assert len(inc.resolutions) == resolving
        entered_active = self.count(lambda r: r.target_category is StateCategory.ACTIVE)
        assert (inc.acknowledged_at is not None) == (entered_active > 0)


class ProblemMachine(TicketMachine[Problem]):
    """Random problem commands under a random vendor practice."""

    @initialize(practice=derivations(PROBLEM))
    def log(self, practice: Practice) -> None:
        """Start from a problem logged with a random vendor practice."""
        self.practice = practice
        self.entity = new_problem(practice)

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
    def close(self, step: int) -> None:
        """Close."""
        self.attempt(step, lambda e: e.close(at=self.now, actor="pm"))

    @rule(step=STEPS, ids=st.lists(st.sampled_from(["INC-1", "INC-5", "INC-9", ""]), max_size=2))
    def link(self, step: int, ids: list[str]) -> None:
        """Link incidents (only known ones, or a blank id: refused)."""
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
        problem, category = self.entity, self.entity.category
        assert (problem.resolution is not None) == (
            category in (StateCategory.RESOLVED, StateCategory.CLOSED)
        )
        if problem.state in _requiring(self, "root_cause"):
            assert problem.root_cause is not None
        assert list(problem.linked_incidents) == sorted(set(problem.linked_incidents))


class RequestMachine(TicketMachine[ServiceRequest]):
    """Random service request commands, with or without approval, under a vendor practice."""

    @initialize(practice=derivations(SERVICE_REQUEST), requires_approval=st.booleans())
    def submit(self, practice: Practice, requires_approval: bool) -> None:
        """Start from a request submitted with a random vendor practice."""
        self.practice = practice
        self.entity = new_request(requires_approval=requires_approval, practice=practice)

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

    @rule(step=STEPS, outcome=st.sampled_from(["complete", "skipped", "rejected"]))
    def close(self, step: int, outcome: str) -> None:
        """Close (outcome rejected is refused)."""
        self.attempt(step, lambda e: e.close(outcome, at=self.now, actor="ann"))

    @invariant()
    def milestones_agree_with_the_category(self) -> None:
        """Outcome, fulfilment, approval and segregation agree with the state and history."""
        request, category = self.entity, self.entity.category
        assert (request.outcome is not None) == category.is_final
        assert (request.fulfilment is not None) == (
            category in (StateCategory.RESOLVED, StateCategory.CLOSED)
        )
        assert (request.hold_reason is not None) == (
            request.state in _requiring(self, "hold_reason")
        )
        if request.approval is not None:
            assert request.approval.approver != request.requester
        started = self.count(lambda r: r.target_category is StateCategory.ACTIVE)
        if request.requires_approval and started:
            assert request.approval is not None
            assert request.approval.approved


MACHINE_SETTINGS = settings(max_examples=120, stateful_step_count=30)
TestIncidentMachine = MACHINE_SETTINGS(IncidentMachine).TestCase
TestProblemMachine = MACHINE_SETTINGS(ProblemMachine).TestCase
TestRequestMachine = MACHINE_SETTINGS(RequestMachine).TestCase
