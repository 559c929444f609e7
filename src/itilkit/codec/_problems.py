"""Problems with paths: turning any structuring failure into ``(path, message)`` pairs.

Hooks raise :class:`DecodeError` with one message or several relative problems;
cattrs wraps the errors of generated class hooks in exception groups whose
notes name the field, index or key. :func:`problems_of` walks both, and any
other exception (a model's validation error, or anything unexpected), into a
flat list of problems, so the codec boundary can raise one
:class:`~itilkit.errors.InvalidDocumentError` and nothing else.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from itilkit.errors import (
    InvalidDefinitionError,
    InvalidDocumentError,
    InvalidEntityError,
    ItilkitError,
)

__all__ = [
    "DecodeError",
    "Problem",
    "collect",
    "describe",
    "gather",
    "join",
    "key",
    "problems_of",
    "read_key",
]

T = TypeVar("T")
#: A path relative to some value (``".states[2].name"``) and what is wrong there.
Problem = tuple[str, str]


class DecodeError(ValueError):
    """Raised by hooks: the value (or parts of it, at relative paths) is not acceptable."""

    def __init__(self, message: str = "", problems: Iterable[Problem] = ()) -> None:
        self.problems: tuple[Problem, ...] = (
            tuple(problems) if not message else (("", message), *problems)
        )
        super().__init__("; ".join(f"{p}: {m}" if p else m for p, m in self.problems))


def key(name: object) -> str:
    """The path step of a mapping key: ``["mon-fri"]``."""
    return f"[{json.dumps(name)}]" if isinstance(name, str) else f"[{name!r}]"


def join(*steps: str) -> str:
    """A path from steps (``".a"``, ``"[0]"``), shown without a leading dot."""
    return "".join(steps).removeprefix(".")


def describe(value: object) -> str:
    """What a value is, in JSON's words: ``number 7.9``, ``null``, ``an array``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {shown!r}"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _extra_keys(error: ForbiddenExtraKeysError) -> list[Problem]:
    allowed = (
        sorted(a.name for a in attrs.fields(error.cl) if a.init) if attrs.has(error.cl) else []
    )
    found = []
    for name in sorted(error.extra_fields):
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        found.append(
            (key(name), f"unknown key{hint}; allowed keys: {', '.join(allowed) or 'none'}")
        )
    return found


def _group(error: ClassValidationError | IterableValidationError) -> list[Problem]:
    found: list[Problem] = []
    for inner in error.exceptions:
        step = ""
        for note in getattr(inner, "__notes__", ()):
            if isinstance(note, AttributeValidationNote):
                step = f".{note.name}"
            elif isinstance(note, IterableValidationNote):
                step = key(note.index) if not isinstance(note.index, int) else f"[{note.index}]"
        found.extend((step + path, message) for path, message in _problems(inner))
    return found


def _problems(error: BaseException) -> list[Problem]:
    if isinstance(error, DecodeError):
        return list(error.problems)
    if isinstance(error, ClassValidationError | IterableValidationError):
        return _group(error)
    if isinstance(error, ForbiddenExtraKeysError):
        return _extra_keys(error)
    if isinstance(error, KeyError):
        return [("", "required key is missing")]
    if isinstance(error, InvalidDocumentError):
        return [(f".{p}" if p and not p.startswith("[") else p, m) for p, m in error.problems]
    if isinstance(error, InvalidDefinitionError | InvalidEntityError):
        return [("", problem) for problem in error.problems]
    if isinstance(error, ItilkitError):
        return [("", str(error))]
    if isinstance(error, RecursionError):
        return [("", "nested too deeply")]
    return [("", f"unexpected {type(error).__name__}: {error}")]


def problems_of(error: BaseException, prefix: str = "") -> list[Problem]:
    """Every problem in ``error``, with paths relative to ``prefix`` (a path step or ``""``)."""
    return [(prefix + path, message) for path, message in _problems(error)]


def gather(parts: Iterable[tuple[str, Callable[[], T]]]) -> list[T]:
    """Every part's result, or one :class:`DecodeError` with each failed part's problems.

    ``parts`` pairs a path step (``".old"``, ``"[2]"``, ``'["mon"]'``) with the
    work to do there; all of them run, so every problem is reported.
    """
    results, failed = [], []
    for step, part in parts:
        try:
            results.append(part())
        except Exception as error:
            failed.append((step, error))
    if failed:
        raise collect(failed)
    return results


def read_key(mapping: Mapping[str, Any], name: str, read: Callable[[Any], T]) -> T:
    """``read(mapping[name])``; a missing key is a :class:`KeyError` (a missing-key problem)."""
    return read(mapping[name])


def collect(items: Sequence[tuple[str, BaseException]]) -> DecodeError:
    """One :class:`DecodeError` for several failed parts, each at its path step."""
    return DecodeError(problems=[p for step, error in items for p in problems_of(error, step)])
