"""The contract kit fails on broken stores: each case here runs a kit case on a store
with one deliberate fault and expects the case to fail (a kit that cannot fail proves
nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from itilkit.storage import InMemoryRecordStore, RecordStore, RecordWrite
from itilkit.storage._records import validate_writes
from itilkit.testing import RecordStoreContract


class _NoVersionCheck(InMemoryRecordStore):
    """Writes whatever it is given: the read-then-blind-write lost update."""

    def write(self, writes: Sequence[RecordWrite], /) -> None:
        for write in validate_writes(writes):
            with self._lock:
                self._records[write.record.key] = write.record
                self._history.setdefault(write.record.key, []).extend(write.history)


class _NotAtomic(InMemoryRecordStore):
    """Applies a batch one write at a time: a failure midway leaves the first ones."""

    def write(self, writes: Sequence[RecordWrite], /) -> None:
        for write in validate_writes(writes):
            super().write([write])


class _Kit(RecordStoreContract):
    """The kit over whichever faulty store a case sets."""

    faulty: type[RecordStore] = InMemoryRecordStore

    def make_store(self) -> RecordStore:
        return self.faulty()


def _run(case: str, faulty: type[RecordStore], tmp_path: Path) -> None:
    kit = _Kit()
    kit.faulty = faulty
    kit.tmp_path = tmp_path
    store = kit.make_store()
    try:
        getattr(kit, case)(store)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("case", "faulty"),
    [
        ("test_no_lost_updates_with_threads", _NoVersionCheck),
        ("test_stale_expected_version_raises_conflict_with_expected_and_actual", _NoVersionCheck),
        ("test_create_existing_id_raises_duplicate_and_keeps_original", _NoVersionCheck),
        ("test_batch_failing_midway_writes_nothing", _NotAtomic),
    ],
)
def test_the_kit_fails_a_faulty_store(case: str, faulty: type[RecordStore], tmp_path: Path) -> None:
    """The named case fails on a store with the matching fault."""
    with pytest.raises((AssertionError, pytest.fail.Exception)):
        _run(case, faulty, tmp_path)


def test_the_same_cases_pass_on_the_sound_store(tmp_path: Path) -> None:
    """The faults, not the harness, make those cases fail."""
    for case in ("test_no_lost_updates_with_threads", "test_batch_failing_midway_writes_nothing"):
        _run(case, InMemoryRecordStore, tmp_path)
