"""Practices as configuration: a vendor's practice derived from a named base.

A practice holds code (guards) besides data, so it is written by hand as a
*derivation*: the base practice it starts from (a practice of the codec's
registry, by name and version), its own name and version, and what it
changes: the lifecycle (states and transitions removed, renamed, added;
guards added by name), the command bindings, the priority matrix (a name in
the catalog or the matrix itself), the SLA policy with its calendar, the
reopen and window policies. Read, it is built with
:meth:`~itilkit.practices.Practice.derive`, which checks it whole. A practice
has no document form of its own to write: keep its configuration file.
"""

from __future__ import annotations

from typing import Any

import attrs
import cattrs

from itilkit.codec._catalog import Catalog
from itilkit.codec._problems import DecodeError, describe
from itilkit.codec._strict import Registrar, StructureHook
from itilkit.errors import UnencodableValueError, UnknownPracticeError
from itilkit.lifecycle import State, Transition
from itilkit.practices import (
    Practice,
    PracticeRegistry,
    PriorityMatrix,
    ReopenPolicy,
    WindowPolicy,
)
from itilkit.sla import SlaPolicy

__all__ = ["PracticeDerivation", "configure_practices"]


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
        **keep,
    )


def _no_document(practice: Practice) -> Any:
    raise UnencodableValueError(
        practice,
        "a practice holds guards (code) besides data; keep the derivation document it was "
        "read from, and store its tickets, which name it",
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
        lambda _: _no_document,
        {"$type": PracticeDerivation},
        name="PracticeDerivation",
    )


def _practice_hook(converter: cattrs.Converter, practices: PracticeRegistry) -> StructureHook:
    form_in = converter.get_structure_hook(PracticeDerivation)

    def structure(value: Any, _: Any) -> Practice:
        if type(value) is not dict:
            raise DecodeError(f"expected an object (a practice derivation), got {describe(value)}")
        return _derived(form_in(value, PracticeDerivation), practices)

    return structure
