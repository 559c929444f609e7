"""SLA policies: targets, their conditions and duration selectors, and the calendar.

Conditions and duration selectors are tagged unions: an object whose
``"type"`` names the kind (``{"type": "in_category", "categories": ["new"]}``);
tags are stable names, not class names, so renaming a class never changes
stored data. A target's duration is a duration string, a selector object, or a deadline
object: ``business_days``, ``end_of_business_day``, ``next_business_day_at``,
``earliest`` and ``latest`` (whose ``parts`` are duration strings or deadline
objects). Times of day (a deadline's ``at``, a landing) are ``"HH:MM"``.

A selector by field gives its durations as ``[value, duration]`` pairs; a
configuration may give an object instead, keyed by the field's values as
strings, or, with a ``scale`` (an inline scale or the name of a matrix in the
catalog, whose result scale is used), keyed by that scale's labels, which
become level numbers: ``{"critical": "4h", "high": "8h"}``.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Mapping
from datetime import time, timedelta
from typing import Any

import attrs
import cattrs

from itilkit.categories import StateCategory
from itilkit.codec._catalog import Catalog
from itilkit.codec._problems import DecodeError, describe, gather, key
from itilkit.codec._strict import Registrar, StructureHook, UnstructureHook, each, scalar
from itilkit.errors import UnencodableValueError
from itilkit.practices import Scale
from itilkit.sla import (
    AllOf,
    AnyOf,
    BusinessCalendar,
    BusinessDays,
    Condition,
    Deadline,
    DurationsByField,
    DurationSelector,
    Earliest,
    EndOfBusinessDay,
    FieldChanged,
    FieldIs,
    InCategory,
    InState,
    Landing,
    Latest,
    NextBusinessDayAt,
    Not,
    SlaCalendar,
    SlaTarget,
)

__all__ = ["CONDITION_TAGS", "DEADLINE_TAGS", "SELECTOR_TAGS", "configure_policies"]

#: The stable tag of each condition kind.
CONDITION_TAGS: Mapping[type, str] = {
    InCategory: "in_category",
    InState: "in_state",
    FieldIs: "field_is",
    FieldChanged: "field_changed",
    AllOf: "all_of",
    AnyOf: "any_of",
    Not: "not",
}
#: The stable tag of each duration selector kind.
SELECTOR_TAGS: Mapping[type, str] = {DurationsByField: "by_field"}
#: The stable tag of each relative deadline kind.
DEADLINE_TAGS: Mapping[type, str] = {
    BusinessDays: "business_days",
    EndOfBusinessDay: "end_of_business_day",
    NextBusinessDayAt: "next_business_day_at",
    Earliest: "earliest",
    Latest: "latest",
}
_TIME_OF_DAY = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
_TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$",
    "description": "a local time of day, HH:MM",
}


def _time_in(value: Any, _: Any = None) -> time:
    match = _TIME_OF_DAY.fullmatch(value) if type(value) is str else None
    if match is None:
        raise DecodeError(f"{describe(value)} is not a time of day written HH:MM")
    return time(int(match[1]), int(match[2]), int(match[3] or 0))


def _time_out(value: time) -> str:
    if value.tzinfo is not None or value.microsecond:
        raise UnencodableValueError(value, "a time of day is local, to the second")
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _landing_in(value: Any, _: Any) -> Landing | time:
    if type(value) is str and value in Landing._value2member_map_:
        return Landing(value)
    try:
        return _time_in(value)
    except DecodeError:
        allowed = ", ".join(repr(member.value) for member in Landing)
        raise DecodeError(f"{describe(value)} is not {allowed} or a time HH:MM") from None


def _landing_out(value: Landing | time) -> str:
    return value.value if isinstance(value, Landing) else _time_out(value)


def tagged_union(
    converter: cattrs.Converter, tags: Mapping[type, str], what: str
) -> tuple[StructureHook, UnstructureHook]:
    """Hooks for objects tagged by ``"type"`` with one of ``tags``' names."""
    by_tag = {tag: cls for cls, tag in tags.items()}
    allowed = ", ".join(repr(t) for t in by_tag)

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise DecodeError(f"expected {what} (an object with a type), got {describe(value)}")
        tag = value.get("type")
        cls = by_tag.get(tag) if type(tag) is str else None
        if cls is None:
            found = "missing" if "type" not in value else f"{describe(tag)} is not a {what}"
            raise DecodeError(problems=[(".type", f"{found}; one of {allowed}")])
        rest = {name: item for name, item in value.items() if name != "type"}
        return converter.get_structure_hook(cls)(rest, cls)

    def unstructure(value: Any) -> Any:
        tag = tags.get(type(value))
        if tag is None:
            raise UnencodableValueError(value, f"not a {what} the codec knows ({allowed})")
        return {"type": tag, **converter.get_unstructure_hook(type(value))(value)}

    return structure, unstructure


def _union_schema(tags: Mapping[type, str], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "oneOf": [{"$fields": cls, "$tag": tag} for cls, tag in tags.items()],
    }


def _one_or_many(converter: cattrs.Converter, collection: Any) -> StructureHook:
    """An array, or one item standing alone (conditions take one value or several)."""
    many = converter.get_structure_hook(collection)

    def structure(value: Any, _: Any) -> Any:
        return many(value if type(value) is list else [value], collection)

    return structure


@attrs.frozen
class DurationsByFieldForm:
    """A duration per value of one field, e.g. per priority; ``default`` otherwise.

    ``durations`` is an array of ``[value, duration]`` pairs, or an object
    keyed by values written as strings; with a ``scale`` (a scale, or the name
    of a matrix whose result scale it takes), its keys are the scale's labels.
    """

    field: str
    durations: tuple[tuple[object, timedelta], ...] | dict[str, timedelta]
    default: timedelta | None = None
    scale: Scale | str | None = None


def _durations_hook(converter: cattrs.Converter) -> StructureHook:
    duration = converter.get_structure_hook(timedelta)
    by_key = converter.get_structure_hook(dict[str, timedelta])

    def pair(value: Any, _: Any) -> tuple[object, timedelta]:
        if type(value) is not list or len(value) != 2:
            raise DecodeError(f"expected a [value, duration] pair, got {describe(value)}")
        return scalar(value[0]), duration(value[1], timedelta)

    pairs = each(pair)

    def structure(value: Any, _: Any) -> Any:
        if type(value) is dict:
            return by_key(value, None)
        if type(value) is not list:
            raise DecodeError(
                f"expected [value, duration] pairs or an object, got {describe(value)}"
            )
        return pairs(value, None)

    return structure


def _scale_hook(converter: cattrs.Converter) -> StructureHook:
    scale = converter.get_structure_hook(Scale)

    def structure(value: Any, _: Any) -> Any:
        return value if value is None or type(value) is str else scale(value, Scale)

    return structure


def _selector(form: DurationsByFieldForm, catalog: Catalog) -> DurationsByField:
    durations = form.durations
    if not isinstance(durations, dict):
        if form.scale is not None:
            raise DecodeError(
                problems=[(".scale", "a scale reads labels: give durations as an object")]
            )
        return DurationsByField(form.field, _keyed(durations), form.default)
    scale = _scale(form.scale, catalog)
    if scale is None:
        return DurationsByField(form.field, _keyed(durations), form.default)
    levels = gather(
        (f".durations{key(label)}", functools.partial(scale.level, label)) for label in durations
    )
    return DurationsByField(
        form.field, dict(zip(levels, durations.values(), strict=True)), form.default
    )


def _keyed(
    durations: tuple[tuple[object, timedelta], ...] | dict[str, timedelta],
) -> dict[object, timedelta]:
    pairs = durations.items() if isinstance(durations, dict) else durations
    return dict(pairs)


def _scale(scale: Scale | str | None, catalog: Catalog) -> Scale | None:
    if not isinstance(scale, str):
        return scale
    matrix = catalog.matrices.get(scale)
    if matrix is None:
        known = ", ".join(sorted(catalog.matrices)) or "none"
        raise DecodeError(problems=[(".scale", f"no matrix {scale!r}; known: {known}")])
    return matrix.result


_DEADLINE_NAMES = frozenset(DEADLINE_TAGS.values())


def _is_deadline_object(value: Any) -> bool:
    return type(value) is dict and value.get("type") in _DEADLINE_NAMES


def _deadline_part(converter: cattrs.Converter) -> tuple[StructureHook, UnstructureHook]:
    """A deadline's part: business time (a duration string) or a deadline object."""

    def structure(value: Any, _: Any) -> Any:
        if type(value) is str:
            return converter.get_structure_hook(timedelta)(value, timedelta)
        return converter.get_structure_hook(Deadline)(value, Deadline)

    def unstructure(value: Any) -> Any:
        if isinstance(value, timedelta):
            return converter.get_unstructure_hook(timedelta)(value)
        return converter.get_unstructure_hook(Deadline)(value)

    return structure, unstructure


def _target_duration(converter: cattrs.Converter) -> tuple[StructureHook, UnstructureHook]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is str:
            return converter.get_structure_hook(timedelta)(value, timedelta)
        if _is_deadline_object(value):
            return converter.get_structure_hook(Deadline)(value, Deadline)
        return converter.get_structure_hook(DurationSelector)(value, DurationSelector)

    def unstructure(value: Any) -> Any:
        if isinstance(value, timedelta):
            return converter.get_unstructure_hook(timedelta)(value)
        if type(value) in DEADLINE_TAGS:
            return converter.get_unstructure_hook(Deadline)(value)
        return converter.get_unstructure_hook(DurationSelector)(value)

    return structure, unstructure


def _configure_deadlines(registrar: Registrar) -> None:
    """Relative deadlines: tagged objects; times of day and landings as text."""
    converter = registrar.converter
    registrar.value(
        Deadline,
        *tagged_union(converter, DEADLINE_TAGS, "deadline"),
        _union_schema(DEADLINE_TAGS, "A deadline relative to the clock's start, on business days"),
        name="Deadline",
    )
    landing_schema = {"anyOf": [{"$type": Landing}, _TIME_SCHEMA]}
    registrar.record(BusinessDays, {"landing": (_landing_in, _landing_out, landing_schema)})
    registrar.record(NextBusinessDayAt, {"at": (_time_in, _time_out, _TIME_SCHEMA)})
    part_in, part_out = _deadline_part(converter)
    parts_schema = {
        "type": "array",
        "minItems": 2,
        "items": {"anyOf": [{"$type": timedelta}, {"$type": Deadline}]},
    }
    for combined in (Earliest, Latest):
        registrar.record(
            combined,
            {"parts": (each(part_in), lambda parts: [part_out(p) for p in parts], parts_schema)},
        )


def configure_policies(registrar: Registrar, catalog: Catalog) -> None:
    """Conditions, selectors, target durations and policy calendars."""
    converter = registrar.converter
    registrar.value(
        Condition,
        *tagged_union(converter, CONDITION_TAGS, "condition"),
        _union_schema(CONDITION_TAGS, "A clock condition, tagged by its type"),
        name="Condition",
    )
    for cls, field, collection in (
        (InCategory, "categories", frozenset[StateCategory]),
        (InState, "states", frozenset[str]),
        (FieldIs, "values", tuple[object, ...]),
    ):
        registrar.record(
            cls,
            {
                field: (
                    _one_or_many(converter, collection),
                    converter.get_unstructure_hook(collection),
                    {"anyOf": [{"$type": typing.get_args(collection)[0]}, {"$type": collection}]},
                )
            },
        )
    registrar.value(
        DurationSelector,
        *tagged_union(converter, SELECTOR_TAGS, "duration selector"),
        _union_schema(SELECTOR_TAGS, "Chooses a target's duration from the record's fields"),
        name="DurationSelector",
    )
    pair_out = converter.get_unstructure_hook(timedelta)
    key_out = converter.get_unstructure_hook(object)  # a JSON scalar, or unencodable
    registrar.record(
        DurationsByFieldForm,
        {
            "durations": (
                _durations_hook(converter),
                lambda pairs: [[key_out(k), pair_out(d)] for k, d in pairs],
                {
                    "anyOf": [
                        {
                            "type": "array",
                            "items": {
                                "type": "array",
                                "prefixItems": [{"$type": object}, {"$type": timedelta}],
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                        {"type": "object", "additionalProperties": {"$type": timedelta}},
                    ]
                },
            ),
            "scale": (
                _scale_hook(converter),
                lambda scale: scale,
                {"anyOf": [{"$type": Scale}, {"type": "string"}, {"type": "null"}]},
            ),
        },
    )

    def selector_in(value: Any, _: Any) -> DurationsByField:
        form = converter.get_structure_hook(DurationsByFieldForm)(value, DurationsByFieldForm)
        return _selector(form, catalog)

    def selector_out(selector: DurationsByField) -> Any:
        form = DurationsByFieldForm(selector.field, selector.durations, selector.default)
        return converter.get_unstructure_hook(DurationsByFieldForm)(form)

    registrar.value(
        DurationsByField,
        selector_in,
        selector_out,
        {"$type": DurationsByFieldForm},
        name="DurationsByField",
    )
    _configure_deadlines(registrar)
    duration_in, duration_out = _target_duration(converter)
    registrar.record(
        SlaTarget,
        {
            "duration": (
                duration_in,
                duration_out,
                {
                    "anyOf": [
                        {"$type": timedelta},
                        {"$type": DurationSelector},
                        {"$type": Deadline},
                    ]
                },
            )
        },
    )
    registrar.value(
        SlaCalendar,
        lambda v, _: converter.get_structure_hook(BusinessCalendar)(v, BusinessCalendar),
        _calendar_out(converter),
        {"$type": BusinessCalendar},
    )


def _calendar_out(converter: cattrs.Converter) -> UnstructureHook:
    def unstructure(calendar: object) -> Any:
        if not isinstance(calendar, BusinessCalendar):
            raise UnencodableValueError(calendar, "only a BusinessCalendar has a data form")
        return converter.get_unstructure_hook(BusinessCalendar)(calendar)

    return unstructure
