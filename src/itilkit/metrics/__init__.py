"""KPI measures: pure, single-pass, mergeable functions over records.

Each measure is a frozen, callable value: configure it, call it on any
iterable of records (objects, dicts, DataFrame rows via
:func:`records_from_frame`) and get a typed :class:`Result`. For partitioned
data call :meth:`Measure.partial` per partition, :meth:`Partial.merge` the
partials, and :meth:`Partial.result` gives exactly the single-pass result.
The definitions are in ``docs/metrics.md``.
"""

from __future__ import annotations

from itilkit.metrics._backlog import Backlog, BacklogStats
from itilkit.metrics._between import TimeBetweenFailures, TimeBetweenServiceIncidents
from itilkit.metrics._changes import (
    ChangeFailureRate,
    ChangeSuccessRate,
    CountAs,
    EmergencyChangeRatio,
)
from itilkit.metrics._clock import DurationClock, WallClock
from itilkit.metrics._dora import (
    DeploymentFrequency,
    DeploymentFrequencyStats,
    DoraChangeFailureRate,
)
from itilkit.metrics._durations import (
    FailedDeploymentRecoveryTime,
    LeadTimeForChanges,
    TimeBetween,
    TimeToAcknowledge,
    TimeToFirstResponse,
    TimeToRepair,
    TimeToResolve,
    TimeToRestoreService,
)
from itilkit.metrics._engine import Measure, Partial
from itilkit.metrics._fields import LOGICAL_FIELDS, FieldMap
from itilkit.metrics._frames import records_from_frame
from itilkit.metrics._grouping import ByPeriod, Period
from itilkit.metrics._problems import IncidentsPerProblem, ProblemLinkStats
from itilkit.metrics._quality import Tally
from itilkit.metrics._rates import (
    FirstAssignmentResolution,
    FirstContactResolution,
    ProblemResolutionShare,
    ReopenRate,
)
from itilkit.metrics._records import ChangeRecord, DeploymentRecord, FailureRecord, IncidentRecord
from itilkit.metrics._result import Result
from itilkit.metrics._sla import SlaCompliance, SlaStats, SlaTargetStats
from itilkit.metrics._stats import CountStats, DurationStats, RateStats

__all__ = [
    "Backlog",
    "BacklogStats",
    "ByPeriod",
    "ChangeFailureRate",
    "ChangeRecord",
    "ChangeSuccessRate",
    "CountAs",
    "CountStats",
    "DeploymentFrequency",
    "DeploymentFrequencyStats",
    "DeploymentRecord",
    "DoraChangeFailureRate",
    "DurationClock",
    "DurationStats",
    "EmergencyChangeRatio",
    "FailedDeploymentRecoveryTime",
    "FailureRecord",
    "FieldMap",
    "FirstAssignmentResolution",
    "FirstContactResolution",
    "IncidentRecord",
    "IncidentsPerProblem",
    "LOGICAL_FIELDS",
    "LeadTimeForChanges",
    "Measure",
    "Partial",
    "Period",
    "ProblemLinkStats",
    "ProblemResolutionShare",
    "RateStats",
    "ReopenRate",
    "Result",
    "SlaCompliance",
    "SlaStats",
    "SlaTargetStats",
    "Tally",
    "TimeBetween",
    "TimeBetweenFailures",
    "TimeBetweenServiceIncidents",
    "TimeToAcknowledge",
    "TimeToFirstResponse",
    "TimeToRepair",
    "TimeToResolve",
    "TimeToRestoreService",
    "WallClock",
    "records_from_frame",
]
