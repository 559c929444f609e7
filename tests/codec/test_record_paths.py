"""A history record's direct path and its general path agree on every input.

The direct path reads and writes the usual record without the general
machinery; whatever it is given, it must build the same record as the general
path (field for field, types included) or leave the input to it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from itilkit import codec
from itilkit.codec._entities import history_types
from itilkit.codec._lifecycle import _typed_change, general_record_hooks, record_hooks
from itilkit.lifecycle import TransitionRecord
from itilkit.testing.strategies import ticket_histories

from .hostile import json_values, leaves, replaced

CONVERTER = codec.default_codec().converter


def _paths(kind: type) -> tuple[Any, Any, Any, Any]:
    direct_in, direct_out = record_hooks(CONVERTER, history_types(kind))
    general_in, general_out = general_record_hooks(
        CONVERTER, *_typed_change(CONVERTER, history_types(kind))
    )
    return direct_in, direct_out, general_in, general_out


def _read(hook: Any, data: Any) -> tuple[str, Any]:
    try:
        return "ok", hook(data, TransitionRecord)
    except Exception as error:  # the general path's own errors; compared by kind
        return "refused", type(error)


@st.composite
def documents(draw: st.DrawFn) -> tuple[type, Any]:
    """A record of a real history as data, perhaps with one leaf or key changed."""
    kind, history = draw(ticket_histories().filter(lambda h: bool(h[1])))
    record = draw(st.sampled_from(history))
    data = _paths(kind)[3](record)
    how = draw(st.integers(0, 3))
    if how == 1:
        path = draw(st.sampled_from(leaves(data)))
        data = replaced(data, path, draw(json_values))
    elif how == 2:
        data = {k: v for k, v in data.items() if k != draw(st.sampled_from(sorted(data)))}
    elif how == 3:
        data = {**data, draw(st.text(max_size=12)): draw(json_values)}
    return kind, data


@given(documents())
def test_the_direct_read_builds_what_the_general_read_builds(case: tuple[type, Any]) -> None:
    kind, data = case
    direct_in, _, general_in, _ = _paths(kind)
    direct, general = _read(direct_in, data), _read(general_in, data)
    assert direct[0] == general[0]
    if direct[0] == "ok":
        assert direct[1] == general[1]
        for name in ("transition", "source", "target", "at", "actor", "reason", "changes"):
            assert type(getattr(direct[1], name)) is type(getattr(general[1], name))


@given(ticket_histories())
def test_the_direct_write_writes_what_the_general_write_writes(
    case: tuple[type, tuple[TransitionRecord, ...]],
) -> None:
    kind, history = case
    _, direct_out, _, general_out = _paths(kind)
    for record in history:
        direct, general = direct_out(record), general_out(record)
        assert direct == general
        assert list(direct) == list(general)  # the same key order in the written JSON
