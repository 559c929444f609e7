"""Business-time calendars and SLA clocks, independent of any ticket model.

A :class:`BusinessCalendar` combines a zone, a :class:`WeeklySchedule` of
:class:`Shift` values, :class:`Holidays` and :class:`DateOverride` values, and
does exact business-time arithmetic on aware datetimes.
"""

from __future__ import annotations

from itilkit.sla._calendar import BusinessCalendar
from itilkit.sla._country import country_holidays
from itilkit.sla._holidays import DateOverride, Holidays
from itilkit.sla._schedule import Shift, WeeklySchedule

__all__ = [
    "BusinessCalendar",
    "DateOverride",
    "Holidays",
    "Shift",
    "WeeklySchedule",
    "country_holidays",
]
