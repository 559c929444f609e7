"""Every entity type round-trips through the real codec on every store, and the helpdesk
queries run on real tickets: the ticket repository contract (five ticket types) and the
configuration item contract (CIs and the CMDB graph) on in-memory, SQLite, SQLAlchemy on
SQLite and SQLAlchemy on PostgreSQL."""

from __future__ import annotations

from typing import Any

from itilkit.practices import Change, Incident, KnownError, Problem, ServiceRequest, Ticket
from itilkit.storage import InMemoryRecordStore, RecordStore, SQLiteRecordStore
from itilkit.storage.sqlalchemy import SQLAlchemyRecordStore
from itilkit.testing import ConfigurationItemRepositoryContract, TicketRepositoryContract
from tests.storage.test_sqlalchemy import _Postgres

TYPES: list[type[Ticket]] = [Incident, Problem, KnownError, ServiceRequest, Change]


class _InMemory:
    def make_store(self) -> RecordStore:
        return InMemoryRecordStore()


class _SQLiteFile:
    tmp_path: Any

    def make_store(self) -> RecordStore:
        return SQLiteRecordStore(self.tmp_path / "tickets.db")


class _AlchemySQLite:
    tmp_path: Any

    def make_store(self) -> RecordStore:
        return SQLAlchemyRecordStore.from_url(f"sqlite:///{self.tmp_path / 'tickets.db'}")


def _contract(store: type, entity_type: type[Ticket], label: str) -> type:
    name = f"Test{entity_type.__name__}{label}"
    return type(name, (store, TicketRepositoryContract), {"ENTITY_TYPE": entity_type})


for _store, _label in ((_InMemory, "InMemory"), (_SQLiteFile, "InSQLite"),
                       (_AlchemySQLite, "ThroughSQLAlchemyOnSQLite"),
                       (_Postgres, "OnPostgres")):  # fmt: skip
    for _type in TYPES:
        _made = _contract(_store, _type, _label)
        globals()[_made.__name__] = _made
    _items = type(
        f"TestConfigurationItems{_label}", (_store, ConfigurationItemRepositoryContract), {}
    )
    globals()[_items.__name__] = _items


def test_every_store_and_type_has_its_contract() -> None:
    """Twenty-four contract classes: five ticket types and the CIs, on four stores."""
    made = [
        v
        for k, v in globals().items()
        if k.startswith("Test") and isinstance(v, type) and issubclass(v, TicketRepositoryContract)
    ]
    assert len(made) == 20
    assert {m.ENTITY_TYPE for m in made} == set(TYPES)
    items = [k for k, v in globals().items() if k.startswith("TestConfigurationItems")
             and issubclass(v, ConfigurationItemRepositoryContract)]  # fmt: skip
    assert len(items) == 4
