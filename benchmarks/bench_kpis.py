"""KPIs over 1,000,000 synthetic incidents: itilkit against a hand-written loop and pandas.

MTTR (time to resolve) and FCR grouped by priority x service, each reporting
count, mean, median and p90 per group and overall. The hand-written loop is the
floor: one pass over the same records doing the same work. pandas is timed on a
prebuilt DataFrame and including building it from the records. Business-time
MTTR runs on the issue-3 benchmark calendar (Mon-Fri 09:00-17:00 with a
12:00-13:00 break, Europe/London, ten holidays a year), against a hand-written
loop calling ``calendar.elapsed`` per record.

The last group runs the same measures on what an analyst has: ``df.to_dict("records")``
of a DataFrame with ``datetime64[ns, UTC]`` columns (pandas Timestamps at nanosecond
precision, NaT for unresolved), against the same dict records holding datetimes.

Run: ``.venv/bin/python -m benchmarks.bench_kpis [--records N] [--timestamp-records N]
[--timestamps-only]``.
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pandas as pd

from benchmarks._harness import Case, Result, measure, table
from itilkit.metrics import FirstContactResolution, TimeToResolve
from itilkit.sla import BusinessCalendar, Holidays, WeeklySchedule

GROUPS = ("priority", "service")
#: Mon-Fri 09:00-17:00 with a lunch break, Europe/London; the eight bank holidays of
#: England and Wales plus Christmas Eve and New Year's Eve (ten a year).
CALENDAR = BusinessCalendar(
    "Europe/London",
    WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"}),
    Holidays(
        yearly=[(1, 1), (12, 24), (12, 25), (12, 26), (12, 31)],
        rules=[
            "FREQ=YEARLY;BYEASTER=-2",
            "FREQ=YEARLY;BYEASTER=1",
            "FREQ=YEARLY;BYMONTH=5;BYDAY=1MO",
            "FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO",
            "FREQ=YEARLY;BYMONTH=8;BYDAY=-1MO",
        ],
    ),
)
#: Business-time MTTR over 1,000,000 records should take less than this (seconds).
BUSINESS_TARGET = 3.0


@attrs.define
class Incident:
    """A plain slots record, as a host's in-memory incidents would be."""

    id: int
    opened_at: datetime
    resolved_at: datetime | None
    category: str
    priority: int
    service: str
    first_contact_resolved: bool
    reopen_count: int


def make_incidents(n: int, seed: int = 1) -> list[Incident]:
    """Opened over 2024-01..2026-06, lognormal durations by priority, 3 % unresolved."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 6, 30, tzinfo=UTC) - start).total_seconds()
    medians = {1: 2.0, 2: 8.0, 3: 24.0, 4: 72.0}
    cap = 60 * 24.0
    records = []
    for i in range(n):
        priority = rng.choices((1, 2, 3, 4), (5, 15, 40, 40))[0]
        opened = start + timedelta(seconds=int(rng.random() * span))
        hours = min(cap, medians[priority] * math.exp(rng.gauss(0, 1)))
        resolved = None if rng.random() < 0.03 else opened + timedelta(seconds=int(hours * 3600))
        records.append(
            Incident(
                i,
                opened,
                resolved,
                "closed" if resolved else "active",
                priority,
                f"svc{rng.randrange(20):02d}",
                rng.random() < 0.6,
                1 if rng.random() < 0.05 else 0,
            )
        )
    return records


def _quantile(ordered: list[float], p: float) -> float:
    h = (len(ordered) - 1) * p
    low = int(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


def _summary(values: list[float]) -> tuple[int, float, float, float]:
    ordered = sorted(values)
    return (
        len(ordered),
        math.fsum(ordered) / len(ordered),
        _quantile(ordered, 0.5),
        _quantile(ordered, 0.9),
    )


def hand_mttr(records: list[Incident]) -> dict[Any, tuple[int, float, float, float]]:
    """The floor: one pass, durations in seconds per group, then the statistics."""
    groups: dict[tuple[int, str], list[float]] = {}
    for r in records:
        if r.resolved_at is None or r.category == "canceled":
            continue
        key = (r.priority, r.service)
        seconds = (r.resolved_at - r.opened_at).total_seconds()
        bucket = groups.get(key)
        if bucket is None:
            groups[key] = [seconds]
        else:
            bucket.append(seconds)
    out: dict[Any, tuple[int, float, float, float]] = {k: _summary(v) for k, v in groups.items()}
    out["all"] = _summary([s for v in groups.values() for s in v])
    return out


def hand_business_mttr(records: list[Incident]) -> dict[Any, tuple[int, float, float, float]]:
    """The floor in business time: as :func:`hand_mttr`, with ``calendar.elapsed`` per record."""
    elapsed = CALENDAR.elapsed
    groups: dict[tuple[int, str], list[float]] = {}
    for r in records:
        if r.resolved_at is None or r.category == "canceled":
            continue
        key = (r.priority, r.service)
        seconds = elapsed(r.opened_at, r.resolved_at).total_seconds()
        bucket = groups.get(key)
        if bucket is None:
            groups[key] = [seconds]
        else:
            bucket.append(seconds)
    out: dict[Any, tuple[int, float, float, float]] = {k: _summary(v) for k, v in groups.items()}
    out["all"] = _summary([s for v in groups.values() for s in v])
    return out


def check_business(records: list[Incident], sample: int = 20_000) -> str:
    """On a sample, business-time MTTR totals equal ``calendar.elapsed`` summed per record."""
    part = records[:sample]
    ours = TimeToResolve(clock=CALENDAR, by=GROUPS)(part)
    by_group: dict[tuple[int, str], timedelta] = {}
    done = 0
    for r in part:
        if r.resolved_at is not None and r.category != "canceled":
            key = (r.priority, r.service)
            elapsed = CALENDAR.elapsed(r.opened_at, r.resolved_at)
            by_group[key] = by_group.get(key, timedelta(0)) + elapsed
            done += 1
    assert ours.overall.count == done
    assert ours.overall.total == sum(by_group.values(), timedelta(0))
    assert {key: stats.total for key, stats in ours.groups.items()} == by_group
    assert ours.overall.mean is not None
    return (
        f"business-time MTTR on the first {sample:,} records: {done:,} resolved, total "
        f"equal to calendar.elapsed summed per record (overall and per group), mean "
        f"{ours.overall.mean.total_seconds() / 3600:.2f} business hours"
    )


def hand_fcr(records: list[Incident]) -> dict[Any, float]:
    """The floor for FCR: resolved, not canceled; hit when first contact and never reopened."""
    groups: dict[tuple[int, str], list[int]] = {}
    for r in records:
        if r.resolved_at is None or r.category == "canceled":
            continue
        key = (r.priority, r.service)
        counts = groups.get(key)
        if counts is None:
            counts = groups[key] = [0, 0]
        if r.first_contact_resolved and not r.reopen_count:
            counts[0] += 1
        counts[1] += 1
    out: dict[Any, float] = {k: h / n for k, (h, n) in groups.items()}
    out["all"] = sum(h for h, _ in groups.values()) / sum(n for _, n in groups.values())
    return out


def columns(records: list[Incident]) -> dict[str, list[Any]]:
    """Column lists extracted from the records, the cheapest way into pandas."""
    return {
        name: [getattr(r, name) for r in records]
        for name in ("opened_at", "resolved_at", "category", "priority", "service",
                     "first_contact_resolved", "reopen_count")
    }  # fmt: skip


def pandas_mttr(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """count, mean, median, p90 of resolved - opened, by group and overall."""
    done = frame[frame["resolved_at"].notna() & (frame["category"] != "canceled")]
    hours = done["resolved_at"] - done["opened_at"]
    stats: list[Any] = ["count", "mean", "median", lambda s: s.quantile(0.9)]
    grouped = hours.groupby([done["priority"], done["service"]]).agg(stats)
    overall = hours.agg(["count", "mean", "median"])
    return grouped, overall


def pandas_fcr(frame: pd.DataFrame) -> tuple[pd.Series, float]:
    """FCR by group and overall."""
    done = frame[frame["resolved_at"].notna() & (frame["category"] != "canceled")]
    hit = done["first_contact_resolved"] & (done["reopen_count"] == 0)
    return hit.groupby([done["priority"], done["service"]]).mean(), float(hit.mean())


def check(records: list[Incident], frame: pd.DataFrame) -> str:
    """All implementations agree (counts exactly, means to a microsecond)."""
    ours = TimeToResolve(by=GROUPS)(records)
    floor = hand_mttr(records)
    grouped, _overall = pandas_mttr(frame)
    worst = 0.0
    for key, stats in ours.groups.items():
        assert stats.mean is not None
        count, mean, _median, _p90 = floor[key]
        assert stats.count == count == grouped.loc[key, "count"]
        worst = max(worst, abs(stats.mean.total_seconds() - mean))
        worst = max(
            worst, abs(stats.mean.total_seconds() - grouped.loc[key, "mean"].total_seconds())
        )
    fcr = FirstContactResolution(by=GROUPS)(records)
    floor_fcr = hand_fcr(records)
    assert all(abs((s.rate or 0) - floor_fcr[k]) < 1e-12 for k, s in fcr.groups.items())
    assert ours.overall.mean is not None
    return (
        f"overall MTTR {ours.overall.mean.total_seconds() / 3600:.2f} h over "
        f"{ours.overall.count:,} resolved; FCR {fcr.overall.rate:.4f}; "
        f"largest mean difference {worst:.2e} s"
    )


def verdict(results: list[Result]) -> str:
    """itilkit against the floor (target within 1.5x) and pandas incl. construction (faster)."""
    ours, floor, _prebuilt, pandas_total = results
    return (
        f"itilkit / hand-written loop: {ours.median / floor.median:.2f}x of medians, "
        f"{ours.best / floor.best:.2f}x of best runs (target <= 1.5x); pandas incl. "
        f"DataFrame / itilkit: {pandas_total.median / ours.median:.2f}x (target > 1x)\n"
    )


def timestamps(n: int, repeats: int) -> None:
    """MTTR, FCR and business-time MTTR on Timestamp dicts beside the same dicts of datetimes."""
    frame = pd.DataFrame(columns(make_incidents(n)))
    frame["opened_at"] = pd.to_datetime(frame["opened_at"], utc=True) + pd.Timedelta(7, "ns")
    frame["resolved_at"] = pd.to_datetime(frame["resolved_at"], utc=True) + pd.Timedelta(7, "ns")
    stamped = frame.to_dict("records")
    plain = [
        {k: v.to_pydatetime(warn=False) if isinstance(v, pd.Timestamp) else v
         for k, v in row.items()}
        for row in stamped
    ]  # fmt: skip
    for row in plain:
        if row["resolved_at"] is pd.NaT:
            row["resolved_at"] = None
    assert isinstance(stamped[0]["opened_at"], pd.Timestamp)
    kpis: list[tuple[str, Any]] = [
        ("TimeToResolve", TimeToResolve(by=GROUPS)),
        ("FirstContactResolution", FirstContactResolution(by=GROUPS)),
        ("TimeToResolve(clock=calendar)", TimeToResolve(clock=CALENDAR, by=GROUPS)),
    ]
    for name, kpi in kpis:
        try:
            agree = kpi(stamped) == kpi(plain)
        except Exception as error:  # itilkit before issue 11 raised pandas' own errors here
            print(f"{name} on Timestamps raises {type(error).__name__}: {error}\n")
            continue
        assert agree, f"{name}: Timestamps and datetimes disagree"
        print(_timed(name, kpi, plain, stamped, n, repeats))


def _timed(
    name: str,
    kpi: Any,
    plain: list[dict[Any, Any]],
    stamped: list[dict[Any, Any]],
    n: int,
    repeats: int,
) -> str:
    """The table of one KPI on both forms of the records, and their ratio."""
    cases = [
        Case(f"itilkit {name}, dicts of datetimes", lambda: kpi(plain), n),
        Case(f"itilkit {name}, dicts of pandas Timestamps", lambda: kpi(stamped), n),
    ]
    results = measure(cases, repeats=repeats)
    ratio = results[1].median / results[0].median
    title = f"{name} by priority x service on df.to_dict('records') (ops = records)"
    return table(title, results, cases[0].name) + f"Timestamps / datetimes: {ratio:.2f}x\n"


def main() -> None:
    """Run every group and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--timestamp-records", type=int, default=200_000)
    parser.add_argument("--timestamps-only", action="store_true")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if args.timestamps_only:
        timestamps(args.timestamp_records, args.repeats)
        return
    records = make_incidents(args.records)
    frame = pd.DataFrame(columns(records))
    print(check(records, frame), "\n")
    n = len(records)

    def against_floor_and_pandas(
        name: str, ours: Callable[[], object], hand: Callable[[], object], on_frame: Any
    ) -> list[Case]:
        """itilkit, the hand-written floor, and pandas with and without building the frame."""
        return [
            Case(name, ours, n),
            Case("hand-written loop (floor)", hand, n),
            Case("pandas groupby, prebuilt DataFrame", lambda: on_frame(frame), n),
            Case(
                "pandas incl. DataFrame(columns from records)",
                lambda: on_frame(pd.DataFrame(columns(records))),
                n,
            ),
        ]

    mttr = TimeToResolve(by=GROUPS)
    results = measure(
        against_floor_and_pandas(
            "itilkit TimeToResolve", lambda: mttr(records), lambda: hand_mttr(records), pandas_mttr
        ),
        repeats=args.repeats,
    )
    print(table("MTTR by priority x service (ops = records)", results, "itilkit TimeToResolve"))
    print(verdict(results))

    print(check_business(records), "\n")
    business = TimeToResolve(clock=CALENDAR, by=GROUPS)
    results = measure(
        [
            Case("itilkit TimeToResolve(clock=calendar)", lambda: business(records), n),
            Case(
                "hand-written loop, calendar.elapsed per record",
                lambda: hand_business_mttr(records),
                n,
            ),
        ],
        repeats=args.repeats,
    )
    print(
        table(
            "Business-time MTTR by priority x service (ops = records)",
            results,
            "itilkit TimeToResolve(clock=calendar)",
        )
    )
    ours, floor = results
    million = 1_000_000
    print(
        f"itilkit business-time MTTR: {ours.median * million:.2f} s per 1,000,000 records "
        f"(median; best {ours.best * million:.2f} s; target < {BUSINESS_TARGET:.0f} s); "
        f"{ours.median / floor.median:.2f}x the per-record loop\n"
    )

    fcr = FirstContactResolution(by=GROUPS)
    results = measure(
        against_floor_and_pandas(
            "itilkit FirstContactResolution",
            lambda: fcr(records),
            lambda: hand_fcr(records),
            pandas_fcr,
        ),
        repeats=args.repeats,
    )
    print(
        table(
            "FCR by priority x service (ops = records)", results, "itilkit FirstContactResolution"
        )
    )
    print(verdict(results))
    timestamps(args.timestamp_records, args.repeats)


if __name__ == "__main__":
    main()
