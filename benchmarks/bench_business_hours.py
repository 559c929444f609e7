"""Business-hours arithmetic: itilkit against businesstimedelta, pandas and workalendar.

One run, one calendar, the same inputs for every library: Mon-Fri 09:00-12:00 and
13:00-17:00 in Europe/London with the England & Wales bank holidays of 2024-2026
plus 24 and 31 December (30 dates, about ten a year). Starts are 200 seeded random
whole-minute UTC instants in the first half of 2024 (aware UTC datetimes, as a
database returns them; every library pays for its own zone conversion).

Measured: add 4/40/400/4000 business hours, elapsed business time over 1/30/365
days, and the bulk ``elapsed_many``. businesstimedelta's cost grows with the span,
so the long cases use the first 20 (or 4) inputs, for every library alike. pandas
has no business-time difference, so it appears only in the add tables. The
results are also cross-checked between the libraries. Business days (add 3, days
between, is-business-day) are measured beside pandas CustomBusinessDay and
workalendar, on the same weekdays and holidays.

Run: ``.venv/bin/python -m benchmarks.bench_business_hours`` (needs the ``bench`` extra:
``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import businesstimedelta as btd
import pandas as pd
import pytz
from workalendar.core import SAT, SUN
from workalendar.core import Calendar as WorkCalendar

from benchmarks._calendar import HOLIDAYS, ZONE, make_itilkit
from benchmarks._harness import Case, measure, table
from itilkit.sla import BusinessCalendar
from itilkit.sla._zone import EPOCH, ONE_MICROSECOND

STARTS = 200
HOURS = (4, 40, 400, 4000)
DAYS = (1, 30, 365)


def _inputs_for(span_hours: float) -> int:
    """How many inputs a case uses: fewer where businesstimedelta is slowest."""
    return STARTS if span_hours <= 48 else 20 if span_hours <= 1000 else 4


def make_btd() -> Any:
    """The same calendar as businesstimedelta rules (pytz zones, as it requires)."""
    zone = pytz.timezone(ZONE)
    days = [0, 1, 2, 3, 4]
    return btd.Rules(
        [
            btd.WorkDayRule(start_time=time(9), end_time=time(17), working_days=days, tz=zone),
            btd.LunchTimeRule(start_time=time(12), end_time=time(13), working_days=days, tz=zone),
            btd.HolidayRule(HOLIDAYS, tz=zone),
        ]
    )


def make_cbh() -> Any:
    """The same calendar as a pandas CustomBusinessHour offset."""
    return pd.offsets.CustomBusinessHour(
        start=["09:00", "13:00"], end=["12:00", "17:00"], holidays=HOLIDAYS
    )


def starts() -> list[datetime]:
    """Seeded random whole-minute UTC instants in H1 2024."""
    rng = random.Random(20240101)
    first = datetime(2024, 1, 1, tzinfo=UTC)
    return [first + timedelta(minutes=rng.randrange(182 * 1440)) for _ in range(STARTS)]


def _loop(function: Callable[[Any], object], items: Sequence[Any]) -> Callable[[], object]:
    def run() -> object:
        return [function(item) for item in items]

    return run


def add_cases(hours: int, inputs: list[datetime]) -> list[Case]:
    """itilkit, businesstimedelta and pandas adding ``hours`` business hours."""
    cal, rules, offset = make_itilkit(), make_btd(), make_cbh() * hours
    budget = timedelta(hours=hours)
    delta = btd.BusinessTimeDelta(rules, hours=hours)
    n = len(inputs)
    return [
        Case("itilkit BusinessCalendar.add", _loop(lambda t: cal.add(t, budget), inputs), n),
        Case("businesstimedelta dt + BusinessTimeDelta", _loop(lambda t: t + delta, inputs), n),
        Case(
            "pandas Timestamp + n*CustomBusinessHour",
            _loop(lambda t: pd.Timestamp(t).tz_convert(ZONE) + offset, inputs),
            n,
        ),
    ]


def elapsed_cases(pairs: list[tuple[datetime, datetime]]) -> list[Case]:
    """itilkit and businesstimedelta measuring business time between pairs."""
    cal, rules = make_itilkit(), make_btd()
    n = len(pairs)
    return [
        Case("itilkit BusinessCalendar.elapsed", _loop(lambda p: cal.elapsed(*p), pairs), n),
        Case("businesstimedelta Rules.difference", _loop(lambda p: rules.difference(*p), pairs), n),
    ]


def _boundary_equivalent(cal: BusinessCalendar, ours: datetime, theirs: datetime) -> bool:
    """pandas rolls an exact close on to the next opening; same business position."""
    return not cal.is_open(ours) and cal.next_open(ours) == theirs


def cross_check(points: list[datetime]) -> str:
    """Compare results of the three libraries on the benchmark inputs."""
    cal, rules, cbh = make_itilkit(), make_btd(), make_cbh()
    rows = []
    for hours in HOURS:
        budget = timedelta(hours=hours)
        same_btd = same_pd = boundary = differ_btd = differ_pd = errors = 0
        first_differences: list[str] = []
        for start in points[: _inputs_for(hours)]:
            ours = cal.add(start, budget)
            try:
                theirs = start + btd.BusinessTimeDelta(rules, hours=hours)
            except TypeError:
                errors += 1
            else:
                if theirs == ours:
                    same_btd += 1
                else:
                    differ_btd += 1
                    first_differences.append(f"btd {start} +{hours}h: {ours} vs {theirs}")
            panda = (pd.Timestamp(start).tz_convert(ZONE) + hours * cbh).to_pydatetime()
            if panda == ours:
                same_pd += 1
            elif _boundary_equivalent(cal, ours, panda):
                boundary += 1
            else:
                differ_pd += 1
                first_differences.append(f"pandas {start} +{hours}h: {ours} vs {panda}")
        rows.append(
            f"| add {hours} h | {same_btd} | {differ_btd} | {errors} | {same_pd} | {boundary} "
            f"| {differ_pd} |"
        )
        rows.extend(f"|   {line} | | | | | | |" for line in first_differences[:3])
    lines = [
        "### Cross-check: add (itilkit vs businesstimedelta, vs pandas)",
        "",
        "| case | = btd | != btd | btd errors | = pandas | pandas next opening | != pandas |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "### Cross-check: elapsed (itilkit vs businesstimedelta)",
        "",
        "| case | equal | different |",
        "|---|---:|---:|",
    ]
    for days in DAYS:
        pairs = [(t, t + timedelta(days=days)) for t in points[: _inputs_for(days * 24)]]
        equal = sum(cal.elapsed(a, b) == rules.difference(a, b).timedelta for a, b in pairs)
        lines.append(f"| elapsed {days} d | {equal} | {len(pairs) - equal} |")
    return "\n".join(lines) + "\n"


def bulk_cases(points: list[datetime]) -> list[Case]:
    """elapsed_many on 100,000 pairs against the same pairs one call at a time, and the
    same pairs as pandas Timestamps (in the calendar's zone, as a DataFrame of a local
    export holds them): a list of them, and two Series columns."""
    cal = make_itilkit()
    rng = random.Random(7)
    firsts = [
        rng.choice(points) + timedelta(minutes=rng.randrange(525_600)) for _ in range(100_000)
    ]
    lasts = [first + timedelta(days=rng.choice(DAYS)) for first in firsts]
    count = len(firsts)
    opened = pd.Series(firsts).dt.tz_convert(ZONE)
    closed = pd.Series(lasts).dt.tz_convert(ZONE)
    stamps, stamps_closed = opened.tolist(), closed.tolist()
    assert cal.elapsed_many(stamps, stamps_closed) == cal.elapsed_many(firsts, lasts)
    assert cal.elapsed_many(opened, closed) == cal.elapsed_many(firsts, lasts)  # type: ignore[arg-type]
    return [
        Case("itilkit elapsed_many (per pair)", lambda: cal.elapsed_many(firsts, lasts), count),
        Case(
            "itilkit elapsed in a loop (per pair)",
            lambda: [cal.elapsed(a, b) for a, b in zip(firsts, lasts, strict=True)],
            count,
        ),
        Case(
            "itilkit elapsed_many, lists of pandas Timestamps",
            lambda: cal.elapsed_many(stamps, stamps_closed),
            count,
        ),
        Case(
            "itilkit elapsed_many, two pandas Series",
            lambda: cal.elapsed_many(opened, closed),  # type: ignore[arg-type]
            count,
        ),
    ]


class _WorkDays(WorkCalendar):  # type: ignore[misc]  # workalendar ships no types
    """The benchmark's week (Mon-Fri) and holidays as a workalendar calendar."""

    WEEKEND_DAYS = (SAT, SUN)

    def get_calendar_holidays(self, year: int) -> list[tuple[date, str]]:
        return [(day, "holiday") for day in HOLIDAYS if day.year == year]


def _work_add(work: _WorkDays, start: datetime, days: int) -> datetime:
    """workalendar's add_working_days as a user calls it on an aware instant: on the
    local date, then the same local time on the day it gives."""
    local = start.astimezone(_LOCAL)
    day = work.add_working_days(local.date(), days)
    return datetime.combine(day, local.time(), _LOCAL)


_LOCAL = ZoneInfo(ZONE)


def business_day_cases(inputs: list[datetime]) -> list[Case]:
    """Add 3 business days: itilkit against pandas CustomBusinessDay and workalendar
    (same weekdays and holidays)."""
    cal = make_itilkit()
    cbd = pd.offsets.CustomBusinessDay(3, holidays=HOLIDAYS)
    work = _WorkDays()
    n = len(inputs)
    return [
        Case(
            "itilkit add_business_days(t, 3)",
            _loop(lambda t: cal.add_business_days(t, 3), inputs),
            n,
        ),
        Case(
            "pandas Timestamp + CustomBusinessDay(3)",
            _loop(lambda t: pd.Timestamp(t).tz_convert(ZONE) + cbd, inputs),
            n,
        ),
        Case(
            "workalendar add_working_days (local date)",
            _loop(lambda t: _work_add(work, t, 3), inputs),
            n,
        ),
        Case(
            "workalendar get_working_days_delta(t, t + 10 d)",
            _loop(
                lambda t: work.get_working_days_delta(
                    t.astimezone(_LOCAL).date(), (t + timedelta(days=10)).astimezone(_LOCAL).date()
                ),
                inputs,
            ),
            n,
        ),
        Case(
            "workalendar is_working_day(date)",
            _loop(lambda t: work.is_working_day(t.date()), inputs),
            n,
        ),
        Case("itilkit add(t, 4 h)", _loop(lambda t: cal.add(t, timedelta(hours=4)), inputs), n),
        Case(
            "itilkit subtract_business_days(t, 3)",
            _loop(lambda t: cal.subtract_business_days(t, 3), inputs),
            n,
        ),
        Case(
            "itilkit business_days_between(t, t + 10 d)",
            _loop(lambda t: cal.business_days_between(t, t + timedelta(days=10)), inputs),
            n,
        ),
        Case(
            "itilkit is_business_day(date)",
            _loop(lambda t: cal.is_business_day(t.date()), inputs),
            n,
        ),
    ]


def business_day_check(points: list[datetime]) -> str:
    """How often itilkit's add_business_days(t, 3) equals workalendar's and pandas'."""
    cal, work = make_itilkit(), _WorkDays()
    cbd = pd.offsets.CustomBusinessDay(3, holidays=HOLIDAYS)
    same_work = same_pd = on_business_days = 0
    for start in points:
        if not cal.is_business_day(start.astimezone(_LOCAL).date()):
            continue  # the libraries count from a closed day differently
        on_business_days += 1
        ours = cal.add_business_days(start, 3)
        same_work += ours == _work_add(work, start, 3)
        same_pd += ours == (pd.Timestamp(start).tz_convert(ZONE) + cbd).to_pydatetime()
    return (
        f"Add 3 business days from the {on_business_days} starts on a business day: "
        f"workalendar agrees on {same_work}, pandas on {same_pd}.\n"
    )


def boundary_cases(inputs: list[datetime]) -> list[Case]:
    """subtract, previous_open and next_close on the window tables, against the general
    bisections (the path every call took before). businesstimedelta's subtraction is
    left out: on this calendar it raises ``TypeError`` (its ``HolidayRule.previous``
    runs out of holidays, the bug noted in the survey)."""
    cal = make_itilkit()
    budget = timedelta(hours=4)
    for t in inputs * 4:
        cal.subtract(t, budget)  # build the window tables
    n = len(inputs)

    def general_subtract(t: datetime) -> datetime:
        instant = (t - EPOCH) // ONE_MICROSECOND
        return cal._local(
            cal._solve(
                instant,
                t,
                False,
                lambda cov: cov.last_at(cov.open_before(instant) - 4 * 3600 * 10**6),
            )
        )

    return [
        Case("itilkit subtract(t, 4 h)", _loop(lambda t: cal.subtract(t, budget), inputs), n),
        Case("itilkit subtract, general bisections", _loop(general_subtract, inputs), n),
        Case("itilkit previous_open(t)", _loop(cal.previous_open, inputs), n),
        Case("itilkit next_close(t)", _loop(cal.next_close, inputs), n),
        Case("itilkit add(t, 4 h)", _loop(lambda t: cal.add(t, budget), inputs), n),
    ]


_FIRST_OP = """
import time
t0 = time.perf_counter()
from datetime import UTC, datetime, timedelta
from itilkit.sla import BusinessCalendar, WeeklySchedule
t1 = time.perf_counter()
cal = BusinessCalendar({zone!r}, WeeklySchedule.from_days({{"mon-fri": "09:00-17:00"}}))
cal.add(datetime(2024, 5, 10, 12, tzinfo=UTC), timedelta(hours=2))
t2 = time.perf_counter()
print(t2 - t1)
"""


def first_op_table(runs: int = 7) -> str:
    """Construction and first add in a fresh interpreter (import excluded), per zone."""
    lines = [
        "### Construction + first add, fresh interpreter (median of 7)",
        "",
        "| zone | median | min |",
        "|---|---:|---:|",
    ]
    for zone in ("Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe"):
        code = _FIRST_OP.format(zone=zone)
        took = sorted(
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(runs)
        )
        lines.append(f"| {zone} | {took[runs // 2] * 1e3:.2f} ms | {took[0] * 1e3:.2f} ms |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run every group and print Markdown tables."""
    points = starts()
    print(first_op_table(), flush=True)
    results = measure(business_day_cases(points))
    print(
        table("Business days (200 inputs)", results, "itilkit add_business_days(t, 3)"), flush=True
    )
    print(business_day_check(points), flush=True)
    results = measure(boundary_cases(points))
    print(
        table("Subtract and boundaries (200 inputs)", results, "itilkit subtract(t, 4 h)"),
        flush=True,
    )
    out = [
        "Calendar: Mon-Fri 09:00-12:00, 13:00-17:00 Europe/London, 30 holidays (2024-2026).",
        f"Python {sys.version.split()[0]}, pandas {pd.__version__}, "
        f"businesstimedelta {getattr(btd, '__version__', '1.0.1')}.",
        "",
    ]
    print("\n".join(out), flush=True)
    for hours in HOURS:
        inputs = points[: _inputs_for(hours)]
        results = measure(add_cases(hours, inputs))
        title = f"Add {hours} business hours ({len(inputs)} inputs)"
        print(table(title, results, baseline="itilkit BusinessCalendar.add"), flush=True)
    for days in DAYS:
        pairs = [(t, t + timedelta(days=days)) for t in points[: _inputs_for(days * 24)]]
        results = measure(elapsed_cases(pairs))
        title = f"Elapsed business time over {days} day(s) ({len(pairs)} pairs; pandas: no API)"
        print(table(title, results, baseline="itilkit BusinessCalendar.elapsed"), flush=True)
    results = measure(bulk_cases(points), repeats=3)
    print(
        table(
            "Bulk elapsed over 100,000 pairs (1/30/365 days)",
            results,
            "itilkit elapsed_many (per pair)",
        ),
        flush=True,
    )
    print(cross_check(points), flush=True)


if __name__ == "__main__":
    main()
