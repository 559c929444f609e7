"""The kernel's own guarantees: supported instants, Timestamps, enums and errors that hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pandas as pd
import pytest

from itilkit._time import checked_instant, instant, plain, require_aware
from itilkit.categories import StateCategory
from itilkit.clock import FixedClock
from itilkit.errors import (
    InvalidInputError,
    InvalidTypeError,
    ItilkitError,
    NaiveDatetimeError,
    OutOfRangeError,
    UnknownStateError,
)
from itilkit.outcomes import ChangeOutcome
from tests.boundary.hostile import NoOffset, RaisingOffset

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _deep(depth: int = 5000) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (datetime(9999, 12, 31, 20, tzinfo=timezone(-timedelta(hours=5))), "outside"),
        (datetime(1, 1, 1, 23, tzinfo=UTC), "outside"),
        (datetime(2024, 3, 1), "naive"),
        (datetime(2024, 3, 1, tzinfo=NoOffset()), "naive"),
        (datetime(2024, 3, 1, tzinfo=RaisingOffset()), "unusable time zone"),
        (pd.NaT, "not a time"),
        ("2024-03-01", "not a datetime"),
    ],
)
def test_checked_instant_names_the_problem_and_never_raises(value: object, problem: str) -> None:
    """Each kind of unsupported value gets its phrase, for metrics to report."""
    checked, found = checked_instant(value)
    assert checked is None
    assert found is not None
    assert problem in found


def test_instants_at_the_edges_of_the_supported_years() -> None:
    """Years 2 and 9998 are supported, as written in their own zone; 1 and 9999 are not."""
    first = datetime(2, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    last = datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(-timedelta(hours=12)))
    assert instant(first, "at") is first
    assert instant(last, "at") is last
    with pytest.raises(OutOfRangeError, match="years 2 to 9998"):
        instant(datetime(9999, 1, 1, tzinfo=UTC), "at")


@pytest.mark.parametrize(
    ("value", "error", "builtin"),
    [
        ("2024-03-01", InvalidTypeError, TypeError),
        (datetime(2024, 3, 1), NaiveDatetimeError, ValueError),
        (datetime.max.replace(tzinfo=UTC), OutOfRangeError, ValueError),
        (datetime(2024, 3, 1, tzinfo=RaisingOffset()), InvalidInputError, ValueError),
    ],
)
def test_instant_raises_typed_errors_that_are_the_builtins(
    value: object, error: type[ItilkitError], builtin: type[Exception]
) -> None:
    """instant() and FixedClock refuse with the typed error, also the builtin callers catch."""
    for call in (lambda: instant(value, "at"), lambda: FixedClock(value)):  # type: ignore[arg-type]
        with pytest.raises(error) as caught:
            call()
        assert isinstance(caught.value, builtin)


def test_a_nanosecond_timestamp_is_its_instant_floored_to_the_microsecond() -> None:
    """plain() gives a plain UTC datetime; a naive Timestamp stays naive (then refused)."""
    stamp = pd.Timestamp("2024-03-01 10:00:00.000001999", tz="Europe/Paris")
    assert type(plain(stamp)) is datetime
    assert plain(stamp) == AT + timedelta(microseconds=1)
    assert instant(stamp, "at") == AT + timedelta(microseconds=1)
    with pytest.raises(NaiveDatetimeError):
        instant(pd.Timestamp("2024-03-01 09:00"), "at")
    far = pd.Timestamp("9000-01-01 12:00", tz="UTC").as_unit("s")  # beyond nanoseconds' range
    assert instant(far, "at") == datetime(9000, 1, 1, 12, tzinfo=UTC)


def test_require_aware_survives_odd_zones() -> None:
    """A tzinfo whose utcoffset raises is an InvalidInputError, not the zone's own error."""
    with pytest.raises(InvalidInputError, match="unusable time zone"):
        require_aware(datetime(2024, 3, 1, tzinfo=RaisingOffset()), "at")


def test_fixed_clock_advances_within_the_supported_range() -> None:
    """advance() refuses a wrong type and a result beyond datetime with typed errors."""
    clock = FixedClock(AT)
    assert clock.advance(timedelta(hours=-1)).now() == AT - timedelta(hours=1)
    with pytest.raises(InvalidTypeError):
        clock.advance(3600)  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError):
        clock.advance(timedelta.max)


@pytest.mark.parametrize("value", [[1], None, 5, b"new", _deep(), "NEW"])
def test_enum_lookups_raise_invalid_input_listing_the_values(value: object) -> None:
    """StateCategory(value) for anything but a member value: InvalidInputError (a ValueError)."""
    for enum in (StateCategory, ChangeOutcome):
        with pytest.raises(InvalidInputError, match="allowed: ") as caught:
            enum(value)  # type: ignore[arg-type]
        assert isinstance(caught.value, ValueError)
    assert StateCategory("new") is StateCategory.NEW


def test_errors_are_built_from_any_values_and_print() -> None:
    """Building an error never fails: deep, long or odd values are quoted briefly."""
    deep = _deep()
    error = UnknownStateError(deep, "x" * 100_000, [deep, 3, "open"])  # type: ignore[arg-type,list-item]
    assert len(str(error)) < 500
    assert "[[[[...]]]]" in str(error)
    odd = datetime(2024, 3, 1, tzinfo=RaisingOffset())
    assert "2024" in str(NaiveDatetimeError("at", odd))
    assert str(ItilkitError(deep))  # the root's message holds too
