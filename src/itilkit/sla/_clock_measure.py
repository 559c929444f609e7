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

from itilkit.errors import CalendarError, InvalidInputError
from itilkit.sla._clock import Cycle
from itilkit.sla._line import Line

__all__ = ["Measure", "measure_cycle"]

_ZERO = timedelta(0)

#: A cycle's figures: business and wall time run, business and wall time paused,
#: for each level whether it was reached and its instant, the breach instant.
Measure = tuple[
    timedelta, timedelta, timedelta, timedelta, list[bool], list[datetime | None], datetime | None
]


def measure_cycle(
    cycle: Cycle,
    points: Sequence[datetime],
    values: Sequence[timedelta] | None,
    line: Line,
    wanted: Sequence[timedelta],
    order: Sequence[int],
) -> Measure:
    """Measure ``cycle`` and place each level of ``wanted`` (reached in ``order``).

    ``points`` are the record's instants with ``now`` last, the cycle's
    instants indexes into them; ``values`` is ``F`` at each point when the line
    has it (else each piece is asked of the line). ``wanted[0]`` is the
    target: the cycle is breached once its running business time exceeds it,
    at the first business instant after the budget ran out while the clock was
    running. A level not reached is placed where the running time would reach
    it from the cycle's end if the cycle is still open (``None`` if it ended,
    or the calendar never gets there); the target is always placed.
    """
    end = len(points) - 1 if cycle.ended is None else cycle.ended
    target = wanted[0]
    count = len(order)
    reached: list[datetime | None] = [None] * count
    nxt = 0
    cursor = cycle.started
    while nxt < count and wanted[order[nxt]] <= _ZERO:
        reached[order[nxt]] = points[cursor]
        nxt += 1
    business = wall = business_paused = wall_paused = _ZERO
    breached_at: datetime | None = None
    for first, last in (*cycle.pauses, (end, end)):
        assert first is not None
        stop = end if last is None else last
        since, until = points[cursor], points[first]
        if until > since:
            if values is None:
                piece, value = line.elapsed(since, until), None
            else:
                value = values[cursor]
                piece = values[first] - value
            total = business + piece
            while nxt < count and wanted[order[nxt]] <= total:
                reached[order[nxt]] = line.add(since, wanted[order[nxt]] - business, value)
                nxt += 1
            if breached_at is None and total > target:
                breached_at = line.first_open_after(since, target - business, value)
            business = total
            wall += until - since
        resumed = points[stop]
        if resumed > until:
            business_paused += (
                line.elapsed(until, resumed) if values is None else values[stop] - values[first]
            )
            wall_paused += resumed - until
        cursor = stop
    hit = [at is not None for at in reached]
    if nxt < count:
        last_at = points[end]
        last_value = None if values is None else values[end]
        for index in order[nxt:]:
            if index == 0:
                reached[0] = line.add(last_at, target - business, last_value)
            elif cycle.ended is None:
                reached[index] = _projected(line, last_at, wanted[index] - business, last_value)
    return business, wall, business_paused, wall_paused, hit, reached, breached_at


def _projected(
    line: Line, end: datetime, left: timedelta, value: timedelta | None
) -> datetime | None:
    """Where ``left`` more running time would be used up, if the calendar gets there."""
    try:
        return line.add(end, left, value)
    except (InvalidInputError, CalendarError):
        return None  # never, or not within the supported years
