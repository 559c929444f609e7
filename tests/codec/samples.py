"""One value of each document kind, as the golden documents of schema version 1 hold them.

``python -m tests.codec.samples`` rewrites ``tests/codec/golden/*.json`` from
these values; do that only for a deliberate format change, with a new schema
version and an upcaster for the old one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from itilkit import codec
from itilkit.categories import StateCategory
from itilkit.lifecycle import FieldChange, LifecycleDefinition, State, Transition, TransitionRecord
from itilkit.metrics import ByPeriod, Period, Result, TimeToResolve
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    PRIORITY_3X3,
    PROBLEM,
    RISK_5X5,
    SERVICE_REQUEST,
    ApprovalPolicy,
    ApprovalRule,
    Assignment,
    Change,
    CmdbGraph,
    ConfigurationItem,
    Incident,
    LookupMatrix,
    PlannedWindow,
    Problem,
    Relationship,
    RiskAssessment,
    Scale,
    ScaleDirection,
    ServiceRequest,
)
from itilkit.sla import (
    BusinessCalendar,
    ClockReopen,
    DateOverride,
    DurationsByField,
    Escalation,
    FieldChanged,
    FieldIs,
    Holidays,
    InCategory,
    InState,
    SlaPolicy,
    SlaTarget,
    WeeklySchedule,
)

GOLDEN = Path(__file__).parent / "golden"
HOUR = timedelta(hours=1)
PARIS = timezone(timedelta(hours=2))

LIFECYCLE = LifecycleDefinition(
    "ticket",
    [
        State("new", "new", initial=True, description="logged"),
        State("work", "active"),
        State("waiting", "paused", required_fields={"hold_reason"}),
        State("done", "resolved", required_fields={"resolution"}),
        State("closed", "closed", final=False),
        State("dropped", "canceled"),
    ],
    [
        Transition("start", ["new"], "work"),
        Transition("hold", ["work"], "waiting", required_fields={"hold_reason"}),
        Transition("resume", ["waiting"], "work"),
        Transition("resolve", ["new", "work"], "done", guards=["not_requester"]),
        Transition("close", ["done"], "closed", description="after confirmation"),
        Transition("reopen", ["closed"], "work"),
        Transition("drop", ["new", "work", "waiting"], "dropped"),
    ],
)
RECORD = TransitionRecord(
    "hold",
    "work",
    "waiting",
    datetime(2024, 5, 2, 14, 30, 15, 250000, tzinfo=PARIS),
    "ana",
    reason="waiting for the caller",
    changes=(FieldChange("hold_reason", None, "awaiting_caller"), FieldChange("priority", 2, 3)),
    source_category=StateCategory.ACTIVE,
    target_category=StateCategory.PAUSED,
)
MATRIX = LookupMatrix(
    "severity",
    Scale("impact", ("minor", "major")),
    Scale("urgency", ("low", "high"), ScaleDirection.ONE_IS_LOWEST),
    Scale("severity", ("s1", "s2", "s3")),
    ((2, 1), (3, 2)),
)
CALENDAR = BusinessCalendar(
    "Europe/Paris",
    WeeklySchedule.from_days({"mon-fri": "08:30-12:00, 13:30-18:00", "sat": "22:00-06:00+1"}),
    Holidays(
        dates=[date(2024, 5, 8), date(2024, 5, 9)],
        yearly=[(1, 1), (12, 25)],
        rules=["FREQ=YEARLY;BYEASTER=1"],
    ),
    [DateOverride.hours(date(2024, 12, 24), "08:30-12:00"), DateOverride.closed(date(2024, 8, 14))],
)
OPEN = InCategory(["new", "active", "paused"])
POLICY = SlaPolicy(
    "gold",
    [
        SlaTarget(
            "response", HOUR, start=OPEN, stop=~InCategory("new"), cancel=InCategory("canceled")
        ),
        SlaTarget(
            "resolution",
            DurationsByField("priority", {1: 4 * HOUR, 2: 8 * HOUR}, timedelta(days=3)),
            start=OPEN,
            stop=InCategory(["resolved", "closed"]),
            pause=InCategory("paused") & ~FieldIs("hold_reason", ["awaiting_change", None]),
            cancel=InCategory("canceled") | InState("dropped"),
            reset=FieldChanged("assignment_group"),
        ),
    ],
    CALENDAR,
    thresholds=[50, 75.5, 100],
    escalations=[Escalation("team lead", -HOUR), Escalation("manager", 2 * HOUR)],
    reopen=ClockReopen.NEW_CYCLE,
)


def _result() -> Result[Any]:
    rows = [
        {
            "id": "a",
            "opened_at": datetime(2024, 1, 3, 9, tzinfo=UTC),
            "resolved_at": datetime(2024, 1, 3, 13, tzinfo=UTC),
            "team": "net",
        },
        {
            "id": "b",
            "opened_at": datetime(2024, 2, 1, 9, tzinfo=UTC),
            "resolved_at": datetime(2024, 2, 2, 9, 30, tzinfo=UTC),
            "team": "db",
        },
        {
            "id": "c",
            "opened_at": datetime(2024, 2, 5, 9, tzinfo=UTC),
            "resolved_at": None,
            "team": "db",
        },
    ]
    measure = TimeToResolve(
        by=["team", ByPeriod("resolved_at", Period.MONTH)], percentiles=[0.5, 0.9]
    )
    return measure(rows)


RESULT = _result()
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


#: An incident with an eight-record history: assigned, worked, held, reprioritised,
#: reassigned, resolved, reopened and resolved again (the benchmark's incident too).
INCIDENT_SAMPLE = (
    Incident.log(INCIDENT, id="INC-1", title="Mail down", caller="ann", impact=2, urgency=1,
                 at=T0, actor="desk", description="no mail since 08:40")
    .assign(Assignment("email", "bob"), at=_minutes(1), actor="desk")
    .start_work(at=_minutes(5), actor="bob")
    .hold("awaiting_caller", at=_minutes(20), actor="bob", note="which client do you use?")
    .resume(at=_minutes(50), actor="bob")
    .reprioritise(urgency=2, at=_minutes(55), actor="bob", reason="one user only")
    .assign(Assignment("email", "cy"), at=_minutes(60), actor="bob")
    .resolve("workaround", "webmail until the relay is fixed", at=_minutes(90), actor="cy")
    .reopen(at=_minutes(120), actor="desk", reason="ann still has no mail")
)  # fmt: skip
_PROBLEM, KNOWN_ERROR_SAMPLE = (
    Problem.log(PROBLEM, id="PRB-1", title="Relay crashes", impact=1, urgency=2, at=T0,
                actor="pm", linked_incidents=["INC-1"])
    .assess(at=_minutes(10), actor="pm", assignment=Assignment("email"))
    .confirm(at=_minutes(20), actor="pm")
    .start_fix(at=_minutes(30), actor="dev", root_cause="a leak in the TLS module")
    .record_known_error(known_error_id="KE-1", symptom="mail stops", workaround="restart",
                        at=_minutes(40), actor="pm")
)  # fmt: skip
PROBLEM_SAMPLE = _PROBLEM.resolve("fix_applied", "patched the relay", at=_minutes(60), actor="pm")
KNOWN_ERROR_SAMPLE = KNOWN_ERROR_SAMPLE.publish(at=_minutes(45), actor="pm")
REQUEST_SAMPLE = (
    ServiceRequest.submit(SERVICE_REQUEST, id="REQ-1", title="New laptop", requester="ann",
                          catalog_item="laptop", requires_approval=True, at=T0)
    .request_approval(at=_minutes(1), actor="desk")
    .approve(at=_minutes(30), actor="mgr", comment="within budget")
    .start_fulfilment(at=_minutes(60), actor="bob")
    .fulfil("delivered to desk 4", at=_minutes(240), actor="bob")
    .close("complete", at=_minutes(300), actor="bob")
)  # fmt: skip
CHANGE_SAMPLE = (
    Change.submit(CHANGE, id="CHG-1", title="Patch the relay", change_type="normal",
                  requested_by="req", at=T0, backout_plan="restore the snapshot",
                  planned_window=PlannedWindow(_minutes(60), _minutes(180)),
                  approval_policy=ApprovalPolicy.of(
                      assess=ApprovalRule.any_one({"cab-1", "cab-2"}),
                      authorize=ApprovalRule.quorum({"cab-1", "cab-2", "cab-3"}, 2)),
                  risk=RiskAssessment("risk-3x3", "low", "medium", "low"),
                  configuration_items=["CI-relay"])
    .assess(at=_minutes(5), actor="req")
    .approve(at=_minutes(10), actor="cab-1")
    .approve(at=_minutes(15), actor="cab-2", comment="ok")
    .reject(at=_minutes(20), actor="cab-3", comment="needs a test plan")
    .approve(at=_minutes(25), actor="cab-1")
    .implement(at=_minutes(70), actor="ops")
    .review(at=_minutes(100), actor="ops", outcome="successful")
)  # fmt: skip
CI_SAMPLE = ConfigurationItem("CI-relay", "mail relay", "application", "maintenance")
CMDB_SAMPLE = CmdbGraph(
    [CI_SAMPLE, ConfigurationItem("CI-mail", "mail", "service"),
     ConfigurationItem("CI-vm7", "vm7", "virtual_machine")],
    [Relationship("CI-mail", "depends_on", "CI-relay"),
     Relationship("CI-relay", "runs_on", "CI-vm7")],
)  # fmt: skip

SAMPLES: dict[str, object] = {
    "lifecycle": LIFECYCLE,
    "transition-record": RECORD,
    "matrix": MATRIX,
    "priority-matrix": PRIORITY_3X3,
    "risk-matrix": RISK_5X5,
    "calendar": CALENDAR,
    "sla-policy": POLICY,
    "metric-result": RESULT,
    "incident": INCIDENT_SAMPLE,
    "problem": PROBLEM_SAMPLE,
    "known-error": KNOWN_ERROR_SAMPLE,
    "service-request": REQUEST_SAMPLE,
    "change": CHANGE_SAMPLE,
    "configuration-item": CI_SAMPLE,
    "cmdb": CMDB_SAMPLE,
}


def main() -> None:
    """Write each sample's document to ``golden/<kind>.json``."""
    GOLDEN.mkdir(exist_ok=True)
    for kind, value in SAMPLES.items():
        (GOLDEN / f"{kind}.json").write_text(codec.dumps(value) + "\n")


if __name__ == "__main__":
    main()
