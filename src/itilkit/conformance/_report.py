"""The conformance report: frozen values with a stable, JSON-ready dict form.

``to_dict`` gives plain data that ``json.dumps`` accepts as it is: datetimes as
ISO 8601 strings with their offset, durations as seconds (float), tuples as
lists, and keys that stay the same from release to release.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import attrs

from itilkit._enums import Vocabulary
from itilkit._fields import check_fields

__all__ = [
    "ConformanceReport",
    "Durations",
    "EdgeUse",
    "Ends",
    "Fitness",
    "GroupFigures",
    "Reopens",
    "Seen",
    "SkippedStates",
    "Starts",
    "Step",
    "TimeImpact",
    "TraceResult",
    "UnknownState",
    "Variant",
    "Verdict",
]


class Verdict(Vocabulary):
    """How one ticket's history fits the lifecycle.

    ``conforms``: starts in the initial state, every step allowed, no unknown
    state, and (when ends must be final) ends in a terminal state.
    ``truncated``: the same, except that it starts mid-lifecycle and the start
    counts as a prefix the log never saw. ``deviates``: anything else.
    """

    CONFORMS = "conforms"
    TRUNCATED = "truncated"
    DEVIATES = "deviates"


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _seconds(value: timedelta | None) -> float | None:
    return None if value is None else value.total_seconds()


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@attrs.frozen(kw_only=True)
class Seen:
    """How often something was seen: occurrences, distinct tickets, examples, first and last time.

    ``examples`` holds the first tickets it was seen in, in input order.
    """

    __attrs_post_init__ = check_fields

    occurrences: int
    tickets: int
    examples: tuple[str, ...]
    first_at: datetime | None = None
    last_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "occurrences": self.occurrences,
            "tickets": self.tickets,
            "first_at": _when(self.first_at),
            "last_at": _when(self.last_at),
            "examples": list(self.examples),
        }


@attrs.frozen(kw_only=True)
class Step(Seen):
    """An observed step from ``source`` to ``target`` (a disallowed transition)."""

    source: str
    target: str

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {"source": self.source, "target": self.target, **super().to_dict()}


@attrs.frozen(kw_only=True)
class SkippedStates(Seen):
    """States the alignment had to enter unobserved between ``source`` and ``target``.

    ``source`` is None when they precede the first observation (a start
    outside the initial state), ``target`` None when they follow the last
    (the run had to reach a terminal state).
    """

    source: str | None
    skipped: tuple[str, ...]
    target: str | None

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "source": self.source,
            "skipped": list(self.skipped),
            "target": self.target,
            **super().to_dict(),
        }


@attrs.frozen(kw_only=True)
class UnknownState(Seen):
    """A state name the lifecycle does not define (a mapping gap or a data-quality finding)."""

    state: str

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {"state": self.state, **super().to_dict()}


@attrs.frozen(kw_only=True)
class EdgeUse:
    """How often an allowed step (``source`` to ``target``) was taken; 0 is a dead edge."""

    __attrs_post_init__ = check_fields

    source: str
    target: str
    transitions: tuple[str, ...]
    occurrences: int
    tickets: int

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "source": self.source,
            "target": self.target,
            "transitions": list(self.transitions),
            "occurrences": self.occurrences,
            "tickets": self.tickets,
        }


@attrs.frozen(kw_only=True)
class Variant:
    """One distinct state sequence (repeats collapsed) and the tickets that follow it."""

    __attrs_post_init__ = check_fields

    states: tuple[str, ...]
    tickets: int
    share: float
    conforming: int
    fitness: float

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "states": list(self.states),
            "tickets": self.tickets,
            "share": self.share,
            "conforming": self.conforming,
            "fitness": self.fitness,
        }


@attrs.frozen(kw_only=True)
class Fitness:
    """Alignment fitness, per ticket and over the log (see docs/conformance.md).

    A ticket's fitness is ``1 - cost / bound``; ``log_fitness`` is
    ``1 - sum(cost) / sum(bound)``. ``perfect`` counts tickets with fitness 1.
    """

    __attrs_post_init__ = check_fields

    mean: float | None
    median: float | None
    perfect: int
    perfect_share: float | None
    log_fitness: float | None
    cost: int
    bound: int
    log_moves: int
    model_moves: int

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class Starts:
    """Where histories start: their first known state, and how each start was judged."""

    __attrs_post_init__ = check_fields

    states: Mapping[str, int] = attrs.field(hash=False)
    initial: int
    truncated: Seen
    violations: Seen

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "states": dict(self.states),
            "initial": self.initial,
            "truncated": self.truncated.to_dict(),
            "violations": self.violations.to_dict(),
        }


@attrs.frozen(kw_only=True)
class Ends:
    """Where histories end: their last known state, terminal or still open at the export."""

    __attrs_post_init__ = check_fields

    states: Mapping[str, int] = attrs.field(hash=False)
    terminal: int
    open: int
    violations: Seen

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "states": dict(self.states),
            "terminal": self.terminal,
            "open": self.open,
            "violations": self.violations.to_dict(),
        }


@attrs.frozen(kw_only=True)
class Reopens:
    """Steps from a resolved, closed or canceled state back into an open one.

    ``rate`` is reopened tickets over tickets; ``repeated`` counts tickets
    reopened more than once; ``allowed`` and ``disallowed`` split the
    occurrences by whether the lifecycle has that step (``allowed_steps``).
    """

    __attrs_post_init__ = check_fields

    occurrences: int
    tickets: int
    rate: float | None
    repeated: int
    allowed: int
    disallowed: int
    allowed_steps: tuple[tuple[str, str], ...]
    examples: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "occurrences": self.occurrences,
            "tickets": self.tickets,
            "rate": self.rate,
            "repeated": self.repeated,
            "allowed": self.allowed,
            "disallowed": self.disallowed,
            "allowed_steps": [list(s) for s in self.allowed_steps],
            "examples": list(self.examples),
        }


@attrs.frozen(kw_only=True)
class Durations:
    """Count, median and 90th percentile of resolution times (linear interpolation)."""

    __attrs_post_init__ = check_fields

    count: int
    median: timedelta | None
    p90: timedelta | None

    def to_dict(self) -> dict[str, Any]:
        """Plain values, durations in seconds."""
        return {"count": self.count, "median": _seconds(self.median), "p90": _seconds(self.p90)}


@attrs.frozen(kw_only=True)
class TimeImpact:
    """Resolution times of conforming, truncated and deviating tickets.

    ``ratio`` is the deviating median over the conforming median (pm4py's
    ``relative_throughput``); ``unmeasured`` counts tickets without a
    resolution time (never resolved, or resolved before they were opened).
    """

    __attrs_post_init__ = check_fields

    conforming: Durations
    truncated: Durations
    deviating: Durations
    ratio: float | None
    unmeasured: int

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "conforming": self.conforming.to_dict(),
            "truncated": self.truncated.to_dict(),
            "deviating": self.deviating.to_dict(),
            "ratio": self.ratio,
            "unmeasured": self.unmeasured,
        }


@attrs.frozen(kw_only=True)
class GroupFigures:
    """Conformance of the tickets sharing one value of a breakdown attribute."""

    __attrs_post_init__ = check_fields

    value: str | None
    tickets: int
    conforming: int
    truncated: int
    deviating: int
    rate: float
    mean_fitness: float
    top_deviations: tuple[tuple[str, str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "value": self.value,
            "tickets": self.tickets,
            "conforming": self.conforming,
            "truncated": self.truncated,
            "deviating": self.deviating,
            "rate": self.rate,
            "mean_fitness": self.mean_fitness,
            "top_deviations": [
                {"source": s, "target": t, "occurrences": n} for s, t, n in self.top_deviations
            ],
        }


@attrs.frozen(kw_only=True)
class TraceResult:
    """One ticket's verdict, fitness and alignment cost."""

    __attrs_post_init__ = check_fields

    id: str
    verdict: Verdict
    fitness: float
    cost: int

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "id": self.id,
            "verdict": self.verdict.value,
            "fitness": self.fitness,
            "cost": self.cost,
        }


@attrs.frozen(kw_only=True)
class ConformanceReport:
    """What replaying a set of histories through one lifecycle found.

    Made by :func:`~itilkit.conformance.check_conformance`; every measure and
    its formula is described in docs/conformance.md.

    .. versionadded:: 0.2
    """

    __attrs_post_init__ = check_fields

    definition: str
    definition_hash: str
    mapping: Mapping[str, str] = attrs.field(hash=False)
    prefix_starts: bool
    require_final: bool
    tickets: int
    events: int
    excluded: Mapping[str, Seen] = attrs.field(hash=False)
    conforming: int
    truncated: int
    deviating: int
    fitness: Fitness
    disallowed_tickets: int
    disallowed: tuple[Step, ...]
    skipped: tuple[SkippedStates, ...]
    starts: Starts
    ends: Ends
    unknown_states: tuple[UnknownState, ...]
    self_loops: Seen
    reopens: Reopens
    variants: tuple[Variant, ...]
    variant_count: int
    time_impact: TimeImpact
    business_time_impact: TimeImpact | None
    breakdowns: Mapping[str, tuple[GroupFigures, ...]] = attrs.field(hash=False)
    edges: tuple[EdgeUse, ...]
    traces: tuple[TraceResult, ...] = attrs.field(repr=False)

    @property
    def conformance_rate(self) -> float | None:
        """Conforming tickets over tickets checked (None when none were)."""
        return _share(self.conforming, self.tickets)

    @property
    def dead_edges(self) -> tuple[EdgeUse, ...]:
        """Allowed steps no ticket took."""
        return tuple(e for e in self.edges if not e.occurrences)

    @property
    def used_share(self) -> float | None:
        """Allowed steps taken at least once over allowed steps (None without any)."""
        return _share(len(self.edges) - len(self.dead_edges), len(self.edges))

    def summary(self) -> dict[str, Any]:
        """The headline figures, as :meth:`to_dict` gives them, for a side-by-side view."""
        return {
            "definition": self.definition,
            "definition_hash": self.definition_hash,
            "tickets": self.tickets,
            "conforming": self.conforming,
            "truncated": self.truncated,
            "deviating": self.deviating,
            "conformance_rate": self.conformance_rate,
            "fitness": self.fitness.to_dict(),
            "disallowed_tickets": self.disallowed_tickets,
            "disallowed_steps": len(self.disallowed),
            "disallowed_occurrences": sum(s.occurrences for s in self.disallowed),
            "start_violations": self.starts.violations.tickets,
            "end_violations": self.ends.violations.tickets,
            "unknown_state_occurrences": sum(u.occurrences for u in self.unknown_states),
            "reopens_disallowed": self.reopens.disallowed,
            "dead_edges": len(self.dead_edges),
            "used_share": self.used_share,
            "time_ratio": self.time_impact.ratio,
        }

    def to_dict(self, *, traces: bool = False) -> dict[str, Any]:
        """Every measure as JSON-ready data; per-ticket results only with ``traces=True``."""
        data: dict[str, Any] = {
            "definition": {"name": self.definition, "hash": self.definition_hash},
            "mapping": dict(self.mapping),
            "options": {"prefix_starts": self.prefix_starts, "require_final": self.require_final},
            "tickets": self.tickets,
            "events": self.events,
            "excluded": {reason: seen.to_dict() for reason, seen in self.excluded.items()},
            "verdicts": {
                "conforms": self.conforming,
                "truncated": self.truncated,
                "deviates": self.deviating,
            },
            "conformance_rate": self.conformance_rate,
            "fitness": self.fitness.to_dict(),
            "disallowed_tickets": self.disallowed_tickets,
            "disallowed": [s.to_dict() for s in self.disallowed],
            "skipped": [s.to_dict() for s in self.skipped],
            "starts": self.starts.to_dict(),
            "ends": self.ends.to_dict(),
            "unknown_states": [u.to_dict() for u in self.unknown_states],
            "self_loops": self.self_loops.to_dict(),
            "reopens": self.reopens.to_dict(),
            "variants": {
                "distinct": self.variant_count,
                "top": [v.to_dict() for v in self.variants],
            },
            "time_impact": {
                "calendar": self.time_impact.to_dict(),
                "business": None
                if self.business_time_impact is None
                else self.business_time_impact.to_dict(),
            },
            "breakdowns": {
                name: [g.to_dict() for g in groups] for name, groups in self.breakdowns.items()
            },
            "edges": {
                "used_share": self.used_share,
                "dead": [e.to_dict() for e in self.dead_edges],
                "all": [e.to_dict() for e in self.edges],
            },
        }
        if traces:
            data["traces"] = [t.to_dict() for t in self.traces]
        return data
