"""The public boundary holds: every public name raises only ItilkitError, whatever it is given.

For every callable the walk finds in the enabled modules' ``__all__`` (classes,
functions, enums, errors, and the public methods of sample instances), a valid
call is built from the package's samples and the signature; it must succeed.
Then each parameter in turn, and random sets of parameters, are given hostile
values (``tests/boundary/hostile.py``). The call may succeed or raise an
``ItilkitError``; any other exception, or a call over one second, fails. A
public class without a sample instance fails too: nothing is skipped.

``HYPOTHESIS_PROFILE=ci`` draws more random calls per callable than the default.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import signal
import time
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import FrameType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import itilkit
from itilkit._repr import shown
from itilkit.errors import ItilkitError
from tests.boundary.enabled import ENABLED
from tests.boundary.hostile import CANONICAL, hostile
from tests.boundary.walk import (
    NOTHING,
    Target,
    constant,
    kind,
    lookup,
    own_samples,
    public_names,
    registry,
    targets,
    valid_value,
)

#: The longest a call may take (seconds), and when a hung call is interrupted.
LIMIT, STOP = 1.0, 10.0
#: Random calls per callable: few by default, many in CI.
EXAMPLES = {"ci": 20}.get(os.environ.get("HYPOTHESIS_PROFILE", "dev"), 4)

REGISTRY = registry()
TARGETS = list(targets())
#: The method targets (first sample) of each class target, by the class target's id.
METHODS: dict[str, list[Target]] = {}
for _method in TARGETS:
    _owner, _, _rest = _method.id.rpartition(".")
    if _rest.endswith("[sample 0]") and _owner:
        METHODS.setdefault(_owner, []).append(_method)
_DEFAULT: Any = object()


class Overtime(BaseException):
    """Raised into a call that runs past :data:`STOP` (a BaseException: no handler eats it)."""


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise Overtime


@attrs.frozen
class Call:
    """A valid call of a target: per parameter, a factory of a valid value (or the default)."""

    target: Target
    parameters: tuple[tuple[inspect.Parameter, Callable[[], Any]], ...]
    problems: tuple[str, ...]

    @property
    def fuzzed(self) -> list[inspect.Parameter]:
        """The parameters hostile values go to (all but trusted ones)."""
        trusted = own_samples(self.target.module).trusted
        return [
            p
            for p, _ in self.parameters
            if f"{self.target.key}.{p.name}" not in trusted and p.name not in trusted
        ]

    def is_callback(self, name: str) -> bool:
        """Whether the parameter takes a host's callable (see ``Samples.callbacks``)."""
        callbacks = own_samples(self.target.module).callbacks
        return f"{self.target.key}.{name}" in callbacks or name in callbacks

    def run(self, hostile_values: Mapping[str, object]) -> None:
        """Call the target with ``hostile_values`` in place of some parameters' valid values."""
        self.call(*self.prepare(hostile_values), hostile_values)

    def prepare(
        self, hostile_values: Mapping[str, object]
    ) -> tuple[Callable[..., Any], list[Any], dict[str, Any]]:
        """The callable and its arguments: samples are made here, before the call is timed."""
        function = self.target.make()
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        kinds = [p.kind for p, _ in self.parameters]
        # before a *args parameter, the others go by position (``hours(day, *shifts)``)
        by_position = inspect.Parameter.VAR_POSITIONAL in kinds
        for parameter, factory in self.parameters:
            positional = parameter.kind is inspect.Parameter.POSITIONAL_ONLY or (
                by_position and parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            )
            if parameter.name in hostile_values:
                value = hostile_values[parameter.name]
                if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                    value = (value,)
                elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
                    value = {"extra": value}
            elif factory is _DEFAULT:
                if not positional:
                    continue
                value = parameter.default
            else:
                value = factory()
            if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                args.extend(typing.cast(tuple[Any, ...], value))
            elif parameter.kind is inspect.Parameter.VAR_KEYWORD:
                kwargs.update(typing.cast(dict[str, Any], value))
            elif positional:
                args.append(value)
            else:
                kwargs[parameter.name] = value
        return function, args, kwargs

    def call(
        self,
        function: Callable[..., Any],
        args: list[Any],
        kwargs: dict[str, Any],
        hostile_values: Mapping[str, object],
    ) -> None:
        """Make the prepared call, iterate what it streams, and use what it built."""
        result = function(*args, **kwargs)
        if isinstance(result, Iterator) or _streams(result):
            for _ in zip(range(1000), result, strict=False):
                pass
        if self.target.is_error:
            str(result)
        elif hostile_values and isinstance(function, type) and isinstance(result, function):
            self.use(result)

    def use(self, instance: object) -> None:
        """Call each public method of an instance built from hostile values, validly.

        A value accepted at construction must not make the instance fail later
        (``Backlog(clock=5)`` accepted, then crashing on first use).
        """
        for method in METHODS.get(self.target.id, ()):
            call = valid_call(attrs.evolve(method, make=_bound_to(instance, method)))
            try:
                call.run({})
            except ItilkitError:
                pass
            except Exception as error:
                raise AcceptedThenFailedError(
                    f"accepted, then {method.key}() raised {type(error).__name__}: {error}"
                ) from error


def _streams(value: object) -> bool:
    """Whether ``value`` is one of itilkit's iterables that do their work when iterated
    (an export being read or imported): the walk iterates them as a caller would."""
    return type(value).__module__.startswith("itilkit") and isinstance(value, Iterable)


class AcceptedThenFailedError(Exception):
    """A hostile value passed construction and made a later call fail."""


def _bound_to(instance: object, method: Target) -> Callable[[], Callable[..., Any]]:
    name = method.key.rsplit(".", 1)[1]
    return lambda: getattr(instance, name)


def _valid_factory(annotation: Any) -> Callable[[], Any]:
    return lambda: valid_value(annotation, REGISTRY)


def valid_call(target: Target) -> Call:
    """The valid call of ``target``, with the parameters no valid value was found for."""
    samples = own_samples(target.module)
    parameters: list[tuple[inspect.Parameter, Callable[[], Any]]] = []
    problems: list[str] = []
    signature = target.signature
    if signature is None:
        return Call(target, (), ("no signature: inspect.signature cannot read it",))
    for parameter in signature.parameters.values():
        if target.is_enum:  # a member's value (an enum without members has none: see below)
            members = list(target.make())  # type: ignore[call-overload]
            parameters.append((parameter, constant(members[0].value if members else "x")))
            continue
        factory = lookup(samples.arguments, target.key, parameter.name)
        if factory is not NOTHING:
            parameters.append((parameter, factory))
            continue
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            parameters.append((parameter, tuple))
            continue
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            parameters.append((parameter, dict))
            continue
        if parameter.default is not inspect.Parameter.empty:
            parameters.append((parameter, _DEFAULT))
            continue
        annotation = target.hints.get(parameter.name, NOTHING)
        if annotation is not NOTHING and valid_value(annotation, REGISTRY) is not NOTHING:
            parameters.append((parameter, _valid_factory(annotation)))
            continue
        problems.append(
            f"no valid value for parameter {parameter.name!r} (annotation "
            f"{annotation if annotation is not NOTHING else 'none'}): add "
            f"{target.key}.{parameter.name!r} to the package's Samples.arguments, or a sample "
            "instance of its class"
        )
    return Call(target, tuple(parameters), tuple(problems))


def checked(call: Call, hostile_values: Mapping[str, object], what: str) -> None:
    """Run the call; fail on any exception but an ItilkitError and on a call over LIMIT."""
    prepared = call.prepare(hostile_values)  # sample making is not the call's time
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, STOP)
    start = time.perf_counter()
    try:
        call.call(*prepared, hostile_values)
    except ItilkitError:
        pass
    except Overtime:
        pytest.fail(f"{call.target.id} with {what} did not return within {STOP:g} s")
    except Exception as error:
        pytest.fail(
            f"{call.target.id} with {what} raised {type(error).__name__}: {str(error)[:300]}"
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    took = time.perf_counter() - start
    assert took <= LIMIT, f"{call.target.id} with {what} took {took:.2f} s (limit {LIMIT:g} s)"


def _marks(target: Target) -> list[pytest.MarkDecorator]:
    pending = own_samples(target.module).pending
    for name, reason in pending.items():
        if target.key == name or target.key.startswith(f"{name}."):
            return [pytest.mark.xfail(reason=reason, strict=False)]
    return []


def _params() -> list[Any]:
    return [pytest.param(t, id=t.id, marks=_marks(t)) for t in TARGETS]


PUBLIC = list(public_names())


@pytest.mark.parametrize(
    ("module", "name", "value"), PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC]
)
def test_every_public_name_is_walked(module: str, name: str, value: object) -> None:
    """Each public name is of a known kind, and every public class has a sample instance."""
    what = kind(value)
    assert what != "unknown", f"{module}.{name}: the walk does not know how to call it"
    if what == "contract":
        assert isinstance(value, type)
        runs = _contract_runs(value)
        assert runs, f"{module}.{name}: no test of this project subclasses the contract"
    if what == "class":
        assert REGISTRY.instances.get(value), (
            f"{module}.{name} has no sample instance: add one to "
            f"{own_samples(module).__class__.__name__} in the package's samples module"
        )


#: Public modules whose names the walk leaves out, and why.
NOT_WALKED = {
    "itilkit.testing.strategies": "hypothesis strategies for tests: they take valid options "
    "from test code and their draws are checked by the tests that use them",
    "itilkit.cli.__main__": "runs main() on import (python -m itilkit.cli)",
    "itilkit.__main__": "runs main() on import (python -m itilkit)",
}


def _public_modules() -> list[str]:
    found = ["itilkit"]
    for info in pkgutil.walk_packages(itilkit.__path__, "itilkit."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]) or info.name.endswith(
            "__main__"
        ):
            found.append(info.name)
    return found


def test_every_public_name_of_every_package_is_walked() -> None:
    """Each name in a public module's ``__all__`` (the root ``itilkit``, every package and
    public module) is walked: its module is enabled, or the very object is walked under
    the name of an enabled module (a re-export)."""
    walked = {id(value) for _, _, value in PUBLIC}
    missing = []
    for module in _public_modules():
        if module in ENABLED or module in NOT_WALKED:
            continue
        imported = importlib.import_module(module)
        for name in getattr(imported, "__all__", ()):
            value = getattr(imported, name)
            if id(value) not in walked and kind(value) not in {"constant", "alias"}:
                missing.append(f"{module}.{name}")
    assert not missing, f"not walked: {', '.join(missing)}; enable their modules in enabled.py"


#: The test modules that run the test kit's contracts against real stores.
CONTRACT_RUNS = ("tests.storage.test_memory", "tests.storage.test_sqlite",
                 "tests.storage.test_sqlalchemy", "tests.storage.test_tickets",
                 "tests.storage.test_cmdb")  # fmt: skip


def _contract_runs(contract: type) -> list[str]:
    """The concrete subclasses of ``contract`` in :data:`CONTRACT_RUNS` (and what they import)."""
    for module in CONTRACT_RUNS:
        importlib.import_module(module)
    found: list[str] = []
    pending: list[type] = list(contract.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("tests.") and cls.make_store is not contract.make_store:  # type: ignore[attr-defined]
            found.append(f"{cls.__module__}.{cls.__qualname__}")
    return found


@pytest.mark.parametrize("target", _params())
def test_valid_call_then_each_parameter_hostile(target: Target) -> None:
    """The valid call succeeds; then each parameter alone takes each canonical hostile value."""
    call = valid_call(target)
    assert not call.problems, "; ".join(call.problems)
    previous = signal.signal(signal.SIGALRM, _interrupt)
    signal.setitimer(signal.ITIMER_REAL, STOP)
    try:
        call.run({})
    except ItilkitError:
        memberless = target.is_enum and not list(target.make())  # type: ignore[call-overload]
        if not (memberless or target.key in own_samples(target.module).bases):
            raise
    except Overtime:
        pytest.fail(f"the valid call of {target.id} did not return within {STOP:g} s")
    except Exception as error:
        pytest.fail(
            f"the valid call of {target.id} raised {type(error).__name__}: {error}; "
            "fix the package's samples"
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    extra = own_samples(target.module).hostile
    for parameter in call.fuzzed:
        callback = call.is_callback(parameter.name)
        for label, make in CANONICAL:
            value = make()
            if not (callback and callable(value)):
                checked(call, {parameter.name: value}, f"{parameter.name}={label}")
        strategy = lookup(extra, target.key, parameter.name)
        if strategy is not NOTHING:
            for number, value in enumerate(_examples(strategy)):
                checked(call, {parameter.name: value}, f"{parameter.name}=extra #{number}")


def _examples(strategy: st.SearchStrategy[Any]) -> list[Any]:
    found: list[Any] = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


@pytest.mark.parametrize("target", _params())
def test_random_hostile_calls(target: Target) -> None:
    """Random parameters at once take random hostile values (nested, record-like...).

    The property is built afresh for each target rather than parametrized under one
    ``@given``: hypothesis' pytest plugin wraps a parametrized property's settings once per
    parameter, and over several hundred targets that chain of settings overflowed the
    stack when the CI profile (no example database) read it.
    """
    call = valid_call(target)
    assert not call.problems, "; ".join(call.problems)
    fuzzed = call.fuzzed
    if not fuzzed:
        return
    names = [p.name for p in fuzzed]
    extra = own_samples(target.module).hostile

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def hostile_call(data: st.DataObject) -> None:
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, unique=True), "parameters")
        values = {}
        for name in chosen:
            strategy = lookup(extra, target.key, name)
            pool = hostile() if strategy is NOTHING else st.one_of(hostile(), strategy)
            if call.is_callback(name):
                pool = pool.filter(lambda value: not callable(value))
            values[name] = data.draw(pool, name)
        checked(call, values, ", ".join(f"{k}={shown(v)}" for k, v in values.items()))

    hostile_call()
