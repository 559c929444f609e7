"""Every problem of a value, collected before one typed error is raised.

Calendar and policy values check all their parts and report every problem at
once, in the order the parts were given. A wrong type makes the error also a
``TypeError`` (:class:`~itilkit.errors.CalendarTypeError`,
:class:`~itilkit.errors.PolicyTypeError`); a wrong value keeps it a
``ValueError`` only.
"""

from __future__ import annotations

import reprlib

import attrs

from itilkit.errors import (
    CalendarTypeError,
    InvalidCalendarError,
    InvalidDefinitionError,
    InvalidPolicyError,
    PolicyTypeError,
)

__all__ = ["Problems", "clipped", "shown"]

_TYPED: dict[type[InvalidDefinitionError], type[InvalidDefinitionError]] = {
    InvalidCalendarError: CalendarTypeError,
    InvalidPolicyError: PolicyTypeError,
}

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlevel = 3


def clipped(value: object) -> str:
    """A short repr of any value, safe from long, deep or hostile values."""
    try:
        return _SHORT.repr(value)
    except Exception:  # a hostile __repr__ must not hide the real problem
        return f"<{type(value).__name__}>"


def shown(value: object) -> str:
    """A short, safe description of any value: its type and a clipped repr."""
    return f"{type(value).__name__} {clipped(value)}"


@attrs.define
class Problems:
    """Problems found so far for one value, and whether any was a wrong type."""

    error: type[InvalidDefinitionError]
    found: list[str] = attrs.field(factory=list)
    wrong_type: bool = False

    def value(self, text: str) -> None:
        """Note a value that is of the right type but not allowed."""
        self.found.append(text)

    def type(self, what: str, allowed: str, given: object) -> None:
        """Note ``what`` of the wrong type: say what is ``allowed`` and what was ``given``."""
        self.wrong(f"{what} must be {allowed}, got {shown(given)}")

    def wrong(self, text: str) -> None:
        """Note a wrong type described by ``text``."""
        self.found.append(text)
        self.wrong_type = True

    def extend(self, other: Problems, prefix: str = "") -> None:
        """Take over another collection's problems, each led by ``prefix``."""
        self.found.extend(f"{prefix}{text}" for text in other.found)
        self.wrong_type |= other.wrong_type

    def raise_any(self, name: str = "") -> None:
        """Raise one error listing every problem, if there is any."""
        if self.found:
            error = _TYPED[self.error] if self.wrong_type else self.error
            raise error(self.found, name)
