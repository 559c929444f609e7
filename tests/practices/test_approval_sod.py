"""Segregation of duties as plain lifecycle guards, on a lifecycle that is not a change.

These tests also pin the engine fix they rely on: guards see the entity's
values before the transition (``GuardContext.before``), so a transition that
records its actor can still refuse that actor the second time.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from itilkit.categories import StateCategory
from itilkit.errors import GuardRefusedError
from itilkit.lifecycle import (
    GuardContext,
    GuardRegistry,
    LifecycleDefinition,
    State,
    Transition,
    actor_differs_from,
    actor_not_in,
    fire,
)
from itilkit.practices import Approval, ApprovalDecision

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)

#: An expense claim: the claimant may not sign it off, and nobody signs twice.
CLAIM = LifecycleDefinition(
    "expense_claim",
    [
        State("draft", StateCategory.NEW, initial=True),
        State("submitted", StateCategory.ACTIVE),
        State("paid", StateCategory.CLOSED),
    ],
    [
        Transition("submit", "draft", "submitted"),
        Transition("sign", "submitted", "submitted", ["not_claimant", "signs_once"]),
        Transition("pay", "submitted", "paid", ["not_claimant"]),
    ],
)
GUARDS = GuardRegistry(
    {"not_claimant": actor_differs_from("claimant"), "signs_once": actor_not_in("signed_by")}
)


def sign(fields: dict[str, object], actor: str) -> dict[str, object]:
    """Fire ``sign`` as ``actor``, recording them in ``signed_by``; return the new fields."""
    signed = (*fields["signed_by"], actor)  # type: ignore[misc]
    fire(
        CLAIM,
        "submitted",
        "sign",
        at=AT,
        actor=actor,
        fields=fields,
        changes={"signed_by": signed},
        guards=GUARDS,
    )
    return {**fields, "signed_by": signed}


def test_the_claimant_may_not_sign_or_pay_their_own_claim() -> None:
    """actor_differs_from refuses the person named in the field, with a reason."""
    fields: dict[str, object] = {"claimant": "ann", "signed_by": ()}
    with pytest.raises(GuardRefusedError, match="'ann' is the claimant") as refused:
        sign(fields, "ann")
    assert refused.value.transition == "sign"
    with pytest.raises(GuardRefusedError, match="'ann' is the claimant"):
        fire(CLAIM, "submitted", "pay", at=AT, actor="ann", fields=fields, guards=GUARDS)


def test_a_signer_may_sign_once_even_though_signing_records_them() -> None:
    """actor_not_in looks at the value before the transition, so the first signature passes."""
    fields = sign({"claimant": "ann", "signed_by": ()}, "bob")
    fields = sign(fields, "cy")
    assert fields["signed_by"] == ("bob", "cy")
    with pytest.raises(GuardRefusedError, match="'bob' is already among signed_by"):
        sign(fields, "bob")


def test_actor_not_in_can_compare_an_attribute_of_each_member() -> None:
    """With an attribute, members are records and their attribute is compared."""
    guard = actor_not_in("votes", "approver")
    vote = Approval("bob", ApprovalDecision.REJECTED, AT, "review")
    before = {"votes": (vote,)}

    def context(actor: str) -> GuardContext:
        return GuardContext("any", "review", "vote", "review", {}, {}, actor, AT, before)

    assert guard(context("cy")) is None
    assert guard(context("bob")) == "'bob' is already among the approvers of votes"


def test_a_field_that_is_not_a_collection_refuses_nobody() -> None:
    """A scalar or missing field means nobody has acted yet."""
    guard = actor_not_in("signed_by")
    for before in ({}, {"signed_by": None}, {"signed_by": 3}):
        ctx = GuardContext("any", "s", "sign", "s", {}, {}, "bob", AT, before)
        assert guard(ctx) is None
