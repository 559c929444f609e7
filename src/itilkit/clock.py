"""Injectable clocks: where "now" comes from.

Library code never calls ``datetime.now()``; it takes a
:class:`itilkit.typing.Clock`.
:class:`SystemClock` reads the system's UTC time; :class:`FixedClock` is
frozen (and steppable) for tests and notebooks.

>>> from datetime import datetime, timedelta, timezone
>>> clock = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc))
>>> clock.advance(timedelta(minutes=30)).now().isoformat()
'2026-01-05T09:30:00+00:00'
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs

from itilkit._time import YEARS_TEXT, instant
from itilkit.errors import InvalidTypeError, OutOfRangeError

__all__ = ["FixedClock", "SystemClock"]


@attrs.frozen
class SystemClock:
    """The system's clock, in UTC."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(UTC)


def _instant_at(value: datetime) -> datetime:
    return instant(value, "FixedClock.at")


@attrs.frozen
class FixedClock:
    """A clock that always says ``at``; ``advance`` returns a later clock.

    ``at`` is a supported instant (an aware datetime in years 2 to 9998; a
    pandas Timestamp is read as a plain datetime).
    """

    at: datetime = attrs.field(converter=_instant_at)

    def now(self) -> datetime:
        """Return the fixed instant."""
        return self.at

    def advance(self, by: timedelta) -> FixedClock:
        """Return a clock ``by`` later (``by`` may be negative)."""
        if not isinstance(by, timedelta):
            raise InvalidTypeError("by", "a timedelta", by)
        try:
            later = self.at + by
        except OverflowError:
            raise OutOfRangeError("FixedClock.advance", by, YEARS_TEXT) from None
        return FixedClock(later)
