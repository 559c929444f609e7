"""Entities: tickets with their practice named and their history typed, and the CMDB.

A ticket is written as an object of its fields. Its practice is written as
its name and version (``{"name": "incident", "version": 1}``) and read back
through the codec's :class:`~itilkit.practices.PracticeRegistry`: a practice
the registry lacks is a problem at ``practice``, and a ticket of such a
practice is not written (it could not be read back). Its history's field changes
are typed by the field they change (see
:func:`~itilkit.codec._lifecycle.history_hooks`). Reading builds the entity
through its constructor, so its invariants are checked: the history replays
to its state under the named practice, and every cross-field rule holds;
each broken rule is one problem.

:func:`entity_index` gives what a store lists an entity by (state, priority,
group, practice, times and the next SLA due time), so storage never has to
know an entity type.
"""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeGuard

import attrs
import cattrs
from cattrs.gen import override

from itilkit.categories import StateCategory
from itilkit.codec._lifecycle import general_record_hooks, history_hooks
from itilkit.codec._problems import DecodeError, describe, gather, key
from itilkit.codec._strict import (
    Registrar,
    StructureHook,
    UnstructureHook,
    each,
    structure_record,
    unstructure_record,
)
from itilkit.codec._text import read_aware
from itilkit.errors import InvalidInputError, UnencodableValueError, UnknownPracticeError
from itilkit.practices import (
    ApprovalPolicy,
    ApprovalRule,
    Assignment,
    Change,
    Incident,
    KnownError,
    Practice,
    PracticeRef,
    PracticeRegistry,
    PrioritisedTicket,
    Problem,
    ProblemResolutionCode,
    Resolution,
    ResolutionCode,
    ServiceRequest,
    Ticket,
)

__all__ = [
    "ENTITY_KINDS",
    "ENTITY_TYPES",
    "EntityIndex",
    "configure_entities",
    "entity_index",
    "general_ticket_hook",
    "history_types",
]

#: The ticket types the codec reads and writes, with the name of each one's document kind.
ENTITY_KINDS: Mapping[type[Ticket], str] = {
    Incident: "incident",
    Problem: "problem",
    KnownError: "known-error",
    ServiceRequest: "service-request",
    Change: "change",
}
#: The ticket types the codec reads and writes, each a document kind of its own.
ENTITY_TYPES: tuple[type[Ticket], ...] = tuple(ENTITY_KINDS)
#: Ticket fields that are not values a history record may change.
_NOT_CHANGED = frozenset({"practice", "history"})


@attrs.frozen(kw_only=True)
class EntityIndex:
    """What a store lists a ticket by, worked out from the ticket itself.

    Attributes:
        state, category: its lifecycle state and the state's category.
        priority: its priority level, or None for a ticket without one.
        assignment_group: the group it is assigned to, or None.
        practice: its practice as ``name@version``.
        opened_at: when it was opened.
        updated_at: its last change: the last history record or note.
        sla_due_at: when the soonest running target of its practice's SLA
            policy is due, as of ``updated_at`` (a past due time included),
            or None.
    """

    state: str
    category: StateCategory
    priority: int | None
    assignment_group: str | None
    practice: str
    opened_at: datetime
    updated_at: datetime
    sla_due_at: datetime | None


def entity_index(ticket: Ticket) -> EntityIndex:
    """The index fields of ``ticket``.

    Raises:
        InvalidInputError: ``ticket`` is not a ticket.
    """
    if not isinstance(ticket, Ticket):
        raise InvalidInputError(f"entity_index takes a ticket, got {type(ticket).__name__}")
    updated = ticket.last_event_at
    if ticket.notes and ticket.notes[-1].at > updated:
        updated = ticket.notes[-1].at
    assignment = ticket.assignment
    return EntityIndex(
        state=ticket.state,
        category=ticket.category,
        priority=ticket.priority.level if isinstance(ticket, PrioritisedTicket) else None,
        assignment_group=None if assignment is None else assignment.group,
        practice=str(ticket.practice.ref),
        opened_at=ticket.opened_at,
        updated_at=updated,
        sla_due_at=_next_due(ticket, updated),
    )


def _next_due(ticket: Ticket, now: datetime) -> datetime | None:
    if ticket.practice.sla is None:
        return None
    status = ticket.sla_status(now)
    running = (target.current for target in status.targets)
    return min(
        (cycle.due_at for cycle in running if cycle is not None and cycle.running), default=None
    )


_HISTORY_TYPES: dict[type, Mapping[str, Any]] = {}


def history_types(cls: type[Ticket]) -> Mapping[str, Any]:
    """Each field of ``cls`` a history record may change, with its declared type."""
    found = _HISTORY_TYPES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = {f.name: hints[f.name] for f in attrs.fields(cls) if f.name not in _NOT_CHANGED}
        _HISTORY_TYPES[cls] = found
    return found


def _practice_hooks(
    converter: cattrs.Converter, practices: PracticeRegistry
) -> tuple[StructureHook, UnstructureHook]:
    ref_in = structure_record(PracticeRef, converter)
    held: dict[Any, Practice] = {
        (ref.name, ref.version): practice for ref, practice in practices.practices.items()
    }

    def structure(value: Any, _: Any) -> Practice:
        if type(value) is dict and len(value) == 2:  # the usual ref of a held practice
            name, version = value.get("name"), value.get("version")
            usual = type(name) is str and type(version) is int
            found = held.get((name, version)) if usual else None
            if found is not None:
                return found
        ref: PracticeRef = ref_in(value, PracticeRef)
        try:
            return practices.resolve(ref)
        except UnknownPracticeError as error:
            raise DecodeError(str(error)) from None

    def unstructure(practice: Practice) -> dict[str, Any]:
        ref = practice.ref
        held = practices.practices.get(ref)
        if held is not practice and held != practice:
            raise UnencodableValueError(
                practice,
                f"its tickets name practice {ref}, which this codec's registry "
                + ("holds a different practice under" if held else "lacks")
                + "; it could not read them back: give the codec the practice with "
                "Codec(practices=...) or codec.with_practices(...)",
            )
        return {"name": ref.name, "version": ref.version}

    return structure, unstructure


def _ticket_overrides(
    converter: cattrs.Converter,
    practices: PracticeRegistry,
    history: tuple[StructureHook, UnstructureHook],
) -> dict[str, Any]:
    practice_in, practice_out = _practice_hooks(converter, practices)
    return {
        "practice": override(struct_hook=practice_in, unstruct_hook=practice_out),
        "history": override(struct_hook=history[0], unstruct_hook=history[1]),
        "state": override(omit_if_default=False),
        "category": override(omit_if_default=False),
    }


def general_ticket_hook(
    cls: type[Ticket], converter: cattrs.Converter, practices: PracticeRegistry
) -> StructureHook:
    """The general read of a ``cls``, every problem named (its history's too)."""
    history_in, history_out = general_record_hooks(converter, history_types(cls))
    history = (each(history_in), lambda h: [history_out(r) for r in h])
    return structure_record(cls, converter, _ticket_overrides(converter, practices, history))


def _ticket_hooks(
    cls: type[Ticket], converter: cattrs.Converter, practices: PracticeRegistry
) -> tuple[StructureHook, UnstructureHook]:
    history = history_hooks(converter, history_types(cls))
    overrides = _ticket_overrides(converter, practices, history)
    general_in = structure_record(cls, converter, overrides)
    hints = typing.get_type_hints(cls)
    readers: dict[str, tuple[StructureHook, Any]] = {
        f.name: (converter.get_structure_hook(hints[f.name]), hints[f.name])
        for f in attrs.fields(cls)
    }
    readers["practice"] = (overrides["practice"].struct_hook, Practice)
    readers["history"] = (history[0], None)
    build = cls._from_checked

    def structure(value: Any, _: Any) -> Ticket:
        """The ticket read directly: each field through its own hook, the ticket built
        without the checks those hooks made; anything that fails goes to the general
        path, which names every problem."""
        if type(value) is dict:
            try:
                fields = {}
                for name, item in value.items():
                    read, tp = readers[name]
                    fields[name] = read(item, tp)
                return build(fields)
            except Exception:  # the general path names the problems
                pass
        return general_in(value, cls)  # type: ignore[no-any-return]

    return structure, unstructure_record(cls, converter, overrides)


def _is_enum_union(tp: Any) -> bool:
    args = typing.get_args(tp)
    return (
        typing.get_origin(tp) in (typing.Union, types.UnionType)
        and bool(args)
        and all(isinstance(a, type) and issubclass(a, enum.Enum) for a in args)
    )


def _enum_union(tp: Any) -> StructureHook:
    """A member of one of several enums, by value; the enums' values must not overlap."""
    members: dict[object, enum.Enum] = {}
    for cls in typing.get_args(tp):
        for member in cls:
            if member.value in members:
                raise InvalidInputError(f"{tp}: two members have the value {member.value!r}")
            members[member.value] = member
    allowed = ", ".join(repr(v) for v in members)

    def structure(value: Any, _: Any) -> enum.Enum:
        member = members.get(value) if type(value) in (str, int) else None
        if member is None or type(member.value) is not type(value):
            raise DecodeError(f"{describe(value)} is not one of {allowed}")
        return member

    return structure


def _approval_policy_hooks(
    converter: cattrs.Converter,
) -> tuple[StructureHook, UnstructureHook]:
    """An approval policy as an object of gate names to rules."""
    rule_in = converter.get_structure_hook(ApprovalRule)
    rule_out = converter.get_unstructure_hook(ApprovalRule)

    def structure(value: Any, _: Any) -> ApprovalPolicy:
        if type(value) is not dict:
            raise DecodeError(f"expected an object of gates to rules, got {describe(value)}")
        rules = gather(
            (key(gate), functools.partial(rule_in, rule, ApprovalRule))
            for gate, rule in value.items()
        )
        return ApprovalPolicy(dict(zip(value, rules, strict=True)))

    def unstructure(policy: ApprovalPolicy) -> dict[str, Any]:
        return {gate: rule_out(rule) for gate, rule in policy.gates}

    return structure, unstructure


def _is_name(value: object) -> TypeGuard[str]:
    """What the ``text()`` validator lets through, for an exact str."""
    return type(value) is str and bool(value) and not value.isspace()


def _assignment_hook(converter: cattrs.Converter) -> StructureHook:
    """An assignment read directly when usual (names not blank, not both null), else by
    the general hook."""
    general = structure_record(Assignment, converter)
    build, keys = Assignment._from_checked, frozenset(("group", "assignee"))

    def structure(value: Any, _: Any) -> Assignment:
        if type(value) is dict and value.keys() <= keys:
            group, assignee = value.get("group"), value.get("assignee")
            if (
                (group is None or _is_name(group))
                and (assignee is None or _is_name(assignee))
                and (group is not None or assignee is not None)
            ):
                return build(group, assignee)
        return general(value, Assignment)  # type: ignore[no-any-return]

    return structure


def _resolution_hook(converter: cattrs.Converter) -> StructureHook:
    """A resolution read directly when usual (an aware instant, names not blank, a code of
    either enum by its value), else by the general hook."""
    general = structure_record(Resolution, converter)
    build = Resolution._from_checked
    codes = {c._value_: c for e in (ResolutionCode, ProblemResolutionCode) for c in e}

    def structure(value: Any, _: Any) -> Resolution:
        if type(value) is dict and len(value) == 4:
            get = value.get
            at, actor, code, notes = read_aware(get("at")), get("actor"), get("code"), get("notes")
            code = codes.get(code) if type(code) is str else None
            if at is not None and code is not None and _is_name(actor) and _is_name(notes):
                return build(at, actor, code, notes)
        return general(value, Resolution)  # type: ignore[no-any-return]

    return structure


def configure_entities(registrar: Registrar, practices: PracticeRegistry) -> None:
    """Tickets (their practice resolved in ``practices``), approvals and enum unions."""
    converter = registrar.converter
    converter.register_structure_hook_factory(_is_enum_union, _enum_union)
    converter.register_structure_hook_factory(
        lambda t: t is Assignment, lambda _: _assignment_hook(converter)
    )
    converter.register_structure_hook_factory(
        lambda t: t is Resolution, lambda _: _resolution_hook(converter)
    )
    registrar.factory(
        ApprovalPolicy,
        lambda _: _approval_policy_hooks(converter)[0],
        lambda _: _approval_policy_hooks(converter)[1],
        {"type": "object", "additionalProperties": {"$type": ApprovalRule}},
    )
    for cls in ENTITY_TYPES:
        _register_ticket(converter, cls, practices)


def _register_ticket(
    converter: cattrs.Converter, cls: type[Ticket], practices: PracticeRegistry
) -> None:
    """Hooks for ``cls``, built together on first use of either."""
    built: list[tuple[StructureHook, UnstructureHook]] = []

    def hooks() -> tuple[StructureHook, UnstructureHook]:
        if not built:
            built.append(_ticket_hooks(cls, converter, practices))
        return built[0]

    def is_cls(tp: Any) -> bool:
        return tp is cls

    converter.register_structure_hook_factory(is_cls, lambda _: hooks()[0])
    converter.register_unstructure_hook_factory(is_cls, lambda _: hooks()[1])
