"""The service request: a user's request for something the service catalogue offers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs

from itilkit._validators import aware, of_type, optional, text, tuple_of
from itilkit.lifecycle import Lifecycle
from itilkit.practices._lifecycles import SERVICE_REQUEST_LIFECYCLE
from itilkit.practices._priority import PRIORITY_3X3, Impact, PriorityMatrix, Urgency
from itilkit.practices._ticket import HoldableTicket
from itilkit.practices._values import Approval, Fulfilment, HoldReason, OutcomeCode, to_enum

__all__ = ["ServiceRequest"]


@attrs.frozen(kw_only=True)
class ServiceRequest(HoldableTicket):
    """A service request (see :class:`TicketBase` for the shared fields).

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

    DEFAULT_LIFECYCLE: ClassVar[Lifecycle] = SERVICE_REQUEST_LIFECYCLE

    requester: str = attrs.field(validator=text())
    catalog_item: str = attrs.field(validator=text())
    requires_approval: bool = attrs.field(validator=of_type(bool))
    approval: Approval | None = attrs.field(default=None, validator=optional(of_type(Approval)))
    hold_reason: HoldReason | None = attrs.field(
        default=None, validator=optional(of_type(HoldReason))
    )
    fulfilment_started_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    fulfilment: Fulfilment | None = attrs.field(
        default=None, validator=optional(of_type(Fulfilment))
    )
    fulfilments: tuple[Fulfilment, ...] = attrs.field(default=(), validator=tuple_of(Fulfilment))
    outcome: OutcomeCode | None = attrs.field(
        default=None, validator=optional(of_type(OutcomeCode))
    )

    @classmethod
    def submit(
        cls,
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
        matrix: PriorityMatrix = PRIORITY_3X3,
        lifecycle: Lifecycle | None = None,
    ) -> ServiceRequest:
        """Submit a request (by ``actor``, default the requester).

        Impact and urgency default to the lowest levels of ``matrix``.
        """
        opening = cls._opening_fields(
            matrix.table.rows.lowest if impact is None else impact,
            matrix.table.columns.lowest if urgency is None else urgency,
            at=at,
            actor=requester if actor is None else actor,
            matrix=matrix,
            lifecycle=lifecycle,
        )
        return cls(
            **opening,
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

    def request_approval(
        self, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None
    ) -> ServiceRequest:
        """Send to approval (only when the catalogue item requires it)."""
        return self.fire("request_approval", at=at, actor=actor, lifecycle=lifecycle)

    def approve(
        self,
        *,
        at: datetime,
        actor: str,
        comment: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> ServiceRequest:
        """Approve; the requester may not approve their own request."""
        approval = Approval(at, actor, True, comment)
        return self.fire(
            "approve", at=at, actor=actor, changes={"approval": approval}, lifecycle=lifecycle
        )

    def reject(
        self, comment: str, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None
    ) -> ServiceRequest:
        """Reject with a comment saying why; the outcome becomes ``rejected``."""
        changes = {"approval": Approval(at, actor, False, comment), "outcome": OutcomeCode.REJECTED}
        return self.fire(
            "reject", at=at, actor=actor, changes=changes, reason=comment, lifecycle=lifecycle
        )

    def start_fulfilment(
        self, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None
    ) -> ServiceRequest:
        """Start fulfilling (once approved, if the catalogue item requires approval)."""
        changes = {} if self.fulfilment_started_at else {"fulfilment_started_at": at}
        return self.fire(
            "start_fulfilment", at=at, actor=actor, changes=changes, lifecycle=lifecycle
        )

    def fulfil(
        self, notes: str, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None
    ) -> ServiceRequest:
        """Mark fulfilled, with notes on what was delivered."""
        fulfilment = Fulfilment(at, actor, notes)
        changes = {"fulfilment": fulfilment, "fulfilments": (*self.fulfilments, fulfilment)}
        return self.fire("fulfil", at=at, actor=actor, changes=changes, lifecycle=lifecycle)

    def reopen(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> ServiceRequest:
        """Reopen a fulfilled request (not what was asked); fulfilments are kept."""
        changes = {"fulfilment": None, "reopen_count": self.reopen_count + 1}
        return self.fire(
            "reopen", at=at, actor=actor, changes=changes, reason=reason, lifecycle=lifecycle
        )

    def close(
        self,
        outcome: OutcomeCode | str,
        *,
        at: datetime,
        actor: str,
        lifecycle: Lifecycle | None = None,
    ) -> ServiceRequest:
        """Close a fulfilled request with its outcome: complete, incomplete or skipped."""
        changes = {"closed_at": at, "outcome": to_enum(OutcomeCode, outcome)}
        return self.fire("close", at=at, actor=actor, changes=changes, lifecycle=lifecycle)

    def _cancel_changes(self) -> dict[str, Any]:
        return {**super()._cancel_changes(), "outcome": OutcomeCode.CANCELED}
