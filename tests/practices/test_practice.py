"""The practice value, its registry, and an SLA that follows the practice's matrix."""

from __future__ import annotations

from datetime import timedelta

import pytest

from itilkit.errors import (
    InvalidInputError,
    InvalidPracticeError,
    MissingDurationError,
    UnknownPracticeError,
)
from itilkit.outcomes import SlaOutcome
from itilkit.practices import (
    CHANGE,
    DEFAULT_PRACTICES,
    INCIDENT,
    KNOWN_ERROR,
    PRIORITY_3X3,
    PRIORITY_5X5,
    PROBLEM,
    ROLES,
    SERVICE_REQUEST,
    Incident,
    Practice,
    PracticeRef,
    PracticeRegistry,
    Priority,
    TicketKind,
    incident_sla_policy,
)
from itilkit.sla import BusinessCalendar, DurationsByField, sla_status

from .helpers import T0, TEAM, at, new_incident

H = timedelta(hours=1)
ALWAYS = BusinessCalendar.always_open()
#: A target per 5x5 priority, longest for the lowest: keyed by label.
BY_LABEL = {"very high": H, "high": 2 * H, "medium": 4 * H, "low": 8 * H, "very low": 16 * H}


def test_presets_map_every_command_of_their_kind() -> None:
    """Each preset binds every command of its kind, except the change's gate exits."""
    for practice in (INCIDENT, PROBLEM, KNOWN_ERROR, SERVICE_REQUEST, CHANGE):
        assert set(practice.commands) == set(ROLES[practice.kind])
        assert all(practice.plan(s, t) is not None for s, t in practice._plans)
    assert INCIDENT.ref == PracticeRef("incident", 1)
    assert (INCIDENT.kind, CHANGE.matrix, INCIDENT.matrix) == (
        TicketKind.INCIDENT,
        None,
        PRIORITY_3X3,
    )


def test_a_practice_is_checked_with_every_problem_listed() -> None:
    """A hand-built practice with several faults names each of them."""
    with pytest.raises(InvalidPracticeError) as caught:
        Practice(
            name="odd",
            kind="incident",
            definition=INCIDENT.definition,
            commands={"resolve": "fix", "explode": "assign"},
            state_fields={"hold_reason"},
            known_errors=KNOWN_ERROR,
        )
    problems = "\n".join(caught.value.problems)
    assert "'explode' is not a command of a incident practice" in problems
    assert "command 'resolve' maps to transition 'fix'" in problems
    assert "needs a priority matrix" in problems
    assert "only a problem practice names a known-error practice" in problems
    assert "guard 'has_assignee' is used but not registered" in problems
    with pytest.raises(InvalidInputError, match="not a TicketKind"):
        INCIDENT.derive(name="x").__class__(
            name="x", kind="ticket", definition=INCIDENT.definition, commands={}
        )
    with pytest.raises(InvalidInputError, match="version must be an int >= 1"):
        INCIDENT.derive(name="x", version=0)


def test_the_registry_resolves_what_entities_store() -> None:
    """A stored ref resolves to the practice it names; unknown refs are typed errors."""
    acme = INCIDENT.derive(name="acme-incident", version=2)
    registry = DEFAULT_PRACTICES.with_practices(acme)
    inc = new_incident(acme)
    assert registry.resolve(inc.practice.ref) is acme
    assert acme.ref in registry
    assert len(registry) == len(DEFAULT_PRACTICES) + 1
    with pytest.raises(UnknownPracticeError) as caught:
        registry.get("acme-incident", 1)
    assert isinstance(caught.value, LookupError)
    assert "acme-incident@2" in caught.value.known
    with pytest.raises(InvalidInputError, match="already holds a different practice"):
        registry.with_practices(INCIDENT.derive(name="acme-incident", version=2, reopen=None,
                                                matrix=PRIORITY_5X5))  # fmt: skip
    with pytest.raises(InvalidInputError, match="resolve takes a PracticeRef"):
        registry.resolve("incident@1")  # type: ignore[arg-type]
    problem_only = PracticeRegistry([PROBLEM])
    assert KNOWN_ERROR.ref in problem_only  # a problem practice brings its known errors
    assert [p.ref for p in problem_only] == [KNOWN_ERROR.ref, PROBLEM.ref]


def test_sla_keys_follow_the_matrix_labels_and_direction() -> None:
    """On the 5x5 matrix (5 = highest) the most urgent ticket gets the shortest target."""
    glpi = INCIDENT.derive(
        name="glpi-like",
        matrix=PRIORITY_5X5,
        sla=incident_sla_policy(ALWAYS, response=BY_LABEL, resolution=BY_LABEL),
    )
    assert glpi.sla is not None
    selector = glpi.sla.target("response").duration
    assert isinstance(selector, DurationsByField)
    assert dict(selector.durations)[Priority(5)] == H
    urgent = Incident.log(glpi, id="I", title="t", caller="c", impact=5, urgency=5, at=T0,
                          actor="desk")  # fmt: skip
    assert urgent.priority == Priority(5)
    response = urgent.sla_status(now=at(10)).target("response").current
    assert response is not None
    assert response.target == H


def test_sla_keys_off_the_matrix_are_refused_with_what_is_allowed() -> None:
    """Unknown keys, missing priorities and a backwards scale are all caught at derive."""
    backwards = {1: H, 2: 2 * H, 3: 4 * H, 4: 8 * H, 5: 16 * H}  # read as 1 = highest
    with pytest.raises(InvalidPracticeError) as caught:
        INCIDENT.derive(
            name="backwards",
            matrix=PRIORITY_5X5,
            sla=incident_sla_policy(ALWAYS, response=backwards, resolution={"urgent": H}),
        )
    problems = "\n".join(caught.value.problems)
    assert "gives priority 5 (very high) 16:00:00 but the lower priority 4 (high)" in problems
    assert "5 = very high (one is lowest)" in problems
    assert "'urgent' is not a priority of priority-5x5" in problems
    assert "no duration for priority 1 (very low), 2 (low)" in problems
    with pytest.raises(InvalidPracticeError, match="no priority matrix"):
        CHANGE.derive(name="x", sla=incident_sla_policy(ALWAYS, response={1: H}, resolution={1: H}))
    with pytest.raises(InvalidPracticeError, match="sla_fields do not report"):
        INCIDENT.derive(
            name="x",
            sla_fields=["assignee"],
            sla=incident_sla_policy(ALWAYS, response={1: H}, resolution={1: H}),
        )


def test_an_entity_without_an_sla_says_so() -> None:
    """Asking for the SLA of a practice without one is a typed error naming the practice."""
    with pytest.raises(Exception, match="practice incident@1 has no SLA policy"):
        new_incident().sla_status(now=at(1))


def test_a_missing_duration_names_the_value_it_saw() -> None:
    """Outside a practice, a policy missing a priority says which value it could not find."""
    policy = incident_sla_policy(ALWAYS, response={1: H}, resolution={1: H})
    inc = new_incident()  # priority 2 on the 3x3 matrix
    with pytest.raises(MissingDurationError, match=r"priority is Priority\(level=2\)"):
        sla_status(policy, inc.sla_history(), now=at(1))


def test_cycle_outcomes_are_what_sla_compliance_reads() -> None:
    """Each cycle reports met, breached, in progress or canceled."""
    practice = INCIDENT.derive(
        name="timed",
        sla=incident_sla_policy(
            ALWAYS,
            response=dict.fromkeys(("critical", "high", "moderate", "low", "planning"), H),
            resolution=dict.fromkeys(("critical", "high", "moderate", "low", "planning"), 2 * H),
        ),
    )
    inc = new_incident(practice).assign(TEAM, at=at(1), actor="desk")
    running = inc.sla_status(now=at(30)).target("resolution").current
    assert running is not None
    assert running.outcome is SlaOutcome.IN_PROGRESS
    late = inc.start_work(at=at(90), actor="bob").sla_status(now=at(91))
    assert late.target("response").current.outcome is SlaOutcome.BREACHED  # type: ignore[union-attr]
    done = inc.start_work(at=at(5), actor="bob").resolve("fixed", "x", at=at(60), actor="bob")
    assert done.sla_status(now=at(300)).target("resolution").current.outcome is SlaOutcome.MET  # type: ignore[union-attr]
    gone = inc.cancel("unnecessary", at=at(10), actor="desk").sla_status(now=at(300))
    assert gone.target("resolution").current.outcome is SlaOutcome.CANCELED  # type: ignore[union-attr]
