"""Hostile values: what an adversarial caller passes to a public name.

:data:`CANONICAL` is a fixed list every parameter of every public callable is
tried with (wrong types, None, NaN and infinities, huge and negative numbers and
durations, naive, far-away and odd-tzinfo datetimes, pandas Timestamps and NaT,
deep and cyclic structures, long, lone-surrogate and non-UTF-8 strings and
bytes); :func:`hostile` draws further ones with Hypothesis, nested in
containers and in record-like dicts keyed by the metrics' logical field names.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from hypothesis import strategies as st

from itilkit.metrics import LOGICAL_FIELDS

__all__ = ["CANONICAL", "deep_list", "hostile", "odd_datetimes"]


class NoOffset(tzinfo):
    """A tzinfo that says nothing: ``utcoffset`` returns None (the datetime counts as naive)."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


class RaisingOffset(tzinfo):
    """A tzinfo whose ``utcoffset`` raises."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        raise RuntimeError("this zone cannot tell its offset")

    def dst(self, dt: datetime | None) -> timedelta | None:
        raise RuntimeError("this zone cannot tell its DST")

    def tzname(self, dt: datetime | None) -> str | None:
        return "raising"


class WrongOffset(tzinfo):
    """A tzinfo whose ``utcoffset`` returns nonsense (Python itself then raises)."""

    def __init__(self, offset: object) -> None:
        self.offset = offset

    def utcoffset(self, dt: datetime | None) -> Any:
        return self.offset

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return "wrong"


ODD_ZONES: list[tzinfo] = [
    NoOffset(),
    RaisingOffset(),
    WrongOffset("five hours"),
    WrongOffset(timedelta(hours=30)),
    timezone(timedelta(hours=23, minutes=59)),
    timezone(timedelta(hours=-23, minutes=-59)),
    ZoneInfo("America/St_Johns"),
    ZoneInfo("Pacific/Kiritimati"),
]


def deep_list(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def _deep_dict(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"opened_at": value}
    return value


def _deep_tuple(depth: int) -> tuple[Any, ...]:
    value: tuple[Any, ...] = ()
    for _ in range(depth):
        value = (value,)
    return value


def _cyclic_list() -> list[Any]:
    value: list[Any] = []
    value.append(value)
    return value


def _cyclic_dict() -> dict[str, Any]:
    value: dict[str, Any] = {}
    value["opened_at"] = value
    return value


#: Deep structures are built once (20,000 levels: past the recursion limit of repr,
#: str, ==, json and copy) and shared; the calls under test must not mutate them.
_DEEP = [deep_list(20_000), _deep_dict(20_000), _deep_tuple(20_000)]


def _iterator() -> Iterator[int]:
    yield from (1, 2, 3)


#: Each entry makes one hostile value, fresh per call.
CANONICAL: list[tuple[str, Callable[[], object]]] = [
    ("None", lambda: None),
    ("True", lambda: True),
    ("zero", lambda: 0),
    ("minus one", lambda: -1),
    ("10**100", lambda: 10**100),
    ("-10**100", lambda: -(10**100)),
    ("2**63", lambda: 2**63),
    ("1.5", lambda: 1.5),
    ("NaN", lambda: math.nan),
    ("inf", lambda: math.inf),
    ("-inf", lambda: -math.inf),
    ("1e308", lambda: 1e308),
    ("complex", lambda: complex(1, 1)),
    ("Decimal NaN", lambda: Decimal("NaN")),
    ("Fraction", lambda: Fraction(1, 3)),
    ("empty string", lambda: ""),
    ("blank string", lambda: "   "),
    ("long string", lambda: "x" * 100_000),
    ("lone surrogate", lambda: "\udcff\ud800"),
    ("NUL string", lambda: "a\x00b"),
    ("non-UTF-8 bytes", lambda: b"\xff\xfe\xfa"),
    ("bytearray", lambda: bytearray(b"\x80\x81")),
    ("empty list", list),
    ("empty dict", dict),
    ("set", lambda: {1, 2}),
    ("list of None", lambda: [None]),
    ("dict of None", lambda: {"a": None}),
    ("list of strings", lambda: ["x", "y"]),
    ("list of ints", lambda: [1, 2]),
    ("list of hostile dicts", lambda: [dict.fromkeys(LOGICAL_FIELDS, math.nan)]),
    ("deep list", lambda: _DEEP[0]),
    ("deep dict", lambda: _DEEP[1]),
    ("deep tuple", lambda: _DEEP[2]),
    ("cyclic list", _cyclic_list),
    ("cyclic dict", _cyclic_dict),
    ("object", object),
    ("a class", lambda: int),
    ("a function", lambda: lambda *args, **kwargs: None),
    ("a builtin", lambda: len),
    ("iterator", _iterator),
    ("naive datetime", lambda: datetime(2024, 3, 1, 9, 0)),
    ("naive datetime.min", lambda: datetime.min),
    ("datetime.max UTC", lambda: datetime.max.replace(tzinfo=UTC)),
    ("datetime.min UTC", lambda: datetime.min.replace(tzinfo=UTC)),
    ("year 1 at +05:00", lambda: datetime(1, 1, 1, 2, tzinfo=timezone(timedelta(hours=5)))),
    (
        "9999-12-31 at -05:00",
        lambda: datetime(9999, 12, 31, 20, tzinfo=timezone(timedelta(hours=-5))),
    ),
    ("utcoffset None", lambda: datetime(2024, 3, 1, tzinfo=NoOffset())),
    ("utcoffset raises", lambda: datetime(2024, 3, 1, tzinfo=RaisingOffset())),
    ("utcoffset a string", lambda: datetime(2024, 3, 1, tzinfo=WrongOffset("x"))),
    ("utcoffset 30 h", lambda: datetime(2024, 3, 1, tzinfo=WrongOffset(timedelta(hours=30)))),
    ("date", lambda: date(2024, 3, 1)),
    ("time", lambda: time(9, 0)),
    ("timedelta.max", lambda: timedelta.max),
    ("timedelta.min", lambda: timedelta.min),
    ("negative timedelta", lambda: timedelta(hours=-1)),
    ("zero timedelta", lambda: timedelta(0)),
    ("Timestamp ns", lambda: pd.Timestamp("2024-03-01 09:00:00.000000001", tz="UTC")),
    ("naive Timestamp", lambda: pd.Timestamp("2024-03-01 09:00")),
    ("NaT", lambda: pd.NaT),
    ("Timedelta ns", lambda: pd.Timedelta(1, "ns")),
    ("a zone", lambda: ZoneInfo("Europe/London")),
]


def odd_datetimes() -> st.SearchStrategy[datetime]:
    """Datetimes anywhere in datetime's range, naive, in ordinary zones or in odd tzinfos."""
    zones = st.sampled_from([None, UTC, ZoneInfo("Europe/London"), *ODD_ZONES])
    return st.builds(lambda at, zone: at.replace(tzinfo=zone), st.datetimes(), zones)


_SCALARS: st.SearchStrategy[object] = st.one_of(
    st.sampled_from(CANONICAL).map(lambda entry: entry[1]()),
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=20),
    st.binary(max_size=10),
    odd_datetimes(),
    st.timedeltas(),
    st.dates(),
)


def hostile() -> st.SearchStrategy[object]:
    """Any hostile value: scalars, and lists, tuples and record-like dicts of them."""
    keys = st.one_of(st.sampled_from(sorted(LOGICAL_FIELDS)), st.text(max_size=5))
    return st.recursive(
        _SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.tuples(inner, inner),
            st.dictionaries(keys, inner, max_size=6),
        ),
        max_leaves=12,
    )
