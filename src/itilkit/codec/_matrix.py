"""Priority and risk matrices: scales, and cells keyed by labels.

A matrix is written with its three scales and its cells as
``{row label: {column label: result label}}``, which reads like the table it
is; cells may also give result level numbers, and labels match in any case.
Priority and risk matrices are written as their lookup table. Impact,
urgency and priority values are written as their level number.
"""

from __future__ import annotations

from typing import Any

import attrs

from itilkit.codec._problems import DecodeError, collect, key
from itilkit.codec._strict import Registrar
from itilkit.practices import (
    Impact,
    LookupMatrix,
    Priority,
    PriorityMatrix,
    RiskMatrix,
    Scale,
    Urgency,
)

__all__ = ["configure_matrices"]


@attrs.frozen
class MatrixForm:
    """A lookup matrix: row, column and result scales, and every cell by labels."""

    name: str
    rows: Scale
    columns: Scale
    result: Scale
    cells: dict[str, dict[str, str | int]]


def _level(scale: Scale, value: object) -> int | None:
    """The level a label (any case) or level number names on ``scale``, or None."""
    if isinstance(value, str):
        folded = value.casefold()
        return next((n for n, own in enumerate(scale.labels, 1) if own.casefold() == folded), None)
    return value if value in scale.levels else None


def _not_level(scale: Scale, value: object) -> DecodeError:
    return DecodeError(f"{value!r} is not a level of {scale.name}; {scale.describe()}")


def _to_matrix(form: MatrixForm) -> LookupMatrix:
    """The grid the cells give, every unknown label and missing cell listed."""
    failed: list[tuple[str, Exception]] = []
    found: dict[tuple[int, int], int] = {}
    for row_label, row in form.cells.items():
        r = _level(form.rows, row_label)
        if r is None:
            failed.append((f".cells{key(row_label)}", _not_level(form.rows, row_label)))
            continue
        for column_label, cell in row.items():
            where = f".cells{key(row_label)}{key(column_label)}"
            c, result = _level(form.columns, column_label), _level(form.result, cell)
            if c is None:
                failed.append((where, _not_level(form.columns, column_label)))
            elif result is None:
                failed.append((where, _not_level(form.result, cell)))
            else:
                found[r, c] = result
    if not failed:
        failed = [
            (f".cells{key(form.rows.label(r))}{key(form.columns.label(c))}", DecodeError("missing"))
            for r in form.rows.levels
            for c in form.columns.levels
            if (r, c) not in found
        ]
    if failed:
        raise collect(failed)
    grid = [[found[r, c] for c in form.columns.levels] for r in form.rows.levels]
    return LookupMatrix(form.name, form.rows, form.columns, form.result, grid)


def _to_form(matrix: LookupMatrix) -> MatrixForm:
    cells = {
        matrix.rows.label(r): {
            matrix.columns.label(c): matrix.result.label(matrix.lookup(r, c))
            for c in matrix.columns.levels
        }
        for r in matrix.rows.levels
    }
    return MatrixForm(matrix.name, matrix.rows, matrix.columns, matrix.result, cells)  # type: ignore[arg-type]


def configure_matrices(registrar: Registrar) -> None:
    """Matrices by labels, the typed matrices as their table, levels as numbers."""
    converter = registrar.converter

    def form_in(value: Any) -> MatrixForm:
        return converter.get_structure_hook(MatrixForm)(value, MatrixForm)  # type: ignore[no-any-return]

    def form_out(matrix: LookupMatrix) -> Any:
        return converter.get_unstructure_hook(MatrixForm)(_to_form(matrix))

    registrar.value(
        LookupMatrix,
        lambda v, _: _to_matrix(form_in(v)),
        form_out,
        {"$type": MatrixForm},
        name="LookupMatrix",
    )
    for typed in (PriorityMatrix, RiskMatrix):
        registrar.value(
            typed,
            lambda v, cls: cls(_to_matrix(form_in(v))),
            lambda m: form_out(m.table),
            {"$type": LookupMatrix},
        )
    integer = converter.get_structure_hook(int)  # the strict one, bound once
    for level in (Impact, Urgency, Priority):
        registrar.value(
            level,
            _level_hook(level, integer),
            lambda value: value.level,
            {
                "type": "integer",
                "minimum": 1,
                "description": f"a {level.__name__.lower()} level number",
            },
        )


def _level_hook(cls: Any, integer: Any) -> Any:
    """A level read by number; levels 1 to 16 are built once (they are immutable values)."""
    usual = {number: cls(number) for number in range(1, 17)}

    def structure(value: Any, _: Any) -> Any:
        found = usual.get(value) if type(value) is int else None  # a bool is not a level
        return found if found is not None else cls(integer(value, int))

    return structure
