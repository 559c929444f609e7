"""Listing: filters on the index fields, total orders, and keyset paging.

Each :class:`Order` is total (the id breaks ties) and puts records without
the leading value (no priority, no SLA due time) last. A page ends with a
:class:`PageCursor` naming the last record's sort key; the next page holds the
records strictly after it. So paging never repeats or skips a record that
existed, unchanged, when paging began, whatever is inserted meanwhile; a
record whose sort key changes between pages may move past the cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import attrs

from itilkit._enums import Vocabulary
from itilkit._repr import shown
from itilkit._validators import of_type, optional
from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.storage._records import (
    MAX_INT,
    IndexFields,
    StoredRecord,
    check_int,
    check_text,
    to_utc,
)

__all__ = [
    "OPEN_CATEGORIES",
    "Order",
    "Page",
    "PageCursor",
    "RecordFilter",
    "check_history_args",
    "check_list_args",
    "sort_key",
]

T = TypeVar("T")

#: The categories of tickets still owed work (what "open" means in the queries).
OPEN_CATEGORIES = frozenset(c for c in StateCategory if c.is_open)
#: The most records one page may hold.
MAX_PAGE = 10_000
_LAST = datetime.max.replace(tzinfo=UTC)


class Order(Vocabulary):
    """How a listing is ordered; each ends with the id so the order is total.

    ``ID``: by id. ``PRIORITY``: priority level ascending (1 first; none last),
    then opened time (none last), then id. ``SLA_DUE``: SLA due time ascending (none
    last), then id.
    """

    ID = "id"
    PRIORITY = "priority"
    SLA_DUE = "sla_due"


#: The most values one filter field may list.
MAX_FILTER_VALUES = 1000
_V = TypeVar("_V")


def _bounded(values: frozenset[_V], field: str) -> frozenset[_V]:
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidInputError(
            f"{field} may list at most {MAX_FILTER_VALUES} values, got {len(values)}"
        )
    return values


def _names(value: object, field: str) -> frozenset[str] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, Iterable):
        raise InvalidInputError(f"{field} must be a string or strings, got {shown(value)}")
    return _bounded(frozenset(check_text(v, field) for v in values), field)


def _states(value: object) -> frozenset[str] | None:
    return _names(value, "states")


def _groups(value: object) -> frozenset[str] | None:
    return _names(value, "assignment_groups")


def _practices(value: object) -> frozenset[str] | None:
    return _names(value, "practices")


def _entity_names(value: object) -> frozenset[str] | None:
    return _names(value, "names")


def _classifications(value: object) -> frozenset[str] | None:
    return _names(value, "classifications")


def _categories(value: object) -> frozenset[StateCategory] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, Iterable):
        raise InvalidInputError(f"categories must be StateCategory values, got {shown(value)}")
    chosen = set()
    for item in values:
        try:
            chosen.add(StateCategory(item))
        except ValueError:
            allowed = ", ".join(c.value for c in StateCategory)
            raise InvalidInputError(
                f"categories must be among {allowed}, got {shown(item)}"
            ) from None
    return frozenset(chosen)


def _priorities(value: object) -> frozenset[int] | None:
    if value is None:
        return None
    values = [value] if isinstance(value, int) else value
    if not isinstance(values, Iterable):
        raise InvalidInputError(f"priorities must be ints, got {shown(value)}")
    return _bounded(frozenset(check_int(v, "priorities", 0, MAX_INT) for v in values), "priorities")


def _due_by(value: object) -> datetime | None:
    return None if value is None else to_utc(value, "sla_due_by")


def _order(value: object) -> Order:
    try:
        return Order(value)  # type: ignore[arg-type]  # a bad value is refused below
    except ValueError:
        allowed = ", ".join(o.value for o in Order)
        raise InvalidInputError(f"order must be one of {allowed}, got {shown(value)}") from None


@attrs.frozen(kw_only=True)
class RecordFilter:
    """Which records to list: each field given is one condition, all must hold.

    A field of names matches records whose index value is one of them (a single
    string is one name); None means any value, and an empty set matches nothing.
    ``sla_due_by`` keeps records whose SLA due time is at or before it.
    """

    states: frozenset[str] | None = attrs.field(default=None, converter=_states)
    categories: frozenset[StateCategory] | None = attrs.field(default=None, converter=_categories)
    priorities: frozenset[int] | None = attrs.field(default=None, converter=_priorities)
    assignment_groups: frozenset[str] | None = attrs.field(default=None, converter=_groups)
    practices: frozenset[str] | None = attrs.field(default=None, converter=_practices)
    sla_due_by: datetime | None = attrs.field(default=None, converter=_due_by)
    names: frozenset[str] | None = attrs.field(default=None, converter=_entity_names)
    classifications: frozenset[str] | None = attrs.field(default=None, converter=_classifications)

    def matches(self, index: IndexFields) -> bool:
        """Whether a record with these index fields passes the filter."""
        if not isinstance(index, IndexFields):
            raise InvalidTypeError("index", "IndexFields", index)
        return (
            (self.states is None or index.state in self.states)
            and (self.categories is None or index.category in self.categories)
            and (self.priorities is None or index.priority in self.priorities)
            and (self.assignment_groups is None or index.assignment_group in self.assignment_groups)
            and (self.practices is None or index.practice in self.practices)
            and (self.names is None or index.name in self.names)
            and (self.classifications is None or index.classification in self.classifications)
            and (
                self.sla_due_by is None
                or (index.sla_due_at is not None and index.sla_due_at <= self.sla_due_by)
            )
        )


@attrs.frozen(kw_only=True)
class PageCursor:
    """Where the next page starts: the sort key of the last record of a page.

    ``token()`` turns it into an opaque URL-safe string and
    ``PageCursor.from_token`` back, for a host that pages over HTTP.
    """

    order: Order = attrs.field(converter=_order)
    record_id: str = attrs.field()
    priority: int | None = attrs.field(default=None)
    opened_at: datetime | None = attrs.field(default=None, converter=_due_by)
    sla_due_at: datetime | None = attrs.field(default=None, converter=_due_by)

    def __attrs_post_init__(self) -> None:
        check_text(self.record_id, "record_id")
        if self.priority is not None:
            check_int(self.priority, "priority", 0, MAX_INT)

    @classmethod
    def after(cls, order: Order, record: StoredRecord) -> PageCursor:
        """The cursor just after ``record`` in ``order``."""
        order = _order(order)
        if not isinstance(record, StoredRecord):
            raise InvalidTypeError("record", "a StoredRecord", record)
        index = record.index
        if order is Order.PRIORITY:
            return cls(
                order=order,
                record_id=record.id,
                priority=index.priority,
                opened_at=index.opened_at,
            )
        if order is Order.SLA_DUE:
            return cls(order=order, record_id=record.id, sla_due_at=index.sla_due_at)
        return cls(order=order, record_id=record.id)

    def sort_key(self) -> tuple[Any, ...]:
        """The key the cursor stands at, comparable with :func:`sort_key` of a record."""
        if self.order is Order.PRIORITY:
            opened = (self.opened_at is None, self.opened_at or _LAST)
            return (self.priority is None, self.priority or 0, *opened, self.record_id)
        if self.order is Order.SLA_DUE:
            return (self.sla_due_at is None, self.sla_due_at or _LAST, self.record_id)
        return (self.record_id,)

    def token(self) -> str:
        """This cursor as an opaque URL-safe string."""
        times = [None if t is None else t.isoformat() for t in (self.opened_at, self.sla_due_at)]
        raw = json.dumps([self.order.value, self.record_id, self.priority, *times])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> PageCursor:
        """Read a cursor from :meth:`token`'s string; anything else is bad input."""
        try:
            padded = token + "=" * (-len(token) % 4)
            order, record_id, priority, opened, due = json.loads(
                base64.urlsafe_b64decode(padded.encode("ascii"))
            )
            cursor = cls(
                order=order,
                record_id=record_id,
                priority=priority,
                opened_at=None if opened is None else datetime.fromisoformat(opened),
                sla_due_at=None if due is None else datetime.fromisoformat(due),
            )
        except (ValueError, TypeError, AttributeError, binascii.Error, RecursionError):
            raise InvalidInputError(f"not a page cursor token: {shown(token)}") from None
        return cursor


def sort_key(order: Order, record: StoredRecord) -> tuple[Any, ...]:
    """The key ``order`` sorts ``record`` by (what a cursor after it stands at)."""
    return PageCursor.after(order, record).sort_key()


@attrs.frozen
class Page(Generic[T]):
    """One page of a listing; ``next`` is None on the last page."""

    items: tuple[T, ...] = attrs.field(validator=of_type(tuple))
    next: PageCursor | None = attrs.field(default=None, validator=optional(of_type(PageCursor)))

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def check_list_args(
    kind: object, filter: object, order: object, after: object, limit: object
) -> None:
    """Check the arguments of ``list`` (every store takes the same) before any I/O."""
    check_text(kind, "kind")
    if not isinstance(filter, RecordFilter):
        raise InvalidInputError(f"filter must be a RecordFilter, got {shown(filter)}")
    check_int(limit, "limit", 1, MAX_PAGE)
    if not isinstance(order, Order):
        allowed = ", ".join(o.value for o in Order)
        raise InvalidInputError(f"order must be an Order ({allowed}), got {shown(order)}")
    if after is not None:
        if not isinstance(after, PageCursor):
            raise InvalidInputError(f"after must be a PageCursor or None, got {shown(after)}")
        if after.order is not order:
            raise InvalidInputError(
                f"the cursor was made for order {after.order.value!r}, not {order.value!r}"
            )


def check_history_args(
    kind: object,
    record_id: object,
    after: object,
    up_to: object,
    limit: object,
    newest_first: object,
) -> None:
    """Check the arguments of ``history`` (every store takes the same) before any I/O."""
    check_text(kind, "kind")
    check_text(record_id, "record_id")
    check_int(after, "after", 0)
    if up_to is not None:
        check_int(up_to, "up_to", 0)
    if limit is not None:
        check_int(limit, "limit", 1)
    if not isinstance(newest_first, bool):
        raise InvalidInputError(f"newest_first must be a bool, got {shown(newest_first)}")
