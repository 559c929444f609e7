"""Property tests of the SLA engine on random histories and random calendars.

Calendars come from the calendar tests' strategy (DST zones, breaks, overnight
shifts, holidays, overrides); histories are random walks through the reference
incident states with priority and assignment-group changes, often several at
one instant. The oracle is deliberately naive: it cuts the history at every
event, decides from the state in force whether the clock runs, and sums
``calendar.elapsed`` over the running stretches.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from itilkit.categories import StateCategory
from itilkit.errors import NoBusinessTimeError
from itilkit.sla import (
    BusinessCalendar,
    ClockPhase,
    ClockReopen,
    CycleStatus,
    DurationsByField,
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
from tests.sla.calendars import FIRST, offset_changes, scenarios

HOUR = timedelta(hours=1)
ZERO = timedelta(0)
STATES = (
    ("new", StateCategory.NEW),
    ("in_progress", StateCategory.ACTIVE),
    ("on_hold", StateCategory.PAUSED),
    ("resolved", StateCategory.RESOLVED),
    ("closed", StateCategory.CLOSED),
    ("canceled", StateCategory.CANCELED),
)
OPEN = InCategory(["new", "active", "paused"])
DONE = InCategory(["resolved", "closed"])
NETWORK = FieldIs("group", "network")


def _targets(duration: timedelta | DurationsByField) -> tuple[SlaTarget, SlaTarget]:
    resolution = SlaTarget(
        "resolution",
        duration,
        start=OPEN,
        stop=DONE,
        pause=InCategory("paused"),
        cancel=InCategory("canceled"),
    )
    ola = SlaTarget(
        "ola",
        duration,
        start=NETWORK & OPEN,
        stop=~NETWORK | DONE,
        pause=InCategory("paused"),
        cancel=InCategory("canceled"),
    )
    return resolution, ola


#: When each target's clock runs, judged directly from the record's state.
RUNS: dict[str, Callable[[StateCategory | None, dict[str, object]], bool]] = {
    "resolution": lambda category, fields: category in (StateCategory.NEW, StateCategory.ACTIVE),
    "ola": lambda category, fields: (
        fields.get("group") == "network" and category in (StateCategory.NEW, StateCategory.ACTIVE)
    ),
}
BY_PRIORITY = DurationsByField("priority", {1: 2 * HOUR, 2: 8 * HOUR, 3: 40 * HOUR})


#: Dense, realistic calendars, so that pauses often cover business time.
REALISTIC = (
    BusinessCalendar(
        "Europe/London",
        WeeklySchedule.from_days({"mon-fri": "09:00-12:00, 13:00-17:00"}),
        Holidays(rules=["FREQ=YEARLY;BYEASTER=-2", "FREQ=YEARLY;BYEASTER=1"]),
    ),
    BusinessCalendar.always_open("Australia/Lord_Howe"),
    BusinessCalendar("America/Sao_Paulo", WeeklySchedule.from_days({"mon-sat": "22:00-06:00+1"})),
)


@st.composite
def realistic(draw: st.DrawFn) -> tuple[BusinessCalendar, datetime]:
    """A realistic calendar and a whole-minute start up to three days before a DST change."""
    calendar = draw(st.sampled_from(REALISTIC))
    anchor = draw(st.sampled_from(offset_changes(calendar.zone) or (FIRST,)))
    return calendar, anchor - timedelta(minutes=draw(st.integers(0, 3 * 1440)))


gaps = st.one_of(st.just(0), st.integers(1, 240), st.integers(1, 4 * 1440))


@st.composite
def histories(draw: st.DrawFn, start: datetime) -> list[HistoryEvent]:
    """A ticket logged at ``start`` then changed at random, minutes to days apart.

    Besides single moves, a "hold" puts the ticket on hold and back in progress.
    """
    at = start
    events: list[HistoryEvent] = [
        StateChange(at, "new", StateCategory.NEW),
        FieldUpdate(at, "priority", draw(st.integers(1, 3))),
        FieldUpdate(at, "group", draw(st.sampled_from(["desk", "network"]))),
    ]
    for _ in range(draw(st.integers(1, 14))):
        at += timedelta(minutes=draw(gaps))
        kind = draw(st.sampled_from(["hold", "state", "state", "priority", "group"]))
        if kind == "hold":
            events.append(StateChange(at, "on_hold", StateCategory.PAUSED))
            at += timedelta(minutes=draw(gaps))
            events.append(StateChange(at, "in_progress", StateCategory.ACTIVE))
        elif kind == "state":
            name, category = draw(st.sampled_from(STATES))
            events.append(StateChange(at, name, category))
        elif kind == "priority":
            events.append(FieldUpdate(at, "priority", draw(st.integers(1, 3))))
        else:
            events.append(FieldUpdate(at, "group", draw(st.sampled_from(["desk", "network"]))))
    return events


@st.composite
def cases(draw: st.DrawFn, fixed: bool = False) -> tuple[SlaPolicy, list[HistoryEvent], datetime]:
    """A policy on a random calendar, a random history and a ``now`` within or after it."""
    calendar, start = draw(st.one_of(scenarios(nonempty=True), realistic()))
    history = draw(histories(start))
    minutes = draw(st.one_of(st.integers(1, 600), st.integers(600, 30_000)))
    fixed_duration = timedelta(minutes=minutes)
    duration = fixed_duration if fixed else BY_PRIORITY
    reopen = draw(st.sampled_from(ClockReopen))
    policy = SlaPolicy("p", _targets(duration), calendar, thresholds=[50, 75, 100], reopen=reopen)
    last = history[-1].at
    # Pauses move the due time by at most the business time up to the last event, so the
    # latest due time is the whole budget after it: it must fall within the supported
    # years (a calendar open a minute a week spends centuries on a week's budget).
    longest = fixed_duration if fixed else 40 * HOUR
    try:
        calendar.add(last + timedelta(days=3), longest)
    except NoBusinessTimeError:
        reject()
    within = int((last - start) / timedelta(minutes=1))
    after = timedelta(minutes=draw(st.integers(0, 3 * 1440)))
    now = draw(st.sampled_from([last + after, start + within * after / (3 * 1440)]))
    return policy, history, now


def oracle(
    calendar: BusinessCalendar, history: list[HistoryEvent], now: datetime, target: str
) -> tuple[timedelta, timedelta]:
    """Business and wall time the target's clock ran up to ``now``, summed stretch by stretch."""
    category: StateCategory | None = None
    fields: dict[str, object] = {}
    business = wall = ZERO
    for index, event in enumerate(history):
        if event.at > now:
            break
        if isinstance(event, StateChange):
            category = event.category
        else:
            fields[event.field] = event.value
        following = history[index + 1].at if index + 1 < len(history) else now
        until = min(following, now)
        if until > event.at and RUNS[target](category, fields):
            business += calendar.elapsed(event.at, until)
            wall += until - event.at
    return business, wall


def _check_cycle(cycle: CycleStatus, now: datetime) -> None:
    """Invariants every measured cycle satisfies."""
    assert ZERO <= cycle.business_elapsed <= cycle.actual_elapsed
    assert ZERO <= cycle.business_paused <= cycle.actual_paused
    assert cycle.remaining + cycle.business_elapsed == cycle.target
    assert cycle.breached == (cycle.business_elapsed > cycle.target) == (cycle.remaining < ZERO)
    assert cycle.breached == (cycle.breached_at is not None)
    assert abs(cycle.percent - 100 * (cycle.business_elapsed / cycle.target)) < 1e-9
    assert cycle.due_at >= cycle.original_due_at
    assert cycle.started_at <= now
    if cycle.breached_at is not None:
        assert cycle.due_at <= cycle.breached_at <= now
    crossed = [t.crossed for t in cycle.thresholds]
    assert crossed == sorted(crossed, reverse=True)
    for threshold in cycle.thresholds:
        assert threshold.crossed == (
            cycle.business_elapsed * 100 >= cycle.target * threshold.percent
        )
        if threshold.crossed:
            assert threshold.at is not None
            assert cycle.started_at <= threshold.at <= now
    end = cycle.ended_at if cycle.ended_at is not None else now
    wall = end - cycle.started_at
    assert cycle.actual_elapsed + cycle.actual_paused == wall


@settings(max_examples=150)
@given(cases())
def test_engine_agrees_with_the_naive_oracle(
    case: tuple[SlaPolicy, list[HistoryEvent], datetime],
) -> None:
    """Summed over cycles, business and wall time match the stretch-by-stretch oracle."""
    policy, history, now = case
    status = sla_status(policy, history, now)
    assert isinstance(policy.calendar, BusinessCalendar)
    for target in status.targets:
        business = sum((c.business_elapsed for c in target.cycles), ZERO)
        wall = sum((c.actual_elapsed for c in target.cycles), ZERO)
        assert (business, wall) == oracle(policy.calendar, history, now, target.name)
        for cycle in target.cycles:
            _check_cycle(cycle, now)
        assert all(c.ended_at is not None for c in target.cycles[:-1])


@settings(max_examples=100)
@given(cases(), st.integers(0, 5 * 1440))
def test_status_is_monotone_in_now(
    case: tuple[SlaPolicy, list[HistoryEvent], datetime], minutes: int
) -> None:
    """Later, no cycle disappears, restarts or loses elapsed time."""
    policy, history, now = case
    later = now + timedelta(minutes=minutes)
    before, after = sla_status(policy, history, now), sla_status(policy, history, later)
    for old, new in zip(before.targets, after.targets, strict=True):
        assert len(new.cycles) >= len(old.cycles)
        for a, b in zip(old.cycles, new.cycles, strict=False):
            assert a.started_at == b.started_at
            assert b.business_elapsed >= a.business_elapsed
            assert b.actual_elapsed >= a.actual_elapsed
            assert b.business_paused >= a.business_paused


@settings(max_examples=100)
@given(cases(fixed=True), st.integers(0, 5 * 1440))
def test_with_a_fixed_target_the_due_time_never_moves_earlier(
    case: tuple[SlaPolicy, list[HistoryEvent], datetime], minutes: int
) -> None:
    """Pauses only push the due time later, and a breach, once reported, stays."""
    policy, history, now = case
    later = now + timedelta(minutes=minutes)
    before, after = sla_status(policy, history, now), sla_status(policy, history, later)
    for old, new in zip(before.targets, after.targets, strict=True):
        for a, b in zip(old.cycles, new.cycles, strict=False):
            assert b.due_at >= a.due_at
            if a.breached:
                assert b.breached_at == a.breached_at


@settings(max_examples=100)
@given(cases(fixed=True))
def test_removing_the_pauses_never_makes_the_due_time_later(
    case: tuple[SlaPolicy, list[HistoryEvent], datetime],
) -> None:
    """The same history with "on hold" replaced by "in progress" is due no later."""
    policy, history, now = case
    unpaused = [
        StateChange(e.at, "in_progress", StateCategory.ACTIVE)
        if isinstance(e, StateChange) and e.category is StateCategory.PAUSED
        else e
        for e in history
    ]
    paused_status = sla_status(policy, history, now)
    plain_status = sla_status(policy, unpaused, now)
    for with_pauses, without in zip(paused_status.targets, plain_status.targets, strict=True):
        first, plain = with_pauses.current, without.current
        if first is None or plain is None or with_pauses.cycles[0].started_at != plain.started_at:
            continue
        if len(with_pauses.cycles) == len(without.cycles) == 1:
            assert first.due_at >= plain.due_at
            assert first.business_elapsed <= plain.business_elapsed


@settings(max_examples=100)
@given(cases(fixed=True))
def test_due_and_breach_instants_replay_exactly(
    case: tuple[SlaPolicy, list[HistoryEvent], datetime],
) -> None:
    """At ``breached_at`` the budget is exactly used up; a microsecond later it is exceeded.

    For a running, unbreached clock with no events to come, the status at its
    due time has used exactly the target and is not breached.
    """
    policy, history, now = case
    now = max(now, history[-1].at)
    status = sla_status(policy, history, now)
    for target in status.targets:
        for cycle in target.cycles:
            if cycle.breached_at is None:
                continue
            at_breach = sla_status(policy, history, cycle.breached_at).target(target.name)
            replayed = at_breach.cycles[cycle.index]
            assert (replayed.business_elapsed, replayed.breached) == (cycle.target, False)
            tick = cycle.breached_at + timedelta(microseconds=1)
            just_after = sla_status(policy, history, tick).target(target.name)
            assert just_after.cycles[cycle.index].breached
        current = target.current
        if current is not None and current.phase is ClockPhase.RUNNING and not current.breached:
            at_due = sla_status(policy, history, current.due_at).target(target.name)
            replayed = at_due.cycles[current.index]
            assert (replayed.business_elapsed, replayed.breached) == (current.target, False)
            assert replayed.due_at == current.due_at


def test_the_oracle_sees_a_plain_pause() -> None:
    """The oracle itself: one hour running, one paused, one running on a 24x7 calendar."""
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    history: list[HistoryEvent] = [
        StateChange(start, "new", StateCategory.NEW),
        StateChange(start + HOUR, "on_hold", StateCategory.PAUSED),
        StateChange(start + 2 * HOUR, "in_progress", StateCategory.ACTIVE),
    ]
    always = BusinessCalendar.always_open()
    assert oracle(always, history, start + 3 * HOUR, "resolution") == (2 * HOUR, 2 * HOUR)
    assert oracle(always, history, start + 3 * HOUR, "ola") == (ZERO, ZERO)
