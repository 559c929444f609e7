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

from itilkit._time import require_aware

__all__ = ["FixedClock", "SystemClock"]


@attrs.frozen
class SystemClock:
    """The system's clock, in UTC."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(UTC)


def _aware_at(value: datetime) -> datetime:
    return require_aware(value, "FixedClock.at")


@attrs.frozen
class FixedClock:
    """A clock that always says ``at``; ``advance`` returns a later clock."""

    at: datetime = attrs.field(converter=_aware_at)

    def now(self) -> datetime:
        """Return the fixed instant."""
        return self.at

    def advance(self, by: timedelta) -> FixedClock:
        """Return a clock ``by`` later."""
        return FixedClock(self.at + by)
