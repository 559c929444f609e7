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
    """46,606 incidents (203 blank rows), FCR 93,996 of 147,004 interactions, 18,000 changes,
    each built into an entity or refused; of the 16,687 with a planned and an actual end,
    all but those recorded outside their record's span are judged."""
    data = _json(capsys, *map(str, BPI_FILES), "--tz", "Europe/Amsterdam")
    incidents, interactions, changes = data["files"]
    assert (incidents["records"], incidents["blank_rows"]) == (46_606, 203)
    assert interactions["records"] == 147_004
    assert changes["records"] == 18_000
    fcr = data["interactions"]["first_contact_resolution"]["overall"]
    assert (fcr["hits"], fcr["population"]) == (93_996, 147_004)
    # The figures are the change entities': of the 16,687 changes with a planned and an
    # actual end, those whose work was recorded outside the record's span are refused.
    refused = {g["reason"]: g["count"] for g in data["changes"]["refused_by_reason"]}
    outside = (
        refused["the change record's Close Time is before its Actual End"]
        + refused["Actual Start is before the change record's Open Time"]
        + refused["Actual End is set without an Actual Start"]
    )
    success = data["changes"]["success"]["overall"]
    assert success["population"] + outside == 16_687
    assert data["changes"]["success"]["excluded"]["canceled"]["count"] == 1_294
    assert data["changes"]["changes"] + data["changes"]["refused"] == 18_000
    emergency = data["changes"]["emergency_ratio"]["overall"]
    assert emergency["hits"] <= 35
    assert data["incidents"]["tickets"] == 46_606
    links = {c["column"]: c for c in data["links"]["counts"]}
    assert links["Related Interaction"]["several"] == 3_434
    assert links["Related Change"]["links"] == 560
