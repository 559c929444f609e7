"""Vendors derive their practice once; every entity made with it follows its rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from itilkit import codec
from itilkit.categories import StateCategory
from itilkit.errors import (
    GuardRefusedError,
    InvalidLifecycleError,
    InvalidPracticeError,
    PracticeError,
)
from itilkit.lifecycle import (
    LifecycleDefinition,
    State,
    Transition,
    actor_differs_from,
    replay,
)
from itilkit.metrics import ReopenRate, TimeToResolve
from itilkit.practices import (
    INCIDENT,
    KNOWN_ERROR,
    PROBLEM,
    SERVICE_REQUEST,
    HoldReason,
    Practice,
    ReopenPolicy,
    incident_sla_policy,
)
from itilkit.sla import BusinessCalendar, StateChange, WeeklySchedule

from .helpers import TEAM, at, new_incident, new_problem, new_request, working_incident

PARTS = {"hold_reason": HoldReason.AWAITING_STOCK}


def vendor_practice() -> Practice:
    """An incident practice with a parts wait and a resolve the caller may not do."""
    return INCIDENT.derive(
        name="acme-incident",
        add_states=[State("awaiting_parts", StateCategory.PAUSED, required_fields={"hold_reason"})],
        add_transitions=[
            Transition("wait_for_parts", "in_progress", "awaiting_parts"),
            Transition("parts_arrived", "awaiting_parts", "in_progress"),
        ],
        guards={"not_the_caller": actor_differs_from("caller")},
        add_guards={"resolve": "not_the_caller"},
    )


def test_vendor_states_and_guards_work_with_the_commands() -> None:
    """Vendor transitions fire through ``fire``; named commands honour the added guard."""
    acme = vendor_practice()
    inc = working_incident(acme).fire("wait_for_parts", at=at(3), actor="bob", changes=PARTS)
    assert (inc.state, inc.category) == ("awaiting_parts", StateCategory.PAUSED)
    back = inc.fire("parts_arrived", at=at(4), actor="bob")
    assert back.hold_reason is None  # a state field: cleared on leaving the state that needs it
    with pytest.raises(GuardRefusedError, match="'ann' is the caller"):
        back.resolve("fixed", "ok", at=at(5), actor="ann")
    resolved = back.resolve("fixed", "ok", at=at(5), actor="bob")
    assert replay(acme.definition, resolved.history) == "resolved"


def test_an_added_state_gets_the_field_edits_of_its_category() -> None:
    """awaiting_parts (paused) gets assign and reprioritise like on_hold; bare_states opts out."""
    acme = vendor_practice()
    assert {t.name for t in acme.definition.transitions_from("awaiting_parts")} == {
        "assign",
        "reprioritise",
        "parts_arrived",
    }
    waiting = working_incident(acme).fire("wait_for_parts", at=at(3), actor="bob", changes=PARTS)
    moved = waiting.assign(TEAM.__class__("network", "cy"), at=at(4), actor="desk")
    assert (moved.state, moved.reassignment_count) == ("awaiting_parts", 1)
    bare = INCIDENT.derive(
        name="bare",
        add_states=[State("quarantine", StateCategory.PAUSED, required_fields={"hold_reason"})],
        add_transitions=[Transition("isolate", "in_progress", "quarantine")],
        bare_states=["quarantine"],
    )
    assert bare.definition.transitions_from("quarantine") == ()
    with pytest.raises(InvalidPracticeError, match="bare_states names on_hold, which this"):
        INCIDENT.derive(name="typo", bare_states=["on_hold"])


def test_commands_follow_a_renamed_transition() -> None:
    """Renaming resolve to fix keeps ``resolve()`` working: commands are bound by role."""
    acme = INCIDENT.derive(name="acme-renamed", rename_transitions={"resolve": "fix"})
    assert acme.command("resolve") == "fix"
    done = working_incident(acme).resolve("fixed", "replaced the card", at=at(3), actor="bob")
    assert (done.state, done.history[-1].transition) == ("resolved", "fix")


def test_a_command_mapped_to_a_missing_transition_is_refused() -> None:
    """Removing a command's transition, or binding one to nothing, names both ends."""
    with pytest.raises(InvalidPracticeError) as caught:
        INCIDENT.derive(
            name="broken",
            remove_transitions=["resume"],
            add_transitions=[Transition("back_to_work", "on_hold", "in_progress")],
        )
    assert "command 'resume' maps to transition 'resume', which lifecycle 'broken'" in str(
        caught.value
    )
    assert "transitions are: assign" in str(caught.value)
    rebound = INCIDENT.derive(
        name="rebound",
        remove_transitions=["resume"],
        add_transitions=[Transition("back_to_work", "on_hold", "in_progress")],
        commands={"resume": "back_to_work"},
    )
    held = working_incident(rebound).hold("awaiting_vendor", at=at(3), actor="bob")
    assert held.resume(at=at(4), actor="bob").history[-1].transition == "back_to_work"
    with pytest.raises(InvalidPracticeError, match="'escalate' is not a command"):
        INCIDENT.derive(name="broken", commands={"escalate": "assign"})
    dropped = INCIDENT.derive(
        name="no-holds",
        remove_transitions=["hold", "resume"],
        remove_states=["on_hold"],
        commands={"hold": None, "resume": None},
    )
    with pytest.raises(PracticeError, match="has no 'hold' command"):
        working_incident(dropped).hold("awaiting_vendor", at=at(3), actor="bob")


def test_derive_needs_its_own_identity_and_registered_guards() -> None:
    """Same name and version is refused; a guard used but not registered is listed."""
    with pytest.raises(InvalidPracticeError, match="its own name or version"):
        INCIDENT.derive(name="incident")
    with pytest.raises(InvalidPracticeError, match="'not_the_caller' is used but not registered"):
        INCIDENT.derive(name="x", add_guards={"resolve": "not_the_caller"})
    with pytest.raises(InvalidPracticeError, match="comes from the practice's settings"):
        INCIDENT.derive(name="x", guards={"reopen_policy": actor_differs_from("caller")})
    with pytest.raises(InvalidLifecycleError, match="unreachable"):
        INCIDENT.derive(name="x", remove_transitions=["hold"])


def test_a_reopen_policy_shapes_the_lifecycle() -> None:
    """allow adds the reopen command's transition from closed; forbid takes it away again."""
    lenient = PROBLEM.derive(name="reopenable-problem", reopen=ReopenPolicy.allow())
    reopen = lenient.definition.move("closed", "reopen")
    assert reopen is not None
    assert (reopen.target, reopen.guards) == ("root_cause_analysis", ("reopen_policy",))
    assert not lenient.definition.state("closed").final  # type: ignore[union-attr]
    strict = lenient.derive(name="strict-problem", reopen=ReopenPolicy.forbid())
    assert strict.definition == PROBLEM.definition.__class__(
        "strict-problem", PROBLEM.definition.states, PROBLEM.definition.transitions
    )
    with pytest.raises(InvalidPracticeError, match="has no effect"):
        KNOWN_ERROR.derive(name="x", reopen=ReopenPolicy.allow())


def test_vendor_definition_round_trips_and_default_is_untouched() -> None:
    """The derived definition survives the codec's JSON; the preset still lacks the vendor state."""
    acme = vendor_practice().definition
    assert codec.loads(codec.dumps(acme), LifecycleDefinition) == acme
    assert INCIDENT.definition.state("awaiting_parts") is None


def test_renaming_the_approved_state_keeps_approved_requests_fulfillable() -> None:
    """``approved_if_required`` reads the approval, not the name of the approved state."""
    vendor = SERVICE_REQUEST.derive(name="acme-request", rename_states={"approved": "ok"})
    request = new_request(practice=vendor).request_approval(at=at(1), actor="ann")
    approved = request.approve(at=at(2), actor="boss")
    started = approved.start_fulfilment(at=at(3), actor="bob")
    assert (approved.state, started.state) == ("ok", "in_fulfillment")
    with pytest.raises(GuardRefusedError, match="requires approval"):
        new_request(practice=vendor).start_fulfilment(at=at(1), actor="bob")


def test_renaming_root_cause_analysis_keeps_the_fix_applied_rule() -> None:
    """A renamed analysis state still refuses ``fix_applied`` before a fix is in progress."""
    vendor = PROBLEM.derive(name="acme-problem", rename_states={"root_cause_analysis": "rca"})
    analysing = (
        new_problem(vendor)
        .assess(at=at(1), actor="pm", assignment=TEAM)
        .confirm(at=at(2), actor="pm")
    )
    with pytest.raises(GuardRefusedError, match="risk_accepted"):
        analysing.resolve("fix_applied", "patched", at=at(3), actor="pm")
    accepted = analysing.resolve("risk_accepted", "rare", at=at(3), actor="pm")
    fixing = analysing.start_fix(at=at(3), actor="pm", root_cause="leak")
    fixed = fixing.resolve("fix_applied", "patched", at=at(4), actor="pm")
    assert (accepted.state, fixed.state) == ("resolved", "resolved")
    assert replay(vendor.definition, fixed.history) == "resolved"


def test_known_errors_are_recorded_with_the_problem_practice_s_known_error_practice() -> None:
    """A vendor's known-error practice is used, not the default one."""
    known_errors = KNOWN_ERROR.derive(name="acme-known-error", rename_states={"draft": "proposed"})
    vendor = PROBLEM.derive(name="acme-problem", known_errors=known_errors)
    analysing = (
        new_problem(vendor)
        .assess(at=at(1), actor="pm", assignment=TEAM)
        .confirm(at=at(2), actor="pm")
    )
    _, known = analysing.record_known_error(
        known_error_id="KE-1", symptom="queue grows", workaround="restart", at=at(3), actor="pm"
    )
    assert (known.practice, known.state) == (known_errors, "proposed")


def test_a_renamed_and_extended_practice_drives_history_sla_and_metrics() -> None:
    """Rename, a vendor paused state and a custom guard: categories, replay, SLA and KPIs hold."""
    calendar = BusinessCalendar("UTC", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))
    acme = INCIDENT.derive(
        name="acme-incident",
        rename_states={"in_progress": "working"},
        add_states=[State("awaiting_parts", StateCategory.PAUSED, required_fields={"hold_reason"})],
        add_transitions=[
            Transition("wait_for_parts", "working", "awaiting_parts", guards="not_the_caller"),
            Transition("parts_arrived", "awaiting_parts", "working"),
        ],
        guards={"not_the_caller": actor_differs_from("caller")},
        sla=incident_sla_policy(
            calendar,
            response={
                "critical": timedelta(hours=1),
                "high": timedelta(hours=1),
                "moderate": timedelta(hours=2),
                "low": timedelta(hours=4),
                "planning": timedelta(hours=8),
            },
            resolution={
                "critical": timedelta(hours=8),
                "high": timedelta(hours=8),
                "moderate": timedelta(hours=16),
                "low": timedelta(hours=24),
                "planning": timedelta(hours=40),
            },
        ),
    )
    working = (
        new_incident(acme).assign(TEAM, at=at(1), actor="desk").start_work(at=at(2), actor="bob")
    )
    with pytest.raises(GuardRefusedError, match="'ann' is the caller"):
        working.fire("wait_for_parts", at=at(3), actor="ann", changes=PARTS)
    waiting = working.fire("wait_for_parts", at=at(10), actor="bob", changes=PARTS)
    done = (
        waiting.fire("parts_arrived", at=at(40), actor="bob")
        .resolve("fixed", "new card", at=at(60), actor="bob")
        .reopen(at=at(70), actor="ann")
        .resolve("fixed", "second card", at=at(90), actor="bob")
        .close(at=at(100), actor="ann")
    )
    assert (waiting.state, waiting.category) == ("awaiting_parts", StateCategory.PAUSED)
    assert replay(acme.definition, done.history) == done.state == "closed"
    assert [r.target for r in done.history if r.source != r.target] == [
        "working", "awaiting_parts", "working", "resolved", "working", "resolved", "closed",
    ]  # fmt: skip
    assert done.pauses == ((at(10), at(40)), (at(60), at(70)))
    assert (done.reopen_count, len(done.resolutions)) == (1, 2)
    states = [(e.state, e.category) for e in done.sla_history() if isinstance(e, StateChange)]
    assert states[:3] == [
        ("new", StateCategory.NEW),
        ("working", StateCategory.ACTIVE),
        ("awaiting_parts", StateCategory.PAUSED),
    ]
    clock = done.sla_status(now=at(200)).target("resolution").current
    assert clock is not None
    # 0-90 worked less 10-40 on hold and 60-70 resolved before the reopen
    assert clock.business_elapsed == timedelta(minutes=50)
    net = TimeToResolve(clock=acme.calendar, exclude_paused=True)([done]).overall.mean  # type: ignore[arg-type]
    assert net == clock.business_elapsed
    assert ReopenRate()([done]).overall.rate == 1.0


def test_a_vendor_guard_on_assign_holds_on_every_call() -> None:
    """With the rule in the practice, no assign can skip it: there is no lifecycle to leave out."""
    strict = INCIDENT.derive(
        name="no-self-assign",
        guards={"not_self": actor_differs_from("caller")},
        add_guards={"assign": "not_self"},
    )
    inc = new_incident(strict)
    with pytest.raises(GuardRefusedError, match="'ann' is the caller and may not assign"):
        inc.assign(TEAM, at=at(1), actor="ann")
    with pytest.raises(GuardRefusedError):
        inc.fire("assign", at=at(1), actor="ann", changes={"assignment": TEAM})
    assert inc.assign(TEAM, at=at(1), actor="desk").assignment == TEAM
