"""What conformance reads: one trace per ticket, its ordered state observations.

A trace is deliberately small and generic, so an importer, a host's own rows
or practice entities can all produce one: the ticket's id, the states it was
seen in (in order, each with when it was seen) and the attributes the
breakdowns use (priority, group, ...). Nothing here knows ITIL practices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

import attrs

from itilkit._repr import shown
from itilkit._time import require_aware
from itilkit._validators import aware, of_type, optional, text
from itilkit.errors import InvalidInputError

__all__ = ["Observation", "Trace"]


class Observation(NamedTuple):
    """A ticket seen in ``state`` at ``at`` (aware).

    ``state`` is a state name of the lifecycle checked against; a name the
    lifecycle does not define is reported as an unknown state. A named tuple
    (a log holds many), checked when a :class:`Trace` is made of it.

    .. versionadded:: 0.2
    """

    state: str
    at: datetime


def _observations(values: Iterable[Observation | tuple[str, datetime]]) -> tuple[Observation, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInputError(
            "observations must be an iterable of Observation or (state, at) pairs, got "
            f"{shown(values)}"
        )
    items = tuple(v if type(v) is Observation else _observation(v) for v in values)
    for state, at in items:
        if not isinstance(state, str) or not state.strip():
            raise InvalidInputError(
                f"an observation's state must be a non-empty string, got {shown(state)}"
            )
        if not isinstance(at, datetime) or at.utcoffset() is None:
            require_aware(at, "an observation's at")
    return items


_STATE, _AT = itemgetter(0), itemgetter(1)


def _observation(value: object) -> Observation:
    if isinstance(value, tuple) and len(value) == 2:
        return Observation(*value)
    raise InvalidInputError(
        f"an observation must be an Observation or a (state, at) pair, got {shown(value)}"
    )


def _attributes(values: Mapping[str, str] | None) -> dict[str, str]:
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise InvalidInputError(f"attributes must be a mapping of str to str, got {shown(values)}")
    bad = [(k, v) for k, v in values.items() if not isinstance(k, str) or not isinstance(v, str)]
    if bad:
        raise InvalidInputError(
            f"attributes must map str to str (leave out what is unknown), got {shown(bad[0])}"
        )
    return dict(values)


@attrs.frozen
class Trace:
    """One ticket's history as conformance reads it.

    Attributes:
        id: the ticket's id (unique within one check).
        observations: the states the ticket was seen in, in order. Times need
            not increase (the order given is the order replayed); consecutive
            repeats of a state are no-op updates, counted as self-loops.
        attributes: values the breakdowns group by, such as ``priority`` and
            ``group``; absent keys group as unknown.
        opened_at: when the ticket was opened, if the source says so; else the
            first observation's time is used.
        resolved_at: when it was (last) resolved, if the source says so; else,
            when the history ends resolved or closed, the time it last entered
            a resolved or closed state.
        truncated: the source knows the history misses the ticket's first
            updates (for example ServiceNow's update counter starts above 0);
            a start outside the initial state then counts as a truncated
            prefix, not as a violation.

    .. versionadded:: 0.2
    """

    id: str = attrs.field(validator=text())
    observations: tuple[Observation, ...] = attrs.field(converter=_observations)
    attributes: Mapping[str, str] = attrs.field(default=None, converter=_attributes, hash=False)
    opened_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    resolved_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    truncated: bool = attrs.field(default=False, validator=of_type(bool))
