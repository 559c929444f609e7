"""Samples of the kernel modules: errors, clocks, categories, outcomes, time and validators."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs

from itilkit import _validators as validators
from itilkit.clock import FixedClock, SystemClock
from tests.boundary.samples import Samples

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@attrs.frozen
class _Host:
    """An attrs class whose field is the ``attribute`` validators are called with."""

    value: object = None


SAMPLES = Samples(
    instances={
        SystemClock: [SystemClock],
        FixedClock: [lambda: FixedClock(T0)],
    },
    callables={
        "of_type(str)": lambda: validators.of_type(str),
        "optional(text())": lambda: validators.optional(validators.text()),
        "tuple_of(int)": lambda: validators.tuple_of(int),
        "text()": validators.text,
        "aware()": validators.aware,
        "non_negative()": validators.non_negative,
    },
    arguments={
        # attrs calls a validator with the instance, the attribute and a value.
        "_instance": _Host,
        "instance": _Host,
        "attribute": lambda: attrs.fields(_Host).value,
        "aware().value": lambda: T0,
        "instant.value": lambda: T0,
        "to_category.value": lambda: "new",
        "checked_instant.value": lambda: T0,
        "plain.value": lambda: T0,
        "require_aware.value": lambda: T0,
        "require_aware_or_none.value": lambda: T0,
        "to_utc.value": lambda: T0,
        "of_type(str).value": lambda: "x",
        "optional(text()).value": lambda: "x",
        "tuple_of(int).value": lambda: (1,),
        "text().value": lambda: "x",
        "non_negative().value": lambda: 1,
    },
    # attrs passes the instance and attribute; library code passes the factories' types.
    trusted=frozenset(
        {"_instance", "instance", "attribute", "of_type.types", "tuple_of.types", "optional.inner"}
    ),
)
