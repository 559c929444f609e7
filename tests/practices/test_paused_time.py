"""The SLA engine's paused time and the metrics' ``exclude_paused=True`` agree.

On random incident histories (holds, resolutions, reopens from resolved and
from closed, at random times across nights and weekends), the resolution
clock's business time equals ``TimeToResolve(clock=calendar,
exclude_paused=True)``, and its running wall time equals the wall-clock
measure net of pauses. Both read one definition of paused time
(:func:`itilkit.practices.paused_spells`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import ItilkitError
from itilkit.metrics import TimeToResolve, WallClock
from itilkit.practices import INCIDENT, Incident, ReopenPolicy, incident_sla_policy
from itilkit.sla import BusinessCalendar, WeeklySchedule

from .helpers import TEAM, at, new_incident

OFFICE = BusinessCalendar(
    "Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-12:30, 13:30-17:00"})
)
H = timedelta(hours=1)
LEVELS = ("critical", "high", "moderate", "low", "planning")
PRACTICE = INCIDENT.derive(
    name="paused-time",
    reopen=ReopenPolicy.allow(),
    sla=incident_sla_policy(
        OFFICE, response=dict.fromkeys(LEVELS, 4 * H), resolution=dict.fromkeys(LEVELS, 40 * H)
    ),
)
COMMANDS: dict[str, Callable[[Incident, object], Incident]] = {
    "start": lambda i, t: i.start_work(at=t, actor="bob"),  # type: ignore[arg-type]
    "hold": lambda i, t: i.hold("awaiting_vendor", at=t, actor="bob"),  # type: ignore[arg-type]
    "resume": lambda i, t: i.resume(at=t, actor="bob"),  # type: ignore[arg-type]
    "resolve": lambda i, t: i.resolve("fixed", "done", at=t, actor="bob"),  # type: ignore[arg-type]
    "reopen": lambda i, t: i.reopen(at=t, actor="ann"),  # type: ignore[arg-type]
    "close": lambda i, t: i.close(at=t, actor="ann"),  # type: ignore[arg-type]
}
STEPS = st.lists(
    st.tuples(st.sampled_from(sorted(COMMANDS)), st.integers(0, 4 * 24 * 60)), max_size=14
)


def walk(steps: list[tuple[str, int]]) -> Incident:
    """An assigned incident put through ``steps``; refused steps are skipped."""
    incident = new_incident(PRACTICE).assign(TEAM, at=at(0), actor="desk")
    minutes = 0
    for name, gap in steps:
        minutes += gap
        try:
            incident = COMMANDS[name](incident, at(minutes))
        except ItilkitError:
            continue
    return (
        incident.resolve("fixed", "finally", at=at(minutes + 30), actor="bob")
        if (incident.resolution is None and incident.category.is_open)
        else incident
    )


@given(STEPS)
def test_sla_business_time_equals_time_to_resolve_net_of_pauses(
    steps: list[tuple[str, int]],
) -> None:
    """Business time: the SLA resolution clock and the metric agree to the microsecond."""
    incident = walk(steps)
    if incident.resolved_at is None:
        return
    clock = incident.sla_status(now=incident.last_event_at + H).target("resolution").current
    # resolved the instant it was logged, the clock never started: nothing elapsed for both
    business = timedelta(0) if clock is None else clock.business_elapsed
    wall_time = timedelta(0) if clock is None else clock.actual_elapsed
    net = TimeToResolve(clock=OFFICE, exclude_paused=True)([incident]).overall
    assert net.count == 1
    assert net.mean == business
    wall = TimeToResolve(clock=WallClock(), exclude_paused=True)([incident]).overall
    assert wall.mean == wall_time


def test_a_reopened_incident_agrees_where_the_old_definition_did_not() -> None:
    """The issue's case: a resolved spell before a reopen is paused time for both."""
    incident = walk([("start", 60), ("resolve", 60), ("reopen", 120), ("resolve", 120)])
    clock = incident.sla_status(now=at(600)).target("resolution").current
    assert clock is not None
    # logged 09:00, resolved 11:00, reopened 13:00 (lunch until 13:30), resolved 15:00
    assert clock.business_elapsed == 2 * H + 1.5 * H
    net = TimeToResolve(clock=OFFICE, exclude_paused=True)([incident]).overall.mean
    assert net == clock.business_elapsed
    assert incident.pauses == ((at(120), at(240)),)
