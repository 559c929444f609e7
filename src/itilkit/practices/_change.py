"""The change: standard, normal or emergency, with approval gates and a planned window.

Every command fires one transition of the practice's change lifecycle (by
default :data:`~itilkit.practices.CHANGE`) and returns the evolved copy. A
vote that decides its gate fires a second transition (on to the next state,
or back to ``new``), so one ``approve`` may add two records; listeners hear
both once the command has succeeded. A refused command raises and returns
nothing; the change it was called on is never modified.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, ClassVar

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit._validators import aware, of_type, optional, text, tuple_of
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.lifecycle import LifecycleDefinition
from itilkit.outcomes import ChangeOutcome
from itilkit.practices._approval import Approval, ApprovalDecision, ApprovalPolicy, ApprovalStatus
from itilkit.practices._change_lifecycle import IMPLEMENTED
from itilkit.practices._practice import Plan, Practice, TicketKind
from itilkit.practices._risk import RiskAssessment
from itilkit.practices._ticket import Ticket, check_invariants
from itilkit.practices._values import to_enum
from itilkit.practices._window import PlannedWindow, outside_window_message

__all__ = ["Change", "ChangeType"]


class ChangeType(Vocabulary):
    """The change model: how much approval a change needs."""

    #: pre-authorised, low risk, from an approved template: no approval gates
    STANDARD = "standard"
    #: assessed, then authorised by the change authority
    NORMAL = "normal"
    #: must be done now: authorised by the emergency change authority only
    EMERGENCY = "emergency"


def _change_type(value: object) -> ChangeType:
    return to_enum(ChangeType, value)


def _outcome(value: object) -> ChangeOutcome | None:
    return None if value is None else to_enum(ChangeOutcome, value)


def _names(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise InvalidInputError(
            f"configuration_items must be a collection of ids, got the string {shown(values)}"
        )
    if isinstance(values, bytes | bytearray) or not isinstance(values, Iterable):
        raise InvalidTypeError("configuration_items", "a collection of ids", values)
    return tuple(values)


#: Fields :meth:`Change.revise` may set (while the change is new).
REVISABLE = frozenset(
    {
        "title",
        "description",
        "change_type",
        "backout_plan",
        "planned_window",
        "approval_policy",
        "configuration_items",
        "risk",
    }
)
_EXIT_GUARD = {ApprovalStatus.APPROVED: "gate_approved", ApprovalStatus.REJECTED: "gate_rejected"}


@attrs.frozen(kw_only=True, slots=False)
class Change(Ticket):
    """A change request (see :class:`~itilkit.practices.Ticket` for the shared fields).

    Submit it with :meth:`submit` and move it on with its commands; see
    ``docs/change.md`` for the lifecycle of each type.

    Attributes:
        change_type: standard, normal or emergency (changeable only in ``new``).
        requested_by: the requester; never an approver of this change.
        configuration_items: ids of the CIs it touches.
        backout_plan: how to undo it; required before leaving ``new``.
        planned_window: when it may be implemented; required before leaving ``new``.
        approval_policy: the approval rule of each gate.
        approvals: the votes at the current gate (earlier gates' votes are in
            the history; see :attr:`approval_log`).
        actual_start, actual_end: when implementation started and ended.
        window_warning: set when implemented outside the window under the
            warn policy.
        outcome: how it ended: an implementation outcome once reviewed,
            ``canceled`` or ``rejected`` if it never was implemented.
        risk: the risk assessment (see :class:`~itilkit.practices.RiskMatrix`).
    """

    KIND: ClassVar[TicketKind] = TicketKind.CHANGE
    DERIVED: ClassVar[frozenset[str]] = Ticket.DERIVED | {
        "actual_start",
        "actual_end",
        "window_warning",
    }

    change_type: ChangeType = attrs.field(converter=_change_type)
    requested_by: str = attrs.field(validator=text())
    configuration_items: tuple[str, ...] = attrs.field(
        default=(), converter=_names, validator=tuple_of(str)
    )
    backout_plan: str | None = attrs.field(default=None, validator=optional(of_type(str)))
    planned_window: PlannedWindow | None = attrs.field(
        default=None, validator=optional(of_type(PlannedWindow))
    )
    approval_policy: ApprovalPolicy = attrs.field(
        factory=ApprovalPolicy, validator=of_type(ApprovalPolicy)
    )
    approvals: tuple[Approval, ...] = attrs.field(default=(), validator=tuple_of(Approval))
    actual_start: datetime | None = attrs.field(default=None, validator=optional(aware()))
    actual_end: datetime | None = attrs.field(default=None, validator=optional(aware()))
    window_warning: str | None = attrs.field(default=None, validator=optional(of_type(str)))
    outcome: ChangeOutcome | None = attrs.field(default=None, converter=_outcome)
    risk: RiskAssessment | None = attrs.field(
        default=None, validator=optional(of_type(RiskAssessment))
    )

    @classmethod
    def submit(
        cls,
        practice: Practice,
        /,
        *,
        id: str,
        title: str,
        change_type: ChangeType | str,
        requested_by: str,
        at: datetime,
        actor: str | None = None,
        description: str = "",
        backout_plan: str | None = None,
        planned_window: PlannedWindow | None = None,
        approval_policy: ApprovalPolicy | None = None,
        risk: RiskAssessment | None = None,
        configuration_items: Iterable[str] = (),
    ) -> Change:
        """Submit a new change (by ``actor``, default the requester) and its plan so far."""
        return cls(
            **cls._opening(practice, at, requested_by if actor is None else actor),
            id=id,
            title=title,
            description=description,
            change_type=change_type,
            requested_by=requested_by,
            backout_plan=backout_plan,
            planned_window=planned_window,
            approval_policy=ApprovalPolicy() if approval_policy is None else approval_policy,
            risk=risk,
            configuration_items=configuration_items,
        )

    # -- reading ---------------------------------------------------------

    @property
    def approval_log(self) -> tuple[Approval, ...]:
        """Every vote ever cast on this change, at every gate, in order."""
        return tuple(self._votes())

    def _votes(self) -> Iterator[Approval]:
        for record in self.history:
            change = record.changed("approvals")
            if change is None or not isinstance(change.new, tuple):
                continue
            old = change.old if isinstance(change.old, tuple) else ()
            if len(change.new) > len(old):
                yield from change.new[len(old) :]

    @property
    def gate_status(self) -> ApprovalStatus | None:
        """The status of the current gate's rule over its votes, or None without a rule."""
        rule = self.approval_policy.rule_for(self.state)
        return None if rule is None else rule.status(self.approvals)

    # -- commands --------------------------------------------------------

    def revise(
        self, *, at: datetime, actor: str, reason: str | None = None, **changes: Any
    ) -> Change:
        """Edit the change while it is ``new`` (type, plan, window, approval policy...)."""
        unknown = sorted(set(changes) - REVISABLE)
        if unknown:
            raise InvalidInputError(
                f"revise cannot set {', '.join(unknown)}; it sets: {', '.join(sorted(REVISABLE))}"
            )
        checked = self._checked_changes(changes)
        evolved, record = self._transit(self.practice.command("revise"), at, actor, checked, reason)
        check_invariants(evolved)  # revised values must keep the rules (segregation of duties)
        return self._notify(evolved, record)

    def assess(self, *, at: datetime, actor: str) -> Change:
        """Submit a normal change for assessment (``new`` -> ``assess``)."""
        return self._run("assess", at, actor, {})

    def authorize(self, *, at: datetime, actor: str) -> Change:
        """Submit for authorisation: an emergency change from ``new``.

        A normal change reaches ``authorize`` by itself when its assessment is
        approved; calling this from ``assess`` does the same once it is.
        """
        return self._run("authorize", at, actor, {})

    def schedule(self, *, at: datetime, actor: str) -> Change:
        """Schedule a standard change from ``new`` (authorised changes get here by approval)."""
        return self._run("schedule", at, actor, {})

    def approve(self, *, at: datetime, actor: str, comment: str | None = None) -> Change:
        """Record ``actor``'s approval at the current gate; move on if the rule is met."""
        return self._decide(ApprovalDecision.APPROVED, at, actor, comment)

    def reject(self, *, at: datetime, actor: str, comment: str | None = None) -> Change:
        """Record ``actor``'s rejection; send the change back once the rule cannot be met."""
        return self._decide(ApprovalDecision.REJECTED, at, actor, comment)

    def implement(self, *, at: datetime, actor: str) -> Change:
        """Start implementing; records ``actual_start``.

        Outside the planned window the default policy refuses; a practice
        derived with ``window_policy="warn"`` allows it and records
        ``window_warning``.
        """
        return self._run("implement", at, actor, {})

    def review(
        self, *, at: datetime, actor: str, outcome: ChangeOutcome | str, reason: str | None = None
    ) -> Change:
        """Finish implementing with ``outcome``; records ``actual_end``."""
        return self._run("review", at, actor, {"outcome": to_enum(ChangeOutcome, outcome)}, reason)

    def close(self, *, at: datetime, actor: str, reason: str | None = None) -> Change:
        """Close a reviewed change."""
        return self._run("close", at, actor, {}, reason)

    # -- internals -------------------------------------------------------

    def _decide(
        self, decision: ApprovalDecision, at: datetime, actor: str, comment: str | None
    ) -> Change:
        vote = Approval(actor, decision, at, self.state, comment)
        role = "approve" if decision is ApprovalDecision.APPROVED else "reject"
        changes: dict[str, Any] = {"approvals": (*self.approvals, vote)}
        voted, record = self._transit(self.practice.command(role), at, actor, changes, comment)
        rule = voted.approval_policy.rule_for(voted.state)
        status = ApprovalStatus.PENDING if rule is None else rule.status(voted.approvals)
        exit_ = (
            None
            if status is ApprovalStatus.PENDING
            else _gate_exit(self.practice.definition, voted.state, status)
        )
        if exit_ is None:
            return self._notify(voted, record)
        assert rule is not None
        reason = f"{rule.kind} rule {status}: {rule.needed} of {len(rule.approvers)} needed"
        decided, exit_record = voted._transit(exit_, at, actor, {}, reason)
        return self._notify(decided, record, exit_record)

    def _effects(self, plan: Plan, changes: dict[str, Any], at: datetime) -> None:
        super()._effects(plan, changes, at)
        if plan.target != self.state and self.approvals:
            changes["approvals"] = ()  # votes belong to the gate being left
        if plan.role == "implement":
            changes["actual_start"] = at
            window = changes.get("planned_window", self.planned_window)
            if isinstance(window, PlannedWindow) and not window.contains(at):
                changes["window_warning"] = outside_window_message(window, at)
        elif plan.role == "review":
            changes["actual_end"] = at
        if plan.target_category is StateCategory.CANCELED and self.outcome is None:
            rejected = "gate_rejected" in plan.guards
            changes.setdefault(
                "outcome", ChangeOutcome.REJECTED if rejected else ChangeOutcome.CANCELED
            )

    def _rule_problems(self) -> list[str]:
        problems = super()._rule_problems()
        if self.requested_by in self.approval_policy.approvers:
            problems.append(
                f"segregation of duties: the requester {shown(self.requested_by)} may not be an "
                "approver of their own change; build the rules without them"
            )
        problems.extend(
            f"approval by {shown(a.approver)} was given at {shown(a.gate)}, not at the current "
            f"state"
            for a in self.approvals
            if a.gate != self.state
        )
        category = self.category
        if category in (StateCategory.RESOLVED, StateCategory.CLOSED):
            allowed: tuple[ChangeOutcome | None, ...] = IMPLEMENTED
        elif category is StateCategory.CANCELED:
            allowed = (ChangeOutcome.CANCELED, ChangeOutcome.REJECTED)
        else:
            allowed = (None,)
        if self.outcome not in allowed:
            problems.append(f"outcome {shown(self.outcome)} does not fit state {shown(self.state)}")
        return problems


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
