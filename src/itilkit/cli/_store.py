"""The command's store: tickets saved to and loaded from a SQLite file.

The store step of ``itilkit import --store``, ``itilkit report STORE`` and
``itilkit demo``: a :class:`~itilkit.storage.SQLiteRecordStore` with a
repository per ticket type (:class:`~itilkit.storage.EntityDocuments` over
:mod:`itilkit.codec`), whose practice registry holds the presets, the HP SM
incident and change presets and whatever practices the caller adds. A save is one unit of
work: every ticket is written, or none is.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from itilkit.codec import ENTITY_TYPES, Codec
from itilkit.errors import InvalidInputError, StoreUnavailableError
from itilkit.interop import HPSM_CHANGE, HPSM_INCIDENT, SERVICENOW_INCIDENT
from itilkit.practices import DEFAULT_PRACTICES, Practice, PracticeRegistry, Ticket
from itilkit.storage import EntityDocuments, Repository, SQLiteRecordStore, UnitOfWork

__all__ = ["command_practices", "is_store", "load_tickets", "save_tickets"]

#: The first bytes of every SQLite database file.
_SQLITE = b"SQLite format 3\x00"
#: Tickets read per page when loading a store.
_PAGE = 1_000


def is_store(path: Path) -> bool:
    """``path`` is a SQLite database file (a store), not an export."""
    try:
        with open(path, "rb") as file:
            return file.read(len(_SQLITE)) == _SQLITE
    except OSError:
        return False


def _check_store(path: Path) -> None:
    """Raise unless ``path`` is a SQLite file holding itilkit's tables (read only: a report
    never changes a database that is not a store)."""
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as db:
            names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as error:
        raise StoreUnavailableError(f"cannot read {path}: {error}") from error
    if not {"itilkit_records", "itilkit_history"} <= names:
        raise InvalidInputError(f"{path} is a SQLite database but not an itilkit store")


def command_practices(practices: Iterable[Practice] = ()) -> PracticeRegistry:
    """The practices the command knows: the presets, the importers' and ``practices``."""
    return DEFAULT_PRACTICES.with_practices(
        HPSM_INCIDENT, HPSM_CHANGE, SERVICENOW_INCIDENT, *practices
    )


def _documents(practices: Iterable[Practice]) -> dict[type, EntityDocuments[Any]]:
    """The codec of each ticket type, resolving the command's practices and ``practices``."""
    codec = Codec(practices=command_practices(practices))
    return {kind: EntityDocuments(kind, codec) for kind in ENTITY_TYPES}


def save_tickets(path: Path, tickets: Iterable[Ticket], practices: Iterable[Practice] = ()) -> int:
    """Save ``tickets`` to the store at ``path`` (created if absent), all or none; return
    how many.

    Raises:
        DuplicateRecordError: a ticket of that kind and id is in the store already
            (nothing is written).
    """
    if path.exists():
        if not is_store(path):
            raise InvalidInputError(f"{path} is not a SQLite store; choose a new file or a store")
        _check_store(path)
    documents = _documents(practices)
    saved = 0
    store = SQLiteRecordStore(path)
    try:
        with UnitOfWork(store, documents.values()) as work:
            repositories = {kind: work.repository(codec) for kind, codec in documents.items()}
            for ticket in tickets:
                repositories[type(ticket)].add(ticket)
                saved += 1
            work.commit()
    finally:
        store.close()
    return saved


def load_tickets(path: Path, practices: Iterable[Practice] = ()) -> list[Ticket]:
    """Every ticket of the store at ``path``, kind by kind, in id order.

    Raises:
        CorruptRecordError: a record that cannot be read (its practice is unknown...).
    """
    _check_store(path)
    documents = _documents(practices)
    tickets: list[Ticket] = []
    store = SQLiteRecordStore(path)
    try:
        for codec in documents.values():
            repository = Repository(store, codec)
            page = repository.list(limit=_PAGE)
            while True:
                tickets.extend(v.entity for v in page)
                if page.next is None:
                    break
                page = repository.list(after=page.next, limit=_PAGE)
    finally:
        store.close()
    return tickets
