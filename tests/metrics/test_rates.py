"""FCR, first-assignment resolution, reopen rate and problem share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from tests.metrics.support import as_ticket, incidents, ticket

from itilkit.metrics import (
    FirstAssignmentResolution,
    FirstContactResolution,
    ProblemResolutionShare,
    RateStats,
    ReopenRate,
)


def test_fcr_gross_and_net() -> None:
    """Reopened records never count; net leaves out what first line cannot resolve."""
    records = [
        ticket("a", 1, first_contact_resolved=True, reopen_count=0, first_line_resolvable=True),
        ticket("b", 1, first_contact_resolved=True, reopen_count=1, first_line_resolvable=True),
        ticket("c", 1, first_contact_resolved=False, reopen_count=0, first_line_resolvable=False),
        ticket("d", 1, first_contact_resolved=False, reopen_count=0, first_line_resolvable=True),
        ticket("e", None, first_contact_resolved=True, reopen_count=0, first_line_resolvable=True),
    ]
    gross = FirstContactResolution()(records)
    assert gross.overall == RateStats(1, 4)
    assert gross.overall.rate == 0.25
    assert gross.exclusions["unresolved"].samples == ("e",)
    net = FirstContactResolution(net=True)(records)
    assert net.overall == RateStats(1, 3)
    assert net.exclusions["not resolvable at first line"].samples == ("c",)


def test_empty_rate_is_none_not_nan() -> None:
    """An empty population gives rate None."""
    assert FirstContactResolution()([]).overall == RateStats(0, 0)
    assert FirstContactResolution()([]).overall.rate is None


def test_first_assignment_and_reopen_rates() -> None:
    """Reassignment 0 is a first-assignment resolution; reopens by count and by events."""
    records = [
        ticket("a", 1, reassignment_count=0, reopen_count=0),
        ticket("b", 1, reassignment_count=2, reopen_count=2),
        ticket("c", 1, reassignment_count=0, reopen_count=1),
        ticket("d", 1, reassignment_count=1, reopen_count=0),
    ]
    assert FirstAssignmentResolution()(records).overall == RateStats(2, 4)
    assert ReopenRate()(records).overall == RateStats(2, 4)
    assert ReopenRate(by_events=True)(records).overall == RateStats(3, 7)


def test_bad_counts_are_reported_not_guessed() -> None:
    """A negative or textual count excludes the record and names the field."""
    records = [ticket("a", 1, reopen_count=-1), ticket("b", 1, reopen_count="2")]
    result = ReopenRate()(records)
    assert result.overall.population == 0
    assert set(result.field_issues["reopen_count"]) == {"negative count", "not a count (str)"}


def test_problem_resolution_share() -> None:
    """Resolved incidents with a problem link / resolved incidents."""
    records = [
        ticket("a", 1, problem_id="PRB1"),
        ticket("b", 1, problem_id=None),
        ticket("c", None),
    ]
    assert ProblemResolutionShare()(records).overall == RateStats(1, 2)


def _valid_time(value: object) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None


def _valid_count(value: object) -> bool:
    return type(value) is int and value >= 0


def _oracle(records: list[dict[str, Any]], which: str) -> tuple[int, int]:
    """Slow, obvious hits and population for FCR, FAR and reopen rate."""
    hits = population = 0
    for r in records:
        if r["category"] not in (None, "new", "active", "paused", "resolved", "closed"):
            continue
        if not _valid_time(r["resolved_at"]):
            continue
        if which == "fcr":
            if not isinstance(r["first_contact_resolved"], bool) or not _valid_count(
                r["reopen_count"]
            ):
                continue
            hit = r["first_contact_resolved"] and r["reopen_count"] == 0
        elif which == "far":
            if not _valid_count(r["reassignment_count"]):
                continue
            hit = r["reassignment_count"] == 0
        else:
            if not _valid_count(r["reopen_count"]):
                continue
            hit = r["reopen_count"] > 0
        population += 1
        hits += hit
    return hits, population


@pytest.mark.parametrize(
    ("which", "measure"),
    [
        ("fcr", FirstContactResolution()),
        ("far", FirstAssignmentResolution()),
        ("reopen", ReopenRate()),
    ],
)
@given(records=incidents)
def test_rates_match_a_slow_oracle(which: str, measure: Any, records: list[dict[str, Any]]) -> None:
    """Hits and population equal the oracle's for dicts and objects; all records accounted for."""
    expected = _oracle(records, which)
    for batch in (records, [as_ticket(r) for r in records]):
        result = measure(batch)
        assert (result.overall.hits, result.overall.population) == expected
        assert result.overall.population + result.excluded == len(records)
