"""A small entity and its codec: the worked example of the EntityCodec port in the tests.

``itilkit.storage.EntityDocuments`` is the codec of itilkit's own tickets
(``tests/storage/test_tickets.py`` runs the repository contract on them); this
one, a real codec of a small attrs value, is the worked example of a host's
own codec, and lets the tests give the repository faulty and versioned codecs.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import attrs

from itilkit.categories import StateCategory
from itilkit.errors import InvalidInputError
from itilkit.storage import EncodedEntity, EncodedHistory, EntityCodec, IndexFields
from itilkit.testing import RepositoryContract
from itilkit.testing._samples import T0

CATEGORIES = {
    "new": StateCategory.NEW,
    "working": StateCategory.ACTIVE,
    "waiting": StateCategory.PAUSED,
    "done": StateCategory.RESOLVED,
    "closed": StateCategory.CLOSED,
}


@attrs.frozen
class JobEvent:
    """One step in a job's history."""

    at: datetime
    action: str
    state: str


@attrs.frozen(kw_only=True)
class Job:
    """A ticket-like value: a state, a priority, a group, an SLA due time and a history."""

    id: str
    title: str
    state: str = "new"
    priority: int | None = 3
    group: str | None = None
    opened_at: datetime = T0
    due_at: datetime | None = None
    events: tuple[JobEvent, ...] = ()

    def then(self, action: str, state: str, *, minutes: int = 5) -> Job:
        """This job after one more step, ``minutes`` after its last."""
        at = (self.events[-1].at if self.events else self.opened_at) + timedelta(minutes=minutes)
        return attrs.evolve(self, state=state, events=(*self.events, JobEvent(at, action, state)))


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class JobCodec:
    """Jobs as JSON: version 1 of a documented, strict schema."""

    kind = "job"
    schema_version = 1

    def record_id(self, job: Job, /) -> str:
        return job.id

    def encode(self, job: Job, /, *, history_from: int = 0) -> EncodedEntity:
        document = {
            "id": job.id,
            "title": job.title,
            "state": job.state,
            "priority": job.priority,
            "group": job.group,
            "opened_at": job.opened_at.isoformat(),
            "due_at": None if job.due_at is None else job.due_at.isoformat(),
            "events": [self._event(e) for e in job.events],
        }
        updated = job.events[-1].at if job.events else job.opened_at
        return EncodedEntity(
            record_id=job.id,
            payload=json.dumps(document),
            index=IndexFields(
                state=job.state,
                category=CATEGORIES[job.state],
                priority=job.priority,
                assignment_group=job.group,
                practice="jobs@1",
                opened_at=job.opened_at,
                updated_at=updated,
                sla_due_at=job.due_at,
            ),
            history_length=len(job.events),
            new_history=tuple(
                EncodedHistory(e.at, json.dumps(self._event(e))) for e in job.events[history_from:]
            ),
        )

    @staticmethod
    def _event(event: JobEvent) -> dict[str, Any]:
        return {"at": event.at.isoformat(), "action": event.action, "state": event.state}

    def decode(self, payload: str, /, *, schema_version: int) -> Job:
        document = json.loads(payload)
        if not isinstance(document, dict) or set(document) != {
            "id", "title", "state", "priority", "group", "opened_at", "due_at", "events"
        }:  # fmt: skip
            raise InvalidInputError(f"not a job document: {payload[:80]!r}")
        opened = _time(document["opened_at"])
        assert opened is not None
        return Job(
            id=document["id"],
            title=document["title"],
            state=document["state"],
            priority=document["priority"],
            group=document["group"],
            opened_at=opened,
            due_at=_time(document["due_at"]),
            events=tuple(self._decode_event(e) for e in document["events"]),
        )

    def decode_history(self, payload: str, /, *, schema_version: int) -> JobEvent:
        return self._decode_event(json.loads(payload))

    @staticmethod
    def _decode_event(document: dict[str, Any]) -> JobEvent:
        return JobEvent(
            datetime.fromisoformat(document["at"]), document["action"], document["state"]
        )


def sample_job(number: int) -> Job:
    """Job ``number``: states, priorities, groups and due times vary with it."""
    states = ("new", "working", "waiting", "done", "closed")
    job = Job(
        id=f"JOB-{number:03d}",
        title=f"job {number}",
        priority=None if number % 5 == 4 else 1 + number % 3,
        group=("network", "email", None)[number % 3],
        opened_at=T0 + timedelta(minutes=number // 2),
        due_at=None if number % 4 == 3 else T0 + timedelta(hours=number % 5),
    )
    for step in range(number % 3):
        job = job.then(f"step{step}", states[(number + step) % 4])
    return job.then("triage", states[number % 5])


def next_step(job: Job) -> Job:
    """The job after one more step (into working)."""
    return job.then("work", "working")


class JobsContract(RepositoryContract):
    """The repository contract for jobs; a subclass names the store."""

    def make_codec(self) -> EntityCodec[Any, Any]:
        return JobCodec()

    def new_entity(self, number: int) -> Any:
        return sample_job(number)

    def changed(self, entity: Any) -> Any:
        return next_step(entity)
