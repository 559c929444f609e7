"""Configuration items, their typed relationships, and impact analysis.

A :class:`CmdbGraph` is a frozen, validated value built from configuration
items and :class:`Relationship` values. Each relationship kind says which way
a failure travels along it (:class:`Propagation`): an application that
``runs_on`` a server is hit when the server fails, not the other way round.
:meth:`CmdbGraph.impact` follows those directions transitively, breadth first,
so it terminates on cycles and gives each affected item one shortest path (the
reason it is affected), chosen the same way whatever order the graph was
built in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TypeVar

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit._validators import of_type, text, tuple_of
from itilkit.errors import InvalidGraphError, InvalidTypeError, UnknownItemError
from itilkit.practices._values import to_enum

__all__ = [
    "AffectedItem",
    "CIClass",
    "CIStatus",
    "CmdbGraph",
    "ConfigurationItem",
    "ImpactAnalysis",
    "Propagation",
    "Relationship",
    "RelationshipKind",
]


class CIClass(Vocabulary):
    """What kind of thing a configuration item is."""

    SERVICE = "service"
    APPLICATION = "application"
    DATABASE = "database"
    SERVER = "server"
    VIRTUAL_MACHINE = "virtual_machine"
    NETWORK = "network"
    STORAGE = "storage"
    OTHER = "other"


class CIStatus(Vocabulary):
    """Where a configuration item is in its own life."""

    PLANNED = "planned"
    OPERATIONAL = "operational"
    MAINTENANCE = "maintenance"
    RETIRED = "retired"


class Propagation(Vocabulary):
    """Which way a failure travels along a relationship ``source -kind-> target``."""

    #: a failure of the target affects the source
    TO_SOURCE = "to_source"
    #: a failure of the source affects the target
    TO_TARGET = "to_target"
    #: the relationship carries no failure (documentation only)
    NONE = "none"


class RelationshipKind(Vocabulary):
    """A typed relationship, read as "source <kind> target"."""

    #: the source needs the target to work (service depends_on application)
    DEPENDS_ON = "depends_on"
    #: the source calls or reads the target (application uses database)
    USES = "uses"
    #: the source software runs on the target (application runs_on server)
    RUNS_ON = "runs_on"
    #: the source is hosted on the target (virtual machine hosted_on hypervisor)
    HOSTED_ON = "hosted_on"
    #: the source reaches the network through the target (server connects_to switch)
    CONNECTS_TO = "connects_to"
    #: the source physically or logically contains the target (rack contains server)
    CONTAINS = "contains"
    #: the target holds backups of the source; no failure travels along it
    BACKED_UP_BY = "backed_up_by"

    @property
    def propagation(self) -> Propagation:
        """Which way a failure travels along this kind."""
        return _PROPAGATION[self]


_PROPAGATION = {
    RelationshipKind.DEPENDS_ON: Propagation.TO_SOURCE,
    RelationshipKind.USES: Propagation.TO_SOURCE,
    RelationshipKind.RUNS_ON: Propagation.TO_SOURCE,
    RelationshipKind.HOSTED_ON: Propagation.TO_SOURCE,
    RelationshipKind.CONNECTS_TO: Propagation.TO_SOURCE,
    RelationshipKind.CONTAINS: Propagation.TO_TARGET,
    RelationshipKind.BACKED_UP_BY: Propagation.NONE,
}


def _ci_class(value: object) -> CIClass:
    return to_enum(CIClass, value)


def _ci_status(value: object) -> CIStatus:
    return to_enum(CIStatus, value)


def _kind(value: object) -> RelationshipKind:
    return to_enum(RelationshipKind, value)


@attrs.frozen
class ConfigurationItem:
    """A configuration item: a service, application, server, database...

    Attributes:
        id: unique in its graph.
        name: what people call it.
        ci_class: what kind of thing it is.
        status: planned, operational, maintenance or retired.
    """

    id: str = attrs.field(validator=text())
    name: str = attrs.field(validator=text())
    ci_class: CIClass = attrs.field(converter=_ci_class)
    status: CIStatus = attrs.field(default=CIStatus.OPERATIONAL, converter=_ci_status)


@attrs.frozen(order=True)
class Relationship:
    """A typed, directed relationship: ``source <kind> target``.

    >>> str(Relationship("shop", "depends_on", "shop-app"))
    'shop depends_on shop-app'
    """

    source: str = attrs.field(validator=text())
    kind: RelationshipKind = attrs.field(converter=_kind)
    target: str = attrs.field(validator=text())

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.target}"

    def carries_failure_from(self, ci: str) -> str | None:
        """The CI a failure of ``ci`` reaches along this relationship, or None."""
        way = self.kind.propagation
        if way is Propagation.TO_SOURCE and ci == self.target:
            return self.source
        if way is Propagation.TO_TARGET and ci == self.source:
            return self.target
        return None


@attrs.frozen
class AffectedItem:
    """A configuration item hit by a failure, and the relationships that carried it there."""

    item: ConfigurationItem = attrs.field(validator=of_type(ConfigurationItem))
    path: tuple[Relationship, ...] = attrs.field(validator=tuple_of(Relationship))

    def explain(self) -> str:
        """The path as one line: why ``item`` is affected."""
        return "; ".join(str(step) for step in self.path)


@attrs.frozen
class ImpactAnalysis:
    """What a failure of ``failed`` affects, nearest first (then by id)."""

    failed: ConfigurationItem = attrs.field(validator=of_type(ConfigurationItem))
    affected: tuple[AffectedItem, ...] = attrs.field(validator=tuple_of(AffectedItem))

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of the affected items, nearest first."""
        return tuple(a.item.id for a in self.affected)

    @property
    def services(self) -> tuple[AffectedItem, ...]:
        """The affected items that are services."""
        return tuple(a for a in self.affected if a.item.ci_class is CIClass.SERVICE)

    def path_to(self, ci: str) -> tuple[Relationship, ...] | None:
        """Why ``ci`` is affected (the relationships from the failure), or None if it is not."""
        return next((a.path for a in self.affected if a.item.id == ci), None)


T = TypeVar("T")


def _all_of(kind: type[T], values: Iterable[T], what: str) -> list[T]:
    allowed = f"a collection of {kind.__name__} values"
    if isinstance(values, str | bytes | bytearray) or not isinstance(values, Iterable):
        raise InvalidTypeError(what, allowed, values)
    values = list(values)
    bad = [v for v in values if not isinstance(v, kind)]
    if bad:
        raise InvalidTypeError(what, allowed, bad[0])
    return values


def _items(values: Iterable[ConfigurationItem]) -> tuple[ConfigurationItem, ...]:
    items = _all_of(ConfigurationItem, values, "items")
    return tuple(sorted(items, key=lambda item: (item.id, item.name, item.ci_class, item.status)))


def _relationships(values: Iterable[Relationship]) -> tuple[Relationship, ...]:
    return tuple(sorted(_all_of(Relationship, values, "relationships")))


@attrs.frozen
class CmdbGraph:
    """A validated, frozen set of configuration items and their relationships.

    Items and relationships are kept sorted, so two graphs built from the same
    parts in any order are equal and analyse the same way. Construction lists
    every problem at once: duplicate ids, relationships to unknown items,
    self-loops and duplicate relationships.
    """

    items: tuple[ConfigurationItem, ...] = attrs.field(converter=_items)
    relationships: tuple[Relationship, ...] = attrs.field(default=(), converter=_relationships)
    _by_id: Mapping[str, ConfigurationItem] = attrs.field(init=False, repr=False, eq=False)
    #: ci -> ((affected ci, relationship), ...), sorted
    _spread: Mapping[str, tuple[tuple[str, Relationship], ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        problems = _problems(self.items, self.relationships)
        if problems:
            raise InvalidGraphError(problems)
        spread: dict[str, list[tuple[str, Relationship]]] = {}
        for rel in self.relationships:
            for ci in (rel.source, rel.target):
                reached = rel.carries_failure_from(ci)
                if reached is not None:
                    spread.setdefault(ci, []).append((reached, rel))
        object.__setattr__(self, "_by_id", MappingProxyType({i.id: i for i in self.items}))
        object.__setattr__(
            self, "_spread", MappingProxyType({k: tuple(sorted(v)) for k, v in spread.items()})
        )

    def item(self, ci: str) -> ConfigurationItem:
        """The item with id ``ci``.

        Raises:
            UnknownItemError: no item has that id (a LookupError and a ValueError).
            InvalidTypeError: ``ci`` is not a string.
        """
        if not isinstance(ci, str):
            raise InvalidTypeError("ci", "a configuration item id (a string)", ci)
        found = self._by_id.get(ci)
        if found is None:
            raise UnknownItemError(ci, len(self._by_id))
        return found

    def relationships_of(self, ci: str) -> tuple[Relationship, ...]:
        """Every relationship with ``ci`` at either end."""
        self.item(ci)
        return tuple(r for r in self.relationships if ci in (r.source, r.target))

    def directly_affected_by(self, ci: str) -> tuple[str, ...]:
        """Ids a failure of ``ci`` reaches in one step, sorted."""
        self.item(ci)
        return tuple(sorted({reached for reached, _ in self._spread.get(ci, ())}))

    def impact(self, ci: str) -> ImpactAnalysis:
        """Everything a failure of ``ci`` affects, each with one shortest path.

        The failed item itself is never listed, even when a cycle leads back
        to it. Among equally short paths the one found first in sorted order is
        kept.
        """
        failed = self.item(ci)
        paths: dict[str, tuple[Relationship, ...]] = {ci: ()}
        queue = deque([ci])
        while queue:
            current = queue.popleft()
            for reached, rel in self._spread.get(current, ()):
                if reached not in paths:
                    paths[reached] = (*paths[current], rel)
                    queue.append(reached)
        del paths[ci]
        affected = sorted(paths.items(), key=lambda kv: (len(kv[1]), kv[0]))
        return ImpactAnalysis(
            failed, tuple(AffectedItem(self._by_id[k], path) for k, path in affected)
        )


def _problems(
    items: tuple[ConfigurationItem, ...], relationships: tuple[Relationship, ...]
) -> list[str]:
    problems: list[str] = []
    ids: set[str] = set()
    for item in items:
        if item.id in ids:
            problems.append(f"configuration item {shown(item.id)} is defined twice")
        else:
            ids.add(item.id)
    seen: set[Relationship] = set()
    for rel in relationships:
        for end in dict.fromkeys((rel.source, rel.target)):
            if end not in ids:
                problems.append(f"relationship '{rel}' refers to unknown item {shown(end)}")
        if rel.source == rel.target:
            problems.append(f"relationship '{rel}' relates an item to itself")
        if rel in seen:
            problems.append(f"relationship '{rel}' is listed twice")
        seen.add(rel)
    return problems
