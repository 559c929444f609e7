"""The report's JSON form: plain values with one convention throughout.

Durations are seconds (numbers), instants ISO 8601 with their UTC offset,
days ``YYYY-MM-DD``, rates fractions from 0 to 1 beside their hits and
population; the conformance report's own ``to_dict`` follows the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from itilkit.errors import InvalidTypeError
from itilkit.metrics import DurationStats, RateStats, Result, SlaStats, Tally

__all__ = [
    "duration_data",
    "expect",
    "ordered",
    "plain",
    "rate_data",
    "result_data",
    "seconds",
    "sla_data",
]

T = TypeVar("T")


def expect(value: object, kind: type, name: str) -> None:
    """Raise a typed error unless ``value`` is a ``kind``."""
    if not isinstance(value, kind):
        raise InvalidTypeError(name, kind.__name__, value)


def seconds(value: timedelta | None) -> float | None:
    """A duration in seconds."""
    return None if value is None else value.total_seconds()


def plain(value: object) -> Any:
    """A group key or attribute value as JSON: dates and instants as ISO text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def duration_data(stats: DurationStats) -> dict[str, Any]:
    """Count, mean, median, p90 (or the percentiles asked for), minimum, maximum."""
    data: dict[str, Any] = {
        "count": stats.count,
        "mean": seconds(stats.mean),
        "median": seconds(stats.median),
    }
    data.update({f"p{p * 100:g}": seconds(v) for p, v in stats.percentiles.items()})
    data["minimum"] = seconds(stats.minimum)
    data["maximum"] = seconds(stats.maximum)
    return data


def rate_data(stats: RateStats) -> dict[str, Any]:
    """Hits, population and rate."""
    return {"hits": stats.hits, "population": stats.population, "rate": stats.rate}


def sla_data(stats: SlaStats) -> dict[str, Any]:
    """Per target outcome counts and compliance; per ticket, every target met."""
    return {
        "targets": {
            name: {
                "met": t.met,
                "breached": t.breached,
                "in_progress": t.in_progress,
                "canceled": t.canceled,
                "compliance": t.compliance.rate,
            }
            for name, t in stats.targets.items()
        },
        "tickets": rate_data(stats.records),
    }


def _tallies(tallies: Mapping[str, Tally]) -> dict[str, Any]:
    return {k: {"count": t.count, "examples": list(t.samples)} for k, t in tallies.items()}


def result_data(result: Result[Any], convert: Any) -> dict[str, Any]:
    """A measure's result: ``overall``, ``groups`` (each with its ``value``, for a
    result grouped by one dimension) and ``excluded`` by reason with examples."""
    groups = []
    for key, stats in sorted(result.groups.items(), key=lambda item: _order(item[0])):
        value = plain(key[0]) if len(key) == 1 else [plain(k) for k in key]
        groups.append({"value": value, **convert(stats)})
    return {
        "overall": convert(result.overall),
        "groups": groups,
        "excluded": _tallies(result.exclusions),
    }


def ordered(values: Mapping[Any, T]) -> list[tuple[Any, T]]:
    """The items of ``{value: stats}`` in their values' natural order, unknown (None) last."""
    return sorted(values.items(), key=lambda item: _order((item[0],)))


def _order(key: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    """Group keys in their natural order, unknown (None) last."""
    return tuple((part is None, "" if part is None else _sortable(part)) for part in key)


def _sortable(part: object) -> str:
    if isinstance(part, date):
        return part.isoformat()
    if isinstance(part, int | float):
        return f"{part:020.6f}"
    return str(part)
