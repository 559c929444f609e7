"""Hypothesis strategies for random business calendars in awkward zones.

Every shift boundary is a whole minute (often a whole half hour, so that some
fall exactly on DST changes), and windows often straddle a zone's offset
change, so the minute-stepping oracle is exact and DST paths are exercised.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from itilkit.sla import BusinessCalendar, DateOverride, Holidays, Shift, WeeklySchedule

ZONES = (
    "UTC",
    "Europe/London",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Asia/Tehran",
    "Pacific/Apia",
    "America/Caracas",  # standard offset -4, then -4:30 (2007-2016), then -4 again
)
WEEK_MINUTES = 7 * 1440
FIRST = datetime(2008, 1, 1, tzinfo=UTC)
YEARS = 18
RULES = (
    "FREQ=YEARLY;BYEASTER=-2",
    "FREQ=YEARLY;BYEASTER=1",
    "DTSTART:20080102T000000\nRRULE:FREQ=WEEKLY;INTERVAL=3",
)


@cache
def offset_changes(key: str) -> tuple[datetime, ...]:
    """Whole hours (UTC) just after each offset change of the zone, 2008 to 2025."""
    zone = ZoneInfo(key)
    found = []
    previous = FIRST.astimezone(zone).utcoffset()
    for hour in range(YEARS * 366 * 24):
        moment = FIRST + timedelta(hours=hour)
        offset = moment.astimezone(zone).utcoffset()
        if offset != previous:
            found.append(moment)
            previous = offset
    return tuple(found)


def _shift(start: int, end: int) -> Shift:
    """A shift from minute spans of its owning day (``start < end <= start + 1440``)."""
    overnight = end > 1440
    end %= 1440
    return Shift(time(start // 60, start % 60), time(end // 60, end % 60), overnight=overnight)


def _paired(points: list[int]) -> list[tuple[int, int]]:
    ordered = sorted(points)
    return [(a, min(b, a + 1440)) for a, b in zip(ordered[::2], ordered[1::2], strict=False)]


minutes_of_week = st.one_of(
    st.integers(0, WEEK_MINUTES - 1), st.integers(0, WEEK_MINUTES // 30 - 1).map(lambda h: h * 30)
)


@st.composite
def weekly_schedules(draw: st.DrawFn, nonempty: bool = False) -> WeeklySchedule:
    """Random weeks: breaks, overnight shifts (also across Sunday night), 24x7."""
    if draw(st.integers(0, 9)) == 0:
        return WeeklySchedule.always()
    points = draw(st.sets(minutes_of_week, min_size=2 if nonempty else 0, max_size=12))
    rotation = draw(st.integers(0, WEEK_MINUTES - 1))
    days: list[list[Shift]] = [[] for _ in range(7)]
    for start, end in _paired(list(points)):
        first = (start + rotation) % WEEK_MINUTES
        days[first // 1440].append(_shift(first % 1440, first % 1440 + end - start))
    return WeeklySchedule(*days)


day_minutes = st.one_of(st.integers(0, 2879), st.integers(0, 95).map(lambda h: h * 30))


@st.composite
def day_shifts(draw: st.DrawFn) -> list[Shift]:
    """Zero to two non-overlapping shifts owned by one date (maybe overnight)."""
    points = draw(st.sets(day_minutes, max_size=4))
    return [_shift(start, end) for start, end in _paired(list(points)) if start < 1440]


@st.composite
def calendars(draw: st.DrawFn, zone: str, around: date, nonempty: bool = False) -> BusinessCalendar:
    """A random calendar in ``zone`` whose holidays and overrides fall near ``around``."""
    near = st.integers(-3, 8).map(lambda days: around + timedelta(days=days))
    holidays = Holidays(
        dates=draw(st.sets(near, max_size=3)),
        yearly=[(day.month, day.day) for day in draw(st.sets(near, max_size=1))],
        rules=draw(st.sets(st.sampled_from(RULES), max_size=1)),
    )
    overrides = []
    for day in draw(st.sets(near, max_size=3)):
        shifts = draw(day_shifts())
        overrides.append(DateOverride(day, shifts, extra=bool(shifts) and draw(st.booleans())))
    return BusinessCalendar(zone, draw(weekly_schedules(nonempty=nonempty)), holidays, overrides)


@st.composite
def scenarios(
    draw: st.DrawFn, minutes_before: int = 3 * 1440, nonempty: bool = False
) -> tuple[BusinessCalendar, datetime]:
    """A calendar and a whole-minute UTC instant, often just before an offset change."""
    zone = draw(st.sampled_from(ZONES))
    changes = offset_changes(zone)
    near_change = draw(st.booleans())
    if changes and near_change:
        anchor = draw(st.sampled_from(changes))
    else:
        anchor = FIRST + timedelta(minutes=draw(st.integers(0, (YEARS - 1) * 525_600)))
    start = anchor - timedelta(minutes=draw(st.integers(0, minutes_before)))
    return draw(calendars(zone, start.date(), nonempty)), start
