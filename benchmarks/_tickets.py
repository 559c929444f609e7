"""The incident the codec and storage benchmarks serialise: 8 transitions, 8 records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from itilkit.practices import INCIDENT, Assignment, Incident, Practice

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def worked_incident(practice: Practice = INCIDENT, number: int = 0) -> Incident:
    """An incident logged with ``practice`` and worked through six commands (six records):
    assign, start work, hold, resume, reassign, reprioritise; id from ``number``."""
    at = T0 + timedelta(minutes=number)
    inc = Incident.log(
        practice,
        id=f"INC-{number}",
        title="VPN down for the Leeds office",
        caller="ann",
        impact=2,
        urgency=2,
        at=at,
        actor="desk",
        description="Users in Leeds cannot connect since 08:40.",
    )
    inc = inc.assign(Assignment("network", "cy"), at=at, actor="desk")
    inc = inc.start_work(at=at + timedelta(minutes=10), actor="cy")
    inc = inc.hold("awaiting_vendor", at=at + timedelta(hours=1), actor="cy")
    inc = inc.resume(at=at + timedelta(hours=3), actor="cy")
    inc = inc.assign(Assignment("network", "dee"), at=at + timedelta(hours=4), actor="cy")
    return inc.reprioritise(urgency=1, at=at + timedelta(hours=4), actor="dee", reason="spread")


def sample_incident(number: int = 0) -> Incident:
    """A real incident through 8 transitions (so 8 TransitionRecords), id from ``number``:
    :func:`worked_incident`, then resolved and closed."""
    inc = worked_incident(INCIDENT, number)
    at = inc.opened_at
    inc = inc.resolve(
        "fixed", "replaced the tunnel certificate", at=at + timedelta(hours=5), actor="dee"
    )
    inc = inc.close(at=at + timedelta(days=2), actor="desk")
    assert len(inc.history) == 8
    return inc
