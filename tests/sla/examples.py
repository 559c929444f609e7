"""How many examples the heavy oracle properties draw.

Every one of them under the CI profile (``HYPOTHESIS_PROFILE=ci``, set by
``.ci/run``), a few locally, so that the default test run stays quick while CI
stays thorough (see ``tests/conftest.py``).
"""

from __future__ import annotations

import os

#: Whether this run uses the CI profile.
CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"


def examples(ci: int, dev: int) -> int:
    """``ci`` examples under the CI profile, ``dev`` otherwise."""
    return ci if CI else dev
