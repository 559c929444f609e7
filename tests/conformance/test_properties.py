"""Properties of the replay: walks of a definition fit it, an injected move is found exactly,
and the alignment cost equals a slow, obvious oracle (every run of the lifecycle, each aligned
by dynamic programming).
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from itilkit.conformance import Trace, Verdict, check_conformance
from itilkit.conformance._align import Graph, align
from itilkit.lifecycle import LifecycleDefinition
from tests.lifecycle.strategies import definitions

from .helpers import T0


def _trace(states: list[str], ticket: str = "T") -> Trace:
    return Trace(ticket, [(s, T0 + timedelta(minutes=i)) for i, s in enumerate(states)])


@st.composite
def walks(draw: st.DrawFn) -> tuple[LifecycleDefinition, list[str]]:
    """A definition and a walk of it from its initial state along allowed steps."""
    definition = draw(definitions())
    graph = Graph.of(definition)
    walk = [graph.initial]
    for _ in range(draw(st.integers(0, 8))):
        nexts = graph.successors[walk[-1]]
        if not nexts:
            break
        walk.append(draw(st.sampled_from(nexts)))
    return definition, walk


@given(walks())
def test_a_walk_of_the_definition_conforms_with_fitness_one(
    case: tuple[LifecycleDefinition, list[str]],
) -> None:
    """Every history the lifecycle allows conforms fully."""
    definition, walk = case
    report = check_conformance([_trace(walk)], definition)
    assert report.conforming == 1
    assert report.fitness.log_fitness == 1.0
    assert report.disallowed == ()
    assert report.skipped == ()


@given(walks(), st.data())
def test_one_injected_illegal_move_is_reported_exactly(
    case: tuple[LifecycleDefinition, list[str]], data: st.DataObject
) -> None:
    """Entering a state the lifecycle does not allow from the current one shows as that move."""
    definition, walk = case
    graph = Graph.of(definition)
    at = data.draw(st.integers(1, len(walk)), label="position")
    source = walk[at - 1]
    illegal = [s for s in definition.state_names if s != source and (source, s) not in graph.steps]
    assume(illegal)
    target = data.draw(st.sampled_from(illegal), label="target")
    rest = [target]
    for _ in range(data.draw(st.integers(0, 4), label="continue")):
        nexts = graph.successors[rest[-1]]
        if not nexts:
            break
        rest.append(data.draw(st.sampled_from(nexts)))
    report = check_conformance([_trace(walk[:at] + rest)], definition)
    assert [(s.source, s.target, s.occurrences) for s in report.disallowed] == [(source, target, 1)]
    assert report.deviating == 1
    assert report.traces[0].verdict is Verdict.DEVIATES
    assert 0.0 <= report.traces[0].fitness < 1.0


def _oracle(graph: Graph, states: tuple[str, ...], *, prefix: bool, final: bool) -> int:
    """The cheapest alignment by brute force over every run up to the worst-case length."""
    n = len(states)
    longest = n + (graph.shortest_complete if final else 1)
    best = n + longest  # beyond any alignment
    names = sorted(graph.names)
    for length in range(1, longest + 1):
        for run in itertools.product(names, repeat=length):
            if run[0] != graph.initial and not prefix:
                continue
            if any((a, b) not in graph.steps for a, b in itertools.pairwise(run)):
                continue
            if final and run[-1] not in graph.terminal:
                continue
            best = min(best, _dp(graph, states, run))
    return best


def _dp(graph: Graph, states: tuple[str, ...], run: tuple[str, ...]) -> int:
    """Align ``states`` with one ``run``: log, model, sync and stay moves (see _align)."""
    n, m = len(states), len(run)
    inf = 10**9
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            if i < n:
                cost[i + 1][j] = min(cost[i + 1][j], here + 1)  # log move
                known = states[i] in graph.names
                if known and j < m and states[i] == run[j]:
                    cost[i + 1][j + 1] = min(cost[i + 1][j + 1], here)  # sync
                if known and j > 0 and states[i] == run[j - 1]:
                    cost[i + 1][j] = min(cost[i + 1][j], here)  # stay
            if j < m and (j > 0 or run[0] == graph.initial):
                cost[i][j + 1] = min(cost[i][j + 1], here + 1)  # model move
    return cost[n][m]


@given(definitions(), st.data(), st.booleans(), st.booleans())
def test_alignment_cost_equals_the_brute_force_oracle(
    definition: LifecycleDefinition, data: st.DataObject, prefix: bool, final: bool
) -> None:
    """Dijkstra over (position, state) finds exactly the cheapest alignment."""
    graph = Graph.of(definition)
    assume(len(graph.names) <= 5)
    assume(not final or graph.terminal)
    pool = [*sorted(graph.names), "??"]
    states = tuple(data.draw(st.lists(st.sampled_from(pool), max_size=4), label="states"))
    found = align(graph, states, prefix=prefix, final=final)
    assert found.cost == _oracle(graph, states, prefix=prefix, final=final)
    assert found.cost == found.log_moves + found.model_moves
    assert found.model_moves == sum(len(skipped) for _, skipped, _, _ in found.skipped)


@given(st.lists(walks(), min_size=1, max_size=5))
def test_report_totals_add_up(cases: list[tuple[LifecycleDefinition, list[str]]]) -> None:
    """Verdicts add up to tickets, fitness 1 exactly for non-deviating tickets."""
    definition = cases[0][0]
    traces = [_trace(walk, f"T{i}") for i, (_, walk) in enumerate(cases)]
    report = check_conformance(traces, definition, prefix_starts=True)
    assert report.conforming + report.truncated + report.deviating == report.tickets
    for result in report.traces:
        assert (result.fitness == 1.0) == (result.verdict is not Verdict.DEVIATES)
    assert report.fitness.perfect == report.conforming + report.truncated
