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

from itilkit._time import require_aware
from itilkit.errors import UnknownTargetError
from itilkit.outcomes import SlaOutcome
from itilkit.sla._clock import ClockCycle, ClockPhase, Pause, trace_cycles
from itilkit.sla._clock_measure import measure_cycle
from itilkit.sla._history import HistoryEvent, snapshots
from itilkit.sla._policy import SlaPolicy, SlaTarget

__all__ = [
    "CycleStatus",
    "EscalationStatus",
    "SlaStatus",
    "TargetStatus",
    "ThresholdStatus",
    "sla_status",
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
    """
    now = require_aware(now, "now").astimezone(UTC)
    states = list(snapshots(history, until=now))
    targets = tuple(
        TargetStatus(
            target.name,
            tuple(
                _cycle_status(policy, target, index, cycle, now)
                for index, cycle in enumerate(trace_cycles(target, states, policy.reopen))
            ),
        )
        for target in policy.targets
    )
    return SlaStatus(policy.name, now, targets)


def _cycle_status(
    policy: SlaPolicy, target: SlaTarget, index: int, cycle: ClockCycle, now: datetime
) -> CycleStatus:
    duration = target.duration_for(cycle.fields)
    threshold_levels = [_share(duration, percent) for percent in policy.thresholds]
    escalation_levels = [duration + e.offset for e in policy.escalations]
    measure = measure_cycle(
        cycle, policy.calendar, duration, [*threshold_levels, *escalation_levels], now
    )
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
        original_due_at=policy.calendar.add(cycle.started_at, duration).astimezone(UTC),
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


def _share(duration: timedelta, percent: float) -> timedelta:
    """``percent`` of ``duration``, exactly, rounded up to the microsecond."""
    numerator, denominator = percent.as_integer_ratio()
    micros = duration // _MICROSECOND
    return timedelta(microseconds=-(-micros * numerator // (denominator * 100)))


_MICROSECOND = timedelta(microseconds=1)
