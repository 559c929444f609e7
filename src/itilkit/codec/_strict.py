"""Strict hooks for JSON's own types, the time values, enums, containers and classes.

cattrs' defaults coerce (``"false"`` becomes True, ``7.9`` becomes 7, a
string is a sequence of characters); these hooks check the exact JSON type
instead and raise :class:`~itilkit.codec._problems.DecodeError` saying what was
found and what is accepted. Containers collect every element's problems with
its index or key. Classes without a special form become objects of their
init fields, with unknown keys refused and defaults omitted when written.

Hooks for classes and containers are *factories*: cattrs calls them once per
type, on first use, and they bind their element and field hooks then, so no
call dispatches on types again.
"""

from __future__ import annotations

import enum
import functools
import math
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from itilkit.codec._problems import DecodeError, collect, describe, gather, key
from itilkit.codec._schema import JsonSchema, SchemaBook
from itilkit.codec._text import (
    DURATION_FORMS,
    format_duration,
    parse_date,
    parse_datetime,
    parse_duration,
)
from itilkit.errors import UnencodableValueError

__all__ = [
    "Registrar",
    "configure_strict",
    "each",
    "scalar",
    "structure_record",
    "unstructure_record",
]

StructureHook = Callable[[Any, Any], Any]
UnstructureHook = Callable[[Any], Any]


@attrs.frozen
class Registrar:
    """Registers hooks on a converter together with their JSON Schema."""

    converter: cattrs.Converter
    schemas: SchemaBook

    def value(
        self,
        tp: Any,
        structure: StructureHook,
        unstructure: UnstructureHook,
        schema: JsonSchema,
        *,
        name: str | None = None,
    ) -> None:
        """``tp`` has its own form: these hooks, this schema."""
        self.converter.register_structure_hook_func(lambda t: t == tp, structure)
        self.converter.register_unstructure_hook_func(lambda t: t == tp, unstructure)
        self.schemas.add(tp, schema, name=name)

    def factory(
        self,
        tp: Any,
        structure: Callable[[Any], StructureHook],
        unstructure: Callable[[Any], UnstructureHook],
        schema: JsonSchema,
        *,
        name: str | None = None,
    ) -> None:
        """Like :meth:`value`, with the hooks built on first use (after every registration)."""
        self.converter.register_structure_hook_factory(lambda t: t == tp, structure)
        self.converter.register_unstructure_hook_factory(lambda t: t == tp, unstructure)
        self.schemas.add(tp, schema, name=name)

    def record(
        self,
        cls: type,
        fields: Mapping[str, tuple[StructureHook, UnstructureHook, JsonSchema]],
    ) -> None:
        """``cls`` as an object of its fields, with these fields' hooks and schemas given."""
        overrides = {
            name: override(struct_hook=s, unstruct_hook=u) for name, (s, u, _) in fields.items()
        }
        self.converter.register_structure_hook_factory(
            lambda t: t is cls, lambda t: structure_record(t, self.converter, overrides)
        )
        self.converter.register_unstructure_hook_factory(
            lambda t: t is cls, lambda t: unstructure_record(t, self.converter, overrides)
        )
        self.schemas.record(cls, {name: schema for name, (_, _, schema) in fields.items()})


def structure_record(
    cls: type, converter: cattrs.Converter, overrides: Mapping[str, Any] | None = None
) -> StructureHook:
    """An object of ``cls``'s init fields, unknown keys refused."""
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=True, **(overrides or {})
    )

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise DecodeError(f"expected an object ({cls.__name__}), got {describe(value)}")
        return inner(value, cls)

    return structure


def unstructure_record(
    cls: type, converter: cattrs.Converter, overrides: Mapping[str, Any] | None = None
) -> UnstructureHook:
    """``cls``'s init fields, those equal to their default left out."""
    return make_dict_unstructure_fn(
        cls, converter, _cattrs_omit_if_default=True, **(overrides or {})
    )


def _exactly(kind: type, label: str) -> StructureHook:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not kind:
            raise DecodeError(f"expected {label}, got {describe(value)}")
        return value

    return structure


def _number(value: Any, _: Any) -> float:
    """A finite number; an integer stays an integer (``50`` is written back as ``50``)."""
    if type(value) is not int and (type(value) is not float or not math.isfinite(value)):
        raise DecodeError(f"expected a finite number, got {describe(value)}")
    return typing.cast(float, value)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise UnencodableValueError(value, "JSON has no NaN or infinity")
    return value


def scalar(value: Any, _: Any = None) -> Any:
    """A JSON scalar as itself (for values typed ``object``): string, number, boolean, null."""
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is float and math.isfinite(value):
        return value
    raise DecodeError(f"expected a string, number, boolean or null, got {describe(value)}")


def _unstructure_scalar(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        value = value.value
    try:
        return scalar(value)
    except DecodeError as error:
        raise UnencodableValueError(value, str(error)) from None


def _aware(value: datetime) -> str:
    if value.utcoffset() is None:
        raise UnencodableValueError(value, "naive datetime; itilkit keeps aware datetimes only")
    return value.isoformat()


def _date(value: date) -> str:
    if isinstance(value, datetime):
        raise UnencodableValueError(value, "a datetime where a date is expected")
    return value.isoformat()


#: Per enum class: its members by (value type, value).
_MEMBERS: dict[type, Mapping[tuple[type, object], enum.Enum]] = {}


def _members(cls: type[enum.Enum]) -> Mapping[tuple[type, object], enum.Enum]:
    found = _MEMBERS.get(cls)
    if found is None:
        found = _MEMBERS[cls] = {(type(m.value), m.value): m for m in cls}
    return found


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    """An enum member by value, the value of exactly the member's type."""
    try:
        return _MEMBERS[cls][type(value), value]
    except (KeyError, TypeError):
        pass
    member = _members(cls).get((type(value), value)) if type(value) in (str, int) else None
    if member is None:
        allowed = ", ".join(repr(m.value) for m in cls)
        raise DecodeError(f"{describe(value)} is not one of {allowed}")
    return member


def _origin(tp: Any) -> Any:
    return typing.get_origin(tp)


def _is_homogeneous(tp: Any) -> bool:
    origin, args = _origin(tp), typing.get_args(tp)
    return (origin is tuple and len(args) == 2 and args[1] is Ellipsis) or origin in (
        list,
        frozenset,
    )


def _is_str_mapping(tp: Any) -> bool:
    args = typing.get_args(tp)
    return _origin(tp) in (dict, Mapping) and len(args) == 2 and args[0] is str


def _is_optional(tp: Any) -> bool:
    args = typing.get_args(tp)
    return _origin(tp) in (typing.Union, types.UnionType) and type(None) in args


_JSON_SCALARS = (str, int, float, bool, type(None))


def _is_scalar_union(tp: Any) -> bool:
    args = typing.get_args(tp)
    return _origin(tp) in (typing.Union, types.UnionType) and all(a in _JSON_SCALARS for a in args)


def _scalar_union(tp: Any) -> StructureHook:
    allowed = typing.get_args(tp)
    names = " or ".join(_SCALAR_NAMES[a] for a in allowed)

    def structure(value: Any, _: Any) -> Any:
        if type(value) not in allowed or (type(value) is float and not math.isfinite(value)):
            raise DecodeError(f"expected {names}, got {describe(value)}")
        return value

    return structure


_SCALAR_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def _sort_key(item: Any) -> tuple[int, str]:
    return (0, item) if isinstance(item, str) else (1, repr(item))


def configure_strict(registrar: Registrar) -> None:
    """Register the strict hooks for JSON types, time values, enums, containers, classes."""
    converter = registrar.converter
    for kind, label in ((str, "a string"), (int, "an integer")):
        converter.register_structure_hook(kind, _exactly(kind, label))
    converter.register_structure_hook(float, _number)
    converter.register_unstructure_hook(float, _finite)
    converter.register_structure_hook_func(lambda t: t is object, scalar)
    converter.register_unstructure_hook_func(lambda t: t is object, _unstructure_scalar)
    converter.register_structure_hook(bool, _exactly(bool, "true or false"))
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):  # before str and int in their MROs
        converter.register_structure_hook(base, _structure_enum)
        converter.register_unstructure_hook(base, lambda member: member.value)
    registrar.value(
        datetime,
        parse_datetime,
        _aware,
        {"type": "string", "format": "date-time", "description": "ISO 8601 with a UTC offset"},
    )
    registrar.value(
        date,
        lambda v, _: parse_date(v),
        _date,
        {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    )
    registrar.value(
        timedelta,
        lambda v, _: parse_duration(v),
        format_duration,
        {"type": "string", "description": DURATION_FORMS, "pattern": DURATION_PATTERN},
    )
    converter.register_structure_hook_factory(_is_optional, lambda t: _optional(t, converter))
    converter.register_structure_hook_factory(_is_scalar_union, _scalar_union)
    converter.register_structure_hook_factory(_is_homogeneous, lambda t: _sequence(t, converter))
    converter.register_unstructure_hook_factory(
        _is_homogeneous, lambda t: _unstructure_sequence(t, converter)
    )
    converter.register_structure_hook_factory(_is_str_mapping, lambda t: _mapping(t, converter))
    converter.register_structure_hook_factory(attrs.has, lambda t: structure_record(t, converter))
    converter.register_unstructure_hook_factory(
        attrs.has, lambda t: unstructure_record(t, converter)
    )


#: A loose check of both duration forms, for editors; the decoder's message is exact.
DURATION_PATTERN = r"^\s*-?\s*(P[0-9WDTHMS.]+|([0-9.]+\s*(ms|w|d|h|m|s)\s*)+)$"


def _optional(tp: Any, converter: cattrs.Converter) -> StructureHook:
    rest = [arg for arg in typing.get_args(tp) if arg is not type(None)]
    inner_type = rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]  # noqa: UP007
    inner = converter.get_structure_hook(inner_type)

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else inner(value, inner_type)

    return structure


def each(
    element: StructureHook,
    element_type: Any = None,
    *,
    unique: bool = False,
    build: Callable[[list[Any]], Any] = tuple,
) -> StructureHook:
    """An array's items through ``element`` (into a tuple), each item's problems at its index."""

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not list:
            raise DecodeError(f"expected an array, got {describe(value)}")
        items, failed = [], []
        for index, item in enumerate(value):
            try:
                items.append(element(item, element_type))
            except Exception as error:
                failed.append((f"[{index}]", error))
        if failed:
            raise collect(failed)
        if unique and len(set(items)) != len(items):
            repeated = sorted({repr(i) for i in items if items.count(i) > 1})
            raise DecodeError(f"lists {', '.join(repeated)} more than once")
        return build(items)

    return structure


def _sequence(tp: Any, converter: cattrs.Converter) -> StructureHook:
    origin, element_type = _origin(tp), typing.get_args(tp)[0]
    return each(
        converter.get_structure_hook(element_type),
        element_type,
        unique=origin is frozenset,
        build={tuple: tuple, list: list, frozenset: frozenset}[origin],
    )


def _unstructure_sequence(tp: Any, converter: cattrs.Converter) -> UnstructureHook:
    element = converter.get_unstructure_hook(typing.get_args(tp)[0])
    if _origin(tp) is frozenset:
        return lambda value: sorted((element(v) for v in value), key=_sort_key)
    return lambda value: [element(v) for v in value]


def _mapping(tp: Any, converter: cattrs.Converter) -> StructureHook:
    value_type = typing.get_args(tp)[1]
    element = converter.get_structure_hook(value_type)

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise DecodeError(f"expected an object, got {describe(value)}")
        items = gather(
            (key(name), functools.partial(element, item, value_type))
            for name, item in value.items()
        )
        return dict(zip(value, items, strict=True))

    return structure
