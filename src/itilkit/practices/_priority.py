"""Impact x urgency -> priority, as a data matrix with presets and manual overrides.

A :class:`PriorityMatrix` is a :class:`~itilkit.practices.LookupMatrix` whose
rows are impact levels, columns urgency levels and results priority levels.
Entities store :class:`Impact`, :class:`Urgency` and :class:`Priority` as level
numbers; the matrix gives them labels and says which end is the highest.

Presets:

* :data:`PRIORITY_3X3` (the default): 1 = highest on every scale and
  ``priority = impact + urgency - 1``, giving priorities 1 (critical) to 5
  (planning), as in ServiceNow's default lookup rules.
* :data:`PRIORITY_4X4`: 1 = highest, four levels each, ``priority =
  (impact + urgency) // 2`` (ties round towards the higher priority).
* :data:`PRIORITY_5X5`: **5 = highest** on every scale (GLPI and Znuny
  count this way), the symmetric table of Znuny's ITSM module.

>>> PRIORITY_3X3.priority(Impact(2), Urgency(1))
Priority(level=2)
>>> PRIORITY_3X3.label(Priority(2)), PRIORITY_5X5.label(PRIORITY_5X5.priority(5, 5))
('high', 'very high')

Manual override rule: an entity's priority normally follows the matrix. A
:class:`PriorityOverride` (who, when, why) replaces it until the next
reassessment: changing impact or urgency (``reprioritise``) recomputes the
priority and clears the override unless the caller passes
``keep_override=True``. Both the override and its clearing are audit records.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from itilkit._repr import shown
from itilkit._validators import aware, of_type, text
from itilkit.errors import InvalidInputError
from itilkit.practices._matrix import LookupMatrix, Scale, ScaleDirection

__all__ = [
    "PRIORITY_3X3",
    "PRIORITY_4X4",
    "PRIORITY_5X5",
    "Impact",
    "Priority",
    "PriorityMatrix",
    "PriorityOverride",
    "Urgency",
]


def _positive_level(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"{attribute.name} must be a level number >= 1, got {shown(value)}")


@attrs.frozen
class Impact:
    """How widely an issue affects the business: a level of the matrix's impact scale."""

    level: int = attrs.field(validator=_positive_level)


@attrs.frozen
class Urgency:
    """How soon the business needs it resolved: a level of the urgency scale."""

    level: int = attrs.field(validator=_positive_level)


@attrs.frozen
class Priority:
    """The order in which to work: a level of the priority scale."""

    level: int = attrs.field(validator=_positive_level)


@attrs.frozen
class PriorityOverride:
    """A priority set by hand against the matrix, with who, when and why."""

    priority: Priority = attrs.field(validator=of_type(Priority))
    at: datetime = attrs.field(validator=aware())
    actor: str = attrs.field(validator=text())
    reason: str = attrs.field(validator=text())


@attrs.frozen
class PriorityMatrix:
    """Typed access to a lookup matrix of impact (rows) x urgency (columns) -> priority."""

    table: LookupMatrix = attrs.field(validator=of_type(LookupMatrix))
    #: one shared value per level of each scale, and (impact, urgency) -> priority
    _impacts: dict[int, Impact] = attrs.field(init=False, repr=False, eq=False)
    _urgencies: dict[int, Urgency] = attrs.field(init=False, repr=False, eq=False)
    _priorities: dict[int, Priority] = attrs.field(init=False, repr=False, eq=False)
    _cells: dict[tuple[int, int], Priority] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        table = self.table
        priorities = {n: Priority(n) for n in table.result.levels}
        cells = {
            (r, c): priorities[table.grid[r - 1][c - 1]]
            for r in table.rows.levels
            for c in table.columns.levels
        }
        object.__setattr__(self, "_impacts", {n: Impact(n) for n in table.rows.levels})
        object.__setattr__(self, "_urgencies", {n: Urgency(n) for n in table.columns.levels})
        object.__setattr__(self, "_priorities", priorities)
        object.__setattr__(self, "_cells", cells)

    @property
    def name(self) -> str:
        """The matrix name."""
        return self.table.name

    def impact(self, value: Impact | int | str) -> Impact:
        """``value`` (an Impact, level number or label) checked against the impact scale."""
        level = value.level if isinstance(value, Impact) else value
        found = self._impacts.get(level) if type(level) is int else None
        return found or self._impacts[self.table.rows.level(level)]

    def urgency(self, value: Urgency | int | str) -> Urgency:
        """``value`` checked against the urgency scale."""
        level = value.level if isinstance(value, Urgency) else value
        found = self._urgencies.get(level) if type(level) is int else None
        return found or self._urgencies[self.table.columns.level(level)]

    def parse_priority(self, value: Priority | int | str) -> Priority:
        """``value`` checked against the priority scale."""
        level = value.level if isinstance(value, Priority) else value
        found = self._priorities.get(level) if type(level) is int else None
        return found or self._priorities[self.table.result.level(level)]

    def priority(self, impact: Impact | int | str, urgency: Urgency | int | str) -> Priority:
        """The priority the matrix gives ``impact`` and ``urgency``."""
        return self._cells[self.impact(impact).level, self.urgency(urgency).level]

    def label(self, value: Impact | Urgency | Priority) -> str:
        """The label of ``value`` on its scale."""
        scale = self._scale(value)
        return scale.label(value.level)

    def rank(self, value: Impact | Urgency | Priority) -> int:
        """How high ``value`` sits on its scale: 1 = lowest, whatever the direction."""
        return self._scale(value).rank(value.level)

    def _scale(self, value: Impact | Urgency | Priority) -> Scale:
        if isinstance(value, Impact):
            return self.table.rows
        if isinstance(value, Urgency):
            return self.table.columns
        if isinstance(value, Priority):
            return self.table.result
        raise InvalidInputError(f"expected Impact, Urgency or Priority, got {shown(value)}")


def _three_by_three() -> PriorityMatrix:
    level = ("high", "medium", "low")
    impact, urgency = Scale("impact", level), Scale("urgency", level)
    priority = Scale("priority", ("critical", "high", "moderate", "low", "planning"))
    return PriorityMatrix(
        LookupMatrix.from_rule("priority-3x3", impact, urgency, priority, lambda i, u: i + u - 1)
    )


def _four_by_four() -> PriorityMatrix:
    impact = Scale("impact", ("extensive", "significant", "moderate", "minor"))
    urgency = Scale("urgency", ("critical", "high", "medium", "low"))
    priority = Scale("priority", ("critical", "high", "medium", "low"))
    return PriorityMatrix(
        LookupMatrix.from_rule("priority-4x4", impact, urgency, priority, lambda i, u: (i + u) // 2)
    )


def _five_by_five() -> PriorityMatrix:
    labels = ("very low", "low", "medium", "high", "very high")
    up = ScaleDirection.ONE_IS_LOWEST
    impact, urgency = Scale("impact", labels, up), Scale("urgency", labels, up)
    grid = (
        (1, 1, 2, 2, 3),
        (1, 2, 2, 3, 4),
        (2, 2, 3, 4, 4),
        (2, 3, 4, 4, 5),
        (3, 4, 4, 5, 5),
    )
    return PriorityMatrix(
        LookupMatrix("priority-5x5", impact, urgency, Scale("priority", labels, up), grid)
    )


#: 3x3, 1 = highest, priority = impact + urgency - 1 (1 critical ... 5 planning).
PRIORITY_3X3 = _three_by_three()
#: 4x4, 1 = highest, priority = (impact + urgency) // 2.
PRIORITY_4X4 = _four_by_four()
#: 5x5, 5 = highest (GLPI/Znuny direction), Znuny ITSM's symmetric table.
PRIORITY_5X5 = _five_by_five()
