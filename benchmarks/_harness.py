"""A small timeit-style harness shared by the benchmark scripts.

Each case is a zero-argument callable doing ``ops`` operations. The harness
calibrates a loop count to about ``target`` seconds per repeat, runs every case
of a group once per repeat in a rotating order (so all see the same noise) with
the garbage collector off, and reports the median time per operation.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence

import attrs


@attrs.frozen
class Case:
    """One measured thing: ``run()`` performs ``ops`` operations."""

    name: str
    run: Callable[[], object]
    ops: int = 1


@attrs.frozen
class Result:
    """Median, min and max seconds per operation of one case."""

    name: str
    median: float
    best: float
    worst: float


def _loops(case: Case, target: float) -> int:
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            case.run()
        took = time.perf_counter() - start
        if took >= target / 4 or loops >= 1 << 24:
            return max(1, int(loops * target / max(took, 1e-9)))
        loops *= 4


def measure(cases: Sequence[Case], repeats: int = 5, target: float = 0.2) -> list[Result]:
    """Time every case; return per-operation figures in the order given."""
    loops = {c.name: _loops(c, target) for c in cases}
    samples: dict[str, list[float]] = {c.name: [] for c in cases}
    for r in range(repeats):
        order = list(cases[r % len(cases) :]) + list(cases[: r % len(cases)])
        for case in order:
            n = loops[case.name]
            gc.disable()
            try:
                start = time.perf_counter()
                for _ in range(n):
                    case.run()
                took = time.perf_counter() - start
            finally:
                gc.enable()
            samples[case.name].append(took / (n * case.ops))
    return [
        Result(
            c.name, statistics.median(samples[c.name]), min(samples[c.name]), max(samples[c.name])
        )
        for c in cases
    ]


def fmt_time(seconds: float) -> str:
    """Format seconds per operation in a readable unit."""
    if seconds >= 1e-3:
        return f"{seconds * 1e3:,.2f} ms"
    return f"{seconds * 1e6:,.3f} µs"


def table(title: str, results: Sequence[Result], baseline: str | None = None) -> str:
    """A Markdown table of results, with a ratio column against ``baseline``."""
    base = next((r.median for r in results if r.name == baseline), None)
    lines = [
        f"### {title}",
        "",
        "| case | median / op | ops/s | min to max / op | vs itilkit |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = f"{r.median / base:,.1f}x" if base else ""
        lines.append(
            f"| {r.name} | {fmt_time(r.median)} | {1 / r.median:,.0f} | "
            f"{fmt_time(r.best)} to {fmt_time(r.worst)} | {ratio} |"
        )
    return "\n".join(lines) + "\n"
