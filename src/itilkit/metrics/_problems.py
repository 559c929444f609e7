"""Incidents per problem."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, ClassVar, cast

import attrs

from itilkit._validators import non_negative, of_type
from itilkit.metrics._engine import Layout, Measure, check_percentiles
from itilkit.metrics._fields import ABSENT, UNREADABLE, is_missing, problem_of
from itilkit.metrics._quality import Quality
from itilkit.metrics._stats import CountStats

__all__ = ["IncidentsPerProblem", "ProblemLinkStats"]

_UNLINKED = object()


@attrs.frozen
class ProblemLinkStats:
    """Problems seen, incidents linked and not linked, and incidents per problem."""

    problems: int = attrs.field(validator=non_negative())
    linked: int = attrs.field(validator=non_negative())
    unlinked: int = attrs.field(validator=non_negative())
    per_problem: CountStats = attrs.field(validator=of_type(CountStats))

    def _row(self) -> dict[str, Any]:
        """Flat: counts, then ``per_problem_<stat>`` columns."""
        flat: dict[str, Any] = {
            "problems": self.problems,
            "linked": self.linked,
            "unlinked": self.unlinked,
        }
        flat.update({f"per_problem_{k}": v for k, v in self.per_problem._row().items()})
        return flat


@attrs.frozen(kw_only=True)
class IncidentsPerProblem(Measure[tuple[Counter[Any], list[int]], ProblemLinkStats]):
    """Incidents linked to each problem (``problem_id``), over non-canceled incidents.

    ``per_problem`` is the distribution, over the problems seen, of how many
    incidents link to each; incidents without a problem count as ``unlinked``.
    Memory grows with the number of distinct problems, not of incidents.
    """

    name: ClassVar[str] = "incidents_per_problem"
    reads: ClassVar[tuple[str, ...]] = ("problem_id", "category")

    percentiles: tuple[float, ...] = attrs.field(default=(0.9,), converter=check_percentiles)

    def _new_state(self) -> tuple[Counter[Any], list[int]]:
        """No problems, no unlinked incidents."""
        return Counter(), [0]

    def _add(self, state: tuple[Counter[Any], list[int]], item: object) -> None:
        """Count an incident against its problem, or as unlinked."""
        if item is _UNLINKED:
            state[1][0] += 1
        else:
            state[0][item] += 1

    def _merge_states(
        self, a: tuple[Counter[Any], list[int]], b: tuple[Counter[Any], list[int]]
    ) -> tuple[Counter[Any], list[int]]:
        """Counters added."""
        merged = Counter(a[0])
        merged.update(b[0])
        return merged, [a[1][0] + b[1][0]]

    def _stats(self, state: tuple[Counter[Any], list[int]]) -> ProblemLinkStats:
        """The per-problem distribution."""
        counts = list(state[0].values())
        return ProblemLinkStats(
            len(counts), sum(counts), state[1][0], CountStats.of(counts, self.percentiles)
        )

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> object | None:
        """The problem key, or the unlinked marker."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        name = layout.names[0]
        value = raw[0]
        if value is ABSENT or value is UNREADABLE:
            quality.issue(name, problem_of(value) or "absent", record, index)
            quality.exclude(f"no valid {name}", record, index)
            return None
        if is_missing(value):
            return _UNLINKED
        try:
            hash(value)
        except Exception:  # unhashable, or a hash that fails
            quality.issue(name, f"unhashable ({type(value).__name__})", record, index)
            quality.exclude(f"no valid {name}", record, index)
            return None
        return cast(object, value)
