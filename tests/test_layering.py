"""The import layering: lower layers never import higher ones.

lifecycle and sla know nothing of practices, storage or metrics (nor of each
other); metrics never imports practices; the codec stands above practices,
sla, lifecycle and metrics, and nothing below it imports it; storage imports
only the kernel, the codec and lifecycle (history records are lifecycle values;
its repository knows entities only through the codec Protocol storage
defines), never practices or metrics; conformance knows lifecycles only;
interop may use everything but the test kit; reports stands above interop, and
the command (cli) above everything but the test kit; only
itilkit.testing may import pytest or hypothesis.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "itilkit"
KERNEL = {
    "itilkit.errors",
    "itilkit._time",
    "itilkit.clock",
    "itilkit.typing",
    "itilkit.categories",
    "itilkit.outcomes",
    "itilkit._validators",
    "itilkit._repr",
    "itilkit._enums",
    "itilkit._fields",
}

#: For each layer, the itilkit layers it may import besides the kernel and itself.
ALLOWED: dict[str, set[str]] = {
    "kernel": set(),
    "lifecycle": set(),
    "sla": set(),
    "practices": {"lifecycle", "sla"},
    "metrics": {"sla"},
    "codec": {"lifecycle", "sla", "practices", "metrics"},
    "storage": {"codec", "lifecycle"},
    "testing": {"lifecycle", "sla", "practices", "metrics", "codec", "storage"},
    "conformance": {"lifecycle"},
    "interop": {"lifecycle", "sla", "practices", "metrics", "codec", "storage", "conformance"},
    "reports": {
        "lifecycle",
        "sla",
        "practices",
        "metrics",
        "codec",
        "storage",
        "conformance",
        "interop",
    },
    "cli": {
        "lifecycle",
        "sla",
        "practices",
        "metrics",
        "codec",
        "storage",
        "conformance",
        "interop",
        "reports",
    },
}
#: Modules allowed to reach beyond their layer's rule.
EXCEPTIONS: dict[str, set[str]] = {}
TEST_TOOLS = {"pytest", "hypothesis", "_pytest"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str | None:
    """The layer of an itilkit module, or None for the root aggregators."""
    if module in KERNEL:
        return "kernel"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ALLOWED:
        return parts[1]
    return None


def _imports(source: str) -> list[str]:
    tree = ast.parse(source)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def _violations(module: str, source: str) -> list[str]:
    layer = _layer(module)
    problems = []
    for imported in _imports(source):
        top = imported.split(".")[0]
        if top in TEST_TOOLS and layer != "testing":
            problems.append(f"{module} imports test tool {imported}")
        if top != "itilkit" or layer is None:
            continue
        if imported == "itilkit":
            problems.append(f"{module} imports the root package")
            continue
        target = _layer(imported)
        if target is None or target in {"kernel", layer}:
            continue
        if layer == "kernel":
            problems.append(f"kernel module {module} imports {imported}")
        elif target not in ALLOWED[layer] | EXCEPTIONS.get(module, set()):
            problems.append(f"{module} ({layer}) imports {imported} ({target})")
    return problems


@pytest.mark.parametrize("path", MODULES, ids=[_module_name(p) for p in MODULES])
def test_module_respects_layers(path: Path) -> None:
    """Each module imports only from its own layer, the kernel and the layers below."""
    assert _violations(_module_name(path), path.read_text()) == []


def test_checker_catches_upward_and_test_tool_imports() -> None:
    """The checker flags lifecycle importing practices or pytest, and allows the kernel."""
    source = "from itilkit.practices import Incident\nimport pytest\nfrom itilkit.errors import X\n"
    assert _violations("itilkit.lifecycle._probe", source) == [
        "itilkit.lifecycle._probe (lifecycle) imports itilkit.practices (practices)",
        "itilkit.lifecycle._probe (lifecycle) imports itilkit.practices.Incident (practices)",
        "itilkit.lifecycle._probe imports test tool pytest",
    ]
    assert _violations("itilkit.storage._repository", source) == [
        "itilkit.storage._repository (storage) imports itilkit.practices (practices)",
        "itilkit.storage._repository (storage) imports itilkit.practices.Incident (practices)",
        "itilkit.storage._repository imports test tool pytest",
    ]
    assert _violations("itilkit.testing._probe", source) == []


def test_checker_keeps_the_codec_above_the_model() -> None:
    """The codec may read the model packages; none of them may import the codec."""
    assert _violations("itilkit.codec._probe", "from itilkit.practices import Incident\n") == []
    assert _violations("itilkit.sla._probe", "from itilkit.codec import dumps\n") == [
        "itilkit.sla._probe (sla) imports itilkit.codec (codec)",
        "itilkit.sla._probe (sla) imports itilkit.codec.dumps (codec)",
    ]


def test_conformance_knows_lifecycles_only_and_interop_never_the_test_kit() -> None:
    """Conformance may not import practices or sla; interop may not import itilkit.testing."""
    conformance = "from itilkit.practices import Incident\nfrom itilkit.lifecycle import State\n"
    assert _violations("itilkit.conformance._probe", conformance) == [
        "itilkit.conformance._probe (conformance) imports itilkit.practices (practices)",
        "itilkit.conformance._probe (conformance) imports itilkit.practices.Incident (practices)",
    ]
    interop = "from itilkit.testing import strategies\nfrom itilkit.conformance import Trace\n"
    assert _violations("itilkit.interop._probe", interop) == [
        "itilkit.interop._probe (interop) imports itilkit.testing (testing)",
        "itilkit.interop._probe (interop) imports itilkit.testing.strategies (testing)",
    ]


def test_the_command_is_the_top_layer() -> None:
    """cli may import reports and interop but not the test kit; nothing below imports cli."""
    command = "from itilkit.reports import build_report\nfrom itilkit.testing import strategies\n"
    assert _violations("itilkit.cli._probe", command) == [
        "itilkit.cli._probe (cli) imports itilkit.testing (testing)",
        "itilkit.cli._probe (cli) imports itilkit.testing.strategies (testing)",
    ]
    below = "from itilkit.cli import main\n"
    assert _violations("itilkit.reports._probe", below) == [
        "itilkit.reports._probe (reports) imports itilkit.cli (cli)",
        "itilkit.reports._probe (reports) imports itilkit.cli.main (cli)",
    ]
    assert _violations("itilkit.interop._probe", "from itilkit.reports import bulk_sla\n") == [
        "itilkit.interop._probe (interop) imports itilkit.reports (reports)",
        "itilkit.interop._probe (interop) imports itilkit.reports.bulk_sla (reports)",
    ]
