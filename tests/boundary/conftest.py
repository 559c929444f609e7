"""The boundary tests run in a folder of their own, with the command's debugging on.

A hostile call may create files named by hostile strings (a store given
``"0"`` as its path makes ``./0``): they land in a temporary working folder, not
in the checkout. ``ITILKIT_DEBUG=1`` makes the ``itilkit`` command re-raise what
it would report as an internal error, so that the walk sees it escape.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="module")
def _own_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("boundary-cwd")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("ITILKIT_DEBUG", "1")
        yield folder
