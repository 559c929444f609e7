"""Matrices as documents: cells keyed by labels, every problem listed with its path.

The codec is the one data form of a matrix (the practices package has no dict I/O).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from itilkit import codec
from itilkit.errors import InvalidDocumentError
from itilkit.practices import RISK_3X3, RISK_5X5, LookupMatrix, RiskMatrix, Scale

THREE = Scale("impact", ("high", "medium", "low"))
GLPI = Scale("urgency", ("very low", "low", "medium", "high", "very high"), "one_is_lowest")


def _problems(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidDocumentError) as caught:
        codec.decode(document)
    return list(caught.value.problems)


def test_a_matrix_round_trips_through_json_keyed_by_labels() -> None:
    """Scales with their direction, and cells as {row label: {column label: result label}}."""
    matrix = LookupMatrix.from_rule("glpi", GLPI, GLPI, GLPI, max)
    data = json.loads(codec.dumps(matrix))
    assert data["rows"]["direction"] == "one_is_lowest"
    assert data["cells"]["very high"]["low"] == "very high"
    assert codec.decode(data, LookupMatrix) == matrix


@pytest.mark.parametrize("matrix", [RISK_3X3, RISK_5X5], ids=["3x3", "5x5"])
def test_risk_presets_round_trip(matrix: RiskMatrix) -> None:
    """A risk matrix is written as its lookup table and reads back equal."""
    assert codec.loads(codec.dumps(matrix), RiskMatrix) == matrix


def test_unknown_labels_are_listed_together_at_their_cells() -> None:
    """An unknown column label and an unknown result label: both, each at its cell."""
    data = codec.encode(LookupMatrix.from_rule("m", THREE, THREE, THREE, max))
    data["cells"]["high"]["urgent"] = "low"
    data["cells"]["medium"]["high"] = "extreme"
    levels = "levels: 1 = high, 2 = medium, 3 = low (one is highest)"
    assert _problems(data) == [
        ('cells["high"]["urgent"]', f"'urgent' is not a level of impact; {levels}"),
        ('cells["medium"]["high"]', f"'extreme' is not a level of impact; {levels}"),
    ]


def test_missing_cells_are_listed_each() -> None:
    """A row left out is one problem per missing cell, in scale order."""
    data = codec.encode(LookupMatrix.from_rule("m", THREE, THREE, THREE, max))
    del data["cells"]["low"]
    assert _problems(data) == [
        ('cells["low"]["high"]', "missing"),
        ('cells["low"]["medium"]', "missing"),
        ('cells["low"]["low"]', "missing"),
    ]


def test_shape_problems_are_reported_at_once() -> None:
    """Unknown keys, bad scales and a missing cells table are reported together."""
    document = {
        "kind": "matrix",
        "schema_version": 1,
        "name": "m",
        "rows": {"name": "impact", "labels": "high", "extra": 1},
        "columns": {"name": "u", "direction": "sideways", "labels": ["a"]},
        "result": {"name": "p", "labels": ["a", "A"]},
        "colour": "red",
    }
    assert [path for path, _ in _problems(document)] == [
        "rows.labels",
        'rows["extra"]',
        "columns.direction",
        "result",
        "cells",
        '["colour"]',
    ]
