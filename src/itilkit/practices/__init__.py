"""The ITIL practices: entities, their default lifecycles, priority and risk."""

from __future__ import annotations

from itilkit.practices._approval import (
    ApprovalDecision,
    ApprovalPolicy,
    ApprovalRecord,
    ApprovalRule,
    ApprovalStatus,
    RuleKind,
    approval_rules_for,
    eligible_approver,
    gate_status_is,
)
from itilkit.practices._change import Change, ChangeOutcome, ChangeType
from itilkit.practices._change_lifecycle import (
    CHANGE_DEFINITION,
    CHANGE_LIFECYCLE,
    change_guards,
    change_lifecycle,
)
from itilkit.practices._ci import (
    AffectedItem,
    CIClass,
    CIStatus,
    CmdbGraph,
    ConfigurationItem,
    ImpactAnalysis,
    Propagation,
    Relationship,
    RelationshipKind,
)
from itilkit.practices._common import Assignment, Note, Ticket
from itilkit.practices._incident import Incident
from itilkit.practices._lifecycles import (
    INCIDENT_LIFECYCLE,
    KNOWN_ERROR_LIFECYCLE,
    PROBLEM_LIFECYCLE,
    SERVICE_REQUEST_LIFECYCLE,
    ReopenMode,
    ReopenPolicy,
    incident_lifecycle,
)
from itilkit.practices._matrix import (
    LookupMatrix,
    Scale,
    ScaleDirection,
    matrix_from_dict,
    matrix_to_dict,
)
from itilkit.practices._priority import (
    PRIORITY_3X3,
    PRIORITY_4X4,
    PRIORITY_5X5,
    Impact,
    Priority,
    PriorityMatrix,
    PriorityOverride,
    Urgency,
)
from itilkit.practices._problem import KnownError, Problem
from itilkit.practices._request import ServiceRequest
from itilkit.practices._risk import RISK_3X3, RISK_5X5, RiskAssessment, RiskMatrix
from itilkit.practices._ticket import TicketBase
from itilkit.practices._values import (
    Approval,
    Cancellation,
    CancelReason,
    Fulfilment,
    HoldReason,
    OutcomeCode,
    ProblemResolutionCode,
    Resolution,
    ResolutionCode,
)
from itilkit.practices._window import PlannedWindow, WindowPolicy, within_window

__all__ = [
    "AffectedItem",
    "Approval",
    "ApprovalDecision",
    "ApprovalPolicy",
    "ApprovalRecord",
    "ApprovalRule",
    "ApprovalStatus",
    "Assignment",
    "CHANGE_DEFINITION",
    "CHANGE_LIFECYCLE",
    "CIClass",
    "CIStatus",
    "CancelReason",
    "Cancellation",
    "Change",
    "ChangeOutcome",
    "ChangeType",
    "CmdbGraph",
    "ConfigurationItem",
    "Fulfilment",
    "HoldReason",
    "INCIDENT_LIFECYCLE",
    "Impact",
    "ImpactAnalysis",
    "Incident",
    "KNOWN_ERROR_LIFECYCLE",
    "KnownError",
    "LookupMatrix",
    "Note",
    "OutcomeCode",
    "PRIORITY_3X3",
    "PRIORITY_4X4",
    "PRIORITY_5X5",
    "PROBLEM_LIFECYCLE",
    "PlannedWindow",
    "Priority",
    "PriorityMatrix",
    "PriorityOverride",
    "Problem",
    "ProblemResolutionCode",
    "Propagation",
    "RISK_3X3",
    "RISK_5X5",
    "Relationship",
    "RelationshipKind",
    "ReopenMode",
    "ReopenPolicy",
    "Resolution",
    "ResolutionCode",
    "RiskAssessment",
    "RiskMatrix",
    "RuleKind",
    "SERVICE_REQUEST_LIFECYCLE",
    "Scale",
    "ScaleDirection",
    "ServiceRequest",
    "Ticket",
    "TicketBase",
    "Urgency",
    "WindowPolicy",
    "approval_rules_for",
    "change_guards",
    "change_lifecycle",
    "eligible_approver",
    "gate_status_is",
    "incident_lifecycle",
    "matrix_from_dict",
    "matrix_to_dict",
    "within_window",
]
