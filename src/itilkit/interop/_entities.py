"""Imported tickets as practice entities: each record replayed through a practice's lifecycle.

A reader gives records (:class:`ServiceNowIncident`, :class:`HpsmIncident`);
the builders here turn each into an :class:`~itilkit.practices.Incident`
bound to a practice the caller chooses, by logging it when the export says it
was opened and firing, update by update, the transition of the practice's
lifecycle that reaches the state the export shows (through a mapping the
caller can change), with the assignments and priorities of the export. The
entity checks itself as it goes, so what comes out is as valid as any ticket
made by hand; a record the practice refuses (a move its lifecycle lacks, a
guard that says no, a value off its matrix) is reported with the line of the
row that could not be replayed and the reason, and the import carries on,
or, in strict mode, stops there.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs

from itilkit._repr import shown
from itilkit._validators import non_negative, of_type, tuple_of
from itilkit.errors import InvalidInputError, InvalidTypeError, ItilkitError, MalformedRowError
from itilkit.interop._hpsm import HpsmIncident, check_hpsm_incident, read_hpsm_incidents
from itilkit.interop._servicenow import (
    ServiceNowIncident,
    ServiceNowUpdate,
    check_servicenow_incident,
    read_servicenow_incidents,
)
from itilkit.interop._source import ProblemKind, Reading, ReadProgress, ReadReport, RowProblem
from itilkit.interop._traces import SERVICENOW_STATES
from itilkit.lifecycle import Transition
from itilkit.practices import (
    INCIDENT,
    Assignment,
    Cancellation,
    CancelReason,
    HoldReason,
    Incident,
    LookupMatrix,
    Note,
    Practice,
    PriorityMatrix,
    Resolution,
    ResolutionCode,
    Scale,
    TicketKind,
)

__all__ = [
    "HPSM_INCIDENT",
    "ImportReport",
    "Imported",
    "SERVICENOW_HOLD_REASONS",
    "SERVICENOW_INCIDENT",
    "ServiceNowMapping",
    "TicketRefusedError",
    "hpsm_incident_entity",
    "import_hpsm_incidents",
    "import_servicenow_incidents",
    "servicenow_incident_entity",
]

E = TypeVar("E")
R = TypeVar("R")

#: The hold reason of each ServiceNow state the default mapping puts on hold.
SERVICENOW_HOLD_REASONS: Mapping[str, HoldReason] = MappingProxyType(
    {
        "On Hold": HoldReason.OTHER,
        "Awaiting User Info": HoldReason.AWAITING_CALLER,
        "Awaiting Evidence": HoldReason.AWAITING_CALLER,
        "Awaiting Problem": HoldReason.AWAITING_PROBLEM,
        "Awaiting Vendor": HoldReason.AWAITING_VENDOR,
    }
)


class TicketRefusedError(InvalidInputError):
    """A record cannot be made into a valid entity of the practice (``row`` is the line of
    the row that could not be replayed).

    .. versionadded:: 0.2
    """

    def __init__(self, ticket: str, row: int, reason: str) -> None:
        self.ticket = ticket
        self.row = row
        self.reason = reason
        quoted = [v if isinstance(v, str | int) else shown(v) for v in (ticket, row, reason)]
        super().__init__(f"{quoted[0]} (line {quoted[1]}): {quoted[2]}")


def _states(value: object) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
    ):
        raise InvalidInputError(
            f"states must map ServiceNow states to state names, got {shown(value)}"
        )
    return MappingProxyType(dict(value))


def _hold_reasons(value: object) -> Mapping[str, HoldReason]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidInputError(
            f"hold_reasons must map ServiceNow states to hold reasons, got {shown(value)}"
        )
    return MappingProxyType({state: _member(HoldReason, r) for state, r in value.items()})


def _text(value: object) -> str:
    if type(value) is not str or not value.strip():
        raise InvalidInputError(f"expected a non-empty string, got {shown(value)}")
    return value


M = TypeVar("M", bound=StrEnum)


def _member(cls: type[M], value: object) -> M:
    """``value`` as a member of ``cls`` (a member or its value), else a typed error."""
    if isinstance(value, cls):
        return value
    for member in cls:
        if type(value) is str and member.value == value:
            return member
    allowed = ", ".join(member.value for member in cls)
    raise InvalidInputError(f"{shown(value)} is not a {cls.__name__}; allowed: {allowed}")


def _resolution_code(value: object) -> ResolutionCode:
    return _member(ResolutionCode, value)


def _cancel_reason(value: object) -> CancelReason:
    return _member(CancelReason, value)


@attrs.frozen(kw_only=True)
class ServiceNowMapping:
    """How ServiceNow's incidents become entities: the caller's to change.

    Attributes:
        states: ServiceNow state -> lifecycle state of the practice (by
            default :data:`~itilkit.interop.SERVICENOW_STATES`: Active and In
            Progress to ``in_progress``, the Awaiting states and On Hold to
            ``on_hold``...).
        hold_reasons: the hold reason of each state mapped onto a state that
            requires one (Awaiting User Info: ``awaiting_caller``...); a state
            not listed holds for ``other``.
        resolution_code: the code of every resolution (the UCI log's close
            codes are anonymised; each resolution's notes keep the export's).
        cancel_reason: the reason of a cancellation.
        unknown: the name written where the export names nobody (caller,
            opener or updater missing).

    >>> mine = ServiceNowMapping(states={**SERVICENOW_STATES, "Awaiting Vendor": "with_vendor"})

    .. versionadded:: 0.2
    """

    states: Mapping[str, str] = attrs.field(default=SERVICENOW_STATES, converter=_states)
    hold_reasons: Mapping[str, HoldReason] = attrs.field(
        default=SERVICENOW_HOLD_REASONS, converter=_hold_reasons
    )
    resolution_code: ResolutionCode = attrs.field(
        default=ResolutionCode.OTHER, converter=_resolution_code
    )
    cancel_reason: CancelReason = attrs.field(default=CancelReason.OTHER, converter=_cancel_reason)
    unknown: str = attrs.field(default="unknown", converter=_text)

    def __attrs_post_init__(self) -> None:
        if self.cancel_reason is CancelReason.DUPLICATE:
            raise InvalidInputError("cancel_reason 'duplicate' needs the original; choose another")


_DEFAULT_MAPPING = ServiceNowMapping()


# -- the replay --------------------------------------------------------------------------


class _RefusedError(Exception):
    """Internal: the step at ``row`` failed for ``reason``."""

    def __init__(self, row: int, reason: str) -> None:
        self.row = row
        self.reason = reason


def _reason(error: ItilkitError) -> str:
    return " ".join(str(error).split()) or type(error).__name__


#: Field edits waiting for the state move of their update: (command, edit).
_Edits = list[tuple[str, Callable[[Incident], Incident]]]


class _Lookups:
    """What a replay asks of one practice, worked out once per practice and reused by
    every ticket: whether a command fires from a state, and the move from a state to a
    target (the transition, the command that fires it, the fields its target requires)."""

    def __init__(self, practice: Practice) -> None:
        self.practice = practice
        self.roles = {transition: role for role, transition in practice.commands.items()}
        self._fires: dict[tuple[str, str], bool] = {}
        self._moves: dict[tuple[str, str], tuple[Transition, str | None, tuple[str, ...]]] = {}

    def fires(self, state: str, role: str) -> bool:
        """The practice's ``role`` command fires from ``state``."""
        key = (state, role)
        found = self._fires.get(key)
        if found is None:
            practice = self.practice
            transition = practice.commands.get(role)
            found = self._fires[key] = (
                transition is not None and practice.plan(state, transition) is not None
            )
        return found

    def move(
        self, state: str, target: str, source: Callable[[], str]
    ) -> tuple[Transition, str | None, tuple[str, ...]]:
        """The transition from ``state`` to ``target``, its command (or None) and the fields
        its target requires; a typed error (``source()`` telling the export's move) when the
        lifecycle has none."""
        found = self._moves.get((state, target))
        if found is not None:
            return found
        definition = self.practice.definition
        moves = [
            t
            for t in definition.transitions_from(state)
            if t.target == target and t.target != state
        ]
        if not moves:
            if definition.state(target) is None:
                raise InvalidInputError(
                    f"state {target!r} is not a state of lifecycle {definition.name!r}; "
                    f"states are: {', '.join(definition.state_names)}"
                )
            raise InvalidInputError(
                f"lifecycle {definition.name!r} has no transition from {state!r} to "
                f"{target!r}{source()}"
            )
        roles = self.roles
        chosen, role = next(
            ((m, roles[m.name]) for m in moves if m.name in roles), (moves[0], None)
        )
        reached = definition.state(target)
        assert reached is not None
        found = self._moves[(state, target)] = (
            chosen,
            role,
            tuple(sorted(reached.required_fields)),
        )
        return found


#: The lookups of the practices imported with lately (bounded; each keeps its practice, so
#: an id is never reused while its entry lives).
_LOOKUPS: dict[int, _Lookups] = {}


def _lookups(practice: Practice) -> _Lookups:
    found = _LOOKUPS.get(id(practice))
    if found is None or found.practice is not practice:
        if len(_LOOKUPS) >= 64:
            _LOOKUPS.clear()
        found = _LOOKUPS[id(practice)] = _Lookups(practice)
    return found


class _Replay:
    """One ticket being rebuilt: fire the moves the export shows, note what it cannot keep."""

    def __init__(self, ticket: Incident, notes: Counter[str]) -> None:
        self.ticket = ticket
        self.lookups = _lookups(ticket.practice)
        self.notes = notes

    def can(self, role: str) -> bool:
        """The practice's ``role`` command fires from the current state."""
        return self.lookups.fires(self.ticket.state, role)

    def edit(self, role: str, run: Callable[[Incident], Incident], after: _Edits) -> None:
        """Run a field edit now if the state allows it, else keep it for after the move."""
        if self.can(role):
            self.ticket = run(self.ticket)
        else:
            after.append((role, run))

    def finish_edits(self, after: _Edits) -> None:
        """Run the edits kept for after the move, where the new state allows them."""
        for role, run in after:
            if self.can(role):
                self.ticket = run(self.ticket)
            else:
                self.notes[f"{role} outside an open state, not kept"] += 1  # none allows it

    def move(
        self,
        target: str,
        at: datetime,
        actor: str,
        fields: Callable[[str], dict[str, Any]],
        source: Callable[[], str],
    ) -> None:
        """Fire the transition from the current state to ``target``; ``fields(name)`` gives
        the values the target requires; ``source()`` tells the export's move, for errors."""
        ticket = self.ticket
        chosen, role, required = self.lookups.move(ticket.state, target, source)
        changes: dict[str, Any] = {}
        for name in required:
            if getattr(ticket, name, None) is None:
                changes.update(fields(name))
        moved = None if role is None else _command(ticket, role, at, actor, changes)
        if moved is None:
            moved = ticket.fire(chosen.name, at=at, actor=actor, changes=changes or None)
        self.ticket = moved


def _command(
    ticket: Incident, role: str, at: datetime, actor: str, changes: dict[str, Any]
) -> Incident | None:
    """The move made by the incident's own command ``role`` with ``changes`` as its
    arguments, or None when the command takes other values (then the generic ``fire``
    makes it). A command keeps the entity's rules by construction, so it skips the full
    check ``fire`` runs after each move."""
    given = set(changes)
    if role in ("start_work", "resume", "close", "reopen") and not given:
        command: Callable[..., Incident] = getattr(ticket, role)
        return command(at=at, actor=actor)
    if role == "hold" and "hold_reason" in given and given <= {"hold_reason", "notes"}:
        notes = changes.get("notes", ticket.notes)
        note = notes[-1].text if len(notes) > len(ticket.notes) else None
        return ticket.hold(changes["hold_reason"], at=at, actor=actor, note=note)
    if role == "resolve" and given == {"resolution"}:
        resolution = changes["resolution"]
        return ticket.resolve(resolution.code, resolution.notes, at=at, actor=resolution.actor)
    if role == "cancel" and given == {"cancellation"}:
        canceled = changes["cancellation"]
        return ticket.cancel(canceled.reason, at=at, actor=canceled.actor, notes=canceled.notes)
    return None


def _title(*parts: str | None) -> str | None:
    shown = [part for part in parts if part]
    return " / ".join(shown) if shown else None


#: ServiceNow's incidents: the incident preset (its lifecycle, matrix and SLA) counting
#: reassignments as ServiceNow's ``reassignment_count`` does, by a change of group.
SERVICENOW_INCIDENT = attrs.evolve(
    INCIDENT,
    name="servicenow-incident",
    reassignment="group",
    description="ServiceNow incidents (reassignments counted by group, as the export counts)",
)


def servicenow_incident_entity(
    incident: ServiceNowIncident,
    practice: Practice = SERVICENOW_INCIDENT,
    mapping: ServiceNowMapping | None = None,
    *,
    notes: Counter[str] | None = None,
) -> Incident:
    """The :class:`~itilkit.practices.Incident` a ServiceNow incident's updates replay to.

    It is logged at ``opened_at`` (the first update's time when that is
    earlier or missing) by ``opened_by`` with the first update's impact and
    urgency, then each update in order: a new assignment (group and person)
    fires the practice's ``assign``, a new impact or urgency ``reprioritise``,
    a priority the matrix does not give an ``override_priority`` ("as
    exported"), and a new state (mapped through ``mapping.states``) the
    practice's transition to it, with the fields its target requires: the
    hold reason (``mapping.hold_reasons``; holding for the caller adds a public
    note naming the ServiceNow state, as the default incident lifecycle's
    guard asks), the resolution (by ``resolved_by``, notes naming the close
    code) or the cancellation. A field edit the current state does not allow
    waits for the move; one that no state reached allows (an assignment after
    resolution) is counted in ``notes``, as is a change of hold reason while
    on hold. The entity checks every rule as it goes.

    Raises:
        TicketRefusedError: the practice refuses the history (a move its
            lifecycle lacks, a guard, a state mapped to no state of it, an
            impact off its matrix...), naming the row and the reason.
        InvalidInputError: the arguments are not acceptable.

    .. versionadded:: 0.2
    """
    if not isinstance(incident, ServiceNowIncident):
        raise InvalidInputError(
            f"incident must be a ServiceNowIncident, got {type(incident).__name__}"
        )
    check_servicenow_incident(incident)
    _incident_practice(practice)
    return _servicenow_entity(incident, practice, _mapping(mapping), _notes(notes))


def _servicenow_entity(
    incident: ServiceNowIncident,
    practice: Practice,
    mapping: ServiceNowMapping,
    notes: Counter[str],
) -> Incident:
    """:func:`servicenow_incident_entity` of arguments already checked (the importer's: its
    reader's records have the reader's types by construction)."""
    try:
        return _servicenow(incident, practice, mapping, notes)
    except _RefusedError as refused:
        raise TicketRefusedError(incident.number, refused.row, refused.reason) from None


def _notes(notes: Counter[str] | None) -> Counter[str]:
    """The counter to count notes in: a new one for None, else the caller's own."""
    if notes is None:
        return Counter[str]()
    if not isinstance(notes, Counter):
        raise InvalidTypeError("notes", "a collections.Counter or None", notes)
    return notes


def practice_check(kind: TicketKind, wanted: str) -> Callable[[object], None]:
    """A check that an argument is a practice of ``kind``; its error says ``wanted``."""

    def check(practice: object) -> None:
        if not isinstance(practice, Practice) or practice.kind is not kind:
            raise InvalidInputError(f"practice must be {wanted}, got {shown(practice)}")

    return check


_M = TypeVar("_M")


def mapping_choice(cls: type[_M], default: _M, wanted: str) -> Callable[[_M | None], _M]:
    """The mapping an importer uses: ``default`` for None, else a ``cls`` or an error."""

    def chosen(mapping: _M | None) -> _M:
        if mapping is None:
            return default
        if not isinstance(mapping, cls):
            raise InvalidInputError(f"mapping must be {wanted}, got {shown(mapping)}")
        return mapping

    return chosen


_incident_practice = practice_check(
    TicketKind.INCIDENT, "an incident practice (itilkit.practices.INCIDENT or one derived from it)"
)
_mapping = mapping_choice(ServiceNowMapping, _DEFAULT_MAPPING, "a ServiceNowMapping")


def _assignment(update: ServiceNowUpdate) -> Assignment | None:
    if update.assignment_group is None and update.assigned_to is None:
        return None
    return _assigned(update.assignment_group, update.assigned_to)


@functools.lru_cache(maxsize=4096)
def _assigned(group: str | None, person: str | None) -> Assignment:
    """One (immutable) Assignment per group and person seen, shared by the tickets."""
    return Assignment(group, person)


def _servicenow(
    incident: ServiceNowIncident,
    practice: Practice,
    mapping: ServiceNowMapping,
    notes: Counter[str],
) -> Incident:
    updates = incident.updates
    first = updates[0]
    unknown = mapping.unknown
    opened = incident.opened_at
    if opened is None or opened > first.at:
        opened = first.at
    if first.impact is None or first.urgency is None:
        missing = "impact" if first.impact is None else "urgency"
        raise _RefusedError(first.row, f"{missing} is missing, and an incident needs one")
    try:
        ticket = Incident.log(
            practice,
            id=incident.number,
            title=_title(incident.category, incident.subcategory, incident.symptom)
            or incident.number,
            caller=incident.caller or unknown,
            impact=first.impact.code,
            urgency=first.urgency.code,
            at=opened,
            actor=incident.opened_by or unknown,
        )
    except ItilkitError as error:
        raise _RefusedError(first.row, _reason(error)) from None
    replay = _Replay(ticket, notes)
    previous: str | None = None
    for update in updates:
        try:
            _servicenow_step(replay, incident, update, previous, mapping)
        except ItilkitError as error:
            raise _RefusedError(update.row, _reason(error)) from None
        previous = update.state
    return replay.ticket


def _servicenow_step(
    replay: _Replay,
    incident: ServiceNowIncident,
    update: ServiceNowUpdate,
    previous: str | None,
    mapping: ServiceNowMapping,
) -> None:
    at, actor = update.at, update.by or mapping.unknown
    states = mapping.states
    target = states.get(update.state)
    if target is None:
        raise InvalidInputError(
            f"ServiceNow state {update.state!r} is not mapped onto a state; mapped: "
            f"{', '.join(sorted(states))}"
        )
    after: _Edits = []
    ticket = replay.ticket
    assignment = _assignment(update)
    if (
        assignment is not None
        and assignment is not ticket.assignment  # shared: identical mostly
        and assignment != ticket.assignment
    ):
        replay.edit("assign", lambda t: t.assign(assignment, at=at, actor=actor), after)
    impact = None if update.impact is None else update.impact.code
    urgency = None if update.urgency is None else update.urgency.code
    priority = ticket.priority.level
    if (impact is not None and impact != ticket.impact.level) or (
        urgency is not None and urgency != ticket.urgency.level
    ):
        replay.edit(
            "reprioritise",
            lambda t: t.reprioritise(at=at, actor=actor, impact=impact, urgency=urgency),
            after,
        )
        priority = ticket.matrix.priority(
            ticket.impact.level if impact is None else impact,
            ticket.urgency.level if urgency is None else urgency,
        ).level
    exported = None if update.priority is None else update.priority.code
    if exported is not None and exported != priority:
        replay.edit(
            "reprioritise",
            lambda t: t.override_priority(exported, at=at, actor=actor, reason="as exported"),
            after,
        )
    if target != replay.ticket.state:

        def fields(name: str) -> dict[str, Any]:
            return _servicenow_fields(name, replay.ticket, incident, update, mapping)

        def source() -> str:
            shown = "opened" if previous is None else repr(previous)
            return f" (ServiceNow {shown} -> {update.state!r})"

        replay.move(target, at, actor, fields, source)
    elif (
        replay.ticket.hold_reason is not None
        and mapping.hold_reasons.get(update.state, HoldReason.OTHER) != replay.ticket.hold_reason
    ):
        replay.notes["hold reason changes while on hold, first reason kept"] += 1
    replay.finish_edits(after)


def _servicenow_fields(
    name: str,
    ticket: Incident,
    incident: ServiceNowIncident,
    update: ServiceNowUpdate,
    mapping: ServiceNowMapping,
) -> dict[str, Any]:
    at, actor = update.at, update.by or mapping.unknown
    if name == "hold_reason":
        reason = mapping.hold_reasons.get(update.state, HoldReason.OTHER)
        values: dict[str, Any] = {"hold_reason": reason}
        if reason is HoldReason.AWAITING_CALLER:
            note = Note(at, actor, f"ServiceNow state {update.state!r}", public=True)
            values["notes"] = (*ticket.notes, note)
        return values
    if name == "resolution":
        code = incident.close_code
        text = f"ServiceNow close code {code!r}" if code else "resolved in ServiceNow"
        by = incident.resolved_by or actor
        return {"resolution": Resolution(at, by, mapping.resolution_code, text)}
    if name == "cancellation":
        why = f"ServiceNow state {update.state!r}"
        return {"cancellation": Cancellation(at, actor, mapping.cancel_reason, notes=why)}
    return {}


# -- HP Service Manager -----------------------------------------------------------------


def _hpsm_matrix() -> PriorityMatrix:
    labels = ("critical", "high", "average", "low", "very low")
    impact, urgency = Scale("impact", labels), Scale("urgency", labels)
    return PriorityMatrix(
        LookupMatrix.from_rule(
            "priority-5x5-hpsm",
            impact,
            urgency,
            Scale("priority", labels),
            lambda i, u: (i + u) // 2,
        )
    )


#: HP Service Manager's incidents: the incident preset with the 5x5 matrix of BPI 2014's
#: export (1 = highest, priority = (impact + urgency) // 2, as every row of it agrees).
HPSM_INCIDENT = INCIDENT.derive(
    name="hpsm-incident",
    matrix=_hpsm_matrix(),
    description="HP Service Manager incidents (BPI Challenge 2014's 5x5 priority matrix)",
)


def hpsm_incident_entity(
    incident: HpsmIncident,
    practice: Practice = HPSM_INCIDENT,
    *,
    unknown: str = "unknown",
    notes: Counter[str] | None = None,
) -> Incident:
    """The :class:`~itilkit.practices.Incident` an HP SM incident's times replay to.

    The export keeps times, not a state history: the incident is logged at
    its open time with its impact and urgency (the export's priority as an
    override where the matrix gives another), resolved at its resolve time
    (notes naming the closure code) and closed at its close time. The export
    names no people (``unknown`` stands for them) and keeps one reopen time
    but not the resolution before it: a reopened incident is resolved and
    reopened at its reopen time (counted in ``notes``) before its resolution.

    Raises:
        TicketRefusedError: the practice refuses the record (closed without
            a resolve time, levels off its matrix...), naming its row.

    .. versionadded:: 0.2
    """
    if not isinstance(incident, HpsmIncident):
        raise InvalidInputError(f"incident must be an HpsmIncident, got {type(incident).__name__}")
    check_hpsm_incident(incident)
    _incident_practice(practice)
    return _hpsm_entity(incident, practice, _text(unknown), _notes(notes))


def _hpsm_entity(
    incident: HpsmIncident, practice: Practice, who: str, notes: Counter[str]
) -> Incident:
    """:func:`hpsm_incident_entity` of arguments already checked (the importer's)."""
    try:
        return _hpsm(incident, practice, who, notes)
    except ItilkitError as error:
        raise TicketRefusedError(incident.id, incident.row, _reason(error)) from None


def _hpsm(incident: HpsmIncident, practice: Practice, who: str, notes: Counter[str]) -> Incident:
    if incident.impact is None or incident.urgency is None:
        missing = "impact" if incident.impact is None else "urgency"
        raise InvalidInputError(f"{missing} is missing, and an incident needs one")
    opened = incident.opened_at
    affected = None if incident.affected is None else incident.affected.name
    ticket = Incident.log(
        practice,
        id=incident.id,
        title=_title(incident.category, affected) or incident.id,
        caller=who,
        impact=incident.impact,
        urgency=incident.urgency,
        at=opened,
        actor=who,
    )
    if incident.priority is not None and incident.priority != ticket.priority.level:
        ticket = ticket.override_priority(
            incident.priority, at=opened, actor=who, reason="as exported"
        )
    code = incident.closure_code
    text = f"HP SM closure code {code!r}" if code else "resolved in HP SM"
    if incident.reopened_at is not None:
        reopened = incident.reopened_at
        ticket = ticket.resolve(
            ResolutionCode.OTHER,
            "resolved before the reopen (time not exported)",
            at=reopened,
            actor=who,
        ).reopen(at=reopened, actor=who)
        notes["resolutions before a reopen placed at the reopen time"] += 1
    if incident.resolved_at is not None:
        ticket = ticket.resolve(ResolutionCode.OTHER, text, at=incident.resolved_at, actor=who)
    if incident.closed_at is not None:
        if incident.resolved_at is None:
            raise InvalidInputError("closed with no resolve time: a closed incident was resolved")
        ticket = ticket.close(at=incident.closed_at, actor=who)
    return ticket


# -- imports -----------------------------------------------------------------------------


@attrs.frozen
class ImportReport:
    """What an import read and built: the reader's report, the entities made, and every
    record the practice refused (its row, ticket and reason), with the notes of what
    the entities could not keep.

    .. versionadded:: 0.2
    """

    read: ReadReport = attrs.field(validator=of_type(ReadReport))
    entities: int = attrs.field(validator=non_negative())
    refused: tuple[RowProblem, ...] = attrs.field(validator=tuple_of(RowProblem))
    notes: Mapping[str, int] = attrs.field(hash=False)

    @notes.validator
    def _check_notes(self, _attribute: object, value: object) -> None:
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and type(n) is int for k, n in value.items()
        ):
            raise InvalidTypeError("notes", "a mapping of notes to counts", value)

    @property
    def complete(self) -> bool:
        """The import read its file to the end."""
        return self.read.complete

    def refused_by_reason(self, examples: int = 3) -> list[dict[str, Any]]:
        """The refused records grouped by reason, most frequent first: each reason with
        its count and its first ``examples`` (row and ticket)."""
        if type(examples) is not int or examples < 0:
            raise InvalidInputError(f"examples must be an int >= 0, got {shown(examples)}")
        groups: dict[str, list[dict[str, Any]]] = {}
        for problem in self.refused:
            found = groups.setdefault(problem.reason, [])
            found.append({"row": problem.row, "ticket": problem.ticket})
        ranked = sorted(groups.items(), key=lambda item: -len(item[1]))
        return [
            {"reason": reason, "count": len(found), "examples": found[:examples]}
            for reason, found in ranked
        ]

    def to_dict(self, *, problems: bool = True) -> dict[str, Any]:
        """Plain values; each refused record listed unless ``problems=False``."""
        data: dict[str, Any] = {
            "read": self.read.to_dict(problems=problems),
            "entities": self.entities,
            "refused": len(self.refused),
            "notes": dict(self.notes),
        }
        if problems:
            data["refusals"] = [p.to_dict() for p in self.refused]
        return data


class Imported(Generic[E]):
    """An export being imported: iterate for its entities, then read :attr:`report`.

    Each iteration reads the file afresh, streaming, and builds each record's
    entity as it comes; a record the practice refuses is reported
    (:attr:`ImportReport.refused`) and left out, or, in strict mode, stops
    the import with :class:`~itilkit.errors.MalformedRowError`.

    .. versionadded:: 0.2
    """

    def __init__(
        self,
        reading: Reading[R],
        build: Callable[[R, Counter[str]], E],
        *,
        strict: bool,
    ) -> None:
        if not isinstance(reading, Reading):
            raise InvalidTypeError("reading", "a Reading (what a read_* function returns)", reading)
        if not callable(build):
            raise InvalidTypeError("build", "a callable making an entity of a record", build)
        self.reading = reading
        self._build = build
        self._strict = bool(strict)
        self._refused: list[RowProblem] = []
        self._notes = Counter[str]()
        self._entities = 0

    def __repr__(self) -> str:
        return f"Imported({str(self.reading.path)!r}, {self.reading.kind!r})"

    def __iter__(self) -> Iterator[E]:
        refused: list[RowProblem] = []
        notes = Counter[str]()
        self._refused, self._notes, self._entities = refused, notes, 0
        build, strict = self._build, self._strict
        for record in self.reading:
            try:
                entity = build(record, notes)
            except TicketRefusedError as error:
                refused.append(
                    RowProblem(error.row, error.ticket, ProblemKind.REFUSED, error.reason)
                )
                if strict:
                    raise MalformedRowError(
                        str(self.reading.path), error.row, error.ticket, error.reason
                    ) from None
                continue
            self._entities += 1
            yield entity

    @property
    def report(self) -> ImportReport:
        """What the latest iteration read and built (as far as it has come)."""
        return ImportReport(
            self.reading.report, self._entities, tuple(self._refused), dict(self._notes)
        )


def import_servicenow_incidents(
    path: str | os.PathLike[str],
    *,
    tz: str | tzinfo,
    practice: Practice = SERVICENOW_INCIDENT,
    mapping: ServiceNowMapping | None = None,
    strict: bool = False,
    contiguous: bool = True,
    encoding: str = "utf-8-sig",
    progress: Callable[[ReadProgress], None] | None = None,
) -> Imported[Incident]:
    """Import a ServiceNow incident event log as :class:`~itilkit.practices.Incident`
    entities of ``practice`` (see :func:`servicenow_incident_entity`).

    The log is read by :func:`read_servicenow_incidents` (``tz``,
    ``contiguous``, ``encoding``, ``progress`` as there); its states are
    accepted when ``mapping`` maps them. ``strict`` stops at the first
    malformed row or refused incident.

    .. versionadded:: 0.2
    """
    _incident_practice(practice)
    chosen = _mapping(mapping)
    reading = read_servicenow_incidents(
        path,
        tz=tz,
        states=chosen.states.keys(),
        contiguous=contiguous,
        strict=strict,
        encoding=encoding,
        progress=progress,
    )

    def build(incident: ServiceNowIncident, notes: Counter[str]) -> Incident:
        return _servicenow_entity(incident, practice, chosen, notes)

    return Imported(reading, build, strict=strict)


def import_hpsm_incidents(
    path: str | os.PathLike[str],
    *,
    tz: str | tzinfo,
    practice: Practice = HPSM_INCIDENT,
    unknown: str = "unknown",
    strict: bool = False,
    encoding: str = "utf-8-sig",
    progress: Callable[[ReadProgress], None] | None = None,
) -> Imported[Incident]:
    """Import an HP SM incident export as :class:`~itilkit.practices.Incident` entities of
    ``practice`` (see :func:`hpsm_incident_entity`); read by :func:`read_hpsm_incidents`.

    .. versionadded:: 0.2
    """
    _incident_practice(practice)
    who = _text(unknown)
    reading = read_hpsm_incidents(path, tz=tz, strict=strict, encoding=encoding, progress=progress)

    def build(incident: HpsmIncident, notes: Counter[str]) -> Incident:
        return _hpsm_entity(incident, practice, who, notes)

    return Imported(reading, build, strict=strict)
