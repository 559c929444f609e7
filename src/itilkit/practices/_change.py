"""The Change entity and its commands, each returning an evolved copy.

Every command fires one transition of a change lifecycle (by default
:data:`~itilkit.practices.CHANGE_LIFECYCLE`) through
:func:`~itilkit.practices._common.apply_transition`: the copy has the new
state, the fields the command set and one more history record. A vote that
decides its gate fires a second transition (on to the next state, or back to
``new``), so one ``approve`` may add two records. A refused command raises and
returns nothing; the change it was called on is never modified.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from itilkit._time import require_aware
from itilkit._validators import aware, of_type, optional, text
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError
from itilkit.lifecycle import Lifecycle, LifecycleDefinition, TransitionRecord
from itilkit.practices._approval import (
    ApprovalDecision,
    ApprovalPolicy,
    ApprovalRecord,
    ApprovalStatus,
)
from itilkit.practices._change_lifecycle import CHANGE_LIFECYCLE
from itilkit.practices._common import Assignment, apply_in_order, category_of
from itilkit.practices._risk import RiskAssessment
from itilkit.practices._values import to_enum
from itilkit.practices._window import PlannedWindow, outside_window_message

__all__ = ["Change", "ChangeOutcome", "ChangeType"]


class ChangeType(StrEnum):
    """The change model: how much approval a change needs."""

    #: pre-authorised, low risk, from an approved template: no approval gates
    STANDARD = "standard"
    #: assessed, then authorised by the change authority
    NORMAL = "normal"
    #: must be done now: authorised by the emergency change authority only
    EMERGENCY = "emergency"


class ChangeOutcome(StrEnum):
    """How the implementation went; required to enter review."""

    SUCCESSFUL = "successful"
    SUCCESSFUL_WITH_ISSUES = "successful_with_issues"
    UNSUCCESSFUL = "unsuccessful"
    BACKED_OUT = "backed_out"


def _change_type(value: object) -> ChangeType:
    return to_enum(ChangeType, value)


def _outcome(value: object) -> ChangeOutcome | None:
    return None if value is None else to_enum(ChangeOutcome, value)


def _tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(values)


def _approvals(values: Iterable[ApprovalRecord]) -> tuple[ApprovalRecord, ...]:
    approvals = tuple(values)
    bad = [a for a in approvals if not isinstance(a, ApprovalRecord)]
    if bad:
        raise InvalidInputError(f"approvals must hold ApprovalRecord values, got {bad!r}")
    return approvals


#: Fields :meth:`Change.revise` may set (while the change is new).
REVISABLE = frozenset(
    {
        "title",
        "description",
        "change_type",
        "backout_plan",
        "planned_window",
        "approval_policy",
        "assignment",
        "configuration_items",
        "risk",
    }
)


@attrs.frozen
class Change:
    """A change request: standard, normal or emergency.

    Build it in state ``new`` and move it on with its commands; see
    ``docs/change.md`` for the lifecycle of each type.

    Attributes:
        id: the change's identifier.
        title: a one-line summary.
        change_type: standard, normal or emergency (changeable only in ``new``).
        requested_by: the requester; never an approver of this change.
        opened_at: when it was raised (aware).
        state: the lifecycle state.
        history: one record per fired transition, never rewritten.
        backout_plan: how to undo it; required before leaving ``new``.
        planned_window: when it may be implemented; required before leaving ``new``.
        approval_policy: the approval rule of each gate.
        approvals: the votes at the current gate (earlier gates' votes are in
            the history; see :attr:`approval_log`).
        actual_start, actual_end: when implementation started and ended.
        window_warning: set when implemented outside the window under the
            warn policy.
        outcome: how the implementation went; required to enter ``review``.
        cancel_reason: why it was canceled.
        risk: the risk assessment (see :class:`~itilkit.practices.RiskMatrix`).
    """

    id: str = attrs.field(validator=text())
    title: str = attrs.field(validator=text())
    change_type: ChangeType = attrs.field(converter=_change_type)
    requested_by: str = attrs.field(validator=text())
    opened_at: datetime = attrs.field(validator=aware())
    state: str = "new"
    history: tuple[TransitionRecord, ...] = attrs.field(default=(), converter=_tuple)
    category: StateCategory = attrs.field(validator=of_type(StateCategory))
    description: str = ""
    assignment: Assignment | None = attrs.field(
        default=None, validator=optional(of_type(Assignment))
    )
    configuration_items: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    backout_plan: str | None = attrs.field(default=None, validator=optional(of_type(str)))
    planned_window: PlannedWindow | None = attrs.field(
        default=None, validator=optional(of_type(PlannedWindow))
    )
    approval_policy: ApprovalPolicy = attrs.field(
        factory=ApprovalPolicy, validator=of_type(ApprovalPolicy)
    )
    approvals: tuple[ApprovalRecord, ...] = attrs.field(default=(), converter=_approvals)
    actual_start: datetime | None = attrs.field(default=None, validator=optional(aware()))
    actual_end: datetime | None = attrs.field(default=None, validator=optional(aware()))
    window_warning: str | None = attrs.field(default=None, validator=optional(of_type(str)))
    outcome: ChangeOutcome | None = attrs.field(default=None, converter=_outcome)
    cancel_reason: str | None = attrs.field(default=None, validator=optional(of_type(str)))
    risk: RiskAssessment | None = attrs.field(
        default=None, validator=optional(of_type(RiskAssessment))
    )

    @category.default
    def _initial_category(self) -> StateCategory:
        return category_of(self.state, CHANGE_LIFECYCLE)

    def __attrs_post_init__(self) -> None:
        if self.requested_by in self.approval_policy.approvers:
            raise InvalidInputError(
                f"segregation of duties: the requester {self.requested_by!r} may not be an "
                "approver of their own change; build the rules without them"
            )

    # -- reading ---------------------------------------------------------

    @property
    def approval_log(self) -> tuple[ApprovalRecord, ...]:
        """Every vote ever cast on this change, at every gate, in order."""
        return tuple(self._votes())

    def _votes(self) -> Iterator[ApprovalRecord]:
        for record in self.history:
            change = record.changed("approvals")
            if change is None or not isinstance(change.new, tuple):
                continue
            old = change.old if isinstance(change.old, tuple) else ()
            yield from change.new[len(old) :]

    @property
    def gate_status(self) -> ApprovalStatus | None:
        """The status of the current gate's rule over its votes, or None without a rule."""
        rule = self.approval_policy.rule_for(self.state)
        return None if rule is None else rule.status(self.approvals)

    # -- commands --------------------------------------------------------

    def revise(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        lifecycle: Lifecycle = CHANGE_LIFECYCLE,
        **changes: Any,
    ) -> Change:
        """Edit the change while it is ``new`` (type, plan, window, approval policy...)."""
        unknown = sorted(set(changes) - REVISABLE)
        if unknown:
            raise InvalidInputError(
                f"revise cannot set {', '.join(unknown)}; it sets: {', '.join(sorted(REVISABLE))}"
            )
        if "change_type" in changes:
            changes["change_type"] = _change_type(changes["change_type"])
        return self._fire(lifecycle, "revise", at, actor, changes, reason)

    def assess(
        self, *, at: datetime, actor: str, lifecycle: Lifecycle = CHANGE_LIFECYCLE
    ) -> Change:
        """Submit a normal change for assessment (``new`` -> ``assess``)."""
        return self._fire(lifecycle, "assess", at, actor)

    def authorize(
        self, *, at: datetime, actor: str, lifecycle: Lifecycle = CHANGE_LIFECYCLE
    ) -> Change:
        """Submit for authorisation: an emergency change from ``new``.

        A normal change reaches ``authorize`` by itself when its assessment is
        approved; calling this from ``assess`` does the same once it is.
        """
        return self._fire(lifecycle, "authorize", at, actor)

    def schedule(
        self, *, at: datetime, actor: str, lifecycle: Lifecycle = CHANGE_LIFECYCLE
    ) -> Change:
        """Schedule a standard change from ``new`` (authorised changes get here by approval)."""
        return self._fire(lifecycle, "schedule", at, actor)

    def approve(
        self,
        *,
        at: datetime,
        actor: str,
        comment: str = "",
        lifecycle: Lifecycle = CHANGE_LIFECYCLE,
    ) -> Change:
        """Record ``actor``'s approval at the current gate; move on if the rule is met."""
        return self._decide(ApprovalDecision.APPROVED, at, actor, comment, lifecycle)

    def reject(
        self,
        *,
        at: datetime,
        actor: str,
        comment: str = "",
        lifecycle: Lifecycle = CHANGE_LIFECYCLE,
    ) -> Change:
        """Record ``actor``'s rejection; send the change back once the rule cannot be met."""
        return self._decide(ApprovalDecision.REJECTED, at, actor, comment, lifecycle)

    def implement(
        self, *, at: datetime, actor: str, lifecycle: Lifecycle = CHANGE_LIFECYCLE
    ) -> Change:
        """Start implementing; records ``actual_start``.

        Outside the planned window the default policy refuses; the warn policy
        (``change_lifecycle(window_policy="warn")``) allows it and records
        ``window_warning``.
        """
        changes: dict[str, object] = {"actual_start": require_aware(at, "at")}
        window = self.planned_window
        if window is not None and not window.contains(at):
            changes["window_warning"] = outside_window_message(window, at)
        return self._fire(lifecycle, "implement", at, actor, changes)

    def review(
        self,
        *,
        at: datetime,
        actor: str,
        outcome: ChangeOutcome | str,
        reason: str | None = None,
        lifecycle: Lifecycle = CHANGE_LIFECYCLE,
    ) -> Change:
        """Finish implementing with ``outcome``; records ``actual_end``."""
        changes = {"outcome": _outcome(outcome), "actual_end": require_aware(at, "at")}
        return self._fire(lifecycle, "review", at, actor, changes, reason)

    def close(
        self,
        *,
        at: datetime,
        actor: str,
        reason: str | None = None,
        lifecycle: Lifecycle = CHANGE_LIFECYCLE,
    ) -> Change:
        """Close a reviewed change."""
        return self._fire(lifecycle, "close", at, actor, reason=reason)

    def cancel(
        self, *, at: datetime, actor: str, reason: str, lifecycle: Lifecycle = CHANGE_LIFECYCLE
    ) -> Change:
        """Cancel the change (not from ``review`` or later); ``reason`` is required.

        Open votes at a gate are withdrawn (they stay in the history).
        """
        changes = {"cancel_reason": reason, "approvals": ()}
        return self._fire(lifecycle, "cancel", at, actor, changes, reason)

    # -- internals -------------------------------------------------------

    def _fire(
        self,
        lifecycle: Lifecycle,
        transition: str,
        at: datetime,
        actor: str,
        changes: Mapping[str, object] | None = None,
        reason: str | None = None,
    ) -> Change:
        return apply_in_order(
            self,
            lifecycle,
            transition,
            opened_at=self.opened_at,
            at=at,
            actor=actor,
            changes=changes,
            reason=reason,
        )

    def _decide(
        self,
        decision: ApprovalDecision,
        at: datetime,
        actor: str,
        comment: str,
        lifecycle: Lifecycle,
    ) -> Change:
        vote = ApprovalRecord(actor, decision, at, self.state, comment)
        voted = self._fire(
            lifecycle,
            "approve" if decision is ApprovalDecision.APPROVED else "reject",
            at,
            actor,
            {"approvals": (*self.approvals, vote)},
            comment or None,
        )
        rule = voted.approval_policy.rule_for(voted.state)
        status = ApprovalStatus.PENDING if rule is None else rule.status(voted.approvals)
        if status is ApprovalStatus.PENDING:
            return voted
        exit_ = _gate_exit(lifecycle.definition, voted.state, status)
        if exit_ is None:
            return voted
        assert rule is not None
        reason = f"{rule.kind} rule {status}: {rule.needed} of {len(rule.approvers)} needed"
        return voted._fire(lifecycle, exit_, at, actor, {"approvals": ()}, reason)


_EXIT_GUARD = {ApprovalStatus.APPROVED: "gate_approved", ApprovalStatus.REJECTED: "gate_rejected"}


def _gate_exit(definition: LifecycleDefinition, gate: str, status: ApprovalStatus) -> str | None:
    """The transition leaving ``gate`` guarded by ``status`` (first in definition order)."""
    guard = _EXIT_GUARD[status]
    return next(
        (
            t.name
            for t in definition.transitions_from(gate)
            if guard in t.guards and t.target != gate
        ),
        None,
    )
