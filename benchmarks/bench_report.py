"""A full ``itilkit report`` on the real exports, and where its time goes.

The whole command, as a user runs it (a new process: start-up, imports, reading,
measuring, rendering), on the UCI ServiceNow log (141,712 rows, 24,918 incidents) and
on the three BPI Challenge 2014 exports, as a table, JSON and HTML, beside the floor of
a plain ``csv.reader`` over the same files. Then the report's phases on the UCI log, in
one process: reading, the records, SLA histories and conformance traces made from it,
the KPI measures, the bulk SLA statuses, the conformance check and the rendering. No
PyPI library computes such a report (the analyst's alternative is a notebook of pandas
code), so the floor is what the figures stand beside. The machine's load average is
printed before and after: the machine is shared, so read the figures with it.

With ``--store``, also the UCI log imported into a new SQLite store
(``itilkit import --store``), the report of that store, and ``itilkit demo``.

Run: ``.venv/bin/python -m benchmarks.bench_report [--repeats N] [--store]`` (about 3
minutes, 8 with ``--store``; needs ``../shared/data``).
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from itilkit.cli._html import report_html
from itilkit.cli._text import report_text
from itilkit.codec import load
from itilkit.conformance import check_conformance
from itilkit.interop import SERVICENOW_STATES, read_servicenow_incidents, servicenow_trace
from itilkit.metrics import FirstAssignmentResolution, ReopenRate, SlaCompliance, TimeToResolve
from itilkit.reports import (
    build_report,
    bulk_sla,
    default_sla_policy,
    named_lifecycle,
    servicenow_history,
    servicenow_record,
)
from itilkit.sla import BusinessCalendar

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
UCI = DATA / "uci_incident_event_log" / "incident_event_log.csv.xz"
BPI = [
    DATA / "bpi_challenge_2014" / f"Detail_{kind}.csv.xz"
    for kind in ("Incident", "Interaction", "Change")
]
CALENDAR = ROOT / "docs" / "examples" / "office-hours.toml"
#: A full report on the UCI log within this many seconds (issue 12).
AIM = 10.0


def csv_floor(paths: list[Path]) -> None:
    """Every row of the files through csv.reader."""
    for path in paths:
        delimiter = "," if path == UCI else ";"
        with lzma.open(path, "rt", newline="", encoding="utf-8-sig") as handle:
            for _ in csv.reader(handle, delimiter=delimiter):
                pass


def command(args: list[str]) -> None:
    """The installed command in a new process; its output to a file, as a user would."""
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-m", "itilkit.cli", *args, "-o", str(Path(folder) / "out")],
            capture_output=True,
            check=False,
        )
    if done.returncode:
        raise SystemExit(f"itilkit {' '.join(args)} failed: {done.stderr.decode()}")


def store_cases(folder: Path) -> list[tuple[str, Callable[[], Any]]]:
    """The UCI log imported into a new SQLite store, then reported from it, and the demo."""
    made: list[Path] = []

    def import_new() -> None:
        store = folder / f"uci-{len(made)}.sqlite"
        made.append(store)
        command(["import", str(UCI), "--store", str(store)])

    def report_last() -> None:
        command(["report", str(made[-1]), "--calendar", str(CALENDAR), "--html"])

    return [
        ("itilkit import UCI log --store (a new store)", import_new),
        ("itilkit report STORE (the UCI log's) --html", report_last),
        ("itilkit demo", lambda: command(["demo"])),
    ]


def seconds(run: Callable[[], Any], repeats: int) -> tuple[float, float, float]:
    """Median, best and worst wall-clock seconds of ``repeats`` runs."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples), max(samples)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    cores = os.cpu_count()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min) on {cores} cores"


def phases() -> list[tuple[str, float]]:
    """The report's work on the UCI log, phase by phase, timed once each."""
    office = load(CALENDAR, BusinessCalendar)
    found: list[tuple[str, float]] = []
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        found.append((name, now - clock))
        clock = now

    incidents = list(read_servicenow_incidents(UCI, tz="UTC"))
    step("read the log (read_servicenow_incidents)")
    records = [servicenow_record(i) for i in incidents]
    step("KPI records (servicenow_record)")
    histories = [(i.number, servicenow_history(i)) for i in incidents]
    step("SLA histories (servicenow_history)")
    traces = [servicenow_trace(i) for i in incidents]
    step("conformance traces (servicenow_trace)")
    by = ("priority",)
    for measure in (
        TimeToResolve(by=by),
        TimeToResolve(by=by, clock=office),
        ReopenRate(by=by),
        FirstAssignmentResolution(by=by),
        SlaCompliance(targets={"made_sla": "made_sla"}, flags="met", by=by),
    ):
        measure(records)
    step("KPI measures (time to resolve x2, rates, made_sla)")
    now = max(i.final.at for i in incidents)
    run = bulk_sla(default_sla_policy(office), histories, now)
    step(f"bulk SLA statuses ({len(run.statuses):,} tickets, 2 targets)")
    check_conformance(traces, named_lifecycle("incident"), mapping=SERVICENOW_STATES,
                      calendar=office)  # fmt: skip
    step("conformance check (business time impact too)")
    report = build_report([UCI], sla=office)
    clock = time.perf_counter()  # build_report repeats the phases above: not counted
    data = report.to_dict()
    text = json.dumps(data)
    report_text(data)
    report_html(data)
    step(f"JSON form and rendering (table, JSON {len(text) // 1024} KiB, HTML)")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--store", action="store_true", help="also import into a store and report from it"
    )
    options = parser.parse_args()
    if not UCI.exists():
        raise SystemExit(f"the data sets are not in {DATA}")
    print(f"before: {load_average()}\n")
    uci = [str(UCI), "--calendar", str(CALENDAR)]
    bpi = [*map(str, BPI), "--tz", "Europe/Amsterdam", "--calendar", str(CALENDAR)]
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("csv.reader floor, UCI log", lambda: csv_floor([UCI])),
        ("itilkit report UCI log (table)", lambda: command(["report", *uci])),
        ("itilkit report UCI log --json", lambda: command(["report", *uci, "--json"])),
        ("itilkit report UCI log --html", lambda: command(["report", *uci, "--html"])),
        ("csv.reader floor, BPI 2014 (3 files)", lambda: csv_floor(BPI)),
        ("itilkit report BPI 2014 (3 files) --html", lambda: command(["report", *bpi, "--html"])),
    ]
    scratch = tempfile.TemporaryDirectory()
    if options.store:
        cases += store_cases(Path(scratch.name))
    print("| case | median | best | worst |")
    print("|---|---:|---:|---:|")
    medians = {}
    with scratch:
        for name, run in cases:
            median, best, worst = seconds(run, options.repeats)
            medians[name] = median
            print(f"| {name} | {median:.2f} s | {best:.2f} s | {worst:.2f} s |", flush=True)
    full = medians["itilkit report UCI log --html"]
    verdict = "met" if full < AIM else "NOT met"
    print(f"\nA full report on the UCI log (HTML): {full:.2f} s, the aim of {AIM:.0f} s {verdict}.")
    print("\nPhases of the UCI report, in one process (timed once):\n")
    print("| phase | seconds |")
    print("|---|---:|")
    found = phases()
    for name, took in found:
        print(f"| {name} | {took:.2f} |")
    print(f"| total | {sum(t for _, t in found):.2f} |")
    print(f"\nafter: {load_average()}")


if __name__ == "__main__":
    main()
