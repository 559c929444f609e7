"""Two lifecycles over the same histories, side by side."""

from __future__ import annotations

from typing import Any

import attrs

from itilkit._fields import check_fields
from itilkit._repr import shown
from itilkit.conformance._report import ConformanceReport, Verdict
from itilkit.errors import InvalidInputError

__all__ = ["Comparison", "Flip", "StepChange", "compare_conformance"]


@attrs.frozen(kw_only=True)
class StepChange:
    """A disallowed step and how often each report found it (0: allowed or never taken)."""

    __attrs_post_init__ = check_fields

    source: str
    target: str
    first: int
    second: int

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class Flip:
    """Tickets judged ``before`` under the first lifecycle and ``after`` under the second."""

    __attrs_post_init__ = check_fields

    before: Verdict
    after: Verdict
    tickets: int
    examples: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "before": self.before.value,
            "after": self.after.value,
            "tickets": self.tickets,
            "examples": list(self.examples),
        }


@attrs.frozen(kw_only=True)
class Comparison:
    """What changes when the same histories are checked against a second lifecycle.

    ``removed`` lists the deviations the second lifecycle no longer finds,
    ``added`` those it finds anew, ``unchanged`` those both find; ``flips``
    counts tickets whose verdict differs; ``only_first`` and ``only_second``
    count tickets that appear in one report only.

    .. versionadded:: 0.2
    """

    __attrs_post_init__ = check_fields

    first: ConformanceReport
    second: ConformanceReport
    removed: tuple[StepChange, ...]
    added: tuple[StepChange, ...]
    unchanged: tuple[StepChange, ...]
    flips: tuple[Flip, ...]
    only_first: int
    only_second: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: both summaries, then what differs."""
        return {
            "first": self.first.summary(),
            "second": self.second.summary(),
            "deviations": {
                "removed": [s.to_dict() for s in self.removed],
                "added": [s.to_dict() for s in self.added],
                "unchanged": [s.to_dict() for s in self.unchanged],
            },
            "flips": [f.to_dict() for f in self.flips],
            "only_first": self.only_first,
            "only_second": self.only_second,
        }


def compare_conformance(
    first: ConformanceReport, second: ConformanceReport, *, examples: int = 5
) -> Comparison:
    """Compare two reports on the same histories (typically two lifecycle definitions).

    Raises:
        InvalidInputError: an argument is not a :class:`ConformanceReport`.

    .. versionadded:: 0.2
    """
    for label, value in (("first", first), ("second", second)):
        if not isinstance(value, ConformanceReport):
            raise InvalidInputError(
                f"{label} must be a ConformanceReport, got {type(value).__name__}"
            )
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 0:
        raise InvalidInputError(f"examples must be an int >= 0, got {shown(examples)}")
    a = {(s.source, s.target): s.occurrences for s in first.disallowed}
    b = {(s.source, s.target): s.occurrences for s in second.disallowed}

    def changes(keys: list[tuple[str, str]]) -> tuple[StepChange, ...]:
        rows = [
            StepChange(source=s, target=t, first=a.get((s, t), 0), second=b.get((s, t), 0))
            for s, t in keys
        ]
        return tuple(sorted(rows, key=lambda r: (-max(r.first, r.second), r.source, r.target)))

    verdicts = {t.id: t.verdict for t in first.traces}
    flips: dict[tuple[Verdict, Verdict], list[str]] = {}
    counts: dict[tuple[Verdict, Verdict], int] = {}
    common = 0
    for result in second.traces:
        before = verdicts.get(result.id)
        if before is None:
            continue
        common += 1
        if before is not result.verdict:
            key = (before, result.verdict)
            counts[key] = counts.get(key, 0) + 1
            kept = flips.setdefault(key, [])
            if len(kept) < examples:
                kept.append(result.id)
    order = list(Verdict)
    return Comparison(
        first=first,
        second=second,
        removed=changes([k for k in a if k not in b]),
        added=changes([k for k in b if k not in a]),
        unchanged=changes([k for k in a if k in b]),
        flips=tuple(
            Flip(before=x, after=y, tickets=counts[(x, y)], examples=tuple(flips[(x, y)]))
            for x, y in sorted(counts, key=lambda k: (order.index(k[0]), order.index(k[1])))
        ),
        only_first=len(verdicts) - common,
        only_second=len(second.traces) - common,
    )
