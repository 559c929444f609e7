"""Every public function of itilkit.reports and itilkit.interop, given hostile values for its
required arguments, returns or raises an ItilkitError: nothing else escapes."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import itilkit.interop
import itilkit.reports
from itilkit.errors import ItilkitError

HOSTILE: list[Any] = [
    None, 0, -1, "", "x" * 5000, "\x00", b"x", [], {}, (), object(), math.nan, True,
    datetime(2020, 1, 1), [None], [object()], {"a": None}, ["nope.csv"],
]  # fmt: skip


def _functions() -> list[tuple[str, Callable[..., Any], int, tuple[str, ...]]]:
    found: list[tuple[str, Callable[..., Any], int, tuple[str, ...]]] = []
    for module in (itilkit.reports, itilkit.interop):
        for name in module.__all__:
            value = getattr(module, name)
            if not inspect.isfunction(value):
                continue
            required = [
                p
                for p in inspect.signature(value).parameters.values()
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
            keywords = tuple(
                p.name
                for p in inspect.signature(value).parameters.values()
                if p.default is p.empty and p.kind is p.KEYWORD_ONLY
            )
            found.append((f"{module.__name__}.{name}", value, len(required), keywords))
    return found


FUNCTIONS = _functions()


def test_the_walk_finds_the_functions() -> None:
    names = {name for name, *_ in FUNCTIONS}
    assert "itilkit.reports.build_ticket_report" in names
    assert "itilkit.interop.servicenow_incident_entity" in names
    assert len(names) > 20


@pytest.mark.parametrize(
    ("name", "function", "required", "keywords"), FUNCTIONS, ids=[f[0] for f in FUNCTIONS]
)
@settings(max_examples=40, deadline=None)
@given(st.data())
def test_hostile_required_arguments(
    name: str,
    function: Callable[..., Any],
    required: int,
    keywords: tuple[str, ...],
    data: st.DataObject,
) -> None:
    args = [data.draw(st.sampled_from(HOSTILE)) for _ in range(required)]
    options = {k: data.draw(st.sampled_from([*HOSTILE, "UTC"])) for k in keywords}
    try:
        result = function(*args, **options)
        if inspect.isgenerator(result) or hasattr(result, "reading"):
            list(result)
        if hasattr(result, "to_dict"):
            result.to_dict()
    except ItilkitError:
        pass
