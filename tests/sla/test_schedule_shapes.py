"""Shifts and weekly schedules: the shapes configuration uses, and bounded parsing."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import CalendarTypeError, InvalidCalendarError
from itilkit.sla import BusinessCalendar, DateOverride, Shift, WeeklySchedule
from itilkit.sla._schedule import overlaps


def test_zammad_pairs_work_like_shift_texts() -> None:
    """``{"mon": [["08:00", "12:00"]]}`` is the schedule ``{"mon": "08:00-12:00"}`` is."""
    pairs = WeeklySchedule.from_days({"mon": [["08:00", "12:00"]], "tue": [("22:00", "06:00+1")]})
    texts = WeeklySchedule.from_days({"mon": "08:00-12:00", "tue": "22:00-06:00+1"})
    assert pairs == texts
    assert pairs.tuesday == (Shift(time(22), time(6), overnight=True),)
    assert WeeklySchedule(monday=[["00:00", "24:00"]]) == WeeklySchedule(monday="00:00-24:00")
    day: list[Shift | str | list[time | str]] = [
        Shift("08:00", "09:00"),
        "10:00-11:00",
        [time(12), "13:00"],
    ]
    mixed = WeeklySchedule(monday=day)
    assert [str(shift) for shift in mixed.monday] == ["08:00-09:00", "10:00-11:00", "12:00-13:00"]


def test_two_bare_times_get_a_hint_towards_the_pair_shape() -> None:
    """``{"mon": ["08:00", "12:00"]}`` is two bad shifts, and the error says how to pair them."""
    with pytest.raises(InvalidCalendarError) as caught:
        WeeklySchedule.from_days({"mon": ["08:00", "12:00"]})
    assert caught.value.problems[-1] == (
        "'mon': write one shift as a pair inside a list, [['08:00', ...]]"
    )


def test_every_day_and_shift_problem_is_listed_in_the_order_given() -> None:
    """Bad days, bad shifts and wrong types of every entry come in one error, in input order."""
    with pytest.raises(CalendarTypeError) as caught:
        WeeklySchedule.from_days(
            {"mon": "25:00-26:00", "funday": "09:00-10:00", "tue": [["09:00"]], "wed": {"a": 1}}
        )
    assert caught.value.problems == (
        "'25:00-26:00' is not a shift; write 'HH:MM-HH:MM' or 'HH:MM-HH:MM+1' (overnight)",
        "'funday' is not a weekday or weekday range such as 'mon' or 'mon-fri'",
        "a shift pair needs a start and an end, got list ['09:00']",
        "'wed' must be a Shift, 'HH:MM-HH:MM' text ('+1' marks overnight), "
        "an ['HH:MM', 'HH:MM'] pair, or a list of these, got dict {'a': 1}",
    )
    with pytest.raises(InvalidCalendarError) as direct:
        WeeklySchedule(monday="9-10", friday=["x"])
    assert len(direct.value.problems) == 2


def test_flags_are_strict_bools() -> None:
    """``overnight="no"`` and ``extra=1`` are type errors, not truthy flags."""
    with pytest.raises(CalendarTypeError, match="overnight must be True or False"):
        Shift("22:00", "06:00", overnight="no")  # type: ignore[arg-type]
    with pytest.raises(CalendarTypeError, match="extra must be True or False"):
        DateOverride(date(2024, 1, 1), "09:00-10:00", extra=1)  # type: ignore[arg-type]


def test_times_take_ascii_digits_only() -> None:
    """Arabic-Indic digits matched the old ``\\d`` and were read as times."""
    with pytest.raises(InvalidCalendarError, match="not a time of day"):
        Shift("\u0660\u0669:\u0660\u0660", "10:00")


@pytest.mark.parametrize(
    "text",
    ["0-0" + " " * 40_000 + "x", "1" * 40_000, "09:00-" * 7_000, "9" * 10**6],
)
def test_long_shift_texts_are_refused_without_backtracking(text: str) -> None:
    """A 40 KB string took 3.7 s in the old regular expression; it is refused by length now."""
    with pytest.raises(InvalidCalendarError, match="is not a shift"):
        Shift.parse(text)


def test_a_day_holds_at_most_96_shifts() -> None:
    """A week of 4,320 shifts a day was checked pair by pair for minutes; now it is refused."""
    minutes = [f"{m // 60:02d}:{m % 60:02d}-{m // 60:02d}:{m % 60:02d}:30" for m in range(1440)]
    with pytest.raises(InvalidCalendarError, match="more than 96 shifts"):
        WeeklySchedule(monday=minutes)
    quarters = [
        f"{q // 4:02d}:{q % 4 * 15:02d}-{q // 4:02d}:{q % 4 * 15 + 10:02d}" for q in range(96)
    ]
    BusinessCalendar("UTC", WeeklySchedule(*([quarters] * 7)))


_clock = st.times().map(lambda t: t.replace(microsecond=0, tzinfo=None))


@given(st.lists(st.tuples(_clock, _clock), max_size=8), st.booleans())
def test_overlaps_are_the_pairs_the_obvious_check_finds(
    spans: list[tuple[time, time]], overnight: bool
) -> None:
    """The sweep reports exactly the overlapping pairs a pairwise comparison finds."""
    shifts = [Shift(start, end, overnight) for start, end in spans]
    placed = [
        (*shift.span(), f"{index}") for index, shift in enumerate(shifts) if not shift.problems()
    ]
    obvious = [
        f"{a[2]} overlaps {b[2]}"
        for i, a in enumerate(placed)
        for b in placed[i + 1 :]
        if a[0] < b[1] and b[0] < a[1]
    ]
    assert overlaps(placed) == obvious
