"""The command examples of the docs run: each ``$ itilkit ...`` line of a ``console`` block,
with its output as shown (``...`` stands for any lines) and its exit code (``[exit N]``).

Run from the project root; an ``-o FILE`` is written to a temporary folder instead, a
store (``*.sqlite``) lives in one temporary folder for the session (so a page's examples
build on each other, in order), and an example that reads ``../shared/data`` is skipped
where that folder is absent.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from itilkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["docs/cli.md", "docs/quickstart.md", "docs/walkthrough.md"]
BLOCK = re.compile(r"^```console\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _examples() -> list[tuple[str, str, list[str], int]]:
    found = []
    for page in PAGES:
        for block in BLOCK.findall((ROOT / page).read_text()):
            command: str | None = None
            expected: list[str] = []
            code = 0
            for line in [*block.splitlines(), "$ "]:
                if line.startswith("$ "):
                    if command is not None:
                        found.append((page, command, expected, code))
                    command, expected, code = line[2:], [], 0
                elif (exit_code := re.fullmatch(r"\[exit (\d+)\]", line)) is not None:
                    code = int(exit_code.group(1))
                else:
                    expected.append(line)
    return found


EXAMPLES = _examples()


@pytest.fixture(scope="session")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the examples' stores live, for the whole session."""
    return tmp_path_factory.mktemp("stores")


def _matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual``, each ``...`` line standing for any lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and expected[0] == actual[0] and _matches(expected[1:], actual[1:])


def test_the_pages_have_examples() -> None:
    """Each page shows the command at work (a page without examples would pass vacuously)."""
    assert {page for page, *_ in EXAMPLES} == set(PAGES)


@pytest.mark.parametrize(
    ("page", "command", "expected", "code"),
    EXAMPLES,
    ids=[f"{page}:{command[:60]}" for page, command, *_ in EXAMPLES],
)
def test_example(
    page: str,
    command: str,
    expected: list[str],
    code: int,
    tmp_path: Path,
    stores: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The example's output and exit code, as the page shows them."""
    monkeypatch.chdir(ROOT)
    words = shlex.split(command)
    assert words[0] == "itilkit", f"{page}: {command}"
    if "../shared/data" in command and not (ROOT.parent / "shared" / "data").exists():
        pytest.skip("the data sets are not in ../shared/data")
    argv = words[1:]
    for i, word in enumerate(argv[:-1]):
        if word in ("-o", "--output"):
            argv[i + 1] = str(tmp_path / Path(argv[i + 1]).name)
    argv = [str(stores / word) if word.endswith(".sqlite") else word for word in argv]
    assert main(argv) == code
    out, err = capsys.readouterr()
    shown = [
        line.replace(str(tmp_path) + "/", "").replace(str(stores) + "/", "")
        for line in (out + err).splitlines()
    ]
    assert _matches(expected, shown), "\n".join(shown)
