"""Practices as configuration: derived from a named base, or written in full.

A practice holds code (guards) besides data. By hand it is written as a
*derivation*: the base practice it starts from (a practice of the codec's
registry, by name and version), its own name and version, and what it
changes: the lifecycle (states and transitions removed, renamed, added;
guards added by name), the command bindings, the priority matrix (a name in
the catalog or the matrix itself), the SLA policy with its calendar, the
reopen, window and reassignment policies. Read, it is built with
:meth:`~itilkit.practices.Practice.derive`, which checks it whole.

Written, a practice is its *rules* in full (:class:`PracticeRules`): the
whole lifecycle definition, commands, state fields, matrix, SLA policy and
the other settings, with ``guards_from`` naming the practice of the registry
whose guard callables it uses (itself, when the registry holds it). A
practice whose guards no practice of the registry holds cannot be written.
Listeners are not written: they are code a host attaches at run time.
"""

from __future__ import annotations

from typing import Any

import attrs
import cattrs

from itilkit.codec._catalog import Catalog
from itilkit.codec._problems import DecodeError, describe
from itilkit.codec._strict import Registrar, StructureHook
from itilkit.errors import UnencodableValueError, UnknownPracticeError
from itilkit.lifecycle import LifecycleDefinition, State, Transition
from itilkit.practices import (
    Practice,
    PracticeRef,
    PracticeRegistry,
    Priority,
    PriorityMatrix,
    ReassignmentRule,
    ReopenPolicy,
    TicketKind,
    WindowPolicy,
)
from itilkit.sla import DurationsByField, SlaPolicy

__all__ = ["PracticeDerivation", "PracticeRules", "configure_practices"]


def _no_renames() -> dict[str, str]:
    return {}


def _no_guards() -> dict[str, tuple[str, ...]]:
    return {}


def _no_commands() -> dict[str, str | None]:
    return {}


@attrs.frozen(kw_only=True)
class PracticeDerivation:
    """A practice derived from a base practice of the registry (see Practice.derive).

    ``matrix`` names a priority matrix of the catalog or gives one; it and
    ``sla`` keep the base's when left out, as do the other settings.
    ``known_errors`` (and ``known_errors_version``) names, for a problem
    practice, the known-error practice of the registry its problems record.
    """

    base: str
    base_version: int = 1
    name: str
    version: int = 1
    description: str | None = None
    remove_states: tuple[str, ...] = ()
    remove_transitions: tuple[str, ...] = ()
    rename_states: dict[str, str] = attrs.field(factory=_no_renames)
    rename_transitions: dict[str, str] = attrs.field(factory=_no_renames)
    add_states: tuple[State, ...] = ()
    add_transitions: tuple[Transition, ...] = ()
    add_guards: dict[str, tuple[str, ...]] = attrs.field(factory=_no_guards)
    bare_states: tuple[str, ...] = ()
    commands: dict[str, str | None] = attrs.field(factory=_no_commands)
    state_fields: tuple[str, ...] | None = None
    sla_fields: tuple[str, ...] | None = None
    matrix: str | PriorityMatrix | None = None
    sla: SlaPolicy | None = None
    reopen: ReopenPolicy | None = None
    window_policy: WindowPolicy | None = None
    reassignment: ReassignmentRule | None = None
    known_errors: str | None = None
    known_errors_version: int = 1


def _matrix_hook(converter: cattrs.Converter, catalog: Catalog) -> StructureHook:
    full = converter.get_structure_hook(PriorityMatrix)

    def structure(value: Any, _: Any) -> PriorityMatrix | None:
        if value is None:
            return None
        if type(value) is not str:
            return full(value, PriorityMatrix)  # type: ignore[no-any-return]
        table = catalog.matrices.get(value)
        if table is None:
            known = ", ".join(sorted(catalog.matrices)) or "none"
            raise DecodeError(f"no matrix {value!r}; known: {known}")
        return PriorityMatrix(table)

    return structure


def _derived(form: PracticeDerivation, practices: PracticeRegistry) -> Practice:
    try:
        base = practices.get(form.base, form.base_version)
    except UnknownPracticeError as error:
        raise DecodeError(problems=[(".base", str(error))]) from None
    keep: dict[str, Any] = {}
    if form.matrix is not None:
        keep["matrix"] = form.matrix
    if form.sla is not None:
        keep["sla"] = form.sla
    if form.known_errors is not None:
        try:
            keep["known_errors"] = practices.get(form.known_errors, form.known_errors_version)
        except UnknownPracticeError as error:
            raise DecodeError(problems=[(".known_errors", str(error))]) from None
    return base.derive(
        name=form.name,
        version=form.version,
        description=form.description,
        add_states=form.add_states,
        remove_states=form.remove_states,
        rename_states=form.rename_states,
        add_transitions=form.add_transitions,
        remove_transitions=form.remove_transitions,
        rename_transitions=form.rename_transitions,
        add_guards=form.add_guards,
        commands=form.commands,
        bare_states=form.bare_states,
        state_fields=form.state_fields,
        sla_fields=form.sla_fields,
        reopen=form.reopen,
        window_policy=form.window_policy,
        reassignment=form.reassignment,
        **keep,
    )


@attrs.frozen(kw_only=True)
class PracticeRules:
    """A practice written in full; its guards are those of practice ``guards_from``.

    ``entity`` is the kind of ticket it is for; ``known_errors`` names, for a
    problem practice, the known-error practice of the registry.
    """

    name: str
    version: int = 1
    entity: TicketKind
    guards_from: PracticeRef
    lifecycle: LifecycleDefinition
    commands: dict[str, str]
    description: str = ""
    state_fields: frozenset[str] = frozenset()
    matrix: PriorityMatrix | None = None
    sla: SlaPolicy | None = None
    sla_fields: tuple[str, ...]
    reopen: ReopenPolicy = attrs.field(factory=ReopenPolicy.forbid)
    window_policy: WindowPolicy = WindowPolicy.BLOCK
    reassignment: ReassignmentRule = ReassignmentRule.ANY_CHANGE
    known_errors: PracticeRef | None = None


def _guards_from(practice: Practice, practices: PracticeRegistry) -> PracticeRef:
    """The practice of the registry whose guards ``practice`` uses: itself first."""
    own = practice.guards.guards
    held = practices.practices.get(practice.ref)
    candidates = [held] if held is not None else []
    candidates.extend(p for p in practices.practices.values() if p is not held)
    for candidate in candidates:
        theirs = candidate.guards.guards
        if theirs.keys() == own.keys() and all(theirs[n] is g for n, g in own.items()):
            return candidate.ref
    raise UnencodableValueError(
        practice,
        f"its guards ({', '.join(sorted(own)) or 'none'}) are not those of any practice in "
        "this codec's registry, so they could not be read back: give the codec the practice "
        "with Codec(practices=...) or codec.with_practices(...)",
    )


def _rules(practice: Practice, practices: PracticeRegistry) -> PracticeRules:
    known = practice.known_errors
    return PracticeRules(
        name=practice.name,
        version=practice.version,
        entity=practice.kind,
        guards_from=_guards_from(practice, practices),
        lifecycle=practice.definition,
        commands=dict(practice.commands),
        description=practice.description,
        state_fields=practice.state_fields,
        matrix=practice.matrix,
        sla=None if practice.sla is None else _by_level(practice.sla),
        sla_fields=practice.sla_fields,
        reopen=practice.reopen,
        window_policy=practice.window_policy,
        reassignment=practice.reassignment,
        known_errors=None if known is None else known.ref,
    )


def _by_level(policy: SlaPolicy) -> SlaPolicy:
    """``policy`` with durations keyed by priority keyed by level numbers, as written.

    A practice keys them by its matrix's :class:`~itilkit.practices.Priority`
    values; read back, it keys the numbers the same way.
    """
    targets = []
    for target in policy.targets:
        selector = target.duration
        if isinstance(selector, DurationsByField) and selector.field == "priority":
            levels = {k.level if isinstance(k, Priority) else k: d for k, d in selector.durations}
            target = attrs.evolve(target, duration=attrs.evolve(selector, durations=levels))
        targets.append(target)
    return attrs.evolve(policy, targets=targets)


def _from_rules(rules: PracticeRules, practices: PracticeRegistry) -> Practice:
    found: dict[str, Practice] = {}
    problems = []
    for field, ref in (("guards_from", rules.guards_from), ("known_errors", rules.known_errors)):
        if ref is not None:
            try:
                found[field] = practices.resolve(ref)
            except UnknownPracticeError as error:
                problems.append((f".{field}", str(error)))
    if problems:
        raise DecodeError(problems=problems)
    return Practice(
        name=rules.name,
        version=rules.version,
        kind=rules.entity,
        definition=rules.lifecycle,
        commands=rules.commands,
        guards=found["guards_from"].guards,
        description=rules.description,
        state_fields=rules.state_fields,
        matrix=rules.matrix,
        sla=rules.sla,
        sla_fields=rules.sla_fields,
        reopen=rules.reopen,
        window_policy=rules.window_policy,
        reassignment=rules.reassignment,
        known_errors=found.get("known_errors"),
    )


def configure_practices(
    registrar: Registrar, catalog: Catalog, practices: PracticeRegistry
) -> None:
    """Practice derivations read into practices; the matrix by name or in full."""
    converter = registrar.converter
    matrix_schema = {
        "anyOf": [
            {"type": "string", "description": "a priority matrix of the catalog, by name"},
            {"$type": PriorityMatrix},
        ]
    }
    registrar.record(
        PracticeDerivation,
        {
            "matrix": (
                _matrix_hook(converter, catalog),
                lambda m: None if m is None else converter.unstructure(m, PriorityMatrix),
                matrix_schema,
            )
        },
    )
    registrar.factory(
        Practice,
        lambda _: _practice_hook(converter, practices),
        lambda _: _rules_hook(converter, practices),
        {"oneOf": [{"$type": PracticeDerivation}, {"$type": PracticeRules}]},
        name="Practice",
    )


def _practice_hook(converter: cattrs.Converter, practices: PracticeRegistry) -> StructureHook:
    derivation_in = converter.get_structure_hook(PracticeDerivation)
    rules_in = converter.get_structure_hook(PracticeRules)

    def structure(value: Any, _: Any) -> Practice:
        if type(value) is not dict:
            raise DecodeError(f"expected an object (a practice derivation), got {describe(value)}")
        if "guards_from" in value:  # written in full
            return _from_rules(rules_in(value, PracticeRules), practices)
        return _derived(derivation_in(value, PracticeDerivation), practices)

    return structure


def _rules_hook(converter: cattrs.Converter, practices: PracticeRegistry) -> Any:
    rules_out = converter.get_unstructure_hook(PracticeRules)
    return lambda practice: rules_out(_rules(practice, practices))
