"""Samples of itilkit.testing: sample records and tickets, and a PostgreSQL server.

The contract classes are the kit's abstract test suites: the walk does not call
them (see ``kind`` in ``tests/boundary/walk.py``). ``PostgresServer.start``
runs ``initdb`` and a server, seconds by nature: it is not walked (no
receiver); the storage tests start a real one (``tests/storage/conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

from itilkit.practices import Incident
from itilkit.testing import PostgresServer, find_postgres_binaries, first_write, opened
from tests.boundary.samples import Samples

_BINARIES = find_postgres_binaries()[0]


def _server() -> PostgresServer:
    if _BINARIES is None:  # a directory with stand-ins (the server is never started)
        folder = Path(__file__).parent  # pragma: no cover - CI has PostgreSQL
        raise RuntimeError(f"no PostgreSQL binaries for the sample server ({folder})")
    return PostgresServer(_BINARIES)


SAMPLES = Samples(
    instances={PostgresServer: [_server]},
    receivers={"PostgresServer.start": []},
    arguments={
        "binaries": lambda: _BINARIES,
        "kind": lambda: "incident",
        "record_id": lambda: "INC-1",
        "record": lambda: first_write("incident", "INC-1").record,
        "got": lambda: first_write("incident", "INC-1").record,
        "expected": lambda: first_write("incident", "INC-1").record,
        "entity_type": lambda: Incident,
        "number": lambda: 3,
        "ticket": lambda: opened(Incident, 3),
        "walk.steps": lambda: [(0, 1, 5), (2, 3, 10)],
        "DESK_INCIDENT.command.role": lambda: "resolve",
        "DESK_PROBLEM.command.role": lambda: "resolve",
        "DESK_REQUEST.command.role": lambda: "fulfil",
        "SAMPLE_PRACTICES.get.name": lambda: "desk-incident",
    },
)
