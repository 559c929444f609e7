"""The codec: one strict, versioned way to turn itilkit values into JSON and back.

:class:`Codec` reads and writes documents (a value's data with its ``kind``
and ``schema_version``) in JSON or TOML; the module functions use the
:func:`default_codec`. :func:`make_converter` and :func:`configure_converter`
give the cattrs converter underneath, whose docstring lists every format
decision. Entities (:data:`ENTITY_TYPES`) are documents too, their practice
resolved through the codec's registry; :func:`entity_index` gives what a
store lists one by. ``docs/codec.md`` describes the forms a person writes by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar, overload

from itilkit.codec._catalog import Catalog
from itilkit.codec._converter import configure_converter, make_converter
from itilkit.codec._documents import KINDS, Codec, Kind, Upcaster, default_codec
from itilkit.codec._entities import ENTITY_TYPES, EntityIndex, entity_index
from itilkit.codec._schema import JsonSchema

__all__ = [
    "Catalog",
    "Codec",
    "ENTITY_TYPES",
    "EntityIndex",
    "JsonSchema",
    "KINDS",
    "Kind",
    "Upcaster",
    "configure_converter",
    "decode",
    "default_codec",
    "dumps",
    "encode",
    "entity_index",
    "json_schema",
    "load",
    "loads",
    "loads_toml",
    "make_converter",
]

_T = TypeVar("_T")


def encode(value: object) -> dict[str, Any]:
    """``value`` as a document (see :meth:`Codec.encode`)."""
    return default_codec().encode(value)


@overload
def decode(document: Any, cls: type[_T]) -> _T: ...
@overload
def decode(document: Any, cls: None = None) -> object: ...
def decode(document: Any, cls: type[_T] | None = None) -> _T | object:
    """The value a document holds (see :meth:`Codec.decode`)."""
    return default_codec().decode(document, cls)


def dumps(value: object, *, indent: int | None = 2) -> str:
    """``value`` as a JSON document (see :meth:`Codec.dumps`)."""
    return default_codec().dumps(value, indent=indent)


@overload
def loads(text: str | bytes, cls: type[_T]) -> _T: ...
@overload
def loads(text: str | bytes, cls: None = None) -> object: ...
def loads(text: str | bytes, cls: type[_T] | None = None) -> _T | object:
    """The value of a JSON document (see :meth:`Codec.loads`)."""
    return default_codec().loads(text, cls)


@overload
def loads_toml(text: str, cls: type[_T]) -> _T: ...
@overload
def loads_toml(text: str, cls: None = None) -> object: ...
def loads_toml(text: str, cls: type[_T] | None = None) -> _T | object:
    """The value of a TOML document (see :meth:`Codec.loads_toml`)."""
    return default_codec().loads_toml(text, cls)


@overload
def load(path: str | Path, cls: type[_T]) -> _T: ...
@overload
def load(path: str | Path, cls: None = None) -> object: ...
def load(path: str | Path, cls: type[_T] | None = None) -> _T | object:
    """The value of a ``.json`` or ``.toml`` document file (see :meth:`Codec.load`)."""
    return default_codec().load(path, cls)


def json_schema(kind: str) -> JsonSchema:
    """The JSON Schema of a configuration kind (see :meth:`Codec.json_schema`)."""
    return default_codec().json_schema(kind)
