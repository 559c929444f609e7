"""Lifecycle definitions as documents: short (defaults left out) and checked shape first."""

from __future__ import annotations

import pytest

from itilkit import codec
from itilkit.errors import InvalidDocumentError, InvalidLifecycleError
from itilkit.lifecycle import LifecycleDefinition
from itilkit.practices import PROBLEM
from tests.codec.samples import LIFECYCLE
from tests.lifecycle.strategies import sample_definition

ENVELOPE = {"kind": "lifecycle", "schema_version": 1}


def test_defaults_are_left_out() -> None:
    """A state writes only what differs from its defaults; final follows the category."""
    data = codec.encode(sample_definition())
    assert data["states"][0] == {"name": "new", "category": "new", "initial": True}
    assert data["states"][4] == {"name": "closed", "category": "closed"}
    closed = next(s for s in codec.encode(LIFECYCLE)["states"] if s["name"] == "closed")
    assert closed == {"name": "closed", "category": "closed", "final": False}


def test_every_shape_problem_is_listed() -> None:
    """Bad categories, unknown keys, non-objects and wrong types come together, with paths."""
    with pytest.raises(InvalidDocumentError) as caught:
        codec.decode(
            {
                **ENVELOPE,
                "name": "x",
                "states": [
                    {"name": " ", "category": "new", "initial": True},
                    {"name": "b", "category": "later"},
                    {"name": "c", "category": "new", "colour": "red"},
                    "d",
                ],
                "transitions": [{"name": "go", "sources": "a", "target": "  "}],
            }
        )
    assert [path for path, _ in caught.value.problems] == [
        "states[0]",
        "states[1].category",
        'states[2]["colour"]',
        "states[3]",
        "transitions[0].sources",
    ]
    assert "name must be a non-empty string, got ' '" in caught.value.problems[0][1]


def test_consistency_problems_follow_a_right_shape() -> None:
    """A well-formed but inconsistent definition lists the lifecycle's own problems."""
    data = codec.encode(sample_definition())
    data["states"][1]["initial"] = True
    with pytest.raises(InvalidDocumentError) as caught:
        codec.decode(data)
    assert caught.value.problems == (
        ("", "several initial states: new, work; exactly one is allowed"),
    )
    with pytest.raises(InvalidLifecycleError):
        LifecycleDefinition("x", [], [])


def test_a_derivation_names_a_catalog_base() -> None:
    """An unknown base lists the known ones; a bad step is the derivation's problem."""
    with pytest.raises(InvalidDocumentError, match=r"no lifecycle 'incidents'; known: ") as caught:
        codec.decode({**ENVELOPE, "base": "incidents"})
    assert caught.value.problems[0][0] == "base"
    with pytest.raises(InvalidDocumentError, match="cannot remove unknown state 'x'"):
        codec.decode({**ENVELOPE, "base": "problem", "remove_states": ["x"]})
    same = codec.decode({**ENVELOPE, "base": "problem"}, LifecycleDefinition)
    assert same == PROBLEM.definition
