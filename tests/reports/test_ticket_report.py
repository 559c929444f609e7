"""The report of practice entities: the demo's week, measured as a store's tickets are."""

from __future__ import annotations

import contextlib
import math
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.cli._demo import OFFICE, week
from itilkit.errors import InvalidInputError, ItilkitError
from itilkit.metrics import SlaCompliance
from itilkit.practices import sla_outcomes
from itilkit.reports import build_ticket_report, ticket_history, ticket_record, ticket_trace
from itilkit.sla import FieldUpdate


def test_the_report_of_tickets_agrees_with_their_own_clocks() -> None:
    """The report's SLA run (the default policy over the tickets' histories) gives what the
    incidents' practice (the same policy) gives through the entities themselves."""
    incidents, changes, requests = week()
    report = build_ticket_report([*incidents, *changes, *requests], sla=OFFICE)
    assert (report.source, report.reads, report.interactions) == ("store", (), None)
    latest = max(t.last_event_at for t in [*incidents, *changes])
    assert report.as_of == latest
    assert report.incidents is not None
    assert report.incidents.tickets == 4
    own = SlaCompliance(targets=["response", "resolution"])(sla_outcomes(incidents, latest))
    assert report.sla is not None
    measured = report.sla.compliance.overall
    for name in ("response", "resolution"):
        ours, theirs = measured.targets[name], own.overall.targets[name]
        assert (ours.met, ours.breached, ours.in_progress) == (
            theirs.met, theirs.breached, theirs.in_progress,
        )  # fmt: skip
    assert measured.targets["resolution"].breached == 1
    assert report.changes is not None
    assert (report.changes.success.overall.hits, report.changes.success.overall.population) == (
        1, 2,
    )  # fmt: skip
    conformance = report.conformance
    assert conformance is not None
    assert conformance.conforming == 4
    ttr = report.incidents.time_to_resolve.groups
    vpn = next(i for i in incidents if i.id == "INC-1002")
    assert vpn.resolved_at is not None
    assert ttr[("1 - critical",)].mean == vpn.resolved_at - vpn.opened_at


def test_ticket_records_and_traces() -> None:
    """Records carry the entity's own fields; the trace skips self-loops; the SLA history
    reports priorities as numbers."""
    incidents, _, _ = week()
    printer = next(i for i in incidents if i.id == "INC-1003")
    record = ticket_record(printer)
    assert (record["priority"], record["group"], record["reopen_count"]) == (
        "4 - low",
        "desk-side",
        1,
    )
    trace = ticket_trace(printer)
    assert [o.state for o in trace.observations] == [
        "new", "in_progress", "resolved", "in_progress", "resolved", "closed",
    ]  # fmt: skip
    priorities = [e.value for e in ticket_history(printer) if isinstance(e, FieldUpdate)]
    assert priorities == [4]
    assert trace.observations[0].at == printer.opened_at
    assert printer.opened_at + timedelta(minutes=30) == printer.history[1].at


def test_bad_tickets_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="iterable of tickets"):
        build_ticket_report(3)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="not a ticket"):
        build_ticket_report(["INC-1"])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="tz"):
        build_ticket_report([], tz="Nowhere/Else")
    empty = build_ticket_report([])
    assert (empty.incidents, empty.sla, empty.changes, empty.as_of) == (None, None, None, None)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["tz", "sla", "period", "definition"]),
        st.sampled_from([None, 0, "", "x" * 5000, [], {}, object(), math.nan, "week", True]),
    ),
    st.lists(st.sampled_from([None, 1, "INC", object(), OFFICE]), max_size=2),
)
def test_any_arguments_give_a_report_or_a_typed_error(
    options: dict[str, Any], extra: list[Any]
) -> None:
    """Hostile options or items among the tickets: a report, or only an ItilkitError."""
    incidents, _, _ = week()
    for tickets in (incidents, [*incidents, *extra]):
        with contextlib.suppress(ItilkitError):
            build_ticket_report(tickets, **options).to_dict()
