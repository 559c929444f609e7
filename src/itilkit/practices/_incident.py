"""The incident: an unplanned interruption or reduction in quality of a service.

This module holds the entity, its default lifecycle and guards, and the
:data:`INCIDENT` preset practice.

>>> from datetime import datetime, timedelta, timezone
>>> from itilkit.practices import Assignment
>>> t0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
>>> inc = Incident.log(INCIDENT, id="INC-1", title="Mail down", caller="ann", impact=2,
...                    urgency=1, at=t0, actor="desk")
>>> inc.state, inc.priority, inc.practice.ref
('new', Priority(level=2), PracticeRef(name='incident', version=1))
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
from itilkit.lifecycle import GuardContext, GuardRegistry, LifecycleDefinition, State, Transition
from itilkit.practices._practice import Practice, TicketKind, field_edits
from itilkit.practices._priority import PRIORITY_3X3, Impact, Urgency
from itilkit.practices._values import (
    Assignment,
    HoldReason,
    Note,
    Resolution,
    ResolutionCode,
    hold_reason_or_none,
    new_resolution,
    to_enum,
)
from itilkit.practices._work import HoldableTicket

__all__ = ["INCIDENT", "Incident"]

NEW, ACTIVE, PAUSED = StateCategory.NEW, StateCategory.ACTIVE, StateCategory.PAUSED
RESOLVED, CLOSED, CANCELED = StateCategory.RESOLVED, StateCategory.CLOSED, StateCategory.CANCELED


@attrs.frozen(kw_only=True, slots=False)
class Incident(HoldableTicket):
    """An incident (see :class:`~itilkit.practices.Ticket` for the shared fields).

    Attributes:
        caller: who reported it.
        hold_reason: why it is on hold; set exactly while on hold.
        acknowledged_at: when work first started (the response milestone).
        resolution: the current resolution while resolved or closed, else None.
        resolutions: every resolution ever made, oldest first; reopening
            keeps them.
    """

    KIND: ClassVar[TicketKind] = TicketKind.INCIDENT
    FIRST_ACTIVE: ClassVar[str | None] = "acknowledged_at"
    KEPT: ClassVar[tuple[tuple[str, str], ...]] = (("resolution", "resolutions"),)

    caller: str = attrs.field(validator=text())
    hold_reason: HoldReason | None = attrs.field(default=None, converter=hold_reason_or_none)
    acknowledged_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    resolution: Resolution | None = attrs.field(
        default=None, validator=optional(of_type(Resolution))
    )
    resolutions: tuple[Resolution, ...] = attrs.field(default=(), validator=tuple_of(Resolution))

    @classmethod
    def log(
        cls,
        practice: Practice,
        /,
        *,
        id: str,
        title: str,
        caller: str,
        impact: Impact | int | str,
        urgency: Urgency | int | str,
        at: datetime,
        actor: str,
        description: str = "",
    ) -> Incident:
        """Log a new incident in the practice's initial state, prioritised by its matrix."""
        opening = cls._opening(practice, at, actor)
        return cls(
            **opening,
            **cls._prioritised(practice.matrix, impact, urgency),
            id=id,
            title=title,
            description=description,
            caller=caller,
        )

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

    def start_work(self, *, at: datetime, actor: str, reason: str | None = None) -> Incident:
        """Start working; the first start is the acknowledgement."""
        return self._run("start_work", at, actor, {}, reason)

    def resolve(
        self, code: ResolutionCode | str, notes: str, *, at: datetime, actor: str
    ) -> Incident:
        """Resolve with a resolution code and notes; the resolution is kept for good."""
        made = new_resolution(at, actor, to_enum(ResolutionCode, code), notes)
        return self._run("resolve", at, actor, {"resolution": made})

    def close(self, *, at: datetime, actor: str, reason: str | None = None) -> Incident:
        """Close a resolved incident (the caller confirmed, or the auto-close delay passed)."""
        return self._run("close", at, actor, {}, reason)


# -- the default lifecycle and its guards ---------------------------------


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


_OPEN = ("new", "in_progress", "on_hold")

INCIDENT_DEFINITION = LifecycleDefinition(
    "incident",
    [
        State("new", NEW, initial=True, description="logged, not yet worked on"),
        State("in_progress", ACTIVE, description="being investigated and worked"),
        State("on_hold", PAUSED, required_fields={"hold_reason"}, description="waiting"),
        State("resolved", RESOLVED, required_fields={"resolution"}, description="fix proposed"),
        State(
            "closed", CLOSED, required_fields={"closed_at", "resolution"}, description="confirmed"
        ),
        State("canceled", CANCELED, required_fields={"cancellation"}),
    ],
    [
        *field_edits("assign", _OPEN, required_fields={"assignment"}),
        *field_edits("reprioritise", _OPEN),
        Transition("start_work", "new", "in_progress", guards="has_assignee"),
        Transition("hold", "in_progress", "on_hold", guards="caller_told_when_awaiting_caller"),
        Transition("resume", "on_hold", "in_progress"),
        Transition("resolve", _OPEN, "resolved"),
        Transition("reopen", "resolved", "in_progress"),
        Transition("close", "resolved", "closed"),
        Transition("cancel", _OPEN, "canceled"),
    ],
)

#: The default incident practice: the 3x3 matrix, closed incidents stay closed, no SLA.
INCIDENT = Practice(
    name="incident",
    kind=TicketKind.INCIDENT,
    definition=INCIDENT_DEFINITION,
    commands={role: role for role in INCIDENT_DEFINITION.transition_names},
    guards=GuardRegistry(
        {
            "has_assignee": has_assignee,
            "caller_told_when_awaiting_caller": caller_told_when_awaiting_caller,
        }
    ),
    state_fields={"hold_reason", "resolution", "closed_at", "cancellation"},
    matrix=PRIORITY_3X3,
    description="ITIL incident management (reference lifecycle of the survey, section 3.1)",
)
