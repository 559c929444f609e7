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

from itilkit._repr import shown
from itilkit._validators import non_negative, of_type, optional
from itilkit.errors import InvalidInputError, InvalidTypeError, MetricsError, OutOfRangeError

__all__ = ["CountStats", "DurationStats", "RateStats"]

_ZERO = timedelta(0)
MICROSECOND = timedelta(microseconds=1)
#: Every integer of at most this magnitude is a float exactly.
_EXACT_FLOAT = 2**53


#: The most percentiles a measure reports (each costs a quantile per group).
MAX_PERCENTILES = 100
#: Counts beyond this magnitude are refused (their statistics are floats).
_LARGEST_COUNT = 2**63


def check_fractions(values: Iterable[float]) -> tuple[float, ...]:
    """Percentile fractions: numbers in [0, 1], at most :data:`MAX_PERCENTILES`, sorted."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidTypeError("percentiles", "an iterable of fractions (0.9 for p90)", values)
    fractions: set[float] = set()
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidTypeError("each percentile", "a fraction between 0 and 1", value)
        if not 0.0 <= value <= 1.0:
            raise InvalidInputError(
                f"percentiles must be fractions between 0 and 1 (0.9 for p90), got {shown(value)}"
            )
        fractions.add(float(value))
        if len(fractions) > MAX_PERCENTILES:
            raise OutOfRangeError("percentiles", values, f"at most {MAX_PERCENTILES} fractions")
    return tuple(sorted(fractions))


def _percentile_map(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(p, float) and 0.0 <= p <= 1.0 for p in value
    ):
        raise InvalidTypeError("percentiles", "a mapping of fractions (floats in [0, 1])", value)


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

    count: int = attrs.field(validator=non_negative())
    total: timedelta = attrs.field(validator=of_type(timedelta))
    mean: timedelta | None = attrs.field(validator=optional(of_type(timedelta)))
    median: timedelta | None = attrs.field(validator=optional(of_type(timedelta)))
    minimum: timedelta | None = attrs.field(validator=optional(of_type(timedelta)))
    maximum: timedelta | None = attrs.field(validator=optional(of_type(timedelta)))
    percentiles: Mapping[float, timedelta | None] = attrs.field(
        hash=False, validator=_percentile_map
    )

    @classmethod
    def of(cls, values: Iterable[timedelta], percentiles: Iterable[float]) -> DurationStats:
        """Summarise ``values`` (any order; pandas Timedeltas count to the microsecond).

        Raises:
            InvalidTypeError: a value is not a timedelta.
            MetricsError: the values add up to more than a timedelta holds.
        """
        fractions = check_fractions(percentiles)
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise InvalidTypeError("values", "an iterable of timedeltas", values)
        micros: list[float] = []
        for value in values:
            if not isinstance(value, timedelta):
                raise InvalidTypeError("each value", "a timedelta", value)
            micros.append(float(value // MICROSECOND))
        return cls._of_micros(micros, fractions)

    @classmethod
    def _of_micros(cls, micros: list[float], percentiles: Sequence[float]) -> DurationStats:
        """Summarise whole microseconds held as floats; sorts ``micros`` in place.

        Floats hold whole microseconds exactly up to 2**53 (285 years; longer
        durations are rounded to 53 significant bits), sort on CPython's fast
        path, and the total is summed as integers, so the result does not depend
        on the order of ``micros``.
        """
        if not micros:
            return cls(0, _ZERO, None, None, None, None, dict.fromkeys(percentiles))
        micros.sort()
        summed = exact_total(micros)
        try:
            total = timedelta(microseconds=summed)
        except OverflowError:
            raise MetricsError(
                f"{len(micros)} durations add up to {summed / 3.15576e13:,.0f} years, more than "
                f"a timedelta holds; the longest is {timedelta(microseconds=micros[-1])}: leave "
                "out the records with placeholder dates"
            ) from None
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

    count: int = attrs.field(validator=non_negative())
    total: int = attrs.field(validator=of_type(int))
    mean: float | None = attrs.field(validator=optional(of_type(float, int)))
    median: float | None = attrs.field(validator=optional(of_type(float, int)))
    minimum: int | None = attrs.field(validator=optional(of_type(int)))
    maximum: int | None = attrs.field(validator=optional(of_type(int)))
    percentiles: Mapping[float, float | None] = attrs.field(hash=False, validator=_percentile_map)

    @classmethod
    def of(cls, values: Iterable[int], percentiles: Iterable[float]) -> CountStats:
        """Summarise ``values`` (whole numbers, any order).

        Raises:
            InvalidTypeError: a value is not an int.
            OutOfRangeError: a value beyond 2**63 in magnitude.
        """
        fractions = check_fractions(percentiles)
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise InvalidTypeError("values", "an iterable of ints", values)
        counts = list(values)
        for value in counts:
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidTypeError("each value", "an int", value)
            if abs(value) > _LARGEST_COUNT:
                raise OutOfRangeError("a count", value, "at most 2**63 in magnitude")
        return cls._of_sorted(sorted(counts), 0, fractions)

    @classmethod
    def _of_sorted(cls, ordered: list[int], zeros: int, percentiles: Sequence[float]) -> CountStats:
        """Summarise ``zeros`` zeros followed by the sorted ``ordered`` (all > 0 if zeros)."""
        n = zeros + len(ordered)
        if not n:
            return cls(0, 0, None, None, None, None, dict.fromkeys(percentiles))

        def at(rank: int) -> float:
            return 0.0 if rank < zeros else float(ordered[rank - zeros])

        def quantile(p: float) -> float:
            low, high, frac = _rank(n, p)
            return at(low) + (at(high) - at(low)) * frac

        total = sum(ordered)
        return cls(
            count=n,
            total=total,
            mean=total / n,
            median=quantile(0.5),
            minimum=0 if zeros else ordered[0],
            maximum=ordered[-1] if ordered else 0,
            percentiles={p: quantile(p) for p in percentiles},
        )

    def _row(self) -> dict[str, Any]:
        """Plain values, percentiles as ``pNN``."""
        return _summary_dict(self)


@attrs.frozen
class RateStats:
    """``hits`` out of ``population``; ``rate`` is ``None`` for an empty population."""

    hits: int = attrs.field(validator=non_negative())
    population: int = attrs.field(validator=non_negative())

    @property
    def rate(self) -> float | None:
        """``hits / population``, or ``None`` when nothing was in the population."""
        return self.hits / self.population if self.population else None

    def _row(self) -> dict[str, Any]:
        """Plain values, with the rate."""
        return {"hits": self.hits, "population": self.population, "rate": self.rate}
