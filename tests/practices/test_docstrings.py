"""The ``>>>`` examples in the practices modules' docstrings run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "itilkit.practices._incident",
    "itilkit.practices._matrix",
    "itilkit.practices._practice",
    "itilkit.practices._priority",
    "itilkit.practices._registry",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    """Every docstring example of the module gives the output it shows."""
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
