"""Shared record builders and strategies for the metrics tests (imported, not collected)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from hypothesis import strategies as st

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
ZONES = [UTC, timezone(timedelta(hours=5, minutes=30)), ZoneInfo("Europe/London")]


@attrs.define
class Ticket:
    """A slots record with the logical field names, as an entity would carry them."""

    id: str
    opened_at: Any
    resolved_at: Any = None
    closed_at: Any = None
    category: Any = "active"
    priority: Any = 1
    service: Any = "mail"
    reopen_count: Any = 0
    reassignment_count: Any = 0
    first_contact_resolved: Any = False
    pauses: Any = ()


def ticket(ident: str, hours: float | None, **fields: Any) -> dict[str, Any]:
    """A dict record opened at T0 and resolved ``hours`` later (None: unresolved)."""
    resolved = None if hours is None else T0 + timedelta(hours=hours)
    base = {"id": ident, "opened_at": T0, "resolved_at": resolved, "closed_at": None}
    return base | {"category": "resolved"} | fields


aware = st.builds(
    lambda minutes, zone: (T0 + timedelta(minutes=minutes)).astimezone(zone),
    st.integers(-10_000, 100_000),
    st.sampled_from(ZONES),
)
naive = st.builds(
    lambda minutes: datetime(2024, 3, 1) + timedelta(minutes=minutes), st.integers(0, 999)
)
timestamp = st.one_of(aware, aware, aware, st.none(), naive, st.just("2024-03-01"))
category = st.sampled_from([None, "active", "resolved", "closed", "canceled", "bogus"])
count = st.one_of(st.integers(0, 3), st.integers(0, 3), st.none(), st.just(-1), st.just("1"))
flag = st.one_of(st.booleans(), st.booleans(), st.none(), st.just("yes"))


@st.composite
def incident(draw: st.DrawFn, index: int = 0) -> dict[str, Any]:
    """A dict record with every incident field, some values bad on purpose."""
    return {
        "id": f"INC{draw(st.integers(0, 10**6))}",
        "opened_at": draw(timestamp),
        "resolved_at": draw(timestamp),
        "category": draw(category),
        "priority": draw(st.sampled_from([1, 2, 3])),
        "service": draw(st.sampled_from(["mail", "web"])),
        "reopen_count": draw(count),
        "reassignment_count": draw(count),
        "first_contact_resolved": draw(flag),
        "first_line_resolvable": draw(flag),
        "problem_id": draw(st.sampled_from([None, "PRB1", "PRB2", "PRB3"])),
    }


def as_ticket(record: dict[str, Any]) -> Ticket:
    """The same record as a slots object."""
    names = {f.name for f in attrs.fields(Ticket)}
    return Ticket(**{k: v for k, v in record.items() if k in names})


incidents = st.lists(incident(), max_size=40)
