"""Samples of itilkit.metrics (filled in with the metrics hardening)."""

from __future__ import annotations

from tests.boundary.samples import Samples

SAMPLES = Samples()
