"""How the command fails: one line on stderr, a non-zero exit, never a traceback."""

from __future__ import annotations

import lzma
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itilkit.cli import main
from tests.interop.helpers import UCI_COLUMNS, uci_row, write
from tests.reports.files import hpsm_exports, servicenow_log

Capture = pytest.CaptureFixture[str]


def fails(capsys: Capture, code: int, *argv: str) -> str:
    """Run the command, check it exits with ``code`` and one line on stderr; return it."""
    assert main(list(argv)) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("itilkit: error: ")
    assert "Traceback" not in err
    assert "internal error" not in err
    return err


def test_files_that_cannot_be_read(tmp_path: Path, capsys: Capture) -> None:
    """A missing file, a folder, an empty file, a corrupt archive, a file of no known kind."""
    missing = fails(capsys, 1, "report", str(tmp_path / "nope.csv"))
    assert f"cannot read {tmp_path / 'nope.csv'}: No such file or directory" in missing
    assert "Is a directory" in fails(capsys, 1, "report", str(tmp_path))
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "is not a ServiceNow or HP SM export" in fails(capsys, 1, "report", str(empty))
    corrupt = tmp_path / "log.csv.xz"
    corrupt.write_bytes(lzma.compress(b"number,incident_state\n" * 100)[:30])
    assert "cannot read" in fails(capsys, 1, "report", str(corrupt))
    binary = tmp_path / "picture.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    assert "is not a ServiceNow or HP SM export" in fails(capsys, 1, "report", str(binary))
    unreadable = tmp_path / "secret.csv"
    unreadable.write_text("x")
    unreadable.chmod(0)
    if os.access(unreadable, os.R_OK):  # root reads anything
        return
    assert "Permission denied" in fails(capsys, 1, "report", str(unreadable))


def test_a_truncated_export_stops_with_its_line(tmp_path: Path, capsys: Capture) -> None:
    """A log cut inside its archive fails naming the file, after whatever rows it read."""
    log = servicenow_log(tmp_path, compress=True)
    data = log.read_bytes()
    log.write_bytes(data[: len(data) - 40])
    assert f"cannot read {log}" in fails(capsys, 1, "report", str(log))


def test_unknown_source_and_wrong_source(tmp_path: Path, capsys: Capture) -> None:
    """--source takes servicenow or hpsm, and must match what the files are."""
    log = str(servicenow_log(tmp_path))
    assert "invalid choice: 'jira'" in fails(capsys, 2, "report", log, "--source", "jira")
    assert "is not a hpsm export" in fails(capsys, 1, "report", log, "--source", "hpsm")
    incidents = str(hpsm_exports(tmp_path)[0])
    assert "one source" in fails(capsys, 1, "report", log, incidents)
    assert "holds no state history" in fails(capsys, 1, "conformance", incidents)


@pytest.mark.parametrize("command", ["report", "conformance"])
def test_unreadable_calendars(tmp_path: Path, capsys: Capture, command: str) -> None:
    """A missing, malformed, wrong-kind or invalid calendar is one line naming the problem,
    for each command that takes one."""
    log = str(servicenow_log(tmp_path))
    assert "cannot read" in fails(capsys, 1, command, log, "--calendar", str(tmp_path / "x.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_text("kind = \n")
    fails(capsys, 1, command, log, "--calendar", str(bad))
    lifecycle = tmp_path / "lifecycle.json"
    lifecycle.write_text('{"kind": "lifecycle", "schema_version": 1, "base": "problem"}')
    wrong = fails(capsys, 1, command, log, "--calendar", str(lifecycle))
    assert "takes a calendar or an sla-policy document" in wrong
    invalid = tmp_path / "hours.toml"
    invalid.write_text(
        'kind = "calendar"\nschema_version = 1\nzone = "Mars/Olympus"\n'
        'schedule = { "mon-fry" = "9-5" }\n'
    )
    message = fails(capsys, 1, command, log, "--calendar", str(invalid))
    assert "invalid calendar document" in message
    assert "mon-fry" in message
    assert "calendar.csv" in fails(capsys, 1, command, log, "--calendar", "calendar.csv")


def test_bad_arguments(tmp_path: Path, capsys: Capture) -> None:
    """Usage errors exit 2 with one line; bad values the command checks itself exit 1."""
    log = str(servicenow_log(tmp_path))
    assert "required" in fails(capsys, 2)
    assert "invalid choice: 'frobnicate'" in fails(capsys, 2, "frobnicate")
    assert "FILE" in fails(capsys, 2, "report")
    assert "not allowed with argument" in fails(capsys, 2, "report", log, "--json", "--html")
    assert "unrecognized arguments" in fails(capsys, 2, "report", log, "--colour")
    assert "not a file name" in fails(capsys, 2, "report", "")
    assert "not a file name" in fails(capsys, 2, "report", "a\x00b")
    assert "tz must be" in fails(capsys, 1, "report", log, "--tz", "Mars/Olympus")
    assert "tz must be" in fails(capsys, 1, "report", log, "--tz", "../../etc/passwd")
    assert "tz must be" in fails(capsys, 1, "report", log, "--tz", "x" * 5000)
    assert "invalid choice" in fails(capsys, 2, "report", log, "--period", "fortnight")
    assert "not a fraction" in fails(capsys, 2, "conformance", log, "--fail-under", "2")
    assert "not a fraction" in fails(capsys, 2, "conformance", log, "--fail-under", "nan")
    assert "not STATE=NAME" in fails(capsys, 2, "conformance", log, "--map", "Active")
    assert "no default lifecycle" in fails(capsys, 1, "conformance", log, "--definition", "x")
    assert "no default lifecycle" in fails(capsys, 1, "lifecycle", "show", "incidents")
    assert "ACTION" in fails(capsys, 2, "lifecycle")


def test_output_that_cannot_be_written(tmp_path: Path, capsys: Capture) -> None:
    """An output in a missing folder, or onto a folder, fails and leaves nothing behind."""
    log = str(servicenow_log(tmp_path))
    target = tmp_path / "no" / "such" / "report.html"
    assert "cannot write" in fails(capsys, 1, "report", log, "--html", "-o", str(target))
    folder = tmp_path / "out"
    folder.mkdir()
    assert "cannot write" in fails(capsys, 1, "report", log, "-o", str(folder))
    assert list(folder.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


WORDS = [
    "report", "conformance", "lifecycle", "show", "list", "--json", "--html", "--source",
    "servicenow", "hpsm", "--calendar", "--tz", "UTC", "--period", "week", "--definition",
    "--compare", "--map", "New=new", "--fail-under", "0.5", "-o", "--mermaid", "--traces",
    "--prefix-starts", "incident", "--no-progress", "--", "-", "LOG", "HPSM", "MISSING", "EMPTY",
    "import", "demo", "--strict", "--store", "STORE", "UCI", "Awaiting User Info=resolved",
]  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(WORDS), st.text(max_size=12).filter(lambda t: not t.startswith("-"))
        ),
        max_size=7,
    )
)
def test_any_command_line_exits_cleanly(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch, words: list[str]
) -> None:
    """Whatever the arguments: an exit code the docs list, and on failure one line on
    stderr without a traceback or an internal error. (Free text never starts with a dash,
    and outputs go to the test's folder, so no run writes anywhere else.)"""
    folder = tmp_path / "run"
    folder.mkdir(exist_ok=True)
    monkeypatch.chdir(folder)
    empty = folder / "empty.csv"
    empty.write_text("number,incident_state,sys_mod_count,sys_updated_at\n")
    store = folder / "desk.sqlite"
    if not store.exists():
        with sqlite3.connect(store) as connection:
            connection.execute("create table if not exists t (x)")
        connection.close()
    uci = write(folder / "uci.csv", UCI_COLUMNS, [uci_row(), uci_row(incident_state="Closed")])
    files = {
        "LOG": str(servicenow_log(folder)),
        "HPSM": str(hpsm_exports(folder)[1]),
        "MISSING": str(folder / "missing.csv"),
        "EMPTY": str(empty),
        "STORE": str(store),
        "UCI": str(uci),
    }
    argv = [files.get(w, w) for w in words]
    argv = [
        part
        for w in argv
        for part in ([w, "out.txt"] if w == "-o" else [w, "new.sqlite"] if w == "--store" else [w])
    ]
    code = main(argv)
    _, err = capsys.readouterr()
    assert code in (0, 1, 2, 3)
    assert "Traceback" not in err
    assert "internal error" not in err
    if code in (1, 2):
        assert err.startswith("itilkit: error: ")
        assert err.count("\n") == 1


def test_the_console_script_runs_as_a_process(tmp_path: Path) -> None:
    """The installed entry point: a missing file exits 1 with one line, in a real process."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from itilkit.cli import main; sys.exit(main())",
         "report", str(tmp_path / "missing.csv")],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    assert (
        done.stderr
        == f"itilkit: error: cannot read {tmp_path / 'missing.csv'}: No such file or directory\n"
    )
    script = Path(sys.executable).with_name("itilkit")
    if script.exists():
        version = subprocess.run([script, "--version"], capture_output=True, text=True,
                                 check=False, timeout=60)  # fmt: skip
        assert (version.returncode, version.stdout.split()[0]) == (0, "itilkit")
