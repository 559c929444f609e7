"""The default change lifecycle and the :data:`CHANGE` preset: one definition for all types.

One :class:`~itilkit.lifecycle.LifecycleDefinition` holds every state; guards
on the transitions leaving ``new`` route each type onto its path (standard
straight to ``scheduled``, emergency to ``authorize``, normal to ``assess``).
One definition rather than one per type because a change may change type while
in ``new``, its history must replay against a single definition, and a vendor
then derives one variant, not three that drift apart.

Approval gates (``assess``, ``authorize``) have two self-loops that record a
vote (``approve``, ``reject``, each guarded by segregation of duties), and
leave through a transition guarded by the gate's status: ``gate_approved``
moves on, ``gate_rejected`` (``send_back``) returns the change to ``new`` so it
can be reworked (ServiceNow's behaviour). A terminal ``rejected`` state is one
:func:`~itilkit.lifecycle.derive` away (see ``docs/change.md``).
"""

from __future__ import annotations

import attrs

from itilkit._repr import shown
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.lifecycle import (
    GuardContext,
    GuardRegistry,
    LifecycleDefinition,
    State,
    Transition,
    actor_differs_from,
    actor_not_in,
    field_in,
)
from itilkit.outcomes import ChangeOutcome
from itilkit.practices._approval import (
    ApprovalStatus,
    approval_rules_for,
    eligible_approver,
    gate_status_is,
)
from itilkit.practices._practice import Practice, TicketKind, field_edits

__all__ = ["CHANGE", "IMPLEMENTED", "change_path"]

_TYPES = ("standard", "normal", "emergency")
_PLAN = ("backout_plan", "planned_window")
_OPEN = ("new", "assess", "authorize", "scheduled", "implement")
_VOTE = ("eligible_approver", "not_requester", "first_decision")
#: The outcomes a review records (canceled and rejected changes were never implemented).
IMPLEMENTED = (
    ChangeOutcome.SUCCESSFUL,
    ChangeOutcome.SUCCESSFUL_WITH_ISSUES,
    ChangeOutcome.UNSUCCESSFUL,
    ChangeOutcome.BACKED_OUT,
)

CHANGE_DEFINITION = LifecycleDefinition(
    "change",
    [
        State("new", StateCategory.NEW, initial=True, description="drafted, being planned"),
        State(
            "assess",
            StateCategory.ACTIVE,
            required_fields=_PLAN,
            description="technical/peer approval",
        ),
        State(
            "authorize",
            StateCategory.ACTIVE,
            required_fields=_PLAN,
            description="change authority (CAB)",
        ),
        State(
            "scheduled",
            StateCategory.ACTIVE,
            required_fields=_PLAN,
            description="authorised, awaits window",
        ),
        State("implement", StateCategory.ACTIVE, description="being implemented"),
        State(
            "review",
            StateCategory.RESOLVED,
            required_fields=["outcome"],
            description="post-implementation",
        ),
        State("closed", StateCategory.CLOSED, required_fields=["closed_at", "outcome"]),
        State("canceled", StateCategory.CANCELED, required_fields=["cancellation"]),
    ],
    [
        *field_edits("assign", _OPEN, required_fields={"assignment"}),
        Transition("revise", "new", "new", description="edit the change while it is new"),
        Transition("assess", "new", "assess", ["normal_change", "rules_for_assess"]),
        Transition("authorize", "new", "authorize", ["emergency_change", "rules_for_authorize"]),
        Transition("authorize", "assess", "authorize", ["gate_approved", "rules_for_authorize"]),
        Transition("schedule", "new", "scheduled", ["standard_change"]),
        Transition("schedule", "authorize", "scheduled", ["gate_approved"]),
        *(
            Transition(vote, gate, gate, _VOTE, description=f"record a vote at {gate}")
            for vote in ("approve", "reject")
            for gate in ("assess", "authorize")
        ),
        Transition("send_back", ["assess", "authorize"], "new", ["gate_rejected"]),
        Transition("implement", "scheduled", "implement", ["within_window"]),
        Transition("review", "implement", "review", ["implementation_outcome"]),
        Transition("close", "review", "closed"),
        Transition("cancel", _OPEN, "canceled"),
    ],
)


def implementation_outcome(context: GuardContext) -> str | None:
    """A review records how the implementation went (an outcome not given yet is left to
    the review state's required fields)."""
    outcome = context.fields.get("outcome")
    if outcome is None or outcome in IMPLEMENTED:
        return None
    allowed = ", ".join(o.value for o in IMPLEMENTED)
    return f"outcome is {shown(outcome)}; {context.transition} needs one of: {allowed}"


_GUARDS = GuardRegistry(
    {
        "standard_change": field_in("change_type", ["standard"]),
        "normal_change": field_in("change_type", ["normal"]),
        "emergency_change": field_in("change_type", ["emergency"]),
        "rules_for_assess": approval_rules_for("assess", "authorize"),
        "rules_for_authorize": approval_rules_for("authorize"),
        "eligible_approver": eligible_approver(),
        #: segregation of duties: the requester never approves their own change,
        "not_requester": actor_differs_from("requested_by"),
        #: and nobody decides twice at the same gate
        "first_decision": actor_not_in("approvals", "approver"),
        "gate_approved": gate_status_is(ApprovalStatus.APPROVED),
        "gate_rejected": gate_status_is(ApprovalStatus.REJECTED),
        "implementation_outcome": implementation_outcome,
    }
)

#: The default change practice: standard, normal and emergency changes, window policy block.
CHANGE = Practice(
    name="change",
    kind=TicketKind.CHANGE,
    definition=CHANGE_DEFINITION,
    commands={
        role: role
        for role in CHANGE_DEFINITION.transition_names
        if role != "send_back"  # a gate's exits are found by their guards, not by name
    },
    guards=_GUARDS,
    state_fields={"closed_at", "cancellation"},
    description="ITIL change enablement (reference lifecycle of the survey, section 3.3)",
)


def change_path(
    change_type: str, definition: LifecycleDefinition | None = None
) -> LifecycleDefinition:
    """The part of ``definition`` (default: :data:`CHANGE`'s) a change of ``change_type`` can walk.

    Transitions guarded for another type (guards named ``<type>_change``) are
    dropped, then the states no longer reachable. Used for per-type diagrams.

    >>> change_path("standard").state_names
    ('new', 'scheduled', 'implement', 'review', 'closed', 'canceled')
    """
    definition = CHANGE.definition if definition is None else definition
    if not isinstance(definition, LifecycleDefinition):
        raise InvalidTypeError("definition", "a LifecycleDefinition or None", definition)
    others = {f"{t}_change" for t in _TYPES if t != change_type}
    if change_type not in _TYPES:
        raise InvalidInputError(
            f"{shown(change_type)} is not a change type; allowed: {', '.join(_TYPES)}"
        )
    moves = [t for t in definition.transitions if not others & set(t.guards)]
    reached = {definition.initial.name}
    grew = True
    while grew:
        before = len(reached)
        reached |= {t.target for t in moves if reached & set(t.sources)}
        grew = len(reached) > before
    states = [s for s in definition.states if s.name in reached]
    kept = [
        attrs.evolve(t, sources=tuple(s for s in t.sources if s in reached))
        for t in moves
        if t.target in reached and reached & set(t.sources)
    ]
    return LifecycleDefinition(f"{definition.name} ({change_type})", states, kept)
