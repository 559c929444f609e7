"""A history's direct paths and its general paths agree on every input.

The direct paths read and write the usual record (and the usual history)
without the general machinery, building records from values they checked
themselves; whatever they are given, they must build the same records as the
general path (field for field, types included) or leave the input to it, so a
refused input has the same problems, path for path, on both.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit import codec
from itilkit.codec._entities import history_types
from itilkit.codec._lifecycle import general_record_hooks, history_hooks, record_hooks
from itilkit.codec._problems import problems_of
from itilkit.codec._strict import each
from itilkit.lifecycle import TransitionRecord
from itilkit.testing.strategies import ticket_histories

from .hostile import edge_variants, mutated
from .samples import (
    CHANGE_SAMPLE,
    INCIDENT_SAMPLE,
    KNOWN_ERROR_SAMPLE,
    PROBLEM_SAMPLE,
    REQUEST_SAMPLE,
)

FAST = codec.default_codec().converter
DETAILED = codec.make_converter()
RECORD_FIELDS = [a.name for a in attrs.fields(TransitionRecord)]


def _read(hook: Any, data: Any) -> tuple[str, Any]:
    """What a hook makes of ``data``: the value, or the problems it names."""
    try:
        return "ok", hook(data, None)
    except Exception as error:  # compared as problems with their paths
        return "refused", problems_of(error)


def assert_same_records(direct: Any, general: Any) -> None:
    """Equal records (or histories of them), each field of the same type."""
    assert direct == general
    pairs = zip(direct, general, strict=True) if isinstance(direct, tuple) else [(direct, general)]
    for one, other in pairs:
        assert type(one) is type(other) is TransitionRecord
        for name in RECORD_FIELDS:
            assert type(getattr(one, name)) is type(getattr(other, name))
        for change, same in zip(one.changes, other.changes, strict=True):
            assert type(change) is type(same)
            assert type(change.old) is type(same.old)
            assert type(change.new) is type(same.new)


def assert_same_reading(direct_hook: Any, general_hook: Any, data: Any) -> None:
    direct, general = _read(direct_hook, data), _read(general_hook, data)
    assert direct[0] == general[0], (direct, general)
    if direct[0] == "ok":
        assert_same_records(direct[1], general[1])
    else:
        assert direct[1] == general[1]


@st.composite
def records(draw: st.DrawFn) -> tuple[type, Any]:
    """A record of a real history as data, perhaps with one leaf or key changed."""
    kind, history = draw(ticket_histories().filter(lambda h: bool(h[1])))
    record = draw(st.sampled_from(history))
    return kind, draw(mutated(general_record_hooks(FAST, history_types(kind))[1](record)))


@st.composite
def histories(draw: st.DrawFn) -> tuple[type, Any]:
    """A real history as data, perhaps with one record changed, or not a list."""
    kind, history = draw(ticket_histories())
    data: Any = [general_record_hooks(FAST, history_types(kind))[1](r) for r in history]
    if data and draw(st.booleans()):
        index = draw(st.integers(0, len(data) - 1))
        data[index] = draw(mutated(data[index]))
    elif draw(st.integers(0, 9)) == 0:
        return kind, draw(st.sampled_from([None, {}, "[]", tuple(data)]))
    return kind, data


@given(records(), st.sampled_from([FAST, DETAILED]))
def test_the_direct_read_builds_what_the_general_read_builds(
    case: tuple[type, Any], converter: Any
) -> None:
    kind, data = case
    direct_in = record_hooks(converter, history_types(kind))[0]
    general_in = general_record_hooks(converter, history_types(kind))[0]
    assert_same_reading(direct_in, general_in, data)


@given(histories(), st.sampled_from([FAST, DETAILED]))
def test_the_direct_history_read_builds_what_the_general_read_builds(
    case: tuple[type, Any], converter: Any
) -> None:
    kind, data = case
    direct_in = history_hooks(converter, history_types(kind))[0]
    general_in = each(general_record_hooks(converter, history_types(kind))[0])
    assert_same_reading(direct_in, general_in, data)


@given(ticket_histories())
def test_the_direct_write_writes_what_the_general_write_writes(
    case: tuple[type, tuple[TransitionRecord, ...]],
) -> None:
    kind, history = case
    direct_out = record_hooks(FAST, history_types(kind))[1]
    general_out = general_record_hooks(FAST, history_types(kind))[1]
    for record in history:
        direct, general = direct_out(record), general_out(record)
        assert direct == general
        assert list(direct) == list(general)  # the same key order in the written JSON


ENTITIES = [INCIDENT_SAMPLE, PROBLEM_SAMPLE, KNOWN_ERROR_SAMPLE, REQUEST_SAMPLE, CHANGE_SAMPLE]


@pytest.mark.parametrize("converter", [FAST, DETAILED], ids=["fast", "detailed"])
@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: type(e).__name__)
def test_both_reads_agree_on_every_edge_of_every_sample_record(entity: Any, converter: Any) -> None:
    """Each leaf of each record of a sample history at each edge value, each key
    removed, known keys added: the record, and the history holding it, read the same."""
    fields = history_types(type(entity))
    direct_in = record_hooks(converter, fields)[0]
    direct_history = history_hooks(converter, fields)[0]
    general_in, general_out = general_record_hooks(converter, fields)
    history = [general_out(record) for record in entity.history]
    for index, data in enumerate(history):
        for variant in edge_variants(data):
            assert_same_reading(direct_in, general_in, variant)
            changed = [*history[:index], variant, *history[index + 1 :]]
            assert_same_reading(direct_history, each(general_in), changed)
