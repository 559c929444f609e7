"""The single-pass engine every measure runs on, and mergeable partial results.

A measure reads each record once. A C-level getter fetches the fields it needs
(laid out as the measure's logical fields, then the grouping fields); any record
the measure's fast path does not accept outright goes to its ``_take`` method,
which validates field by field, reports problems and decides. So the fast
path only ever speeds up the common case; ``_take`` is the definition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from itertools import chain, islice
from typing import Any, ClassVar, Generic, TypeVar

import attrs

from itilkit._repr import shown
from itilkit._time import UNSUPPORTED_YEARS, plain
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidTypeError, ItilkitError, MetricsError
from itilkit.metrics._fields import (
    ABSENT,
    UNREADABLE,
    FieldMap,
    as_field_map,
    check_category,
    check_datetime,
    read,
    tuple_getter,
)
from itilkit.metrics._grouping import ByPeriod, GroupSpec, check_by, label
from itilkit.metrics._quality import Quality, QualityReport, Tally, tally
from itilkit.metrics._result import Result, Stats
from itilkit.metrics._stats import check_fractions

__all__ = ["Partial"]

#: Errors that send a record from a fast path to ``_take`` (any: ``_take`` says what is wrong).
FAST_ERRORS = (Exception,)
#: Category values a fast path accepts without a closer look (``None``: not carried).
OPEN_OR_DONE = frozenset(
    [None, *(c.value for c in StateCategory if c is not StateCategory.CANCELED)]
)
#: Records of inputs other than lists and tuples reach fast paths in lists this long.
BATCH = 4096

State = TypeVar("State")
S = TypeVar("S", bound=Stats)
Item = Any
Fallback = Callable[[object, int], None]
Batches = Iterator[Sequence[object]]
"""The records in input order, as lists or tuples; a record's index counts across them."""


def check_records(records: object) -> Iterable[object]:
    """``records`` if it is an iterable of records (not a string, bytes or a single mapping)."""
    if isinstance(records, str | bytes | bytearray | Mapping) or not isinstance(records, Iterable):
        hint = "; wrap a single record in a list" if isinstance(records, Mapping) else ""
        raise InvalidTypeError("records", f"an iterable of records{hint}", records)
    return records


def batches(records: Iterable[object], seen: list[int] | None = None) -> Batches:
    """``records`` as :data:`Batches`: a list or tuple whole, anything else in slices.

    ``seen[0]`` counts the records yielded so far, when given.
    """
    if type(records) is list or type(records) is tuple:
        if records:
            if seen is not None:
                seen[0] += len(records)
            yield records
        return
    remaining = iter(records)
    while batch := list(islice(remaining, BATCH)):
        if seen is not None:
            seen[0] += len(batch)
        yield batch


def indexed(records: Batches) -> Iterator[tuple[int, object]]:
    """``(index, record)`` pairs of :data:`Batches`."""
    start = 0
    for batch in records:
        yield from enumerate(batch, start)
        start += len(batch)


@attrs.frozen
class Layout:
    """Where each field sits in the tuple the getter returns."""

    names: tuple[str, ...]
    index: Mapping[str, int] = attrs.field(hash=False)
    specs: tuple[GroupSpec, ...]
    group_start: int

    @property
    def plain(self) -> bool:
        """True when every grouping dimension is a plain field (key = tail of the tuple)."""
        return all(isinstance(s, str) for s in self.specs)

    def key(self, raw: Sequence[Any], record: object, index: int, quality: Quality) -> Any:
        """The validated group key of a record, or ``None`` (excluded, reported)."""
        parts: list[Any] = []
        for position, spec in enumerate(self.specs, start=self.group_start):
            value = raw[position]
            if isinstance(spec, ByPeriod):
                at, problem = check_datetime(value)
                if at is None:
                    if problem:
                        quality.issue(spec.field, problem, record, index)
                    quality.exclude(f"no {spec.field} to group by", record, index)
                    return None
                parts.append(spec._start_of(at))
                continue
            if value is ABSENT or value is UNREADABLE:
                problem = "absent" if value is ABSENT else "unreadable (reading the field raised)"
                quality.issue(spec, problem, record, index)
                quality.exclude(f"no {spec} to group by", record, index)
                return None
            try:
                hash(value)
            except Exception:  # unhashable, or a hash that fails (deep, odd time zone)
                quality.issue(
                    spec, f"unhashable group value ({type(value).__name__})", record, index
                )
                quality.exclude(f"no {spec} to group by", record, index)
                return None
            parts.append(value)
        return tuple(parts)

    def fast_key(self) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
        """A key function for records a fast path accepted (may raise: then use ``key``)."""
        start = self.group_start
        if self.plain:
            return lambda values: values[start:]
        parts: list[Callable[[tuple[Any, ...]], Any]] = []
        for position, spec in enumerate(self.specs, start=start):
            if isinstance(spec, ByPeriod):
                parts.append(_period_part(position, spec))
            else:
                parts.append(_plain_part(position))
        return lambda values: tuple(part(values) for part in parts)


def _plain_part(position: int) -> Callable[[tuple[Any, ...]], Any]:
    return lambda values: values[position]


def _period_part(position: int, spec: ByPeriod) -> Callable[[tuple[Any, ...]], date]:
    def part(values: tuple[Any, ...]) -> date:
        at = values[position]
        if type(at) is not datetime:
            at = plain(at)  # a pandas Timestamp (anything else raises: see _take)
        if at.tzinfo is None or at.year in UNSUPPORTED_YEARS:
            raise ValueError("not a plain supported aware datetime: see _take")
        return spec._start_of(at)

    return part


@attrs.define
class Scan(Generic[State]):
    """What a fast path works with during one pass."""

    #: C-level getter of the layout's fields, for records shaped like the first.
    get: Callable[[object], tuple[Any, ...]]
    layout: Layout
    groups: dict[Any, State]
    #: Handles one record fully (validation, reporting, accumulation).
    fallback: Fallback
    #: True when the first record is a mapping (fields read by key).
    by_key: bool
    #: Count a record as excluded for a reason: ``exclude(reason, record, index)``.
    exclude: Callable[[str, object, int], None]
    #: Count more records as excluded for a reason, without samples: ``count(reason, n)``.
    count: Callable[[str, int], None]


def _is_field_map(_: object, __: attrs.Attribute[FieldMap], value: object) -> None:
    if not isinstance(value, FieldMap):  # pragma: no cover - the converter guarantees it
        raise InvalidInputError("fields must be a FieldMap or a mapping")


@attrs.frozen(kw_only=True)
class Measure(Generic[State, S]):
    """Base of every measure: a frozen, callable value holding its configuration.

    Call it on records for a :class:`Result`; or call :meth:`partial` per
    partition, combine with :meth:`Partial.merge`, and finish with
    :meth:`Partial.result` for exactly the same result.
    """

    name: ClassVar[str] = "measure"
    #: Logical fields read, in order; measures may append more in ``logical()``.
    reads: ClassVar[tuple[str, ...]] = ()
    #: Logical fields the field map may declare absent (mapped to ``None``).
    optional: ClassVar[tuple[str, ...]] = ("category",)

    by: tuple[GroupSpec, ...] = attrs.field(default=(), converter=check_by)
    fields: FieldMap = attrs.field(
        factory=FieldMap, converter=as_field_map, validator=_is_field_map
    )

    def __attrs_post_init__(self) -> None:
        """Check that the records carry every field read but the optional ones."""
        if type(self)._take is Measure._take:
            raise InvalidInputError(
                f"{type(self).__name__} is a base class; use one of the measures, "
                "e.g. TimeToResolve()"
            )
        missing = [
            f for f in self.logical() if f not in self.optional and self.fields.source(f) is None
        ]
        if missing:
            raise InvalidInputError(
                f"{self.name} reads the field(s) {missing}, but the field map says the records "
                "do not carry them"
            )

    def logical(self) -> tuple[str, ...]:
        """The logical fields this measure reads, in layout order."""
        return self.reads

    def _extra_fields(self) -> tuple[tuple[str, str], ...]:
        """Host fields read besides the logical ones, as ``(label, host name)``."""
        return ()

    def _layout(self) -> Layout:
        """The getter layout: carried logical fields, then grouping fields."""
        names: list[str] = []
        index: dict[str, int] = {}
        for logical in self.logical():
            source = self.fields.source(logical)
            if source is not None:
                index[logical] = len(names)
                names.append(source)
        for label_, source in self._extra_fields():
            index[label_] = len(names)
            names.append(source)
        start = len(names)
        names.extend(s if isinstance(s, str) else s.field for s in self.by)
        return Layout(tuple(names), index, self.by, start)

    # -- to implement -------------------------------------------------------------
    def _new_state(self) -> State:
        """An empty per-group state."""
        raise NotImplementedError

    def _add(self, state: State, item: Item) -> None:
        """Add one accepted record's item to a group state (in place)."""
        raise NotImplementedError

    def _merge_states(self, a: State, b: State) -> State:
        """A new state equal to having seen the records of ``a`` then ``b``."""
        raise NotImplementedError

    def _merge_all(self, states: Iterable[State]) -> State:
        """One state holding every state's records (the overall group)."""
        merged = self._new_state()
        for state in states:
            merged = self._merge_states(merged, state)
        return merged

    def _stats(self, state: State) -> S:
        """The statistics of one group state."""
        raise NotImplementedError

    def _take(
        self, raw: Sequence[Any], record: object, index: int, quality: Quality, layout: Layout
    ) -> Item | None:
        """Validate one record; return its item, or ``None`` after reporting why not."""
        raise NotImplementedError

    def _fast(self, records: Batches, scan: Scan[State]) -> None:
        """Accumulate ``records``; the default sends each through ``scan.fallback``."""
        fallback = scan.fallback
        for index, record in indexed(records):
            fallback(record, index)

    # -- provided -----------------------------------------------------------------
    def _category_excluded(
        self, raw: Sequence[Any], layout: Layout, record: object, index: int, quality: Quality
    ) -> bool:
        """Report and return True when the record's category says canceled (or is bad)."""
        position = layout.index.get("category")
        if position is None:
            return False
        category, problem = check_category(raw[position])
        if problem:
            name = layout.names[position]
            quality.issue(name, problem, record, index)
            quality.exclude(_invalid_category(name, raw[position]), record, index)
            return True
        if category is StateCategory.CANCELED:
            quality.exclude("canceled", record, index)
            return True
        return False

    def partial(self, records: Iterable[object]) -> Partial[State, S]:
        """Accumulate ``records`` in one pass into a mergeable partial result.

        Raises:
            InvalidTypeError: ``records`` is not an iterable of records (a
                string, bytes or a single mapping is refused).
        """
        layout = self._layout()
        quality = Quality(self.fields)
        groups: dict[Any, State] = {}
        seen = [0]
        remaining = batches(check_records(records), seen)
        head = next(remaining, None)
        if head is not None:
            first = head[0]
            get = tuple_getter(layout.names, first)
            names = layout.names

            def fallback(record: object, index: int) -> None:
                raw = tuple(read(record, name) for name in names)
                item = self._take(raw, record, index, quality, layout)
                if item is None:
                    return
                key = layout.key(raw, record, index, quality)
                if key is None:
                    return
                state = groups.get(key)
                if state is None:
                    state = groups[key] = self._new_state()
                self._add(state, item)

            by_key = isinstance(first, Mapping)
            scan = Scan(get, layout, groups, fallback, by_key, quality.exclude, quality.count)
            self._fast(chain((head,), remaining), scan)
        return Partial(self, groups, QualityReport.of(quality, seen[0]))

    def __call__(self, records: Iterable[object]) -> Result[S]:
        """The measure over ``records``."""
        return self.partial(records).result()


def _invalid_category(name: str, value: object) -> str:
    """The exclusion reason of a record whose ``name`` field holds no state category."""
    if value is UNREADABLE:
        return "invalid category"
    return (
        f"invalid category: {name!r} holds no lifecycle state category (allowed: "
        f"{', '.join(c.value for c in StateCategory)}); if it is the records' own field "
        "(an export's ticket category), map it away with fields={'category': None}, or "
        "convert the records to the logical fields first (itilkit.reports does it for "
        "imported records: servicenow_record() and its siblings)"
    )


_FOREIGN = (
    "this partial holds group states its measure did not make ({}); build partials with "
    "measure.partial(records)"
)


def _is_measure(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Measure):
        raise InvalidTypeError("measure", "a Measure", value)


def _is_mapping(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise InvalidTypeError("groups", "a mapping of group keys to states", value)


def _is_report(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, QualityReport):
        raise InvalidTypeError("quality", "a QualityReport", value)


@attrs.frozen
class Partial(Generic[State, S]):
    """A mergeable partial result: per-group states and the quality report.

    ``a.merge(b).result()`` equals the result over the records of ``a`` then
    ``b``; sample keys keep ``a``'s first.
    """

    measure: Measure[State, S] = attrs.field(validator=_is_measure)
    groups: Mapping[Any, State] = attrs.field(hash=False, validator=_is_mapping)
    quality: QualityReport = attrs.field(validator=_is_report)

    def merge(self, other: Partial[State, S]) -> Partial[State, S]:
        """Combine two partials of the same measure (inputs are left unchanged)."""
        if not isinstance(other, Partial):
            raise InvalidTypeError("other", "a Partial of the same measure", other)
        if other.measure != self.measure:
            raise MetricsError(
                f"cannot merge partials of different measures: {self.measure!r} and "
                f"{other.measure!r}"
            )
        try:
            return self._merged(other)
        except ItilkitError:
            raise
        except (TypeError, AttributeError, ValueError, IndexError, KeyError) as error:
            raise MetricsError(_FOREIGN.format(type(error).__name__)) from None

    def _merged(self, other: Partial[State, S]) -> Partial[State, S]:
        measure = self.measure
        groups = dict(self.groups)
        for key, state in other.groups.items():
            mine = groups.get(key)
            groups[key] = (
                measure._merge_states(measure._new_state(), state)
                if mine is None
                else measure._merge_states(mine, state)
            )
        return Partial(measure, groups, self.quality.merge(other.quality))

    def result(self) -> Result[S]:
        """Finish: statistics overall and per group, groups in sorted key order.

        Raises:
            MetricsError: the durations of a group add up to more than a
                timedelta holds, or the partial holds states of another measure.
        """
        try:
            return self._result()
        except ItilkitError:
            raise
        except (TypeError, AttributeError, ValueError, IndexError, KeyError) as error:
            raise MetricsError(_FOREIGN.format(type(error).__name__)) from None

    def _result(self) -> Result[S]:
        measure = self.measure
        groups = {key: measure._stats(self.groups[key]) for key in _sorted_keys(self.groups)}
        overall = measure._merge_all(self.groups.values())
        issues: dict[str, dict[str, Tally]] = {}
        for (field, problem), counted in sorted(self.quality.issues.items()):
            issues.setdefault(field, {})[problem] = tally(counted)
        return Result(
            measure=measure.name,
            by=tuple(label(s) for s in measure.by),
            overall=measure._stats(overall),
            groups=groups,
            exclusions={r: tally(c) for r, c in sorted(self.quality.exclusions.items())},
            field_issues=issues,
        )


def _sorted_keys(groups: Mapping[Any, Any]) -> list[Any]:
    try:
        return sorted(groups)
    except Exception:  # keys of mixed types: order by their text
        return sorted(groups, key=lambda key: tuple((v is None, shown(v)) for v in key))


def check_percentiles(value: Iterable[float]) -> tuple[float, ...]:
    """Converter for ``percentiles`` options."""
    return check_fractions(value)
