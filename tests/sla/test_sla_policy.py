"""SLA policies, targets, duration selectors and conditions: values checked when built."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest

from itilkit.categories import StateCategory
from itilkit.errors import (
    InvalidInputError,
    InvalidPolicyError,
    MissingDurationError,
    UnknownTargetError,
)
from itilkit.sla import (
    AllOf,
    AnyOf,
    BusinessCalendar,
    ClockReopen,
    DurationsByField,
    Escalation,
    FieldChanged,
    FieldIs,
    InCategory,
    InState,
    Not,
    SlaPolicy,
    SlaTarget,
    Snapshot,
)

HOUR = timedelta(hours=1)
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OPEN = InCategory(["new", "active", "paused"])
DONE = InCategory(["resolved", "closed"])


def _snap(
    category: StateCategory | None = None,
    state: str | None = None,
    changed: frozenset[str] = frozenset(),
    **fields: object,
) -> Snapshot:
    return Snapshot(T0, state, category, fields, changed)


def _target(**overrides: object) -> SlaTarget:
    values: dict[str, object] = {
        "name": "resolution",
        "duration": 8 * HOUR,
        "start": OPEN,
        "stop": DONE,
    }
    values.update(overrides)
    return SlaTarget(**values)  # type: ignore[arg-type]


def test_conditions_match_categories_states_and_fields() -> None:
    """Each built-in condition reads the snapshot's category, state name or fields."""
    snap = _snap(StateCategory.PAUSED, "awaiting_vendor", frozenset({"group"}), group="network")
    assert InCategory("paused").matches(snap)
    assert not InCategory(["new", StateCategory.ACTIVE]).matches(snap)
    assert InState("awaiting_vendor").matches(snap)
    assert not InState(["awaiting_caller"]).matches(snap)
    assert FieldIs("group", "network").matches(snap)
    assert FieldIs("group", ["network", "desk"]).matches(snap)
    assert not FieldIs("group", "desk").matches(snap)
    assert FieldChanged("group").matches(snap)
    assert not FieldChanged("priority").matches(snap)


def test_a_missing_field_counts_as_none() -> None:
    """FieldIs(field, None) matches a snapshot without that field."""
    assert FieldIs("group", None).matches(_snap())
    assert not FieldIs("group", "network").matches(_snap())


def test_conditions_combine_with_operators() -> None:
    """``&``, ``|`` and ``~`` build AllOf, AnyOf and Not with the expected truth table."""
    paused, network = InCategory("paused"), FieldIs("group", "network")
    both = paused & network
    either = paused | network
    neither = ~either
    assert both == AllOf((paused, network))
    assert either == AnyOf((paused, network))
    assert neither == Not(either)
    for category in (StateCategory.PAUSED, StateCategory.ACTIVE):
        for group in ("network", "desk"):
            snap = _snap(category, group=group)
            p, n = category is StateCategory.PAUSED, group == "network"
            assert (both.matches(snap), either.matches(snap), neither.matches(snap)) == (
                p and n,
                p or n,
                not (p or n),
            )


def test_bad_conditions_are_rejected() -> None:
    """Unknown categories, empty state lists and non-conditions are typed errors."""
    with pytest.raises(InvalidInputError, match="got 'waiting'"):
        InCategory("waiting")
    with pytest.raises(InvalidInputError, match="InCategory needs one or more"):
        InCategory([])
    with pytest.raises(InvalidInputError, match="InState needs one or more"):
        InState([])
    with pytest.raises(InvalidInputError, match="AllOf/AnyOf need at least one"):
        AnyOf(())
    with pytest.raises(InvalidInputError, match="with a matches"):
        Not("paused")


def test_durations_by_field_pick_by_value_then_default() -> None:
    """The selector returns the duration for the field's value, else its default or None."""
    by_priority = DurationsByField("priority", {1: 2 * HOUR, 2: 4 * HOUR})
    assert by_priority.select({"priority": 1}) == 2 * HOUR
    assert by_priority.select({"priority": 3}) is None
    with_default = DurationsByField("priority", {1: 2 * HOUR}, default=8 * HOUR)
    assert with_default.select({}) == 8 * HOUR


def test_durations_by_field_report_every_problem() -> None:
    """An empty field name and non-positive durations are all listed in one error."""
    with pytest.raises(InvalidPolicyError) as caught:
        DurationsByField("", {1: timedelta(0), 2: -HOUR}, default=timedelta(0))
    assert len(caught.value.problems) == 4
    with pytest.raises(InvalidPolicyError, match="at least one duration or a default"):
        DurationsByField("priority", {})


def test_target_reports_every_problem() -> None:
    """A target with several mistakes lists all of them."""
    with pytest.raises(InvalidPolicyError) as caught:
        _target(name="", duration=-HOUR, stop="resolved", resume=InCategory("active"))
    problems = caught.value.problems
    assert len(problems) == 4
    assert any("duration must be positive" in p for p in problems)
    assert any(p.startswith("stop must be a condition") for p in problems)
    assert any("resume is given but pause is not" in p for p in problems)


def test_target_duration_from_a_selector() -> None:
    """duration_for reads the selector; no duration raises MissingDurationError."""
    target = _target(duration=DurationsByField("priority", {1: 2 * HOUR}))
    assert target.duration_for({"priority": 1}) == 2 * HOUR
    with pytest.raises(MissingDurationError) as caught:
        target.duration_for({"priority": 5})
    assert caught.value.target == "resolution"


class _Negative:
    def select(self, fields: Mapping[str, object]) -> timedelta | None:
        return -HOUR


def test_a_custom_selector_returning_a_negative_duration_is_an_error() -> None:
    """A user selector choosing a non-positive duration raises InvalidPolicyError at use."""
    with pytest.raises(InvalidPolicyError, match="non-positive duration"):
        _target(duration=_Negative()).duration_for({})


def test_policy_reports_every_problem() -> None:
    """Duplicate names, bad thresholds, bad escalations and a bad calendar are all listed."""
    with pytest.raises(InvalidPolicyError) as caught:
        SlaPolicy(
            "gold",
            targets=[_target(), _target()],
            calendar="24x7",  # type: ignore[arg-type]
            thresholds=[50, 0, float("nan"), 50],
            escalations=[Escalation("l1", -HOUR), Escalation("l1", HOUR)],
            reopen="sometimes",
        )
    problems = caught.value.problems
    assert caught.value.name == "gold"
    assert "target name 'resolution' is used twice" in problems
    assert "threshold 0 must be a finite percentage above 0" in problems
    assert "threshold 50 is listed twice" in problems
    assert "escalation name 'l1' is used twice" in problems
    assert any(p.startswith("calendar must have add, elapsed") for p in problems)
    assert any(p.startswith("reopen must be a ClockReopen") for p in problems)
    assert len(problems) == 7


def test_policy_needs_a_target() -> None:
    """A policy without targets is invalid."""
    with pytest.raises(InvalidPolicyError, match="at least one target"):
        SlaPolicy("empty", targets=[], calendar=BusinessCalendar.always_open())


def test_policy_looks_up_targets_by_name() -> None:
    """target(name) finds a target; an unknown name is an UnknownTargetError listing the names."""
    policy = SlaPolicy("gold", targets=[_target()], calendar=BusinessCalendar.always_open())
    assert policy.target("resolution").duration == 8 * HOUR
    assert policy.reopen is ClockReopen.RESUME
    with pytest.raises(UnknownTargetError, match="no target 'response'; it defines: resolution"):
        policy.target("response")
    with pytest.raises(LookupError):
        policy.target("response")


def test_reopen_policy_accepts_its_value_as_text() -> None:
    """A stored policy may give ``reopen`` as its string value."""
    policy = SlaPolicy("gold", [_target()], reopen="new_cycle")
    assert policy.reopen is ClockReopen.NEW_CYCLE
    assert isinstance(policy.calendar, BusinessCalendar)


def test_escalations_are_checked_when_built() -> None:
    """An escalation needs a name and a timedelta offset; a policy needs Escalation values."""
    with pytest.raises(InvalidPolicyError) as caught:
        Escalation("", "1h")  # type: ignore[arg-type]
    assert len(caught.value.problems) == 2
    with pytest.raises(InvalidPolicyError, match="must be an Escalation"):
        SlaPolicy("gold", [_target()], escalations=[("l1", HOUR)])  # type: ignore[list-item]
