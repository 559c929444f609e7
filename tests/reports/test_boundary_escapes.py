# mypy: disable-error-code="arg-type, list-item, dict-item, call-overload"
"""What the boundary walk (tests/boundary) found in itilkit.reports, fixed at its source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest

from itilkit.errors import ExportFormatError, InvalidInputError, InvalidTypeError
from itilkit.metrics import Period
from itilkit.reports import (
    BacklogPoint,
    BacklogSeries,
    BulkSla,
    ExportKind,
    KpiReport,
    SlaExclusion,
    build_report,
    build_ticket_report,
    bulk_sla,
    default_sla_policy,
    detect_export,
    named_lifecycle,
    servicenow_history,
    sla_compliance,
)
from itilkit.sla import FieldUpdate, StateChange
from tests.boundary.hostile import deep_list

from .files import servicenow_log

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _run() -> BulkSla:
    history = [StateChange(T0, "new", "new"), FieldUpdate(T0, "priority", 3)]
    return bulk_sla(default_sla_policy(), {"INC1": history}, T0 + timedelta(hours=2))


@pytest.mark.parametrize("value", [None, "sideways", deep_list(20_000)])
def test_an_unknown_export_kind_is_bad_input(value: object) -> None:
    """ExportKind(None) was enum's plain ValueError."""
    with pytest.raises(InvalidInputError, match="is not a ExportKind"):
        ExportKind(value)


def test_deep_values_are_quoted_briefly() -> None:
    """Messages quoted arguments with !r: deep structures were RecursionErrors."""
    deep = deep_list(20_000)
    calls: list[Any] = [
        lambda: build_report(deep),
        lambda: build_report({"a": deep}),
        lambda: build_ticket_report(deep),
        lambda: build_ticket_report([deep]),
        lambda: bulk_sla(default_sla_policy(), deep, T0),
        lambda: named_lifecycle(deep),
    ]
    for call in calls:
        with pytest.raises(InvalidInputError) as caught:
            call()
        assert len(str(caught.value)) < 600


def test_report_values_check_their_fields() -> None:
    """KpiReport(as_of=True) and BulkSla(statuses=None) were accepted, then to_dict() and
    outcomes() raised AttributeError."""
    report = build_ticket_report([])
    with pytest.raises(InvalidInputError, match="as_of"):
        attrs.evolve(report, as_of=True)
    with pytest.raises(InvalidInputError, match="reads"):
        attrs.evolve(report, reads=[None])
    assert isinstance(attrs.evolve(report, zone="UTC"), KpiReport)
    run = _run()
    for statuses in (None, {"INC1": None}, {1: next(iter(run.statuses.values()))}):
        with pytest.raises(InvalidTypeError, match="statuses"):
            attrs.evolve(run, statuses=statuses)
    with pytest.raises(InvalidInputError, match="exclusions"):
        attrs.evolve(run, exclusions=("not an exclusion",))
    with pytest.raises(InvalidInputError):
        SlaExclusion(None, "E", "why")
    with pytest.raises(InvalidInputError):
        BacklogPoint(T0.date(), -1, 0, 0)
    with pytest.raises(InvalidInputError):
        BacklogSeries("month", (), 0)
    assert BacklogSeries(Period.MONTH, (BacklogPoint(T0.date(), 1, 0, 1),), 0).excluded == 0


def test_functions_check_their_arguments() -> None:
    """named_lifecycle(catalog=True), servicenow_history(states=None) and
    sla_compliance(by=None) were AttributeErrors and TypeErrors; catalog=0 fell back to
    the default catalog silently."""
    with pytest.raises(InvalidTypeError, match="catalog must be a Catalog or None"):
        named_lifecycle("incident", True)
    with pytest.raises(InvalidTypeError, match="catalog"):
        named_lifecycle("incident", 0)
    with pytest.raises(InvalidTypeError, match="name"):
        named_lifecycle(5)
    run = _run()
    with pytest.raises(InvalidTypeError, match="by must be a sequence"):
        sla_compliance(run, by=None)
    with pytest.raises(InvalidTypeError, match="by must be a sequence"):
        sla_compliance(run, by="priority")
    with pytest.raises(InvalidTypeError, match="attributes"):
        sla_compliance(run, {"INC1": 5})
    assert sla_compliance(run, {"INC1": {"priority": 3}}, by=["priority"]).groups


def test_servicenow_history_needs_a_mapping_of_states(tmp_path: Path) -> None:
    from itilkit.interop import read_servicenow_incidents

    (incident, *_) = read_servicenow_incidents(servicenow_log(tmp_path), tz="UTC")
    with pytest.raises(InvalidTypeError, match="states must be Mapping"):
        servicenow_history(incident, None)
    assert servicenow_history(incident)


@pytest.mark.parametrize("head", [b"a,b\rc\n", b"SQLite format 3\x00\r\x01\x02\n"])
def test_detect_export_of_a_header_with_a_stray_carriage_return(
    head: bytes, tmp_path: Path
) -> None:
    """A file whose first line holds a carriage return (a SQLite file named as an export)
    raised csv.Error instead of ExportFormatError."""
    file = tmp_path / "export.csv"
    file.write_bytes(head)
    with pytest.raises(ExportFormatError):
        detect_export(file)
