# mypy: disable-error-code="arg-type, list-item, dict-item, index"
"""Regression tests for the practice escapes of issue 11, each fixed at its source.

Each call below let a builtin error escape (TypeError, AttributeError, an
enum's ValueError, RecursionError from quoting a deep value) or accepted a
value that crashed later. Each now raises an itilkit error that is also the
builtin a caller catches (TypeError for a wrong type, LookupError for an
unknown id), whose message says what is allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
import pytest

from itilkit.errors import (
    InvalidInputError,
    InvalidMatrixError,
    InvalidTypeError,
    ItilkitError,
    PracticeError,
    UnknownItemError,
)
from itilkit.lifecycle import GuardContext
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    RISK_3X3,
    ApprovalPolicy,
    ApprovalRule,
    CancelReason,
    Change,
    CIClass,
    CmdbGraph,
    ConfigurationItem,
    HoldableTicket,
    LookupMatrix,
    PlannedWindow,
    PracticeRegistry,
    Relationship,
    ReopenPolicy,
    RiskAssessment,
    Scale,
    Ticket,
    approval_rules_for,
    check_invariants,
    eligible_approver,
    gate_status_is,
    paused_spells,
    sla_history,
    within_window,
)

from .helpers import T0, at, new_incident, new_problem, working_incident


def _deep(depth: int = 20_000) -> list[object]:
    """Deeper than the recursion limit of repr: quoting it with !r raised RecursionError."""
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


DEEP = _deep()
GRAPH = CmdbGraph(
    [
        ConfigurationItem("app", "Shop", CIClass.APPLICATION),
        ConfigurationItem("db", "Orders", CIClass.DATABASE),
    ],
    [Relationship("app", "depends_on", "db")],
)
SCALE = Scale("level", ["high", "low"])


def _raises(
    call: Callable[[], object], error: type[ItilkitError], builtin: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match) as caught:
        call()
    assert isinstance(caught.value, builtin)
    assert len(str(caught.value)) < 1_000  # a deep or long value is quoted briefly


# -- CmdbGraph and its queries ---------------------------------------------------------


@pytest.mark.parametrize("items", [None, 5, [1], "app"])
def test_a_graph_of_anything_but_items(items: object) -> None:
    """CmdbGraph(None) was a bare TypeError (not iterable)."""
    _raises(
        lambda: CmdbGraph(items),
        InvalidTypeError,
        TypeError,
        "collection of ConfigurationItem values",
    )


@pytest.mark.parametrize("query", ["item", "impact", "relationships_of", "directly_affected_by"])
def test_graph_queries_take_an_id_and_name_unknown_ones(query: str) -> None:
    """An unhashable id was a TypeError; an unknown one is a LookupError (and a ValueError)."""
    ask = getattr(GRAPH, query)
    _raises(lambda: ask([]), InvalidTypeError, TypeError, "configuration item id")
    _raises(lambda: ask("nope"), UnknownItemError, LookupError, "no configuration item 'nope'")
    assert ask("db") is not None  # the valid call still answers


def test_impact_results_built_by_hand_are_checked() -> None:
    """ImpactAnalysis(affected=None) was accepted, then path_to() raised TypeError."""
    analysis = GRAPH.impact("db")
    with pytest.raises(InvalidTypeError):
        attrs.evolve(analysis, affected=None)
    with pytest.raises(InvalidTypeError):
        attrs.evolve(analysis.affected[0], path=None)
    assert analysis.path_to("app") == (Relationship("app", "depends_on", "db"),)


# -- approvals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: ApprovalRule.any_one(None),
        lambda: ApprovalRule.all_of([["ann"]]),
        lambda: ApprovalRule.quorum(5, 1),
        lambda: ApprovalRule.any_one({"ann"}).status(None),
        lambda: ApprovalRule.any_one({"ann"}).status([1]),
        lambda: ApprovalPolicy(None),
        lambda: ApprovalPolicy([1, 2]),
        lambda: ApprovalPolicy([(bytearray(b"x"), None)]),  # an unhashable gate name
    ],
)
def test_approval_rules_and_policies_refuse_wrong_types(call: Callable[[], object]) -> None:
    """Each was a bare TypeError (not iterable, unhashable) from the builtins."""
    with pytest.raises(InvalidTypeError) as caught:
        call()
    assert isinstance(caught.value, TypeError)


def test_approval_values_keep_value_errors_for_values() -> None:
    """A blank name or a gate without a rule stays a ValueError only."""
    with pytest.raises(InvalidInputError) as blank:
        ApprovalRule.any_one({"  "})
    assert not isinstance(blank.value, TypeError)
    with pytest.raises(InvalidInputError, match="maps gate names to ApprovalRule"):
        ApprovalPolicy({"assess": 1})
    assert ApprovalPolicy([("assess", ApprovalRule.any_one({"ann"}))]).rule_for("assess")


@pytest.mark.parametrize(
    "guard",
    [
        approval_rules_for("assess"),
        eligible_approver(),
        gate_status_is("approved"),
        within_window(),
    ],
    ids=["rules_for", "eligible_approver", "gate_status_is", "within_window"],
)
def test_practice_guards_take_only_guard_contexts(guard: Callable[[object], object]) -> None:
    """guard(None) was an AttributeError ('NoneType' has no attribute 'fields')."""
    _raises(lambda: guard(None), InvalidTypeError, TypeError, "GuardContext")
    fields: dict[str, Any] = {"approval_policy": ApprovalPolicy(), "planned_window": None}
    context = GuardContext("change", "assess", "approve", "assess", fields, {}, "ann", T0, fields)
    assert isinstance(guard(context), str | None)


@pytest.mark.parametrize(
    "call",
    [
        lambda: approval_rules_for(None),
        lambda: eligible_approver(5),
        lambda: gate_status_is(None),
        lambda: within_window(policy=DEEP),
        lambda: within_window([]),
    ],
)
def test_guard_factories_check_their_settings(call: Callable[[], object]) -> None:
    """gate_status_is(None) was the enum's ValueError; the others built guards that crashed."""
    with pytest.raises(InvalidInputError):
        call()


# -- reopen policy and enums -----------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "window", "error"),
    [
        (DEEP, None, InvalidInputError),
        (None, None, InvalidInputError),
        ("allow_within", 5, InvalidTypeError),
        ("allow_within", timedelta(0), InvalidInputError),
        ("allow", timedelta(days=1), InvalidInputError),
    ],
)
def test_reopen_policy_refuses_odd_modes_and_windows(
    mode: object, window: object, error: type[ItilkitError]
) -> None:
    """ReopenPolicy(deep list) was a RecursionError (the mode quoted with repr)."""
    with pytest.raises(error):
        ReopenPolicy(mode, window)
    assert ReopenPolicy("allow_within", timedelta(days=7)).window == timedelta(days=7)


@pytest.mark.parametrize("value", [None, DEEP, "bogus", 3])
def test_practice_enum_lookups_are_value_errors_listing_the_values(value: object) -> None:
    """CancelReason(None) was the enum's own ValueError (and a RecursionError when deep)."""
    with pytest.raises(InvalidInputError, match="allowed: duplicate"):
        CancelReason(value)


# -- RISK_3X3.riskiest and the scales and matrices ---------------------------------------


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: RISK_3X3.riskiest(None), InvalidTypeError),
        (lambda: RISK_3X3.riskiest([1]), InvalidTypeError),
        (lambda: RISK_3X3.riskiest([]), InvalidInputError),
        (lambda: RISK_3X3.rank(None), InvalidTypeError),
        (lambda: RISK_3X3.assess(DEEP, 1), InvalidTypeError),
        (lambda: RISK_3X3.rank(RiskAssessment("other", "a", "b", "c")), InvalidInputError),
    ],
)
def test_riskiest_and_rank_refuse_what_is_not_an_assessment(
    call: Callable[[], object], error: type[ItilkitError]
) -> None:
    """riskiest(None) was a TypeError; rank(None) an AttributeError."""
    with pytest.raises(error):
        call()
    riskiest = RISK_3X3.riskiest([RISK_3X3.assess("low", "low"), RISK_3X3.assess(1, 1)])
    assert riskiest.risk == "high"


@pytest.mark.parametrize(
    "call",
    [
        lambda: Scale("impact", None),
        lambda: SCALE.level(DEEP),
        lambda: SCALE.label(None),
        lambda: SCALE.rank(1.5),
        lambda: LookupMatrix("m", None, SCALE, SCALE, [[1, 1], [1, 2]]),
        lambda: LookupMatrix("m", SCALE, SCALE, SCALE, None),
        lambda: LookupMatrix.from_rule("m", None, SCALE, SCALE, min),
        lambda: LookupMatrix.from_rule("m", SCALE, SCALE, SCALE, None),
    ],
)
def test_scales_and_matrices_refuse_wrong_types(call: Callable[[], object]) -> None:
    """Each was a builtin TypeError, AttributeError or RecursionError, or attrs' TypeError."""
    with pytest.raises(InvalidTypeError) as caught:
        call()
    assert isinstance(caught.value, TypeError)


def test_a_rule_that_raises_is_reported_with_its_cell() -> None:
    """from_rule with a rule that fails: InvalidMatrixError naming the cell it failed on."""
    with pytest.raises(InvalidMatrixError, match=r"rule\(1, 1\) raised TypeError"):
        LookupMatrix.from_rule("m", SCALE, SCALE, SCALE, len)


# -- entities: fire with odd changes, link_incidents, accepted then crashing --------------


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ([("resolution", None)], InvalidTypeError, "mapping of field names"),
        ({1: "x"}, InvalidInputError, "has no field"),
        ({"state": "closed"}, InvalidInputError, "firing transitions"),
        ({"notes": DEEP}, InvalidTypeError, "notes must be a tuple"),
        ({"resolution": 5}, InvalidTypeError, "resolution must be Resolution"),
    ],
)
def test_fire_refuses_odd_changes(changes: object, error: type[ItilkitError], match: str) -> None:
    """fire(changes=...) with odd changes: typed errors, and the entity is unchanged."""
    incident = working_incident()
    with pytest.raises(error, match=match):
        incident.fire("resolve", at=at(10), actor="bob", changes=changes)
    assert incident.state == "in_progress"


@pytest.mark.parametrize("transition", [b"resolve", ["resolve"], None, DEEP])
def test_fire_takes_a_transition_name(transition: object) -> None:
    """An unhashable transition was a TypeError from the plan lookup."""
    _raises(
        lambda: working_incident().fire(transition, at=at(10), actor="bob"),
        InvalidTypeError,
        TypeError,
        "transition name",
    )


@pytest.mark.parametrize(
    ("ids", "error"),
    [
        (None, InvalidTypeError),
        (5, InvalidTypeError),
        ([1, 2], InvalidTypeError),
        ([["INC-9"]], InvalidTypeError),
        (DEEP, InvalidTypeError),
        (["", "INC-9"], InvalidInputError),
        ("INC-9", InvalidInputError),
    ],
)
def test_link_incidents_refuses_odd_ids(ids: object, error: type[ItilkitError]) -> None:
    """Problem.link_incidents(None) and unhashable ids were bare TypeErrors."""
    with pytest.raises(error):
        new_problem().link_incidents(ids, at=at(1), actor="pm")
    linked = new_problem().link_incidents(["INC-9"], at=at(1), actor="pm")
    assert "INC-9" in linked.linked_incidents


@pytest.mark.parametrize("history", [[1], (1,), (None,), DEEP])
def test_an_entity_with_a_bad_history_is_refused_at_construction(history: object) -> None:
    """Change(history=[1]) was accepted, then failed on first use."""
    change = Change.submit(
        CHANGE, id="CHG-1", title="Upgrade", change_type="standard", requested_by="req",
        at=T0, actor="req", backout_plan="restore", planned_window=PlannedWindow(T0, at(60)),
    )  # fmt: skip
    fields = {a.alias: getattr(change, a.name) for a in attrs.fields(Change) if a.init}
    with pytest.raises(InvalidInputError):
        Change(**{**fields, "history": history})


@pytest.mark.parametrize("base", [Ticket, HoldableTicket])
def test_the_base_classes_cannot_be_built(base: type[Ticket]) -> None:
    """Ticket(...) was an AttributeError (no KIND); it names the concrete kinds instead."""
    incident = new_incident()
    fields = {a.alias: getattr(incident, a.name) for a in attrs.fields(base) if a.init}
    _raises(lambda: base(**fields), InvalidTypeError, TypeError, "Incident, Problem")


@pytest.mark.parametrize(
    "call",
    [
        lambda: check_invariants(None),
        lambda: paused_spells(None),
        lambda: paused_spells([1]),
        lambda: sla_history(None),
        lambda: sla_history(working_incident(), None),
        lambda: PracticeRegistry(None),
        lambda: INCIDENT.derive(name="x", reopen=True),
        lambda: INCIDENT.derive(name="x", rename_transitions=True),
        lambda: INCIDENT.derive(name="x", bare_states=None),
    ],
)
def test_functions_of_the_practices_refuse_wrong_types(call: Callable[[], object]) -> None:
    """Each was a TypeError or AttributeError from deep inside."""
    with pytest.raises(InvalidTypeError):
        call()


def test_command_and_plan_lookups_with_unhashable_names() -> None:
    """practice.plan([], ...) was a TypeError; command([]) names the commands."""
    assert INCIDENT.plan([], "resolve") is None
    with pytest.raises(PracticeError, match="its commands are"):
        INCIDENT.command([])
