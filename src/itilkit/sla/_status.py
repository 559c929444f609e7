"""The SLA status: a pure function of (policy, history, now).

:func:`sla_status` replays the history up to ``now``, traces each target's
clock cycles and measures them on the policy's calendar. Nothing is stored
between calls: the same inputs always give the same status, and a status "as
of" any past instant is the same call with an earlier ``now``. All instants in
a status are in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import attrs

from itilkit.errors import InvalidInputError, UnknownTargetError
from itilkit.outcomes import SlaOutcome
from itilkit.sla._clock import ClockCycle, ClockPhase, Pause, trace_cycles
from itilkit.sla._clock_measure import measure_cycle
from itilkit.sla._history import HistoryEvent, snapshots
from itilkit.sla._instants import LONGEST, plain
from itilkit.sla._line import Line, line_for
from itilkit.sla._policy import SlaPolicy, SlaTarget

__all__ = [
    "CycleStatus",
    "EscalationStatus",
    "SlaStatus",
    "TargetStatus",
    "ThresholdStatus",
    "sla_status",
    "sla_statuses",
]


@attrs.frozen
class ThresholdStatus:
    """A warning threshold: ``percent`` of the target, crossed or not, and when.

    ``at`` is when it was crossed, or when it will be if the clock runs on
    from now; ``None`` if the cycle ended without crossing it.
    """

    percent: float
    crossed: bool
    at: datetime | None


@attrs.frozen
class EscalationStatus:
    """An escalation level ``offset`` from the due time: due or not, and when.

    ``at`` follows the same rule as :attr:`ThresholdStatus.at`.
    """

    name: str
    offset: timedelta
    due: bool
    at: datetime | None


@attrs.frozen
class CycleStatus:
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
        if self.phase is ClockPhase.STOPPED:
            return SlaOutcome.MET
        return SlaOutcome.IN_PROGRESS


@attrs.frozen
class TargetStatus:
    """A target's clock: every cycle so far, oldest first (none if never started)."""

    name: str
    cycles: tuple[CycleStatus, ...]

    @property
    def current(self) -> CycleStatus | None:
        """The latest cycle, or None if the clock never started."""
        return self.cycles[-1] if self.cycles else None

    @property
    def started(self) -> bool:
        """True once the clock has started at least once."""
        return bool(self.cycles)


@attrs.frozen
class SlaStatus:
    """The status of every target of policy ``policy`` at instant ``at``."""

    policy: str
    at: datetime
    targets: tuple[TargetStatus, ...]

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
    return _status(policy, history, _utc(now, "now"))


def sla_statuses(
    policy: SlaPolicy, histories: Iterable[Iterable[HistoryEvent]], now: datetime
) -> list[SlaStatus]:
    """:func:`sla_status` of many records at the same ``now``, in one call.

    The policy and ``now`` are checked once and the calendar's tables are
    shared by every record; the result lists one status per history, in order.

    .. versionadded:: 0.2
    """
    if not isinstance(policy, SlaPolicy):
        raise InvalidInputError(f"policy must be an SlaPolicy, got {type(policy).__name__}")
    at = _utc(now, "now")
    try:
        records = iter(histories)
    except TypeError:
        raise InvalidInputError(
            f"histories must be an iterable of histories, got {type(histories).__name__}"
        ) from None
    return [_status(policy, history, at) for history in records]


def _utc(value: object, name: str) -> datetime:
    return plain(value, name).astimezone(UTC)


def _status(policy: SlaPolicy, history: Iterable[HistoryEvent], now: datetime) -> SlaStatus:
    try:
        states = list(snapshots(history, until=now))
    except TypeError:
        raise InvalidInputError(
            f"history must be an iterable of StateChange and FieldUpdate events, "
            f"got {type(history).__name__}"
        ) from None
    if not states:
        return SlaStatus(policy.name, now, tuple(TargetStatus(t.name, ()) for t in policy.targets))
    if any(type(state.at) is not datetime for state in states):
        states = [attrs.evolve(state, at=_utc(state.at, "history event 'at'")) for state in states]
    line = line_for(policy.calendar, states[0].at, max(now, states[0].at))
    targets = tuple(
        TargetStatus(
            target.name,
            tuple(
                _cycle_status(policy, line, target, index, cycle, now)
                for index, cycle in enumerate(trace_cycles(target, states, policy.reopen))
            ),
        )
        for target in policy.targets
    )
    return SlaStatus(policy.name, now, targets)


def _budget(policy: SlaPolicy, line: Line, target: SlaTarget, cycle: ClockCycle) -> timedelta:
    """The target's business-time budget for ``cycle``: its duration, or the business
    time from the cycle's start to its deadline (at least a microsecond)."""
    chosen = target.duration_for(cycle.fields)
    if isinstance(chosen, timedelta):
        return chosen
    deadline = _utc(chosen.deadline(policy.calendar, cycle.started_at), "deadline")  # type: ignore[arg-type]
    if deadline <= cycle.started_at:
        return _MICROSECOND
    return max(line.elapsed(cycle.started_at, deadline), _MICROSECOND)


def _cycle_status(
    policy: SlaPolicy,
    line: Line,
    target: SlaTarget,
    index: int,
    cycle: ClockCycle,
    now: datetime,
) -> CycleStatus:
    duration = _budget(policy, line, target, cycle)
    threshold_levels = [_share(duration, percent) for percent in policy.thresholds]
    escalation_levels = [_offset(duration, e.offset) for e in policy.escalations]
    measure = measure_cycle(cycle, line, duration, [*threshold_levels, *escalation_levels], now)
    reaches = measure.levels
    thresholds = tuple(
        ThresholdStatus(percent, reach.reached, reach.at)
        for percent, reach in zip(policy.thresholds, reaches, strict=False)
    )
    escalations = tuple(
        EscalationStatus(e.name, e.offset, reach.reached, reach.at)
        for e, reach in zip(policy.escalations, reaches[len(threshold_levels) :], strict=True)
    )
    assert measure.due.at is not None
    return CycleStatus(
        index=index,
        phase=cycle.phase,
        started_at=cycle.started_at,
        ended_at=cycle.ended_at,
        pauses=cycle.pauses,
        target=duration,
        original_due_at=line.add(cycle.started_at, duration),
        due_at=measure.due.at,
        business_elapsed=measure.business_elapsed,
        actual_elapsed=measure.actual_elapsed,
        business_paused=measure.business_paused,
        actual_paused=measure.actual_paused,
        remaining=duration - measure.business_elapsed,
        percent=100 * (measure.business_elapsed / duration),
        breached=measure.breached_at is not None,
        breached_at=measure.breached_at,
        thresholds=thresholds,
        escalations=escalations,
    )


_MICROSECOND = timedelta(microseconds=1)
#: Past the supported range: a level this far is never reached (placing it raises).
_BEYOND = LONGEST + _MICROSECOND


def _share(duration: timedelta, percent: float) -> timedelta:
    """``percent`` of ``duration``, exactly, rounded up to the microsecond."""
    numerator, denominator = percent.as_integer_ratio()
    micros = -(-(duration // _MICROSECOND) * numerator // (denominator * 100))
    return _BEYOND if micros > _BEYOND // _MICROSECOND else timedelta(microseconds=micros)


def _offset(duration: timedelta, offset: timedelta) -> timedelta:
    """``duration + offset``, held within what can be placed (never an overflow)."""
    micros = duration // _MICROSECOND + offset // _MICROSECOND
    limit = _BEYOND // _MICROSECOND
    return timedelta(microseconds=max(-limit, min(micros, limit)))
