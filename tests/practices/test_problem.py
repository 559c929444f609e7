"""Problem and known error commands: every default lifecycle path and refusal."""

from __future__ import annotations

import pytest

from itilkit.errors import (
    GuardRefusedError,
    InvalidInputError,
    MissingFieldsError,
    PracticeError,
    TransitionNotAllowedError,
)
from itilkit.lifecycle import replay
from itilkit.practices import (
    KNOWN_ERROR,
    PROBLEM,
    Problem,
    ProblemResolutionCode,
)

from .helpers import TEAM, at, new_problem


def analysing() -> Problem:
    """A problem assessed and confirmed: in root cause analysis."""
    return new_problem().assess(at=at(1), actor="pm", assignment=TEAM).confirm(at=at(2), actor="pm")


def test_log_sorts_and_deduplicates_linked_incidents() -> None:
    """Linked incident ids are kept sorted and unique."""
    assert new_problem().linked_incidents == ("INC-1", "INC-2")
    with pytest.raises(InvalidInputError, match="collection of ids"):
        new_problem().link_incidents("INC-3", at=at(1), actor="pm")


def test_fix_path_to_closed() -> None:
    """assess, confirm, start_fix (root cause), resolve fix_applied, close."""
    problem = (
        analysing()
        .start_fix(at=at(3), actor="bob", root_cause="memory leak in relay")
        .resolve("fix_applied", "patched", at=at(4), actor="bob")
        .close(at=at(5), actor="pm")
    )
    assert problem.state == "closed"
    assert (problem.root_cause, problem.resolved_at, problem.closed_at) == (
        "memory leak in relay",
        at(4),
        at(5),
    )
    assert replay(PROBLEM.definition, problem.history) == "closed"


def test_assess_needs_an_assignment() -> None:
    """Assessing an unassigned problem names the missing field."""
    with pytest.raises(MissingFieldsError, match="assignment"):
        new_problem().assess(at=at(1), actor="pm")
    assigned = new_problem().assign(TEAM, at=at(1), actor="pm")
    assert assigned.assess(at=at(2), actor="pm").state == "assess"


def test_start_fix_needs_the_root_cause() -> None:
    """A fix cannot start before the root cause is recorded."""
    with pytest.raises(MissingFieldsError, match="root_cause"):
        analysing().start_fix(at=at(3), actor="bob")


def test_resolution_code_must_fit_the_stage() -> None:
    """During analysis only risk_accepted resolves; after a fix starts both do."""
    with pytest.raises(GuardRefusedError, match="needs code 'risk_accepted'"):
        analysing().resolve("fix_applied", "x", at=at(3), actor="pm")
    accepted = analysing().resolve(
        ProblemResolutionCode.RISK_ACCEPTED, "rare", at=at(3), actor="pm"
    )
    assert accepted.state == "resolved"
    with pytest.raises(InvalidInputError, match="allowed: fix_applied, risk_accepted"):
        analysing().resolve("fixed", "x", at=at(3), actor="pm")


def test_reanalyze_and_reopen_keep_resolutions() -> None:
    """A fix can go back to analysis; a resolved problem reopens into analysis."""
    fixing = analysing().start_fix(at=at(3), actor="bob", root_cause="leak")
    assert fixing.reanalyze(at=at(4), actor="bob").state == "root_cause_analysis"
    resolved = fixing.resolve("fix_applied", "patched", at=at(4), actor="bob")
    reopened = resolved.reopen(at=at(5), actor="pm", reason="recurred")
    assert (reopened.state, reopened.resolution, reopened.reopen_count) == (
        "root_cause_analysis",
        None,
        1,
    )
    assert reopened.resolutions == resolved.resolutions


def test_cancel_only_before_a_fix() -> None:
    """Cancel works during assessment, not once a fix is in progress."""
    assert analysing().cancel("unnecessary", at=at(3), actor="pm").state == "canceled"
    fixing = analysing().start_fix(at=at(3), actor="bob", root_cause="leak")
    with pytest.raises(TransitionNotAllowedError, match="allowed from 'fix_in_progress'"):
        fixing.cancel("unnecessary", at=at(4), actor="pm")


def test_link_incidents_is_audited_and_refuses_no_op() -> None:
    """Linking adds ids in a history record; linking only known ids is refused."""
    linked = new_problem().link_incidents(["INC-3", "INC-1"], at=at(1), actor="pm")
    assert linked.linked_incidents == ("INC-1", "INC-2", "INC-3")
    assert linked.history[-1].transition == "link_incidents"
    with pytest.raises(PracticeError, match="already links"):
        linked.link_incidents(["INC-3"], at=at(2), actor="pm")


def test_known_error_recorded_once_with_its_lifecycle() -> None:
    """A known error is recorded once, then published and retired."""
    problem, known = analysing().record_known_error(
        known_error_id="KE-1",
        symptom="mail queue grows",
        workaround="restart relay",
        at=at(3),
        actor="pm",
    )
    assert (problem.known_error_id, known.problem_id, known.state) == ("KE-1", "PRB-1", "draft")
    with pytest.raises(PracticeError, match="already has known error KE-1"):
        problem.record_known_error(
            known_error_id="KE-2", symptom="s", workaround="w", at=at(4), actor="pm"
        )
    with pytest.raises(TransitionNotAllowedError):
        new_problem().record_known_error(
            known_error_id="KE-2", symptom="s", workaround="w", at=at(4), actor="pm"
        )
    done = (
        known.revise(at=at(4), actor="pm", workaround="restart relay, then flush queue")
        .publish(at=at(5), actor="pm")
        .retire(at=at(6), actor="pm")
    )
    assert (done.state, done.published_at, done.retired_at) == ("retired", at(5), at(6))
    assert done.workaround == "restart relay, then flush queue"
    assert replay(KNOWN_ERROR.definition, done.history) == "retired"
    with pytest.raises(InvalidInputError, match="at least one"):
        known.revise(at=at(4), actor="pm")
