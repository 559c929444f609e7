"""The ITIL practices: entities, their default lifecycles, priority and risk."""

from __future__ import annotations

from itilkit.practices._common import Assignment, Note, Ticket

__all__ = ["Assignment", "Note", "Ticket"]
