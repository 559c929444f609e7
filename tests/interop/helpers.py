"""Small export files written by the tests, in the formats of the real ones."""

from __future__ import annotations

import gzip
import lzma
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

#: Zones with and without DST, one with a half-hour change.
ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


@cache
def _transitions(zone: str) -> list[datetime]:
    """The local (naive) times at which ``zone`` changes offset, 2010 to 2030."""
    info = ZoneInfo(zone)
    found, at = [], datetime(2010, 1, 1, tzinfo=UTC)
    before = at.astimezone(info).utcoffset()
    while at.year < 2031:
        at += timedelta(hours=1)
        local = at.astimezone(info)
        if local.utcoffset() != before:
            found.append(local.replace(tzinfo=None))
            before = local.utcoffset()
    return found


@st.composite
def local_times(draw: st.DrawFn, zone: str) -> datetime:
    """Local times, half of them within six hours of one of the zone's offset changes."""
    changes = _transitions(zone)
    near_a_change: bool = draw(st.booleans())
    if changes and near_a_change:
        near = draw(st.sampled_from(changes))
        return near + timedelta(seconds=draw(st.integers(-6 * 3600, 6 * 3600)))
    return draw(st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 12, 31)))


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
