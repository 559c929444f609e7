"""Whatever a document holds, decoding raises only InvalidDocumentError, with paths.

Random JSON values, every truncation of a real document, and real documents
with one leaf replaced by a value of another type go through every kind.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit import codec
from itilkit.errors import InvalidDocumentError
from itilkit.testing import strategies
from tests.codec.hostile import json_values, leaves, replaced

KINDS = [kind.name for kind in codec.KINDS]
DOCUMENTS: dict[str, st.SearchStrategy[Any]] = {
    "lifecycle": strategies.lifecycle_definitions(),
    "matrix": strategies.lookup_matrices(),
    "priority-matrix": strategies.priority_matrices(),
    "risk-matrix": strategies.risk_matrices(),
    "calendar": strategies.calendars(),
    "sla-policy": strategies.sla_policies(),
    "transition-record": strategies.transition_records(),
    "metric-result": strategies.metric_results(),
}


def _problems(document: Any) -> tuple[tuple[str, str], ...]:
    """The problems decoding ``document`` finds (none when it decodes)."""
    try:
        codec.decode(document)
    except InvalidDocumentError as error:
        return error.problems
    return ()


def _decodes_or_refuses(document: Any) -> None:
    """Decoding succeeds, or fails with paths and messages; anything else propagates."""
    for path, message in _problems(document):
        assert isinstance(path, str)
        assert message


@given(st.sampled_from(KINDS), st.dictionaries(st.text(max_size=10), json_values, max_size=6))
def test_random_payloads_under_every_kind(kind: str, payload: dict[str, Any]) -> None:
    """A random object under a real envelope is decoded or refused, never anything else."""
    _decodes_or_refuses({**payload, "kind": kind, "schema_version": 1})


@given(json_values)
def test_random_json_values(value: Any) -> None:
    """Random JSON of any shape is refused as a document."""
    _decodes_or_refuses(value)


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_wrong_typedleaves(kind: str) -> None:
    """Any leaf of a real document replaced by another JSON value: decoded or refused."""

    @given(DOCUMENTS[kind], st.data())
    def check(value: Any, data: st.DataObject) -> None:
        document = codec.encode(value)
        path = data.draw(st.sampled_from(leaves(document)))
        wrong = data.draw(json_values)
        _decodes_or_refuses(replaced(document, path, wrong))

    check()


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_truncated_documents(kind: str) -> None:
    """Every prefix of a real JSON document is refused with a problem, never a crash."""

    @given(DOCUMENTS[kind], st.data())
    def check(value: Any, data: st.DataObject) -> None:
        text = codec.dumps(value, indent=None)
        cut = data.draw(st.integers(0, len(text) - 1))
        with pytest.raises(InvalidDocumentError):
            codec.loads(text[:cut])

    check()


def test_deep_nesting_is_a_problem_not_a_crash() -> None:
    """A document nested far deeper than any value is refused, as is a deep TOML one."""
    with pytest.raises(InvalidDocumentError, match="nested"):
        codec.loads("[" * 100_000 + "]" * 100_000)
    deep = '{"kind": "lifecycle", "schema_version": 1, "x": ' + "[" * 300 + "]" * 300 + "}"
    with pytest.raises(InvalidDocumentError, match="nested"):
        codec.loads(deep)
    with pytest.raises(InvalidDocumentError, match="nested"):
        codec.loads_toml("x = " + "[" * 5000 + "]" * 5000)
