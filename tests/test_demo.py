"""The demo (``python -m itilkit``) runs and prints the final state and the audit trail."""

from __future__ import annotations

import subprocess
import sys


def test_demo_prints_final_state_and_trail() -> None:
    """The demo ends closed after one reopen and prints all eight trail rows."""
    done = subprocess.run(
        [sys.executable, "-m", "itilkit"], capture_output=True, text=True, check=True, timeout=60
    )
    out = done.stdout
    assert "final state: closed (closed); reopened 1 time(s); 2 resolutions kept" in out
    assert "priority 2 (high, matrix priority-3x3)" in out
    assert "practice demo-incident@1" in out
    trail = out.split("audit trail:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    rows = [line.split() for line in trail[2:]]
    assert [row[3] for row in rows] == [
        "assign",
        "start_work",
        "hold",
        "resume",
        "resolve",
        "reopen",
        "resolve",
        "close",
    ]
    assert rows[-1][4:6] == ["resolved", "closed"]
    assert done.stderr == ""


def test_demo_sla_and_kpis_agree_with_the_library() -> None:
    """The demo's SLA lines and KPI figures are what the library computes for the same data."""
    from itilkit.__main__ import END, PRACTICE, batch, kpi_lines
    from itilkit.metrics import SlaCompliance
    from itilkit.practices import sla_outcomes

    done = subprocess.run(
        [sys.executable, "-m", "itilkit"], capture_output=True, text=True, check=True, timeout=60
    )
    out = done.stdout
    assert "resolution target 8:00:00  due Tue 13:15 UTC (unpaused Tue 10:00)" in out
    assert "business elapsed 0:45:00  paused 2:15:00  stopped, met" in out
    incidents = batch()
    reopened = sum(1 for i in incidents if i.reopen_count)
    never_reassigned = sum(1 for i in incidents if i.reassignment_count == 0)
    assert f"reopen rate {reopened / 400:.1%} ({reopened}/400)" in out
    assert f"first-assignment resolution {never_reassigned / 400:.1%}" in out
    assert "\n".join(kpi_lines(incidents, END)) in out
    assert all(i.practice is PRACTICE for i in incidents)
    met = SlaCompliance(targets=["resolution"])(sla_outcomes(incidents, END)).overall
    resolution = met.targets["resolution"].compliance
    assert f"SLA resolution met {resolution.rate:.1%} ({resolution.hits}/400)" in out
