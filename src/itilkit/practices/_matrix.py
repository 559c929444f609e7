"""Lookup matrices over ordinal scales: row level x column level -> result level.

A :class:`Scale` is an ordered list of labelled levels numbered from 1 with
an explicit :class:`ScaleDirection`: ServiceNow and iTop count 1 as the most
urgent, GLPI and Znuny count 5 as the most urgent. Comparisons go through
:meth:`Scale.rank`, so code never assumes which end is "high".

A :class:`LookupMatrix` is total: its ``grid`` gives a result level for every
(row level, column level) pair, ``grid[r - 1][c - 1]`` for row level ``r`` and
column level ``c``. Priority (impact x urgency) and change risk (impact x
likelihood) are both lookup matrices.

>>> level = Scale("level", ("high", "low"))
>>> matrix = LookupMatrix("demo", level, level, level, ((1, 1), (1, 2)))
>>> level.label(matrix.lookup("low", "high"))
'high'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit._validators import is_text, of_type, text
from itilkit.errors import InvalidInputError, InvalidMatrixError, InvalidTypeError

__all__ = ["LookupMatrix", "Scale", "ScaleDirection"]


class ScaleDirection(Vocabulary):
    """Which end of a scale is the highest (most urgent, most severe, riskiest)."""

    #: Level 1 is the highest (ServiceNow, iTop: 1 = critical).
    ONE_IS_HIGHEST = "one_is_highest"
    #: Level 1 is the lowest (GLPI, Znuny: 5 = very high).
    ONE_IS_LOWEST = "one_is_lowest"


def _labels(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        raise InvalidInputError(
            f"labels must be a sequence of strings, got the string {shown(values)}"
        )
    if isinstance(values, bytes | bytearray) or not isinstance(values, Iterable):
        raise InvalidTypeError("labels", "a sequence of strings", values)
    return tuple(values)


def _check_labels(_scale: Scale, _attribute: object, labels: tuple[str, ...]) -> None:
    problems = [f"label {shown(v)} is not a non-empty string" for v in labels if not is_text(v)]
    if not labels:
        problems.append("a scale needs at least one level")
    seen: set[str] = set()
    for label in labels:
        if is_text(label):
            if label.casefold() in seen:
                problems.append(f"label {shown(label)} is used twice (labels ignore case)")
            seen.add(label.casefold())
    if problems:
        raise InvalidMatrixError(problems, f"scale {_scale.name}")


@attrs.frozen
class Scale:
    """An ordinal scale: levels 1..size, each with a label, and a direction.

    Attributes:
        name: what the scale measures ("impact", "urgency", "priority", "risk").
        labels: the label of level 1, level 2, ... in level order.
        direction: which end is the highest; see :class:`ScaleDirection`.

    >>> glpi = Scale("urgency", ("very low", "low", "medium", "high", "very high"),
    ...              ScaleDirection.ONE_IS_LOWEST)
    >>> glpi.level("Very High"), glpi.rank(5), glpi.highest
    (5, 5, 5)
    """

    name: str = attrs.field(validator=text())
    labels: tuple[str, ...] = attrs.field(converter=_labels, validator=_check_labels)
    direction: ScaleDirection = attrs.field(
        default=ScaleDirection.ONE_IS_HIGHEST, converter=ScaleDirection
    )

    @property
    def size(self) -> int:
        """How many levels the scale has."""
        return len(self.labels)

    @property
    def levels(self) -> tuple[int, ...]:
        """The level numbers, 1..size."""
        return tuple(range(1, self.size + 1))

    @property
    def highest(self) -> int:
        """The level number of the highest level."""
        return 1 if self.direction is ScaleDirection.ONE_IS_HIGHEST else self.size

    @property
    def lowest(self) -> int:
        """The level number of the lowest level."""
        return self.size if self.direction is ScaleDirection.ONE_IS_HIGHEST else 1

    def level(self, value: int | str) -> int:
        """The level number of ``value``: a level number or a label (any case).

        Raises:
            InvalidInputError: ``value`` is neither; the message lists the levels.
        """
        if type(value) is int and 1 <= value <= len(self.labels):
            return value
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidTypeError(
                f"a level of {self.name}", f"a level number or label; {self.describe()}", value
            )
        if isinstance(value, int):
            if 1 <= value <= self.size:
                return value
        else:
            for number, label in enumerate(self.labels, start=1):
                if label.casefold() == value.casefold():
                    return number
        raise InvalidInputError(f"{shown(value)} is not a level of {self.name}; {self.describe()}")

    def label(self, level: int) -> str:
        """The label of ``level``."""
        return self.labels[self.level(level) - 1]

    def rank(self, level: int | str) -> int:
        """How high ``level`` sits: 1 for the lowest level up to ``size`` for the highest.

        Use ranks, never raw level numbers, to compare levels.
        """
        number = self.level(level)
        return self.size + 1 - number if self.direction is ScaleDirection.ONE_IS_HIGHEST else number

    def at_rank(self, rank: int) -> int:
        """The level number whose :meth:`rank` is ``rank``."""
        if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= self.size:
            raise InvalidInputError(f"rank must be an int in 1..{self.size}, got {shown(rank)}")
        return self.size + 1 - rank if self.direction is ScaleDirection.ONE_IS_HIGHEST else rank

    def describe(self) -> str:
        """The levels as ``1 = label, 2 = label, ...`` with the direction."""
        listed = ", ".join(f"{n} = {label}" for n, label in enumerate(self.labels, start=1))
        return f"levels: {listed} ({self.direction.value.replace('_', ' ')})"


def _grid(value: Iterable[Iterable[int]]) -> tuple[tuple[int, ...], ...]:
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Iterable):
        raise InvalidTypeError("grid", "a sequence of rows", value)
    rows = []
    for row in value:
        if isinstance(row, str | bytes | bytearray) or not isinstance(row, Iterable):
            raise InvalidTypeError("each grid row", "a sequence of levels", row)
        rows.append(tuple(row))
    return tuple(rows)


@attrs.frozen
class LookupMatrix:
    """A total lookup table: (row level, column level) -> result level.

    Attributes:
        name: names the matrix in errors and dumps.
        rows: the scale of the first key (e.g. impact).
        columns: the scale of the second key (e.g. urgency).
        result: the scale of the looked-up value (e.g. priority).
        grid: ``grid[r - 1][c - 1]`` is the result level for row level ``r``
            and column level ``c``; one row per row level, one entry per
            column level.

    Construction raises :class:`~itilkit.errors.InvalidMatrixError` listing
    every problem: a missing or extra row, a row of the wrong length, a cell
    that is not a level of the result scale.
    """

    name: str = attrs.field(validator=text())
    rows: Scale = attrs.field(validator=of_type(Scale))
    columns: Scale = attrs.field(validator=of_type(Scale))
    result: Scale = attrs.field(validator=of_type(Scale))
    grid: tuple[tuple[int, ...], ...] = attrs.field(converter=_grid)

    def __attrs_post_init__(self) -> None:
        problems = _grid_problems(self.rows, self.columns, self.result, self.grid)
        if problems:
            raise InvalidMatrixError(problems, self.name)

    @classmethod
    def from_rule(
        cls,
        name: str,
        rows: Scale,
        columns: Scale,
        result: Scale,
        rule: Callable[[int, int], int],
    ) -> LookupMatrix:
        """Tabulate ``rule(row level, column level)`` into a validated matrix.

        Raises:
            InvalidMatrixError: a cell the rule gives is not a result level, or
                the rule raised (its error is named).
        """
        for what, scale in (("rows", rows), ("columns", columns), ("result", result)):
            if not isinstance(scale, Scale):
                raise InvalidTypeError(what, "a Scale", scale)
        if not callable(rule):
            raise InvalidTypeError("rule", "a function of (row level, column level)", rule)
        grid = [[_ruled(rule, r, c, name) for c in columns.levels] for r in rows.levels]
        return cls(name, rows, columns, result, grid)

    def lookup(self, row: int | str, column: int | str) -> int:
        """The result level for ``row`` and ``column`` (level numbers or labels)."""
        return self.grid[self.rows.level(row) - 1][self.columns.level(column) - 1]

    def monotonicity_problems(self) -> tuple[str, ...]:
        """Cells where raising the row or column level lowers the result.

        A sensible priority or risk matrix has none; the presets are checked
        by the test suite. The matrix does not require it, since a vendor may
        deliberately map some combinations down.
        """
        problems = []
        for r in self.rows.levels:
            for c in self.columns.levels:
                rank = self.result.rank(self.lookup(r, c))
                for other, kind in (
                    (self._raised(self.rows, r), "row"),
                    (self._raised(self.columns, c), "column"),
                ):
                    if other is None:
                        continue
                    cell = (other, c) if kind == "row" else (r, other)
                    if self.result.rank(self.lookup(*cell)) < rank:
                        problems.append(
                            f"raising the {kind} from {(r, c)} to {cell} lowers the "
                            f"{self.result.name}"
                        )
        return tuple(problems)

    @staticmethod
    def _raised(scale: Scale, level: int) -> int | None:
        rank = scale.rank(level)
        return None if rank == scale.size else scale.at_rank(rank + 1)


def _ruled(rule: Callable[[int, int], int], row: int, column: int, name: object) -> int:
    try:
        return rule(row, column)
    except Exception as error:  # the vendor's rule: reported, with the cell it failed on
        label = name if isinstance(name, str) else ""
        raise InvalidMatrixError(
            [f"rule({row}, {column}) raised {type(error).__name__}: {shown(str(error))}"], label
        ) from error


def _grid_problems(
    rows: Scale, columns: Scale, result: Scale, grid: tuple[tuple[int, ...], ...]
) -> list[str]:
    problems = []
    if len(grid) != rows.size:
        problems.append(
            f"grid has {len(grid)} row(s); {rows.name} has {rows.size} level(s), one row each"
        )
    for r, row in enumerate(grid, start=1):
        row_name = f"{rows.name} {r} ({rows.labels[r - 1]})" if r <= rows.size else f"row {r}"
        if len(row) != columns.size:
            problems.append(
                f"{row_name} has {len(row)} cell(s); {columns.name} has {columns.size} level(s)"
            )
        for c, value in enumerate(row, start=1):
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not 1 <= value <= result.size
            ):
                problems.append(
                    f"cell {row_name} x {columns.name} {c}: {shown(value)} is not a level of "
                    f"{result.name} (1..{result.size})"
                )
    return problems
