"""The ticket family's base: shared fields, the one firing path and the invariant check.

Every entity (incident, problem, known error, service request, change) is a
frozen :class:`Ticket` bound to its :class:`~itilkit.practices.Practice`.
A command fires one transition through :meth:`Ticket._transit`, which works
out what the move implies besides the new state (state fields cleared or
stamped, counters and milestones kept), fires the practice's lifecycle and
returns the evolved copy; listeners hear of the records only once the
command's result exists. Construction runs :func:`check_invariants`, the one
check of every cross-field rule, which the generic :meth:`Ticket.fire`
also runs on its result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Self

import attrs

from itilkit._repr import shown
from itilkit._time import require_aware
from itilkit._validators import absent, aware, non_negative, of_type, optional, text, tuple_of
from itilkit.categories import StateCategory, to_category
from itilkit.errors import (
    HistoryOrderError,
    InvalidEntityError,
    InvalidInputError,
    InvalidTypeError,
    PracticeError,
)
from itilkit.lifecycle import LifecycleDefinition, TransitionRecord, fire
from itilkit.practices._practice import Plan, Practice, TicketKind
from itilkit.practices._sla_bridge import sla_history
from itilkit.practices._values import (
    Assignment,
    Cancellation,
    CancelReason,
    Note,
    reassigns,
    to_enum,
)
from itilkit.sla import HistoryEvent, SlaStatus, sla_status

__all__ = ["Ticket", "check_invariants", "paused_spells"]

#: Fields set when the ticket is opened (or by firing itself); no change may set them.
RESERVED = frozenset({"practice", "id", "opened_at", "opened_by", "state", "category", "history"})
_STOPPED = frozenset({StateCategory.PAUSED, StateCategory.RESOLVED, StateCategory.CLOSED})
_DONE = frozenset({StateCategory.RESOLVED, StateCategory.CLOSED})
_OPEN = frozenset({StateCategory.NEW, StateCategory.ACTIVE, StateCategory.PAUSED})
_ACTIVE = StateCategory.ACTIVE
_UNSET = object()
#: Sets an attribute of a frozen instance: only the copy the firing path builds.
_set = object.__setattr__


def _not_an_instant(at: object) -> InvalidInputError:
    """The typed error for an ``at`` that cannot be compared with the ticket's instants."""
    if not isinstance(at, datetime):
        return InvalidTypeError("at", "an aware datetime", at)
    try:
        require_aware(at, "at")
    except InvalidInputError as error:
        return error
    return InvalidInputError(f"at {shown(at)} cannot be compared with the ticket's instants")


def _ref_repr(practice: object) -> str:
    return str(practice.ref) if isinstance(practice, Practice) else repr(practice)


def check_invariants(ticket: Ticket) -> None:
    """Check every cross-field rule of ``ticket``; construction and the codec run it.

    The practice is for the ticket's kind; state and category agree with its
    lifecycle; the history replays from the initial state to the state, in
    time order, and each field equals the value its last recorded change
    set; the current state's required fields are set and the practice's
    state fields it does not require are not; counters and milestones agree
    with the history; the priority agrees with the matrix or an override.

    Raises:
        InvalidEntityError: listing every broken rule.
        InvalidTypeError: ``ticket`` is not an entity (or is of a base class).
    """
    if not isinstance(ticket, Ticket):
        raise InvalidTypeError("ticket", "an entity (Incident, Problem, KnownError, ...)", ticket)
    if getattr(type(ticket), "KIND", None) is None:
        raise InvalidTypeError(
            "ticket",
            "an entity of a concrete kind (Incident, Problem, KnownError, ServiceRequest or "
            f"Change); {type(ticket).__name__} is their base",
            ticket,
        )
    problems = ticket._problems()
    if problems:
        raise InvalidEntityError(problems, ticket.label)


def paused_spells(
    history: Iterable[TransitionRecord],
) -> tuple[tuple[datetime, datetime], ...]:
    """The finished spells a resolution clock does not count, oldest first.

    This is the SLA engine's paused time for a clock that pauses in the paused
    category, stops when resolved or closed and resumes on reopen, so
    ``exclude_paused=True`` in the metrics subtracts what the SLA clock leaves
    out: time on hold, and time resolved (or closed) before a reopen. A spell
    still going on has no end and is left out, as is the time after the last
    resolution.
    """
    if isinstance(history, str | bytes | bytearray) or not isinstance(history, Iterable):
        raise InvalidTypeError("history", "a collection of TransitionRecord", history)
    spells: list[tuple[datetime, datetime]] = []
    since: datetime | None = None
    done_since: datetime | None = None
    for record in history:
        if not isinstance(record, TransitionRecord):
            raise InvalidTypeError("history", "TransitionRecord values", record)
        target = record.target_category
        if since is None:
            if target in _STOPPED and record.source_category not in _STOPPED:
                since = record.at
                done_since = record.at if target in _DONE else None
        elif target in _STOPPED:
            done_since = (done_since or record.at) if target in _DONE else None
        else:
            end = done_since if target is StateCategory.CANCELED and done_since else record.at
            spells.append((since, end))
            since = done_since = None
    if since is not None and done_since is not None and done_since > since:
        spells.append((since, done_since))
    return tuple(spells)


_FIELDS: dict[type, Mapping[str, attrs.Attribute[Any]]] = {}
#: The validators that check only what a value of the field's declared type is (its
#: type, its items' types, an aware datetime), got from the factories themselves.
_TYPE_CHECKS = (type(of_type(object)), type(tuple_of(object)), type(aware()))
_OPTIONAL = type(optional(None))


def _fields(cls: type[Any]) -> Mapping[str, attrs.Attribute[Any]]:
    """The attrs fields of ``cls`` by name, worked out once per class."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = attrs.fields_dict(cls)
    return found


def _type_check_only(validator: Any) -> bool:
    inner = validator.inner if type(validator) is _OPTIONAL else validator
    return type(inner) in _TYPE_CHECKS


@attrs.frozen
class _Build:
    """How :meth:`Ticket._from_checked` builds a ticket class: its field names, the plain
    defaults, the fields with a factory or a converter (in field order), and the validators
    that check more than a declared type says."""

    names: frozenset[str]
    defaults: Mapping[str, Any]
    steps: tuple[tuple[str, Any, bool, Any], ...]
    checks: tuple[tuple[attrs.Attribute[Any], Any], ...]

    @classmethod
    def of(cls, ticket_class: type) -> _Build:
        fields = attrs.fields(ticket_class)
        steps, checks = [], []
        for field in fields:
            default = field.default
            factory = isinstance(default, attrs.Factory)  # type: ignore[arg-type]
            if factory or field.converter is not None:
                made = default.factory if factory else None
                steps.append((field.name, made, factory and default.takes_self, field.converter))
            if field.validator is not None and (
                field.converter is not None or not _type_check_only(field.validator)
            ):
                checks.append((field, field.validator))
        plain = {
            f.name: f.default
            for f in fields
            if f.default is not attrs.NOTHING and not isinstance(f.default, attrs.Factory)  # type: ignore[arg-type]
        }
        return cls(frozenset(f.name for f in fields), plain, tuple(steps), tuple(checks))


_BUILDS: dict[type, _Build] = {}


@attrs.frozen(kw_only=True, slots=False)
class Ticket:
    """What every ITIL entity shares.

    Attributes:
        practice: the rules it was made with (named by ``practice.ref``; not
            part of equality).
        id: the ticket's id (the host chooses the scheme).
        title: one line saying what it is about.
        description: free text.
        state: the current lifecycle state; changes only by firing transitions.
        category: the semantic category of ``state``.
        opened_at: when it was opened (aware).
        opened_by: who opened it.
        assignment: the group and/or person working on it.
        assigned_at: the first assignment.
        reassignment_count: assignments after the first that changed it, as
            the practice's :class:`~itilkit.practices.ReassignmentRule` counts.
        notes: work notes and public comments, oldest first.
        cancellation: why it was canceled, or None.
        closed_at: when it was closed, while it is.
        history: one record per fired transition, oldest first; never rewritten.
    """

    #: The kind of practice the entity takes.
    KIND: ClassVar[TicketKind]
    #: Stamped with the time the ticket first enters an active state (a milestone).
    FIRST_ACTIVE: ClassVar[str | None] = None
    #: ``(current, kept)`` pairs: every value given to ``current`` is appended to ``kept``.
    KEPT: ClassVar[tuple[tuple[str, str], ...]] = ()
    #: Counts the moves from a resolved or closed state back to an open one.
    REOPEN_COUNTER: ClassVar[str | None] = None
    #: Fields the firing path keeps from the history; no change may set them.
    DERIVED: ClassVar[frozenset[str]] = frozenset(
        {"assigned_at", "reassignment_count", "closed_at"}
    )

    _BOOKKEEPING: ClassVar[tuple[str | None, tuple[tuple[str, str], ...], str | None]] = (
        None,
        (),
        None,
    )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kept = {k for _, k in cls.KEPT}
        own = {f for f in (cls.FIRST_ACTIVE, cls.REOPEN_COUNTER) if f is not None}
        cls.DERIVED = cls.DERIVED | kept | own
        cls._BOOKKEEPING = (cls.FIRST_ACTIVE, cls.KEPT, cls.REOPEN_COUNTER)

    practice: Practice = attrs.field(validator=of_type(Practice), eq=False, repr=_ref_repr)
    id: str = attrs.field(validator=text())
    title: str = attrs.field(validator=text())
    description: str = attrs.field(default="", validator=of_type(str))
    state: str = attrs.field(validator=text())
    category: StateCategory = attrs.field(converter=to_category)
    opened_at: datetime = attrs.field(validator=aware())
    opened_by: str = attrs.field(validator=text())
    assignment: Assignment | None = attrs.field(
        default=None, validator=optional(of_type(Assignment))
    )
    assigned_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    reassignment_count: int = attrs.field(default=0, validator=non_negative())
    notes: tuple[Note, ...] = attrs.field(default=(), validator=tuple_of(Note))
    cancellation: Cancellation | None = attrs.field(
        default=None, validator=optional(of_type(Cancellation))
    )
    closed_at: datetime | None = attrs.field(default=None, validator=optional(aware()))
    history: tuple[TransitionRecord, ...] = attrs.field(
        default=(), validator=tuple_of(TransitionRecord)
    )

    @state.default
    def _initial_state(self) -> str:
        definition = getattr(self.practice, "definition", None)
        return definition.initial.name if isinstance(definition, LifecycleDefinition) else ""

    @category.default
    def _state_category(self) -> StateCategory:
        definition = getattr(self.practice, "definition", None)
        found = definition.category(self.state) if definition is not None else None
        return StateCategory.NEW if found is None else found

    def __attrs_post_init__(self) -> None:
        check_invariants(self)

    @classmethod
    def _from_checked(cls, values: dict[str, Any]) -> Self:
        """``cls(**values)`` for values each exactly of its field's declared type (a
        datetime aware), as the codec's strict hooks read them; ``values`` is taken over.

        The checks such a value passes by its type (an instance of the type, a
        tuple of the item type, an aware datetime) are not made again; the others
        (names not blank, counts not negative, converters, every validator of a
        converted field) and the invariant check are, so it raises what the
        constructor raises, or ``KeyError`` for a missing or unknown field.
        """
        build = _BUILDS.get(cls)
        if build is None:
            build = _BUILDS[cls] = _Build.of(cls)
        fields = {**build.defaults, **values}
        ticket = object.__new__(cls)
        _set(ticket, "__dict__", fields)
        for name, factory, takes_self, converter in build.steps:
            if factory is not None and name not in fields:
                fields[name] = factory(ticket) if takes_self else factory()
            if converter is not None:
                fields[name] = converter(fields[name])
        if fields.keys() != build.names:
            raise KeyError(sorted(build.names ^ fields.keys()))
        for field, check in build.checks:
            check(ticket, field, fields[field.name])
        check_invariants(ticket)
        return ticket

    @classmethod
    def _opening(cls, practice: Practice, at: datetime, actor: str) -> dict[str, Any]:
        """The fields every new ticket sets: its practice, initial state and opening."""
        if not isinstance(practice, Practice) or practice.kind is not cls.KIND:
            raise InvalidInputError(
                f"{cls.__name__} needs a practice of kind {shown(cls.KIND.value)} (such as "
                f"itilkit.practices.{cls.KIND.name} or one derived from it), got {shown(practice)}"
            )
        require_aware(at, "at")
        initial = practice.definition.initial
        return {
            "practice": practice,
            "state": initial.name,
            "category": initial.category,
            "opened_at": at,
            "opened_by": actor,
        }

    # -- reading ---------------------------------------------------------

    @property
    def label(self) -> str:
        """The ticket's kind and id, as errors name it: ``incident 'INC-1'``."""
        return f"{self.KIND.value} {shown(self.id)}"

    @property
    def last_event_at(self) -> datetime:
        """When the ticket last changed state or was opened."""
        return self.history[-1].at if self.history else self.opened_at

    @property
    def pauses(self) -> tuple[tuple[datetime, datetime], ...]:
        """Finished spells its resolution clock does not count (see :func:`paused_spells`)."""
        return paused_spells(self.history)

    def sla_history(self) -> tuple[HistoryEvent, ...]:
        """The SLA engine's history of this ticket, with the practice's ``sla_fields``."""
        return sla_history(self, self.practice.sla_fields)

    def sla_status(self, now: datetime) -> SlaStatus:
        """The status of the practice's SLA targets at ``now``.

        Raises:
            PracticeError: the practice has no SLA policy.
        """
        policy = self.practice.sla
        if policy is None:
            raise PracticeError(
                f"practice {self.practice.ref} has no SLA policy; derive one with sla=..."
            )
        return sla_status(policy, self.sla_history(), now)

    # -- commands --------------------------------------------------------

    def fire(
        self,
        transition: str,
        *,
        at: datetime,
        actor: str,
        changes: Mapping[str, Any] | None = None,
        reason: str | None = None,
    ) -> Self:
        """Fire any transition of the practice's lifecycle, setting ``changes``.

        The named commands are this plus the values their transition needs;
        both go through the same path, so state fields, counters and
        milestones are kept the same way, and the result is checked with
        :func:`check_invariants`. ``at`` may not be earlier than the last event.

        Raises:
            InvalidInputError: a change to an unknown, reserved or derived
                field, a value of the wrong type, or a result that breaks a
                rule (:class:`~itilkit.errors.InvalidEntityError`).
            NaiveDatetimeError: ``at`` has no time zone.
            HistoryOrderError: ``at`` is before the last event.
            LifecycleError: the lifecycle refuses.
        """
        checked = self._checked_changes(changes)
        evolved, record = self._transit(transition, at, actor, checked, reason)
        check_invariants(evolved)
        return self._notify(evolved, record)

    def assign(
        self, assignment: Assignment, *, at: datetime, actor: str, reason: str | None = None
    ) -> Self:
        """Assign to a group and/or person; a change counts as a reassignment.

        Which changes count is the practice's ``reassignment`` rule: any change
        (the default), or a change of group as ServiceNow counts.
        """
        if not isinstance(assignment, Assignment):
            raise InvalidInputError(f"assignment must be an Assignment, got {shown(assignment)}")
        if self.assignment is not None and assignment == self.assignment:
            raise PracticeError(f"{self.label} is already assigned to {assignment}")
        return self._run("assign", at, actor, {"assignment": assignment}, reason)

    def cancel(
        self,
        reason: CancelReason | str,
        *,
        at: datetime,
        actor: str,
        duplicate_of: str | None = None,
        notes: str | None = None,
    ) -> Self:
        """Cancel with a reason; a duplicate names the original in ``duplicate_of``."""
        cancellation = Cancellation(at, actor, to_enum(CancelReason, reason), duplicate_of, notes)
        if duplicate_of == self.id:
            raise InvalidInputError(f"{self.label} cannot be a duplicate of itself")
        changes = {"cancellation": cancellation, **self._cancel_changes()}
        return self._run("cancel", at, actor, changes, cancellation.reason.value)

    def add_note(self, text: str, *, at: datetime, actor: str, public: bool = False) -> Self:
        """Add a work note (or a public comment); notes are not transitions."""
        return self._evolved({"notes": (*self.notes, Note(at, actor, text, public))})

    # -- the firing path -------------------------------------------------

    def _cancel_changes(self) -> dict[str, Any]:
        """Further values a cancel sets; subclasses extend."""
        return {}

    def _run(
        self,
        role: str,
        at: datetime,
        actor: str,
        changes: dict[str, Any],
        reason: str | None = None,
    ) -> Self:
        """Fire the transition bound to command ``role`` and notify the listeners."""
        practice = self.practice
        transition = practice.commands.get(role) or practice.command(role)
        evolved, record = self._transit(transition, at, actor, changes, reason)
        if practice.lifecycle.listeners:
            self._notify(evolved, record)
        return evolved

    def _notify(self, evolved: Self, *records: TransitionRecord) -> Self:
        for listener in self.practice.lifecycle.listeners:
            for record in records:
                listener(record)
        return evolved

    def _transit(
        self,
        transition: str,
        at: datetime,
        actor: str,
        changes: dict[str, Any],
        reason: str | None,
    ) -> tuple[Self, TransitionRecord]:
        """Fire ``transition`` and return the evolved copy and its record; notify nobody.

        ``changes`` are checked values; what the move implies is added to them.
        """
        mine = self.__dict__
        history = mine["history"]
        last = history[-1].at if history else mine["opened_at"]
        try:
            early = at < last
        except Exception:  # naive, not a datetime at all, or a zone that fails
            raise _not_an_instant(at) from None
        if early:
            raise HistoryOrderError(len(history), last, at, self.label)
        if reason is not None and type(reason) is not str:
            raise InvalidInputError(f"reason must be a string or None, got {shown(reason)}")
        practice, state = mine["practice"], mine["state"]
        try:
            plan = practice._plans.get((state, transition))
        except Exception:  # a name that cannot be hashed (or whose hash fails)
            raise InvalidTypeError(
                "transition", "a transition name (a string)", transition
            ) from None
        if plan is not None:
            self._effects(plan, changes, at)
        lifecycle = practice.lifecycle
        outcome = fire(
            lifecycle.definition,
            state,
            transition,
            at=at,
            actor=actor,
            fields=mine,
            changes=changes,
            reason=reason,
            guards=lifecycle.guards,
        )
        record = outcome.record
        values = mine.copy()
        values.update(changes)
        values["state"] = outcome.state
        values["category"] = record.target_category
        values["history"] = (*history, record)
        evolved = object.__new__(type(self))
        _set(evolved, "__dict__", values)
        return evolved, record

    def _effects(self, plan: Plan, changes: dict[str, Any], at: datetime) -> None:
        """Add to ``changes`` what the move implies besides the new state.

        State fields the target does not require are cleared and a closed
        state's ``closed_at`` stamped; the first assignment is dated and later
        ones counted; the first entry into an active state is stamped; values
        given to a kept field are logged; reopens are counted.
        """
        values = self.__dict__
        _, _, target_category, clears, stamps_closed_at, reopens, _, _ = plan
        for name in clears:
            if values[name] is not None and name not in changes:
                changes[name] = None
        if stamps_closed_at and values["closed_at"] is None:
            changes["closed_at"] = at
        if "assignment" in changes:
            assignment, current = changes["assignment"], values["assignment"]
            if assignment is None:
                pass
            elif current is None:
                if values["assigned_at"] is None:
                    changes["assigned_at"] = at
            elif reassigns(current, assignment, self.practice.reassignment):
                changes["reassignment_count"] = values["reassignment_count"] + 1
        first, kept_fields, counter = self._BOOKKEEPING
        if first is not None and target_category is _ACTIVE and values[first] is None:
            changes[first] = at
        for current, kept in kept_fields:
            value = changes.get(current)
            if value is not None:
                changes[kept] = (*values[kept], value)
        if counter is not None and reopens:
            changes[counter] = values[counter] + 1

    def _evolved(self, updates: Mapping[str, Any]) -> Self:
        """A copy with ``updates`` (already checked values) over this ticket's fields."""
        values = self.__dict__.copy()
        values.update(updates)
        evolved = object.__new__(type(self))
        _set(evolved, "__dict__", values)
        return evolved

    def _checked_changes(self, changes: Mapping[str, Any] | None) -> dict[str, Any]:
        """``changes`` converted and validated field by field, for the generic :meth:`fire`."""
        if changes is None:
            return {}
        if not isinstance(changes, Mapping):
            raise InvalidTypeError("changes", "a mapping of field names to values", changes)
        fields = _fields(type(self))
        names = list(changes)
        unknown = sorted(repr(n) for n in names if not isinstance(n, str) or n not in fields)
        if unknown:
            raise InvalidInputError(f"{type(self).__name__} has no field(s) {', '.join(unknown)}")
        reserved = sorted(set(names) & RESERVED)
        if reserved:
            raise InvalidInputError(
                f"{', '.join(reserved)} are set when the ticket is opened or change only by "
                "firing transitions, not as changed fields"
            )
        derived = sorted(set(names) & self.DERIVED)
        if derived:
            raise InvalidInputError(
                f"{', '.join(derived)} are kept from the history by itilkit and cannot be set"
            )
        return {name: self._checked(fields[name], value) for name, value in changes.items()}

    def _checked(self, field: attrs.Attribute[Any], value: object) -> object:
        """``value`` converted and validated as ``field`` would be at construction."""
        converter: Any = field.converter
        if converter is not None:
            value = converter(value)
        if field.validator is not None:
            field.validator(self, field, value)
        return value

    # -- the invariant check ---------------------------------------------

    def _problems(self) -> list[str]:
        """Every broken cross-field rule (see :func:`check_invariants`)."""
        practice = self.practice
        if practice.kind is not self.KIND:
            return [
                f"practice {practice.ref} is for {practice.kind.value}s, not {self.KIND.value}s"
            ]
        definition = practice.definition
        state = definition.state(self.state)
        if state is None:
            return [
                f"state {shown(self.state)} is not a state of lifecycle {shown(definition.name)}; "
                f"states are: {', '.join(definition.state_names)}"
            ]
        problems = []
        if self.category is not state.category:
            problems.append(
                f"category {shown(self.category.value)} is not that of state {shown(state.name)} "
                f"({state.category.value})"
            )
        replay = _Replay(self)
        problems.extend(replay.problems)
        problems.extend(
            f"state {shown(state.name)} requires {name}, which is not set"
            for name in sorted(state.required_fields)
            if absent(getattr(self, name, None))
        )
        for name in sorted(practice.state_fields - state.required_fields):
            if getattr(self, name, None) is not None:
                where = [s.name for s in definition.states if name in s.required_fields]
                problems.append(
                    f"{name} is set, but state {shown(state.name)} does not require it; it is set "
                    f"only in: {', '.join(where) or 'no state'}"
                )
        problems.extend(self._bookkeeping_problems(replay))
        problems.extend(self._rule_problems())
        return problems

    def _rule_problems(self) -> list[str]:
        """The rules of the entity's own fields; subclasses extend (state and practice are fine)."""
        return []

    def _bookkeeping_problems(self, replay: _Replay) -> list[str]:
        """The fields the firing path keeps from the history, against one replay of it."""
        problems = []
        if self.reassignment_count != replay.reassigned:
            problems.append(
                f"reassignment_count is {self.reassignment_count}, but the history holds "
                f"{replay.reassigned} reassignment(s)"
            )
        first = replay.first_assigned
        if first is not None and self.assigned_at != first:
            problems.append(
                f"assigned_at is {shown(self.assigned_at)}, but the first assignment was at "
                f"{shown(first)}"
            )
        for current, kept in self.KEPT:
            values = getattr(self, kept)
            if values != tuple(replay.given[current]):
                problems.append(f"{kept} must list every {current} the history records, in order")
            now = getattr(self, current)
            if now is not None and (not values or values[-1] != now):
                problems.append(f"{current} must be the last of {kept}")
        milestone = self.FIRST_ACTIVE
        if milestone is not None and getattr(self, milestone) != replay.first_active:
            problems.append(f"{milestone} must be when the ticket first entered an active state")
        counter = self.REOPEN_COUNTER
        if counter is not None and getattr(self, counter) != replay.reopens:
            problems.append(
                f"{counter} is {getattr(self, counter)}, but the history holds "
                f"{replay.reopens} reopen(s)"
            )
        return problems


class _Replay:
    """One walk of a ticket's history: what breaks the lifecycle and what it keeps.

    ``problems`` are the history's own: a record that does not follow the
    lifecycle (the walk stops checking there and reports nothing else of the
    history), records out of order, a change whose ``old`` is not what the record
    before left, and fields that disagree with the last value the history set.
    The bookkeeping (first assignment, reassignments, kept values, first entry
    into an active state, reopens) is counted over every record, as the firing
    path counts it.
    """

    __slots__ = ("first_active", "first_assigned", "given", "problems", "reassigned", "reopens")

    def __init__(self, ticket: Ticket) -> None:
        practice = ticket.practice
        definition, plans, rule = practice.definition, practice._plans, practice.reassignment
        given: dict[str, list[object]] = {current: [] for current, _ in ticket.KEPT}
        problems: list[str] = []
        state, previous = definition.initial.name, ticket.opened_at
        last: dict[str, object] = {}
        following = True
        first_assigned: datetime | None = None
        first_active: datetime | None = None
        reassigned = reopens = 0
        for index, record in enumerate(ticket.history):
            source_category, target_category = record.source_category, record.target_category
            if first_active is None and target_category is _ACTIVE:
                first_active = record.at
            if source_category in _DONE and target_category in _OPEN:
                reopens += 1
            checked = following
            if following:
                plan = plans.get((record.source, record.transition))
                if (
                    plan is None
                    or record.source != state
                    or plan.target != record.target
                    or source_category is not plan.source_category
                    or target_category is not plan.target_category
                ):
                    following = checked = False
                    problems = [
                        f"history record {index} ({shown(record.transition)}: "
                        f"{shown(record.source)} -> {shown(record.target)}) does not follow "
                        f"state {shown(state)} in lifecycle {shown(definition.name)}"
                    ]
                else:
                    if record.at < previous:
                        problems.append(
                            f"history record {index} at {record.at.isoformat()} is earlier "
                            f"than {previous.isoformat()}"
                        )
                    state, previous = record.target, record.at
            counted: set[str] | None = None  # a field counts by its first change in a record
            for change in record.changes:
                field, old, new = change.field, change.old, change.new
                if checked:
                    if field in RESERVED:
                        problems.append(f"history record {index} changes {field}")
                    elif (
                        field in last
                        and field != "notes"  # notes are added between records too
                        and not last[field] == old  # noqa: SIM201  (one method call, not two)
                    ):
                        problems.append(
                            f"history record {index} changes {field} from {shown(old)}, "
                            f"but the record before left it {shown(last[field])}"
                        )
                    last[field] = new
                if field == "assignment" or field in given:
                    if counted is None:
                        counted = set()
                    elif field in counted:
                        continue
                    counted.add(field)
                    if new is None:
                        continue
                    if field != "assignment":
                        given[field].append(new)
                    elif old is None:
                        first_assigned = first_assigned or record.at
                    elif reassigns(old, new, rule):
                        reassigned += 1
        if following:
            if state != ticket.state:
                problems.append(
                    f"the history replays to state {shown(state)}, not {shown(ticket.state)}"
                )
            for name, value in last.items():
                current = getattr(ticket, name, _UNSET)
                if current is _UNSET:
                    problems.append(
                        f"the history changes {name}, which a {ticket.KIND.value} lacks"
                    )
                elif name != "notes" and not current == value:  # noqa: SIM201
                    problems.append(
                        f"{name} is {shown(current)}, but the history last set it to {shown(value)}"
                    )
        self.problems, self.given = problems, given
        self.first_assigned, self.first_active = first_assigned, first_active
        self.reassigned, self.reopens = reassigned, reopens
