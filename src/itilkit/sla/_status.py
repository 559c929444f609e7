"""The SLA status: a pure function of (policy, history, now).

:func:`sla_status` replays the history up to ``now``, traces each target's
clock cycles and measures them on the policy's calendar. Nothing is stored
between calls: the same inputs always give the same status, and a status "as
of" any past instant is the same call with an earlier ``now``. All instants in
a status are in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from itertools import chain, islice
from types import MappingProxyType
from typing import TypeVar

import attrs

from itilkit._time import require_aware
from itilkit.categories import StateCategory
from itilkit.errors import (
    HistoryOrderError,
    InvalidInputError,
    InvalidTypeError,
    UnknownTargetError,
)
from itilkit.outcomes import SlaOutcome
from itilkit.sla._clock import PHASES, ClockPhase, Cycle, Pause, pause, trace
from itilkit.sla._clock_measure import measure_cycle
from itilkit.sla._compile import MEMO_LIMIT, Compiled, compiled
from itilkit.sla._history import FieldUpdate, HistoryEvent, StateChange
from itilkit.sla._instants import instant, plain
from itilkit.sla._line import Line, line_for
from itilkit.sla._policy import SlaPolicy

__all__ = [
    "CycleStatus",
    "EscalationStatus",
    "SlaStatus",
    "TargetStatus",
    "ThresholdStatus",
    "sla_status",
    "sla_statuses",
]


# Each public status class is frozen and takes its fields from a private mutable
# twin: the engine fills a twin and turns it into the public class (see
# ``_frozen``), because a frozen attrs ``__init__`` costs about three times a
# plain one, which on the SLA clock's hot path is a third of the whole cost.


@attrs.define
class _Threshold:
    percent: float
    crossed: bool
    at: datetime | None


@attrs.frozen
class ThresholdStatus(_Threshold):
    """A warning threshold: ``percent`` of the target, crossed or not, and when.

    ``at`` is when it was crossed, or when it will be if the clock runs on
    from now; ``None`` if the cycle ended without crossing it.
    """


@attrs.define
class _Escalation:
    name: str
    offset: timedelta
    due: bool
    at: datetime | None


@attrs.frozen
class EscalationStatus(_Escalation):
    """An escalation level ``offset`` from the due time: due or not, and when.

    ``at`` follows the same rule as :attr:`ThresholdStatus.at`.
    """


@attrs.define
class _Cycle:
    index: int
    phase: ClockPhase
    started_at: datetime
    ended_at: datetime | None
    pauses: tuple[Pause, ...]
    target: timedelta
    original_due_at: datetime
    due_at: datetime
    business_elapsed: timedelta
    actual_elapsed: timedelta
    business_paused: timedelta
    actual_paused: timedelta
    remaining: timedelta
    percent: float
    breached: bool
    breached_at: datetime | None
    thresholds: tuple[ThresholdStatus, ...]
    escalations: tuple[EscalationStatus, ...]


@attrs.frozen
class CycleStatus(_Cycle):
    """One cycle of a target's clock, measured at its end or at ``now``.

    ``target`` is the duration chosen from the record's fields (the latest
    while the cycle runs, those at its end once it ended), measured from the
    cycle's original start. ``due_at`` is the instant the running business time
    reaches ``target`` (pauses push it later by their business-time length);
    ``original_due_at`` is ``target`` added to ``started_at`` with no pause.
    ``remaining`` is ``target - business_elapsed`` (negative once breached)
    and ``percent`` is ``100 * business_elapsed / target``. ``breached`` means
    the running business time exceeded ``target``.
    """

    @property
    def running(self) -> bool:
        """True while the clock counts."""
        return self.phase is ClockPhase.RUNNING

    @property
    def paused(self) -> bool:
        """True while the clock is paused."""
        return self.phase is ClockPhase.PAUSED

    @property
    def outcome(self) -> SlaOutcome:
        """The cycle's outcome as :class:`~itilkit.metrics.SlaCompliance` reads it.

        Canceled if the clock was canceled, else breached once the target was
        exceeded (even while it still runs), else met if it stopped, else in
        progress.
        """
        if self.phase is ClockPhase.CANCELED:
            return SlaOutcome.CANCELED
        if self.breached:
            return SlaOutcome.BREACHED
        return SlaOutcome.MET if self.phase is ClockPhase.STOPPED else SlaOutcome.IN_PROGRESS


def _check_tuple(name: str, value: object, kind: type) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, kind) for v in value):
        raise InvalidTypeError(name, f"a tuple of {kind.__name__}", value)


@attrs.define
class _Target:
    name: str
    cycles: tuple[CycleStatus, ...]


@attrs.frozen
class TargetStatus(_Target):
    """A target's clock: every cycle so far, oldest first (none if never started)."""

    def __attrs_post_init__(self) -> None:  # built by hand only: the engine fills a twin
        if not isinstance(self.name, str):
            raise InvalidTypeError("name", "the target's name", self.name)
        _check_tuple("cycles", self.cycles, CycleStatus)

    @property
    def current(self) -> CycleStatus | None:
        """The latest cycle, or None if the clock never started."""
        return self.cycles[-1] if self.cycles else None

    @property
    def started(self) -> bool:
        """True once the clock has started at least once."""
        return bool(self.cycles)


@attrs.define
class _Status:
    policy: str
    at: datetime
    targets: tuple[TargetStatus, ...]


@attrs.frozen
class SlaStatus(_Status):
    """The status of every target of policy ``policy`` at instant ``at``."""

    def __attrs_post_init__(self) -> None:  # built by hand only: the engine fills a twin
        if not isinstance(self.policy, str):
            raise InvalidTypeError("policy", "the policy's name", self.policy)
        require_aware(self.at, "at")
        _check_tuple("targets", self.targets, TargetStatus)

    def target(self, name: str) -> TargetStatus:
        """The status of the target called ``name``.

        Raises:
            UnknownTargetError: the policy has no such target.
        """
        for target in self.targets:
            if target.name == name:
                return target
        raise UnknownTargetError(name, (t.name for t in self.targets))


def sla_status(policy: SlaPolicy, history: Iterable[HistoryEvent], now: datetime) -> SlaStatus:
    """The status of ``policy``'s targets for a record with ``history``, at ``now``.

    Events after ``now`` are checked but ignored.

    Raises:
        NaiveDatetimeError: ``now`` has no time zone.
        HistoryOrderError: the history is not in time order.
        MissingDurationError: a target's selector has no duration for the fields.
        InvalidInputError: an instant or a target lies outside the supported years.
    """
    if not isinstance(policy, SlaPolicy):
        raise InvalidInputError(f"policy must be an SlaPolicy, got {type(policy).__name__}")
    at = _now(now)
    plan = compiled(policy)
    record = _replay(plan, history, at)
    if record is None:
        return _unstarted(plan, at)
    return _status(plan, record, line_for(policy.calendar, record[0][0], at), at)


def sla_statuses(
    policy: SlaPolicy, histories: Iterable[Iterable[HistoryEvent]], now: datetime
) -> list[SlaStatus]:
    """:func:`sla_status` of many records at the same ``now``, in one call.

    The policy is compiled and ``now`` checked once; the records are replayed in
    batches that share one view of the calendar's tables, whose business time
    at every instant of the batch is computed in one pass. The result lists one
    status per history, in order.

    .. versionadded:: 0.2
    """
    if not isinstance(policy, SlaPolicy):
        raise InvalidInputError(f"policy must be an SlaPolicy, got {type(policy).__name__}")
    at = _now(now)
    if isinstance(histories, str | bytes | bytearray) or not isinstance(histories, Iterable):
        raise InvalidTypeError("histories", "an iterable of histories", histories)
    records = iter(histories)
    plan = compiled(policy)
    results: list[SlaStatus] = []
    while True:
        batch = [_replay(plan, history, at) for history in islice(records, _BATCH)]
        if not batch:
            return results
        results.extend(_statuses(plan, batch, at))


def _statuses(plan: Compiled, batch: list[_Record | None], now: datetime) -> list[SlaStatus]:
    """The statuses of a batch of replayed records, measured on one line, with ``F``
    at every instant of the batch computed in one pass."""
    started = [record for record in batch if record is not None]
    if not started:
        return [_unstarted(plan, now) for _ in batch]
    line = line_for(plan.calendar, min(record[0][0] for record in started), now)
    points = [instant for record in started for instant in record[0]]
    points.append(now)
    values = line.values(points)
    results: list[SlaStatus] = []
    position = 0
    for record in batch:
        if record is None:
            results.append(_unstarted(plan, now))
            continue
        size = len(record[0])
        own = None if values is None else [*values[position : position + size], values[-1]]
        position += size
        results.append(_status(plan, record, line, now, own))
    return results


#: How many records :func:`sla_statuses` replays before measuring them.
_BATCH = 1024

#: A replayed record: its distinct instants up to ``now``, each instant's signals,
#: the fields in force then (one mapping per version, shared while unchanged), and
#: whether the instants strictly increase (plain datetimes always do).
_Record = tuple[list[datetime], list[tuple[int, ...]], list[Mapping[str, object]], bool]


def _utc(value: object, name: str) -> datetime:
    found = plain(value, name)
    return found if found.tzinfo is UTC else found.astimezone(UTC)


def _now(value: object) -> datetime:
    """``now`` in UTC, within the supported years (so every event after it is later)."""
    instant(value, "now")
    return _utc(value, "now")


def _replay(plan: Compiled, history: Iterable[HistoryEvent], now: datetime) -> _Record | None:
    """The record's instants up to ``now`` with their signals, or ``None`` if none.

    Events sharing an instant are applied together, in the order given, and the
    signals are taken once on the result. Every event is checked (those after
    ``now`` too): its type, and that it is not earlier than the one before.
    """
    if isinstance(history, str | bytes | bytearray) or not isinstance(history, Iterable):
        raise InvalidTypeError("history", "an iterable of events", history)
    events = iter(history)
    instants: list[datetime] = []
    signals: list[tuple[int, ...]] = []
    versions: list[Mapping[str, object]] = []
    state: str | None = None
    category: StateCategory | None = None
    fields: dict[str, object] = {}
    view: Mapping[str, object] = MappingProxyType(fields)
    shared = False  # whether ``fields`` is held by an earlier instant (copy before writing)
    watch = plan.watch_changes
    memo = plan.memo.get if plan.static else None
    changed: set[str] = set()
    current: datetime | None = None  # the instant being gathered
    ordered = True
    for index, event in enumerate(chain(events, _LAST)):
        kind = type(event)
        if kind is not StateChange and kind is not FieldUpdate and event is not _END:
            if not isinstance(event, StateChange | FieldUpdate):
                raise _not_an_event(index, event)
            kind = StateChange if isinstance(event, StateChange) else FieldUpdate
        at = event.at
        if at != current:
            if current is not None:
                if at < current:
                    raise HistoryOrderError(index, current, at)
                if type(current) is datetime:
                    point = current
                else:  # a subclass: truncated to the microsecond, it may tie the one before
                    point = _utc(current, "history event 'at'")
                    ordered = ordered and not (instants and point <= instants[-1])
                instants.append(point)
                found = None if memo is None else memo((state, category))
                if found is None:
                    found = plan.signals(point, state, category, view, changed)
                signals.append(found)
                versions.append(view)
                shared = True
                if changed:
                    changed = set()
            current = at
            if at > now:
                _check_rest(events, index, at)
                break
        if kind is StateChange:
            if watch and (event.state != state or event.category != category):  # type: ignore[union-attr]
                changed.add("state")
            state, category = event.state, event.category  # type: ignore[union-attr]
        else:
            name = event.field  # type: ignore[union-attr]
            if name not in fields or fields[name] != event.value:  # type: ignore[union-attr]
                changed.add(name)
                if shared:
                    fields = dict(fields)
                    view = MappingProxyType(fields)
                    shared = False
                fields[name] = event.value  # type: ignore[union-attr]
    if not instants:
        return None
    return instants, signals, versions, ordered


class _End:
    """Follows the last event: its instant, later than any, closes the last one gathered."""

    at = datetime.max.replace(tzinfo=UTC)


_END = _End()
_LAST = (_END,)


def _check_rest(events: Iterator[object], index: int, previous: datetime) -> None:
    """Check the events after ``now`` (not applied): their type and their order."""
    for index, event in enumerate(events, index + 1):  # noqa: B020 - a fresh count
        if not isinstance(event, StateChange | FieldUpdate):
            raise _not_an_event(index, event)
        if event.at < previous:
            raise HistoryOrderError(index, previous, event.at)
        previous = event.at


def _not_an_event(index: int, event: object) -> InvalidTypeError:
    return InvalidTypeError(f"history event {index}", "a StateChange or FieldUpdate", event)


def _unstarted(plan: Compiled, now: datetime) -> SlaStatus:
    targets = tuple([_frozen(_Target(t.name, ()), TargetStatus) for t in plan.targets])
    return _frozen(_Status(plan.name, now, targets), SlaStatus)


def _status(
    plan: Compiled,
    record: _Record,
    line: Line,
    now: datetime,
    values: list[timedelta] | None = None,
) -> SlaStatus:
    """The status of a replayed record; ``values``: ``F`` at its instants and ``now``
    when already computed."""
    instants, signals, versions, ordered = record
    points = [*instants, now]
    if values is None:
        values = line.values(points)
    # The cycles depend on the signals alone while instants strictly increase
    # (converted Timestamps may tie): memoised on them, for every target at once.
    key = tuple(signals) if ordered else None
    traced = None if key is None else plan.traces.get(key)
    if traced is None:
        traced = [
            trace(instants, signals, number, plan.resume) for number in range(len(plan.targets))
        ]
        if key is not None and len(plan.traces) < MEMO_LIMIT:
            plan.traces[key] = traced
    targets = []
    for number, cycles in enumerate(traced):
        measured = tuple(
            [
                _cycle_status(plan, line, number, index, cycle, points, values, versions)
                for index, cycle in enumerate(cycles)
            ]
        )
        targets.append(_frozen(_Target(plan.targets[number].name, measured), TargetStatus))
    return _frozen(_Status(plan.name, now, tuple(targets)), SlaStatus)


def _budget(
    plan: Compiled, line: Line, number: int, start: datetime, fields: Mapping[str, object]
) -> timedelta:
    """Target number ``number``'s business-time budget for a cycle from ``start``: its
    duration, or the business time from the start to its deadline (at least a
    microsecond)."""
    duration = plan.targets[number].duration
    chosen = duration if type(duration) is timedelta else plan.duration(number, fields)
    if isinstance(chosen, timedelta):
        return chosen
    deadline = _utc(chosen.deadline(plan.calendar, start), "deadline")  # type: ignore[arg-type]
    if deadline <= start:
        return _MICROSECOND
    return max(line.elapsed(start, deadline), _MICROSECOND)


def _cycle_status(
    plan: Compiled,
    line: Line,
    number: int,
    index: int,
    cycle: Cycle,
    points: list[datetime],
    values: list[timedelta] | None,
    versions: list[Mapping[str, object]],
) -> CycleStatus:
    started_at = points[cycle.started]
    duration = _budget(plan, line, number, started_at, versions[cycle.fields])
    wanted, order = plan.levels(duration)
    business, wall, business_paused, wall_paused, hit, reached, breached_at = measure_cycle(
        cycle, points, values, line, wanted, order
    )
    due_at = reached[0]
    assert due_at is not None
    split = 1 + len(plan.thresholds)
    thresholds = plan.thresholds
    escalations = plan.escalations
    made = _Cycle(
        index,
        PHASES[cycle.phase],
        started_at,
        None if cycle.ended is None else points[cycle.ended],
        tuple(
            [
                pause(points[first], None if last is None else points[last])  # type: ignore[index]
                for first, last in cycle.pauses
            ]
        ),
        duration,
        line.add(started_at, duration, None if values is None else values[cycle.started]),
        due_at,
        business,
        wall,
        business_paused,
        wall_paused,
        duration - business,
        100 * (business / duration),
        breached_at is not None,
        breached_at,
        tuple(
            [
                _threshold(thresholds[number], hit[number + 1], reached[number + 1])
                for number in range(split - 1)
            ]
        ),
        tuple(
            [
                _escalation(escalation.name, escalation.offset, hit[number], reached[number])
                for number, escalation in enumerate(escalations, split)
            ]
        ),
    )
    return _frozen(made, CycleStatus)


def _frozen(value: object, public: type[_Public]) -> _Public:
    """``value``, a filled twin of ``public``'s fields, as a ``public`` value."""
    value.__class__ = public
    return value  # type: ignore[return-value]  # its class is now ``public``


_Public = TypeVar("_Public")


def _threshold(percent: float, crossed: bool, at: datetime | None) -> ThresholdStatus:
    made = _Threshold(percent, crossed, at)
    made.__class__ = ThresholdStatus
    return made  # type: ignore[return-value]  # its class is now ThresholdStatus


def _escalation(name: str, offset: timedelta, due: bool, at: datetime | None) -> EscalationStatus:
    made = _Escalation(name, offset, due, at)
    made.__class__ = EscalationStatus
    return made  # type: ignore[return-value]  # its class is now EscalationStatus


_MICROSECOND = timedelta(microseconds=1)
