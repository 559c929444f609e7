"""The fields and commands incidents, problems and service requests share.

Every command validates its input, fires one transition of the entity's
lifecycle through :func:`~itilkit.practices._common.apply_transition` and
returns the evolved copy; the entity it was called on never changes. Each
takes ``lifecycle=``: None means the entity type's default lifecycle; pass a
vendor lifecycle derived from it to customise.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Self

import attrs

from itilkit._time import require_aware
from itilkit._validators import aware, non_negative, of_type, optional, text, tuple_of
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, PracticeError
from itilkit.lifecycle import Lifecycle, TransitionRecord
from itilkit.practices._common import (
    Assignment,
    Note,
    apply_in_order,
    category_of,
    pause_intervals,
)
from itilkit.practices._priority import (
    PRIORITY_3X3,
    Impact,
    Priority,
    PriorityMatrix,
    PriorityOverride,
    Urgency,
)
from itilkit.practices._values import Cancellation, CancelReason, HoldReason, to_enum

__all__ = ["HoldableTicket", "TicketBase"]


@attrs.frozen(kw_only=True)
class TicketBase:
    """Shared fields: identity, priority, assignment, notes, closure and the audit history.

    Attributes:
        id: the ticket's id (the host chooses the scheme).
        title: one line saying what it is about.
        state: the current lifecycle state; changes only by firing transitions.
        category: the semantic category of ``state``, kept with it.
        opened_at: when it was logged (aware).
        opened_by: who logged it.
        impact, urgency, priority: levels of the priority matrix used at logging.
        priority_override: a manual priority with who, when and why, or None.
        assignment: the group and/or person working on it.
        assigned_at: the first assignment.
        reassignment_count: assignments after the first that changed it.
        notes: work notes and public comments, oldest first.
        closed_at: when it was last closed.
        cancellation: why it was canceled, or None.
        reopen_count: how many reopen transitions it went through.
        history: one record per fired transition, oldest first; never rewritten.
    """

    #: The lifecycle commands use when called with ``lifecycle=None``.
    DEFAULT_LIFECYCLE: ClassVar[Lifecycle]

    id: str = attrs.field(validator=text())
    title: str = attrs.field(validator=text())
    description: str = attrs.field(default="", validator=of_type(str))
    state: str = attrs.field(validator=text())
    opened_at: datetime = attrs.field(validator=aware())
    opened_by: str = attrs.field(validator=text())
    impact: Impact = attrs.field(validator=of_type(Impact))
    urgency: Urgency = attrs.field(validator=of_type(Urgency))
    priority: Priority = attrs.field(validator=of_type(Priority))
    priority_override: PriorityOverride | None = attrs.field(
        default=None, validator=optional(of_type(PriorityOverride))
    )
    assignment: Assignment | None = attrs.field(
        default=None, validator=optional(of_type(Assignment))
    )
    assigned_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    reassignment_count: int = attrs.field(default=0, validator=non_negative())
    notes: tuple[Note, ...] = attrs.field(default=(), validator=tuple_of(Note))
    closed_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    cancellation: Cancellation | None = attrs.field(
        default=None, validator=optional(of_type(Cancellation))
    )
    reopen_count: int = attrs.field(default=0, validator=non_negative())
    history: tuple[TransitionRecord, ...] = attrs.field(
        default=(), validator=tuple_of(TransitionRecord)
    )
    category: StateCategory = attrs.field(validator=of_type(StateCategory))

    @category.default
    def _initial_category(self) -> StateCategory:
        return category_of(self.state, self.DEFAULT_LIFECYCLE)

    @classmethod
    def _opening_fields(
        cls,
        impact: Impact | int | str,
        urgency: Urgency | int | str,
        *,
        at: datetime,
        actor: str,
        matrix: PriorityMatrix,
        lifecycle: Lifecycle | None,
    ) -> dict[str, Any]:
        """The fields every new ticket sets: initial state, opening and the checked priority."""
        require_aware(at, "at")
        checked_impact, checked_urgency = matrix.impact(impact), matrix.urgency(urgency)
        initial = (lifecycle or cls.DEFAULT_LIFECYCLE).definition.initial
        return {
            "state": initial.name,
            "category": initial.category,
            "opened_at": at,
            "opened_by": actor,
            "impact": checked_impact,
            "urgency": checked_urgency,
            "priority": matrix.priority(checked_impact, checked_urgency),
        }

    @property
    def pauses(self) -> tuple[tuple[datetime, datetime], ...]:
        """Finished spells in a paused-category state (e.g. on hold), oldest first."""
        return pause_intervals(self.history)

    @property
    def last_event_at(self) -> datetime:
        """When the ticket last changed state or was logged."""
        return self.history[-1].at if self.history else self.opened_at

    def fire(
        self,
        transition: str,
        *,
        at: datetime,
        actor: str,
        changes: Mapping[str, Any] | None = None,
        reason: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Self:
        """Fire any transition, e.g. one a vendor added, setting ``changes``.

        The named commands (``assign``, ``resolve``...) are this plus the field
        bookkeeping their transition needs. ``at`` may not be earlier than the
        ticket's last event.

        Raises:
            NaiveDatetimeError: ``at`` has no time zone.
            HistoryOrderError: ``at`` is before the last event.
            LifecycleError: the lifecycle refuses (unknown or disallowed
                transition, missing field, guard).
        """
        return apply_in_order(
            self,
            lifecycle or self.DEFAULT_LIFECYCLE,
            transition,
            opened_at=self.opened_at,
            at=at,
            actor=actor,
            changes=changes,
            reason=reason,
        )

    def assign(
        self,
        assignment: Assignment,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Self:
        """Assign to a group and/or person; a change of assignment counts as a reassignment."""
        return self.fire(
            "assign",
            at=at,
            actor=actor,
            changes=self._assignment_changes(assignment, at),
            reason=reason,
            lifecycle=lifecycle,
        )

    def _assignment_changes(self, assignment: Assignment, at: datetime) -> dict[str, Any]:
        if not isinstance(assignment, Assignment):
            raise InvalidInputError(f"assignment must be an Assignment, got {assignment!r}")
        if assignment == self.assignment:
            raise PracticeError(f"{self.id} is already assigned to {assignment}")
        if self.assignment is None:
            return {"assignment": assignment, "assigned_at": self.assigned_at or at}
        return {"assignment": assignment, "reassignment_count": self.reassignment_count + 1}

    def reprioritise(
        self,
        *,
        at: datetime,
        actor: str,
        impact: Impact | int | str | None = None,
        urgency: Urgency | int | str | None = None,
        keep_override: bool = False,
        reason: str | None = None,
        matrix: PriorityMatrix = PRIORITY_3X3,
        lifecycle: Lifecycle | None = None,
    ) -> Self:
        """Reassess impact and/or urgency and recompute the priority from ``matrix``.

        A manual override is cleared (the reassessment supersedes it) unless
        ``keep_override`` is true; either way the record shows the change.
        """
        new_impact = matrix.impact(self.impact if impact is None else impact)
        new_urgency = matrix.urgency(self.urgency if urgency is None else urgency)
        override = self.priority_override if keep_override else None
        priority = (
            override.priority if override is not None else matrix.priority(new_impact, new_urgency)
        )
        changes = {
            "impact": new_impact,
            "urgency": new_urgency,
            "priority": priority,
            "priority_override": override,
        }
        return self.fire(
            "reprioritise", at=at, actor=actor, changes=changes, reason=reason, lifecycle=lifecycle
        )

    def override_priority(
        self,
        priority: Priority | int | str,
        *,
        at: datetime,
        actor: str,
        reason: str,
        matrix: PriorityMatrix = PRIORITY_3X3,
        lifecycle: Lifecycle | None = None,
    ) -> Self:
        """Set the priority by hand against the matrix; ``reason`` is required."""
        chosen = matrix.parse_priority(priority)
        override = PriorityOverride(chosen, at, actor, reason)
        changes = {"priority": chosen, "priority_override": override}
        return self.fire(
            "reprioritise", at=at, actor=actor, changes=changes, reason=reason, lifecycle=lifecycle
        )

    def add_note(self, text: str, *, at: datetime, actor: str, public: bool = False) -> Self:
        """Add a work note (or a public comment); notes are not transitions."""
        return attrs.evolve(self, notes=(*self.notes, Note(at, actor, text, public)))

    def cancel(
        self,
        reason: CancelReason | str,
        *,
        at: datetime,
        actor: str,
        duplicate_of: str | None = None,
        notes: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Self:
        """Cancel with a reason; a duplicate names the original in ``duplicate_of``."""
        cancellation = Cancellation(at, actor, to_enum(CancelReason, reason), duplicate_of, notes)
        if duplicate_of == self.id:
            raise InvalidInputError(f"{self.id} cannot be a duplicate of itself")
        changes = {"cancellation": cancellation, **self._cancel_changes()}
        return self.fire(
            "cancel",
            at=at,
            actor=actor,
            changes=changes,
            reason=cancellation.reason.value,
            lifecycle=lifecycle,
        )

    def _cancel_changes(self) -> dict[str, Any]:
        """Further fields a cancel sets; subclasses extend."""
        return {}


class HoldableTicket(TicketBase):
    """The hold and resume commands of tickets with an on-hold state (incidents, requests).

    A mixin, not an attrs class: each subclass declares ``hold_reason`` among
    its own fields (set exactly while on hold), which keeps its field order.
    """

    __slots__ = ()

    hold_reason: HoldReason | None

    def hold(
        self,
        reason: HoldReason | str,
        *,
        at: datetime,
        actor: str,
        note: str | None = None,
        lifecycle: Lifecycle | None = None,
    ) -> Self:
        """Put on hold for ``reason``, with an optional public ``note`` to the caller or requester.

        The incident lifecycle requires the note when awaiting the caller.
        """
        changes: dict[str, Any] = {"hold_reason": to_enum(HoldReason, reason)}
        if note is not None:
            changes["notes"] = (*self.notes, Note(at, actor, note, public=True))
        return self.fire(
            "hold", at=at, actor=actor, changes=changes, reason=str(reason), lifecycle=lifecycle
        )

    def resume(self, *, at: datetime, actor: str, lifecycle: Lifecycle | None = None) -> Self:
        """Resume work after a hold."""
        return self.fire(
            "resume", at=at, actor=actor, changes={"hold_reason": None}, lifecycle=lifecycle
        )

    def _cancel_changes(self) -> dict[str, Any]:
        return {**super()._cancel_changes(), "hold_reason": None}
