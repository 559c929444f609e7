"""Metric results: the statistics of a measure, overall and per group.

A result names the kind of its statistics (``"stats": "duration"``), so it
reads back typed. Groups are an array of ``{"key": [...], "stats": {...}}``,
one key value per ``by`` dimension; a key value is a JSON scalar, or
``{"date": "2024-04-01"}`` for a period. Percentiles are an object keyed by
the fraction as written by Python (``"0.9"``).
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import cattrs

from itilkit.codec._problems import DecodeError, collect, describe, gather, key, read_key
from itilkit.codec._strict import Registrar, StructureHook, UnstructureHook, each, scalar
from itilkit.codec._text import parse_date
from itilkit.errors import UnencodableValueError
from itilkit.metrics import (
    BacklogStats,
    CountStats,
    DeploymentFrequencyStats,
    DurationStats,
    ProblemLinkStats,
    RateStats,
    Result,
    SlaStats,
    Tally,
)

__all__ = ["STATS_TAGS", "configure_metrics"]

#: The stable name of each statistics kind a result may hold.
STATS_TAGS: Mapping[type, str] = {
    DurationStats: "duration",
    CountStats: "count",
    RateStats: "rate",
    BacklogStats: "backlog",
    DeploymentFrequencyStats: "deployment_frequency",
    ProblemLinkStats: "problem_links",
    SlaStats: "sla",
}


def _is_fraction_mapping(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) in (dict, Mapping) and len(args) == 2 and args[0] is float


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DecodeError(f"{text!r} is not a fraction such as '0.9'") from None
    if not math.isfinite(value) or repr(value) != text:
        raise DecodeError(f"{text!r} is not a fraction written as Python writes it, such as '0.9'")
    return value


def _fractions_in(tp: Any, converter: cattrs.Converter) -> StructureHook:
    value_type = typing.get_args(tp)[1]
    by_key = converter.get_structure_hook(dict[str, value_type])  # type: ignore[valid-type]

    def structure(value: Any, _: Any) -> dict[float, Any]:
        items = by_key(value, None)
        fractions = gather((key(text), functools.partial(_fraction, text)) for text in items)
        return dict(zip(fractions, items.values(), strict=True))

    return structure


def _fractions_out(tp: Any, converter: cattrs.Converter) -> UnstructureHook:
    item = converter.get_unstructure_hook(typing.get_args(tp)[1])
    return lambda value: {repr(float(p)): item(v) for p, v in value.items()}


def _key_in(value: Any, _: Any) -> Any:
    if type(value) is dict:
        if set(value) == {"date"}:
            return parse_date(value["date"])
        raise DecodeError(
            f"a group key value is a JSON scalar or {{'date': ...}}, got {describe(value)}"
        )
    return scalar(value)


def _key_out(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return {"date": value.isoformat()}
    try:
        return scalar(value)
    except DecodeError as error:
        raise UnencodableValueError(value, f"a group key: {error}") from None


def _result_hooks(converter: cattrs.Converter) -> tuple[StructureHook, UnstructureHook]:
    by_tag = {tag: cls for cls, tag in STATS_TAGS.items()}
    allowed = ", ".join(repr(t) for t in by_tag)
    texts = converter.get_structure_hook(tuple[str, ...])
    tallies = converter.get_structure_hook(dict[str, Tally])
    issues = converter.get_structure_hook(dict[str, dict[str, Tally]])
    keys = each(_key_in)
    fields = ("measure", "by", "stats", "overall", "groups", "exclusions", "field_issues")

    def structure(value: Any, _: Any) -> Result[Any]:
        if type(value) is not dict:
            raise DecodeError(f"expected an object (Result), got {describe(value)}")
        failed: list[tuple[str, Exception]] = [
            (key(name), DecodeError("unknown key; allowed keys: " + ", ".join(sorted(fields))))
            for name in value
            if name not in fields
        ]
        failed.extend(
            (f".{n}", DecodeError("required key is missing")) for n in fields if n not in value
        )
        if failed:
            raise collect(failed)
        stats = by_tag.get(value["stats"]) if type(value["stats"]) is str else None
        if stats is None:
            raise DecodeError(
                problems=[(".stats", f"{describe(value['stats'])} is not one of {allowed}")]
            )
        hook = converter.get_structure_hook(stats)
        steps = (
            ("measure", lambda v: converter.structure(v, str)),
            ("by", lambda v: texts(v, None)),
            ("overall", lambda v: hook(v, stats)),
            ("groups", lambda v: _groups(v, keys, hook, stats)),
            ("exclusions", lambda v: tallies(v, None)),
            ("field_issues", lambda v: issues(v, None)),
        )
        parts = gather(
            (f".{name}", functools.partial(read_key, value, name, read)) for name, read in steps
        )
        return Result(*parts)

    def unstructure(result: Result[Any]) -> dict[str, Any]:
        stats = type(result.overall)
        tag = STATS_TAGS.get(stats)
        if tag is None:
            raise UnencodableValueError(result.overall, f"not a statistics kind ({allowed})")
        out = converter.get_unstructure_hook(stats)
        tally = converter.get_unstructure_hook(Tally)
        return {
            "measure": result.measure,
            "by": list(result.by),
            "stats": tag,
            "overall": out(result.overall),
            "groups": [
                {"key": [_key_out(k) for k in group], "stats": out(s)}
                for group, s in result.groups.items()
            ],
            "exclusions": {reason: tally(t) for reason, t in result.exclusions.items()},
            "field_issues": {
                field: {problem: tally(t) for problem, t in problems.items()}
                for field, problems in result.field_issues.items()
            },
        }

    return structure, unstructure


def _with_type(hook: StructureHook, tp: Any) -> Callable[[Any], Any]:
    return lambda value: hook(value, tp)


def _groups(value: Any, keys: StructureHook, hook: StructureHook, stats: type) -> dict[Any, Any]:
    def group(item: Any, _: Any) -> tuple[tuple[Any, ...], Any]:
        if type(item) is not dict or set(item) != {"key", "stats"}:
            raise DecodeError(f"expected an object with key and stats, got {describe(item)}")
        group_key, group_stats = gather(
            (f".{name}", functools.partial(read_key, item, name, _with_type(read, stats)))
            for name, read in (("key", keys), ("stats", hook))
        )
        return group_key, group_stats

    return dict(each(group)(value, None))


def configure_metrics(registrar: Registrar) -> None:
    """Results tagged by their statistics kind; percentiles keyed by fraction."""
    converter = registrar.converter
    converter.register_structure_hook_factory(
        _is_fraction_mapping, lambda t: _fractions_in(t, converter)
    )
    converter.register_unstructure_hook_factory(
        _is_fraction_mapping, lambda t: _fractions_out(t, converter)
    )
    registrar.schemas.add_rule(
        _is_fraction_mapping,
        lambda t: {
            "type": "object",
            "propertyNames": {"pattern": r"^[0-9.e-]+$"},
            "additionalProperties": {"$type": typing.get_args(t)[1]},
        },
    )
    structure, unstructure = _result_hooks(converter)
    key_item = {
        "anyOf": [
            {"$type": object},
            {
                "type": "object",
                "properties": {"date": {"$type": date}},
                "required": ["date"],
                "additionalProperties": False,
            },
        ]
    }
    registrar.value(
        Result,
        structure,
        unstructure,
        {
            "type": "object",
            "description": "What a measure found, overall and per group",
            "properties": {
                "measure": {"type": "string"},
                "by": {"type": "array", "items": {"type": "string"}},
                "stats": {"enum": list(STATS_TAGS.values())},
                "overall": {"anyOf": [{"$type": cls} for cls in STATS_TAGS]},
                "groups": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "key": {"type": "array", "items": key_item},
                            "stats": {"anyOf": [{"$type": cls} for cls in STATS_TAGS]},
                        },
                        "required": ["key", "stats"],
                        "additionalProperties": False,
                    },
                },
                "exclusions": {"$type": dict[str, Tally]},
                "field_issues": {"$type": dict[str, dict[str, Tally]]},
            },
            "required": [
                "by",
                "exclusions",
                "field_issues",
                "groups",
                "measure",
                "overall",
                "stats",
            ],
            "additionalProperties": False,
        },
        name="Result",
    )
