"""Typed values from export text, each distinct string parsed once.

Exports repeat the same strings endlessly (a ticket's opened time on every one
of its rows, a handful of priority labels), so every parser keeps a cache of
the strings it has seen. Parsers raise :class:`BadValueError` with a sentence saying
what was expected; the readers turn it into a row problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from operator import getitem, itemgetter
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs

from itilkit._repr import shown
from itilkit._time import require_aware
from itilkit.errors import InvalidInputError

__all__ = ["BadValueError", "Label", "zone_of"]

T = TypeVar("T")
_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", re.ASCII)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII)
#: Caches are emptied when they reach this many entries, so memory stays bounded.
_CACHE_LIMIT = 1 << 16


class BadValueError(ValueError):
    """A field's text is not a value of the expected kind (internal to the readers)."""


@attrs.frozen(order=True)
class Label:
    """A coded label such as ServiceNow's ``2 - Medium``: its number and its name.

    ``str(label)`` gives the text back. Lower codes come first, so labels sort
    by their code.

    .. versionadded:: 0.2
    """

    code: int
    name: str

    def __str__(self) -> str:
        return f"{self.code} - {self.name}" if self.name else str(self.code)


def zone_of(tz: str | tzinfo) -> tzinfo:
    """The zone the caller gave: an IANA name or a ``tzinfo``."""
    if isinstance(tz, tzinfo):
        return tz
    if isinstance(tz, str):
        try:
            return ZoneInfo(tz)
        except (ValueError, LookupError, OSError, UnicodeError):  # OSError: a too long name
            pass
    raise InvalidInputError(
        f"tz must be an IANA zone name such as 'Europe/Amsterdam' or a tzinfo, got {shown(tz)}"
    )


class Cached(dict[str, T | None]):
    """A parser that remembers what each distinct string gave: ``cache[text]``.

    Looking a known string up is a plain dict lookup; a new one is parsed by
    ``__missing__`` (raising :class:`BadValueError`) and kept. Missing markers
    give None.
    """

    def __init__(self, parse: Callable[[str], T], missing: Collection[str]) -> None:
        super().__init__(dict.fromkeys(missing))
        self.parse = parse
        self.missing = tuple(missing)

    def __missing__(self, text: str) -> T | None:
        value = self.parse(text)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
            self.update(dict.fromkeys(self.missing))
        self[text] = value
        return value


def row_parser(
    fields: Sequence[tuple[int, Mapping[str, Any]]],
) -> Callable[[list[str]], Iterable[Any]]:
    """A function reading the field at each index of a row with its parser, in C loops.

    Its result is an iterator: the values are parsed as it is consumed.
    """
    parsers = [parse for _, parse in fields]
    if len(fields) < 2:
        return lambda row: [parse[row[i]] for i, parse in fields]
    pick = itemgetter(*(i for i, _ in fields))
    return lambda row: map(getitem, parsers, pick(row))


def _digits(part: str) -> int:
    if not (part.isascii() and part.isdigit()):
        raise ValueError(part)
    return int(part)


class Times(dict[str, datetime | None]):
    """Day-first times ``d/m/yyyy H:MM[:SS]`` (``-`` may separate the date) local to ``zone``.

    A lookup like :class:`Cached`: each distinct string is parsed once, and the
    dates and clock times in it are each parsed once too. Each result carries
    the UTC offset ``zone`` has at that local time as a fixed offset, so
    differences across a DST change are exact. A local time that occurs twice
    (the autumn fold) is read as its first occurrence; one that does not exist
    (the spring gap) with the offset before the change.

    A new string whose date and clock were both seen before (exactly as
    written) is the day's aware midnight plus the clock's time since midnight:
    two lookups and an addition. Anything else, and every time on a day the
    offset changes, takes the checked path.
    """

    def __init__(self, zone: tzinfo, missing: Collection[str]) -> None:
        super().__init__(dict.fromkeys(missing))
        self.missing = tuple(missing)
        self.zone = zone
        self.offsets: dict[timedelta, timezone] = {}
        #: date text -> its midnight with the day's fixed offset (days with one offset)
        self.midnights: dict[str, datetime] = {}
        #: date text -> its naive midnight (days the offset changes)
        self.changing: dict[str, datetime] = {}
        #: clock text -> time since midnight
        self.clocks: dict[str, timedelta] = {}
        #: of clocks with seconds, "H:MM" (as written) and ":SS" apart
        self.minutes: dict[str, timedelta] = {}
        self.seconds: dict[str, timedelta] = {}

    def __missing__(self, text: str) -> datetime:
        date, _, clock = text.partition(" ")
        midnight = self.midnights.get(date)
        since = self.clocks.get(clock)
        if since is None:  # a new clock with seconds: its minute and its second seen apart
            minute, second = self.minutes.get(clock[:-3]), self.seconds.get(clock[-3:])
            if minute is not None and second is not None:
                since = self.clocks[clock] = minute + second
        value = self._checked(text) if midnight is None or since is None else midnight + since
        if len(self) >= _CACHE_LIMIT:
            self.clear()
            self.update(dict.fromkeys(self.missing))
        self[text] = value
        return value

    def _checked(self, text: str) -> datetime:
        date, _, clock = text.strip().partition(" ")
        try:
            since = self.clocks.get(clock)
            if since is None:
                since = self._clock(clock)
            midnight = self.midnights.get(date) or self.changing.get(date) or self._day(date)
            if midnight.tzinfo is not None:
                return midnight + since
            local = midnight + since
            return local.replace(tzinfo=self._fixed(local))
        except ValueError:
            raise BadValueError(
                f"{shown(text)} is not a day-first date and time such as '29/2/2016 01:16'"
            ) from None

    def _fixed(self, local: datetime) -> timezone:
        offset = self.zone.utcoffset(local)
        if offset is None:
            raise ValueError(f"zone {shown(self.zone)} gives no UTC offset")
        fixed = self.offsets.get(offset)
        if fixed is None:
            fixed = self.offsets[offset] = timezone(offset)
        return fixed

    def _day(self, text: str) -> datetime:
        match = _DATE.fullmatch(text)
        if match is None:
            raise ValueError(text)
        day, month, year = (int(g) for g in match.groups())
        midnight = datetime(year, month, day)
        first = self._fixed(midnight)
        last = self._fixed(datetime(year, month, day, 23, 59, 59))
        # zones change offset at most once a day: equal ends mean one offset all day
        days = self.midnights if first is last else self.changing
        if len(days) >= _CACHE_LIMIT:
            days.clear()
        if first is last:
            midnight = midnight.replace(tzinfo=first)
        days[text] = midnight
        return midnight

    def _clock(self, text: str) -> timedelta:
        match = _CLOCK.fullmatch(text)
        if match is None:
            raise ValueError(text)
        hour, minute, second = (int(g or 0) for g in match.groups())
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(text)
        found = timedelta(hours=hour, minutes=minute, seconds=second)
        if match[3] is not None:
            self.minutes[text[:-3]] = timedelta(hours=hour, minutes=minute)
            self.seconds[text[-3:]] = timedelta(seconds=second)
        # no limit: there are at most 124,440 valid clock texts (H or HH, MM, :SS or none),
        # 2,880 minutes and 60 seconds
        self.clocks[text] = found
        return found


def label(text: str) -> Label:
    """``'2 - Medium'`` as ``Label(2, 'Medium')``; a bare ``'4'`` as ``Label(4, '')``."""
    code, _, name = text.partition(" - ")
    try:
        number = _digits(code.strip())
    except ValueError:
        raise BadValueError(f"{shown(text)} is not a label such as '2 - Medium'") from None
    return Label(number, name.strip())


def code(text: str) -> int:
    """An HP SM scale value: ``'4'``, or a label such as ``'5 - Very Low'``, as its number."""
    return label(text).code


def integer(text: str) -> int:
    """A whole number >= 0."""
    try:
        return _digits(text.strip())
    except ValueError:
        raise BadValueError(f"{shown(text)} is not a whole number >= 0") from None


def boolean(text: str) -> bool:
    """``true``/``false`` in any case."""
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise BadValueError(f"{shown(text)} is not a boolean; expected true or false")


def yes_no(text: str) -> bool:
    """HP SM's ``Y``/``N``."""
    if text == "Y":
        return True
    if text == "N":
        return False
    raise BadValueError(f"{shown(text)} is not a flag; expected Y or N")


def stripped(text: str) -> str:
    """The text itself, without surrounding blanks."""
    return text.strip()


def seconds(text: str) -> timedelta:
    """A whole number of seconds."""
    return timedelta(seconds=integer(text))


def decimal_hours(text: str) -> timedelta:
    """Hours with a decimal comma (or point), such as ``'3871,691111'``, to the microsecond."""
    try:
        hours = float(text.strip().replace(",", "."))
    except ValueError:
        raise BadValueError(f"{shown(text)} is not a number of hours such as '3,92'") from None
    if not 0 <= hours < 1e6:
        raise BadValueError(f"{shown(text)} is not a number of hours between 0 and 1,000,000")
    return timedelta(microseconds=round(hours * 3_600_000_000))


#: Field types of a record: text or None, an instant or None.
TEXT: tuple[type, ...] = (str, type(None))
WHEN: tuple[type, ...] = (datetime, type(None))


#: A record type's checked fields: (name, position, the types its reader gives).
FieldSpec = tuple[tuple[str, int, tuple[type, ...]], ...]


def field_spec(record: type, fields: Mapping[str, tuple[type, ...]]) -> FieldSpec:
    """The checks of ``fields`` of the named-tuple type ``record``, by position."""
    names: tuple[str, ...] = getattr(record, "_fields")  # noqa: B009
    return tuple((name, names.index(name), types) for name, types in fields.items())


def check_fields(record: Any, spec: FieldSpec) -> None:
    """Each checked field of ``record`` (a reader's named tuple, or one a caller built) is of
    a type the reader gives it, and every instant is aware. A reader's records take the
    fast path: the exact type, and a zone on each instant."""
    for name, index, types in spec:
        value = record[index]
        kind = type(value)
        if kind in types and (kind is not datetime or value.tzinfo is not None):
            continue
        if not isinstance(value, types) or isinstance(value, bool):
            allowed = " or ".join("None" if t is type(None) else t.__name__ for t in types)
            raise InvalidInputError(
                f"{type(record).__name__}.{name} must be {allowed}, got {shown(value)}"
            )
        if isinstance(value, datetime):
            require_aware(value, f"{type(record).__name__}.{name}")
