"""The kernel's validators and name checks, shared by lifecycle, sla and practices.

Each validator is a named attrs validator raising InvalidInputError naming the field.

Unlike ``attrs.validators.instance_of`` (a ``TypeError``), a wrong type here
is bad input in itilkit's own hierarchy, and the message says what is allowed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeGuard

import attrs

from itilkit._repr import shown
from itilkit._time import require_aware
from itilkit.errors import InvalidInputError, InvalidTypeError

__all__ = [
    "SIZED",
    "absent",
    "aware",
    "is_text",
    "non_negative",
    "of_type",
    "optional",
    "text",
    "tuple_of",
]

#: Values that count as unset when empty.
SIZED = (str, tuple, list, set, frozenset, dict)


def absent(value: object) -> bool:
    """True when a required field is unset: None, or an empty string or collection."""
    if value is None:
        return True
    if isinstance(value, SIZED):
        return not value
    return False


def _type_names(types: tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in types)


@attrs.frozen
class _OfType:
    types: tuple[type, ...]
    #: a bool is an int to Python, never to itilkit (unless bool is asked for)
    _no_bool: bool = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_no_bool", bool not in self.types)

    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, self.types) or (self._no_bool and type(value) is bool):
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
            raise InvalidInputError(
                f"{attribute.name} must hold {_type_names(self.types)} only, got {shown(bad[0])}"
            )


def is_text(value: object) -> TypeGuard[str]:
    """True for a string with something besides whitespace: the rule for every name."""
    return isinstance(value, str) and bool(value) and not value.isspace()


@attrs.frozen
class _Text:
    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is str and value and not value.isspace():
            return
        if not isinstance(value, str):
            raise InvalidTypeError(attribute.name, "a non-empty string", value)
        if not is_text(value):
            raise InvalidInputError(
                f"{attribute.name} must be a non-empty string, got {shown(value)}"
            )


@attrs.frozen
class _Aware:
    def __call__(self, _instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        try:
            if type(value) is datetime and value.utcoffset() is not None:
                return
        except Exception:  # a tzinfo that misbehaves: require_aware says so
            pass
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
