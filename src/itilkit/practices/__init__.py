"""The ITIL practices: entities bound to the practice they were made with.

A :class:`Practice` carries an entity's rules (lifecycle, commands, priority
matrix, SLA policy and calendar, reopen and window policies); the presets
:data:`INCIDENT`, :data:`PROBLEM`, :data:`KNOWN_ERROR`,
:data:`SERVICE_REQUEST` and :data:`CHANGE` are where vendors derive their
own. Entities (:class:`Incident`, :class:`Problem`, :class:`KnownError`,
:class:`ServiceRequest`, :class:`Change`) share one :class:`Ticket` base.
"""

from __future__ import annotations

from itilkit.practices._approval import (
    Approval,
    ApprovalDecision,
    ApprovalPolicy,
    ApprovalRule,
    ApprovalStatus,
    RuleKind,
    approval_rules_for,
    eligible_approver,
    gate_status_is,
)
from itilkit.practices._change import Change, ChangeType
from itilkit.practices._change_lifecycle import CHANGE, change_path
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
from itilkit.practices._incident import INCIDENT, Incident
from itilkit.practices._known_error import KNOWN_ERROR, KnownError
from itilkit.practices._matrix import LookupMatrix, Scale, ScaleDirection
from itilkit.practices._practice import (
    ROLES,
    Practice,
    PracticeRef,
    ReopenMode,
    ReopenPolicy,
    TicketKind,
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
from itilkit.practices._problem import PROBLEM, Problem
from itilkit.practices._registry import DEFAULT_PRACTICES, PracticeRegistry
from itilkit.practices._request import SERVICE_REQUEST, ServiceRequest
from itilkit.practices._risk import RISK_3X3, RISK_5X5, RiskAssessment, RiskMatrix
from itilkit.practices._sla_bridge import (
    DEFAULT_SLA_FIELDS,
    incident_sla_policy,
    sla_history,
    sla_outcomes,
    target_outcome,
)
from itilkit.practices._ticket import Ticket, check_invariants, paused_spells
from itilkit.practices._values import (
    Assignment,
    Cancellation,
    CancelReason,
    Fulfilment,
    HoldReason,
    Note,
    OutcomeCode,
    ProblemResolutionCode,
    ReassignmentRule,
    Resolution,
    ResolutionCode,
    reassigns,
)
from itilkit.practices._window import PlannedWindow, WindowPolicy, within_window
from itilkit.practices._work import HoldableTicket, PrioritisedTicket

__all__ = [
    "AffectedItem",
    "Approval",
    "ApprovalDecision",
    "ApprovalPolicy",
    "ApprovalRule",
    "ApprovalStatus",
    "Assignment",
    "CHANGE",
    "CIClass",
    "CIStatus",
    "CancelReason",
    "Cancellation",
    "Change",
    "ChangeType",
    "CmdbGraph",
    "ConfigurationItem",
    "DEFAULT_PRACTICES",
    "DEFAULT_SLA_FIELDS",
    "Fulfilment",
    "HoldReason",
    "HoldableTicket",
    "INCIDENT",
    "Impact",
    "ImpactAnalysis",
    "Incident",
    "KNOWN_ERROR",
    "KnownError",
    "LookupMatrix",
    "Note",
    "OutcomeCode",
    "PRIORITY_3X3",
    "PRIORITY_4X4",
    "PRIORITY_5X5",
    "PROBLEM",
    "PlannedWindow",
    "Practice",
    "PracticeRef",
    "PracticeRegistry",
    "PrioritisedTicket",
    "Priority",
    "PriorityMatrix",
    "PriorityOverride",
    "Problem",
    "ProblemResolutionCode",
    "Propagation",
    "RISK_3X3",
    "RISK_5X5",
    "ROLES",
    "ReassignmentRule",
    "Relationship",
    "RelationshipKind",
    "ReopenMode",
    "ReopenPolicy",
    "Resolution",
    "ResolutionCode",
    "RiskAssessment",
    "RiskMatrix",
    "RuleKind",
    "SERVICE_REQUEST",
    "Scale",
    "ScaleDirection",
    "ServiceRequest",
    "Ticket",
    "TicketKind",
    "Urgency",
    "WindowPolicy",
    "approval_rules_for",
    "change_path",
    "check_invariants",
    "eligible_approver",
    "gate_status_is",
    "incident_sla_policy",
    "paused_spells",
    "reassigns",
    "sla_history",
    "sla_outcomes",
    "target_outcome",
    "within_window",
]
