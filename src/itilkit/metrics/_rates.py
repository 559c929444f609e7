"""Rates over incident-like records: FCR, first-assignment resolution, reopens, problems.

Each is ``hits / population`` with the population and the hit written on the
class. Canceled records and unresolved records are outside every population
here (the counts are reported as exclusions).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Final

import attrs

from itilkit.metrics._codegen import compile_loop, vouch
from itilkit.metrics._engine import Batches, Layout, Measure, Scan, indexed
from itilkit.metrics._fields import (
    ABSENT,
    UNREADABLE,
    bool_option,
    check_count,
    check_datetime,
    check_flag,
    is_missing,
    problem_of,
)
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

    def _new_state(self) -> list[int]:
        """Zero hits out of zero."""
        return [0, 0]

    def _add(self, state: list[int], item: tuple[int, int]) -> None:
        """Add a record's hits and population."""
        state[0] += item[0]
        state[1] += item[1]

    def _merge_states(self, a: list[int], b: list[int]) -> list[int]:
        """Counts added."""
        return [a[0] + b[0], a[1] + b[1]]

    def _merge_all(self, states: Iterable[list[int]]) -> list[int]:
        """All counts added."""
        hits = population = 0
        for state in states:
            hits += state[0]
            population += state[1]
        return [hits, population]

    def _stats(self, state: list[int]) -> RateStats:
        """The rate."""
        return RateStats(state[0], state[1])

    def _resolved(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> bool:
        """True for a resolved, not canceled record; reports the others."""
        if self._category_excluded(raw, layout, record, index, quality):
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

    Per contact (``per_contact=True``): each record is a contact (an
    interaction, a call) carrying its own flag, such as HP Service Manager's
    ``First Call Resolution``. Population = not canceled records whose
    ``first_contact_resolved`` is set (a missing flag is excluded as "no
    first-contact flag"); ``resolved_at`` and ``reopen_count`` are not read.

    .. versionchanged:: 0.2 ``per_contact``.
    """

    name: ClassVar[str] = "first_contact_resolution"
    net: bool = attrs.field(default=False, validator=bool_option)
    per_contact: bool = attrs.field(default=False, validator=bool_option)

    def logical(self) -> tuple[str, ...]:
        """resolved_at, first_contact_resolved, reopen_count, category (+ resolvable);
        per contact only the flag and category (+ resolvable)."""
        extra = ("first_line_resolvable",) if self.net else ()
        if self.per_contact:
            return ("first_contact_resolved", "category", *extra)
        return ("resolved_at", "first_contact_resolved", "reopen_count", "category", *extra)

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """One hit or miss, or excluded."""
        if self.per_contact:
            if self._category_excluded(raw, layout, record, index, quality):
                return None
        elif not self._resolved(raw, record, index, quality, layout):
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
        missing = "no first-contact flag" if self.per_contact else None
        first = checked(
            "first_contact_resolved", check_flag, raw, layout, record, index, quality,
            when_missing=missing,
        )  # fmt: skip
        if first is BAD:
            return None
        if self.per_contact:
            return (1 if first else 0), 1
        reopens = checked("reopen_count", check_count, raw, layout, record, index, quality)
        if reopens is BAD:
            return None
        return (1 if first and not reopens else 0), 1

    def _fast(self, records: Batches, scan: Scan[list[int]]) -> None:
        """Gross FCR in a generated loop; records it does not accept go through ``_take``."""
        if self.net or self.per_contact:
            for index, record in indexed(records):
                scan.fallback(record, index)
            return
        names = {"resolved": "resolved_at", "first": "first_contact_resolved"}
        names["reopens"] = "reopen_count"
        # ``is ZERO`` spares the common count 0 the type check (any 0 is still accepted).
        zero = {"ZERO": 0}
        layout, by_key = scan.layout, scan.by_key
        loop = compile_loop(_FCR_BODY, _FCR_TAIL, layout, by_key, names, "unresolved", zero)
        loop(records, scan)


#: A plain datetime is vouched for; None and NaT are unresolved; else an aware Timestamp.
_FCR_BODY = (
    """\
{check_category}
resolved = {resolved}
if type(resolved) is datetime:
"""
    + textwrap.indent(vouch("resolved"), "    ")
    + """\
elif resolved is None or resolved is NAT:
    not_ended += 1
    if not_ended <= SAMPLES:
        exclude(ended, r, {index})
    continue
elif type(resolved) is not TS or TZ(resolved) is None or resolved.year in OUTSIDE:
    fallback(r, {index})
    continue
first = {first}
if first is not True and first is not False:
    fallback(r, {index})
    continue
reopens = {reopens}
if reopens is not ZERO and (type(reopens) is not int or reopens < 0):
    fallback(r, {index})
    continue"""
)
_FCR_TAIL = """\
if first is True and not reopens:
    state[0] += 1
state[1] += 1"""


@attrs.frozen(kw_only=True)
class FirstAssignmentResolution(RateMeasure):
    """Resolved with ``reassignment_count == 0`` / resolved, not canceled records."""

    name: ClassVar[str] = "first_assignment_resolution"
    reads: ClassVar[tuple[str, ...]] = ("resolved_at", "reassignment_count", "category")

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Hit when never reassigned."""
        if not self._resolved(raw, record, index, quality, layout):
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
    by_events: bool = attrs.field(default=False, validator=bool_option)

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Reopened or not (by count); reopens and resolutions (by events)."""
        if not self._resolved(raw, record, index, quality, layout):
            return None
        count = checked("reopen_count", check_count, raw, layout, record, index, quality)
        if count is BAD:
            return None
        if self.by_events:
            return count, count + 1
        return (1 if count else 0), 1


def _link(value: object) -> tuple[object, str | None]:
    """A problem link: any value; missing means not linked (returned as False)."""
    if value is ABSENT or value is UNREADABLE:
        return None, problem_of(value)
    if is_missing(value):
        return False, None
    return value, None


@attrs.frozen(kw_only=True)
class ProblemResolutionShare(RateMeasure):
    """Share of incidents resolved by a problem: resolved with a ``problem_id`` / resolved."""

    name: ClassVar[str] = "problem_resolution_share"
    reads: ClassVar[tuple[str, ...]] = ("resolved_at", "problem_id", "category")

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> tuple[int, int] | None:
        """Hit when linked to a problem."""
        if not self._resolved(raw, record, index, quality, layout):
            return None
        link = checked("problem_id", _link, raw, layout, record, index, quality)
        if link is BAD:
            return None
        return (0 if link is False else 1), 1
