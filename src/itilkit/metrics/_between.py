"""Time between failures (MTBF) and between service incidents (MTBSI) of a CI or service."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import chain, pairwise
from typing import Any, ClassVar

import attrs

from itilkit.metrics._clock import DurationClock, WallClock, check_clock
from itilkit.metrics._engine import Layout, Measure, check_percentiles
from itilkit.metrics._fields import ABSENT, UNREADABLE, check_datetime, is_missing, problem_of
from itilkit.metrics._quality import Quality
from itilkit.metrics._stats import DurationStats

__all__ = ["TimeBetweenFailures", "TimeBetweenServiceIncidents"]

Failure = tuple[Any, datetime, datetime | None]
_ZERO = timedelta(0)


@attrs.frozen(kw_only=True)
class _Gaps(Measure[list[Failure], DurationStats]):
    """Gaps between consecutive failures of the same ``ci``, summarised.

    Each record is one failure of the CI or service named by its ``ci`` field.
    Within a group (and overall), failures of each CI are ordered by
    ``failed_at`` and every pair of consecutive failures gives one gap; a CI
    with ``n`` failures gives ``n - 1`` gaps. Canceled records are excluded.
    """

    reads: ClassVar[tuple[str, ...]] = ("ci", "failed_at", "category")

    clock: DurationClock = attrs.field(factory=WallClock, validator=check_clock)
    percentiles: tuple[float, ...] = attrs.field(default=(0.9,), converter=check_percentiles)

    def _new_state(self) -> list[Failure]:
        """No failures."""
        return []

    def _add(self, state: list[Failure], item: Failure) -> None:
        """Keep one failure."""
        state.append(item)

    def _merge_states(self, a: list[Failure], b: list[Failure]) -> list[Failure]:
        """Both lists of failures."""
        return a + b

    def _merge_all(self, states: Iterable[list[Failure]]) -> list[Failure]:
        """Every failure."""
        return list(chain.from_iterable(states))

    def _gaps(self, failures: list[Failure]) -> Iterable[timedelta]:
        """The gaps between consecutive failures of one CI, sorted by ``failed_at``."""
        raise NotImplementedError

    def _stats(self, state: list[Failure]) -> DurationStats:
        """Gaps of every CI, summarised."""
        by_ci: dict[Any, list[Failure]] = {}
        for failure in state:
            by_ci.setdefault(failure[0], []).append(failure)
        gaps: list[timedelta] = []
        for failures in by_ci.values():
            failures.sort(key=lambda f: f[1].astimezone(UTC))  # as instants, not wall times
            gaps.extend(self._gaps(failures))
        return DurationStats.of(gaps, self.percentiles)

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> Failure | None:
        """The failure ``(ci, failed_at, restored_at)``."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        ci = raw[0]
        if ci is ABSENT or ci is UNREADABLE or is_missing(ci):
            problem = problem_of(ci) or "missing"
            quality.issue(layout.names[0], problem, record, index)
            quality.exclude(f"no valid {layout.names[0]}", record, index)
            return None
        try:
            hash(ci)
        except Exception:  # unhashable, or a hash that fails
            quality.issue(layout.names[0], f"unhashable ({type(ci).__name__})", record, index)
            quality.exclude(f"no valid {layout.names[0]}", record, index)
            return None
        failed = self._time("failed_at", raw, record, index, quality, layout)
        if failed is None:
            return None
        restored: datetime | None = None
        if "restored_at" in layout.index:
            restored = self._time("restored_at", raw, record, index, quality, layout)
            if restored is None:
                return None
            if restored.astimezone(UTC) < failed.astimezone(UTC):
                quality.exclude("restored before it failed", record, index)
                return None
        return ci, failed, restored

    @staticmethod
    def _time(
        logical: str,
        raw: Sequence[Any],
        record: object,
        index: int,
        quality: Quality,
        layout: Layout,
    ) -> datetime | None:
        position = layout.index[logical]
        name = layout.names[position]
        value, problem = check_datetime(raw[position])
        if value is None:
            if problem or logical == "failed_at":
                quality.issue(name, problem or "missing", record, index)
                quality.exclude(f"no valid {name}", record, index)
            else:
                quality.exclude("not restored", record, index)
        return value


@attrs.frozen(kw_only=True)
class TimeBetweenFailures(_Gaps):
    """MTBF: from a failure's ``restored_at`` to the next ``failed_at`` of the same CI.

    Records without ``restored_at`` are excluded ("not restored"). Uptime
    runs from the latest restoration of the earlier failures (overlapping
    failures keep the CI down until the last of them is restored) to the
    next failure; it is zero when that failure began before then.
    """

    name: ClassVar[str] = "time_between_failures"
    reads: ClassVar[tuple[str, ...]] = ("ci", "failed_at", "restored_at", "category")

    def _gaps(self, failures: list[Failure]) -> Iterable[timedelta]:
        """Uptime from the latest restoration so far to each next failure."""
        up: datetime | None = None
        for earlier, later in pairwise(failures):
            restored = earlier[2]
            assert restored is not None
            up = restored if up is None or restored.astimezone(UTC) > up.astimezone(UTC) else up
            down = later[1].astimezone(UTC) <= up.astimezone(UTC)
            yield _ZERO if down else self.clock.elapsed(up, later[1])


@attrs.frozen(kw_only=True)
class TimeBetweenServiceIncidents(_Gaps):
    """MTBSI: from one ``failed_at`` to the next ``failed_at`` of the same CI."""

    name: ClassVar[str] = "time_between_service_incidents"

    def _gaps(self, failures: list[Failure]) -> Iterable[timedelta]:
        """Time from one failure to the next."""
        return (self.clock.elapsed(a[1], b[1]) for a, b in pairwise(failures))
