"""Open spans of one period (a day or a week) with prefix sums of open time.

A :class:`Profile` answers, by bisection, how much open time lies before a
point of its period and where a given amount of open time is reached. It is the
week table of the fast path and the table of each exceptional day.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable


def merge(spans: Iterable[tuple[int, int]], period: int) -> list[tuple[int, int]]:
    """Clip spans to ``[0, period]``, then merge overlapping or touching ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(s, 0), min(e, period)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class Profile:
    """Disjoint open spans within ``[0, period]`` and their prefix sums."""

    __slots__ = ("cum_ends", "cums", "ends", "period", "spans", "starts", "total")

    def __init__(self, spans: Iterable[tuple[int, int]], period: int) -> None:
        self.period = period
        self.spans = tuple(merge(spans, period))
        self.starts = [start for start, _ in self.spans]
        self.ends = [end for _, end in self.spans]
        cums, total = [], 0
        for start, end in self.spans:
            cums.append(total)
            total += end - start
        self.cums = cums
        self.cum_ends = [
            cum + end - start for cum, (start, end) in zip(cums, self.spans, strict=True)
        ]
        self.total = total

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Profile) and (self.spans, self.period) == (
            other.spans,
            other.period,
        )

    def __hash__(self) -> int:
        return hash((self.spans, self.period))

    def open_before(self, point: int) -> int:
        """Open time in ``[0, point)``, for ``0 <= point <= period``."""
        index = bisect_right(self.starts, point) - 1
        if index < 0:
            return 0
        return self.cums[index] + min(point, self.ends[index]) - self.starts[index]

    def first_reaching(self, amount: int) -> int:
        """The earliest point with ``amount`` open time before it (``0 < amount <= total``)."""
        index = bisect_left(self.cum_ends, amount)
        return self.starts[index] + amount - self.cums[index]

    def last_at(self, amount: int) -> int:
        """The latest point with ``amount`` open time before it (``0 <= amount < total``)."""
        index = bisect_right(self.cums, amount) - 1
        return self.starts[index] + amount - self.cums[index]

    def is_open(self, point: int) -> bool:
        """Whether ``point`` lies in a span (spans are half-open)."""
        index = bisect_right(self.starts, point) - 1
        return index >= 0 and point < self.ends[index]

    def span_end(self, point: int) -> int:
        """The end of the span holding ``point`` (which must be open)."""
        return self.ends[bisect_right(self.starts, point) - 1]

    def span_start(self, point: int) -> int:
        """The start of the span holding ``point`` (open), or ending at it."""
        return self.starts[bisect_left(self.ends, point)]

    @property
    def closes_at_end(self) -> bool:
        """Whether the last span ends before the period's end."""
        return not self.ends or self.ends[-1] < self.period

    @property
    def opens_at_zero(self) -> bool:
        """Whether the first span starts at the period's start."""
        return bool(self.starts) and self.starts[0] == 0

    @property
    def is_full(self) -> bool:
        """Whether the whole period is open."""
        return self.total == self.period
