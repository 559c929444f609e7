"""The clock state machine: from snapshots to the cycles of one target.

This module works on instants only; measuring a cycle in business time is
:mod:`itilkit.sla._clock_measure`'s job. At each snapshot the target's
conditions are evaluated once, in a fixed order:

=================  ==========================================================
clock is           what happens
=================  ==========================================================
not running        ``start`` and not ``stop`` and not ``cancel``: it starts
                   (paused at once if ``pause`` matches and ``resume`` does
                   not); after a stop, under :attr:`ReopenPolicy.RESUME`, the
                   stopped cycle carries on and the stopped time counts as a
                   pause; otherwise a new cycle begins.
running or paused  ``cancel``: canceled. Else ``stop``: stopped. Else
                   ``reset`` and ``start``: stopped, and a new cycle starts at
                   the same instant. Else ``pause`` and not ``resume``: paused;
                   otherwise running.
=================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum

import attrs

from itilkit.sla._history import Snapshot
from itilkit.sla._policy import ReopenPolicy, SlaTarget
from itilkit.sla._policy_conditions import Condition

__all__ = ["ClockCycle", "ClockPhase", "Pause", "trace_cycles"]


class ClockPhase(StrEnum):
    """Where a clock cycle stands."""

    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    CANCELED = "canceled"


@attrs.frozen
class Pause:
    """A pause from ``start`` to ``end`` (``None`` while it lasts)."""

    start: datetime
    end: datetime | None


@attrs.frozen
class ClockCycle:
    """One cycle of a target's clock, as instants.

    ``fields`` are the record's fields that choose the target duration: the
    latest ones while the cycle is open, those at its end once it ended.
    """

    started_at: datetime
    pauses: tuple[Pause, ...]
    ended_at: datetime | None
    phase: ClockPhase
    fields: Mapping[str, object]


@attrs.define
class _Cycle:
    """The mutable cycle being traced."""

    started_at: datetime
    fields: Mapping[str, object]
    pauses: list[Pause] = attrs.Factory(list)
    ended_at: datetime | None = None
    phase: ClockPhase = ClockPhase.RUNNING

    def pause(self, at: datetime) -> None:
        self.pauses.append(Pause(at, None))
        self.phase = ClockPhase.PAUSED

    def resume(self, at: datetime) -> None:
        self.pauses[-1] = Pause(self.pauses[-1].start, at)
        self.phase = ClockPhase.RUNNING

    def end(self, at: datetime, phase: ClockPhase) -> None:
        if self.phase is ClockPhase.PAUSED:
            self.resume(at)
        self.ended_at = at
        self.phase = phase

    def frozen(self) -> ClockCycle:
        return ClockCycle(
            self.started_at, tuple(self.pauses), self.ended_at, self.phase, self.fields
        )


def trace_cycles(
    target: SlaTarget, snapshots: Iterable[Snapshot], reopen: ReopenPolicy
) -> tuple[ClockCycle, ...]:
    """The cycles of ``target``'s clock over ``snapshots`` (in time order)."""
    cycles: list[_Cycle] = []
    for snap in snapshots:
        current = cycles[-1] if cycles else None
        if current is None or current.phase in (ClockPhase.STOPPED, ClockPhase.CANCELED):
            if _starts(target, snap):
                if (
                    current is not None
                    and current.phase is ClockPhase.STOPPED
                    and reopen is ReopenPolicy.RESUME
                ):
                    _reopen(current, snap)
                else:
                    cycles.append(_Cycle(snap.at, snap.fields))
                _pause_or_resume(target, cycles[-1], snap)
            continue
        current.fields = snap.fields
        if _matches(target.cancel, snap):
            current.end(snap.at, ClockPhase.CANCELED)
        elif target.stop.matches(snap):
            current.end(snap.at, ClockPhase.STOPPED)
        elif _matches(target.reset, snap) and target.start.matches(snap):
            current.end(snap.at, ClockPhase.STOPPED)
            cycles.append(_Cycle(snap.at, snap.fields))
            _pause_or_resume(target, cycles[-1], snap)
        else:
            _pause_or_resume(target, current, snap)
    return tuple(c.frozen() for c in cycles)


def _starts(target: SlaTarget, snap: Snapshot) -> bool:
    return (
        target.start.matches(snap)
        and not target.stop.matches(snap)
        and not _matches(target.cancel, snap)
    )


def _reopen(cycle: _Cycle, snap: Snapshot) -> None:
    """Carry a stopped cycle on: the stopped time becomes a pause."""
    assert cycle.ended_at is not None
    if cycle.ended_at < snap.at:
        cycle.pauses.append(Pause(cycle.ended_at, snap.at))
    cycle.ended_at = None
    cycle.phase = ClockPhase.RUNNING
    cycle.fields = snap.fields


def _pause_or_resume(target: SlaTarget, cycle: _Cycle, snap: Snapshot) -> None:
    wants_pause = _matches(target.pause, snap) and not _matches(target.resume, snap)
    if wants_pause and cycle.phase is ClockPhase.RUNNING:
        cycle.pause(snap.at)
    elif not wants_pause and cycle.phase is ClockPhase.PAUSED:
        cycle.resume(snap.at)


def _matches(condition: Condition | None, snap: Snapshot) -> bool:
    return condition is not None and condition.matches(snap)
