"""The default lifecycles of incident, problem, known error and service request.

Each is a :class:`~itilkit.lifecycle.LifecycleDefinition` (plain data)
bound to the named guards it uses in a :class:`~itilkit.lifecycle.Lifecycle`.
They follow the reference lifecycles of the itilkit survey (section 3).
Vendors customise them with :func:`itilkit.lifecycle.derive` and pass the
result to the entity commands (``lifecycle=``).

Field edits that must be audited (assign, reprioritise, link incidents, record
a known error) are self-loop transitions, so they appear in the history and
replay like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from enum import StrEnum

import attrs

from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError
from itilkit.lifecycle import GuardRegistry, Lifecycle, LifecycleDefinition, State, Transition
from itilkit.practices import _guards as g

__all__ = [
    "INCIDENT_LIFECYCLE",
    "KNOWN_ERROR_LIFECYCLE",
    "PROBLEM_LIFECYCLE",
    "SERVICE_REQUEST_LIFECYCLE",
    "ReopenMode",
    "ReopenPolicy",
    "incident_lifecycle",
]

NEW, ACTIVE, PAUSED = StateCategory.NEW, StateCategory.ACTIVE, StateCategory.PAUSED
RESOLVED, CLOSED, CANCELED = StateCategory.RESOLVED, StateCategory.CLOSED, StateCategory.CANCELED


def _loops(name: str, states: Iterable[str], **options: object) -> list[Transition]:
    """One self-loop transition called ``name`` on each of ``states``."""
    return [Transition(name, (s,), s, **options) for s in states]  # type: ignore[arg-type]


class ReopenMode(StrEnum):
    """Whether a closed ticket may be reopened."""

    FORBID = "forbid"
    ALLOW = "allow"
    ALLOW_WITHIN = "allow_within"


@attrs.frozen
class ReopenPolicy:
    """Whether and until when a *closed* incident may be reopened.

    A resolved incident may always be reopened; closing is the caller's
    confirmation, so by default (``forbid``, as in ServiceNow) a closed
    incident stays closed and a recurrence is a new incident. ``allow`` and
    ``allow_within(window)`` (Zammad, Znuny, GLPI) add a ``reopen`` transition
    from ``closed``, the latter guarded by ``within_reopen_window``.
    """

    mode: ReopenMode = attrs.field(converter=ReopenMode)
    window: timedelta | None = None

    def __attrs_post_init__(self) -> None:
        if (self.mode is ReopenMode.ALLOW_WITHIN) != (self.window is not None):
            raise InvalidInputError("a reopen window goes with mode allow_within, and only with it")
        if self.window is not None and self.window <= timedelta(0):
            raise InvalidInputError(f"the reopen window must be positive, got {self.window}")

    @classmethod
    def forbid(cls) -> ReopenPolicy:
        """Closed incidents stay closed (the default)."""
        return cls(ReopenMode.FORBID)

    @classmethod
    def allow(cls) -> ReopenPolicy:
        """Closed incidents may be reopened at any time."""
        return cls(ReopenMode.ALLOW)

    @classmethod
    def allow_within(cls, window: timedelta) -> ReopenPolicy:
        """Closed incidents may be reopened until ``window`` after closing."""
        return cls(ReopenMode.ALLOW_WITHIN, window)


_INCIDENT_OPEN = ("new", "in_progress", "on_hold")


def _incident_definition(policy: ReopenPolicy) -> LifecycleDefinition:
    reopenable = policy.mode is not ReopenMode.FORBID
    states = [
        State("new", NEW, initial=True, description="logged, not yet worked on"),
        State("in_progress", ACTIVE, description="being investigated and worked"),
        State("on_hold", PAUSED, required_fields={"hold_reason"}, description="waiting"),
        State("resolved", RESOLVED, required_fields={"resolution"}, description="fix proposed"),
        State("closed", CLOSED, required_fields={"closed_at"}, final=not reopenable),
        State("canceled", CANCELED, required_fields={"cancellation"}),
    ]
    moves = [
        *_loops("assign", _INCIDENT_OPEN, required_fields={"assignment"}),
        *_loops("reprioritise", _INCIDENT_OPEN),
        Transition("start_work", "new", "in_progress", guards="has_assignee"),
        Transition("hold", "in_progress", "on_hold", guards="caller_told_when_awaiting_caller"),
        Transition("resume", "on_hold", "in_progress"),
        Transition("resolve", _INCIDENT_OPEN, "resolved"),
        Transition("reopen", "resolved", "in_progress"),
        Transition("close", "resolved", "closed"),
        Transition("cancel", _INCIDENT_OPEN, "canceled"),
    ]
    if policy.mode is ReopenMode.ALLOW:
        moves.append(Transition("reopen", "closed", "in_progress"))
    elif policy.mode is ReopenMode.ALLOW_WITHIN:
        moves.append(Transition("reopen", "closed", "in_progress", guards="within_reopen_window"))
    return LifecycleDefinition(f"incident ({policy.mode.value})", states, moves)


def incident_lifecycle(reopen: ReopenPolicy | None = None) -> Lifecycle:
    """The default incident lifecycle under a reopen policy (default: forbid).

    >>> from datetime import timedelta
    >>> lenient = incident_lifecycle(ReopenPolicy.allow_within(timedelta(days=7)))
    >>> [t.name for t in lenient.definition.transitions_from("closed")]
    ['reopen']
    >>> INCIDENT_LIFECYCLE.definition.transitions_from("closed")
    ()
    """
    policy = ReopenPolicy.forbid() if reopen is None else reopen
    guards = GuardRegistry(
        {
            "has_assignee": g.has_assignee,
            "caller_told_when_awaiting_caller": g.caller_told_when_awaiting_caller,
        }
    )
    if policy.window is not None:
        guards = guards.with_guards(within_reopen_window=g.within_reopen_window(policy.window))
    return Lifecycle(_incident_definition(policy), guards)


_PROBLEM_OPEN = ("new", "assess", "root_cause_analysis", "fix_in_progress")


def _problem_lifecycle() -> Lifecycle:
    states = [
        State("new", NEW, initial=True, description="raised, not yet assessed"),
        State("assess", ACTIVE, description="is it a problem worth analysing?"),
        State("root_cause_analysis", ACTIVE, description="finding the cause"),
        State("fix_in_progress", ACTIVE, required_fields={"root_cause"}),
        State("resolved", RESOLVED, required_fields={"resolution"}),
        State("closed", CLOSED, required_fields={"closed_at"}),
        State("canceled", CANCELED, required_fields={"cancellation"}),
    ]
    moves = [
        *_loops("assign", _PROBLEM_OPEN, required_fields={"assignment"}),
        *_loops("reprioritise", _PROBLEM_OPEN),
        *_loops("link_incidents", (*_PROBLEM_OPEN, "resolved")),
        *_loops(
            "record_known_error",
            ("root_cause_analysis", "fix_in_progress"),
            required_fields={"known_error_id"},
        ),
        Transition("assess", "new", "assess", required_fields={"assignment"}),
        Transition("confirm", "assess", "root_cause_analysis"),
        Transition("start_fix", "root_cause_analysis", "fix_in_progress"),
        Transition("reanalyze", "fix_in_progress", "root_cause_analysis"),
        Transition("resolve", "root_cause_analysis", "resolved", guards="resolution_fits_stage"),
        Transition("resolve", "fix_in_progress", "resolved"),
        Transition("reopen", "resolved", "root_cause_analysis"),
        Transition("close", "resolved", "closed"),
        Transition("cancel", ("new", "assess", "root_cause_analysis"), "canceled"),
    ]
    return Lifecycle(
        LifecycleDefinition("problem", states, moves),
        GuardRegistry({"resolution_fits_stage": g.resolution_fits_stage}),
    )


def _known_error_lifecycle() -> Lifecycle:
    states = [
        State("draft", NEW, initial=True, description="being written"),
        State("published", ACTIVE, description="workaround available to the service desk"),
        State("retired", CLOSED, required_fields={"retired_at"}),
    ]
    moves = [
        *_loops("revise", ("draft", "published")),
        Transition("publish", "draft", "published"),
        Transition("retire", ("draft", "published"), "retired"),
    ]
    return Lifecycle(LifecycleDefinition("known_error", states, moves))


_REQUEST_OPEN = ("new", "pending_approval", "approved", "in_fulfillment", "on_hold")


def _service_request_lifecycle() -> Lifecycle:
    states = [
        State("new", NEW, initial=True, description="submitted"),
        State("pending_approval", PAUSED, description="waiting for the approver"),
        State("approved", NEW, required_fields={"approval"}, description="approved, not started"),
        State("in_fulfillment", ACTIVE, description="being fulfilled"),
        State("on_hold", PAUSED, required_fields={"hold_reason"}),
        State("fulfilled", RESOLVED, required_fields={"fulfilment"}),
        State("closed", CLOSED, required_fields={"closed_at", "outcome"}),
        State("rejected", CANCELED, required_fields={"approval", "outcome"}),
        State("canceled", CANCELED, required_fields={"cancellation", "outcome"}),
    ]
    moves = [
        *_loops("assign", _REQUEST_OPEN, required_fields={"assignment"}),
        *_loops("reprioritise", _REQUEST_OPEN),
        Transition("request_approval", "new", "pending_approval", guards="approval_required"),
        Transition("approve", "pending_approval", "approved", guards="requester_may_not_approve"),
        Transition("reject", "pending_approval", "rejected", guards="requester_may_not_approve"),
        Transition(
            "start_fulfilment", ("new", "approved"), "in_fulfillment", guards="approved_if_required"
        ),
        Transition("hold", "in_fulfillment", "on_hold"),
        Transition("resume", "on_hold", "in_fulfillment"),
        Transition("fulfil", "in_fulfillment", "fulfilled"),
        Transition("reopen", "fulfilled", "in_fulfillment"),
        Transition("close", "fulfilled", "closed", guards="closing_outcome"),
        Transition("cancel", _REQUEST_OPEN, "canceled"),
    ]
    guards = GuardRegistry(
        {
            "approval_required": g.approval_required,
            "approved_if_required": g.approved_if_required,
            "requester_may_not_approve": g.requester_may_not_approve,
            "closing_outcome": g.closing_outcome,
        }
    )
    return Lifecycle(LifecycleDefinition("service_request", states, moves), guards)


#: The default incident lifecycle: closed incidents may not be reopened.
INCIDENT_LIFECYCLE = incident_lifecycle()
#: The default problem lifecycle.
PROBLEM_LIFECYCLE = _problem_lifecycle()
#: The default known-error lifecycle: draft, published, retired.
KNOWN_ERROR_LIFECYCLE = _known_error_lifecycle()
#: The default service request lifecycle.
SERVICE_REQUEST_LIFECYCLE = _service_request_lifecycle()
