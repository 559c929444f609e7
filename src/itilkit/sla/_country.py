"""Holidays of a country or region, from the optional ``holidays`` package."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from itilkit.errors import InvalidCalendarError
from itilkit.sla._holidays import Holidays

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
    package = _package()
    try:
        found = package.country_holidays(country, subdiv=subdivision, years=sorted(set(years)))
    except NotImplementedError as error:
        raise InvalidCalendarError([f"the holidays package cannot provide this: {error}"]) from None
    return Holidays(dates=found.keys())
