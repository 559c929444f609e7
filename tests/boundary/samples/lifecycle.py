"""Samples of itilkit.lifecycle (filled in with the lifecycle hardening)."""

from __future__ import annotations

from tests.boundary.samples import Samples

SAMPLES = Samples()
