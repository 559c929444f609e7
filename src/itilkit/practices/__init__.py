"""The ITIL practices: entities, their default lifecycles, priority and risk."""

from __future__ import annotations

from itilkit.practices._common import Assignment, Note, Ticket
from itilkit.practices._matrix import (
    LookupMatrix,
    Scale,
    ScaleDirection,
    matrix_from_dict,
    matrix_to_dict,
)

__all__ = [
    "Assignment",
    "LookupMatrix",
    "Note",
    "Scale",
    "ScaleDirection",
    "Ticket",
    "matrix_from_dict",
    "matrix_to_dict",
]
