"""A ticket's direct read and its general read agree on every input.

The direct read structures each field with its own hook and builds the ticket
with ``Ticket._from_checked``, which skips the checks those hooks already made
(types, aware datetimes) and keeps the others and the invariant check. Whatever
it is given, it must build the same ticket as the general read (cattrs' hooks
and the constructor), field for field and type for type, or leave the input to
it, so a refused document has the same problems, path for path.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit import codec
from itilkit.codec import ENTITY_TYPES
from itilkit.codec._entities import general_ticket_hook
from itilkit.codec._problems import problems_of
from itilkit.codec._strict import structure_record
from itilkit.practices import (
    Assignment,
    Impact,
    Priority,
    ProblemResolutionCode,
    Resolution,
    ResolutionCode,
    Ticket,
    Urgency,
)
from itilkit.testing import SAMPLE_PRACTICES, strategies

from .hostile import edge_variants, mutated
from .samples import (
    CHANGE_SAMPLE,
    INCIDENT_SAMPLE,
    KNOWN_ERROR_SAMPLE,
    PROBLEM_SAMPLE,
    REQUEST_SAMPLE,
    T0,
)

PRACTICES = SAMPLE_PRACTICES  # the strategies' practices and the presets
FAST = codec.make_converter(practices=PRACTICES, detailed_validation=False)
DETAILED = codec.make_converter(practices=PRACTICES)
CONVERTERS = {"fast": FAST, "detailed": DETAILED}
GENERAL = {
    (name, cls): general_ticket_hook(cls, converter, PRACTICES)
    for name, converter in CONVERTERS.items()
    for cls in ENTITY_TYPES
}


def _read(hook: Any, data: Any, cls: type) -> tuple[str, Any]:
    try:
        return "ok", hook(data, cls)
    except Exception as error:  # compared as problems with their paths
        return "refused", problems_of(error)


def assert_same_reading(converter: str, cls: type, data: Any) -> None:
    direct = _read(CONVERTERS[converter].get_structure_hook(cls), data, cls)
    general = _read(GENERAL[converter, cls], data, cls)
    assert direct[0] == general[0], (direct, general)
    if direct[0] == "refused":
        assert direct[1] == general[1]
        return
    one: Ticket = direct[1]
    other: Ticket = general[1]
    assert type(one) is type(other) is cls
    assert one == other
    assert one.practice is other.practice
    assert vars(one) == vars(other)
    for field in attrs.fields(cls):
        assert type(getattr(one, field.name)) is type(getattr(other, field.name))


@st.composite
def documents(draw: st.DrawFn) -> tuple[type, Any]:
    """A real ticket as data, perhaps with one leaf or key changed."""
    ticket = draw(strategies.tickets())
    return type(ticket), draw(mutated(FAST.unstructure(ticket)))


@given(documents(), st.sampled_from(sorted(CONVERTERS)))
def test_the_direct_read_builds_what_the_general_read_builds(
    case: tuple[type, Any], converter: str
) -> None:
    assert_same_reading(converter, *case)


SAMPLES = [INCIDENT_SAMPLE, PROBLEM_SAMPLE, KNOWN_ERROR_SAMPLE, REQUEST_SAMPLE, CHANGE_SAMPLE]


@pytest.mark.parametrize("converter", sorted(CONVERTERS))
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_both_reads_agree_on_every_edge_of_every_sample(sample: Any, converter: str) -> None:
    """Each leaf outside the history at each edge value, each key removed, known keys
    added (the history's own edges are held by test_record_paths)."""
    data = FAST.unstructure(sample)
    history = data.pop("history")
    assert_same_reading(converter, type(sample), {**data, "history": history})
    for variant in edge_variants(data):
        assert_same_reading(converter, type(sample), {**variant, "history": history})
    for name in ("state", "category", "practice", "history"):  # the defaults a ticket works out
        rest = {k: v for k, v in data.items() if k != name}
        assert_same_reading(converter, type(sample), rest)


VALUES: list[tuple[type, Any]] = [
    (Assignment, {"group": "network", "assignee": "cy"}),
    (Assignment, {"group": "network"}),
    (Assignment, {"assignee": "cy"}),
    (Resolution, FAST.unstructure(Resolution(T0, "dee", ResolutionCode.FIXED, "restarted"))),
    (Resolution, FAST.unstructure(Resolution(T0, "pm", ProblemResolutionCode.FIX_APPLIED, "x"))),
]


def assert_same_value(converter: str, cls: type, data: Any) -> None:
    hooks = CONVERTERS[converter].get_structure_hook(cls), structure_record(cls, DETAILED)
    direct, general = (_read(hook, data, cls) for hook in hooks)
    assert direct[0] == general[0], (direct, general)
    if direct[0] == "ok":
        assert direct[1] == general[1]
        for field in attrs.fields(cls):
            assert type(getattr(direct[1], field.name)) is type(getattr(general[1], field.name))
    elif converter == "detailed":
        assert direct[1] == general[1]


@pytest.mark.parametrize("converter", sorted(CONVERTERS))
@pytest.mark.parametrize(("cls", "data"), VALUES, ids=lambda v: getattr(v, "__name__", ""))
def test_the_direct_value_reads_agree_with_the_general_one(
    cls: type, data: Any, converter: str
) -> None:
    """An assignment's and a resolution's direct read, at every edge of a sample."""
    assert_same_value(converter, cls, data)
    for variant in edge_variants(data):
        assert_same_value(converter, cls, variant)


@given(st.sampled_from(VALUES).flatmap(lambda v: st.tuples(st.just(v[0]), mutated(v[1]))))
def test_the_direct_value_reads_agree_on_mutated_values(case: tuple[type, Any]) -> None:
    assert_same_value("detailed", *case)


@pytest.mark.parametrize("cls", [Impact, Urgency, Priority])
def test_the_built_levels_are_what_the_general_read_builds(cls: type) -> None:
    """Levels 1 to 16 come from a table; every number, and what is not one, reads the same."""
    integer = FAST.get_structure_hook(int)
    for value in [*range(-2, 40), True, False, 1.0, "1", None, 2**70]:
        direct = _read(FAST.get_structure_hook(cls), value, cls)
        general = _read(lambda v, c: c(integer(v, int)), value, cls)
        assert direct[0] == general[0]
        assert direct[1] == general[1]
