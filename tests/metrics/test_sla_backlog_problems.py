"""SLA compliance, backlog and ageing, incidents per problem, MTBF and MTBSI."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.metrics.support import T0, ticket

from itilkit.errors import InvalidInputError, NaiveDatetimeError
from itilkit.metrics import (
    Backlog,
    IncidentsPerProblem,
    RateStats,
    SlaCompliance,
    SlaTargetStats,
    TimeBetweenFailures,
    TimeBetweenServiceIncidents,
)
from itilkit.outcomes import SlaOutcome

D = timedelta(days=1)
H = timedelta(hours=1)


def test_sla_compliance_per_target_and_per_record() -> None:
    """Per target met / completed; per record, any breach makes it a miss."""
    records = [
        {"id": "a", "response": "met", "resolution": False},
        {"id": "b", "response": SlaOutcome.BREACHED, "resolution": False},
        {"id": "c", "response": "met", "resolution": True},
        {"id": "d", "response": "in_progress", "resolution": None},
        {"id": "e", "response": None, "resolution": None},
        {"id": "f", "response": "canceled", "resolution": False, "category": "canceled"},
    ]
    result = SlaCompliance(targets={"response": "response", "resolution": "resolution"})(records)
    stats = result.overall
    assert stats.targets["response"] == SlaTargetStats(met=2, breached=1, in_progress=1, canceled=0)
    assert stats.targets["response"].compliance.rate == pytest.approx(2 / 3)
    assert stats.targets["resolution"] == SlaTargetStats(
        met=2, breached=1, in_progress=0, canceled=0
    )
    assert stats.records == RateStats(1, 3)
    assert result.exclusions["no SLA"].samples == ("e",)
    assert result.exclusions["canceled"].samples == ("f",)


def test_sla_met_flags_and_bad_values() -> None:
    """flags='met' reads bools as ServiceNow's made_sla; unknown values are field issues."""
    records = [{"made_sla": True}, {"made_sla": False}, {"made_sla": "late"}]
    result = SlaCompliance(targets={"resolution": "made_sla"}, flags="met")(records)
    assert result.overall.targets["resolution"].compliance == RateStats(1, 2)
    assert result.field_issues["made_sla"]
    with pytest.raises(InvalidInputError, match="targets"):
        SlaCompliance(targets={})


def test_backlog_at_an_instant_with_age_buckets() -> None:
    """Open at the instant: opened before, not resolved or closed yet; ages bucketed."""
    at = T0 + 40 * D
    records = [
        ticket("old", None, opened_at=T0),
        ticket("mid", 45 * 24, opened_at=T0 + 20 * D),
        ticket("new", None, opened_at=T0 + 37 * D),
        ticket("done", 10 * 24, opened_at=T0),
        ticket("later", None, opened_at=at + H),
        ticket("gone", None, category="canceled"),
        ticket("shut", None, closed_at=T0 + D),
    ]
    result = Backlog(at=at)(records)
    stats = result.overall
    assert stats.open == 3
    assert stats.age.median == 20 * D
    assert stats.buckets == {"0-7d": 1, "7d-30d": 1, "30d-90d": 1, "90d+": 0}
    assert result.exclusions["resolved or closed by the instant"].samples == ("done", "shut")
    assert result.exclusions["opened after the instant"].samples == ("later",)
    with pytest.raises(NaiveDatetimeError):
        Backlog(at=at.replace(tzinfo=None))


def test_backlog_bucket_edges_must_increase() -> None:
    """Bucket edges are checked at construction."""
    with pytest.raises(InvalidInputError, match="increasing"):
        Backlog(at=T0, buckets=(30 * D, 7 * D))
    assert Backlog(at=T0, buckets=(4 * H,))([ticket("a", None)]).overall.buckets == {
        "0-4h": 1,
        "4h+": 0,
    }


def test_incidents_per_problem() -> None:
    """The per-problem distribution over problems; unlinked counted apart."""
    records = [
        ticket("a", 1, problem_id="P1"),
        ticket("b", 1, problem_id="P1"),
        ticket("c", 1, problem_id="P1"),
        ticket("d", 1, problem_id="P2"),
        ticket("e", 1, problem_id=None),
        ticket("f", 1, problem_id="P2", category="canceled"),
    ]
    stats = IncidentsPerProblem()(records).overall
    assert (stats.problems, stats.linked, stats.unlinked) == (2, 4, 1)
    assert stats.per_problem.mean == 2.0
    assert stats.per_problem.maximum == 3


def test_time_between_failures_and_service_incidents() -> None:
    """Gaps between consecutive failures of each CI, in any input order."""
    failures = [
        {"ci": "db", "failed_at": T0 + 10 * H, "restored_at": T0 + 12 * H},
        {"ci": "db", "failed_at": T0, "restored_at": T0 + 2 * H},
        {"ci": "db", "failed_at": T0 + 11 * H, "restored_at": T0 + 13 * H},
        {"ci": "web", "failed_at": T0, "restored_at": T0 + H},
        {"ci": "web", "failed_at": T0 + 5 * H, "restored_at": None},
    ]
    mtbf = TimeBetweenFailures(by="ci")(failures)
    assert mtbf.groups["db",].count == 2
    assert mtbf.groups["db",].total == 8 * H  # 2h->10h, then overlap: zero uptime
    assert mtbf.exclusions["not restored"].count == 1
    mtbsi = TimeBetweenServiceIncidents()(failures)
    assert (mtbsi.overall.minimum, mtbsi.overall.maximum) == (H, 10 * H)
    assert mtbsi.overall.count == 3


def test_time_between_failures_counts_no_uptime_while_an_earlier_failure_lasts() -> None:
    """Uptime starts at the latest restoration so far, not the previous failure's.

    ``db`` is down from 0h to 10h; two short failures inside that outage
    restore at 3h and 6h, yet the CI is up only from 10h to the failure at 20h.
    """
    failures = [
        {"ci": "db", "failed_at": T0, "restored_at": T0 + 10 * H},
        {"ci": "db", "failed_at": T0 + 2 * H, "restored_at": T0 + 3 * H},
        {"ci": "db", "failed_at": T0 + 5 * H, "restored_at": T0 + 6 * H},
        {"ci": "db", "failed_at": T0 + 20 * H, "restored_at": T0 + 21 * H},
    ]
    stats = TimeBetweenFailures()(failures).overall
    assert (stats.count, stats.total, stats.maximum) == (3, 10 * H, 10 * H)
    # Two failures starting together: the order they arrive in does not matter.
    tied = [
        {"ci": "db", "failed_at": T0, "restored_at": T0 + H},
        {"ci": "db", "failed_at": T0, "restored_at": T0 + 5 * H},
        {"ci": "db", "failed_at": T0 + 3 * H, "restored_at": T0 + 4 * H},
    ]
    forward = TimeBetweenFailures()(tied).overall
    backward = TimeBetweenFailures()(tied[::-1]).overall
    assert forward == backward
    assert forward.total == timedelta(0)
