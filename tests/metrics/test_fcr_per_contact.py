"""FCR over contacts (interactions) that carry a first-call-resolution flag and nothing else."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from itilkit.metrics import FirstContactResolution, RateStats

FLAGS = st.sampled_from([True, False, None, "Y"])
CATEGORIES = st.sampled_from([None, "closed", "canceled", "active"])


def test_the_flag_alone_is_enough() -> None:
    """Interactions have no resolved_at or reopen_count: the flag decides, a missing one is
    excluded, canceled contacts are left out."""
    contacts = [
        {"id": "SD1", "first_contact_resolved": True},
        {"id": "SD2", "first_contact_resolved": False},
        {"id": "SD3", "first_contact_resolved": True, "category": "canceled"},
        {"id": "SD4", "first_contact_resolved": None},
        {"id": "SD5", "first_contact_resolved": "Y"},
    ]
    fields = {"resolved_at": None, "reopen_count": None}
    result = FirstContactResolution(per_contact=True, fields=fields)(contacts)
    assert result.overall == RateStats(1, 2)
    assert {k: t.samples for k, t in result.exclusions.items()} == {
        "canceled": ("SD3",),
        "no first-contact flag": ("SD4",),
        "no valid first_contact_resolved": ("SD5",),
    }
    assert result.field_issues["first_contact_resolved"]["not a bool (str)"].count == 1


def test_without_per_contact_the_ticket_fields_are_still_required() -> None:
    """The default (ticket) FCR keeps needing resolved_at: an interaction without it is
    excluded, which is why per_contact exists."""
    result = FirstContactResolution()([{"first_contact_resolved": True, "reopen_count": 0}])
    assert result.overall == RateStats(0, 0)
    assert list(result.exclusions) == ["no valid resolved_at"]


@given(st.lists(st.tuples(FLAGS, CATEGORIES), max_size=30))
def test_per_contact_matches_counting_by_hand(rows: list[tuple[Any, Any]]) -> None:
    """hits = contacts flagged True, population = contacts flagged True or False, canceled
    and malformed ones left out, whatever the mix."""
    contacts = [{"first_contact_resolved": f, "category": c} for f, c in rows]
    kept = [f for f, c in rows if c != "canceled" and isinstance(f, bool)]
    result = FirstContactResolution(per_contact=True, by="category")(contacts)
    assert result.overall == RateStats(sum(kept), len(kept))
    assert result.excluded == len(rows) - len(kept)
