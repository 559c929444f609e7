"""Relative deadlines in SLA policies: business days, end of business day, next business
day at a time, and the earliest or latest of several, written by hand and read strictly."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

from itilkit import codec
from itilkit.errors import InvalidDocumentError
from itilkit.sla import (
    BusinessCalendar,
    BusinessDays,
    Deadline,
    Earliest,
    EndOfBusinessDay,
    InCategory,
    Landing,
    Latest,
    NextBusinessDayAt,
    SlaPolicy,
    SlaTarget,
    StateChange,
    WeeklySchedule,
    sla_status,
)
from itilkit.testing import strategies

LONDON = ZoneInfo("Europe/London")
DESK = BusinessCalendar("Europe/London", WeeklySchedule.from_days({"mon-fri": "09:00-17:00"}))
CONFIG = """
kind = "sla-policy"
schema_version = 1
name = "desk"
calendar = { zone = "Europe/London", schedule = { "mon-fri" = "09:00-17:00" } }

[[targets]]
name = "fix"
start = { type = "in_category", categories = "new" }
stop = { type = "in_category", categories = "resolved" }
duration = { type = "business_days", days = 3, landing = "close" }

[[targets]]
name = "reply"
start = { type = "in_category", categories = "new" }
stop = { type = "in_category", categories = "resolved" }
[targets.duration]
type = "earliest"
parts = ["4h", { type = "next_business_day_at", at = "16:00", days = 0 }]

[[targets]]
name = "callback"
start = { type = "in_category", categories = "new" }
stop = { type = "in_category", categories = "resolved" }
duration = { type = "latest", parts = [{ type = "end_of_business_day" }, "2h"] }
"""


def _target(name: str, duration: Any) -> SlaTarget:
    return SlaTarget(name, duration, start=InCategory("new"), stop=InCategory("resolved"))


def test_a_hand_written_policy_reads_as_the_python_one() -> None:
    """Each deadline kind in TOML is the value Python builds."""
    expected = SlaPolicy(
        "desk",
        [
            _target("fix", BusinessDays(3, Landing.CLOSE)),
            _target("reply", Earliest((timedelta(hours=4), NextBusinessDayAt(time(16), days=0)))),
            _target("callback", Latest((EndOfBusinessDay(), timedelta(hours=2)))),
        ],
        DESK,
    )
    assert codec.loads_toml(CONFIG, SlaPolicy) == expected


def test_the_deadlines_drive_the_clock() -> None:
    """Opened Thursday 14:00 London: fix by the close of the third business day (Tuesday),
    reply by the earlier of 4 business hours and 16:00 today, call back by the later of
    today's close and two business hours (16:00): 17:00."""
    policy = codec.loads_toml(CONFIG, SlaPolicy)
    opened = datetime(2026, 3, 5, 14, 0, tzinfo=LONDON)
    status = sla_status(policy, [StateChange(opened, "new", "new")], now=opened)

    def due(name: str) -> datetime:
        cycle = status.target(name).current
        assert cycle is not None
        return cycle.due_at.astimezone(LONDON)

    assert due("fix") == datetime(2026, 3, 10, 17, 0, tzinfo=LONDON)
    assert due("reply") == datetime(2026, 3, 5, 16, 0, tzinfo=LONDON)
    assert due("callback") == datetime(2026, 3, 5, 17, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("duration", "path", "message"),
    [
        ({"type": "business_days", "days": "3"}, "days", "expected an integer"),
        ({"type": "business_days", "days": 3, "landing": "noon"}, "landing", "or a time HH:MM"),
        ({"type": "next_business_day_at", "at": "4pm"}, "at", "HH:MM"),
        ({"type": "end_of_business_day", "days": 1, "hours": 2}, '["hours"]', "unknown key"),
        ({"type": "earliest", "parts": ["4h", {"type": "tomorrow"}]}, "parts[1].type", "one of"),
        ({"type": "latest", "parts": ["4h", "1 month"]}, "parts[1]", "not a duration"),
    ],
)
def test_bad_deadlines_are_problems_at_their_paths(
    duration: dict[str, Any], path: str, message: str
) -> None:
    """A wrong type, an unknown landing, a bad time or part: each at its path."""
    document = codec.encode(SlaPolicy("p", [_target("t", timedelta(hours=1))], DESK))
    document["targets"][0]["duration"] = duration
    with pytest.raises(InvalidDocumentError) as caught:
        codec.decode(document)
    [(found, text)] = caught.value.problems
    assert found == f"targets[0].duration.{path}".replace(".[", "[")
    assert message in text


def test_a_deadline_the_model_refuses_is_a_problem() -> None:
    """Negative days and a lone part are the model's own checks, reported at the deadline."""
    document = codec.encode(SlaPolicy("p", [_target("t", BusinessDays(1))], DESK))
    document["targets"][0]["duration"] = {"type": "business_days", "days": -1}
    with pytest.raises(InvalidDocumentError, match="days must be a whole number of days"):
        codec.decode(document)


@given(strategies.deadlines())
def test_deadlines_round_trip(deadline: Deadline) -> None:
    """Every deadline reads back equal as a target's duration, and writes the same text."""
    policy = SlaPolicy("p", [_target("t", deadline)], DESK)
    text = codec.dumps(policy)
    assert codec.loads(text, SlaPolicy) == policy
    assert codec.dumps(codec.loads(text)) == text
