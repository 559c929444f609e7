"""Contract cases: writers racing in threads and in processes, busy stores, readers."""

from __future__ import annotations

import json
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from itilkit.errors import ConcurrencyConflictError, RecordNotFoundError, StoreBusyError
from itilkit.storage import RecordStore, StoredRecord
from itilkit.testing._base import StoreContractBase
from itilkit.testing._samples import counter_of, first_write, next_write
from itilkit.testing._workers import increment, increment_in_process

__all__ = ["StoreConcurrency"]


class StoreConcurrency(StoreContractBase):
    """Concurrency: one winner per race, no lost update, busy errors, committed reads."""

    #: Writers (threads or processes) and increments each makes per record.
    WRITERS = 4
    INCREMENTS = 20

    def _assert_counted(self, store: RecordStore, record_ids: list[str], total: int) -> None:
        for record_id in record_ids:
            record = store.load("counter", record_id)
            assert counter_of(record) == total
            assert record.version == total + 1
            assert record.history_length == total + 1
            sequences = [e.sequence for e in store.history("counter", record_id)]
            assert sequences == list(range(1, total + 2))

    def test_two_writers_race_one_wins(self, store: RecordStore) -> None:
        """Both load version n and write n+1 at once: exactly one succeeds."""
        store.write([first_write("incident", "INC-1")])
        for _round in range(5):
            loaded = store.load("incident", "INC-1")
            start = threading.Barrier(2)

            def save(
                _writer: int, loaded: StoredRecord = loaded, start: threading.Barrier = start
            ) -> tuple[int, int | None] | str:
                start.wait()
                try:
                    store.write([next_write(loaded)])
                except ConcurrencyConflictError as error:
                    return (error.expected, error.actual)
                return "saved"

            with ThreadPoolExecutor(2) as pool:
                outcomes = list(pool.map(save, range(2)))
            version = loaded.version
            assert sorted(outcomes, key=str) == [(version, version + 1), "saved"]
            assert store.load("incident", "INC-1").version == loaded.version + 1

    def test_concurrent_writers_on_distinct_records_raise_no_errors(
        self, store: RecordStore
    ) -> None:
        """Writers on their own records, with readers listing meanwhile: no error at all."""
        done = threading.Event()

        def write_own(writer: int) -> None:
            for n in range(15):
                record_id = f"W{writer}-{n:02d}"
                store.write([first_write("incident", record_id, history=2)])
                store.write([next_write(store.load("incident", record_id))])

        def read() -> int:
            reads = 0
            while not done.is_set():
                store.list("incident", limit=50)
                reads += 1
            return reads

        with ThreadPoolExecutor(self.WRITERS + 2) as pool:
            readers = [pool.submit(read) for _ in range(2)]
            writers = [pool.submit(write_own, w) for w in range(self.WRITERS)]
            for future in writers:
                future.result()
            done.set()
            assert all(r.result() >= 1 for r in readers)
        assert len(store.list("incident", limit=1000).items) == self.WRITERS * 15

    def test_no_lost_updates_with_threads(self, store: RecordStore) -> None:
        """N threads each increment shared counters K times by read-modify-write."""
        record_ids = ["C-1", "C-2"]
        store.write([first_write("counter", r) for r in record_ids])
        with ThreadPoolExecutor(self.WRITERS) as pool:
            jobs = [
                pool.submit(increment, store, "counter", record_ids, self.INCREMENTS)
                for _ in range(self.WRITERS)
            ]
            conflicts = sum(job.result() for job in jobs)
        assert conflicts >= 0
        self._assert_counted(store, record_ids, self.WRITERS * self.INCREMENTS)

    def test_no_lost_updates_with_processes(self, store: RecordStore) -> None:
        """The same with writer processes (spawned, each opening the store itself)."""
        opener = self.store_opener(store)
        if opener is None:
            pytest.skip("this store is not shared between processes (store_opener is None)")
        record_ids = ["C-1", "C-2"]
        store.write([first_write("counter", r) for r in record_ids])
        context = multiprocessing.get_context("spawn")
        with context.Pool(self.WRITERS) as pool:
            results = [
                pool.apply_async(
                    increment_in_process, (opener, "counter", record_ids, self.INCREMENTS)
                )
                for _ in range(self.WRITERS)
            ]
            conflicts = [r.get(timeout=300) for r in results]
        assert all(c >= 0 for c in conflicts)
        self._assert_counted(store, record_ids, self.WRITERS * self.INCREMENTS)

    def test_busy_store_raises_retryable_timeout_error(self) -> None:
        """A write lock held past the timeout: StoreBusyError (a TimeoutError), nothing written."""
        locked = self.locked_store()
        if locked is None:
            pytest.skip("the adapter cannot hold its database locked (locked_store is None)")
        with locked as store:
            with pytest.raises(StoreBusyError) as raised:
                store.write([first_write("incident", "INC-1")])
            assert isinstance(raised.value, TimeoutError)
        try:
            with pytest.raises(RecordNotFoundError):
                store.load("incident", "INC-1")
        finally:
            self.close_store(store)

    def test_readers_see_committed_state_only(self, store: RecordStore) -> None:
        """A reader listing during batch writes never sees half a batch."""
        pair = ["PAIR-A", "PAIR-B"]
        store.write([first_write("incident", r) for r in pair])
        stop = threading.Event()
        torn: list[list[int]] = []

        def read() -> None:
            while not stop.is_set():
                records = store.list("incident", limit=10).items
                counters = [json.loads(r.payload)["counter"] for r in records]
                if len(set(counters)) != 1:
                    torn.append(counters)

        reader = threading.Thread(target=read)
        reader.start()
        try:
            for _ in range(40):
                store.write([next_write(store.load("incident", r)) for r in pair])
        finally:
            stop.set()
            reader.join()
        assert torn == []
