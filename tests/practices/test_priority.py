"""Priority: presets, direction, monotonicity, recomputation and manual overrides."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import InvalidInputError
from itilkit.practices import (
    INCIDENT,
    PRIORITY_3X3,
    PRIORITY_4X4,
    PRIORITY_5X5,
    Impact,
    Incident,
    Priority,
    PriorityMatrix,
    Urgency,
)

from .helpers import at, new_incident

PRESETS = [PRIORITY_3X3, PRIORITY_4X4, PRIORITY_5X5]


def test_three_by_three_is_impact_plus_urgency_minus_one() -> None:
    """Every cell of the default preset equals impact + urgency - 1."""
    for i in (1, 2, 3):
        for u in (1, 2, 3):
            assert PRIORITY_3X3.priority(i, u) == Priority(i + u - 1)
    assert PRIORITY_3X3.label(Priority(5)) == "planning"


def test_five_by_five_counts_five_as_highest() -> None:
    """On the 5x5 preset 5 is the most urgent: 'very high' x 'very high' is priority 5."""
    assert PRIORITY_5X5.priority("very high", "very high") == Priority(5)
    assert PRIORITY_5X5.priority(1, 1) == Priority(1)
    assert PRIORITY_5X5.rank(Priority(5)) == 5
    assert PRIORITY_3X3.rank(Priority(1)) == 5


@pytest.mark.parametrize("matrix", PRESETS, ids=lambda m: m.name)
def test_presets_have_no_monotonicity_problems(matrix: PriorityMatrix) -> None:
    """Each preset is monotone over the whole grid."""
    assert matrix.table.monotonicity_problems() == ()


@given(st.sampled_from(PRESETS), st.data())
def test_raising_impact_or_urgency_never_lowers_priority(
    matrix: PriorityMatrix, data: st.DataObject
) -> None:
    """Comparing by rank (direction-aware), a higher input never gives a lower priority."""
    impacts, urgencies = matrix.table.rows, matrix.table.columns
    i1, i2 = sorted(
        data.draw(st.lists(st.sampled_from(impacts.levels), min_size=2, max_size=2)),
        key=impacts.rank,
    )
    u1, u2 = sorted(
        data.draw(st.lists(st.sampled_from(urgencies.levels), min_size=2, max_size=2)),
        key=urgencies.rank,
    )
    low = matrix.rank(matrix.priority(i1, u1))
    assert matrix.rank(matrix.priority(i2, u1)) >= low
    assert matrix.rank(matrix.priority(i1, u2)) >= low
    assert matrix.rank(matrix.priority(i2, u2)) >= low


@given(st.sampled_from(PRESETS), st.data())
def test_extremes_map_to_extremes(matrix: PriorityMatrix, data: st.DataObject) -> None:
    """Highest x highest is the highest priority and lowest x lowest the lowest."""
    t = matrix.table
    assert matrix.priority(t.rows.highest, t.columns.highest).level == t.result.highest
    assert matrix.priority(t.rows.lowest, t.columns.lowest).level == t.result.lowest
    level = data.draw(st.sampled_from(t.rows.levels))
    assert matrix.impact(level) == Impact(level)


def test_levels_are_checked_against_the_matrix() -> None:
    """A level outside the scale or a wrong kind of value is refused."""
    with pytest.raises(InvalidInputError, match="not a level of urgency"):
        PRIORITY_3X3.urgency(4)
    with pytest.raises(InvalidInputError, match="level number >= 1"):
        Urgency(0)
    with pytest.raises(InvalidInputError, match="expected Impact"):
        PRIORITY_3X3.label("high")  # type: ignore[arg-type]


def test_reprioritise_recomputes_from_the_matrix() -> None:
    """Changing urgency recomputes the priority and leaves an audit record."""
    inc = new_incident().reprioritise(urgency=3, at=at(1), actor="desk", reason="workaround")
    assert (inc.urgency, inc.priority) == (Urgency(3), Priority(4))
    record = inc.history[-1]
    assert record.transition == "reprioritise"
    assert record.changed("priority") is not None


def test_override_is_recorded_then_cleared_or_kept() -> None:
    """An override keeps actor and reason; reassessment clears it unless asked to keep it."""
    overridden = new_incident().override_priority(
        1, at=at(1), actor="manager", reason="CEO affected"
    )
    assert overridden.priority == Priority(1)
    assert overridden.priority_override is not None
    assert (overridden.priority_override.actor, overridden.priority_override.reason) == (
        "manager",
        "CEO affected",
    )
    assert overridden.history[-1].reason == "CEO affected"
    cleared = overridden.reprioritise(impact=3, at=at(2), actor="desk")
    assert (cleared.priority, cleared.priority_override) == (Priority(3), None)
    kept = overridden.reprioritise(impact=3, at=at(2), actor="desk", keep_override=True)
    assert (kept.priority, kept.priority_override) == (Priority(1), overridden.priority_override)
    assert kept.impact == Impact(3)
    with pytest.raises(InvalidInputError, match="reason must be a non-empty string"):
        new_incident().override_priority(1, at=at(1), actor="manager", reason="")


def test_five_by_five_entities() -> None:
    """Entities logged on the 5x5 matrix use its levels."""
    glpi_like = INCIDENT.derive(name="glpi-like-incident", matrix=PRIORITY_5X5)
    inc = Incident.log(
        glpi_like,
        id="I",
        title="t",
        caller="c",
        impact="very high",
        urgency="high",
        at=at(0),
        actor="a",
    )
    assert PRIORITY_5X5.label(inc.priority) == "very high"
    again = inc.reprioritise(urgency="very low", at=at(1), actor="a")
    assert PRIORITY_5X5.label(again.priority) == "medium"  # the 5x5 matrix, not the default


def test_reassessment_never_falls_back_to_the_default_matrix() -> None:
    """A 4x4 or 5x5 incident reassessed later is recomputed on its own matrix."""
    for matrix in (PRIORITY_4X4, PRIORITY_5X5):
        practice = INCIDENT.derive(name=f"on-{matrix.name}", matrix=matrix)
        inc = Incident.log(
            practice, id="I", title="t", caller="c", impact=1, urgency=1, at=at(0), actor="a"
        )
        again = inc.reprioritise(urgency=2, at=at(1), actor="a")
        assert again.priority == matrix.priority(1, 2)
    five = INCIDENT.derive(name="five", matrix=PRIORITY_5X5)
    inc = Incident.log(
        five, id="I", title="t", caller="c", impact=5, urgency=5, at=at(0), actor="a"
    )
    assert inc.reprioritise(urgency=4, at=at(1), actor="a").priority.level == 5
    assert PRIORITY_3X3.priority(3, 3).level == 5  # what the old default would have said
