"""Conditions over a :class:`~itilkit.sla.Snapshot`: when a clock starts, pauses, stops.

Conditions are small frozen values, so a policy stays plain data that can be
compared, printed and stored. They combine with ``&``, ``|`` and ``~``:

>>> from itilkit.sla import FieldIs, InState
>>> network = FieldIs("assignment_group", "network")
>>> network & ~InState("awaiting_vendor")  # doctest: +NORMALIZE_WHITESPACE
AllOf(conditions=(FieldIs(field='assignment_group', values=('network',)),
                  Not(condition=InState(states=frozenset({'awaiting_vendor'})))))

Any object with a ``matches(snapshot) -> bool`` method is a condition too
(see :class:`Condition`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import attrs

from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.sla._history import Snapshot
from itilkit.sla._problems import clipped, shown

__all__ = [
    "AllOf",
    "AnyOf",
    "Condition",
    "FieldChanged",
    "FieldIs",
    "InCategory",
    "InState",
    "Not",
]

#: Combined conditions nest at most this deep (deeper would overflow the stack when matched).
MAX_CONDITION_DEPTH = 100


class Condition(Protocol):
    """Anything that says whether a snapshot of the record matches."""

    def matches(self, snapshot: Snapshot) -> bool:
        """Return True when ``snapshot`` satisfies the condition."""
        ...


class _Combinable:
    """``&``, ``|`` and ``~`` for the built-in conditions."""

    __slots__ = ()

    def __and__(self, other: Condition) -> AllOf:
        return AllOf((_as_condition(self), other))

    def __or__(self, other: Condition) -> AnyOf:
        return AnyOf((_as_condition(self), other))

    def __invert__(self) -> Not:
        return Not(_as_condition(self))


def _as_condition(value: object) -> Condition:
    if not callable(getattr(value, "matches", None)):
        raise InvalidTypeError("a condition", "an object with a matches(snapshot) method", value)
    if _depth(value) >= MAX_CONDITION_DEPTH:
        raise InvalidInputError(f"conditions nest more than {MAX_CONDITION_DEPTH} deep")
    return value  # type: ignore[return-value]  # checked structurally just above


def _depth(value: object) -> int:
    """How deep a built-in combination nests (0 for any other condition)."""
    if isinstance(value, AllOf | AnyOf):
        return 1 + max(_depth(c) for c in value.conditions)
    if isinstance(value, Not):
        return 1 + _depth(value.condition)
    return 0


def _one_or_many(value: object) -> tuple[object, ...]:
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        return (value,)
    return tuple(value)


def _categories(
    value: StateCategory | str | Iterable[StateCategory | str],
) -> frozenset[StateCategory]:
    chosen = _one_or_many(value)
    allowed = sorted(c.value for c in StateCategory)
    wrong = [c for c in chosen if not isinstance(c, str)]
    if wrong:
        raise InvalidTypeError("InCategory", f"category names ({', '.join(allowed)})", wrong[0])
    unknown = sorted(clipped(c) for c in chosen if c not in allowed)
    if unknown or not chosen:
        raise InvalidInputError(
            f"InCategory needs one or more of {', '.join(allowed)}; "
            f"got {', '.join(unknown) or 'none'}"
        )
    return frozenset(StateCategory(str(c)) for c in chosen)


def _names(value: str | Iterable[str]) -> frozenset[str]:
    chosen = _one_or_many(value)
    if not all(isinstance(n, str) for n in chosen):
        raise InvalidTypeError("InState", "state names (strings)", value)
    if not chosen or not all(chosen):
        raise InvalidInputError(
            f"InState needs one or more non-empty state names, got {shown(value)}"
        )
    return frozenset(str(n) for n in chosen)


def _field(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidTypeError(attribute.name, "a field name", value)
    if not value:
        raise InvalidInputError(f"{attribute.name} must be a non-empty field name")


def _snapshot(value: object) -> Snapshot:
    if not isinstance(value, Snapshot):
        raise InvalidTypeError("snapshot", "a Snapshot (see snapshots())", value)
    return value


def _conditions(value: Iterable[Condition]) -> tuple[Condition, ...]:
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        raise InvalidTypeError("AllOf/AnyOf", "a list of conditions", value)
    chosen = tuple(_as_condition(c) for c in value)
    if not chosen:
        raise InvalidInputError("AllOf/AnyOf need at least one condition")
    return chosen


@attrs.frozen
class InCategory(_Combinable):
    """The record's state is in one of ``categories`` (one name or several)."""

    categories: frozenset[StateCategory] = attrs.field(converter=_categories)

    def matches(self, snapshot: Snapshot) -> bool:
        """True when the snapshot's category is one of ``categories``."""
        return _snapshot(snapshot).category in self.categories


@attrs.frozen
class InState(_Combinable):
    """The record's state is one of the named ``states`` (one name or several)."""

    states: frozenset[str] = attrs.field(converter=_names)

    def matches(self, snapshot: Snapshot) -> bool:
        """True when the snapshot's state name is one of ``states``."""
        return _snapshot(snapshot).state in self.states


@attrs.frozen
class FieldIs(_Combinable):
    """Field ``field`` holds one of ``values`` (a missing field counts as ``None``).

    ``values`` is one value or several (a list, tuple or set; a string is one value).
    """

    field: str = attrs.field(validator=_field)
    values: tuple[object, ...] = attrs.field(converter=_one_or_many)

    def matches(self, snapshot: Snapshot) -> bool:
        """True when the field's current value is one of ``values``."""
        return _snapshot(snapshot).fields.get(self.field) in self.values


@attrs.frozen
class FieldChanged(_Combinable):
    """Field ``field`` changed at this very instant (``"state"`` for the state).

    An edge, not a level: it matches only the snapshot of the change, which
    suits reset conditions such as "restart when reassigned".
    """

    field: str = attrs.field(validator=_field)

    def matches(self, snapshot: Snapshot) -> bool:
        """True when ``field`` is among the snapshot's changes."""
        return self.field in _snapshot(snapshot).changed


@attrs.frozen
class AllOf(_Combinable):
    """Every one of ``conditions`` matches."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)

    def matches(self, snapshot: Snapshot) -> bool:
        """True when all conditions match."""
        _snapshot(snapshot)
        return all(c.matches(snapshot) for c in self.conditions)


@attrs.frozen
class AnyOf(_Combinable):
    """At least one of ``conditions`` matches."""

    conditions: tuple[Condition, ...] = attrs.field(converter=_conditions)

    def matches(self, snapshot: Snapshot) -> bool:
        """True when any condition matches."""
        _snapshot(snapshot)
        return any(c.matches(snapshot) for c in self.conditions)


@attrs.frozen
class Not(_Combinable):
    """``condition`` does not match."""

    condition: Condition = attrs.field(converter=_as_condition)

    def matches(self, snapshot: Snapshot) -> bool:
        """True when the inner condition does not match."""
        return not self.condition.matches(_snapshot(snapshot))
