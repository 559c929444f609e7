"""Lifecycle definitions, derivations of them, and transition records.

A definition is written in full: its states and transitions, each without
the keys that hold their default. A configuration may instead derive one
from a named base (``{"base": "incident", "rename_states": {...}}``): it is
read through :func:`itilkit.lifecycle.derive` and written in full.

A record's field changes carry ``old`` and ``new`` values. On its own, a
record holds JSON scalars there. Inside an entity's history, each change is
typed by the entity field it changes (:func:`history_hooks`), so a changed
priority, assignment or datetime is written and read with that field's own
hooks, bound once per entity class.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import attrs
import cattrs

from itilkit.categories import StateCategory
from itilkit.codec._catalog import Catalog
from itilkit.codec._problems import DecodeError, describe, gather, read_key
from itilkit.codec._strict import (
    Registrar,
    StructureHook,
    UnstructureHook,
    each,
    structure_record,
    unstructure_record,
)
from itilkit.codec._text import read_instant
from itilkit.lifecycle import (
    FieldChange,
    LifecycleDefinition,
    State,
    Transition,
    TransitionRecord,
    derive,
)

__all__ = [
    "configure_lifecycle",
    "general_record_hooks",
    "history_hooks",
    "record_hooks",
]


def _no_renames() -> dict[str, str]:
    return {}


@attrs.frozen
class LifecycleDerivation:
    """A lifecycle made from a named base: states and transitions removed, renamed, added.

    The steps apply in :func:`itilkit.lifecycle.derive`'s order; ``name``
    defaults to the base's.
    """

    base: str
    name: str | None = None
    remove_states: tuple[str, ...] = ()
    remove_transitions: tuple[str, ...] = ()
    rename_states: dict[str, str] = attrs.field(factory=_no_renames)
    rename_transitions: dict[str, str] = attrs.field(factory=_no_renames)
    add_states: tuple[State, ...] = ()
    add_transitions: tuple[Transition, ...] = ()


def _definition_hook(converter: cattrs.Converter, catalog: Catalog) -> StructureHook:
    full = structure_record(LifecycleDefinition, converter)
    derivation = converter.get_structure_hook(LifecycleDerivation)

    def structure(value: Any, _: Any) -> LifecycleDefinition:
        if type(value) is not dict or "base" not in value:
            return full(value, LifecycleDefinition)  # type: ignore[no-any-return]
        steps: LifecycleDerivation = derivation(value, LifecycleDerivation)
        base = catalog.lifecycles.get(steps.base)
        if base is None:
            known = ", ".join(sorted(catalog.lifecycles)) or "none"
            raise DecodeError(problems=[(".base", f"no lifecycle {steps.base!r}; known: {known}")])
        return derive(
            base,
            name=steps.name,
            add_states=steps.add_states,
            remove_states=steps.remove_states,
            rename_states=steps.rename_states,
            add_transitions=steps.add_transitions,
            remove_transitions=steps.remove_transitions,
            rename_transitions=steps.rename_transitions,
        )

    return structure


def configure_lifecycle(registrar: Registrar, catalog: Catalog) -> None:
    """Definitions (full or derived) and, through the defaults, states and records."""
    converter = registrar.converter
    registrar.factory(
        LifecycleDefinition,
        lambda _: _definition_hook(converter, catalog),
        lambda _: unstructure_record(LifecycleDefinition, converter),
        {"oneOf": [{"$fields": LifecycleDefinition}, {"$type": LifecycleDerivation}]},
        name="LifecycleDefinition",
    )


def _value_hooks(
    converter: cattrs.Converter, field_types: Mapping[str, Any]
) -> dict[str, tuple[StructureHook, UnstructureHook, Any]]:
    """Each field's hooks (and type), fetched once."""
    return {
        name: (converter.get_structure_hook(tp), converter.get_unstructure_hook(tp), tp)
        for name, tp in field_types.items()
    }


def _general_change_hooks(
    hooks: Mapping[str, tuple[StructureHook, UnstructureHook, Any]],
) -> tuple[StructureHook, UnstructureHook]:
    """The hooks of a change typed by its field (``hooks`` by field), every problem named."""
    known = ", ".join(sorted(hooks))

    def structure(value: Any, _: Any) -> FieldChange:
        if type(value) is not dict:
            raise DecodeError(f"expected an object (FieldChange), got {describe(value)}")
        name: Any = value.get("field")
        unknown = sorted(set(value) - {"field", "old", "new"})
        if unknown or name not in hooks:
            problems = [(f'["{k}"]', "unknown key; allowed keys: field, new, old") for k in unknown]
            if name not in hooks:
                problems.append((".field", f"{describe(name)} is not a field; fields: {known}"))
            raise DecodeError(problems=problems)
        structure_value, _unused, tp = hooks[name]
        old, new = gather(
            (f".{part}", functools.partial(read_key, value, part, lambda v: structure_value(v, tp)))
            for part in ("old", "new")
        )
        return FieldChange(name, old, new)

    def unstructure(change: FieldChange) -> dict[str, Any]:
        _unused, unstructure_value, _tp = hooks[change.field]
        return {
            "field": change.field,
            "old": unstructure_value(change.old),
            "new": unstructure_value(change.new),
        }

    return structure, unstructure


class _UnusualError(Exception):
    """Raised by a direct read: the value is left to the general hooks."""


_RECORD_KEYS = frozenset(a.name for a in attrs.fields(TransitionRecord))
_CATEGORIES: Mapping[str, StateCategory] = {c._value_: c for c in StateCategory}


def record_hooks(
    converter: cattrs.Converter, field_types: Mapping[str, Any]
) -> tuple[StructureHook, UnstructureHook]:
    """Hooks for one :class:`TransitionRecord` whose changes are typed.

    ``field_types`` maps each field an entity's records may change to its
    declared type; ``old`` and ``new`` use that type's hooks, fetched here once.
    A record read or written the usual way (every key of the right JSON type)
    takes a direct path; anything else goes through the general hooks, which
    name every problem: both build the record with the same values.
    """
    _direct, structure, unstructure = _record_paths(converter, field_types)
    return structure, unstructure


def _record_paths(
    converter: cattrs.Converter, field_types: Mapping[str, Any]
) -> tuple[Callable[[Any], TransitionRecord], StructureHook, UnstructureHook]:
    """A record's direct read, its read (direct, else general) and its write."""
    hooks = _value_hooks(converter, field_types)
    change_out = _general_change_hooks(hooks)[1]
    general_in, general_out = general_record_hooks(converter, field_types)
    datetime_out = converter.get_unstructure_hook(datetime)
    readers = {name: (structure_value, tp) for name, (structure_value, _, tp) in hooks.items()}
    new_change, new_record = FieldChange._from_checked, TransitionRecord._from_checked
    keys, categories = _RECORD_KEYS, _CATEGORIES

    def direct(value: Any) -> TransitionRecord:
        """The usual record, its values checked here as the constructor would check them.

        Raises on anything else (a missing key, another JSON type, a value its
        hook refuses, an instant outside the supported years), for the general
        path to name.
        """
        if type(value) is not dict:
            raise _UnusualError
        transition, source, target = value["transition"], value["source"], value["target"]
        actor, at = value["actor"], read_instant(value["at"])
        if not (
            type(transition) is str
            and type(source) is str
            and type(target) is str
            and type(actor) is str
            and at is not None
            and value.keys() <= keys
        ):
            raise _UnusualError
        get = value.get
        reason, changes = get("reason"), get("changes", _ABSENT)
        source_category, target_category = get("source_category"), get("target_category")
        if reason is not None and type(reason) is not str:
            raise _UnusualError
        if changes is _ABSENT:
            changes = ()
        elif type(changes) is list:
            built = []
            for change in changes:
                if type(change) is not dict or len(change) != 3:
                    raise _UnusualError
                name = change["field"]
                if type(name) is not str:
                    raise _UnusualError
                structure_value, tp = readers[name]
                built.append(
                    new_change(
                        name, structure_value(change["old"], tp), structure_value(change["new"], tp)
                    )
                )
            changes = tuple(built)
        else:
            raise _UnusualError
        if source_category is not None:
            if type(source_category) is not str:
                raise _UnusualError
            source_category = categories[source_category]
        if target_category is not None:
            if type(target_category) is not str:
                raise _UnusualError
            target_category = categories[target_category]
        return new_record(
            transition, source, target, at, actor, reason, changes, source_category, target_category
        )

    def unstructure(record: TransitionRecord) -> dict[str, Any]:
        if type(record) is not TransitionRecord:
            return general_out(record)  # type: ignore[no-any-return]
        data = {
            "transition": record.transition,
            "source": record.source,
            "target": record.target,
            "at": datetime_out(record.at),
            "actor": record.actor,
        }
        if record.reason is not None:
            data["reason"] = record.reason
        if record.changes:
            data["changes"] = [change_out(c) for c in record.changes]
        if record.source_category is not None:
            data["source_category"] = record.source_category._value_
        if record.target_category is not None:
            data["target_category"] = record.target_category._value_
        return data

    def structure(value: Any, _: Any) -> TransitionRecord:
        try:
            return direct(value)
        except Exception:  # the general path names the problem
            pass
        return general_in(value, TransitionRecord)  # type: ignore[no-any-return]

    return direct, structure, unstructure


def general_record_hooks(
    converter: cattrs.Converter, field_types: Mapping[str, Any]
) -> tuple[StructureHook, UnstructureHook]:
    """The general hooks of a record whose changes are typed (every problem named)."""
    change_in, change_out = _general_change_hooks(_value_hooks(converter, field_types))
    overrides = {
        "changes": cattrs.gen.override(
            struct_hook=each(change_in), unstruct_hook=lambda cs: [change_out(c) for c in cs]
        )
    }
    return (
        structure_record(TransitionRecord, converter, overrides),
        unstructure_record(TransitionRecord, converter, overrides),
    )


_ABSENT: Any = object()


def history_hooks(
    converter: cattrs.Converter, field_types: Mapping[str, Any]
) -> tuple[StructureHook, UnstructureHook]:
    """Hooks for a history (``tuple[TransitionRecord, ...]``) whose changes are typed.

    A history of usual records is read directly, record by record; if any
    record is not, the whole history goes through the general hooks.
    """
    direct, record_in, record_out = _record_paths(converter, field_types)
    general = each(record_in)

    def structure(value: Any, _: Any) -> tuple[TransitionRecord, ...]:
        if type(value) is list:
            try:
                return tuple([direct(record) for record in value])
            except Exception:  # the general path names the problems
                pass
        return general(value, None)  # type: ignore[no-any-return]

    return structure, lambda history: [record_out(r) for r in history]
