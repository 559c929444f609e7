"""What the boundary walk (tests/boundary) found in itilkit.sla, each fixed at its source.

Each case escaped as a builtin error (AttributeError, TypeError, ValueError,
OverflowError, RecursionError) before; each now raises an itilkit error that
also is the builtin a caller catches, and says what is allowed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from itilkit.categories import StateCategory
from itilkit.errors import (
    CalendarTypeError,
    InvalidCalendarError,
    InvalidInputError,
    InvalidTypeError,
    ItilkitError,
)
from itilkit.sla import (
    AllOf,
    AnyOf,
    BusinessCalendar,
    BusinessDays,
    ClockPhase,
    ClockReopen,
    EndOfBusinessDay,
    FieldChanged,
    FieldIs,
    InCategory,
    InState,
    Landing,
    Latest,
    NextBusinessDayAt,
    Not,
    SlaPolicy,
    SlaStatus,
    SlaTarget,
    StateChange,
    TargetStatus,
    WeeklySchedule,
    country_holidays,
    sla_status,
    sla_statuses,
    snapshots,
)

T0 = datetime(2024, 3, 1, 9, tzinfo=UTC)
H = timedelta(hours=1)
POLICY = SlaPolicy("p", [SlaTarget("fix", H, InCategory("new"), InCategory("resolved"))])
HISTORY = [StateChange(T0, "new", StateCategory.NEW)]


def _deep(depth: int = 20_000) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


CONDITIONS = [
    InCategory("new"),
    InState("work"),
    FieldIs("priority", 1),
    FieldChanged("priority"),
    AllOf([InCategory("new")]),
    AnyOf([InCategory("new")]),
    Not(InCategory("new")),
]


@pytest.mark.parametrize("condition", CONDITIONS, ids=lambda c: type(c).__name__)
@pytest.mark.parametrize("value", [None, [], {"category": "new"}])
def test_a_condition_matches_only_snapshots(condition: object, value: object) -> None:
    """matches() of anything but a Snapshot: InvalidTypeError (a TypeError) naming Snapshot."""
    with pytest.raises(InvalidTypeError, match="Snapshot") as caught:
        condition.matches(value)  # type: ignore[attr-defined]
    assert isinstance(caught.value, TypeError)
    snapshot = next(snapshots(HISTORY))
    assert isinstance(condition.matches(snapshot), bool)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "deadline",
    [
        BusinessDays(1),
        EndOfBusinessDay(),
        NextBusinessDayAt(time(10)),
        Latest([BusinessDays(1), H]),
    ],
    ids=lambda d: type(d).__name__,
)
def test_a_deadline_needs_a_calendar(deadline: BusinessDays) -> None:
    """deadline(None, start) says a calendar is needed instead of an AttributeError."""
    with pytest.raises(InvalidTypeError, match="add_business_days"):
        deadline.deadline(None, T0)  # type: ignore[arg-type]
    calendar = BusinessCalendar.always_open()
    assert deadline.deadline(calendar, T0) > T0


@pytest.mark.parametrize(
    ("weekday", "error"),
    [
        (None, InvalidTypeError),
        (True, InvalidTypeError),
        (7, InvalidInputError),
        (-1, InvalidInputError),
    ],
)
def test_spans_of_a_weekday_outside_monday_to_sunday(weekday: object, error: type) -> None:
    """spans(weekday) takes 0 to 6 only (-1 no longer means Sunday)."""
    week = WeeklySchedule.from_days({"mon-fri": "09:00-17:00"})
    with pytest.raises(error, match="0 \\(Monday\\) to 6 \\(Sunday\\)"):
        week.spans(weekday)  # type: ignore[arg-type]
    assert week.spans(0) == ((9 * 3600 * 10**6, 17 * 3600 * 10**6),)


@pytest.mark.parametrize("lookup", [ClockPhase, ClockReopen, Landing])
@pytest.mark.parametrize("value", [None, "bogus", _deep(), [1]])
def test_sla_enum_lookups_list_the_allowed_values(lookup: type, value: object) -> None:
    """ClockPhase(None) etc.: InvalidInputError (a ValueError) listing the values."""
    with pytest.raises(InvalidInputError, match="allowed: "):
        lookup(value)


@pytest.mark.parametrize("zone", [_deep(), None, 5])
def test_a_zone_of_the_wrong_type_is_a_calendar_type_error(zone: object) -> None:
    """A deep list as the zone was a RecursionError (its repr in the message)."""
    week = WeeklySchedule.always()
    with pytest.raises(CalendarTypeError, match="IANA zone name") as caught:
        BusinessCalendar(zone, week)  # type: ignore[arg-type]
    assert isinstance(caught.value, TypeError)
    assert len(str(caught.value)) < 500
    with pytest.raises(CalendarTypeError):
        BusinessCalendar.always_open(zone)  # type: ignore[arg-type]


def test_an_unknown_zone_stays_a_value_error_only() -> None:
    """A string that names no zone is not a wrong type: InvalidCalendarError, no TypeError."""
    with pytest.raises(InvalidCalendarError) as caught:
        BusinessCalendar("America", WeeklySchedule.always())
    assert not isinstance(caught.value, TypeError)


@pytest.mark.parametrize(
    "now",
    [
        datetime.max.replace(tzinfo=UTC),
        datetime(1, 1, 1, 2, tzinfo=timezone(timedelta(hours=5))),
        datetime(9999, 12, 31, 20, tzinfo=timezone(-timedelta(hours=5))),
    ],
)
def test_now_outside_the_supported_years_is_refused(now: datetime) -> None:
    """now at datetime.max crashed the replay (AttributeError); year 1 overflowed in UTC."""
    for call in (
        lambda: sla_status(POLICY, HISTORY, now),
        lambda: sla_statuses(POLICY, [HISTORY], now),
    ):
        with pytest.raises(InvalidInputError, match="outside the supported years"):
            call()


def test_statuses_built_by_hand_are_checked() -> None:
    """SlaStatus(targets=None) was accepted, then target() raised TypeError."""
    status = sla_status(POLICY, HISTORY, T0 + H)
    with pytest.raises(InvalidTypeError, match="tuple of TargetStatus"):
        SlaStatus("p", T0, None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        SlaStatus(POLICY, T0, status.targets)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        SlaStatus("p", datetime(2024, 3, 1), status.targets)
    with pytest.raises(InvalidTypeError, match="tuple of CycleStatus"):
        TargetStatus("fix", [1])  # type: ignore[arg-type]
    rebuilt = SlaStatus("p", T0 + H, status.targets)
    assert rebuilt.target("fix") == status.target("fix")


@pytest.mark.parametrize(
    ("country", "years", "error"),
    [
        (None, [2024], InvalidTypeError),
        ("GB", None, InvalidTypeError),
        ("GB", "2024", InvalidTypeError),
        ("GB", [2024.0], InvalidTypeError),
        ("GB", [1], InvalidCalendarError),
        ("GB", range(10**12), InvalidCalendarError),
        ("x" * 10_000, [2024], InvalidCalendarError),
    ],
)
def test_country_holidays_checks_its_arguments(
    country: object, years: object, error: type[ItilkitError]
) -> None:
    """Wrong types, unsupported years and unbounded year lists are refused at once."""
    pytest.importorskip("holidays", reason="country_holidays needs the holidays extra")
    with pytest.raises(error) as caught:
        country_holidays(country, years)  # type: ignore[arg-type]
    assert len(str(caught.value)) < 500
    assert date(2024, 12, 25) in country_holidays("GB", [2024]).dates
