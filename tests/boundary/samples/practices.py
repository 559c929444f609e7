"""Samples of itilkit.practices: every entity in the states its commands start from.

An entity command succeeds only from some states, so the receivers of each
command (``Samples.receivers``) are entities in a state it starts from; every
other public method is tried on each sample instance of its class. The
constructor arguments of each entity are the fields of a valid sample of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
from hypothesis import strategies as st

from itilkit.lifecycle import GuardContext, TransitionRecord
from itilkit.practices import (
    CHANGE,
    DEFAULT_PRACTICES,
    INCIDENT,
    KNOWN_ERROR,
    PRIORITY_3X3,
    PROBLEM,
    RISK_3X3,
    RISK_5X5,
    SERVICE_REQUEST,
    AffectedItem,
    Approval,
    ApprovalPolicy,
    ApprovalRule,
    Assignment,
    Cancellation,
    Change,
    CIClass,
    CmdbGraph,
    ConfigurationItem,
    Fulfilment,
    HoldableTicket,
    Impact,
    ImpactAnalysis,
    Incident,
    KnownError,
    LookupMatrix,
    Note,
    PlannedWindow,
    Practice,
    PracticeRef,
    PracticeRegistry,
    PrioritisedTicket,
    Priority,
    PriorityMatrix,
    PriorityOverride,
    Problem,
    ReassignmentRule,
    Relationship,
    RelationshipKind,
    ReopenPolicy,
    Resolution,
    ResolutionCode,
    RiskAssessment,
    RiskMatrix,
    Scale,
    ServiceRequest,
    Ticket,
    Urgency,
    approval_rules_for,
    eligible_approver,
    gate_status_is,
    within_window,
)
from itilkit.practices import ApprovalStatus as Status
from itilkit.sla import BusinessCalendar, InCategory, SlaPolicy, SlaTarget
from tests.boundary.hostile import hostile
from tests.boundary.samples import Factory, Samples

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=1)
TEAM = Assignment("service-desk", "bob")
OTHER_TEAM = Assignment("network", "carol")
WINDOW = PlannedWindow(T0 + timedelta(days=5), T0 + timedelta(days=5, hours=4))
IN_WINDOW = WINDOW.start + timedelta(minutes=5)
POLICY = ApprovalPolicy.of(
    assess=ApprovalRule.any_one({"tech1", "tech2"}),
    authorize=ApprovalRule.quorum({"cab1", "cab2", "cab3"}, 2),
)


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


#: One flat SLA target, so every kind (with or without a priority) has an SLA status.
FLAT = SlaPolicy(
    "flat",
    [SlaTarget("fix", timedelta(hours=8), InCategory(["new", "active"]), InCategory("resolved"))],
)
_SLA_FIELDS = ("assignee",)
P_INCIDENT = INCIDENT.derive(name="incident-sla", sla=FLAT)
P_PROBLEM = PROBLEM.derive(name="problem-sla", sla=FLAT)
P_KNOWN_ERROR = KNOWN_ERROR.derive(name="known-error-sla", sla=FLAT, sla_fields=_SLA_FIELDS)
P_REQUEST = SERVICE_REQUEST.derive(name="request-sla", sla=FLAT)
P_CHANGE = CHANGE.derive(name="change-sla", sla=FLAT, sla_fields=_SLA_FIELDS)


# -- incidents -----------------------------------------------------------------------


def new_incident() -> Incident:
    return Incident.log(
        P_INCIDENT, id="INC-1", title="Mail down", caller="ann", impact=2, urgency=1, at=T0,
        actor="desk",
    )  # fmt: skip


def assigned_incident() -> Incident:
    return new_incident().assign(TEAM, at=_at(1), actor="desk")


def working_incident() -> Incident:
    return assigned_incident().start_work(at=_at(2), actor="bob")


def held_incident() -> Incident:
    return working_incident().hold("awaiting_vendor", at=_at(3), actor="bob")


def resolved_incident() -> Incident:
    return working_incident().resolve("fixed", "restarted", at=_at(4), actor="bob")


# -- problems and known errors ---------------------------------------------------------


def new_problem() -> Problem:
    return Problem.log(
        P_PROBLEM, id="PRB-1", title="Relay crashes", impact=1, urgency=2, at=T0, actor="pm",
        linked_incidents=["INC-2", "INC-1"],
    )  # fmt: skip


def assigned_problem() -> Problem:
    return new_problem().assign(TEAM, at=_at(1), actor="pm")


def assessed_problem() -> Problem:
    return assigned_problem().assess(at=_at(2), actor="pm")


def analysing_problem() -> Problem:
    return assessed_problem().confirm(at=_at(3), actor="pm")


def fixing_problem() -> Problem:
    return analysing_problem().start_fix(at=_at(4), actor="bob", root_cause="leak")


def resolved_problem() -> Problem:
    return fixing_problem().resolve("fix_applied", "patched", at=_at(5), actor="bob")


def draft_known_error() -> KnownError:
    return KnownError.record(
        P_KNOWN_ERROR, id="KE-1", problem_id="PRB-1", title="Relay leak", symptom="queue grows",
        workaround="restart relay", at=T0, actor="pm",
    )  # fmt: skip


def published_known_error() -> KnownError:
    return draft_known_error().publish(at=_at(1), actor="pm")


# -- service requests --------------------------------------------------------------------


def new_request(requires_approval: bool = True) -> ServiceRequest:
    return ServiceRequest.submit(
        P_REQUEST, id="REQ-1", title="New laptop", requester="ann",
        catalog_item="laptop", requires_approval=requires_approval, at=T0,
    )  # fmt: skip


def pending_request() -> ServiceRequest:
    return new_request().request_approval(at=_at(1), actor="desk")


def approved_request() -> ServiceRequest:
    return pending_request().approve(at=_at(2), actor="boss")


def fulfilling_request() -> ServiceRequest:
    return approved_request().start_fulfilment(at=_at(3), actor="bob")


def held_request() -> ServiceRequest:
    return fulfilling_request().hold("awaiting_vendor", at=_at(4), actor="bob")


def fulfilled_request() -> ServiceRequest:
    return fulfilling_request().fulfil("delivered", at=_at(5), actor="bob")


# -- changes ---------------------------------------------------------------------------


def draft_change(change_type: str = "normal") -> Change:
    return Change.submit(
        P_CHANGE, id="CHG-1", title="Upgrade the database", change_type=change_type,
        requested_by="req", at=T0, actor="req", backout_plan="restore the snapshot",
        planned_window=WINDOW, approval_policy=POLICY, configuration_items=["db"],
    )  # fmt: skip


def assessing_change() -> Change:
    return draft_change().assess(at=_at(1), actor="req")


def authorizing_change() -> Change:
    """The assess gate approved: the change moved on to authorize."""
    return assessing_change().approve(at=_at(2), actor="tech1")


def scheduled_change() -> Change:
    """The authorize gate approved (a quorum of two): the change moved on to scheduled."""
    return authorizing_change().approve(at=_at(4), actor="cab1").approve(at=_at(5), actor="cab2")


def implementing_change() -> Change:
    return scheduled_change().implement(at=IN_WINDOW, actor="ops")


def reviewed_change() -> Change:
    return implementing_change().review(
        at=IN_WINDOW + timedelta(hours=1), actor="ops", outcome="successful"
    )


# -- configuration items ------------------------------------------------------------------


def _items() -> list[ConfigurationItem]:
    return [
        ConfigurationItem("app", "Web shop", CIClass.APPLICATION),
        ConfigurationItem("db", "Orders database", CIClass.DATABASE),
        ConfigurationItem("host", "Server 1", CIClass.SERVER),
    ]


def _relationships() -> list[Relationship]:
    return [
        Relationship("app", RelationshipKind.DEPENDS_ON, "db"),
        Relationship("db", RelationshipKind.RUNS_ON, "host"),
    ]


def graph() -> CmdbGraph:
    return CmdbGraph(_items(), _relationships())


def _analysis() -> ImpactAnalysis:
    return graph().impact("host")


# -- matrices and values ----------------------------------------------------------------


def _scale() -> Scale:
    return Scale("impact", ["high", "medium", "low"])


def _lookup() -> LookupMatrix:
    return PRIORITY_3X3.table


def _record() -> TransitionRecord:
    return working_incident().history[-1]


def _context() -> GuardContext:
    change = assessing_change()
    fields = dict(change.__dict__)
    return GuardContext(
        "change", "assess", "approve", "assess", fields, {}, "tech1", _at(2), fields
    )


def _derived() -> Practice:
    return INCIDENT.derive(name="incident-plus", version=2, reopen=ReopenPolicy.forbid())


def _fields_of(sample: Factory) -> Callable[[str], Factory]:
    return lambda name: lambda: getattr(sample(), name)


def _constructor_arguments(classes: dict[type, Factory]) -> dict[str, Factory]:
    """``Class.field`` of each entity class: the value of the field in a valid sample."""
    found: dict[str, Factory] = {}
    for cls, sample in classes.items():
        value = _fields_of(sample)
        for field in attrs.fields(cls):
            if field.init:
                found[f"{cls.__name__}.{field.alias}"] = value(field.name)
    return found


_ENTITIES: dict[type, Factory] = {
    Incident: working_incident,
    Problem: analysing_problem,
    KnownError: draft_known_error,
    ServiceRequest: fulfilling_request,
    Change: assessing_change,
    Ticket: working_incident,
    PrioritisedTicket: working_incident,
    HoldableTicket: working_incident,
}

#: The changes of each entity kind ``fire`` may be given: hostile values keyed by its fields.
_FIELD_NAMES = sorted({f.name for cls in _ENTITIES for f in attrs.fields(cls)})

#: Receivers per command: entities in a state the command starts from.
_RECEIVERS: dict[str, list[Factory]] = {
    # incidents
    "Incident.assign": [new_incident, working_incident],
    "Incident.start_work": [assigned_incident],
    "Incident.hold": [working_incident],
    "Incident.resume": [held_incident],
    "Incident.resolve": [working_incident, held_incident],
    "Incident.reopen": [resolved_incident],
    "Incident.close": [resolved_incident],
    "Incident.cancel": [new_incident, working_incident],
    "Incident.fire": [assigned_incident],
    # problems
    "Problem.assign": [new_problem],
    "Problem.assess": [assigned_problem],
    "Problem.confirm": [assessed_problem],
    "Problem.start_fix": [analysing_problem],
    "Problem.reanalyze": [fixing_problem],
    "Problem.resolve": [fixing_problem],
    "Problem.reopen": [resolved_problem],
    "Problem.close": [resolved_problem],
    "Problem.cancel": [new_problem, analysing_problem],
    "Problem.record_known_error": [analysing_problem],
    "Problem.link_incidents": [new_problem, analysing_problem],
    "Problem.fire": [assessed_problem],
    # known errors
    "KnownError.publish": [draft_known_error],
    "KnownError.retire": [draft_known_error, published_known_error],
    "KnownError.revise": [draft_known_error, published_known_error],
    "KnownError.fire": [draft_known_error],
    # a known error takes neither command (their code is walked on the other kinds)
    "KnownError.assign": [],
    "KnownError.cancel": [],
    # service requests
    "ServiceRequest.request_approval": [new_request],
    "ServiceRequest.approve": [pending_request],
    "ServiceRequest.reject": [pending_request],
    "ServiceRequest.start_fulfilment": [approved_request, lambda: new_request(False)],
    "ServiceRequest.hold": [fulfilling_request],
    "ServiceRequest.resume": [held_request],
    "ServiceRequest.fulfil": [fulfilling_request],
    "ServiceRequest.reopen": [fulfilled_request],
    "ServiceRequest.close": [fulfilled_request],
    "ServiceRequest.cancel": [new_request, fulfilling_request],
    "ServiceRequest.fire": [approved_request],
    "ServiceRequest.assign": [new_request],
    # changes
    "Change.assign": [draft_change, assessing_change],
    "Change.revise": [draft_change],
    "Change.assess": [draft_change],
    "Change.approve": [assessing_change],
    "Change.reject": [assessing_change],
    "Change.authorize": [lambda: draft_change("emergency")],
    "Change.schedule": [lambda: draft_change("standard")],
    "Change.implement": [scheduled_change],
    "Change.review": [implementing_change],
    "Change.close": [reviewed_change],
    "Change.cancel": [draft_change, scheduled_change],
    "Change.fire": [draft_change],
    # the bases, on incidents
    "Ticket.assign": [new_incident],
    "Ticket.cancel": [working_incident],
    "Ticket.fire": [assigned_incident],
    "PrioritisedTicket.assign": [new_incident],
    "PrioritisedTicket.cancel": [working_incident],
    "PrioritisedTicket.fire": [assigned_incident],
    "PrioritisedTicket.reopen": [resolved_incident],
    "HoldableTicket.assign": [new_incident],
    "HoldableTicket.cancel": [working_incident],
    "HoldableTicket.fire": [assigned_incident],
    "HoldableTicket.reopen": [resolved_incident],
    "HoldableTicket.hold": [working_incident],
    "HoldableTicket.resume": [held_incident],
}


_PER_COMMAND: dict[str, Factory] = {
    "hold.reason": lambda: "awaiting_vendor",
    "cancel.reason": lambda: "withdrawn",
    "link_incidents.incident_ids": lambda: ["INC-7"],
    "fulfil.notes": lambda: "delivered",
    "reject.comment": lambda: "not in budget",
    "override_priority.priority": lambda: 1,
    "override_priority.reason": lambda: "VIP",
    "get.name": lambda: "incident",
    "get.version": lambda: 1,
    "derive.name": lambda: "derived",
    "label.value": lambda: Priority(1),
    "rank.value": lambda: Priority(1),
    "assess.impact": lambda: 1,
    "assess.likelihood": lambda: 1,
}
#: Owners of the methods: classes, and module-level instances by their names.
_OWNERS = (
    "Incident", "Problem", "KnownError", "ServiceRequest", "Change", "Ticket",
    "PrioritisedTicket", "HoldableTicket", "Practice", "PracticeRegistry", "DEFAULT_PRACTICES",
    "INCIDENT", "PROBLEM", "KNOWN_ERROR", "SERVICE_REQUEST", "CHANGE", "PriorityMatrix",
    "PRIORITY_3X3", "PRIORITY_4X4", "PRIORITY_5X5", "RiskMatrix", "RISK_3X3", "RISK_5X5",
)  # fmt: skip


def _assessments(matrix: RiskMatrix, count: int) -> Factory:
    """One assessment on ``matrix`` (``count`` 1), else a list of ``count``."""
    if count == 1:
        return lambda: matrix.assess(1, 1)
    return lambda: [matrix.assess(n, n) for n in range(1, count + 1)]


def _command_arguments() -> dict[str, Factory]:
    """``Owner.method.parameter`` of each owner, for arguments that differ by method."""
    found = {
        f"{owner}.{key}": factory for owner in _OWNERS for key, factory in _PER_COMMAND.items()
    }
    for owner, matrix in (("RiskMatrix", RISK_3X3), ("RISK_3X3", RISK_3X3), ("RISK_5X5", RISK_5X5)):
        found[f"{owner}.rank.assessment"] = _assessments(matrix, 1)
        found[f"{owner}.riskiest.assessments"] = _assessments(matrix, 2)
    found.update(
        {
            "Problem.cancel.reason": lambda: "unnecessary",
            "Practice.command.role": lambda: "resolve",
            "INCIDENT.command.role": lambda: "resolve",
            "PROBLEM.command.role": lambda: "resolve",
            "SERVICE_REQUEST.command.role": lambda: "fulfil",
            "CHANGE.command.role": lambda: "assess",
            "KNOWN_ERROR.command.role": lambda: "publish",
        }
    )
    return found


SAMPLES = Samples(
    instances={
        # entities
        Incident: [working_incident, new_incident],
        Problem: [analysing_problem],
        KnownError: [draft_known_error],
        ServiceRequest: [fulfilling_request],
        Change: [assessing_change],
        Ticket: [working_incident],
        PrioritisedTicket: [working_incident],
        HoldableTicket: [working_incident],
        # practices
        Practice: [lambda: INCIDENT, _derived],
        PracticeRef: [lambda: INCIDENT.ref],
        PracticeRegistry: [lambda: DEFAULT_PRACTICES],
        ReopenPolicy: [ReopenPolicy.allow, lambda: ReopenPolicy.allow_within(timedelta(days=7))],
        # values
        Assignment: [lambda: TEAM],
        Note: [lambda: Note(T0, "bob", "called back")],
        Cancellation: [lambda: Cancellation(T0, "desk", "duplicate", "INC-0")],
        Resolution: [lambda: Resolution(T0, "bob", ResolutionCode.FIXED, "restarted")],
        Fulfilment: [lambda: Fulfilment(T0, "bob", "delivered")],
        PriorityOverride: [lambda: PriorityOverride(Priority(1), T0, "lead", "VIP")],
        Approval: [lambda: Approval("tech1", "approved", T0, "assess")],
        ApprovalRule: [lambda: ApprovalRule.any_one({"tech1", "tech2"})],
        ApprovalPolicy: [lambda: POLICY, ApprovalPolicy],
        PlannedWindow: [lambda: WINDOW],
        RiskAssessment: [lambda: RISK_3X3.assess("high", "medium")],
        # matrices
        Impact: [lambda: Impact(1)],
        Urgency: [lambda: Urgency(2)],
        Priority: [lambda: Priority(3)],
        Scale: [_scale],
        LookupMatrix: [_lookup],
        PriorityMatrix: [lambda: PRIORITY_3X3],
        RiskMatrix: [lambda: RISK_3X3],
        # configuration items
        ConfigurationItem: [lambda: _items()[0]],
        Relationship: [lambda: _relationships()[0]],
        CmdbGraph: [graph],
        ImpactAnalysis: [_analysis],
        AffectedItem: [lambda: _analysis().affected[0]],
        # for parameters of other packages' types
        TransitionRecord: [_record],
        GuardContext: [_context],
    },
    receivers=_RECEIVERS,
    arguments={
        **_constructor_arguments(_ENTITIES),
        **_command_arguments(),
        "reassigns.old": lambda: TEAM,
        "reassigns.new": lambda: OTHER_TEAM,
        "reassigns.rule": lambda: ReassignmentRule.GROUP,
        # commands
        "at": lambda: LATER,
        "actor": lambda: "bob",
        "assignment": lambda: OTHER_TEAM,
        "Incident.resolve.code": lambda: "fixed",
        "Incident.resolve.notes": lambda: "restarted",
        "Problem.resolve.code": lambda: "fix_applied",
        "Problem.resolve.notes": lambda: "patched",
        "Problem.start_fix.root_cause": lambda: "leak",
        "known_error_id": lambda: "KE-9",
        "symptom": lambda: "queue grows",
        "workaround": lambda: "restart relay",
        "Change.approve.actor": lambda: "tech1",
        "Change.reject.actor": lambda: "tech2",
        "Change.implement.at": lambda: IN_WINDOW,
        "Change.review.at": lambda: IN_WINDOW + timedelta(hours=1),
        "Change.review.outcome": lambda: "successful",
        "Change.close.at": lambda: IN_WINDOW + timedelta(hours=2),
        "Change.assess.actor": lambda: "req",
        "Change.authorize.actor": lambda: "req",
        "Change.schedule.actor": lambda: "req",
        "text": lambda: "called back",
        "now": lambda: LATER,
        "Incident.fire.transition": lambda: "start_work",
        "Ticket.fire.transition": lambda: "start_work",
        "PrioritisedTicket.fire.transition": lambda: "start_work",
        "HoldableTicket.fire.transition": lambda: "start_work",
        "Problem.fire.transition": lambda: "confirm",
        "KnownError.fire.transition": lambda: "publish",
        "ServiceRequest.fire.transition": lambda: "start_fulfilment",
        "Change.fire.transition": lambda: "revise",
        # entity openings
        "practice": lambda: INCIDENT,
        "Incident.log.practice": lambda: INCIDENT,
        "Problem.log.practice": lambda: PROBLEM,
        "KnownError.record.practice": lambda: KNOWN_ERROR,
        "ServiceRequest.submit.practice": lambda: SERVICE_REQUEST,
        "Change.submit.practice": lambda: CHANGE,
        "id": lambda: "X-1",
        "title": lambda: "Mail down",
        "caller": lambda: "ann",
        "impact": lambda: 2,
        "urgency": lambda: 1,
        "problem_id": lambda: "PRB-1",
        "requester": lambda: "ann",
        "catalog_item": lambda: "laptop",
        "requires_approval": lambda: True,
        "change_type": lambda: "standard",
        "requested_by": lambda: "req",
        # values
        "Assignment.group": lambda: "desk",
        "Note.author": lambda: "bob",
        "Resolution.notes": lambda: "restarted",
        "Fulfilment.notes": lambda: "delivered",
        "PriorityOverride.reason": lambda: "VIP",
        "Approval.approver": lambda: "tech1",
        "Approval.decision": lambda: "approved",
        "Approval.gate": lambda: "assess",
        "approvers": lambda: {"tech1", "tech2"},
        "ApprovalRule.kind": lambda: "any_one",
        "ApprovalRule.quorum.needed": lambda: 1,
        "ApprovalRule.percentage.percent": lambda: 50,
        "approvals": lambda: [Approval("tech1", "approved", T0, "assess")],
        "gate": lambda: "assess",
        "ApprovalPolicy.gates": lambda: {"assess": ApprovalRule.any_one({"tech1"})},
        "rules": lambda: {"assess": ApprovalRule.any_one({"tech1"})},
        "PlannedWindow.start": lambda: T0,
        "PlannedWindow.end": lambda: T0 + timedelta(hours=2),
        "PlannedWindow.contains.at": lambda: T0 + timedelta(hours=1),
        "RiskAssessment.matrix": lambda: RISK_3X3.table.name,
        "RiskAssessment.impact": lambda: "high",
        "RiskAssessment.likelihood": lambda: "medium",
        "RiskAssessment.risk": lambda: RISK_3X3.assess("high", "medium").risk,
        "window": lambda: timedelta(days=7),
        # matrices
        "level": lambda: 1,
        "Scale.name": lambda: "impact",
        "Scale.labels": lambda: ["high", "medium", "low"],
        "Scale.at_rank.rank": lambda: 1,
        "value": lambda: 1,
        "LookupMatrix.name": lambda: "priority",
        "LookupMatrix.grid": lambda: [[1, 2], [2, 3]],
        "rows": lambda: Scale("impact", ["high", "low"]),
        "columns": lambda: Scale("urgency", ["high", "low"]),
        "result": lambda: Scale("priority", ["p1", "p2", "p3"]),
        "rule": lambda: lambda row, column: min(row + column - 1, 3),
        "row": lambda: 1,
        "column": lambda: 2,
        "PriorityMatrix.table": _lookup,
        "RiskMatrix.table": lambda: RISK_3X3.table,
        "likelihood": lambda: "medium",
        "assessment": lambda: RISK_3X3.assess("high", "medium"),
        "assessments": lambda: [RISK_3X3.assess("high", "medium"), RISK_3X3.assess("low", "low")],
        "ReopenPolicy.mode": lambda: "allow_within",
        "Cancellation.reason": lambda: "withdrawn",
        "Resolution.code": lambda: ResolutionCode.FIXED,
        "ServiceRequest.close.outcome": lambda: "complete",
        # configuration items
        "ConfigurationItem.id": lambda: "db",
        "ConfigurationItem.name": lambda: "Orders database",
        "ConfigurationItem.ci_class": lambda: "database",
        "Relationship.source": lambda: "app",
        "Relationship.kind": lambda: "depends_on",
        "Relationship.target": lambda: "db",
        "items": _items,
        "relationships": _relationships,
        "ci": lambda: "db",
        "ImpactAnalysis.failed": lambda: _items()[2],
        "ImpactAnalysis.affected": lambda: _analysis().affected,
        "AffectedItem.item": lambda: _items()[1],
        "AffectedItem.path": lambda: (_relationships()[1],),
        # practices
        "Practice.name": lambda: "incident-x",
        "Practice.kind": lambda: "incident",
        "Practice.definition": lambda: INCIDENT.definition,
        "Practice.commands": lambda: dict(INCIDENT.commands),
        "Practice.guards": lambda: INCIDENT.guards,
        "Practice.matrix": lambda: PRIORITY_3X3,
        "state": lambda: "in_progress",
        "transition": lambda: "resolve",
        "listener": lambda: lambda record: None,
        "PracticeRef.name": lambda: "incident",
        "ref": lambda: INCIDENT.ref,
        "practices": lambda: (INCIDENT, CHANGE),
        "with_practices.practices": lambda: (_derived(),),
        # the SLA bridge
        "calendar": BusinessCalendar.always_open,
        "response": lambda: {1: timedelta(hours=1), 2: timedelta(hours=2), 3: timedelta(hours=4)},
        "resolution": lambda: {1: timedelta(hours=4), 2: timedelta(hours=8), 3: timedelta(days=1)},
        "ticket": working_incident,
        "tickets": lambda: [working_incident(), new_incident()],
        "target_outcome.status": lambda: working_incident().sla_status(LATER).targets[0],
        "gate_status_is.status": lambda: Status.APPROVED,
        "history": lambda: working_incident().history,
        "gates": lambda: ("assess",),
        "change_path.change_type": lambda: "normal",
    },
    hostile={
        "changes": st.dictionaries(st.sampled_from(_FIELD_NAMES), hostile(), max_size=3),
        "Change.revise.changes": st.dictionaries(st.sampled_from(_FIELD_NAMES), hostile()),
    },
    callables={
        "approval_rules_for('assess')": lambda: approval_rules_for("assess"),
        "eligible_approver()": eligible_approver,
        "gate_status_is(APPROVED)": lambda: gate_status_is(Status.APPROVED),
        "within_window()": within_window,
    },
    bases=frozenset({"Ticket", "PrioritisedTicket", "HoldableTicket"}),
)
