"""The itilkit command on small exports: each subcommand, each output form."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from itilkit.cli import main
from itilkit.cli._progress import ProgressLine
from itilkit.codec import loads
from itilkit.interop import ReadProgress
from itilkit.lifecycle import LifecycleDefinition, to_mermaid
from itilkit.reports import build_report, named_lifecycle
from tests.reports.files import SERVICENOW_HEADER, SERVICENOW_ROWS, hpsm_exports, servicenow_log

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_table(tmp_path: Path, capsys: Capture) -> None:
    """The terminal table names the figures worked out by hand; nothing on stderr."""
    code, out, err = run(capsys, "report", str(servicenow_log(tmp_path)), "--no-progress")
    assert (code, err) == (0, "")
    assert "Incidents: 4" in out
    assert "  3 - Moderate         1  48.0 h  48.0 h  48.0 h" in out
    assert "excluded INC4: MissingDurationError" in out
    assert "new -> on_hold" in out
    assert "malformed rows by kind: bad_value 1, unknown_state 1" in out


def test_report_json_is_the_reports_json_form(tmp_path: Path, capsys: Capture) -> None:
    """--json prints exactly KpiReport.to_dict(), and --output writes the same to a file."""
    log = servicenow_log(tmp_path)
    code, out, _ = run(capsys, "report", str(log), "--json")
    assert code == 0
    assert json.loads(out) == build_report([log]).to_dict()
    target = tmp_path / "report.json"
    code, out, err = run(capsys, "report", str(log), "--json", "-o", str(target))
    assert (code, out) == (0, "")
    assert err == f"itilkit: wrote {target}\n"
    assert json.loads(target.read_text()) == build_report([log]).to_dict()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_report_html_is_one_self_contained_page(tmp_path: Path, capsys: Capture) -> None:
    """No script, no external reference; an SVG chart per figure, with titles and axes."""
    code, out, _ = run(capsys, "report", *map(str, hpsm_exports(tmp_path)), "--html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert "<script" not in out.lower()
    assert "http://" not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in out
    assert out.count("<svg") >= 6
    for heading in ("Data quality", "SLA compliance", "Backlog over time", "Interactions",
                    "Changes", "Links between the files"):  # fmt: skip
        assert f">{heading}</h2>" in out
    assert "First-contact resolution by priority" in out
    assert "share (%)" in out


def test_report_with_a_calendar_file(tmp_path: Path, capsys: Capture) -> None:
    """--calendar takes a calendar document (business time) or an SLA policy document."""
    calendar = tmp_path / "office.toml"
    calendar.write_text(
        'kind = "calendar"\nschema_version = 1\nzone = "UTC"\n'
        'schedule = { "mon-fri" = "09:00-17:00" }\n'
    )
    log = str(servicenow_log(tmp_path))
    code, out, _ = run(capsys, "report", log, "--calendar", str(calendar), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["calendar"]["schedule"]["monday"] == ["09:00-17:00"]
    business = data["incidents"]["business_time_to_resolve"]["overall"]
    assert business["median"] == 4 * 3600.0
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(data["sla"]["policy"] | {"name": "desk"}))
    code, out, _ = run(capsys, "report", log, "--calendar", str(policy), "--json")
    assert code == 0
    assert json.loads(out)["sla"]["policy"]["name"] == "desk"


def test_report_period_and_zone(tmp_path: Path, capsys: Capture) -> None:
    """--period sets the backlog's buckets; --tz the zone times are read in."""
    log = str(servicenow_log(tmp_path))
    code, out, _ = run(capsys, "report", log, "--period", "week", "--tz", "Asia/Tokyo", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["backlog"]["period"] == "week"
    assert data["as_of"] == "2016-03-08T09:00:00+09:00"


def _hold_from_new(folder: Path) -> Path:
    """A lifecycle document: the default incident lifecycle, plus new -> on_hold."""
    lenient = folder / "lenient.json"
    lenient.write_text(
        json.dumps({"kind": "lifecycle", "schema_version": 1, "base": "incident",
                    "name": "hold from new",
                    "add_transitions": [{"name": "hold_new", "sources": ["new"],
                                         "target": "on_hold"}]})
    )  # fmt: skip
    return lenient


def test_conformance(tmp_path: Path, capsys: Capture) -> None:
    """Text, JSON with traces, a comparison, a state mapping and the --fail-under exit."""
    log = str(servicenow_log(tmp_path))
    code, out, _ = run(capsys, "conformance", log)
    assert code == 0
    assert "conform 2, truncated 0, deviate 2" in out
    code, out, _ = run(capsys, "conformance", log, "--json", "--traces")
    data = json.loads(out)
    assert data["kind"] == "itilkit-conformance"
    assert [t["id"] for t in data["conformance"]["traces"]] == ["INC1", "INC2", "INC3", "INC4"]
    assert data["comparison"] is None
    lenient = _hold_from_new(tmp_path)
    code, out, _ = run(capsys, "conformance", log, "--compare", str(lenient))
    assert code == 0
    assert "Deviations removed by the second" in out
    assert "deviates -> conforms" in out
    code, out, _ = run(capsys, "conformance", log, "--map", "Awaiting User Info=in_progress")
    assert "conform 3, truncated 0, deviate 1" in out
    code, _, err = run(capsys, "conformance", log, "--fail-under", "0.9")
    assert code == 3
    assert err == "itilkit: conformance rate 0.5000 is below 0.9\n"
    assert run(capsys, "conformance", log, "--fail-under", "0.5")[0] == 0


def test_conformance_with_a_definition_file(tmp_path: Path, capsys: Capture) -> None:
    """--definition FILE checks against that lifecycle: allowing new -> on_hold makes INC2,
    the one history that puts a new incident on hold, conform (INC3 still starts active)."""
    log = str(servicenow_log(tmp_path))
    code, out, _ = run(capsys, "conformance", log, "--definition", str(_hold_from_new(tmp_path)))
    assert code == 0
    assert "Conformance to lifecycle 'hold from new'" in out
    assert "conform 3, truncated 0, deviate 1" in out
    assert "new -> on_hold" not in out.split("Starts:")[0]
    code, out, _ = run(capsys, "conformance", log, "--definition", "incident")
    assert "conform 2, truncated 0, deviate 2" in out


def test_conformance_breakdowns(tmp_path: Path, capsys: Capture) -> None:
    """The text shows the breakdowns by priority, group and month the JSON form holds."""
    log = str(servicenow_log(tmp_path))
    code, out, _ = run(capsys, "conformance", log)
    assert code == 0
    tables = out.split("Conformance by priority\n", 1)[1]
    priority = [line.split("  ") for line in tables.splitlines()[:6]]
    assert [[cell.strip() for cell in row if cell.strip()] for row in priority] == [
        ["priority", "tickets", "conform", "truncated", "deviate", "rate", "fitness",
         "top deviation"],
        ["-" * 12, "-" * 7, "-" * 7, "-" * 9, "-" * 7, "-" * 7, "-" * 7, "-" * 18],
        ["2 - High", "1", "1", "0", "0", "100.0 %", "1.0000", "-"],
        ["3 - Moderate", "1", "0", "0", "1", "0.0 %", "0.8750", "new -> on_hold (1)"],
        ["4 - Low", "1", "0", "0", "1", "0.0 %", "0.7500", "-"],
        ["(none)", "1", "1", "0", "0", "100.0 %", "1.0000", "-"],
    ]  # fmt: skip
    assert "\nConformance by group\n" in tables
    assert (
        "  Group 1        2        1          0        1  50.0 %   0.9375  new -> on_hold (1)"
        in tables
    )
    assert "\nConformance by month started\n" in tables
    assert (
        "  2016-03        4        2          0        2  50.0 %   0.9062  new -> on_hold (1)"
        in tables
    )


def test_conformance_breakdowns_count_what_they_leave_out(tmp_path: Path, capsys: Capture) -> None:
    """Of 13 groups the 12 with most tickets are listed, of 13 months the last 12, in
    order; the rest is counted."""
    rows = [SERVICENOW_HEADER]
    for n in range(1, 15):
        group, month = (1, 1) if n == 14 else (n, n)
        opened = f"1/{(month - 1) % 12 + 1}/{2015 + (month - 1) // 12} 09:00"
        for mod, state in enumerate(("New", "Active")):
            rows.append(
                f"INC{n:02},{state},true,0,0,{mod},true,{opened},{opened},3 - Moderate,"
                f"Group {group:02},?,?"
            )
    log = tmp_path / "log.csv"
    log.write_text("\n".join(rows) + "\n")
    code, out, _ = run(capsys, "conformance", str(log))
    assert code == 0
    groups = out.split("Conformance by group (the 12 with most tickets)\n", 1)[1].split("\n\n")[0]
    listed = [line.split()[1] for line in groups.splitlines()[2:-1]]
    assert listed == [f"{n:02}" for n in range(1, 13)]
    assert groups.splitlines()[2].split()[:3] == ["Group", "01", "2"]
    assert groups.splitlines()[-1] == "  and 1 more, with 1 tickets"
    months = out.split("Conformance by month started (the last 12)\n", 1)[1].split("\n\n")[0]
    listed = [line.split()[0] for line in months.splitlines()[2:-1]]
    assert listed == [f"2015-{m:02}" for m in range(2, 13)] + ["2016-01"]
    assert months.splitlines()[-1] == "  and 1 earlier, with 2 tickets"


def test_conformance_with_a_calendar(tmp_path: Path, capsys: Capture) -> None:
    """--calendar measures the time impact in business time too: on weekdays 09:00-17:00,
    INC1 takes 4 h, INC2 (Wednesday 10:00 to Friday 10:00) 16 h and INC3 (on a Saturday)
    none; a policy document gives its calendar. Without one the business figure is null."""
    calendar = tmp_path / "office.toml"
    calendar.write_text(
        'kind = "calendar"\nschema_version = 1\nzone = "UTC"\n'
        'schedule = { "mon-fri" = "09:00-17:00" }\n'
    )
    log = str(servicenow_log(tmp_path))
    code, out, _ = run(capsys, "conformance", log, "--calendar", str(calendar))
    assert code == 0
    business = out.split(
        "Time to resolve by verdict, business time on the calendar "
        "(deviating / conforming median: 2.00)\n"
    )[1]
    assert business.splitlines()[2:5] == [
        "  conforming        1   4.0 h   4.0 h",
        "  truncated         0       -       -",
        "  deviating         2   8.0 h  14.4 h",
    ]
    code, out, _ = run(capsys, "conformance", log, "--calendar", str(calendar), "--json")
    impact = json.loads(out)["conformance"]["time_impact"]
    assert impact["business"]["deviating"]["median"] == 8 * 3600.0
    assert impact["calendar"]["deviating"]["median"] == 24.5 * 3600.0
    _, report, _ = run(capsys, "report", log, "--calendar", str(calendar), "--json")
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(json.loads(report)["sla"]["policy"]))
    code, out, _ = run(capsys, "conformance", log, "--calendar", str(policy), "--json")
    assert json.loads(out)["conformance"]["time_impact"] == impact
    code, out, _ = run(capsys, "conformance", log)
    assert "business time" not in out
    code, out, _ = run(capsys, "conformance", log, "--json")
    assert json.loads(out)["conformance"]["time_impact"]["business"] is None


def test_conformance_lists_the_rows_left_out(tmp_path: Path, capsys: Capture) -> None:
    """The malformed rows with their lines and reasons, as the report shows them, in the
    text and in the JSON form's files."""
    log = str(servicenow_log(tmp_path))
    code, out, _ = run(capsys, "conformance", log)
    assert code == 0
    _, report, _ = run(capsys, "report", log)
    quality = report.split("\n\n")[1]
    assert quality.startswith("Data quality\n")
    assert out.startswith(quality + "\n\nConformance to lifecycle 'incident'")
    assert "    line 18 (INC4): sys_updated_at: '6/3/2016 xx' is not a day-first date" in out
    assert "    line 19 (INC5): incident_state '-100' is not a known state" in out
    _, data, _ = run(capsys, "conformance", log, "--json")
    _, report, _ = run(capsys, "report", log, "--json")
    files = json.loads(data)["files"]
    assert files == json.loads(report)["files"]
    assert [p["row"] for p in files[0]["examples"]["bad_value"]] == [18]


def test_report_conformance_by_priority(tmp_path: Path, capsys: Capture) -> None:
    """The report's conformance summary has its breakdown by priority: JSON, table, page."""
    log = str(servicenow_log(tmp_path))
    _, out, _ = run(capsys, "report", log, "--json")
    by_priority = json.loads(out)["conformance"]["by_priority"]
    assert [(g["value"], g["tickets"], g["conforming"]) for g in by_priority] == [
        ("2 - High", 1, 1), ("3 - Moderate", 1, 0), ("4 - Low", 1, 0), (None, 1, 1),
    ]  # fmt: skip
    _, out, _ = run(capsys, "report", log)
    summary = out.split("Conformance to lifecycle 'incident'")[1]
    assert (
        "  3 - Moderate        1        0          0        1    0.0 %   0.8750  new -> on_hold (1)"
        in summary
    )
    _, out, _ = run(capsys, "report", log, "--html")
    page = out.split("<h2 id='conformance'>")[1]
    assert "<h3>By priority</h3>" in page
    assert "new → on_hold (1)" in page


def test_lifecycle_show_and_list(tmp_path: Path, capsys: Capture) -> None:
    """The default lifecycles by name as a table, a Mermaid diagram or a document."""
    code, out, _ = run(capsys, "lifecycle", "show", "problem", "--mermaid")
    assert (code, out) == (0, to_mermaid(named_lifecycle("problem")))
    code, out, _ = run(capsys, "lifecycle", "show", "change", "--json")
    assert loads(out, LifecycleDefinition) == named_lifecycle("change")
    document = tmp_path / "change.json"
    document.write_text(out)
    code, out, _ = run(capsys, "lifecycle", "show", str(document))
    assert code == 0
    change = named_lifecycle("change")
    assert out.startswith(
        f"Lifecycle 'change': {len(change.states)} states, {len(change.transitions)} transitions"
    )
    code, out, _ = run(capsys, "lifecycle", "list")
    assert [line.split()[0] for line in out.splitlines()] == [
        "incident", "problem", "known_error", "service_request", "change",
    ]  # fmt: skip


def test_help_and_version(capsys: Capture) -> None:
    """--help lists the subcommands on stdout; --version prints the version."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "report" in out
    assert "conformance" in out
    code, out, _ = run(capsys, "--version")
    assert (code, out.split()[0]) == (0, "itilkit")
    code, out, _ = run(capsys, "report", "--help")
    assert "--calendar FILE" in out


@pytest.mark.parametrize("form", [(), ("--json",), ("--html",)])
def test_exports_with_a_header_only(tmp_path: Path, capsys: Capture, form: tuple[str, ...]) -> None:
    """A header and no rows is an export of nothing: a report of nothing, in every form."""
    log = tmp_path / "log.csv"
    log.write_text("number,incident_state,sys_mod_count,sys_updated_at\n")
    calls = tmp_path / "calls.csv"
    calls.write_text("Interaction ID;Open Time (First Touch)\n")
    for export in (log, calls):
        code, out, err = run(capsys, "report", str(export), *form)
        assert (code, err) == (0, "")
        assert out
    code, out, _ = run(capsys, "conformance", str(log))
    assert (code, "tickets 0, events 0" in out) == (0, True)


def test_the_progress_line() -> None:
    """Drawn with a carriage return, at most ten times a second, and cleared when done."""
    stream = io.StringIO()
    line = ProgressLine(stream)
    line("log.csv", ReadProgress(16_384, 500, 1_000, False))
    line("log.csv", ReadProgress(32_768, 900, 1_000, False))  # within 0.1 s: not drawn
    drawn = "reading log.csv: 16,384 rows, 50% of the file"
    assert stream.getvalue() == "\r" + drawn
    line("log.csv", ReadProgress(40_000, 1_000, 1_000, True))
    assert stream.getvalue() == "\r" + drawn + "\r" + " " * len(drawn) + "\r"


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: Capture) -> None:
    """By default nothing but errors reaches a redirected stderr."""
    code, _, err = run(capsys, "report", str(servicenow_log(tmp_path)))
    assert (code, err) == (0, "")


def _terminal_output(*argv: str) -> str:
    """What the command writes to stderr when stderr is a terminal (a pseudo-terminal)."""
    try:
        terminal, stderr = os.openpty()
    except OSError as error:  # a container without /dev/pts
        pytest.skip(f"no pseudo-terminal can be opened here: {error}")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "itilkit.cli", *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            timeout=300,
            check=True,
        )
        assert done.returncode == 0
    finally:
        os.close(stderr)
    chunks = []
    try:
        while chunk := os.read(terminal, 1 << 16):
            chunks.append(chunk)
    except OSError:  # the terminal is closed once everything written is read
        pass
    finally:
        os.close(terminal)
    return b"".join(chunks).decode()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this platform")
def test_progress_by_default_when_stderr_is_a_terminal(tmp_path: Path) -> None:
    """On a terminal the line is drawn unasked (after the first 16,384 rows) and cleared."""
    copies = 16_384 // len(SERVICENOW_ROWS) + 1
    rows = [row.replace("INC", f"INC{n}-", 1) for n in range(copies) for row in SERVICENOW_ROWS]
    log = tmp_path / "incidents.csv"
    log.write_text("\n".join([SERVICENOW_HEADER, *rows]) + "\n")
    shown = _terminal_output("report", str(log))
    assert "\rreading incidents.csv: 16,384 rows, " in shown
    assert shown.rstrip(" \r\n").endswith("of the file")  # then blanked out with spaces
    assert _terminal_output("report", "--no-progress", str(log)) == ""
