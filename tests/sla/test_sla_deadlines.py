"""SLA targets written in business days and relative deadlines, worked by hand.

Calendar: Europe/London, Monday to Friday 09:00-17:00, closed on Good Friday
and Easter Monday 2026 (3 and 6 April).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from itilkit.errors import InvalidPolicyError
from itilkit.sla import (
    BusinessCalendar,
    BusinessDays,
    Deadline,
    Earliest,
    EndOfBusinessDay,
    Holidays,
    InCategory,
    Landing,
    Latest,
    NextBusinessDayAt,
    SlaPolicy,
    SlaTarget,
    StateChange,
    WeeklySchedule,
    sla_status,
    sla_statuses,
)

LONDON = ZoneInfo("Europe/London")
CALENDAR = BusinessCalendar(
    "Europe/London",
    WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}),
    Holidays(dates=[date(2026, 4, 3), date(2026, 4, 6)]),
)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A London wall time in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def policy(duration: timedelta | Deadline) -> SlaPolicy:
    """One resolution target with ``duration``, on the calendar."""
    target = SlaTarget(
        "resolve",
        duration,
        start=InCategory("new"),
        stop=InCategory("resolved"),
        pause=InCategory("paused"),
    )
    return SlaPolicy("p", [target], CALENDAR)


@pytest.mark.parametrize(
    ("deadline", "logged", "due"),
    [
        # Thursday 2 April 10:30 + 3 business days skips Good Friday and Easter Monday.
        (BusinessDays(3), at(4, 2, 10, 30), at(4, 9, 10, 30)),
        (BusinessDays(1, Landing.CLOSE), at(4, 2, 10, 30), at(4, 7, 17)),
        (EndOfBusinessDay(), at(4, 2, 10, 30), at(4, 2, 17)),
        # Logged after the close: the current business day is the next one.
        (EndOfBusinessDay(), at(4, 2, 18), at(4, 7, 17)),
        (NextBusinessDayAt(time(16)), at(3, 30, 11), at(3, 31, 16)),
        (
            Earliest((timedelta(hours=4), NextBusinessDayAt(time(16), days=0))),
            at(3, 30, 14),
            at(3, 30, 16),
        ),
        (
            Latest((timedelta(hours=4), NextBusinessDayAt(time(16), days=0))),
            at(3, 30, 14),
            at(3, 31, 10),
        ),
    ],
)
def test_deadline_targets_are_due_at_their_deadline(
    deadline: Deadline, logged: datetime, due: datetime
) -> None:
    """Without pauses a deadline target is due exactly at (or at the close before) it."""
    history = [StateChange(logged, "new", "new")]
    (cycle,) = sla_status(policy(deadline), history, logged).target("resolve").cycles
    assert cycle.due_at == due.astimezone(UTC)
    assert cycle.original_due_at == due.astimezone(UTC)


def test_a_pause_moves_a_business_day_target_by_its_business_time() -> None:
    """3 business days from Mon 30 Mar 10:00, on hold Mon 11:00-15:00: due 4 hours later."""
    history = [
        StateChange(at(3, 30, 10), "new", "new"),
        StateChange(at(3, 30, 11), "held", "paused"),
        StateChange(at(3, 30, 15), "new", "new"),
    ]
    (cycle,) = sla_status(policy(BusinessDays(3)), history, at(3, 30, 16)).target("resolve").cycles
    assert cycle.original_due_at == at(4, 2, 10).astimezone(UTC)
    assert cycle.due_at == at(4, 2, 14).astimezone(UTC)
    assert cycle.target == timedelta(hours=24)


def test_deadline_values_are_validated() -> None:
    """Bad counts, zoned times and lone parts are typed policy errors."""
    with pytest.raises(InvalidPolicyError):
        BusinessDays(-1)
    with pytest.raises(InvalidPolicyError):
        BusinessDays(True)
    with pytest.raises(InvalidPolicyError):
        NextBusinessDayAt(time(16, tzinfo=UTC))
    with pytest.raises(InvalidPolicyError):
        Earliest([BusinessDays(1)])
    with pytest.raises(InvalidPolicyError):
        BusinessDays(1, "noon")


def test_the_bulk_form_equals_one_call_per_record() -> None:
    """sla_statuses gives sla_status of each history, in order."""
    histories = [[StateChange(at(3, 30, 9 + hour), "new", "new")] for hour in range(5)]
    now = at(4, 1, 12)
    target = policy(timedelta(hours=8))
    assert sla_statuses(target, histories, now) == [
        sla_status(target, history, now) for history in histories
    ]
