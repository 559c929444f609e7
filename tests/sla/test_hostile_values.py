"""The SLA value classes raise only itilkit errors, whatever they are given.

Each public constructor and function of the schedule, holiday, override,
policy, condition and history values is fed hypothesis-made wrong values
(wrong types, None, NaN, huge and negative numbers and durations, naive and
odd-zone datetimes, deep and cyclic structures, long and non-UTF-8 strings).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import ItilkitError
from itilkit.sla import (
    AllOf,
    AnyOf,
    Condition,
    DateOverride,
    DurationsByField,
    Escalation,
    FieldChanged,
    FieldIs,
    FieldUpdate,
    Holidays,
    InCategory,
    InState,
    Not,
    Shift,
    SlaPolicy,
    SlaTarget,
    StateChange,
    WeeklySchedule,
    snapshots,
)

HOUR = timedelta(hours=1)


class _NoOffset(tzinfo):
    """A zone that knows no offset: datetimes with it are naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


class _BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class _OneKey(Mapping[object, object]):
    """A mapping whose one key may be unhashable, as a hostile caller's may be."""

    def __init__(self, key: object, value: object) -> None:
        self.key, self.value = key, value

    def __getitem__(self, key: object) -> object:
        return self.value

    def __iter__(self) -> Iterator[object]:
        return iter([self.key])

    def __len__(self) -> int:
        return 1


def _deep(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


def _cyclic() -> list[object]:
    value: list[object] = []
    value.append(value)
    return value


_ODD = [
    None,
    float("nan"),
    float("inf"),
    10**30,
    -(10**30),
    timedelta.max,
    timedelta.min,
    -HOUR,
    datetime(2024, 1, 1),
    datetime(2024, 1, 1, tzinfo=_NoOffset()),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))),
    datetime(9999, 12, 31, 23, tzinfo=timezone(-timedelta(hours=5))),
    datetime(2024, 1, 1, tzinfo=UTC),
    date(2024, 1, 1),
    time(9, tzinfo=UTC),
    "9" * 40_000,
    "0-0" + " " * 20_000 + "x",
    "\udcff\udcfe",
    "FREQ=SECONDLY",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    b"\xff\xfe",
    _deep(5_000),
    _cyclic(),
    {"mon": _cyclic()},
    {1: 2},
    {"mon"},
    _BadRepr(),
    object(),
    Holidays,
]


def _odd(index: int) -> object:
    return _ODD[index]


hostile = st.recursive(
    st.one_of(
        st.integers(0, len(_ODD) - 1).map(_odd),
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=30),
        st.binary(max_size=10),
        st.timedeltas(),
        st.datetimes(),
        st.dates(),
        st.times(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=3),
    ),
    max_leaves=6,
)

_TARGET = SlaTarget("resolution", HOUR, InCategory("new"), InCategory("resolved"))


def _calls(a: object, b: object, c: object) -> list[Callable[[], object]]:
    """Every public name of the SLA values, with the wrong values in each position."""
    anything: object = a
    return [
        lambda: Shift(anything, b, c),  # type: ignore[arg-type]
        lambda: Shift("09:00", "10:00", anything),  # type: ignore[arg-type]
        lambda: Shift.parse(anything),  # type: ignore[arg-type]
        lambda: WeeklySchedule(anything, b),  # type: ignore[arg-type]
        lambda: WeeklySchedule.from_days(anything),  # type: ignore[arg-type]
        lambda: WeeklySchedule.from_days({"mon": anything}),  # type: ignore[dict-item]
        lambda: WeeklySchedule.from_days(_OneKey(anything, "09:00")),  # type: ignore[arg-type]
        lambda: Holidays(anything, b, c),  # type: ignore[arg-type]
        lambda: Holidays(dates=[anything], yearly=[b], rules=[c]),  # type: ignore[list-item]
        lambda: Holidays().between(anything, b),  # type: ignore[arg-type]
        lambda: Holidays() | anything,  # type: ignore[operator]
        lambda: Holidays().union(anything),  # type: ignore[arg-type]
        lambda: DateOverride(anything, b, c),  # type: ignore[arg-type]
        lambda: DateOverride.hours(date(2024, 1, 1), anything),  # type: ignore[arg-type]
        lambda: DurationsByField(anything, b, c),  # type: ignore[arg-type]
        lambda: DurationsByField("p", {1: anything}),  # type: ignore[arg-type]
        lambda: DurationsByField("p", {1: HOUR}).select(anything),  # type: ignore[arg-type]
        lambda: SlaTarget(anything, b, c, a),  # type: ignore[arg-type]
        lambda: SlaTarget("r", anything, InState("a"), InState("b")),  # type: ignore[arg-type]
        lambda: _TARGET.duration_for(anything),  # type: ignore[arg-type]
        lambda: Escalation(anything, b),  # type: ignore[arg-type]
        lambda: Escalation("late", anything),  # type: ignore[arg-type]
        lambda: SlaPolicy(anything, b),  # type: ignore[arg-type]
        lambda: SlaPolicy("p", [_TARGET], thresholds=anything),  # type: ignore[arg-type]
        lambda: SlaPolicy("p", [_TARGET], thresholds=[anything]),  # type: ignore[list-item]
        lambda: SlaPolicy("p", [_TARGET], escalations=anything),  # type: ignore[arg-type]
        lambda: SlaPolicy("p", [_TARGET], reopen=anything),  # type: ignore[arg-type]
        lambda: SlaPolicy("p", [_TARGET], calendar=anything),  # type: ignore[arg-type]
        lambda: SlaPolicy("p", [_TARGET]).target(anything),  # type: ignore[arg-type]
        lambda: InCategory(anything),  # type: ignore[arg-type]
        lambda: InState(anything),  # type: ignore[arg-type]
        lambda: FieldIs(anything, b),  # type: ignore[arg-type]
        lambda: FieldChanged(anything),  # type: ignore[arg-type]
        lambda: AllOf(anything),  # type: ignore[arg-type]
        lambda: AnyOf([anything]),  # type: ignore[list-item]
        lambda: Not(anything),
        lambda: InState("a") & anything,  # type: ignore[operator]
        lambda: StateChange(anything, b, c),  # type: ignore[arg-type]
        lambda: StateChange(datetime(2024, 1, 1, tzinfo=UTC), "new", anything),  # type: ignore[arg-type]
        lambda: FieldUpdate(anything, b, c),  # type: ignore[arg-type]
        lambda: list(snapshots(anything)),  # type: ignore[arg-type]
        lambda: list(snapshots([], anything)),  # type: ignore[arg-type]
    ]


def _only_itilkit_errors(call: Callable[[], object]) -> None:
    with contextlib.suppress(ItilkitError):
        call()


@given(hostile, hostile, hostile)
def test_only_itilkit_errors_escape_the_sla_values(a: object, b: object, c: object) -> None:
    """Whatever they are given, the SLA values raise nothing but ItilkitError subclasses."""
    for call in _calls(a, b, c):
        _only_itilkit_errors(call)


@pytest.mark.parametrize("value", _ODD, ids=lambda v: type(v).__name__)
def test_each_odd_value_raises_only_itilkit_errors(value: object) -> None:
    """Every listed worst value, in every position, is refused with an itilkit error."""
    for call in _calls(value, value, value):
        _only_itilkit_errors(call)


@pytest.mark.parametrize(
    "call",
    [
        lambda: Shift.parse(None),  # type: ignore[arg-type]
        lambda: Shift(9, "10:00"),  # type: ignore[arg-type]
        lambda: Shift("09:00", "10:00", overnight="no"),  # type: ignore[arg-type]
        lambda: WeeklySchedule(monday=5),  # type: ignore[arg-type]
        lambda: WeeklySchedule.from_days(["mon"]),  # type: ignore[arg-type]
        lambda: Holidays(dates=["2016-01-01"]),  # type: ignore[list-item]
        lambda: Holidays(yearly=[("12", "25")]),  # type: ignore[list-item]
        lambda: Holidays(rules=[5]),  # type: ignore[list-item]
        lambda: DateOverride("2024-12-24"),  # type: ignore[arg-type]
        lambda: DateOverride(date(2024, 12, 24), extra=1),  # type: ignore[arg-type]
        lambda: DurationsByField("priority", [HOUR]),  # type: ignore[list-item]
        lambda: Escalation("late", 3600),  # type: ignore[arg-type]
        lambda: SlaPolicy("p", 5),  # type: ignore[arg-type]
        lambda: SlaPolicy("p", [_TARGET], thresholds=["50"]),  # type: ignore[list-item]
        lambda: InCategory([["new"]]),  # type: ignore[list-item]
        lambda: FieldIs(5, "x"),  # type: ignore[arg-type]
        lambda: AllOf(5),  # type: ignore[arg-type]
        lambda: StateChange("2024-01-01", "new", "new"),  # type: ignore[arg-type]
        lambda: list(snapshots(5)),  # type: ignore[arg-type]
    ],
)
def test_wrong_types_are_also_type_errors(call: Callable[[], object]) -> None:
    """A wrong type raises an itilkit error that a caller may also catch as TypeError."""
    with pytest.raises(TypeError) as caught:
        call()
    assert isinstance(caught.value, ItilkitError)


def test_accepted_then_crashing_values_are_refused_when_built() -> None:
    """Threshold 1e300 and an offset of timedelta.max were accepted, then overflowed in use."""
    with pytest.raises(ItilkitError, match="above the highest allowed"):
        SlaPolicy("p", [_TARGET], thresholds=[1e300])
    with pytest.raises(ItilkitError, match="within 36525 days"):
        Escalation("late", timedelta.max)
    with pytest.raises(ItilkitError, match="longer than allowed"):
        SlaTarget("r", timedelta.max, InState("a"), InState("b"))


def test_deep_conditions_are_refused_before_they_overflow_the_stack() -> None:
    """Nesting beyond 100 levels is refused at construction, not when matched."""
    condition: Condition = InState("a")
    for _ in range(100):
        condition = Not(condition)
    with pytest.raises(ItilkitError, match="nest more than 100"):
        Not(condition)


def test_a_value_whose_repr_raises_is_still_reported() -> None:
    """An empty state name inside a mapping with a hostile value: the message survives repr."""
    with pytest.raises(ItilkitError, match="non-empty state names"):
        InState({"": _BadRepr()})
