"""Typed histories: each field change is read and written with its field's own hooks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from itilkit import codec
from itilkit.codec._lifecycle import history_hooks
from itilkit.codec._problems import DecodeError, problems_of
from itilkit.lifecycle import FieldChange, TransitionRecord
from itilkit.practices import Priority

AT = datetime(2024, 5, 1, 9, tzinfo=UTC)
FIELDS: dict[str, Any] = {"priority": Priority, "due": datetime | None, "note": str}


def test_changes_are_typed_by_the_field_they_change() -> None:
    """Inside a history, old and new use the changed field's own hooks, both ways."""
    structure, unstructure = history_hooks(codec.default_codec().converter, FIELDS)
    history = (
        TransitionRecord(
            "reprioritise",
            "new",
            "new",
            AT,
            "ana",
            changes=(
                FieldChange("priority", Priority(3), Priority(1)),
                FieldChange("due", None, AT),
            ),
        ),
    )
    data = unstructure(history)
    assert data[0]["changes"] == [
        {"field": "priority", "old": 3, "new": 1},
        {"field": "due", "old": None, "new": "2024-05-01T09:00:00+00:00"},
    ]
    assert structure(data, None) == history


def test_typed_changes_are_checked_against_their_field() -> None:
    """A value of the wrong type for its field, or an unknown field, is a path problem."""
    structure, _ = history_hooks(codec.make_converter(), FIELDS)
    record = {"transition": "t", "source": "a", "target": "b", "at": AT.isoformat(), "actor": "x"}
    bad = [
        {**record, "changes": [{"field": "priority", "old": 0, "new": "high"}]},
        {**record, "changes": [{"field": "colour", "old": 1, "new": 2}]},
    ]
    with pytest.raises(DecodeError) as caught:
        structure(bad, None)
    assert [path for path, _ in problems_of(caught.value)] == [
        "[0].changes[0].old",
        "[0].changes[0].new",
        "[1].changes[0].field",
    ]
