"""The service request: a user's request for something the service catalogue offers.

The entity, its default lifecycle and guards, and the
:data:`SERVICE_REQUEST` preset practice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs

from itilkit._repr import shown
from itilkit._validators import aware, is_text, of_type, optional, text, tuple_of
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError
from itilkit.lifecycle import (
    GuardContext,
    GuardRegistry,
    LifecycleDefinition,
    State,
    Transition,
    actor_differs_from,
)
from itilkit.practices._approval import Approval, ApprovalDecision
from itilkit.practices._practice import Practice, TicketKind, field_edits
from itilkit.practices._priority import PRIORITY_3X3, Impact, Urgency
from itilkit.practices._values import (
    Fulfilment,
    HoldReason,
    OutcomeCode,
    hold_reason_or_none,
    outcome_code_or_none,
    to_enum,
)
from itilkit.practices._work import HoldableTicket

__all__ = ["SERVICE_REQUEST", "ServiceRequest"]


@attrs.frozen(kw_only=True, slots=False)
class ServiceRequest(HoldableTicket):
    """A service request (see :class:`~itilkit.practices.Ticket` for the shared fields).

    Attributes:
        requester: who asked; they may not approve or reject it.
        catalog_item: what was requested.
        requires_approval: whether the catalogue item needs an approval first.
        approval: the approver's decision, once made.
        hold_reason: why it is on hold; set exactly while on hold.
        fulfilment_started_at: when fulfilment first started.
        fulfilment: the current fulfilment while fulfilled or closed, else None.
        fulfilments: every fulfilment ever made, oldest first.
        outcome: how it ended (complete, incomplete, skipped, rejected, canceled).
    """

    KIND: ClassVar[TicketKind] = TicketKind.SERVICE_REQUEST
    FIRST_ACTIVE: ClassVar[str | None] = "fulfilment_started_at"
    KEPT: ClassVar[tuple[tuple[str, str], ...]] = (("fulfilment", "fulfilments"),)

    requester: str = attrs.field(validator=text())
    catalog_item: str = attrs.field(validator=text())
    requires_approval: bool = attrs.field(validator=of_type(bool))
    approval: Approval | None = attrs.field(default=None, validator=optional(of_type(Approval)))
    hold_reason: HoldReason | None = attrs.field(default=None, converter=hold_reason_or_none)
    fulfilment_started_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    fulfilment: Fulfilment | None = attrs.field(
        default=None, validator=optional(of_type(Fulfilment))
    )
    fulfilments: tuple[Fulfilment, ...] = attrs.field(default=(), validator=tuple_of(Fulfilment))
    outcome: OutcomeCode | None = attrs.field(default=None, converter=outcome_code_or_none)

    @classmethod
    def submit(
        cls,
        practice: Practice,
        /,
        *,
        id: str,
        title: str,
        requester: str,
        catalog_item: str,
        requires_approval: bool,
        at: datetime,
        actor: str | None = None,
        impact: Impact | int | str | None = None,
        urgency: Urgency | int | str | None = None,
        description: str = "",
    ) -> ServiceRequest:
        """Submit a request (by ``actor``, default the requester).

        Impact and urgency default to the lowest levels of the practice's matrix.
        """
        opening = cls._opening(practice, at, requester if actor is None else actor)
        assert practice.matrix is not None
        table = practice.matrix.table
        return cls(
            **opening,
            **cls._prioritised(
                practice.matrix,
                table.rows.lowest if impact is None else impact,
                table.columns.lowest if urgency is None else urgency,
            ),
            id=id,
            title=title,
            description=description,
            requester=requester,
            catalog_item=catalog_item,
            requires_approval=requires_approval,
        )

    @property
    def fulfilled_at(self) -> datetime | None:
        """When the current fulfilment was made; None unless fulfilled or closed."""
        return None if self.fulfilment is None else self.fulfilment.at

    @property
    def resolved_at(self) -> datetime | None:
        """``fulfilled_at`` under the name the metrics read: fulfilled is the resolved category."""
        return self.fulfilled_at

    def request_approval(self, *, at: datetime, actor: str) -> ServiceRequest:
        """Send to approval (only when the catalogue item requires it)."""
        return self._run("request_approval", at, actor, {})

    def approve(self, *, at: datetime, actor: str, comment: str | None = None) -> ServiceRequest:
        """Approve; the requester may not approve their own request."""
        approval = Approval(actor, ApprovalDecision.APPROVED, at, self.state, comment)
        return self._run("approve", at, actor, {"approval": approval}, comment)

    def reject(self, comment: str, *, at: datetime, actor: str) -> ServiceRequest:
        """Reject with a comment saying why; the outcome becomes ``rejected``."""
        if not is_text(comment):
            raise InvalidInputError("a rejection needs a comment saying why")
        approval = Approval(actor, ApprovalDecision.REJECTED, at, self.state, comment)
        changes = {"approval": approval, "outcome": OutcomeCode.REJECTED}
        return self._run("reject", at, actor, changes, comment)

    def start_fulfilment(self, *, at: datetime, actor: str) -> ServiceRequest:
        """Start fulfilling (once approved, if the catalogue item requires approval)."""
        return self._run("start_fulfilment", at, actor, {})

    def fulfil(self, notes: str, *, at: datetime, actor: str) -> ServiceRequest:
        """Mark fulfilled, with notes on what was delivered."""
        return self._run("fulfil", at, actor, {"fulfilment": Fulfilment(at, actor, notes)})

    def close(self, outcome: OutcomeCode | str, *, at: datetime, actor: str) -> ServiceRequest:
        """Close a fulfilled request with its outcome: complete, incomplete or skipped."""
        return self._run("close", at, actor, {"outcome": to_enum(OutcomeCode, outcome)})

    def _cancel_changes(self) -> dict[str, Any]:
        return {**super()._cancel_changes(), "outcome": OutcomeCode.CANCELED}

    def _rule_problems(self) -> list[str]:
        problems = super()._rule_problems()
        if self.approval is not None and self.approval.approver == self.requester:
            problems.append("the requester may not decide on their own request")
        return problems


# -- the default lifecycle and its guards ---------------------------------


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
    return f"outcome is {shown(outcome)}; {context.transition} needs one of: {allowed}"


NEW, ACTIVE, PAUSED = StateCategory.NEW, StateCategory.ACTIVE, StateCategory.PAUSED
_OPEN = ("new", "pending_approval", "approved", "in_fulfillment", "on_hold")

SERVICE_REQUEST_DEFINITION = LifecycleDefinition(
    "service_request",
    [
        State("new", NEW, initial=True, description="submitted"),
        State("pending_approval", PAUSED, description="waiting for the approver"),
        State("approved", NEW, required_fields={"approval"}, description="approved, not started"),
        State("in_fulfillment", ACTIVE, description="being fulfilled"),
        State("on_hold", PAUSED, required_fields={"hold_reason"}),
        State("fulfilled", StateCategory.RESOLVED, required_fields={"fulfilment"}),
        State(
            "closed",
            StateCategory.CLOSED,
            required_fields={"closed_at", "fulfilment", "outcome"},
        ),
        State("rejected", StateCategory.CANCELED, required_fields={"approval", "outcome"}),
        State("canceled", StateCategory.CANCELED, required_fields={"cancellation", "outcome"}),
    ],
    [
        *field_edits("assign", _OPEN, required_fields={"assignment"}),
        *field_edits("reprioritise", _OPEN),
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
        Transition("cancel", _OPEN, "canceled"),
    ],
)

#: The default service request practice: the 3x3 matrix, approval when the item requires it.
SERVICE_REQUEST = Practice(
    name="service_request",
    kind=TicketKind.SERVICE_REQUEST,
    definition=SERVICE_REQUEST_DEFINITION,
    commands={role: role for role in SERVICE_REQUEST_DEFINITION.transition_names},
    guards=GuardRegistry(
        {
            "approval_required": approval_required,
            "approved_if_required": approved_if_required,
            #: segregation of duties: the requester never decides on their own request
            "requester_may_not_approve": actor_differs_from("requester"),
            "closing_outcome": closing_outcome,
        }
    ),
    state_fields={"hold_reason", "fulfilment", "closed_at", "cancellation", "outcome"},
    matrix=PRIORITY_3X3,
    description="ITIL service request management (reference lifecycle, section 3.4)",
)
