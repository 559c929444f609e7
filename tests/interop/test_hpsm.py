"""HP Service Manager readers and their links, on small files written here, sound and broken."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.errors import ExportFormatError, MalformedRowError
from itilkit.interop import (
    MULTIVALUE,
    CiReference,
    ProblemKind,
    Reference,
    link_hpsm,
    read_hpsm_changes,
    read_hpsm_incidents,
    read_hpsm_interactions,
)

from .helpers import ZONES, local_times, row, write

CET, CEST = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))
INCIDENT = [
    "CI Name (aff)",
    "CI Type (aff)",
    "CI Subtype (aff)",
    "Service Component WBS (aff)",
    "Incident ID",
    "Status",
    "Impact",
    "Urgency",
    "Priority",
    "Category",
    "KM number",
    "Alert Status",
    "# Reassignments",
    "Open Time",
    "Reopen Time",
    "Resolved Time",
    "Close Time",
    "Handle Time (Hours)",
    "Closure Code",
    "# Related Interactions",
    "Related Interaction",
    "# Related Incidents",
    "# Related Changes",
    "Related Change",
    "CI Name (CBy)",
    "CI Type (CBy)",
    "CI Subtype (CBy)",
    "ServiceComp WBS (CBy)",
] + [""] * 3
INTERACTION = [
    "CI Name (aff)",
    "CI Type (aff)",
    "CI Subtype (aff)",
    "Service Comp WBS (aff)",
    "Interaction ID",
    "Status",
    "Impact",
    "Urgency",
    "Priority",
    "Category",
    "KM number",
    "Open Time (First Touch)",
    "Close Time",
    "Closure Code",
    "First Call Resolution",
    "Handle Time (secs)",
    "Related Incident",
]
CHANGE = [
    "CI Name (aff)",
    "CI Type (aff)",
    "CI Subtype (aff)",
    "Service Component WBS (aff)",
    "Change ID",
    "Change Type",
    "Risk Assessment",
    "Emergency Change",
    "CAB-approval needed",
    "Planned Start",
    "Planned End",
    "Scheduled Downtime Start",
    "Scheduled Downtime End",
    "Actual Start",
    "Actual End",
    "Requested End Date",
    "Change record Open Time",
    "Change record Close Time",
    "Originated from",
    "# Related Interactions",
    "# Related Incidents",
]


def incident(**values: str) -> list[str]:
    """An incident row (the header ends in empty columns, as the real export's does)."""
    base = {
        "CI Name (aff)": "SUB000508",
        "CI Type (aff)": "subapplication",
        "CI Subtype (aff)": "Web Based Application",
        "Service Component WBS (aff)": "WBS000162",
        "Incident ID": "IM0000004",
        "Status": "Closed",
        "Impact": "4",
        "Urgency": "5 - Very Low",
        "Priority": "4",
        "Category": "incident",
        "Alert Status": "closed",
        "# Reassignments": "2",
        "Open Time": "05/02/2012 13:32:57",
        "Resolved Time": "04/11/2013 13:50:27",
        "Close Time": "04/11/2013 13:51:17",
        "Handle Time (Hours)": "3,5",
        "Closure Code": "Other",
        "# Related Interactions": "1",
        "Related Interaction": "SD0000007",
        "Related Change": "#N/B",
        "CI Name (CBy)": "#N/B",
    }
    return row(INCIDENT, {**base, **values})


def test_incidents_are_typed(tmp_path: Path) -> None:
    """Times with seconds, codes from labels, decimal-comma hours, references, CI items."""
    path = write(tmp_path / "inc.csv.xz", INCIDENT, [incident()], delimiter=";", newline="\r\n")
    reading = read_hpsm_incidents(path, tz="Europe/Amsterdam")
    (found,) = reading
    assert found.id == "IM0000004"
    assert (found.impact, found.urgency, found.priority, found.reassignments) == (4, 5, 4, 2)
    assert found.opened_at.tzinfo == CET
    assert found.opened_at.replace(tzinfo=None).isoformat() == "2012-02-05T13:32:57"
    assert found.reopened_at is None
    assert found.handle_time == timedelta(hours=3.5)
    assert found.related_interaction == Reference("SD0000007")
    assert found.related_change is None
    assert found.affected == CiReference(
        "SUB000508", "subapplication", "Web Based Application", "WBS000162"
    )
    assert found.caused_by is None
    assert (found.km_number, found.related_changes) == (None, None)
    assert reading.report.rows == 1


def test_incident_problems(tmp_path: Path) -> None:
    """Blank rows count apart; missing ids, bad values, bad order and duplicates are reported."""
    rows = [
        incident(),  # 2
        [""] * len(INCIDENT),  # 3
        incident(**{"Incident ID": ""}),  # 4
        incident(**{"Incident ID": "IM2", "Open Time": ""}),  # 5
        incident(**{"Incident ID": "IM3", "Priority": "high"}),  # 6
        incident(**{"Incident ID": "IM4", "Resolved Time": "01/01/2012 00:00:00"}),  # 7
        incident(**{"Incident ID": "IM5", "Close Time": "04/11/2013 13:00:00"}),  # 8
        incident(),  # 9
        incident(**{"Incident ID": "IM6", "Related Change": "#MULTIVALUE"}),  # 10
    ]
    path = write(tmp_path / "inc.csv", INCIDENT, rows, delimiter=";")
    reading = read_hpsm_incidents(path, tz="UTC")
    assert [i.id for i in reading] == ["IM0000004", "IM6"]
    report = reading.report
    assert report.blank_rows == 1
    assert [(p.row, p.ticket, p.kind) for p in report.problems] == [
        (4, None, ProblemKind.MISSING_VALUE),
        (5, "IM2", ProblemKind.MISSING_VALUE),
        (6, "IM3", ProblemKind.BAD_VALUE),
        (7, "IM4", ProblemKind.IMPOSSIBLE_ORDER),
        (8, "IM5", ProblemKind.IMPOSSIBLE_ORDER),
        (9, "IM0000004", ProblemKind.DUPLICATE),
    ]
    reasons = [p.reason for p in report.problems]
    assert reasons[1] == "Open Time is missing"
    assert reasons[2] == "Priority: 'high' is not a label such as '2 - Medium'"
    assert (
        reasons[3]
        == "resolved_at 2012-01-01T00:00:00+00:00 is before opened_at 2012-02-05T13:32:57+00:00"
    )
    assert reasons[4].startswith("closed_at 2013-11-04T13:00:00+00:00 is before resolved_at")
    assert reasons[5] == "incident IM0000004 was already read from line 2"
    with pytest.raises(MalformedRowError, match="line 4"):
        list(read_hpsm_incidents(path, tz="UTC", strict=True))
    (_, multi) = read_hpsm_incidents(path, tz="UTC")
    assert multi.related_change == MULTIVALUE


def test_a_row_like_the_one_before_is_checked_again(tmp_path: Path) -> None:
    """A row whose fields repeat the row before (its values reused) is still checked: each
    bad row is reported, a repeated id is a duplicate, a blank or marker id is missing."""
    late = {"Incident ID": "IM4", "Resolved Time": "01/01/2012 00:00:00"}
    bad = {"Incident ID": "IM3", "Priority": "high"}
    rows = [
        incident(),  # 2
        incident(),  # 3
        incident(**late),  # 4
        incident(**late),  # 5
        incident(**bad),  # 6
        incident(**bad),  # 7
        incident(**{"Incident ID": "  "}),  # 8
        incident(**{"Incident ID": " #N/B "}),  # 9
        incident(**{"Incident ID": " IM7 "}),  # 10
    ]
    path = write(tmp_path / "inc.csv", INCIDENT, rows, delimiter=";")
    reading = read_hpsm_incidents(path, tz="UTC")
    assert [i.id for i in reading] == ["IM0000004", "IM7"]
    assert [(p.row, p.ticket, p.kind) for p in reading.report.problems] == [
        (3, "IM0000004", ProblemKind.DUPLICATE),
        (4, "IM4", ProblemKind.IMPOSSIBLE_ORDER),
        (5, "IM4", ProblemKind.IMPOSSIBLE_ORDER),
        (6, "IM3", ProblemKind.BAD_VALUE),
        (7, "IM3", ProblemKind.BAD_VALUE),
        (8, None, ProblemKind.MISSING_VALUE),
        (9, None, ProblemKind.MISSING_VALUE),
    ]


@settings(max_examples=40, deadline=None)
@given(st.data(), st.sampled_from(ZONES))
def test_times_read_in_the_row_loop_equal_strptime_and_zoneinfo(
    data: st.DataObject, zone: str
) -> None:
    """The reader's own reading of times (a seen date and clock added up in its loop, any
    other text through the checked parser) gives each row's times as the slow obvious path
    does: ``strptime``, then zoneinfo's offset for the wall time (fold 0); near DST changes
    too, with dates and clocks repeating between rows and columns."""
    info = ZoneInfo(zone)
    opened = data.draw(st.lists(local_times(zone), min_size=1, max_size=30))
    closed = [data.draw(st.sampled_from(opened)) for _ in opened]
    text = [[t.strftime("%d/%m/%Y %H:%M:%S") for t in column] for column in (opened, closed)]
    with tempfile.TemporaryDirectory() as folder:
        rows = [
            incident(**{"Incident ID": f"IM{n}", "Open Time": a, "Resolved Time": "",
                        "Close Time": b})
            for n, (a, b) in enumerate(zip(*text, strict=True))
        ]  # fmt: skip
        reading = read_hpsm_incidents(
            write(Path(folder) / "i.csv", INCIDENT, rows, delimiter=";"), tz=zone
        )
        read = {i.id: i for i in reading}
    for n, (a, b) in enumerate(zip(*text, strict=True)):
        expected = [datetime.strptime(t, "%d/%m/%Y %H:%M:%S") for t in (a, b)]
        offsets = [e.replace(tzinfo=info).utcoffset() or timedelta(0) for e in expected]
        instants = [e.replace(tzinfo=timezone(o)) for e, o in zip(expected, offsets, strict=True)]
        if instants[1] < instants[0]:
            assert f"IM{n}" not in read  # reported as out of order
            continue
        record = read[f"IM{n}"]
        for got, wall, offset in zip(
            (record.opened_at, record.closed_at), expected, offsets, strict=True
        ):
            assert got is not None
            assert got.replace(tzinfo=None) == wall
            assert got.utcoffset() == offset
            assert isinstance(got.tzinfo, timezone)


def interaction(**values: str) -> list[str]:
    """An interaction row."""
    base = {
        "CI Name (aff)": "SBA000243",
        "Interaction ID": "SD0000007",
        "Status": "Closed",
        "Impact": "5",
        "Urgency": "4",
        "Priority": "4",
        "Category": "incident",
        "Open Time (First Touch)": "9-9-2011 9:23",
        "Close Time": "14-2-2014 9:05",
        "First Call Resolution": "N",
        "Handle Time (secs)": "239",
        "Related Incident": "IM0000004",
    }
    return row(INTERACTION, {**base, **values})


def test_interactions_with_the_first_call_flag(tmp_path: Path) -> None:
    """d-m-yyyy H:MM times, the Y/N flag, seconds, and a refused flag value."""
    rows = [
        interaction(),
        interaction(
            **{"Interaction ID": "SD2", "First Call Resolution": "Y", "Related Incident": ""}
        ),
        interaction(**{"Interaction ID": "SD3", "First Call Resolution": "maybe"}),
        interaction(**{"Interaction ID": "SD4", "Close Time": "1-1-2011 0:00"}),
        interaction(**{"Interaction ID": "SD5", "Related Incident": "#MULTIVALUE"}),
    ]
    path = write(tmp_path / "sd.csv.gz", INTERACTION, rows, delimiter=";")
    reading = read_hpsm_interactions(path, tz="Europe/Amsterdam")
    found = list(reading)
    assert [(i.id, i.first_call_resolution) for i in found] == [
        ("SD0000007", False),
        ("SD2", True),
        ("SD5", False),
    ]
    first = found[0]
    assert first.opened_at.tzinfo == CEST  # September: summer time
    assert first.closed_at is not None
    assert first.closed_at.tzinfo == CET
    assert first.handle_time == timedelta(seconds=239)
    assert first.affected == CiReference("SBA000243", None, None, None)
    assert found[1].related_incident is None
    assert found[2].related_incident == MULTIVALUE
    assert [p.kind for p in reading.report.problems] == [
        ProblemKind.BAD_VALUE,
        ProblemKind.IMPOSSIBLE_ORDER,
    ]
    assert "expected Y or N" in reading.report.problems[0].reason


def change(**values: str) -> list[str]:
    """A change row (one affected item)."""
    base = {
        "CI Name (aff)": "HMD000002",
        "Change ID": "C00000003",
        "Change Type": "Release Type 11",
        "Risk Assessment": "Minor Change",
        "Emergency Change": "N",
        "CAB-approval needed": "Y",
        "Planned Start": "30-8-2012 7:00",
        "Planned End": "26-12-2013 0:00",
        "Actual Start": "18-12-2013 14:00",
        "Actual End": "18-12-2013 16:15",
        "Change record Open Time": "1-9-2011 9:13",
        "Change record Close Time": "18-12-2013 16:16",
        "Originated from": "Problem",
        "# Related Incidents": "1",
    }
    return row(CHANGE, {**base, **values})


def test_changes_gather_their_rows(tmp_path: Path) -> None:
    """One record per change with every affected item; disagreeing rows are noted."""
    rows = [
        change(),
        change(**{"CI Name (aff)": "SUB1", "Change record Close Time": "19-12-2013 10:00"}),
        change(**{"Change ID": "C2", "Emergency Change": "Y", "CAB-approval needed": "N"}),
        change(**{"Change ID": "C3", "Actual End": "1-1-2013 0:00"}),
        change(**{"Change ID": "C00000003", "CI Name (aff)": "LATE"}),
        change(**{"Change ID": "C4", "Emergency Change": "?"}),
    ]
    path = write(tmp_path / "c.csv", CHANGE, rows, delimiter=";")
    reading = read_hpsm_changes(path, tz="UTC")
    found = list(reading)
    assert [c.id for c in found] == ["C00000003", "C2"]
    first = found[0]
    assert first.rows == (2, 3)
    assert [ci.name for ci in first.affected] == ["HMD000002", "SUB1"]
    assert (first.emergency, first.cab_approval) == (False, True)
    assert first.closed_at is not None
    assert first.closed_at.day == 18
    assert (found[1].emergency, found[1].cab_approval) == (True, False)
    report = reading.report
    assert report.notes == {"changes whose closed_at differs between rows (first row kept)": 1}
    assert [(p.row, p.kind) for p in report.problems] == [
        (5, ProblemKind.IMPOSSIBLE_ORDER),
        (6, ProblemKind.NOT_CONTIGUOUS),
        (7, ProblemKind.BAD_VALUE),
    ]
    assert "actual_end" in report.problems[0].reason
    any_order = list(read_hpsm_changes(path, tz="UTC", contiguous=False))
    assert [len(c.affected) for c in any_order] == [3, 1]


def test_headers_are_checked(tmp_path: Path) -> None:
    """Each reader needs its id and open-time columns."""
    path = write(tmp_path / "x.csv", ["Incident ID", "Status"], [["IM1", "Closed"]], delimiter=";")
    with pytest.raises(ExportFormatError, match=r"lacks the column\(s\) Open Time"):
        list(read_hpsm_incidents(path, tz="UTC"))
    with pytest.raises(ExportFormatError, match=r"Interaction ID, Open Time \(First Touch\)"):
        list(read_hpsm_interactions(path, tz="UTC"))
    with pytest.raises(ExportFormatError, match="HP SM changes"):
        list(read_hpsm_changes(path, tz="UTC"))


def test_links_resolve_across_the_files(tmp_path: Path) -> None:
    """Resolved, dangling and #MULTIVALUE links are counted per column, and kept both ways."""
    incidents = write(
        tmp_path / "i.csv",
        INCIDENT,
        [
            incident(),
            incident(
                **{
                    "Incident ID": "IM2",
                    "Related Interaction": "SD9",
                    "Related Change": "C00000003",
                }
            ),
            incident(
                **{
                    "Incident ID": "IM3",
                    "Related Interaction": "#MULTIVALUE",
                    "Related Change": "C7",
                }
            ),
        ],
        delimiter=";",
    )
    interactions = write(
        tmp_path / "s.csv",
        INTERACTION,
        [
            interaction(),
            interaction(**{"Interaction ID": "SD8", "Related Incident": "IM3"}),
            interaction(**{"Interaction ID": "SD10", "Related Incident": "IM404"}),
        ],
        delimiter=";",
    )
    changes = write(tmp_path / "c.csv", CHANGE, [change()], delimiter=";")
    links = link_hpsm(
        read_hpsm_incidents(incidents, tz="UTC"),
        read_hpsm_interactions(interactions, tz="UTC"),
        read_hpsm_changes(changes, tz="UTC"),
        examples=1,
    )
    counts = {c.column: c for c in links.counts}
    to_incident = counts["Related Incident"]
    assert (to_incident.links, to_incident.resolved, to_incident.dangling) == (3, 2, 1)
    assert to_incident.dangling_examples == (("SD10", "IM404"),)
    to_interaction = counts["Related Interaction"]
    assert (to_interaction.links, to_interaction.several, to_interaction.resolved) == (3, 1, 1)
    assert to_interaction.dangling_examples == (("IM2", "SD9"),)
    to_change = counts["Related Change"]
    assert (to_change.links, to_change.resolved, to_change.dangling) == (2, 1, 1)
    assert links.interaction_incident == {"SD0000007": "IM0000004", "SD8": "IM3"}
    assert links.incident_interactions == {"IM0000004": ("SD0000007",), "IM3": ("SD8",)}
    assert links.incident_changes == {"IM2": ("C00000003",)}
    assert links.to_dict()["counts"][0]["dangling_examples"] == [["SD10", "IM404"]]
