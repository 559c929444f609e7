"""UTC offset changes of a zone, found once per year and kept.

``zoneinfo`` does not expose its transition table, so each year is sampled
every three hours and each change located to the second by bisection (IANA
transitions fall on whole seconds, and no zone changes offset twice within
three hours). After 2037 zones follow their POSIX rule, so a weekly sample
is enough. Instants are integer microseconds since 0001-01-01 00:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from itilkit.sla._schedule import SECOND

#: The instant axis: microseconds since this moment.
EPOCH = datetime(1, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
_STEP = 3 * 3600
#: After this year zones follow their POSIX rule, whose changes are months apart.
_RULE_ERA, _RULE_STEP = 2037, 7 * 86_400
#: The years a calendar covers (each side keeps a year of margin for datetime's range).
FIRST_YEAR, LAST_YEAR = 3, 9996


def offset_at(zone: ZoneInfo, instant_seconds: int) -> int:
    """The zone's UTC offset, in microseconds, at a whole-second instant."""
    local = (EPOCH + timedelta(seconds=instant_seconds)).astimezone(zone)
    offset = local.utcoffset()
    assert offset is not None
    return offset // ONE_MICROSECOND


def _year_start(year: int) -> int:
    return (datetime(year, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(seconds=1)


@lru_cache(maxsize=4096)
def transitions(key: str, year: int) -> tuple[tuple[int, int, int], ...]:
    """``(instant, offset before, offset after)`` of each change in a UTC year."""
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


def changes_between(key: str, first_year: int, last_year: int) -> list[tuple[int, int, int]]:
    """Every offset change in UTC years ``first_year`` to ``last_year``."""
    return [
        change for year in range(first_year, last_year + 1) for change in transitions(key, year)
    ]


def offset_before(key: str, year: int) -> int:
    """The offset in force just before ``year`` starts (UTC)."""
    return offset_at(ZoneInfo(key), _year_start(year) - 1)
