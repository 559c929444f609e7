"""Duration clocks: wall-clock, or business time on any calendar.

A duration clock is anything with ``elapsed(start, end) -> timedelta`` over
aware datetimes, such as :class:`itilkit.sla.BusinessCalendar`. When it also has
``elapsed_many(starts, ends)``, long inputs are measured in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import attrs

from itilkit._time import UNSUPPORTED_YEARS, instant
from itilkit.errors import InvalidTypeError

__all__ = ["DurationClock", "WallClock"]


class DurationClock(Protocol):
    """Measures the time between two aware instants."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Time counted between ``start`` and ``end`` (``end >= start``)."""
        ...


@attrs.frozen
class WallClock:
    """Real elapsed time between two instants: ``end - start`` in UTC.

    Python subtracts two datetimes of the same zone as wall times, so across a
    DST change the difference would be an hour off; the instants are compared
    in UTC instead.

    >>> from datetime import datetime, timezone
    >>> WallClock().elapsed(datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...                     datetime(2026, 1, 2, 6, tzinfo=timezone.utc))
    datetime.timedelta(days=1, seconds=21600)
    """

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """``end - start``, as instants (supported aware datetimes; negative if end is first)."""
        return _utc(end, "end") - _utc(start, "start")


def _utc(value: datetime, name: str) -> datetime:
    try:
        if type(value) is datetime and value.year not in UNSUPPORTED_YEARS:
            return value.astimezone(UTC)
    except Exception:  # a tzinfo that misbehaves: instant() says so
        pass
    return instant(value, name).astimezone(UTC)


def check_clock(_: object, __: attrs.Attribute[Any], value: object) -> None:
    """Validator: ``value`` has ``elapsed(start, end)`` (a WallClock, a business calendar...)."""
    if not callable(getattr(value, "elapsed", None)):
        raise InvalidTypeError(
            "clock",
            "an object with elapsed(start, end) -> timedelta: WallClock() or a business "
            "calendar such as itilkit.sla.BusinessCalendar",
            value,
        )


def paused_within(
    clock: DurationClock,
    start: datetime,
    end: datetime,
    pauses: timedelta | Sequence[tuple[datetime, datetime]],
) -> timedelta:
    """Paused time inside ``[start, end]`` on ``clock``.

    ``pauses`` are merged, sorted intervals (clipped here to the window), or a
    wall-clock total, returned as is (callers check it fits the window and that
    the clock is a :class:`WallClock`).
    """
    if isinstance(pauses, timedelta):
        return pauses
    paused = timedelta(0)
    for pause_start, pause_end in pauses:
        low = max(pause_start, start)
        high = min(pause_end, end)
        if high > low:
            paused += clock.elapsed(low, high)
    return paused
