"""Samples of itilkit.cli: command lines of every subcommand, with hostile words in them.

``main`` is called with a command line (never ``None``: that would read
pytest's own). Its extra hostile values are real command lines of each
subcommand with one word hostile: a file, an option's value, a lifecycle
name. Files it writes (``-o``, ``--store``) are named without a directory, so
they land in the test's own working folder (see ``tests/boundary/conftest.py``).
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.boundary.samples import Samples
from tests.boundary.samples.reports import _HPSM, _LOG

_WORDS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "-", "--", "\x00", "x" * 5000, "\udcff", "..", ".", "-1", "nan", "1e999"]),
)
#: Where a hostile word may only name a file in the working folder.
_LOCAL = st.text(alphabet=st.characters(blacklist_characters="/\x00"), max_size=40).map(
    lambda name: f"./{name}"
)
_LOG_TEXT, _HPSM_TEXT = str(_LOG), [str(p) for p in _HPSM]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command line of some subcommand with one word replaced by a hostile one."""
    word, local = draw(_WORDS), draw(_LOCAL)
    lines = [
        ["report", word],
        ["report", _LOG_TEXT, "--calendar", word],
        ["report", _LOG_TEXT, "--period", word],
        ["report", _LOG_TEXT, "--tz", word],
        ["report", _LOG_TEXT, "--source", word],
        ["report", *_HPSM_TEXT, "--map", word],
        ["report", _LOG_TEXT, "--html", "-o", local],
        ["conformance", _LOG_TEXT, "--definition", word],
        ["conformance", _LOG_TEXT, "--fail-under", word],
        ["conformance", _LOG_TEXT, "--compare", word],
        ["conformance", _LOG_TEXT, "--prefix-starts", word],
        ["import", word],
        ["import", _LOG_TEXT, "--store", local],
        ["lifecycle", "show", word],
        ["lifecycle", "show", "incident", "--mermaid", "-o", local],
        [word],
        ["--tz", word, "lifecycle", "list"],
    ]
    return draw(st.sampled_from(lines))


SAMPLES = Samples(
    arguments={"main.argv": lambda: ["lifecycle", "show", "incident"]},
    hostile={"main.argv": command_lines()},
)
