"""Typing contracts that mypy checks (the test command runs mypy --strict over tests).

Nothing here runs: mypy fails if a BusinessCalendar stops being a BusinessClock.
"""

from __future__ import annotations

from itilkit.conformance import BusinessClock
from itilkit.sla import BusinessCalendar


def calendar_measures_business_time(calendar: BusinessCalendar) -> BusinessClock:
    """A BusinessCalendar is a BusinessClock: check_conformance(calendar=...) accepts it."""
    return calendar
