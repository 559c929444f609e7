"""A zone's exact UTC offsets, read from its TZif data (RFC 8536).

``zoneinfo`` reads the same file but does not expose its transitions, so this
module reads them itself, from the first ``zoneinfo.TZPATH`` directory holding
the zone and otherwise from the ``tzdata`` package, in the order ``zoneinfo``
searches them. The answers follow ``zoneinfo``'s own reading, so they equal
``datetime.utcoffset`` at every instant:

* before the first transition, the offset of the first standard-time type (of
  the first transition's type when every type is daylight time);
* at and after each transition (a whole second), that transition's type;
* after the last transition, the file's footer rule (a POSIX TZ string such as
  ``GMT0BST,M3.5.0/1,M10.5.0``), evaluated per UTC year as ``zoneinfo`` does;
  with no footer, the last type carries on.

Instants and offsets here are whole seconds, instants counted from 1970-01-01
UTC.
"""

from __future__ import annotations

import calendar
import os
import re
import struct
import zoneinfo
from bisect import bisect_right
from datetime import date
from importlib import resources

__all__ = ["ZoneRule", "ZoneTable", "load_table"]

_UNIX_ORDINAL = date(1970, 1, 1).toordinal()
_DAYS_BEFORE_MONTH = (-1, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _days_before_year(year: int) -> int:
    """``zoneinfo``'s count: days from 1970-01-01 to ``year``-01-01, less one."""
    y = year - 1
    return y * 365 + y // 4 - y // 100 + y // 400 - _UNIX_ORDINAL


class _Julian:
    """``Jn`` (``julian``: 1-365, never counting 29 February) or ``n`` (0-365)."""

    __slots__ = ("day", "julian", "time")

    def __init__(self, day: int, julian: bool, time: int) -> None:
        low = 1 if julian else 0
        if not low <= day <= 365:
            raise ValueError(f"day {day} out of range")
        self.day, self.julian, self.time = day, julian, time

    def local(self, year: int) -> int:
        day = self.day
        if self.julian and day >= 59 and calendar.isleap(year):
            day += 1
        return (_days_before_year(year) + day) * 86_400 + self.time


class _MonthWeek:
    """``Mm.w.d``: weekday ``d`` (0 = Sunday) of week ``w`` (5 = last) of month ``m``."""

    __slots__ = ("day", "month", "time", "week")

    def __init__(self, month: int, week: int, day: int, time: int) -> None:
        if not (1 <= month <= 12 and 1 <= week <= 5 and 0 <= day <= 6):
            raise ValueError("bad M.w.d rule")
        self.month, self.week, self.day, self.time = month, week, day, time

    def local(self, year: int) -> int:
        first_day, days_in_month = calendar.monthrange(year, self.month)
        month_day = (self.day - (first_day + 1)) % 7 + 1 + (self.week - 1) * 7
        if month_day > days_in_month:
            month_day -= 7
        ordinal = (
            _days_before_year(year)
            + _DAYS_BEFORE_MONTH[self.month]
            + (self.month > 2 and calendar.isleap(year))
            + month_day
        )
        return ordinal * 86_400 + self.time


_NAME = r"(?:[^<0-9:.+-]+|<[a-zA-Z0-9+-]+>)"
_OFFSET = r"[+-]?\d{1,3}(?::\d{2}(?::\d{2})?)?"
_TZ = re.compile(
    rf"(?P<std>{_NAME})(?:(?P<stdoff>{_OFFSET})(?:(?P<dst>{_NAME})(?P<dstoff>{_OFFSET})?)?)?",
    re.ASCII,
)
_HMS = re.compile(r"([+-])?(\d{1,3})(?::(\d{2})(?::(\d{2}))?)?", re.ASCII)
_MWD = re.compile(r"M(\d{1,2})\.(\d)\.(\d)", re.ASCII)


def _seconds(text: str, hour_limit: int) -> int:
    match = _HMS.fullmatch(text)
    if match is None or int(match[2]) > hour_limit:
        raise ValueError(f"bad time {text!r}")
    total = int(match[2]) * 3600 + int(match[3] or 0) * 60 + int(match[4] or 0)
    return -total if match[1] == "-" else total


def _boundary(text: str) -> _Julian | _MonthWeek:
    when, _, at = text.partition("/")
    time = _seconds(at, 167) if at else 7200
    month_week = _MWD.fullmatch(when)
    if month_week:
        month, week, day = map(int, month_week.groups())
        return _MonthWeek(month, week, day, time)
    if when.startswith("J"):
        return _Julian(int(when[1:]), True, time)
    return _Julian(int(when), False, time)


class ZoneRule:
    """A footer rule: standard and daylight offsets, and the yearly change dates."""

    __slots__ = ("dst", "end", "start", "std")

    def __init__(
        self, std: int, dst: int, start: _Julian | _MonthWeek, end: _Julian | _MonthWeek
    ) -> None:
        self.std, self.dst, self.start, self.end = std, dst, start, end

    @classmethod
    def parse(cls, text: str) -> ZoneRule | int:
        """The rule of a TZ string, or its fixed offset when it has no daylight time."""
        head, *rules = text.split(",", 1)
        match = _TZ.fullmatch(head)
        if match is None:
            raise ValueError(f"bad TZ string {text!r}")
        std = -_seconds(match["stdoff"], 24) if match["stdoff"] else 0
        if match["dst"] is None:
            if rules:
                raise ValueError(f"rule without daylight time in {text!r}")
            return std
        dst = -_seconds(match["dstoff"], 24) if match["dstoff"] else std + 3600
        if not rules:
            raise ValueError(f"daylight time without a rule in {text!r}")
        start, end = (_boundary(part) for part in rules[0].split(",", 1))
        return cls(std, dst, start, end)

    def bounds(self, year: int) -> tuple[int, int]:
        """The UTC instants daylight time starts and ends in ``year``."""
        return self.start.local(year) - self.std, self.end.local(year) - self.dst

    def offset(self, instant: int, year: int) -> int:
        """The offset at ``instant``, which lies in UTC year ``year``."""
        start, end = self.bounds(year)
        daylight = start <= instant < end if start < end else not end <= instant < start
        return self.dst if daylight else self.std


class ZoneTable:
    """The offsets of one zone: explicit transitions, then what follows the last one."""

    __slots__ = ("after", "offsets", "times")

    def __init__(self, times: list[int], offsets: list[int], after: ZoneRule | int | None) -> None:
        #: Transition instants; ``offsets[i]`` holds before ``times[i]``, ``offsets[-1]`` after.
        self.times, self.offsets = times, offsets
        #: The footer (a rule or a fixed offset) in force after the last transition, if any.
        self.after = after

    def offset_at(self, instant: int) -> int:
        """The UTC offset in force at a whole-second instant."""
        after = self.after
        if after is not None and (not self.times or instant > self.times[-1]):
            return after if isinstance(after, int) else after.offset(instant, _utc_year(instant))
        return self.offsets[bisect_right(self.times, instant)]

    def changes(self, start: int, stop: int) -> list[tuple[int, int, int]]:
        """``(instant, before, after)`` of each offset change in ``[start, stop)``."""
        times = self.times
        points = times[bisect_right(times, start - 1) : bisect_right(times, stop - 1)]
        ruled_from = max(start, times[-1] + 1 if times else start)
        if self.after is not None and ruled_from < stop:
            extra = {ruled_from}
            if isinstance(self.after, ZoneRule):
                for year in range(_utc_year(ruled_from), _utc_year(stop - 1) + 1):
                    extra.add(_year_start(year))
                    extra.update(self.after.bounds(year))
            points = points + sorted(p for p in extra if ruled_from <= p < stop)
        found: list[tuple[int, int, int]] = []
        before = self.offset_at(start - 1)
        for point in points:
            offset = self.offset_at(point)
            if offset != before:
                found.append((point, before, offset))
                before = offset
        return found


def _utc_year(instant: int) -> int:
    return date.fromordinal(_UNIX_ORDINAL + instant // 86_400).year


def _year_start(year: int) -> int:
    return (date(year, 1, 1).toordinal() - _UNIX_ORDINAL) * 86_400


def parse(data: bytes) -> ZoneTable:
    """Read TZif bytes (version 1 to 4); raise ``ValueError`` if they are not TZif."""
    if data[:4] != b"TZif" or len(data) < 44:
        raise ValueError("not TZif data")
    version = data[4]
    isut, isstd, leaps, count, types, chars = struct.unpack_from(">6l", data, 20)
    position, width, code = 44, 4, "l"
    if version >= ord("2"):
        position += count * 5 + types * 6 + chars + leaps * 8 + isstd + isut
        if data[position : position + 4] != b"TZif":
            raise ValueError("bad second TZif header")
        isut, isstd, leaps, count, types, chars = struct.unpack_from(">6l", data, position + 20)
        position, width, code = position + 44, 8, "q"
    times = list(struct.unpack_from(f">{count}{code}", data, position))
    position += count * width
    indexes = data[position : position + count]
    position += count
    kinds = [struct.unpack_from(">lBB", data, position + 6 * index) for index in range(types)]
    position += types * 6 + chars + leaps * (width + 4) + isstd + isut
    if not kinds:
        raise ValueError("TZif data without time types")
    standard = [offset for offset, daylight, _ in kinds if not daylight]
    first = standard[0] if standard else kinds[indexes[0] if count else 0][0]
    offsets = [first, *(kinds[index][0] for index in indexes)]
    footer = data[position:].strip(b"\n") if version >= ord("2") else b""
    after = ZoneRule.parse(footer.decode("ascii")) if footer else None
    if after is None and not times:
        after = kinds[-1][0]
    return ZoneTable(times, offsets, after)


def _data(key: str) -> bytes | None:
    for root in zoneinfo.TZPATH:
        path = os.path.join(root, key)
        if os.path.isfile(path):
            try:
                with open(path, "rb") as stream:
                    return stream.read()
            except OSError:
                return None
    try:
        return resources.files("tzdata.zoneinfo").joinpath(*key.split("/")).read_bytes()
    except (ImportError, OSError, ValueError):
        return None


def load_table(key: str) -> ZoneTable | None:
    """The zone's table, or ``None`` where no readable TZif data exists for it."""
    data = _data(key)
    if data is None:
        return None
    try:
        return parse(data)
    except (ValueError, struct.error, UnicodeDecodeError):
        return None
