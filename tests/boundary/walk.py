"""Walk enabled modules' ``__all__``: every public callable, with a valid call built for it.

Each public name is classified (:func:`kind`). Classes, functions, enums and
errors are callables; so are the public methods (defined in itilkit) of every
sample instance and of public module-level instances. A valid call fills each
required parameter from the package's :class:`~tests.boundary.samples.Samples`
or, failing that, from its annotation (a registered instance of the annotated
class, a plain value of a builtin type, the first member of an enum).
"""

from __future__ import annotations

import collections.abc as abc
import datetime as dt
import enum
import importlib
import inspect
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from tests.boundary.enabled import ENABLED
from tests.boundary.samples import Factory, Samples

NOTHING: Any = object()
"""No valid value could be derived."""


def constant(value: Any) -> Callable[[], Any]:
    """A factory that always returns ``value``."""
    return lambda: value


def _first_member(cls: Any) -> Callable[[], Any]:
    return lambda: next(iter(cls))


def _bound(factory: Factory, method: str) -> Callable[[], Any]:
    return lambda: getattr(factory(), method)


@attrs.frozen
class Target:
    """One public callable under test.

    ``key`` is how samples name it (``Backlog``, ``Backlog.partial``, ``fire``);
    ``make()`` returns the callable (a method bound to a fresh sample instance).
    """

    id: str
    module: str
    key: str
    make: Callable[[], Callable[..., Any]]
    signature: inspect.Signature | None
    hints: Mapping[str, Any]
    is_enum: bool = False
    is_error: bool = False


def registry() -> Samples:
    """Every enabled package's instances together (a sample may serve any package).

    ``arguments``, ``hostile``, ``trusted`` and ``pending`` stay per package: see
    :func:`own_samples`.
    """
    instances: dict[Any, list[Factory]] = {}
    receivers: dict[str, list[Factory]] = {}
    for module in set(ENABLED.values()):
        samples: Samples = importlib.import_module(module).SAMPLES
        for cls, factories in samples.instances.items():
            instances.setdefault(cls, []).extend(factories)
        for key, factories in samples.receivers.items():
            receivers.setdefault(key, []).extend(factories)
    return Samples(instances, receivers)


def own_samples(module: str) -> Samples:
    """The samples of the enabled package ``module`` belongs to."""
    samples: Samples = importlib.import_module(ENABLED[module]).SAMPLES
    return samples


def kind(value: object) -> str:
    """``class``, ``enum``, ``error``, ``protocol``, ``contract``, ``function``, ``instance``,
    ``constant`` or ``alias``; anything else is ``unknown`` (and fails the walk).

    A ``contract`` is one of the test kit's abstract test suites (``itilkit.testing``):
    a class a host subclasses with a ``make_store`` hook, whose methods are tests
    pytest or hypothesis run. It is not called with hostile values; the walk
    checks instead that this project's own tests run it against a real store.
    """
    if isinstance(value, type):
        if issubclass(value, BaseException):
            return "error"
        if value.__module__.startswith("itilkit.testing") and callable(
            getattr(value, "make_store", None)
        ):
            return "contract"
        if issubclass(value, enum.Enum):
            return "enum"
        if getattr(value, "_is_protocol", False):
            return "protocol"
        return "class"
    unwrapped = inspect.unwrap(value) if callable(value) else value  # functools.cache
    if inspect.isfunction(unwrapped) or inspect.isbuiltin(value):
        return "function"
    if isinstance(value, typing.TypeVar | types.UnionType | types.GenericAlias) or (
        type(value).__module__ == "typing"
    ):
        return "alias"
    if isinstance(value, str | int | float | bytes | Mapping | tuple | frozenset | range):
        return "constant"
    if type(value).__module__.startswith("itilkit"):
        return "instance"
    return "unknown"


def public_names() -> Iterator[tuple[str, str, object]]:
    """``(module, name, value)`` for every name in every enabled module's ``__all__``."""
    for module in ENABLED:
        imported = importlib.import_module(module)
        for name in imported.__all__:
            yield module, name, getattr(imported, name)


def _hints(function: object, fallback_globals: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(function)
    except Exception:  # annotations naming what the module imports only for type checking
        raw = getattr(function, "__annotations__", {})
        hints = {}
        for name, annotation in raw.items():
            try:
                hints[name] = (
                    eval(annotation, dict(fallback_globals))
                    if isinstance(annotation, str)
                    else annotation
                )
            except Exception:
                continue
        return hints


def _class_hints(cls: type) -> dict[str, Any]:
    module = importlib.import_module(cls.__module__)
    hints = _hints(cls, vars(module))
    if attrs.has(cls):
        for field in attrs.fields(cls):
            if field.alias != field.name and field.name in hints:
                hints[field.alias] = hints[field.name]
    else:
        init = next((vars(c)["__init__"] for c in cls.__mro__ if "__init__" in vars(c)), None)
        if init is not None and init is not object.__init__:
            hints.update(_hints(init, vars(module)))
    return hints


def _signature(value: Callable[..., Any]) -> inspect.Signature | None:
    try:
        return inspect.signature(value)
    except (TypeError, ValueError):
        return None


def _methods(cls: type) -> Iterator[str]:
    """Names of the public methods of ``cls`` defined in itilkit (and ``__call__``)."""
    for name in sorted(dir(cls)):
        if name.startswith("_") and name != "__call__":
            continue
        raw = inspect.getattr_static(cls, name, None)
        function = raw.__func__ if isinstance(raw, classmethod | staticmethod) else raw
        if not inspect.isfunction(function):
            continue
        if not function.__module__.startswith("itilkit"):
            continue
        yield name


def targets() -> Iterator[Target]:
    """Every public callable of the enabled modules."""
    samples = registry()
    for module, name, value in public_names():
        what = kind(value)
        if what in {"class", "error", "enum"}:
            assert isinstance(value, type)
            cls: Any = value
            signature: inspect.Signature | None
            if what == "enum":
                signature = inspect.Signature(
                    [inspect.Parameter("value", inspect.Parameter.POSITIONAL_ONLY)]
                )
                hints: dict[str, Any] = {}
            else:
                signature, hints = _signature(cls), _class_hints(cls)
            if signature is None and what == "error":  # BaseException's own (*args)
                signature = inspect.Signature(
                    [inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL)]
                )
            yield Target(
                f"{module}.{name}",
                module,
                name,
                constant(cls),
                signature,
                hints,
                is_enum=what == "enum",
                is_error=what == "error",
            )
            if what == "error":
                continue
            if what == "enum":
                factories: list[Factory] = [_first_member(cls)] if len(cls) else []
            else:
                factories = list(samples.instances.get(cls, ()))
            yield from _method_targets(module, name, cls, factories, samples.receivers)
        elif what == "function":
            function = typing.cast(Callable[..., Any], value)
            globals_ = getattr(function, "__globals__", {})
            yield Target(
                f"{module}.{name}",
                module,
                name,
                constant(function),
                _signature(function),
                _hints(function, globals_),
            )
        elif what == "instance":
            yield from _method_targets(
                module, name, type(value), [constant(value)], samples.receivers, owner=name
            )
    first_module = {samples: module for module, samples in reversed(ENABLED.items())}
    for module in first_module.values():
        for name, factory in own_samples(module).callables.items():
            kind_of = type(factory())
            call = kind_of.__call__
            found = _signature(call)
            assert found is not None, name
            yield Target(
                f"{module}:{name}",
                module,
                name,
                typing.cast(Callable[[], Callable[..., Any]], factory),
                found.replace(parameters=list(found.parameters.values())[1:]),
                _hints(call, vars(importlib.import_module(kind_of.__module__))),
            )


def _method_targets(
    module: str,
    name: str,
    cls: type,
    factories: list[Factory],
    receivers: Mapping[str, Sequence[Factory]],
    owner: str | None = None,
) -> Iterator[Target]:
    """One target per public method and sample instance of ``cls`` (its receivers, if any)."""
    defining = importlib.import_module(cls.__module__)
    for method in _methods(cls):
        raw = inspect.getattr_static(cls, method)
        function = raw.__func__ if isinstance(raw, classmethod | staticmethod) else raw
        hints = _hints(function, vars(defining))
        if isinstance(raw, classmethod | staticmethod):
            bound = getattr(cls, method)
            yield Target(
                f"{module}.{name}.{method}",
                module,
                f"{owner or name}.{method}",
                constant(bound),
                _signature(bound),
                hints,
            )
            continue
        unbound = _signature(getattr(cls, method))
        assert unbound is not None, f"{cls.__name__}.{method}"
        without_self = unbound.replace(parameters=list(unbound.parameters.values())[1:])
        own = receivers.get(f"{owner or name}.{method}", factories)
        for number, factory in enumerate(own):
            yield Target(
                f"{module}.{name}.{method}[sample {number}]",
                module,
                f"{owner or name}.{method}",
                _bound(factory, method),
                without_self,
                hints,
            )


# -- valid values ---------------------------------------------------------------------

_PLAIN: dict[Any, Factory] = {
    str: lambda: "x",
    int: lambda: 1,
    float: lambda: 0.5,
    bool: lambda: False,
    bytes: lambda: b"x",
    dt.datetime: lambda: dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC),
    dt.timedelta: lambda: dt.timedelta(hours=1),
    dt.date: lambda: dt.date(2024, 3, 1),
    dt.tzinfo: lambda: dt.UTC,
    object: lambda: "x",
    type(None): lambda: None,
}
_EMPTY_MAPPINGS = {dict, abc.Mapping, abc.MutableMapping, types.MappingProxyType}
_EMPTY_SEQUENCES = {
    tuple,
    list,
    abc.Iterable,
    abc.Sequence,
    abc.Collection,
    abc.Iterator,
    abc.Set,
    set,
    frozenset,
}


def valid_value(annotation: Any, samples: Samples) -> Any:
    """A valid value of ``annotation``, or :data:`NOTHING`."""
    if annotation is typing.Any:
        return "x"
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
        for member in (m for m in members if m is not type(None)):
            value = valid_value(member, samples)
            if value is not NOTHING:
                return value
        return None if type(None) in members else NOTHING
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if origin is typing.Annotated:
        return valid_value(typing.get_args(annotation)[0], samples)
    if origin is not None:
        if origin in _EMPTY_MAPPINGS:
            return {}
        if origin in _EMPTY_SEQUENCES:
            return origin() if origin in (tuple, list, set, frozenset) else ()
        if origin is abc.Callable:
            return lambda *args, **kwargs: None
        return valid_value(origin, samples)
    if isinstance(annotation, typing.TypeVar):
        return "x"
    factories = samples.instances.get(annotation)
    if factories:
        return factories[0]()
    if annotation in _PLAIN:
        return _PLAIN[annotation]()
    if isinstance(annotation, type):
        if issubclass(annotation, enum.Enum):
            return next(iter(annotation))
        for cls, registered in samples.instances.items():
            if isinstance(cls, type) and issubclass(cls, annotation) and registered:
                return registered[0]()
    if annotation in _EMPTY_MAPPINGS:
        return {}
    if annotation in _EMPTY_SEQUENCES:
        return ()
    if annotation is abc.Callable:
        return lambda *args, **kwargs: None
    return NOTHING


def lookup(mapping: Mapping[str, Any], key: str, parameter: str) -> Any:
    """``mapping[f"{key}.{parameter}"]``, else ``mapping[parameter]``, else NOTHING."""
    for candidate in (f"{key}.{parameter}", parameter):
        if candidate in mapping:
            return mapping[candidate]
    return NOTHING
