"""What the SLA engine reads: a record's state and field changes, in time order.

A host feeds a ticket's history as :class:`StateChange` and :class:`FieldUpdate`
events. :func:`snapshots` folds them into :class:`Snapshot` values, one per
instant at which something changed: events sharing an instant are applied
together (in the order given) and the SLA conditions are evaluated once on the
result, as an ITSM tool evaluates its SLA conditions once per saved update.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from types import MappingProxyType

import attrs

from itilkit._time import require_aware
from itilkit.categories import StateCategory
from itilkit.errors import HistoryOrderError, InvalidInputError, InvalidTypeError
from itilkit.sla._problems import clipped

__all__ = ["FieldUpdate", "HistoryEvent", "Snapshot", "StateChange", "snapshots"]

#: The name under which a state change appears in :attr:`Snapshot.changed`.
_STATE = "state"


def _utc_instant(value: datetime) -> datetime:
    """The instant in UTC; one that UTC cannot show (year 1 at +05:00) is refused."""
    if not isinstance(value, datetime):
        raise InvalidTypeError("history event 'at'", "an aware datetime", value)
    try:
        return require_aware(value, "history event 'at'").astimezone(UTC)
    except (OverflowError, ValueError, TypeError) as error:  # from the value's own tzinfo
        if isinstance(error, InvalidInputError):
            raise
        raise InvalidInputError(
            f"history event 'at' {clipped(value)} has no UTC equivalent ({error})"
        ) from None


def _nonempty_name(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise InvalidTypeError(attribute.name, "a non-empty string", value)
    if not value:
        raise InvalidInputError(f"{attribute.name} must be a non-empty string")


def _category(value: StateCategory | str) -> StateCategory:
    if type(value) is StateCategory:
        return value  # the usual value; anything else is read or named below
    allowed = ", ".join(c.value for c in StateCategory)
    if not isinstance(value, str):
        raise InvalidTypeError("state category", f"one of {allowed}", value)
    try:
        return StateCategory(value)
    except ValueError:
        raise InvalidInputError(
            f"unknown state category {clipped(value)}; allowed: {allowed}"
        ) from None


@attrs.frozen
class StateChange:
    """The record entered ``state`` (of semantic ``category``) at ``at``.

    ``at`` must be aware; it is stored in UTC.
    """

    at: datetime = attrs.field(converter=_utc_instant)
    state: str = attrs.field(validator=_nonempty_name)
    category: StateCategory = attrs.field(converter=_category)


@attrs.frozen
class FieldUpdate:
    """Field ``field`` took ``value`` at ``at`` (``None`` clears it).

    ``at`` must be aware; it is stored in UTC.
    """

    at: datetime = attrs.field(converter=_utc_instant)
    field: str = attrs.field(validator=_nonempty_name)
    value: object


#: One entry of a record's history.
HistoryEvent = StateChange | FieldUpdate


@attrs.frozen
class Snapshot:
    """The record as it stood at ``at``, after every event of that instant.

    ``state`` and ``category`` are ``None`` until the first state change.
    ``changed`` names the fields that changed at this instant, with
    ``"state"`` standing for the state.
    """

    at: datetime
    state: str | None
    category: StateCategory | None
    fields: Mapping[str, object]
    changed: frozenset[str]


def snapshots(history: Iterable[HistoryEvent], until: datetime | None = None) -> Iterator[Snapshot]:
    """Yield one :class:`Snapshot` per distinct instant of ``history``.

    Events later than ``until`` are checked for order but not applied, so the
    snapshots describe the record as it was known at ``until``.

    Raises:
        NaiveDatetimeError: ``until`` has no time zone.
        HistoryOrderError: an event is earlier than the one before it.
        InvalidInputError: an entry is not a ``StateChange`` or ``FieldUpdate``.
    """
    if until is not None:
        require_aware(until, "until")
    events = _checked(history)
    state: str | None = None
    category: StateCategory | None = None
    fields: dict[str, object] = {}
    index = 0
    while index < len(events):
        at = events[index].at
        if until is not None and at > until:
            return
        changed: set[str] = set()
        while index < len(events) and events[index].at == at:
            event = events[index]
            if isinstance(event, StateChange):
                if event.state != state or event.category != category:
                    changed.add(_STATE)
                state, category = event.state, event.category
            elif event.field not in fields or fields[event.field] != event.value:
                changed.add(event.field)
                fields[event.field] = event.value
            index += 1
        frozen = MappingProxyType(dict(fields))
        yield Snapshot(at, state, category, frozen, frozenset(changed))


def _checked(history: Iterable[HistoryEvent]) -> list[HistoryEvent]:
    if isinstance(history, str | bytes | bytearray) or not isinstance(history, Iterable):
        raise InvalidTypeError("history", "an iterable of events", history)
    events = list(history)
    for index, event in enumerate(events):
        if not isinstance(event, StateChange | FieldUpdate):
            raise InvalidTypeError(f"history event {index}", "a StateChange or FieldUpdate", event)
        if index and event.at < events[index - 1].at:
            raise HistoryOrderError(index, events[index - 1].at, event.at)
    return events
