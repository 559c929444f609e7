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
from collections.abc import Mapping
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
from itilkit.lifecycle import (
    FieldChange,
    LifecycleDefinition,
    State,
    Transition,
    TransitionRecord,
    derive,
)

__all__ = ["configure_lifecycle", "general_record_hooks", "history_hooks", "record_hooks"]


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


def _typed_change(
    converter: cattrs.Converter, field_types: Mapping[str, Any]
) -> tuple[StructureHook, UnstructureHook]:
    hooks = {
        name: (converter.get_structure_hook(tp), converter.get_unstructure_hook(tp), tp)
        for name, tp in field_types.items()
    }
    known = ", ".join(sorted(hooks))

    def structure(value: Any, _: Any) -> FieldChange:
        if type(value) is dict and len(value) == 3:  # the usual change, directly
            name: Any = value.get("field")
            found = hooks.get(name) if type(name) is str else None
            if found is not None and "old" in value and "new" in value:
                structure_value, _unused, tp = found
                try:
                    return FieldChange(
                        name, structure_value(value["old"], tp), structure_value(value["new"], tp)
                    )
                except Exception:  # named below
                    pass
        return named(value)

    def named(value: Any) -> FieldChange:
        """The change read with every problem named."""
        if type(value) is not dict:
            raise DecodeError(f"expected an object (FieldChange), got {describe(value)}")
        name = value.get("field")
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
    change_in, change_out = _typed_change(converter, field_types)
    general_in, general_out = general_record_hooks(converter, change_in, change_out)
    datetime_in = converter.get_structure_hook(datetime)
    datetime_out = converter.get_unstructure_hook(datetime)
    category_in = converter.get_structure_hook(StateCategory)

    def structure(value: Any, _: Any) -> TransitionRecord:
        if type(value) is dict:
            get = value.get
            transition, source, target = get("transition"), get("source"), get("target")
            actor, reason = get("actor"), get("reason", _ABSENT)
            changes = get("changes", _ABSENT)
            source_category = get("source_category", _ABSENT)
            target_category = get("target_category", _ABSENT)
            given = (
                5
                + (reason is not _ABSENT)
                + (changes is not _ABSENT)
                + (source_category is not _ABSENT)
                + (target_category is not _ABSENT)
            )
            if (
                len(value) == given  # no unknown key (a missing one fails its type below)
                and type(transition) is str
                and type(source) is str
                and type(target) is str
                and type(actor) is str
                and (reason is _ABSENT or reason is None or type(reason) is str)
                and (changes is _ABSENT or type(changes) is list)
            ):
                try:
                    return TransitionRecord(
                        transition,
                        source,
                        target,
                        datetime_in(get("at"), datetime),
                        actor,
                        None if reason is _ABSENT else reason,
                        () if changes is _ABSENT else tuple([change_in(c, None) for c in changes]),
                        _category(category_in, source_category),
                        _category(category_in, target_category),
                    )
                except Exception:  # the general path names the problem
                    pass
        return general_in(value, TransitionRecord)  # type: ignore[no-any-return]

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

    return structure, unstructure


def general_record_hooks(
    converter: cattrs.Converter, change_in: StructureHook, change_out: UnstructureHook
) -> tuple[StructureHook, UnstructureHook]:
    """The general hooks of a record whose changes use these hooks (every problem named)."""
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


def _category(structure: StructureHook, value: Any) -> StateCategory | None:
    """A record's category: absent or null is None."""
    return None if value is _ABSENT or value is None else structure(value, StateCategory)


def history_hooks(
    converter: cattrs.Converter, field_types: Mapping[str, Any]
) -> tuple[StructureHook, UnstructureHook]:
    """Hooks for a history (``tuple[TransitionRecord, ...]``) whose changes are typed."""
    record_in, record_out = record_hooks(converter, field_types)
    return each(record_in), lambda history: [record_out(r) for r in history]
