"""A slow, obvious SLA clock, to check the engine's fast one against.

It follows docs/sla.md line by line and asks only the calendar's public
methods: the history is folded into :func:`itilkit.sla.snapshots`, each
target's conditions are asked with ``matches`` at every snapshot as the
table "When a clock runs" says, and each cycle is measured stretch by
stretch with ``calendar.elapsed``; every level is placed on its own, by
walking the running stretches from the start, with ``calendar.add``.
Nothing is compiled, memoised or shared between calls.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from itilkit.errors import CalendarError, InvalidInputError
from itilkit.sla import (
    ClockPhase,
    ClockReopen,
    CycleStatus,
    EscalationStatus,
    HistoryEvent,
    Pause,
    SlaPolicy,
    SlaStatus,
    SlaTarget,
    Snapshot,
    TargetStatus,
    ThresholdStatus,
    snapshots,
)
from itilkit.sla._policy_conditions import Condition

ZERO = timedelta(0)
MICROSECOND = timedelta(microseconds=1)


@dataclass
class _Cycle:
    started_at: datetime
    fields: Mapping[str, object]
    pauses: list[list[datetime | None]] = field(default_factory=list)
    ended_at: datetime | None = None
    phase: ClockPhase = ClockPhase.RUNNING


def _holds(condition: Condition | None, snapshot: Snapshot) -> bool:
    return condition is not None and condition.matches(snapshot)


def _trace(target: SlaTarget, history: Sequence[Snapshot], reopen: ClockReopen) -> list[_Cycle]:
    """The cycles of one target, deciding at each snapshot as docs/sla.md says."""
    cycles: list[_Cycle] = []
    for snap in history:

        def holds(condition: Condition | None, snap: Snapshot = snap) -> bool:
            return _holds(condition, snap)

        wants_pause = holds(target.pause) and not holds(target.resume)
        current = cycles[-1] if cycles else None
        if current is None or current.phase in (ClockPhase.STOPPED, ClockPhase.CANCELED):
            if holds(target.start) and not holds(target.stop) and not holds(target.cancel):
                if (
                    current is not None
                    and current.phase is ClockPhase.STOPPED
                    and reopen is ClockReopen.RESUME
                ):
                    assert current.ended_at is not None
                    if current.ended_at < snap.at:
                        current.pauses.append([current.ended_at, snap.at])
                    current.ended_at, current.phase = None, ClockPhase.RUNNING
                    current.fields = snap.fields
                else:
                    current = _Cycle(snap.at, snap.fields)
                    cycles.append(current)
                if wants_pause:
                    current.pauses.append([snap.at, None])
                    current.phase = ClockPhase.PAUSED
            continue
        current.fields = snap.fields
        ending = None
        if holds(target.cancel):
            ending = ClockPhase.CANCELED
        elif holds(target.stop) or (holds(target.reset) and holds(target.start)):
            ending = ClockPhase.STOPPED
        if ending is not None:
            if current.phase is ClockPhase.PAUSED:
                current.pauses[-1][1] = snap.at
            current.ended_at, current.phase = snap.at, ending
            if not holds(target.stop) and not holds(target.cancel):  # a reset
                fresh = _Cycle(snap.at, snap.fields)
                cycles.append(fresh)
                if wants_pause:
                    fresh.pauses.append([snap.at, None])
                    fresh.phase = ClockPhase.PAUSED
        elif wants_pause and current.phase is ClockPhase.RUNNING:
            current.pauses.append([snap.at, None])
            current.phase = ClockPhase.PAUSED
        elif not wants_pause and current.phase is ClockPhase.PAUSED:
            current.pauses[-1][1] = snap.at
            current.phase = ClockPhase.RUNNING
    return cycles


def _stretches(cycle: _Cycle, end: datetime) -> tuple[list[tuple[datetime, datetime]], ...]:
    """The running and the paused stretches of a cycle up to ``end``."""
    running, paused = [], []
    cursor = cycle.started_at
    for start, stop in cycle.pauses:
        assert start is not None
        stop = end if stop is None else stop
        if start > cursor:
            running.append((cursor, start))
        if stop > start:
            paused.append((start, stop))
        cursor = stop
    if end > cursor:
        running.append((cursor, end))
    return running, paused


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def _share(duration: timedelta, percent: float) -> timedelta:
    """``percent`` % of ``duration``, exactly, rounded up to the microsecond."""
    return timedelta(microseconds=math.ceil(duration // MICROSECOND * Fraction(percent) / 100))


def _measure(
    policy: SlaPolicy, target: SlaTarget, index: int, cycle: _Cycle, now: datetime
) -> CycleStatus:
    calendar = policy.calendar
    chosen = target.duration_for(cycle.fields)
    if isinstance(chosen, timedelta):
        duration = chosen
    else:
        deadline = _utc(chosen.deadline(calendar, cycle.started_at))  # type: ignore[arg-type]
        duration = (
            max(calendar.elapsed(cycle.started_at, deadline), MICROSECOND)
            if deadline > cycle.started_at
            else MICROSECOND
        )
    end = cycle.ended_at if cycle.ended_at is not None else now
    running, paused = _stretches(cycle, end)
    business = sum((calendar.elapsed(a, b) for a, b in running), ZERO)

    def reached(level: timedelta) -> datetime | None:
        """Where the running time reached ``level``, or None if it has not."""
        if level <= ZERO:
            return cycle.started_at
        used = ZERO
        for a, b in running:
            piece = calendar.elapsed(a, b)
            if used + piece >= level:
                return _utc(calendar.add(a, level - used))
            used += piece
        return None

    def placed(level: timedelta) -> tuple[bool, datetime | None]:
        at = reached(level)
        if at is not None:
            return True, at
        if cycle.ended_at is not None:
            return False, None
        try:
            return False, _utc(calendar.add(end, level - business))
        except (InvalidInputError, CalendarError):
            return False, None

    due = reached(duration)
    due_at = due if due is not None else _utc(calendar.add(end, duration - business))
    breached_at = None
    used = ZERO
    for a, b in running:
        piece = calendar.elapsed(a, b)
        if used + piece > duration:
            at = calendar.add(a, duration - used)
            breached_at = _utc(at if calendar.is_open(at) else calendar.next_open(at))
            break
        used += piece
    thresholds = tuple(
        ThresholdStatus(percent, *placed(_share(duration, percent)))
        for percent in policy.thresholds
    )
    escalations = tuple(
        EscalationStatus(e.name, e.offset, *placed(duration + e.offset)) for e in policy.escalations
    )
    return CycleStatus(
        index=index,
        phase=cycle.phase,
        started_at=cycle.started_at,
        ended_at=cycle.ended_at,
        pauses=tuple(Pause(a, b) for a, b in cycle.pauses),  # type: ignore[arg-type]
        target=duration,
        original_due_at=_utc(calendar.add(cycle.started_at, duration)),
        due_at=due_at,
        business_elapsed=business,
        actual_elapsed=sum((b - a for a, b in running), ZERO),
        business_paused=sum((calendar.elapsed(a, b) for a, b in paused), ZERO),
        actual_paused=sum((b - a for a, b in paused), ZERO),
        remaining=duration - business,
        percent=100 * (business / duration),
        breached=breached_at is not None,
        breached_at=breached_at,
        thresholds=thresholds,
        escalations=escalations,
    )


def reference_status(
    policy: SlaPolicy, history: Sequence[HistoryEvent], now: datetime
) -> SlaStatus:
    """The status ``sla_status(policy, history, now)`` must return, computed slowly."""
    now = _utc(now)
    states = list(snapshots(history, until=now))
    return SlaStatus(
        policy.name,
        now,
        tuple(
            TargetStatus(
                target.name,
                tuple(
                    _measure(policy, target, index, cycle, now)
                    for index, cycle in enumerate(_trace(target, states, policy.reopen))
                ),
            )
            for target in policy.targets
        ),
    )
