"""Imported tickets saved to every shipped store through the storage API: the entities of
``import_servicenow_incidents``, ``import_hpsm_incidents`` and ``import_hpsm_changes``
(small files written here, and the first few hundred of the real exports in
../shared/data when present) go through a unit of work with a codec that knows the
importers' practices, into in-memory, SQLite, SQLAlchemy on SQLite and SQLAlchemy on
PostgreSQL, and read back equal, with their histories. Without those practices the codec
refuses them, saying which practice to register and how."""

from __future__ import annotations

import functools
import itertools
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from itilkit.codec import Codec
from itilkit.errors import UnencodableValueError
from itilkit.interop import (
    HPSM_CHANGE,
    HPSM_INCIDENT,
    SERVICENOW_INCIDENT,
    import_hpsm_changes,
    import_hpsm_incidents,
    import_servicenow_incidents,
)
from itilkit.practices import DEFAULT_PRACTICES, Change, Incident, Ticket
from itilkit.storage import (
    EntityDocuments,
    InMemoryRecordStore,
    RecordStore,
    Repository,
    SQLiteRecordStore,
    UnitOfWork,
    entity_documents,
)
from itilkit.storage.sqlalchemy import SQLAlchemyRecordStore
from tests.conftest import SHARED
from tests.interop.helpers import UCI_COLUMNS, write
from tests.interop.test_entities import LIFE
from tests.interop.test_hpsm import CHANGE, INCIDENT
from tests.interop.test_hpsm import change as change_row
from tests.interop.test_hpsm import incident as incident_row

ZONE = "Europe/Amsterdam"
#: How many tickets of each real export are saved (enough for every kind of history).
REAL = 300
UCI = SHARED / "data" / "uci_incident_event_log" / "incident_event_log.csv.xz"
BPI = SHARED / "data" / "bpi_challenge_2014"
CODEC = Codec(
    practices=DEFAULT_PRACTICES.with_practices(SERVICENOW_INCIDENT, HPSM_INCIDENT, HPSM_CHANGE)
)

Tickets = Callable[[Path], list[Ticket]]


def _servicenow(folder: Path) -> list[Ticket]:
    path = write(folder / "log.csv", UCI_COLUMNS, LIFE)
    return list(import_servicenow_incidents(path, tz=ZONE))


def _hpsm_incidents(folder: Path) -> list[Ticket]:
    rows = [
        incident_row(),
        incident_row(**{"Incident ID": "IM2", "Reopen Time": "01/11/2013 10:00:00"}),
    ]
    path = write(folder / "inc.csv", INCIDENT, rows, delimiter=";")
    return list(import_hpsm_incidents(path, tz=ZONE))


def _hpsm_changes(folder: Path) -> list[Ticket]:
    rows = [change_row(), change_row(**{"CI Name (aff)": "HMD000003"})]
    rows.append(change_row(**{"Change ID": "C2", "Actual Start": "", "Actual End": ""}))
    path = write(folder / "c.csv", CHANGE, rows, delimiter=";")
    return list(import_hpsm_changes(path, tz=ZONE))


def _real(path: Path, read: Callable[[Path], Iterator[Ticket]]) -> Tickets:
    @functools.cache
    def first() -> list[Ticket]:  # read once for the four stores (tickets are values)
        return list(itertools.islice(read(path), REAL))

    def tickets(_folder: Path) -> list[Ticket]:
        if not path.exists():
            pytest.skip(f"the shared export {path} is absent: real tickets not saved")
        return first()

    return tickets


SOURCES: dict[str, Tickets] = {
    "servicenow": _servicenow,
    "hpsm-incidents": _hpsm_incidents,
    "hpsm-changes": _hpsm_changes,
    "uci": _real(UCI, lambda p: iter(import_servicenow_incidents(p, tz="UTC"))),
    "bpi-incidents": _real(
        BPI / "Detail_Incident.csv.xz", lambda p: iter(import_hpsm_incidents(p, tz=ZONE))
    ),
    "bpi-changes": _real(
        BPI / "Detail_Change.csv.xz", lambda p: iter(import_hpsm_changes(p, tz=ZONE))
    ),
}


@pytest.fixture(params=["memory", "sqlite", "sqlalchemy-sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RecordStore]:
    """A fresh store of each shipped adapter (PostgreSQL from tests/storage/conftest.py,
    in a schema of its own, skipped as the other PostgreSQL tests are)."""
    if request.param != "postgres":
        makers: dict[str, Callable[[], RecordStore]] = {
            "memory": InMemoryRecordStore,
            "sqlite": lambda: SQLiteRecordStore(tmp_path / "imported.db"),
            "sqlalchemy-sqlite": lambda: SQLAlchemyRecordStore.from_url(
                f"sqlite:///{tmp_path / 'imported.db'}"
            ),
        }
        made = makers[request.param]()
        yield made
        made.close()
        return
    engine: sa.Engine = request.getfixturevalue("postgres_engine")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    on_postgres = SQLAlchemyRecordStore(engine, schema=schema)
    yield on_postgres
    on_postgres.close()
    with engine.begin() as connection:
        connection.execute(sa.schema.DropSchema(schema, cascade=True))


@pytest.mark.parametrize("source", list(SOURCES))
def test_imported_tickets_round_trip(store: RecordStore, source: str, tmp_path: Path) -> None:
    """Saved all at once, every ticket reads back equal, under its importer's practice,
    with its whole history, and is listed."""
    tickets = SOURCES[source](tmp_path)
    assert tickets
    kinds = {type(t) for t in tickets}
    assert kinds in ({Incident}, {Change})
    with UnitOfWork(store, entity_documents(CODEC)) as work:
        for ticket in tickets:
            work.repository(EntityDocuments(type(ticket), CODEC)).add(ticket)
        work.commit()
    (kind,) = kinds
    repository = Repository(store, EntityDocuments(kind, CODEC))
    for ticket in tickets:
        loaded = repository.get(ticket.id)
        assert (loaded.version, loaded.entity) == (1, ticket)
        assert loaded.entity.practice is ticket.practice
        assert repository.history(ticket.id) == tuple(ticket.history)
    listed = repository.list(limit=len(tickets) + 1)
    assert sorted(v.entity.id for v in listed) == sorted(t.id for t in tickets)
    assert listed.next is None


@pytest.mark.parametrize(
    ("source", "practice"),
    [
        ("servicenow", SERVICENOW_INCIDENT),
        ("hpsm-incidents", HPSM_INCIDENT),
        ("hpsm-changes", HPSM_CHANGE),
    ],
)
def test_a_codec_without_the_practice_says_to_register_it(
    store: RecordStore, source: str, practice: object, tmp_path: Path
) -> None:
    """The default codec refuses an imported ticket, naming its practice and the way to give
    it (``Codec(practices=...)``); nothing is written."""
    (ticket, *_) = SOURCES[source](tmp_path)
    repository = Repository(store, EntityDocuments(type(ticket)))
    with pytest.raises(UnencodableValueError) as refused:
        repository.add(ticket)
    message = str(refused.value)
    assert f"practice {ticket.practice.ref}, which this codec's registry lacks" in message
    assert "give the codec the practice with Codec(practices=...)" in message
    assert ticket.practice is practice
    assert repository.list().items == ()
