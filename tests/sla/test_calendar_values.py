"""Calendar values: parsing, equality, and validation that lists every problem."""

from __future__ import annotations

import builtins
import copy
import pickle
import sys
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from dateutil.rrule import YEARLY, rrule

from itilkit.errors import InvalidCalendarError, InvalidInputError
from itilkit.sla import (
    BusinessCalendar,
    DateOverride,
    Holidays,
    Shift,
    WeeklySchedule,
    country_holidays,
)

OFFICE = WeeklySchedule.from_days({"mon-fri": "09:00-17:00"})


def test_shift_strings_parse_with_midnight_and_overnight_forms() -> None:
    """'24:00' ends the day, '+1' marks an overnight shift, times keep their seconds."""
    assert Shift.parse("09:00-24:00") == Shift(time(9), time(0))
    assert Shift.parse(" 22:00 - 06:00 +1") == Shift(time(22), time(6), overnight=True)
    assert str(Shift.parse("08:30:15-17:00")) == "08:30:15-17:00"
    assert str(Shift.parse("00:00-24:00")) == "00:00-24:00"
    with pytest.raises(InvalidCalendarError, match="not a shift"):
        Shift.parse("9 to 5")
    with pytest.raises(InvalidCalendarError, match="not a time of day"):
        Shift("25:00", "26:00")


def test_weekly_schedule_from_day_ranges() -> None:
    """Day names, abbreviations and ranges (also wrapping, 'fri-mon') select weekdays."""
    week = WeeklySchedule.from_days({"fri-mon": "10:00-11:00", "wednesday": ["12:00-13:00"]})
    assert [len(day) for day in week.days] == [1, 0, 1, 0, 1, 1, 1]
    with pytest.raises(InvalidCalendarError, match="not a weekday"):
        WeeklySchedule.from_days({"someday": "10:00-11:00"})


def test_calendars_are_hashable_values() -> None:
    """Equal inputs give equal, hashable calendars; rrule objects are kept as their text."""
    rule = rrule(YEARLY, byeaster=-2, dtstart=datetime(2000, 1, 1))
    one = BusinessCalendar("Europe/London", OFFICE, Holidays(rules=[rule]))
    two = BusinessCalendar("Europe/London", OFFICE, Holidays(rules=[str(rule)]))
    assert one == two
    assert hash(one) == hash(two)
    assert one != BusinessCalendar("Europe/Paris", OFFICE)


def test_calendars_pickle_and_copy_like_values() -> None:
    """A used calendar with holiday rules pickles, copies and deep-copies to an equal one.

    Its lazily built tables hold a lock (and dateutil's cached rules another),
    which made every calendar fail to pickle: no business clock on a dask
    process scheduler, no ``copy.deepcopy`` of a policy holding one.
    """
    cal = BusinessCalendar(
        "Europe/London",
        OFFICE,
        Holidays(dates=[date(2024, 5, 6)], yearly=[(12, 25)], rules=["FREQ=YEARLY;BYEASTER=-2"]),
        [DateOverride.hours(date(2024, 12, 24), "09:00-12:00")],
    )
    start, end = datetime(2024, 3, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    measured = cal.elapsed(start, end)
    for twin in (pickle.loads(pickle.dumps(cal)), copy.deepcopy(cal), copy.copy(cal)):
        assert twin == cal
        assert twin.elapsed(start, end) == measured


def test_every_problem_is_reported_at_once() -> None:
    """Unknown zone, backwards and overlapping shifts, bad overrides: all listed, in order."""
    week = WeeklySchedule(
        monday=["10:00-12:00", "11:00-13:00", "17:00-09:00"],
        tuesday=["22:00-06:00+1"],
        wednesday=["05:00-07:00"],
        sunday=["23:00-02:00+1"],
    )
    overrides = [
        DateOverride.hours(date(2024, 1, 2), "09:00-12:00", "11:00-14:00"),
        DateOverride.closed(date(2024, 1, 2)),
        DateOverride.extra_hours(date(2024, 1, 3)),
        DateOverride.hours(date(2024, 1, 4), "12:00-11:00"),
    ]
    with pytest.raises(InvalidCalendarError) as caught:
        BusinessCalendar("Mars/Olympus", week, Holidays(), overrides)
    problems = caught.value.problems
    assert problems == (
        "unknown time zone 'Mars/Olympus'; use an IANA zone name such as 'Europe/London'",
        "monday: shift 17:00-09:00 ends before it starts; mark it overnight ('+1') "
        "if it ends the next day",
        "monday 10:00-12:00 overlaps monday 11:00-13:00",
        "tuesday 22:00-06:00+1 overlaps wednesday 05:00-07:00",
        "override 2024-01-02 09:00-12:00 overlaps override 2024-01-02 11:00-14:00",
        "more than one override for 2024-01-02",
        "override 2024-01-03 adds extra hours but lists no shifts",
        "override 2024-01-04: shift 12:00-11:00 ends before it starts; mark it overnight ('+1') "
        "if it ends the next day",
    )
    assert "8 problem(s)" in str(caught.value)


def test_bad_holidays_are_refused_at_once_in_a_stable_order() -> None:
    """Holidays list every bad date, pair and rule when built, sorted, whatever the input order."""
    mixed: set[object] = {datetime(2024, 1, 1, tzinfo=UTC), "2016-01-01", date(2024, 1, 2)}
    with pytest.raises(InvalidCalendarError) as caught:
        Holidays(
            dates=mixed,  # type: ignore[arg-type]
            yearly=[(13, 1), (2, 30)],
            rules=["BOGUS"],
        )
    assert caught.value.problems == (
        "holiday '2016-01-01' is a string; give a datetime.date, e.g. date(2024, 12, 25)",
        "holiday datetime.datetime(2024, 1, 1...tzinfo=datetime.timezone.utc) is a datetime; "
        "give a datetime.date (its .date())",
        "yearly holiday (13, 1) is not a (month, day) of any year",
        "yearly holiday (2, 30) is not a (month, day) of any year",
        "holiday rule 'BOGUS' cannot be used: 'BOGUS' is not KEY=VALUE",
        "holiday rule 'BOGUS' cannot be used: FREQ must be YEARLY, MONTHLY, WEEKLY or DAILY",
    )
    assert isinstance(caught.value, TypeError)


def test_sunday_night_overlapping_monday_is_caught_across_the_week_end() -> None:
    """The week wraps: Sunday's overnight shift may not overlap Monday morning."""
    week = WeeklySchedule(sunday=["23:00-02:00+1"], monday=["01:00-03:00"])
    with pytest.raises(
        InvalidCalendarError, match="monday 01:00-03:00 overlaps sunday 23:00-02:00\\+1"
    ):
        BusinessCalendar("UTC", week)


def test_overnight_shifts_last_at_most_a_day_and_touching_shifts_are_fine() -> None:
    """09:00-09:00+1 is a 24 h shift; touching shifts merge into one open run."""
    BusinessCalendar("UTC", WeeklySchedule(monday=["09:00-09:00+1"]))
    with pytest.raises(InvalidCalendarError, match="more than 24 hours"):
        BusinessCalendar("UTC", WeeklySchedule(monday=[Shift("09:00", "10:00", overnight=True)]))
    touching = BusinessCalendar("UTC", WeeklySchedule(monday=["09:00-12:00", "12:00-13:00"]))
    monday = datetime(2024, 5, 6, 9, tzinfo=UTC)
    assert touching.next_close(monday) == datetime(2024, 5, 6, 13, tzinfo=UTC)


def test_wrong_types_are_described() -> None:
    """Parts of the wrong type are reported, not crashed on."""
    with pytest.raises(InvalidCalendarError) as caught:
        BusinessCalendar(42, "09:00-17:00", [], ["x"])  # type: ignore[arg-type, list-item]
    assert len(caught.value.problems) == 4


def test_instants_outside_the_supported_years_are_rejected() -> None:
    """Year 1 and 9999 are beyond the covered range."""
    cal = BusinessCalendar("UTC", OFFICE)
    with pytest.raises(InvalidInputError, match="supported years"):
        cal.is_open(datetime(1, 1, 2, tzinfo=UTC))


def test_out_of_range_instants_fail_at_once_naming_the_culprit() -> None:
    """The instant outside the years is named, and no tables are grown towards it first.

    Growing first built the tables of every year between the calendar's and
    the bad instant (tens of seconds and hundreds of MB for year 1) before
    raising, and the message named the start even when the end was at fault.
    """
    cal = BusinessCalendar("UTC", OFFICE)
    may = datetime(2024, 5, 9, tzinfo=UTC)
    cal.is_open(may)
    tables = cal._timeline.current
    far = datetime(9999, 6, 1, tzinfo=UTC)
    with pytest.raises(InvalidInputError, match=r"^9999-06-01"):
        cal.elapsed(may, far)
    with pytest.raises(InvalidInputError, match=r"^9999-06-01"):
        cal.elapsed_many([may, may], [may, far])
    with pytest.raises(InvalidInputError, match=r"^9999-06-01"):
        list(cal.open_intervals(may, far))
    with pytest.raises(InvalidInputError, match=r"^0001-06-01"):
        cal.is_open(datetime(1, 6, 1, tzinfo=UTC))
    assert cal._timeline.current is tables


def test_country_holidays_from_the_holidays_package() -> None:
    """England's 2024 bank holidays come from the optional holidays package."""
    holidays = country_holidays("GB", [2024], subdivision="ENG")
    assert date(2024, 12, 25) in holidays.dates
    assert date(2024, 5, 6) in holidays.dates
    assert len(holidays.dates) == 8
    with pytest.raises(InvalidCalendarError, match="cannot provide"):
        country_holidays("XX", [2024])


def test_country_holidays_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the holidays package the error says which extra to install."""
    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "holidays":
            raise ImportError("No module named 'holidays'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "holidays", raising=False)
    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(ImportError, match=r"itilkit\[holidays\]"):
        country_holidays("GB", [2024])
