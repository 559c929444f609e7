"""Hostile JSON for the decoding tests: random values, and leaves of real documents."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["json_values", "leaves", "replaced"]

#: Any JSON value, up to 20 leaves.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


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
