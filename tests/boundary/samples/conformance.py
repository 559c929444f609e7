"""Samples of itilkit.conformance: a small log checked against a ticket lifecycle.

Every report value is a part of one report (made once: reports are frozen
values); the constructor arguments of each report class are the fields of
that part.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

import attrs

from itilkit.conformance import (
    BusinessClock,
    Comparison,
    ConformanceReport,
    Durations,
    EdgeUse,
    Ends,
    Fitness,
    Flip,
    GroupFigures,
    Observation,
    Reopens,
    Seen,
    SkippedStates,
    Starts,
    Step,
    StepChange,
    TimeImpact,
    Trace,
    TraceResult,
    UnknownState,
    Variant,
    check_conformance,
    compare_conformance,
)
from itilkit.sla import BusinessCalendar
from tests.boundary.samples import Factory, Samples
from tests.conformance.helpers import ticket_lifecycle

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _trace(ticket: str, *states: str, **options: object) -> Trace:
    seen = [(s, T0 + timedelta(hours=n)) for n, s in enumerate(states)]
    return Trace(ticket, seen, attributes={"priority": "1"}, **options)  # type: ignore[arg-type]


def _log() -> list[Trace]:
    return [
        _trace("A", "new", "work", "done", "closed"),
        _trace("B", "new", "waiting", "done", "closed"),
        _trace("C", "work", "done", "closed", truncated=True),
        _trace("E", "new", "new", "zzz", "done"),
        _trace("F", "new", "done", "work", "done", "closed"),
    ]


@cache
def _report() -> ConformanceReport:
    return check_conformance(_log(), ticket_lifecycle(), by=("priority", "month"), examples=2)


@cache
def _lenient() -> ConformanceReport:
    return check_conformance(_log(), ticket_lifecycle(reopen_closed=True, hold_from_new=True))


@cache
def _comparison() -> Comparison:
    return compare_conformance(_report(), _lenient())


#: Each report class, with the part of a report that is one.
_PARTS: dict[type, Factory] = {
    ConformanceReport: _report,
    Fitness: lambda: _report().fitness,
    Starts: lambda: _report().starts,
    Ends: lambda: _report().ends,
    Reopens: lambda: _report().reopens,
    TimeImpact: lambda: _report().time_impact,
    Durations: lambda: _report().time_impact.conforming,
    Step: lambda: _report().disallowed[0],
    SkippedStates: lambda: _report().skipped[0],
    UnknownState: lambda: _report().unknown_states[0],
    Seen: lambda: _report().starts.violations,
    EdgeUse: lambda: _report().edges[0],
    Variant: lambda: _report().variants[0],
    GroupFigures: lambda: next(iter(_report().breakdowns["priority"])),
    TraceResult: lambda: _report().traces[0],
    Comparison: _comparison,
    StepChange: lambda: _comparison().removed[0],
    Flip: lambda: _comparison().flips[0],
}


def _constructor_arguments() -> dict[str, Factory]:
    found: dict[str, Factory] = {}
    for cls, part in _PARTS.items():
        for field in attrs.fields(cls):
            found[f"{cls.__name__}.{field.alias}"] = _field(part, field.name)
    return found


def _field(part: Factory, name: str) -> Factory:
    return lambda: getattr(part(), name)


SAMPLES = Samples(
    instances={
        **{cls: [part] for cls, part in _PARTS.items()},
        Trace: [lambda: _log()[0], lambda: _log()[2]],
        Observation: [lambda: Observation("new", T0)],
        BusinessClock: [BusinessCalendar.always_open],
    },
    arguments={
        **_constructor_arguments(),
        "traces": _log,
        "definition": ticket_lifecycle,
        "first": _report,
        "second": _lenient,
        "Trace.id": lambda: "A",
        "Trace.observations": lambda: [("new", T0), ("work", T0 + timedelta(hours=1))],
        "Observation.state": lambda: "new",
        "Observation.at": lambda: T0,
        "start": lambda: T0,
        "end": lambda: T0 + timedelta(hours=3),
    },
)
