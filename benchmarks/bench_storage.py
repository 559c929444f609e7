"""Record store throughput: SQLite and PostgreSQL (through SQLAlchemy) beside a bare sqlite3 floor.

Run: ``.venv/bin/python -m benchmarks.bench_storage`` (needs the ``test`` extra for
SQLAlchemy and psycopg; PostgreSQL runs when its server binaries are found, in a
throw-away cluster with ``synchronous_commit=off``, which matches SQLite's WAL mode
with ``synchronous=NORMAL``: no wait on the disk at each commit, no corruption on a
crash). Prints Markdown tables for docs/performance.md.

The rows are real incidents with an 8-record history, written by the real codec:
``EntityDocuments(Incident)`` makes each record's payload (the incident's document) and
one history row per TransitionRecord. The store rows write those rows directly; the
repository rows go through ``Repository`` (encode with the codec and index fields from
the entity, or load and decode with the invariant check) and ``UnitOfWork`` for batches.
The floor is a bare sqlite3 loop inserting the same JSON rows into the same tables
in one transaction, with no checks at all. The first table splits a batched add into
its parts (the codec's encode, the JSON text, the index fields, with and without an SLA
policy to compute the next due time from), each measured alone in the same run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import attrs

from benchmarks._harness import Case, fmt_time, measure, table
from benchmarks._tickets import sample_incident, worked_incident
from itilkit.codec import Codec, entity_index
from itilkit.practices import Incident
from itilkit.storage import (
    OPEN_CATEGORIES,
    EntityDocuments,
    HistoryEntry,
    IndexFields,
    Order,
    RecordFilter,
    RecordStore,
    RecordWrite,
    Repository,
    SQLiteRecordStore,
    StoredRecord,
    UnitOfWork,
)
from itilkit.storage.sqlalchemy import SQLAlchemyRecordStore
from itilkit.testing import (
    DESK_INCIDENT,
    SAMPLE_PRACTICES,
    PostgresServer,
    find_postgres_binaries,
)
from itilkit.testing._workers import increment, increment_in_process

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BATCH = 100


class Rows:
    """Records and history rows of a real incident, as the codec writes them, with fresh ids."""

    def __init__(
        self, incident: Incident | None = None, codec: Codec | None = None, prefix: str = "R"
    ) -> None:
        self.prefix = prefix
        self.incident = sample_incident() if incident is None else incident
        self.documents = EntityDocuments(Incident, codec)
        encoded = self.documents.encode(self.incident)
        self.payload = encoded.payload
        self.history = [(h.at, h.payload) for h in encoded.new_history]
        self.ids = count()

    def fresh(self) -> Incident:
        """The sample incident under a new id (a copy of its fields, not checked again)."""
        copy = object.__new__(Incident)
        fields = {**self.incident.__dict__, "id": f"{self.prefix}-{next(self.ids):07d}"}
        object.__setattr__(copy, "__dict__", fields)
        return copy

    def index(self, n: int) -> IndexFields:
        states = (
            ("new", "new"),
            ("in_progress", "active"),
            ("on_hold", "paused"),
            ("resolved", "resolved"),
            ("closed", "closed"),
        )
        state, category = states[n % 5]
        return IndexFields(
            state=state,
            category=category,
            priority=1 + n % 4,
            assignment_group=("network", "email", "desktop", "apps")[n % 4 if n % 7 else 0],
            practice="incident@1",
            opened_at=T0 + timedelta(seconds=n),
            updated_at=T0 + timedelta(seconds=n),
            sla_due_at=T0 + timedelta(minutes=n % 5000),
        )

    def create(self, *, history: bool = True) -> RecordWrite:
        n = next(self.ids)
        record_id = f"INC-{n:07d}"
        entries = tuple(
            HistoryEntry(
                kind="incident",
                record_id=record_id,
                sequence=s,
                schema_version=1,
                at=at,
                payload=text,
            )
            for s, (at, text) in enumerate(self.history if history else (), start=1)
        )
        record = StoredRecord(
            kind="incident",
            id=record_id,
            version=1,
            schema_version=1,
            history_length=len(entries),
            payload=self.payload,
            index=self.index(n),
        )
        return RecordWrite(record, entries)


def _floor(path: Path, rows: Rows) -> Callable[[int], None]:
    """A bare sqlite3 insert loop of the same rows into the same tables (same file settings)."""
    SQLiteRecordStore(path).close()  # the same tables and indexes
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous = NORMAL")
    insert = (
        "INSERT INTO itilkit_records (kind, id, version, schema_version, history_length, "
        "payload, state, category, priority, assignment_group, practice, opened_at, updated_at, "
        "sla_due_at) VALUES (?, ?, 1, 1, 8, ?, 'new', 'new', 3, 'network', 'incident@1', ?, ?, ?)"
    )
    history = "INSERT INTO itilkit_history VALUES ('incident', ?, ?, 1, ?, ?)"
    opened = T0.isoformat(timespec="microseconds")

    def run(size: int) -> None:
        connection.execute("BEGIN")
        for _ in range(size):
            record_id = f"FLOOR-{next(rows.ids):07d}"
            connection.execute(
                insert, ("incident", record_id, rows.payload, opened, opened, opened)
            )
            connection.executemany(
                history,
                [
                    (record_id, s, at.isoformat(), text)
                    for s, (at, text) in enumerate(rows.history, 1)
                ],
            )
        connection.execute("COMMIT")

    return run


def _throughput(
    name: str, store: RecordStore, rows: Rows, floor: Callable[[int], None] | None
) -> str:
    """Single and batched saves, loads and read-modify-write updates, per record."""
    created: list[str] = []

    def save_one() -> None:
        write = rows.create()
        store.write([write])
        created.append(write.record.id)

    def save_batch() -> None:
        store.write([rows.create() for _ in range(BATCH)])

    save_one()
    probe = count()

    def load() -> None:
        store.load("incident", created[next(probe) % len(created)])

    def update() -> None:
        record = store.load("incident", created[next(probe) % len(created)])
        entry = HistoryEntry(
            kind="incident",
            record_id=record.id,
            sequence=record.history_length + 1,
            schema_version=1,
            at=T0,
            payload=rows.history[0][1],
        )
        new = attrs.evolve(
            record, version=record.version + 1, history_length=record.history_length + 1
        )
        store.write([RecordWrite(new, (entry,))])

    documents = rows.documents
    incidents = Repository(store, documents)
    added = [incidents.add(rows.fresh()).entity.id]

    def add_one() -> None:
        added.append(incidents.add(rows.fresh()).entity.id)

    add_batch = _add_batch(store, rows)

    def get() -> None:
        incidents.get(added[next(probe) % len(added)])

    def command() -> None:
        loaded = incidents.get(added[next(probe) % len(added)])
        later = loaded.entity.add_note("checked", at=T0 + timedelta(days=3), actor="desk")
        incidents.save(later, expected_version=loaded.version)

    cases = [
        Case(f"{name}: save, 1 incident + 8 history rows per transaction", save_one),
        Case(f"{name}: save, batches of {BATCH} incidents", save_batch, ops=BATCH),
        Case(f"{name}: load by id", load),
        Case(f"{name}: update (load, write the next version + 1 history row)", update),
        Case(f"{name}, Repository + codec: add 1 incident", add_one),
        Case(f"{name}, Repository + codec: add, UnitOfWork batches of {BATCH}", add_batch,
             ops=BATCH),
        Case(f"{name}, Repository + codec: get (load, decode, check)", get),
        Case(f"{name}, Repository + codec: get, add a note, save", command),
    ]  # fmt: skip
    if floor is not None:
        cases += [
            Case(
                "floor: bare sqlite3, 1 incident + 8 history rows per transaction", lambda: floor(1)
            ),
            Case(f"floor: bare sqlite3, batches of {BATCH}", lambda: floor(BATCH), ops=BATCH),
        ]
    baseline = cases[-1].name if floor is not None else cases[1].name
    return table(f"{name}: writes and reads (per incident)", measure(cases, repeats=5), baseline)


def _add_batch(store: RecordStore, rows: Rows) -> Callable[[], None]:
    def run() -> None:
        with UnitOfWork(store) as work:
            batch = work.repository(rows.documents)
            for _ in range(BATCH):
                batch.add(rows.fresh())
            work.commit()

    return run


def open_sla_incident() -> Incident:
    """An incident still in progress with 8 history records, on a practice with an SLA
    policy on desk hours: its index fields include the next SLA due time."""
    inc = worked_incident(DESK_INCIDENT)
    at = inc.opened_at
    inc = inc.hold("awaiting_vendor", at=at + timedelta(hours=5), actor="dee")
    inc = inc.resume(at=at + timedelta(hours=6), actor="dee")
    assert len(inc.history) == 8
    assert inc.category.is_open
    return inc


def _shares(floor: Callable[[int], None]) -> str:
    """Where a batched add through Repository + codec spends its time, part by part."""
    with tempfile.TemporaryDirectory() as directory:
        store = SQLiteRecordStore(Path(directory) / "shares.db")
        closed, sla = Rows(), Rows(open_sla_incident(), Codec(practices=SAMPLE_PRACTICES), "SLA")
        document = closed.documents.codec.encode(closed.incident)
        history = document.pop("history")
        text = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

        def texts() -> None:
            for record in history:
                text(record)
            text(document)

        batch = BATCH
        cases = [
            Case(f"Repository + codec: add, UnitOfWork batches of {batch}",
                 _add_batch(store, closed), ops=batch),
            Case("  codec.encode: the document as data (the codec's share)",
                 lambda: closed.documents.codec.encode(closed.incident)),
            Case("  JSON text of the document and its 8 records", texts),
            Case("  index fields (entity_index)", lambda: entity_index(closed.incident)),
            Case("  EntityDocuments.encode: all of the above, as the store's values",
                 lambda: closed.documents.encode(closed.incident)),
            Case(f"Repository + codec: add, batches of {batch}, open on an SLA practice",
                 _add_batch(store, sla), ops=batch),
            Case("  index fields with the next SLA due time (entity_index)",
                 lambda: entity_index(sla.incident)),
            Case(f"floor: bare sqlite3, batches of {batch}", lambda: floor(batch), ops=batch),
        ]  # fmt: skip
        try:
            results = measure(cases, repeats=7)
        finally:
            store.close()
    whole = results[0].median
    lines = [
        "### SQLite: where a batched add spends its time (per incident)",
        "",
        "| part | median / incident | min to max | share of the batched add |",
        "|---|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {fmt_time(r.median)} | {fmt_time(r.best)} to {fmt_time(r.worst)} | "
            f"{r.median / whole:.0%} |"
        )
    return "\n".join(lines) + "\n"


def _queries(name: str, store: RecordStore, rows: Rows, records: int) -> str:
    """Listing by state and priority, and the SLA-due query, over ``records`` incidents."""
    start = time.perf_counter()
    for _ in range(records // 1000):
        store.write([rows.create(history=False) for _ in range(1000)])
    filled = time.perf_counter() - start
    print(
        f"# {name}: {records:,} incidents stored in {filled:.1f} s "
        f"({records / filled:,.0f} per second, batches of 1,000, no history rows)",
        file=sys.stderr,
    )
    by_state = RecordFilter(states="in_progress")
    open_group = RecordFilter(categories=OPEN_CATEGORIES, assignment_groups="email")
    due = RecordFilter(categories=OPEN_CATEGORIES, sla_due_by=T0 + timedelta(minutes=60))

    def walk(wanted: RecordFilter, order: Order, pages: int) -> Callable[[], None]:
        def run() -> None:
            after = None
            for _ in range(pages):
                page = store.list("incident", wanted, order=order, after=after, limit=50)
                after = page.next

        return run

    cases = [
        Case(
            f"{name}: first page (50) of one state by priority", walk(by_state, Order.PRIORITY, 1)
        ),
        Case(f"{name}: 20 pages of one state by priority", walk(by_state, Order.PRIORITY, 20)),
        Case(
            f"{name}: open tickets of a group by priority, first page",
            walk(open_group, Order.PRIORITY, 1),
        ),
        Case(f"{name}: SLA due within the hour, first page", walk(due, Order.SLA_DUE, 1)),
    ]
    return table(
        f"{name}: queries over {records:,} incidents (per query)",
        measure(cases, repeats=5, target=0.5),
    )


def _concurrent(name: str, store: RecordStore, opener: Callable[[], RecordStore] | None) -> str:
    """N writers doing read-modify-write increments on 8 shared records."""
    from itilkit.testing import first_write

    lines = [
        f"### {name}: concurrent writers, increments of 8 shared records",
        "",
        "| writers | increments | seconds | increments/s | conflicts retried |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, writers in (("threads", 4), ("processes", 4)):
        if kind == "processes" and opener is None:
            continue
        ids = [f"{kind}-{n}" for n in range(8)]
        store.write([first_write("counter", i, history=0) for i in ids])
        times = 25
        start = time.perf_counter()
        if kind == "threads":
            with ThreadPoolExecutor(writers) as threads:
                futures = [
                    threads.submit(increment, store, "counter", ids, times) for _ in range(writers)
                ]
                results = [f.result() for f in futures]
        else:
            with multiprocessing.get_context("spawn").Pool(writers) as pool:
                # warm up: each child imports itilkit and opens its store before timing
                pool.starmap(increment_in_process, [(opener, "counter", ids, 0)] * writers)
                start = time.perf_counter()
                results = pool.starmap(
                    increment_in_process, [(opener, "counter", ids, times)] * writers
                )
        took = time.perf_counter() - start
        total = writers * times * len(ids)
        assert all(
            json.loads(store.load("counter", i).payload)["counter"] == writers * times for i in ids
        )
        lines.append(
            f"| {writers} {kind} | {total:,} | {took:.2f} | {total / took:,.0f} | "
            f"{sum(results):,} |"
        )
    return "\n".join(lines) + "\n"


def _run(
    name: str,
    make: Callable[[], RecordStore],
    opener: Callable[[], RecordStore] | None,
    records: int,
    floor: Callable[[int], None] | None,
) -> Iterator[str]:
    rows = Rows()
    store = make()
    try:
        yield _throughput(name, store, rows, floor)
        yield _concurrent(name, store, opener)
        yield _queries(name, store, rows, records)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="incidents for the queries")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    options = parser.parse_args()
    import functools
    import platform

    import sqlalchemy

    print(
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
        f"SQLAlchemy {sqlalchemy.__version__}\n"
    )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "itilkit.db"
        floor = _floor(Path(directory) / "floor.db", Rows())
        print(_shares(floor))
        for text in _run(
            "SQLite",
            lambda: SQLiteRecordStore(path),
            functools.partial(SQLiteRecordStore, path, timeout=30),
            options.records,
            floor,
        ):
            print(text)
    binaries, why = find_postgres_binaries()
    if options.no_postgres or binaries is None:
        print(f"PostgreSQL not measured: {why if binaries is None else '--no-postgres'}")
        return
    with PostgresServer(binaries, settings={"synchronous_commit": "off"}) as server:
        url = server.url
        for text in _run(
            "PostgreSQL (SQLAlchemy)",
            lambda: SQLAlchemyRecordStore.from_url(url),
            functools.partial(SQLAlchemyRecordStore.from_url, url, lock_timeout=30),
            options.records,
            None,
        ):
            print(text)


if __name__ == "__main__":
    main()
