"""The text forms of time values: instants, dates, durations, shifts and yearly days.

Every parser checks the length first and uses anchored patterns without
nested repetition, so its work is linear in its (short) input. Each raises
:class:`~itilkit.codec._problems.DecodeError` with the accepted forms.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from itilkit._time import UNSUPPORTED_YEARS
from itilkit.codec._problems import DecodeError, describe

__all__ = [
    "format_duration",
    "parse_date",
    "parse_datetime",
    "parse_duration",
    "parse_month_day",
    "read_aware",
    "read_instant",
    "split_shift",
]

_LONGEST = 64
_MICROS = {
    "w": 7 * 86_400_000_000,
    "d": 86_400_000_000,
    "h": 3_600_000_000,
    "m": 60_000_000,
    "s": 1_000_000,
    "ms": 1_000,
}
_NUMBER = r"\d{1,12}(?:\.\d{1,9})?"
_ISO = re.compile(
    rf"P(?:(?P<w>{_NUMBER})W)?(?:(?P<d>{_NUMBER})D)?"
    rf"(?:T(?:(?P<h>{_NUMBER})H)?(?:(?P<m>{_NUMBER})M)?(?:(?P<s>{_NUMBER})S)?)?"
)
_SHORT_PART = re.compile(rf"\s*({_NUMBER})\s*(ms|w|d|h|m|s)\s*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"(?:--)?(\d{2})-(\d{2})")
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
_SHIFT = re.compile(rf"\s*({_CLOCK})\s*-\s*({_CLOCK})\s*(\+1)?\s*")
_END = re.compile(rf"\s*({_CLOCK})\s*(\+1)?\s*")
_LIMIT = timedelta.max // timedelta(microseconds=1)

DURATION_FORMS = (
    "write ISO 8601 such as 'PT8H', 'PT1H30M', 'P2D' (a day is 24 hours), "
    "or short units such as '8h', '30m', '1h30m', '2d', '90s', '1.5h'"
)


def _text(value: object, what: str) -> str:
    if type(value) is not str:
        raise DecodeError(f"expected {what} as a string, got {describe(value)}")
    if len(value) > _LONGEST:
        raise DecodeError(f"{what} is too long ({len(value)} characters); at most {_LONGEST}")
    return value


def _micros(number: str, unit: str) -> int:
    try:
        exact = Decimal(number) * _MICROS[unit]
    except InvalidOperation:  # pragma: no cover - the patterns admit only decimal digits
        raise DecodeError(f"{number!r} is not a number") from None
    if exact != exact.to_integral_value():
        raise DecodeError(f"{number}{unit} is finer than a microsecond")
    return int(exact)


def parse_duration(value: object) -> timedelta:
    """A duration from ISO 8601 (``PT8H``, ``-PT1H``) or short units (``8h``, ``-1h30m``)."""
    text = _text(value, "a duration").strip()
    negative = text.startswith("-")
    body = text[1:].lstrip() if negative else text
    if body.startswith("P"):
        total = _iso_micros(text, body)
    elif body[:1].isdigit():
        total = _short_micros(text, body)
    else:
        raise DecodeError(f"{text!r} is not a duration; {DURATION_FORMS}")
    if total > _LIMIT:
        raise DecodeError(f"{text!r} is longer than the longest duration (999999999 days)")
    return timedelta(microseconds=-total if negative else total)


def _iso_micros(text: str, body: str) -> int:
    match = _ISO.fullmatch(body)
    if match is None:
        hint = " (months and years have no fixed length)" if re.search(r"\d[YM]", body) else ""
        raise DecodeError(f"{text!r} is not a duration{hint}; {DURATION_FORMS}")
    parts = [(unit, match[unit]) for unit in ("w", "d", "h", "m", "s") if match[unit]]
    if not parts:
        raise DecodeError(f"{text!r} names no amount of time; {DURATION_FORMS}")
    return sum(_micros(number, unit) for unit, number in parts)


def _short_micros(text: str, body: str) -> int:
    total, position, seen = 0, 0, set()
    while position < len(body):
        part = _SHORT_PART.match(body, position)
        if part is None or part[2] in seen:
            raise DecodeError(f"{text!r} is not a duration; {DURATION_FORMS}")
        seen.add(part[2])
        total += _micros(part[1], part[2])
        position = part.end()
    return total


def format_duration(value: timedelta) -> str:
    """ISO 8601 with hours, minutes and seconds only: ``PT8H``, ``PT36H``, ``-PT0.5S``."""
    micros = value // timedelta(microseconds=1)
    sign, micros = ("-", -micros) if micros < 0 else ("", micros)
    hours, rest = divmod(micros, 3_600_000_000)
    minutes, rest = divmod(rest, 60_000_000)
    seconds, fraction = divmod(rest, 1_000_000)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else ""]
    if fraction:
        parts.append(f"{seconds}.{fraction:06d}".rstrip("0") + "S")
    elif seconds or not (hours or minutes):
        parts.append(f"{seconds}S")
    return f"{sign}PT{''.join(parts)}"


#: ``datetime.fromisoformat`` remembering the last few thousand texts it read (a ticket
#: repeats its instants: a record's time is often a field's too). Its values are
#: immutable, so sharing one between documents and threads is safe; only exact
#: ``str`` values reach it, so no subclass or equal non-string can share an entry.
_from_iso = functools.lru_cache(maxsize=4096)(datetime.fromisoformat)


def parse_datetime(value: object, _: object = None) -> datetime:
    """An aware datetime from ISO 8601 with a UTC offset (``Z`` or ``+01:00``)."""
    text = value if type(value) is str and len(value) <= _LONGEST else _text(value, "a datetime")
    try:
        parsed = _from_iso(text)
    except ValueError:
        raise DecodeError(
            f"{text!r} is not an ISO 8601 datetime such as '2024-05-01T09:30:00+01:00'"
        ) from None
    if parsed.utcoffset() is None:
        raise DecodeError(
            f"naive datetime {text!r}: give its UTC offset, e.g. '{parsed.isoformat()}+00:00'"
        )
    return parsed


def read_aware(value: object) -> datetime | None:
    """An aware datetime written in ISO 8601, else None.

    For the direct paths: what it returns is exactly what :func:`parse_datetime`
    returns; None leaves the value to it, to say what is wrong.
    """
    if type(value) is str and len(value) <= _LONGEST:
        try:
            parsed = _from_iso(value)
        except ValueError:
            return None
        if parsed.utcoffset() is not None:
            return parsed
    return None


def read_instant(value: object) -> datetime | None:
    """:func:`read_aware`, for a supported instant only (years 2 to 9998), as a history
    record accepts."""
    parsed = read_aware(value)
    return None if parsed is None or parsed.year in UNSUPPORTED_YEARS else parsed


def parse_date(value: object) -> date:
    """A calendar date written ``YYYY-MM-DD``."""
    text = _text(value, "a date")
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise DecodeError(f"{text!r} is not a date written YYYY-MM-DD")


def parse_month_day(value: object) -> tuple[int, int]:
    """A yearly day written ``MM-DD`` (``"12-25"``), or a ``[month, day]`` pair."""
    if type(value) is list and len(value) == 2 and all(type(v) is int for v in value):
        return value[0], value[1]
    text = _text(value, "a yearly day ('MM-DD' or [month, day])")
    match = _MONTH_DAY.fullmatch(text)
    if match is None:
        raise DecodeError(f"{text!r} is not a yearly day; write 'MM-DD' such as '12-25'")
    return int(match[1]), int(match[2])


def split_shift(value: object) -> tuple[str, str, bool]:
    """Start, end and overnight from ``"08:00-12:00"``, ``"22:00-06:00+1"`` or a pair."""
    if type(value) is list:
        if len(value) != 2:
            raise DecodeError(f"a shift pair needs a start and an end, got {len(value)} item(s)")
        start = _text(value[0], "a time of day")
        end = _END.fullmatch(_text(value[1], "a time of day"))
        if not re.fullmatch(rf"\s*{_CLOCK}\s*", start) or end is None:
            raise DecodeError(f"{value!r} is not a shift pair such as ['08:00', '12:00']")
        return start.strip(), end[1], bool(end[2])
    match = _SHIFT.fullmatch(_text(value, "a shift"))
    if match is None:
        raise DecodeError(f"{value!r} is not a shift; write 'HH:MM-HH:MM', '+1' for overnight")
    return match[1], match[2], bool(match[3])
