"""JSON Schema from the converter's own knowledge.

Every hook the codec registers for a special form registers its schema
fragment here at the same time; classes with the default treatment (a JSON
object of their fields, unknown keys refused, defaults optional) and the
generic containers get theirs from the same rules the hooks follow. So a
schema is never written twice, and it describes what the decoder accepts.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import attrs

__all__ = ["JsonSchema", "SchemaBook"]

JsonSchema = dict[str, Any]
DRAFT = "https://json-schema.org/draft/2020-12/schema"

_SCALARS: Mapping[Any, JsonSchema] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    object: {"type": ["string", "number", "boolean", "null"]},
}


def _summary(cls: type) -> str:
    return (cls.__doc__ or cls.__name__).strip().splitlines()[0]


class SchemaBook:
    """Schema fragments by type, and the rules for everything else."""

    def __init__(self) -> None:
        self._exact: dict[Any, JsonSchema] = {}
        self._named: dict[Any, str] = {}
        self._records: dict[type, Mapping[str, JsonSchema]] = {}
        self._rules: list[tuple[Callable[[Any], bool], Callable[[Any], JsonSchema]]] = []

    def add_rule(self, applies: Callable[[Any], bool], schema: Callable[[Any], JsonSchema]) -> None:
        """Types for which ``applies`` is true have the fragment ``schema(type)``."""
        self._rules.append((applies, schema))

    def add(self, tp: Any, schema: JsonSchema, *, name: str | None = None) -> None:
        """Register the schema of ``tp``; a ``name`` makes it a shared definition."""
        self._exact[tp] = schema
        if name is not None and set(schema) == {"$type"}:
            self._named[schema["$type"]] = name  # a form class: its definition takes the name
        elif name is not None:
            self._named[tp] = name

    def record(self, cls: type, overrides: Mapping[str, JsonSchema]) -> None:
        """``cls`` is an object of its fields, with these fields' schemas given."""
        self._records[cls] = overrides

    def document(self, tp: Any, title: str, envelope: JsonSchema) -> JsonSchema:
        """A whole schema for documents of type ``tp``, with the envelope's properties."""
        defs: dict[str, JsonSchema] = {}
        body = self._of(tp, defs)
        while set(body) == {"$ref"}:
            body = defs.pop(body["$ref"].removeprefix("#/$defs/"))
        required = envelope.get("required", [])
        schema = {
            "$schema": DRAFT,
            "title": title,
            **{k: v for k, v in body.items() if k not in ("properties", "required", "oneOf")},
        }
        if "oneOf" in body:
            shapes = [
                defs.pop(s["$ref"].removeprefix("#/$defs/")) if set(s) == {"$ref"} else s
                for s in body["oneOf"]
            ]
            schema["oneOf"] = [_with_envelope(shape, envelope) for shape in shapes]
        else:
            schema.update(_with_envelope(body, envelope))
        schema["required"] = sorted({*required, *schema.get("required", [])})
        if not schema["required"]:
            del schema["required"]
        if defs:
            schema["$defs"] = dict(sorted(defs.items()))
        return schema

    def _of(self, tp: Any, defs: dict[str, JsonSchema]) -> JsonSchema:
        if tp in self._exact:
            return self._shared(tp, lambda: self._resolve(self._exact[tp], defs), defs)
        if tp in _SCALARS:
            return dict(_SCALARS[tp])
        for applies, rule in self._rules:
            if applies(tp):
                return self._resolve(rule(tp), defs)
        if tp in (datetime, date, timedelta):  # pragma: no cover - registered by the hooks
            raise TypeError(f"no schema registered for {tp}")
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            return {"anyOf": [self._of(arg, defs) for arg in args]}
        if origin in (tuple, list) and (origin is list or args[-1:] == (Ellipsis,)):
            return {"type": "array", "items": self._of(args[0], defs)}
        if origin is frozenset:
            return {"type": "array", "items": self._of(args[0], defs), "uniqueItems": True}
        if origin in (dict, Mapping) and args[0] is str:
            return {"type": "object", "additionalProperties": self._of(args[1], defs)}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            values = [member.value for member in tp]
            return self._shared(tp, lambda: {"enum": values, "description": _summary(tp)}, defs)
        if isinstance(tp, type) and attrs.has(tp):
            given = self._records.get(tp)
            return self._shared(tp, lambda: self.fields(tp, defs, given), defs)
        raise TypeError(f"no schema rule for {tp!r}")  # pragma: no cover - a codec bug

    def _resolve(self, schema: JsonSchema, defs: dict[str, JsonSchema]) -> JsonSchema:
        """Replace ``{"$type": T}`` placeholders in a fragment by T's schema."""
        if "$type" in schema:
            return self._of(schema["$type"], defs)
        if "$fields" in schema:
            cls, tag = schema["$fields"], schema.get("$tag")
            if tag is None:
                return self.fields(cls, defs, self._records.get(cls))
            return self._shared(cls, lambda: self._tagged(cls, tag, defs), defs)
        resolved: JsonSchema = {}
        for name, value in schema.items():
            if isinstance(value, dict):
                resolved[name] = self._resolve(value, defs)
            elif isinstance(value, list):
                resolved[name] = [
                    self._resolve(v, defs) if isinstance(v, dict) else v for v in value
                ]
            else:
                resolved[name] = value
        return resolved

    def _tagged(self, cls: type, tag: str, defs: dict[str, JsonSchema]) -> JsonSchema:
        """``cls``'s object (its form class's, if it has one) with its ``type`` tag."""
        form = self._exact.get(cls, {}).get("$type", cls)
        body = self.fields(form, defs, self._records.get(form))
        body["properties"] = {"type": {"const": tag}, **body["properties"]}
        body["required"] = ["type", *body.get("required", [])]
        return body

    def _shared(
        self, tp: Any, build: Callable[[], JsonSchema], defs: dict[str, JsonSchema]
    ) -> JsonSchema:
        name = self._named.get(tp) or getattr(tp, "__name__", None)
        if name is None or (tp in self._exact and tp not in self._named):
            return build()
        if name not in defs:
            defs[name] = {}  # placeholder: recursive types refer to themselves
            defs[name] = build()
        return {"$ref": f"#/$defs/{name}"}

    def fields(
        self,
        cls: type,
        defs: dict[str, JsonSchema],
        overrides: Mapping[str, JsonSchema] | None = None,
    ) -> JsonSchema:
        """An object of ``cls``'s init fields; fields with defaults are optional."""
        hints = attrs.resolve_types(cls)
        properties: JsonSchema = {}
        required = []
        for field in attrs.fields(hints):
            if not field.init:
                continue
            given = (overrides or {}).get(field.name)
            properties[field.name] = (
                self._resolve(given, defs) if given is not None else self._of(field.type, defs)
            )
            if field.default is attrs.NOTHING:
                required.append(field.name)
        schema: JsonSchema = {
            "type": "object",
            "description": _summary(cls),
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            schema["required"] = required
        return schema


def _with_envelope(shape: JsonSchema, envelope: JsonSchema) -> JsonSchema:
    merged = dict(shape)
    merged["properties"] = {**envelope["properties"], **shape.get("properties", {})}
    merged["required"] = sorted({*envelope.get("required", []), *shape.get("required", [])})
    merged["additionalProperties"] = False
    return merged
