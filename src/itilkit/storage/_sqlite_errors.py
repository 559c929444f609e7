"""sqlite3 errors translated into itilkit storage errors, by SQLite's error name.

The exception class alone cannot tell a busy database from a missing table
(both are ``sqlite3.OperationalError``); the ``sqlite_errorname`` Python 3.11
added can, so that is what the translation reads:

=========================================  ===========================
SQLite error name                          itilkit error
=========================================  ===========================
``SQLITE_BUSY*``, ``SQLITE_LOCKED*``       StoreBusyError (TimeoutError): retry
``SQLITE_CANTOPEN*``, ``SQLITE_NOTADB``,   StoreUnavailableError (ConnectionError):
``SQLITE_CORRUPT*``, ``SQLITE_IOERR*``,    the database is gone, unreadable, not a
``SQLITE_READONLY*``, ``SQLITE_FULL``,     database, or cannot take writes
``SQLITE_PERM``, ``SQLITE_AUTH``
a closed connection (no error name)        StoreUnavailableError
anything else (``SQLITE_ERROR``...)        StorageError, naming the SQLite error
=========================================  ===========================

The original error is kept as ``__cause__``.
"""

from __future__ import annotations

import sqlite3

from itilkit.errors import StorageError, StoreBusyError, StoreUnavailableError

__all__ = ["translate"]

_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_UNAVAILABLE = (
    "SQLITE_CANTOPEN",
    "SQLITE_NOTADB",
    "SQLITE_CORRUPT",
    "SQLITE_IOERR",
    "SQLITE_READONLY",
    "SQLITE_FULL",
    "SQLITE_PERM",
    "SQLITE_AUTH",
)


def translate(error: sqlite3.Error, *, timeout: float | None = None) -> StorageError:
    """The itilkit storage error for a sqlite3 error (raise it ``from error``)."""
    name = getattr(error, "sqlite_errorname", None) or ""
    if name.startswith(_BUSY):
        return StoreBusyError(f"{name}: {error}", timeout)
    if name.startswith(_UNAVAILABLE):
        return StoreUnavailableError(f"{name}: {error}")
    if isinstance(error, sqlite3.ProgrammingError) and "closed" in str(error):
        return StoreUnavailableError(str(error))
    return StorageError(f"SQLite failed ({name or type(error).__name__}): {error}")
