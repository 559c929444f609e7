"""Backlog and ageing at an instant."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import attrs

from itilkit._repr import shown
from itilkit._time import instant
from itilkit._validators import non_negative, of_type
from itilkit.errors import InvalidInputError, InvalidTypeError, ItilkitError, OutOfRangeError
from itilkit.metrics._clock import DurationClock, WallClock, check_clock
from itilkit.metrics._engine import Layout, Measure, check_percentiles
from itilkit.metrics._fields import check_datetime
from itilkit.metrics._quality import Quality
from itilkit.metrics._stats import DurationStats

__all__ = ["Backlog", "BacklogStats"]

_DEFAULT_EDGES = (timedelta(days=7), timedelta(days=30), timedelta(days=90))
#: The most age buckets a backlog reports.
MAX_BUCKETS = 1000


def _span(value: timedelta) -> str:
    if value % timedelta(days=1) == timedelta(0):
        return f"{value.days}d"
    return f"{value / timedelta(hours=1):g}h"


def _check_edges(value: Iterable[timedelta]) -> tuple[timedelta, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError("buckets", "increasing positive timedeltas (upper edges)", value)
    edges: list[timedelta] = []
    for edge in value:
        if not isinstance(edge, timedelta) or edge <= timedelta(0) or (edges and edge <= edges[-1]):
            raise InvalidInputError(
                "buckets must be increasing positive timedeltas (upper edges), "
                f"got {shown(edge)} after {shown(edges[-1:])}"
            )
        edges.append(
            edge
            if type(edge) is timedelta
            else timedelta(edge.days, edge.seconds, edge.microseconds)
        )
        if len(edges) > MAX_BUCKETS:
            raise OutOfRangeError("buckets", value, f"at most {MAX_BUCKETS} edges")
    return tuple(edges)


def bucket_labels(edges: Sequence[timedelta]) -> tuple[str, ...]:
    """``0-7d``, ``7d-30d``, ..., ``90d+`` for upper edges 7, 30, 90 days."""
    lows = ["0", *(_span(e) for e in edges)]
    highs = [_span(e) for e in edges]
    return (*(f"{low}-{high}" for low, high in zip(lows, highs, strict=False)), f"{lows[-1]}+")


@attrs.frozen
class BacklogStats:
    """Open records at the instant, their ages, and how many fall in each age bucket."""

    open: int = attrs.field(validator=non_negative())
    age: DurationStats = attrs.field(validator=of_type(DurationStats))
    buckets: Mapping[str, int] = attrs.field(hash=False, validator=of_type(Mapping))

    def _row(self) -> dict[str, Any]:
        """Flat: ``open``, ``age_<stat>`` and ``bucket_<label>`` columns."""
        flat: dict[str, Any] = {"open": self.open}
        flat.update({f"age_{k}": v for k, v in self.age._row().items()})
        flat.update({f"bucket_{k}": v for k, v in self.buckets.items()})
        return flat


def _instant(value: datetime) -> datetime:
    return instant(value, "Backlog.at")


@attrs.frozen(kw_only=True)
class Backlog(Measure[tuple[list[timedelta], list[int]], BacklogStats]):
    """Records open at ``at``: ``opened_at <= at`` and neither resolved nor closed by ``at``.

    Age is ``clock.elapsed(opened_at, at)`` (wall-clock by default). Age
    buckets are half-open ``[low, high)`` between the upper ``buckets`` edges
    (default 7, 30 and 90 days), plus one open-ended bucket. Records not open at
    ``at`` are reported as exclusions ("opened after the instant", "resolved
    or closed by the instant"); canceled records are excluded. Timestamps are
    the records' current ones: a record reopened after ``at`` counts as open
    from ``opened_at`` until its final resolution.
    """

    name: ClassVar[str] = "backlog"
    reads: ClassVar[tuple[str, ...]] = ("opened_at", "resolved_at", "closed_at", "category")
    optional: ClassVar[tuple[str, ...]] = ("closed_at", "category")

    at: datetime = attrs.field(converter=_instant)
    buckets: tuple[timedelta, ...] = attrs.field(default=_DEFAULT_EDGES, converter=_check_edges)
    clock: DurationClock = attrs.field(factory=WallClock, validator=check_clock)
    percentiles: tuple[float, ...] = attrs.field(default=(0.9,), converter=check_percentiles)

    def _new_state(self) -> tuple[list[timedelta], list[int]]:
        """No ages, zero per bucket."""
        return [], [0] * (len(self.buckets) + 1)

    def _add(self, state: tuple[list[timedelta], list[int]], item: timedelta) -> None:
        """Record one open record's age."""
        state[0].append(item)
        state[1][bisect_right(self.buckets, item)] += 1

    def _merge_states(
        self, a: tuple[list[timedelta], list[int]], b: tuple[list[timedelta], list[int]]
    ) -> tuple[list[timedelta], list[int]]:
        """Ages concatenated, bucket counts added."""
        return a[0] + b[0], [x + y for x, y in zip(a[1], b[1], strict=True)]

    def _stats(self, state: tuple[list[timedelta], list[int]]) -> BacklogStats:
        """Open count, age statistics and bucket counts."""
        labels = bucket_labels(self.buckets)
        return BacklogStats(
            len(state[0]),
            DurationStats.of(state[0], self.percentiles),
            dict(zip(labels, state[1], strict=True)),
        )

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> timedelta | None:
        """The age at ``at`` of a record open then."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        values: list[datetime | None] = []
        for logical in ("opened_at", "resolved_at", "closed_at"):
            position = layout.index.get(logical)
            if position is None:
                values.append(None)
                continue
            value, problem = check_datetime(raw[position])
            if problem or (logical == "opened_at" and value is None):
                name = layout.names[position]
                quality.issue(name, problem or "missing", record, index)
                quality.exclude(f"no valid {name}", record, index)
                return None
            values.append(value)
        opened, resolved, closed = values
        assert opened is not None
        at = self.at.astimezone(UTC)  # compare instants: a same-zone comparison is wall time
        if opened.astimezone(UTC) > at:
            quality.exclude("opened after the instant", record, index)
            return None
        if (resolved is not None and resolved.astimezone(UTC) <= at) or (
            closed is not None and closed.astimezone(UTC) <= at
        ):
            quality.exclude("resolved or closed by the instant", record, index)
            return None
        try:
            return self.clock.elapsed(opened, self.at)
        except ItilkitError as error:
            quality.exclude(f"clock error: {type(error).__name__}", record, index)
            return None
