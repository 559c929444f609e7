"""``itilkit import``: exports replayed into entities, with what was refused and where."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from itilkit.cli import main
from itilkit.cli._store import load_tickets
from itilkit.interop import import_servicenow_incidents
from itilkit.practices import Change
from itilkit.reports import build_ticket_report
from tests.interop.helpers import UCI_COLUMNS, uci_row, write
from tests.interop.test_hpsm import INCIDENT as HPSM_COLUMNS
from tests.interop.test_hpsm import incident as hpsm_row
from tests.reports.files import hpsm_exports

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _log(tmp_path: Path) -> Path:
    """INC1 goes on hold from new (refused by the preset, line 3); INC2 is resolved and
    closed; a row with the state -100 is malformed (line 6)."""
    rows = [
        uci_row(number="INC1"),
        uci_row(number="INC1", incident_state="Awaiting User Info", sys_mod_count="1",
                sys_updated_at="29/2/2016 02:00"),
        uci_row(number="INC2", sys_updated_at="1/3/2016 09:00"),
        uci_row(number="INC2", incident_state="Resolved", sys_mod_count="1",
                sys_updated_at="1/3/2016 10:00"),
        uci_row(number="INC2", incident_state="-100", sys_mod_count="2",
                sys_updated_at="1/3/2016 10:30"),
        uci_row(number="INC2", incident_state="Closed", sys_mod_count="3",
                sys_updated_at="5/3/2016 12:00"),
    ]  # fmt: skip
    return write(tmp_path / "log.csv", UCI_COLUMNS, rows)


def test_import_summarises_what_it_built_and_refused(tmp_path: Path, capsys: Capture) -> None:
    """One incident built, one refused naming its line, one malformed row, as a table."""
    code, out, err = run(capsys, "import", str(_log(tmp_path)))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Import"
    assert lines[3].split() == ["log.csv", "6", "2", "1", "1", "1", "servicenow-incident@1"]
    assert "  log.csv: malformed rows by kind: unknown_state 1" in lines
    assert "  log.csv: refused by practice servicenow-incident@1:" in lines
    assert (
        "    1  lifecycle 'incident' has no transition from 'new' to 'on_hold' "
        "(ServiceNow 'New' -> 'Awaiting User Info') (e.g. line 3 (INC1))"
    ) in lines


def test_import_json(tmp_path: Path, capsys: Capture) -> None:
    """The JSON form: per file the read, the entities, the refusals by reason with examples."""
    code, out, _ = run(capsys, "import", str(_log(tmp_path)), "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["kind"], data["schema_version"], data["store"], data["saved"]) == (
        "itilkit-import", 1, None, None,
    )  # fmt: skip
    (file,) = data["files"]
    assert (file["entities"], file["refused"], file["practice"]) == (1, 1, "servicenow-incident@1")
    assert file["read"]["malformed_by_kind"] == {"unknown_state": 1}
    (reason,) = file["refused_by_reason"]
    assert reason["count"] == 1
    assert reason["examples"] == [{"row": 3, "ticket": "INC1"}]


def test_import_with_a_mapping_and_strict(tmp_path: Path, capsys: Capture) -> None:
    """--map changes where a state goes; --strict stops at the first problem, in one line."""
    log = _log(tmp_path)
    code, out, _ = run(capsys, "import", str(log), "--map", "Awaiting User Info=resolved")
    assert code == 0
    assert out.splitlines()[3].split()[4:6] == ["0", "2"]  # INC1 now resolves from new
    code, out, err = run(capsys, "import", str(log), "--strict")
    assert (code, out) == (1, "")
    assert err.startswith(f"itilkit: error: {log}, line 3 (INC1): lifecycle 'incident' has no")
    assert err.count("\n") == 1


def test_import_hpsm_incidents(tmp_path: Path, capsys: Capture) -> None:
    """An HP SM incident export becomes incidents of the HP SM preset; its other exports
    are refused in one line."""
    rows = [hpsm_row(), hpsm_row(**{"Incident ID": "IM3", "Resolved Time": ""})]
    path = write(tmp_path / "inc.csv", HPSM_COLUMNS, rows, delimiter=";")
    code, out, _ = run(capsys, "import", str(path), "--tz", "Europe/Amsterdam")
    assert code == 0
    assert out.splitlines()[3].split() == ["inc.csv", "2", "2", "0", "1", "1", "hpsm-incident@1"]
    assert "closed with no resolve time" in out
    interactions = hpsm_exports(tmp_path)[1]
    code, out, err = run(capsys, "import", str(interactions))
    assert (code, out) == (1, "")
    assert "is an hpsm-interactions export; import makes entities of" in err
    code, _, err = run(capsys, "import", str(path), "--map", "New=new")
    assert code == 1
    assert "--map is for ServiceNow logs" in err
    code, _, err = run(capsys, "import", str(path), "--source", "servicenow")
    assert code == 1
    assert "is not a servicenow export" in err


def test_import_failures_are_one_line(tmp_path: Path, capsys: Capture) -> None:
    """A missing file, a bad zone, a bad mapping: one line and a non-zero exit."""
    for argv, code, words in [
        (["import", str(tmp_path / "nope.csv")], 1, "No such file or directory"),
        (["import", str(_log(tmp_path)), "--tz", "Mars/Olympus"], 1, "IANA"),
        (["import", str(_log(tmp_path)), "--map", "Active"], 2, "not STATE=NAME"),
        (["import"], 2, "required"),
    ]:
        assert run(capsys, *argv)[0] == code
        assert main(argv) == code
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert words in err


def test_import_into_a_store_and_report_it(tmp_path: Path, capsys: Capture) -> None:
    """--store saves the tickets (all or none); report STORE measures what it loads, the same
    report build_ticket_report gives of the imported entities themselves."""
    log = _log(tmp_path)
    store = tmp_path / "desk.sqlite"
    code, out, _ = run(capsys, "import", str(log), "--store", str(store))
    assert code == 0
    assert out.endswith(f"saved 1 tickets to {store}\n")
    assert load_tickets(store) == list(import_servicenow_incidents(log, tz="UTC"))
    code, out, _ = run(capsys, "report", str(store), "--json")
    assert code == 0
    data = json.loads(out)
    expected = build_ticket_report(import_servicenow_incidents(log, tz="UTC")).to_dict()
    assert data == json.loads(json.dumps(expected))
    assert (data["source"], data["files"], data["incidents"]["tickets"]) == ("store", [], 1)
    code, out, _ = run(capsys, "report", str(store))
    assert code == 0
    assert out.startswith("itilkit report: tickets of a store, times in UTC")
    # a second import of the same tickets is refused whole: the store keeps one ticket
    code, out, err = run(capsys, "import", str(log), "--store", str(store))
    assert (code, out) == (1, "")
    assert err == (
        f"itilkit: error: cannot save to {store}: incident 'INC2' exists already (version 1); "
        "load it to update; nothing was written\n"
    )
    assert len(load_tickets(store)) == 1


def test_a_store_is_a_sqlite_file(tmp_path: Path, capsys: Capture) -> None:
    """--store onto a file that is not a store, before anything is read, fails in one line;
    so does a report of a SQLite file of someone else's tables, which is left as it was."""
    text = tmp_path / "notes.txt"
    text.write_text("mine")
    code, out, err = run(capsys, "import", str(_log(tmp_path)), "--store", str(text))
    assert (code, out) == (1, "")
    assert err == f"itilkit: error: {text} is not a SQLite store; choose a new file or a store\n"
    assert text.read_text() == "mine"
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("create table t (x)")
    connection.close()
    before = other.read_bytes()
    code, out, err = run(capsys, "report", str(other), "--json")
    assert (code, out) == (1, "")
    assert err == f"itilkit: error: {other} is a SQLite database but not an itilkit store\n"
    assert other.read_bytes() == before


def test_the_progress_line_while_saving(tmp_path: Path, capsys: Capture) -> None:
    """With --progress, a line says what is being saved, and is cleared after: stderr ends
    blank, and stdout holds only the summary."""
    store = tmp_path / "desk.sqlite"
    code, out, err = run(capsys, "import", str(_log(tmp_path)), "--store", str(store), "--progress")
    assert code == 0
    shown = f"saving 1 tickets to {store}"
    assert f"\r{shown}" in err
    assert err.endswith("\r" + " " * len(shown) + "\r")
    assert out.startswith("Import\n")


def test_import_hpsm_changes_into_a_store(tmp_path: Path, capsys: Capture) -> None:
    """An HP SM change export becomes changes of the HP SM change preset, the refused one
    named with its line; the store's report measures them from their reviews."""
    changes = hpsm_exports(tmp_path)[2]
    store = tmp_path / "changes.sqlite"
    argv = ["import", str(changes), "--tz", "Europe/Amsterdam", "--store", str(store)]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    row = out.splitlines()[3].split()
    assert row == ["Detail_Change.csv", "6", "4", "1", "1", "3", "hpsm-change@1"]
    assert "Planned End is missing, and a change's plan needs its window (e.g. line 6 (C5))" in out
    assert "saved 3 tickets" in out
    loaded = {t.id: t for t in load_tickets(store)}
    assert sorted(loaded) == ["C1", "C2", "C3"]
    first = loaded["C1"]
    assert isinstance(first, Change)
    assert [a.approver for a in first.approval_log] == ["CAB", "CAB"]
    assert loaded["C3"].state == "canceled"
    code, out, _ = run(capsys, "report", str(store), "--json")
    assert code == 0
    data = json.loads(out)["changes"]
    assert data["success"]["overall"] == {"hits": 1, "population": 2, "rate": 0.5}
    assert data["refused"] is None  # a store's tickets: nothing was imported here
    code, _, err = run(capsys, "import", str(changes), "--strict")
    assert code == 1
    assert "line 7 (C4): Change record Open Time is missing" in err  # C5 waits for line 7


#: A vendor's incident practice: the ServiceNow preset with a move from new to on hold.
ACME_INCIDENT = """
kind = "practice"
schema_version = 1
base = "servicenow-incident"
name = "acme-incident"
add_transitions = [{ name = "hold_new", sources = ["new"], target = "on_hold" }]
"""


def test_import_and_report_with_a_vendor_practice(tmp_path: Path, capsys: Capture) -> None:
    """--practice makes the tickets of its kind with a vendor's practice file (the move the
    preset refused is now allowed), saves them naming it, and report STORE reads them
    with it; without it, the store's tickets name a practice the command does not know."""
    log, store = _log(tmp_path), tmp_path / "desk.sqlite"
    acme = tmp_path / "acme.toml"
    acme.write_text(ACME_INCIDENT)
    code, out, err = run(capsys, "import", str(log), "--practice", str(acme), "--store", str(store))
    assert (code, err) == (0, "")
    assert out.splitlines()[3].split() == ["log.csv", "6", "2", "1", "0", "2", "acme-incident@1"]
    assert out.endswith(f"saved 2 tickets to {store}\n")
    code, out, _ = run(capsys, "report", str(store), "--practice", str(acme), "--json")
    assert code == 0
    assert json.loads(out)["incidents"]["tickets"] == 2
    code, out, err = run(capsys, "report", str(store))
    assert (code, out) == (1, "")
    assert "no practice 'acme-incident' version 1 in the registry" in err


def test_practice_files_are_checked(tmp_path: Path, capsys: Capture) -> None:
    """One practice of each kind; a practice of another kind, a missing file or --practice
    on a report of exports: one line naming the problem, nothing imported."""
    log, acme = _log(tmp_path), tmp_path / "acme.toml"
    acme.write_text(ACME_INCIDENT)
    problem = tmp_path / "problem.toml"
    problem.write_text('kind = "practice"\nschema_version = 1\nbase = "problem"\nname = "p"\n')
    cases = [
        (["import", str(log), "--practice", str(acme), "--practice", str(acme)],
         "--practice: two incident practices (acme-incident@1 and acme-incident@1); give one "
         "of each kind"),
        (["import", str(log), "--practice", str(problem)],
         "--practice p@1 is a problem practice; import makes incidents and changes"),
        (["import", str(log), "--practice", str(tmp_path / "none.toml")], "none.toml"),
        (["report", str(log), "--practice", str(acme)],
         "--practice reads the tickets of a store; a report on exports reads their rows"),
    ]  # fmt: skip
    for argv, message in cases:
        code, out, err = run(capsys, *argv)
        assert (code, out) == (1, ""), argv
        assert err.startswith("itilkit: error: "), err
        assert message in err, err
        assert err.count("\n") == 1


def test_a_practice_for_each_kind_of_hpsm_ticket(tmp_path: Path, capsys: Capture) -> None:
    """HP SM incidents take the incident practice given and changes the change practice,
    each file the one of its kind (here the presets under a vendor's name: the same
    tickets built and refused)."""
    incidents = write(tmp_path / "inc.csv", HPSM_COLUMNS,
                      [hpsm_row(), hpsm_row(**{"Incident ID": "IM3", "Resolved Time": ""})],
                      delimiter=";")  # fmt: skip
    changes = hpsm_exports(tmp_path)[2]
    given = []
    for base, name in (("hpsm-incident", "acme-incident"), ("hpsm-change", "acme-change")):
        path = tmp_path / f"{name}.toml"
        path.write_text(
            f'kind = "practice"\nschema_version = 1\nbase = "{base}"\nname = "{name}"\n'
        )
        given += ["--practice", str(path)]
    argv = ["import", str(incidents), str(changes), "--tz", "Europe/Amsterdam", *given]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    rows = [line.split() for line in out.splitlines()[3:5]]
    assert rows == [
        ["inc.csv", "2", "2", "0", "1", "1", "acme-incident@1"],
        ["Detail_Change.csv", "6", "4", "1", "1", "3", "acme-change@1"],
    ]
