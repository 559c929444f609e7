"""The storage contract kit: prove a record store behaves, in a host's own test suite.

Install with the ``testing`` extra (pytest, hypothesis); this is the only
itilkit package that imports them. Subclass :class:`RecordStoreContract` for
a store, :class:`RepositoryContract` once per entity type for the repository
over it, and :class:`RecordStoreStateMachine` to compare the store with the
in-memory oracle on random operation sequences. See ``docs/persistence.md``.

``itilkit.testing.strategies`` draws valid calendars, SLA policies, lifecycle
definitions, matrices, transition records and metric results (hypothesis).
"""

from itilkit.testing._base import same_records
from itilkit.testing._postgres import PostgresServer, find_postgres_binaries
from itilkit.testing._repository_contract import RepositoryContract
from itilkit.testing._samples import first_write, next_write, sample_index
from itilkit.testing._stateful import RecordStoreStateMachine
from itilkit.testing._store_contract import RecordStoreContract

__all__ = [
    "PostgresServer",
    "RecordStoreContract",
    "RecordStoreStateMachine",
    "RepositoryContract",
    "find_postgres_binaries",
    "first_write",
    "next_write",
    "same_records",
    "sample_index",
]
