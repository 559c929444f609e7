"""Two lifecycles over the same histories: what each finds, what changes, whose verdict flips."""

from __future__ import annotations

import json

import pytest

from itilkit.conformance import Verdict, check_conformance, compare_conformance
from itilkit.errors import InvalidInputError

from .helpers import ticket_lifecycle, trace
from .test_check import log


def test_a_lenient_lifecycle_removes_deviations_and_flips_verdicts() -> None:
    """Allowing hold from new and reopen from closed clears B and G; C is unchanged."""
    strict = check_conformance(log(), ticket_lifecycle())
    lenient = check_conformance(log(), ticket_lifecycle(hold_from_new=True, reopen_closed=True))
    comparison = compare_conformance(strict, lenient)
    assert [(s.source, s.target, s.first, s.second) for s in comparison.removed] == [
        ("closed", "work", 1, 0),
        ("new", "waiting", 1, 0),
    ]
    assert comparison.added == ()
    assert comparison.unchanged == ()
    assert [(f.before, f.after, f.tickets, f.examples) for f in comparison.flips] == [
        (Verdict.DEVIATES, Verdict.CONFORMS, 2, ("B", "G"))
    ]
    assert (comparison.only_first, comparison.only_second) == (0, 0)
    backwards = compare_conformance(lenient, strict)
    assert [(s.source, s.target) for s in backwards.added] == [
        ("closed", "work"),
        ("new", "waiting"),
    ]
    assert backwards.flips[0].before is Verdict.CONFORMS


def test_side_by_side_dict() -> None:
    """The dict form holds both summaries and the differences, and dumps to JSON."""
    first = check_conformance(log(), ticket_lifecycle())
    second = check_conformance(log()[:3], ticket_lifecycle(hold_from_new=True))
    data = compare_conformance(first, second).to_dict()
    assert data["first"]["conforming"] == 2
    assert data["second"]["tickets"] == 3
    assert data["first"]["dead_edges"] == 4
    assert data["only_first"] == 4
    assert data["deviations"]["removed"] == [
        {"source": "closed", "target": "work", "first": 1, "second": 0},
        {"source": "new", "target": "waiting", "first": 1, "second": 0},
    ]
    assert json.loads(json.dumps(data)) == data


def test_unchanged_deviations_are_listed_with_both_counts() -> None:
    """A move both lifecycles refuse is unchanged, counted on each side."""
    traces = [trace("A", "new", "closed"), trace("B", "new", "closed")]
    comparison = compare_conformance(
        check_conformance(traces, ticket_lifecycle()),
        check_conformance(traces[:1], ticket_lifecycle(reopen_closed=True)),
    )
    assert [(s.first, s.second) for s in comparison.unchanged] == [(2, 1)]
    assert comparison.flips == ()


def test_arguments_are_checked() -> None:
    """Only reports compare; examples is a count."""
    report = check_conformance([], ticket_lifecycle())
    with pytest.raises(InvalidInputError, match="ConformanceReport"):
        compare_conformance(report, "second")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="examples"):
        compare_conformance(report, report, examples=-1)
