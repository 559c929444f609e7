"""Read-modify-write workers the concurrency cases run in threads and in processes.

They live in a module of their own so that a spawned process can import them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from itilkit.errors import ConcurrencyConflictError, StoreBusyError
from itilkit.storage import RecordStore
from itilkit.testing._samples import next_write

__all__ = ["increment", "increment_in_process"]


def increment(store: RecordStore, kind: str, record_ids: Sequence[str], times: int) -> int:
    """Add one to each record's counter ``times`` times, retrying conflicts; return them.

    Each increment loads the record, yields to other threads (so that writers
    really interleave), writes the next version expecting the loaded one, and
    on a conflict (or a busy store) loads again and retries.
    """
    conflicts = 0
    for _ in range(times):
        for record_id in record_ids:
            while True:
                current = store.load(kind, record_id)
                time.sleep(0)  # let another writer in between the read and the write
                try:
                    store.write([next_write(current)])
                except ConcurrencyConflictError:
                    conflicts += 1
                except StoreBusyError:
                    time.sleep(0.01)
                else:
                    break
    return conflicts


def increment_in_process(
    opener: Callable[[], RecordStore], kind: str, record_ids: Sequence[str], times: int
) -> int:
    """:func:`increment` on a store the process opens itself (never an inherited one)."""
    store = opener()
    try:
        return increment(store, kind, record_ids, times)
    finally:
        store.close()
