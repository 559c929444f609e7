"""The base of itilkit's string enums: a lookup of an unknown value is bad input.

``StateCategory("bogus")`` raises :class:`~itilkit.errors.InvalidInputError`
(a ``ValueError``, as a plain enum's lookup raises) listing the allowed values,
whatever the value is: unhashable, deep, ``None`` or of any other type. (A plain
enum quotes the value with ``repr``, which itself fails on deep structures.)
"""

from __future__ import annotations

from enum import EnumType, StrEnum
from typing import Any

from itilkit._repr import shown
from itilkit.errors import InvalidInputError

__all__ = ["Vocabulary"]


class _Lookup(EnumType):
    """Member lookup by value that refuses anything but a member's value with our error."""

    def __call__(cls, value: Any, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:  # the functional API: Vocabulary("Name", "a b")
            return super().__call__(value, *args, **kwargs)
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            member = cls._value2member_map_.get(value)
            if member is not None:
                return member
        members: dict[str, Any] = dict(cls.__members__)
        allowed = ", ".join(str(m.value) for m in members.values()) or "none"
        raise InvalidInputError(f"{shown(value)} is not a {cls.__name__}; allowed: {allowed}")


class Vocabulary(StrEnum, metaclass=_Lookup):
    """A ``StrEnum`` whose lookup of an unknown value raises an itilkit error."""
