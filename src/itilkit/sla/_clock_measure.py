"""Measuring one clock cycle in business time on a calendar.

The cycle's running time is cut into pieces (from its start to its end or
``now``, less its pauses). Business elapsed time is the sum of
``elapsed`` over the pieces; a budget level (a threshold, the due time, an
escalation) is reached in the first piece where the running total reaches
it, at ``add(piece start, what is left of the level)``. One pass over the
pieces places every level, so the cost is linear in the number of pauses plus
the number of levels, with O(1) calendar questions per piece, asked of a
:class:`~itilkit.sla._line.Line` (the calendar's own tables where it has them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from itilkit.errors import CalendarError, InvalidInputError
from itilkit.sla._clock import ClockCycle
from itilkit.sla._line import Line

__all__ = ["CycleMeasure", "LevelReach", "measure_cycle"]

_ZERO = timedelta(0)


@attrs.frozen
class LevelReach:
    """When a budget level is reached: ``at`` if ``reached``, else when it would be.

    ``at`` is ``None`` for a level the ended cycle never reached, or one the
    calendar never reaches within its supported years.
    """

    reached: bool
    at: datetime | None


@attrs.frozen
class CycleMeasure:
    """A cycle's business and wall-clock figures at its end, or at ``now``."""

    business_elapsed: timedelta
    actual_elapsed: timedelta
    business_paused: timedelta
    actual_paused: timedelta
    levels: tuple[LevelReach, ...]
    due: LevelReach
    breached_at: datetime | None


def measure_cycle(
    cycle: ClockCycle,
    line: Line,
    target: timedelta,
    levels: Sequence[timedelta],
    now: datetime,
) -> CycleMeasure:
    """Measure ``cycle`` against ``target`` and place each of ``levels``.

    ``levels`` are amounts of running business time; the due time is the
    level ``target``. The cycle is breached once its running business time
    exceeds ``target``: ``breached_at`` is the first business instant after
    the budget ran out while the clock was running.
    """
    end = cycle.ended_at if cycle.ended_at is not None else now
    running, paused = _pieces(cycle, end)
    wanted = (target, *levels)
    order = sorted(range(len(wanted)), key=wanted.__getitem__)
    reached: list[datetime | None] = [None] * len(wanted)
    nxt = 0
    while nxt < len(order) and wanted[order[nxt]] <= _ZERO:
        reached[order[nxt]] = cycle.started_at
        nxt += 1
    business = _ZERO
    breached_at: datetime | None = None
    for start, stop in running:
        piece = line.elapsed(start, stop)
        while nxt < len(order) and wanted[order[nxt]] <= business + piece:
            reached[order[nxt]] = line.add(start, wanted[order[nxt]] - business)
            nxt += 1
        if breached_at is None and business + piece > target:
            breached_at = line.first_open_after(start, target - business)
        business += piece
    still_running = cycle.ended_at is None
    reaches = [
        LevelReach(True, at)
        if at is not None
        else LevelReach(False, _projected(line, end, amount - business) if still_running else None)
        for at, amount in zip(reached, wanted, strict=True)
    ]
    due = reaches[0]
    if due.at is None:
        due = LevelReach(False, line.add(end, target - business))
    wall = sum((stop - start for start, stop in running), _ZERO)
    return CycleMeasure(
        business_elapsed=business,
        actual_elapsed=wall,
        business_paused=sum((line.elapsed(a, b) for a, b in paused), _ZERO),
        actual_paused=sum((b - a for a, b in paused), _ZERO),
        levels=tuple(reaches[1:]),
        due=due,
        breached_at=breached_at,
    )


def _projected(line: Line, end: datetime, left: timedelta) -> datetime | None:
    """Where ``left`` more running time would be used up, if the calendar gets there."""
    try:
        return line.add(end, left)
    except (InvalidInputError, CalendarError):
        return None  # never, or not within the supported years


def _pieces(
    cycle: ClockCycle, end: datetime
) -> tuple[list[tuple[datetime, datetime]], list[tuple[datetime, datetime]]]:
    """The running and the paused pieces of ``cycle`` up to ``end``."""
    running: list[tuple[datetime, datetime]] = []
    paused: list[tuple[datetime, datetime]] = []
    cursor = cycle.started_at
    for pause in cycle.pauses:
        pause_end = end if pause.end is None else pause.end
        if pause.start > cursor:
            running.append((cursor, pause.start))
        if pause_end > pause.start:
            paused.append((pause.start, pause_end))
        cursor = pause_end
    if end > cursor:
        running.append((cursor, end))
    return running, paused
