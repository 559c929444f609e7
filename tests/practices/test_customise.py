"""Vendors derive their own lifecycle from a default and pass it to the entity commands."""

from __future__ import annotations

from datetime import timedelta

import pytest

from itilkit import codec
from itilkit.categories import StateCategory
from itilkit.errors import GuardRefusedError, InvalidLifecycleError
from itilkit.lifecycle import (
    Lifecycle,
    LifecycleDefinition,
    State,
    Transition,
    actor_differs_from,
    derive,
    replay,
)
from itilkit.metrics import ReopenRate, TimeToResolve
from itilkit.practices import (
    INCIDENT_LIFECYCLE,
    PROBLEM_LIFECYCLE,
    SERVICE_REQUEST_LIFECYCLE,
    HoldReason,
    incident_sla_policy,
    sla_history,
)
from itilkit.sla import BusinessCalendar, StateChange, WeeklySchedule, sla_status

from .helpers import TEAM, at, new_incident, new_problem, new_request, working_incident


def vendor_lifecycle() -> Lifecycle:
    """An incident lifecycle with a parts wait and a resolve the caller may not do."""
    base = INCIDENT_LIFECYCLE.definition
    definition = derive(
        base,
        name="acme incident",
        add_states=[State("awaiting_parts", StateCategory.PAUSED, required_fields={"hold_reason"})],
        remove_transitions=["resolve"],
        add_transitions=[
            Transition("wait_for_parts", "in_progress", "awaiting_parts"),
            Transition("parts_arrived", "awaiting_parts", "in_progress"),
            Transition(
                "resolve", ("new", "in_progress", "on_hold"), "resolved", guards="not_the_caller"
            ),
        ],
    )
    guards = INCIDENT_LIFECYCLE.guards.with_guards(not_the_caller=actor_differs_from("caller"))
    return Lifecycle(definition, guards)


def test_vendor_states_and_guards_work_with_the_commands() -> None:
    """Vendor transitions fire through ``fire``; named commands honour the vendor guard."""
    acme = vendor_lifecycle()
    inc = working_incident().fire(
        "wait_for_parts",
        at=at(3),
        actor="bob",
        changes={"hold_reason": HoldReason.AWAITING_STOCK},
        lifecycle=acme,
    )
    assert (inc.state, acme.definition.category(inc.state)) == (
        "awaiting_parts",
        StateCategory.PAUSED,
    )
    back = inc.fire(
        "parts_arrived", at=at(4), actor="bob", changes={"hold_reason": None}, lifecycle=acme
    )
    with pytest.raises(GuardRefusedError, match="'ann' is the caller"):
        back.resolve("fixed", "ok", at=at(5), actor="ann", lifecycle=acme)
    resolved = back.resolve("fixed", "ok", at=at(5), actor="bob", lifecycle=acme)
    assert replay(acme.definition, resolved.history) == "resolved"


def test_vendor_definition_round_trips_and_default_is_untouched() -> None:
    """The derived definition survives JSON; the default still lacks the vendor state."""
    acme = vendor_lifecycle().definition
    assert codec.loads(codec.dumps(acme), LifecycleDefinition) == acme
    assert INCIDENT_LIFECYCLE.definition.state("awaiting_parts") is None


def test_a_missing_vendor_guard_is_caught_when_binding() -> None:
    """Binding a definition without registering its guard fails at construction."""
    with pytest.raises(InvalidLifecycleError, match="not_the_caller"):
        Lifecycle(vendor_lifecycle().definition, INCIDENT_LIFECYCLE.guards)


def test_renaming_the_approved_state_keeps_approved_requests_fulfillable() -> None:
    """``approved_if_required`` reads the approval, not the name of the approved state."""
    definition = derive(SERVICE_REQUEST_LIFECYCLE.definition, rename_states={"approved": "ok"})
    vendor = Lifecycle(definition, SERVICE_REQUEST_LIFECYCLE.guards)
    request = new_request().request_approval(at=at(1), actor="ann", lifecycle=vendor)
    approved = request.approve(at=at(2), actor="boss", lifecycle=vendor)
    started = approved.start_fulfilment(at=at(3), actor="bob", lifecycle=vendor)
    assert (approved.state, started.state) == ("ok", "in_fulfillment")
    with pytest.raises(GuardRefusedError, match="requires approval"):
        new_request().start_fulfilment(at=at(1), actor="bob", lifecycle=vendor)


def test_renaming_root_cause_analysis_keeps_the_fix_applied_rule() -> None:
    """A renamed analysis state still refuses ``fix_applied`` before a fix is in progress."""
    definition = derive(PROBLEM_LIFECYCLE.definition, rename_states={"root_cause_analysis": "rca"})
    vendor = Lifecycle(definition, PROBLEM_LIFECYCLE.guards)
    analysing = (
        new_problem()
        .assess(at=at(1), actor="pm", assignment=TEAM, lifecycle=vendor)
        .confirm(at=at(2), actor="pm", lifecycle=vendor)
    )
    with pytest.raises(GuardRefusedError, match="risk_accepted"):
        analysing.resolve("fix_applied", "patched", at=at(3), actor="pm", lifecycle=vendor)
    accepted = analysing.resolve("risk_accepted", "rare", at=at(3), actor="pm", lifecycle=vendor)
    fixing = analysing.start_fix(at=at(3), actor="pm", root_cause="leak", lifecycle=vendor)
    fixed = fixing.resolve("fix_applied", "patched", at=at(4), actor="pm", lifecycle=vendor)
    assert (accepted.state, fixed.state) == ("resolved", "resolved")
    assert replay(definition, fixed.history) == "resolved"


def test_a_renamed_and_extended_incident_lifecycle_drives_history_sla_and_metrics() -> None:
    """Rename, a vendor paused state and a custom guard: categories, replay, SLA and KPIs hold."""
    definition = derive(
        INCIDENT_LIFECYCLE.definition,
        name="acme incident",
        rename_states={"in_progress": "working"},
        add_states=[State("awaiting_parts", StateCategory.PAUSED, required_fields={"hold_reason"})],
        add_transitions=[
            Transition("wait_for_parts", "working", "awaiting_parts", guards="not_the_caller"),
            Transition("parts_arrived", "awaiting_parts", "working"),
        ],
    )
    acme = Lifecycle(
        definition,
        INCIDENT_LIFECYCLE.guards.with_guards(not_the_caller=actor_differs_from("caller")),
    )
    parts = {"hold_reason": HoldReason.AWAITING_STOCK}
    working = (
        new_incident()
        .assign(TEAM, at=at(1), actor="desk", lifecycle=acme)
        .start_work(at=at(2), actor="bob", lifecycle=acme)
    )
    with pytest.raises(GuardRefusedError, match="'ann' is the caller"):
        working.fire("wait_for_parts", at=at(3), actor="ann", changes=parts, lifecycle=acme)
    waiting = working.fire("wait_for_parts", at=at(10), actor="bob", changes=parts, lifecycle=acme)
    done = (
        waiting.fire(
            "parts_arrived", at=at(40), actor="bob", changes={"hold_reason": None}, lifecycle=acme
        )
        .resolve("fixed", "new card", at=at(60), actor="bob", lifecycle=acme)
        .reopen(at=at(70), actor="ann", lifecycle=acme)
        .resolve("fixed", "second card", at=at(90), actor="bob", lifecycle=acme)
        .close(at=at(100), actor="ann", lifecycle=acme)
    )
    assert (waiting.state, waiting.category) == ("awaiting_parts", StateCategory.PAUSED)
    assert replay(definition, done.history) == done.state == "closed"
    assert [r.target for r in done.history if r.source != r.target] == [
        "working",
        "awaiting_parts",
        "working",
        "resolved",
        "working",
        "resolved",
        "closed",
    ]
    assert all(
        (r.source_category, r.target_category)
        == (definition.category(r.source), definition.category(r.target))
        for r in done.history
    )
    assert done.pauses == ((at(10), at(40)),)
    assert (done.reopen_count, len(done.resolutions)) == (1, 2)
    states = [(e.state, e.category) for e in sla_history(done) if isinstance(e, StateChange)]
    assert states[:3] == [
        ("new", StateCategory.NEW),
        ("working", StateCategory.ACTIVE),
        ("awaiting_parts", StateCategory.PAUSED),
    ]
    resolution = timedelta(hours=8)
    policy = incident_sla_policy(
        BusinessCalendar("UTC", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"})),
        response={2: timedelta(hours=1)},
        resolution={2: resolution},
    )
    clock = sla_status(policy, sla_history(done), now=at(200)).target("resolution").current
    assert clock is not None
    assert clock.business_elapsed == timedelta(minutes=50)  # 0-60 less 10-40 paused, then 70-90
    assert TimeToResolve(exclude_paused=True)([done]).overall.mean == timedelta(minutes=60)
    assert ReopenRate()([done]).overall.rate == 1.0
