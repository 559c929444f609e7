"""The zone tables read from TZif data agree with ``zoneinfo`` everywhere.

For every zone of the platform's zone list (zones with byte-identical TZif
data are checked once: both readers see the same bytes), over 1970 to 2037:
the offset on both sides of every change the table reports, and at every
hour. The hourly comparison runs for every zone under the CI profile
(``HYPOTHESIS_PROFILE=ci``) and for a sample of awkward zones locally; it
compares whole lists built at C speed (``zoneinfo``'s ``fromutc`` on hourly
instants, against the table's offsets repeated over each stretch), so the
whole list takes well under a minute.
"""

from __future__ import annotations

import hashlib
import os
import zoneinfo
from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import repeat
from operator import sub
from pathlib import Path

import pytest

from itilkit.sla import BusinessCalendar, WeeklySchedule
from itilkit.sla._tzif import ZoneTable, load_table

START, STOP = datetime(1970, 1, 1, tzinfo=UTC), datetime(2038, 1, 1, tzinfo=UTC)
LO, HI = 0, int((STOP - START).total_seconds())
HOUR = timedelta(hours=1)
SAMPLE = (
    "Europe/London",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Asia/Gaza",
    "America/Caracas",
    "Africa/Casablanca",
    "Pacific/Apia",
    "Asia/Tehran",
    "America/Godthab",
    "Antarctica/Troll",
    "Europe/Dublin",
    "UTC",
)


@cache
def unique_zones() -> tuple[str, ...]:
    """One zone per distinct TZif content in the platform's zone list."""
    seen: dict[bytes, str] = {}
    for key in sorted(zoneinfo.available_timezones()):
        path = next(
            (
                os.path.join(root, key)
                for root in zoneinfo.TZPATH
                if os.path.isfile(os.path.join(root, key))
            ),
            None,
        )
        digest = hashlib.sha256(Path(path).read_bytes()).digest() if path else key.encode()
        seen.setdefault(digest, key)
    return tuple(sorted(seen.values()))


def _table(key: str) -> ZoneTable:
    table = load_table(key)
    assert table is not None, f"no TZif data read for {key}"
    return table


def _zoneinfo_offset(zone: zoneinfo.ZoneInfo, instant: int) -> int:
    offset = datetime.fromtimestamp(instant, zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


@pytest.mark.parametrize("key", unique_zones())
def test_both_sides_of_every_change_agree_with_zoneinfo(key: str) -> None:
    """At each change (a whole second) and one second before it."""
    table, zone = _table(key), zoneinfo.ZoneInfo(key)
    changes = table.changes(LO, HI)
    assert table.offset_at(LO - 1) == _zoneinfo_offset(zone, LO - 1)
    for at, before, after in changes:
        assert (_zoneinfo_offset(zone, at - 1), _zoneinfo_offset(zone, at)) == (before, after), at


def _hourly_zones() -> tuple[str, ...]:
    if os.environ.get("HYPOTHESIS_PROFILE") == "ci":
        return unique_zones()
    return SAMPLE


@pytest.mark.parametrize("key", _hourly_zones())
def test_every_hour_agrees_with_zoneinfo(key: str) -> None:
    """The table's offset equals zoneinfo's at every hour of 1970-2037."""
    table, zone = _table(key), zoneinfo.ZoneInfo(key)
    count = (HI - LO) // 3600
    base = START.replace(tzinfo=zone)
    hours: list[datetime] = [base + index * HOUR for index in range(count)]
    theirs = list(map(sub, map(zone.fromutc, hours), hours))
    ours: list[timedelta] = []
    changes = table.changes(LO, HI)
    offset, cursor = table.offset_at(LO - 1), 0
    for at, _, after in changes:
        upto = -(-at // 3600)  # the first hour at or after the change
        ours.extend(repeat(timedelta(seconds=offset), upto - cursor))
        offset, cursor = after, upto
    ours.extend(repeat(timedelta(seconds=offset), count - cursor))
    if theirs != ours:
        first = next(i for i, (a, b) in enumerate(zip(theirs, ours, strict=True)) if a != b)
        pytest.fail(
            f"{key}: at {START + first * HOUR} zoneinfo {theirs[first]}, table {ours[first]}"
        )


def test_short_dst_spells_after_2037_are_exact() -> None:
    """Gaza's one-week DST spell of 2040 (missed by weekly sampling) is in the table."""
    gaza = BusinessCalendar("Asia/Gaza", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))
    at = datetime(2040, 10, 22, 6, 30, tzinfo=UTC)
    assert at.astimezone(zoneinfo.ZoneInfo("Asia/Gaza")).hour == 9
    assert gaza.is_open(at)
    zone = zoneinfo.ZoneInfo("Asia/Gaza")
    table = _table("Asia/Gaza")
    first, last = (
        int(datetime(2040, 1, 1, tzinfo=UTC).timestamp()),
        int(datetime(2080, 1, 1, tzinfo=UTC).timestamp()),
    )
    for at_s, before, after in table.changes(first, last):
        assert (_zoneinfo_offset(zone, at_s - 1), _zoneinfo_offset(zone, at_s)) == (before, after)
    assert bisect_right([c[0] for c in table.changes(first, last)], last) > 40
