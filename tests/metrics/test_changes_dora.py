"""Change success and failure rates, emergency ratio and the DORA measures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.metrics.support import T0

from itilkit.errors import InvalidInputError
from itilkit.metrics import (
    ChangeFailureRate,
    ChangeSuccessRate,
    CountAs,
    DeploymentFrequency,
    DoraChangeFailureRate,
    EmergencyChangeRatio,
    FailedDeploymentRecoveryTime,
    Period,
    RateStats,
)
from itilkit.outcomes import ChangeOutcome

OUTCOMES: list[Any] = [
    "successful",
    "successful",
    ChangeOutcome.SUCCESSFUL_WITH_ISSUES,
    "unsuccessful",
    "backed_out",
    "canceled",
    "rejected",
    None,
]
CHANGES = [
    {"id": f"CHG{i}", "outcome": o, "change_type": "emergency" if i in (3, 5) else "normal"}
    for i, o in enumerate(OUTCOMES)
]


@pytest.mark.parametrize(
    ("with_issues", "backed_out", "success", "failure"),
    [
        (CountAs.SUCCESS, CountAs.FAILURE, (3, 5), (2, 5)),
        (CountAs.FAILURE, CountAs.FAILURE, (2, 5), (3, 5)),
        ("excluded", "excluded", (2, 3), (1, 3)),
    ],
)
def test_change_rates_follow_the_callers_choices(
    with_issues: Any, backed_out: Any, success: tuple[int, int], failure: tuple[int, int]
) -> None:
    """Canceled, rejected and unfinished changes are always out; the rest as chosen."""
    ok = ChangeSuccessRate(with_issues=with_issues, backed_out=backed_out)(CHANGES)
    bad = ChangeFailureRate(with_issues=with_issues, backed_out=backed_out)(CHANGES)
    assert (ok.overall.hits, ok.overall.population) == success
    assert (bad.overall.hits, bad.overall.population) == failure
    assert {r: t.count for r, t in ok.exclusions.items()}.keys() >= {
        "canceled",
        "rejected",
        "not finished",
    }


def test_unknown_outcome_is_a_field_issue() -> None:
    """An outcome outside the vocabulary is reported with the allowed values."""
    result = ChangeSuccessRate()([{"id": "x", "outcome": "done"}])
    (problem,) = result.field_issues["outcome"]
    assert "allowed: successful" in problem


def test_emergency_change_ratio_excludes_canceled_and_rejected() -> None:
    """Emergency / all changes, with canceled and rejected left out."""
    result = EmergencyChangeRatio()(CHANGES)
    assert result.overall == RateStats(1, 6)


def test_deployment_frequency_counts_empty_periods() -> None:
    """Deployments per week over the span, empty weeks included."""
    deployments: list[dict[str, Any]] = [
        {"deployed_at": T0 + timedelta(days=d)} for d in (0, 1, 2, 14, 15)
    ]
    deployments.append({"deployed_at": None})
    stats = DeploymentFrequency(period=Period.WEEK)(deployments).overall
    assert (stats.deployments, stats.periods, stats.active_periods) == (5, 3, 2)
    assert stats.per_period.median == 2.0
    assert stats.per_period.minimum == 0
    empty = DeploymentFrequency()([]).overall
    assert (empty.deployments, empty.periods, empty.per_period.mean) == (0, 0, None)


def test_dora_change_failure_rate_and_recovery_time() -> None:
    """Failed deployments / deployments; recovery time over failed ones only."""
    deployments = [
        {"id": "d1", "deployed_at": T0, "deployment_failed": False},
        {"id": "d2", "deployed_at": T0, "deployment_failed": True, "failed_at": T0,
         "recovered_at": T0 + timedelta(minutes=30)},
        {"id": "d3", "deployed_at": T0, "deployment_failed": True, "failed_at": T0,
         "recovered_at": T0 + timedelta(minutes=90)},
        {"id": "d4", "deployed_at": None, "deployment_failed": False},
    ]  # fmt: skip
    assert DoraChangeFailureRate()(deployments).overall == RateStats(2, 3)
    recovery = FailedDeploymentRecoveryTime()(deployments)
    assert recovery.overall.median == timedelta(hours=1)
    assert recovery.exclusions["deployment did not fail"].count == 2


def test_emergency_change_ratio_excludes_changes_in_a_canceled_state() -> None:
    """A change withdrawn before it had an outcome is canceled by its category."""
    changes = [
        {"change_type": "emergency", "outcome": None, "category": "canceled"},
        {"change_type": "emergency", "outcome": None, "category": "active"},
        {"change_type": "normal", "outcome": "successful", "category": "closed"},
    ]
    result = EmergencyChangeRatio()(changes)
    assert result.overall == RateStats(1, 2)
    assert result.exclusions["canceled"].count == 1


def test_deployment_frequency_checks_its_time_zone_at_construction() -> None:
    """A zone name instead of a tzinfo is refused up front, not mid-run."""
    with pytest.raises(InvalidInputError, match="tzinfo"):
        DeploymentFrequency(tz="Europe/London")  # type: ignore[arg-type]
