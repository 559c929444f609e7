"""Small export files written by the tests, in the formats of the real ones."""

from __future__ import annotations

import gzip
import lzma
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

#: The 36 columns of the UCI ServiceNow incident event log, in its order.
UCI_COLUMNS = [
    "number",
    "incident_state",
    "active",
    "reassignment_count",
    "reopen_count",
    "sys_mod_count",
    "made_sla",
    "caller_id",
    "opened_by",
    "opened_at",
    "sys_created_by",
    "sys_created_at",
    "sys_updated_by",
    "sys_updated_at",
    "contact_type",
    "location",
    "category",
    "subcategory",
    "u_symptom",
    "cmdb_ci",
    "impact",
    "urgency",
    "priority",
    "assignment_group",
    "assigned_to",
    "knowledge",
    "u_priority_confirmation",
    "notify",
    "problem_id",
    "rfc",
    "vendor",
    "caused_by",
    "closed_code",
    "resolved_by",
    "resolved_at",
    "closed_at",
]

#: A typical UCI row; tests override what they need.
UCI_ROW = {
    "number": "INC0000001",
    "incident_state": "New",
    "active": "true",
    "reassignment_count": "0",
    "reopen_count": "0",
    "sys_mod_count": "0",
    "made_sla": "true",
    "caller_id": "Caller 1",
    "opened_by": "Opened by  8",
    "opened_at": "29/2/2016 01:16",
    "sys_created_by": "?",
    "sys_created_at": "?",
    "sys_updated_by": "Updated by 21",
    "sys_updated_at": "29/2/2016 01:23",
    "contact_type": "Phone",
    "location": "Location 143",
    "category": "Category 55",
    "subcategory": "Subcategory 170",
    "u_symptom": "Symptom 72",
    "cmdb_ci": "?",
    "impact": "2 - Medium",
    "urgency": "2 - Medium",
    "priority": "3 - Moderate",
    "assignment_group": "Group 56",
    "assigned_to": "?",
    "knowledge": "true",
    "u_priority_confirmation": "false",
    "notify": "Do Not Notify",
    "problem_id": "?",
    "rfc": "?",
    "vendor": "?",
    "caused_by": "?",
    "closed_code": "code 5",
    "resolved_by": "Resolved by 149",
    "resolved_at": "29/2/2016 11:29",
    "closed_at": "5/3/2016 12:00",
}


def uci_row(**changes: str) -> list[str]:
    """A UCI row with ``changes`` applied."""
    row = {**UCI_ROW, **changes}
    return [row[c] for c in UCI_COLUMNS]


def write(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    delimiter: str = ",",
    newline: str = "\n",
) -> Path:
    """Write a delimited file, compressed by its suffix (.xz, .gz)."""
    text = newline.join(delimiter.join(r) for r in [header, *rows]) + newline
    data = text.encode()
    if path.suffix == ".xz":
        data = lzma.compress(data)
    elif path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def row(columns: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """The fields of ``values`` in ``columns`` order; a column not given is empty."""
    unknown = set(values) - set(columns)
    assert not unknown, unknown
    return [values.get(c, "") for c in columns]
