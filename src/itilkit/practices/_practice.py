"""The practice: the rules an entity is made with and keeps for its whole life.

A :class:`Practice` holds a lifecycle (definition, guards, listeners), the
map from each named command to the transition that performs it, the fields
that belong to particular states, the priority matrix, the SLA policy (with
its calendar) and the other per-practice settings. The defaults
(:data:`~itilkit.practices.INCIDENT` and friends) are presets; a vendor
derives its own once and every entity made by it uses it. A practice is
named by a stable name and a version (:class:`PracticeRef`), so a stored
ticket can be resolved through a :class:`~itilkit.practices.PracticeRegistry`
and replayed against the rules it was made with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import Enum
from types import MappingProxyType
from typing import Any, NamedTuple

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit._validators import of_type, optional, text
from itilkit.categories import StateCategory
from itilkit.errors import (
    InvalidInputError,
    InvalidLifecycleError,
    InvalidPracticeError,
    InvalidTypeError,
    PracticeError,
)
from itilkit.lifecycle import (
    Guard,
    GuardContext,
    GuardRegistry,
    Lifecycle,
    LifecycleDefinition,
    Listener,
    State,
    Transition,
    derive,
)
from itilkit.practices._priority import PriorityMatrix
from itilkit.practices._sla_bridge import DEFAULT_SLA_FIELDS, field_names, priority_keyed
from itilkit.practices._values import ReassignmentRule, to_enum
from itilkit.practices._window import WindowPolicy, within_window
from itilkit.sla import SlaCalendar, SlaPolicy

__all__ = [
    "ROLES",
    "Practice",
    "field_edits",
    "PracticeRef",
    "ReopenMode",
    "ReopenPolicy",
    "TicketKind",
]


class TicketKind(Vocabulary):
    """Which entity a practice is for."""

    INCIDENT = "incident"
    PROBLEM = "problem"
    KNOWN_ERROR = "known_error"
    SERVICE_REQUEST = "service_request"
    CHANGE = "change"


#: The named commands of each kind; a practice maps each to a transition.
ROLES: Mapping[TicketKind, tuple[str, ...]] = MappingProxyType(
    {
        TicketKind.INCIDENT: (
            "assign", "reprioritise", "start_work", "hold", "resume", "resolve", "reopen",
            "close", "cancel",
        ),
        TicketKind.PROBLEM: (
            "assign", "reprioritise", "assess", "confirm", "start_fix", "reanalyze", "resolve",
            "reopen", "close", "cancel", "link_incidents", "record_known_error",
        ),
        TicketKind.KNOWN_ERROR: ("revise", "publish", "retire"),
        TicketKind.SERVICE_REQUEST: (
            "assign", "reprioritise", "request_approval", "approve", "reject",
            "start_fulfilment", "hold", "resume", "fulfil", "reopen", "close", "cancel",
        ),
        TicketKind.CHANGE: (
            "assign", "revise", "assess", "authorize", "schedule", "approve", "reject",
            "implement", "review", "close", "cancel",
        ),
    }
)  # fmt: skip
#: Kinds whose entities carry impact, urgency and a priority from the matrix.
PRIORITISED = frozenset({TicketKind.INCIDENT, TicketKind.PROBLEM, TicketKind.SERVICE_REQUEST})


class ReopenMode(Vocabulary):
    """Whether a closed ticket may be reopened."""

    FORBID = "forbid"
    ALLOW = "allow"
    ALLOW_WITHIN = "allow_within"


def _reopen_mode(value: object) -> ReopenMode:
    return to_enum(ReopenMode, value)


@attrs.frozen
class ReopenPolicy:
    """Whether and until when a *closed* ticket may be reopened.

    A resolved ticket may always be reopened; closing is the caller's
    confirmation, so by default (``forbid``, as in ServiceNow) a closed
    incident stays closed (its state is final) and a recurrence is a new
    incident. Deriving a practice with ``allow`` or ``allow_within(window)``
    (Zammad, Znuny, GLPI) adds the reopen command's transition from the closed
    states, guarded by ``reopen_policy``; under ``allow_within`` it fires only
    until ``window`` after ``closed_at``.
    """

    mode: ReopenMode = attrs.field(converter=_reopen_mode)
    window: timedelta | None = attrs.field(default=None, validator=optional(of_type(timedelta)))

    def __attrs_post_init__(self) -> None:
        if (self.mode is ReopenMode.ALLOW_WITHIN) != (self.window is not None):
            raise InvalidInputError("a reopen window goes with mode allow_within, and only with it")
        if self.window is not None and self.window <= timedelta(0):
            raise InvalidInputError(f"the reopen window must be positive, got {self.window}")

    @classmethod
    def forbid(cls) -> ReopenPolicy:
        """Closed tickets stay closed (the default)."""
        return cls(ReopenMode.FORBID)

    @classmethod
    def allow(cls) -> ReopenPolicy:
        """Closed tickets may be reopened at any time."""
        return cls(ReopenMode.ALLOW)

    @classmethod
    def allow_within(cls, window: timedelta) -> ReopenPolicy:
        """Closed tickets may be reopened until ``window`` after closing."""
        return cls(ReopenMode.ALLOW_WITHIN, window)


@attrs.frozen
class _ReopenPolicyGuard:
    policy: ReopenPolicy

    def __call__(self, context: GuardContext) -> str | None:
        if self.policy.mode is ReopenMode.ALLOW:
            return None
        if self.policy.mode is ReopenMode.FORBID:
            return "closed tickets may not be reopened; log a new one and link it"
        closed_at = context.before.get("closed_at")
        assert self.policy.window is not None
        if isinstance(closed_at, datetime) and context.at - closed_at <= self.policy.window:
            return None
        when = closed_at.isoformat() if isinstance(closed_at, datetime) else "at an unknown time"
        return (
            f"closed {when}; the reopen policy allows reopening only within "
            f"{self.policy.window} of closing: log a new one and link it instead"
        )


#: Guard names a practice registers from its settings (a vendor cannot replace them).
SETTINGS_GUARDS = ("reopen_policy", "within_window")


@attrs.frozen
class PracticeRef:
    """How an entity names its practice: a stable name and a version.

    >>> str(PracticeRef("acme-incident", 2))
    'acme-incident@2'
    """

    name: str = attrs.field(validator=text())
    version: int = attrs.field(default=1)

    @version.validator
    def _positive(self, _attribute: object, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInputError(f"version must be an int >= 1, got {shown(value)}")

    def __str__(self) -> str:
        return f"{self.name}@{self.version}"


class Plan(NamedTuple):
    """What firing one transition from one state does besides moving, worked out once."""

    target: str
    source_category: StateCategory
    target_category: StateCategory
    #: state fields the target does not require: cleared on the way in
    clears: tuple[str, ...]
    #: the target requires ``closed_at`` (a state field): stamped on entry
    stamps_closed_at: bool
    #: leaves a resolved or closed state for an open one
    reopens: bool
    #: the command role bound to this transition, if any
    role: str | None
    guards: tuple[str, ...]


def _kind(value: object) -> TicketKind:
    return to_enum(TicketKind, value)


def _window_policy(value: object) -> WindowPolicy:
    return to_enum(WindowPolicy, value)


def _reassignment_rule(value: object) -> ReassignmentRule:
    return to_enum(ReassignmentRule, value)


def _commands(value: Mapping[str, str]) -> Mapping[str, str]:
    allowed = "a mapping of command names to transition names (strings)"
    if not isinstance(value, Mapping):
        raise InvalidTypeError("commands", allowed, value)
    found = dict(value)
    for role, name in found.items():
        if not isinstance(role, str) or not isinstance(name, str):
            raise InvalidTypeError("commands", allowed, {role: name})
    return MappingProxyType(found)


def _field_names(value: Iterable[str]) -> frozenset[str]:
    return frozenset(field_names(value, "state_fields"))


def _listeners(value: Iterable[Listener]) -> tuple[Listener, ...]:
    if not isinstance(value, Iterable) or isinstance(value, str | bytes | bytearray):
        raise InvalidTypeError("listeners", "a collection of callables", value)
    listeners = tuple(value)
    for listener in listeners:
        if not callable(listener):
            raise InvalidTypeError("listeners", "callables of a TransitionRecord", listener)
    return listeners


def _sla_fields(value: Iterable[str]) -> tuple[str, ...]:
    return field_names(value, "sla_fields")


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP


@attrs.frozen(kw_only=True, repr=False)
class Practice:
    """The rules of one ITIL practice, bound to every entity made with it.

    Attributes:
        name, version: the stable identity (see :class:`PracticeRef`).
        kind: the entity it is for.
        definition: the lifecycle definition.
        commands: command name -> transition name (see :data:`ROLES`).
        guards: the guards the definition names (the settings add
            ``reopen_policy`` and ``within_window``).
        listeners: called with each transition record a command keeps.
        state_fields: fields set exactly while the current state requires
            them (``hold_reason`` on hold, ``closed_at`` when closed): firing
            into a state that does not require one clears it, and a closed
            state's ``closed_at`` is stamped with the time of closing.
        matrix: the impact x urgency priority matrix (incident, problem,
            request); None for the others.
        sla: the SLA policy and its calendar, or None. Durations keyed by
            priority are checked against the matrix and stored as its
            :class:`~itilkit.practices.Priority` values.
        sla_fields: the fields the SLA history reports.
        reopen: whether closed tickets may be reopened.
        window_policy: implementing a change outside its planned window.
        reassignment: which changes of assignment count in
            ``reassignment_count`` (any change, or a change of group as
            ServiceNow counts).
        known_errors: for a problem practice, the practice its known errors
            are recorded with.
        lifecycle: the definition bound to all its guards and listeners.
    """

    name: str = attrs.field(validator=text())
    version: int = 1
    kind: TicketKind = attrs.field(converter=_kind)
    definition: LifecycleDefinition = attrs.field(validator=of_type(LifecycleDefinition))
    commands: Mapping[str, str] = attrs.field(converter=_commands, hash=False)
    guards: GuardRegistry = attrs.field(factory=GuardRegistry, validator=of_type(GuardRegistry))
    listeners: tuple[Listener, ...] = attrs.field(default=(), converter=_listeners, eq=False)
    state_fields: frozenset[str] = attrs.field(default=frozenset(), converter=_field_names)
    matrix: PriorityMatrix | None = attrs.field(
        default=None, validator=optional(of_type(PriorityMatrix))
    )
    sla: SlaPolicy | None = attrs.field(default=None, validator=optional(of_type(SlaPolicy)))
    sla_fields: tuple[str, ...] = attrs.field(default=DEFAULT_SLA_FIELDS, converter=_sla_fields)
    reopen: ReopenPolicy = attrs.field(factory=ReopenPolicy.forbid, validator=of_type(ReopenPolicy))
    window_policy: WindowPolicy = attrs.field(default=WindowPolicy.BLOCK, converter=_window_policy)
    reassignment: ReassignmentRule = attrs.field(
        default=ReassignmentRule.ANY_CHANGE, converter=_reassignment_rule
    )
    known_errors: Practice | None = attrs.field(default=None, eq=False)
    description: str = attrs.field(default="", validator=of_type(str))
    lifecycle: Lifecycle = attrs.field(init=False, eq=False, hash=False)
    _plans: Mapping[tuple[str, str], Plan] = attrs.field(init=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        PracticeRef(self.name, self.version)  # the identity is checked like any ref
        problems = self._command_problems()
        problems.extend(self._setting_problems())
        registry = self.guards.merged(
            GuardRegistry(
                {
                    "reopen_policy": _ReopenPolicyGuard(self.reopen),
                    "within_window": within_window("planned_window", self.window_policy),
                }
            )
        )
        lifecycle: Lifecycle | None = None
        try:
            lifecycle = Lifecycle(self.definition, registry, self.listeners)
        except InvalidLifecycleError as refused:
            problems.extend(refused.problems)
        sla = self.sla
        if sla is not None:
            sla, sla_problems = priority_keyed(sla, self.matrix, self.sla_fields)
            problems.extend(sla_problems)
        if problems or lifecycle is None:
            raise InvalidPracticeError(problems, str(self.ref))
        object.__setattr__(self, "sla", sla)
        object.__setattr__(self, "lifecycle", lifecycle)
        object.__setattr__(self, "_plans", MappingProxyType(self._plan_moves()))

    def _command_problems(self) -> list[str]:
        roles = ROLES[self.kind]
        transitions = self.definition.transition_names
        problems = [
            f"{shown(role)} is not a command of a {self.kind.value} practice; "
            f"its commands are: {', '.join(roles)}"
            for role in self.commands
            if role not in roles
        ]
        problems.extend(
            f"command {shown(role)} maps to transition {shown(name)}, which lifecycle "
            f"{shown(self.definition.name)} does not define; transitions are: "
            f"{', '.join(transitions)}"
            for role, name in self.commands.items()
            if name not in transitions
        )
        return problems

    def _setting_problems(self) -> list[str]:
        problems = []
        prioritised = self.kind in PRIORITISED
        if prioritised and self.matrix is None:
            problems.append(f"a {self.kind.value} practice needs a priority matrix")
        elif not prioritised and self.matrix is not None:
            problems.append(f"a {self.kind.value} practice takes no priority matrix")
        guarded = {g for t in self.definition.transitions for g in t.guards}
        overridden = sorted(set(SETTINGS_GUARDS) & set(self.guards.guards))
        problems.extend(
            f"guard {shown(name)} comes from the practice's settings; do not register it"
            for name in overridden
        )
        if self.reopen.mode is not ReopenMode.FORBID and "reopen_policy" not in guarded:
            problems.append(
                f"reopen policy {shown(self.reopen.mode.value)} has no effect: no transition is "
                "guarded by 'reopen_policy'"
            )
        if self.kind is TicketKind.PROBLEM:
            known = self.known_errors
            if known is not None and (
                not isinstance(known, Practice) or known.kind is not TicketKind.KNOWN_ERROR
            ):
                problems.append(f"known_errors must be a known_error practice, got {shown(known)}")
        elif self.known_errors is not None:
            problems.append("only a problem practice names a known-error practice")
        return problems

    def _plan_moves(self) -> dict[tuple[str, str], Plan]:
        roles = {name: role for role, name in self.commands.items()}
        plans = {}
        for move in self.definition.transitions:
            target = self.definition.state(move.target)
            assert target is not None
            required = target.required_fields
            for source in move.sources:
                source_category = self.definition.category(source)
                assert source_category is not None
                plans[source, move.name] = Plan(
                    target.name,
                    source_category,
                    target.category,
                    tuple(sorted(self.state_fields - required)),
                    "closed_at" in self.state_fields and "closed_at" in required,
                    source_category in _DONE and target.category.is_open,
                    roles.get(move.name),
                    move.guards,
                )
        return plans

    # -- reading ---------------------------------------------------------

    @property
    def ref(self) -> PracticeRef:
        """The name and version entities store."""
        return PracticeRef(self.name, self.version)

    @property
    def calendar(self) -> SlaCalendar | None:
        """The SLA policy's business calendar, or None without a policy."""
        return None if self.sla is None else self.sla.calendar

    def command(self, role: str) -> str:
        """The transition that performs the command ``role``.

        Raises:
            PracticeError: the practice has no such command.
        """
        found = self.commands.get(role) if isinstance(role, str) else None
        if found is None:
            raise PracticeError(
                f"practice {self.ref} has no {shown(role)} command; its commands are: "
                f"{', '.join(self.commands) or 'none'}"
            )
        return found

    def plan(self, state: str, transition: str) -> Plan | None:
        """What firing ``transition`` from ``state`` does, or None when it cannot."""
        if not isinstance(state, str) or not isinstance(transition, str):
            return None
        return self._plans.get((state, transition))

    def __repr__(self) -> str:
        return f"Practice({self.name!r}, version={self.version}, kind={self.kind.value!r})"

    # -- deriving --------------------------------------------------------

    def subscribe(self, listener: Listener) -> Practice:
        """The same practice (same name and version) also notifying ``listener``."""
        return attrs.evolve(self, listeners=(*self.listeners, listener))

    def derive(
        self,
        *,
        name: str,
        version: int = 1,
        description: str | None = None,
        add_states: Iterable[State] = (),
        remove_states: Iterable[str] = (),
        rename_states: Mapping[str, str] | None = None,
        add_transitions: Iterable[Transition] = (),
        remove_transitions: Iterable[str] = (),
        rename_transitions: Mapping[str, str] | None = None,
        add_guards: Mapping[str, str | Iterable[str]] | None = None,
        guards: Mapping[str, Guard] | None = None,
        commands: Mapping[str, str | None] | None = None,
        bare_states: Iterable[str] = (),
        state_fields: Iterable[str] | None = None,
        matrix: PriorityMatrix | _Keep | None = KEEP,
        sla: SlaPolicy | _Keep | None = KEEP,
        sla_fields: Iterable[str] | None = None,
        reopen: ReopenPolicy | None = None,
        window_policy: WindowPolicy | str | None = None,
        reassignment: ReassignmentRule | str | None = None,
        known_errors: Practice | _Keep | None = KEEP,
    ) -> Practice:
        """A vendor's practice made from this one; this one is unchanged.

        The lifecycle is derived with :func:`~itilkit.lifecycle.derive` (same
        arguments). The commands follow renamed transitions; ``commands``
        rebinds some (``None`` drops one). A state added here gets the
        field-edit self-loops (``assign``, ``reprioritise``...) that every
        other state of its category has, unless it is listed in
        ``bare_states``. ``guards`` registers guard callables beside the
        existing ones. Other settings are kept unless given.

        Raises:
            InvalidPracticeError: the same name and version as this practice,
                or a derived practice with problems (all listed).
            InvalidLifecycleError: the derived lifecycle is inconsistent.
        """
        if (name, version) == (self.name, self.version):
            raise InvalidPracticeError(
                [f"a derived practice needs its own name or version, not {self.ref}"], name
            )
        for what, mapping in (
            ("rename_transitions", rename_transitions),
            ("commands", commands),
            ("guards", guards),
        ):
            if mapping is not None and not isinstance(mapping, Mapping):
                raise InvalidTypeError(what, "a mapping or None", mapping)
        moves = dict(rename_transitions or {})
        definition = derive(
            self.definition,
            name=name,
            add_states=add_states,
            remove_states=remove_states,
            rename_states=rename_states,
            add_transitions=add_transitions,
            remove_transitions=remove_transitions,
            rename_transitions=moves,
            add_guards=add_guards,
        )
        added = [
            s for s in definition.state_names if s not in _renamed(self.definition, rename_states)
        ]
        bare = set(field_names(bare_states, "bare_states"))
        if bare - set(added):
            raise InvalidPracticeError(
                [
                    f"bare_states names {', '.join(sorted(bare - set(added)))}, which this "
                    f"derivation does not add; it adds: {', '.join(added) or 'no state'}"
                ],
                name,
            )
        definition = _with_field_edits(definition, [s for s in added if s not in bare])
        bound: dict[str, str] = {role: moves.get(t, t) for role, t in self.commands.items()}
        for role, transition in (commands or {}).items():
            if transition is None:
                bound.pop(role, None)
            else:
                bound[role] = transition
        if reopen is not None:
            if not isinstance(reopen, ReopenPolicy):
                raise InvalidTypeError("reopen", "a ReopenPolicy or None", reopen)
            definition = _with_reopen_policy(definition, reopen, bound.get("reopen"))
        changes: dict[str, Any] = {
            "name": name,
            "version": version,
            "definition": definition,
            "commands": bound,
            "guards": self.guards.merged(GuardRegistry(guards or {})),
        }
        optional_settings: dict[str, Any] = {
            "description": description,
            "state_fields": state_fields,
            "sla_fields": sla_fields,
            "reopen": reopen,
            "window_policy": window_policy,
            "reassignment": reassignment,
        }
        changes.update({k: v for k, v in optional_settings.items() if v is not None})
        kept: dict[str, Any] = {"matrix": matrix, "sla": sla, "known_errors": known_errors}
        changes.update({k: v for k, v in kept.items() if v is not KEEP})
        return attrs.evolve(self, **changes)


_DONE = (StateCategory.RESOLVED, StateCategory.CLOSED)


def field_edits(name: str, states: Iterable[str], **options: Any) -> list[Transition]:
    """One self-loop transition called ``name`` on each of ``states``: an audited field edit."""
    return [Transition(name, (s,), s, **options) for s in states]


def _with_reopen_policy(
    definition: LifecycleDefinition, policy: ReopenPolicy, reopen: str | None
) -> LifecycleDefinition:
    """``definition`` shaped for ``policy``: a guarded reopen from the closed states, or none.

    Under ``forbid`` the transitions guarded by ``reopen_policy`` are removed and the closed
    states left without an exit are final again. Otherwise, unless such a transition exists,
    ``reopen`` (the reopen command's transition) is added from every closed state to where
    it leads from a resolved one, guarded by ``reopen_policy``. A lifecycle with no such
    transition to copy is left as it is (the practice then reports the policy has no effect).
    """
    guarded = [t for t in definition.transitions if "reopen_policy" in t.guards]
    if policy.mode is ReopenMode.FORBID:
        if not guarded:
            return definition
        moves = [t for t in definition.transitions if t not in guarded]
        exits = {source for t in moves for source in t.sources}
        states = [
            attrs.evolve(s, final=True)
            if s.category is StateCategory.CLOSED and s.name not in exits
            else s
            for s in definition.states
        ]
        return LifecycleDefinition(definition.name, states, moves)
    closed = [s.name for s in definition.states if s.category is StateCategory.CLOSED]
    target = next(
        (
            t.target
            for t in definition.transitions
            if t.name == reopen
            and any(definition.category(s) is StateCategory.RESOLVED for s in t.sources)
        ),
        None,
    )
    if guarded or reopen is None or target is None or not closed:
        return definition
    states = [attrs.evolve(s, final=False) if s.name in closed else s for s in definition.states]
    moves = [
        *definition.transitions,
        Transition(
            reopen,
            closed,
            target,
            guards="reopen_policy",
            description="reopen a closed ticket, as the reopen policy allows",
        ),
    ]
    return LifecycleDefinition(definition.name, states, moves)


def _renamed(definition: LifecycleDefinition, renames: Mapping[str, str] | None) -> set[str]:
    """The base's state names as they are after renaming."""
    return {(renames or {}).get(s, s) for s in definition.state_names}


def _with_field_edits(definition: LifecycleDefinition, added: list[str]) -> LifecycleDefinition:
    """``definition`` with, on each ``added`` state, the self-loops its category siblings share."""
    loops: list[Transition] = []
    for name in added:
        state = definition.state(name)
        assert state is not None
        siblings = [
            s.name
            for s in definition.states
            if s.category is state.category and s.name not in added
        ]
        if not siblings:
            continue
        common = [
            t
            for t in definition.transitions
            if t.sources == (siblings[0],) and t.target == siblings[0]
        ]
        for loop in common:
            if definition.move(name, loop.name) is not None:
                continue
            if all(
                (m := definition.move(s, loop.name)) is not None and m.target == s for s in siblings
            ):
                loops.append(attrs.evolve(loop, sources=(name,), target=name))
    return derive(definition, add_transitions=loops) if loops else definition
