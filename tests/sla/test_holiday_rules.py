"""Holiday rules: the same dates as dateutil, bounded work, safe to share between threads."""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import assume, given
from hypothesis import strategies as st

from itilkit.errors import CalendarTypeError, InvalidCalendarError
from itilkit.sla import BusinessCalendar, Holidays, WeeklySchedule
from itilkit.sla._rules import HolidayRule, parse_rule

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _numbers(low: int, high: int, signed: bool = True) -> st.SearchStrategy[str]:
    value = st.integers(low, high)
    if signed:
        value = st.one_of(value, value.map(lambda n: -n))
    return st.lists(value, min_size=1, max_size=3, unique=True).map(
        lambda items: ",".join(map(str, items))
    )


@st.composite
def rules(draw: st.DrawFn) -> tuple[str, date]:
    """A holiday rule text of any frequency, with its DTSTART date."""
    freq = draw(st.sampled_from(["YEARLY", "MONTHLY", "WEEKLY", "DAILY"]))
    start = draw(st.dates(date(1990, 1, 1), date(2030, 12, 31)))
    parts = [f"FREQ={freq}", f"INTERVAL={draw(st.integers(1, 5))}"]
    numbered = freq in ("YEARLY", "MONTHLY")
    if draw(st.booleans()):
        parts.append(f"BYMONTH={draw(_numbers(1, 12, signed=False))}")
    if freq != "WEEKLY" and draw(st.booleans()):
        parts.append(f"BYMONTHDAY={draw(_numbers(1, 31))}")
    if draw(st.booleans()):
        ordinal = st.sampled_from(["", "1", "2", "-1"]) if numbered else st.just("")
        days = st.lists(st.tuples(ordinal, st.sampled_from(_DAYS)), min_size=1, max_size=2)
        parts.append("BYDAY=" + ",".join(n + d for n, d in draw(days)))
    if freq == "YEARLY" and draw(st.booleans()):
        parts.append(f"BYYEARDAY={draw(_numbers(1, 366))}")
    if freq == "YEARLY" and draw(st.booleans()):
        parts.append(f"BYWEEKNO={draw(_numbers(1, 53))}")
    if numbered and draw(st.booleans()):
        parts.append(f"BYSETPOS={draw(_numbers(1, 3))}")
    if draw(st.booleans()):
        parts.append(f"BYEASTER={draw(st.integers(-40, 40))}")
    if draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(_DAYS))}")
    return f"DTSTART:{start:%Y%m%d}\nRRULE:" + ";".join(parts), start


def _accepted(text: str) -> Holidays:
    try:
        return Holidays(rules=[text])
    except InvalidCalendarError:
        assume(False)
        raise


@given(rules(), st.integers(0, 30), st.integers(0, 3))
def test_rules_give_the_dates_dateutil_gives(rule: tuple[str, date], skip: int, span: int) -> None:
    """Any accepted rule gives, over some years from its start, exactly dateutil's dates.

    dateutil walks from DTSTART (the slow, obvious oracle); itilkit expands each
    year on its own. Rules whose years ahead are empty are skipped, since there
    dateutil itself would walk to year 9999 before stopping.
    """
    text, start = rule
    holidays = _accepted(text)
    first = date(start.year + skip, 1, 1)
    last = date(start.year + skip + span, 12, 31)
    ahead = holidays.between(last, last + timedelta(days=5 * 366))
    assume(ahead)
    expected = rrulestr(text).between(
        datetime.combine(first, datetime.min.time()),
        datetime.combine(last, datetime.max.time()),
        inc=True,
    )
    assert holidays.between(first, last) == {moment.date() for moment in expected}


@given(rules(), st.integers(1, 7900))
def test_far_years_are_the_years_of_the_first_cycle_shifted(
    rule: tuple[str, date], ahead: int
) -> None:
    """A year far from DTSTART, copied from the 400-year cycle, is the year expanded directly."""
    parsed = parse_rule(rule[0])
    assume(isinstance(parsed, HolidayRule) and parsed.count is None)
    assert isinstance(parsed, HolidayRule)
    year = min(parsed.start.year + ahead, 9999)
    assert list(parsed.in_year(year)) == parsed._expand(year)


def test_counted_rules_stop_after_their_count() -> None:
    """COUNT counts from DTSTART: the third Easter Monday is the last."""
    easter = Holidays(rules=["DTSTART:20240101\nRRULE:FREQ=YEARLY;BYEASTER=1;COUNT=3"])
    assert sorted(easter.between(date(2020, 1, 1), date(2030, 1, 1))) == [
        date(2024, 4, 1),
        date(2025, 4, 21),
        date(2026, 4, 6),
    ]


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=SECONDLY", "FREQ=SECONDLY is finer than a day"),
        ("FREQ=MINUTELY", "FREQ=MINUTELY is finer than a day"),
        ("FREQ=HOURLY;BYHOUR=1", "BYHOUR is not allowed: holidays are whole days"),
        ("FREQ=DAILY", "it gives 365 dates in a year, more than 100"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE", "it gives 15"),
        ("FREQ=WEEKLY;BYDAY=1MO", "BYDAY=1MO is not a list of weekdays"),
        ("FREQ=MONTHLY;BYWEEKNO=3", "BYWEEKNO cannot be used with FREQ=MONTHLY"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "COUNT=2 is not reached within 400"),
        ("DTSTART;TZID=Europe/Paris:20240101\nFREQ=YEARLY", "is not a floating DTSTART"),
        ("FREQ=YEARLY;INTERVAL=0", "INTERVAL=0 must be a whole number from 1"),
        ("FREQ=YEARLY;" + "BYMONTH=1;" * 200, "longer than 1000 characters"),
    ],
)
def test_rules_beyond_whole_days_are_refused_when_built(rule: str, says: str) -> None:
    """Sub-daily, too busy or unbounded rules are refused at construction, with a reason.

    On main's code (ad6f3aa) SECONDLY and MINUTELY hung the constructor and a
    never-matching COUNT walked to year 9999.
    """
    with pytest.raises(InvalidCalendarError) as caught:
        Holidays(rules=[rule])
    assert any(says in problem for problem in caught.value.problems), caught.value.problems


def test_a_rule_that_never_matches_costs_one_period_a_year() -> None:
    """February 30th every day: no dates, found without walking towards year 9999."""
    never = Holidays(rules=["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"])
    assert never.between(date(9000, 1, 1), date(9000, 12, 31)) == set()
    assert never.between(date(1, 1, 1), date(9999, 12, 31)) == set()


def test_holidays_combine_with_or_and_union() -> None:
    """``|`` and ``union`` give the holidays of every set; a non-Holidays is a type error."""
    bank = Holidays(dates=[date(2024, 5, 6)])
    christmas = Holidays(yearly=[(12, 25)])
    easter = Holidays(rules=["FREQ=YEARLY;BYEASTER=1"])
    both = bank | christmas | easter
    assert both == bank.union(christmas, easter)
    assert both.between(date(2024, 1, 1), date(2024, 12, 31)) == {
        date(2024, 4, 1),
        date(2024, 5, 6),
        date(2024, 12, 25),
    }
    assert bank | bank == bank
    with pytest.raises(CalendarTypeError, match="combine with Holidays only"):
        bank | {date(2024, 1, 1)}  # type: ignore[operator]


def test_between_takes_dates_only() -> None:
    """A datetime or a string bound is a type error; reversed bounds give no dates."""
    holidays = Holidays(yearly=[(1, 1)])
    with pytest.raises(CalendarTypeError, match="is a datetime"):
        holidays.between(datetime(2024, 1, 1, tzinfo=UTC), date(2025, 1, 1))
    with pytest.raises(CalendarTypeError, match="is a string"):
        holidays.between(date(2024, 1, 1), "2025-01-01")  # type: ignore[arg-type]
    assert holidays.between(date(2025, 1, 2), date(2024, 1, 1)) == set()


def _spans(seed: int) -> list[tuple[date, date]]:
    draw = random.Random(seed)
    spans = []
    for _ in range(40):
        year = draw.randint(1, 9990)
        spans.append((date(year, 1, 1), date(year + draw.randint(0, 9), 12, 31)))
    return spans


SHARED_RULES = [
    "FREQ=YEARLY;BYEASTER=-2",
    "FREQ=YEARLY;BYMONTH=5;BYDAY=1MO",
    "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
]


def test_holidays_shared_by_eight_threads_answer_as_one_thread_does() -> None:
    """8 threads on one Holidays over years across the centuries: no hang, the same answers.

    On main's code (ad6f3aa) 1 to 7 of the threads never returned: dateutil's
    cached rule left its lock held once a thread had walked to year 9999.
    """
    shared = Holidays(yearly=[(12, 25)], rules=SHARED_RULES)
    expected = {seed: [shared.between(*span) for span in _spans(seed)] for seed in range(8)}
    fresh = Holidays(yearly=[(12, 25)], rules=SHARED_RULES)
    answers: dict[int, list[set[date]]] = {}

    def work(seed: int) -> None:
        answers[seed] = [fresh.between(*span) for span in _spans(seed)]

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert answers == expected


def test_calendars_sharing_holidays_in_eight_threads_answer_as_one_thread_does() -> None:
    """Four calendars on one Holidays, two threads each, instants across decades."""
    shared = Holidays(yearly=[(1, 1)], rules=SHARED_RULES)
    week = WeeklySchedule.from_days({"mon-fri": "09:00-17:00"})
    zones = ("Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
    draw = random.Random(7)
    instants = [
        datetime(draw.randint(1950, 2090), draw.randint(1, 12), draw.randint(1, 28), tzinfo=UTC)
        for _ in range(60)
    ]
    budget = timedelta(hours=30)

    def run(calendar: BusinessCalendar) -> list[tuple[bool, datetime]]:
        return [(calendar.is_open(t), calendar.add(t, budget)) for t in instants]

    expected = {zone: run(BusinessCalendar(zone, week, shared)) for zone in zones}
    calendars = [BusinessCalendar(zone, week, shared) for zone in zones]
    answers: dict[tuple[str, int], list[tuple[bool, datetime]]] = {}

    def work(calendar: BusinessCalendar, copy: int) -> None:
        answers[calendar.zone, copy] = run(calendar)

    threads = [
        threading.Thread(target=work, args=(calendar, copy))
        for calendar in calendars
        for copy in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert answers == {(zone, copy): expected[zone] for zone in zones for copy in range(2)}
