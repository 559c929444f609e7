"""Business calendars: zone, weekly shifts, holidays and per-date overrides.

Written forms (each read back as written):

* a shift is ``"09:00-17:00"``, ``"22:00-06:00+1"`` for one that ends the
  next day, and ``"00:00-24:00"`` for a whole day;
* a week maps day names to their shifts: ``{"monday": ["09:00-12:00",
  "13:00-17:00"]}``, closed days left out;
* holidays hold ``dates`` (``"2024-12-25"``), ``yearly`` days (``"12-25"``)
  and RFC 5545 ``rules``.

Configuration may also write a shift as a pair ``["08:00", "12:00"]``, a
day's shifts as one string (``"09:00-12:00, 13:00-17:00"``), days as
``"mon"`` or ranges (``"mon-fri"``), Easter-relative holidays as ``easter``
offsets in days, and a country's public holidays from the ``holidays`` extra.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, NewType

import attrs

from itilkit.codec._problems import DecodeError, collect, describe, gather, key
from itilkit.codec._strict import Registrar
from itilkit.codec._text import parse_month_day, split_shift
from itilkit.sla import Holidays, Shift, WeeklySchedule, country_holidays

__all__ = ["configure_calendars"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAYS = {name[:3]: i for i, name in enumerate(_WEEKDAYS)} | {n: i for i, n in enumerate(_WEEKDAYS)}
_DAY_PATTERN = "^(mon|tue|wed|thu|fri|sat|sun)[a-z]*(-(mon|tue|wed|thu|fri|sat|sun)[a-z]*)?$"
_SHIFT_PATTERN = r"^\s*\d{1,2}:\d{2}(:\d{2})?\s*-\s*\d{1,2}:\d{2}(:\d{2})?\s*(\+1)?\s*$"
_SHIFT_SCHEMA = {
    "description": "'HH:MM-HH:MM' ('+1' when it ends the next day, 24:00 ends the day) "
    "or a pair ['HH:MM', 'HH:MM']",
    "anyOf": [
        {"type": "string", "pattern": _SHIFT_PATTERN},
        {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
    ],
}

#: A day of every year, ``(month, day)``.
YearlyDay = NewType("YearlyDay", tuple[int, int])


def _shift(value: Any, _: Any = None) -> Shift:
    start, end, overnight = split_shift(value)
    shift = Shift(start, end, overnight=overnight)
    problems = shift.problems()
    if problems:
        raise DecodeError("; ".join(problems))
    return shift


def _day_indexes(spec: str) -> list[int]:
    first, _, last = spec.strip().lower().partition("-")
    if first not in _DAYS or (last and last not in _DAYS):
        raise DecodeError("not a weekday or range; write 'monday', 'mon' or 'mon-fri'")
    start, stop = _DAYS[first], _DAYS[last or first]
    return [(start + step) % 7 for step in range((stop - start) % 7 + 1)]


def _day_shifts(value: Any) -> tuple[Shift, ...]:
    if type(value) is str:
        items: list[Any] = [part for part in value.split(",") if part.strip()]
    elif type(value) is list:
        items = value
    else:
        raise DecodeError(f"expected shifts (an array, or one string), got {describe(value)}")
    steps = [f"[{i}]" if type(value) is list else "" for i in range(len(items))]
    return tuple(
        gather((s, functools.partial(_shift, item)) for s, item in zip(steps, items, strict=True))
    )


def _day(spec: str, shifts: Any) -> tuple[list[int], tuple[Shift, ...]]:
    return _day_indexes(spec), _day_shifts(shifts)


def _schedule(value: Any, _: Any) -> WeeklySchedule:
    if type(value) is not dict:
        raise DecodeError(f"expected an object of weekday: shifts, got {describe(value)}")
    parsed = gather(
        (key(spec), functools.partial(_day, spec, shifts)) for spec, shifts in value.items()
    )
    days: dict[str, tuple[Shift, ...]] = {}
    for indexes, shifts in parsed:
        for index in indexes:
            days[_WEEKDAYS[index]] = days.get(_WEEKDAYS[index], ()) + shifts
    schedule = WeeklySchedule(**days)
    problems = schedule.problems()
    if problems:
        raise DecodeError(problems=[("", p) for p in problems])
    return schedule


def _week(schedule: WeeklySchedule) -> dict[str, list[str]]:
    return {
        name: [str(shift) for shift in shifts]
        for name, shifts in zip(_WEEKDAYS, schedule.days, strict=True)
        if shifts
    }


@attrs.frozen
class CountryHolidays:
    """The public holidays of a country (ISO 3166 code) in the listed years.

    Needs the ``holidays`` extra (``pip install 'itilkit[holidays]'``).
    """

    code: str
    years: tuple[int, ...]
    subdivision: str | None = None


@attrs.frozen
class HolidaysForm:
    """Whole-day closures: dates, yearly days, Easter offsets, RFC 5545 rules, a country."""

    dates: frozenset[date] = frozenset()
    yearly: tuple[YearlyDay, ...] = ()
    easter: tuple[int, ...] = ()
    rules: tuple[str, ...] = ()
    country: CountryHolidays | None = None


def _from_country(country: CountryHolidays) -> frozenset[date]:
    try:
        found = country_holidays(country.code, country.years, subdivision=country.subdivision)
    except ImportError as error:
        raise DecodeError(problems=[(".country", str(error))]) from None
    except Exception as error:
        raise DecodeError(
            problems=[(".country", f"the holidays package refused it: {error}")]
        ) from None
    return found.dates


def _holidays(form: HolidaysForm) -> Holidays:
    failed = [
        (f".easter[{i}]", DecodeError(f"{offset} days from Easter is more than a year away"))
        for i, offset in enumerate(form.easter)
        if not -366 <= offset <= 366
    ]
    if failed:
        raise collect(failed)
    dates = form.dates | (_from_country(form.country) if form.country else frozenset())
    rules = (*form.rules, *(f"FREQ=YEARLY;BYEASTER={offset}" for offset in form.easter))
    return Holidays(dates=dates, yearly=form.yearly, rules=rules)  # refuses bad parts itself


def _month_day(value: Any, _: Any) -> YearlyDay:
    return YearlyDay(parse_month_day(value))


def configure_calendars(registrar: Registrar) -> None:
    """Shifts, weeks and holidays in their written forms; calendars and overrides as objects."""
    converter = registrar.converter
    registrar.value(Shift, _shift, str, _SHIFT_SCHEMA, name="Shift")
    registrar.value(
        WeeklySchedule,
        _schedule,
        _week,
        {
            "type": "object",
            "description": "Opening shifts by weekday ('monday', 'mon' or a range 'mon-fri')",
            "propertyNames": {"pattern": _DAY_PATTERN},
            "additionalProperties": {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"$type": Shift}}]
            },
        },
        name="WeeklySchedule",
    )
    registrar.value(
        YearlyDay,
        _month_day,
        lambda day: f"{day[0]:02d}-{day[1]:02d}",
        {
            "description": "a day of every year, 'MM-DD' or [month, day]",
            "anyOf": [
                {"type": "string", "pattern": r"^(--)?\d{2}-\d{2}$"},
                {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
            ],
        },
    )

    def holidays_in(value: Any, _: Any) -> Holidays:
        return _holidays(converter.get_structure_hook(HolidaysForm)(value, HolidaysForm))

    def holidays_out(holidays: Holidays) -> Any:
        form = HolidaysForm(
            holidays.dates, tuple(YearlyDay(d) for d in holidays.yearly), (), holidays.rules
        )
        return converter.get_unstructure_hook(HolidaysForm)(form)

    registrar.value(Holidays, holidays_in, holidays_out, {"$type": HolidaysForm}, name="Holidays")
