"""Traces validate what they are given: ids, states, aware times, attributes."""

from __future__ import annotations

from datetime import datetime

import pytest

from itilkit.conformance import Observation, Trace
from itilkit.errors import InvalidInputError, NaiveDatetimeError

from .helpers import T0


def test_pairs_become_observations_in_order() -> None:
    """(state, at) pairs and Observations mix; order is kept."""
    made = Trace("T-1", [("new", T0), Observation("work", T0)], attributes={"group": "desk"})
    assert made.observations == (Observation("new", T0), Observation("work", T0))
    assert made.attributes == {"group": "desk"}
    assert made.truncated is False


@pytest.mark.parametrize(
    ("observations", "error", "message"),
    [
        ([("new", datetime(2026, 3, 2, 9, 0))], NaiveDatetimeError, "naive"),
        ([("", T0)], InvalidInputError, "non-empty string"),
        ([("  ", T0)], InvalidInputError, "non-empty string"),
        ([(3, T0)], InvalidInputError, "non-empty string"),
        ([("new", "2026-03-02")], InvalidInputError, "aware datetime"),
        ([("new",)], InvalidInputError, r"\(state, at\) pair"),
        (["new"], InvalidInputError, r"\(state, at\) pair"),
        ("new", InvalidInputError, "iterable of Observation"),
        (None, InvalidInputError, "iterable of Observation"),
    ],
)
def test_bad_observations_are_refused(
    observations: object, error: type[Exception], message: str
) -> None:
    """A naive time, a blank or non-text state or a malformed pair raises a typed error."""
    with pytest.raises(error, match=message):
        Trace("T-1", observations)  # type: ignore[arg-type]


def test_a_naive_time_is_refused_among_good_ones() -> None:
    """The check covers every observation, not only the first."""
    good = [("new", T0)] * 5
    with pytest.raises(NaiveDatetimeError):
        Trace("T-1", [*good, ("work", datetime(2026, 3, 2, 10))])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"attributes": {"priority": 1}}, "map str to str"),
        ({"attributes": ["priority"]}, "mapping"),
        ({"opened_at": datetime(2026, 3, 2)}, "naive"),
        ({"truncated": 1}, "truncated must be bool"),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], message: str) -> None:
    """Attributes map text to text, times are aware, truncated is a bool."""
    with pytest.raises(InvalidInputError, match=message):
        Trace("T-1", [("new", T0)], **options)  # type: ignore[arg-type]


def test_a_blank_id_is_refused() -> None:
    """Every trace names its ticket."""
    with pytest.raises(InvalidInputError, match="id must be a non-empty string"):
        Trace(" ", [("new", T0)])


def test_traces_compare_by_value_and_hash() -> None:
    """Equal content, equal traces; attributes take part in equality."""
    a = Trace("T-1", [("new", T0)], attributes={"group": "desk"})
    assert a == Trace("T-1", [("new", T0)], attributes={"group": "desk"})
    assert a != Trace("T-1", [("new", T0)], attributes={"group": "net"})
    assert hash(a) == hash(Trace("T-1", [("new", T0)], attributes={"group": "net"}))
