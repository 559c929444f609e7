"""``itilkit demo``: the README's main job, deterministic, and what the library computes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from itilkit.cli import main
from itilkit.cli._demo import END, OFFICE, PRACTICE, demo_text, through_store, week
from itilkit.metrics import ChangeSuccessRate, ReopenRate, TimeToResolve
from itilkit.practices import check_invariants

ROOT = Path(__file__).resolve().parents[2]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_demo_prints_the_same_week_every_time(capsys: pytest.CaptureFixture[str]) -> None:
    """The command prints the demo's text, nothing on stderr, and the same on every run."""
    code, out, err = _run(capsys, "demo")
    assert (code, err) == (0, "")
    assert out == demo_text() == demo_text()
    for ticket in ("INC-1001", "INC-1002", "INC-1003", "INC-1004", "CHG-2001", "CHG-2002"):
        assert f"\n{ticket}  " in out
    assert "REQ-3001  Laptop for a new starter  [service_request@1, now closed]" in out
    incidents, changes, requests = week()
    tickets = [*incidents, *changes, *requests]
    records = sum(len(t.history) for t in tickets)
    assert (
        f"  store     SQLite in a temporary file: {len(tickets)} tickets and {records} history "
        "records saved and loaded back\n"
    ) in out


def _line(out: str, *starts: str) -> str:
    found = [line for line in out.splitlines() if line.split()[: len(starts)] == list(starts)]
    assert len(found) == 1, (starts, found)
    return found[0]


def test_the_store_step_gives_back_what_it_was_given(tmp_path: Path) -> None:
    """The demo's tickets go through a real SQLite file and come back equal."""
    tickets = week()
    back, line = through_store(tickets, tmp_path / "demo.sqlite")
    assert back == tickets
    assert (tmp_path / "demo.sqlite").read_bytes()[:16] == b"SQLite format 3\x00"
    assert line.startswith("7 tickets and ")


def test_the_scenario_has_a_breach_a_reopen_and_a_hold(capsys: pytest.CaptureFixture[str]) -> None:
    """The P1 VPN incident breaches 4 office hours after logging; the printer incident was
    reopened; the laptop incident waits on hold, its clock paused."""
    out = demo_text()
    incidents, changes, _ = week()
    vpn = next(i for i in incidents if i.id == "INC-1002")
    breach = OFFICE.add(vpn.opened_at, timedelta(hours=4))
    assert f"BREACHED at {breach:%a %d %b %H:%M}" in _line(out, "INC-1002", "P1", "resolution")
    assert breach.isoformat() == "2026-03-02T14:30:00+00:00"  # 3 h to lunch, 1 h after it
    printer = next(i for i in incidents if i.id == "INC-1003")
    assert printer.reopen_count == 1
    assert re.search(r"reopen +resolved +in_progress +eve +reopen_count=1", out)
    laptop = next(i for i in incidents if i.id == "INC-1004")
    assert laptop.state == "on_hold"
    assert "paused, 15.0 h left" in _line(out, "INC-1004", "P3", "resolution")
    for ticket in [*incidents, *changes]:
        check_invariants(ticket)
    assert all(i.practice is PRACTICE for i in incidents)


def test_the_kpis_are_the_librarys(capsys: pytest.CaptureFixture[str]) -> None:
    """MTTR, reopen rate and change success as the measures give them for the same tickets."""
    out = demo_text()
    incidents, changes, _ = week()
    business = TimeToResolve(clock=OFFICE, exclude_paused=True)(incidents).overall.mean
    assert business is not None
    mttr = _line(out, "MTTR")
    assert f"{business / timedelta(hours=1):.1f} h" in mttr
    reopen = ReopenRate()(incidents).overall
    assert (reopen.hits, reopen.population) == (1, 3)
    assert "33.3 % (1 of 3)" in _line(out, "reopen", "rate")
    success = ChangeSuccessRate()(changes).overall
    assert (success.hits, success.population) == (1, 2)
    assert "50.0 % (1 of 2)" in _line(out, "change", "success")
    assert "66.7 % (2 of 3)" in _line(out, "SLA", "resolution")
    assert "1 breached, 1 running" in _line(out, "SLA", "resolution")
    assert END.isoformat() == "2026-03-05T12:00:00+00:00"


def test_the_readme_holds_the_two_set_up_commands() -> None:
    """Exactly two shell blocks: install and run the demo, install and run every test."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    assert [b.strip() for b in blocks] == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/itilkit demo",
        "bash scripts/test",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec bash scripts/test" in ci


def test_the_readme_demo_command_runs_the_installed_script() -> None:
    """The installed ``itilkit`` script (the README's last step) and ``python -m itilkit``
    print the demo."""
    script = Path(sys.executable).with_name("itilkit")
    if not script.exists():
        found = shutil.which("itilkit")
        if found is None:
            pytest.skip(f"no installed itilkit script beside {sys.executable}")
        script = Path(found)
    expected = demo_text()
    for command in ([str(script), "demo"], [sys.executable, "-m", "itilkit"]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert (done.returncode, done.stderr) == (0, ""), command
        assert done.stdout == expected, command
