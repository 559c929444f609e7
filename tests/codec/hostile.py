"""Hostile JSON for the decoding tests: random values, and leaves of real documents."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

__all__ = ["edge_variants", "json_values", "leaves", "mutated", "replaced", "tricky_values"]

#: Any JSON value, up to 20 leaves.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


class _Text(str):
    """A str subclass: Python callers may pass one; the strict hooks refuse it."""


#: Values at the edges of what the direct paths accept, and keys they know.
TRICKY: list[Any] = [
    "0001-01-01T00:00:00+00:00",  # aware, outside the supported years
    "9999-12-31T23:59:59+00:00",
    "0002-01-01T00:00:00+14:00",
    "2026-03-02T09:00:00",  # naive
    "2026-03-02T09:00:00Z",
    "2026-03-02T09:00:00.000001-05:30",
    "2026-03-02",
    "2026-03-02T09:00:00+00:00" + " " * 40,  # too long for a datetime
    "new",
    "active",
    "paused",
    "fixed",
    "awaiting_vendor",
    "assignment",
    "bogus",
    "",
    " ",
    None,
    [],
    {},
    0,
    -1,
    1,
    2,
    True,
    False,
    1.5,
    float("nan"),
    {"group": "g"},
    {"group": None, "assignee": None},
    {"assignee": " "},
    _Text("active"),
    _Text("2026-03-02T09:00:00+00:00"),
]
tricky_values = st.sampled_from(TRICKY)
KNOWN_KEYS = ("reason", "changes", "field", "old", "new", "at", "group", "assignee", "code")


def leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every leaf of ``data`` (empty arrays and objects are leaves)."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in leaves(v, (*path, k))] or [path]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in leaves(v, (*path, i))] or [path]
    return [path]


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of ``data`` with ``value`` at ``path``."""
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(data[path[0]], path[1:], value)
    return copy


def _objects(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every object in ``data``, itself included."""
    if isinstance(data, dict):
        return [path, *(p for k, v in data.items() for p in _objects(v, (*path, k)))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _objects(v, (*path, i))]
    return []


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def mutated(draw: st.DrawFn, data: Any) -> Any:
    """``data`` as it is, or with one leaf replaced, or one key removed or added."""
    how = draw(st.integers(0, 4))
    objects = _objects(data)
    if how in (1, 2):
        path = draw(st.sampled_from(leaves(data)))
        return replaced(data, path, draw(json_values if how == 1 else tricky_values))
    if how == 3 and objects:
        path = draw(st.sampled_from(objects))
        target = _at(data, path)
        if target:
            gone = draw(st.sampled_from(sorted(target)))
            return replaced(data, path, {k: v for k, v in target.items() if k != gone})
    if how == 4 and objects:
        path = draw(st.sampled_from(objects))
        name = draw(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8))
        value = draw(tricky_values | json_values)
        return replaced(data, path, {**_at(data, path), name: value})
    return data


def edge_variants(data: Any) -> Iterator[Any]:
    """``data`` with each leaf replaced by each tricky value, each key of each object
    removed, and each known key added to each object with a few values."""
    for path in leaves(data):
        for value in TRICKY:
            yield replaced(data, path, value)
    for path in _objects(data):
        target = _at(data, path)
        for gone in target:
            yield replaced(data, path, {k: v for k, v in target.items() if k != gone})
        for name in (*KNOWN_KEYS, "unknown"):
            if name not in target:
                for value in (None, "", "new", [], "2026-03-02T09:00:00+00:00"):
                    yield replaced(data, path, {**target, name: value})
