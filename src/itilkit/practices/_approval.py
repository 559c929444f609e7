"""Approvals: who may approve at a gate, how many must, and the decisions given.

A gate is a lifecycle state where a change waits for approval (``assess``,
``authorize``). An :class:`ApprovalRule` names the people who may decide
there and how many approvals it takes; every rule kind is "``needed`` of the
``m`` listed approvers":

============  =======================  ==========================================
kind          approved when            rejected when
============  =======================  ==========================================
any_one       1 approves               all m reject
all           all m approve            1 rejects
quorum        n approve                more than m - n reject
percentage    ceil(p% of m) approve    more than m - needed reject
============  =======================  ==========================================

A rule is rejected as soon as it can no longer be met, and not before: one
principle for every kind. Each approver counts once, with their first decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit._validators import aware, is_text, optional, text
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.lifecycle import Guard, GuardContext
from itilkit.practices._values import to_enum

__all__ = [
    "Approval",
    "ApprovalDecision",
    "ApprovalPolicy",
    "ApprovalRule",
    "ApprovalStatus",
    "RuleKind",
    "approval_rules_for",
    "eligible_approver",
    "gate_status_is",
]


class ApprovalDecision(Vocabulary):
    """One approver's decision."""

    APPROVED = "approved"
    REJECTED = "rejected"


class ApprovalStatus(Vocabulary):
    """Where a gate's rule stands given the decisions so far."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class RuleKind(Vocabulary):
    """How many of a rule's approvers must approve."""

    ANY_ONE = "any_one"
    ALL = "all"
    QUORUM = "quorum"
    PERCENTAGE = "percentage"


def _decision(value: object) -> ApprovalDecision:
    return to_enum(ApprovalDecision, value)


def _kind(value: object) -> RuleKind:
    return to_enum(RuleKind, value)


@attrs.frozen
class Approval:
    """One approver's decision at a gate (the state it was taken in): who, when, and why.

    Changes keep the votes of their current gate; a service request keeps its
    approver's decision.
    """

    approver: str = attrs.field(validator=text())
    decision: ApprovalDecision = attrs.field(converter=_decision)
    at: datetime = attrs.field(validator=aware())
    gate: str = attrs.field(validator=text())
    comment: str | None = attrs.field(default=None, validator=optional(text()))

    @property
    def approved(self) -> bool:
        """True for an approval, False for a rejection."""
        return self.decision is ApprovalDecision.APPROVED


def _people(values: Iterable[str]) -> frozenset[str]:
    if isinstance(values, str):
        raise InvalidInputError(
            f"approvers must be a collection of names, got the string {shown(values)}"
        )
    items = _listed(values, "approvers", "a collection of names (strings)")
    wrong = [p for p in items if not isinstance(p, str)]
    if wrong:
        raise InvalidTypeError("approvers", "names (non-empty strings)", wrong[0])
    names = [p for p in items if isinstance(p, str)]
    blank = sorted(shown(p) for p in names if not is_text(p))
    if blank:
        raise InvalidInputError(f"approvers must be non-empty strings, got {', '.join(blank)}")
    people = frozenset(names)
    if not people:
        raise InvalidInputError("an approval rule needs at least one approver")
    return people


def _listed(values: object, name: str, allowed: str) -> list[object]:
    """The items of ``values``, an iterable other than a string; else a typed error."""
    if isinstance(values, str | bytes | bytearray) or not isinstance(values, Iterable):
        raise InvalidTypeError(name, allowed, values)
    return list(values)


def _context(context: object) -> GuardContext:
    if not isinstance(context, GuardContext):
        raise InvalidTypeError("context", "a GuardContext", context)
    return context


def _field_name(value: object, name: str) -> str:
    if not is_text(value):
        raise InvalidTypeError(name, "a non-empty field name", value)
    return value


@attrs.frozen
class ApprovalRule:
    """Who may approve at a gate and how many approvals it takes.

    Build one with :meth:`any_one`, :meth:`all_of`, :meth:`quorum` or
    :meth:`percentage`. ``threshold`` is the count for a quorum, the percent
    (1-100) for a percentage rule, and None otherwise.

    >>> rule = ApprovalRule.quorum({"ann", "bob", "cy"}, 2)
    >>> rule.needed, rule.status([])
    (2, <ApprovalStatus.PENDING: 'pending'>)
    """

    kind: RuleKind = attrs.field(converter=_kind)
    approvers: frozenset[str] = attrs.field(converter=_people)
    threshold: int | None = None

    def __attrs_post_init__(self) -> None:
        count, threshold = len(self.approvers), self.threshold
        if self.kind in (RuleKind.ANY_ONE, RuleKind.ALL):
            if threshold is not None:
                raise InvalidInputError(
                    f"a {self.kind} rule takes no threshold, got {shown(threshold)}"
                )
        elif self.kind is RuleKind.QUORUM:
            if type(threshold) is not int or not 1 <= threshold <= count:
                raise InvalidInputError(
                    f"a quorum of {count} approver(s) needs a threshold from 1 to {count}, "
                    f"got {shown(threshold)}"
                )
        elif type(threshold) is not int or not 1 <= threshold <= 100:
            raise InvalidInputError(
                f"a percentage rule needs a whole percent from 1 to 100, got {shown(threshold)}"
            )

    @classmethod
    def any_one(cls, approvers: Iterable[str]) -> ApprovalRule:
        """One approval from any of ``approvers`` suffices."""
        return cls(RuleKind.ANY_ONE, approvers)

    @classmethod
    def all_of(cls, approvers: Iterable[str]) -> ApprovalRule:
        """Every one of ``approvers`` must approve."""
        return cls(RuleKind.ALL, approvers)

    @classmethod
    def quorum(cls, approvers: Iterable[str], needed: int) -> ApprovalRule:
        """``needed`` of ``approvers`` must approve (n of m)."""
        return cls(RuleKind.QUORUM, approvers, needed)

    @classmethod
    def percentage(cls, approvers: Iterable[str], percent: int) -> ApprovalRule:
        """At least ``percent`` % of ``approvers`` (rounded up) must approve."""
        return cls(RuleKind.PERCENTAGE, approvers, percent)

    @property
    def needed(self) -> int:
        """How many approvals the rule takes."""
        count = len(self.approvers)
        if self.kind is RuleKind.ANY_ONE:
            return 1
        if self.kind is RuleKind.ALL:
            return count
        assert self.threshold is not None
        if self.kind is RuleKind.QUORUM:
            return self.threshold
        return -(-self.threshold * count // 100)

    def status(self, approvals: Iterable[Approval]) -> ApprovalStatus:
        """Approved, rejected or pending, counting each listed approver's first decision."""
        first: dict[str, ApprovalDecision] = {}
        for approval in _listed(approvals, "approvals", "a collection of Approval values"):
            if not isinstance(approval, Approval):
                raise InvalidTypeError("approvals", "Approval values", approval)
            if approval.approver in self.approvers:
                first.setdefault(approval.approver, approval.decision)
        approved = sum(d is ApprovalDecision.APPROVED for d in first.values())
        rejected = len(first) - approved
        if approved >= self.needed:
            return ApprovalStatus.APPROVED
        if rejected > len(self.approvers) - self.needed:
            return ApprovalStatus.REJECTED
        return ApprovalStatus.PENDING


def _gates(
    values: Mapping[str, ApprovalRule] | Iterable[tuple[str, ApprovalRule]],
) -> tuple[tuple[str, ApprovalRule], ...]:
    if isinstance(values, Mapping):
        rules = dict(values)
    else:
        pairs = _listed(values, "gates", "a mapping of gate names to ApprovalRule")
        if not all(
            isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)
            for pair in pairs
        ):
            raise InvalidTypeError("gates", "a mapping of gate names to ApprovalRule", values)
        rules = dict(pairs)  # type: ignore[arg-type]  # pairs checked just above
    for gate, rule in rules.items():
        if not isinstance(gate, str) or not gate or not isinstance(rule, ApprovalRule):
            raise InvalidInputError(
                f"an approval policy maps gate names to ApprovalRule, got {shown(gate)}: "
                f"{shown(rule)}"
            )
    return tuple(sorted(rules.items(), key=lambda item: item[0]))


@attrs.frozen
class ApprovalPolicy:
    """The approval rule of each gate, keyed by the gate's state name.

    >>> policy = ApprovalPolicy.of(authorize=ApprovalRule.all_of({"cab-chair"}))
    >>> policy.rule_for("authorize").kind, policy.rule_for("assess")
    (<RuleKind.ALL: 'all'>, None)
    """

    gates: tuple[tuple[str, ApprovalRule], ...] = attrs.field(default=(), converter=_gates)

    @classmethod
    def of(cls, **rules: ApprovalRule) -> ApprovalPolicy:
        """A policy from ``gate=rule`` keywords."""
        return cls(rules)

    def rule_for(self, gate: str) -> ApprovalRule | None:
        """The rule of ``gate``, or None when the policy has none."""
        return next((rule for name, rule in self.gates if name == gate), None)

    @property
    def approvers(self) -> frozenset[str]:
        """Everyone who may decide at any gate."""
        return frozenset(p for _, rule in self.gates for p in rule.approvers)


def _policy(context: GuardContext, field: str) -> ApprovalPolicy:
    policy = _context(context).fields.get(field)
    return policy if isinstance(policy, ApprovalPolicy) else ApprovalPolicy()


@attrs.frozen
class _RulesFor:
    gates: tuple[str, ...]
    policy_field: str

    def __call__(self, context: GuardContext) -> str | None:
        policy = _policy(context, self.policy_field)
        missing = [g for g in self.gates if policy.rule_for(g) is None]
        if missing:
            return f"{self.policy_field} has no approval rule for gate(s) {', '.join(missing)}"
        return None


@attrs.frozen
class _EligibleApprover:
    policy_field: str

    def __call__(self, context: GuardContext) -> str | None:
        rule = _policy(context, self.policy_field).rule_for(context.state)
        if rule is None:
            return f"{shown(context.state)} has no approval rule in {self.policy_field}"
        if context.actor not in rule.approvers:
            listed = ", ".join(sorted(rule.approvers))
            return (
                f"{shown(context.actor)} may not decide at {shown(context.state)}; "
                f"approvers: {listed}"
            )
        return None


@attrs.frozen
class _GateStatusIs:
    status: ApprovalStatus
    policy_field: str
    approvals_field: str

    def __call__(self, context: GuardContext) -> str | None:
        rule = _policy(context, self.policy_field).rule_for(context.state)
        approvals = context.before.get(self.approvals_field) or ()
        if rule is None or not isinstance(approvals, Iterable):
            return f"{shown(context.state)} has no approval rule in {self.policy_field}"
        status = rule.status(a for a in approvals if isinstance(a, Approval))
        if status is not self.status:
            return f"the approval at {shown(context.state)} is {status}, not {self.status}"
        return None


def approval_rules_for(*gates: str, policy_field: str = "approval_policy") -> Guard:
    """Refuse unless the policy in ``policy_field`` has a rule for each of ``gates``.

    >>> approval_rules_for("assess", "authorize")
    _RulesFor(gates=('assess', 'authorize'), policy_field='approval_policy')
    """
    for gate in gates:
        if not is_text(gate):
            raise InvalidTypeError("gates", "gate names (non-empty strings)", gate)
    return _RulesFor(gates, _field_name(policy_field, "policy_field"))


def eligible_approver(policy_field: str = "approval_policy") -> Guard:
    """Refuse unless the actor is an approver of the current gate's rule."""
    return _EligibleApprover(_field_name(policy_field, "policy_field"))


def gate_status_is(
    status: ApprovalStatus,
    policy_field: str = "approval_policy",
    approvals_field: str = "approvals",
) -> Guard:
    """Refuse unless the current gate's rule, over the decisions so far, has ``status``.

    Reads the decisions as they were before the transition, so the transition
    leaving the gate may clear them.
    """
    return _GateStatusIs(
        ApprovalStatus(status),
        _field_name(policy_field, "policy_field"),
        _field_name(approvals_field, "approvals_field"),
    )
