"""Generated fast loops: a measure's common case compiled for one record shape.

A generic loop pays for a tuple getter and slices on every record; a loop
generated with the field names written in (``r.opened_at`` or
``r["opened_at"]``) reads like the hand-written loop. Names come from the
configuration, never from the data, and are written with ``repr`` or checked
to be identifiers, so the generated source cannot be injected into.
"""

from __future__ import annotations

import keyword
import textwrap
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from itilkit.metrics._engine import FAST_ERRORS, OPEN_OR_DONE, Fallback, Layout
from itilkit.metrics._grouping import ByPeriod

Loop = Callable[
    [Iterator[tuple[int, object]], dict[Any, Any], Fallback, Callable[[str, object, int], None]],
    None,
]


def accessor(name: str, by_key: bool) -> str:
    """Source that reads ``name`` from the record ``r``."""
    if by_key:
        return f"r[{name!r}]"
    if name.isidentifier() and not keyword.iskeyword(name):
        return f"r.{name}"
    return f"getattr(r, {name!r})"


def _period_key(spec: ByPeriod) -> Callable[[Any], Any]:
    def key(at: Any) -> Any:
        if at.tzinfo is None:
            raise ValueError("naive")
        return spec.key(at)

    return key


def compile_loop(
    body: str,
    tail: str,
    layout: Layout,
    by_key: bool,
    names: dict[str, str],
    constants: dict[str, Any] | None = None,
) -> Loop:
    """Compile a loop over ``(index, r)`` pairs for records shaped like the first.

    ``body`` runs inside ``try`` (any of ``FAST_ERRORS`` sends the record to
    ``fallback``) and must set ``key``; ``tail`` accumulates. Both are dedented
    templates with ``{<placeholder>}`` field reads (``names`` maps a placeholder
    to its logical field), ``{key}`` for the group key expression and
    ``{check_category}`` for the canceled check. The loop may call
    ``exclude(reason, r, index)`` for a record it can classify itself, and
    reads ``constants`` as globals.
    """
    namespace: dict[str, Any] = {
        "OPEN_OR_DONE": OPEN_OR_DONE,
        "FAST_ERRORS": FAST_ERRORS,
        "datetime": datetime,
        "td": timedelta,
        "zero": timedelta(0),
        "us": timedelta(microseconds=1),
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
        f"category = {category}\n"
        "if category is not None and category not in OPEN_OR_DONE:\n"
        "    fallback(r, index)\n"
        "    continue"
        if category
        else "pass"
    )
    values = {k: fills[v] for k, v in names.items()}
    values["key"] = "(" + "".join(f"{part}, " for part in parts) + ")"
    values["check_category"] = check
    inner = body.format(**values)
    source = (
        "def loop(records, groups, fallback, exclude):\n"
        "    for index, r in records:\n"
        "        try:\n"
        f"{textwrap.indent(inner, ' ' * 12)}\n"
        "        except FAST_ERRORS:\n"
        "            fallback(r, index)\n"
        "            continue\n"
        f"{textwrap.indent(tail, ' ' * 8)}\n"
    )
    exec(compile(source, "<itilkit.metrics generated loop>", "exec"), namespace)
    loop: Loop = namespace["loop"]
    return loop
