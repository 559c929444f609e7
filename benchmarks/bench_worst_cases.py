"""Worst cases of issue 11: inputs that hung, took seconds or escaped untyped.

``CASES`` is a plain list of named cases; each runs in a fresh interpreter
(so first-use costs count, and a hang is cut off after ``--timeout`` seconds)
and is reported with its time and outcome: ``ok``, the exception type it
raised, or ``timeout``. Other streams append their cases to the same list.

Run: ``.venv/bin/python -m benchmarks.bench_worst_cases`` (after), and for the
figures before, the same script against an older checkout's sources:
``PYTHONPATH=<checkout>/src .venv/bin/python -m benchmarks.bench_worst_cases``.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import attrs


@attrs.frozen
class WorstCase:
    """One case: ``run()`` does the hostile call once."""

    name: str
    run: Callable[[], object]


def _office(zone: str = "Europe/London") -> Any:
    from itilkit.sla import BusinessCalendar, WeeklySchedule

    return BusinessCalendar(zone, WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))


def _never_open() -> object:
    from itilkit.sla import BusinessCalendar, WeeklySchedule

    return BusinessCalendar("UTC", WeeklySchedule()).next_open(datetime(2024, 5, 9, tzinfo=UTC))


def _year(year: int) -> Callable[[], object]:
    def run() -> object:
        return _office().is_open(datetime(year, 6, 1, tzinfo=UTC))

    return run


def _zone(name: str) -> Callable[[], object]:
    def run() -> object:
        return _office(name)

    return run


def _first_op(zone: str) -> Callable[[], object]:
    def run() -> object:
        calendar = _office(zone)
        return calendar.add(datetime(2024, 5, 10, 12, tzinfo=UTC), timedelta(hours=2))

    return run


def _timestamp_add() -> object:
    import pandas as pd

    stamp = pd.Timestamp("2024-05-09 10:00:00.000000123", tz="UTC")
    return _office().add(stamp, timedelta(hours=2))


def _timestamp_status() -> object:
    import pandas as pd

    from itilkit.sla import InCategory, SlaPolicy, SlaTarget, StateChange, sla_status

    stamp = pd.Timestamp("2024-05-09 10:00:00.000000123", tz="UTC")
    target = SlaTarget("t", timedelta(hours=4), start=InCategory("new"), stop=~InCategory("new"))
    policy = SlaPolicy("p", [target], _office())
    return sla_status(policy, [StateChange(stamp, "new", "new")], stamp + pd.Timedelta(hours=1))


def _elapsed_many_timestamps() -> object:
    import pandas as pd

    calendar = _office()
    starts = list(pd.date_range("2024-01-01", periods=20_000, freq="37min", tz="UTC"))
    ends = [start + pd.Timedelta(days=2) for start in starts]
    return calendar.elapsed_many(starts, ends)


def _huge_levels() -> object:
    from itilkit.sla import Escalation, InCategory, SlaPolicy, SlaTarget, StateChange, sla_status

    at = datetime(2024, 5, 9, 10, tzinfo=UTC)
    target = SlaTarget(
        "t", timedelta(days=900_000_000), start=InCategory("new"), stop=~InCategory("new")
    )
    policy = SlaPolicy("p", [target], _office(), escalations=[Escalation("late", timedelta.max)])
    return sla_status(policy, [StateChange(at, "new", "new")], at + timedelta(hours=1))


def _in_threads(work: Callable[[int], object], count: int = 8) -> None:
    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


_RULES = ["FREQ=YEARLY;BYEASTER=-2", "FREQ=YEARLY;BYMONTH=5;BYDAY=1MO"]


def _spans(seed: int) -> list[tuple[date, date]]:
    """50 spans of up to 30 years anywhere in years 1 to 9999 (some reach the end)."""
    draw = random.Random(seed)
    years = [draw.randint(1, 9999) for _ in range(50)]
    return [(date(y, 1, 1), date(min(y + draw.randint(0, 30), 9999), 12, 31)) for y in years]


def _holidays_in_threads() -> object:
    from itilkit.sla import Holidays

    shared = Holidays(rules=_RULES)
    _in_threads(lambda n: [shared.between(*span) for span in _spans(n)])
    return shared


def _rule(rule: str, year: int | None = None) -> Callable[[], object]:
    def run() -> object:
        from itilkit.sla import Holidays

        holidays = Holidays(rules=[rule])
        return holidays if year is None else holidays.between(date(year, 1, 1), date(year, 12, 31))

    return run


def _long_shift_text() -> object:
    from itilkit.sla import Shift

    return Shift.parse("0-0" + " " * 40_000 + "x")


def _many_shifts() -> object:
    from itilkit.sla import BusinessCalendar, WeeklySchedule

    minutes = [f"{m // 60:02d}:{m % 60:02d}-{m // 60:02d}:{m % 60:02d}:30" for m in range(1440)]
    return BusinessCalendar("UTC", WeeklySchedule(*([minutes * 3] * 7)))


# -- metrics ------------------------------------------------------------------------
#: A valid aware instant at the very end of datetime's range: 10000-01-01 01:00 in UTC.
END_OF_RANGE = datetime(9999, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
#: The other instant of each record: late, but inside the supported years.
LATE = datetime(9998, 12, 31, 1, 0, tzinfo=UTC)
NO_CATEGORY = {"category": None}


def _resolved_at_end_of_range(reversed_: bool = False) -> Callable[[], object]:
    def run() -> object:
        from itilkit.metrics import TimeToResolve

        opened, resolved = (END_OF_RANGE, LATE) if reversed_ else (LATE, END_OF_RANGE)
        record = {"opened_at": opened, "resolved_at": resolved}
        return TimeToResolve(fields=NO_CATEGORY)([record]).exclusions

    return run


def _period_at_end_of_range() -> object:
    from itilkit.metrics import ByPeriod, TimeToResolve

    record = {"opened_at": LATE, "resolved_at": END_OF_RANGE}
    return TimeToResolve(by=ByPeriod("resolved_at"), fields=NO_CATEGORY)([record]).exclusions


def _deployed_at_end_of_range() -> object:
    from itilkit.metrics import DeploymentFrequency

    return DeploymentFrequency(fields=NO_CATEGORY)([{"deployed_at": END_OF_RANGE}]).exclusions


def _backlog_at_end_of_range() -> object:
    from itilkit.metrics import Backlog

    records = [{"opened_at": LATE, "resolved_at": None}]
    return Backlog(at=END_OF_RANGE, fields={"category": None, "closed_at": None})(records).overall


def _failure_at_end_of_range() -> object:
    from itilkit.metrics import TimeBetweenServiceIncidents

    records = [{"ci": "db", "failed_at": LATE}, {"ci": "db", "failed_at": END_OF_RANGE}]
    return TimeBetweenServiceIncidents(fields=NO_CATEGORY)(records).exclusions


def _deployments_over(first: int, last: int) -> Callable[[], object]:
    def run() -> object:
        from itilkit.metrics import DeploymentFrequency, Period

        records = [
            {"deployed_at": datetime(first, 1, 1, tzinfo=UTC)},
            {"deployed_at": datetime(last, 12, 30, tzinfo=UTC)},
        ]
        stats = DeploymentFrequency(period=Period.DAY, fields=NO_CATEGORY)(records).overall
        return stats.deployments, stats.periods

    return run


def _many_buckets() -> object:
    from itilkit.metrics import Backlog

    at = datetime(2024, 1, 1, tzinfo=UTC)
    records = [{"opened_at": at - timedelta(minutes=i), "resolved_at": None} for i in range(50_000)]
    edges = [timedelta(hours=h) for h in range(1, 1001)]
    backlog = Backlog(at=at, buckets=edges, fields={"category": None, "closed_at": None})
    return backlog(records).overall.open


def _many_percentiles() -> object:
    from itilkit.metrics import TimeToResolve

    at = datetime(2024, 1, 1, tzinfo=UTC)
    records = [
        {"id": i, "opened_at": at, "resolved_at": at + timedelta(minutes=i)} for i in range(2_000)
    ]
    fractions = [i / 10_000 for i in range(10_001)]
    return len(TimeToResolve(by="id", percentiles=fractions, fields=NO_CATEGORY)(records).groups)


def _calendar_on_nanosecond_timestamps() -> object:
    import pandas as pd

    from itilkit.metrics import TimeToResolve

    frame = pd.DataFrame(
        {
            "opened_at": pd.to_datetime(["2024-01-01 09:00:00.000000001"] * 1000, utc=True),
            "resolved_at": pd.to_datetime(["2024-01-03 10:30:00.000000007"] * 1000, utc=True),
        }
    )
    records = frame.to_dict("records")
    return TimeToResolve(clock=_office(), fields=NO_CATEGORY)(records).overall.mean


CASES: list[WorstCase] = [
    WorstCase("never-open calendar: next_open", _never_open),
    WorstCase("is_open in year 4", _year(4)),
    WorstCase("is_open in year 9990", _year(9990)),
    WorstCase("zone name 'America' (a directory)", _zone("America")),
    WorstCase("zone name of 300 characters", _zone("A" * 300)),
    WorstCase("construction + first add, America/Sao_Paulo", _first_op("America/Sao_Paulo")),
    WorstCase("construction + first add, Australia/Lord_Howe", _first_op("Australia/Lord_Howe")),
    WorstCase("add on a nanosecond pandas Timestamp", _timestamp_add),
    WorstCase("sla_status on nanosecond pandas Timestamps", _timestamp_status),
    WorstCase("elapsed_many on 20,000 pandas Timestamp pairs", _elapsed_many_timestamps),
    WorstCase("sla_status with a 900-million-day target, timedelta.max escalation", _huge_levels),
    WorstCase("Holidays.between from 8 threads on one Holidays with rules", _holidays_in_threads),
    WorstCase("Holidays(rules=['FREQ=SECONDLY'])", _rule("FREQ=SECONDLY")),
    WorstCase("Holidays(rules=['FREQ=MINUTELY'])", _rule("FREQ=MINUTELY")),
    WorstCase("Holidays(rules=['FREQ=HOURLY'])", _rule("FREQ=HOURLY")),
    WorstCase("Shift.parse of a 40 KB string ('0-0', spaces, 'x')", _long_shift_text),
    WorstCase(
        "Christmas as a DAILY rule, first asked in year 9000",
        _rule("FREQ=DAILY;BYMONTH=12;BYMONTHDAY=25", 9000),
    ),
    WorstCase(
        "a DAILY rule that never matches (Feb 30), asked in year 9000",
        _rule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", 9000),
    ),
    WorstCase("a week of 4,320 half-minute shifts a day", _many_shifts),
    # -- metrics: instants at the end of datetime's range -----------------------------
    WorstCase("TimeToResolve, resolved 9999-12-31 20:00 -05:00", _resolved_at_end_of_range()),
    WorstCase("TimeToResolve, the same two instants reversed", _resolved_at_end_of_range(True)),
    WorstCase("ByPeriod, resolved 9999-12-31 20:00 -05:00", _period_at_end_of_range),
    WorstCase("DeploymentFrequency, deployed 9999-12-31 20:00 -05:00", _deployed_at_end_of_range),
    WorstCase("Backlog at 9999-12-31 20:00 -05:00", _backlog_at_end_of_range),
    WorstCase("MTBSI, a failure 9999-12-31 20:00 -05:00", _failure_at_end_of_range),
    # -- metrics: bounded work ----------------------------------------------------------
    WorstCase("DeploymentFrequency by day, years 1 to 9999", _deployments_over(1, 9999)),
    WorstCase("DeploymentFrequency by day, years 2 to 9998", _deployments_over(2, 9998)),
    WorstCase("Backlog, 1,000 age buckets over 50,000 open records", _many_buckets),
    WorstCase("TimeToResolve, 10,001 percentiles over 2,000 groups", _many_percentiles),
    # -- metrics: analysts' input -------------------------------------------------------
    WorstCase(
        "TimeToResolve(clock=calendar), 1,000 nanosecond Timestamps",
        _calendar_on_nanosecond_timestamps,
    ),
]


def run_one(name: str) -> None:
    """Run the named case in this process and print its seconds and outcome."""
    case = next(case for case in CASES if case.name == name)
    import pandas  # noqa: F401 - imports are not what is measured

    import itilkit.metrics
    import itilkit.sla  # noqa: F401

    start = time.perf_counter()
    try:
        case.run()
        outcome = "ok"
    except Exception as error:
        outcome = f"{type(error).__module__}.{type(error).__name__}"
    print(f"{time.perf_counter() - start:.6f}\t{outcome}")


def main() -> None:
    """Run every case in a fresh interpreter and print a Markdown table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--case")
    options = parser.parse_args()
    if options.case:
        run_one(options.case)
        return
    print("| case | time | outcome |\n|---|---:|---|")
    for case in CASES:
        command = [sys.executable, "-m", "benchmarks.bench_worst_cases", "--case", case.name]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=options.timeout, check=False
            )
        except subprocess.TimeoutExpired:
            print(f"| {case.name} | > {options.timeout:.0f} s | timeout |", flush=True)
            continue
        took, _, outcome = done.stdout.strip().rpartition("\n")[2].partition("\t")
        shown = f"{float(took) * 1e3:,.2f} ms" if took else "?"
        print(f"| {case.name} | {shown} | {outcome or done.stderr.strip()[-80:]} |", flush=True)


if __name__ == "__main__":
    main()
