"""Vendors derive their own lifecycle from a default and pass it to the entity commands."""

from __future__ import annotations

import pytest

from itilkit.categories import StateCategory
from itilkit.errors import GuardRefusedError, InvalidLifecycleError
from itilkit.lifecycle import (
    Lifecycle,
    State,
    Transition,
    actor_differs_from,
    definition_from_json,
    definition_to_json,
    derive,
    replay,
)
from itilkit.practices import (
    INCIDENT_LIFECYCLE,
    PROBLEM_LIFECYCLE,
    SERVICE_REQUEST_LIFECYCLE,
    HoldReason,
)

from .helpers import TEAM, at, new_problem, new_request, working_incident


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
    assert definition_from_json(definition_to_json(acme)) == acme
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
