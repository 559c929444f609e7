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
    trail = out.split("audit trail:\n", 1)[1].splitlines()
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
