"""The named guards the default ITIL lifecycles use.

Each guard reads the entity's fields as they would be after the transition
(:class:`~itilkit.lifecycle.GuardContext`) and returns None to allow or a
sentence saying why it refuses. Vendors reuse them by name in derived
definitions, or register their own beside them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from itilkit.errors import InvalidInputError
from itilkit.lifecycle import Guard, GuardContext, actor_differs_from
from itilkit.practices._common import Assignment, Note
from itilkit.practices._values import (
    Approval,
    HoldReason,
    OutcomeCode,
    ProblemResolutionCode,
    Resolution,
)

__all__ = [
    "approval_required",
    "approved_if_required",
    "caller_told_when_awaiting_caller",
    "closing_outcome",
    "has_assignee",
    "requester_may_not_approve",
    "resolution_fits_stage",
    "within_reopen_window",
]


def has_assignee(context: GuardContext) -> str | None:
    """Starting work needs a person, not only a group."""
    assignment = context.fields.get("assignment")
    if isinstance(assignment, Assignment) and assignment.assignee is not None:
        return None
    return f"{context.transition} needs an assignee; assign a person first"


def caller_told_when_awaiting_caller(context: GuardContext) -> str | None:
    """Holding for the caller needs a public note, made now, telling them what is needed."""
    if context.fields.get("hold_reason") is not HoldReason.AWAITING_CALLER:
        return None
    notes = context.fields.get("notes")
    if isinstance(notes, tuple) and any(
        isinstance(n, Note) and n.public and n.at == context.at for n in notes
    ):
        return None
    return "holding for the caller needs a public note telling the caller what is needed"


@attrs.frozen
class _WithinReopenWindow:
    window: timedelta

    def __call__(self, context: GuardContext) -> str | None:
        closed_at = context.before.get("closed_at")
        if isinstance(closed_at, datetime) and context.at - closed_at <= self.window:
            return None
        when = closed_at.isoformat() if isinstance(closed_at, datetime) else "at an unknown time"
        return (
            f"closed {when}; the reopen policy allows reopening only within {self.window} "
            "of closing: log a new incident and link it instead"
        )


def within_reopen_window(window: timedelta) -> Guard:
    """Allow reopening a closed ticket only until ``window`` after ``closed_at``."""
    if not isinstance(window, timedelta) or window <= timedelta(0):
        raise InvalidInputError(f"the reopen window must be a positive timedelta, got {window!r}")
    return _WithinReopenWindow(window)


def resolution_fits_stage(context: GuardContext) -> str | None:
    """Before a fix is in progress a problem can only be resolved by accepting the risk.

    The default problem lifecycle puts it on ``resolve`` from root cause
    analysis only, so the rule follows that edge whatever a vendor renames
    the state to.
    """
    resolution = context.fields.get("resolution")
    if not isinstance(resolution, Resolution):
        return None
    if resolution.code is ProblemResolutionCode.RISK_ACCEPTED:
        return None
    return (
        f"resolving from {context.state} needs code 'risk_accepted'; "
        f"{resolution.code.value!r} needs a fix in progress first (start_fix)"
    )


def approval_required(context: GuardContext) -> str | None:
    """Only requests whose catalogue item requires approval go to approval."""
    if context.fields.get("requires_approval") is True:
        return None
    return "the catalogue item needs no approval; start fulfilment directly"


def approved_if_required(context: GuardContext) -> str | None:
    """A request whose catalogue item requires approval is fulfilled only once approved.

    Reads the recorded approval, not the state's name, so a vendor may rename
    the approved state.
    """
    if context.fields.get("requires_approval") is not True:
        return None
    approval = context.fields.get("approval")
    if isinstance(approval, Approval) and approval.approved:
        return None
    return "the catalogue item requires approval; request approval first"


#: Segregation of duties: the requester may not approve or reject their own request.
requester_may_not_approve = actor_differs_from("requester")

_CLOSING = (OutcomeCode.COMPLETE, OutcomeCode.INCOMPLETE, OutcomeCode.SKIPPED)


def closing_outcome(context: GuardContext) -> str | None:
    """A closed request ends complete, incomplete or skipped.

    Rejected and canceled requests end in their own states. An outcome not
    given yet is left to the closed state's required fields.
    """
    outcome = context.fields.get("outcome")
    if outcome is None or outcome in _CLOSING:
        return None
    allowed = ", ".join(o.value for o in _CLOSING)
    return f"outcome is {outcome!r}; {context.transition} needs one of: {allowed}"
