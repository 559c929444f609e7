"""Export values: day-first times in a zone (checked against zoneinfo), labels, flags, numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itilkit.errors import InvalidInputError
from itilkit.interop import Label
from itilkit.interop._values import (
    BadValueError,
    Cached,
    Times,
    boolean,
    code,
    decimal_hours,
    integer,
    label,
    yes_no,
    zone_of,
)

from .helpers import ZONES, local_times


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 12, 31)),
    st.sampled_from(ZONES),
    st.booleans(),
    st.sampled_from(["/", "-"]),
)
def test_times_equal_zoneinfo_first_occurrence(
    local: datetime, zone: str, seconds: bool, separator: str
) -> None:
    """Any local time parses to the instant zoneinfo gives it (fold 0), with a fixed offset."""
    local = local.replace(microsecond=0, second=local.second if seconds else 0, fold=0)
    clock = f"{local.hour}:{local.minute:02d}" + (f":{local.second:02d}" if seconds else "")
    text = f"{local.day}{separator}{local.month}{separator}{local.year} {clock}"
    parsed = Times(ZoneInfo(zone), ("?",))[text]
    expected = local.replace(tzinfo=ZoneInfo(zone))
    assert parsed is not None
    assert parsed.utcoffset() == expected.utcoffset()
    assert parsed.replace(tzinfo=None) == local
    assert isinstance(parsed.tzinfo, timezone)


#: The exports' two shapes: HP SM incidents (zero-padded, seconds), its other files.
SHAPES = {"padded": "%d/%m/%Y %H:%M:%S", "short": "{d}-{m}-{Y} {H}:{M:02d}"}


def _written(local: datetime, shape: str) -> str:
    if shape == "padded":
        return local.strftime(SHAPES[shape])
    return SHAPES[shape].format(
        d=local.day, m=local.month, Y=local.year, H=local.hour, M=local.minute
    )


@given(st.data(), st.sampled_from(ZONES), st.sampled_from(sorted(SHAPES)))
def test_cached_times_equal_strptime_and_zoneinfo(
    data: st.DataObject, zone: str, shape: str
) -> None:
    """One parser over a run of texts (its caches of dates, clocks, minutes and seconds
    filling as it goes; each text read twice; clocks made of parts seen apart) gives what
    the slow obvious path gives: ``strptime``, then zoneinfo's offset for that wall time
    (fold 0), as a fixed offset."""
    info = ZoneInfo(zone)
    times = Times(info, ("",))
    locals_ = data.draw(st.lists(local_times(zone), min_size=1, max_size=40))
    pattern = "%d/%m/%Y %H:%M:%S" if shape == "padded" else "%d-%m-%Y %H:%M"
    # then new clocks made of a minute and a second already seen apart
    mixed = [a.replace(second=b.second) for a, b in pairwise(locals_)]
    for local in [*locals_, *mixed, *reversed(locals_)]:
        text = _written(local.replace(microsecond=0), shape)
        wall = datetime.strptime(text, pattern)
        parsed = times[text]
        assert parsed is not None
        assert parsed.replace(tzinfo=None) == wall
        assert parsed.utcoffset() == wall.replace(tzinfo=info).utcoffset()
        assert isinstance(parsed.tzinfo, timezone)


@given(st.sampled_from(ZONES), st.datetimes(datetime(2010, 1, 1), datetime(2030, 12, 31)))
def test_a_known_date_and_clock_do_not_pass_a_malformed_text(zone: str, local: datetime) -> None:
    """Texts whose date and clock are cached still parse only in an accepted shape."""
    times = Times(ZoneInfo(zone), ())
    text = local.strftime("%d/%m/%Y %H:%M:%S")
    good = times[text]
    assert times[f" {text} "] == good  # blanks around are allowed, as before
    date, clock = text.split(" ")
    for bad in (f"{date}  {clock}", f"{date}T{clock}", f"{date} {clock}x", f"{date} {clock[:-1]}"):
        with pytest.raises(BadValueError, match="day-first date and time"):
            times[bad]


@pytest.mark.parametrize("zone", ZONES)
def test_every_ten_minutes_of_every_transition_day(zone: str) -> None:
    """On days the offset changes, each local time gets zoneinfo's offset for it."""
    info = ZoneInfo(zone)
    times = Times(info, ())
    day = datetime(2016, 1, 1)
    checked = 0
    while day.year == 2016:
        if day.replace(tzinfo=info).utcoffset() != day.replace(hour=23, tzinfo=info).utcoffset():
            for minutes in range(0, 24 * 60, 10):
                local = day + timedelta(minutes=minutes)
                text = f"{local.day}/{local.month}/{local.year} {local.hour}:{local.minute:02d}"
                parsed = times[text]
                assert parsed is not None
                # PEP 495: times in a gap or fold never compare equal across zones
                assert parsed.utcoffset() == local.replace(tzinfo=info).utcoffset()
                checked += 1
        day += timedelta(days=1)
    assert checked == (0 if zone in ("UTC", "Asia/Kolkata") else 2 * 144)


def test_dst_gap_fold_and_exact_differences() -> None:
    """The spring gap takes the offset before it, the autumn fold the first occurrence."""
    times = Times(ZoneInfo("Europe/Amsterdam"), ())
    gap = times["27/3/2016 02:30"]
    assert gap is not None
    assert gap.utcoffset() == timedelta(hours=1)
    assert gap.astimezone(UTC) == datetime(2016, 3, 27, 1, 30, tzinfo=UTC)
    fold = times["30/10/2016 02:30"]
    assert fold is not None
    assert fold.utcoffset() == timedelta(hours=2)
    before, after = times["27/3/2016 01:00"], times["27/3/2016 04:00"]
    assert before is not None
    assert after is not None
    assert after - before == timedelta(hours=2)


@pytest.mark.parametrize(
    "text",
    [
        "31/2/2016 10:00",
        "29/2/2015 10:00",
        "1/13/2016 10:00",
        "1/1/16 10:00",
        "1/1/2016",
        "1/1/2016 24:00",
        "1/1/2016 10:60",
        "1/1/2016 10:00:61",
        "2016-01-01 10:00",
        "x",
        "١/1/2016 10:00",
        "1/1/2016 10:0",
    ],
)
def test_bad_times_are_refused(text: str) -> None:
    """Impossible dates and clocks, other orders and non-ASCII digits raise BadValueError."""
    with pytest.raises(BadValueError, match="day-first date and time"):
        Times(UTC, ())[text]


def test_missing_markers_and_caching() -> None:
    """Missing markers give None; each distinct string is parsed once."""
    calls: list[str] = []

    def parse(text: str) -> int:
        calls.append(text)
        return len(text)

    cache = Cached(parse, ("?", ""))
    assert [cache[t] for t in ["?", "ab", "ab", "", "abc"]] == [None, 2, 2, None, 3]
    assert calls == ["ab", "abc"]


def test_labels_codes_flags_and_numbers() -> None:
    """Labels keep code and name and sort by code; flags and numbers are strict."""
    assert label("2 - Medium") == Label(2, "Medium")
    assert label("4") == Label(4, "")
    assert str(Label(4, "")) == "4"
    assert sorted([Label(3, "Moderate"), Label(1, "Critical")])[0].code == 1
    assert code("5 - Very Low") == 5
    assert integer(" 12 ") == 12
    assert (boolean("TRUE"), boolean("false")) == (True, False)
    assert (yes_no("Y"), yes_no("N")) == (True, False)
    assert decimal_hours("3871,691111") == timedelta(hours=3871.691111)
    assert decimal_hours("0.5") == timedelta(minutes=30)
    for parse, text in [
        (label, "Medium"),
        (integer, "-1"),
        (integer, "1.5"),
        (boolean, "yes"),
        (yes_no, "y"),
        (decimal_hours, "nan"),
        (decimal_hours, "-1"),
        (decimal_hours, "1e9"),
        (decimal_hours, "x"),
    ]:
        with pytest.raises(BadValueError):
            parse(text)


def test_zones() -> None:
    """A zone is an IANA name or a tzinfo."""
    assert zone_of("Europe/Amsterdam") == ZoneInfo("Europe/Amsterdam")
    assert zone_of(UTC) is UTC
    for bad in ("", "Nowhere/City", None, 5):
        with pytest.raises(InvalidInputError, match="IANA zone name"):
            zone_of(bad)  # type: ignore[arg-type]
