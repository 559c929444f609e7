"""Approval rules, policies, records and the approval guards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import InvalidInputError, NaiveDatetimeError
from itilkit.practices import (
    Approval,
    ApprovalDecision,
    ApprovalPolicy,
    ApprovalRule,
    ApprovalStatus,
    RuleKind,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
BOARD = frozenset({"ann", "bob", "cy", "dee"})
APPROVED, REJECTED = ApprovalDecision.APPROVED, ApprovalDecision.REJECTED


def votes(*pairs: tuple[str, ApprovalDecision]) -> list[Approval]:
    """Approvals at gate ``authorize``, one minute apart."""
    return [
        Approval(who, decision, T0 + timedelta(minutes=i), "authorize")
        for i, (who, decision) in enumerate(pairs)
    ]


def test_any_one_is_approved_by_one_and_rejected_only_when_all_reject() -> None:
    """Any-one: a single approval suffices; it fails only when nobody is left to approve."""
    rule = ApprovalRule.any_one({"ann", "bob"})
    assert rule.needed == 1
    assert rule.status(votes(("ann", APPROVED))) is ApprovalStatus.APPROVED
    assert rule.status(votes(("ann", REJECTED))) is ApprovalStatus.PENDING
    assert rule.status(votes(("ann", REJECTED), ("bob", REJECTED))) is ApprovalStatus.REJECTED


def test_all_needs_everyone_and_one_rejection_refuses() -> None:
    """All: every approver must approve; a single rejection decides."""
    rule = ApprovalRule.all_of({"ann", "bob"})
    assert rule.needed == 2
    assert rule.status(votes(("ann", APPROVED))) is ApprovalStatus.PENDING
    assert rule.status(votes(("ann", APPROVED), ("bob", APPROVED))) is ApprovalStatus.APPROVED
    assert rule.status(votes(("bob", REJECTED))) is ApprovalStatus.REJECTED


def test_quorum_n_of_m() -> None:
    """Quorum 2 of 4: two approvals pass; three rejections make two approvals impossible."""
    rule = ApprovalRule.quorum(BOARD, 2)
    assert rule.status(votes(("ann", APPROVED), ("bob", REJECTED))) is ApprovalStatus.PENDING
    assert rule.status(votes(("ann", APPROVED), ("cy", APPROVED))) is ApprovalStatus.APPROVED
    two_no = votes(("ann", REJECTED), ("bob", REJECTED))
    assert rule.status(two_no) is ApprovalStatus.PENDING
    assert rule.status([*two_no, *votes(("cy", REJECTED))]) is ApprovalStatus.REJECTED


@pytest.mark.parametrize(
    ("percent", "needed"), [(1, 1), (25, 1), (26, 2), (50, 2), (51, 3), (75, 3), (100, 4)]
)
def test_percentage_rounds_up(percent: int, needed: int) -> None:
    """A percentage rule needs at least that share of the approvers, rounded up."""
    rule = ApprovalRule.percentage(BOARD, percent)
    assert rule.kind is RuleKind.PERCENTAGE
    assert rule.needed == needed


def test_only_listed_approvers_and_their_first_decision_count() -> None:
    """Votes from outsiders are ignored, and a second vote by the same person is not counted."""
    rule = ApprovalRule.all_of({"ann", "bob"})
    ballot = votes(("zed", APPROVED), ("ann", REJECTED), ("ann", APPROVED), ("bob", APPROVED))
    assert rule.status(ballot) is ApprovalStatus.REJECTED
    assert rule.status(votes(("zed", APPROVED), ("ann", APPROVED))) is ApprovalStatus.PENDING


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ApprovalRule.any_one(()), "at least one approver"),
        (lambda: ApprovalRule.any_one("ann"), "collection of names"),
        (lambda: ApprovalRule.any_one({"ann", " "}), "non-empty strings"),
        (lambda: ApprovalRule.quorum({"ann", "bob"}, 3), "threshold from 1 to 2"),
        (lambda: ApprovalRule.quorum({"ann", "bob"}, 0), "threshold from 1 to 2"),
        (lambda: ApprovalRule.percentage({"ann"}, 0), "from 1 to 100"),
        (lambda: ApprovalRule.percentage({"ann"}, 101), "from 1 to 100"),
        (lambda: ApprovalRule(RuleKind.ALL, {"ann"}, 1), "takes no threshold"),
        (lambda: ApprovalRule("most", {"ann"}), "most"),
    ],
)
def test_invalid_rules_are_refused(build: object, message: str) -> None:
    """Each malformed rule raises a typed error saying what is allowed."""
    assert callable(build)
    with pytest.raises(InvalidInputError, match=message):
        build()


def test_approval_needs_an_aware_time_and_a_person() -> None:
    """Approval records are validated: aware time, non-empty approver, known decision."""
    with pytest.raises(NaiveDatetimeError):
        Approval("ann", APPROVED, datetime(2026, 3, 2, 9), "assess")
    with pytest.raises(InvalidInputError, match="approver"):
        Approval("", APPROVED, T0, "assess")
    assert Approval("ann", "rejected", T0, "assess").decision is REJECTED


def test_policy_maps_gates_to_rules_independent_of_order() -> None:
    """A policy finds each gate's rule, lists all approvers, and compares by content."""
    tech, cab = ApprovalRule.any_one({"tech"}), ApprovalRule.all_of({"cab1", "cab2"})
    policy = ApprovalPolicy.of(authorize=cab, assess=tech)
    assert policy == ApprovalPolicy({"assess": tech, "authorize": cab})
    assert policy.rule_for("assess") is tech
    assert policy.rule_for("review") is None
    assert policy.approvers == {"tech", "cab1", "cab2"}
    with pytest.raises(InvalidInputError, match="gate names to ApprovalRule"):
        ApprovalPolicy({"assess": "anyone"})  # type: ignore[arg-type]


def _oracle(rule: ApprovalRule, ballot: list[Approval]) -> ApprovalStatus:
    """Slow restatement: approved if enough approvals; rejected if the undecided cannot help."""
    decided: dict[str, ApprovalDecision] = {}
    for vote in ballot:
        if vote.approver in rule.approvers and vote.approver not in decided:
            decided[vote.approver] = vote.decision
    yes = [p for p, d in decided.items() if d is APPROVED]
    undecided = [p for p in rule.approvers if p not in decided]
    if len(yes) >= rule.needed:
        return ApprovalStatus.APPROVED
    if len(yes) + len(undecided) < rule.needed:
        return ApprovalStatus.REJECTED
    return ApprovalStatus.PENDING


PEOPLE = ["ann", "bob", "cy", "dee", "eve", "zed"]


@st.composite
def rules(draw: st.DrawFn) -> ApprovalRule:
    """Any rule over a subset of PEOPLE."""
    approvers = draw(st.sets(st.sampled_from(PEOPLE[:5]), min_size=1))
    kind = draw(st.sampled_from(RuleKind))
    if kind is RuleKind.QUORUM:
        return ApprovalRule.quorum(approvers, draw(st.integers(1, len(approvers))))
    if kind is RuleKind.PERCENTAGE:
        return ApprovalRule.percentage(approvers, draw(st.integers(1, 100)))
    return ApprovalRule(kind, approvers)


ballots = st.lists(
    st.tuples(st.sampled_from(PEOPLE), st.sampled_from(ApprovalDecision)), max_size=12
)


@given(rules(), ballots)
def test_status_matches_the_oracle(
    rule: ApprovalRule, pairs: list[tuple[str, ApprovalDecision]]
) -> None:
    """Every rule kind agrees with the slow restatement of "needed of m"."""
    assert rule.status(votes(*pairs)) is _oracle(rule, votes(*pairs))


@given(rules(), ballots, st.sampled_from(PEOPLE), st.sampled_from(ApprovalDecision))
def test_a_decided_rule_stays_decided(
    rule: ApprovalRule,
    pairs: list[tuple[str, ApprovalDecision]],
    who: str,
    decision: ApprovalDecision,
) -> None:
    """Once approved or rejected, another vote never changes the outcome."""
    before = rule.status(votes(*pairs))
    after = rule.status(votes(*pairs, (who, decision)))
    if before is not ApprovalStatus.PENDING:
        assert after is before
