"""The command on the real exports in ../shared/data (skipped where they are absent).

The figures are those the data sets' SOURCE.md computed independently.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from itilkit.cli import main

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
UCI = SHARED / "uci_incident_event_log" / "incident_event_log.csv.xz"
BPI = SHARED / "bpi_challenge_2014"
BPI_FILES = [BPI / f"Detail_{kind}.csv.xz" for kind in ("Incident", "Interaction", "Change")]


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["report", *argv, "--json", "--no-progress"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data: dict[str, Any] = json.loads(out)
    return data


@pytest.mark.skipif(not UCI.exists(), reason="the UCI incident log is not in ../shared/data")
def test_uci_report(capsys: pytest.CaptureFixture[str]) -> None:
    """24,918 incidents; made_sla met by 15,803; 275 reopened (274 of them resolved);
    median time to resolve by priority as SOURCE.md measured (P1 80.2 h ... P4 5.0 h)."""
    data = _json(capsys, str(UCI))
    (read,) = data["files"]
    assert (read["rows"], read["records"], read["malformed"]) == (141_712, 24_918, 10)
    incidents = data["incidents"]
    assert incidents["tickets"] == 24_918
    made = incidents["export_sla"]["overall"]["tickets"]
    assert (made["hits"], made["population"]) == (15_803, 24_918)
    reopen = incidents["reopen_rate"]["overall"]
    assert (reopen["hits"], reopen["population"]) == (274, 23_362)
    medians = {g["value"]: round(g["median"] / 3600, 1) for g in
               incidents["time_to_resolve"]["groups"]}  # fmt: skip
    assert medians == {"1 - Critical": 80.2, "2 - High": 38.2, "3 - Moderate": 21.6, "4 - Low": 5.0}
    sla = data["sla"]
    assert sla["tickets"] == sla["measured"] + len(sla["excluded"]) == 24_918
    assert data["conformance"]["disallowed_tickets"] == 2_127
    assert sum(p["opened"] for p in data["backlog"]["points"]) == 24_918


@pytest.mark.skipif(not BPI.exists(), reason="BPI Challenge 2014 is not in ../shared/data")
def test_bpi_2014_report(capsys: pytest.CaptureFixture[str]) -> None:
    """46,606 incidents (203 blank rows), FCR 93,996 of 147,004 interactions, 18,000 changes
    of which 16,687 have a planned and an actual end and 3,913 ended late, 35 emergencies."""
    data = _json(capsys, *map(str, BPI_FILES), "--tz", "Europe/Amsterdam")
    incidents, interactions, changes = data["files"]
    assert (incidents["records"], incidents["blank_rows"]) == (46_606, 203)
    assert interactions["records"] == 147_004
    assert changes["records"] == 18_000
    fcr = data["interactions"]["first_contact_resolution"]["overall"]
    assert (fcr["hits"], fcr["population"]) == (93_996, 147_004)
    success = data["changes"]["success"]["overall"]
    assert (success["population"], success["population"] - success["hits"]) == (16_687, 3_913)
    emergency = data["changes"]["emergency_ratio"]["overall"]
    assert (emergency["hits"], emergency["population"]) == (35, 18_000)
    assert data["incidents"]["tickets"] == 46_606
    links = {c["column"]: c for c in data["links"]["counts"]}
    assert links["Related Interaction"]["several"] == 3_434
    assert links["Related Change"]["links"] == 560
