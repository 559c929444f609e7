"""The links between HP SM interactions, incidents and changes, checked across the three files.

Each export names its links in its own columns: an interaction its incident
(``Related Incident``), an incident one interaction and one change
(``Related Interaction``, ``Related Change``). A link is *resolved* when the
record it names is in the other file, *dangling* when it is not, and
*several* when the export wrote ``#MULTIVALUE`` instead of an id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

import attrs

from itilkit._fields import check_fields
from itilkit._repr import shown
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.interop._hpsm import HpsmChange, HpsmIncident, HpsmInteraction, Reference

__all__ = ["HpsmLinks", "LinkCount", "link_hpsm"]


@attrs.frozen(kw_only=True)
class LinkCount:
    """How one link column fared: links set, ``#MULTIVALUE``, resolved and dangling ones.

    ``dangling_examples`` holds the first (record, missing id) pairs.

    .. versionadded:: 0.2
    """

    __attrs_post_init__ = check_fields

    column: str
    source: str
    target: str
    links: int
    several: int
    resolved: int
    dangling: int
    dangling_examples: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        data = attrs.asdict(self)
        data["dangling_examples"] = [list(pair) for pair in self.dangling_examples]
        return data


@attrs.frozen(kw_only=True)
class HpsmLinks:
    """The resolved links of one HP SM extract, both ways, and how each link column fared.

    ``incident_interactions`` gathers what either side says (an interaction
    naming the incident, or the incident naming the interaction).

    .. versionadded:: 0.2
    """

    __attrs_post_init__ = check_fields

    interaction_incident: Mapping[str, str] = attrs.field(hash=False)
    incident_interactions: Mapping[str, tuple[str, ...]] = attrs.field(hash=False)
    incident_changes: Mapping[str, tuple[str, ...]] = attrs.field(hash=False)
    counts: tuple[LinkCount, ...]

    def to_dict(self) -> dict[str, Any]:
        """The counts as plain values (the link maps are data, not a report)."""
        return {"counts": [c.to_dict() for c in self.counts]}


class _Column:
    def __init__(self, column: str, source: str, target: str, examples: int) -> None:
        self.column, self.source, self.target, self.examples = column, source, target, examples
        self.links: list[tuple[str, str]] = []
        self.several = 0

    def add(self, record_id: str, reference: Reference | None) -> None:
        if reference is None:
            return
        if not isinstance(reference, Reference) or not isinstance(reference.id, str | None):
            raise InvalidInputError(
                f"{self.column} of {shown(record_id)} must be a Reference or None, "
                f"got {shown(reference)}"
            )
        if reference.several:
            self.several += 1
        elif reference.id is not None:
            self.links.append((record_id, reference.id))

    def count(self, known: set[str]) -> tuple[LinkCount, list[tuple[str, str]]]:
        resolved = [pair for pair in self.links if pair[1] in known]
        dangling = [pair for pair in self.links if pair[1] not in known]
        return (
            LinkCount(
                column=self.column,
                source=self.source,
                target=self.target,
                links=len(self.links) + self.several,
                several=self.several,
                resolved=len(resolved),
                dangling=len(dangling),
                dangling_examples=tuple(dangling[: self.examples]),
            ),
            resolved,
        )


R = TypeVar("R", HpsmIncident, HpsmInteraction, HpsmChange)


def _records(values: Iterable[R], kind: type[R], name: str) -> Iterator[R]:
    """The records of ``values``, each checked to be a ``kind`` with a text id."""
    if isinstance(values, str | bytes | bytearray) or not isinstance(values, Iterable):
        raise InvalidTypeError(name, f"an iterable of {kind.__name__}", values)
    for value in values:
        if not isinstance(value, kind) or not isinstance(value.id, str):
            raise InvalidTypeError(name, f"{kind.__name__} records (with a text id)", value)
        yield value


def link_hpsm(
    incidents: Iterable[HpsmIncident],
    interactions: Iterable[HpsmInteraction],
    changes: Iterable[HpsmChange],
    *,
    examples: int = 5,
) -> HpsmLinks:
    """Resolve the links between the three files, each read once (readers stream).

    Raises:
        InvalidInputError: an argument is not acceptable.

    .. versionadded:: 0.2
    """
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 0:
        raise InvalidInputError(f"examples must be an int >= 0, got {shown(examples)}")
    to_incident = _Column("Related Incident", "interaction", "incident", examples)
    to_interaction = _Column("Related Interaction", "incident", "interaction", examples)
    to_change = _Column("Related Change", "incident", "change", examples)
    incident_ids: set[str] = set()
    for incident in _records(incidents, HpsmIncident, "incidents"):
        incident_ids.add(incident.id)
        to_interaction.add(incident.id, incident.related_interaction)
        to_change.add(incident.id, incident.related_change)
    interaction_ids: set[str] = set()
    for interaction in _records(interactions, HpsmInteraction, "interactions"):
        interaction_ids.add(interaction.id)
        to_incident.add(interaction.id, interaction.related_incident)
    change_ids = {change.id for change in _records(changes, HpsmChange, "changes")}
    incident_count, interaction_to_incident = to_incident.count(incident_ids)
    interaction_count, incident_to_interaction = to_interaction.count(interaction_ids)
    change_count, incident_to_change = to_change.count(change_ids)
    interaction_incident = dict(interaction_to_incident)
    both: dict[str, dict[str, None]] = {}
    for sd, im in interaction_to_incident:
        both.setdefault(im, {})[sd] = None
    for im, sd in incident_to_interaction:
        both.setdefault(im, {})[sd] = None
        interaction_incident.setdefault(sd, im)
    changes_of: dict[str, dict[str, None]] = {}
    for im, c in incident_to_change:
        changes_of.setdefault(im, {})[c] = None
    return HpsmLinks(
        interaction_incident=interaction_incident,
        incident_interactions={k: tuple(v) for k, v in both.items()},
        incident_changes={k: tuple(v) for k, v in changes_of.items()},
        counts=(incident_count, interaction_count, change_count),
    )
