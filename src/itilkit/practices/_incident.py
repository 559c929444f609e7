"""The incident: an unplanned interruption or reduction in quality of a service.

>>> from datetime import datetime, timedelta, timezone
>>> from itilkit.practices import Assignment
>>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
>>> inc = Incident.log(id="INC-1", title="Mail down", caller="ann", impact=2, urgency=1,
...                    at=t0, actor="desk")
>>> inc.state, inc.priority
('new', Priority(level=2))
>>> done = (inc.assign(Assignment("email", "bob"), at=t0, actor="desk")
...            .start_work(at=t0 + timedelta(minutes=5), actor="bob")
...            .resolve("fixed", "restarted the relay", at=t0 + timedelta(hours=1), actor="bob"))
>>> done.state, done.resolved_at - done.opened_at, inc.state
('resolved', datetime.timedelta(seconds=3600), 'new')
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

import attrs

from itilkit._validators import aware, of_type, optional, text, tuple_of
from itilkit.categories import StateCategory
from itilkit.errors import (
    GuardRefusedError,
    PolicyViolationError,
    TransitionNotAllowedError,
)
from itilkit.lifecycle import Lifecycle
from itilkit.practices._lifecycles import INCIDENT_LIFECYCLE
from itilkit.practices._priority import PRIORITY_3X3, Impact, PriorityMatrix, Urgency
from itilkit.practices._ticket import HoldableTicket
from itilkit.practices._values import HoldReason, Resolution, ResolutionCode, to_enum

__all__ = ["Incident"]


@attrs.frozen(kw_only=True)
class Incident(HoldableTicket):
    """An incident (see :class:`TicketBase` for the shared fields).

    Attributes:
        caller: who reported it.
        hold_reason: why it is on hold; set exactly while on hold.
        acknowledged_at: when work first started (the response milestone).
        resolution: the current resolution while resolved or closed, else None.
        resolutions: every resolution ever made, oldest first; reopening
            keeps them.
    """

    DEFAULT_LIFECYCLE: ClassVar[Lifecycle] = INCIDENT_LIFECYCLE

    caller: str = attrs.field(validator=text())
    hold_reason: HoldReason | None = attrs.field(
        default=None, validator=optional(of_type(HoldReason))
    )
    acknowledged_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    resolution: Resolution | None = attrs.field(
        default=None, validator=optional(of_type(Resolution))
    )
    resolutions: tuple[Resolution, ...] = attrs.field(default=(), validator=tuple_of(Resolution))

    @classmethod
    def log(
        cls,
        *,
        id: str,
        title: str,
        caller: str,
        impact: Impact | int | str,
        urgency: Urgency | int | str,
        at: datetime,
        actor: str,
        description: str = "",
        matrix: PriorityMatrix = PRIORITY_3X3,
        lifecycle: Lifecycle | None = None,
    ) -> Incident:
        """Log a new incident in the lifecycle's initial state, prioritised by ``matrix``."""
        opening = cls._opening_fields(
            impact, urgency, at=at, actor=actor, matrix=matrix, lifecycle=lifecycle
        )
        return cls(**opening, id=id, title=title, description=description, caller=caller)

    @property
    def resolved_at(self) -> datetime | None:
        """When the current resolution was made; None unless resolved or closed."""
        return None if self.resolution is None else self.resolution.at

    @property
    def first_resolved_at(self) -> datetime | None:
        """When the incident was first resolved, even if reopened since."""
        return self.resolutions[0].at if self.resolutions else None

    @property
    def first_response_at(self) -> datetime | None:
        """The first response to the caller: work started or a public note from anyone else.

        The earlier of ``acknowledged_at`` and the first public note not written
        by the caller; None before either.
        """
        replies = (n.at for n in self.notes if n.public and n.author != self.caller)
        return min((at for at in (self.acknowledged_at, next(replies, None)) if at), default=None)

    @property
    def first_contact_resolved(self) -> bool:
        """Resolved at first contact (a ticket proxy for FCR).

        True when the first resolution was made by the agent who logged the
        incident and it was never reassigned; the metrics also never count a
        reopened incident as resolved at first contact.
        """
        first = self.resolutions[0] if self.resolutions else None
        return first is not None and first.actor == self.opened_by and not self.reassignment_count

    def start_work(
        self, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None
    ) -> Incident:
        """Start working; the first start is the acknowledgement."""
        changes = {} if self.acknowledged_at else {"acknowledged_at": at}
        return self.fire("start_work", at=at, actor=actor, changes=changes, lifecycle=lifecycle)

    def resolve(
        self,
        code: ResolutionCode | str,
        notes: str,
        *,
        at: datetime,
        actor: str,
        lifecycle: Lifecycle | None = None,
    ) -> Incident:
        """Resolve with a resolution code and notes; the resolution is kept for good."""
        resolution = Resolution(at, actor, to_enum(ResolutionCode, code), notes)
        changes = {
            "resolution": resolution,
            "resolutions": (*self.resolutions, resolution),
            "hold_reason": None,
        }
        return self.fire("resolve", at=at, actor=actor, changes=changes, lifecycle=lifecycle)

    def reopen(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Incident:
        """Reopen a resolved incident (or a closed one if the reopen policy allows).

        Earlier resolutions stay in ``resolutions``; ``reopen_count`` goes up.

        Raises:
            PolicyViolationError: the incident is closed and the lifecycle's
                reopen policy forbids reopening it (now).
        """
        changes = {"resolution": None, "closed_at": None, "reopen_count": self.reopen_count + 1}
        try:
            return self.fire(
                "reopen", at=at, actor=actor, changes=changes, reason=reason, lifecycle=lifecycle
            )
        except (TransitionNotAllowedError, GuardRefusedError) as refused:
            if self.category is not StateCategory.CLOSED:
                raise
            detail = "; ".join(getattr(refused, "reasons", ())) or (
                "closed incidents may not be reopened; log a new incident and link it"
            )
            raise PolicyViolationError("reopen policy", detail) from refused

    def close(self, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None) -> Incident:
        """Close a resolved incident (the caller confirmed, or the auto-close delay passed)."""
        return self.fire(
            "close", at=at, actor=actor, changes={"closed_at": at}, lifecycle=lifecycle
        )
