"""The explicit registry that resolves a stored :class:`PracticeRef` to its practice.

A host builds one registry holding every practice its tickets were made
with (the presets and its own derivations) and passes it to whatever loads
tickets; nothing is looked up globally.

>>> from itilkit.practices import INCIDENT
>>> acme = INCIDENT.derive(name="acme-incident")
>>> registry = DEFAULT_PRACTICES.with_practices(acme)
>>> registry.get("acme-incident", 1) is acme, registry.resolve(INCIDENT.ref) is INCIDENT
(True, True)
>>> registry.get("acme-incident", 2)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
itilkit.errors.UnknownPracticeError: no practice 'acme-incident' version 2 in the registry; ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

import attrs

from itilkit._repr import shown
from itilkit.errors import InvalidInputError, InvalidTypeError, UnknownPracticeError
from itilkit.practices._change_lifecycle import CHANGE
from itilkit.practices._incident import INCIDENT
from itilkit.practices._known_error import KNOWN_ERROR
from itilkit.practices._practice import Practice, PracticeRef
from itilkit.practices._problem import PROBLEM
from itilkit.practices._request import SERVICE_REQUEST

__all__ = ["DEFAULT_PRACTICES", "PracticeRegistry"]


def _index(practices: Iterable[Practice]) -> Mapping[PracticeRef, Practice]:
    if isinstance(practices, Practice):
        practices = (practices,)
    if isinstance(practices, str | bytes | bytearray) or not isinstance(practices, Iterable):
        raise InvalidTypeError("practices", "a collection of Practice values", practices)
    found: dict[PracticeRef, Practice] = {}
    pending = list(practices)
    while pending:
        practice = pending.pop(0)
        if not isinstance(practice, Practice):
            raise InvalidInputError(f"a registry holds Practice values, got {shown(practice)}")
        held = found.get(practice.ref)
        if held is not None and held is not practice and held != practice:
            raise InvalidInputError(
                f"the registry already holds a different practice {practice.ref}; "
                "give the new one another name or version"
            )
        found[practice.ref] = practice
        if practice.known_errors is not None:
            pending.append(practice.known_errors)
    return MappingProxyType(found)


@attrs.frozen
class PracticeRegistry:
    """An immutable set of practices, one per name and version.

    A problem practice brings the known-error practice it names. Two
    different practices under one name and version are refused.
    """

    practices: Mapping[PracticeRef, Practice] = attrs.field(
        default=(), converter=_index, eq=False, hash=False
    )

    def with_practices(self, *practices: Practice) -> PracticeRegistry:
        """A registry holding these practices besides this one's."""
        return PracticeRegistry([*self.practices.values(), *practices])

    def get(self, name: str, version: int) -> Practice:
        """The practice called ``name`` at ``version``.

        Raises:
            UnknownPracticeError: the registry holds no such practice.
        """
        if not isinstance(name, str):
            raise InvalidTypeError("name", "a practice name (a string)", name)
        found = self.practices.get(PracticeRef(name, version))
        if found is None:
            raise UnknownPracticeError(name, version, (str(ref) for ref in self.practices))
        return found

    def resolve(self, ref: PracticeRef) -> Practice:
        """The practice ``ref`` names (what a loaded ticket stored)."""
        if not isinstance(ref, PracticeRef):
            raise InvalidInputError(f"resolve takes a PracticeRef, got {shown(ref)}")
        return self.get(ref.name, ref.version)

    @property
    def refs(self) -> tuple[PracticeRef, ...]:
        """The names and versions held, sorted."""
        return tuple(sorted(self.practices, key=lambda r: (r.name, r.version)))

    def __contains__(self, ref: object) -> bool:
        return ref in self.practices

    def __iter__(self) -> Iterator[Practice]:
        return iter(self.practices[ref] for ref in self.refs)

    def __len__(self) -> int:
        return len(self.practices)


#: The preset practices: incident, problem, known error, service request and change.
DEFAULT_PRACTICES = PracticeRegistry([INCIDENT, PROBLEM, KNOWN_ERROR, SERVICE_REQUEST, CHANGE])
