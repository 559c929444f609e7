"""Holiday recurrence rules: RFC 5545 RRULEs of whole days, expanded a year at a time.

A holiday rule repeats daily or less often (``FREQ=YEARLY``, ``MONTHLY``,
``WEEKLY`` or ``DAILY``) and names whole days, so it has no ``BYHOUR``,
``BYMINUTE`` or ``BYSECOND``; it gives at most :data:`MAX_DATES_PER_YEAR` dates
a year (checked on its first years), and a ``COUNT`` must be reached within
:data:`COUNT_HORIZON_YEARS` of its start. ``BYEASTER`` (dateutil's extension)
counts days from Easter Sunday. ``DTSTART`` is a floating date (default
1900-01-01); the parts the RFC forbids for a frequency (``BYWEEKNO`` outside
``YEARLY``, a numbered ``BYDAY`` in ``WEEKLY``...) are refused.

Each year is expanded on its own, by a dateutil rule that starts in that year
and stops after one period, so the cost of a year never depends on how far it
lies from the rule's start, and a rule that matches nothing costs no more than
one that matches. ``DAILY`` and ``WEEKLY`` rules are read as the yearly rule of
the same days, thinned to their interval. No dateutil cache is used: its lock
can be left held, which made other threads wait forever.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from math import gcd

import attrs
from dateutil.easter import easter
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, weekday

__all__ = [
    "COUNT_HORIZON_YEARS",
    "DEFAULT_RULE_START",
    "MAX_DATES_PER_YEAR",
    "MAX_RULE_TEXT",
    "HolidayRule",
    "parse_rule",
]

#: A rule written without DTSTART starts on this date.
DEFAULT_RULE_START = date(1900, 1, 1)
#: At most this many dates a year from one rule: beyond it, it is a schedule.
MAX_DATES_PER_YEAR = 100
#: A rule's text is never longer.
MAX_RULE_TEXT = 1000
#: A COUNT must be reached within this many years of DTSTART.
COUNT_HORIZON_YEARS = 400
#: The years sampled, from the rule's start, to check :data:`MAX_DATES_PER_YEAR`.
_SAMPLED_YEARS = 4
_LAST_YEAR = 9999
#: Expanded years kept per rule: every year a calendar can reach.
_KEPT_YEARS = 10_000
#: An interval so large that dateutil stops after the first period.
_ONE_PERIOD = {YEARLY: 10_000, MONTHLY: 120_000}

_FREQUENCIES = {"YEARLY": YEARLY, "MONTHLY": MONTHLY, "WEEKLY": WEEKLY, "DAILY": DAILY}
_TOO_FINE = ("HOURLY", "MINUTELY", "SECONDLY")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ALL_WEEKDAYS = tuple(range(7))
_INT = re.compile(r"[+-]?[0-9]{1,5}")
_STAMP = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:T[0-9]{6}Z?)?")
#: Each list part: its allowed magnitudes and the frequencies that may use it.
_LISTS = {
    "BYMONTH": (range(1, 13), (YEARLY, MONTHLY, WEEKLY, DAILY)),
    "BYMONTHDAY": (range(1, 32), (YEARLY, MONTHLY, DAILY)),
    "BYYEARDAY": (range(1, 367), (YEARLY,)),
    "BYWEEKNO": (range(1, 54), (YEARLY,)),
    "BYSETPOS": (range(1, 367), (YEARLY, MONTHLY)),
    "BYEASTER": (range(367), (YEARLY, MONTHLY, WEEKLY, DAILY)),
}
_SINGLE = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST")


def _ints(text: str, allowed: range, signed: bool) -> tuple[int, ...] | None:
    items = text.split(",")
    if len(items) > len(allowed) * 2 or not all(_INT.fullmatch(item) for item in items):
        return None
    values = tuple(int(item) for item in items)
    if any(abs(v) not in allowed or (v < 0 and not signed) for v in values):
        return None
    return values


def _stamp(text: str) -> date | None:
    """A floating ``YYYYMMDD`` or ``YYYYMMDDTHHMMSS[Z]`` as its date."""
    match = _STAMP.fullmatch(text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _weekdays(text: str, numbered: bool) -> tuple[weekday, ...] | None:
    found = []
    for item in text.split(","):
        name, number = item[-2:], item[:-2]
        if name not in _WEEKDAYS or (number and not _INT.fullmatch(number)):
            return None
        n = int(number) if number else None
        if n is not None and (not numbered or not 1 <= abs(n) <= 53):
            return None
        found.append(weekday(_WEEKDAYS.index(name), n))
    return tuple(found) if len(found) <= 7 * 53 else None


@attrs.frozen
class HolidayRule:
    """A parsed holiday rule; :meth:`in_year` gives its dates of one year."""

    freq: int
    start: date = DEFAULT_RULE_START
    interval: int = 1
    count: int | None = None
    until: date | None = None
    wkst: int = 0
    parts: tuple[tuple[str, tuple[int, ...] | tuple[weekday, ...]], ...] = ()
    _counted: tuple[date, ...] = attrs.field(default=(), eq=False, repr=False)
    _years: dict[int, tuple[date, ...]] = attrs.field(
        init=False, factory=dict, eq=False, repr=False, hash=False
    )

    def part(self, name: str) -> tuple[int, ...]:
        """The values of an integer part (empty when not given)."""
        return dict(self.parts).get(name, ())  # type: ignore[return-value]  # int parts

    @property
    def byday(self) -> tuple[weekday, ...]:
        """The weekdays of ``BYDAY`` (empty when not given)."""
        return dict(self.parts).get("BYDAY", ())  # type: ignore[return-value]  # the weekday part

    def between(self, first: date, last: date) -> Iterator[date]:
        """The rule's dates from ``first`` to ``last``, both included."""
        if self.count is not None:
            yield from (day for day in self._counted if first <= day <= last)
            return
        for year in range(max(first.year, self.start.year), last.year + 1):
            yield from (day for day in self.in_year(year) if first <= day <= last)

    def in_year(self, year: int) -> tuple[date, ...]:
        """The rule's dates in ``year``, before any COUNT is applied.

        Years already expanded are kept (at most :data:`_KEPT_YEARS`); two
        threads asking at once may both expand a year, and store the same tuple.
        """
        found = self._years.get(year)
        if found is None:
            if len(self._years) >= _KEPT_YEARS:
                self._years.clear()
            found = self._years[year] = tuple(self._repeated(year) or self._expand(year))
        return found

    def _repeated(self, year: int) -> list[date] | None:
        """The dates of ``year`` as those of an earlier year of the rule's cycle, if it has one.

        The Gregorian calendar repeats every 400 years (146,097 days, a whole
        number of weeks), so a rule without Easter repeats after 400 years
        times whatever its interval adds; the first cycle after DTSTART is
        expanded, later years are shifted copies.
        """
        if self.part("BYEASTER"):
            return None
        units = {YEARLY: 400, MONTHLY: 4800, WEEKLY: 20_871, DAILY: 146_097}[self.freq]
        cycle = 400 * self.interval // gcd(units, self.interval)
        turns = (year - self.start.year - 1) // cycle
        if turns < 1:
            return None
        shift = turns * cycle
        return [
            day.replace(year=day.year + shift)
            for day in self.in_year(year - shift)
            if self.until is None or day.replace(year=day.year + shift) <= self.until
        ]

    def _expand(self, year: int) -> list[date]:
        if year < self.start.year or (self.until is not None and year > self.until.year):
            return []
        if self.freq == YEARLY and [name for name, _ in self.parts] == ["BYEASTER"]:
            sunday = easter(year)
            found = [sunday + timedelta(days=n) for n in self.part("BYEASTER")]
            found = [
                day
                for day in found
                if day.year == year and not (year - self.start.year) % self.interval
            ]
        elif self.freq == YEARLY:
            found = self._yearly(year)
        elif self.freq == MONTHLY:
            found = self._monthly(year)
        else:
            found = self._thinned(year)
        return [
            day for day in found if day >= self.start and (self.until is None or day <= self.until)
        ]

    def with_count(self) -> HolidayRule:
        """This rule with its COUNT dates expanded (a no-op without COUNT)."""
        if self.count is None:
            return self
        found: list[date] = []
        year = self.start.year
        while len(found) < self.count and year <= min(_LAST_YEAR, self.horizon):
            found.extend(self.in_year(year))
            year += 1
        return attrs.evolve(self, counted=tuple(found[: self.count]))

    @property
    def horizon(self) -> int:
        """The last year a COUNT may take to be reached."""
        return self.start.year + COUNT_HORIZON_YEARS - 1

    def sampled(self) -> list[tuple[date, ...]]:
        """The dates of the first few years the rule can give dates in."""
        step = self.interval if self.freq == YEARLY else 1
        years = range(self.start.year, _LAST_YEAR + 1, step)[:_SAMPLED_YEARS]
        return [self.in_year(year) for year in years]

    # -- one year ------------------------------------------------------------------

    def _run(self, freq: int, begin: date, **parts: object) -> list[date]:
        """Dates of the single dateutil period starting at ``begin``."""
        kept = {key: value for key, value in parts.items() if value}
        rule = rrule(
            freq,  # type: ignore[arg-type]  # one of dateutil's frequency constants
            dtstart=datetime.combine(begin, time()),
            interval=_ONE_PERIOD[freq],
            wkst=self.wkst,
            **kept,  # type: ignore[arg-type]  # dateutil's keyword parts
        )
        return [moment.date() for moment in rule]

    def _common(self) -> dict[str, object]:
        return {
            "bymonth": self.part("BYMONTH"),
            "bymonthday": self.part("BYMONTHDAY"),
            "byyearday": self.part("BYYEARDAY"),
            "byweekno": self.part("BYWEEKNO"),
            "byweekday": self.byday,
            "bysetpos": self.part("BYSETPOS"),
            "byeaster": self.part("BYEASTER"),
        }

    def _selects_days(self) -> bool:
        """Whether a day part is given (else RFC 5545 takes the day from DTSTART)."""
        return any(
            self.part(name) for name in ("BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYEASTER")
        ) or bool(self.byday)

    def _yearly(self, year: int) -> list[date]:
        if (year - self.start.year) % self.interval:
            return []
        parts = self._common()
        if not self._selects_days():
            parts["bymonth"] = parts["bymonth"] or (self.start.month,)
            parts["bymonthday"] = (self.start.day,)
        return self._run(YEARLY, max(self.start, date(year, 1, 1)), **parts)

    def _monthly(self, year: int) -> list[date]:
        first = self.start.year * 12 + self.start.month - 1
        wanted = self.part("BYMONTH")
        months = [
            month
            for month in range(1, 13)
            if (index := year * 12 + month - 1) >= first
            and (index - first) % self.interval == 0
            and (not wanted or month in wanted)
        ]
        parts = self._common()
        if not self._selects_days():
            parts["bymonthday"] = (self.start.day,)
        if self.part("BYSETPOS"):  # positions count within each month: one period each
            return [
                day
                for month in months
                for day in self._run(MONTHLY, max(self.start, date(year, month, 1)), **parts)
            ]
        if not months:
            return []
        parts["bymonth"] = tuple(months)
        return self._run(YEARLY, max(self.start, date(year, 1, 1)), **parts)

    def _thinned(self, year: int) -> list[date]:
        """DAILY and WEEKLY: the yearly rule of the same days, kept at the interval."""
        parts = self._common()
        if not self._selects_days():
            weekly = self.freq == WEEKLY
            parts["byweekday"] = (self.start.weekday(),) if weekly else _ALL_WEEKDAYS
        found = self._run(YEARLY, max(self.start, date(year, 1, 1)), **parts)
        if self.interval == 1:
            return found
        if self.freq == DAILY:
            return [day for day in found if (day - self.start).days % self.interval == 0]
        week_one = self._week_start(self.start)
        return [
            day
            for day in found
            if ((self._week_start(day) - week_one).days // 7) % self.interval == 0
        ]

    def _week_start(self, day: date) -> date:
        return day - timedelta(days=(day.weekday() - self.wkst) % 7)


@lru_cache(maxsize=512)
def parse_rule(text: str) -> HolidayRule | tuple[str, ...]:
    """The rule ``text`` describes, or every reason it cannot be a holiday rule.

    Parsed rules are immutable and shared, so the same text is read once.
    """
    if len(text) > MAX_RULE_TEXT:
        return (f"it is longer than {MAX_RULE_TEXT} characters",)
    problems: list[str] = []
    start = DEFAULT_RULE_START
    body = None
    for line in (line.strip() for line in text.upper().splitlines()):
        if line.startswith("DTSTART"):
            head, _, value = line.partition(":")
            found = _stamp(value)
            if found is None or head not in ("DTSTART", "DTSTART;VALUE=DATE"):
                problems.append(f"{line!r} is not a floating DTSTART such as DTSTART:20240101")
            else:
                start = found
        elif line and body is None:
            body = line.removeprefix("RRULE:")
        elif line:
            problems.append("give one RRULE (and a DTSTART) only")
    if body is None:
        return (*problems, "it has no RRULE such as FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25")
    rule = _rule_of(body, start, problems)
    if rule is None or problems:
        return tuple(problems)
    return _checked(rule)


def _rule_of(body: str, start: date, problems: list[str]) -> HolidayRule | None:
    fields: dict[str, str] = {}
    for item in body.split(";"):
        key, equals, value = item.partition("=")
        if not equals or not value:
            problems.append(f"{item!r} is not KEY=VALUE")
        elif key in fields:
            problems.append(f"{key} is given twice")
        else:
            fields[key] = value
    frequency = fields.pop("FREQ", "")
    if frequency in _TOO_FINE:
        problems.append(f"FREQ={frequency} is finer than a day; holiday rules repeat DAILY or less")
    elif frequency not in _FREQUENCIES:
        problems.append("FREQ must be YEARLY, MONTHLY, WEEKLY or DAILY")
    freq = _FREQUENCIES.get(frequency, YEARLY)
    settings: dict[str, object] = {"freq": freq, "start": start}
    parts: list[tuple[str, tuple[int, ...] | tuple[weekday, ...]]] = []
    for key, value in fields.items():
        if key in ("BYHOUR", "BYMINUTE", "BYSECOND"):
            problems.append(f"{key} is not allowed: holidays are whole days")
        elif key in _LISTS:
            allowed, frequencies = _LISTS[key]
            values = _ints(value, allowed, signed=key != "BYMONTH")
            if freq not in frequencies:
                problems.append(f"{key} cannot be used with FREQ={frequency}")
            elif values is None:
                problems.append(f"{key}={value} is not a list of numbers within ±{allowed[-1]}")
            else:
                parts.append((key, values))
        elif key == "BYDAY":
            days = _weekdays(value, numbered=freq in (YEARLY, MONTHLY))
            if days is None:
                problems.append(f"BYDAY={value} is not a list of weekdays such as MO,TU or 1MO")
            else:
                parts.append((key, days))
        elif key in _SINGLE:
            _setting(key, value, settings, problems)
        else:
            problems.append(f"{key} is not a rule part itilkit knows")
    if problems:
        return None
    return HolidayRule(parts=tuple(sorted(parts)), **settings)  # type: ignore[arg-type]


def _setting(key: str, value: str, settings: dict[str, object], problems: list[str]) -> None:
    if key in ("INTERVAL", "COUNT"):
        limit = _LAST_YEAR if key == "INTERVAL" else MAX_DATES_PER_YEAR * COUNT_HORIZON_YEARS
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= limit):
            problems.append(f"{key}={value} must be a whole number from 1 to {limit}")
        else:
            settings[key.lower()] = int(value)
    elif key == "UNTIL":
        until = _stamp(value)
        if until is None:
            problems.append(f"UNTIL={value} is not a date such as 20301231")
        settings["until"] = until
    elif value in _WEEKDAYS:
        settings["wkst"] = _WEEKDAYS.index(value)
    else:
        problems.append(f"WKST={value} is not a weekday such as MO")


def _checked(rule: HolidayRule) -> HolidayRule | tuple[str, ...]:
    """The rule with its COUNT expanded, or why its dates cannot be used."""
    try:
        busiest = max(len(dates) for dates in rule.sampled())
        if busiest <= MAX_DATES_PER_YEAR:
            rule = rule.with_count()
    except ValueError as error:  # dateutil refuses a combination of parts
        return (f"dateutil cannot expand it ({error})",)
    if busiest > MAX_DATES_PER_YEAR:
        return (
            f"it gives {busiest} dates in a year, more than {MAX_DATES_PER_YEAR}; "
            "days closed every week belong in the WeeklySchedule",
        )
    if rule.count is not None and len(rule._counted) < rule.count:
        return (
            f"COUNT={rule.count} is not reached within {COUNT_HORIZON_YEARS} years "
            "of DTSTART; give UNTIL instead",
        )
    return rule
