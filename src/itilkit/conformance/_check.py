"""Replaying traces through a lifecycle and tallying what they show.

One pass over the traces. Each trace's state sequence (repeats collapsed) is
analysed once per distinct sequence and start rule, so a log of many tickets
that follow few paths costs little more than reading it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from math import fsum
from typing import Protocol, TypeVar

import attrs

from itilkit._repr import shown
from itilkit.categories import StateCategory
from itilkit.conformance._align import Alignment, Graph, align
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
from itilkit.conformance._trace import Trace
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.lifecycle import LifecycleDefinition

__all__ = ["BusinessClock", "check_conformance"]

_RESOLVED = frozenset({StateCategory.RESOLVED, StateCategory.CLOSED})
#: The breakdown computed from each ticket's start when no attribute has that name.
MONTH = "month"
#: How many deviations each breakdown group lists.
_GROUP_TOP = 3


class BusinessClock(Protocol):
    """Anything that measures business time between two instants, such as a ``BusinessCalendar``."""

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time in ``[start, end)``."""
        ...


class _Tally:
    """A :class:`Seen` being counted."""

    __slots__ = ("examples", "first_at", "last_at", "last_ticket", "occurrences", "tickets")

    def __init__(self) -> None:
        self.occurrences = 0
        self.tickets = 0
        self.last_ticket = -1
        self.examples: list[str] = []
        self.first_at: datetime | None = None
        self.last_at: datetime | None = None

    def hit(
        self, ticket: int, ticket_id: str, examples: int, at: datetime | None = None, times: int = 1
    ) -> None:
        self.occurrences += times
        if self.last_ticket != ticket:
            self.last_ticket = ticket
            self.tickets += 1
            if len(self.examples) < examples:
                self.examples.append(ticket_id)
        if at is not None:
            if self.first_at is None or at < self.first_at:
                self.first_at = at
            if self.last_at is None or at > self.last_at:
                self.last_at = at

    def counts(self) -> dict[str, object]:
        return {
            "occurrences": self.occurrences,
            "tickets": self.tickets,
            "examples": tuple(self.examples),
            "first_at": self.first_at,
            "last_at": self.last_at,
        }

    def seen(self) -> Seen:
        return Seen(**self.counts())  # type: ignore[arg-type]


@attrs.frozen
class _Analysis:
    """What one distinct sequence shows, under one start rule."""

    alignment: Alignment
    verdict: Verdict
    fitness: float
    bound: int
    #: (index of the target observation, source, target) of allowed steps
    allowed: tuple[tuple[int, str, str], ...]
    disallowed: tuple[tuple[int, str, str], ...]
    reopens: tuple[tuple[int, bool], ...]  # (index, allowed)
    unknown: tuple[int, ...]
    first: str | None  # first known state
    last: str | None
    start: str  # "initial" | "truncated" | "violation" | "none"
    end_violation: bool
    resolved_index: int | None


def _analyse(graph: Graph, states: tuple[str, ...], prefix: bool, final: bool) -> _Analysis:
    alignment = align(graph, states, prefix=prefix, final=final)
    names, steps = graph.names, graph.steps
    known = [i for i, s in enumerate(states) if s in names]
    allowed: list[tuple[int, str, str]] = []
    disallowed: list[tuple[int, str, str]] = []
    reopens: list[tuple[int, bool]] = []
    for a, b in pairwise(known):
        if b != a + 1:
            continue  # an unknown state lies between: no step to judge
        source, target = states[a], states[b]
        ok = (source, target) in steps
        (allowed if ok else disallowed).append((b, source, target))
        if graph.is_reopen(source, target):
            reopens.append((b, ok))
    first = states[known[0]] if known else None
    last = states[known[-1]] if known else None
    if first is None:
        start = "none"
    elif first == graph.initial:
        start = "initial"
    else:
        start = "truncated" if prefix else "violation"
    end_violation = final and last not in graph.terminal
    resolved_index = _resolution(graph, states, known) if last is not None else None
    bound = len(states) + (graph.shortest_complete if final else 1)
    if alignment.cost:
        verdict = Verdict.DEVIATES
    else:
        verdict = Verdict.CONFORMS if start == "initial" else Verdict.TRUNCATED
    return _Analysis(
        alignment,
        verdict,
        1.0 - alignment.cost / bound,
        bound,
        tuple(allowed),
        tuple(disallowed),
        tuple(reopens),
        tuple(i for i, s in enumerate(states) if s not in names),
        first,
        last,
        start,
        end_violation,
        resolved_index,
    )


def _resolution(graph: Graph, states: tuple[str, ...], known: list[int]) -> int | None:
    """Where the sequence last entered a resolved or closed state, if it ends in one."""
    categories = graph.categories
    if categories[states[known[-1]]] not in _RESOLVED:
        return None
    entered = known[-1]
    for i in reversed(known[:-1]):
        if i != entered - 1 or categories[states[i]] not in _RESOLVED:
            break
        entered = i
    return entered


def _quantile(ordered: Sequence[timedelta], p: float) -> timedelta:
    h = (len(ordered) - 1) * p
    low = int(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (h - low)


def _durations(values: list[timedelta]) -> Durations:
    if not values:
        return Durations(count=0, median=None, p90=None)
    values.sort()
    return Durations(count=len(values), median=_quantile(values, 0.5), p90=_quantile(values, 0.9))


def _impact(groups: Mapping[Verdict, list[timedelta]], unmeasured: int) -> TimeImpact:
    conforming = _durations(groups[Verdict.CONFORMS])
    deviating = _durations(groups[Verdict.DEVIATES])
    ratio = None
    if conforming.median and deviating.median is not None:
        ratio = deviating.median / conforming.median
    return TimeImpact(
        conforming=conforming,
        truncated=_durations(groups[Verdict.TRUNCATED]),
        deviating=deviating,
        ratio=ratio,
        unmeasured=unmeasured,
    )


def definition_hash(definition: LifecycleDefinition) -> str:
    """A short, stable fingerprint of a definition's content (SHA-256 of its sorted JSON)."""
    content = {
        "name": definition.name,
        "states": [
            [s.name, s.category.value, s.initial, s.final, sorted(s.required_fields)]
            for s in definition.states
        ],
        "transitions": [
            [t.name, list(t.sources), t.target, list(t.guards), sorted(t.required_fields)]
            for t in definition.transitions
        ],
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class _VariantCount:
    __slots__ = ("bound", "conforming", "cost", "tickets")

    def __init__(self, bound: int) -> None:
        self.tickets = self.conforming = self.cost = 0
        self.bound = bound  # the same for every ticket of a variant

    @property
    def fitness(self) -> float:
        return 1.0 - self.cost / (self.tickets * self.bound)


class _Group:
    __slots__ = ("counts", "deviations", "fitness")

    def __init__(self) -> None:
        self.counts = Counter[Verdict]()
        self.fitness: list[float] = []
        self.deviations = Counter[tuple[str, str]]()


class _Accumulator:
    def __init__(
        self,
        graph: Graph,
        *,
        prefix_starts: bool,
        require_final: bool,
        by: tuple[str, ...],
        calendar: BusinessClock | None,
        examples: int,
    ) -> None:
        self.graph = graph
        self.prefix_starts = prefix_starts
        self.require_final = require_final
        self.by = by
        self.calendar = calendar
        self.k = examples
        self.cache: dict[tuple[tuple[str, ...], bool], _Analysis] = {}
        self.ids: set[str] = set()
        self.index = 0
        self.events = 0
        self.excluded: dict[str, _Tally] = {}
        self.results: list[TraceResult] = []
        self.verdicts = Counter[Verdict]()
        self.fitness: list[float] = []
        self.cost = self.bound = self.log_moves = self.model_moves = 0
        self.disallowed: dict[tuple[str, str], _Tally] = {}
        self.disallowed_tickets = 0
        self.skipped: dict[tuple[str | None, tuple[str, ...], str | None], _Tally] = {}
        self.unknown: dict[str, _Tally] = {}
        self.edges: dict[tuple[str, str], _Tally] = {step: _Tally() for step in graph.steps}
        self.loops = _Tally()
        self.start_states = Counter[str]()
        self.end_states = Counter[str]()
        self.truncated_starts = _Tally()
        self.start_violations = _Tally()
        self.end_violations = _Tally()
        self.terminal_ends = 0
        self.reopen = _Tally()
        self.reopen_allowed = self.reopen_repeated = 0
        self.variants: dict[tuple[str, ...], _VariantCount] = {}
        self.calendar_times: dict[Verdict, list[timedelta]] = {v: [] for v in Verdict}
        self.business_times: dict[Verdict, list[timedelta]] = {v: [] for v in Verdict}
        self.unmeasured = 0
        self.groups: dict[str, dict[str | None, _Group]] = {name: {} for name in by}

    def exclude(self, reason: str, ticket_id: str) -> None:
        tally = self.excluded.get(reason)
        if tally is None:
            tally = self.excluded[reason] = _Tally()
        tally.hit(self.index, ticket_id, self.k)
        self.index += 1

    def add(self, trace: Trace) -> None:
        observations = trace.observations
        tid = trace.id
        if not observations:
            self.exclude("no observations", tid)
            return
        if tid in self.ids:
            self.exclude("duplicate id", tid)
            return
        self.ids.add(tid)
        ticket = self.index
        self.index += 1
        k = self.k
        self.events += len(observations)
        states: list[str] = []
        times: list[datetime] = []
        last = None
        loops = 0
        for o in observations:
            state = o.state
            if state == last:
                loops += 1
                continue
            states.append(state)
            times.append(o.at)
            last = state
        sequence = tuple(states)
        prefix = self.prefix_starts or trace.truncated
        analysis = self.cache.get((sequence, prefix))
        if analysis is None:
            analysis = _analyse(self.graph, sequence, prefix, self.require_final)
            self.cache[(sequence, prefix)] = analysis
        verdict = analysis.verdict
        alignment = analysis.alignment
        self.verdicts[verdict] += 1
        self.results.append(
            TraceResult(id=tid, verdict=verdict, fitness=analysis.fitness, cost=alignment.cost)
        )
        self.fitness.append(analysis.fitness)
        self.cost += alignment.cost
        self.bound += analysis.bound
        self.log_moves += alignment.log_moves
        self.model_moves += alignment.model_moves
        if loops:
            self.loops.hit(ticket, tid, k, times=loops)
        for _, source, target in analysis.allowed:
            self.edges[(source, target)].hit(ticket, tid, k)
        self.disallowed_tickets += bool(analysis.disallowed)
        for i, source, to in analysis.disallowed:
            tally = self.disallowed.get((source, to))
            if tally is None:
                tally = self.disallowed[(source, to)] = _Tally()
            tally.hit(ticket, tid, k, times[i])
        for since, skipped, into, i in alignment.skipped:
            key = (since, skipped, into)
            tally = self.skipped.get(key)
            if tally is None:
                tally = self.skipped[key] = _Tally()
            tally.hit(ticket, tid, k, times[i])
        for i in analysis.unknown:
            tally = self.unknown.get(sequence[i])
            if tally is None:
                tally = self.unknown[sequence[i]] = _Tally()
            tally.hit(ticket, tid, k, times[i])
        if analysis.reopens:
            for i, allowed in analysis.reopens:
                self.reopen.hit(ticket, tid, k, times[i])
                self.reopen_allowed += allowed
            self.reopen_repeated += len(analysis.reopens) > 1
        if analysis.first is not None:
            self.start_states[analysis.first] += 1
        if analysis.start == "truncated":
            self.truncated_starts.hit(ticket, tid, k, times[0])
        elif analysis.start == "violation":
            self.start_violations.hit(ticket, tid, k, times[0])
        if analysis.last is not None:
            self.end_states[analysis.last] += 1
            self.terminal_ends += analysis.last in self.graph.terminal
        if analysis.end_violation:
            self.end_violations.hit(ticket, tid, k, times[-1])
        variant = self.variants.get(sequence)
        if variant is None:
            variant = self.variants[sequence] = _VariantCount(analysis.bound)
        variant.tickets += 1
        variant.conforming += verdict is Verdict.CONFORMS
        variant.cost += alignment.cost
        self._time(trace, analysis, times, verdict)
        self._group(trace, analysis, times, verdict)

    def _time(
        self, trace: Trace, analysis: _Analysis, times: list[datetime], verdict: Verdict
    ) -> None:
        start = trace.opened_at or times[0]
        end = trace.resolved_at
        if end is None and analysis.resolved_index is not None:
            end = times[analysis.resolved_index]
        if end is None or end < start:
            self.unmeasured += 1
            return
        self.calendar_times[verdict].append(end - start)
        if self.calendar is not None:
            self.business_times[verdict].append(self.calendar.elapsed(start, end))

    def _group(
        self, trace: Trace, analysis: _Analysis, times: list[datetime], verdict: Verdict
    ) -> None:
        attributes = trace.attributes
        for name in self.by:
            value = attributes.get(name)
            if value is None and name == MONTH:
                start = trace.opened_at or times[0]
                value = f"{start.year:04d}-{start.month:02d}"
            groups = self.groups[name]
            group = groups.get(value)
            if group is None:
                group = groups[value] = _Group()
            group.counts[verdict] += 1
            group.fitness.append(analysis.fitness)
            for _, source, target in analysis.disallowed:
                group.deviations[(source, target)] += 1

    def report(
        self, definition: LifecycleDefinition, mapping: Mapping[str, str], top: int
    ) -> ConformanceReport:
        tickets = len(self.results)
        fitness = sorted(self.fitness)
        perfect = sum(1 for f in fitness if f == 1.0)
        median = None
        if fitness:
            h = (len(fitness) - 1) * 0.5
            low = int(h)
            median = fitness[low] + (fitness[min(low + 1, len(fitness) - 1)] - fitness[low]) * (
                h - low
            )
        variants = sorted(self.variants.items(), key=lambda kv: (-kv[1].tickets, kv[0]))
        return ConformanceReport(
            definition=definition.name,
            definition_hash=definition_hash(definition),
            mapping=dict(mapping),
            prefix_starts=self.prefix_starts,
            require_final=self.require_final,
            tickets=tickets,
            events=self.events,
            excluded={reason: t.seen() for reason, t in self.excluded.items()},
            conforming=self.verdicts[Verdict.CONFORMS],
            truncated=self.verdicts[Verdict.TRUNCATED],
            deviating=self.verdicts[Verdict.DEVIATES],
            fitness=Fitness(
                mean=fsum(fitness) / tickets if tickets else None,
                median=median,
                perfect=perfect,
                perfect_share=perfect / tickets if tickets else None,
                log_fitness=1.0 - self.cost / self.bound if self.bound else None,
                cost=self.cost,
                bound=self.bound,
                log_moves=self.log_moves,
                model_moves=self.model_moves,
            ),
            disallowed_tickets=self.disallowed_tickets,
            disallowed=tuple(
                Step(source=s, target=t, **tally.counts())  # type: ignore[arg-type]
                for (s, t), tally in _by_tickets(self.disallowed)
            ),
            skipped=tuple(
                SkippedStates(source=s, skipped=k, target=t, **tally.counts())  # type: ignore[arg-type]
                for (s, k, t), tally in _by_tickets(self.skipped)
            ),
            starts=Starts(
                states=dict(self.start_states.most_common()),
                initial=self.start_states[self.graph.initial],
                truncated=self.truncated_starts.seen(),
                violations=self.start_violations.seen(),
            ),
            ends=Ends(
                states=dict(self.end_states.most_common()),
                terminal=self.terminal_ends,
                open=sum(self.end_states.values()) - self.terminal_ends,
                violations=self.end_violations.seen(),
            ),
            unknown_states=tuple(
                UnknownState(state=s, **tally.counts())  # type: ignore[arg-type]
                for s, tally in _by_tickets(self.unknown)
            ),
            self_loops=self.loops.seen(),
            reopens=Reopens(
                occurrences=self.reopen.occurrences,
                tickets=self.reopen.tickets,
                rate=self.reopen.tickets / tickets if tickets else None,
                repeated=self.reopen_repeated,
                allowed=self.reopen_allowed,
                disallowed=self.reopen.occurrences - self.reopen_allowed,
                allowed_steps=tuple(s for s in self.graph.steps if s in self.graph.reopen_steps),
                examples=tuple(self.reopen.examples),
            ),
            variants=tuple(
                Variant(
                    states=states,
                    tickets=count.tickets,
                    share=count.tickets / tickets,
                    conforming=count.conforming,
                    fitness=count.fitness,
                )
                for states, count in variants[:top]
            ),
            variant_count=len(variants),
            time_impact=_impact(self.calendar_times, self.unmeasured),
            business_time_impact=None
            if self.calendar is None
            else _impact(self.business_times, self.unmeasured),
            breakdowns={name: self._breakdown(groups) for name, groups in self.groups.items()},
            edges=tuple(
                EdgeUse(
                    source=s,
                    target=t,
                    transitions=self.graph.steps[(s, t)],
                    occurrences=tally.occurrences,
                    tickets=tally.tickets,
                )
                for (s, t), tally in self.edges.items()
            ),
            traces=tuple(self.results),
        )

    @staticmethod
    def _breakdown(groups: Mapping[str | None, _Group]) -> tuple[GroupFigures, ...]:
        rows = []
        for value, group in groups.items():
            tickets = sum(group.counts.values())
            top = sorted(group.deviations.items(), key=lambda kv: (-kv[1], kv[0]))[:_GROUP_TOP]
            rows.append(
                GroupFigures(
                    value=value,
                    tickets=tickets,
                    conforming=group.counts[Verdict.CONFORMS],
                    truncated=group.counts[Verdict.TRUNCATED],
                    deviating=group.counts[Verdict.DEVIATES],
                    rate=group.counts[Verdict.CONFORMS] / tickets,
                    mean_fitness=fsum(group.fitness) / tickets,
                    top_deviations=tuple((s, t, n) for (s, t), n in top),
                )
            )
        rows.sort(key=lambda g: (-g.tickets, g.value is None, g.value or ""))
        return tuple(rows)


K = TypeVar("K")


def _by_tickets(tallies: Mapping[K, _Tally]) -> list[tuple[K, _Tally]]:
    return sorted(tallies.items(), key=lambda kv: (-kv[1].tickets, -kv[1].occurrences, repr(kv[0])))


def check_conformance(
    traces: Iterable[Trace],
    definition: LifecycleDefinition,
    *,
    prefix_starts: bool = False,
    require_final: bool = False,
    by: Sequence[str] = ("priority", "group", MONTH),
    calendar: BusinessClock | None = None,
    mapping: Mapping[str, str] | None = None,
    top: int = 10,
    examples: int = 5,
) -> ConformanceReport:
    """Replay each trace through ``definition`` and report how the histories fit it.

    Args:
        traces: one :class:`Trace` per ticket, read once (a generator is fine).
        definition: the lifecycle to check against. Only its structure is
            used: guards and required fields need data a history lacks.
        prefix_starts: treat every start outside the initial state as a
            prefix the log never saw (by default only traces marked
            ``truncated`` are).
        require_final: a history must end in a terminal state; by default a
            history that ends open is a ticket still open at the export.
        by: the breakdowns: trace attribute names; ``"month"`` (unless an
            attribute has that name) is the month the ticket started in.
        calendar: also measure the time impact in business time.
        mapping: the source-to-lifecycle state mapping used to build the
            traces, recorded in the report.
        top: how many variants to list.
        examples: how many example tickets each finding keeps.

    Raises:
        InvalidInputError: an argument is not acceptable, or an item of
            ``traces`` is not a :class:`Trace`.

    .. versionadded:: 0.2
    """
    if not isinstance(definition, LifecycleDefinition):
        raise InvalidInputError(
            f"definition must be a LifecycleDefinition, got {type(definition).__name__}"
        )
    if not isinstance(by, str | Iterable) or isinstance(by, bytes | bytearray):
        raise InvalidTypeError("by", "trace attribute names (strings)", by)
    if mapping is not None and not (
        isinstance(mapping, Mapping)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items())
    ):
        raise InvalidTypeError("mapping", "a mapping of state names to state names", mapping)
    names = (by,) if isinstance(by, str) else tuple(by)
    if not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
        raise InvalidInputError(f"by must name distinct attributes, got {shown(by)}")
    for label, value in (("top", top), ("examples", examples)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInputError(f"{label} must be an int >= 0, got {shown(value)}")
    if calendar is not None and not callable(getattr(calendar, "elapsed", None)):
        raise InvalidInputError(
            f"calendar must have an elapsed(start, end) method, got {type(calendar).__name__}"
        )
    graph = Graph.of(definition)
    if require_final and not graph.terminal:
        raise InvalidInputError(
            f"require_final needs a terminal state, and lifecycle {shown(definition.name)} has none"
        )
    if isinstance(traces, Trace | str | bytes) or not isinstance(traces, Iterable):
        raise InvalidInputError(f"traces must be an iterable of Trace, got {shown(traces)}")
    accumulator = _Accumulator(
        graph,
        prefix_starts=bool(prefix_starts),
        require_final=bool(require_final),
        by=names,
        calendar=calendar,
        examples=examples,
    )
    for position, trace in enumerate(traces):
        if not isinstance(trace, Trace):
            raise InvalidInputError(
                f"traces must hold Trace values; item {position} is {type(trace).__name__}"
            )
        accumulator.add(trace)
    return accumulator.report(definition, mapping or {}, top)
