"""Named attrs validators for the entities; each raises InvalidInputError naming the field.

Unlike ``attrs.validators.instance_of`` (a ``TypeError``), a wrong type here
is bad input in itilkit's own hierarchy, and the message says what is allowed.
"""

from __future__ import annotations

from typing import Any

import attrs

from itilkit._repr import shown
from itilkit._time import require_aware
from itilkit.errors import InvalidInputError, InvalidTypeError

__all__ = ["aware", "non_negative", "of_type", "optional", "text", "tuple_of"]


def _type_names(types: tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in types)


@attrs.frozen
class _OfType:
    types: tuple[type, ...]

    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, self.types) or (
            isinstance(value, bool) and bool not in self.types
        ):
            raise InvalidTypeError(attribute.name, _type_names(self.types), value)


@attrs.frozen
class _Optional:
    inner: Any

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            self.inner(instance, attribute, value)


@attrs.frozen
class _TupleOf:
    types: tuple[type, ...]

    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidTypeError(attribute.name, "a tuple", value)
        bad = [v for v in value if not isinstance(v, self.types)]
        if bad:
            raise InvalidTypeError(f"each of {attribute.name}", _type_names(self.types), bad[0])


@attrs.frozen
class _Text:
    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            raise InvalidTypeError(attribute.name, "a non-empty string", value)
        if not value.strip():
            raise InvalidInputError(f"{attribute.name} must be a non-empty string, got {value!r}")


@attrs.frozen
class _Aware:
    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        require_aware(value, attribute.name)  # type: ignore[arg-type]


@attrs.frozen
class _NonNegative:
    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInputError(f"{attribute.name} must be an int >= 0, got {shown(value)}")


def of_type(*types: type) -> _OfType:
    """Refuse values that are not instances of ``types`` (bool is not an int here)."""
    return _OfType(types)


def optional(inner: Any) -> _Optional:
    """Let ``None`` through, check anything else with ``inner``."""
    return _Optional(inner)


def tuple_of(*types: type) -> _TupleOf:
    """Require a tuple whose items are all instances of ``types``."""
    return _TupleOf(types)


def text() -> _Text:
    """Require a non-empty string."""
    return _Text()


def aware() -> _Aware:
    """Require an aware datetime (a naive one raises NaiveDatetimeError)."""
    return _Aware()


def non_negative() -> _NonNegative:
    """Require an int >= 0."""
    return _NonNegative()
