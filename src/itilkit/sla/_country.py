"""Holidays of a country or region, from the optional ``holidays`` package."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from itilkit.errors import InvalidCalendarError, InvalidTypeError
from itilkit.sla._holidays import Holidays
from itilkit.sla._problems import clipped
from itilkit.sla._zone import FIRST_YEAR, LAST_YEAR

#: The years a calendar supports, hence the years whose holidays may be asked for.
_YEARS = range(FIRST_YEAR + 1, LAST_YEAR)

__all__ = ["country_holidays"]


def _package() -> Any:
    try:
        import holidays
    except ImportError as error:
        raise ImportError(
            "country_holidays needs the holidays package: "
            "install the extra with pip install 'itilkit[holidays]'"
        ) from error
    return holidays


def country_holidays(
    country: str, years: Iterable[int], *, subdivision: str | None = None
) -> Holidays:
    """The public holidays of ``country`` (ISO 3166 code) in ``years``, as dates.

    ``subdivision`` selects a region (``"ENG"`` for England, ``"CA"`` for
    California). The set is finite: list every year your calendar will see.
    Needs the ``holidays`` extra (``pip install 'itilkit[holidays]'``).

    .. versionadded:: 0.1
    """
    if not isinstance(country, str):
        raise InvalidTypeError("country", "an ISO 3166 code (a string such as 'GB')", country)
    if subdivision is not None and not isinstance(subdivision, str):
        raise InvalidTypeError("subdivision", "a region code (a string) or None", subdivision)
    chosen = _years(years)
    package = _package()
    try:
        found = package.country_holidays(country, subdiv=subdivision, years=chosen)
    except NotImplementedError as error:
        raise InvalidCalendarError(
            [f"the holidays package cannot provide this: {clipped(str(error))}"]
        ) from None
    return Holidays(dates=found.keys())


def _years(value: object) -> list[int]:
    """The distinct years of ``value``, sorted, each a supported year; else a typed error."""
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        raise InvalidTypeError("years", "an iterable of years (ints)", value)
    items = list(islice(value, len(_YEARS) + 1))
    if len(items) > len(_YEARS):
        raise InvalidCalendarError([f"years lists more than the {len(_YEARS)} supported years"])
    wrong = [y for y in items if isinstance(y, bool) or not isinstance(y, int)]
    if wrong:
        raise InvalidTypeError("years", "an iterable of years (ints)", wrong[0])
    outside = sorted({y for y in items if y not in _YEARS})
    if outside:
        raise InvalidCalendarError(
            [
                f"years {clipped(outside)} are outside the supported years "
                f"{_YEARS.start} to {_YEARS.stop - 1}"
            ]
        )
    return sorted(set(items))
