"""Samples of itilkit.metrics: every measure, its partials, results and statistics.

Records under test are dicts carrying every logical field with a valid value;
the extra hostile values for ``records`` are such records with some fields
replaced by hostile values (so that a record gets past the first checks).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from hypothesis import strategies as st

import itilkit.metrics as metrics
from itilkit.metrics import (
    LOGICAL_FIELDS,
    Backlog,
    BacklogStats,
    ByPeriod,
    CountStats,
    DeploymentFrequency,
    DeploymentFrequencyStats,
    DurationClock,
    DurationStats,
    FieldMap,
    FirstContactResolution,
    IncidentsPerProblem,
    Measure,
    Partial,
    Period,
    ProblemLinkStats,
    RateStats,
    ReopenRate,
    Result,
    SlaCompliance,
    SlaStats,
    SlaTargetStats,
    Tally,
    TimeBetween,
    TimeToResolve,
    WallClock,
)
from itilkit.sla import BusinessCalendar, WeeklySchedule
from tests.boundary.hostile import hostile
from tests.boundary.samples import Factory, Samples

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)
CALENDAR = BusinessCalendar("Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))


def record(number: int = 0) -> dict[str, Any]:
    """A record with every logical field valid (and a priority to group by)."""
    at = T0 + number * H
    return {
        "id": f"R{number}",
        "category": "resolved",
        "opened_at": at,
        "acknowledged_at": at + H,
        "first_response_at": at + H,
        "resolved_at": at + 5 * H,
        "closed_at": at + 9 * H,
        "failed_at": at,
        "restored_at": at + 2 * H,
        "repaired_at": at + 3 * H,
        "pauses": [(at + H, at + 2 * H)],
        "reassignment_count": number % 2,
        "reopen_count": 0,
        "first_contact_resolved": True,
        "first_line_resolvable": True,
        "problem_id": "PRB1" if number % 2 else None,
        "ci": "db",
        "outcome": "successful",
        "change_type": "normal",
        "committed_at": at - H,
        "deployed_at": at,
        "deployment_failed": number % 3 == 0,
        "recovered_at": at + H,
        "priority": number % 3,
        "response": "met",
    }


def records() -> list[dict[str, Any]]:
    """Four valid records."""
    return [record(n) for n in range(4)]


@st.composite
def spoiled_records(draw: st.DrawFn) -> list[Any]:
    """Valid records with a few fields made hostile, as objects, dicts or Timestamps."""
    rows: list[Any] = []
    for number in range(draw(st.integers(1, 4))):
        row = record(number)
        if draw(st.booleans()):
            row = {k: pd.Timestamp(v) if isinstance(v, datetime) else v for k, v in row.items()}
        for field in draw(st.lists(st.sampled_from(sorted(row)), max_size=3)):
            row[field] = draw(hostile())
        rows.append(row)
    return rows


def _grouped(cls: type[Measure[Any, Any]]) -> Factory:
    return lambda: cls(by=("priority", ByPeriod("opened_at", Period.WEEK)))


#: Measures whose constructor needs arguments: their samples are written out below.
_CONFIGURED = {Backlog, TimeBetween, SlaCompliance}


def _measures() -> dict[type, list[Factory]]:
    """Each measure at its defaults, grouped, and (durations) on a business calendar.

    Every measure class ``itilkit.metrics`` exports gets samples without being listed
    here, so a new measure is walked as soon as it is exported.
    """
    exported = (getattr(metrics, name) for name in metrics.__all__)
    plain = [
        value
        for value in exported
        if isinstance(value, type)
        and issubclass(value, Measure)
        and value is not Measure
        and value not in _CONFIGURED
    ]
    found: dict[type, list[Factory]] = {cls: [cls, _grouped(cls)] for cls in plain}
    found[TimeToResolve].append(lambda: TimeToResolve(clock=CALENDAR, exclude_paused=True))
    found[FirstContactResolution].append(lambda: FirstContactResolution(net=True))
    found[ReopenRate].append(lambda: ReopenRate(by_events=True))
    found[Backlog] = [lambda: Backlog(at=T0 + 3 * H), lambda: Backlog(at=T0, by="priority")]
    found[TimeBetween] = [lambda: TimeBetween(from_field="opened_at", to_field="closed_at")]
    found[SlaCompliance] = [lambda: SlaCompliance(targets={"response": "response"})]
    found[Measure] = [TimeToResolve]
    return found


def _partial() -> Partial[Any, Any]:
    return TimeToResolve(by="priority").partial(records())


SAMPLES = Samples(
    instances={
        **_measures(),
        Partial: [_partial, lambda: TimeToResolve(by="priority").partial(records()[:1])],
        Result: [lambda: TimeToResolve(by="priority")(records())],
        DurationStats: [lambda: TimeToResolve()(records()).overall],
        CountStats: [lambda: CountStats.of([1, 2, 3], [0.5])],
        RateStats: [lambda: RateStats(1, 2)],
        BacklogStats: [lambda: Backlog(at=T0 + 3 * H)(records()).overall],
        DeploymentFrequencyStats: [lambda: DeploymentFrequency()(records()).overall],
        ProblemLinkStats: [lambda: IncidentsPerProblem()(records()).overall],
        SlaStats: [lambda: SlaCompliance(targets={"response": "response"})(records()).overall],
        SlaTargetStats: [lambda: SlaTargetStats(1, 1, 0, 0)],
        Tally: [lambda: Tally(2, ("R1", "#3"))],
        FieldMap: [lambda: FieldMap({"opened_at": "opened_at", "category": None})],
        ByPeriod: [lambda: ByPeriod("opened_at", Period.MONTH)],
        WallClock: [WallClock],
        DurationClock: [WallClock, lambda: CALENDAR],
    },
    bases=frozenset({"Measure"}),
    arguments={
        "records": records,
        "Backlog.at": lambda: T0,
        "TimeBetween.from_field": lambda: "opened_at",
        "TimeBetween.to_field": lambda: "closed_at",
        "SlaCompliance.targets": lambda: {"response": "response"},
        "ByPeriod.field": lambda: "opened_at",
        "frame": lambda: pd.DataFrame({"opened_at": [T0], "resolved_at": [pd.NaT]}),
        "logical": lambda: "opened_at",
        "values": lambda: [H, 2 * H],
        "CountStats.of.values": lambda: [1, 2],
        "percentiles": lambda: [0.5, 0.9],
        "DurationStats.percentiles": dict,
        "CountStats.percentiles": dict,
        "SlaStats.records": lambda: RateStats(1, 2),
        "Result.overall": lambda: RateStats(1, 2),
        "other": _partial,
        "Partial.measure": lambda: TimeToResolve(by="priority"),
        "Partial.groups": lambda: _partial().groups,
        "Partial.quality": lambda: _partial().quality,
        "Period.start.day": lambda: T0.date(),
        "Period.following.start": lambda: T0.date(),
        "start": lambda: T0,
        "end": lambda: T0 + H,
    },
    hostile={
        "records": spoiled_records(),
        "names": st.dictionaries(st.sampled_from(sorted(LOGICAL_FIELDS)), hostile(), max_size=3),
    },
)
