"""Ordinal scales and total lookup matrices: validation, lookup, direction.

Their document form (by labels) is the codec's: tests/codec/test_matrices.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import InvalidInputError, InvalidMatrixError
from itilkit.practices import LookupMatrix, Scale, ScaleDirection

THREE = Scale("impact", ("high", "medium", "low"))
GLPI = Scale("urgency", ("very low", "low", "medium", "high", "very high"), "one_is_lowest")


def test_scale_levels_labels_and_ranks_follow_the_direction() -> None:
    """Rank 1 is the lowest level whichever end level 1 sits at."""
    assert THREE.levels == (1, 2, 3)
    assert (THREE.highest, THREE.lowest) == (1, 3)
    assert [THREE.rank(level) for level in THREE.levels] == [3, 2, 1]
    assert GLPI.direction is ScaleDirection.ONE_IS_LOWEST
    assert (GLPI.highest, GLPI.lowest) == (5, 1)
    assert [GLPI.rank(level) for level in GLPI.levels] == [1, 2, 3, 4, 5]
    assert THREE.level("MEDIUM") == 2
    assert GLPI.label(4) == "high"


@given(st.sampled_from([THREE, GLPI]), st.data())
def test_at_rank_inverts_rank(scale: Scale, data: st.DataObject) -> None:
    """at_rank(rank(level)) is level for every level of either direction."""
    level = data.draw(st.sampled_from(scale.levels))
    assert scale.at_rank(scale.rank(level)) == level


@pytest.mark.parametrize("bad", [0, 4, True, "urgent", 1.0])
def test_unknown_level_lists_the_levels(bad: Any) -> None:
    """A value that is not a level is refused with the levels spelled out."""
    with pytest.raises(
        InvalidInputError, match=r"1 = high, 2 = medium, 3 = low \(one is highest\)"
    ):
        THREE.level(bad)


def test_bad_scale_lists_every_problem() -> None:
    """Empty and duplicate labels are all reported together."""
    with pytest.raises(InvalidMatrixError) as caught:
        Scale("impact", ("high", "", "High"))
    assert caught.value.problems == (
        "label '' is not a non-empty string",
        "label 'High' is used twice (labels ignore case)",
    )
    with pytest.raises(InvalidMatrixError, match="at least one level"):
        Scale("impact", ())
    with pytest.raises(InvalidInputError, match="sequence of strings"):
        Scale("impact", "high")
    with pytest.raises(ValueError, match="one_is_middle"):
        Scale("impact", ("a",), "one_is_middle")


def test_matrix_lookup_by_level_or_label() -> None:
    """lookup takes level numbers or labels on either axis."""
    matrix = LookupMatrix.from_rule("sum", THREE, THREE, THREE, lambda r, c: min(3, r + c - 1))
    assert matrix.lookup(1, 3) == 3
    assert matrix.lookup("high", "high") == 1
    assert matrix.grid == ((1, 2, 3), (2, 3, 3), (3, 3, 3))


def test_incomplete_matrix_lists_every_problem() -> None:
    """A missing row, a short row and an out-of-scale cell are all reported."""
    with pytest.raises(InvalidMatrixError) as caught:
        LookupMatrix("broken", THREE, THREE, THREE, [(1, 2, 3), (2, 9)])
    assert caught.value.name == "broken"
    assert caught.value.problems == (
        "grid has 2 row(s); impact has 3 level(s), one row each",
        "impact 2 (medium) has 2 cell(s); impact has 3 level(s)",
        "cell impact 2 (medium) x impact 2: 9 is not a level of impact (1..3)",
    )


def test_matrix_is_frozen_and_hashable() -> None:
    """A matrix cannot be changed after construction and can key a dict."""
    matrix = LookupMatrix("one", THREE, THREE, THREE, [(1, 1, 1)] * 3)
    with pytest.raises(AttributeError):
        matrix.name = "other"  # type: ignore[misc]
    assert {matrix: 1}[matrix] == 1


def test_monotonicity_problems_respect_direction() -> None:
    """A grid that lowers the result when the row rises is reported."""
    good = LookupMatrix.from_rule("g", GLPI, GLPI, GLPI, max)
    assert good.monotonicity_problems() == ()
    bad = LookupMatrix.from_rule("b", GLPI, GLPI, GLPI, lambda r, c: 6 - max(r, c))
    assert bad.monotonicity_problems()[0] == (
        "raising the row from (1, 1) to (2, 1) lowers the urgency"
    )
