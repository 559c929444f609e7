"""The storage contract kit: prove a record store behaves, in a host's own test suite.

Install with the ``testing`` extra (pytest, hypothesis); this is the only
itilkit package that imports them. Subclass :class:`RecordStoreContract` for
a store, :class:`TicketRepositoryContract` once per ticket type and
:class:`ConfigurationItemRepositoryContract` (CIs and the CMDB graph) for the
repository over it (or :class:`RepositoryContract` for a host's own entity
type and codec), and :class:`RecordStoreStateMachine` to compare the store with the
in-memory oracle on random operation sequences. See ``docs/persistence.md``.

``itilkit.testing.strategies`` draws valid calendars, SLA policies, lifecycle
definitions, matrices, transition records, metric results, tickets of every
type with real histories, configuration items and CMDB graphs (hypothesis);
:func:`sample_ticket` and :func:`walk` make tickets without hypothesis.
"""

from itilkit.testing._base import same_records
from itilkit.testing._cmdb_contract import (
    ConfigurationItemRepositoryContract,
    sample_cmdb,
    sample_item,
)
from itilkit.testing._postgres import PostgresServer, find_postgres_binaries
from itilkit.testing._repository_contract import RepositoryContract
from itilkit.testing._samples import first_write, next_write, sample_index
from itilkit.testing._stateful import RecordStoreStateMachine
from itilkit.testing._store_contract import RecordStoreContract
from itilkit.testing._ticket_contract import TicketRepositoryContract
from itilkit.testing._tickets import (
    DESK_INCIDENT,
    DESK_PROBLEM,
    DESK_REQUEST,
    SAMPLE_PRACTICES,
    opened,
    sample_ticket,
    walk,
)

__all__ = [
    "ConfigurationItemRepositoryContract",
    "DESK_INCIDENT",
    "DESK_PROBLEM",
    "DESK_REQUEST",
    "PostgresServer",
    "RecordStoreContract",
    "RecordStoreStateMachine",
    "RepositoryContract",
    "SAMPLE_PRACTICES",
    "TicketRepositoryContract",
    "find_postgres_binaries",
    "first_write",
    "next_write",
    "opened",
    "same_records",
    "sample_cmdb",
    "sample_index",
    "sample_item",
    "sample_ticket",
    "walk",
]
