"""Measures are values: 8 threads sharing them (and one business calendar) agree with one thread.

Each thread runs every shared measure over its own slice of records spread across six
decades (so a calendar meets many years for the first time while other threads use it),
in its own order; every answer must equal the single-threaded answer for that slice.
The calendar here has fixed-date holidays; the sla tests cover calendars and holiday
rules on their own.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.threads import in_threads

from itilkit.metrics import (
    Backlog,
    ByPeriod,
    DeploymentFrequency,
    FirstContactResolution,
    Measure,
    Period,
    TimeBetweenServiceIncidents,
    TimeToResolve,
)
from itilkit.sla import BusinessCalendar, Holidays, WeeklySchedule

THREADS = 8
#: A fresh calendar per test run: its tables are built while the threads run.
CALENDAR_ARGS = (
    "Europe/London",
    WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"}),
    Holidays(dates=[date(1999, 12, 31)], yearly=[(1, 1), (12, 25), (12, 26)]),
)
NO_CATEGORY = {"category": None}


def _records(seed: int, n: int = 400) -> list[dict[str, Any]]:
    """Incidents opened between 1970 and 2030, some in London time, some unresolved."""
    rng = random.Random(seed)
    start = datetime(1970, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        opened = start + timedelta(minutes=rng.randrange(60 * 24 * 365 * 60))
        if i % 3 == 0:
            opened = opened.astimezone(ZoneInfo("Europe/London"))
        resolved = None if i % 11 == 0 else opened + timedelta(minutes=rng.randrange(1, 20_000))
        rows.append(
            {
                "id": f"{seed}-{i}",
                "opened_at": opened,
                "resolved_at": resolved,
                "deployed_at": opened,
                "failed_at": opened,
                "ci": f"ci{i % 5}",
                "priority": i % 4,
                "first_contact_resolved": i % 2 == 0,
                "reopen_count": int(i % 7 == 0),
            }
        )
    return rows


def _measures(calendar: BusinessCalendar) -> list[Measure[Any, Any]]:
    by_year = ByPeriod("opened_at", Period.QUARTER, ZoneInfo("America/New_York"))
    return [
        TimeToResolve(by=("priority", by_year), fields=NO_CATEGORY),
        TimeToResolve(clock=calendar, by="priority", fields=NO_CATEGORY),
        FirstContactResolution(by=by_year, fields=NO_CATEGORY),
        DeploymentFrequency(period=Period.MONTH, fields=NO_CATEGORY),
        TimeBetweenServiceIncidents(clock=calendar, by="ci", fields=NO_CATEGORY),
        Backlog(at=datetime(2000, 6, 1, tzinfo=UTC), clock=calendar, fields={
            "category": None, "closed_at": None
        }),
    ]  # fmt: skip


def test_eight_threads_on_shared_measures_and_calendar_agree_with_one() -> None:
    """Every answer computed in 8 concurrent threads equals the single-threaded answer."""
    slices = [_records(seed) for seed in range(THREADS)]
    expected = [[m(rows) for m in _measures(BusinessCalendar(*CALENDAR_ARGS))] for rows in slices]
    assert all(result.overall != expected[0][0].overall for result in expected[1][:1])
    assert expected[0][1].overall.count > 300  # business time measured for most records
    shared = _measures(BusinessCalendar(*CALENDAR_ARGS))

    def work(number: int) -> dict[int, Any]:
        order = list(range(len(shared)))
        random.Random(number).shuffle(order)
        found: dict[int, Any] = {}
        for _ in range(2):
            for which in order:
                found[which] = shared[which](slices[number])
        return found

    answers = in_threads(work, THREADS)
    for number in range(THREADS):
        for which, result in enumerate(expected[number]):
            assert answers[number][which] == result, (number, shared[which].name)
