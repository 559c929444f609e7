"""Definitions to and from plain dicts and JSON, with every problem reported at once.

The dict form omits keys that hold their default, so dumps stay short and diff well::

    {"name": "...", "states": [{"name": "new", "category": "new", "initial": true}, ...],
     "transitions": [{"name": "start", "sources": ["new"], "target": "active"}, ...]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from itilkit._validators import is_text
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidLifecycleError
from itilkit.lifecycle._definition import LifecycleDefinition, State, Transition

__all__ = [
    "definition_from_dict",
    "definition_from_json",
    "definition_to_dict",
    "definition_to_json",
]

_STATE_KEYS = {"name", "category", "initial", "required_fields", "final", "description"}
_TRANSITION_KEYS = {"name", "sources", "target", "guards", "required_fields", "description"}
_CATEGORIES = ", ".join(c.value for c in StateCategory)


def definition_to_dict(definition: LifecycleDefinition) -> dict[str, Any]:
    """The definition as plain data (JSON-compatible), defaults omitted."""
    states = []
    for s in definition.states:
        item: dict[str, Any] = {"name": s.name, "category": s.category.value}
        if s.initial:
            item["initial"] = True
        if s.required_fields:
            item["required_fields"] = sorted(s.required_fields)
        if s.final != s.category.is_final:
            item["final"] = s.final
        if s.description:
            item["description"] = s.description
        states.append(item)
    transitions = []
    for t in definition.transitions:
        move: dict[str, Any] = {"name": t.name, "sources": list(t.sources), "target": t.target}
        if t.guards:
            move["guards"] = list(t.guards)
        if t.required_fields:
            move["required_fields"] = sorted(t.required_fields)
        if t.description:
            move["description"] = t.description
        transitions.append(move)
    return {"name": definition.name, "states": states, "transitions": transitions}


def _strings(value: object, where: str, problems: list[str]) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        problems.append(f"{where} must be a list of strings, got {value!r}")
        return []
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        problems.append(f"{where} must hold strings only, got {bad!r}")
    return [v for v in value if isinstance(v, str)]


def _named_object(
    data: object, where: str, keys: set[str], problems: list[str]
) -> tuple[Mapping[str, Any], str] | None:
    """``data`` and its name, if it is an object with a non-empty name; unknown keys noted."""
    if not isinstance(data, Mapping):
        problems.append(f"{where} must be an object, got {data!r}")
        return None
    unknown = sorted(set(data) - keys)
    if unknown:
        problems.append(f"{where} has unknown keys {unknown}; allowed: {sorted(keys)}")
    name = data.get("name")
    if not is_text(name):
        problems.append(f"{where}.name must be a non-empty string, got {name!r}")
        return None
    return data, name


def _state(raw: object, where: str, problems: list[str]) -> State | None:
    named = _named_object(raw, where, _STATE_KEYS, problems)
    if named is None:
        return None
    data, name = named
    category = data.get("category")
    if category not in {c.value for c in StateCategory}:
        problems.append(f"{where} ({name}): category {category!r} is not one of {_CATEGORIES}")
        return None
    kwargs: dict[str, Any] = {}
    for flag in ("initial", "final"):
        if flag in data:
            if not isinstance(data[flag], bool):
                problems.append(f"{where} ({name}): {flag} must be true or false")
            kwargs[flag] = bool(data[flag])
    fields = _strings(data.get("required_fields", []), f"{where}.required_fields", problems)
    description = data.get("description", "")
    return State(
        name,
        StateCategory(category),
        required_fields=fields,
        description=str(description),
        **kwargs,
    )


def _transition(raw: object, where: str, problems: list[str]) -> Transition | None:
    named = _named_object(raw, where, _TRANSITION_KEYS, problems)
    if named is None:
        return None
    data, name = named
    target = data.get("target")
    if not is_text(target):
        problems.append(f"{where} ({name}): target must be a non-empty string, got {target!r}")
        return None
    return Transition(
        name,
        _strings(data.get("sources"), f"{where} ({name}).sources", problems),
        target,
        guards=_strings(data.get("guards", []), f"{where} ({name}).guards", problems),
        required_fields=_strings(
            data.get("required_fields", []), f"{where} ({name}).required_fields", problems
        ),
        description=str(data.get("description", "")),
    )


def definition_from_dict(data: Mapping[str, Any]) -> LifecycleDefinition:
    """Build and validate a definition from plain data.

    Raises:
        InvalidLifecycleError: listing every shape problem, or, when the shape
            is right, every consistency problem of the definition.
    """
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise InvalidLifecycleError([f"a definition must be an object, got {data!r}"])
    name = data.get("name")
    if not is_text(name):
        problems.append(f"name must be a non-empty string, got {name!r}")
    raw_states, raw_moves = data.get("states"), data.get("transitions")
    states, moves = [], []
    if not isinstance(raw_states, list):
        problems.append(f"states must be a list, got {raw_states!r}")
    else:
        states = [_state(s, f"states[{i}]", problems) for i, s in enumerate(raw_states)]
    if not isinstance(raw_moves, list):
        problems.append(f"transitions must be a list, got {raw_moves!r}")
    else:
        moves = [_transition(t, f"transitions[{i}]", problems) for i, t in enumerate(raw_moves)]
    if problems:
        raise InvalidLifecycleError(problems, name if isinstance(name, str) else "")
    assert isinstance(name, str)
    return LifecycleDefinition(
        name, [s for s in states if s is not None], [t for t in moves if t is not None]
    )


def definition_to_json(definition: LifecycleDefinition, *, indent: int | None = 2) -> str:
    """The definition as a JSON document."""
    return json.dumps(definition_to_dict(definition), indent=indent)


def definition_from_json(text: str) -> LifecycleDefinition:
    """Parse and validate a definition from a JSON document."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"not a JSON document: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidLifecycleError(
            [f"a definition must be a JSON object, got {type(data).__name__}"]
        )
    return definition_from_dict(data)
