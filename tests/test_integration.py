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
from itilkit.practices import Assignment, Change, HoldReason, Incident, PlannedWindow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
H = timedelta(hours=1)


def _incident(number: int, *, hold: bool = False, reopen: bool = False) -> Incident:
    incident = Incident.log(
        id=f"INC-{number}", title="Mail down", caller="ann", impact=2, urgency=2,
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
    assert net.mean == (3 * H + 6 * H + 8 * H) / 3


def test_rates_over_entities() -> None:
    """Reopen rate and first-assignment resolution count what the commands recorded."""
    incidents = [_incident(1), _incident(2, reopen=True), _incident(3), _incident(4)]
    assert ReopenRate()(incidents).overall.rate == 0.25
    assert FirstAssignmentResolution()(incidents).overall.rate == 1.0


def test_change_success_rate_over_change_entities() -> None:
    """Change entities feed the change measures; open changes are not counted."""
    window = PlannedWindow(T0 + 24 * H, T0 + 28 * H)

    def change(number: int, outcome: str | None) -> Change:
        c = Change(id=f"CHG-{number}", title="Patch", change_type="standard",
                   requested_by="rita", opened_at=T0)  # fmt: skip
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
    emergency = Change(id="CHG-9", title="Hotfix", change_type="emergency",
                       requested_by="rita", opened_at=T0)  # fmt: skip
    withdrawn = emergency.cancel(at=T0 + H, actor="rita", reason="not needed")
    normal = Change(id="CHG-8", title="Patch", change_type="normal", requested_by="rita",
                    opened_at=T0)  # fmt: skip
    result = EmergencyChangeRatio()([withdrawn, normal, emergency])
    assert (result.overall.hits, result.overall.population) == (1, 2)
    assert result.exclusions["canceled"].samples == ("CHG-9",)


def test_first_response_and_first_contact_resolution_over_entities() -> None:
    """Incidents carry the milestones FCR and time to first response read, without a FieldMap."""
    from itilkit.metrics import FirstContactResolution, TimeToFirstResponse

    on_the_call = Incident.log(id="INC-A", title="Password", caller="ann", impact=3, urgency=3,
                               at=T0, actor="desk")  # fmt: skip
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
