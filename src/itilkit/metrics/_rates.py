"""Rates over incident-like records: FCR, first-assignment resolution, reopens, problems.

Each is ``hits / population`` with the population and the hit written on the
class. Canceled records and unresolved records are outside every population
here (the counts are reported as exclusions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar, Final

import attrs

from itilkit.metrics._engine import FAST_ERRORS, OPEN_OR_DONE, Fallback, Layout, Measure
from itilkit.metrics._fields import ABSENT, check_count, check_datetime, check_flag, is_missing
from itilkit.metrics._quality import Quality
from itilkit.metrics._stats import RateStats

__all__ = [
    "FirstAssignmentResolution",
    "FirstContactResolution",
    "ProblemResolutionShare",
    "ReopenRate",
]

BAD: Final = object()
"""A value that made the record excluded (already reported)."""

Check = Callable[[object], tuple[Any, str | None]]


def checked(
    logical: str,
    check: Check,
    raw: Sequence[Any],
    layout: Layout,
    record: object,
    index: int,
    quality: Quality,
    *,
    when_missing: str | None = None,
) -> Any:
    """A validated field value, ``None`` if not carried, or :data:`BAD` (reported).

    A missing value is reported as a field issue and excluded, unless
    ``when_missing`` names the exclusion reason for it (then it is no issue).
    """
    position = layout.index.get(logical)
    if position is None:
        return None
    name = layout.names[position]
    value, problem = check(raw[position])
    if problem is None and value is None:
        if when_missing is not None:
            quality.exclude(when_missing, record, index)
            return BAD
        problem = "missing"
    if problem is not None:
        quality.issue(name, problem, record, index)
        quality.exclude(f"no valid {name}", record, index)
        return BAD
    return value


@attrs.frozen(kw_only=True)
class RateMeasure(Measure[list[int], RateStats]):
    """``hits / population`` per group; items are ``(hits, population)`` pairs."""

    def new_state(self) -> list[int]:
        """Zero hits out of zero."""
        return [0, 0]

    def add(self, state: list[int], item: tuple[int, int]) -> None:
        """Add a record's hits and population."""
        state[0] += item[0]
        state[1] += item[1]

    def merge_states(self, a: list[int], b: list[int]) -> list[int]:
        """Counts added."""
        return [a[0] + b[0], a[1] + b[1]]

    def merge_all(self, states: Iterable[list[int]]) -> list[int]:
        """All counts added."""
        hits = population = 0
        for state in states:
            hits += state[0]
            population += state[1]
        return [hits, population]

    def stats(self, state: list[int]) -> RateStats:
        """The rate."""
        return RateStats(state[0], state[1])

    def resolved(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> bool:
        """True for a resolved, not canceled record; reports the others."""
        if self.category_excluded(raw, layout, record, index, quality):
            return False
        value = checked(
            "resolved_at", check_datetime, raw, layout, record, index, quality,
            when_missing="unresolved",
        )  # fmt: skip
        return value is not BAD


@attrs.frozen(kw_only=True)
class FirstContactResolution(RateMeasure):
    """FCR: resolved at the first contact and never reopened / resolved records.

    Gross (default): population = resolved, not canceled records. Net
    (``net=True``): also leaves out records whose ``first_line_resolvable`` is
    False ("not resolvable at first line"). A record with ``reopen_count > 0``
    never counts as resolved at first contact.
    """

    name: ClassVar[str] = "first_contact_resolution"
    net: bool = False

    def logical(self) -> tuple[str, ...]:
        """resolved_at, first_contact_resolved, reopen_count, category (+ resolvable)."""
        extra = ("first_line_resolvable",) if self.net else ()
        return ("resolved_at", "first_contact_resolved", "reopen_count", "category", *extra)

    def take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """One hit or miss, or excluded."""
        if not self.resolved(raw, record, index, quality, layout):
            return None
        if self.net:
            resolvable = checked(
                "first_line_resolvable", check_flag, raw, layout, record, index, quality
            )
            if resolvable is BAD:
                return None
            if resolvable is False:
                quality.exclude("not resolvable at first line", record, index)
                return None
        first = checked("first_contact_resolved", check_flag, raw, layout, record, index, quality)
        if first is BAD:
            return None
        reopens = checked("reopen_count", check_count, raw, layout, record, index, quality)
        if reopens is BAD:
            return None
        return (1 if first and not reopens else 0), 1

    def fast(
        self,
        records: Iterator[tuple[int, object]],
        get: Callable[[object], tuple[Any, ...]],
        layout: Layout,
        groups: dict[Any, list[int]],
        fallback: Fallback,
    ) -> None:
        """Records with every field carried and plain values inline; others via ``take``."""
        if self.net or len(layout.index) != 4:
            for index, record in records:
                fallback(record, index)
            return
        key_of = layout.fast_key()
        plain = layout.plain
        start = layout.group_start
        for index, record in records:
            try:
                values = get(record)
                resolved, first, reopens, category = values[:4]
                if (
                    resolved is None
                    or resolved.tzinfo is None
                    or (category is not None and category not in OPEN_OR_DONE)
                    or (first is not True and first is not False)
                    or type(reopens) is not int
                    or reopens < 0
                ):
                    fallback(record, index)
                    continue
                key = values[start:] if plain else key_of(values)
                counts = groups.get(key)
            except FAST_ERRORS:
                fallback(record, index)
                continue
            if counts is None:
                counts = groups[key] = [0, 0]
            if first and not reopens:
                counts[0] += 1
            counts[1] += 1


@attrs.frozen(kw_only=True)
class FirstAssignmentResolution(RateMeasure):
    """Resolved with ``reassignment_count == 0`` / resolved, not canceled records."""

    name: ClassVar[str] = "first_assignment_resolution"
    reads: ClassVar[tuple[str, ...]] = ("resolved_at", "reassignment_count", "category")

    def take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Hit when never reassigned."""
        if not self.resolved(raw, record, index, quality, layout):
            return None
        count = checked("reassignment_count", check_count, raw, layout, record, index, quality)
        if count is BAD:
            return None
        return (1 if count == 0 else 0), 1


@attrs.frozen(kw_only=True)
class ReopenRate(RateMeasure):
    """Reopen rate over resolved, not canceled records.

    By count (default): records with ``reopen_count > 0`` / records. By events
    (``by_events=True``): ``sum(reopen_count)`` / ``sum(reopen_count + 1)``,
    i.e. reopens per resolution (a record resolved ``k + 1`` times was reopened
    ``k`` times).
    """

    name: ClassVar[str] = "reopen_rate"
    reads: ClassVar[tuple[str, ...]] = ("resolved_at", "reopen_count", "category")
    by_events: bool = False

    def take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Reopened or not (by count); reopens and resolutions (by events)."""
        if not self.resolved(raw, record, index, quality, layout):
            return None
        count = checked("reopen_count", check_count, raw, layout, record, index, quality)
        if count is BAD:
            return None
        if self.by_events:
            return count, count + 1
        return (1 if count else 0), 1


def _link(value: object) -> tuple[object, str | None]:
    """A problem link: any value; missing means not linked (returned as False)."""
    if value is ABSENT:
        return None, "absent"
    if is_missing(value):
        return False, None
    return value, None


@attrs.frozen(kw_only=True)
class ProblemResolutionShare(RateMeasure):
    """Share of incidents resolved by a problem: resolved with a ``problem_id`` / resolved."""

    name: ClassVar[str] = "problem_resolution_share"
    reads: ClassVar[tuple[str, ...]] = ("resolved_at", "problem_id", "category")

    def take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Hit when linked to a problem."""
        if not self.resolved(raw, record, index, quality, layout):
            return None
        link = checked("problem_id", _link, raw, layout, record, index, quality)
        if link is BAD:
            return None
        return (0 if link is False else 1), 1
