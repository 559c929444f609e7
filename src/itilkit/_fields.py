"""The fields of a report value checked against their annotations at construction.

Report values are plain data a host may build itself (from stored JSON, in
tests); a value of the wrong type there would only fail later, in
``to_dict()``. :func:`check_fields` refuses it at construction with an
:class:`~itilkit.errors.InvalidTypeError` naming the field and the type it
takes. It reads the annotation forms the reports use: ``int``, ``float``,
``str``, ``bool``, ``datetime`` (aware), ``timedelta``, ``X | None``,
``tuple[X, ...]``, fixed tuples, ``Mapping[K, V]`` and classes.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs

from itilkit.errors import InvalidTypeError

__all__ = ["check_fields"]

_Check = Callable[[object], bool]
#: Per class: each field's name, its check, and the annotation to name in an error.
_CHECKS: dict[type, tuple[tuple[str, _Check, str], ...]] = {}


def check_fields(instance: object) -> None:
    """Raise :class:`InvalidTypeError` for the first field whose value its annotation refuses."""
    kind = type(instance)
    checks = _CHECKS.get(kind)
    if checks is None:
        checks = _CHECKS[kind] = _checks_of(kind)
    for name, check, allowed in checks:
        value = getattr(instance, name)
        if not check(value):
            raise InvalidTypeError(f"{kind.__name__}.{name}", allowed, value)


def _checks_of(kind: type) -> tuple[tuple[str, _Check, str], ...]:
    hints = typing.get_type_hints(kind)
    return tuple(
        (field.name, _check(hints[field.name]), _named(hints[field.name]))
        for field in attrs.fields(kind)
    )


def _named(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None)
    return text if isinstance(text, str) and not typing.get_args(annotation) else str(annotation)


def _check(annotation: Any) -> _Check:
    """A predicate for values of ``annotation``."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        members = tuple(_check(a) for a in args)
        return lambda value: any(member(value) for member in members)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _check(args[0])
            return lambda value: isinstance(value, tuple) and all(item(v) for v in value)
        parts = tuple(_check(a) for a in args)
        return lambda value: (
            isinstance(value, tuple)
            and len(value) == len(parts)
            and all(part(v) for part, v in zip(parts, value, strict=True))
        )
    if origin is not None and issubclass(origin, Mapping):
        key, item = (_check(a) for a in args)
        return lambda value: (
            isinstance(value, Mapping) and all(key(k) and item(v) for k, v in value.items())
        )
    if annotation is type(None):
        return lambda value: value is None
    if annotation is float:
        return lambda value: isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if annotation is datetime:
        return _aware
    assert isinstance(annotation, type), annotation
    return lambda value: isinstance(value, annotation)


def _aware(value: object) -> bool:
    if not isinstance(value, datetime):
        return False
    try:
        return value.utcoffset() is not None
    except Exception:  # an odd tzinfo: not an instant a report can hold
        return False
