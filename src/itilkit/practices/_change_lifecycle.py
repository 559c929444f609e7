"""The default change lifecycle: one definition for all three change types.

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

from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError
from itilkit.lifecycle import (
    GuardRegistry,
    Lifecycle,
    LifecycleDefinition,
    State,
    Transition,
    actor_differs_from,
    actor_not_in,
    field_in,
)
from itilkit.practices._approval import (
    ApprovalStatus,
    approval_rules_for,
    eligible_approver,
    gate_status_is,
)
from itilkit.practices._window import WindowPolicy, within_window

__all__ = [
    "CHANGE_DEFINITION",
    "CHANGE_LIFECYCLE",
    "change_guards",
    "change_lifecycle",
    "change_path",
]

_TYPES = ("standard", "normal", "emergency")
_PLAN = ("backout_plan", "planned_window")
_OPEN = ("new", "assess", "authorize", "scheduled", "implement")
_VOTE = ("eligible_approver", "not_requester", "first_decision")

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
        State("closed", StateCategory.CLOSED),
        State("canceled", StateCategory.CANCELED, required_fields=["cancel_reason"]),
    ],
    [
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
        Transition("review", "implement", "review"),
        Transition("close", "review", "closed"),
        Transition("cancel", _OPEN, "canceled"),
    ],
)


def change_guards(window_policy: WindowPolicy = WindowPolicy.BLOCK) -> GuardRegistry:
    """The guards :data:`CHANGE_DEFINITION` names, with the given window policy.

    ``not_requester`` and ``first_decision`` are the segregation-of-duties
    rules: the requester never approves their own change, and nobody decides
    twice at the same gate.
    """
    return GuardRegistry(
        {
            "standard_change": field_in("change_type", ["standard"]),
            "normal_change": field_in("change_type", ["normal"]),
            "emergency_change": field_in("change_type", ["emergency"]),
            "rules_for_assess": approval_rules_for("assess", "authorize"),
            "rules_for_authorize": approval_rules_for("authorize"),
            "eligible_approver": eligible_approver(),
            "not_requester": actor_differs_from("requested_by"),
            "first_decision": actor_not_in("approvals", "approver"),
            "gate_approved": gate_status_is(ApprovalStatus.APPROVED),
            "gate_rejected": gate_status_is(ApprovalStatus.REJECTED),
            "within_window": within_window("planned_window", window_policy),
        }
    )


def change_lifecycle(
    definition: LifecycleDefinition = CHANGE_DEFINITION,
    *,
    window_policy: WindowPolicy = WindowPolicy.BLOCK,
    guards: GuardRegistry | None = None,
) -> Lifecycle:
    """A change lifecycle: ``definition`` with the default guards plus ``guards``.

    A vendor passes a derived definition and registers its own guards (same
    names replace the defaults).
    """
    registry = change_guards(WindowPolicy(window_policy))
    return Lifecycle(definition, registry if guards is None else registry.merged(guards))


#: The default change lifecycle (window policy: block).
CHANGE_LIFECYCLE = change_lifecycle()


def change_path(
    change_type: str, definition: LifecycleDefinition = CHANGE_DEFINITION
) -> LifecycleDefinition:
    """The part of ``definition`` a change of ``change_type`` can walk, as its own definition.

    Transitions guarded for another type (guards named ``<type>_change``) are
    dropped, then the states no longer reachable. Used for per-type diagrams.

    >>> change_path("standard").state_names
    ('new', 'scheduled', 'implement', 'review', 'closed', 'canceled')
    """
    others = {f"{t}_change" for t in _TYPES if t != change_type}
    if change_type not in _TYPES:
        raise InvalidInputError(
            f"{change_type!r} is not a change type; allowed: {', '.join(_TYPES)}"
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
