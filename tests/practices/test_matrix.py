"""Ordinal scales and total lookup matrices: validation, lookup, direction, dict form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import InvalidInputError, InvalidMatrixError
from itilkit.practices import (
    LookupMatrix,
    Scale,
    ScaleDirection,
    matrix_from_dict,
    matrix_to_dict,
)

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


def test_dict_round_trip_through_json() -> None:
    """to_dict / from_dict round-trips, through JSON too, keyed by labels."""
    matrix = LookupMatrix.from_rule("glpi", GLPI, GLPI, GLPI, max)
    data = json.loads(json.dumps(matrix_to_dict(matrix)))
    assert data["rows"]["direction"] == "one_is_lowest"
    assert data["cells"]["very high"]["low"] == "very high"
    assert matrix_from_dict(data) == matrix


def test_from_dict_lists_every_cell_problem() -> None:
    """Missing, unknown and out-of-scale cells are listed together."""
    data = matrix_to_dict(LookupMatrix.from_rule("m", THREE, THREE, THREE, max))
    del data["cells"]["low"]
    data["cells"]["high"]["urgent"] = "low"
    data["cells"]["medium"]["high"] = "extreme"
    with pytest.raises(InvalidMatrixError) as caught:
        matrix_from_dict(data)
    assert caught.value.problems == (
        "cells['high']['urgent'] is not a level of impact; "
        "levels: 1 = high, 2 = medium, 3 = low (one is highest)",
        "cells['medium']['high']: 'extreme' is not a level of impact; "
        "levels: 1 = high, 2 = medium, 3 = low (one is highest)",
        "cells['low']['high'] is missing",
        "cells['low']['medium'] is missing",
        "cells['low']['low'] is missing",
    )


def test_from_dict_reports_shape_problems_at_once() -> None:
    """Bad name, unknown keys, bad scales and missing cells are reported together."""
    with pytest.raises(InvalidMatrixError) as caught:
        matrix_from_dict(
            {
                "name": "",
                "rows": {"name": "impact", "labels": "high", "extra": 1},
                "columns": {"name": "u", "direction": "sideways", "labels": ["a"]},
                "result": {"name": "p", "labels": ["a", "A"]},
                "colour": "red",
            }
        )
    assert caught.value.problems == (
        "name must be a non-empty string, got ''",
        "unknown keys ['colour']; allowed: cells, columns, name, result, rows",
        "rows has unknown keys ['extra']; allowed: direction, labels, name",
        "rows.labels must be a list of strings, got 'high'",
        "columns.direction 'sideways' is not one of one_is_highest, one_is_lowest",
        "result: label 'A' is used twice (labels ignore case)",
        "cells must be an object keyed by row labels, got None",
    )
    with pytest.raises(InvalidMatrixError, match="must be an object"):
        matrix_from_dict([])  # type: ignore[arg-type]
