"""Run one piece of work in several threads released together (the thread tests' runner)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

_T = TypeVar("_T")


def in_threads(work: Callable[[int], _T], count: int = 8, timeout: float = 120) -> list[_T]:
    """``work(0)`` to ``work(count - 1)``, each in its own thread, all started at once.

    Returns their results in order of the argument; fails if a thread is still
    running after ``timeout`` seconds, and re-raises the first error a thread met.
    """
    barrier = threading.Barrier(count)
    results: dict[int, _T] = {}
    failures: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait()
            results[number] = work(number)
        except BaseException as error:  # reported by the calling thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), f"a thread is still running after {timeout} s"
    if failures:
        raise failures[0]
    return [results[number] for number in range(count)]
