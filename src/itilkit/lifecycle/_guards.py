"""Guards: named predicates a transition must pass, kept out of the definition data.

A definition refers to guards by name, so it stays plain data (serialisable,
diffable); a :class:`GuardRegistry` supplies the callables at run time. A guard
returns ``None`` to allow the transition or a sentence saying why it refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import Enum
from types import MappingProxyType
from typing import NamedTuple

import attrs

from itilkit._repr import shown
from itilkit.errors import InvalidInputError, InvalidTypeError

__all__ = [
    "Guard",
    "GuardContext",
    "GuardRegistry",
    "actor_differs_from",
    "actor_not_in",
    "field_in",
]


class GuardContext(NamedTuple):
    """What a guard may look at; guards must not change anything.

    ``fields`` are the entity's field values as they would be after the
    transition (its current values overlaid with ``changes``); ``before``
    are its current values, for guards that compare old and new or read a
    field the transition clears (an approver who already voted). An
    immutable named tuple: one is built for every guarded transition fired.
    """

    lifecycle: str
    state: str
    transition: str
    target: str
    fields: Mapping[str, object]
    changes: Mapping[str, object]
    actor: str
    at: datetime
    before: Mapping[str, object]


Guard = Callable[[GuardContext], str | None]
"""A guard: returns None to allow, or the reason it refuses."""


def _frozen_guards(value: Mapping[str, Guard]) -> Mapping[str, Guard]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError("guards", "a mapping of guard names to callables", value)
    guards = dict(value)
    for name, guard in guards.items():
        if not isinstance(name, str) or not name or not callable(guard):
            raise InvalidInputError(
                f"guard {shown(name)} must be a non-empty name and a callable, got {shown(guard)}"
            )
    return MappingProxyType(guards)


@attrs.frozen
class GuardRegistry:
    """An immutable name -> guard mapping; ``with_guards`` returns an extended copy."""

    guards: Mapping[str, Guard] = attrs.field(factory=dict, converter=_frozen_guards, eq=False)

    def with_guards(self, **guards: Guard) -> GuardRegistry:
        """A registry with ``guards`` added (replacing same-named ones)."""
        return GuardRegistry({**self.guards, **guards})

    def merged(self, other: GuardRegistry) -> GuardRegistry:
        """A registry with every guard of ``self`` and ``other`` (``other`` wins)."""
        if not isinstance(other, GuardRegistry):
            raise InvalidTypeError("other", "a GuardRegistry", other)
        return GuardRegistry({**self.guards, **other.guards})

    def get(self, name: str) -> Guard | None:
        """The guard called ``name``, or None."""
        return self.guards.get(name) if isinstance(name, str) else None

    def missing(self, names: Iterable[str]) -> tuple[str, ...]:
        """Which of ``names`` are not registered, sorted."""
        if isinstance(names, str) or not isinstance(names, Iterable):
            raise InvalidTypeError("names", "an iterable of guard names", names)
        listed = list(names)
        for name in listed:
            if not isinstance(name, str):
                raise InvalidTypeError("each guard name", "a str", name)
        return tuple(sorted({n for n in listed if n not in self.guards}))


def _check_context(context: object) -> None:
    if not isinstance(context, GuardContext):
        raise InvalidTypeError("context", "a GuardContext", context)


def _field_name(value: object, name: str = "field") -> str:
    if not isinstance(value, str) or not value:
        raise InvalidTypeError(name, "a non-empty field name", value)
    return value


@attrs.frozen
class _ActorDiffersFrom:
    field: str

    def __call__(self, context: GuardContext) -> str | None:
        _check_context(context)
        if context.fields.get(self.field) == context.actor:
            return f"{context.actor!r} is the {self.field} and may not {context.transition}"
        return None


@attrs.frozen
class _ActorNotIn:
    field: str
    attribute: str | None = None

    def __call__(self, context: GuardContext) -> str | None:
        _check_context(context)
        members = context.before.get(self.field) or ()
        if not isinstance(members, Iterable):
            return None
        if self.attribute is not None:
            members = (getattr(m, self.attribute, None) for m in members)
        if context.actor in members:
            where = (
                self.field if self.attribute is None else f"the {self.attribute}s of {self.field}"
            )
            return f"{context.actor!r} is already among {where}"
        return None


@attrs.frozen
class _FieldIn:
    field: str
    allowed: frozenset[object]

    def __call__(self, context: GuardContext) -> str | None:
        _check_context(context)
        value = context.fields.get(self.field)
        try:
            found = value in self.allowed
        except Exception:  # unhashable (or its hash raises): not one of the allowed values
            found = False
        if not found:
            allowed = ", ".join(sorted(map(str, self.allowed)))
            quoted = shown(value.value if isinstance(value, Enum) else value)
            return f"{self.field} is {quoted}; {context.transition} needs one of: {allowed}"
        return None


def actor_differs_from(field: str) -> Guard:
    """Segregation of duties: refuse when the actor is the person in ``field``.

    >>> guard = actor_differs_from("requested_by")
    >>> guard  # readable in errors and docs
    _ActorDiffersFrom(field='requested_by')
    """
    return _ActorDiffersFrom(_field_name(field))


def actor_not_in(field: str, attribute: str | None = None) -> Guard:
    """Refuse when the actor already appears in the collection in ``field``.

    "Already" means before the transition, so a transition may add its actor
    to ``field`` (record a vote) and still be refused the second time. With
    ``attribute``, the members are objects and their ``attribute`` is compared
    (``actor_not_in("approvals", "approver")``).

    >>> actor_not_in("approvals", "approver")
    _ActorNotIn(field='approvals', attribute='approver')
    """
    if attribute is not None:
        _field_name(attribute, "attribute")
    return _ActorNotIn(_field_name(field), attribute)


def field_in(field: str, allowed: Iterable[object]) -> Guard:
    """Refuse unless ``field`` holds one of ``allowed``."""
    name = _field_name(field)
    if isinstance(allowed, str) or not isinstance(allowed, Iterable):
        raise InvalidTypeError("allowed", "an iterable of values", allowed)
    try:
        values = frozenset(allowed)
    except Exception:  # an unhashable value, a hash that raises, an iterable that fails
        raise InvalidInputError(
            f"the values allowed in {name!r} must be hashable, got {shown(allowed)}"
        ) from None
    return _FieldIn(name, values)
