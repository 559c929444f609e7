"""DORA deployment measures: deployment frequency and change failure rate.

Lead time for changes and failed deployment recovery time are durations (see
:class:`LeadTimeForChanges` and :class:`FailedDeploymentRecoveryTime`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, tzinfo
from typing import Any, ClassVar

import attrs

from itilkit._validators import non_negative, of_type, optional
from itilkit.metrics._engine import Layout, Measure, check_percentiles
from itilkit.metrics._fields import check_datetime, check_flag
from itilkit.metrics._grouping import Period, check_tz
from itilkit.metrics._quality import Quality
from itilkit.metrics._rates import BAD, RateMeasure, checked
from itilkit.metrics._stats import CountStats

__all__ = ["DeploymentFrequency", "DeploymentFrequencyStats", "DoraChangeFailureRate"]


@attrs.frozen
class DeploymentFrequencyStats:
    """Deployments, the periods spanned, and deployments per period.

    ``periods`` counts every period from the first deployment's to the last's,
    empty ones included; ``per_period`` is the distribution over those periods.
    """

    deployments: int = attrs.field(validator=non_negative())
    periods: int = attrs.field(validator=non_negative())
    active_periods: int = attrs.field(validator=non_negative())
    first_period: date | None = attrs.field(validator=optional(of_type(date)))
    per_period: CountStats = attrs.field(validator=of_type(CountStats))

    def _row(self) -> dict[str, Any]:
        """Flat: counts, then ``per_period_<stat>`` columns."""
        flat: dict[str, Any] = {
            "deployments": self.deployments,
            "periods": self.periods,
            "active_periods": self.active_periods,
            "first_period": self.first_period,
        }
        flat.update({f"per_period_{k}": v for k, v in self.per_period._row().items()})
        return flat


@attrs.frozen(kw_only=True)
class DeploymentFrequency(Measure[Counter[date], DeploymentFrequencyStats]):
    """Deployments (records with ``deployed_at``) per ``period`` in ``tz``.

    Records without ``deployed_at`` are excluded ("not deployed"); canceled
    records are excluded. Memory grows with the number of periods that have a
    deployment; the empty periods between them are counted, not listed, so a
    span of centuries costs no more than one of weeks.
    """

    name: ClassVar[str] = "deployment_frequency"
    reads: ClassVar[tuple[str, ...]] = ("deployed_at", "category")

    period: Period = attrs.field(default=Period.WEEK, converter=Period)
    tz: tzinfo = attrs.field(default=UTC, validator=check_tz)
    percentiles: tuple[float, ...] = attrs.field(default=(0.9,), converter=check_percentiles)

    def _new_state(self) -> Counter[date]:
        """No deployments."""
        return Counter()

    def _add(self, state: Counter[date], item: date) -> None:
        """Count a deployment in its period."""
        state[item] += 1

    def _merge_states(self, a: Counter[date], b: Counter[date]) -> Counter[date]:
        """Counters added."""
        merged = Counter(a)
        merged.update(b)
        return merged

    def _stats(self, state: Counter[date]) -> DeploymentFrequencyStats:
        """Deployments per period over the span, empty periods included."""
        if not state:
            return DeploymentFrequencyStats(0, 0, 0, None, CountStats.of([], self.percentiles))
        first, last = min(state), max(state)
        periods = self.period._ordinal(last) - self.period._ordinal(first) + 1
        counts = sorted(state.values())
        per_period = CountStats._of_sorted(counts, periods - len(counts), self.percentiles)
        return DeploymentFrequencyStats(sum(counts), periods, len(counts), first, per_period)

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> date | None:
        """The period the deployment falls in."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        at = checked(
            "deployed_at", check_datetime, raw, layout, record, index, quality,
            when_missing="not deployed",
        )  # fmt: skip
        if at is BAD:
            return None
        return self.period._start(at.astimezone(self.tz).date())


@attrs.frozen(kw_only=True)
class DoraChangeFailureRate(RateMeasure):
    """DORA change failure rate: deployments that failed / deployments.

    Population: records with ``deployed_at`` (others: "not deployed"), not
    canceled; hit: ``deployment_failed`` is True.
    """

    name: ClassVar[str] = "dora_change_failure_rate"
    reads: ClassVar[tuple[str, ...]] = ("deployed_at", "deployment_failed", "category")

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Hit for a failed deployment."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        at = checked(
            "deployed_at", check_datetime, raw, layout, record, index, quality,
            when_missing="not deployed",
        )  # fmt: skip
        if at is BAD:
            return None
        failed = checked("deployment_failed", check_flag, raw, layout, record, index, quality)
        if failed is BAD:
            return None
        return (1 if failed else 0), 1
