"""Hypothesis strategies for valid itilkit values, for hosts' property tests too.

Every strategy draws values that their constructors accept: calendars whose
shifts never overlap, policies with distinct target names, lifecycles whose
states are all reachable, total matrices. Datetimes carry fixed UTC offsets,
so a value read back from its document compares equal (Python never equates
two aware datetimes of different zones inside a repeated hour).

>>> from hypothesis import given
>>> from itilkit.codec import dumps, loads
>>> @given(calendars())
... def test_calendar_round_trip(calendar):
...     assert loads(dumps(calendar), BusinessCalendar) == calendar
>>> test_calendar_round_trip()

.. versionadded:: 0.2
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TypeVar

from hypothesis import strategies as st

from itilkit.categories import StateCategory
from itilkit.lifecycle import FieldChange, LifecycleDefinition, State, Transition, TransitionRecord
from itilkit.metrics import CountStats, DurationStats, RateStats, Result, Tally
from itilkit.practices import (
    Change,
    CIClass,
    CIStatus,
    CmdbGraph,
    ConfigurationItem,
    Incident,
    KnownError,
    LookupMatrix,
    Practice,
    PriorityMatrix,
    Problem,
    Relationship,
    RelationshipKind,
    RiskMatrix,
    Scale,
    ScaleDirection,
    ServiceRequest,
    Ticket,
)
from itilkit.sla import (
    AllOf,
    AnyOf,
    BusinessCalendar,
    BusinessDays,
    ClockReopen,
    Condition,
    DateOverride,
    Deadline,
    DurationsByField,
    Earliest,
    EndOfBusinessDay,
    Escalation,
    FieldChanged,
    FieldIs,
    Holidays,
    InCategory,
    InState,
    Landing,
    Latest,
    NextBusinessDayAt,
    Not,
    Shift,
    SlaPolicy,
    SlaTarget,
    WeeklySchedule,
)
from itilkit.testing._tickets import opened, walk, walk_commands

__all__ = [
    "aware_datetimes",
    "business_calendars",
    "calendars",
    "changes",
    "cmdb_graphs",
    "conditions",
    "configuration_items",
    "date_overrides",
    "deadlines",
    "durations",
    "field_changes",
    "holidays",
    "incidents",
    "known_errors",
    "lifecycle_definitions",
    "lookup_matrices",
    "metric_results",
    "names",
    "priority_matrices",
    "problems",
    "risk_matrices",
    "scalars",
    "scales",
    "service_requests",
    "shifts_of_a_day",
    "sla_policies",
    "sla_targets",
    "ticket_histories",
    "tickets",
    "tickets_of",
    "transition_records",
    "weekly_schedules",
]

_ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
_DAY = 1440


@functools.cache
def names() -> st.SearchStrategy[str]:
    """Short identifiers, as state, field and target names are."""
    return st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).filter(str.strip)


@functools.cache
def scalars() -> st.SearchStrategy[object]:
    """JSON scalars: null, booleans, integers, finite floats and text."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=10),
    )


@functools.cache
def aware_datetimes() -> st.SearchStrategy[datetime]:
    """Aware datetimes with a fixed offset (whole minutes, within a day) or UTC."""
    offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    return st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2099, 12, 31),
        timezones=st.one_of(st.just(UTC), offsets),
    )


def durations(
    low: timedelta = timedelta(microseconds=1), high: timedelta = timedelta(days=1000)
) -> st.SearchStrategy[timedelta]:
    """Durations from ``low`` to ``high``, to the microsecond."""
    return st.timedeltas(min_value=low, max_value=high)


def _clock(minute: int) -> time:
    return time((minute // 60) % 24, minute % 60)


@st.composite
def shifts_of_a_day(draw: st.DrawFn) -> tuple[Shift, ...]:
    """Sorted shifts of one day that do not overlap (``00:00-24:00`` possible)."""
    points = sorted(draw(st.sets(st.integers(0, _DAY), max_size=6)))
    pairs = zip(points[::2], points[1::2], strict=False)
    return tuple(Shift(_clock(a), _clock(b) if b < _DAY else time(0)) for a, b in pairs)


@st.composite
def _overnight(draw: st.DrawFn, day: tuple[Shift, ...]) -> tuple[Shift, ...]:
    """``day`` and maybe a shift after its last one that ends the next morning."""
    latest = max((shift.span()[1] // 60_000_000 for shift in day), default=0)
    if latest >= _DAY - 1 or not draw(st.booleans()):
        return day
    start = draw(st.integers(latest, _DAY - 1))
    return (*day, Shift(_clock(start), _clock(draw(st.integers(0, start))), overnight=True))


@st.composite
def weekly_schedules(draw: st.DrawFn) -> WeeklySchedule:
    """Weeks with breaks, whole days and overnight shifts running into a closed day."""
    days = [draw(shifts_of_a_day()) for _ in range(7)]
    closed = [not shifts for shifts in days]
    for index in range(7):
        if closed[(index + 1) % 7] and not closed[index]:
            days[index] = draw(_overnight(days[index]))
    return WeeklySchedule(*days)


_RULES = (
    "FREQ=YEARLY;BYEASTER=-2",
    "FREQ=YEARLY;BYEASTER=1",
    "FREQ=YEARLY;BYMONTH=5;BYDAY=1MO",
    "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
)


@functools.cache
def holidays() -> st.SearchStrategy[Holidays]:
    """Single dates, yearly days (29 February too) and recurrence rules."""
    month_days = st.tuples(st.integers(1, 12), st.integers(1, 28)) | st.just((2, 29))
    return st.builds(
        Holidays,
        dates=st.frozensets(st.dates(date(2000, 1, 1), date(2040, 12, 31)), max_size=4),
        yearly=st.lists(month_days, max_size=3),
        rules=st.lists(st.sampled_from(_RULES), max_size=2, unique=True),
    )


@st.composite
def date_overrides(draw: st.DrawFn) -> tuple[DateOverride, ...]:
    """Overrides on distinct dates: closures, shorter days and extra hours."""
    days = draw(st.sets(st.dates(date(2000, 1, 1), date(2040, 12, 31)), max_size=3))
    found = []
    for day in sorted(days):
        shifts = draw(shifts_of_a_day())
        extra = bool(shifts) and draw(st.booleans())
        found.append(DateOverride(day, shifts, extra=extra))
    return tuple(found)


@st.composite
def business_calendars(draw: st.DrawFn) -> BusinessCalendar:
    """Calendars in several zones with weekly hours, holidays and overrides."""
    return BusinessCalendar(
        draw(st.sampled_from(_ZONES)),
        draw(weekly_schedules()),
        draw(holidays()),
        draw(date_overrides()),
    )


#: The usual name.
calendars = business_calendars


@functools.cache
def _leaves() -> st.SearchStrategy[Condition]:
    categories = st.frozensets(st.sampled_from(list(StateCategory)), min_size=1)
    return st.one_of(
        st.builds(InCategory, categories),
        st.builds(InState, st.frozensets(names(), min_size=1, max_size=3)),
        st.builds(FieldIs, names(), st.lists(scalars(), min_size=1, max_size=3)),
        st.builds(FieldChanged, names()),
    )


@functools.cache
def conditions() -> st.SearchStrategy[Condition]:
    """Conditions of every kind, nested with all-of, any-of and not."""
    return st.recursive(
        _leaves(),
        lambda inner: st.one_of(
            st.builds(AllOf, st.lists(inner, min_size=1, max_size=3)),
            st.builds(AnyOf, st.lists(inner, min_size=1, max_size=3)),
            st.builds(Not, inner),
        ),
        max_leaves=4,
    )


@functools.cache
def _selectors() -> st.SearchStrategy[DurationsByField]:
    keyed = st.dictionaries(st.integers(1, 5) | names(), durations(), min_size=1, max_size=4)
    return st.builds(DurationsByField, names(), keyed, st.none() | durations())


def _times_of_day() -> st.SearchStrategy[time]:
    return st.builds(time, st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))


@functools.cache
def deadlines() -> st.SearchStrategy[Deadline]:
    """Relative deadlines of every kind, combined with earliest and latest."""
    days = st.integers(0, 30)
    landing = st.sampled_from(list(Landing)) | _times_of_day()
    simple = st.one_of(
        st.builds(BusinessDays, days, landing),
        st.builds(EndOfBusinessDay, days),
        st.builds(NextBusinessDayAt, _times_of_day(), days),
    )
    part = durations(timedelta(minutes=1), timedelta(days=30)) | simple
    return st.recursive(
        simple,
        lambda inner: st.one_of(
            st.builds(Earliest, st.lists(part | inner, min_size=2, max_size=3)),
            st.builds(Latest, st.lists(part | inner, min_size=2, max_size=3)),
        ),
        max_leaves=4,
    )


@st.composite
def sla_targets(draw: st.DrawFn, name: st.SearchStrategy[str] | None = None) -> SlaTarget:
    """Targets with a fixed, selected or deadline duration and any of the optional conditions."""
    optional = st.none() | _leaves()
    pause = draw(optional)
    return SlaTarget(
        draw(names() if name is None else name),
        draw(durations() | _selectors() | deadlines()),
        start=draw(conditions()),
        stop=draw(_leaves()),
        pause=pause,
        resume=None if pause is None else draw(optional),
        cancel=draw(optional),
        reset=draw(optional),
    )


@st.composite
def sla_policies(draw: st.DrawFn) -> SlaPolicy:
    """Policies with distinct targets, thresholds and escalations, on a calendar or 24x7."""
    target_names = draw(st.lists(names(), min_size=1, max_size=3, unique=True))
    thresholds = st.one_of(
        st.integers(1, 200), st.floats(0.5, 500, allow_nan=False, allow_infinity=False)
    )
    offsets = durations(timedelta(days=-10), timedelta(days=10))
    return SlaPolicy(
        draw(names()),
        [draw(sla_targets(st.just(n))) for n in target_names],
        draw(st.just(BusinessCalendar.always_open()) | business_calendars()),
        thresholds=draw(st.lists(thresholds, max_size=3, unique=True)),
        escalations=[
            Escalation(n, draw(offsets)) for n in draw(st.lists(names(), max_size=2, unique=True))
        ],
        reopen=draw(st.sampled_from(list(ClockReopen))),
    )


@st.composite
def lifecycle_definitions(draw: st.DrawFn) -> LifecycleDefinition:
    """Valid lifecycles: each state is entered from an earlier open one, plus extra moves."""
    state_names = draw(st.lists(names(), min_size=1, max_size=6, unique=True))
    states = []
    for index, state_name in enumerate(state_names):
        category = draw(st.sampled_from(list(StateCategory)))
        final = index > 0 and category.is_final and draw(st.booleans())
        states.append(
            State(
                state_name,
                category,
                initial=index == 0,
                final=final,
                required_fields=draw(st.frozensets(names(), max_size=2)),
                description=draw(st.text(max_size=12)),
            )
        )
    moves: dict[tuple[str, str], Transition] = {}
    for index, state in enumerate(states[1:], start=1):
        sources = [s.name for s in states[:index] if not s.final] or [states[0].name]
        source = draw(st.sampled_from(sources))
        moves[source, f"to_{state.name}"] = Transition(f"to_{state.name}", [source], state.name)
    open_names = [s.name for s in states if not s.final]
    for _ in range(draw(st.integers(0, 3))):
        event, source = draw(names()), draw(st.sampled_from(open_names))
        moves.setdefault(
            (source, event),
            Transition(
                event,
                [source],
                draw(st.sampled_from(state_names)),
                guards=draw(st.lists(names(), max_size=2)),
                required_fields=draw(st.frozensets(names(), max_size=2)),
            ),
        )
    return LifecycleDefinition(draw(names()), states, list(moves.values()))


@functools.cache
def field_changes() -> st.SearchStrategy[FieldChange]:
    """A field's old and new values, as JSON scalars."""
    return st.builds(FieldChange, names(), scalars(), scalars())


@functools.cache
def transition_records() -> st.SearchStrategy[TransitionRecord]:
    """Audit records with their changes and, usually, their state categories."""
    category = st.none() | st.sampled_from(list(StateCategory))
    return st.builds(
        TransitionRecord,
        names(),
        names(),
        names(),
        aware_datetimes(),
        st.text(min_size=1, max_size=8),
        reason=st.none() | st.text(max_size=12),
        changes=st.lists(field_changes(), max_size=3).map(tuple),
        source_category=category,
        target_category=category,
    )


@st.composite
def scales(draw: st.DrawFn, name: str | None = None) -> Scale:
    """Scales of one to five levels in either direction."""
    labels = draw(
        st.lists(names(), min_size=1, max_size=5, unique_by=lambda label: label.casefold())
    )
    return Scale(name or draw(names()), labels, draw(st.sampled_from(list(ScaleDirection))))


@st.composite
def lookup_matrices(draw: st.DrawFn) -> LookupMatrix:
    """Total matrices with any cell values on the result scale."""
    rows, columns, result = draw(scales()), draw(scales()), draw(scales())
    cell = st.integers(1, result.size)
    grid = [[draw(cell) for _ in columns.levels] for _ in rows.levels]
    return LookupMatrix(draw(names()), rows, columns, result, grid)


@functools.cache
def priority_matrices() -> st.SearchStrategy[PriorityMatrix]:
    """Impact x urgency matrices."""
    return lookup_matrices().map(PriorityMatrix)


@functools.cache
def risk_matrices() -> st.SearchStrategy[RiskMatrix]:
    """Impact x likelihood matrices."""
    return lookup_matrices().map(RiskMatrix)


@functools.cache
def _tallies() -> st.SearchStrategy[Tally]:
    return st.builds(
        Tally, st.integers(0, 10**6), st.lists(st.text(max_size=6), max_size=3).map(tuple)
    )


@st.composite
def metric_results(draw: st.DrawFn) -> Result[DurationStats | CountStats | RateStats]:
    """Results of duration, count or rate statistics, grouped by names and periods."""
    fractions = st.lists(st.floats(0, 1), max_size=3, unique=True)
    kinds: list[st.SearchStrategy[DurationStats | CountStats | RateStats]] = [
        st.builds(DurationStats.of, st.lists(durations(), max_size=5), fractions),
        st.builds(CountStats.of, st.lists(st.integers(0, 10**6), max_size=5), fractions),
        st.builds(RateStats, st.integers(0, 100), st.integers(100, 200)),
    ]
    stats = kinds[draw(st.integers(0, 2))]
    by = tuple(draw(st.lists(names(), max_size=2, unique=True)))
    key_value = st.one_of(st.none(), st.integers(), st.text(max_size=6), st.dates())
    groups = draw(st.dictionaries(st.tuples(*[key_value] * len(by)), stats, max_size=3))
    return Result(
        draw(names()),
        by,
        draw(stats),
        groups if by else {},
        draw(st.dictionaries(names(), _tallies(), max_size=2)),
        draw(
            st.dictionaries(names(), st.dictionaries(names(), _tallies(), max_size=2), max_size=2)
        ),
    )


_E = TypeVar("_E", bound=Ticket)


@st.composite
def tickets_of(
    draw: st.DrawFn, entity_type: type[_E], practice: Practice | None = None, max_steps: int = 16
) -> _E:
    """Tickets of ``entity_type`` after a random walk of up to ``max_steps`` commands.

    Each is opened at a random time (any fixed UTC offset, 1971 to 2099) with
    ``practice`` (the sample presets of :data:`itilkit.testing.SAMPLE_PRACTICES`
    by default: incidents and requests with an SLA), then fires random
    commands at random later times, skipping those the practice refuses: its
    history is one the practice really makes. Shrinking removes commands.
    """
    at = draw(aware_datetimes())
    ticket = opened(entity_type, draw(st.integers(0, 999)), practice=practice, at=at)
    count = walk_commands(entity_type)
    steps = draw(
        st.lists(
            st.tuples(st.integers(0, count - 1), st.integers(0, 2**16), st.integers(0, 3000)),
            max_size=max_steps,
        )
    )
    return walk(ticket, steps)


def incidents(practice: Practice | None = None) -> st.SearchStrategy[Incident]:
    """Incidents with real histories (see :func:`tickets_of`)."""
    return tickets_of(Incident, practice)


def problems(practice: Practice | None = None) -> st.SearchStrategy[Problem]:
    """Problems with real histories (see :func:`tickets_of`)."""
    return tickets_of(Problem, practice)


def known_errors(practice: Practice | None = None) -> st.SearchStrategy[KnownError]:
    """Known errors with real histories (see :func:`tickets_of`)."""
    return tickets_of(KnownError, practice)


def service_requests(practice: Practice | None = None) -> st.SearchStrategy[ServiceRequest]:
    """Service requests with real histories (see :func:`tickets_of`)."""
    return tickets_of(ServiceRequest, practice)


def changes(practice: Practice | None = None) -> st.SearchStrategy[Change]:
    """Standard, normal and emergency changes with real histories (see :func:`tickets_of`)."""
    return tickets_of(Change, practice)


@functools.cache
def tickets() -> st.SearchStrategy[Ticket]:
    """Tickets of every type, with real histories."""
    return st.one_of(incidents(), problems(), known_errors(), service_requests(), changes())


@functools.cache
def ticket_histories() -> st.SearchStrategy[tuple[type[Ticket], tuple[TransitionRecord, ...]]]:
    """A ticket type and a history its practice really made (typed field changes)."""
    return tickets().map(lambda ticket: (type(ticket), ticket.history))


@functools.cache
def configuration_items() -> st.SearchStrategy[ConfigurationItem]:
    """Configuration items of every class and status."""
    return st.builds(
        ConfigurationItem,
        st.text(min_size=1, max_size=8).filter(str.strip),
        st.text(min_size=1, max_size=12).filter(str.strip),
        st.sampled_from(list(CIClass)),
        st.sampled_from(list(CIStatus)),
    )


@st.composite
def cmdb_graphs(draw: st.DrawFn) -> CmdbGraph:
    """Graphs of up to six items and relationships between distinct ones."""
    items = draw(st.lists(configuration_items(), max_size=6, unique_by=lambda item: item.id))
    ids = [item.id for item in items]
    relationships: list[Relationship] = []
    if len(ids) > 1:
        pairs = st.tuples(st.sampled_from(ids), st.sampled_from(list(RelationshipKind)),
                          st.sampled_from(ids)).filter(lambda r: r[0] != r[2])  # fmt: skip
        drawn = draw(st.lists(pairs, max_size=6, unique=True))
        relationships = [Relationship(a, kind, b) for a, kind, b in drawn]
    return CmdbGraph(items, relationships)
