"""The benchmark calendar of issue 3, shared by the business-hours and SLA benchmarks.

Mon-Fri 09:00-12:00 and 13:00-17:00, Europe/London, with the England & Wales bank
holidays of 2024-2026 plus 24 and 31 December (about ten a year).
"""

from __future__ import annotations

from datetime import date

from itilkit.sla import BusinessCalendar, Holidays, WeeklySchedule

ZONE = "Europe/London"
HOLIDAYS = [
    *(date(2024, m, d) for m, d in [(1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26)]),
    *(date(2025, m, d) for m, d in [(1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25)]),
    *(date(2026, m, d) for m, d in [(1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31)]),
    *(date(year, 12, day) for year in (2024, 2025) for day in (24, 25, 26, 31)),
    *(date(2026, 12, day) for day in (24, 25, 28, 31)),
]


def make_itilkit() -> BusinessCalendar:
    """The benchmark calendar in itilkit."""
    week = WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"})
    return BusinessCalendar(ZONE, week, Holidays(dates=HOLIDAYS))
