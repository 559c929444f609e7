"""One example per documented convention and edge case of calendar arithmetic."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from itilkit.errors import (
    CalendarError,
    InvalidInputError,
    InvalidIntervalError,
    NaiveDatetimeError,
    NoBusinessTimeError,
)
from itilkit.sla import BusinessCalendar, DateOverride, Holidays, Landing, WeeklySchedule

LONDON = ZoneInfo("Europe/London")
H = timedelta(hours=1)
OFFICE = BusinessCalendar(
    "Europe/London",
    WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"}),
    Holidays(dates=[date(2024, 5, 6)]),
)


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, *rest: int, fold: int = 0
) -> datetime:
    """A London wall-clock datetime (``rest``: seconds, microseconds)."""
    second, micro = (*rest, 0, 0)[:2]
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=LONDON, fold=fold)


def test_intervals_are_half_open() -> None:
    """The opening instant is open, the closing instant is not."""
    assert OFFICE.is_open(london(2024, 5, 9, 9))
    assert not OFFICE.is_open(london(2024, 5, 9, 12))
    assert OFFICE.is_open(london(2024, 5, 9, 11, 59, 59, 999999))


def test_add_ending_exactly_at_a_close_returns_the_close() -> None:
    """Thu 12:14 + 4 h is Thu 17:00, not Fri 09:00 (pandas rolls on; we do not)."""
    start = london(2024, 5, 9, 12, 14)
    assert OFFICE.add(start, 4 * H) == london(2024, 5, 9, 17)
    assert OFFICE.add(london(2024, 1, 2, 9), 3 * H) == london(2024, 1, 2, 12)
    assert OFFICE.elapsed(start, OFFICE.add(start, 4 * H)) == 4 * H


def test_subtract_ending_exactly_at_an_opening_returns_the_opening() -> None:
    """Wed 10:00 - 1 h is Wed 09:00, not Tue 17:00 (pandas-dev/pandas#33682)."""
    assert OFFICE.subtract(london(2024, 1, 10, 10), H) == london(2024, 1, 10, 9)
    assert OFFICE.subtract(london(2024, 1, 10, 9), H) == london(2024, 1, 9, 16)


def test_zero_duration_is_the_identity_even_outside_hours() -> None:
    """add/subtract of zero return the same instant, never the next opening."""
    saturday = datetime(2024, 5, 11, 10, tzinfo=UTC)
    assert OFFICE.add(saturday, timedelta(0)) == saturday
    assert OFFICE.subtract(saturday, timedelta(0)) == saturday
    assert OFFICE.add(saturday, timedelta(0)).tzinfo is OFFICE.tzinfo


def test_add_from_outside_hours_starts_at_the_next_opening() -> None:
    """Fri 18:00 + 1 h is Tue 10:00 after a Monday holiday."""
    assert OFFICE.add(london(2024, 5, 3, 18), H) == london(2024, 5, 7, 10)


def test_reversed_elapsed_arguments_raise() -> None:
    """An end before its start is an error, not zero or a negative duration."""
    with pytest.raises(InvalidIntervalError, match="ends before it starts"):
        OFFICE.elapsed(london(2024, 5, 9, 12), london(2024, 5, 9, 11))
    assert OFFICE.elapsed(london(2024, 5, 9, 11), london(2024, 5, 9, 11)) == timedelta(0)


def test_negative_durations_raise() -> None:
    """add and subtract reject negative budgets and say what to use instead."""
    with pytest.raises(InvalidInputError, match="use subtract"):
        OFFICE.add(london(2024, 5, 9, 11), -H)
    with pytest.raises(InvalidInputError, match="must be a timedelta"):
        OFFICE.add(london(2024, 5, 9, 11), 3600)  # type: ignore[arg-type]


def test_a_day_is_24_business_hours() -> None:
    """timedelta(days=1) is 24 hours of business time (3.4 office days), as in ServiceNow."""
    start = london(2024, 1, 8, 9)
    assert OFFICE.add(start, timedelta(days=1)) == OFFICE.add(start, 24 * H)
    assert OFFICE.add(start, timedelta(days=1)) == london(2024, 1, 11, 12)


def test_results_are_in_the_calendar_zone() -> None:
    """Whatever zone the input has, results come back in the calendar's zone."""
    result = OFFICE.add(datetime(2024, 7, 1, 8, tzinfo=UTC), H)
    assert result.tzinfo is LONDON
    assert result == london(2024, 7, 1, 10)


def test_naive_datetimes_are_rejected_everywhere() -> None:
    """Every operation refuses naive datetimes with NaiveDatetimeError."""
    naive = datetime(2024, 5, 9, 10)
    aware = london(2024, 5, 9, 10)
    calls: list[Callable[[], object]] = [
        lambda: OFFICE.add(naive, H),
        lambda: OFFICE.subtract(naive, H),
        lambda: OFFICE.elapsed(naive, aware),
        lambda: OFFICE.elapsed(aware, naive),
        lambda: OFFICE.is_open(naive),
        lambda: OFFICE.next_open(naive),
        lambda: OFFICE.next_close(naive),
        lambda: OFFICE.open_intervals(naive, aware),
        lambda: OFFICE.elapsed_many([aware], [naive]),
    ]
    for call in calls:
        with pytest.raises(NaiveDatetimeError):
            call()


def test_dst_gap_wall_times_that_never_show_are_never_open() -> None:
    """A 01:30-03:00 shift on the spring-forward night is open 02:00(BST)-03:00: one hour."""
    night = BusinessCalendar("Europe/London", WeeklySchedule(sunday=["01:30-03:00"]))
    day = datetime(2024, 3, 31, tzinfo=UTC)
    assert night.elapsed(day, day + timedelta(days=1)) == H
    assert night.next_open(day) == datetime(2024, 3, 31, 1, tzinfo=UTC)
    assert night.elapsed(day + timedelta(days=7), day + timedelta(days=8)) == 1.5 * H


def test_dst_fold_repeated_wall_times_are_open_both_times() -> None:
    """A night shift over the fall-back hour lasts an hour longer in real time."""
    night = BusinessCalendar("Europe/London", WeeklySchedule(saturday=["22:00-06:00+1"]))
    day = datetime(2024, 10, 26, 12, tzinfo=UTC)
    assert night.elapsed(day, day + timedelta(days=1)) == 9 * H
    assert night.elapsed(day + timedelta(days=7), day + timedelta(days=8)) == 8 * H


def test_a_close_inside_the_repeated_hour_applies_to_both_passes() -> None:
    """Open 00:00-01:30 on the fall-back day: closed 01:30-02:00 BST, open 01:00-01:30 GMT."""
    early = BusinessCalendar("Europe/London", WeeklySchedule(sunday=["00:00-01:30"]))
    assert early.is_open(london(2024, 10, 27, 1, 15))
    assert not early.is_open(london(2024, 10, 27, 1, 45))
    assert early.is_open(london(2024, 10, 27, 1, 15, fold=1))
    assert not early.is_open(london(2024, 10, 27, 1, 45, fold=1))
    start = datetime(2024, 10, 26, 22, tzinfo=UTC)
    assert early.elapsed(start, start + 6 * H) == 2 * H
    assert [
        (a.astimezone(UTC).hour, a.astimezone(UTC).minute)
        for a, _ in early.open_intervals(start, start + 6 * H)
    ] == [(23, 0), (1, 0)]


def test_business_seconds_are_real_seconds_across_dst() -> None:
    """24x7 elapsed over the spring-forward day is 23 h, over the fall-back day 25 h."""
    always = BusinessCalendar.always_open("Europe/London")
    assert always.elapsed(london(2024, 3, 31), london(2024, 4, 1)) == 23 * H
    assert always.elapsed(london(2024, 10, 27), london(2024, 10, 28)) == 25 * H
    assert always.add(london(2024, 3, 31, 0, 30), H) == london(2024, 3, 31, 2, 30)


def test_lord_howe_half_hour_dst_shortens_the_night() -> None:
    """Lord Howe moves its clocks 30 minutes: the 00:00-06:00 shift that night lasts 5.5 h."""
    zone = ZoneInfo("Australia/Lord_Howe")
    early = BusinessCalendar(
        "Australia/Lord_Howe", WeeklySchedule.from_days({"sun": "00:00-06:00"})
    )
    day = datetime(2024, 10, 6, tzinfo=zone)
    assert early.elapsed(day, day + timedelta(hours=12)) == 5.5 * H


def test_tehran_midnight_transition_skips_the_first_hour() -> None:
    """Tehran's clocks jumped 00:00 -> 01:00 on 2022-03-22: a 00:00-08:00 shift had 7 h."""
    cal = BusinessCalendar("Asia/Tehran", WeeklySchedule.from_days({"tue": "00:00-08:00"}))
    start = datetime(2022, 3, 21, 12, tzinfo=UTC)
    assert cal.elapsed(start, start + timedelta(days=1)) == 7 * H
    assert cal.next_open(start) == datetime(2022, 3, 22, 1, tzinfo=ZoneInfo("Asia/Tehran"))


def test_apia_skipped_date_is_never_open() -> None:
    """Samoa skipped 2011-12-30: a daily 09:00-17:00 calendar had no hours that date."""
    cal = BusinessCalendar("Pacific/Apia", WeeklySchedule.from_days({"mon-sun": "09:00-17:00"}))
    zone = ZoneInfo("Pacific/Apia")
    start, end = datetime(2011, 12, 29, tzinfo=zone), datetime(2012, 1, 1, tzinfo=zone)
    assert cal.elapsed(start, end) == 16 * H
    assert cal.add(datetime(2011, 12, 29, 16, tzinfo=zone), 2 * H) == datetime(
        2011, 12, 31, 10, tzinfo=zone
    )


def test_overnight_shift_belongs_to_the_day_it_opens() -> None:
    """A Saturday holiday leaves Friday's night shift whole; a Friday holiday cancels it."""
    week = WeeklySchedule.from_days({"mon-fri": "22:00-06:00+1"})
    friday, saturday = date(2024, 5, 10), date(2024, 5, 11)
    start, end = london(2024, 5, 10, 12), london(2024, 5, 11, 12)
    sat_off = BusinessCalendar("Europe/London", week, Holidays(dates=[saturday]))
    fri_off = BusinessCalendar("Europe/London", week, Holidays(dates=[friday]))
    assert sat_off.elapsed(start, end) == 8 * H
    assert fri_off.elapsed(start, end) == timedelta(0)
    assert fri_off.is_open(london(2024, 5, 10, 3))  # Thursday's shift runs on
    assert fri_off.next_close(london(2024, 5, 10, 3)) == london(2024, 5, 10, 6)


def test_overrides_replace_or_add_to_a_date() -> None:
    """A half day replaces the hours, extra hours add to them, a replacement beats a holiday."""
    base = WeeklySchedule.from_days({"mon-fri": "09:00-17:00"})
    eve, boxing = date(2024, 12, 24), date(2024, 12, 26)
    cal = BusinessCalendar(
        "Europe/London",
        base,
        Holidays(dates=[boxing], yearly=[(12, 25)]),
        [
            DateOverride.hours(eve, "09:00-13:00"),
            DateOverride.extra_hours(date(2024, 12, 23), "18:00-20:00"),
            DateOverride.hours(boxing, "10:00-12:00"),
        ],
    )

    def day(d: date) -> timedelta:
        start = datetime(d.year, d.month, d.day, tzinfo=LONDON)
        return cal.elapsed(start, start + timedelta(days=1))

    assert day(date(2024, 12, 23)) == 10 * H
    assert day(eve) == 4 * H
    assert day(date(2024, 12, 25)) == timedelta(0)
    assert day(boxing) == 2 * H
    assert day(date(2024, 12, 27)) == 8 * H


def test_extra_hours_on_a_holiday_add_only_the_extra() -> None:
    """Extra hours on a holiday open just those hours."""
    cal = BusinessCalendar(
        "UTC",
        WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}),
        Holidays(dates=[date(2024, 5, 6)]),
        [DateOverride.extra_hours(date(2024, 5, 6), "10:00-11:00")],
    )
    start = datetime(2024, 5, 6, tzinfo=UTC)
    assert cal.elapsed(start, start + timedelta(days=1)) == H


def test_holiday_rules_yearly_dates_and_easter() -> None:
    """Yearly (month, day) pairs recur (29 Feb only in leap years); BYEASTER rules work."""
    holidays = Holidays(yearly=[(2, 29), (12, 25)], rules=["FREQ=YEARLY;BYEASTER=-2"])
    assert holidays.between(date(2023, 1, 1), date(2024, 12, 31)) == {
        date(2023, 4, 7),
        date(2023, 12, 25),
        date(2024, 2, 29),
        date(2024, 3, 29),
        date(2024, 12, 25),
    }


def test_empty_schedule_raises_instead_of_looping() -> None:
    """No business time at all: next_open, add and subtract raise NoBusinessTimeError."""
    empty = BusinessCalendar("Europe/London", WeeklySchedule())
    at = london(2024, 5, 9, 10)
    with pytest.raises(NoBusinessTimeError, match="no business time after"):
        empty.next_open(at)
    with pytest.raises(NoBusinessTimeError):
        empty.add(at, H)
    with pytest.raises(NoBusinessTimeError, match="before"):
        empty.subtract(at, H)
    assert empty.elapsed(at, at + timedelta(days=400)) == timedelta(0)
    assert list(empty.open_intervals(at, at + timedelta(days=10))) == []


def test_adding_past_the_last_opening_raises() -> None:
    """With hours only on one override date, a budget beyond them raises."""
    cal = BusinessCalendar(
        "UTC", WeeklySchedule(), overrides=[DateOverride.hours(date(2024, 5, 9), "09:00-10:00")]
    )
    start = datetime(2024, 5, 1, tzinfo=UTC)
    assert cal.add(start, H) == datetime(2024, 5, 9, 10, tzinfo=UTC)
    with pytest.raises(NoBusinessTimeError):
        cal.add(start, 2 * H)


def test_budgets_beyond_every_supported_year_raise_the_typed_error() -> None:
    """A budget longer than the supported years is refused up front, typed.

    With tables already built, ``add(t, timedelta.max)`` overflowed inside the
    window tables and leaked an ``OverflowError``.
    """
    cal = BusinessCalendar("Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))
    start = datetime(2024, 5, 9, 10, tzinfo=ZoneInfo("Europe/London"))
    assert cal.add(start, H) == start + H  # the tables now exist
    for budget in (timedelta.max, timedelta(days=999_000_000)):
        for operation in (cal.add, cal.subtract):
            with pytest.raises(InvalidInputError, match="longer than the supported range"):
                operation(start, budget)


def test_holidays_on_every_business_day_raise_within_the_horizon() -> None:
    """A rule closing every Monday of a Monday-only calendar ends in NoBusinessTimeError."""
    cal = BusinessCalendar(
        "UTC",
        WeeklySchedule(monday=["09:00-10:00"]),
        Holidays(rules=["FREQ=WEEKLY;BYDAY=MO"]),
    )
    with pytest.raises(NoBusinessTimeError):
        cal.next_open(datetime(2024, 5, 1, tzinfo=UTC))


def test_always_open_never_closes() -> None:
    """next_close on 24x7 with no closures ahead raises CalendarError; open_intervals is one run."""
    always = BusinessCalendar.always_open()
    at = datetime(2024, 5, 9, tzinfo=UTC)
    with pytest.raises(CalendarError, match="never closes"):
        always.next_close(at)
    assert list(always.open_intervals(at, at + timedelta(days=30))) == [
        (at, at + timedelta(days=30))
    ]


def test_long_budgets_land_where_whole_weeks_say() -> None:
    """4,000 business hours from Mon 09:00 are 100 weeks: the Friday 17:00 close before."""
    plain = BusinessCalendar("UTC", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    assert plain.add(start, 4000 * H) == start + timedelta(weeks=100) - timedelta(hours=64)
    assert plain.elapsed(start, start + timedelta(weeks=100)) == 4000 * H


def test_elapsed_many_checks_its_input() -> None:
    """Bulk elapsed needs equal lengths and ordered pairs."""
    a, b = london(2024, 5, 9, 10), london(2024, 5, 9, 11)
    assert OFFICE.elapsed_many([], []) == []
    assert OFFICE.elapsed_many([a, a], [b, a]) == [H, timedelta(0)]
    with pytest.raises(InvalidInputError, match="same length"):
        OFFICE.elapsed_many([a], [])
    with pytest.raises(InvalidIntervalError, match="pair 0"):
        OFFICE.elapsed_many([b], [a])


def test_a_business_day_closes_at_its_latest_shift_end_when_extra_hours_nest() -> None:
    """Extra hours inside the usual ones leave the day's close at the usual end."""
    cal = BusinessCalendar(
        "UTC",
        WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}),
        overrides=[DateOverride.extra_hours(date(2024, 5, 6), "10:00-11:00")],
    )
    monday = datetime(2024, 5, 6, 8, tzinfo=UTC)
    assert cal.add_business_days(monday, 0, Landing.CLOSE) == datetime(2024, 5, 6, 17, tzinfo=UTC)
    evening = datetime(2024, 5, 6, 20, tzinfo=UTC)
    closed = cal.subtract_business_days(evening, 0, Landing.CLOSE)
    assert closed == datetime(2024, 5, 6, 17, tzinfo=UTC)
