"""The engine's fast clock gives exactly the status of the slow, obvious one.

Random policies (conditions built from every built-in kind, combined, plus a
condition of the host's own; optional pause, resume, cancel and reset; fixed,
per-priority and deadline durations; thresholds, escalations, both reopen
rules) on random calendars, over random histories: ``sla_status`` must equal
:func:`tests.sla.reference_clock.reference_status` field for field, on a
:class:`BusinessCalendar` (its tables) and on a calendar of the host's own
(its public methods), and ``sla_statuses`` must equal one call per history.
"""

from __future__ import annotations

import gc
import random
import weakref
from datetime import UTC, datetime, time, timedelta

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.categories import StateCategory
from itilkit.errors import MissingDurationError, NoBusinessTimeError
from itilkit.sla import (
    AllOf,
    AnyOf,
    BusinessCalendar,
    BusinessDays,
    ClockReopen,
    Condition,
    DurationsByField,
    Earliest,
    EndOfBusinessDay,
    Escalation,
    FieldChanged,
    FieldIs,
    FieldUpdate,
    HistoryEvent,
    InCategory,
    InState,
    Latest,
    NextBusinessDayAt,
    Not,
    SlaPolicy,
    SlaStatus,
    SlaTarget,
    Snapshot,
    StateChange,
    WeeklySchedule,
    sla_status,
    sla_statuses,
)
from itilkit.sla._compile import _COMPILED
from tests.sla.calendars import scenarios
from tests.sla.examples import examples
from tests.sla.reference_clock import reference_status
from tests.sla.test_sla_properties import STATES, histories
from tests.threads import in_threads

MINUTE = timedelta(minutes=1)


class PriorityAtMost:
    """A condition of the host's own (not a built-in value): priority <= ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def matches(self, snapshot: Snapshot) -> bool:
        priority = snapshot.fields.get("priority")
        return isinstance(priority, int) and priority <= self.limit


class ChangedNow:
    """A condition of the host's own reading what changed at the instant."""

    def matches(self, snapshot: Snapshot) -> bool:
        return bool(snapshot.changed)


class HostCalendar:
    """A calendar of the host's own: the four public methods of a BusinessCalendar."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self._calendar = calendar

    def add(self, start: datetime, duration: timedelta) -> datetime:
        return self._calendar.add(start, duration)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        return self._calendar.elapsed(start, end)

    def is_open(self, at: datetime) -> bool:
        return self._calendar.is_open(at)

    def next_open(self, at: datetime) -> datetime:
        return self._calendar.next_open(at)


categories = st.lists(st.sampled_from(StateCategory), min_size=1, max_size=3, unique=True)
builtin_leaves: st.SearchStrategy[Condition] = st.one_of(
    categories.map(InCategory),
    st.lists(st.sampled_from([name for name, _ in STATES]), min_size=1, max_size=3).map(InState),
    st.sampled_from(["network", "desk"]).map(lambda group: FieldIs("group", group)),
    st.lists(st.integers(1, 3), min_size=1, max_size=2).map(lambda ps: FieldIs("priority", ps)),
    st.sampled_from(["group", "priority", "state"]).map(FieldChanged),
)
host_leaves: st.SearchStrategy[Condition] = st.one_of(
    st.integers(1, 3).map(PriorityAtMost), st.just(ChangedNow())
)


def conditions(leaves: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
    """Conditions made of ``leaves``, combined with AllOf, AnyOf and Not."""
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(AllOf),
            st.lists(inner, min_size=1, max_size=3).map(AnyOf),
            inner.map(Not),
        ),
        max_leaves=4,
    )


#: Conditions of the usual shape, so that clocks do run, pause and stop often.
usual_start = st.sampled_from([InCategory(["new", "active", "paused"]), InCategory("new")])
usual_stop: st.SearchStrategy[Condition] = st.sampled_from(
    [InCategory(["resolved", "closed"]), Not(InCategory("new"))]
)
fixed = st.integers(1, 30_000).map(lambda minutes: minutes * MINUTE)
by_priority = st.builds(
    DurationsByField,
    st.just("priority"),
    st.dictionaries(st.integers(1, 3), fixed, min_size=1),
    st.one_of(st.none(), fixed),
)
deadlines = st.one_of(
    st.integers(0, 4).map(BusinessDays),
    st.integers(0, 2).map(EndOfBusinessDay),
    st.builds(NextBusinessDayAt, st.integers(0, 23).map(lambda h: time(h)), st.integers(0, 2)),
    st.tuples(fixed, st.integers(1, 3).map(BusinessDays)).map(Earliest),
    st.tuples(fixed, st.integers(0, 1).map(EndOfBusinessDay)).map(Latest),
)


@st.composite
def targets(
    draw: st.DrawFn, name: str, with_deadlines: bool, leaves: st.SearchStrategy[Condition]
) -> SlaTarget:
    """A target; its conditions are often the usual ones, else random over ``leaves``."""
    durations = st.one_of(fixed, by_priority, deadlines) if with_deadlines else fixed | by_priority
    random = conditions(leaves)
    optional = st.one_of(st.none(), random)
    pause = draw(st.one_of(st.none(), st.just(InCategory("paused")), random))
    return SlaTarget(
        name,
        draw(durations),
        start=draw(st.one_of(usual_start, random)),
        stop=draw(st.one_of(usual_stop, random)),
        pause=pause,
        resume=None if pause is None else draw(optional),
        cancel=draw(st.one_of(st.none(), st.just(InCategory("canceled")), random)),
        reset=draw(optional),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[SlaPolicy, list[HistoryEvent], datetime]:
    """A random policy on a random calendar, a random history and a ``now``."""
    calendar, start = draw(scenarios(nonempty=True))
    host = draw(st.booleans())
    count = draw(st.integers(1, 3))
    # Built-in conditions only (signals memoised) or with the host's own (asked each time).
    leaves = builtin_leaves | host_leaves if draw(st.booleans()) else builtin_leaves
    policy = SlaPolicy(
        "random",
        [draw(targets(f"t{number}", not host, leaves)) for number in range(count)],
        HostCalendar(calendar) if host else calendar,
        thresholds=draw(
            st.lists(st.sampled_from([10, 50, 66.6, 75, 100, 150, 12.5]), max_size=3, unique=True)
        ),
        escalations=[
            Escalation(f"e{number}", offset * MINUTE)
            for number, offset in enumerate(
                draw(st.lists(st.integers(-600, 600), max_size=2)),
            )
        ],
        reopen=draw(st.sampled_from(ClockReopen)),
    )
    history = draw(histories(start))
    last = history[-1].at
    now = draw(
        st.sampled_from(
            [last, last + draw(st.integers(0, 3 * 1440)) * MINUTE, start + (last - start) / 2]
        )
    )
    return policy, history, now


@settings(max_examples=examples(ci=300, dev=40))
@given(cases())
def test_the_fast_clock_equals_the_obvious_one(
    case: tuple[SlaPolicy, list[HistoryEvent], datetime],
) -> None:
    """Every field of every cycle of every target, on both kinds of calendar."""
    policy, history, now = case
    try:
        expected = reference_status(policy, history, now)
    except (MissingDurationError, NoBusinessTimeError) as error:
        # No duration for the fields, or a due time past the supported years (a
        # calendar open minutes a week): the engine says the same.
        with pytest.raises(type(error)):
            sla_status(policy, history, now)
        return
    assert sla_status(policy, history, now) == expected
    assert sla_status(policy, history, now) == expected  # again, from the memoised policy


@settings(max_examples=examples(ci=100, dev=15))
@given(cases(), st.lists(st.integers(1, 20), min_size=1, max_size=4))
def test_the_bulk_form_equals_one_call_per_history(
    case: tuple[SlaPolicy, list[HistoryEvent], datetime], cuts: list[int]
) -> None:
    """sla_statuses over several histories (some empty by ``now``) equals sla_status of each."""
    policy, history, now = case
    several = [history[:cut] for cut in cuts] + [[]]
    try:
        expected = [sla_status(policy, one, now) for one in several]
    except (MissingDurationError, NoBusinessTimeError):
        return  # the single form raises (checked against the reference above)
    assert sla_statuses(policy, several, now) == expected


def test_a_compiled_policy_does_not_outlive_its_policy() -> None:
    """The engine keeps a policy's compiled form while the policy lives, and no longer."""
    calendar = BusinessCalendar.always_open()
    target = SlaTarget("t", MINUTE, start=InCategory("new"), stop=Not(InCategory("new")))
    policy = SlaPolicy("short-lived", [target], calendar)
    history: list[HistoryEvent] = [StateChange(datetime(2026, 3, 2, tzinfo=UTC), "new", "new")]
    now = datetime(2026, 3, 2, 1, tzinfo=UTC)
    first = sla_status(policy, history, now)
    assert id(policy) in _COMPILED
    assert sla_status(policy, history, now) == first
    alive = weakref.ref(policy)
    key = id(policy)
    del policy
    gc.collect()
    assert alive() is None
    assert key not in _COMPILED or _COMPILED[key][0]() is not None


def test_eight_threads_sharing_a_fresh_policy_agree_with_one_thread() -> None:
    """The per-policy memos (signals, cycles, levels) fill safely from 8 threads at once."""
    calendar = BusinessCalendar(
        "Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"})
    )
    network = FieldIs("group", "network")
    targets = [
        SlaTarget(
            "resolution",
            DurationsByField("priority", {1: 4 * 60 * MINUTE, 2: 16 * 60 * MINUTE}),
            start=InCategory(["new", "active", "paused"]),
            stop=InCategory(["resolved", "closed"]),
            pause=InCategory("paused"),
        ),
        SlaTarget(
            "ola", 120 * MINUTE, start=network, stop=Not(network), reset=FieldChanged("group")
        ),
    ]
    rng = random.Random(12)
    histories: list[list[HistoryEvent]] = []
    for _ in range(400):
        at = datetime(2026, 3, 2, 8, tzinfo=UTC) + rng.randrange(5 * 1440) * MINUTE
        one: list[HistoryEvent] = [
            StateChange(at, "new", "new"),
            FieldUpdate(at, "priority", rng.randint(1, 2)),
        ]
        for _ in range(rng.randint(1, 10)):
            at += rng.randrange(1, 1440) * MINUTE
            if rng.random() < 0.3:
                one.append(FieldUpdate(at, "group", rng.choice(["desk", "network"])))
            else:
                name, category = rng.choice(STATES)
                one.append(StateChange(at, name, category))
        histories.append(one)
    now = datetime(2026, 3, 20, tzinfo=UTC)
    expected = [sla_status(SlaPolicy("alone", targets, calendar), one, now) for one in histories]
    shared = SlaPolicy("shared", targets, calendar)

    def work(index: int) -> list[SlaStatus]:
        order = histories[index:] + histories[:index]
        return [sla_status(shared, one, now) for one in order]

    found = in_threads(work)
    for index in range(8):
        got = found[index][-index:] + found[index][:-index] if index else found[index]
        assert [attrs.evolve(s, policy="alone") for s in got] == expected


def test_timestamps_that_tie_once_truncated_are_traced_on_their_own() -> None:
    """Two Timestamps a nanosecond apart are one instant once truncated to the
    microsecond: a clock stopped at the first and started again at the second keeps no
    pause, even when an earlier record with the same sequence of states (and so of
    signals, whose cycles are memoised) had one."""
    calendar = BusinessCalendar.always_open()
    target = SlaTarget(
        "t", 60 * MINUTE, start=InCategory(["new", "active"]), stop=InCategory("resolved")
    )
    policy = SlaPolicy("ties", [target], calendar)
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    plain: list[HistoryEvent] = [
        StateChange(start, "new", "new"),
        StateChange(start + MINUTE, "resolved", "resolved"),
        StateChange(start + 2 * MINUTE, "in_progress", "active"),
    ]
    now = start + 30 * MINUTE
    (cycle,) = sla_status(policy, plain, now).target("t").cycles
    assert len(cycle.pauses) == 1  # the memo now holds this sequence's cycles
    first = pd.Timestamp("2026-03-02 09:01:00.000000001", tz="UTC")
    stamps: list[HistoryEvent] = [
        StateChange(start, "new", "new"),
        StateChange(first, "resolved", "resolved"),
        StateChange(first + pd.Timedelta(nanoseconds=1), "in_progress", "active"),
    ]
    (tied,) = sla_status(policy, stamps, now).target("t").cycles
    assert (tied.pauses, tied.business_elapsed) == ((), 30 * MINUTE)
