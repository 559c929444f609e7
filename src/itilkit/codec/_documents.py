"""Versioned documents: a value's data with its kind and schema version.

A document is an object holding the value's fields beside two envelope keys,
``"kind"`` (a stable name such as ``"sla-policy"``) and ``"schema_version"``
(an integer); an optional ``"$schema"`` (for editors) is ignored. Reading an
older version runs the kind's upcasters, pure ``dict -> dict`` steps from
each version to the next; a version newer than the kind's is refused.
"""

from __future__ import annotations

import builtins
import functools
import json
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar, overload

import attrs
import cattrs

from itilkit._repr import shown
from itilkit.codec._catalog import Catalog
from itilkit.codec._converter import configure
from itilkit.codec._entities import ENTITY_KINDS, history_types
from itilkit.codec._lifecycle import record_hooks
from itilkit.codec._practice import PracticeDerivation
from itilkit.codec._problems import Problem, describe, join, problems_of
from itilkit.codec._schema import JsonSchema
from itilkit.codec._strict import StructureHook, UnstructureHook
from itilkit.errors import (
    InvalidDocumentError,
    InvalidInputError,
    InvalidTypeError,
    OutOfRangeError,
    UnencodableValueError,
    UnsupportedVersionError,
)
from itilkit.lifecycle import LifecycleDefinition, TransitionRecord
from itilkit.metrics import Result
from itilkit.practices import (
    DEFAULT_PRACTICES,
    CmdbGraph,
    ConfigurationItem,
    LookupMatrix,
    Practice,
    PracticeRegistry,
    PriorityMatrix,
    RiskMatrix,
    Ticket,
)
from itilkit.sla import BusinessCalendar, SlaPolicy

__all__ = ["KINDS", "Codec", "Kind", "Upcaster", "default_codec"]

T = TypeVar("T")
#: One step of a kind's history: the data of version ``n`` into that of ``n + 1``.
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
ENVELOPE = ("kind", "schema_version", "$schema")
_DEEPEST = 200


def _upcasters(value: Mapping[int, Upcaster]) -> Mapping[int, Upcaster]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError("upcasters", "a mapping of version to upcaster", value)
    return dict(value)


@attrs.frozen
class Kind:
    """A document kind: its stable name, the type it holds, its schema version.

    ``upcasters[n]`` turns the data of version ``n`` into version ``n + 1``;
    every version below ``version`` needs one. For a ticket kind,
    ``history_upcasters[n]`` does the same for one history record stored on
    its own (a store's history row, see :meth:`Codec.structure_record`); a
    record of a version without one is refused. ``config`` marks the kinds
    people write by hand, which get a JSON Schema. ``form`` is the class
    whose fields a document holds when it is not ``type`` itself (a
    practice's document is its derivation).

    .. versionadded:: 0.2
    """

    name: str
    type: type
    version: int = 1
    upcasters: Mapping[int, Upcaster] = attrs.field(factory=dict, converter=_upcasters)
    config: bool = False
    form: builtins.type | None = None
    history_upcasters: Mapping[int, Upcaster] = attrs.field(factory=dict, converter=_upcasters)

    def __attrs_post_init__(self) -> None:
        problems = []
        if not isinstance(self.name, str) or not self.name:
            problems.append(f"name must be a non-empty string, got {shown(self.name)}")
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            problems.append(f"version must be an integer >= 1, got {shown(self.version)}")
        else:
            # some version below is missing when there are fewer upcasters than versions
            known = range(1, min(self.version, len(self.upcasters) + 2))
            missing = [n for n in known if n not in self.upcasters]
            extra = [
                n for n in self.upcasters if not isinstance(n, int) or not 1 <= n < self.version
            ]
            problems.extend(f"no upcaster from version {n} to {n + 1}" for n in missing)
            problems.extend(f"upcaster from version {n!r} has no next version" for n in extra)
            problems.extend(
                f"history upcaster from version {n!r} has no next version"
                for n in self.history_upcasters
                if not isinstance(n, int) or not 1 <= n < self.version
            )
        shape = self.type if self.form is None else self.form
        if attrs.has(shape):
            clashes = [f.name for f in attrs.fields(shape) if f.name in ENVELOPE]
            problems.extend(f"field {name!r} clashes with the envelope" for name in clashes)
        if problems:
            raise InvalidInputError(f"kind {shown(self.name)}: " + "; ".join(problems))


#: itilkit's document kinds, schema version 1 each.
KINDS = (
    Kind("lifecycle", LifecycleDefinition, config=True),
    Kind("matrix", LookupMatrix, config=True),
    Kind("priority-matrix", PriorityMatrix, config=True),
    Kind("risk-matrix", RiskMatrix, config=True),
    Kind("calendar", BusinessCalendar, config=True),
    Kind("sla-policy", SlaPolicy, config=True),
    Kind("practice", Practice, config=True, form=PracticeDerivation),
    Kind("transition-record", TransitionRecord),
    Kind("metric-result", Result),
    *(Kind(name, cls) for cls, name in ENTITY_KINDS.items()),
    Kind("configuration-item", ConfigurationItem),
    Kind("cmdb", CmdbGraph),
)


def _kinds(value: Iterable[Kind]) -> tuple[Kind, ...]:
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        raise InvalidTypeError("kinds", "an iterable of Kind", value)
    return tuple(value)


def _plain(value: Any, depth: int = 0) -> Any:
    """TOML's native dates and times as their ISO text, so one set of hooks reads both."""
    if depth > _DEEPEST:
        raise RecursionError
    if isinstance(value, dict):
        return {k: _plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        twice = next(name for name, _ in pairs if name in seen or seen.add(name))  # type: ignore[func-returns-value]
        raise ValueError(f"key {twice!r} appears twice in one object")
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON; numbers must be finite")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


@attrs.frozen
class Codec:
    """Documents of itilkit values, in JSON or TOML, on one strict converter.

    ``catalog`` names the lifecycles and matrices configuration may refer
    to; ``kinds`` adds document kinds (a host's own values) to :data:`KINDS`;
    ``practices`` resolves the practice a stored entity names (an entity
    naming one it lacks is refused).
    Every failure to read raises :class:`~itilkit.errors.InvalidDocumentError`
    listing each problem with its path; a value with no data form raises
    :class:`~itilkit.errors.UnencodableValueError`.

    .. versionadded:: 0.2
    """

    catalog: Catalog = attrs.field(factory=Catalog.default)
    kinds: tuple[Kind, ...] = attrs.field(default=(), converter=_kinds)
    practices: PracticeRegistry = attrs.field(default=DEFAULT_PRACTICES)
    _fast: cattrs.Converter = attrs.field(init=False, repr=False, eq=False)
    _detailed: cattrs.Converter = attrs.field(init=False, repr=False, eq=False)
    _schemas: Any = attrs.field(init=False, repr=False, eq=False)
    _by_name: Mapping[str, Kind] = attrs.field(init=False, repr=False, eq=False)
    _by_type: Mapping[type, Kind] = attrs.field(init=False, repr=False, eq=False)
    _records: dict[tuple[bool, type], tuple[StructureHook, UnstructureHook]] = attrs.field(
        init=False, repr=False, eq=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.catalog, Catalog):
            raise InvalidTypeError("catalog", "a Catalog", self.catalog)
        if not isinstance(self.practices, PracticeRegistry):
            raise InvalidTypeError("practices", "a PracticeRegistry", self.practices)
        fast = cattrs.Converter(detailed_validation=False, forbid_extra_keys=True)
        detailed = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
        configure(fast, self.catalog, self.practices)
        by_name: dict[str, Kind] = {}
        for kind in (*KINDS, *self.kinds):
            if not isinstance(kind, Kind):
                raise InvalidInputError(f"kinds must be Kind values, got {shown(kind)}")
            if kind.name in by_name:
                raise InvalidInputError(f"two document kinds are named {kind.name!r}")
            by_name[kind.name] = kind
        object.__setattr__(self, "_fast", fast)
        object.__setattr__(self, "_detailed", detailed)
        object.__setattr__(self, "_schemas", configure(detailed, self.catalog, self.practices))
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_type", {k.type: k for k in by_name.values()})

    @property
    def converter(self) -> cattrs.Converter:
        """The (fast) converter, for hosts composing their own hooks."""
        return self._fast

    def kind(self, name_or_type: str | type) -> Kind:
        """The document kind of that name, or of that value type."""
        found = (
            self._by_name.get(name_or_type)
            if isinstance(name_or_type, str)
            else self._by_type.get(name_or_type)
            if isinstance(name_or_type, type)
            else None
        )
        if found is None:
            known = ", ".join(sorted(self._by_name))
            raise InvalidInputError(f"no document kind for {shown(name_or_type)}; kinds: {known}")
        return found

    def unstructure(self, value: object) -> Any:
        """``value`` as JSON-ready data (no envelope)."""
        try:
            return self._fast.unstructure(value)
        except UnencodableValueError:
            raise
        except Exception as error:
            raise UnencodableValueError(value, f"{type(error).__name__}: {error}") from None

    @overload
    def structure(self, data: Any, cls: type[T], *, kind: str = "") -> T: ...
    @overload
    def structure(self, data: Any, cls: Any, *, kind: str = "") -> Any: ...
    def structure(self, data: Any, cls: Any, *, kind: str = "") -> Any:
        """``data`` (no envelope) as a ``cls``, or every problem in one error.

        ``cls`` is a class or a type form such as ``tuple[Shift, ...]``.
        """
        try:
            return self._fast.structure(data, cls)
        except Exception:
            pass
        try:
            return self._detailed.structure(data, cls)
        except Exception as error:
            raise _invalid(error, kind) from None

    def _record_hooks(
        self, entity_type: type, detailed: bool
    ) -> tuple[StructureHook, UnstructureHook]:
        key = (detailed, entity_type)
        hooks = self._records.get(key)
        if hooks is None:
            if not (isinstance(entity_type, type) and issubclass(entity_type, Ticket)):
                raise InvalidInputError(f"a history belongs to a ticket type, not {entity_type!r}")
            converter = self._detailed if detailed else self._fast
            hooks = self._records[key] = record_hooks(converter, history_types(entity_type))
        return hooks

    def unstructure_record(self, entity_type: type[Ticket], record: TransitionRecord) -> Any:
        """One history record of an ``entity_type`` as data, its changes typed by their field."""
        try:
            return self._record_hooks(entity_type, False)[1](record)
        except UnencodableValueError:
            raise
        except Exception as error:
            raise UnencodableValueError(record, f"{type(error).__name__}: {error}") from None

    def structure_record(
        self, entity_type: type[Ticket], data: Any, *, schema_version: int | None = None
    ) -> TransitionRecord:
        """One history record of an ``entity_type`` from data, or every problem in one error.

        ``schema_version`` is the version the record was written with (the
        current one when None); an older record goes through the kind's
        history upcasters first.

        Raises:
            UnsupportedVersionError: a version newer than this codec's.
            InvalidDocumentError: the record's problems, or an older version
                the kind has no history upcaster for.
        """
        if schema_version is not None:
            data = self._upcast_record(entity_type, data, schema_version)
        try:
            return self._record_hooks(entity_type, False)[0](data, TransitionRecord)  # type: ignore[no-any-return]
        except Exception:
            pass
        try:
            return self._record_hooks(entity_type, True)[0](data, TransitionRecord)  # type: ignore[no-any-return]
        except Exception as error:
            raise _invalid(error, "transition-record") from None

    def _upcast_record(self, entity_type: type[Ticket], data: Any, version: object) -> Any:
        kind = self.kind(entity_type)
        if type(version) is not int or version < 1:
            raise InvalidTypeError("schema_version", "an integer >= 1 or None", version)
        if version > kind.version:
            raise UnsupportedVersionError(kind.name, version, kind.version)
        for step in range(version, kind.version):
            upcast = kind.history_upcasters.get(step)
            problem = f"no history upcaster from version {step} to {step + 1}"
            try:
                if upcast is not None:
                    data = upcast(data)
            except Exception as error:
                problem = f"cannot upcast from version {step} to {step + 1}: {error}"
                upcast = None
            if upcast is None:
                raise InvalidDocumentError([("", problem)], "transition-record")
        return data

    def encode(self, value: object) -> dict[str, Any]:
        """``value`` as a document: its data with its kind and schema version."""
        kind = self._by_type.get(type(value))
        if kind is None:
            known = ", ".join(k.type.__name__ for k in self._by_name.values())
            raise UnencodableValueError(value, f"no document kind for it; kinds hold {known}")
        return {"kind": kind.name, "schema_version": kind.version, **self.unstructure(value)}

    @overload
    def decode(self, document: Any, cls: type[T]) -> T: ...
    @overload
    def decode(self, document: Any, cls: None = None) -> object: ...
    def decode(self, document: Any, cls: type[T] | None = None) -> T | object:
        """The value a document holds (a ``cls``, when given), upcast to the current version."""
        if type(document) is not dict:
            raise InvalidDocumentError([("", f"a document is an object, got {describe(document)}")])
        if cls is not None and not isinstance(cls, type):
            raise InvalidTypeError("cls", "a class or None", cls)
        kind = self._envelope(document, cls)
        data = {name: value for name, value in document.items() if name not in ENVELOPE}
        version = document["schema_version"]
        if version > kind.version:
            raise UnsupportedVersionError(kind.name, version, kind.version)
        for step in range(version, kind.version):
            try:
                data = kind.upcasters[step](data)
            except Exception as error:
                raise InvalidDocumentError(
                    [("", f"cannot upcast from version {step} to {step + 1}: {error}")], kind.name
                ) from None
        return self.structure(data, kind.type, kind=kind.name)

    def _envelope(self, document: dict[str, Any], cls: type | None) -> Kind:
        problems: list[Problem] = []
        name, version = document.get("kind"), document.get("schema_version")
        kind = self._by_name.get(name) if type(name) is str else None
        if kind is None:
            known = ", ".join(sorted(self._by_name))
            found = "missing" if "kind" not in document else f"{describe(name)} is unknown"
            problems.append(("kind", f"{found}; kinds: {known}"))
        elif cls is not None and kind.type is not cls:
            expected = self._by_type.get(cls)
            wanted = repr(expected.name) if expected else cls.__name__
            problems.append(("kind", f"expected {wanted}, got {name!r}"))
        if type(version) is not int or version < 1:
            found = "missing" if "schema_version" not in document else describe(version)
            problems.append(("schema_version", f"{found}; a schema version is an integer >= 1"))
        if "$schema" in document and type(document["$schema"]) is not str:
            problems.append(("$schema", f"expected a string, got {describe(document['$schema'])}"))
        if problems:
            raise InvalidDocumentError(problems, name if type(name) is str else "")
        assert kind is not None
        return kind

    def dumps(self, value: object, *, indent: int | None = 2) -> str:
        """``value`` as a JSON document (``indent``: None, or 0 to 16 spaces)."""
        if indent is not None and (type(indent) is not int or not 0 <= indent <= 16):
            raise OutOfRangeError("indent", indent, "None or an integer from 0 to 16")
        return json.dumps(self.encode(value), indent=indent, ensure_ascii=False)

    @overload
    def loads(self, text: str | bytes, cls: type[T]) -> T: ...
    @overload
    def loads(self, text: str | bytes, cls: None = None) -> object: ...
    def loads(self, text: str | bytes, cls: type[T] | None = None) -> T | object:
        """The value of a JSON document (NaN, infinities and repeated keys refused)."""
        return self.decode(self.parse(text), cls)

    def parse(self, text: str | bytes) -> Any:
        """JSON text as data, strictly: NaN, infinities, repeated keys and deep nesting refused."""
        try:
            document = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
        except RecursionError:
            raise InvalidDocumentError([("", "nested too deeply")]) from None
        except (ValueError, TypeError) as error:
            raise InvalidDocumentError([("", f"not a JSON document: {error}")]) from None
        marks = text.count(b"[") + text.count(b"{") if isinstance(text, bytes) else (
            text.count("[") + text.count("{"))  # fmt: skip
        shallow = marks <= _DEEPEST  # fewer brackets than levels: cannot nest deeper
        if not shallow and _depth(document) > _DEEPEST:
            raise InvalidDocumentError([("", f"nested more than {_DEEPEST} levels deep")])
        return document

    @overload
    def loads_toml(self, text: str, cls: type[T]) -> T: ...
    @overload
    def loads_toml(self, text: str, cls: None = None) -> object: ...
    def loads_toml(self, text: str, cls: type[T] | None = None) -> T | object:
        """The value of a TOML document; native dates and times read as their ISO text."""
        if not isinstance(text, str):
            raise InvalidDocumentError([("", f"TOML is text, got {type(text).__name__}")])
        try:
            document = _plain(tomllib.loads(text))
        except RecursionError:
            raise InvalidDocumentError([("", "nested too deeply")]) from None
        except tomllib.TOMLDecodeError as error:
            raise InvalidDocumentError([("", f"not a TOML document: {error}")]) from None
        return self.decode(document, cls)

    @overload
    def load(self, path: str | Path, cls: type[T]) -> T: ...
    @overload
    def load(self, path: str | Path, cls: None = None) -> object: ...
    def load(self, path: str | Path, cls: type[T] | None = None) -> T | object:
        """The value of a ``.json`` or ``.toml`` file."""
        if not isinstance(path, str | os.PathLike) or isinstance(path, bytes):
            raise InvalidTypeError("path", "a str or os.PathLike path", path)
        try:
            file = Path(path)
        except (TypeError, ValueError) as error:
            raise InvalidDocumentError([("", f"not a path: {error}")]) from None
        if file.suffix not in (".json", ".toml"):
            raise InvalidDocumentError(
                [("", f"{file.name}: a document file ends in .json or .toml")]
            )
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, ValueError) as error:  # ValueError: decoding, or NUL in the path
            raise InvalidDocumentError([("", f"cannot read {file}: {error}")]) from None
        return self.loads_toml(text, cls) if file.suffix == ".toml" else self.loads(text, cls)

    def with_practices(self, *practices: Practice) -> Codec:
        """This codec with these practices added to its registry (tickets may name them)."""
        for practice in practices:
            if not isinstance(practice, Practice):
                raise InvalidTypeError("practices", "Practice values", practice)
        return Codec(self.catalog, self.kinds, self.practices.with_practices(*practices))

    def json_schema(self, kind: str) -> JsonSchema:
        """The JSON Schema of a configuration kind's documents (draft 2020-12)."""
        found = self.kind(kind)
        envelope = {
            "properties": {
                "$schema": {"type": "string"},
                "kind": {"const": found.name},
                "schema_version": {"const": found.version},
            },
            "required": ["kind", "schema_version"],
        }
        title = f"itilkit {found.name} document, schema version {found.version}"
        return self._schemas.document(found.type, title, envelope)  # type: ignore[no-any-return]


def _invalid(error: Exception, kind: str) -> InvalidDocumentError:
    problems = [(join(path), message) for path, message in problems_of(error)]
    return InvalidDocumentError(problems or [("", str(error))], kind)


@functools.cache
def default_codec() -> Codec:
    """The codec with itilkit's kinds and presets (built once, shared: it is a value)."""
    return Codec()
