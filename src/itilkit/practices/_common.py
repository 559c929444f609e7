"""Parts every ITIL entity shares: notes, assignment, and applying a transition."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import cache
from typing import Any, Protocol, TypeVar

import attrs
from attrs import AttrsInstance

from itilkit._time import require_aware
from itilkit._validators import aware, text
from itilkit.categories import StateCategory
from itilkit.errors import HistoryOrderError, InvalidInputError, UnknownStateError
from itilkit.lifecycle import Lifecycle, TransitionRecord, fire

__all__ = ["Assignment", "Note", "Ticket"]


@attrs.frozen
class Note:
    """A work note or a public comment on a ticket."""

    at: datetime = attrs.field(validator=aware())
    author: str = attrs.field(validator=text())
    text: str = attrs.field(validator=text())
    public: bool = False


@attrs.frozen
class Assignment:
    """Who works on a ticket: a group, a person, or both."""

    group: str | None = None
    assignee: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.group is None and self.assignee is None:
            raise InvalidInputError("an assignment needs a group, an assignee, or both")


class Ticket(AttrsInstance, Protocol):
    """What :func:`apply_transition` needs of an entity."""

    @property
    def state(self) -> str: ...

    @property
    def category(self) -> StateCategory: ...

    @property
    def history(self) -> tuple[TransitionRecord, ...]: ...


T = TypeVar("T", bound=Ticket)

#: Fields only a fired transition may change.
_RESERVED = frozenset({"state", "category", "history"})


def category_of(state: str, lifecycle: Lifecycle) -> StateCategory:
    """The category of ``state`` in ``lifecycle``; a typed error for an unknown state."""
    category = lifecycle.definition.category(state)
    if category is None:
        raise UnknownStateError(state, lifecycle.definition.name, lifecycle.definition.state_names)
    return category


def pause_intervals(history: tuple[TransitionRecord, ...]) -> tuple[tuple[datetime, datetime], ...]:
    """The finished spells in a paused-category state, from a history's record categories.

    A pause starts at the record entering a paused state from a non-paused one
    and ends at the record leaving paused states; a pause still running is not
    included (it has no end yet).
    """
    pauses = []
    since: datetime | None = None
    for record in history:
        entering = record.target_category is StateCategory.PAUSED
        if since is None and entering and record.source_category is not StateCategory.PAUSED:
            since = record.at
        elif since is not None and not entering:
            pauses.append((since, record.at))
            since = None
    return tuple(pauses)


class _Fields(Mapping[str, object]):
    """A read-only mapping view of an attrs entity's fields, without copying."""

    __slots__ = ("_entity", "_names")

    def __init__(self, entity: AttrsInstance) -> None:
        self._entity = entity
        self._names = _fields(type(entity))

    def __getitem__(self, key: str) -> object:
        if key not in self._names:
            raise KeyError(key)
        return getattr(self._entity, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@cache
def _fields(cls: type[AttrsInstance]) -> Mapping[str, attrs.Attribute[Any]]:
    """The attrs fields of ``cls`` by name, computed once per class."""
    return attrs.fields_dict(cls)


def evolve_changed(entity: T, updates: Mapping[str, Any]) -> T:
    """Like ``attrs.evolve``, but converting and validating only the updated fields.

    The entity is valid already (it was validated when built), so re-running
    every validator, some of which walk the whole history, on every command
    would only cost time. Cross-field invariants (``__attrs_post_init__``) run
    again on the copy.
    """
    cls = type(entity)
    fields = _fields(cls)
    if any(isinstance(fields[name].converter, attrs.Converter) for name in updates):
        return attrs.evolve(entity, **updates)  # type: ignore[misc]
    copy = object.__new__(cls)
    setattr_ = object.__setattr__
    for name in fields:
        setattr_(copy, name, getattr(entity, name))
    for name, value in updates.items():
        converter: Any = fields[name].converter  # a plain callable: Converters took evolve
        setattr_(copy, name, value if converter is None else converter(value))
    for name in updates:
        field = fields[name]
        if field.validator is not None:
            field.validator(copy, field, getattr(copy, name))
    post_init = getattr(copy, "__attrs_post_init__", None)
    if post_init is not None:
        post_init()
    return copy


def apply_transition(
    entity: T,
    lifecycle: Lifecycle,
    transition: str,
    *,
    at: datetime,
    actor: str,
    changes: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> T:
    """Fire ``transition`` on ``entity`` and return the evolved copy.

    The copy has the new state, the changed fields and the history extended by
    one record; ``entity`` itself is never changed, and nothing is returned
    when the lifecycle refuses or a changed value is invalid. The lifecycle's
    listeners hear of the record only once the evolved copy exists, so they
    never see a transition that did not happen.
    """
    changes = changes or {}
    names = _fields(type(entity))
    unknown = sorted(set(changes) - set(names))
    if unknown:
        raise InvalidInputError(f"{type(entity).__name__} has no field(s) {', '.join(unknown)}")
    reserved = sorted(set(changes) & _RESERVED)
    if reserved:
        raise InvalidInputError(
            f"{', '.join(reserved)} change only by firing transitions, not as changed fields"
        )
    outcome = fire(
        lifecycle.definition,
        entity.state,
        transition,
        at=at,
        actor=actor,
        fields=_Fields(entity),
        changes=changes,
        reason=reason,
        guards=lifecycle.guards,
    )
    evolved = evolve_changed(
        entity,
        {
            **changes,
            "state": outcome.state,
            "category": outcome.record.target_category,
            "history": (*entity.history, outcome.record),
        },
    )
    for listener in lifecycle.listeners:
        listener(outcome.record)
    return evolved


def apply_in_order(
    entity: T,
    lifecycle: Lifecycle,
    transition: str,
    *,
    opened_at: datetime,
    at: datetime,
    actor: str,
    changes: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> T:
    """:func:`apply_transition`, refusing an ``at`` earlier than the entity's last event.

    The last event is the newest history record's, or ``opened_at`` before any.

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        HistoryOrderError: ``at`` is before the last event.
    """
    require_aware(at, "at")
    last = entity.history[-1].at if entity.history else opened_at
    if at < last:
        raise HistoryOrderError(len(entity.history), last, at)
    return apply_transition(
        entity, lifecycle, transition, at=at, actor=actor, changes=changes, reason=reason
    )
