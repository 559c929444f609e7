"""itilkit entities feed the metrics directly: no mapping, no export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from itilkit.categories import StateCategory
from itilkit.metrics import (
    Backlog,
    ChangeSuccessRate,
    EmergencyChangeRatio,
    FirstAssignmentResolution,
    ReopenRate,
    TimeToAcknowledge,
    TimeToResolve,
)
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    Assignment,
    Change,
    HoldReason,
    Incident,
    PlannedWindow,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


def _incident(number: int, *, hold: bool = False, reopen: bool = False) -> Incident:
    incident = Incident.log(
        INCIDENT, id=f"INC-{number}", title="Mail down", caller="ann", impact=2, urgency=2,
        at=T0, actor="desk",
    )  # fmt: skip
    incident = incident.assign(Assignment("email", "bob"), at=T0, actor="desk")
    incident = incident.start_work(at=T0 + H, actor="bob")
    if hold:
        incident = incident.hold(HoldReason.AWAITING_CALLER, at=T0 + 2 * H, actor="bob",
                                 note="asked the caller for logs")  # fmt: skip
        incident = incident.resume(at=T0 + 5 * H, actor="bob")
    incident = incident.resolve("fixed", "restarted", at=T0 + 6 * H, actor="bob")
    if reopen:
        incident = incident.reopen(at=T0 + 7 * H, actor="ann", reason="again")
        incident = incident.resolve("fixed", "patched", at=T0 + 8 * H, actor="bob")
    return incident


def test_entity_category_and_pauses_follow_the_history() -> None:
    """An entity keeps its state's category and its finished pauses."""
    incident = _incident(1, hold=True)
    assert incident.category is StateCategory.RESOLVED
    assert incident.pauses == ((T0 + 2 * H, T0 + 5 * H),)
    assert incident.history[-1].source_category is StateCategory.ACTIVE
    assert _incident(2).pauses == ()


def test_time_to_resolve_over_entities_with_and_without_pauses() -> None:
    """MTTR reads Incident entities as they are; pause exclusion uses their hold spells."""
    incidents = [_incident(1, hold=True), _incident(2), _incident(3, reopen=True)]
    wall = TimeToResolve()(incidents).overall
    assert wall.count == 3
    assert wall.mean == (6 * H + 6 * H + 8 * H) / 3
    net = TimeToResolve(exclude_paused=True)(incidents).overall
    # the reopened one was resolved from 6h to 7h before its reopen: paused, as for its SLA clock
    assert net.mean == (3 * H + 6 * H + 7 * H) / 3


def test_rates_over_entities() -> None:
    """Reopen rate and first-assignment resolution count what the commands recorded."""
    incidents = [_incident(1), _incident(2, reopen=True), _incident(3), _incident(4)]
    assert ReopenRate()(incidents).overall.rate == 0.25
    assert FirstAssignmentResolution()(incidents).overall.rate == 1.0


def test_change_success_rate_over_change_entities() -> None:
    """Change entities feed the change measures; open changes are not counted."""
    window = PlannedWindow(T0 + 24 * H, T0 + 28 * H)

    def change(number: int, outcome: str | None) -> Change:
        c = Change.submit(CHANGE, id=f"CHG-{number}", title="Patch", change_type="standard",
                          requested_by="rita", at=T0)  # fmt: skip
        c = c.revise(at=T0, actor="rita", backout_plan="revert", planned_window=window)
        c = c.schedule(at=T0 + H, actor="rita")
        if outcome is None:
            return c
        c = c.implement(at=window.start, actor="ops")
        c = c.review(at=window.start + H, actor="ops", outcome=outcome)
        return c.close(at=window.end, actor="rita")

    changes = [change(1, "successful"), change(2, "unsuccessful"), change(3, "successful"),
               change(4, None)]  # fmt: skip
    result = ChangeSuccessRate()(changes).overall
    assert result.rate == 2 / 3


def test_acknowledge_backlog_and_emergency_ratio_over_entities() -> None:
    """MTTA and backlog read incidents as they are; a canceled Change leaves the ratio."""
    incidents = [_incident(1), _incident(2, hold=True)]
    assert TimeToAcknowledge()(incidents).overall.mean == H
    backlog = Backlog(at=T0 + 3 * H)(incidents).overall
    assert (backlog.open, backlog.age.median) == (2, 3 * H)
    assert (
        Backlog(at=T0 + 7 * H)(incidents).exclusions["resolved or closed by the instant"].count == 2
    )
    emergency = Change.submit(CHANGE, id="CHG-9", title="Hotfix", change_type="emergency",
                              requested_by="rita", at=T0)  # fmt: skip
    withdrawn = emergency.cancel("unnecessary", at=T0 + H, actor="rita")
    normal = Change.submit(CHANGE, id="CHG-8", title="Patch", change_type="normal",
                           requested_by="rita", at=T0)  # fmt: skip
    result = EmergencyChangeRatio()([withdrawn, normal, emergency])
    assert (result.overall.hits, result.overall.population) == (1, 2)
    assert result.exclusions["canceled"].samples == ("CHG-9",)


def test_first_response_and_first_contact_resolution_over_entities() -> None:
    """Incidents carry the milestones FCR and time to first response read, without a FieldMap."""
    from itilkit.metrics import FirstContactResolution, TimeToFirstResponse

    on_the_call = Incident.log(INCIDENT, id="INC-A", title="Password", caller="ann", impact=3,
                               urgency=3, at=T0, actor="desk")  # fmt: skip
    on_the_call = on_the_call.assign(Assignment("desk", "desk"), at=T0, actor="desk")
    on_the_call = on_the_call.add_note("reset done, please try", at=T0 + H / 6, actor="desk",
                                       public=True)  # fmt: skip
    on_the_call = on_the_call.resolve("fixed", "password reset", at=T0 + H / 4, actor="desk")
    escalated = _incident(2)  # assigned to bob, who starts work after an hour and resolves
    assert on_the_call.first_response_at == T0 + H / 6
    assert escalated.first_response_at == T0 + H
    assert on_the_call.first_contact_resolved
    assert not escalated.first_contact_resolved
    assert FirstContactResolution()([on_the_call, escalated]).overall.rate == 0.5
    assert TimeToFirstResponse()([on_the_call, escalated]).overall.mean == (H / 6 + H) / 2


def test_the_vendor_path_end_to_end() -> None:
    """Derive once, log and work, read the SLA from the entities, then the KPIs in one line."""
    from itilkit.metrics import SlaCompliance
    from itilkit.outcomes import SlaOutcome
    from itilkit.practices import PRIORITY_5X5, Priority, incident_sla_policy, sla_outcomes
    from itilkit.sla import BusinessCalendar, FieldUpdate, WeeklySchedule

    office = BusinessCalendar("UTC", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))
    targets = {"very high": H, "high": 2 * H, "medium": 4 * H, "low": 8 * H, "very low": 16 * H}
    acme = INCIDENT.derive(
        name="acme-incident",
        matrix=PRIORITY_5X5,
        sla=incident_sla_policy(office, response=targets, resolution=targets),
    )

    def worked(number: int, impact: int, hours: float) -> Incident:
        incident = Incident.log(acme, id=f"A-{number}", title="Down", caller="ann",
                                impact=impact, urgency=impact, at=T0, actor="desk")  # fmt: skip
        incident = incident.assign(Assignment("ops", "bob"), at=T0, actor="desk")
        incident = incident.start_work(at=T0 + H / 4, actor="bob")
        return incident.resolve("fixed", "ok", at=T0 + hours * H, actor="bob")

    incidents = [worked(1, 5, 0.5), worked(2, 5, 3), worked(3, 1, 3)]
    records = sla_outcomes(incidents, now=T0 + 8 * H)
    assert [r["resolution"] for r in records] == [
        SlaOutcome.MET,  # very high: 1h target, done in 30 min
        SlaOutcome.BREACHED,  # very high: 3h
        SlaOutcome.MET,  # very low: 16h target
    ]
    compliance = SlaCompliance(targets=["response", "resolution"])(records).overall
    assert compliance.targets["resolution"].compliance.rate == 2 / 3
    by_priority = TimeToResolve(by=("priority",), clock=acme.calendar)(incidents)  # type: ignore[arg-type]
    reported = {
        next(
            e.value for e in i.sla_history() if isinstance(e, FieldUpdate) and e.field == "priority"
        )
        for i in incidents
    }
    assert {key[0] for key in by_priority.groups} == reported == {Priority(5), Priority(1)}


def test_emergency_ratio_by_closing_month_counts_closed_changes() -> None:
    """Change entities carry closed_at, so the ratio by closing month sees them."""
    from itilkit.metrics import ByPeriod

    window = PlannedWindow(T0 + 24 * H, T0 + 28 * H)

    def closed(number: int, change_type: str) -> Change:
        c = Change.submit(CHANGE, id=f"CHG-{number}", title="Patch", change_type=change_type,
                          requested_by="rita", at=T0, backout_plan="revert",
                          planned_window=window)  # fmt: skip
        c = c.schedule(at=T0 + H, actor="rita") if change_type == "standard" else c
        c = c.implement(at=window.start, actor="ops")
        c = c.review(at=window.start + H, actor="ops", outcome="successful")
        return c.close(at=window.end, actor="rita")

    changes = [closed(1, "standard"), closed(2, "standard")]
    assert changes[0].closed_at == window.end
    result = EmergencyChangeRatio(by=ByPeriod("closed_at", "month"))(changes)
    assert sum(g.population for g in result.groups.values()) == 2
