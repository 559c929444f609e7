"""build_report on small exports written here, whose figures are worked out by hand."""

from __future__ import annotations

import gzip
import json
import lzma
from datetime import date, timedelta
from pathlib import Path

import pytest

from itilkit.errors import ExportFormatError, ExportReadError, InvalidInputError
from itilkit.interop import SERVICENOW_STATES
from itilkit.metrics import RateStats
from itilkit.reports import (
    SERVICENOW_CATEGORIES,
    ExportKind,
    KpiReport,
    build_report,
    detect_export,
    named_lifecycle,
)
from itilkit.sla import BusinessCalendar, WeeklySchedule
from tests.reports.files import hpsm_exports, servicenow_log

HOUR = timedelta(hours=1)


@pytest.fixture
def servicenow(tmp_path: Path) -> KpiReport:
    return build_report([servicenow_log(tmp_path)])


def test_servicenow_incident_figures(servicenow: KpiReport) -> None:
    """Time to resolve by priority, reopen and first-assignment rates, the export's flag."""
    incidents = servicenow.incidents
    assert incidents is not None
    assert incidents.tickets == 4
    ttr = incidents.time_to_resolve
    assert ttr.overall.median == 4 * HOUR
    assert {k[0]: s.median for k, s in ttr.groups.items()} == {
        "2 - High": 4 * HOUR,
        "3 - Moderate": 48 * HOUR,
        "4 - Low": HOUR,
    }
    assert ttr.exclusions["unresolved"].samples == ("INC4",)
    assert incidents.reopen_rate.overall == RateStats(1, 3)
    assert incidents.first_assignment.overall == RateStats(1, 3)
    assert incidents.export_sla is not None
    assert incidents.export_sla.overall.records == RateStats(3, 4)
    assert incidents.business_time_to_resolve is None


def test_servicenow_sla_names_the_ticket_it_cannot_measure(servicenow: KpiReport) -> None:
    """INC4 has no priority, so no target duration: it is an exclusion, the rest measured."""
    sla = servicenow.sla
    assert sla is not None
    assert [(e.ticket, e.error) for e in sla.run.exclusions] == [("INC4", "MissingDurationError")]
    assert list(sla.run.statuses) == ["INC1", "INC2", "INC3"]
    overall = sla.compliance.overall.targets
    assert (overall["response"].met, overall["response"].breached) == (2, 0)
    assert (overall["resolution"].met, overall["resolution"].breached) == (2, 1)
    by_priority = sla.by("priority")
    assert by_priority["3 - Moderate"].targets["resolution"].breached == 1
    assert by_priority["4 - Low"].targets["response"].met == 0  # never started
    assert set(sla.by("group")) == {"Group 1", "Group 2"}
    assert set(sla.by("month")) == {date(2016, 3, 1)}
    with pytest.raises(InvalidInputError, match="dimension"):
        sla.by("colour")


def test_servicenow_backlog_quality_and_conformance(servicenow: KpiReport) -> None:
    """Daily backlog, zero-filled; malformed rows reported; two incidents deviate."""
    assert servicenow.as_of is not None
    assert servicenow.as_of.isoformat() == "2016-03-08T09:00:00+00:00"
    backlog = servicenow.backlog
    assert backlog is not None
    assert [(p.opened, p.ended, p.open) for p in backlog.points] == [
        (2, 1, 1), (0, 0, 1), (0, 1, 0), (1, 1, 0), (1, 0, 1), (0, 0, 1), (0, 0, 1),
    ]  # fmt: skip
    (read,) = servicenow.reads
    assert read.counts() == {"bad_value": 1, "unknown_state": 1}
    conformance = servicenow.conformance
    assert conformance is not None
    assert (conformance.conforming, conformance.deviating) == (2, 2)
    assert [(s.source, s.target) for s in conformance.disallowed] == [("new", "on_hold")]


def test_hpsm_figures(tmp_path: Path) -> None:
    """FCR by the interactions' flag alone, change success and emergency ratio, links."""
    report = build_report(hpsm_exports(tmp_path), tz="Europe/Amsterdam")
    assert report.source == "hpsm"
    assert [r.records for r in report.reads] == [2, 3, 4]
    assert report.interactions is not None
    assert report.interactions.first_contact.overall == RateStats(2, 3)
    changes = report.changes
    assert changes is not None
    assert changes.changes == 3  # the change entities made: C5 is refused
    assert changes.success.overall == RateStats(1, 2)
    assert changes.emergency.overall == RateStats(1, 2)  # C3, canceled, is neither
    assert list(changes.success.exclusions) == ["canceled"]
    assert changes.imported is not None
    assert [(p.row, p.ticket) for p in changes.imported.refused] == [(6, "C5")]
    assert changes.imported.refused[0].reason.startswith("Planned End is missing")
    data = report.to_dict()["changes"]
    assert data["refused"] == 1
    assert data["refused_by_reason"][0]["examples"] == [{"row": 6, "ticket": "C5"}]
    assert data["notes"]["changes closed without an actual start, canceled"] == 1
    assert report.incidents is not None
    assert report.incidents.reopen_rate.overall == RateStats(1, 2)
    assert report.incidents.time_to_resolve.overall.maximum == 24 * HOUR
    assert report.sla is not None
    resolution = report.sla.compliance.overall.targets["resolution"]
    assert (resolution.met, resolution.breached) == (1, 1)
    assert list(report.sla.compliance.overall.targets) == ["resolution"]
    assert report.links is not None
    assert [(c.column, c.resolved, c.several) for c in report.links.counts] == [
        ("Related Incident", 1, 0),
        ("Related Interaction", 1, 1),
        ("Related Change", 1, 0),
    ]
    assert report.conformance is None
    assert report.to_dict()["sla"]["by_group"] is None  # HP SM incidents have no group


def test_hpsm_files_alone(tmp_path: Path) -> None:
    """Any one HP SM export makes a report of what it holds; links need all three."""
    incidents, interactions, _ = hpsm_exports(tmp_path)
    alone = build_report([interactions])
    assert alone.incidents is None
    assert alone.sla is None
    assert alone.links is None
    assert alone.interactions is not None
    assert build_report([incidents]).interactions is None


def test_a_calendar_gives_business_time(tmp_path: Path) -> None:
    """With a business calendar, time to resolve is also measured in business hours."""
    office = BusinessCalendar("UTC", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))
    report = build_report([servicenow_log(tmp_path)], sla=office)
    assert report.incidents is not None
    business = report.incidents.business_time_to_resolve
    assert business is not None
    # INC1 Wed 09:00-13:00 (4 h); INC2 Wed 10:00 to Fri 10:00 (16 h); INC3 Sat (0 h)
    medians = {key[0]: s.median for key, s in business.groups.items()}
    assert medians == {"2 - High": 4 * HOUR, "3 - Moderate": 16 * HOUR, "4 - Low": 0 * HOUR}
    assert report.to_dict()["calendar"]["zone"] == "UTC"


def test_the_json_form_is_plain_and_stable(servicenow: KpiReport) -> None:
    """Plain JSON: kind and version first, durations in seconds, the same text each time."""
    data = servicenow.to_dict()
    text = json.dumps(data)
    assert json.loads(text) == data
    assert list(data)[:4] == ["kind", "schema_version", "source", "zone"]
    assert (data["kind"], data["schema_version"]) == ("itilkit-report", 1)
    assert data["incidents"]["time_to_resolve"]["overall"]["median"] == 14400.0
    assert data["sla"]["excluded"][0]["ticket"] == "INC4"
    assert data["sla"]["policy"]["kind"] == "sla-policy"
    assert json.dumps(servicenow.to_dict()) == text


def test_detect_export_reads_compressed_headers(tmp_path: Path) -> None:
    """The header tells each kind, plain, xz or gzip; other files are refused by name."""
    assert detect_export(servicenow_log(tmp_path, compress=True)) is ExportKind.SERVICENOW
    kinds = [detect_export(path) for path in hpsm_exports(tmp_path)]
    assert kinds == [
        ExportKind.HPSM_INCIDENTS, ExportKind.HPSM_INTERACTIONS, ExportKind.HPSM_CHANGES,
    ]  # fmt: skip
    gz = tmp_path / "x.csv.gz"
    gz.write_bytes(gzip.compress((tmp_path / "Detail_Change.csv").read_bytes()))
    assert detect_export(gz) is ExportKind.HPSM_CHANGES
    other = tmp_path / "other.csv"
    other.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(ExportFormatError, match="not a ServiceNow or HP SM export") as refused:
        detect_export(other)
    assert refused.value.found == ("a", "b", "c")  # split by its own delimiter, in order
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text("Ticket;Opened at, local;Owner\n")
    with pytest.raises(ExportFormatError) as refused:
        detect_export(semicolons)
    assert refused.value.found == ("Ticket", "Opened at, local", "Owner")
    broken = tmp_path / "broken.csv.xz"
    broken.write_bytes(lzma.compress(b"number,incident_state\n")[:20])
    with pytest.raises(ExportReadError):
        detect_export(broken)
    with pytest.raises(ExportReadError, match="No such file"):
        detect_export(tmp_path / "missing.csv")
    with pytest.raises(ExportReadError):
        detect_export(tmp_path)


def test_files_that_do_not_go_together(tmp_path: Path) -> None:
    """One source per report, one file per HP SM kind, the source insisted on is checked."""
    log = servicenow_log(tmp_path)
    incidents, interactions, _ = hpsm_exports(tmp_path)
    with pytest.raises(InvalidInputError, match="one source"):
        build_report([log, incidents])
    with pytest.raises(InvalidInputError, match="both hpsm-incidents"):
        build_report([incidents, incidents])
    with pytest.raises(InvalidInputError, match="is not a hpsm export"):
        build_report([log], source="hpsm")
    with pytest.raises(InvalidInputError, match="non-empty list"):
        build_report([])
    with pytest.raises(InvalidInputError, match="non-empty list"):
        build_report(str(log))
    with pytest.raises(InvalidInputError, match="tz must be"):
        build_report([log], tz="Mars/Olympus")
    with pytest.raises(InvalidInputError, match="period"):
        build_report([log], period="fortnight")
    with pytest.raises(InvalidInputError, match="sla must be"):
        build_report([log], sla="24x7")  # type: ignore[arg-type]
    assert build_report([interactions], source="hpsm").interactions is not None


def test_servicenow_categories_follow_the_default_incident_lifecycle() -> None:
    """The SLA categories of ServiceNow's states are those of the lifecycle states that
    SERVICENOW_STATES maps them onto, so the SLA and conformance read one mapping."""
    lifecycle = named_lifecycle("incident")
    categories = {s.name: s.category for s in lifecycle.states}
    assert set(SERVICENOW_CATEGORIES) == set(SERVICENOW_STATES)
    for state, category in SERVICENOW_CATEGORIES.items():
        assert categories[SERVICENOW_STATES[state]] is category, state


def test_the_json_keys_are_the_documented_ones(tmp_path: Path) -> None:
    """The keys docs/cli.md lists, section by section: a change here is a new version."""
    data = build_report([servicenow_log(tmp_path)]).to_dict()
    assert list(data) == [
        "kind", "schema_version", "source", "zone", "as_of", "calendar", "files", "links",
        "incidents", "sla", "backlog", "interactions", "changes", "conformance",
    ]  # fmt: skip
    assert list(data["files"][0]) == [
        "path", "kind", "rows", "records", "blank_rows", "malformed", "malformed_by_kind",
        "notes", "complete", "examples",
    ]  # fmt: skip
    assert list(data["incidents"]) == [
        "tickets", "time_to_resolve", "business_time_to_resolve", "reopen_rate",
        "first_assignment_resolution", "export_sla",
    ]  # fmt: skip
    assert list(data["incidents"]["time_to_resolve"]["overall"]) == [
        "count", "mean", "median", "p90", "minimum", "maximum",
    ]  # fmt: skip
    assert list(data["sla"]) == [
        "policy", "now", "tickets", "measured", "excluded", "overall", "by_priority",
        "by_group", "by_month", "excluded_by_measure",
    ]  # fmt: skip
    assert list(data["sla"]["overall"]["targets"]["resolution"]) == [
        "met", "breached", "in_progress", "canceled", "compliance",
    ]  # fmt: skip
    assert list(data["backlog"]) == ["period", "excluded", "points"]
    assert list(data["backlog"]["points"][0]) == ["start", "opened", "ended", "open"]
    hpsm = build_report(hpsm_exports(tmp_path)).to_dict()
    assert list(hpsm["interactions"]) == ["interactions", "first_contact_resolution"]
    assert list(hpsm["changes"]) == [
        "changes", "success", "emergency_ratio", "refused", "refused_by_reason", "notes",
    ]  # fmt: skip
