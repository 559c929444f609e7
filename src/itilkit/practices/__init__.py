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
from itilkit.practices._common import Assignment, Note, Ticket
from itilkit.practices._window import PlannedWindow, WindowPolicy, within_window

__all__ = [
    "ApprovalDecision",
    "ApprovalPolicy",
    "ApprovalRecord",
    "ApprovalRule",
    "ApprovalStatus",
    "Assignment",
    "CHANGE_DEFINITION",
    "CHANGE_LIFECYCLE",
    "Change",
    "ChangeOutcome",
    "ChangeType",
    "Note",
    "PlannedWindow",
    "RuleKind",
    "Ticket",
    "WindowPolicy",
    "approval_rules_for",
    "change_guards",
    "change_lifecycle",
    "eligible_approver",
    "gate_status_is",
    "within_window",
]
