"""Relative deadlines: instants computed from a start on a calendar's business days.

These are the "relative durations" of ServiceNow's SLA definitions as small
frozen values, so a policy stays plain data. Each gives, for a clock cycle's
start, a deadline instant (:meth:`Deadline.deadline`); an SLA target written
with one has as its budget the business time from the start to that deadline,
so pauses, thresholds and escalations work on it as on any other target.

==============================  =============================================
value                           ServiceNow term
==============================  =============================================
``BusinessDays(3)``             a duration of 3 days on a schedule, counted
                                in working days ("3 business days")
``EndOfBusinessDay(1)``         relative duration "End of next business day"
``EndOfBusinessDay()``          "End of the current business day"
``NextBusinessDayAt(time(16))`` relative duration "Next business day by 4pm"
``Earliest((a, b))``           a relative duration script taking the earlier
                                of two dates ("4 business hours, but by 18:00")
``Latest((a, b))``             the same script taking the later of two
==============================  =============================================
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Protocol

import attrs

from itilkit._enums import Vocabulary
from itilkit.errors import InvalidPolicyError, InvalidTypeError
from itilkit.sla._problems import clipped

__all__ = [
    "BusinessDays",
    "Deadline",
    "DeadlineCalendar",
    "Earliest",
    "EndOfBusinessDay",
    "Landing",
    "Latest",
    "NextBusinessDayAt",
]

#: More business days than any calendar's supported years hold.
MOST_DAYS = 110_000


class Landing(Vocabulary):
    """Where a count of business days lands on the day it reaches."""

    #: The local time of day of the start.
    SAME_TIME = "same_time"
    #: The start of the day's first shift.
    OPENING = "opening"
    #: The end of the day's last shift.
    CLOSE = "close"


class DeadlineCalendar(Protocol):
    """What a deadline needs from a calendar (a :class:`~itilkit.sla.BusinessCalendar`)."""

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of business time after ``start``."""
        ...

    def add_business_days(
        self, start: datetime, days: int, landing: Landing | time = Landing.SAME_TIME
    ) -> datetime:
        """The landing of the ``days``-th business day after ``start``'s date."""
        ...


class Deadline(Protocol):
    """Anything that gives a deadline for a start on a calendar."""

    def deadline(self, calendar: DeadlineCalendar, start: datetime) -> datetime:
        """The deadline for a clock started at ``start``."""
        ...


def _days(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MOST_DAYS:
        raise InvalidPolicyError(
            [
                f"{attribute.name} must be a whole number of days from 0 to {MOST_DAYS}, "
                f"got {clipped(value)}"
            ]
        )


def _local_time(_instance: object, attribute: attrs.Attribute[time], value: time) -> None:
    if not isinstance(value, time) or value.tzinfo is not None:
        raise InvalidPolicyError(
            [f"{attribute.name} must be a local time without tzinfo, got {clipped(value)}"]
        )


def _calendar(value: object) -> DeadlineCalendar:
    """``value`` if it does business-time arithmetic (see :class:`DeadlineCalendar`)."""
    if not all(callable(getattr(value, m, None)) for m in ("add", "add_business_days")):
        raise InvalidTypeError(
            "calendar", "a calendar with add() and add_business_days() (a BusinessCalendar)", value
        )
    return value  # type: ignore[return-value]  # checked structurally just above


def _landing(value: Landing | str | time) -> Landing | time:
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise InvalidPolicyError([f"landing {value} must be a local time without tzinfo"])
        return value
    try:
        return Landing(value)
    except ValueError:
        choices = ", ".join(repr(choice.value) for choice in Landing)
        raise InvalidPolicyError(
            [f"landing must be a Landing ({choices}) or a local time, got {clipped(value)}"]
        ) from None


@attrs.frozen
class BusinessDays:
    """``days`` business days after the start, landing as ``landing`` says.

    See :meth:`~itilkit.sla.BusinessCalendar.add_business_days` for the exact
    rule ("resolve within 3 business days" is ``BusinessDays(3)``).

    .. versionadded:: 0.2
    """

    days: int = attrs.field(validator=_days)
    landing: Landing | time = attrs.field(default=Landing.SAME_TIME, converter=_landing)

    def deadline(self, calendar: DeadlineCalendar, start: datetime) -> datetime:
        """The landing of the ``days``-th business day after ``start``'s date."""
        return _calendar(calendar).add_business_days(start, self.days, self.landing)


@attrs.frozen
class EndOfBusinessDay:
    """The close of the business day ``days`` after the start's (ServiceNow's
    "End of next business day" is ``EndOfBusinessDay(1)``).

    ``days=0`` is the end of the current business day: the close of the
    start's date, or of the next business day if the start is past it or on
    a day that is not a business day.

    .. versionadded:: 0.2
    """

    days: int = attrs.field(default=0, validator=_days)

    def deadline(self, calendar: DeadlineCalendar, start: datetime) -> datetime:
        """The close of that business day."""
        return _calendar(calendar).add_business_days(start, self.days, Landing.CLOSE)


@attrs.frozen
class NextBusinessDayAt:
    """Local time ``at`` on the business day ``days`` after the start's
    (ServiceNow's "Next business day by 4pm" is ``NextBusinessDayAt(time(16))``).

    ``days=0`` means "today by ``at``": the start's date if it is a business
    day and ``at`` has not passed, else the next business day.

    .. versionadded:: 0.2
    """

    at: time = attrs.field(validator=_local_time)
    days: int = attrs.field(default=1, validator=_days)

    def deadline(self, calendar: DeadlineCalendar, start: datetime) -> datetime:
        """Local ``at`` on that business day."""
        return _calendar(calendar).add_business_days(start, self.days, self.at)


def _parts(value: Iterable[DeadlinePart]) -> tuple[DeadlinePart, ...]:
    try:
        return tuple(value)
    except TypeError:
        return (value,)  # type: ignore[return-value]  # left for validation to describe


def _check_parts(
    _instance: object, attribute: attrs.Attribute[tuple[object, ...]], value: tuple[object, ...]
) -> None:
    problems = []
    if len(value) < 2:
        problems.append(f"{attribute.name} needs at least two deadlines, got {len(value)}")
    for part in value:
        if isinstance(part, timedelta):
            if part <= timedelta(0):
                problems.append(f"a business duration must be positive, got {part}")
        elif not isinstance(part, _PART_TYPES):
            problems.append(
                "each part must be a timedelta (business time) or a deadline value "
                f"(BusinessDays, EndOfBusinessDay, NextBusinessDayAt, Earliest, Latest), "
                f"got {type(part).__name__}"
            )
    if problems:
        raise InvalidPolicyError(problems)


def _part_deadline(part: DeadlinePart, calendar: DeadlineCalendar, start: datetime) -> datetime:
    if isinstance(part, timedelta):
        return calendar.add(start, part)
    return part.deadline(calendar, start)


@attrs.frozen
class Earliest:
    """The earliest of several deadlines; a ``timedelta`` part is that much business
    time after the start ("within 4 business hours but never later than 18:00":
    ``Earliest((timedelta(hours=4), NextBusinessDayAt(time(18), days=0)))``).

    .. versionadded:: 0.2
    """

    parts: tuple[DeadlinePart, ...] = attrs.field(converter=_parts, validator=_check_parts)

    def deadline(self, calendar: DeadlineCalendar, start: datetime) -> datetime:
        """The earliest of the parts' deadlines."""
        _calendar(calendar)
        return min(_part_deadline(part, calendar, start) for part in self.parts)


@attrs.frozen
class Latest:
    """The latest of several deadlines (parts as in :class:`Earliest`).

    .. versionadded:: 0.2
    """

    parts: tuple[DeadlinePart, ...] = attrs.field(converter=_parts, validator=_check_parts)

    def deadline(self, calendar: DeadlineCalendar, start: datetime) -> datetime:
        """The latest of the parts' deadlines."""
        _calendar(calendar)
        return max(_part_deadline(part, calendar, start) for part in self.parts)


_PART_TYPES = (BusinessDays, EndOfBusinessDay, NextBusinessDayAt, Earliest, Latest)
#: What :class:`Earliest` and :class:`Latest` combine: business time, or a deadline.
DeadlinePart = timedelta | BusinessDays | EndOfBusinessDay | NextBusinessDayAt | Earliest | Latest
