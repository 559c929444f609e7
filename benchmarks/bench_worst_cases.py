"""The worst inputs found by the hardening issue, timed before and after their fix.

Each case is one call (or one small program) that hung or took seconds on
main's code as of commit ad6f3aa. ``before`` is what it took there, measured
once by running this very script against that commit's ``src``; the script
measures ``after`` now, each case in its own process killed after 30 s, and
says how the call ended (returned, or which error refused it). Streams add
their own cases to ``CASES``; each has a regression test in ``tests/``.

Run: ``.venv/bin/python -m benchmarks.bench_worst_cases``
(``-m benchmarks.bench_worst_cases NAME`` runs one case in this process).
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date

import attrs

from itilkit.sla import BusinessCalendar, Holidays, Shift, WeeklySchedule

#: A case still running after this many seconds is killed and reported as such.
LIMIT = 30.0


@attrs.frozen
class WorstCase:
    """A named worst input: ``run()`` performs it; ``before`` is its time at ad6f3aa."""

    name: str
    before: str
    run: Callable[[], object]


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


def _holidays_in_threads() -> None:
    shared = Holidays(rules=_RULES)
    _in_threads(lambda n: [shared.between(*span) for span in _spans(n)])


def _many_shifts() -> None:
    minutes = [f"{m // 60:02d}:{m % 60:02d}-{m // 60:02d}:{m % 60:02d}:30" for m in range(1440)]
    BusinessCalendar("UTC", WeeklySchedule(*([minutes * 3] * 7)))


CASES = [
    WorstCase(
        "Holidays.between from 8 threads on one Holidays with rules",
        "> 30 s (threads never return)",
        _holidays_in_threads,
    ),
    WorstCase(
        "Holidays(rules=['FREQ=SECONDLY'])", "> 30 s", lambda: Holidays(rules=["FREQ=SECONDLY"])
    ),
    WorstCase(
        "Holidays(rules=['FREQ=MINUTELY'])", "> 30 s", lambda: Holidays(rules=["FREQ=MINUTELY"])
    ),
    WorstCase("Holidays(rules=['FREQ=HOURLY'])", "8.9 s", lambda: Holidays(rules=["FREQ=HOURLY"])),
    WorstCase(
        "Shift.parse of a 40 KB string ('0-0', spaces, 'x')",
        "22.1 s",
        lambda: Shift.parse("0-0" + " " * 40_000 + "x"),
    ),
    WorstCase(
        "Christmas as a DAILY rule, first asked in year 9000",
        "14.5 s",
        lambda: Holidays(rules=["FREQ=DAILY;BYMONTH=12;BYMONTHDAY=25"]).between(
            date(9000, 1, 1), date(9000, 12, 31)
        ),
    ),
    WorstCase(
        "a DAILY rule that never matches (Feb 30), asked in year 9000",
        "19.0 s",
        lambda: Holidays(rules=["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"]).between(
            date(9000, 1, 1), date(9000, 12, 31)
        ),
    ),
    WorstCase(
        "a week of 4,320 half-minute shifts a day",
        "> 30 s",
        _many_shifts,
    ),
]


def run_one(name: str) -> str:
    """Run the case called ``name`` here; say how long it took and how it ended."""
    case = next(case for case in CASES if case.name == name)
    start = time.perf_counter()
    try:
        case.run()
        ended = "returned"
    except Exception as error:  # the outcome is what is reported
        ended = f"{type(error).__name__}"
    return f"{time.perf_counter() - start:.3f} s, {ended}"


def _after(case: WorstCase) -> str:
    command = [sys.executable, "-m", "benchmarks.bench_worst_cases", case.name]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=LIMIT, check=True)
    except subprocess.TimeoutExpired:
        return f"> {LIMIT:.0f} s (killed)"
    except subprocess.CalledProcessError as error:
        return f"crashed: {error.stderr.strip().splitlines()[-1]}"
    return done.stdout.strip()


def main() -> None:
    """Print every case with its time before and after."""
    if len(sys.argv) > 1:
        print(run_one(sys.argv[1]))
        return
    print("| case | before (ad6f3aa) | after |")
    print("|---|---:|---:|")
    for case in CASES:
        print(f"| {case.name} | {case.before} | {_after(case)} |")


if __name__ == "__main__":
    main()
