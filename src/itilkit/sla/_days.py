"""Counting business days: a date is a business day when it owns a shift.

Days are numbered as in :mod:`itilkit.sla._plans` (0 = Monday 0001-01-01).
``before(day)`` counts the business days before ``day`` (from a fixed origin):
whole weeks times the business weekdays per week, plus those earlier in the
week, plus the deviations of exceptional dates (a holiday closing a business
weekday counts -1, an override opening a closed weekday +1), found by
bisection. :meth:`DayCounts.nth` inverts it, so every business-day operation
is a few bisections whatever the number of days.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from itilkit.sla._plans import Spans


class NoBusinessDay(Exception):  # noqa: N818 - internal signal, turned into NoBusinessTimeError
    """No business day is left in the direction asked."""


class DayCounts:
    """Business days of a range of dates, for counting them and finding the n-th."""

    __slots__ = ("business", "counts", "days", "deltas", "per_week", "prefix", "weekdays", "weekly")

    def __init__(self, weekly: tuple[Spans, ...], own: Iterable[tuple[int, Spans]]) -> None:
        self.weekly = [bool(spans) for spans in weekly]
        #: The business weekdays (0 = Monday), and how many lie before each weekday.
        self.weekdays = [weekday for weekday in range(7) if self.weekly[weekday]]
        self.per_week = len(self.weekdays)
        self.prefix = [sum(self.weekly[:weekday]) for weekday in range(8)]
        deviations = sorted(
            (day, bool(spans)) for day, spans in own if bool(spans) != self.weekly[day % 7]
        )
        self.days = [day for day, _ in deviations]
        self.business = [status for _, status in deviations]
        #: The deviation summed over the exceptional days before each one (and after all).
        self.deltas = [0]
        for status in self.business:
            self.deltas.append(self.deltas[-1] + (1 if status else -1))
        self.counts = [self.before(day) for day in self.days]

    def before(self, day: int) -> int:
        """How many business days lie before ``day``."""
        weeks, weekday = divmod(day, 7)
        return (
            weeks * self.per_week + self.prefix[weekday] + self.deltas[bisect_left(self.days, day)]
        )

    def is_business(self, day: int) -> bool:
        """Whether ``day`` is a business day."""
        index = bisect_left(self.days, day)
        if index < len(self.days) and self.days[index] == day:
            return self.business[index]
        return self.weekly[day % 7]

    def nth(self, count: int) -> int:
        """The business day with ``count`` business days before it."""
        index = bisect_right(self.counts, count)
        if index and self.business[index - 1] and self.counts[index - 1] == count:
            return self.days[index - 1]
        if not self.per_week:
            raise NoBusinessDay
        weeks, rest = divmod(count - self.deltas[index], self.per_week)
        return weeks * 7 + self.weekdays[rest]
