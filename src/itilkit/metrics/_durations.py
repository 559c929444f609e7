"""The time-to-X family: durations between two timestamps of each record.

Every measure here is ``d(r) = clock.elapsed(start(r), end(r))``, minus the
paused time inside ``[start, end]`` when ``exclude_paused`` is set, over the
records that have both timestamps and are not canceled.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import Any, ClassVar

import attrs

from itilkit._repr import shown
from itilkit.errors import InvalidInputError, ItilkitError
from itilkit.metrics._clock import DurationClock, WallClock, check_clock, paused_within
from itilkit.metrics._codegen import as_datetime, compile_loop, vouch
from itilkit.metrics._engine import (
    Batches,
    Layout,
    Measure,
    Scan,
    check_percentiles,
    indexed,
)
from itilkit.metrics._fields import LOGICAL_FIELDS, bool_option, check_datetime, check_pauses
from itilkit.metrics._quality import Quality
from itilkit.metrics._stats import MICROSECOND, DurationStats

__all__ = [
    "FailedDeploymentRecoveryTime",
    "LeadTimeForChanges",
    "TimeBetween",
    "TimeToAcknowledge",
    "TimeToFirstResponse",
    "TimeToRepair",
    "TimeToResolve",
    "TimeToRestoreService",
]

_ZERO = timedelta(0)
_BULK = 8192


@attrs.frozen(kw_only=True)
class DurationMeasure(Measure[list[float], DurationStats]):
    """A duration from ``start`` to ``end`` of each record, summarised per group.

    Args:
        clock: ``WallClock()`` (default) or any object with ``elapsed(start, end)``,
            such as an :class:`itilkit.sla.BusinessCalendar`.
        exclude_paused: subtract the paused time (field ``pauses``) inside the interval.
        percentiles: fractions reported besides the median, default ``(0.9,)``.
        by: grouping dimensions (column names or :class:`ByPeriod`).
        fields: logical field -> host column name.
    """

    start: ClassVar[str] = "opened_at"
    end: ClassVar[str] = "resolved_at"
    #: Exclusion reason for a record without the end timestamp yet.
    not_ended: ClassVar[str] = "unresolved"

    clock: DurationClock = attrs.field(factory=WallClock, validator=check_clock)
    exclude_paused: bool = attrs.field(default=False, validator=bool_option)
    percentiles: tuple[float, ...] = attrs.field(default=(0.9,), converter=check_percentiles)

    @property
    def start_field(self) -> str:
        """The logical field the duration starts at."""
        return self.start

    @property
    def end_field(self) -> str:
        """The logical field the duration ends at."""
        return self.end

    def logical(self) -> tuple[str, ...]:
        """Start, end, category, then pauses when they are excluded."""
        extra = ("pauses",) if self.exclude_paused else ()
        return (self.start_field, self.end_field, "category", *extra)

    def _new_state(self) -> list[float]:
        """An empty list of durations (whole microseconds as floats)."""
        return []

    def _add(self, state: list[float], item: timedelta) -> None:
        """Append one duration."""
        state.append(item / MICROSECOND)

    def _merge_states(self, a: list[float], b: list[float]) -> list[float]:
        """Both lists of durations."""
        return a + b

    def _merge_all(self, states: Iterable[list[float]]) -> list[float]:
        """Every duration, concatenated once."""
        return list(chain.from_iterable(states))

    def _stats(self, state: list[float]) -> DurationStats:
        """Count, mean, median and percentiles (sorts ``state`` in place)."""
        return DurationStats._of_micros(state, self.percentiles)

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> timedelta | None:
        """The record's duration, or ``None`` after reporting why it is left out."""
        if self._category_excluded(raw, layout, record, index, quality):
            return None
        start_name = layout.names[0]
        end_name = layout.names[1]
        start, start_problem = check_datetime(raw[0])
        end, end_problem = check_datetime(raw[1])
        if start_problem or start is None:
            quality.issue(start_name, start_problem or "missing", record, index)
            quality.exclude(f"no valid {start_name}", record, index)
            return None
        if end_problem:
            quality.issue(end_name, end_problem, record, index)
            quality.exclude(f"no valid {end_name}", record, index)
            return None
        if end is None:
            quality.exclude(self.not_ended, record, index)
            return None
        if end.astimezone(UTC) < start.astimezone(UTC):  # as instants (a same-zone < is wall time)
            quality.exclude(f"{end_name} before {start_name}", record, index)
            return None
        try:
            duration = self.clock.elapsed(start, end)
            if self.exclude_paused:
                return self._net(duration, start, end, raw, record, index, quality, layout)
        except ItilkitError as error:
            quality.exclude(f"clock error: {type(error).__name__}", record, index)
            return None
        return duration

    def _net(
        self,
        duration: timedelta,
        start: datetime,
        end: datetime,
        raw: Sequence[Any],
        record: object,
        index: int,
        quality: Quality,
        layout: Layout,
    ) -> timedelta | None:
        position = layout.index["pauses"]
        name = layout.names[position]
        pauses, problem = check_pauses(raw[position])
        if not problem and isinstance(pauses, timedelta) and not isinstance(self.clock, WallClock):
            problem = "a paused total cannot be measured in business time; give intervals"
        if problem:
            quality.issue(name, problem, record, index)
            quality.exclude(f"no valid {name}", record, index)
            return None
        paused = paused_within(self.clock, start, end, pauses)
        if paused > duration:
            quality.issue(name, "paused total longer than the interval", record, index)
            quality.exclude(f"no valid {name}", record, index)
            return None
        return duration - paused

    def _fast(self, records: Batches, scan: Scan[list[float]]) -> None:
        """Wall-clock records without pauses in a generated loop; others in bulk or one by one."""
        if self.exclude_paused:
            for index, record in indexed(records):
                scan.fallback(record, index)
        elif isinstance(self.clock, WallClock):
            names = {"start": self.start_field, "end": self.end_field}
            layout, by_key = scan.layout, scan.by_key
            near = {"NEAR": timedelta(days=360) / MICROSECOND}
            loop = compile_loop(_WALL_BODY, _WALL_TAIL, layout, by_key, names, self.not_ended, near)
            loop(records, scan)
        else:
            _clock_loop(self.clock, self, records, scan)


_NOT_ENDED = """\
    not_ended += 1
    if not_ended <= SAMPLES:
        exclude(ended, r, {index})
    continue
"""
#: Plain datetimes: ``end - begin`` (as instants); pandas Timestamps: their instants
#: floored to the microsecond (``.value // 1000``), as ``_take`` reads them. An end
#: in year 9999 lies over 360 days after a start before year 9998, so the end's year
#: is read only for long durations or late starts (a start in year 1 is refused).
_WALL_BODY = (
    "begin = {start}\n"
    "if type(begin) is datetime:\n"
    + textwrap.indent(vouch("begin"), "    ")
    + """\
    {check_category}
    end = {end}
    if end is None:
"""
    + textwrap.indent(_NOT_ENDED, "    ")
    + """\
    duration = end - begin
    if type(duration) is not td:
        fallback(r, {index})
        continue
    if end.tzinfo is zone and zone is not UTC_ZONE:
        duration += begin.utcoffset() - end.utcoffset()
    micros = duration / us
    if (micros > NEAR or year == 9998) and end.year in OUTSIDE:
        fallback(r, {index})
        continue
elif type(begin) is TS and TZ(begin) is not None:
    {check_category}
    end = {end}
    if end is None or end is NAT:
"""
    + textwrap.indent(_NOT_ENDED, "    ")
    + """\
    if type(end) is not TS or TZ(end) is None:
        fallback(r, {index})
        continue
    micros = end.value // 1000 - begin.value // 1000
else:
    fallback(r, {index})
    continue
if micros < 0:
    fallback(r, {index})
    continue"""
)
_WALL_TAIL = "state.append(micros)"


_CLOCK_BODY = (
    "begin = {start}\n"
    + as_datetime("begin")
    + vouch("begin")
    + """\
{check_category}
end = {end}
if end is None or end is NAT:
"""
    + _NOT_ENDED
    + as_datetime("end")
    + """\
if end.tzinfo is None or end.year in OUTSIDE:
    fallback(r, {index})
    continue
if end < begin:
    fallback(r, {index})
    continue
if end.tzinfo is zone and zone is not UTC_ZONE and end.utcoffset() != begin.utcoffset():
    if end.astimezone(UTC_ZONE) < begin.astimezone(UTC_ZONE):
        fallback(r, {index})
        continue"""
)
_CLOCK_TAIL = """\
states.append(state)
starts.append(begin)
ends.append(end)
held.append((r, {index}))
if len(starts) >= BULK:
    flush()"""


def _clock_loop(
    clock: DurationClock, measure: DurationMeasure, records: Batches, scan: Scan[list[float]]
) -> None:
    """Accept records as the wall-clock loop does; measure them with the clock in bulk.

    Accepted records wait in a batch measured by ``clock.elapsed_many`` when
    the clock has it (else ``elapsed`` per record). Any other record first
    flushes the batch, so records are reported in input order; a batch the
    clock refuses goes through ``_take`` record by record, which reports why.
    """
    states: list[list[float]] = []
    starts: list[datetime] = []
    ends: list[datetime] = []
    held: list[tuple[object, int]] = []

    def flush() -> None:
        durations = _elapsed_all(clock, starts, ends)
        if durations is None:
            for record, index in held:
                scan.fallback(record, index)
        else:
            for state, duration in zip(states, durations, strict=True):
                state.append(duration / MICROSECOND)
        states.clear()
        starts.clear()
        ends.clear()
        held.clear()

    def fallback(record: object, index: int) -> None:
        flush()
        scan.fallback(record, index)

    def exclude(reason: str, record: object, index: int) -> None:
        flush()
        scan.exclude(reason, record, index)

    names = {"start": measure.start_field, "end": measure.end_field}
    pending = {"states": states, "starts": starts, "ends": ends, "held": held}
    constants = {"flush": flush, "BULK": _BULK, **pending}
    loop = compile_loop(
        _CLOCK_BODY, _CLOCK_TAIL, scan.layout, scan.by_key, names, measure.not_ended, constants
    )
    loop(records, attrs.evolve(scan, fallback=fallback, exclude=exclude))
    flush()


def _elapsed_all(
    clock: DurationClock, starts: list[datetime], ends: list[datetime]
) -> Sequence[timedelta] | None:
    """The clock's durations of the pairs, or ``None`` when it refuses any of them."""
    if not starts:
        return ()
    bulk = getattr(clock, "elapsed_many", None)
    try:
        if bulk is not None:
            durations: Sequence[timedelta] = bulk(starts, ends)
        else:
            durations = [clock.elapsed(s, e) for s, e in zip(starts, ends, strict=True)]
    except ItilkitError:
        return None
    return durations if len(durations) == len(starts) else None


def _check_logical(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or value not in LOGICAL_FIELDS or not value.endswith("_at"):
        allowed = ", ".join(sorted(f for f in LOGICAL_FIELDS if f.endswith("_at")))
        raise InvalidInputError(
            f"{attribute.name} must be a logical timestamp field ({allowed}), got {shown(value)}"
        )


@attrs.frozen(kw_only=True)
class TimeBetween(DurationMeasure):
    """Duration between any two logical timestamps, e.g. ``opened_at`` to ``closed_at``."""

    name: ClassVar[str] = "time_between"

    from_field: str = attrs.field(validator=_check_logical)
    to_field: str = attrs.field(validator=_check_logical)

    @property
    def start_field(self) -> str:
        """``from_field``."""
        return self.from_field

    @property
    def end_field(self) -> str:
        """``to_field``."""
        return self.to_field


@attrs.frozen(kw_only=True)
class TimeToAcknowledge(DurationMeasure):
    """MTTA: ``opened_at`` to ``acknowledged_at``."""

    name: ClassVar[str] = "time_to_acknowledge"
    end: ClassVar[str] = "acknowledged_at"
    not_ended: ClassVar[str] = "not acknowledged"


@attrs.frozen(kw_only=True)
class TimeToFirstResponse(DurationMeasure):
    """Time to first response: ``opened_at`` to ``first_response_at``."""

    name: ClassVar[str] = "time_to_first_response"
    end: ClassVar[str] = "first_response_at"
    not_ended: ClassVar[str] = "no response yet"


@attrs.frozen(kw_only=True)
class TimeToResolve(DurationMeasure):
    """MTTR (resolve): ``opened_at`` to ``resolved_at`` (the final resolution)."""

    name: ClassVar[str] = "time_to_resolve"


@attrs.frozen(kw_only=True)
class TimeToRestoreService(DurationMeasure):
    """MTRS (ITIL): ``failed_at`` (service impact began) to ``restored_at``."""

    name: ClassVar[str] = "time_to_restore_service"
    start: ClassVar[str] = "failed_at"
    end: ClassVar[str] = "restored_at"
    not_ended: ClassVar[str] = "not restored"


@attrs.frozen(kw_only=True)
class TimeToRepair(DurationMeasure):
    """MTTR (repair, ITIL): ``failed_at`` to ``repaired_at`` of the CI."""

    name: ClassVar[str] = "time_to_repair"
    start: ClassVar[str] = "failed_at"
    end: ClassVar[str] = "repaired_at"
    not_ended: ClassVar[str] = "not repaired"


@attrs.frozen(kw_only=True)
class LeadTimeForChanges(DurationMeasure):
    """DORA lead time for changes: ``committed_at`` to ``deployed_at``."""

    name: ClassVar[str] = "lead_time_for_changes"
    start: ClassVar[str] = "committed_at"
    end: ClassVar[str] = "deployed_at"
    not_ended: ClassVar[str] = "not deployed"


@attrs.frozen(kw_only=True)
class FailedDeploymentRecoveryTime(DurationMeasure):
    """DORA failed deployment recovery time: ``failed_at`` to ``recovered_at``.

    Population: deployments whose ``deployment_failed`` is True; the others
    are excluded as "deployment did not fail".
    """

    name: ClassVar[str] = "failed_deployment_recovery_time"
    start: ClassVar[str] = "failed_at"
    end: ClassVar[str] = "recovered_at"
    not_ended: ClassVar[str] = "not recovered"

    def logical(self) -> tuple[str, ...]:
        """The duration fields, then ``deployment_failed``."""
        return (*super().logical(), "deployment_failed")

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> timedelta | None:
        """Only failed deployments count."""
        position = layout.index.get("deployment_failed")
        if position is not None:
            failed = raw[position]
            if failed is not True:
                if failed is False or failed is None:
                    quality.exclude("deployment did not fail", record, index)
                else:
                    quality.issue(layout.names[position], "not a bool", record, index)
                    quality.exclude(f"no valid {layout.names[position]}", record, index)
                return None
        return super()._take(raw, record, index, quality, layout)

    def _fast(self, records: Batches, scan: Scan[list[float]]) -> None:
        """Every record through :meth:`_take` (deployment data is small)."""
        for index, record in indexed(records):
            scan.fallback(record, index)
