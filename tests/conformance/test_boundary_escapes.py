# mypy: disable-error-code="arg-type"
"""What the boundary walk (tests/boundary) found in itilkit.conformance, fixed at its source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest

from itilkit.conformance import (
    Durations,
    Seen,
    Trace,
    TraceResult,
    Verdict,
    check_conformance,
    compare_conformance,
)
from itilkit.errors import InvalidInputError, InvalidTypeError

from .helpers import T0, ticket_lifecycle, trace


def _deep(depth: int = 20_000) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


def test_deep_values_are_quoted_briefly() -> None:
    """Trace(observations=deep list) and compare(examples=deep) were RecursionErrors (repr)."""
    with pytest.raises(InvalidInputError) as caught:
        Trace("A", _deep())
    assert len(str(caught.value)) < 500
    report = check_conformance([trace("A", "new", "work")], ticket_lifecycle())
    with pytest.raises(InvalidInputError):
        compare_conformance(report, report, examples=_deep())


@pytest.mark.parametrize(
    "options",
    [{"by": None}, {"by": 5}, {"mapping": True}, {"mapping": {"New": 1}}],
)
def test_wrong_types_are_refused_before_any_trace_is_read(options: dict[str, Any]) -> None:
    """by=None was a TypeError; mapping=True failed only after the whole log was read."""
    read: list[str] = []

    def traces() -> Iterator[Trace]:
        read.append("A")
        yield trace("A", "new", "work")

    with pytest.raises(InvalidTypeError) as caught:
        check_conformance(traces(), ticket_lifecycle(), **options)
    assert isinstance(caught.value, TypeError)
    assert read == []


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Durations(count=1, median="1h", p90=None), "Durations.median"),
        (lambda: Durations(count=True, median=None, p90=None), "Durations.count"),
        (lambda: Seen(occurrences=1, tickets=1, examples=["A"]), "Seen.examples"),
        (lambda: Seen(occurrences=1, tickets=1, examples=(), first_at=T0.replace(tzinfo=None)),
         "Seen.first_at"),
        (lambda: TraceResult(id="A", verdict="conforms", fitness=1.0, cost=0),
         "TraceResult.verdict"),
    ],
)  # fmt: skip
def test_report_values_built_by_hand_are_checked(make: Any, field: str) -> None:
    """A report value of the wrong type was accepted, then to_dict() failed on it."""
    with pytest.raises(InvalidTypeError, match=field):
        make()


def test_report_values_of_the_right_types_are_kept() -> None:
    """The check takes what the annotations allow: ints as floats, None where optional."""
    durations = Durations(count=2, median=timedelta(hours=1), p90=None)
    assert durations.to_dict() == {"count": 2, "median": 3600.0, "p90": None}
    result = TraceResult(id="A", verdict=Verdict.CONFORMS, fitness=1, cost=0)
    assert attrs.evolve(result, fitness=0.5).to_dict()["fitness"] == 0.5
