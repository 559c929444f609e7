"""Configuration items, the relationship graph and impact analysis."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itilkit.errors import InvalidGraphError, InvalidInputError
from itilkit.practices import (
    CIClass,
    CIStatus,
    CmdbGraph,
    ConfigurationItem,
    Propagation,
    Relationship,
    RelationshipKind,
)


def ci(id_: str, ci_class: str = "server") -> ConfigurationItem:
    """A configuration item named after its id."""
    return ConfigurationItem(id_, id_.title(), ci_class)


#: shop -> shop-app -> (srv1, db -> srv2); srv1/srv2 connect to sw; rack contains srv2.
SHOP = CmdbGraph(
    [
        ci("shop", "service"),
        ci("mail", "service"),
        ci("shop-app", "application"),
        ci("db", "database"),
        ci("srv1"),
        ci("srv2"),
        ci("sw", "network"),
        ci("rack", "other"),
        ci("tape", "storage"),
    ],
    [
        Relationship("shop", "depends_on", "shop-app"),
        Relationship("shop-app", "runs_on", "srv1"),
        Relationship("shop-app", "uses", "db"),
        Relationship("db", "hosted_on", "srv2"),
        Relationship("mail", "runs_on", "srv2"),
        Relationship("srv1", "connects_to", "sw"),
        Relationship("srv2", "connects_to", "sw"),
        Relationship("rack", "contains", "srv2"),
        Relationship("db", "backed_up_by", "tape"),
    ],
)


def test_a_switch_failure_reaches_every_service_with_a_reason() -> None:
    """Impact follows each relationship's direction transitively and explains each hit."""
    impact = SHOP.impact("sw")
    assert impact.ids == ("srv1", "srv2", "db", "mail", "shop-app", "shop")
    assert [a.item.id for a in impact.services] == ["mail", "shop"]
    shop = next(a for a in impact.affected if a.item.id == "shop")
    assert shop.explain() == (
        "srv1 connects_to sw; shop-app runs_on srv1; shop depends_on shop-app"
    )
    assert impact.path_to("tape") is None


def test_contains_carries_failure_from_container_to_content() -> None:
    """A rack failure takes down what it contains and what depends on that."""
    assert SHOP.impact("rack").ids == ("srv2", "db", "mail", "shop-app", "shop")


def test_backups_carry_no_failure_and_a_top_service_affects_nothing() -> None:
    """A tape failure affects nothing; a service nobody depends on affects nothing."""
    assert SHOP.impact("tape").affected == ()
    assert SHOP.impact("shop").affected == ()
    assert SHOP.impact("db").ids == ("shop-app", "shop")


def test_every_kind_has_a_direction() -> None:
    """Each relationship kind declares how a failure travels."""
    assert {k.propagation for k in RelationshipKind} == set(Propagation)
    assert RelationshipKind.CONTAINS.propagation is Propagation.TO_TARGET


def test_cycles_terminate_and_never_list_the_failed_item() -> None:
    """A -> B -> C -> A: each failure reaches the other two, not itself."""
    graph = CmdbGraph(
        [ci("a"), ci("b"), ci("c")],
        [
            Relationship("a", "depends_on", "b"),
            Relationship("b", "depends_on", "c"),
            Relationship("c", "depends_on", "a"),
        ],
    )
    assert graph.impact("a").ids == ("c", "b")
    assert graph.impact("a").path_to("b") == (
        Relationship("c", "depends_on", "a"),
        Relationship("b", "depends_on", "c"),
    )


def test_invalid_graphs_list_every_problem() -> None:
    """Duplicates, dangling ends and self-loops are all reported at once."""
    with pytest.raises(InvalidGraphError) as invalid:
        CmdbGraph(
            [ci("a"), ci("a"), ci("b")],
            [
                Relationship("a", "runs_on", "ghost"),
                Relationship("b", "depends_on", "b"),
                Relationship("a", "uses", "b"),
                Relationship("a", "uses", "b"),
            ],
        )
    assert invalid.value.problems == (
        "configuration item 'a' is defined twice",
        "relationship 'a runs_on ghost' refers to unknown item 'ghost'",
        "relationship 'a uses b' is listed twice",
        "relationship 'b depends_on b' relates an item to itself",
    )
    assert "invalid CMDB graph: 4 problem(s)" in str(invalid.value)


def test_bad_values_get_typed_errors() -> None:
    """Unknown classes, kinds and ids are refused with what is allowed."""
    with pytest.raises(InvalidInputError, match="allowed: service, application"):
        ConfigurationItem("x", "X", "mainframe")
    with pytest.raises(InvalidInputError, match="allowed: depends_on"):
        Relationship("a", "likes", "b")
    with pytest.raises(InvalidInputError, match="non-empty string"):
        ConfigurationItem("", "X", "server")
    with pytest.raises(InvalidInputError, match="no configuration item 'nope'"):
        SHOP.impact("nope")
    with pytest.raises(InvalidInputError, match="collection of Relationship values"):
        CmdbGraph([ci("a")], [("a", "uses", "b")])  # type: ignore[list-item]


def test_items_default_to_operational_and_lookups_work() -> None:
    """Status defaults to operational; relationships_of and directly_affected_by read the graph."""
    assert SHOP.item("db").status is CIStatus.OPERATIONAL
    assert SHOP.item("db").ci_class is CIClass.DATABASE
    assert SHOP.directly_affected_by("srv2") == ("db", "mail")
    assert [str(r) for r in SHOP.relationships_of("db")] == [
        "db backed_up_by tape",
        "db hosted_on srv2",
        "shop-app uses db",
    ]


# -- properties -------------------------------------------------------------------

IDS = [f"c{i}" for i in range(7)]


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[ConfigurationItem], list[Relationship]]:
    """Random items and valid relationships (cycles allowed), as lists in drawn order."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, unique=True))
    items = [ConfigurationItem(i, i, draw(st.sampled_from(CIClass))) for i in ids]
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(RelationshipKind), st.sampled_from(ids))
    triples = draw(st.lists(pairs, max_size=14, unique=True))
    rels = [Relationship(s, k, t) for s, k, t in triples if s != t]
    return items, rels


def oracle_distances(rels: list[Relationship], failed: str) -> dict[str, int]:
    """Slow oracle: relax every edge until nothing changes (unit-weight Bellman-Ford)."""
    edges = []
    for r in rels:
        if r.kind.propagation is Propagation.TO_SOURCE:
            edges.append((r.target, r.source))
        elif r.kind.propagation is Propagation.TO_TARGET:
            edges.append((r.source, r.target))
    dist = {failed: 0}
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            if a in dist and dist[a] + 1 < dist.get(b, 10**9):
                dist[b] = dist[a] + 1
                changed = True
    del dist[failed]
    return dist


@settings(max_examples=200)
@given(graphs())
def test_impact_matches_the_oracle_with_valid_shortest_paths(
    parts: tuple[list[ConfigurationItem], list[Relationship]],
) -> None:
    """Affected set and distances equal the oracle; each path carries the failure step by step."""
    items, rels = parts
    graph = CmdbGraph(items, rels)
    for item in items:
        impact = graph.impact(item.id)
        expected = oracle_distances(rels, item.id)
        assert {a.item.id: len(a.path) for a in impact.affected} == expected
        for affected in impact.affected:
            here = item.id
            for step in affected.path:
                reached = step.carries_failure_from(here)
                assert reached is not None
                here = reached
            assert here == affected.item.id


@settings(max_examples=200)
@given(graphs())
def test_impact_is_transitive(parts: tuple[list[ConfigurationItem], list[Relationship]]) -> None:
    """If a failure of A reaches B, everything B's failure reaches is reached from A too."""
    graph = CmdbGraph(*parts)
    for item in graph.items:
        reached = set(graph.impact(item.id).ids)
        for other in reached:
            assert set(graph.impact(other).ids) <= reached | {item.id}


@given(graphs())
def test_no_dependents_means_no_impact(
    parts: tuple[list[ConfigurationItem], list[Relationship]],
) -> None:
    """An item nothing depends on (no relationship carries its failure) affects nothing."""
    graph = CmdbGraph(*parts)
    for item in graph.items:
        carries = any(r.carries_failure_from(item.id) for r in graph.relationships)
        assert bool(graph.impact(item.id).affected) == carries


@given(graphs(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_insertion_order(
    parts: tuple[list[ConfigurationItem], list[Relationship]], rnd: random.Random
) -> None:
    """Shuffled items and relationships build an equal graph with identical analyses."""
    items, rels = parts
    shuffled_items, shuffled_rels = items[:], rels[:]
    rnd.shuffle(shuffled_items)
    rnd.shuffle(shuffled_rels)
    graph, again = CmdbGraph(items, rels), CmdbGraph(shuffled_items, shuffled_rels)
    assert graph == again
    for item in items:
        assert graph.impact(item.id) == again.impact(item.id)
