"""A short demo on the embedded defaults: ``python -m itilkit`` (or ``bash scripts/demo``).

A practice is derived once from the incident preset with an SLA policy on
London office hours. An incident is logged with it, prioritised by its 3x3
matrix, walked through its lifecycle (assign, start, hold, resume, resolve,
reopen, resolve, close) on a fixed clock so the output never changes, and its
audit trail is printed as a table. The incident then reports its own SLA
clocks, and KPIs (time to resolve net of pauses, SLA compliance) are measured
over a batch of incidents made with the same practice.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from itilkit.clock import FixedClock
from itilkit.lifecycle import TransitionRecord
from itilkit.metrics import FirstAssignmentResolution, ReopenRate, SlaCompliance, TimeToResolve
from itilkit.practices import INCIDENT, Assignment, Incident, incident_sla_policy, sla_outcomes
from itilkit.sla import BusinessCalendar, WeeklySchedule

#: London office hours with a lunch break: the calendar the SLA and KPIs use.
OFFICE = BusinessCalendar(
    "Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"})
)
HOUR = timedelta(hours=1)
#: The demo's practice: the incident preset with an SLA by priority label, derived once.
PRACTICE = INCIDENT.derive(
    name="demo-incident",
    sla=incident_sla_policy(
        OFFICE,
        response={
            "critical": HOUR / 4,
            "high": HOUR / 2,
            "moderate": HOUR,
            "low": 4 * HOUR,
            "planning": 8 * HOUR,
        },
        resolution={
            "critical": 4 * HOUR,
            "high": 8 * HOUR,
            "moderate": 16 * HOUR,
            "low": 40 * HOUR,
            "planning": 80 * HOUR,
        },
    ),
)

#: When the KPIs are read: after the last incident of the batch could close.
END = datetime(2026, 4, 13, 9, 0, tzinfo=UTC)

Step = tuple[str, int, Callable[[Incident, datetime], Incident]]

STEPS: list[Step] = [
    (
        "assign to email team",
        4,
        lambda i, t: i.assign(Assignment("email", "bob"), at=t, actor="desk"),
    ),
    ("start work", 6, lambda i, t: i.start_work(at=t, actor="bob")),
    ("hold for vendor", 15, lambda i, t: i.hold("awaiting_vendor", at=t, actor="bob")),
    ("resume", 45, lambda i, t: i.resume(at=t, actor="bob")),
    (
        "resolve",
        20,
        lambda i, t: i.resolve("workaround", "rerouted via backup relay", at=t, actor="bob"),
    ),
    ("reopen", 90, lambda i, t: i.reopen(at=t, actor="ann", reason="mail delayed again")),
    (
        "resolve",
        30,
        lambda i, t: i.resolve("fixed", "replaced relay certificate", at=t, actor="bob"),
    ),
    ("close", 24 * 60, lambda i, t: i.close(at=t, actor="ann")),
]


def _changes(record: TransitionRecord) -> str:
    shown = []
    for change in record.changes:
        value = getattr(change.new, "value", change.new)
        if isinstance(change.new, Assignment):
            value = "/".join(p for p in (change.new.group, change.new.assignee) if p)
        if change.field in {"assignment", "hold_reason", "reopen_count"}:
            shown.append(f"{change.field}={value}")
        elif change.field == "resolution" and change.new is not None:
            shown.append(f"resolution={change.new.code.value}")  # type: ignore[attr-defined]
    return ", ".join(shown)


def trail(incident: Incident) -> list[str]:
    """The audit trail as table lines."""
    header = (
        f"{'#':>2}  {'at (UTC)':<16}  {'transition':<11} {'from':<12} {'to':<12} "
        f"{'actor':<5}  detail"
    )
    lines = [header, "-" * len(header)]
    for n, r in enumerate(incident.history, start=1):
        changed = _changes(r)
        reason = f'"{r.reason}"' if r.reason and r.reason not in changed else ""
        detail = "; ".join(part for part in (changed, reason) if part)
        line = (
            f"{n:>2}  {r.at:%Y-%m-%d %H:%M}  {r.transition:<11} {r.source:<12} {r.target:<12} "
            f"{r.actor:<5}  {detail}"
        )
        lines.append(line.rstrip())
    return lines


def sla_lines(incident: Incident, now: datetime) -> list[str]:
    """Each SLA target's current cycle, as the incident reports it."""
    status = incident.sla_status(now)
    lines = []
    for name in ("response", "resolution"):
        cycle = status.target(name).current
        if cycle is None:
            continue
        verdict = f"BREACHED at {cycle.breached_at:%a %H:%M}" if cycle.breached else "met"
        lines.append(
            f"  {name:<10} target {cycle.target}  due {cycle.due_at:%a %H:%M} UTC "
            f"(unpaused {cycle.original_due_at:%a %H:%M})  business elapsed "
            f"{cycle.business_elapsed}  paused {cycle.business_paused}  {cycle.phase}, {verdict}"
        )
    return lines


def batch(count: int = 400, seed: int = 7) -> list[Incident]:
    """Incidents with random priorities, holds, reassignments and reopens (seeded)."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    incidents = []
    for n in range(count):
        at = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 28))
        incident = Incident.log(PRACTICE, id=f"INC-{2000 + n}", title="batch", caller="ann",
                                impact=rng.randint(1, 3), urgency=rng.randint(1, 3),
                                at=at, actor="desk")  # fmt: skip
        incident = incident.assign(Assignment("desk", "ann"), at=at, actor="desk")
        if rng.random() < 0.3:
            at += timedelta(minutes=rng.randrange(5, 120))
            incident = incident.assign(Assignment("network", "cy"), at=at, actor="ann")
        at += timedelta(minutes=rng.randrange(1, 60))
        incident = incident.start_work(at=at, actor="cy")
        if rng.random() < 0.25:
            at += timedelta(minutes=rng.randrange(10, 240))
            incident = incident.hold("awaiting_caller", at=at, actor="cy", note="need logs")
            at += timedelta(minutes=rng.randrange(60, 3 * 24 * 60))
            incident = incident.resume(at=at, actor="cy")
        at += timedelta(minutes=rng.randrange(10, 2 * 24 * 60))
        incident = incident.resolve("fixed", "done", at=at, actor="cy")
        if rng.random() < 0.08:
            at += timedelta(minutes=rng.randrange(10, 600))
            incident = incident.reopen(at=at, actor="ann", reason="again")
            at += timedelta(minutes=rng.randrange(10, 600))
            incident = incident.resolve("fixed", "done again", at=at, actor="cy")
        incidents.append(incident)
    return incidents


def _hours(value: timedelta | None) -> str:
    return "-" if value is None else f"{value / HOUR:.1f} h"


def kpi_lines(incidents: list[Incident], now: datetime) -> list[str]:
    """Time to resolve by priority (wall, and business net of pauses), rates, SLA compliance."""
    wall = TimeToResolve(by=("priority",))(incidents)
    business = TimeToResolve(by=("priority",), clock=OFFICE, exclude_paused=True)(incidents)
    lines = [f"  {'priority':<9} {'count':>5}  {'median wall':>12}  {'median business, net':>20}"]
    for key in sorted(wall.groups, key=lambda k: k[0].level):
        w, b = wall.groups[key], business.groups[key]
        lines.append(
            f"  {key[0].level:<9} {w.count:>5}  {_hours(w.median):>12}  {_hours(b.median):>20}"
        )
    reopen = ReopenRate()(incidents).overall
    first = FirstAssignmentResolution()(incidents).overall
    lines.append(
        f"  reopen rate {reopen.rate:.1%} ({reopen.hits}/{reopen.population}); "
        f"first-assignment resolution {first.rate:.1%} ({first.hits}/{first.population})"
    )
    sla = SlaCompliance(targets=["response", "resolution"])(sla_outcomes(incidents, now)).overall
    for name, target in sla.targets.items():
        rate = target.compliance
        lines.append(
            f"  SLA {name:<10} met {rate.rate:.1%} ({rate.hits}/{rate.population}), "
            f"{target.in_progress} in progress"
        )
    return lines


def main() -> None:
    """Run the demo and print each step and the audit trail."""
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    incident = Incident.log(
        PRACTICE,
        id="INC-1001",
        title="Outgoing mail delayed",
        caller="ann",
        impact="medium",
        urgency="high",
        at=clock.now(),
        actor="desk",
    )
    matrix = incident.matrix
    print(f"itilkit demo: practice {PRACTICE.ref} (lifecycle {PRACTICE.definition.name!r})")
    print(
        f"logged {incident.id} '{incident.title}' at {clock.now():%Y-%m-%d %H:%M} UTC: "
        f"impact {matrix.label(incident.impact)} x urgency {matrix.label(incident.urgency)} "
        f"-> priority {incident.priority.level} ({matrix.label(incident.priority)}, "
        f"matrix {matrix.name})"
    )
    for label, minutes, command in STEPS:
        clock = clock.advance(timedelta(minutes=minutes))
        incident = command(incident, clock.now())
        print(f"  {label:<22} -> {incident.state}")
    print(
        f"final state: {incident.state} ({incident.category}); "
        f"reopened {incident.reopen_count} time(s); "
        f"{len(incident.resolutions)} resolutions kept; "
        f"first resolved after {incident.first_resolved_at - incident.opened_at}"  # type: ignore[operator]
    )
    print()
    print("audit trail:")
    print("\n".join(trail(incident)))
    print()
    assert PRACTICE.sla is not None
    print(f"SLA policy {PRACTICE.sla.name!r} on London office hours, as the incident reports it:")
    print("\n".join(sla_lines(incident, clock.now())))
    print()
    incidents = batch()
    print(f"KPIs over {len(incidents)} incidents (time to resolve by priority):")
    print("\n".join(kpi_lines(incidents, END)))


if __name__ == "__main__":
    main()
