"""Numbers as a person reads them, and plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["count", "duration", "fraction", "percent", "rate", "table"]


def count(value: int | None) -> str:
    """``12,345``; ``-`` for none."""
    return "-" if value is None else f"{value:,}"


def duration(seconds: float | None) -> str:
    """A duration in the largest unit that keeps it readable: ``45 min``, ``22.1 h``, ``3.4 d``."""
    if seconds is None:
        return "-"
    sign = "-" if seconds < 0 else ""
    value = abs(seconds)
    if value < 60:
        return f"{sign}{value:.0f} s"
    if value < 3600:
        return f"{sign}{value / 60:.0f} min"
    if value < 4 * 86400:
        return f"{sign}{value / 3600:.1f} h"
    return f"{sign}{value / 86400:.1f} d"


def fraction(value: float | None) -> str:
    """``0.9813``; ``-`` for none."""
    return "-" if value is None else f"{value:.4f}"


def percent(value: float | None) -> str:
    """``63.4 %``; ``-`` when there is nothing to divide."""
    return "-" if value is None else f"{100 * value:.1f} %"


def rate(hits: int, population: int, value: float | None) -> str:
    """``63.4 % (15,803 of 24,918)``."""
    return f"{percent(value)} ({hits:,} of {population:,})"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, indent: str = "  ") -> str:
    """A plain-text table: columns of figures right-aligned, columns of text left-aligned."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    left = [i == 0 or not all(_figure(row[i]) for row in rows) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.ljust(w) if on_left else cell.rjust(w)
            for cell, w, on_left in zip(cells, widths, left, strict=True)
        ]
        return (indent + "  ".join(parts)).rstrip()

    rule = indent + "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _figure(cell: str) -> bool:
    """A cell that shows a number (with its unit or share), not text."""
    head = cell.split(" ", 1)[0]
    return cell == "-" or (bool(head) and (head[0].isdigit() or head[0] == "-"))
