"""Aligning one state sequence with a lifecycle: the cheapest explanation of a history.

The lifecycle is read as a transition system: entering a state is the activity,
and the allowed steps are the (source, target) pairs of its transitions
(self-loops left out). An alignment pairs the observed sequence with a run of
the lifecycle using three kinds of move:

* a *sync move*: the run enters the observed state by an allowed step
  (or stays in it: a repeat is no step), cost 0;
* a *log move*: an observation the run does not follow, cost 1;
* a *model move*: the run enters a state nobody observed (a skipped state), cost 1.

The run starts before the initial state and its first move enters the initial
state, or, for a truncated prefix, any state at no cost. It ends anywhere, or
in a terminal state when ends are required to be final. A Dijkstra search over
(position in the sequence, lifecycle state) finds a cheapest alignment; among
equally cheap ones it takes the one with fewest log moves (explaining an
observation by a skipped step rather than discarding it), then the first found
in definition order, so results are deterministic.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Mapping

import attrs

from itilkit.categories import StateCategory
from itilkit.lifecycle import LifecycleDefinition

__all__ = ["Alignment", "Graph", "align"]

#: The run's position before it enters any state.
_BEFORE = ""

_REOPEN_FROM = frozenset({StateCategory.RESOLVED, StateCategory.CLOSED, StateCategory.CANCELED})


@attrs.frozen
class Graph:
    """A definition compiled for replay: allowed steps, terminal states, shortest runs."""

    initial: str
    names: frozenset[str]
    successors: Mapping[str, tuple[str, ...]]
    #: (source, target) -> names of the transitions making that step, in definition order
    steps: Mapping[tuple[str, str], tuple[str, ...]]
    terminal: frozenset[str]
    reopen_steps: frozenset[tuple[str, str]]
    categories: Mapping[str, StateCategory]
    #: states on the shortest run from the initial state to a terminal one (0: none)
    shortest_complete: int

    @classmethod
    def of(cls, definition: LifecycleDefinition) -> Graph:
        """Compile ``definition``."""
        steps: dict[tuple[str, str], list[str]] = {}
        for t in definition.transitions:
            for source in t.sources:
                if source != t.target:
                    steps.setdefault((source, t.target), []).append(t.name)
        successors: dict[str, list[str]] = {name: [] for name in definition.state_names}
        for source, target in steps:
            successors[source].append(target)
        terminal = frozenset(s.name for s in definition.states if s.final or s.category.is_final)
        categories = {s.name: s.category for s in definition.states}
        reopens = frozenset(
            (a, b) for a, b in steps if categories[a] in _REOPEN_FROM and categories[b].is_open
        )
        initial = definition.initial.name
        return cls(
            initial,
            frozenset(definition.state_names),
            {k: tuple(v) for k, v in successors.items()},
            {k: tuple(v) for k, v in steps.items()},
            terminal,
            reopens,
            categories,
            _shortest(initial, successors, terminal),
        )

    def is_reopen(self, source: str, target: str) -> bool:
        """A step from a resolved, closed or canceled state back into an open one."""
        return self.categories[source] in _REOPEN_FROM and self.categories[target].is_open


def _shortest(initial: str, successors: Mapping[str, list[str]], goal: frozenset[str]) -> int:
    seen = {initial: 1}
    queue = deque([initial])
    while queue:
        state = queue.popleft()
        if state in goal:
            return seen[state]
        for nxt in successors[state]:
            if nxt not in seen:
                seen[nxt] = seen[state] + 1
                queue.append(nxt)
    return 0


@attrs.frozen
class Alignment:
    """A cheapest alignment of one sequence.

    ``skipped`` lists each run of consecutive model moves as (the state the
    run was in, or None before the start; the states entered unobserved; the
    observed state the run then entered, or None at the end; the index of
    that observation, or of the last one at the end).
    """

    cost: int
    log_moves: int
    model_moves: int
    skipped: tuple[tuple[str | None, tuple[str, ...], str | None, int], ...]


def align(graph: Graph, states: tuple[str, ...], *, prefix: bool, final: bool) -> Alignment:
    """A cheapest alignment of ``states`` with ``graph``.

    Args:
        graph: the compiled lifecycle.
        states: the observed sequence, repeats collapsed; unknown names are
            only ever log moves.
        prefix: the history may start mid-lifecycle (its first sync may enter
            any state at no cost).
        final: the run must end in a terminal state.
    """
    n = len(states)
    start = (0, _BEFORE)
    # (cost, log moves, order, position, state); order breaks ties deterministically
    best: dict[tuple[int, str], tuple[int, int]] = {start: (0, 0)}
    parent: dict[tuple[int, str], tuple[tuple[int, str], str]] = {}
    heap = [(0, 0, 0, 0, _BEFORE)]
    order = 0
    goal: tuple[int, str] | None = None
    while heap:
        cost, logs, _, i, state = heapq.heappop(heap)
        node = (i, state)
        if best[node] != (cost, logs):
            continue
        if i == n and state != _BEFORE and (not final or state in graph.terminal):
            goal = node
            break
        moves: list[tuple[tuple[int, str], int, int, str]] = []
        if i < n:
            observed = states[i]
            if observed in graph.names and (
                observed == state
                or (state == _BEFORE and (prefix or observed == graph.initial))
                or (state != _BEFORE and (state, observed) in graph.steps)
            ):
                moves.append(((i + 1, observed), 0, 0, "sync"))
            moves.append(((i + 1, state), 1, 1, "log"))
        nexts = (graph.initial,) if state == _BEFORE else graph.successors[state]
        moves.extend(((i, nxt), 1, 0, "model") for nxt in nexts)
        for target, step_cost, step_logs, kind in moves:
            candidate = (cost + step_cost, logs + step_logs)
            known = best.get(target)
            if known is None or candidate < known:
                best[target] = candidate
                parent[target] = (node, kind)
                order += 1
                heapq.heappush(heap, (candidate[0], candidate[1], order, *target))
    assert goal is not None, "every sequence has an alignment (log moves, then a run)"
    return _alignment(parent, goal, best[goal])


def _alignment(
    parent: Mapping[tuple[int, str], tuple[tuple[int, str], str]],
    goal: tuple[int, str],
    cost: tuple[int, int],
) -> Alignment:
    path: list[tuple[str, int, str]] = []  # (kind, position after the move, state)
    node = goal
    while node in parent:
        previous, kind = parent[node]
        path.append((kind, *node))
        node = previous
    path.reverse()
    last = max(goal[0] - 1, 0)
    skipped: list[tuple[str | None, tuple[str, ...], str | None, int]] = []
    model_moves = 0
    current: str | None = None  # the run's state; None before it enters one
    since: str | None = None  # the run's state before the pending model moves
    pending: list[str] = []
    for kind, position, state in path:
        if kind == "model":
            if not pending:
                since = current
            pending.append(state)
            model_moves += 1
            current = state
        elif kind == "sync":
            if pending:
                skipped.append((since, tuple(pending), state, position - 1))
                pending = []
            current = state
    if pending:
        skipped.append((since, tuple(pending), None, last))
    return Alignment(cost[0], cost[1], model_moves, tuple(skipped))
