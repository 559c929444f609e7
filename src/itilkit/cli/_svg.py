"""Charts as inline SVG: grouped bars and lines, with titles, axes, units and a legend.

No dependency and no script: each function returns one ``<svg>`` element
whose size is fixed by its ``width`` and ``height`` attributes and whose text
is text (selectable, searchable, read by screen readers through its title).
Colours are the Okabe-Ito palette, told apart with colour-blindness too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

__all__ = ["PALETTE", "bar_chart", "line_chart", "stacked_bar"]

#: Okabe and Ito's colour-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")
_FONT = 'font-family="system-ui, sans-serif"'
Series = tuple[str, Sequence[float | None]]


def _ticks(top: float, count: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least ``top``: steps of 1, 2 or 5 times a power of 10."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _text(
    x: float, y: float, body: str, *, anchor: str = "middle", size: int = 12, extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" {_FONT}'
        f"{' ' + extra if extra else ''}>{escape(body)}</text>"
    )


def _frame(title: str, width: int, height: int, body: list[str]) -> str:
    label = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        f"<title>{label}</title>" + "".join(body) + "</svg>"
    )


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    """A one-line legend from ``x`` at baseline ``y``: a swatch and the name of each series."""
    parts = []
    for i, name in enumerate(names):
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        parts.append(_text(x + 17, y, name, anchor="start"))
        x += 17 + 7 * len(name) + 22
    return parts


def _y_axis(
    ticks: list[float],
    top: float,
    bottom: float,
    left: float,
    right: float,
    fmt: Callable[[float], str],
    label: str,
) -> list[str]:
    parts = []
    high = ticks[-1]
    for tick in ticks:
        y = bottom - (bottom - top) * tick / high
        parts.append(
            f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, fmt(tick), anchor="end", size=11))
    middle = (top + bottom) / 2
    parts.append(
        _text(16, middle, label, extra=f'transform="rotate(-90 16 {middle:.1f})"', size=12)
    )
    parts.append(
        f'<line x1="{left:.1f}" x2="{left:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" stroke="#555"/>'
    )
    return parts


class _Plot:
    """A chart's frame: title, y axis with round ticks, then its x axis and legend."""

    def __init__(
        self,
        title: str,
        series: Sequence[Series],
        top: float | None,
        width: int,
        height: int,
        fmt: Callable[[float], str],
        y_label: str,
    ) -> None:
        self.title, self.series, self.width, self.height = title, series, width, height
        self.left, self.right, self.upper = 70.0, width - 24.0, 58.0
        self.bottom = height - 52.0
        values = [v for _, vs in series for v in vs if v is not None]
        ticks = _ticks(top if top is not None else max(values, default=0.0))
        self.high = ticks[-1]
        self.parts = [_text(width / 2, 20, title, size=15, extra='font-weight="600"')]
        self.parts += _y_axis(ticks, self.upper, self.bottom, self.left, self.right, fmt, y_label)

    def finish(self, x_label: str) -> str:
        """The x axis, its label and the legend; the whole ``<svg>``."""
        left, right, bottom = self.left, self.right, self.bottom
        self.parts.append(
            f'<line x1="{left:.1f}" x2="{right:.1f}" y1="{bottom:.1f}" y2="{bottom:.1f}" '
            'stroke="#555"/>'
        )
        self.parts.append(_text((left + right) / 2, self.height - 12, x_label))
        self.parts += _legend([name for name, _ in self.series], left, 42)
        return _frame(self.title, self.width, self.height, self.parts)


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    y_label: str,
    x_label: str,
    fmt: Callable[[float], str],
    top: float | None = None,
    width: int = 720,
    height: int = 320,
) -> str:
    """Vertical bars, one group per category and one bar per series; each bar's value
    written above it. ``top`` fixes the axis maximum (100 for percentages)."""
    plot = _Plot(title, series, top, width, height, fmt, y_label)
    left, right, upper, bottom, high, parts = (
        plot.left, plot.right, plot.upper, plot.bottom, plot.high, plot.parts,
    )  # fmt: skip
    band = (right - left) / max(len(categories), 1)
    bar = min(48.0, band * 0.8 / max(len(series), 1))
    for c, category in enumerate(categories):
        start = left + band * c + (band - bar * len(series)) / 2
        for s, (_, vs) in enumerate(series):
            value = vs[c]
            if value is None:
                continue
            h = (bottom - upper) * value / high
            x = start + bar * s
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(category)}: '
                f"{escape(fmt(value))}</title></rect>"
            )
            if len(series) * len(categories) <= 24:
                parts.append(_text(x + (bar - 2) / 2, bottom - h - 4, fmt(value), size=10))
        parts.append(_text(left + band * (c + 0.5), bottom + 16, category, size=11))
    return plot.finish(x_label)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_label: str,
    x_label: str,
    fmt: Callable[[float], str],
    top: float | None = None,
    width: int = 720,
    height: int = 320,
) -> str:
    """Lines over ordered labels (periods), a dot per value; about eight labels shown on
    the axis. ``None`` values break a line."""
    plot = _Plot(title, series, top, width, height, fmt, y_label)
    left, right, upper, bottom, high, parts = (
        plot.left, plot.right, plot.upper, plot.bottom, plot.high, plot.parts,
    )  # fmt: skip
    n = len(labels)
    step = (right - left) / max(n - 1, 1)

    def x_of(i: int) -> float:
        return left + step * i if n > 1 else (left + right) / 2

    every = max(1, math.ceil(n / 8))
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(_text(x_of(i), bottom + 16, label, size=11))
    for s, (name, vs) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for i, value in enumerate(vs):
            if value is None:
                runs.append([])
                continue
            y = bottom - (bottom - upper) * value / high
            runs[-1].append(f"{x_of(i):.1f},{y:.1f}")
            if n <= 60:
                parts.append(
                    f'<circle cx="{x_of(i):.1f}" cy="{y:.1f}" r="2.5" fill="{colour}">'
                    f"<title>{escape(name)}, {escape(labels[i])}: {escape(fmt(value))}</title>"
                    "</circle>"
                )
        parts.extend(
            f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            for run in runs
            if len(run) > 1
        )
    return plot.finish(x_label)


def stacked_bar(title: str, parts_of: Sequence[tuple[str, int]], *, width: int = 720) -> str:
    """One horizontal bar split into its parts' shares, each labelled with its count."""
    height = 96
    left, right = 20.0, width - 20.0
    total = sum(n for _, n in parts_of) or 1
    parts = [_text(width / 2, 20, title, size=15, extra='font-weight="600"')]
    x = left
    for i, (name, n) in enumerate(parts_of):
        w = (right - left) * n / total
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="34" width="{w:.1f}" height="26" fill="{colour}">'
            f"<title>{escape(name)}: {n:,}</title></rect>"
        )
        parts.append(
            f'<rect x="{left + 190 * i:.1f}" y="72" width="12" height="12" fill="{colour}"/>'
        )
        share = f"{name}: {n:,} ({100 * n / total:.1f} %)"
        parts.append(_text(left + 190 * i + 18, 82, share, anchor="start", size=11))
        x += w
    return _frame(title, width, height, parts)
