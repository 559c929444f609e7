"""SLA statuses of many tickets in one call, a bad ticket reported instead of raised.

:func:`bulk_sla` feeds the tickets to :func:`itilkit.sla.sla_statuses` in
batches (the engine's bulk path); a batch that raises is replayed ticket by
ticket with :func:`itilkit.sla.sla_status`, so the ticket whose history the
engine refuses is named in an :class:`SlaExclusion` and every other ticket of
the batch still gets its status. :func:`sla_compliance` counts the outcomes by
any of the tickets' attributes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs

from itilkit._repr import shown
from itilkit._validators import aware, of_type, tuple_of
from itilkit.errors import InvalidInputError, InvalidTypeError, ItilkitError
from itilkit.metrics import ByPeriod, Result, SlaCompliance, SlaStats
from itilkit.outcomes import SlaOutcome
from itilkit.reports._data import expect
from itilkit.sla import ClockPhase, HistoryEvent, SlaPolicy, SlaStatus, TargetStatus
from itilkit.sla import sla_status as _one_status
from itilkit.sla import sla_statuses as _many_statuses

__all__ = ["BulkSla", "SlaExclusion", "bulk_sla", "sla_compliance", "target_outcome"]

#: Tickets handed to the engine's bulk call at once.
BATCH = 512
_END = object()


@attrs.frozen
class SlaExclusion:
    """A ticket left out of the SLA figures: its id, the error's class and its message.

    .. versionadded:: 0.2
    """

    ticket: str = attrs.field(validator=of_type(str))
    error: str = attrs.field(validator=of_type(str))
    reason: str = attrs.field(validator=of_type(str))

    def to_dict(self) -> dict[str, str]:
        """Plain values."""
        return {"ticket": self.ticket, "error": self.error, "reason": self.reason}


@attrs.frozen
class BulkSla:
    """The SLA status of each ticket at ``now``, by ticket id in input order, and the
    tickets left out with their reasons.

    .. versionadded:: 0.2
    """

    policy: SlaPolicy = attrs.field(validator=of_type(SlaPolicy))
    now: datetime = attrs.field(validator=aware())
    statuses: Mapping[str, SlaStatus] = attrs.field(hash=False, repr=False)
    exclusions: tuple[SlaExclusion, ...] = attrs.field(validator=tuple_of(SlaExclusion))

    @statuses.validator
    def _check_statuses(self, _attribute: object, value: object) -> None:
        if not isinstance(value, Mapping) or not all(
            isinstance(ticket, str) and isinstance(status, SlaStatus)
            for ticket, status in value.items()
        ):
            raise InvalidTypeError("statuses", "a mapping of ticket ids to SlaStatus", value)

    @property
    def tickets(self) -> int:
        """Tickets given: measured and excluded."""
        return len(self.statuses) + len(self.exclusions)

    def outcomes(self) -> dict[str, dict[str, SlaOutcome | None]]:
        """Each measured ticket's outcome per target (see :func:`target_outcome`)."""
        return {
            ticket: {t.name: target_outcome(t) for t in status.targets}
            for ticket, status in self.statuses.items()
        }


def target_outcome(target: TargetStatus) -> SlaOutcome | None:
    """How one target stands on a ticket, over all its cycles.

    ``breached`` when any cycle breached; otherwise the latest cycle's:
    ``canceled``, ``met`` when it stopped, ``in_progress`` while it runs or is
    paused. ``None`` when the clock never started (no such SLA on the ticket).

    .. versionadded:: 0.2
    """
    expect(target, TargetStatus, "target")
    if not target.cycles:
        return None
    if any(cycle.breached for cycle in target.cycles):
        return SlaOutcome.BREACHED
    phase = target.cycles[-1].phase
    if phase is ClockPhase.CANCELED:
        return SlaOutcome.CANCELED
    return SlaOutcome.MET if phase is ClockPhase.STOPPED else SlaOutcome.IN_PROGRESS


def _exclusion(ticket: str, error: Exception) -> SlaExclusion:
    reason = " ".join(str(error).split())
    return SlaExclusion(ticket, type(error).__name__, reason)


def bulk_sla(
    policy: SlaPolicy,
    tickets: Mapping[str, Iterable[HistoryEvent]] | Iterable[tuple[str, Iterable[HistoryEvent]]],
    now: datetime,
) -> BulkSla:
    """The SLA status of every ticket at ``now``; a ticket the engine refuses is excluded.

    Args:
        policy: the SLA policy.
        tickets: ``{ticket id: history}``, or ``(ticket id, history)`` pairs;
            each history is what :func:`~itilkit.sla.sla_status` takes.
        now: the instant of the statuses (aware).

    Returns:
        A :class:`BulkSla`. A ticket whose history raises an
        :class:`~itilkit.errors.ItilkitError` (events out of order, a naive
        time, no target duration for its priority...) is an
        :class:`SlaExclusion` naming it; a ticket id given twice keeps its
        first history, the second is excluded.

    Raises:
        InvalidInputError: the policy, ``now`` or ``tickets`` is not acceptable
            (the problems of the call itself, not of a ticket).

    .. versionadded:: 0.2
    """
    _many_statuses(policy, [], now)  # the call's own problems raise here, once
    pairs = tickets.items() if isinstance(tickets, Mapping) else tickets
    if isinstance(pairs, str | bytes) or not isinstance(pairs, Iterable):
        raise InvalidInputError(
            f"tickets must map ticket ids to histories, got {type(tickets).__name__}"
        )
    statuses: dict[str, SlaStatus] = {}
    exclusions: list[SlaExclusion] = []
    given: set[str] = set()
    remaining = iter(pairs)
    while batch := _batch(remaining, given, exclusions):
        try:
            found = _many_statuses(policy, [history for _, history in batch], now)
        except ItilkitError:
            for ticket, history in batch:
                try:
                    statuses[ticket] = _one_status(policy, history, now)
                except ItilkitError as error:
                    exclusions.append(_exclusion(ticket, error))
            continue
        statuses.update(zip((ticket for ticket, _ in batch), found, strict=True))
    return BulkSla(policy, now, statuses, tuple(exclusions))


def _batch(
    remaining: Iterator[Any], given: set[str], exclusions: list[SlaExclusion]
) -> list[tuple[str, list[HistoryEvent]]]:
    """The next tickets, each history held as a list (so it can be replayed); a
    repeated id or a history that is no list of events is excluded here."""
    batch: list[tuple[str, list[HistoryEvent]]] = []
    while len(batch) < BATCH:
        item = next(remaining, _END)
        if item is _END:
            break
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
            raise InvalidInputError(
                f"each ticket must be a (ticket id, history) pair, got {shown(item)}"
            )
        ticket, history = item
        if ticket in given:
            problem = InvalidInputError(f"ticket {ticket} was given before; its first is kept")
        elif isinstance(history, str | bytes) or not isinstance(history, Iterable):
            problem = InvalidInputError(f"the history is not a list of events: {shown(history)}")
        else:
            given.add(ticket)
            batch.append((ticket, list(history)))
            continue
        exclusions.append(_exclusion(ticket, problem))
    return batch


def sla_compliance(
    run: BulkSla,
    attributes: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    by: Sequence[str | ByPeriod] = (),
) -> Result[SlaStats]:
    """SLA compliance of a :class:`BulkSla`, per target, overall and by ``by``.

    Each measured ticket becomes a record of its ``attributes`` (``{ticket id:
    {name: value}}``; a ``ByPeriod`` needs the datetime it names) and its
    outcome per target; :class:`~itilkit.metrics.SlaCompliance` counts them:
    ``compliance = met / (met + breached)`` per target, and per ticket whether
    every completed target was met. Excluded tickets are not in it (they are in
    ``run.exclusions``).

    .. versionadded:: 0.2
    """
    if not isinstance(run, BulkSla):
        raise InvalidInputError(f"run must be a BulkSla, got {type(run).__name__}")
    if attributes is not None and not isinstance(attributes, Mapping):
        raise InvalidInputError(
            f"attributes must map ticket ids to their attributes, got {type(attributes).__name__}"
        )
    if not isinstance(by, Sequence) or isinstance(by, str | bytes):
        raise InvalidTypeError("by", "a sequence of field names and ByPeriod", by)
    names = [target.name for target in run.policy.targets]
    fields = {name: f"sla:{name}" for name in names}
    known = attributes or {}
    records = []
    for ticket, outcomes in run.outcomes().items():
        given = known.get(ticket, {})
        if not isinstance(given, Mapping):
            raise InvalidTypeError(f"attributes[{shown(ticket)}]", "a mapping", given)
        record: dict[str, Any] = dict(given)
        record["id"] = ticket
        record.update({fields[name]: outcome for name, outcome in outcomes.items()})
        records.append(record)
    measure = SlaCompliance(targets=fields, by=tuple(by), fields={"category": None})
    return measure(records)
