"""Each public module's ``__all__`` lists exactly its public names, sorted.

A name is public when the module binds it at top level without an underscore:
by definition or assignment, or (in a package ``__init__``) by importing it from
that package's own modules. Names imported from elsewhere are not re-exports.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import itilkit

MODULES = ["itilkit"] + [
    info.name
    for info in pkgutil.walk_packages(itilkit.__path__, "itilkit.")
    if not any(part.startswith("_") for part in info.name.split("."))
]


def _public_names(name: str, path: Path) -> set[str]:
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if is_package and source.startswith(f"{name}."):
                names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_exactly_the_public_names(name: str) -> None:
    """``__all__`` is sorted, resolves, and equals the module's public names."""
    module = importlib.import_module(name)
    assert module.__file__ is not None
    exported = list(module.__all__)
    assert exported == sorted(exported), f"{name}.__all__ is not sorted"
    assert all(hasattr(module, attr) for attr in exported)
    assert set(exported) == _public_names(name, Path(module.__file__))
