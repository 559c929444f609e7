"""A repr for error messages that holds whatever it is given.

Error messages quote the offending value; :func:`shown` quotes it briefly (long
strings and deep or cyclic structures are cut short) and never raises, even
for objects whose own ``__repr__`` does.
"""

from __future__ import annotations

import reprlib

__all__ = ["shown"]

_SHORT = reprlib.Repr()
_SHORT.maxstring = 60
_SHORT.maxother = 60
_SHORT.maxlevel = 3
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = _SHORT.maxfrozenset = 6


def shown(value: object) -> str:
    """A short repr of ``value`` for an error message.

    >>> shown("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
    >>> deep: list[object] = []
    >>> for _ in range(10_000):
    ...     deep = [deep]
    >>> shown(deep)
    '[[[[...]]]]'
    """
    try:
        return _SHORT.repr(value)
    except Exception:  # a hostile __repr__: fall back to the type
        return f"<{type(value).__name__} object>"
