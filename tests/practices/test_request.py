"""Service request commands: approval, fulfilment, outcomes and segregation of duties."""

from __future__ import annotations

import pytest

from itilkit.errors import GuardRefusedError, InvalidInputError, TransitionNotAllowedError
from itilkit.lifecycle import replay
from itilkit.practices import (
    PRIORITY_3X3,
    SERVICE_REQUEST,
    OutcomeCode,
    ServiceRequest,
)

from .helpers import TEAM, at, new_request


def test_submit_defaults_to_the_lowest_priority() -> None:
    """Without impact and urgency a request gets the matrix's lowest levels."""
    request = new_request()
    assert (request.state, request.opened_by) == ("new", "ann")
    assert PRIORITY_3X3.label(request.priority) == "planning"


def test_approval_path_to_closed_complete() -> None:
    """request_approval, approve, assign, start, hold, resume, fulfil, close complete."""
    request = (
        new_request()
        .request_approval(at=at(1), actor="portal")
        .approve(at=at(2), actor="boss")
        .assign(TEAM, at=at(3), actor="desk")
        .start_fulfilment(at=at(4), actor="bob")
        .hold("awaiting_stock", at=at(5), actor="bob")
        .resume(at=at(6), actor="bob")
        .fulfil("laptop delivered", at=at(7), actor="bob")
        .close("complete", at=at(8), actor="ann")
    )
    assert (request.state, request.outcome, request.fulfilled_at) == (
        "closed",
        OutcomeCode.COMPLETE,
        at(7),
    )
    assert request.approval is not None
    assert request.approval.approver == "boss"
    assert replay(SERVICE_REQUEST.definition, request.history) == "closed"


def test_no_approval_path_skips_approval() -> None:
    """A request whose item needs no approval starts fulfilment directly."""
    request = new_request(requires_approval=False)
    assert request.start_fulfilment(at=at(1), actor="bob").state == "in_fulfillment"
    with pytest.raises(GuardRefusedError, match="needs no approval"):
        request.request_approval(at=at(1), actor="portal")


def test_approval_required_before_fulfilment() -> None:
    """A request needing approval cannot start fulfilment before it."""
    with pytest.raises(GuardRefusedError, match="request approval first"):
        new_request().start_fulfilment(at=at(1), actor="bob")


def test_requester_cannot_approve_or_reject_own_request() -> None:
    """Segregation of duties: ann may not decide on her own request."""
    pending = new_request().request_approval(at=at(1), actor="portal")
    with pytest.raises(GuardRefusedError, match="'ann' is the requester"):
        pending.approve(at=at(2), actor="ann")
    with pytest.raises(GuardRefusedError, match="'ann' is the requester"):
        pending.reject("no", at=at(2), actor="ann")


def test_reject_needs_a_comment_and_ends_rejected() -> None:
    """A rejection carries its comment and the outcome rejected."""
    pending = new_request().request_approval(at=at(1), actor="portal")
    rejected = pending.reject("over budget", at=at(2), actor="boss")
    assert (rejected.state, rejected.outcome) == ("rejected", OutcomeCode.REJECTED)
    assert rejected.history[-1].reason == "over budget"
    with pytest.raises(InvalidInputError, match="a rejection needs a comment"):
        pending.reject("", at=at(2), actor="boss")


def test_close_outcome_must_be_a_closing_one() -> None:
    """Closing with outcome rejected or canceled is refused; those have their own states."""
    fulfilled = (
        new_request(requires_approval=False)
        .start_fulfilment(at=at(1), actor="bob")
        .fulfil("done", at=at(2), actor="bob")
    )
    with pytest.raises(GuardRefusedError, match="close needs one of: complete, incomplete"):
        fulfilled.close("rejected", at=at(3), actor="ann")
    assert (
        fulfilled.close(OutcomeCode.SKIPPED, at=at(3), actor="ann").outcome is OutcomeCode.SKIPPED
    )


def test_reopen_and_cancel() -> None:
    """A fulfilled request reopens keeping its fulfilments; cancel sets the outcome."""
    fulfilled = (
        new_request(requires_approval=False)
        .start_fulfilment(at=at(1), actor="bob")
        .fulfil("wrong model", at=at(2), actor="bob")
    )
    reopened = fulfilled.reopen(at=at(3), actor="ann", reason="wrong model")
    assert (reopened.state, reopened.fulfilment, reopened.reopen_count) == (
        "in_fulfillment",
        None,
        1,
    )
    assert reopened.fulfilments == fulfilled.fulfilments
    canceled = reopened.cancel("withdrawn", at=at(4), actor="ann")
    assert (canceled.state, canceled.outcome) == ("canceled", OutcomeCode.CANCELED)
    with pytest.raises(TransitionNotAllowedError, match="allowed from 'fulfilled': close, reopen"):
        fulfilled.cancel("withdrawn", at=at(4), actor="ann")


def test_submit_validates_types() -> None:
    """requires_approval must be a bool, not a truthy string."""
    with pytest.raises(InvalidInputError, match="requires_approval must be bool"):
        ServiceRequest.submit(
            SERVICE_REQUEST,
            id="R",
            title="t",
            requester="a",
            catalog_item="c",
            requires_approval="yes",  # type: ignore[arg-type]
            at=at(0),
        )
