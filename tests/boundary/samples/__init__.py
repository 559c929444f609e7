"""What a package gives the boundary test: valid sample instances and argument values.

One module here per enabled package (see ``tests/boundary/enabled.py``), each
defining ``SAMPLES = Samples(...)``. The boundary test derives a valid call of
every public callable from its signature; a package supplies what the
annotations cannot give.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

Factory = Callable[[], object]


@attrs.frozen
class Samples:
    """Valid values for the boundary test of one package.

    Attributes:
        instances: valid instances per class (a factory per instance: each call
            gets fresh ones). Every public class needs at least one; it is the
            ``self`` of its methods under test, and the value of any parameter
            annotated with the class (or a Protocol it is registered under).
        receivers: the instances a method is tried on, keyed ``"Class.method"``,
            where only some samples can take the valid call (an entity command
            starts from some states only); other methods use ``instances``.
        arguments: valid values of parameters the annotations do not give, keyed
            ``"Class.parameter"`` (constructor), ``"Class.method.parameter"``,
            ``"function.parameter"`` or a bare ``"parameter"`` (any callable).
        hostile: extra hostile values for a parameter (same keys), besides the
            generic ones of ``tests/boundary/hostile.py``.
        trusted: parameters only library code fills (the configuration of
            private validator factories), keyed like ``arguments``: not fuzzed.
        bases: public base classes that cannot be built themselves (building one
            raises an ItilkitError that names what to use instead); their methods
            are tested on the subclass instances registered for them.
        callables: objects that public factories return (validators, guards), by a
            name of our choosing: calling each is tested like a public function.
        callbacks: parameters that take a host's callable (keyed like ``arguments``):
            they get every hostile value but callable ones, since what a host's
            own callable raises reaches the host unchanged (as with ``sorted``'s
            ``key``): a host cancelling a long call from its callback relies on it.
        pending: public names known to fail, with why and who owns the fix; their
            tests are expected to fail (xfail, not strict) until the owner lands it.
    """

    instances: Mapping[Any, Sequence[Factory]] = attrs.field(factory=dict)
    receivers: Mapping[str, Sequence[Factory]] = attrs.field(factory=dict)
    arguments: Mapping[str, Factory] = attrs.field(factory=dict)
    hostile: Mapping[str, st.SearchStrategy[Any]] = attrs.field(factory=dict)
    trusted: frozenset[str] = frozenset()
    bases: frozenset[str] = frozenset()
    callables: Mapping[str, Factory] = attrs.field(factory=dict)
    callbacks: frozenset[str] = frozenset()
    pending: Mapping[str, str] = attrs.field(factory=dict)
