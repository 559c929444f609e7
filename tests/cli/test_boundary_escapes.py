# mypy: disable-error-code="arg-type"
"""What the boundary walk (tests/boundary) found in the itilkit command, fixed at its source.

The walk runs the command with ``ITILKIT_DEBUG=1``, so what it would report as an
internal error (a bug) escapes instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from itilkit.cli import main
from itilkit.errors import InvalidTypeError


@pytest.mark.parametrize("argv", [True, "lifecycle list", b"demo", ["lifecycle", 5], 5])
def test_main_needs_a_list_of_words(argv: object) -> None:
    """main(True) and main(["lifecycle", 5]) were internal errors (TypeError in argparse)."""
    with pytest.raises(InvalidTypeError, match="argv must be None or a sequence of strings"):
        main(argv)


def test_a_lifecycle_name_too_long_for_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """lifecycle show NAME tried NAME as a file first: a 5000-character name was OSError."""
    monkeypatch.setenv("ITILKIT_DEBUG", "1")
    assert main(["lifecycle", "show", "x" * 5000]) == 1
    err = capsys.readouterr().err
    assert err.startswith("itilkit: error: no default lifecycle is named 'xxx")
    assert len(err) < 400


@pytest.mark.parametrize("output", ["./", "."])
def test_an_output_without_a_file_name(
    output: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """-o ./ was a ValueError (Path('.') has an empty name): now a usage error, nothing written."""
    monkeypatch.setenv("ITILKIT_DEBUG", "1")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    assert main(["lifecycle", "show", "incident", "-o", output]) == 2
    assert "not a file name" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["folder"]
