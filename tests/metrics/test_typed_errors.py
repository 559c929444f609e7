"""Issue 11 regressions: the measures the probe named raise typed errors on wrong types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from tests.boundary.hostile import RaisingOffset

from itilkit.errors import InvalidInputError, ItilkitError, MetricsError
from itilkit.metrics import (
    Backlog,
    ByPeriod,
    ChangeSuccessRate,
    FieldMap,
    Partial,
    SlaCompliance,
    TimeBetween,
    TimeBetweenFailures,
    TimeToResolve,
    records_from_frame,
)

T0 = datetime(2024, 3, 1, tzinfo=UTC)


def odd(value: object) -> Any:
    """``value``, typed so that the type checker lets a wrong type through."""
    return value


@pytest.mark.parametrize(
    ("build", "builtin"),
    [
        (lambda: TimeToResolve(by=odd(5)), TypeError),
        (lambda: TimeToResolve(by=odd([["priority"]])), TypeError),
        (lambda: TimeToResolve(fields=odd(5)), TypeError),
        (lambda: TimeToResolve(fields={"opened": "created"}), ValueError),
        (lambda: TimeBetween(from_field=odd([1]), to_field="closed_at"), ValueError),
        (lambda: ByPeriod(odd(5)), TypeError),
        (lambda: ByPeriod("opened_at", period="fortnight"), ValueError),
        (lambda: ByPeriod("opened_at", tz=odd("Europe/Paris")), TypeError),
        (lambda: Backlog(at=odd("2024-03-01")), TypeError),
        (lambda: Backlog(at=datetime(2024, 3, 1)), ValueError),
        (lambda: TimeBetweenFailures(percentiles=odd(None)), TypeError),
        (lambda: SlaCompliance(targets=odd(5)), TypeError),
        (lambda: SlaCompliance(targets={"response": "response"}, flags=odd([1])), ValueError),
        (lambda: ChangeSuccessRate(with_issues=odd([1])), ValueError),
        (lambda: FieldMap().source(odd(["opened_at"])), ValueError),
        (lambda: records_from_frame([{"opened_at": T0}]), TypeError),
        (lambda: TimeToResolve()(odd(5)), TypeError),
        (lambda: TimeToResolve().partial([]).merge(odd("partial")), TypeError),
        (lambda: Partial(odd(TimeToResolve()), {(): "not a state"}, odd(None)), TypeError),
    ],
)
def test_wrong_types_raise_itilkit_errors_that_are_also_the_builtin(
    build: Any, builtin: type[Exception]
) -> None:
    """Each raises an ItilkitError, and the builtin a caller would catch."""
    with pytest.raises(ItilkitError) as caught:
        build()
    assert isinstance(caught.value, builtin)
    assert isinstance(caught.value, InvalidInputError | MetricsError)


def test_a_partial_holding_foreign_states_fails_with_a_metrics_error() -> None:
    """A Partial built by hand with states its measure did not make: MetricsError, no crash."""
    good = TimeToResolve().partial([{"opened_at": T0, "resolved_at": T0}])
    forged: Partial[Any, Any] = Partial(odd(good.measure), {(): "not a state"}, good.quality)
    with pytest.raises(MetricsError, match="did not make"):
        forged.result()
    with pytest.raises(MetricsError, match="did not make"):
        good.merge(forged).result()


def test_bad_records_are_reported_not_raised() -> None:
    """Records of any shape and with hostile values are exclusions, with typed reasons."""

    class Failing:
        @property
        def opened_at(self) -> datetime:
            raise RuntimeError("the database went away")

    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    rows: list[Any] = [5, None, "text", Failing(), {"opened_at": deep, "resolved_at": T0}]
    result = TimeToResolve(by="priority", fields={"category": None})(rows)
    assert result.overall.count == 0
    assert result.excluded == len(rows)
    assert "unreadable (reading the field raised)" in result.field_issues["opened_at"]


def test_target_names_are_checked_before_they_are_hashed() -> None:
    """A target list holding a datetime whose hash raises (found by the boundary walk) is
    refused as a wrong target list, not with the zone's own error."""
    odd = datetime(2024, 3, 1, tzinfo=RaisingOffset())
    with pytest.raises(InvalidInputError, match="targets"):
        SlaCompliance(targets=[None, odd])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="targets"):
        SlaCompliance(targets=["response", odd])  # type: ignore[list-item]
