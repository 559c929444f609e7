"""A progress line on a terminal, nothing when the output is redirected.

Drawn on stderr with a carriage return, at most ten times a second, and
cleared when a file is done: no animation ever reaches a file or a pipe.
"""

from __future__ import annotations

import time
from typing import TextIO

from itilkit.interop import ReadProgress

__all__ = ["ProgressLine"]

_EVERY = 0.1


class ProgressLine:
    """Draws ``reading NAME: ROWS rows, PERCENT`` on ``stream`` as a read goes on."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = 0.0
        self.width = 0

    def __call__(self, name: str, step: ReadProgress) -> None:
        if step.done:
            self.clear()
            return
        now = time.monotonic()
        if now - self.shown < _EVERY:
            return
        self.shown = now
        share = "" if step.fraction is None else f", {step.fraction:.0%} of the file"
        self.show(f"reading {name}: {step.rows:,} rows{share}")

    def show(self, text: str) -> None:
        """Draw ``text`` in place of the line."""
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        """Remove the line (before anything else is written to the terminal)."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
