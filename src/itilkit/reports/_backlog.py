"""Backlog over time: tickets opened, ended and still open, period by period.

A ticket is open from ``opened_at`` until it ends, at the earlier of
``resolved_at`` and ``closed_at`` (never, while it has neither): the
definition of :class:`itilkit.metrics.Backlog`. Each period of the series,
from the one holding the first opening to the one holding ``until``, is
listed even when nothing happened in it (zero-filled), so a chart has no holes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo

import attrs

from itilkit._validators import non_negative, of_type, tuple_of
from itilkit.metrics import Period

__all__ = ["BacklogPoint", "BacklogSeries", "auto_period", "backlog_series"]


@attrs.frozen
class BacklogPoint:
    """One period: its first day, tickets opened and ended in it, and open at its end.

    ``open`` counts the tickets opened before the period's end and not ended
    by then: ``open = previous open + opened - ended``.

    .. versionadded:: 0.2
    """

    start: date = attrs.field(validator=of_type(date))
    opened: int = attrs.field(validator=non_negative())
    ended: int = attrs.field(validator=non_negative())
    open: int = attrs.field(validator=non_negative())


@attrs.frozen
class BacklogSeries:
    """The backlog period by period, in the report's zone; ``excluded`` counts tickets
    that end before they open (never open).

    .. versionadded:: 0.2
    """

    period: Period = attrs.field(validator=of_type(Period))
    points: tuple[BacklogPoint, ...] = attrs.field(validator=tuple_of(BacklogPoint))
    excluded: int = attrs.field(validator=non_negative())


def auto_period(first: datetime, last: datetime) -> Period:
    """Days for a span of up to 92 days, weeks up to three years, months beyond."""
    span = last - first
    if span <= timedelta(days=92):
        return Period.DAY
    return Period.WEEK if span <= timedelta(days=3 * 366) else Period.MONTH


def backlog_series(
    tickets: Iterable[tuple[datetime, datetime | None]],
    *,
    until: datetime,
    zone: tzinfo,
    period: Period | None = None,
) -> BacklogSeries:
    """The backlog of ``(opened_at, ended_at)`` pairs (aware; ``None``: not ended), by
    ``period`` in ``zone`` (:func:`auto_period` when None) up to the one holding ``until``."""
    openings: list[datetime] = []
    endings: list[datetime] = []
    excluded = 0
    for opened, ended in tickets:
        if ended is not None and ended < opened:
            excluded += 1
            continue
        openings.append(opened)
        if ended is not None:
            endings.append(ended)
    if not openings:
        return BacklogSeries(period or Period.WEEK, (), excluded)
    openings.sort()
    endings.sort()
    chosen = period or auto_period(openings[0], max(until, openings[0]))
    day = chosen.start(openings[0].astimezone(zone).date())
    last = chosen.start(max(until, openings[0]).astimezone(zone).date())
    points: list[BacklogPoint] = []
    opened_before = ended_before = 0
    while day <= last:
        following = chosen.following(day)
        boundary = datetime.combine(following, time(0), tzinfo=zone)
        opened_by = bisect_left(openings, boundary)
        ended_by = bisect_left(endings, boundary)
        points.append(
            BacklogPoint(
                day, opened_by - opened_before, ended_by - ended_before, opened_by - ended_by
            )
        )
        opened_before, ended_before = opened_by, ended_by
        day = following
    return BacklogSeries(chosen, tuple(points), excluded)
