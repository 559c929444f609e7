"""The command's store: tickets saved to and loaded from a SQLite file.

THE STORE STEP of ``itilkit import --store``, ``itilkit report STORE`` and
``itilkit demo``. Storing tickets needs the entity codec (``itilkit.codec``'s
entity kinds and ``itilkit.storage``'s ``EntityDocuments``, issue 8's second
step), which this build does not have yet: :func:`save_tickets` and
:func:`load_tickets` say so in one line, and they are the one place to switch
to ``Repository(SQLiteRecordStore(path), EntityDocuments(Incident, codec))``
once it is in.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from itilkit.errors import StorageError
from itilkit.practices import Ticket

__all__ = ["STORE_READY", "is_store", "load_tickets", "save_tickets"]

#: Whether this build can store tickets (it cannot until the entity codec is in).
STORE_READY = False
_NOT_READY = (
    "storing tickets needs the entity codec (itilkit.codec entity kinds), which this build "
    "of itilkit does not have yet"
)
#: The first bytes of every SQLite database file.
_SQLITE = b"SQLite format 3\x00"


class StoreNotReadyError(StorageError):
    """Tickets cannot be stored by this build."""


def is_store(path: Path) -> bool:
    """``path`` is a SQLite database file (a store), not an export."""
    try:
        with open(path, "rb") as file:
            return file.read(len(_SQLITE)) == _SQLITE
    except OSError:
        return False


def save_tickets(path: Path, tickets: Iterable[Ticket]) -> int:
    """Save ``tickets`` to the store at ``path`` (created if absent); return how many."""
    raise StoreNotReadyError(_NOT_READY)


def load_tickets(path: Path) -> list[Ticket]:
    """Every ticket of the store at ``path``."""
    raise StoreNotReadyError(_NOT_READY)
