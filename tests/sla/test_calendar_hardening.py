"""Regression tests for the calendar and SLA-engine cases of issue 11.

Each names the hostile input it guards against (see
``benchmarks/bench_worst_cases.py`` for their cost before and after).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import cast

import pandas as pd
import pytest

from itilkit.errors import (
    InvalidCalendarError,
    InvalidInputError,
    InvalidPolicyError,
    NaiveDatetimeError,
    NoBusinessTimeError,
)
from itilkit.sla import (
    BusinessCalendar,
    Escalation,
    Holidays,
    InCategory,
    SlaPolicy,
    SlaTarget,
    StateChange,
    WeeklySchedule,
    sla_status,
)
from tests.threads import in_threads

WEEK = WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"})
MAY = datetime(2024, 5, 9, 10, tzinfo=UTC)


def test_a_never_open_calendar_says_so_at_once() -> None:
    """No weekly hours and no override with hours: every search fails without growing tables."""
    closed = BusinessCalendar("UTC", WeeklySchedule())
    for operation in (closed.next_open, closed.previous_close, closed.next_close):
        with pytest.raises(NoBusinessTimeError):
            operation(MAY)
    assert closed._timeline.current is None


@pytest.mark.parametrize("year", [4, 1899, 2201, 9990])
def test_instants_outside_the_supported_years_are_refused_up_front(year: int) -> None:
    """Years 1900 to 2200 are supported; others raise before any table is built."""
    calendar = BusinessCalendar("Europe/London", WEEK)
    far = datetime(year, 6, 1, tzinfo=UTC)
    calls: list[Callable[[], object]] = [
        lambda: calendar.is_open(far),
        lambda: calendar.add(far, timedelta(hours=1)),
        lambda: calendar.elapsed(MAY, far) if far > MAY else calendar.elapsed(far, MAY),
        lambda: calendar.previous_open(far),
        lambda: calendar.add_business_days(far, 1),
        lambda: calendar.is_business_day(far.date()),
        lambda: calendar.resolve_local(far.date(), time(9)),
    ]
    for call in calls:
        with pytest.raises(InvalidInputError, match="supported years 1900 to 2200"):
            call()
    assert calendar._timeline.current is None or calendar._timeline.current.first_year >= 1899


@pytest.mark.parametrize("name", ["America", "A" * 300, "", "Europe/../etc", "Europe\0London"])
def test_bad_zone_names_are_calendar_errors(name: str) -> None:
    """A directory, an over-long name or a path trick is an unknown zone, not an OSError."""
    with pytest.raises(InvalidCalendarError, match="unknown time zone"):
        BusinessCalendar(name, WEEK)


def test_nanosecond_pandas_timestamps_work_everywhere() -> None:
    """What df.to_dict("records") gives: truncated to the microsecond, no OutOfBoundsDatetime."""
    calendar = BusinessCalendar("Europe/London", WEEK)
    stamp = pd.Timestamp("2024-05-09 10:00:00.000001999", tz="UTC")
    plain = datetime(2024, 5, 9, 10, 0, 0, 1, tzinfo=UTC)
    later = stamp + pd.Timedelta(hours=30)
    assert calendar.add(stamp, timedelta(hours=2)) == calendar.add(plain, timedelta(hours=2))
    assert calendar.elapsed(stamp, later) == calendar.elapsed(
        plain, later.to_pydatetime(warn=False)
    )
    assert calendar.elapsed_many([stamp], [later]) == [calendar.elapsed(stamp, later)]
    assert calendar.is_open(stamp)
    assert calendar.next_open(stamp) == calendar.next_open(plain)
    assert calendar.previous_open(stamp) == calendar.previous_open(plain)
    assert calendar.add_business_days(stamp, 1) == calendar.add_business_days(plain, 1)
    target = SlaTarget("t", timedelta(hours=4), start=InCategory("new"), stop=~InCategory("new"))
    policy = SlaPolicy("p", [target], calendar)
    status = sla_status(policy, [StateChange(stamp, "new", "new")], later)
    cycle = status.target("t").current
    assert cycle is not None
    assert cycle.breached


def test_elapsed_many_reads_timestamps_and_pandas_columns_as_datetimes() -> None:
    """Lists of Timestamps, Series (by position, whatever their index) and indexes of
    aware datetimes give what the same instants give as datetimes, nanoseconds floored
    (also before 1970); a naive or missing value is a typed error."""
    calendar = BusinessCalendar("Europe/London", WEEK)
    starts = [
        pd.Timestamp("2024-05-09 10:00:00.000001999", tz="UTC"),
        pd.Timestamp("2024-03-31 03:30", tz="Europe/London"),
        pd.Timestamp("1969-12-31 23:59:59.9999995", tz="UTC"),
        pd.Timestamp("2024-10-27 00:30:00.5", tz="UTC").tz_convert("America/New_York"),
    ]
    ends = [start + pd.Timedelta(hours=30, nanoseconds=999) for start in starts]
    expected = calendar.elapsed_many(
        [start.to_pydatetime(warn=False) for start in starts],
        [end.to_pydatetime(warn=False) for end in ends],
    )
    assert calendar.elapsed_many(starts, ends) == expected
    column = pd.Series([start.tz_convert("Asia/Tokyo") for start in starts])
    shuffled = pd.Series([end.tz_convert("UTC") for end in ends], index=[7, 3, 11, 0])
    assert str(column.dtype) == "datetime64[ns, Asia/Tokyo]"
    assert calendar.elapsed_many(_column(column), _column(shuffled)) == expected
    index, other = pd.DatetimeIndex(column), pd.DatetimeIndex(shuffled)
    assert calendar.elapsed_many(_column(index), _column(other)) == expected
    with pytest.raises(NaiveDatetimeError):
        calendar.elapsed_many(_column(pd.Series([starts[0].tz_localize(None)])), [ends[0]])
    with pytest.raises(InvalidInputError):
        calendar.elapsed_many(_column(pd.Series([starts[0], pd.NaT])), ends[:2])


def _column(values: object) -> Sequence[datetime]:
    """A pandas column or index, which elapsed_many takes as a sequence of datetimes."""
    return cast(Sequence[datetime], values)


def test_huge_targets_and_offsets_give_typed_errors_or_answers() -> None:
    """No OverflowError: targets and offsets past a century are refused when built, and
    the longest allowed ones give answers, a level beyond the supported years at None."""
    calendar = BusinessCalendar("Europe/London", WEEK)
    start = StateChange(MAY, "new", "new")
    for duration in (timedelta(days=900_000_000), timedelta.max):
        with pytest.raises(InvalidPolicyError, match="longer than allowed"):
            SlaTarget("t", duration, start=InCategory("new"), stop=~InCategory("new"))
    for offset in (timedelta.max, timedelta.min):
        with pytest.raises(InvalidPolicyError, match="within"):
            Escalation("late", offset)
    longest = timedelta(days=36_525)
    target = SlaTarget("t", longest, start=InCategory("new"), stop=~InCategory("new"))
    policy = SlaPolicy("p", [target], calendar)
    with pytest.raises(NoBusinessTimeError, match="within the supported years"):
        sla_status(policy, [start], MAY + timedelta(hours=1))  # due past 2200 on 40 h a week
    target = SlaTarget("t", timedelta(days=3_650), start=InCategory("new"), stop=~InCategory("new"))
    escalations = [Escalation("late", longest), Escalation("early", -longest)]
    policy = SlaPolicy("p", [target], calendar, escalations=escalations)
    cycle = sla_status(policy, [start], MAY + timedelta(hours=1)).target("t").current
    assert cycle is not None
    assert not cycle.breached
    late = next(e for e in cycle.escalations if e.offset == longest)
    assert late.at is None  # a century of business hours after the due time: past 2200


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add("2024-05-09", timedelta(hours=1)),
        lambda c: c.add(MAY, 3600),
        lambda c: c.subtract(MAY, None),
        lambda c: c.elapsed(MAY, 5),
        lambda c: c.elapsed_many(5, [MAY]),
        lambda c: c.is_open(None),
        lambda c: c.previous_close(date(2024, 5, 9)),
        lambda c: c.add_business_days(MAY, 1.5),
        lambda c: c.add_business_days(MAY, True),
        lambda c: c.add_business_days(MAY, -1),
        lambda c: c.add_business_days(MAY, 1, "noon"),
        lambda c: c.business_days_between(MAY, MAY - timedelta(days=1)),
        lambda c: c.is_business_day("2024-05-09"),
        lambda c: c.resolve_local(MAY, time(9)),
        lambda c: c.resolve_local(date(2024, 5, 9), "09:00"),
        lambda c: c.add(datetime(2024, 5, 9), timedelta(hours=1)),
    ],
)
def test_bad_arguments_raise_only_itilkit_errors(call: object) -> None:
    """Wrong types, naive datetimes and bad counts are typed errors (ValueError too)."""
    calendar = BusinessCalendar("Europe/London", WEEK)
    with pytest.raises(InvalidInputError):
        call(calendar)  # type: ignore[operator]


def test_bad_arguments_to_sla_status_raise_only_itilkit_errors() -> None:
    """A non-policy, a non-iterable history or a naive now are typed errors."""
    target = SlaTarget("t", timedelta(hours=4), start=InCategory("new"), stop=~InCategory("new"))
    policy = SlaPolicy("p", [target])
    for args in [
        (5, [], MAY),
        (policy, 5, MAY),
        (policy, [], datetime(2024, 5, 9)),
        (policy, [], "x"),
    ]:
        with pytest.raises(InvalidInputError):
            sla_status(*args)  # type: ignore[arg-type]


def test_eight_threads_on_shared_calendars_agree_with_one_thread() -> None:
    """Lazily built tables (coverage, windows, day counts) survive 8 threads, decades apart."""
    holidays = Holidays(dates=[date(2030, 1, 2)], yearly=[(12, 25), (1, 1)])
    calendars = [
        BusinessCalendar(zone, WEEK, holidays)
        for zone in ("Europe/London", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Gaza")
    ]
    instants = [
        datetime(1905 + 7 * k, 1 + k % 12, 1 + k % 27, k % 24, tzinfo=UTC) for k in range(42)
    ]

    def answers(calendar: BusinessCalendar) -> list[object]:
        found: list[object] = []
        for at in instants:
            found.extend(
                [
                    calendar.add(at, timedelta(hours=40)),
                    calendar.subtract(at, timedelta(hours=7)),
                    calendar.elapsed(at, at + timedelta(days=30)),
                    calendar.is_open(at),
                    calendar.next_close(at),
                    calendar.previous_open(at),
                    calendar.add_business_days(at, 12),
                    calendar.business_days_between(at, at + timedelta(days=40)),
                ]
            )
        return found

    fresh = [BusinessCalendar(c.zone, c.schedule, c.holidays) for c in calendars]
    expected = [answers(calendar) for calendar in fresh]
    del fresh
    import gc

    gc.collect()  # drop the shared tables, so the threads build them anew

    def work(index: int) -> list[list[object]]:
        order = calendars[index % 4 :] + calendars[: index % 4]
        found = [answers(calendar) for calendar in order]
        return found[-(index % 4) :] + found[: -(index % 4)] if index % 4 else found

    for found in in_threads(work):
        assert found == expected
