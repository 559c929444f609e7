"""Summary statistics with a defined result on empty input.

Percentiles use linear interpolation between closest ranks (the "linear" method
of numpy and pandas, Hyndman & Fan type 7): for ``n`` sorted values and a
fraction ``p``, ``h = (n - 1) * p`` and the result is
``x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])``. Durations
are kept as whole microseconds (floats hold them exactly up to 285 years),
totals are integer sums, and quantiles are rounded to the microsecond, so
results do not depend on the order records arrive in or on how they were
partitioned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import attrs

from itilkit.errors import InvalidInputError

__all__ = ["CountStats", "DurationStats", "RateStats"]

_ZERO = timedelta(0)
MICROSECOND = timedelta(microseconds=1)
#: Every integer of at most this magnitude is a float exactly.
_EXACT_FLOAT = 2**53


def check_fractions(values: Iterable[float]) -> tuple[float, ...]:
    fractions = tuple(float(v) for v in values)
    bad = [v for v in fractions if not 0.0 <= v <= 1.0]
    if bad:
        raise InvalidInputError(
            f"percentiles must be fractions between 0 and 1 (0.9 for p90), got {bad}"
        )
    return tuple(sorted(set(fractions)))


def _rank(n: int, p: float) -> tuple[int, int, float]:
    h = (n - 1) * p
    low = int(h)
    return low, min(low + 1, n - 1), h - low


def _micro_quantile(ordered: Sequence[float], p: float) -> timedelta:
    """The ``p`` quantile of sorted whole microseconds, rounded to the microsecond."""
    return timedelta(microseconds=number_quantile(ordered, p))


def number_quantile(ordered: Sequence[float], p: float) -> float:
    """The ``p`` quantile of non-empty sorted numbers (linear interpolation)."""
    low, high, frac = _rank(len(ordered), p)
    return ordered[low] + (ordered[high] - ordered[low]) * frac


def exact_total(ordered: list[float]) -> int:
    """The exact sum of sorted whole numbers held as floats.

    Chunks are summed as floats, short enough that no partial sum exceeds
    2**53 in magnitude (so no addition rounds), and the chunk sums as integers.
    """
    largest = max(abs(ordered[0]), abs(ordered[-1]))
    step = int(_EXACT_FLOAT // largest) if largest >= 1 else len(ordered)
    if step <= 1:
        return sum(map(int, ordered))
    return sum(int(sum(ordered[i : i + step])) for i in range(0, len(ordered), step))


def _label(p: float) -> str:
    return f"p{p * 100:g}"


def _summary_dict(stats: DurationStats | CountStats) -> dict[str, Any]:
    """The shared summary fields as plain values, percentiles as ``pNN``."""
    flat: dict[str, Any] = {
        "count": stats.count,
        "total": stats.total,
        "mean": stats.mean,
        "median": stats.median,
        "minimum": stats.minimum,
        "maximum": stats.maximum,
    }
    flat.update({_label(p): v for p, v in stats.percentiles.items()})
    return flat


@attrs.frozen
class DurationStats:
    """Count, total, mean, median, extremes and percentiles of durations.

    Every statistic but ``count`` and ``total`` is ``None`` when ``count`` is 0.
    ``mean`` is ``total / count`` rounded to the microsecond.
    """

    count: int
    total: timedelta
    mean: timedelta | None
    median: timedelta | None
    minimum: timedelta | None
    maximum: timedelta | None
    percentiles: Mapping[float, timedelta | None] = attrs.field(hash=False)

    @classmethod
    def of(cls, values: Sequence[timedelta], percentiles: Sequence[float]) -> DurationStats:
        """Summarise ``values`` (any order)."""
        return cls.of_micros([v / MICROSECOND for v in values], percentiles)

    @classmethod
    def of_micros(cls, micros: list[float], percentiles: Sequence[float]) -> DurationStats:
        """Summarise whole microseconds held as floats; sorts ``micros`` in place.

        Floats hold whole microseconds exactly up to 2**53 (285 years), sort on
        CPython's fast path, and the total is summed as integers, so the result
        does not depend on the order of ``micros``.
        """
        if not micros:
            return cls(0, _ZERO, None, None, None, None, dict.fromkeys(percentiles))
        micros.sort()
        total = timedelta(microseconds=exact_total(micros))
        return cls(
            count=len(micros),
            total=total,
            mean=total / len(micros),
            median=_micro_quantile(micros, 0.5),
            minimum=timedelta(microseconds=micros[0]),
            maximum=timedelta(microseconds=micros[-1]),
            percentiles={p: _micro_quantile(micros, p) for p in percentiles},
        )

    def _row(self) -> dict[str, Any]:
        """Plain values: durations as :class:`~datetime.timedelta`, percentiles as ``pNN``."""
        return _summary_dict(self)


@attrs.frozen
class CountStats:
    """Distribution of whole-number counts (e.g. incidents per problem)."""

    count: int
    total: int
    mean: float | None
    median: float | None
    minimum: int | None
    maximum: int | None
    percentiles: Mapping[float, float | None] = attrs.field(hash=False)

    @classmethod
    def of(cls, values: Sequence[int], percentiles: Sequence[float]) -> CountStats:
        """Summarise ``values`` (any order)."""
        if not values:
            return cls(0, 0, None, None, None, None, dict.fromkeys(percentiles))
        ordered = sorted(values)
        total = sum(ordered)
        floats = [float(v) for v in ordered]
        return cls(
            count=len(ordered),
            total=total,
            mean=total / len(ordered),
            median=number_quantile(floats, 0.5),
            minimum=ordered[0],
            maximum=ordered[-1],
            percentiles={p: number_quantile(floats, p) for p in percentiles},
        )

    def _row(self) -> dict[str, Any]:
        """Plain values, percentiles as ``pNN``."""
        return _summary_dict(self)


@attrs.frozen
class RateStats:
    """``hits`` out of ``population``; ``rate`` is ``None`` for an empty population."""

    hits: int
    population: int

    @property
    def rate(self) -> float | None:
        """``hits / population``, or ``None`` when nothing was in the population."""
        return self.hits / self.population if self.population else None

    def _row(self) -> dict[str, Any]:
        """Plain values, with the rate."""
        return {"hits": self.hits, "population": self.population, "rate": self.rate}
