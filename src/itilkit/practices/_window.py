"""The planned window of a change, and the policy for implementing outside it."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from itilkit._enums import Vocabulary
from itilkit._time import require_aware
from itilkit._validators import is_text
from itilkit.errors import InvalidIntervalError, InvalidTypeError
from itilkit.lifecycle import Guard, GuardContext

__all__ = ["PlannedWindow", "WindowPolicy", "outside_window_message", "within_window"]


def _aware(value: datetime) -> datetime:
    return require_aware(value, "planned window bound")


@attrs.frozen
class PlannedWindow:
    """When a change may be implemented: from ``start`` (inclusive) to ``end`` (exclusive).

    >>> from datetime import datetime, timezone
    >>> utc = timezone.utc
    >>> start, end = datetime(2026, 3, 7, 22, tzinfo=utc), datetime(2026, 3, 8, 2, tzinfo=utc)
    >>> window = PlannedWindow(start, end)
    >>> window.contains(datetime(2026, 3, 8, 1, 59, tzinfo=utc)), window.duration
    (True, datetime.timedelta(seconds=14400))
    """

    start: datetime = attrs.field(converter=_aware)
    end: datetime = attrs.field(converter=_aware)

    def __attrs_post_init__(self) -> None:
        if not self.start < self.end:
            raise InvalidIntervalError(self.start, self.end, "planned window")

    def contains(self, at: datetime) -> bool:
        """True when ``at`` lies in ``[start, end)``."""
        return self.start <= require_aware(at, "at") < self.end

    @property
    def duration(self) -> timedelta:
        """How long the window lasts."""
        return self.end - self.start


class WindowPolicy(Vocabulary):
    """What implementing outside the planned window does."""

    #: refuse the transition (the default)
    BLOCK = "block"
    #: allow it and record a warning on the change
    WARN = "warn"


@attrs.frozen
class _WithinWindow:
    field: str
    policy: WindowPolicy

    def __call__(self, context: GuardContext) -> str | None:
        if not isinstance(context, GuardContext):
            raise InvalidTypeError("context", "a GuardContext", context)
        window = context.fields.get(self.field)
        if self.policy is WindowPolicy.WARN:
            return None
        if not isinstance(window, PlannedWindow):
            return f"{context.transition} needs a planned window in {self.field}"
        if window.contains(context.at):
            return None
        return outside_window_message(window, context.at)


def outside_window_message(window: PlannedWindow, at: datetime) -> str:
    """The sentence explaining that ``at`` lies outside ``window``."""
    return (
        f"{at.isoformat()} is outside the planned window "
        f"{window.start.isoformat()} to {window.end.isoformat()}"
    )


def within_window(
    field: str = "planned_window", policy: WindowPolicy = WindowPolicy.BLOCK
) -> Guard:
    """A guard refusing (policy block) a transition fired outside the window in ``field``.

    Under the warn policy it always allows; the command records the warning.
    """
    if not is_text(field):
        raise InvalidTypeError("field", "a non-empty field name", field)
    return _WithinWindow(field, WindowPolicy(policy))
