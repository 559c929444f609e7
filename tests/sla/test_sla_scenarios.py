"""Realistic ticket histories replayed against London business hours.

The calendar is Europe/London, Monday to Friday 09:00-17:00, closed on the
2026 Easter holidays (Good Friday 3 April, Easter Monday 6 April). British
Summer Time starts on Sunday 29 March 2026. Every expected figure is worked
out by hand in the test's docstring or comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from itilkit.categories import StateCategory
from itilkit.outcomes import SlaOutcome
from itilkit.sla import (
    BusinessCalendar,
    ClockPhase,
    ClockReopen,
    CycleStatus,
    DurationsByField,
    Escalation,
    FieldChanged,
    FieldIs,
    FieldUpdate,
    HistoryEvent,
    Holidays,
    InCategory,
    SlaPolicy,
    SlaTarget,
    StateChange,
    WeeklySchedule,
    sla_status,
)

LONDON = ZoneInfo("Europe/London")
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
CALENDAR = BusinessCalendar(
    "Europe/London",
    WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}),
    Holidays(dates=[date(2026, 4, 3), date(2026, 4, 6)]),
)
OPEN = InCategory(["new", "active", "paused"])
DONE = InCategory(["resolved", "closed"])
RESOLUTION = SlaTarget(
    "resolution",
    DurationsByField("priority", {1: 2 * HOUR, 2: 4 * HOUR, 3: 8 * HOUR}),
    start=OPEN,
    stop=DONE,
    pause=InCategory("paused"),
    cancel=InCategory("canceled"),
)
RESPONSE = SlaTarget(
    "response",
    HOUR,
    start=OPEN,
    stop=InCategory(["active", "paused", "resolved", "closed"]),
    cancel=InCategory("canceled"),
)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A London wall-clock instant in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def utc(value: datetime) -> datetime:
    """The same instant in UTC, as a status reports it."""
    return value.astimezone(UTC)


def new(when: datetime, priority: int = 3) -> list[HistoryEvent]:
    """A ticket logged at ``when`` with ``priority``."""
    return [StateChange(when, "new", StateCategory.NEW), FieldUpdate(when, "priority", priority)]


def state(when: datetime, name: str) -> StateChange:
    """The ticket moving to one of the reference incident states."""
    category = {
        "in_progress": StateCategory.ACTIVE,
        "on_hold": StateCategory.PAUSED,
        "resolved": StateCategory.RESOLVED,
        "closed": StateCategory.CLOSED,
        "canceled": StateCategory.CANCELED,
    }[name]
    return StateChange(when, name, category)


def policy(*targets: SlaTarget, **options: object) -> SlaPolicy:
    """A policy on the London calendar."""
    return SlaPolicy("gold", targets, CALENDAR, **options)  # type: ignore[arg-type]


def resolution(history: list[HistoryEvent], now: datetime, **options: object) -> CycleStatus:
    """The current resolution cycle."""
    cycle = sla_status(policy(RESOLUTION, **options), history, now).target("resolution").current
    assert cycle is not None
    return cycle


def test_hold_over_a_weekend_moves_the_due_time_by_business_hours_only() -> None:
    """On hold Fri 16:00 to Mon 11:00 costs 3 business hours, not 67 wall hours.

    Logged Fri 15:00 with 8h: original due Mon 15:00 (2h on Friday, 6h on
    Monday). The hold covers Fri 16-17 and Mon 9-11, so the due time moves 3
    business hours to Tue 10:00 (GLPI #10594 adds the 67 wall hours instead).
    """
    history: list[HistoryEvent] = [
        *new(at(6, 15)),
        state(at(6, 16), "on_hold"),
        state(at(9, 11), "in_progress"),
    ]
    cycle = resolution(history, at(9, 12))
    assert cycle.phase is ClockPhase.RUNNING
    assert cycle.original_due_at == utc(at(9, 15))
    assert cycle.due_at == utc(at(10, 10))
    assert (cycle.business_paused, cycle.actual_paused) == (3 * HOUR, 67 * HOUR)
    assert (cycle.business_elapsed, cycle.actual_elapsed) == (2 * HOUR, 2 * HOUR)
    assert cycle.remaining == 6 * HOUR
    assert cycle.percent == 25.0
    assert not cycle.breached


def test_while_paused_the_due_time_is_where_it_would_be_if_resumed_now() -> None:
    """A clock paused at ``now`` reports the due time of resuming at ``now``."""
    history: list[HistoryEvent] = [*new(at(6, 15)), state(at(6, 16), "on_hold")]
    cycle = resolution(history, at(9, 10))
    assert cycle.paused
    assert cycle.pauses[-1].end is None
    assert cycle.business_paused == 2 * HOUR
    assert cycle.due_at == utc(at(9, 17))


def test_reopen_after_breach_with_new_cycles_keeps_the_old_breach() -> None:
    """P1 (2h) logged Mon 09:00, resolved 12:00 (breached 11:00), reopened Tue 09:00.

    Under NEW_CYCLE the first cycle stays stopped and breached; the second
    starts Tue 09:00 with the full 2 hours.
    """
    history: list[HistoryEvent] = [
        *new(at(2, 9), 1),
        state(at(2, 12), "resolved"),
        state(at(3, 9), "in_progress"),
    ]
    status = sla_status(policy(RESOLUTION, reopen=ClockReopen.NEW_CYCLE), history, at(3, 10))
    first, second = status.target("resolution").cycles
    assert (first.phase, first.ended_at, first.breached) == (
        ClockPhase.STOPPED,
        utc(at(2, 12)),
        True,
    )
    assert first.breached_at == first.due_at == utc(at(2, 11))
    assert first.remaining == -HOUR
    assert (second.index, second.started_at, second.phase) == (1, utc(at(3, 9)), ClockPhase.RUNNING)
    assert (second.business_elapsed, second.breached, second.due_at) == (
        HOUR,
        False,
        utc(at(3, 11)),
    )


def test_reopen_after_breach_resuming_the_clock_stays_breached() -> None:
    """Under RESUME the reopened ticket carries on its cycle; resolved time counts as a pause."""
    history: list[HistoryEvent] = [
        *new(at(2, 9), 1),
        state(at(2, 12), "resolved"),
        state(at(3, 9), "in_progress"),
    ]
    status = sla_status(policy(RESOLUTION), history, at(3, 10))
    (cycle,) = status.target("resolution").cycles
    assert cycle.phase is ClockPhase.RUNNING
    assert cycle.breached_at == utc(at(2, 11))
    assert cycle.business_elapsed == 4 * HOUR
    assert cycle.business_paused == 5 * HOUR  # Mon 12:00-17:00
    assert cycle.pauses[-1].start == utc(at(2, 12))
    assert cycle.remaining == -2 * HOUR


def test_reopen_before_breach_resumes_with_the_time_left() -> None:
    """Resolved in time, then reopened: the resumed clock has only the unused budget."""
    history: list[HistoryEvent] = [
        *new(at(2, 9), 2),
        state(at(2, 11), "resolved"),
        state(at(2, 14), "in_progress"),
    ]
    cycle = resolution(history, at(2, 15))
    assert cycle.business_elapsed == 3 * HOUR
    assert cycle.due_at == utc(at(2, 16))
    stopped = resolution(history, at(2, 12))
    assert (stopped.phase, stopped.due_at, stopped.breached) == (
        ClockPhase.STOPPED,
        utc(at(2, 13)),
        False,
    )


def test_priority_upgrade_after_a_pause_keeps_the_pause() -> None:
    """P3 logged Mon 09:00, on hold 10:00-14:00, raised to P1 at 15:00.

    The 2-hour P1 target is measured from the original start and keeps the 4
    hours on hold: 09-10 and 14-15 make 2 hours, so it is due at 15:00 and
    breached from 15:00 on. GLPI #15605/#6902 would measure from the opening
    without the pause and put the due time at 11:00.
    """
    history: list[HistoryEvent] = [
        *new(at(2, 9), 3),
        state(at(2, 10), "on_hold"),
        state(at(2, 14), "in_progress"),
        FieldUpdate(at(2, 15), "priority", 1),
    ]
    before = resolution(history, at(2, 14, 30))
    assert (before.target, before.due_at) == (8 * HOUR, utc(at(3, 13)))
    upgraded = resolution(history, at(2, 15))
    assert upgraded.target == 2 * HOUR
    assert upgraded.original_due_at == utc(at(2, 11))
    assert upgraded.due_at == utc(at(2, 15))
    assert upgraded.business_paused == 4 * HOUR
    assert not upgraded.breached
    later = resolution(history, at(2, 15, 30))
    assert later.breached_at == utc(at(2, 15))
    assert later.remaining == -30 * MINUTE


def test_priority_upgrade_can_breach_retroactively() -> None:
    """Raised to P1 after 3 running hours: breached at the instant P1's 2 hours ran out."""
    history: list[HistoryEvent] = [*new(at(2, 9), 3), FieldUpdate(at(2, 12), "priority", 1)]
    cycle = resolution(history, at(2, 12))
    assert cycle.breached_at == utc(at(2, 11))
    assert cycle.thresholds == ()


def test_a_stopped_cycle_keeps_the_priority_it_ended_with() -> None:
    """A priority change after resolution does not re-target the finished cycle."""
    history: list[HistoryEvent] = [
        *new(at(2, 9), 3),
        state(at(2, 12), "resolved"),
        FieldUpdate(at(2, 13), "priority", 1),
    ]
    cycle = resolution(history, at(2, 14))
    assert (cycle.target, cycle.breached) == (8 * HOUR, False)


def test_a_pause_starting_outside_business_hours() -> None:
    """On hold Mon 18:00 to Tue 10:00 only moves the due time by Tue 09-10."""
    history: list[HistoryEvent] = [
        *new(at(2, 10)),
        state(at(2, 18), "on_hold"),
        state(at(3, 10), "in_progress"),
    ]
    cycle = resolution(history, at(3, 10))
    assert cycle.original_due_at == utc(at(3, 10))
    assert cycle.due_at == utc(at(3, 11))
    assert cycle.business_paused == HOUR
    assert cycle.actual_paused == 16 * HOUR


def test_a_pause_entirely_outside_business_hours_changes_nothing() -> None:
    """On hold Mon 18:00-20:00 costs no business time: the due time stays put."""
    history: list[HistoryEvent] = [
        *new(at(2, 10)),
        state(at(2, 18), "on_hold"),
        state(at(2, 20), "in_progress"),
    ]
    cycle = resolution(history, at(3, 9))
    assert cycle.due_at == cycle.original_due_at == utc(at(3, 10))
    assert (cycle.business_paused, cycle.actual_paused) == (timedelta(0), 2 * HOUR)


def test_a_ticket_opened_on_a_holiday() -> None:
    """Logged on Good Friday: the clock starts then but counts from Tue 7 April 09:00."""
    history = new(at(3, 10, month=4))
    cycle = resolution(history, at(6, 12, month=4))
    assert cycle.started_at == utc(at(3, 10, month=4))
    assert (cycle.business_elapsed, cycle.actual_elapsed) == (timedelta(0), 74 * HOUR)
    assert cycle.percent == 0.0
    assert cycle.due_at == utc(at(7, 17, month=4))


def test_a_dst_change_in_the_middle_of_a_pause() -> None:
    """On hold Fri 27 March 16:00 GMT to Mon 30 March 10:00 BST: 65 real hours.

    The clocks go forward on Sunday, so the hold lasts 65 hours, not the 66
    its wall clocks suggest; on the calendar it costs Fri 16-17 and Mon 9-10.
    Logged Fri 15:00 with 8h: 1h before the hold, 7h from Mon 10:00 → 17:00.
    """
    history: list[HistoryEvent] = [
        *new(at(27, 15)),
        state(at(27, 16), "on_hold"),
        state(at(30, 10), "in_progress"),
    ]
    cycle = resolution(history, at(30, 11))
    assert (cycle.business_paused, cycle.actual_paused) == (2 * HOUR, 65 * HOUR)
    assert cycle.original_due_at == utc(at(30, 15))
    assert cycle.due_at == utc(at(30, 17))
    assert cycle.due_at.astimezone(LONDON).hour == 17


def test_a_dst_change_in_a_pause_on_a_24x7_calendar() -> None:
    """Around the clock in London, the same hold is 65 hours of business time too."""
    always = SlaPolicy("24x7", [RESOLUTION], BusinessCalendar.always_open("Europe/London"))
    history: list[HistoryEvent] = [
        *new(at(27, 15)),
        state(at(27, 16), "on_hold"),
        state(at(30, 10), "in_progress"),
    ]
    cycle = sla_status(always, history, at(30, 11)).target("resolution").current
    assert cycle is not None
    assert cycle.business_paused == cycle.actual_paused == 65 * HOUR
    assert cycle.due_at == utc(at(27, 15)) + 8 * HOUR + 65 * HOUR


def test_response_breach_across_the_night() -> None:
    """Logged Mon 16:30 with a 1h response target, picked up Tue 09:45: breached at 09:30."""
    history: list[HistoryEvent] = [*new(at(2, 16, 30)), state(at(3, 9, 45), "in_progress")]
    status = sla_status(policy(RESPONSE, RESOLUTION), history, at(3, 12))
    response = status.target("response").current
    assert response is not None
    assert (response.phase, response.ended_at) == (ClockPhase.STOPPED, utc(at(3, 9, 45)))
    assert response.breached_at == utc(at(3, 9, 30))
    assert response.business_elapsed == 75 * MINUTE
    assert response.actual_elapsed == 17 * HOUR + 15 * MINUTE
    resolution_clock = status.target("resolution").current
    assert resolution_clock is not None
    assert resolution_clock.running


def test_thresholds_and_escalations_across_a_lunch_break() -> None:
    """With a 12:00-13:00 break, levels fall where the business budget says.

    Logged Mon 10:00 with 8h: Mon 10-12 and 13-17 give 6h, Tue 9-11 the
    rest, so it is due Tue 11:00. Half (4h) is reached Mon 15:00; one hour
    before due is Tue 10:00 (not a wall-clock hour before, GLPI #22678); three
    hours before is Mon 16:00; two hours after due is Tue 14:00, past lunch.
    """
    lunch = BusinessCalendar(
        "Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"})
    )
    gold = SlaPolicy(
        "gold",
        [RESOLUTION],
        lunch,
        thresholds=[50, 75, 100],
        escalations=[
            Escalation("late", 2 * HOUR),
            Escalation("warn", -HOUR),
            Escalation("early", -3 * HOUR),
        ],
    )
    history = new(at(2, 10))
    cycle = sla_status(gold, history, at(3, 10, 30)).target("resolution").current
    assert cycle is not None
    assert cycle.due_at == utc(at(3, 11))
    assert [(t.percent, t.crossed, t.at) for t in cycle.thresholds] == [
        (50, True, utc(at(2, 15))),
        (75, True, utc(at(2, 17))),
        (100, False, utc(at(3, 11))),
    ]
    assert [(e.name, e.due, e.at) for e in cycle.escalations] == [
        ("late", False, utc(at(3, 14))),
        ("warn", True, utc(at(3, 10))),
        ("early", True, utc(at(2, 16))),
    ]


def test_escalation_before_the_start_fires_at_the_start() -> None:
    """An offset larger than the target places the level at the cycle's start."""
    gold = policy(RESPONSE, escalations=[Escalation("immediate", -2 * HOUR)])
    cycle = sla_status(gold, new(at(2, 10)), at(2, 10)).target("response").current
    assert cycle is not None
    assert (cycle.escalations[0].due, cycle.escalations[0].at) == (True, utc(at(2, 10)))


def test_levels_never_reached_by_a_stopped_cycle_have_no_instant() -> None:
    """Once a cycle stops, thresholds it did not cross stay uncrossed with no instant."""
    history: list[HistoryEvent] = [*new(at(2, 9), 1), state(at(2, 9, 30), "resolved")]
    cycle = resolution(history, at(2, 12), thresholds=[10, 50])
    assert [(t.crossed, t.at) for t in cycle.thresholds] == [
        (True, utc(at(2, 9, 12))),
        (False, None),
    ]


def test_cancel_ends_the_cycle_and_a_later_start_opens_a_new_one() -> None:
    """Canceled stops the clock for good; if the ticket comes back, a new cycle starts."""
    history: list[HistoryEvent] = [
        *new(at(2, 9)),
        state(at(2, 10), "canceled"),
        StateChange(at(2, 11), "new", StateCategory.NEW),
    ]
    cycles = sla_status(policy(RESOLUTION), history, at(2, 12)).target("resolution").cycles
    assert [(c.phase, c.business_elapsed) for c in cycles] == [
        (ClockPhase.CANCELED, HOUR),
        (ClockPhase.RUNNING, HOUR),
    ]


def test_a_clock_that_starts_paused() -> None:
    """A ticket logged straight into on hold starts its clock paused."""
    history: list[HistoryEvent] = [
        StateChange(at(2, 9), "on_hold", StateCategory.PAUSED),
        FieldUpdate(at(2, 9), "priority", 2),
    ]
    cycle = resolution(history, at(2, 11))
    assert cycle.paused
    assert (cycle.business_elapsed, cycle.business_paused) == (timedelta(0), 2 * HOUR)
    assert cycle.due_at == utc(at(2, 15))


def test_stop_overrides_start() -> None:
    """A ticket recorded directly as resolved never starts the resolution clock."""
    history: list[HistoryEvent] = [
        state(at(2, 9), "resolved"),
        FieldUpdate(at(2, 9), "priority", 1),
    ]
    target = sla_status(policy(RESOLUTION), history, at(2, 12)).target("resolution")
    assert not target.started
    assert target.current is None


def test_reset_on_reassignment_starts_a_new_cycle() -> None:
    """A reset condition on a field change closes the cycle and starts another at once."""
    per_group = SlaTarget("per_group", 4 * HOUR, start=OPEN, stop=DONE, reset=FieldChanged("group"))
    history: list[HistoryEvent] = [
        *new(at(2, 9)),
        FieldUpdate(at(2, 9), "group", "desk"),
        FieldUpdate(at(2, 11), "group", "network"),
    ]
    cycles = sla_status(policy(per_group), history, at(2, 12)).target("per_group").cycles
    assert [(c.phase, c.started_at, c.business_elapsed) for c in cycles] == [
        (ClockPhase.STOPPED, utc(at(2, 9)), 2 * HOUR),
        (ClockPhase.RUNNING, utc(at(2, 11)), HOUR),
    ]


NETWORK = FieldIs("assignment_group", "network")
NETWORK_OLA = SlaTarget(
    "network_ola",
    4 * HOUR,
    start=NETWORK & OPEN,
    stop=~NETWORK | DONE,
    pause=InCategory("paused"),
    cancel=InCategory("canceled"),
)
OLA_HISTORY: list[HistoryEvent] = [
    *new(at(2, 9)),
    FieldUpdate(at(2, 9), "assignment_group", "desk"),
    FieldUpdate(at(2, 10), "assignment_group", "network"),
    state(at(2, 11), "on_hold"),
    state(at(2, 12), "in_progress"),
    FieldUpdate(at(2, 13), "assignment_group", "desk"),
    FieldUpdate(at(2, 14), "assignment_group", "network"),
]


def test_ola_runs_only_while_the_network_group_holds_the_ticket() -> None:
    """Under NEW_CYCLE each spell with the network team is its own OLA cycle."""
    gold = policy(RESOLUTION, NETWORK_OLA, reopen=ClockReopen.NEW_CYCLE)
    status = sla_status(gold, OLA_HISTORY, at(2, 17))
    first, second = status.target("network_ola").cycles
    assert (first.started_at, first.ended_at, first.phase) == (
        utc(at(2, 10)),
        utc(at(2, 13)),
        ClockPhase.STOPPED,
    )
    assert (first.business_elapsed, first.business_paused) == (2 * HOUR, HOUR)
    assert (second.started_at, second.business_elapsed, second.breached) == (
        utc(at(2, 14)),
        3 * HOUR,
        False,
    )
    ticket = status.target("resolution").current
    assert ticket is not None
    assert ticket.business_elapsed == 7 * HOUR


def test_ola_resuming_counts_time_with_other_groups_as_a_pause() -> None:
    """Under RESUME the OLA is one cycle: 2h + 3h of network time breach its 4 hours."""
    status = sla_status(policy(NETWORK_OLA), OLA_HISTORY, at(2, 17))
    (cycle,) = status.target("network_ola").cycles
    assert cycle.business_elapsed == 5 * HOUR
    assert cycle.business_paused == 2 * HOUR  # on hold 11-12, with the desk 13-14
    assert cycle.breached_at == utc(at(2, 16))


def test_events_after_now_are_ignored() -> None:
    """The status at an earlier ``now`` is the status as it was then."""
    history: list[HistoryEvent] = [*new(at(2, 9)), state(at(2, 12), "resolved")]
    early = resolution(history, at(2, 11))
    assert (early.phase, early.business_elapsed) == (ClockPhase.RUNNING, 2 * HOUR)


def test_status_instants_are_utc() -> None:
    """Every instant of a status is reported in UTC, whatever the inputs' zones."""
    status = sla_status(policy(RESOLUTION), new(at(30, 10)), at(30, 11))
    cycle = status.target("resolution").current
    assert cycle is not None
    assert status.at.tzinfo is UTC
    assert {cycle.started_at.tzinfo, cycle.due_at.tzinfo, cycle.original_due_at.tzinfo} == {UTC}


def test_unknown_targets_and_missing_durations_are_typed_errors() -> None:
    """Asking for an unknown target or lacking a priority raises a typed SLA error."""
    from itilkit.errors import MissingDurationError, NaiveDatetimeError, UnknownTargetError

    status = sla_status(policy(RESOLUTION), new(at(2, 9)), at(2, 10))
    with pytest.raises(UnknownTargetError, match="no target 'response'"):
        status.target("response")
    unprioritised = [StateChange(at(2, 9), "new", StateCategory.NEW)]
    with pytest.raises(MissingDurationError, match="target 'resolution'"):
        sla_status(policy(RESOLUTION), unprioritised, at(2, 10))
    with pytest.raises(NaiveDatetimeError, match="now must be an aware datetime"):
        sla_status(policy(RESOLUTION), new(at(2, 9)), datetime(2026, 3, 2, 10))


def test_now_before_the_history_has_no_cycles() -> None:
    """Asked about an instant before the ticket existed, no clock has started."""
    status = sla_status(policy(RESOLUTION), new(at(2, 9)), at(2, 8))
    assert not status.target("resolution").started


def test_a_calendar_that_never_opens_raises_instead_of_looping() -> None:
    """With no business time ever, the due time cannot exist: a typed error, at once."""
    from itilkit.errors import NoBusinessTimeError

    never = SlaPolicy("never", [RESOLUTION], BusinessCalendar("UTC", WeeklySchedule()))
    with pytest.raises(NoBusinessTimeError):
        sla_status(never, new(at(2, 9)), at(2, 10))


class _RealTime:
    """A minimal calendar of its own: every instant is business time."""

    def add(self, start: datetime, duration: timedelta) -> datetime:
        return start + duration

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        return end.astimezone(UTC) - start.astimezone(UTC)

    def is_open(self, at: datetime) -> bool:
        return True

    def next_open(self, at: datetime) -> datetime:
        return at


def test_any_object_with_the_calendar_methods_serves_as_calendar() -> None:
    """The engine needs only add, elapsed, is_open and next_open (the SlaCalendar protocol)."""
    custom = SlaPolicy("custom", [RESOLUTION], _RealTime())
    history: list[HistoryEvent] = [*new(at(6, 15)), state(at(6, 16), "on_hold")]
    cycle = sla_status(custom, history, at(9, 9)).target("resolution").current
    assert cycle is not None
    assert cycle.business_paused == cycle.actual_paused == 65 * HOUR
    assert cycle.due_at == utc(at(9, 9)) + 7 * HOUR


def test_each_cycle_reports_its_outcome() -> None:
    """Met, breached (also while running), canceled and in progress, from the phase and
    the breach: a 2-hour target logged Monday 09:00."""
    quick = SlaTarget("quick", 2 * HOUR, start=OPEN, stop=DONE, cancel=InCategory("canceled"))
    policy = SlaPolicy("outcomes", [quick], CALENDAR)
    logged = StateChange(datetime(2026, 3, 2, 9, tzinfo=LONDON), "new", "new")

    def outcome(*later: tuple[int, str, str], now_hour: int = 17) -> SlaOutcome:
        history: list[HistoryEvent] = [logged]
        history.extend(
            StateChange(datetime(2026, 3, 2, hour, tzinfo=LONDON), state, category)
            for hour, state, category in later
        )
        cycle = sla_status(policy, history, datetime(2026, 3, 2, now_hour, tzinfo=LONDON))
        current = cycle.target("quick").current
        assert current is not None
        return current.outcome

    assert outcome((10, "resolved", "resolved")) is SlaOutcome.MET
    assert outcome((12, "resolved", "resolved")) is SlaOutcome.BREACHED
    assert outcome((10, "canceled", "canceled")) is SlaOutcome.CANCELED
    assert outcome(now_hour=10) is SlaOutcome.IN_PROGRESS
    assert outcome(now_hour=12) is SlaOutcome.BREACHED
