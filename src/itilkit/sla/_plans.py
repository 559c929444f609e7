"""Which local dates differ from the weekly pattern, and their open spans.

Days are numbered from 0 = Monday 0001-01-01 (``date.toordinal() - 1``), so a
day's weekday is ``day % 7``. A date's *plan* is the shifts it owns: the
weekly shifts, none on a holiday, or those of an override. A date's
*profile* is what is open on its wall clock: its own plan plus the overnight
tail of the previous date's plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from itilkit.sla._holidays import DateOverride, Holidays
from itilkit.sla._profile import Profile
from itilkit.sla._schedule import DAY, WEEK, WeeklySchedule

Spans = tuple[tuple[int, int], ...]


def day_of(value: date) -> int:
    """The day number of a date."""
    return value.toordinal() - 1


def date_of(day: int) -> date:
    """The date of a day number."""
    return date.fromordinal(day + 1)


def _week_profile(schedule: WeeklySchedule) -> Profile:
    spans: list[tuple[int, int]] = []
    for weekday in range(7):
        for start, end in schedule.spans(weekday):
            start, end = start + weekday * DAY, end + weekday * DAY
            spans.append((start, end))
            if end > WEEK:
                spans.append((start - WEEK, end - WEEK))
    return Profile(spans, WEEK)


class DayPlans:
    """The weekly pattern as tables, and the exceptional dates of any range."""

    def __init__(
        self, schedule: WeeklySchedule, holidays: Holidays, overrides: Iterable[DateOverride]
    ) -> None:
        self.weekly: tuple[Spans, ...] = tuple(schedule.spans(weekday) for weekday in range(7))
        self.week = _week_profile(schedule)
        self.standard = tuple(
            Profile(
                [(s - weekday * DAY, e - weekday * DAY) for s, e in self.week.spans],
                DAY,
            )
            for weekday in range(7)
        )
        self.holidays = holidays
        self.overrides = {day_of(override.day): override for override in overrides}

    @property
    def full_after(self) -> int | None:
        """The day after which every day is open all day, if there is one."""
        if not self.week.is_full or not self.holidays.is_finite:
            return None
        special = [day_of(value) for value in self.holidays.dates] + self.override_days
        return max(special, default=-1) + 1

    @property
    def override_days(self) -> list[int]:
        """Day numbers of every override, sorted."""
        return sorted(self.overrides)

    def _plan(self, day: int, holidays: set[int]) -> Spans:
        override = self.overrides.get(day)
        own = tuple(shift.span() for shift in override.shifts) if override else ()
        if override and not override.extra:
            return own
        base = () if day in holidays else self.weekly[day % 7]
        return base + own

    def exceptional(
        self, first: int, last: int
    ) -> tuple[list[tuple[int, Profile]], dict[int, Spans]]:
        """Days in ``[first, last]`` whose profile differs from their weekday's, and
        the days whose own plan differs from their weekday's (with that plan)."""
        holidays = {
            day_of(value) for value in self.holidays.between(date_of(first - 1), date_of(last))
        }
        special = {day for day in holidays if self.weekly[day % 7]}
        special.update(day for day in self.overrides if first - 1 <= day <= last)
        plans = {day: self._plan(day, holidays) for day in special}
        touched = sorted({d for day in special for d in (day, day + 1) if first <= d <= last})
        found = []
        for day in touched:
            spans = list(plans.get(day, self.weekly[day % 7]))
            tail = plans.get(day - 1, self.weekly[(day - 1) % 7])
            spans.extend((s - DAY, e - DAY) for s, e in tail if e > DAY)
            profile = Profile(spans, DAY)
            if profile != self.standard[day % 7]:
                found.append((day, profile))
        own = {
            day: plan
            for day, plan in plans.items()
            if first <= day <= last and plan != self.weekly[day % 7]
        }
        return found, own
