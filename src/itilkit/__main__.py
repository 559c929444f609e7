"""A short demo on the embedded defaults: ``python -m itilkit`` (or ``bash scripts/demo``).

An incident is logged, prioritised by the default 3x3 matrix, walked through
its default lifecycle (assign, start, hold, resume, resolve, reopen, resolve,
close) on a fixed clock so the output never changes, and its audit trail is
printed as a table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from itilkit.clock import FixedClock
from itilkit.lifecycle import TransitionRecord
from itilkit.practices import INCIDENT_LIFECYCLE, PRIORITY_3X3, Assignment, Incident

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


def main() -> None:
    """Run the demo and print each step and the audit trail."""
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    incident = Incident.log(
        id="INC-1001",
        title="Outgoing mail delayed",
        caller="ann",
        impact="medium",
        urgency="high",
        at=clock.now(),
        actor="desk",
    )
    matrix = PRIORITY_3X3
    print(f"itilkit demo: lifecycle {INCIDENT_LIFECYCLE.definition.name!r}")
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
    category = INCIDENT_LIFECYCLE.definition.category(incident.state)
    print(
        f"final state: {incident.state} ({category}); reopened {incident.reopen_count} time(s); "
        f"{len(incident.resolutions)} resolutions kept; "
        f"first resolved after {incident.first_resolved_at - incident.opened_at}"  # type: ignore[operator]
    )
    print()
    print("audit trail:")
    print("\n".join(trail(incident)))


if __name__ == "__main__":
    main()
