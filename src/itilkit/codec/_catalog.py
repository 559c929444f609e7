"""The named definitions a configuration may refer to instead of spelling them out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from itilkit._repr import shown
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.lifecycle import LifecycleDefinition
from itilkit.practices import (
    CHANGE,
    INCIDENT,
    KNOWN_ERROR,
    PRIORITY_3X3,
    PRIORITY_4X4,
    PRIORITY_5X5,
    PROBLEM,
    RISK_3X3,
    RISK_5X5,
    SERVICE_REQUEST,
    LookupMatrix,
    PriorityMatrix,
    RiskMatrix,
)

__all__ = ["Catalog"]


def _listed(values: object, kind: type) -> list[object]:
    """The entries given, as an iterable of ``kind`` values or a mapping of name to one."""
    if isinstance(values, Mapping):
        return list(values.values())
    if isinstance(values, str | bytes | bytearray) or not isinstance(values, Iterable):
        raise InvalidTypeError("the catalog's entries", f"an iterable of {kind.__name__}", values)
    return list(values)


def _by_name(values: Iterable[object], kind: type) -> Mapping[str, object]:
    found: dict[str, object] = {}
    for value in _listed(values, kind):
        if not isinstance(value, kind):
            raise InvalidInputError(f"expected {kind.__name__} values, got {shown(value)}")
        name = value.name  # type: ignore[attr-defined]  # both kinds have a name
        if name in found:
            raise InvalidInputError(f"two {kind.__name__} values are named {name!r}")
        found[name] = value
    return found


def _lifecycles(values: Iterable[LifecycleDefinition]) -> Mapping[str, LifecycleDefinition]:
    return _by_name(values, LifecycleDefinition)  # type: ignore[return-value]  # checked


def _matrices(
    values: Iterable[LookupMatrix | PriorityMatrix | RiskMatrix],
) -> Mapping[str, LookupMatrix]:
    tables = [
        v.table if isinstance(v, PriorityMatrix | RiskMatrix) else v
        for v in _listed(values, LookupMatrix)
    ]
    return _by_name(tables, LookupMatrix)  # type: ignore[return-value]  # checked


@attrs.frozen
class Catalog:
    """The lifecycles and matrices a configuration may name, each under its own name.

    A lifecycle derivation names its ``base`` here; a duration selector keyed
    by priority labels names the matrix whose result scale gives the levels.
    :meth:`default` holds itilkit's presets; a vendor adds its own with
    :meth:`extended`.

    .. versionadded:: 0.2
    """

    lifecycles: Mapping[str, LifecycleDefinition] = attrs.field(factory=dict, converter=_lifecycles)
    matrices: Mapping[str, LookupMatrix] = attrs.field(factory=dict, converter=_matrices)

    @classmethod
    def default(cls) -> Catalog:
        """itilkit's default lifecycles and its priority and risk matrix presets."""
        lifecycles = [
            p.definition for p in (INCIDENT, PROBLEM, KNOWN_ERROR, SERVICE_REQUEST, CHANGE)
        ]
        matrices = [PRIORITY_3X3, PRIORITY_4X4, PRIORITY_5X5, RISK_3X3, RISK_5X5]
        return cls(lifecycles, matrices)  # type: ignore[arg-type]  # the converters take these

    def extended(
        self,
        lifecycles: Iterable[LifecycleDefinition] = (),
        matrices: Iterable[LookupMatrix | PriorityMatrix | RiskMatrix] = (),
    ) -> Catalog:
        """This catalog with more entries (a name already present is an error)."""
        more_lifecycles = _listed(lifecycles, LifecycleDefinition)
        more_matrices = _listed(matrices, LookupMatrix)
        return Catalog(
            [*self.lifecycles.values(), *more_lifecycles],  # type: ignore[list-item]  # checked
            [*self.matrices.values(), *more_matrices],  # type: ignore[list-item]  # checked
        )
