"""Change measures: success and failure rate, emergency change ratio."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit.errors import InvalidInputError
from itilkit.metrics._engine import Layout
from itilkit.metrics._fields import ABSENT, UNREADABLE, is_missing, problem_of
from itilkit.metrics._quality import Quality
from itilkit.metrics._rates import BAD, RateMeasure, checked
from itilkit.outcomes import ChangeOutcome

__all__ = [
    "ChangeFailureRate",
    "ChangeSuccessRate",
    "CountAs",
    "EmergencyChangeRatio",
]


class CountAs(Vocabulary):
    """How an ambiguous outcome counts in change success and failure rates."""

    SUCCESS = "success"
    FAILURE = "failure"
    EXCLUDED = "excluded"


_NEVER_IMPLEMENTED = (ChangeOutcome.CANCELED, ChangeOutcome.REJECTED)


def _outcome(value: object) -> tuple[ChangeOutcome | None, str | None]:
    if value is ABSENT or value is UNREADABLE:
        return None, problem_of(value)
    if is_missing(value):
        return None, None
    if not isinstance(value, str):
        return None, f"not a change outcome ({type(value).__name__})"
    try:
        return ChangeOutcome(value), None
    except InvalidInputError:
        allowed = ", ".join(o.value for o in ChangeOutcome)
        return None, f"not a change outcome ({shown(value)}; allowed: {allowed})"


@attrs.frozen(kw_only=True)
class _OutcomeRate(RateMeasure):
    """Successes or failures / changes that were implemented and finished.

    Canceled and rejected changes are excluded ("canceled", "rejected":
    by their outcome, or by a canceled state category), as are changes
    without an outcome yet ("not finished"). ``with_issues`` and
    ``backed_out`` say how those outcomes count.
    """

    reads: ClassVar[tuple[str, ...]] = ("outcome", "category")
    counts_failures: ClassVar[bool] = False

    with_issues: CountAs = attrs.field(default=CountAs.SUCCESS, converter=CountAs)
    backed_out: CountAs = attrs.field(default=CountAs.FAILURE, converter=CountAs)

    def _verdict(self, outcome: ChangeOutcome) -> CountAs:
        """Success, failure or excluded, under this measure's choices."""
        if outcome is ChangeOutcome.SUCCESSFUL:
            return CountAs.SUCCESS
        if outcome is ChangeOutcome.UNSUCCESSFUL:
            return CountAs.FAILURE
        if outcome is ChangeOutcome.SUCCESSFUL_WITH_ISSUES:
            return self.with_issues
        return self.backed_out

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Hit for a success (success rate) or a failure (failure rate)."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        outcome = checked(
            "outcome", _outcome, raw, layout, record, index, quality, when_missing="not finished"
        )
        if outcome is BAD:
            return None
        if outcome in _NEVER_IMPLEMENTED:
            quality.exclude(outcome.value, record, index)
            return None
        verdict = self._verdict(outcome)
        if verdict is CountAs.EXCLUDED:
            quality.exclude(f"{outcome.value} (excluded by choice)", record, index)
            return None
        wanted = CountAs.FAILURE if self.counts_failures else CountAs.SUCCESS
        return (1 if verdict is wanted else 0), 1


@attrs.frozen(kw_only=True)
class ChangeSuccessRate(_OutcomeRate):
    """Successful changes / finished, implemented changes."""

    name: ClassVar[str] = "change_success_rate"


@attrs.frozen(kw_only=True)
class ChangeFailureRate(_OutcomeRate):
    """Failed changes / finished, implemented changes (the complement of success)."""

    name: ClassVar[str] = "change_failure_rate"
    counts_failures: ClassVar[bool] = True


_CHANGE_TYPES = ("standard", "normal", "emergency")


def _change_type(value: object) -> tuple[str | None, str | None]:
    if value is ABSENT or value is UNREADABLE:
        return None, problem_of(value)
    if is_missing(value):
        return None, None
    if isinstance(value, str) and value in _CHANGE_TYPES:
        return str(value), None
    return None, f"not a change type ({shown(value)}; allowed: {', '.join(_CHANGE_TYPES)})"


@attrs.frozen(kw_only=True)
class EmergencyChangeRatio(RateMeasure):
    """Emergency changes / all changes, canceled and rejected changes excluded.

    Canceled means a canceled outcome or a canceled state category (a change
    withdrawn before it had an outcome).
    """

    name: ClassVar[str] = "emergency_change_ratio"
    reads: ClassVar[tuple[str, ...]] = ("change_type", "outcome", "category")

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Hit for an emergency change."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        position = layout.index["outcome"]
        outcome, problem = _outcome(raw[position])
        if problem:
            quality.issue(layout.names[position], problem, record, index)
            quality.exclude(f"no valid {layout.names[position]}", record, index)
            return None
        if outcome in _NEVER_IMPLEMENTED:
            quality.exclude(outcome.value, record, index)
            return None
        kind = checked("change_type", _change_type, raw, layout, record, index, quality)
        if kind is BAD:
            return None
        return (1 if kind == "emergency" else 0), 1
