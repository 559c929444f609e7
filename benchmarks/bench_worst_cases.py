"""The worst cases issue 11 found, each timed: calls that used to crash, hang or take seconds.

``CASES`` is one list of ``(name, callable)``; add a case by appending to it (keep the
section comments: one per area). Each case runs once in a child process under a time
limit (``--limit``, default 30 s), so a case that still hangs is stopped and reported
instead of stalling the run; the script prints how each call ended (``ok``, the error it
raised, or stopped) and how long it took. ``docs/performance.md`` gives the figures before
the fixes (the same script on main as of ad6f3aa) and after.

Run: ``.venv/bin/python -m benchmarks.bench_worst_cases [--limit SECONDS] [--only TEXT]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from multiprocessing.connection import Connection

import pandas as pd

from itilkit.metrics import (
    Backlog,
    ByPeriod,
    DeploymentFrequency,
    Period,
    TimeBetweenServiceIncidents,
    TimeToResolve,
)
from itilkit.sla import BusinessCalendar, WeeklySchedule

#: A valid aware instant at the very end of datetime's range: 10000-01-01 01:00 in UTC.
END_OF_RANGE = datetime(9999, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
#: The other instant of each record: late, but inside the supported years.
LATE = datetime(9998, 12, 31, 1, 0, tzinfo=UTC)
NO_CATEGORY = {"category": None}


def _resolved_at_end_of_range() -> object:
    record = {"opened_at": LATE, "resolved_at": END_OF_RANGE}
    return TimeToResolve(fields=NO_CATEGORY)([record]).exclusions


def _reversed_at_end_of_range() -> object:
    record = {"opened_at": END_OF_RANGE, "resolved_at": LATE}
    return TimeToResolve(fields=NO_CATEGORY)([record]).exclusions


def _period_at_end_of_range() -> object:
    record = {"opened_at": LATE, "resolved_at": END_OF_RANGE}
    return TimeToResolve(by=ByPeriod("resolved_at"), fields=NO_CATEGORY)([record]).exclusions


def _deployed_at_end_of_range() -> object:
    return DeploymentFrequency(fields=NO_CATEGORY)([{"deployed_at": END_OF_RANGE}]).exclusions


def _backlog_at_end_of_range() -> object:
    records = [{"opened_at": LATE, "resolved_at": None}]
    return Backlog(at=END_OF_RANGE, fields={"category": None, "closed_at": None})(records).overall


def _failure_at_end_of_range() -> object:
    records = [{"ci": "db", "failed_at": LATE}, {"ci": "db", "failed_at": END_OF_RANGE}]
    return TimeBetweenServiceIncidents(fields=NO_CATEGORY)(records).exclusions


def _deployments_over(first: int, last: int) -> Callable[[], object]:
    def run() -> object:
        records = [
            {"deployed_at": datetime(first, 1, 1, tzinfo=UTC)},
            {"deployed_at": datetime(last, 12, 30, tzinfo=UTC)},
        ]
        stats = DeploymentFrequency(period=Period.DAY, fields=NO_CATEGORY)(records).overall
        return stats.deployments, stats.periods

    return run


def _calendar_on_nanosecond_timestamps() -> object:
    calendar = BusinessCalendar(
        "Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"})
    )
    frame = pd.DataFrame(
        {
            "opened_at": pd.to_datetime(["2024-01-01 09:00:00.000000001"] * 1000, utc=True),
            "resolved_at": pd.to_datetime(["2024-01-03 10:30:00.000000007"] * 1000, utc=True),
        }
    )
    records = frame.to_dict("records")
    return TimeToResolve(clock=calendar, fields=NO_CATEGORY)(records).overall.mean


def _many_buckets() -> object:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    records = [{"opened_at": at - timedelta(minutes=i), "resolved_at": None} for i in range(50_000)]
    edges = [timedelta(hours=h) for h in range(1, 1001)]
    backlog = Backlog(at=at, buckets=edges, fields={"category": None, "closed_at": None})
    return backlog(records).overall.open


def _many_percentiles() -> object:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    records = [
        {"id": i, "opened_at": at, "resolved_at": at + timedelta(minutes=i)} for i in range(2_000)
    ]
    fractions = [i / 10_000 for i in range(10_001)]
    return len(TimeToResolve(by="id", percentiles=fractions, fields=NO_CATEGORY)(records).groups)


CASES: list[tuple[str, Callable[[], object]]] = [
    # -- metrics: instants at the end of datetime's range -----------------------------
    ("TimeToResolve, resolved 9999-12-31 20:00 -05:00", _resolved_at_end_of_range),
    ("TimeToResolve, the same two instants reversed", _reversed_at_end_of_range),
    ("ByPeriod, resolved 9999-12-31 20:00 -05:00", _period_at_end_of_range),
    ("DeploymentFrequency, deployed 9999-12-31 20:00 -05:00", _deployed_at_end_of_range),
    ("Backlog at 9999-12-31 20:00 -05:00", _backlog_at_end_of_range),
    ("MTBSI, a failure 9999-12-31 20:00 -05:00", _failure_at_end_of_range),
    # -- metrics: bounded work ----------------------------------------------------------
    ("DeploymentFrequency by day, years 1 to 9999", _deployments_over(1, 9999)),
    ("DeploymentFrequency by day, years 2 to 9998", _deployments_over(2, 9998)),
    ("Backlog, 1,000 age buckets over 50,000 open records", _many_buckets),
    ("TimeToResolve, 10,001 percentiles over 2,000 groups", _many_percentiles),
    # -- metrics: analysts' input -------------------------------------------------------
    (
        "TimeToResolve(clock=calendar), 1,000 nanosecond Timestamps",
        _calendar_on_nanosecond_timestamps,
    ),
]


def _child(case: Callable[[], object], out: Connection) -> None:
    start = time.perf_counter()
    try:
        value = case()
        ending = f"ok: {value!r}"[:100]
    except Exception as error:  # the point is to report whatever a case raises
        ending = f"raises {type(error).__name__}: {error}".splitlines()[0][:100]
    out.send((time.perf_counter() - start, ending))


def run(case: Callable[[], object], limit: float) -> tuple[float | None, str]:
    """``(seconds, how it ended)`` of one call in a child process; ``None`` when stopped."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_child, args=(case, sender))
    child.start()
    if receiver.poll(limit):
        took, ending = receiver.recv()
        child.join()
        return took, ending
    child.kill()
    child.join()
    return None, f"stopped after {limit:g} s"


def main() -> None:
    """Run every case (or those whose name contains ``--only``) and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    print("| case | time | how it ended |")
    print("|---|---:|---|")
    for name, case in CASES:
        if args.only not in name:
            continue
        took, ending = run(case, args.limit)
        shown = f"> {args.limit:g} s" if took is None else f"{took * 1e3:,.1f} ms"
        print(f"| {name} | {shown} | {ending.replace('|', '/')} |", flush=True)


if __name__ == "__main__":
    main()
