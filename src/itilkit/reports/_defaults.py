"""What a report uses when the caller names nothing: an SLA policy and a lifecycle."""

from __future__ import annotations

from datetime import timedelta

from itilkit._repr import shown
from itilkit.codec import Catalog
from itilkit.errors import InvalidInputError, InvalidTypeError
from itilkit.lifecycle import LifecycleDefinition
from itilkit.sla import BusinessCalendar, DurationsByField, InCategory, SlaPolicy, SlaTarget

__all__ = [
    "DEFAULT_RESOLUTION",
    "DEFAULT_RESPONSE",
    "default_incident_lifecycle",
    "default_sla_policy",
    "named_lifecycle",
]

_HOUR = timedelta(hours=1)
#: Response targets by priority number (1 is the highest), in business time.
DEFAULT_RESPONSE = {1: _HOUR / 4, 2: _HOUR / 2, 3: _HOUR, 4: 4 * _HOUR, 5: 8 * _HOUR}
#: Resolution targets by priority number, in business time.
DEFAULT_RESOLUTION = {1: 4 * _HOUR, 2: 8 * _HOUR, 3: 16 * _HOUR, 4: 40 * _HOUR, 5: 80 * _HOUR}


def default_sla_policy(
    calendar: BusinessCalendar | None = None, *, response: bool = True
) -> SlaPolicy:
    """The report's SLA policy when none is given, on ``calendar`` (24x7 UTC when None).

    ``resolution`` runs from logging (categories new, active, paused) to the
    resolution (resolved or closed), paused while the ticket is paused, and
    resumes on a reopen; ``response`` (unless ``response=False``, for exports
    without the start of work) stops when the ticket leaves ``new``. Both are
    canceled with the ticket. Durations by the ``priority`` field's number:
    :data:`DEFAULT_RESPONSE` and :data:`DEFAULT_RESOLUTION`.

    .. versionadded:: 0.2
    """
    started = InCategory(["new", "active", "paused"])
    canceled = InCategory("canceled")
    targets = [
        SlaTarget(
            "resolution",
            DurationsByField("priority", DEFAULT_RESOLUTION),
            start=started,
            stop=InCategory(["resolved", "closed"]),
            pause=InCategory("paused"),
            cancel=canceled,
        )
    ]
    if response:
        responding = SlaTarget(
            "response",
            DurationsByField("priority", DEFAULT_RESPONSE),
            start=started,
            stop=~InCategory("new"),
            cancel=canceled,
        )
        targets.insert(0, responding)
    if calendar is None:
        return SlaPolicy("itilkit default", targets)
    return SlaPolicy("itilkit default", targets, calendar)


def named_lifecycle(name: str, catalog: Catalog | None = None) -> LifecycleDefinition:
    """A default lifecycle by its name (``incident``, ``problem``, ``known_error``,
    ``service_request``, ``change``): its definition's name, or that name up to a
    parenthesis (a derived definition may name its variant so).

    Raises:
        InvalidInputError: no lifecycle of the catalog has that name.
    """
    if catalog is not None and not isinstance(catalog, Catalog):
        raise InvalidTypeError("catalog", "a Catalog or None", catalog)
    lifecycles = (Catalog.default() if catalog is None else catalog).lifecycles
    if not isinstance(name, str):
        raise InvalidTypeError("name", "a lifecycle name (text)", name)
    found = lifecycles.get(name)
    if found is not None:
        return found
    short = {key.split(" (")[0]: value for key, value in lifecycles.items()}
    if name in short:
        return short[name]
    raise InvalidInputError(
        f"no default lifecycle is named {shown(name)}; known: {', '.join(sorted(short))}"
    )


def default_incident_lifecycle() -> LifecycleDefinition:
    """itilkit's default incident lifecycle, which ServiceNow's states are mapped onto."""
    return named_lifecycle("incident")
