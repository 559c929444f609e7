"""UTC offset changes of a zone, per UTC year, shared by every calendar in that zone.

The changes come exactly from the zone's TZif data (:mod:`itilkit.sla._tzif`).
Only where no such data can be read (a zone ``zoneinfo`` found elsewhere) are
they searched for: each year sampled every three hours (weekly after 2037, when
zones follow their POSIX rule) and each change located to the second by
bisection. Both are kept per zone and year, so calendars sharing a zone share
them. Instants are integer microseconds since 0001-01-01 00:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from itilkit.sla._schedule import SECOND
from itilkit.sla._tzif import ZoneTable, load_table

#: The instant axis: microseconds since this moment.
EPOCH = datetime(1, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
#: Seconds from EPOCH to 1970-01-01, where TZif instants count from.
_UNIX_SECONDS = (datetime(1970, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(seconds=1)
_STEP = 3 * 3600
#: After this year zones follow their POSIX rule, whose changes are months apart.
_RULE_ERA, _RULE_STEP = 2037, 7 * 86_400
#: The years a calendar covers (each side keeps a year of margin for datetime's range).
FIRST_YEAR, LAST_YEAR = 1899, 2201


@lru_cache(maxsize=1024)
def zone_table(key: str) -> ZoneTable | None:
    """The zone's TZif table, read once per process (``None`` without TZif data)."""
    return load_table(key)


def offset_at(zone: ZoneInfo, instant_seconds: int) -> int:
    """The zone's UTC offset, in microseconds, at a whole-second instant (via zoneinfo)."""
    local = (EPOCH + timedelta(seconds=instant_seconds)).astimezone(zone)
    offset = local.utcoffset()
    assert offset is not None
    return offset // ONE_MICROSECOND


def _year_start(year: int) -> int:
    return (datetime(year, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(seconds=1)


def _searched(key: str, year: int) -> tuple[tuple[int, int, int], ...]:
    """The changes of a UTC year found by sampling (the fallback without TZif data)."""
    zone = ZoneInfo(key)
    start, stop = _year_start(year), _year_start(year + 1)
    found = []
    before = offset_at(zone, start - 1)
    sample = start - 1
    step = _RULE_STEP if year > _RULE_ERA else _STEP
    while sample < stop - 1:
        nxt = min(sample + step, stop - 1)
        after = offset_at(zone, nxt)
        if after != before:
            low, high = sample, nxt  # offset(low) == before, offset(high) != before
            while high - low > 1:
                middle = (low + high) // 2
                if offset_at(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            found.append((high * SECOND, before, offset_at(zone, high)))
            before = offset_at(zone, high)
            sample = high
            continue
        sample = nxt
    return tuple(found)


@lru_cache(maxsize=4096)
def transitions(key: str, year: int) -> tuple[tuple[int, int, int], ...]:
    """``(instant, offset before, offset after)`` of each change in a UTC year."""
    table = zone_table(key)
    if table is None:
        return _searched(key, year)
    start, stop = _year_start(year) - _UNIX_SECONDS, _year_start(year + 1) - _UNIX_SECONDS
    return tuple(
        ((at + _UNIX_SECONDS) * SECOND, before * SECOND, after * SECOND)
        for at, before, after in table.changes(start, stop)
    )


def changes_between(key: str, first_year: int, last_year: int) -> list[tuple[int, int, int]]:
    """Every offset change in UTC years ``first_year`` to ``last_year``."""
    return [
        change for year in range(first_year, last_year + 1) for change in transitions(key, year)
    ]


def offset_before(key: str, year: int) -> int:
    """The offset in force just before ``year`` starts (UTC)."""
    table = zone_table(key)
    if table is None:
        return offset_at(ZoneInfo(key), _year_start(year) - 1)
    return table.offset_at(_year_start(year) - _UNIX_SECONDS - 1) * SECOND
