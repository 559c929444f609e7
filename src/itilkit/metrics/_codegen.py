"""Generated fast loops: a measure's common case compiled for one record shape.

A generic loop pays for a tuple getter and slices on every record; a loop
generated with the field names written in (``r.opened_at`` or
``r["opened_at"]``) reads like the hand-written loop. Names come from the
configuration, never from the data, and are written with ``repr`` or checked
to be identifiers, so the generated source cannot be injected into.
"""

from __future__ import annotations

import keyword
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from itilkit._time import UNSUPPORTED_YEARS
from itilkit.metrics._engine import FAST_ERRORS, OPEN_OR_DONE, Batches, Fallback, Layout, Scan
from itilkit.metrics._grouping import ByPeriod
from itilkit.metrics._quality import SAMPLE_SIZE

Loop = Callable[[Batches, Scan[Any]], None]

#: The index of ``r``, worked out from the batch iterator only when a record needs it.
_INDEX = "start + size - rest.__length_hint__() - 1"


def accessor(name: str, by_key: bool) -> str:
    """Source that reads ``name`` from the record ``r``."""
    if by_key:
        return f"r[{name!r}]"
    if name.isidentifier() and not keyword.iskeyword(name):
        return f"r.{name}"
    return f"getattr(r, {name!r})"


#: Zone types whose ``utcoffset`` is never ``None``: one aware value vouches for the zone.
_STABLE_ZONES = (timezone, ZoneInfo)
_MICROSECOND = timedelta(microseconds=1)
#: datetime's own tzinfo getter: twice as fast on a Timestamp as its ``tzinfo`` property.
_TZINFO = vars(datetime)["tzinfo"].__get__
#: The instant a pandas Timestamp's ``.value`` (nanoseconds) counts from.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def vouch(name: str) -> str:
    """Template lines sending a plain datetime ``name`` to the fallback unless it is aware.

    Aware means what :func:`~itilkit.metrics._fields.check_datetime` means: a
    ``tzinfo`` whose ``utcoffset`` is not ``None``, in a supported year. Checking
    the zone costs a call, so the loop remembers the zones it has vouched for
    (``known``, the last one, and the set ``zones``); a zone of another type is
    checked every time. Sets ``zone`` and ``year``.
    """
    return (
        f"year = {name}.year\n"
        "if year in OUTSIDE:\n"
        "    fallback(r, {index})\n"
        "    continue\n"
        f"zone = {name}.tzinfo\n"
        "if zone is not known:\n"
        "    if zone in zones:\n"
        "        known = zone\n"
        f"    elif zone is None or {name}.utcoffset() is None:\n"
        "        fallback(r, {index})\n"
        "        continue\n"
        "    elif type(zone) in STABLE_ZONES:\n"
        "        zones.add(zone)\n"
        "        known = zone\n"
    )


def as_datetime(name: str) -> str:
    """Template lines making a pandas Timestamp ``name`` the plain datetime of its instant (UTC),
    to the microsecond, as :func:`itilkit._time.plain` does; anything else but a plain
    datetime goes to the fallback."""
    return (
        f"if type({name}) is not datetime:\n"
        f"    if type({name}) is not TS or TZ({name}) is None:\n"
        "        fallback(r, {index})\n"
        "        continue\n"
        f"    {name} = EPOCH + us * ({name}.value // 1000)\n"
    )


class _Never:
    """A type no value has: stands for pandas' Timestamp when pandas is not loaded."""


def _pandas_types() -> tuple[Any, Any]:
    """pandas' Timestamp and NaT when pandas is loaded (else nothing a record holds)."""
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return _Never, _Never()
    return pandas.Timestamp, pandas.NaT


def _period_key(spec: ByPeriod) -> Callable[[Any], Any]:
    zones: set[object] = set()
    timestamp: Any = _pandas_types()[0]

    def key(at: Any) -> Any:
        if type(at) is timestamp and _TZINFO(at) is not None:
            at = EPOCH + _MICROSECOND * (at.value // 1000)
        if type(at) is not datetime or at.year in UNSUPPORTED_YEARS:
            raise ValueError("not a plain supported datetime: see _take")
        zone = at.tzinfo
        if zone not in zones:
            if zone is None or at.utcoffset() is None:
                raise ValueError("naive")
            if type(zone) in _STABLE_ZONES:
                zones.add(zone)
        return spec._start_of(at)

    return key


def _linking(scan: Scan[Any], tree: dict[Any, Any]) -> Fallback:
    """A fallback that also files the record's group state in ``tree``, once it exists.

    ``tree`` holds the states of ``scan.groups`` by key part (``tree[a][b]``
    for the key ``(a, b)``; ``tree[()]`` without grouping): nested lookups
    cost no tuple to build, hash and compare per record.
    """
    get, key_of, groups, fallback = scan.get, scan.layout.fast_key(), scan.groups, scan.fallback

    def fallback_and_link(record: object, index: int) -> None:
        fallback(record, index)
        try:
            key = key_of(get(record))
            state = groups.get(key)
        except FAST_ERRORS:
            return
        if state is None:
            return
        if not key:
            tree[()] = state
            return
        node = tree
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = state

    return fallback_and_link


def compile_loop(
    body: str,
    tail: str,
    layout: Layout,
    by_key: bool,
    names: dict[str, str],
    ended: str,
    constants: dict[str, Any] | None = None,
) -> Loop:
    """Compile a loop over :data:`Batches` of records shaped like the first.

    ``body`` runs inside ``try`` (any of ``FAST_ERRORS`` sends the record to
    ``fallback``); the loop then looks up the group's state as ``state`` in a
    tree of the group states by key part (a record of a group not seen yet,
    or with an unhashable key, goes to the fallback, which creates or
    refuses the group) and runs ``tail`` to accumulate. Both are dedented
    templates with ``{<placeholder>}`` field reads (``names`` maps a
    placeholder to its logical field), ``{check_category}`` for the canceled
    check (one line: it may sit at any indentation) and ``{index}`` for the
    record's index. ``TS`` and ``NAT`` are pandas' Timestamp and NaT (when
    pandas is loaded), ``EPOCH`` the instant Timestamps count from, ``TZ(x)`` the
    tzinfo of a datetime or Timestamp. A record excluded for the
    reason ``ended`` adds one to ``not_ended`` and is passed to ``exclude``
    while ``not_ended <= SAMPLES`` (the samples ``exclude`` keeps); the rest
    are counted in one call at the end. The loop reads ``constants`` as
    globals. Indexes are not counted per record: a list iterator knows how
    many records it has left.
    """
    timestamp, nat = _pandas_types()
    namespace: dict[str, Any] = {
        "OPEN_OR_DONE": OPEN_OR_DONE,
        "FAST_ERRORS": FAST_ERRORS,
        "SAMPLES": SAMPLE_SIZE,
        "STABLE_ZONES": _STABLE_ZONES,
        "OUTSIDE": UNSUPPORTED_YEARS,
        "UNSET": object(),
        "datetime": datetime,
        "UTC_ZONE": UTC,
        "td": timedelta,
        "us": timedelta(microseconds=1),
        "ended": ended,
        "TS": timestamp,
        "NAT": nat,
        "EPOCH": EPOCH,
        "TZ": _TZINFO,
        **(constants or {}),
    }
    parts = []
    for position, spec in enumerate(layout.specs, start=layout.group_start):
        read = accessor(layout.names[position], by_key)
        if isinstance(spec, ByPeriod):
            namespace[f"period_{position}"] = _period_key(spec)
            parts.append(f"period_{position}({read})")
        else:
            parts.append(read)
    fills = {logical: accessor(layout.names[i], by_key) for logical, i in layout.index.items()}
    category = fills.get("category")
    check = (
        f"if {category} not in OPEN_OR_DONE: fallback(r, {_INDEX}); continue"
        if category
        else "pass"
    )
    values = {k: fills[v] for k, v in names.items()}
    values["check_category"] = check
    values["index"] = _INDEX
    inner = body.format(**values)
    tail = tail.format(**values)
    lookup = "tree" + ("".join(f"[{part}]" for part in parts) if parts else "[()]")
    source = (
        "def loop(batches, tree, fallback, miss, exclude, count):\n"
        "    start = not_ended = 0\n"
        "    known = UNSET\n"
        "    zones = set()\n"
        "    for batch in batches:\n"
        "        size = len(batch)\n"
        "        rest = iter(batch)\n"
        "        for r in rest:\n"
        "            try:\n"
        f"{textwrap.indent(inner, ' ' * 16)}\n"
        f"                state = {lookup}\n"
        "            except FAST_ERRORS:\n"
        f"                miss(r, {_INDEX})\n"
        "                continue\n"
        f"{textwrap.indent(tail, ' ' * 12)}\n"
        "        start += size\n"
        "    if not_ended > SAMPLES:\n"
        "        count(ended, not_ended - SAMPLES)\n"
    )
    exec(compile(source, "<itilkit.metrics generated loop>", "exec"), namespace)
    generated = namespace["loop"]

    def loop(records: Batches, scan: Scan[Any]) -> None:
        tree: dict[Any, Any] = {}
        miss = _linking(scan, tree)
        generated(records, tree, scan.fallback, miss, scan.exclude, scan.count)

    return loop
