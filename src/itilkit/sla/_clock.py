"""The clock state machine: from per-instant signals to the cycles of one target.

This module works on instants only; measuring a cycle in business time is
:mod:`itilkit.sla._clock_measure`'s job. At each instant the target's
conditions have been evaluated once (its *signal*, see
:mod:`itilkit.sla._compile`), and the clock moves:

=================  ==========================================================
clock is           what happens
=================  ==========================================================
not running        ``start`` and not ``stop`` and not ``cancel``: it starts
                   (paused at once if ``pause`` matches and ``resume`` does
                   not); after a stop, under :attr:`ClockReopen.RESUME`, the
                   stopped cycle carries on and the stopped time counts as a
                   pause; otherwise a new cycle begins.
running or paused  ``cancel``: canceled. Else ``stop``: stopped. Else
                   ``reset`` and ``start``: stopped, and a new cycle starts at
                   the same instant. Else ``pause`` and not ``resume``: paused;
                   otherwise running.
=================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from itilkit._enums import Vocabulary
from itilkit.sla._compile import CANCEL, PAUSE, RESET, STARTS, STOP

__all__ = ["ClockPhase", "Cycle", "Pause", "pause", "trace"]


class ClockPhase(Vocabulary):
    """Where a clock cycle stands."""

    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    CANCELED = "canceled"


@attrs.define
class _Pause:
    start: datetime
    end: datetime | None


@attrs.frozen
class Pause(_Pause):
    """A pause from ``start`` to ``end`` (``None`` while it lasts)."""


def pause(start: datetime, end: datetime | None) -> Pause:
    """``Pause(start, end)``, built as a mutable twin then frozen (a frozen attrs
    ``__init__`` costs about three times as much; see :mod:`itilkit.sla._status`)."""
    made = _Pause(start, end)
    made.__class__ = Pause
    return made  # type: ignore[return-value]  # its class is now Pause


#: A cycle's phase while it is traced (an index into :data:`PHASES`).
RUNNING, PAUSED, STOPPED, CANCELED = 0, 1, 2, 3
PHASES = (ClockPhase.RUNNING, ClockPhase.PAUSED, ClockPhase.STOPPED, ClockPhase.CANCELED)


class Cycle:
    """One cycle being traced, its instants given by their index in the record's
    list of instants: ``pauses`` as ``[start, end]`` lists (``end`` ``None`` while
    it lasts); ``fields`` is the instant whose fields the cycle keeps."""

    __slots__ = ("ended", "fields", "pauses", "phase", "started")

    def __init__(self, started: int) -> None:
        self.started = self.fields = started
        self.pauses: list[list[int | None]] = []
        self.ended: int | None = None
        self.phase = RUNNING

    def end(self, at: int, phase: int) -> None:
        if self.phase == PAUSED:
            self.pauses[-1][1] = at
        self.ended = at
        self.phase = phase


def trace(
    instants: Sequence[datetime], signals: Sequence[tuple[int, ...]], target: int, resume: bool
) -> list[Cycle]:
    """The cycles of target number ``target`` over the instants and their signals.

    ``resume``: a stopped cycle carries on when its clock starts again
    (:attr:`ClockReopen.RESUME`), rather than a new cycle beginning.
    """
    cycles: list[Cycle] = []
    current: Cycle | None = None
    for index, row in enumerate(signals):
        signal = row[target]
        if current is None or current.phase >= STOPPED:
            if not signal & STARTS:
                continue
            if current is not None and current.phase == STOPPED and resume:
                assert current.ended is not None
                if instants[current.ended] < instants[index]:
                    current.pauses.append([current.ended, index])
                current.ended = None
                current.phase = RUNNING
                current.fields = index
            else:
                current = Cycle(index)
                cycles.append(current)
            if signal & PAUSE:
                current.pauses.append([index, None])
                current.phase = PAUSED
            continue
        current.fields = index
        if signal & CANCEL:
            current.end(index, CANCELED)
        elif signal & STOP:
            current.end(index, STOPPED)
        elif signal & RESET:
            current.end(index, STOPPED)
            current = Cycle(index)
            cycles.append(current)
            if signal & PAUSE:
                current.pauses.append([index, None])
                current.phase = PAUSED
        elif signal & PAUSE:
            if current.phase == RUNNING:
                current.pauses.append([index, None])
                current.phase = PAUSED
        elif current.phase == PAUSED:
            current.pauses[-1][1] = index
            current.phase = RUNNING
    return cycles
