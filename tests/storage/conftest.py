"""A throw-away PostgreSQL server for the storage tests, when the machine has the binaries.

``ITILKIT_TEST_POSTGRES_URL`` points the tests at an existing server instead;
``ITILKIT_TEST_POSTGRES=skip`` switches the PostgreSQL tests off;
``ITILKIT_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) turns a missing server into
a failure instead of a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from itilkit.testing import PostgresServer, find_postgres_binaries


def _unavailable(reason: str) -> None:
    if os.environ.get("ITILKIT_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here (ITILKIT_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server for the whole run."""
    if os.environ.get("ITILKIT_TEST_POSTGRES") == "skip":
        _unavailable("switched off by ITILKIT_TEST_POSTGRES=skip")
    given = os.environ.get("ITILKIT_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    binaries, why = find_postgres_binaries()
    if binaries is None:
        _unavailable(f"{why}; install the OS package postgresql (.ci/run does) or set "
                     "ITILKIT_TEST_POSTGRES_URL")  # fmt: skip
        return
    server = PostgresServer(binaries)
    try:
        url = server.start()
    except RuntimeError as error:
        _unavailable(f"the server in {binaries} did not start: {error}")
        return
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[sa.Engine]:
    """One engine on that server, shared by the tests (each uses a schema of its own)."""
    engine = sa.create_engine(postgres_url, pool_size=10, max_overflow=20)
    yield engine
    engine.dispose()
