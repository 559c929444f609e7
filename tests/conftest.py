"""Shared test configuration: Hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``) runs more examples with no deadline;
the default ``dev`` profile is quicker for local runs.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, is_hypothesis_test, settings

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: The shared reference folder beside the project root; absent in a user's clone.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

#: The most parameters one ``@given`` test may be parametrized with: hypothesis' pytest
#: plugin wraps such a test's settings once per parameter, and the boundary walk's 973
#: targets under one property overflowed the stack in CI (no example database there).
MOST_PARAMETERS_PER_PROPERTY = 300


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a property parametrized past :data:`MOST_PARAMETERS_PER_PROPERTY`."""
    counts = Counter(
        item.function
        for item in items
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.function)
    )
    crowded = [
        f"{test.__module__}.{test.__qualname__} ({n})"
        for test, n in counts.items()
        if n > MOST_PARAMETERS_PER_PROPERTY
    ]
    if crowded:
        raise pytest.UsageError(
            f"@given tests parametrized more than {MOST_PARAMETERS_PER_PROPERTY} times: "
            f"{', '.join(crowded)}; build the property inside the test instead"
        )
