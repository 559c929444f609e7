"""What incidents, problems and service requests add to the ticket base.

A :class:`PrioritisedTicket` carries impact, urgency and the priority its
practice's matrix gives them, can be reassessed or overridden, and can be
reopened; :class:`HoldableTicket` adds hold and resume for tickets with an
on-hold state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Self

import attrs

from itilkit._validators import non_negative, of_type, optional
from itilkit.categories import StateCategory
from itilkit.errors import (
    GuardRefusedError,
    InvalidInputError,
    PolicyViolationError,
    TransitionNotAllowedError,
)
from itilkit.practices._priority import Impact, Priority, PriorityMatrix, PriorityOverride, Urgency
from itilkit.practices._ticket import Ticket
from itilkit.practices._values import HoldReason, Note, to_enum

__all__ = ["HoldableTicket", "PrioritisedTicket"]


@attrs.frozen(kw_only=True, slots=False)
class PrioritisedTicket(Ticket):
    """A ticket prioritised by impact x urgency on its practice's matrix.

    Attributes:
        impact, urgency, priority: levels of the practice's priority matrix.
        priority_override: a manual priority with who, when and why, or None;
            without one the priority is what the matrix gives.
        reopen_count: how many times it left a resolved or closed state for
            an open one.
    """

    REOPEN_COUNTER: ClassVar[str | None] = "reopen_count"

    impact: Impact = attrs.field(validator=of_type(Impact))
    urgency: Urgency = attrs.field(validator=of_type(Urgency))
    priority: Priority = attrs.field(validator=of_type(Priority))
    priority_override: PriorityOverride | None = attrs.field(
        default=None, validator=optional(of_type(PriorityOverride))
    )
    reopen_count: int = attrs.field(default=0, validator=non_negative())

    @classmethod
    def _prioritised(
        cls, matrix: PriorityMatrix | None, impact: object, urgency: object
    ) -> dict[str, Any]:
        """Impact, urgency and the priority ``matrix`` gives them, checked on its scales."""
        assert matrix is not None  # a prioritised practice always has one
        checked_impact = matrix.impact(impact)  # type: ignore[arg-type]
        checked_urgency = matrix.urgency(urgency)  # type: ignore[arg-type]
        return {
            "impact": checked_impact,
            "urgency": checked_urgency,
            "priority": matrix.priority(checked_impact, checked_urgency),
        }

    @property
    def matrix(self) -> PriorityMatrix:
        """The practice's priority matrix."""
        assert self.practice.matrix is not None
        return self.practice.matrix

    def reprioritise(
        self,
        *,
        at: datetime,
        actor: str,
        impact: Impact | int | str | None = None,
        urgency: Urgency | int | str | None = None,
        keep_override: bool = False,
        reason: str | None = None,
    ) -> Self:
        """Reassess impact and/or urgency and recompute the priority from the practice's matrix.

        A manual override is cleared (the reassessment supersedes it) unless
        ``keep_override`` is true; either way the record shows the change.
        """
        values = self.__dict__
        matrix = values["practice"].matrix
        # the entity's own levels were checked when it was made: only new ones are
        before_impact, before_urgency = values["impact"], values["urgency"]
        checked_impact = before_impact if impact is None else matrix.impact(impact)
        checked_urgency = before_urgency if urgency is None else matrix.urgency(urgency)
        override = values["priority_override"] if keep_override else None
        priority = (  # both levels are the matrix's own values by now: read its cell
            matrix._cells[checked_impact.level, checked_urgency.level]
            if override is None
            else override.priority
        )
        changes: dict[str, Any] = {}  # what moved (the matrix hands out one value per level)
        if checked_impact is not before_impact:
            changes["impact"] = checked_impact
        if checked_urgency is not before_urgency:
            changes["urgency"] = checked_urgency
        if priority is not values["priority"]:
            changes["priority"] = priority
        if override is not values["priority_override"]:
            changes["priority_override"] = override
        return self._run("reprioritise", at, actor, changes, reason)

    def override_priority(
        self, priority: Priority | int | str, *, at: datetime, actor: str, reason: str
    ) -> Self:
        """Set the priority by hand against the matrix; ``reason`` is required."""
        chosen = self.matrix.parse_priority(priority)
        override = PriorityOverride(chosen, at, actor, reason)
        changes = {"priority": chosen, "priority_override": override}
        return self._run("reprioritise", at, actor, changes, reason)

    def reopen(self, *, at: datetime, actor: str, reason: str | None = None) -> Self:
        """Reopen a resolved ticket (or a closed one if the reopen policy allows).

        Earlier resolutions are kept; ``reopen_count`` goes up.

        Raises:
            PolicyViolationError: the ticket is closed and the practice's
                reopen policy forbids reopening it (now).
        """
        try:
            return self._run("reopen", at, actor, {}, reason)
        except (TransitionNotAllowedError, GuardRefusedError) as refused:
            if self.category is not StateCategory.CLOSED:
                raise
            detail = "; ".join(getattr(refused, "reasons", ())) or (
                "closed tickets may not be reopened; log a new one and link it"
            )
            raise PolicyViolationError("reopen policy", detail) from refused

    def _checked(self, field: attrs.Attribute[Any], value: object) -> object:
        """Impact, urgency and priority are read on the matrix (levels or labels)."""
        if field.name == "impact":
            return self.matrix.impact(value)  # type: ignore[arg-type]
        if field.name == "urgency":
            return self.matrix.urgency(value)  # type: ignore[arg-type]
        if field.name == "priority":
            return self.matrix.parse_priority(value)  # type: ignore[arg-type]
        return super()._checked(field, value)

    def _rule_problems(self) -> list[str]:
        problems = super()._rule_problems()
        matrix = self.practice.matrix
        if matrix is None:
            return problems
        try:
            expected = matrix.priority(self.impact, self.urgency)
            matrix.parse_priority(self.priority)
        except InvalidInputError as bad:
            return [*problems, str(bad)]
        override = self.priority_override
        if override is None and self.priority != expected:
            problems.append(
                f"priority {self.priority.level} does not agree with matrix {matrix.name} "
                f"(impact {self.impact.level} x urgency {self.urgency.level} gives "
                f"{expected.level}) and there is no override"
            )
        if override is not None and override.priority != self.priority:
            problems.append(
                f"priority {self.priority.level} differs from its override "
                f"{override.priority.level}"
            )
        return problems


class HoldableTicket(PrioritisedTicket):
    """The hold and resume commands of tickets with an on-hold state (incidents, requests).

    Not an attrs class: each subclass declares ``hold_reason`` among its own
    fields and the practice makes it a state field (set exactly while on hold).
    """

    hold_reason: HoldReason | None

    def hold(
        self, reason: HoldReason | str, *, at: datetime, actor: str, note: str | None = None
    ) -> Self:
        """Put on hold for ``reason``, with an optional public ``note`` to the caller."""
        hold_reason = to_enum(HoldReason, reason)
        changes: dict[str, Any] = {"hold_reason": hold_reason}
        if note is not None:
            changes["notes"] = (*self.notes, Note(at, actor, note, public=True))
        # ``_value_``: the plain str, without the enum property's cost
        return self._run("hold", at, actor, changes, hold_reason._value_)

    def resume(self, *, at: datetime, actor: str, reason: str | None = None) -> Self:
        """Resume work after a hold (the hold reason is cleared)."""
        return self._run("resume", at, actor, {}, reason)
