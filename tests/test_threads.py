"""Values are safe to share: 8 threads on one world of shared objects agree with one thread.

The world is what a web server shares between its request threads: holidays
with a rule (Easter), two business calendars sharing them, an SLA policy on
one of them keyed by priority, an incident practice and a change practice
made with it, a priority and a risk matrix, and measures with a business
clock. Each thread runs its own tickets, opened across two centuries (so
every calendar meets many years for the first time while other threads use
it), through the commands of entities made from the shared practices, asks
their SLA status and outcomes, and measures them; every answer must equal the
one a single thread gets from a fresh world of equal objects.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from itilkit.metrics import ByPeriod, Period, TimeToResolve
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    PRIORITY_5X5,
    RISK_5X5,
    Assignment,
    Change,
    Incident,
    PlannedWindow,
    Practice,
    ReopenPolicy,
    incident_sla_policy,
    sla_outcomes,
)
from itilkit.sla import BusinessCalendar, Holidays, SlaPolicy, WeeklySchedule, sla_status
from tests.threads import in_threads

THREADS = 8
H = timedelta(hours=1)


class World(NamedTuple):
    """Everything the threads share."""

    holidays: Holidays
    calendars: tuple[BusinessCalendar, BusinessCalendar]
    policy: SlaPolicy
    incidents: Practice
    changes: Practice
    measure: TimeToResolve
    by_quarter: TimeToResolve


def world() -> World:
    """A fresh world: nothing of it computed yet."""
    holidays = Holidays(
        dates=[date(2000, 1, 3)],
        yearly=[(1, 1), (12, 25)],
        rules=["FREQ=YEARLY;BYEASTER=-2", "FREQ=YEARLY;BYEASTER=1"],
    )
    london = BusinessCalendar(
        "Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-12:30, 13:30-17:00"}), holidays
    )
    sydney = BusinessCalendar(
        "Australia/Sydney", WeeklySchedule.from_days({"mon-sat": "22:00-06:00+1"}), holidays
    )
    # priority 5 is the highest on the 5x5 matrix: the shortest targets
    response = {5: 2 * H, 4: 4 * H, 3: 8 * H, 2: 16 * H, 1: 24 * H}
    policy = incident_sla_policy(
        london, response=response, resolution={p: 5 * d for p, d in response.items()}
    )
    incidents = INCIDENT.derive(
        name="shared", matrix=PRIORITY_5X5, sla=policy, reopen=ReopenPolicy.allow()
    )
    changes = CHANGE.derive(name="shared-change")
    assert incidents.sla is not None  # the policy keyed by the matrix's Priority values
    return World(
        holidays,
        (london, sydney),
        incidents.sla,
        incidents,
        changes,
        TimeToResolve(clock=sydney, by="priority", fields={"category": None}),
        TimeToResolve(by=ByPeriod("opened_at", Period.QUARTER), fields={"category": None}),
    )


def _opened(rng: random.Random) -> datetime:
    """An instant between 1905 and 2195, on the hour."""
    return datetime(1905, 1, 1, tzinfo=UTC) + H * rng.randrange(290 * 365 * 24)


def _incident(shared: World, number: int, rng: random.Random) -> Incident:
    """An incident run through the commands of the shared practice."""
    at = _opened(rng)
    steps: list[Callable[[Incident, datetime], Incident]] = [
        lambda i, t: i.assign(Assignment("desk", "bob"), at=t, actor="ann"),
        lambda i, t: i.start_work(at=t, actor="bob"),
        lambda i, t: i.hold("awaiting_vendor", at=t, actor="bob"),
        lambda i, t: i.resume(at=t, actor="bob"),
        lambda i, t: i.reprioritise(at=t, actor="bob", urgency=rng.randrange(1, 6)),
        lambda i, t: i.resolve("fixed", "restarted", at=t, actor="bob"),
        lambda i, t: i.reopen(at=t, actor="ann"),
        lambda i, t: i.resolve("workaround", "bypassed", at=t, actor="bob"),
        lambda i, t: i.close(at=t, actor="ann"),
    ]
    incident = Incident.log(
        shared.incidents, id=f"INC-{number}", title="Mail down", caller="ann",
        impact=rng.randrange(1, 6), urgency=rng.randrange(1, 6), at=at, actor="desk",
    )  # fmt: skip
    for step in steps[: rng.randrange(2, len(steps) + 1)]:
        at += H * rng.randrange(1, 60)
        incident = step(incident, at)
    return incident


def _change(shared: World, number: int, rng: random.Random) -> Change:
    """A standard change scheduled, implemented and reviewed in its window."""
    at = _opened(rng)
    window = PlannedWindow(at + 2 * H, at + 6 * H)
    change = Change.submit(
        shared.changes, id=f"CHG-{number}", title="Patch", change_type="standard",
        requested_by="req", at=at, actor="req", backout_plan="restore", planned_window=window,
        risk=RISK_5X5.assess(rng.randrange(1, 6), rng.randrange(1, 6)),
    )  # fmt: skip
    change = change.schedule(at=at + H, actor="req").implement(at=at + 3 * H, actor="ops")
    return change.review(at=at + 4 * H, actor="ops", outcome="successful")


def answers(shared: World, seed: int) -> list[Any]:
    """Everything one thread asks of the shared world, for its own tickets."""
    rng = random.Random(seed)
    incidents = [_incident(shared, seed * 100 + n, rng) for n in range(12)]
    changes = [_change(shared, seed * 100 + n, rng) for n in range(4)]
    found: list[Any] = [*incidents, *changes]
    for incident in incidents:
        now = incident.last_event_at + 3 * H
        found.append(incident.sla_status(now))
        found.append(sla_status(shared.policy, incident.sla_history(), now + 500 * H))
    found.append(sla_outcomes(incidents, max(i.last_event_at for i in incidents) + H))
    found.append(RISK_5X5.riskiest([c.risk for c in changes if c.risk is not None]))
    for calendar in shared.calendars:
        for incident in incidents:
            start = incident.opened_at
            found.append(calendar.add(start, 30 * H))
            found.append(calendar.elapsed(start, start + timedelta(days=400)))
            found.append(calendar.add_business_days(start, 9))
    first, last = incidents[0].opened_at.date(), incidents[-1].opened_at.date()
    found.append(shared.holidays.between(min(first, last), max(first, last)))
    records = [
        {"id": i.id, "opened_at": i.opened_at, "resolved_at": i.resolved_at, "priority": i.priority}
        for i in incidents
    ]
    found.append(shared.measure(records))
    found.append(shared.by_quarter(records))
    return found


def test_eight_threads_on_a_shared_world_agree_with_one_thread() -> None:
    """Each thread's answers (entities, SLA statuses, dates, measures) equal one thread's."""
    expected = [answers(world(), seed) for seed in range(THREADS)]
    gc.collect()  # drop the tables the fresh worlds built, so the threads build them anew
    shared = world()
    results = in_threads(lambda seed: answers(shared, seed), THREADS)
    for seed in range(THREADS):
        assert results[seed] == expected[seed], seed
    states = {i.state for seed in range(THREADS) for i in expected[seed][:12]}
    assert {"in_progress", "closed"} <= states  # the scripts reach far into the lifecycle
