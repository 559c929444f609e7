"""Entities drive SLA clocks: their audit history becomes the SLA engine's history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from itilkit.errors import InvalidInputError
from itilkit.practices import (
    INCIDENT,
    Assignment,
    HoldReason,
    Incident,
    Priority,
    incident_sla_policy,
    sla_history,
)
from itilkit.sla import (
    BusinessCalendar,
    FieldIs,
    FieldUpdate,
    Holidays,
    InCategory,
    SlaPolicy,
    SlaTarget,
    StateChange,
    WeeklySchedule,
    sla_status,
)

LONDON = ZoneInfo("Europe/London")
HOURS = BusinessCalendar(
    "Europe/London",
    WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}),
    Holidays(dates=[date(2026, 4, 3), date(2026, 4, 6)]),
)
H = timedelta(hours=1)
#: The practice's SLA, keyed by the 3x3 matrix's priority labels.
PRACTICE = INCIDENT.derive(
    name="london-incident",
    sla=incident_sla_policy(
        HOURS,
        response={
            "critical": H / 4,
            "high": H,
            "moderate": 4 * H,
            "low": 8 * H,
            "planning": 16 * H,
        },
        resolution={
            "critical": 4 * H,
            "high": 8 * H,
            "moderate": 24 * H,
            "low": 40 * H,
            "planning": 80 * H,
        },
    ),
)


def at(day: int, hour: float) -> datetime:
    """An instant in March 2026, London time (2 March is a Monday)."""
    return datetime(2026, 3, day, tzinfo=LONDON) + timedelta(hours=hour)


def logged(impact: int = 2, urgency: int = 2, day: int = 6, hour: float = 15) -> Incident:
    """An incident logged on Friday 6 March by default."""
    return Incident.log(PRACTICE, id="INC-1", title="VPN down", caller="ann", impact=impact,
                        urgency=urgency, at=at(day, hour), actor="desk")  # fmt: skip


def test_history_reports_opening_fields_and_state_changes() -> None:
    """Opening state and fields first, then each record's changes; self-loops add no state."""
    incident = logged().assign(Assignment("network", "cy"), at=at(6, 15.5), actor="desk")
    incident = incident.start_work(at=at(6, 16), actor="cy")
    events = sla_history(incident)
    assert events == (
        StateChange(at(6, 15), "new", "new"),
        FieldUpdate(at(6, 15), "priority", Priority(3)),
        FieldUpdate(at(6, 15), "assignment_group", None),
        FieldUpdate(at(6, 15), "assignee", None),
        FieldUpdate(at(6, 15.5), "assignment_group", "network"),
        FieldUpdate(at(6, 15.5), "assignee", "cy"),
        StateChange(at(6, 16), "in_progress", "active"),
    )


def test_opening_values_are_recovered_after_later_changes() -> None:
    """A priority changed later is reported as it was at opening, then as changed."""
    incident = logged(impact=3, urgency=3).reprioritise(at=at(6, 16), actor="desk", impact=1,
                                                        urgency=1)  # fmt: skip
    priority = [e for e in sla_history(incident, ["priority"]) if isinstance(e, FieldUpdate)]
    assert priority == [
        FieldUpdate(at(6, 15), "priority", Priority(5)),
        FieldUpdate(at(6, 16), "priority", Priority(1)),
    ]


def test_hold_over_a_weekend_costs_no_business_time() -> None:
    """Held Friday 16:00 to Monday 10:00: only an hour of business time is paused."""
    incident = (
        logged()
        .assign(Assignment("network", "cy"), at=at(6, 15), actor="desk")
        .start_work(at=at(6, 15.5), actor="cy")
        .hold(HoldReason.AWAITING_VENDOR, at=at(6, 16), actor="cy")
        .resume(at=at(9, 10), actor="cy")
        .resolve("fixed", "replaced router", at=at(9, 12), actor="cy")
    )
    status = incident.sla_status(now=at(9, 13))
    assert status == sla_status(PRACTICE.sla, sla_history(incident), now=at(9, 13))  # type: ignore[arg-type]
    resolution = status.target("resolution").current
    assert resolution is not None
    # Friday 15:00-16:00 and Monday 10:00-12:00 run; on hold in between.
    assert resolution.business_elapsed == 3 * H
    assert not resolution.breached
    response = status.target("response").current
    assert response is not None
    assert response.business_elapsed == H / 2


def test_priority_upgrade_retargets_from_the_original_start() -> None:
    """Raised to P1 after two business hours: due two more hours later, not four."""
    incident = (
        logged(day=2, hour=9)
        .assign(Assignment("network", "cy"), at=at(2, 9), actor="desk")
        .start_work(at=at(2, 9.1), actor="cy")
        .reprioritise(at=at(2, 11), actor="desk", impact=1, urgency=1)
    )
    resolution = incident.sla_status(now=at(2, 12)).target("resolution")
    assert resolution.current is not None
    assert resolution.current.due_at == at(2, 13)


def test_an_ola_runs_only_while_one_group_holds_the_ticket() -> None:
    """An OLA scoped by assignment_group counts only the network team's time."""
    network = FieldIs("assignment_group", "network")
    ola = SlaPolicy(
        "network OLA",
        [
            SlaTarget(
                "fix",
                4 * H,
                start=network & InCategory(["new", "active", "paused"]),
                stop=InCategory(["resolved", "closed"]),
                pause=~network,
            )
        ],
        HOURS,
    )
    incident = (
        logged(day=2, hour=9)
        .assign(Assignment("desk", "ann"), at=at(2, 9), actor="desk")
        .assign(Assignment("network", "cy"), at=at(2, 10), actor="ann")
        .assign(Assignment("servers", "bo"), at=at(2, 11), actor="cy")
        .assign(Assignment("network", "cy"), at=at(2, 14), actor="bo")
        .start_work(at=at(2, 14), actor="cy")
        .resolve("fixed", "done", at=at(2, 15), actor="cy")
    )
    fix = sla_status(ola, sla_history(incident), now=at(2, 16)).target("fix").current
    assert fix is not None
    assert fix.business_elapsed == 2 * H


def test_unknown_field_is_refused() -> None:
    """Asking for a field the entity lacks is a typed error."""
    with pytest.raises(InvalidInputError, match="no field 'colour'"):
        sla_history(logged(), ["colour"])


def test_records_without_categories_are_refused() -> None:
    """A host's record without state categories cannot be placed on a clock."""
    import attrs

    incident = logged().assign(Assignment("network", "cy"), at=at(6, 15.5), actor="desk")
    incident = incident.start_work(at=at(6, 16), actor="cy")
    stripped = attrs.evolve(incident.history[-1], source_category=None, target_category=None)

    @attrs.frozen
    class HostTicket:
        state: str
        category: object
        opened_at: datetime
        history: tuple[object, ...]
        priority: int = 3

    host = HostTicket(incident.state, incident.category, incident.opened_at,
                      (*incident.history[:-1], stripped))  # fmt: skip
    with pytest.raises(InvalidInputError, match="record 1 \\('start_work'\\) has no state"):
        sla_history(host, ["priority"])  # type: ignore[arg-type]
