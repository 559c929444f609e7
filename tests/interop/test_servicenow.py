"""The ServiceNow event-log reader on small files written here, sound and broken."""

from __future__ import annotations

import itertools
import lzma
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from itilkit.errors import (
    ExportFormatError,
    ExportReadError,
    InteropError,
    InvalidInputError,
    MalformedRowError,
)
from itilkit.interop import (
    Label,
    ProblemKind,
    ReadProgress,
    ServiceNowIncident,
    _source,
    read_servicenow_incidents,
)

from .helpers import UCI_COLUMNS, uci_row, write

CET = timezone(timedelta(hours=1))


def three_updates(number: str = "INC0000001") -> list[list[str]]:
    """New, then Active, then Resolved (with a gap in the counter: 0, 1, 3)."""
    return [
        uci_row(number=number),
        uci_row(
            number=number,
            incident_state="Active",
            sys_mod_count="1",
            sys_updated_at="29/2/2016 02:00",
            assigned_to="Resolver 3",
        ),
        uci_row(
            number=number,
            incident_state="Resolved",
            sys_mod_count="3",
            sys_updated_at="29/2/2016 11:29",
            priority="2 - High",
        ),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".csv.xz", ".csv.gz"])
def test_an_incident_is_rebuilt_with_typed_ordered_updates(tmp_path: Path, suffix: str) -> None:
    """Rows become one incident: aware times in the zone, labels, flags, counts, None for ?."""
    path = write(tmp_path / f"log{suffix}", UCI_COLUMNS, three_updates())
    reading = read_servicenow_incidents(path, tz="Europe/Amsterdam")
    (incident,) = list(reading)
    assert isinstance(incident, ServiceNowIncident)
    assert incident.number == "INC0000001"
    assert [u.state for u in incident.updates] == ["New", "Active", "Resolved"]
    assert [u.row for u in incident.updates] == [2, 3, 4]
    first = incident.updates[0]
    assert first.at == datetime(2016, 2, 29, 1, 23, tzinfo=CET)
    assert first.at.utcoffset() == timedelta(hours=1)
    assert (first.active, first.made_sla, first.reassignment_count) == (True, True, 0)
    assert first.priority == Label(3, "Moderate")
    assert str(first.priority) == "3 - Moderate"
    assert first.assigned_to is None
    assert incident.updates[1].assigned_to == "Resolver 3"
    assert incident.final.priority == Label(2, "High")
    assert incident.opened_at == datetime(2016, 2, 29, 1, 16, tzinfo=CET)
    assert incident.opened_by == "Opened by  8"  # inner spaces kept
    assert (incident.created_at, incident.configuration_item) == (None, None)
    assert incident.resolved_at == datetime(2016, 2, 29, 11, 29, tzinfo=CET)
    assert incident.closed_at == datetime(2016, 3, 5, 12, 0, tzinfo=CET)
    assert incident.missing_updates == 1
    report = reading.report
    assert (report.rows, report.records, report.malformed, report.complete) == (3, 1, 0, True)
    assert report.notes == {
        "incidents with update-counter gaps": 1,
        "updates missing from the counter": 1,
    }


def test_times_carry_the_offset_of_their_date_across_dst(tmp_path: Path) -> None:
    """Summer times get +02:00 in Amsterdam, so durations across the change are exact."""
    rows = [
        uci_row(sys_updated_at="26/3/2016 12:00"),
        uci_row(sys_mod_count="1", sys_updated_at="27/3/2016 12:00"),
    ]
    (incident,) = read_servicenow_incidents(
        write(tmp_path / "log.csv", UCI_COLUMNS, rows), tz=ZoneInfo("Europe/Amsterdam")
    )
    a, b = (u.at for u in incident.updates)
    assert b - a == timedelta(hours=23)
    assert b.utcoffset() == timedelta(hours=2)


def test_rows_are_ordered_by_counter_then_time(tmp_path: Path) -> None:
    """File order does not matter within an incident; equal counters sort by time."""
    rows = [
        uci_row(incident_state="Active", sys_mod_count="2", sys_updated_at="29/2/2016 05:00"),
        uci_row(sys_mod_count="1", sys_updated_at="29/2/2016 03:00"),
        uci_row(sys_mod_count="1", sys_updated_at="29/2/2016 02:00"),
    ]
    (incident,) = read_servicenow_incidents(write(tmp_path / "l.csv", UCI_COLUMNS, rows), tz="UTC")
    assert [u.row for u in incident.updates] == [4, 3, 2]
    assert incident.missing_updates == 1  # update 0 is not in the log


def test_of_two_conflicting_updates_the_one_repeating_a_counter_is_left_out(
    tmp_path: Path,
) -> None:
    """Counter 1 twice, and its later copy is timed after update 2: that copy goes."""
    rows = [
        uci_row(sys_mod_count="1", sys_updated_at="29/2/2016 11:10"),  # 2: the suspect
        uci_row(sys_mod_count="1", sys_updated_at="29/2/2016 09:52"),  # 3
        uci_row(incident_state="Resolved", sys_mod_count="2", sys_updated_at="29/2/2016 11:03"),
        uci_row(incident_state="Closed", sys_mod_count="3", sys_updated_at="5/3/2016 12:00"),
    ]
    reading = read_servicenow_incidents(write(tmp_path / "l.csv", UCI_COLUMNS, rows), tz="UTC")
    (incident,) = reading
    assert [u.row for u in incident.updates] == [3, 4, 5]
    (problem,) = reading.report.problems
    assert (problem.row, problem.kind) == (2, ProblemKind.IMPOSSIBLE_ORDER)
    assert problem.reason == (
        "sys_updated_at 2016-02-29T11:10:00+00:00 (sys_mod_count 1) is later than "
        "2016-02-29T11:03:00+00:00 of update 2 (line 4)"
    )


def broken_log(tmp_path: Path) -> Path:
    """Three sound incidents and every kind of malformed row (line numbers on the right)."""
    rows = [
        *three_updates("INC0000001"),  # 2-4
        uci_row(number="INC0000002", incident_state="-100"),  # 5
        uci_row(number="INC0000002", sys_mod_count="1", sys_updated_at="?"),  # 6
        uci_row(number="INC0000002", sys_mod_count="2", sys_updated_at="31/2/2016 01:00"),  # 7
        uci_row(number="INC0000002", sys_mod_count="3", priority="high"),  # 8
        uci_row(number="INC0000002", sys_mod_count="4", sys_updated_at="1/3/2016 09:00"),  # 9
        uci_row(number="INC0000002", sys_mod_count="5", sys_updated_at="29/2/2016 09:00"),  # 10
        uci_row(number="?"),  # 11
        uci_row(number="INC0000003"),  # 12
        uci_row(number="INC0000002", incident_state="Closed", sys_mod_count="9"),  # 13
        ["INC0000003", "New"],  # 14
        [""] * len(UCI_COLUMNS),  # 15
        uci_row(number="INC0000004", sys_mod_count="x"),  # 16
        uci_row(number="INC0000005", incident_state="?"),  # 17
    ]
    return write(tmp_path / "broken.csv", UCI_COLUMNS, rows)


def test_malformed_rows_are_reported_with_line_and_reason(tmp_path: Path) -> None:
    """Nothing is dropped silently: every bad row is listed, and the read carries on."""
    reading = read_servicenow_incidents(broken_log(tmp_path), tz="UTC")
    incidents = list(reading)
    assert [i.number for i in incidents] == ["INC0000001", "INC0000002", "INC0000003"]
    assert [u.row for u in incidents[1].updates] == [9]
    report = reading.report
    assert [(p.row, p.ticket, p.kind) for p in report.problems] == [
        (5, "INC0000002", ProblemKind.UNKNOWN_STATE),
        (6, "INC0000002", ProblemKind.MISSING_VALUE),
        (7, "INC0000002", ProblemKind.BAD_VALUE),
        (8, "INC0000002", ProblemKind.BAD_VALUE),
        (11, None, ProblemKind.MISSING_VALUE),
        (10, "INC0000002", ProblemKind.IMPOSSIBLE_ORDER),
        (13, "INC0000002", ProblemKind.NOT_CONTIGUOUS),
        (14, None, ProblemKind.FIELD_COUNT),
        (16, "INC0000004", ProblemKind.BAD_VALUE),
        (17, "INC0000005", ProblemKind.MISSING_VALUE),
    ]
    reasons = {p.row: p.reason for p in report.problems}
    assert "'-100' is not a known state" in reasons[5]
    assert reasons[6] == "sys_updated_at is missing"
    assert reasons[7].startswith("sys_updated_at: '31/2/2016 01:00' is not a day-first date")
    assert reasons[8] == "priority: 'high' is not a label such as '2 - Medium'"
    assert "earlier than" in reasons[10]
    assert "line 9" in reasons[10]
    assert reasons[11] == "the row has no incident number"
    assert "contiguous" in reasons[13]
    assert reasons[14] == f"the row has 2 fields, the header {len(UCI_COLUMNS)}"
    assert reasons[16] == "sys_mod_count: 'x' is not a whole number >= 0"
    assert reasons[17] == "incident_state is missing"
    assert (report.rows, report.blank_rows, report.records) == (16, 1, 3)
    assert report.counts() == {
        "missing_value": 3,
        "bad_value": 3,
        "unknown_state": 1,
        "impossible_order": 1,
        "not_contiguous": 1,
        "field_count": 1,
    }


def test_strict_mode_stops_at_the_first_malformed_row(tmp_path: Path) -> None:
    """strict=True raises a typed error naming the file, line, ticket and reason."""
    reading = read_servicenow_incidents(broken_log(tmp_path), tz="UTC", strict=True)
    with pytest.raises(MalformedRowError) as caught:
        list(reading)
    error = caught.value
    assert (error.row, error.ticket) == (5, "INC0000002")
    assert "line 5 (INC0000002): incident_state '-100'" in str(error)
    assert isinstance(error, ValueError)
    assert isinstance(error, InteropError)
    assert reading.report.complete is False


def test_any_order_gathers_rows_held_until_the_end(tmp_path: Path) -> None:
    """contiguous=False accepts interleaved incidents (in first-seen order)."""
    a, b = three_updates("INC0000001"), three_updates("INC0000002")
    rows = [a[0], b[0], a[1], b[1], b[2], a[2]]
    path = write(tmp_path / "mixed.csv", UCI_COLUMNS, rows)
    mixed = read_servicenow_incidents(path, tz="UTC", contiguous=False)
    incidents = list(mixed)
    assert [(i.number, len(i.updates)) for i in incidents] == [("INC0000001", 3), ("INC0000002", 3)]
    assert mixed.report.malformed == 0
    grouped = read_servicenow_incidents(path, tz="UTC")
    assert len(list(grouped)) == 2
    assert grouped.report.counts() == {"not_contiguous": 4}  # all but the first row of each


def test_unknown_states_can_be_allowed(tmp_path: Path) -> None:
    """The accepted states are the caller's to choose."""
    path = write(tmp_path / "l.csv", UCI_COLUMNS, [uci_row(incident_state="Triage")])
    assert list(read_servicenow_incidents(path, tz="UTC")) == []
    (incident,) = read_servicenow_incidents(path, tz="UTC", states={"Triage"})
    assert incident.final.state == "Triage"


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    """Only number, incident_state, sys_mod_count and sys_updated_at are required."""
    header = ["sys_updated_at", "number", "sys_mod_count", "incident_state"]
    path = write(tmp_path / "min.csv", header, [["1/3/2016 10:00", "INC9", "0", "New"]])
    (incident,) = read_servicenow_incidents(path, tz=UTC)
    assert incident.final.at == datetime(2016, 3, 1, 10, tzinfo=UTC)
    assert (incident.final.priority, incident.opened_at, incident.category) == (None, None, None)


def test_a_file_without_the_required_columns_is_refused(tmp_path: Path) -> None:
    """The error names the missing columns and what the header has."""
    path = write(tmp_path / "wrong.csv", ["number", "state"], [["INC1", "New"]])
    with pytest.raises(ExportFormatError, match="lacks the column") as caught:
        list(read_servicenow_incidents(path, tz="UTC"))
    assert caught.value.missing == ("incident_state", "sys_mod_count", "sys_updated_at")
    assert caught.value.found == ("number", "state")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ExportFormatError, match="its header has: nothing"):
        list(read_servicenow_incidents(empty, tz="UTC"))


def test_unreadable_files_raise_one_typed_error(tmp_path: Path) -> None:
    """Missing, corrupt, truncated or undecodable files raise ExportReadError (an OSError)."""
    with pytest.raises(ExportReadError, match="No such file") as caught:
        list(read_servicenow_incidents(tmp_path / "absent.csv", tz="UTC"))
    assert isinstance(caught.value, OSError)
    with pytest.raises(ExportReadError):
        list(read_servicenow_incidents(tmp_path, tz="UTC"))
    fake = tmp_path / "fake.csv.xz"
    fake.write_bytes(b"number,incident_state\n")
    with pytest.raises(ExportReadError, match=r"fake\.csv\.xz"):
        list(read_servicenow_incidents(fake, tz="UTC"))
    good = write(tmp_path / "good.csv.xz", UCI_COLUMNS, three_updates() * 200)
    cut = tmp_path / "cut.csv.xz"
    cut.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(ExportReadError):
        list(read_servicenow_incidents(cut, tz="UTC"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        ",".join(UCI_COLUMNS).encode()
        + b"\n"
        + ",".join(uci_row(caller_id="Jos\xe9")).encode("latin-1")
    )
    with pytest.raises(ExportReadError, match=r"can't decode byte"):
        list(read_servicenow_incidents(latin, tz="UTC"))
    (decoded,) = read_servicenow_incidents(latin, tz="UTC", encoding="latin-1")
    assert decoded.caller == "José"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"tz": "Mars/Olympus"}, "IANA zone"),
        ({"tz": 1}, "IANA zone"),
        ({"progress": "yes"}, "progress must be callable"),
    ],
)
def test_bad_arguments_are_refused_at_once(
    tmp_path: Path, options: dict[str, object], message: str
) -> None:
    """Arguments are checked when the reading is made, before any file is opened."""
    call: dict[str, object] = {"tz": "UTC", **options}
    with pytest.raises(InvalidInputError, match=message):
        read_servicenow_incidents(tmp_path / "any.csv", **call)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="path"):
        read_servicenow_incidents(3, tz="UTC")  # type: ignore[arg-type]


def test_progress_is_reported_and_each_iteration_reads_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook sees rows and bytes grow, then a final call; a new pass resets the report."""
    monkeypatch.setattr(_source, "PROGRESS_EVERY", 2)
    rows = [r for n in range(3) for r in three_updates(f"INC{n:07d}")]
    path = write(tmp_path / "p.csv.xz", UCI_COLUMNS, rows)
    seen: list[ReadProgress] = []
    reading = read_servicenow_incidents(path, tz="UTC", progress=seen.append)
    assert reading.report.complete is False
    assert reading.report.rows == 0
    assert len(list(reading)) == 3
    assert [p.rows for p in seen] == [2, 4, 6, 8, 9]
    assert [p.done for p in seen] == [False] * 4 + [True]
    assert seen[-1].bytes_read == seen[-1].bytes_total == path.stat().st_size
    assert seen[-1].fraction == 1.0
    assert all(a.bytes_read <= b.bytes_read for a, b in itertools.pairwise(seen))
    assert len(list(reading)) == 3
    assert reading.report.records == 3
    for _incident in reading:
        break
    assert reading.report.complete is False
    assert repr(reading) == f"Reading({str(path)!r}, 'ServiceNow incident event log')"


def test_report_dict_form(tmp_path: Path) -> None:
    """The report's dict lists counts and problems in plain values."""
    reading = read_servicenow_incidents(broken_log(tmp_path), tz="UTC")
    list(reading)
    data = reading.report.to_dict()
    assert data["malformed"] == len(data["problems"]) == 10
    assert data["problems"][0] == {
        "row": 5,
        "ticket": "INC0000002",
        "kind": "unknown_state",
        "reason": data["problems"][0]["reason"],
    }
    assert "problems" not in reading.report.to_dict(problems=False)


def test_large_files_stream(tmp_path: Path) -> None:
    """A file of many incidents yields the first before reading the rest."""
    rows = [r for n in range(2000) for r in three_updates(f"INC{n:07d}")]
    path = write(tmp_path / "big.csv.xz", UCI_COLUMNS, rows)
    reading = read_servicenow_incidents(path, tz="UTC")
    iterator = iter(reading)
    next(iterator)
    assert reading.report.rows < len(rows)
    assert sum(1 for _ in iterator) == 1999
    assert lzma.decompress(path.read_bytes()).count(b"\n") == len(rows) + 1
