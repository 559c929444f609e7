"""Conformance: how real ticket histories follow a lifecycle.

Give :func:`check_conformance` one :class:`Trace` per ticket (its ordered state
observations) and a :class:`~itilkit.lifecycle.LifecycleDefinition`; the
:class:`ConformanceReport` says which tickets conform, how well each fits
(alignment fitness), which moves the lifecycle refuses, which states were
skipped, where histories start and end, reopens, variants, the time impact of
deviating and breakdowns by attribute. :func:`compare_conformance` sets two
reports side by side. Depends on :mod:`itilkit.lifecycle` only.
"""

from __future__ import annotations

from itilkit.conformance._check import BusinessClock, check_conformance
from itilkit.conformance._compare import Comparison, Flip, StepChange, compare_conformance
from itilkit.conformance._report import (
    ConformanceReport,
    Durations,
    EdgeUse,
    Ends,
    Fitness,
    GroupFigures,
    Reopens,
    Seen,
    SkippedStates,
    Starts,
    Step,
    TimeImpact,
    TraceResult,
    UnknownState,
    Variant,
    Verdict,
)
from itilkit.conformance._trace import Observation, Trace

__all__ = [
    "BusinessClock",
    "Comparison",
    "ConformanceReport",
    "Durations",
    "EdgeUse",
    "Ends",
    "Fitness",
    "Flip",
    "GroupFigures",
    "Observation",
    "Reopens",
    "Seen",
    "SkippedStates",
    "Starts",
    "Step",
    "StepChange",
    "TimeImpact",
    "Trace",
    "TraceResult",
    "UnknownState",
    "Variant",
    "Verdict",
    "check_conformance",
    "compare_conformance",
]
