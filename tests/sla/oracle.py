"""A slow, obviously correct business-time oracle that steps minute by minute.

It reads only a calendar's public data and applies the documented rules
directly: a minute is open when the zone's wall clock at its start shows a time
inside a shift owned by that local date, or inside the overnight tail of a
shift owned by the day before. A date owns its weekly shifts, none when it is a
holiday, the override's shifts instead (replacing), or both (extra hours, added
to what the date would otherwise have). Exact when every shift boundary and
every UTC offset is a whole number of minutes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from itilkit.sla import BusinessCalendar, Shift

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY_MINUTES = 1440


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def shift_minutes(shift: Shift) -> tuple[int, int]:
    """A shift as minutes from its owning day's midnight (the end may pass 1440)."""
    start, end = _minutes(shift.start), _minutes(shift.end)
    if shift.overnight or end == 0:
        end += DAY_MINUTES
    return start, end


class MinuteOracle:
    """Answers business-time questions about one calendar by brute force."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar
        self.overrides = {override.day: override for override in calendar.overrides}
        self.rules = [
            rrulestr(rule, dtstart=datetime(1900, 1, 1)) for rule in calendar.holidays.rules
        ]
        self._plans: dict[date, list[tuple[int, int]]] = {}

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is listed, recurs yearly, or is produced by a rule."""
        holidays = self.calendar.holidays
        if day in holidays.dates or (day.month, day.day) in holidays.yearly:
            return True
        start, end = datetime.combine(day, time.min), datetime.combine(day, time.max)
        return any(rule.between(start, end, inc=True) for rule in self.rules)

    def plan(self, day: date) -> list[tuple[int, int]]:
        """The shifts ``day`` owns, as minute spans."""
        if day not in self._plans:
            self._plans[day] = self._plan(day)
        return self._plans[day]

    def _plan(self, day: date) -> list[tuple[int, int]]:
        weekly = [] if self.is_holiday(day) else list(self.calendar.schedule.days[day.weekday()])
        override = self.overrides.get(day)
        if override is None:
            shifts = weekly
        elif override.extra:
            shifts = weekly + list(override.shifts)
        else:
            shifts = list(override.shifts)
        return [shift_minutes(shift) for shift in shifts]

    def is_open(self, instant: datetime) -> bool:
        """Whether the minute starting at ``instant`` is open."""
        local = instant.astimezone(self.calendar.tzinfo)
        minute = local.hour * 60 + local.minute
        today = local.date()
        if any(start <= minute < end for start, end in self.plan(today)):
            return True
        yesterday = today - timedelta(days=1)
        return any(start <= minute + DAY_MINUTES < end for start, end in self.plan(yesterday))

    def flags(self, start: datetime, minutes: int) -> list[bool]:
        """Open flag of each minute from ``start`` on."""
        return [self.is_open(start + index * MINUTE) for index in range(minutes)]


def is_business_day(oracle: MinuteOracle, day: date) -> bool:
    """A business day owns at least one shift."""
    return bool(oracle.plan(day))


def resolve(oracle: MinuteOracle, day: date, minute: int) -> datetime:
    """The earliest whole-minute instant whose wall reading is ``day`` + ``minute`` or later.

    Steps minute by minute from well before the wall time (after hourly
    steps while the clock shows more than three hours less, which no fold of
    the test years undoes); exact when every UTC offset is a whole number of
    minutes.
    """
    zone = oracle.calendar.tzinfo
    wall = datetime.combine(day, time()) + minute * MINUTE

    def shows(moment: datetime) -> datetime:
        return moment.astimezone(zone).replace(tzinfo=None)

    moment = (wall - timedelta(hours=15)).replace(tzinfo=UTC)
    while shows(moment + HOUR) < wall - 3 * HOUR:
        moment += HOUR
    while shows(moment) < wall:
        moment += MINUTE
    return moment


def own_minutes(oracle: MinuteOracle, day: date) -> tuple[int, int]:
    """The minute the first shift of ``day`` opens and the minute its last shift closes."""
    spans = sorted(oracle.plan(day))
    return spans[0][0], max(end for _, end in spans)
