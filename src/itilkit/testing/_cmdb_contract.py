"""The repository contract for configuration items and the CMDB graph, through the codec.

Subclass :class:`ConfigurationItemRepositoryContract` once per store: every
case of :class:`~itilkit.testing.RepositoryContract` runs on configuration
items (no history, no practice, no times), and the cases here check what
only the CMDB has: index fields that are the CI's own class, status and
name, listing by them, and a whole graph with its relationships written in
one unit of work and read back equal by :func:`~itilkit.storage.load_cmdb`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from itilkit.errors import InvalidGraphError, InvalidTypeError, OutOfRangeError
from itilkit.practices import (
    CIClass,
    CIStatus,
    CmdbGraph,
    ConfigurationItem,
    Relationship,
    RelationshipKind,
)
from itilkit.storage import (
    CI_STATUS_CATEGORIES,
    ConfigurationItemDocuments,
    EntityCodec,
    RecordFilter,
    RecordStore,
    Repository,
    UnitOfWork,
    cmdb_documents,
    load_cmdb,
)
from itilkit.testing._repository_contract import RepositoryContract

__all__ = ["ConfigurationItemRepositoryContract", "sample_cmdb", "sample_item"]

_CLASSES = tuple(CIClass)
_STATUSES = tuple(CIStatus)
_NAMES = ("mail", "web", "db", "vpn")


#: The most CIs a sample CMDB holds.
MAX_CMDB = 1000


def _check_count(value: object, name: str, most: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, "an int", value)
    if not 0 <= value <= most:
        raise OutOfRangeError(name, value, f"0 to {most}")


def sample_item(number: int) -> ConfigurationItem:
    """CI ``number``: classes, statuses and names vary with it (names repeat)."""
    _check_count(number, "number", 10**9)
    return ConfigurationItem(
        id=f"CI-{number:03d}",
        name=f"{_NAMES[number % 4]}-{number % 3}",
        ci_class=_CLASSES[number % len(_CLASSES)],
        status=_STATUSES[(number // 2) % len(_STATUSES)],
    )


def sample_cmdb(size: int = 12) -> CmdbGraph:
    """``size`` CIs, each but the first related to an earlier one by a varying kind."""
    _check_count(size, "size", MAX_CMDB)
    items = [sample_item(n) for n in range(size)]
    kinds = tuple(RelationshipKind)
    relationships = [
        Relationship(items[n].id, kinds[n % len(kinds)], items[(n * 5) % n].id)
        for n in range(1, size)
    ]
    return CmdbGraph(items, relationships)


class ConfigurationItemRepositoryContract(RepositoryContract):
    """Abstract cases for ``Repository(make_store(), ConfigurationItemDocuments())``.

    Implement :meth:`make_store`.
    """

    def make_codec(self) -> EntityCodec[Any, Any]:
        return ConfigurationItemDocuments()

    def new_entity(self, number: int) -> Any:
        return sample_item(number)

    def changed(self, entity: Any) -> Any:
        """The CI renamed (CIs keep no history records)."""
        return attrs.evolve(entity, name=f"{entity.name}-renamed")

    def test_open_in_group_lists_open_tickets_by_priority(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """CIs are assigned to no group: the query finds none."""
        self._stored(repository, codec)
        assert repository.open_in_group("network").items == ()

    def test_breaching_within_lists_open_tickets_soonest_due_first(
        self, repository: Repository[Any, Any], codec: EntityCodec[Any, Any]
    ) -> None:
        """CIs have no SLA: none is ever breaching."""
        self._stored(repository, codec)
        now = datetime(2026, 3, 2, tzinfo=UTC)
        assert repository.breaching_within(timedelta(days=3650), now=now).items == ()

    def test_stored_index_fields_are_the_items_own(
        self, store: RecordStore, repository: Repository[Any, Any]
    ) -> None:
        """Status (and its category), class and name; no practice, times, group or SLA."""
        for number in range(self.ENTITIES):
            item = sample_item(number)
            repository.add(item)
            index = store.load(repository.kind, item.id).index
            assert index.state == item.status.value
            assert index.category is CI_STATUS_CATEGORIES[item.status.value]
            assert (index.classification, index.name) == (item.ci_class.value, item.name)
            assert (index.practice, index.opened_at, index.updated_at) == (None, None, None)
            assert (index.priority, index.assignment_group, index.sla_due_at) == (None, None, None)

    def test_items_are_listed_by_class_status_and_name(
        self, repository: Repository[Any, Any]
    ) -> None:
        """Each filter gives exactly the CIs with that class, status or name, by id."""
        items = [sample_item(n) for n in range(self.ENTITIES)]
        for item in items:
            repository.add(item)
        for wanted, keep in (
            (RecordFilter(classifications="server"), lambda i: i.ci_class is CIClass.SERVER),
            (RecordFilter(states=("planned", "retired")),
             lambda i: i.status in (CIStatus.PLANNED, CIStatus.RETIRED)),
            (RecordFilter(names="mail-0"), lambda i: i.name == "mail-0"),
            (RecordFilter(classifications=("service", "database"), states="operational"),
             lambda i: i.ci_class.value in ("service", "database")
             and i.status is CIStatus.OPERATIONAL),
        ):  # fmt: skip
            expected = sorted(i.id for i in items if keep(i))
            assert [v.entity.id for v in repository.list(wanted, limit=1000)] == expected

    def test_a_cmdb_graph_round_trips_as_its_parts(self, store: RecordStore) -> None:
        """A graph written in one unit of work (CIs and relationships) reads back equal,
        and a relationship added later appears in the next read."""
        graph = sample_cmdb()
        with UnitOfWork(store, cmdb_documents()) as work:
            for item in graph.items:
                work.repository("configuration-item").add(item)
            for relationship in graph.relationships:
                work.repository("ci-relationship").add(relationship)
            work.commit()
        assert load_cmdb(store) == graph
        extra = Relationship(graph.items[0].id, "backed_up_by", graph.items[-1].id)
        Repository(store, cmdb_documents()[1]).add(extra)
        assert load_cmdb(store) == CmdbGraph(graph.items, (*graph.relationships, extra))

    def test_a_relationship_to_a_ci_not_stored_fails_the_graph_read(
        self, store: RecordStore
    ) -> None:
        """Stored parts that do not make a graph: InvalidGraphError naming the CI."""
        Repository(store, ConfigurationItemDocuments()).add(sample_item(0))
        Repository(store, cmdb_documents()[1]).add(Relationship("CI-000", "uses", "CI-404"))
        with pytest.raises(InvalidGraphError, match="CI-404"):
            load_cmdb(store)
