"""The record store contract: every case a store must pass, in one class to subclass."""

from __future__ import annotations

from itilkit.testing._basics import StoreBasics
from itilkit.testing._concurrency import StoreConcurrency
from itilkit.testing._listing import StoreListing

__all__ = ["RecordStoreContract"]


class RecordStoreContract(StoreBasics, StoreListing, StoreConcurrency):
    """The behaviour of a :class:`~itilkit.storage.ports.RecordStore` no Protocol can state.

    Subclass it in a test module under a name starting with ``Test`` and
    implement ``make_store()``; the optional hooks (``reopen_store``,
    ``store_opener``, ``locked_store``, ``close_store``) switch on the cases
    that need them. Its own name does not start with ``Test``, so pytest
    collects only the subclass::

        class TestOurStore(RecordStoreContract):
            def make_store(self) -> RecordStore:
                return OurStore(self.tmp_path / "store.db")
    """
